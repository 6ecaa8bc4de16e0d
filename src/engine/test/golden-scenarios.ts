/**
 * The real-kernel golden traces (test/golden, Debian 6.1.0-56-amd64 under QEMU) as bindscope
 * scenarios. Each Gn is what the `bsgold` test module did: a loadable module whose init makes the
 * same driver-core calls in the same order (read from the module's own log in GN.txt), loaded by
 * `modprobe` with udev not running (no coldplug, no autoload noise), then the shell's sysfs
 * commands exactly as recorded in sysfs_writes.json, then `rmmod` with the module's exit calls.
 *
 * The BSGOLD_MARK uevents the module emitted between calls are not driver-core behaviour and are
 * not modelled; the replay test skips them.
 */
import type { KernelAction, ModuleDef, Scenario, UserAction } from '../scenario/schema';
import sysfsWrites from '../../../test/golden/sysfs_writes.json';

export type GoldenId = 'G1' | 'G2' | 'G3' | 'G5' | 'G7';
export const GOLDEN_IDS: GoldenId[] = ['G1', 'G2', 'G3', 'G5', 'G7'];

export interface GoldenWrite {
  action: string;
  cmd: string;
  output: string[];
  rc: number;
}

/** one recorded shell command line and the scenario actions it became */
export interface GoldenStep {
  write: GoldenWrite;
  /** the `;`-separated commands: an index into scenario.actions, and the `|| b` not run if it succeeded */
  parts: { action: number; orElse?: string }[];
}

export interface GoldenCase {
  id: GoldenId;
  scenario: Scenario;
  /** index of the `modprobe bsgold` action (the golden traces start there) */
  modprobeAction: number;
  steps: GoldenStep[];
}

/**
 * The guest already had `alarmtimer.0.auto` (kernel/time/alarmtimer.c registers platform device
 * "alarmtimer" with PLATFORM_DEVID_AUTO at boot), so the AUTO ids the module got began at 1.
 */
function alarmtimer(): ModuleDef {
  return {
    name: 'alarmtimer',
    location: 'builtin',
    initcall: 'device',
    source: 'kernel/time/alarmtimer.c:alarmtimer_rtc_add_device',
    init: [{ op: 'platform_device_register_simple', name: 'alarmtimer', id: 'AUTO' }],
  };
}

/** a platform driver of bsgold whose probe and remove only log (the module's probe returned 0) */
function plainPlatformDriver(name: string, idTable?: string[]) {
  return { name, bus: 'platform', probe: [], remove: [], ...(idTable ? { idTable } : {}) };
}

/** bsgold's module definition for each scenario, transcribed from the module's log in GN.txt */
const MODULES: Record<GoldenId, Pick<ModuleDef, 'drivers' | 'init' | 'exit'>> = {
  // G1: platform_device_register_simple("bsg-foo", -1); platform_driver_register("bsg-foo").
  // exit: platform_device_unregister(bsg-foo); platform_driver_unregister("bsg-foo").
  G1: {
    drivers: { 'bsg-foo': plainPlatformDriver('bsg-foo') },
    init: [
      { op: 'platform_device_register_simple', name: 'bsg-foo', id: 'NONE' },
      { op: 'platform_driver_register', driver: 'bsg-foo' },
    ],
    exit: [
      { op: 'platform_device_unregister', device: 'bsg-foo' },
      { op: 'platform_driver_unregister', driver: 'bsg-foo' },
    ],
  },
  // G2: the driver first, then the device; exit unregisters the driver first.
  G2: {
    drivers: { 'bsg-foo': plainPlatformDriver('bsg-foo') },
    init: [
      { op: 'platform_driver_register', driver: 'bsg-foo' },
      { op: 'platform_device_register_simple', name: 'bsg-foo', id: 'NONE' },
    ],
    exit: [
      { op: 'platform_driver_unregister', driver: 'bsg-foo' },
      { op: 'platform_device_unregister', device: 'bsg-foo' },
    ],
  },
  // G3: ids 3, AUTO, AUTO, NONE, 0; "bsg/slash" NONE; "bsg-m" AUTO; then driver "bsg-n".
  // exit: every device in registration order, then the driver.
  G3: {
    drivers: { 'bsg-n': plainPlatformDriver('bsg-n') },
    init: [
      { op: 'platform_device_register_simple', name: 'bsg-n', id: 3 },
      { op: 'platform_device_register_simple', name: 'bsg-n', id: 'AUTO' },
      { op: 'platform_device_register_simple', name: 'bsg-n', id: 'AUTO' },
      { op: 'platform_device_register_simple', name: 'bsg-n', id: 'NONE' },
      { op: 'platform_device_register_simple', name: 'bsg-n', id: 0 },
      { op: 'platform_device_register_simple', name: 'bsg/slash', id: 'NONE' },
      { op: 'platform_device_register_simple', name: 'bsg-m', id: 'AUTO' },
      { op: 'platform_driver_register', driver: 'bsg-n' },
    ],
    exit: [
      // the module kept the platform_device pointers; these are their dev_name()s
      ...['bsg-n.3', 'bsg-n.1.auto', 'bsg-n.2.auto', 'bsg-n', 'bsg-n.0', 'bsg!slash', 'bsg-m.3.auto'].map(
        (device): KernelAction => ({ op: 'platform_device_unregister', device }),
      ),
      { op: 'platform_driver_unregister', driver: 'bsg-n' },
    ],
  },
  // G5: device "bsg-foo5"; driver "bsg-foo5" with id_table {"bsg-bar5"}; device "bsg-bar5".
  // exit: unregister bsg-foo5, bsg-bar5, then the driver.
  G5: {
    drivers: { 'bsg-foo5': plainPlatformDriver('bsg-foo5', ['bsg-bar5']) },
    init: [
      { op: 'platform_device_register_simple', name: 'bsg-foo5', id: 'NONE' },
      { op: 'platform_driver_register', driver: 'bsg-foo5' },
      { op: 'platform_device_register_simple', name: 'bsg-bar5', id: 'NONE' },
    ],
    exit: [
      { op: 'platform_device_unregister', device: 'bsg-foo5' },
      { op: 'platform_device_unregister', device: 'bsg-bar5' },
      { op: 'platform_driver_unregister', driver: 'bsg-foo5' },
    ],
  },
  // G7: auxiliary_driver_register (.name unset → "bsgold", id_table {"bsgold.child"});
  // platform_device_register_simple("bsg-parent", -1); platform_driver_register("bsg-parent"), whose
  // probe does auxiliary_device_init(name "child", id 0) + auxiliary_device_add() +
  // devm_add_action_or_reset(delete + uninit); a second unnamed auxiliary driver (-EBUSY, ignored).
  // exit: platform_driver_unregister("bsg-parent"), platform_device_unregister(bsg-parent),
  // auxiliary_driver_unregister.
  G7: {
    drivers: {
      aux: { bus: 'auxiliary', idTable: ['bsgold.child'], probe: [], remove: [] },
      aux2: { bus: 'auxiliary', idTable: ['bsgold.child'], probe: [], remove: [] },
      'bsg-parent': {
        name: 'bsg-parent',
        bus: 'platform',
        probe: [{ op: 'auxiliary_device_add', name: 'child', id: 0, parent: '$dev', devm: true }],
        remove: [],
      },
    },
    init: [
      { op: 'auxiliary_driver_register', driver: 'aux' },
      { op: 'platform_device_register_simple', name: 'bsg-parent', id: 'NONE' },
      { op: 'platform_driver_register', driver: 'bsg-parent' },
      { op: 'auxiliary_driver_register', driver: 'aux2', orReturn: 'ignore' },
    ],
    exit: [
      { op: 'platform_driver_unregister', driver: 'bsg-parent' },
      { op: 'platform_device_unregister', device: 'bsg-parent' },
      { op: 'auxiliary_driver_unregister', driver: 'aux' },
    ],
  },
};

