/**
 * The benchmark's generated scenario (bench/run.ts, the UI's `?bench=N` hook): n platform
 * devices in a mix like a real machine's, built in one pass (linear in n: no lookups over what
 * was generated so far).
 *
 * Of every 50 devices (index i, r = i % 50):
 * - r 0..19  "group" devices `grp<g>.<i>`, matched by driver name (platform_match() step 4):
 *            built-in drivers of ~10 devices each; even groups register at subsys (before their
 *            devices), odd groups at late (after: bus_add_driver → driver_attach binds them then);
 * - r 20..39 "ip" devices `ip<i>`, matched by id_table: drivers of 4 devices each, 4 drivers per
 *            loadable module (file2alias aliases `platform:ip<i>`), so udev loads the modules by
 *            alias from the devices' uevents; each probe creates a devm auxiliary child
 *            `bench.c<i>.0` under its bound parent (auxiliary_device_create), bound by built-in
 *            auxiliary drivers; one probe in 100 devices waits (defer_until) for a child created
 *            later, so deferred probe retries it;
 * - r 40     OF devices `of<i>` with a DT node `/soc/bench@<i>` (compatible `bench,of<k>`),
 *            matched by of_match_table of drivers in loadable modules (alias `of:N*T*Cbench,of<k>`);
 * - r 41..42 faux devices `fx<i>` (faux_device_create in a late built-in's init: bound at once);
 * - r 43..49 more group devices.
 *
 * Userspace then unbinds and rebinds one device, and unloads and reloads one module.
 */
import type { Scenario } from '../src/engine';

type Mod = Scenario['modules'][number];
type Drv = NonNullable<Mod['drivers']>[string];
type Act = NonNullable<Mod['init']>[number];
type DtNode = NonNullable<Scenario['firmware']['dt']>[number];

/** devices per group driver, per id_table driver, drivers per loadable module */
const GROUP = 10;
const IP_PER_DRIVER = 4;
const DRIVERS_PER_MODULE = 4;
const OF_PER_DRIVER = 2;
const AUX_PER_DRIVER = 10;

