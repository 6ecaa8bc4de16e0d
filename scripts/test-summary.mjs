#!/usr/bin/env node
// Prints one line "N passed, N failed[, N skipped]" from the Vitest and Playwright JSON
// reports, for .ci/run. A report that is missing or unreadable means its stage did not
// finish: it counts as 1 failed. Exits 1 when anything failed.
//
//   node scripts/test-summary.mjs [--exit-code N] <unit.json> <e2e.json>
//
// --exit-code is the exit status of the test command; if it is non-zero while the
// reports show no failure, 1 failed is added so the line never hides a failed stage.
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export function countVitest(r) {
  let passed = r.numPassedTests ?? 0;
  let failed = r.numFailedTests ?? 0;
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A test file that failed to load has no assertions but a failed status.
  for (const file of r.testResults ?? []) {
    const failedInFile = (file.assertionResults ?? []).filter((a) => a.status === 'failed').length;
    if (file.status === 'failed' && failedInFile === 0) failed += 1;
  }
  if (r.success === false && failed === 0) failed += 1;
  return { passed, failed, skipped };
}

export function countPlaywright(r) {
  const s = r.stats ?? {};
  const passed = (s.expected ?? 0) + (s.flaky ?? 0);
  // Global errors (web server did not start, no tests found...) fail the stage.
  const failed = (s.unexpected ?? 0) + (Array.isArray(r.errors) ? r.errors.length : 0);
  return { passed, failed, skipped: s.skipped ?? 0 };
}

export function summarize(files, exitCode = 0, read = (f) => readFileSync(f, 'utf8')) {
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const file of files) {
    let counts;
    try {
      const report = JSON.parse(read(file));
      counts = 'numTotalTests' in report ? countVitest(report) : 'stats' in report ? countPlaywright(report) : null;
    } catch {
      counts = null;
    }
    if (!counts) counts = { passed: 0, failed: 1, skipped: 0 };
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  if (exitCode !== 0 && total.failed === 0) total.failed = 1;
  return total;
}

export function formatLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed` + (skipped > 0 ? `, ${skipped} skipped` : '');
}

const isMain = !!process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isMain) {
  const args = process.argv.slice(2);
  let exitCode = 0;
  const i = args.indexOf('--exit-code');
  if (i >= 0) {
    exitCode = Number(args[i + 1]) || 0;
    args.splice(i, 2);
  }
  const total = summarize(args, exitCode);
  console.log(formatLine(total));
  process.exit(total.failed > 0 ? 1 : 0);
}
