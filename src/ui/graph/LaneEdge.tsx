import { memo } from 'react';
import { BaseEdge, type EdgeProps } from '@xyflow/react';
import type { GraphEdge } from './toFlow';

/** an orthogonal path through the points, corners slightly rounded */
export function lanePath(pts: [number, number][]): string {
  // drop repeated points (a lane at the source's or target's own height)
  const clean = pts.filter((p, i) => i === 0 || p[0] !== pts[i - 1]![0] || p[1] !== pts[i - 1]![1]);
  const r = 5;
  let d = `M ${clean[0]![0]} ${clean[0]![1]}`;
  for (let i = 1; i < clean.length; i++) {
    const [x, y] = clean[i]!;
    const next = clean[i + 1];
    if (!next) {
      d += ` L ${x} ${y}`;
      break;
    }
    const [px, py] = clean[i - 1]!;
    const inLen = Math.hypot(x - px, y - py);
    const outLen = Math.hypot(next[0] - x, next[1] - y);
    const k = Math.min(r, inLen / 2, outLen / 2);
    const ax = x - (k * (x - px)) / (inLen || 1);
    const ay = y - (k * (y - py)) / (inLen || 1);
    const bx = x + (k * (next[0] - x)) / (outLen || 1);
    const by = y + (k * (next[1] - y)) / (outLen || 1);
    d += ` L ${ax} ${ay} Q ${x} ${y} ${bx} ${by}`;
  }
  return d;
}

/** An edge along the free lanes toFlow routed it on. Draws only. */
function Lane({ sourceX, sourceY, targetX, targetY, data, markerEnd, style, interactionWidth }: EdgeProps<GraphEdge>) {
  const route = data?.route;
  const path = lanePath([[sourceX, sourceY], ...(route?.points ?? []), [targetX, targetY]]);
  return <BaseEdge path={path} markerEnd={markerEnd} style={style} interactionWidth={interactionWidth} />;
}

/** memoised: an edge whose ends and route did not move is not drawn again */
export const LaneEdge = memo(Lane);
