/**
 * The scenario the trace-identity test pins (trace-identity.test.ts), frozen: a copy of the
 * benchmark's first generator, so the benchmark's own scenario (bench/scenario.ts) can change
 * without moving the pinned hash. It is: n platform devices, half in name-matched
 * groups of ~10 per driver, half "solo" devices each matched by its own id_table driver in a
 * loadable module (udev autoload); solo probes create devm auxiliary children bound by auxiliary
 * drivers; every 100th solo probe waits (defer_until) for the next solo's child.
 */
import type { Scenario } from '..';

type Mod = Scenario['modules'][number];
type Drv = NonNullable<Mod['drivers']>[string];
type Act = NonNullable<Mod['init']>[number];

/** the scenario with n platform devices */
export function pinnedScenario(n: number): Scenario {
  const groups = Math.max(1, Math.floor(n / 20)); // name-matched drivers, ~10 devices each
  const devices: Act[] = [];
  const groupDrivers: Record<string, Drv> = {};
  const groupInit: Act[] = [];
  const soloDrivers: Record<string, Drv> = {};
  const soloInit: Act[] = [];
  const auxDrivers: Record<string, Drv> = {};
  const auxInit: Act[] = [];
  for (let g = 0; g < groups; g++) {
    groupDrivers[`grp${g}`] = { bus: 'platform', probe: [{ op: 'log', message: `grp${g} probed` }] };
    groupInit.push({ op: 'platform_driver_register', driver: `grp${g}` });
  }
  let auxTable: string[] = [];
  let auxCount = 0; // Object.keys(auxDrivers).length per flush made the generator quadratic
  const flushAux = () => {
    const key = `baux${auxCount++}`;
    auxDrivers[key] = { bus: 'auxiliary', name: key, idTable: auxTable, probe: [] };
    auxInit.push({ op: 'auxiliary_driver_register', driver: key });
    auxTable = [];
  };
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      // group device: pdev->name grp<g>, instance id i → "grp<g>.<i>", matched by driver name
      devices.push({ op: 'platform_device_register_simple', name: `grp${(i / 2) % groups}`, id: i });
      continue;
    }
    // solo device: unique name, its own id_table driver in a loadable module (udev autoload);
    // probe creates a devm auxiliary child; every 100th waits for the next solo's child
    devices.push({ op: 'platform_device_register_simple', name: `solo${i}`, id: i % 10 === 1 ? 'AUTO' : 'NONE' });
    const probe: Act[] = [];
    if (i % 100 === 1 && i + 2 < n) probe.push({ op: 'defer_until', device: `bench.c${i + 2}.0` });
    probe.push({ op: 'auxiliary_device_create', modname: 'bench', name: `c${i}`, id: 0, devm: true });
    soloDrivers[`solo_drv${i}`] = { bus: 'platform', idTable: [`solo${i}`], probe };
    soloInit.push({ op: 'platform_driver_register', driver: `solo_drv${i}` });
    auxTable.push(`bench.c${i}`);
    if (auxTable.length === 10) flushAux();
  }
  if (auxTable.length) flushAux();
  const modules: Mod[] = [
    { name: 'bench_groups', location: 'builtin', initcall: 'subsys', drivers: groupDrivers, init: groupInit },
    { name: 'bench_aux', location: 'builtin', initcall: 'subsys', drivers: auxDrivers, init: auxInit },
    { name: 'bench_devices', location: 'builtin', initcall: 'device', init: devices },
    { name: 'bench_solo', location: 'module', drivers: soloDrivers, init: soloInit },
  ];
  return {
    id: `bench-${n}`,
    title: `bench: ${n} platform devices`,
    kernel: { version: '6.18' },
    firmware: { description: 'dt', dt: [], psciVersion: '1.1', smcccVersion: '1.2', services: {} },
    udev: { running: true },
    modules,
    actions: [
      { op: 'write', path: '/sys/bus/platform/drivers/grp0/unbind', value: 'grp0.0' },
      { op: 'write', path: '/sys/bus/platform/drivers/grp0/bind', value: 'grp0.0' },
      { op: 'rmmod', module: 'bench_solo' },
      { op: 'modprobe', module: 'bench_solo' },
    ],
  };
}
