import { defineConfig } from '@playwright/test';

/**
 * Browser tests run against the production build served by `vite preview`, in the
 * system Chromium (Debian's `chromium` package). Playwright's own browser download is
 * not used. scripts/e2e.mjs makes sure the browser exists before calling Playwright.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const isCI = !!process.env.CI;
/** E2E_PORT lets two checkouts (git worktrees) run their browser tests at once without sharing a server */
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  // Playwright empties its outputDir at start; keep it a subfolder so the unit-test
  // report (test-results/unit.json) written earlier in `npm test` survives.
  outputDir: 'test-results/playwright',
  fullyParallel: false,
  forbidOnly: isCI,
  retries: 0,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 720 },
    trace: 'off',
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    command: `npm run build && npx vite preview --port ${port} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !isCI,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
