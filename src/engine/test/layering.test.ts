/**
 * The engine is layered like drivers/base/: the driver core and the buses call drivers through
 * their ops (drv->probe, faux_device_ops) and never import the scenario interpreter that
 * supplies those ops. An import cycle core → scenario → buses → core would fail this.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ENGINE = join(import.meta.dirname, '..');

function importsOf(dir: string): [string, string[]][] {
  return readdirSync(join(ENGINE, dir))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => {
      const src = readFileSync(join(ENGINE, dir, f), 'utf8');
      const specs = [...src.matchAll(/^import\s[^;]*?from\s+'([^']+)'/gms)].filter((m) => !/^import\s+type\s/.test(m[0])).map((m) => m[1]!);
      return [`${dir}/${f}`, specs] as [string, string[]];
    });
}

describe('engine layering', () => {
  for (const dir of ['core', 'buses']) {
    it(`${dir}/ imports nothing from scenario/, userspace/ or subsys/ at run time`, () => {
      const bad = importsOf(dir).flatMap(([file, specs]) => specs.filter((s) => /\/(scenario|userspace|subsys)\//.test(s)).map((s) => `${file} → ${s}`));
      expect(bad).toEqual([]);
    });
  }
});
