/**
 * Dropped or picked files as text for the worker's importer (worker/importFiles.ts): a gzip file
 * (a machine capture, say, `capture-machine.sh | gzip`) is inflated first, by its magic bytes.
 */
import type { DroppedFile } from '../worker/protocol';
import type { ViewStoreApi } from './store';

/** the largest file read (after inflating): a machine capture of a large server fits */
export const MAX_DROPPED_BYTES = 64 * 1024 * 1024;

export async function readDropped(files: File[]): Promise<DroppedFile[]> {
  const out: DroppedFile[] = [];
  for (const f of files) {
    if (f.size > MAX_DROPPED_BYTES) throw new Error(`${f.name} is ${(f.size / 2 ** 20).toFixed(0)} MiB: the limit is ${MAX_DROPPED_BYTES / 2 ** 20} MiB`);
    const head = new Uint8Array(await f.slice(0, 2).arrayBuffer());
    const gz = head[0] === 0x1f && head[1] === 0x8b;
    const text = gz ? await new Response(f.stream().pipeThrough(new DecompressionStream('gzip'))).text() : await f.text();
    if (text.length > MAX_DROPPED_BYTES) throw new Error(`${f.name} inflates to more than ${MAX_DROPPED_BYTES / 2 ** 20} MiB`);
    out.push({ name: f.name.replace(/\.gz$/i, ''), text });
  }
  return out;
}

/** Load… and a drop on the page: read the files, then import them (store.importFiles); a file that cannot be read is said why */
export async function loadFiles(files: File[], store: ViewStoreApi): Promise<void> {
  if (!files.length) return;
  let dropped: DroppedFile[];
  try {
    dropped = await readDropped(files);
  } catch (err) {
    store.setState({ message: `Not loaded: ${(err as Error).message}` });
    return;
  }
  await store.getState().importFiles(dropped);
}