/** the scenario with n platform devices (plus the auxiliary children of the id_table ones) */
export function benchScenario(n: number): Scenario {
  if (!Number.isInteger(n) || n < 1) throw new Error(`benchScenario: n must be a positive integer, got ${n}`);
  const groupCount = Math.max(1, Math.ceil((n * 27) / 50 / GROUP));
  const dt: DtNode[] = [{ path: '/psci', compatible: ['arm,psci-1.0', 'arm,psci-0.2', 'arm,psci'], method: 'smc' }];
  const devices: Act[] = [];
  const faux: Act[] = [];
  const groupEarly: Record<string, Drv> = {};
  const groupEarlyInit: Act[] = [];
  const groupLate: Record<string, Drv> = {};
  const groupLateInit: Act[] = [];
  for (let g = 0; g < groupCount; g++) {
    const [drivers, init] = g % 2 === 0 ? [groupEarly, groupEarlyInit] : [groupLate, groupLateInit];
    drivers[`grp${g}`] = { bus: 'platform', probe: [{ op: 'log', message: `grp${g}: probed` }] };
    init.push({ op: 'platform_driver_register', driver: `grp${g}` });
  }
  const auxDrivers: Record<string, Drv> = {};
  const auxInit: Act[] = [];
  const modules: Mod[] = [];
  // the loadable module being filled (id_table drivers), the driver being filled
  let mod: Mod | null = null;
  let ipTable: string[] = [];
  let ipProbe: Act[] = [];
  let ipDrivers = 0;
  let auxTable: string[] = [];
  let auxCount = 0;
  let ofTable: string[] = [];
  let ofDrivers = 0;
  let ofMod: Mod | null = null;
  let groupDev = 0;

  const flushIp = () => {
    if (!ipTable.length) return;
    if (!mod || Object.keys(mod.drivers!).length === DRIVERS_PER_MODULE) {
      mod = { name: `bench_ip${modules.length}`, location: 'module', drivers: {}, init: [] };
      modules.push(mod);
    }
    const key = `ip_drv${ipDrivers++}`;
    mod.drivers![key] = { bus: 'platform', idTable: ipTable, probe: ipProbe };
    mod.init!.push({ op: 'platform_driver_register', driver: key });
    ipTable = [];
    ipProbe = [];
  };
  const flushAux = () => {
    if (!auxTable.length) return;
    const key = `baux${auxCount++}`;
    auxDrivers[key] = { bus: 'auxiliary', name: key, idTable: auxTable, probe: [] };
    auxInit.push({ op: 'auxiliary_driver_register', driver: key });
    auxTable = [];
  };
  const flushOf = () => {
    if (!ofTable.length) return;
    if (!ofMod || Object.keys(ofMod.drivers!).length === DRIVERS_PER_MODULE) {
      ofMod = { name: `bench_of${modules.length}`, location: 'module', drivers: {}, init: [] };
      modules.push(ofMod);
    }
    const key = `of_drv${ofDrivers++}`;
    ofMod.drivers![key] = { bus: 'platform', name: `bench-of${ofDrivers - 1}`, ofMatch: ofTable, probe: [] };
    ofMod.init!.push({ op: 'platform_driver_register', driver: key });
    ofTable = [];
  };

  for (let i = 0; i < n; i++) {
    const r = i % 50;
    if (r < 20 || r >= 43) {
      const g = groupDev++ % groupCount;
      devices.push({ op: 'platform_device_register_simple', name: `grp${g}`, id: i });
    } else if (r < 40) {
      // an id_table device: its driver's probe creates an auxiliary child; one in 100 defers
      // until a later device's child exists (that child appears after this probe ran)
      devices.push({ op: 'platform_device_register_simple', name: `ip${i}`, id: 'NONE' });
      const then: Act[] = [];
      if (i % 100 === 21 && i + 2 < n) then.push({ op: 'defer_until', device: `bench.c${i + 2}.0` });
      then.push({ op: 'auxiliary_device_create', modname: 'bench', name: `c${i}`, id: 0, devm: true });
      ipProbe.push({ op: 'if', device: `ip${i}`, then });
      ipTable.push(`ip${i}`);
      auxTable.push(`bench.c${i}`);
      if (ipTable.length === IP_PER_DRIVER) flushIp();
      if (auxTable.length === AUX_PER_DRIVER) flushAux();
    } else if (r === 40) {
      const path = `/soc/bench@${i}`;
      const compat = `bench,of${i}`;
      dt.push({ path, compatible: [compat] });
      devices.push({ op: 'platform_device_register_simple', name: `of${i}`, id: 'NONE', ofNode: path });
      ofTable.push(compat);
      if (ofTable.length === OF_PER_DRIVER) flushOf();
    } else {
      faux.push({ op: 'faux_device_create', name: `fx${i}` });
    }
  }
  flushIp();
  flushAux();
  flushOf();
  return {
    id: `bench-${n}`,
    title: `bench: ${n} platform devices`,
    kernel: { version: '6.18' },
    firmware: { description: 'dt', dt, psciVersion: '1.1', smcccVersion: '1.2', services: {} },
    udev: { running: true },
    modules: [
      { name: 'bench_groups', location: 'builtin', initcall: 'subsys', drivers: groupEarly, init: groupEarlyInit },
      { name: 'bench_aux', location: 'builtin', initcall: 'subsys', drivers: auxDrivers, init: auxInit },
      { name: 'bench_devices', location: 'builtin', initcall: 'device', init: devices },
      { name: 'bench_late', location: 'builtin', initcall: 'late', drivers: groupLate, init: [...groupLateInit, ...faux] },
      ...modules,
    ],
    actions: [
      { op: 'write', path: '/sys/bus/platform/drivers/grp0/unbind', value: 'grp0.0' },
      { op: 'write', path: '/sys/bus/platform/drivers/grp0/bind', value: 'grp0.0' },
      ...(modules.length ? [{ op: 'rmmod' as const, module: modules[0]!.name }, { op: 'modprobe' as const, module: modules[0]!.name }] : []),
    ],
  };
}
