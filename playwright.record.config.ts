import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/** `npm run record` (scripts/record.mjs): the walkthrough recordings, one test per walkthrough */
export default defineConfig({
  ...base,
  testDir: 'e2e/record',
  testMatch: '**/*.record.ts',
  outputDir: 'test-results/record',
  reporter: [['list']],
  timeout: 300_000,
});
