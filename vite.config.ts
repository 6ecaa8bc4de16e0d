/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The Content-Security-Policy of the built app: scripts and workers from the app's own origin
 * only (no inline script, no eval), so nothing from a scenario, a file or a link can execute.
 * Styles allow inline (React Flow positions nodes with style attributes); images allow data:
 * and blob: (exports). Built pages carry it as a meta tag, and `vite preview` also sends it as
 * a header; the dev server (hot reload injects inline scripts) does not.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'bindscope-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
  };
}

/**
 * validate.ts's check-only walk (src/engine/scenario/zodAccepts.ts) reaches the app through
 * zodAcceptsDeferred.ts, which loads it as a chunk of its own (the worker's first chunk has a
 * budget); the deferred module's own import of the walk resolves as usual.
 */
function deferredZodAccepts(): Plugin {
  return {
    name: 'bindscope-deferred-zod-accepts',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === './zodAccepts' && importer?.endsWith('/src/engine/scenario/validate.ts')) return this.resolve('./zodAcceptsDeferred', importer);
      return null;
    },
  };
}

/** the app's build (page and worker) defers the walk; Vitest runs the engine as Node does */
const appOnly = (): Plugin[] => (process.env.VITEST ? [] : [deferredZodAccepts()]);

export default defineConfig({
  plugins: [react(), contentSecurityPolicy(), ...appOnly()],
  // The engine runs in a module worker (src/worker/engine.worker.ts), bundled as its own chunk.
  worker: { format: 'es', plugins: appOnly },
  // The app's schemas use zod/mini's generic objects, not the JIT objects of
  // src/engine/scenario/zodJit.ts: the CSP above allows no eval, so a compiled parser could not
  // run in the page or the worker (zod would fall back, after a refused probe). Vitest keeps
  // the JIT objects: its tests run the engine as Node (the CLI, the bench) does.
  resolve: { alias: process.env.VITEST ? [] : [{ find: /^\.\/zodJit$/, replacement: 'zod/mini' }] },
  build: {
    rolldownOptions: {
      // React's memo() has no side effect, but nothing in @xyflow/react's build says so: without
      // this, every component it wraps at the top level stays in the bundle, used or not (the
      // MiniMap, NodeResizer, NodeToolbar, EdgeToolbar: ~4 kB gzip of the first screen's chunk)
      treeshake: { manualPureFunctions: ['memo'] },
    },
  },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173, headers: { 'Content-Security-Policy': CSP } },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // The JSON report feeds the "N passed, N failed" line printed by .ci/run.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/unit.json' },
  },
});
