/** Every review rule has a run that triggers it and one that does not; user rules join them. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getBuiltinScenario, Simulation, type Scenario } from '../index';
import { review } from './review';
import { reviewRules } from './schema';
import { REVIEW_RULES } from '../../scenarios/review-rules';
import { runCli } from '../../cli/sim';

function findings(s: Scenario) {
  const sim = new Simulation(s);
  expect(sim.errors).toEqual([]);
  return review(sim.stateAt(sim.lastStep), sim.summary().events, REVIEW_RULES);
}
const rulesOf = (s: Scenario) => [...new Set(findings(s).map((f) => f.rule))];
const builtin = (id: string) => getBuiltinScenario(id);
const withModules = (modules: Scenario['modules']): Scenario => ({ ...builtin('smccc-bus'), modules: [...builtin('smccc-bus').modules, ...modules] });

const CASES: Record<string, { triggers: Scenario; clean: Scenario }> = {
  'fake-platform-device': { triggers: builtin('mainline'), clean: builtin('smccc-bus') },
  'unbound-parent-holds-devres': { triggers: builtin('auxiliary'), clean: builtin('host-rfc') },
  'faux-device-cannot-autoload': { triggers: builtin('faux-suggestion'), clean: builtin('auxiliary') },
  'module-nothing-loads': { triggers: builtin('faux'), clean: builtin('auxiliary') },
  'module-binds-nothing': { triggers: { ...builtin('smccc-bus-nonrealm'), actions: [{ op: 'modprobe', module: 'arm_cca_guest' }] }, clean: builtin('smccc-bus') },
  'platform-name-fallback': { triggers: builtin('mainline'), clean: builtin('smccc-bus') },
  'name-collision': {
    triggers: withModules([{ name: 'dup', location: 'builtin', initcall: 'device', init: [{ op: 'platform_device_register_simple', name: 'x', id: 'NONE' }, { op: 'platform_device_register_simple', name: 'x', id: 'NONE', orReturn: 'ignore' }] }]),
    clean: builtin('smccc-bus'),
  },
  'deferred-at-the-end': {
    triggers: withModules([{ name: 'w', location: 'builtin', initcall: 'device', drivers: { d: { name: 'waits', bus: 'platform', probe: [{ op: 'defer_until', device: 'never' }] } }, init: [{ op: 'platform_device_register_simple', name: 'waits', id: 'NONE' }, { op: 'platform_driver_register', driver: 'd' }] }]),
    clean: builtin('smccc-bus'),
  },
};

describe('design review rules', () => {
  it('every built-in rule has a triggering and a non-triggering case here', () => {
    expect(Object.keys(CASES).sort()).toEqual(REVIEW_RULES.map((r) => r.id).sort());
  });
  for (const r of REVIEW_RULES) {
    it(`${r.id}: fires on its case, not on the clean one`, () => {
      expect(rulesOf(CASES[r.id]!.triggers)).toContain(r.id);
      expect(rulesOf(CASES[r.id]!.clean)).not.toContain(r.id);
    });
  }
  it('the queued arm_smccc bus (the design heading for mainline) has no findings', () => {
    expect(findings(builtin('smccc-bus'))).toEqual([]);
  });
  it('each finding names where, says why with the row\'s values, and cites its source', () => {
    const f = findings(builtin('auxiliary')).find((x) => x.rule === 'unbound-parent-holds-devres')!;
    expect(f).toMatchObject({ where: '/devices/platform/arm-smccc', severity: 'warning', cite: expect.stringContaining('really_probe') });
    expect(f.message).toContain('holds the devres of 2 device(s)');
    const fake = findings(builtin('auxiliary')).find((x) => x.rule === 'fake-platform-device')!;
    expect(fake.quote).toMatchObject({ author: 'Greg Kroah-Hartman', text: expect.stringContaining('"fake" platform devices') });
  });
  it('rules are validated data: a bad rule is refused with its path', () => {
    const bad = reviewRules.safeParse([{ id: 'X Y', severity: 'loud', title: 't', select: 'devices', where: {}, message: 'm', cite: 'c' }]);
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['0.id', '0.severity']));
  });
  it('the CLI reviews a design, and takes a user\'s own rules with --rules', () => {
    const text = runCli(['review', 'auxiliary']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^WARNING unbound-parent-holds-devres: /m);
    expect(text.stdout).toContain('"Do not make any more "fake" platform devices please" (Greg Kroah-Hartman');
    const dir = mkdtempSync(join(tmpdir(), 'bindscope-review-'));
    const mine = join(dir, 'rules.json');
    writeFileSync(mine, JSON.stringify([{ id: 'no-trng', severity: 'info', title: 'TRNG on the bus', select: 'devices', where: { name: 'arm-smccc-trng' }, message: '{name} is on {bus}', cite: 'drivers/char/hw_random/arm_smccc_trng.c' }]));
    const j = runCli(['review', 'smccc-bus', '--json', '--rules', mine]);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout).findings).toEqual([expect.objectContaining({ rule: 'no-trng', message: 'arm-smccc-trng is on arm_smccc' })]);
    writeFileSync(mine, JSON.stringify([{ id: 'x', severity: 'loud' }]));
    const bad = runCli(['review', 'smccc-bus', '--rules', mine]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/rules\.json: 0\.severity/);
  });
});
