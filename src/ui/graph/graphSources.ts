/**
 * The graphs on screen, for image export (exportImage.ts): each DeviceGraph registers its
 * viewport element and its measured nodes under its test id. A module of its own so the graph
 * does not pull the export code (loaded on the first export) into the first screen's chunk.
 */
import type { Node } from '@xyflow/react';

/** what a DeviceGraph offers for export: its viewport element and its (measured) nodes */
export type GraphSource = () => { viewport: HTMLElement; nodes: Node[] } | null;
export const graphSources = new Map<string, GraphSource>();
