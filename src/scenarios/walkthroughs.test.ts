import { describe, expect, it } from 'vitest';
import { Simulation, getBuiltinScenario, validateScenario } from '../engine/index';
import { describeMatcher, resolveStop, stopDesign } from '../engine/scenario/walkthrough';
import { walkthroughSchema } from '../engine/scenario/walkthroughSchema';
import { DESIGNS } from './index';
import { BUILTIN_WALKTHROUGHS, walkthroughFor } from './walkthroughs';

const runs = new Map<string, Simulation>();
const run = (id: string) => {
  if (!runs.has(id)) runs.set(id, new Simulation(getBuiltinScenario(id)));
  return runs.get(id)!;
};

/** does a focus ref ("device:name", "module:name", "driver:bus/name") name a node of the snapshot */
function exists(ref: string, sim: Simulation, step: number): boolean {
  const [kind, name] = [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)];
  return [step, sim.lastStep].some((st) => {
    const s = sim.stateAt(st);
    if (kind === 'device') return s.devices.some((d) => d.name === name);
    if (kind === 'module') return s.modules.some((m) => m.name === name);
    return s.drivers.some((d) => d.id === name);
  });
}

describe('built-in walkthroughs', () => {
  it('every design in its default form, and every revision, has a walkthrough', () => {
    for (const d of DESIGNS) expect(walkthroughFor(d.id), d.id).toBeDefined();
    expect(BUILTIN_WALKTHROUGHS.find((w) => w.id === 'the-question')?.stops.at(-1)?.panel).toBe('compare');
  });

  it('every stop of every walkthrough resolves to an event of its design\'s run, and its focus nodes exist', () => {
    for (const w of BUILTIN_WALKTHROUGHS) {
      expect(walkthroughSchema.safeParse(w).success, w.id).toBe(true);
      const steps: number[] = [];
      w.stops.forEach((stop, i) => {
        const design = stopDesign(w, stop);
        expect(design, `${w.id} stop ${i + 1}`).toBeDefined();
        const sim = run(design!);
        const step = resolveStop(stop, sim.summary().events);
        expect(step, `${w.id} stop ${i + 1} (${describeMatcher(stop.at)}) in ${design}`).not.toBeNull();
        for (const ref of stop.focus ?? []) expect(exists(ref, sim, step!), `${w.id} stop ${i + 1}: ${ref}`).toBe(true);
        if (stop.panel === 'compare') expect(stop.compare, `${w.id} stop ${i + 1}`).toBeDefined();
        if (!stop.design) steps.push(step!);
        const words = stop.caption.split(/(?<=[.!?])\s+/).filter(Boolean);
        expect(words.length, `${w.id} stop ${i + 1}: one or two sentences`).toBeLessThanOrEqual(2);
      });
      // within one design the stops go forward in time
      expect(steps, w.id).toEqual([...steps].sort((a, b) => a - b));
    }
  });

  it('a scenario may carry its own walkthrough, checked with JSON paths', () => {
    const base = getBuiltinScenario('faux-suggestion');
    const ok = validateScenario({ ...base, walkthrough: { id: 'mine', title: 'Mine', stops: [{ at: { kind: 'uevent', action: 'add', devpathEndsWith: 'arm-cca-dev' }, caption: 'Here.' }] } });
    expect(ok.ok).toBe(true);
    const bad = validateScenario({ ...base, walkthrough: { id: 'mine', title: 'Mine', stops: [{ at: { kind: 'uevnt' }, caption: '' }, { at: {}, caption: 'x', focus: ['arm-rsi'] }] } });
    expect(bad.ok).toBe(false);
    const paths = bad.ok ? [] : bad.errors.map((e) => e.path);
    expect(paths).toContain('walkthrough.stops[0].at.kind');
    expect(paths).toContain('walkthrough.stops[0].caption');
    expect(paths).toContain('walkthrough.stops[1].focus[0]');
  });
});

describe('the walkthrough example in docs/scenario-format.md', () => {
  it('validates and every stop resolves in the design it names', async () => {
    const { readFileSync } = await import('node:fs');
    const md = readFileSync('docs/scenario-format.md', 'utf8');
    const block = md.slice(md.indexOf('## Walkthrough')).match(/```json\n([\s\S]*?)```/)![1]!;
    const walkthrough = JSON.parse(`{${block}}`).walkthrough;
    const v = validateScenario({ ...getBuiltinScenario('smccc-bus'), walkthrough });
    expect(v.ok ? [] : v.errors).toEqual([]);
    const events = run('smccc-bus').summary().events;
    for (const stop of walkthrough.stops) expect(resolveStop(stop, events), describeMatcher(stop.at)).not.toBeNull();
  });
});
