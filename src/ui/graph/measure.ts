/**
 * Node text measured as the browser draws it, for node heights (toFlow.ts nodeHeight): a 2D
 * canvas context at the node fonts. The main thread passes a <canvas>'s context, the engine
 * worker an OffscreenCanvas's (it lays the graph out there: src/worker/layout.ts), so both
 * measure alike.
 */
import { FONT, type TextMeasure } from './toFlow';

interface TextContext {
  font: string;
  measureText(text: string): { width: number };
}

export function canvasMeasure(ctx: TextContext): TextMeasure {
  const fonts = { label: `600 ${FONT.label}px ${FONT.family}`, detail: `${FONT.detail}px ${FONT.family}` };
  const cache = new Map<string, number>();
  return (text, role) => {
    const key = role === 'label' ? `L${text}` : `D${text}`;
    let w = cache.get(key);
    if (w === undefined) {
      ctx.font = fonts[role];
      // a little room for rounding between canvas and layout text widths
      w = ctx.measureText(text).width * 1.02 + 1;
      cache.set(key, w);
    }
    return w;
  };
}
