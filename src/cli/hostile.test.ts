/**
 * The hostile-input corpus (test/hostile/corpus.ts) through the CLI: every case is refused with
 * its place and reason (exit 2), stopped by a named budget (exit 3), or runs correctly (exit 0),
 * and none takes more than 10 s.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './sim';
import { CORPUS } from '../../test/hostile/corpus';

const dir = mkdtempSync(join(tmpdir(), 'bindscope-hostile-'));

describe('hostile input corpus', () => {
  it('has at least 60 cases, each named once', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length);
  });
  CORPUS.forEach((c, i) => {
    it(`${c.name}: exit ${c.code}`, { timeout: 20_000 }, () => {
      let file: string;
      if (typeof c.input === 'string') {
        file = join(dir, `case-${i}.json`);
        writeFileSync(file, c.input);
      } else file = c.input.path;
      const t0 = Date.now();
      const r = runCli([file, ...(c.args ?? [])]);
      const seconds = (Date.now() - t0) / 1000;
      expect(seconds, 'every hostile input is refused or run within 10 s').toBeLessThan(10);
      expect(r.code, `stderr: ${r.stderr.slice(0, 500)}`).toBe(c.code);
      if (c.stderr) expect(r.stderr).toMatch(c.stderr);
      if (c.stdout) expect(r.stdout).toMatch(c.stdout);
      // a refusal is one bounded message per problem, never the input echoed back
      expect(r.stderr.length).toBeLessThan(64 * 1024);
      if (c.json) expect(c.json(JSON.parse(r.stdout))).toBeNull();
    });
  });
});
