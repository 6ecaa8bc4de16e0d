/**
 * Bad and hostile inputs for the CLI, each with what must happen: the exit code (0 ran, 2
 * refused, 3 stopped by a budget), a pattern the message must match (naming where and why),
 * and for runs, what the JSON must show. src/cli/hostile.test.ts runs every case; each must
 * finish within 10 s (the engine's own budgets stop runaway runs well before).
 */
import { getBuiltinScenario } from '../../src/engine/index';

export interface HostileCase {
  name: string;
  /** the file's contents (a string), or a path to use as it is (e.g. /dev/zero) */
  input: string | { path: string };
  args?: string[];
  code: 0 | 2 | 3;
  /** stderr must match (refusals), or stdout for runs */
  stderr?: RegExp;
  stdout?: RegExp;
  /** for runs with --json: a check on the parsed JSON; returns a failure reason or null */
  json?: (j: Record<string, unknown> & { actions: { rc: number | null }[]; devices: { name: string; driver: string | null }[]; stopped: { budget: string } | null; uevents: { env: Record<string, string> }[] }) => string | null;
}

const base = () => getBuiltinScenario('mainline') as unknown as Record<string, unknown> & { modules: unknown[]; firmware: Record<string, unknown> };
const S = (patch: (s: ReturnType<typeof base>) => void): string => {
  const s = base();
  patch(s);
  return JSON.stringify(s);
};
const withModules = (...modules: unknown[]) => S((s) => { s.modules = modules; });
const withActions = (...actions: unknown[]) => S((s) => { s.actions = actions; });
const builtin = (init: unknown[], extra: Record<string, unknown> = {}) => ({ name: 'm', location: 'builtin', initcall: 'device', init, ...extra });
const pdev = (name: string, extra: Record<string, unknown> = {}) => ({ op: 'platform_device_register_simple', name, id: 'NONE', ...extra });
const nestIfs = (n: number) => {
  let a: unknown = { op: 'log', message: 'deep' };
  for (let i = 0; i < n; i++) a = { op: 'if', when: 'realm', then: [a] };
  return a;
};

