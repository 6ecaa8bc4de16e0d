import { describe, expect, it } from 'vitest';
import { compressToEncodedURIComponent } from 'lz-string';
import { EMPTY_LINK, MAX_LINK_CHARS, decodeLink, encodeLink, historyKey, type LinkView } from './link';

const roundTrip = (v: LinkView) => {
  const { search, hash } = encodeLink(v);
  return decodeLink(search, hash);
};

describe('links', () => {
  it('a built-in design with toggles, user actions, step, selection and compare survives the round trip', () => {
    const v: LinkView = {
      ...EMPTY_LINK,
      design: 'auxiliary',
      variant: { realm: true, firmware: 'acpi', psci: '1.0', conduit: 'hvc', module: 'builtin', udev: false },
      actions: [{ op: 'unbind', device: 'arm_cca_guest.arm-rsi-dev.0', at: 40 }],
      userActions: 1,
      step: 41,
      selected: 'device:/devices/platform/arm-smccc',
      mode: 'compare',
      compare: 'faux',
    };
    const d = roundTrip(v);
    expect(d.problems).toEqual([]);
    expect(d.given).toBe(true);
    expect(d.view).toEqual(v);
  });

  it('a custom scenario travels compressed in the hash', () => {
    const custom = { id: 'mine', title: 'My design + more', modules: [{ name: 'x'.repeat(200), location: 'module' }] };
    const { search, hash } = encodeLink({ ...EMPTY_LINK, custom, userActions: 2 });
    expect(search).toBe('');
    expect(hash).toMatch(/^#s=[A-Za-z0-9+$-]+&a=/);
    expect(hash.length).toBeLessThan(JSON.stringify(custom).length);
    const d = decodeLink(search, hash);
    expect(d.problems).toEqual([]);
    expect(d.view.custom).toEqual(custom);
    expect(d.view.userActions).toBe(2);
  });

  it('the last step is left out of the link, other steps are kept', () => {
    expect(encodeLink({ ...EMPTY_LINK, design: 'faux' }).search).toBe('?design=faux');
    expect(roundTrip({ ...EMPTY_LINK, design: 'faux', step: -1 }).view.step).toBe(-1);
  });

  it('an empty link asks for nothing', () => {
    expect(decodeLink('', '')).toEqual({ view: EMPTY_LINK, problems: [], given: false });
  });

  it('damaged parts are named and left out; the rest is used', () => {
    const { hash } = encodeLink({ ...EMPTY_LINK, custom: { id: 'x', title: 'a long enough title to compress' } });
    const cut = hash.slice(0, Math.floor(hash.length / 2));
    const d = decodeLink('?design=faux&step=abc&mode=slides&fw=uefi', cut);
    expect(d.view.design).toBe('faux'); // the damaged scenario does not replace the design
    expect(d.view.custom).toBeNull();
    expect(d.view.step).toBeNull();
    expect(d.view.mode).toBe('explore');
    expect(d.problems.join('\n')).toMatch(/step=abc/);
    expect(d.problems.join('\n')).toMatch(/mode=slides/);
    expect(d.problems.join('\n')).toMatch(/fw=uefi/);
    expect(d.problems.join('\n')).toMatch(/scenario could not be read|not valid JSON/);
    expect(decodeLink('', '#s=!!!').problems[0]).toMatch(/scenario/);
    expect(decodeLink('', `#s=${compressToEncodedURIComponent('[1,2]')}`).problems[0]).toMatch(/not a JSON object/);
  });

  it('an oversized link is refused whole', () => {
    const d = decodeLink('?design=faux', '#s=' + 'A'.repeat(MAX_LINK_CHARS));
    expect(d.view).toEqual(EMPTY_LINK);
    expect(d.problems[0]).toMatch(/too long/);
  });

  it('history: a step or selection replaces the entry, a design or mode change makes a new one', () => {
    const a: LinkView = { ...EMPTY_LINK, design: 'faux', step: 3 };
    expect(historyKey({ ...a, step: 9, selected: 'x', stop: 2 })).toBe(historyKey(a));
    expect(historyKey({ ...a, design: 'auxiliary' })).not.toBe(historyKey(a));
    expect(historyKey({ ...a, mode: 'compare', compare: 'faux' })).not.toBe(historyKey(a));
    expect(historyKey({ ...a, walk: 'faux' })).not.toBe(historyKey(a));
  });
});
