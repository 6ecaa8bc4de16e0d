/**
 * The graph and the compare view as slide images (1920×1080, PNG or SVG) with a caption band:
 * the design's name and the step. html-to-image renders the DOM, as React Flow documents for
 * its own image download (the viewport element, with a transform that fits every node).
 */
import { getNodesBounds, getViewportForBounds } from '@xyflow/react';
import { graphSources } from './graph/graphSources';

export const SLIDE = { width: 1920, height: 1080 } as const;
export const CAPTION_HEIGHT = 96;
const BODY = { width: SLIDE.width, height: SLIDE.height - CAPTION_HEIGHT };

export type ImageFormat = 'png' | 'svg';

export interface SlideCaption {
  title: string;
  /** "step 12 of 71: uevent add /devices/…" */
  detail: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const TITLE_FONT = '700 32px system-ui, sans-serif';
const DETAIL_FONT = '22px system-ui, sans-serif';

/** the text, cut with "…" to fit `width` px in `font` */
function fitText(text: string, font: string, width: number): string {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return text;
  ctx.font = font;
  if (ctx.measureText(text).width <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ctx.measureText(text.slice(0, mid) + '…').width <= width) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, lo) + '…';
}

/** UI chrome left out of images: zoom buttons, the compare view's option bar */
const chrome = (node: HTMLElement) => !(node.classList?.contains('react-flow__controls') || node.classList?.contains('bs-compare__bar'));

function svgFromDataUrl(url: string): string {
  const comma = url.indexOf(',');
  return decodeURIComponent(url.slice(comma + 1));
}

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('the rendered image could not be read'));
    img.src = src;
  });
}

/** the caption band and the body (a data URL of `format`), composed into one slide */
async function compose(format: ImageFormat, body: string, bodySize: { width: number; height: number }, caption: SlideCaption): Promise<string> {
  const scale = Math.min(BODY.width / bodySize.width, BODY.height / bodySize.height);
  const w = bodySize.width * scale;
  const h = bodySize.height * scale;
  const x = (BODY.width - w) / 2;
  const y = CAPTION_HEIGHT + (BODY.height - h) / 2;
  const title = fitText(caption.title, TITLE_FONT, SLIDE.width - 64);
  const detail = fitText(caption.detail, DETAIL_FONT, SLIDE.width - 64);
  if (format === 'svg') {
    // the rendered body's own root element, placed and scaled under the caption band
    const inner = svgFromDataUrl(body).replace(
      /^<svg[^>]*>/,
      `<svg xmlns="http://www.w3.org/2000/svg" x="${x}" y="${y}" width="${w}" height="${h}" viewBox="0 0 ${bodySize.width} ${bodySize.height}">`,
    );
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="${SLIDE.width}" height="${SLIDE.height}" viewBox="0 0 ${SLIDE.width} ${SLIDE.height}">` +
      `<rect width="100%" height="100%" fill="#ffffff"/>` +
      `<rect width="100%" height="${CAPTION_HEIGHT}" fill="#1f2937"/>` +
      `<text x="32" y="44" font-family="system-ui, sans-serif" font-size="32" font-weight="700" fill="#f9fafb">${esc(title)}</text>` +
      `<text x="32" y="80" font-family="system-ui, sans-serif" font-size="22" fill="#d1d5db">${esc(detail)}</text>` +
      inner +
      `</svg>`;
    return 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
  }
  const canvas = document.createElement('canvas');
  canvas.width = SLIDE.width;
  canvas.height = SLIDE.height;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, SLIDE.width, SLIDE.height);
  ctx.fillStyle = '#1f2937';
  ctx.fillRect(0, 0, SLIDE.width, CAPTION_HEIGHT);
  ctx.fillStyle = '#f9fafb';
  ctx.font = TITLE_FONT;
  ctx.fillText(title, 32, 44);
  ctx.fillStyle = '#d1d5db';
  ctx.font = DETAIL_FONT;
  ctx.fillText(detail, 32, 80);
  ctx.drawImage(await loadImage(body), x, y, w, h);
  return canvas.toDataURL('image/png');
}

/** a graph (DeviceGraph registered under `testId`) as a slide */
export async function exportGraph(testId: string, format: ImageFormat, caption: SlideCaption): Promise<string> {
  const src = graphSources.get(testId)?.();
  if (!src) throw new Error(`no graph "${testId}" on screen to export`);
  const bounds = getNodesBounds(src.nodes);
  const vp = getViewportForBounds(bounds, BODY.width, BODY.height, 0.2, 2, 0.06);
  const options = {
    backgroundColor: '#ffffff',
    filter: chrome,
    width: BODY.width,
    height: BODY.height,
    style: { width: `${BODY.width}px`, height: `${BODY.height}px`, transform: `translate(${vp.x}px, ${vp.y}px) scale(${vp.zoom})` },
  };
  const { toPng, toSvg } = await import('html-to-image'); // a chunk of its own, loaded on the first export
  const body = format === 'png' ? await toPng(src.viewport, { ...options, pixelRatio: 1 }) : await toSvg(src.viewport, options);
  return compose(format, body, BODY, caption);
}

/** any element (the compare view) as a slide, scaled to fit under the caption */
export async function exportElement(el: HTMLElement, format: ImageFormat, caption: SlideCaption): Promise<string> {
  // a clone keeps a <select>'s chosen option only as an attribute
  for (const opt of el.querySelectorAll('option')) opt.toggleAttribute('selected', opt.selected);
  // scrolled areas drawn whole (styles.css .bs-exporting), then back once the image is made
  el.classList.add('bs-exporting');
  try {
    await new Promise((r) => setTimeout(r, 120)); // the graphs refit to their export size
    const size = { width: el.scrollWidth, height: el.scrollHeight };
    const options = { backgroundColor: '#ffffff', filter: chrome, width: size.width, height: size.height };
    const ratio = Math.min(BODY.width / size.width, BODY.height / size.height);
    const { toPng, toSvg } = await import('html-to-image');
    const body = format === 'png' ? await toPng(el, { ...options, pixelRatio: Math.max(1, ratio) }) : await toSvg(el, options);
    return await compose(format, body, size, caption);
  } finally {
    el.classList.remove('bs-exporting');
  }
}

/** a data URL as a Blob, for download (decoded here: the Content-Security-Policy allows no fetch of data: URLs) */
export async function dataUrlBlob(url: string): Promise<Blob> {
  const comma = url.indexOf(',');
  const head = url.slice(5, comma); // after "data:"
  const payload = url.slice(comma + 1);
  const type = head.split(';')[0] || 'application/octet-stream';
  if (head.endsWith(';base64')) {
    const bin = atob(payload);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Blob([bytes], { type });
  }
  return new Blob([decodeURIComponent(payload)], { type });
}
