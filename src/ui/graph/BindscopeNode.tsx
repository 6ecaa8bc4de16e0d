import { Handle, type NodeProps } from '@xyflow/react';
import type { GraphNode } from './toFlow';

/** One box in the graph: a device, driver, module or firmware node. Draws only. */
export function BindscopeNode({ data, sourcePosition, targetPosition, selected }: NodeProps<GraphNode>) {
  return (
    <div
      className={`bs-box bs-box--${data.kind}${selected ? ' bs-box--selected' : ''}`}
      data-testid={data.testId}
      data-kind={data.kind}
      title={data.label}
    >
      {targetPosition && <Handle type="target" position={targetPosition} isConnectable={false} />}
      <div className="bs-box__label">{data.label}</div>
      <div className="bs-box__detail">{data.detail}</div>
      {sourcePosition && <Handle type="source" position={sourcePosition} isConnectable={false} />}
    </div>
  );
}