export const CORPUS: HostileCase[] = [
  // ---- files and syntax ------------------------------------------------------------------------
  { name: 'truncated JSON', input: '{ "id": ', code: 2, stderr: /:1:9: not valid JSON/ },
  { name: 'trailing comma', input: '{ "id": "x", }', code: 2, stderr: /:1:14: not valid JSON/ },
  { name: 'a comment', input: '{\n  // hello\n  "id": "x" }', code: 2, stderr: /:2:3: not valid JSON/ },
  { name: 'an empty file', input: '', code: 2, stderr: /:1:1: not valid JSON/ },
  { name: 'a byte-order mark', input: '\uFEFF{}', code: 2, stderr: /:1:1: not valid JSON/ },
  { name: 'NUL bytes', input: '{"id":\u0000"x"}', code: 2, stderr: /not valid JSON/ },
  { name: 'an array at the top', input: '[]', code: 2, stderr: /\(root\): .*expected object/i },
  { name: 'a number at the top', input: '42', code: 2, stderr: /\(root\)/ },
  { name: 'null at the top', input: 'null', code: 2, stderr: /\(root\)/ },
  { name: '/dev/zero', input: { path: '/dev/zero' }, code: 2, stderr: /\/dev\/zero is not a regular file/ },
  { name: 'a directory', input: { path: '/tmp/' }, code: 2, stderr: /is not a regular file/ },
  { name: 'a missing file', input: { path: '/nonexistent/x.json' }, code: 2, stderr: /cannot read \/nonexistent\/x\.json/ },
  { name: 'a 5 MB file', input: `{"pad":"${'x'.repeat(5 * 1024 * 1024)}"}`, code: 2, stderr: /bytes: scenarios are limited to 4194304 bytes/ },

  // ---- shape limits (before the schema) --------------------------------------------------------
  { name: '1000-deep nested arrays', input: `{"id":"x","deep":${'['.repeat(1000)}${']'.repeat(1000)}}`, code: 2, stderr: /deep(\[0\])+: nested more than 64 levels deep/ },
  { name: '700 nested ifs', input: withModules(builtin([nestIfs(700)])), code: 2, stderr: /modules\[0\]\.init\[0\](\.then\[0\])+: nested more than 64 levels deep/ },
  { name: 'a million-element array', input: S((s) => { s.modules = Array.from({ length: 1_000_000 }, () => 0); }), code: 2, stderr: /modules: an array of 1000000 items: the limit is 200000/ },
  { name: 'a million-character string', input: S((s) => { s.title = 'x'.repeat(1_000_000); }), code: 2, stderr: /title: a string of 1000000 characters: the limit is 10000/ },
  { name: 'an object with 150,000 keys', input: S((s) => { s.extra = Object.fromEntries(Array.from({ length: 150_000 }, (_, i) => [`k${i}`, i])); }), code: 2, stderr: /extra: an object with 150000 keys: the limit is 100000/ },
  { name: '10,000 invalid modules: the first 100 problems and a count', input: S((s) => { s.modules = Array.from({ length: 10_000 }, () => ({ name: '' })); }), code: 2, stderr: /… and \d+ more problems/ },

  // ---- prototype keys and plain-object lookups -------------------------------------------------
  { name: 'a driver keyed __proto__', input: withModules({ name: 'm', location: 'module', drivers: JSON.parse('{"__proto__": {"bus": "platform"}}'), init: [] }), code: 2, stderr: /modules\[0\]\.drivers\.__proto__: the key "__proto__" is not allowed/ },
  { name: '__proto__ at the top', input: '{"__proto__": {"polluted": true}}', code: 2, stderr: /__proto__: the key "__proto__" is not allowed/ },
  { name: 'a DT compatible "constructor" is not PSCI', input: S((s) => { s.firmware = { ...s.firmware, dt: [{ path: '/psci', compatible: ['constructor'], method: 'smc' }] }; }), args: ['--json'], code: 0, json: (j) => ((j.log as string[]).some((l) => l.startsWith('psci:')) ? 'took "constructor" for a PSCI node' : null) },
  { name: 'a DT compatible "__proto__"', input: S((s) => { s.firmware = { ...s.firmware, dt: [{ path: '/psci', compatible: ['__proto__'], method: 'smc' }] }; }), args: ['--json'], code: 0, json: (j) => ((j.log as string[]).some((l) => l.startsWith('psci:')) ? 'took "__proto__" for a PSCI node' : null) },
  { name: 'an errno named "constructor"', input: withModules(builtin([{ op: 'return', errno: 'constructor' }])), code: 2, stderr: /modules\[0\]\.init\[0\]\.errno: must be an errno name/ },
  { name: 'an errno name that does not exist', input: withModules(builtin([{ op: 'return', errno: 'EVALUEOF' }])), code: 2, stderr: /modules\[0\]\.init\[0\]\.errno: unknown errno "EVALUEOF"/ },
  { name: 'a driver key "constructor" works as a name', input: withModules({ name: 'm', location: 'builtin', initcall: 'device', drivers: { constructor: { name: 'constructor', bus: 'platform', probe: [] } }, init: [pdev('constructor'), { op: 'platform_driver_register', driver: 'constructor' }] }), args: ['--json'], code: 0, json: (j) => (j.devices.find((d) => d.name === 'constructor')?.driver === 'constructor' ? null : 'the driver keyed "constructor" did not bind') },
  { name: 'an undeclared driver "toString"', input: withModules(builtin([{ op: 'platform_driver_register', driver: 'toString' }])), code: 2, stderr: /modules\[0\]\.init\[0\]\.driver: module "m" declares no driver "toString"/ },

  // ---- schema and references -------------------------------------------------------------------
  { name: 'an unknown bus', input: withModules({ name: 'm', location: 'module', drivers: { d: { bus: 'cca', probe: [] } }, init: [] }), code: 2, stderr: /modules\[0\]\.drivers\.d\.bus: unknown bus "cca"/ },
  { name: 'a duplicate module name', input: withModules(builtin([]), builtin([])), code: 2, stderr: /modules\[1\]\.name: duplicate module name "m"/ },
  { name: 'a bus named like a kernel bus', input: S((s) => { s.buses = [{ name: 'platform', match: 'name', modaliasPrefix: null }]; }), code: 2, stderr: /buses\[0\]\.name: duplicate bus name "platform"/ },
  { name: 'an unknown op', input: withModules(builtin([{ op: 'rm_rf' }])), code: 2, stderr: /modules\[0\]\.init\[0\]/ },
  { name: 'an unknown fact', input: withModules(builtin([{ op: 'if', when: 'quantum', then: [] }])), code: 2, stderr: /modules\[0\]\.init\[0\]\.when: unknown fact "quantum"/ },
  { name: 'an "if" without a condition', input: withModules(builtin([{ op: 'if', then: [] }])), code: 2, stderr: /modules\[0\]\.init\[0\]: "if" needs "when", "device" or "call"/ },
  { name: 'no kernel version', input: S((s) => { delete s.kernel; }), code: 2, stderr: /kernel: required object is missing/ },
  { name: 'a kernel version of 20 digits', input: S((s) => { s.kernel = { version: '12345678901234567890.1' }; }), code: 2, stderr: /kernel\.version: must be "MAJOR\.MINOR"/ },
  { name: 'an ofNode not in the DT', input: withModules(builtin([pdev('x', { ofNode: '/nowhere' })])), code: 2, stderr: /modules\[0\]\.init\[0\]\.ofNode: no DT node "\/nowhere"/ },
  { name: 'a platform id near 2^53', input: withModules(builtin([pdev('x', { id: 9007199254740990 })])), code: 2, stderr: /modules\[0\]\.init\[0\]\.id/ },
  { name: 'idaStart near 2^53', input: S((s) => { s.buses = [{ name: 'b', match: 'name', modaliasPrefix: 'b:', deviceName: '{name}-{n}', idaStart: 9007199254740990 }]; }), code: 2, stderr: /buses\[0\]\.idaStart/ },
  { name: 'an errno of a million', input: withModules(builtin([{ op: 'return', errno: 1_000_000 }])), code: 2, stderr: /modules\[0\]\.init\[0\]\.errno/ },
  { name: 'msleep for a day', input: withModules(builtin([{ op: 'msleep', ms: 86_400_000 }])), code: 2, stderr: /modules\[0\]\.init\[0\]\.ms/ },
  { name: 'call 0', input: withModules(builtin([{ op: 'if', call: 0, then: [] }])), code: 2, stderr: /modules\[0\]\.init\[0\]\.call/ },
  { name: 'a negative "at"', input: withActions({ op: 'udev_start', at: -1 }), code: 2, stderr: /actions\[0\]\.at/ },
  { name: 'modprobe of a module not in the scenario', input: withActions({ op: 'modprobe', module: 'nope' }), code: 2, stderr: /actions\[0\]\.module: no module "nope"/ },
  { name: 'ids on a bus that matches names', input: S((s) => { s.buses = [{ name: 'b', match: 'name', modaliasPrefix: 'b:' }]; s.modules = [builtin([{ op: 'bus_register', bus: 'b' }, { op: 'device_register', bus: 'b', name: 'x', ids: { func_id: 1 } }])]; }), code: 2, stderr: /modules\[0\]\.init\[1\]\.ids: bus "b" does not match by ids/ },
  { name: 'an id field the bus does not have', input: S((s) => { s.buses = [{ name: 'b', match: 'ids', idFields: ['func_id'], modaliasPrefix: 'b:' }]; s.modules = [builtin([{ op: 'bus_register', bus: 'b' }, { op: 'device_register', bus: 'b', name: 'x', ids: { vendor: 1 } }])]; }), code: 2, stderr: /modules\[0\]\.init\[1\]\.ids\.vendor: bus "b" has no id field "vendor"/ },
  { name: 'an id that is not hex', input: S((s) => { s.buses = [{ name: 'b', match: 'ids', idFields: ['func_id'], modaliasPrefix: 'b:' }]; s.modules = [builtin([{ op: 'device_register', bus: 'b', name: 'x', ids: { func_id: '0xZZ' } }])]; }), code: 2, stderr: /ids\.func_id/ },
  { name: 'an id over 32 bits', input: S((s) => { s.buses = [{ name: 'b', match: 'ids', idFields: ['func_id'], modaliasPrefix: 'b:' }]; s.modules = [builtin([{ op: 'device_register', bus: 'b', name: 'x', ids: { func_id: 2 ** 33 } }])]; }), code: 2, stderr: /ids\.func_id: must fit in 32 bits/ },
  { name: 'a MODALIAS format with an unknown field', input: S((s) => { s.buses = [{ name: 'b', match: 'ids', idFields: ['func_id'], modaliasPrefix: 'b:', modaliasFormat: 'v{vendor:08X}' }]; }), code: 2, stderr: /buses\[0\]\.modaliasFormat: "\{vendor\}" is neither "name" nor one of idFields/ },
  { name: 'a reversed glob range in an alias', input: withModules({ name: 'm', location: 'module', aliases: ['platform:[z-a]*'], init: [] }), code: 2, stderr: /modules\[0\]\.aliases\[0\]: alias pattern "platform:\[z-a\]\*": the range z-a is reversed/ },
  { name: 'an unclosed glob class in an id table', input: withModules({ name: 'm', location: 'module', drivers: { d: { bus: 'platform', idTable: ['x[ab'], probe: [] } }, init: [] }), code: 2, stderr: /modules\[0\]\.drivers\.d\.idTable\[0\]: id "x\[ab" becomes an alias pattern: "\[" at 1 has no closing "\]"/ },
  { name: 'a control character in a validation message is escaped', input: withModules(builtin([{ op: 'if', when: 'realm\u001b[31m', then: [] }])), code: 2, stderr: /modules\[0\]\.init\[0\]\.when: must be a fact name/ },

  // ---- runs that must stop ---------------------------------------------------------------------
  { name: 'a probe loop (create a child, then defer)', input: withModules({ name: 'm', location: 'builtin', initcall: 'device', drivers: { p: { name: 'parent', bus: 'platform', probe: [{ op: 'auxiliary_device_create', modname: 'm', name: 'c', devm: true }, { op: 'return', errno: 'EPROBE_DEFER' }] }, c: { bus: 'auxiliary', idTable: ['m.c'], probe: [] } }, init: [{ op: 'auxiliary_driver_register', driver: 'c' }, { op: 'platform_driver_register', driver: 'p' }, pdev('parent')] }), code: 3, stderr: /stopped at event \d+: probe-loop budget/ },
  { name: 'a probe that creates what it matches, recursively', input: withModules({ name: 'm', location: 'builtin', drivers: { d: { name: 'loop', bus: 'platform', probe: [{ op: 'platform_device_register_simple', name: 'loop', id: 'AUTO' }] } }, init: [{ op: 'platform_driver_register', driver: 'd' }, { op: 'platform_device_register_simple', name: 'loop', id: 'AUTO' }] }), code: 3, stderr: /depth budget/ },
  { name: 'a probe that unregisters its own device deadlocks', input: withModules({ name: 'm', location: 'builtin', initcall: 'device', drivers: { d: { name: 'self', bus: 'platform', probe: [{ op: 'platform_device_unregister', device: '$dev' }] } }, init: [{ op: 'platform_driver_register', driver: 'd' }, pdev('self')] }), args: ['--json'], code: 3, json: (j) => (j.stopped?.budget === 'deadlock' ? null : `stopped: ${JSON.stringify(j.stopped)}`) },
  { name: 'a faux probe that destroys its own device deadlocks', input: withModules(builtin([{ op: 'faux_device_create', name: 'fx', probe: [{ op: 'faux_device_destroy', device: '$dev' }] }])), code: 3, stderr: /deadlock budget/ },
  { name: 'a remove() that unregisters its own device deadlocks', input: S((s) => { s.modules = [{ name: 'm', location: 'builtin', initcall: 'device', drivers: { d: { name: 'self', bus: 'platform', probe: [], remove: [{ op: 'platform_device_unregister', device: '$dev' }] } }, init: [{ op: 'platform_driver_register', driver: 'd' }, pdev('self')] }]; s.actions = [{ op: 'unbind', device: 'self' }]; }), code: 3, stderr: /deadlock budget/ },
  { name: '1000 drivers x 3000 devices that all match', input: withModules({ name: 'm', location: 'builtin', initcall: 'device', drivers: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`d${i}`, { name: `drv${i}`, bus: 'platform', idTable: ['x'], probe: [{ op: 'return', errno: 'ENXIO' }] }])), init: [...Array.from({ length: 1000 }, (_, i) => ({ op: 'platform_driver_register', driver: `d${i}` })), ...Array.from({ length: 3000 }, (_, i) => pdev('x', { id: i }))] }), code: 3, stderr: /events budget/ },

  // ---- runs that must just run, correctly ------------------------------------------------------
  { name: 'a pathological glob alias against a long MODALIAS', input: withModules(builtin([pdev('a'.repeat(5000))]), { name: 'g', location: 'module', aliases: [`platform:${'*a'.repeat(40)}*b`], init: [] }), args: ['--json'], code: 0, json: (j) => ((j.modules as { name: string; state: string }[]).find((m) => m.name === 'g')?.state === 'not-loaded' ? null : 'the glob matched') },
  { name: 'echo evil > uevent is -EINVAL', input: withActions({ op: 'write', path: '/sys/devices/platform/arm-cca-dev/uevent', value: 'evil\n' }), args: ['--json'], code: 0, json: (j) => (j.actions[0]?.rc === -22 && !j.uevents.some((u) => u.env.ACTION === 'evil') ? null : 'not refused') },
  { name: 'an empty write to uevent is -EINVAL', input: withActions({ op: 'write', path: '/sys/devices/platform/arm-cca-dev/uevent', value: '\n' }), args: ['--json'], code: 0, json: (j) => (j.actions[0]?.rc === -22 ? null : `rc ${j.actions[0]?.rc}`) },
  { name: 'uevent with a malformed UUID is -EINVAL', input: withActions({ op: 'write', path: '/sys/devices/platform/arm-cca-dev/uevent', value: 'add not-a-uuid\n' }), args: ['--json'], code: 0, json: (j) => (j.actions[0]?.rc === -22 ? null : `rc ${j.actions[0]?.rc}`) },
  { name: 'uevent with a UUID and arguments', input: withActions({ op: 'write', path: '/sys/devices/platform/arm-cca-dev/uevent', value: 'change fe4d7c9d-b8c6-4a70-9ef1-3d8a58d18eed A=1 B=abc\n' }), args: ['--json'], code: 0, json: (j) => (j.uevents.some((u) => u.env.SYNTH_UUID === 'fe4d7c9d-b8c6-4a70-9ef1-3d8a58d18eed' && u.env.SYNTH_ARG_A === '1' && u.env.SYNTH_ARG_B === 'abc') ? null : 'no SYNTH_ARG_*') },
  { name: 'evil to a driver\'s uevent is -EINVAL', input: withActions({ op: 'write', path: '/sys/bus/platform/drivers/smccc_trng/uevent', value: 'evil' }), args: ['--json'], code: 0, json: (j) => (j.actions[0]?.rc === -22 ? null : `rc ${j.actions[0]?.rc}`) },
  { name: 'a newline in a device name cannot forge a MODALIAS line', input: withModules(builtin([pdev('a\nMODALIAS=platform:evil')])), code: 0, stdout: /a\\nMODALIAS=platform:evil/ },
  { name: 'an ANSI escape in a device name is shown escaped', input: withModules(builtin([pdev('x\u001b[31mred')])), code: 0, stdout: /x\\x1b\[31mred/ },
  { name: '"$&" in a name on a data-defined bus stays literal', input: S((s) => { s.buses = [{ name: 'b', match: 'name', modaliasPrefix: 'b:', deviceName: '{name}-{n}', idaStart: 1 }]; s.modules = [{ name: 'bb', location: 'builtin', initcall: 'subsys', init: [{ op: 'bus_register', bus: 'b' }] }, builtin([{ op: 'device_register', bus: 'b', name: '$&x' }])]; }), args: ['--json'], code: 0, json: (j) => (j.devices.some((d) => d.name === '$&x-1') ? null : 'the name was rewritten') },
  { name: 'bind without a trailing newline works', input: S((s) => { s.modules = [builtin([pdev('foo')]), { name: 'd', location: 'builtin', initcall: 'late', drivers: { d: { name: 'foo', bus: 'platform', probe: [] } }, init: [{ op: 'platform_driver_register', driver: 'd' }] }]; s.actions = [{ op: 'write', path: '/sys/bus/platform/drivers/foo/unbind', value: 'foo' }, { op: 'write', path: '/sys/bus/platform/drivers/foo/bind', value: 'foo' }]; }), args: ['--json'], code: 0, json: (j) => (j.actions.map((a) => a.rc).join() === '0,0' ? null : `rcs ${j.actions.map((a) => a.rc).join()}`) },
  { name: 'a write to a file sysfs does not have', input: withActions({ op: 'write', path: '/sys/devices/platform/arm-cca-dev/evil', value: '1' }), args: ['--json'], code: 0, json: (j) => (j.actions[0]?.rc === -13 ? null : `rc ${j.actions[0]?.rc}`) },
  { name: 'HTML in names is data', input: withModules(builtin([pdev('<img src=x onerror=alert(1)>')])), args: ['--json'], code: 0, json: (j) => (j.devices.some((d) => d.name === '<img src=x onerror=alert(1)>') ? null : 'name changed') },
];
