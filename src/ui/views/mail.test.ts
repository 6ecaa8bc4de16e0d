import { describe, expect, it } from 'vitest';
import { Simulation, getBuiltinScenario } from '../../engine/index';
import { DESIGNS } from '../../scenarios';
import { runCli } from '../../cli/sim';
import { MAIL_WIDTH, formatMail, wrapLine, type MailSide } from './mail';

const sideOf = (id: string, step?: number): MailSide => {
  const sim = new Simulation(getBuiltinScenario(id));
  const sum = sim.summary();
  return { id, title: sum.title, snapshot: sim.stateAt(step ?? sim.lastStep), lastStep: sim.lastStep, focusModule: sim.scenario?.focusModule };
};

const problems = (text: string) =>
  text.split('\n').flatMap((l, i) => [...([...l].length > MAIL_WIDTH ? [`line ${i + 1} has ${[...l].length} columns: ${l}`] : []), ...(l.includes('\t') ? [`line ${i + 1} has a tab`] : [])]);

describe('mail text', () => {
  it('every design, alone and compared, fits 80 columns without tabs', () => {
    for (const d of DESIGNS) {
      expect(problems(formatMail(sideOf(d.id))), d.id).toEqual([]);
      expect(problems(formatMail({ ...sideOf(d.id), compare: sideOf('faux-suggestion') })), d.id).toEqual([]);
    }
  });

  it('has one udevadm line per device uevent, with MODALIAS and DRIVER', () => {
    for (const d of DESIGNS) {
      const side = sideOf(d.id);
      const text = formatMail(side);
      const lines = text.split('\n');
      const dev = side.snapshot.uevents.filter((u) => u.devpath.startsWith('/devices/'));
      expect(lines.filter((l) => /^KERNEL\[\d+\] /.test(l)), d.id).toHaveLength(dev.length);
      for (const u of dev) {
        const at = lines.findIndex((l) => l.startsWith(`KERNEL[${u.seq}] ${u.action} `));
        expect(at, `${d.id} seq ${u.seq}`).toBeGreaterThanOrEqual(0);
        // the event and its continuation lines (indented), without the spaces wrapping added
        let end = at + 1;
        while (lines[end]?.startsWith('    ')) end++;
        const entry = lines.slice(at, end).map((l) => l.trim()).join('').replace(/ /g, '');
        expect(entry, `${d.id} seq ${u.seq}`).toContain(`${u.action}${u.devpath}(${u.subsystem})`);
        for (const key of ['MODALIAS', 'DRIVER']) {
          const v = u.env.find(([k]) => k === key)?.[1];
          if (v) expect(entry, `${d.id} seq ${u.seq}`).toContain(`${key}=${v}`);
        }
      }
      // no bus or module events: only what the devices sent
      expect(text).not.toMatch(/^KERNEL\[\d+\] \w+ \/(bus|module)\//m);
    }
  });

  it('the tree shows each service device under its root with its bound driver', () => {
    const aux = formatMail(sideOf('auxiliary'));
    expect(aux).toContain('$ tree /sys/devices/platform ');
    expect(aux).toMatch(/^└── arm-smccc +\(platform bus, no driver\)$/m); // the unbound parent, shown
    expect(aux).toMatch(/^ {4}[├└]── arm_cca_guest\.arm-rsi-dev\.0 +\(auxiliary bus, driver arm_cca_guest\)$/m);
    const bus = formatMail(sideOf('smccc-bus'));
    expect(bus).toMatch(/^[├└]── arm-rsi +\(arm_smccc bus, driver arm_cca_guest\)$/m);
    expect(bus).toMatch(/^KERNEL\[\d+\] add \/devices\/arm-rsi \(arm_smccc\) MODALIAS=arm_smccc:fC4000190$/m);
    const faux = formatMail(sideOf('faux-suggestion'));
    expect(faux).toMatch(/arm-cca-dev +\(faux bus, driver faux_driver\)/);
    expect(faux).toContain('arm_cca_guest: not loaded');
    // before the boot reached the device: nothing yet
    expect(formatMail(sideOf('auxiliary', 0))).toContain('(no device uevents yet)');
  });

  it('the compare table marks what differs, per service', () => {
    const text = formatMail({ ...sideOf('auxiliary'), compare: sideOf('faux-suggestion') });
    const table = text.slice(text.indexOf('What each design makes'));
    expect(table).toMatch(/A: auxiliary +B: faux-suggestion/);
    expect(table).toMatch(/^\* MODALIAS +auxiliary:arm_cca_guest\. +none$/m);
    expect(table).toContain('RSI (Realm guest)');
    expect(table).toContain('* = differs between A and B');
  });

  it('wraps at a separator and never loses text', () => {
    const long = 'KERNEL[1] add /devices/' + 'a'.repeat(60) + '/' + 'b'.repeat(60);
    const parts = wrapLine(long);
    expect(parts.every((p) => p.length <= MAIL_WIDTH)).toBe(true);
    expect(parts.join('').replace(/ /g, '')).toBe(long.replace(/ /g, ''));
  });

  it('the CLI prints the same text with --format mail, and --compare adds the table', () => {
    const r = runCli(['auxiliary', '--format', 'mail']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(formatMail(sideOf('auxiliary')));
    const c = runCli(['auxiliary', '--format', 'mail', '--compare', 'faux']);
    expect(c.stdout).toContain('What each design makes of the firmware services');
    expect(runCli(['auxiliary', '--format', 'html']).code).toBe(2);
    expect(runCli(['auxiliary', '--format', 'mail', '--compare', 'nope']).stderr).toContain('unknown built-in scenario "nope"');
  });
});
