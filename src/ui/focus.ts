/** gives keyboard focus back to a node of the main graph (after its details close) */
export function focusGraphNode(id: string): void {
  requestAnimationFrame(() => {
    const el = document.querySelector<HTMLElement>(`[data-testid="device-graph"] .react-flow__node[data-id="${CSS.escape(id)}"]`);
    el?.focus();
  });
}
