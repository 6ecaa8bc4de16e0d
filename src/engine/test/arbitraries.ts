/**
 * Scenario generators shared by the fuzzer (fuzz.test.ts) and the snapshot-index check
 * (views.test.ts): generated modules with hostile probes, and mutated built-in revisions, each
 * with random user actions.
 */
import fc from 'fast-check';
import { getBuiltinScenario, listBuiltins, type Scenario, type UserAction } from '..';

type Mod = Scenario['modules'][number];
type Act = NonNullable<Mod['init']>[number];

const NAMES = ['a', 'b', 'c', 'x'];
export const BUDGET = { maxEvents: 20_000, maxMillis: 3_000 };

const leaf: fc.Arbitrary<Act> = fc.oneof(
  fc.constantFrom<Act>({ op: 'return', errno: 'EPROBE_DEFER' }, { op: 'return', errno: 'ENODEV' }, { op: 'return', errno: 'EINVAL' }, { op: 'return', errno: 0 }),
  fc.constantFrom(...NAMES, '$dev').map((d): Act => ({ op: 'platform_device_unregister', device: d })),
  fc.constantFrom(...NAMES, '$dev').map((d): Act => ({ op: 'device_attach', device: d, orReturn: 'ignore' })),
  fc.constantFrom(...NAMES).map((n): Act => ({ op: 'platform_device_register_simple', name: n, id: 'AUTO', orReturn: 'ignore' })),
  fc.constantFrom(...NAMES).map((n): Act => ({ op: 'auxiliary_device_create', modname: 'm', name: n, devm: true, orReturn: 'ignore' })),
  fc.constantFrom(...NAMES).map((n): Act => ({ op: 'faux_device_create', name: n, orReturn: 'ignore', probe: [{ op: 'return', errno: 0 }] })),
  fc.constantFrom(...NAMES).map((d): Act => ({ op: 'defer_until', device: d })),
  fc.constant<Act>({ op: 'msleep', ms: 10 }),
  fc.constant<Act>({ op: 'dev_err_probe', errno: 'EPROBE_DEFER', message: 'waiting' }),
  fc.constant<Act>({ op: 'tsm_report_register', orReturn: 'ignore' }),
);
/** actions nested in ifs up to `depth` levels (conditions on facts, the device, the call count) */
const nested = (depth: number): fc.Arbitrary<Act> =>
  depth === 0
    ? leaf
    : fc.oneof(
      { weight: 3, arbitrary: leaf },
      {
        weight: 1,
        arbitrary: fc.record({ cond: fc.constantFrom<Partial<Extract<Act, { op: 'if' }>>>({ when: 'realm' }, { when: '!realm' }, { device: 'a' }, { call: 1 }, { call: 2 }), then: fc.array(nested(depth - 1), { maxLength: 2 }) })
          .map((x): Act => ({ op: 'if', ...x.cond, then: x.then } as Act)),
      },
    );
const body = fc.array(nested(6), { maxLength: 3 });

const moduleArb = (i: number): fc.Arbitrary<Mod> => fc.record({
  location: fc.constantFrom<Mod['location']>('builtin', 'module', 'module'),
  drvName: fc.constantFrom(...NAMES),
  probe: body,
  remove: fc.array(leaf, { maxLength: 1 }),
  aux: fc.boolean(),
  init: body,
}).map((m) => ({
  name: i === 0 ? 'm' : `m${i}`,
  location: m.location,
  ...(m.location === 'builtin' ? { initcall: 'device' as const } : {}),
  aliases: [`platform:${m.drvName}`],
  drivers: {
    p: { name: m.drvName, bus: 'platform', probe: m.probe, remove: m.remove },
    ...(m.aux ? { a: { bus: 'auxiliary', idTable: NAMES.map((n) => `m.${n}`), probe: m.probe } } : {}),
  },
  init: [{ op: 'platform_driver_register', driver: 'p', orReturn: 'ignore' }, ...(m.aux ? [{ op: 'auxiliary_driver_register', driver: 'a', orReturn: 'ignore' } as Act] : []), ...m.init],
}));

const userAction = (mods: string[]): fc.Arbitrary<UserAction> => fc.oneof(
  fc.record({ d: fc.constantFrom(...NAMES), f: fc.constantFrom('bind', 'unbind'), drv: fc.constantFrom(...NAMES) }).map((x): UserAction => ({ op: 'write', path: `/sys/bus/platform/drivers/${x.drv}/${x.f}`, value: `${x.d}\n` })),
  fc.record({ d: fc.constantFrom(...NAMES), v: fc.constantFrom('add', 'change', 'evil', '', 'add 12345678-1234-1234-1234-123456789abc K=v') }).map((x): UserAction => ({ op: 'write', path: `/sys/bus/platform/devices/${x.d}/uevent`, value: x.v })),
  fc.constantFrom(...mods).map((m): UserAction => ({ op: 'modprobe', module: m })),
  fc.constantFrom(...mods).map((m): UserAction => ({ op: 'rmmod', module: m })),
  fc.constantFrom(...NAMES).map((d): UserAction => ({ op: 'remove_device', device: d })),
  fc.constant<UserAction>({ op: 'read', path: '/sys/kernel/debug/devices_deferred' }),
  fc.constant<UserAction>({ op: 'udev_start' }),
  fc.constant<UserAction>({ op: 'udev_stop' }),
);

export const generated: fc.Arbitrary<Scenario> = fc.record({ n: fc.integer({ min: 1, max: 3 }), mods: fc.tuple(moduleArb(0), moduleArb(1), moduleArb(2)), kernel: fc.constantFrom('6.1', '6.18', '7.0', '7.4') })
  .chain((s) => {
    const modules = s.mods.slice(0, s.n);
    return fc.array(userAction(modules.map((m) => m.name)), { maxLength: 5 }).map((actions): Scenario => ({
      id: 'fuzz', title: 'fuzz', kernel: { version: s.kernel }, udev: { running: true },
      firmware: { description: 'dt', dt: [{ path: '/psci', compatible: ['arm,psci-1.0', 'arm,psci-0.2', 'arm,psci'], method: 'smc' }], psciVersion: '1.1', smcccVersion: '1.2', services: { rsi: { version: '1.0' }, trng: { version: '1.0' } } },
      modules, actions,
    }));
  });

/** a built-in revision with one of its modules' probes or inits mutated, and random actions */
export const mutatedBuiltin: fc.Arbitrary<Scenario> = fc.record({ id: fc.constantFrom(...listBuiltins().map((b) => b.id)), extra: fc.array(nested(4), { maxLength: 2 }), at: fc.nat(), where: fc.constantFrom('init', 'probe') })
  .chain((x) => fc.array(userAction(getBuiltinScenario(x.id).modules.map((m) => m.name)), { maxLength: 4 }).map((actions): Scenario => {
    const s = getBuiltinScenario(x.id);
    const m = s.modules[x.at % s.modules.length]!;
    const drv = Object.values(m.drivers ?? {})[0];
    if (x.where === 'probe' && drv) drv.probe = [...x.extra, ...(drv.probe ?? [])];
    else m.init = [...(m.init ?? []), ...x.extra];
    return { ...s, actions };
  }));

