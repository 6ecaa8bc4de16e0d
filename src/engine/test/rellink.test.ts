import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { relLink } from '../core/sysfs';

/** the reference of relLink: by path segments */
function relLinkBySegments(from: string, to: string): string {
  const fromDir = from.split('/').slice(2, -1); // drop "", "sys" and the link name
  const toParts = to.split('/').slice(2);
  let i = 0;
  while (i < fromDir.length && i < toParts.length && fromDir[i] === toParts[i]) i++;
  return [...fromDir.slice(i).map(() => '..'), ...toParts.slice(i)].join('/');
}


const seg = fc.constantFrom('devices', 'platform', 'bus', 'drivers', 'a', 'ab', 'a.0', 'b', 'module', 'class', 'tsm');
const path = fc.array(seg, { minLength: 1, maxLength: 6 }).map((xs) => `/sys/${xs.join('/')}`);

describe('relLink', () => {
  it('known links', () => {
    expect(relLink('/sys/devices/platform/a/driver', '/sys/bus/platform/drivers/x')).toBe('../../../bus/platform/drivers/x');
    expect(relLink('/sys/bus/platform/devices/a', '/sys/devices/platform/a')).toBe('../../../devices/platform/a');
    expect(relLink('/sys/class/tsm/tsm0', '/sys/devices/virtual/tsm/tsm0')).toBe('../../devices/virtual/tsm/tsm0');
  });
  it('agrees with the segment-by-segment reference on random paths (shared prefixes, prefixes of names)', () => {
    fc.assert(fc.property(path, path, seg, (dir, to, name) => {
      const from = `${dir}/${name}`;
      expect(relLink(from, to)).toBe(relLinkBySegments(from, to));
    }), { numRuns: 5000 });
  });
});
