import { useMemo } from 'react';
import { Background, Controls, MiniMap, ReactFlow, type NodeTypes } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { Snapshot } from '../../engine/api';
import { BindscopeNode } from './BindscopeNode';
import { snapshotToFlow, type GraphNode } from './toFlow';

const nodeTypes: NodeTypes = { bindscope: BindscopeNode };

interface Props {
  snapshot: Snapshot;
  selected: string | null;
  onSelect(nodeId: string | null): void;
}

/** Renders a Snapshot with React Flow. Layout comes from snapshotToFlow (pure). */
export function DeviceGraph({ snapshot, selected, onSelect }: Props) {
  const flow = useMemo(() => snapshotToFlow(snapshot), [snapshot]);
  const nodes = useMemo<GraphNode[]>(
    () => flow.nodes.map((n) => (n.id === selected ? { ...n, selected: true } : n)),
    [flow, selected],
  );

  return (
    <div className="bs-graph" data-testid="device-graph">
      <ReactFlow
        nodes={nodes}
        edges={flow.edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ padding: 0.15 }}
        minZoom={0.1}
        nodesDraggable={false}
        nodesConnectable={false}
        edgesFocusable={false}
        onNodeClick={(_, node) => onSelect(node.id)}
        onPaneClick={() => onSelect(null)}
        proOptions={{ hideAttribution: false }}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable />
      </ReactFlow>
    </div>
  );
}
