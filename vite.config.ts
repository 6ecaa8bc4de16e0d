/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // The engine runs in a module worker (src/worker/engine.worker.ts), bundled as its own chunk.
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // The JSON report feeds the "N passed, N failed" line printed by .ci/run.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/unit.json' },
  },
});