/**
 * One recorded shell command → scenario actions. Supports exactly what the capture script ran:
 * `echo X > P` (writes "X\n"), `echo > P` ("\n"), `printf X > P` ("X"), `cat P`, `readlink P`,
 * joined by `;` and `a || b`. Throws on anything else, so a new golden cannot be silently
 * mistranslated. For `a || b` only `a` becomes an action and `b` is returned as `orElse`: the shell
 * runs `b` only if `a` fails, and the replay test asserts that `a` succeeded in the engine too.
 */
export function shellToActions(cmd: string): { action: UserAction; orElse?: string }[] {
  const one = (c: string): UserAction => {
    let m = /^echo(?: (\S+))? > (\/sys\/\S+)$/.exec(c);
    if (m) return { op: 'write', path: m[2]!, value: `${m[1] ?? ''}\n` };
    m = /^printf (\S+) > (\/sys\/\S+)$/.exec(c);
    if (m) return { op: 'write', path: m[2]!, value: m[1]! };
    m = /^(?:cat|readlink) (\/sys\/\S+)$/.exec(c);
    if (m) return { op: 'read', path: m[1]! };
    throw new Error(`golden command not understood: "${c}" in "${cmd}"`);
  };
  return cmd.split(';').map((s) => s.trim()).filter(Boolean).map((seq) => {
    const [first, ...rest] = seq.split('||').map((s) => s.trim());
    if (rest.length > 1) throw new Error(`golden command not understood: "${seq}"`);
    rest.forEach(one); // validate the alternative's syntax too
    return { action: one(first!), ...(rest[0] ? { orElse: rest[0] } : {}) };
  });
}

export function goldenCase(id: GoldenId): GoldenCase {
  const writes = (sysfsWrites as Record<string, GoldenWrite[]>)[id] ?? [];
  const actions: UserAction[] = [{ op: 'modprobe', module: 'bsgold' }];
  const steps: GoldenStep[] = writes.map((write) => ({
    write,
    parts: shellToActions(write.cmd).map((p) => ({ action: actions.push(p.action) - 1, ...(p.orElse ? { orElse: p.orElse } : {}) })),
  }));
  actions.push({ op: 'rmmod', module: 'bsgold' });
  const scenario: Scenario = {
    id: `golden-${id.toLowerCase()}`,
    title: `Golden ${id}: bsgold scenario ${id.slice(1)} on Linux 6.1`,
    source: 'test/golden (Debian 6.1.0-56-amd64 under QEMU)',
    design: 'custom',
    kernel: { version: '6.1' },
    // an x86 guest: no PSCI, no SMCCC services; only the driver core matters here
    firmware: { description: 'dt', dt: [], psciVersion: '1.0', smcccVersion: '1.0', services: {} },
    udev: { running: false },
    modules: [alarmtimer(), { name: 'bsgold', location: 'module', source: 'test/golden bsgold.ko', ...MODULES[id] }],
    actions,
  };
  return { id, scenario, modprobeAction: 0, steps };
}
