import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { Breakable } from '../Breakable';
import { DEVICE_LOWER_HANDLE, MODULE_ALIAS_AT, MODULE_ALIAS_HANDLE, type GraphNode } from './toFlow';

/** One box in the graph: a device, driver, module or firmware node. Draws only. */
function Box({ data, sourcePosition, targetPosition, selected }: NodeProps<GraphNode>) {
  const cls = [
    'bs-box',
    `bs-box--${data.kind}`,
    `bs-state--${data.state}`,
    data.tone ? `bs-tone--${data.tone}` : '',
    selected ? 'bs-box--selected' : '',
    data.touched ? 'bs-box--touched' : '',
  ].join(' ');
  return (
    <div
      className={cls}
      data-testid={data.testId}
      data-kind={data.kind}
      data-state={data.state}
      data-touched={data.touched ? 'true' : undefined}
      data-group={data.group}
      data-expanded={data.group ? String(!!data.expanded) : undefined}
      title={data.description}
    >
      {targetPosition && <Handle type="target" position={targetPosition} isConnectable={false} />}
      <div className="bs-box__label"><Breakable text={data.label} /></div>
      <div className="bs-box__detail"><Breakable text={data.detail} /></div>
      {sourcePosition && <Handle type="source" position={sourcePosition} isConnectable={false} />}
      {data.kind === 'device' && <Handle type="source" id={DEVICE_LOWER_HANDLE} position={Position.Bottom} isConnectable={false} />}
      {data.kind === 'module' && (
        <Handle type="target" id={MODULE_ALIAS_HANDLE} position={Position.Left} style={{ top: `${MODULE_ALIAS_AT * 100}%` }} isConnectable={false} />
      )}
    </div>
  );
}

/** the same props, or data with the same fields (a step rebuilds every node's data object) */
function same(a: NodeProps<GraphNode>, b: NodeProps<GraphNode>): boolean {
  for (const k of Object.keys(a) as (keyof NodeProps<GraphNode>)[]) {
    if (k === 'data') continue;
    if (a[k] !== b[k]) return false;
  }
  if (Object.keys(a).length !== Object.keys(b).length) return false;
  const da = a.data as Record<string, unknown>;
  const db = b.data as Record<string, unknown>;
  if (da === db) return true;
  const keys = Object.keys(da);
  return keys.length === Object.keys(db).length && keys.every((k) => da[k] === db[k]);
}

/** memoised: a step re-renders only the nodes whose drawing changed (React Flow's advice for custom nodes) */
export const BindscopeNode = memo(Box, same);
