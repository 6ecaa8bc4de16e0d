/**
 * The app's stand-in for zodAccepts.ts (vite.config.ts points validate.ts's import here): the
 * check-only walk as a chunk of its own, loaded as the worker starts, so the worker's first chunk
 * stays within its budget (docs/PERFORMANCE.md). Until the chunk has loaded, every scenario is
 * zod's to parse: the same answer, with zod's copy. Node (the CLI, the bench, the tests) imports
 * zodAccepts.ts itself.
 */
type Walk = typeof import('./zodAccepts');

let walk: Walk | null = null;
void import('./zodAccepts').then((m) => {
  walk = m;
});

export const acceptedAs: Walk['acceptedAs'] = <T>(schema: { _zod: { output: T } }, v: unknown): v is T => walk !== null && walk.acceptedAs(schema, v);
