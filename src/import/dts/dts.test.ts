import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importDts, parseDts, formatError, type DtsError } from './index';
import { pathOf, prop, stringList, u32Cells, walk, nodeByPath, type DtNode, type DtTree } from './tree';

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/dts');

function fixtureFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) visit(p);
      else if (/\.(dts|dtsi|h)$/.test(f)) out[relative(FIXTURES, p)] = readFileSync(p, 'utf8');
    }
  };
  visit(FIXTURES);
  return out;
}

function tree(src: string, extra: Record<string, string> = {}): DtTree {
  const r = parseDts({ 'main.dts': src, ...extra }, 'main.dts', { includeDirs: ['include'] });
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  return r.tree;
}

function errorsOf(src: string, extra: Record<string, string> = {}): DtsError[] {
  const r = parseDts({ 'main.dts': src, ...extra }, 'main.dts', { includeDirs: ['include'] });
  if (r.ok) throw new Error('expected errors, the source parsed');
  return r.errors;
}

const node = (t: DtTree, path: string): DtNode => {
  const n = nodeByPath(t.root, path);
  if (!n) throw new Error(`no ${path}`);
  return n;
};
const cells = (t: DtTree, path: string, p: string) => u32Cells(prop(node(t, path), p));
const strs = (t: DtTree, path: string, p: string) => stringList(prop(node(t, path), p), t.root);

describe('DTS parser: constructs', () => {
  it('headers, /memreserve/, /plugin/ and the root node', () => {
    const t = tree('/dts-v1/;\n/memreserve/ 0x80000000 0x10000;\n/ { model = "m"; };');
    expect(t.memreserve).toEqual([{ address: 0x80000000n, size: 0x10000n }]);
    expect(strs(t, '/', 'model')).toEqual(['m']);
    expect(tree('/dts-v1/;\n/plugin/;\n&missing { x; };').plugin).toBe(true);
  });

  it('strings, string lists with escapes, empty properties', () => {
    const t = tree('/dts-v1/;\n/ { compatible = "a,b", "c\\td\\x41\\101\\""; dma-coherent; };');
    expect(strs(t, '/', 'compatible')).toEqual(['a,b', 'c\tdAA"']);
    expect(prop(node(t, '/'), 'dma-coherent')!.value).toBeNull();
  });

  it('cells: hex, decimal, octal, char literals, expressions in parentheses with C precedence', () => {
    const t = tree("/dts-v1/;\n/ { a = <0x10 10 010 'A'>; b = <(1 + 2 * 3) (10 - 2 - 3) (1 << 4 | 1) ((3 > 2) ? 7 : 9) (~0) (-1) (7 / 2) (7 % 4) (2 < 3 && 0 || 1)>; };");
    expect(cells(t, '/', 'a')).toEqual([16, 10, 8, 65]);
    expect(cells(t, '/', 'b')).toEqual([7, 5, 17, 7, 0xffffffff, 0xffffffff, 3, 3, 1]);
  });

  it('bytes, /bits/ 8, 16 and 64, mixed values, labels on properties and values', () => {
    const t = tree('/dts-v1/;\n/ { b = [00 0a ff 10]; c = /bits/ 8 <1 255>; d = /bits/ 16 <0xabcd>; e = /bits/ 64 <0x100000000>; lp: m = "s", vstart: <1 vmid: 2> vend:; };');
    expect(cells(t, '/', 'b')).toEqual([0x000aff10]);
    const c = prop(node(t, '/'), 'c')!.value![0]!;
    expect(c.kind === 'cells' && c.bits === 8 && c.cells.map((x) => x.kind === 'num' && Number(x.value))).toEqual([1, 255]);
    const e = prop(node(t, '/'), 'e')!.value![0]!;
    expect(e.kind === 'cells' && e.bits === 64 && e.cells[0]!.kind === 'num' && e.cells[0]!.value).toBe(0x100000000n);
    expect(prop(node(t, '/'), 'm')!.labels).toEqual(['lp']);
    expect(prop(node(t, '/'), 'm')!.value!.map((v) => v.kind)).toEqual(['string', 'cells']);
  });

  it('labels, &label and &{/path} overrides, phandle and path references', () => {
    const t = tree('/dts-v1/;\n/ { bus { u0: uart@1 { status = "okay"; }; }; a { p = <&u0 1>; q = &u0; }; };\n&u0 { status = "disabled"; extra; };\n&{/bus/uart@1} { more = <2>; };');
    expect(strs(t, '/bus/uart@1', 'status')).toEqual(['disabled']);
    expect(cells(t, '/bus/uart@1', 'more')).toEqual([2]);
    expect(node(t, '/bus/uart@1').props.map((p) => p.name)).toEqual(['status', 'extra', 'more']);
    expect(strs(t, '/a', 'q')).toEqual(['/bus/uart@1']);
    const p = prop(node(t, '/a'), 'p')!.value![0]!;
    expect(p.kind === 'cells' && p.cells[0]!.kind).toBe('ref');
  });

  it('merges a node defined twice: properties replaced in place, children appended, labels joined', () => {
    const t = tree('/dts-v1/;\n/ { n { a = <1>; b = <2>; c1 {}; }; };\n/ { l2: n { a = <3>; c2 {}; }; };');
    expect(node(t, '/n').props.map((p) => [p.name, u32Cells(p)![0]])).toEqual([['a', 3], ['b', 2]]);
    expect(node(t, '/n').children.map((c) => c.name)).toEqual(['c1', 'c2']);
    expect(node(t, '/n').labels).toEqual(['l2']);
  });

  it('/delete-node/ by name and by &label, /delete-property/', () => {
    const t = tree('/dts-v1/;\n/ { x: a { p; q; }; b {}; c {}; };\n/ { /delete-node/ b; a { /delete-property/ p; }; };\n/delete-node/ &x;');
    expect(node(t, '/').children.map((c) => c.name)).toEqual(['c']);
    const t2 = tree('/dts-v1/;\n/ { a { p; q; }; };\n/ { a { /delete-property/ p; }; };');
    expect(node(t2, '/a').props.map((p) => p.name)).toEqual(['q']);
  });

  it('/omit-if-no-ref/ drops a node nobody references', () => {
    const t = tree('/dts-v1/;\n/ { /omit-if-no-ref/ u: unused {}; /omit-if-no-ref/ r: used {}; user { p = <&r>; }; };');
    expect(node(t, '/').children.map((c) => c.name)).toEqual(['used', 'user']);
  });

  it('#include "…" and /include/ "…" from the file set, #include <…> from -I; #define, function-like macros, #ifdef', () => {
    const t = tree(
      '/dts-v1/;\n#include <dt-bindings/x.h>\n#include "sub.dtsi"\n/include/ "other.dtsi"\n/ { v = <A B(3) C>;\n#ifdef A\n on;\n#else\n off;\n#endif\n#ifndef NOPE\n nope;\n#endif\n#if A == 5 && defined(C)\n iff;\n#endif\n};',
      { 'include/dt-bindings/x.h': '#ifndef X_H\n#define X_H\n#define A 5\n#define B(x) ((x) << 8)\n#define C (A | B(1))\n#endif\n', 'sub.dtsi': '/ { sub { s; }; };', 'other.dtsi': '/ { other; };' },
    );
    expect(cells(t, '/', 'v')).toEqual([5, 0x300, 0x105]);
    expect(node(t, '/').props.map((p) => p.name)).toEqual(['other', 'v', 'on', 'nope', 'iff']);
    expect(node(t, '/').children.map((c) => c.name)).toEqual(['sub']);
  });
});

describe('DTS parser: errors carry file:line:col', () => {
  const one = (src: string, extra: Record<string, string> = {}) => {
    const e = errorsOf(src, extra)[0]!;
    return `${e.file}:${e.line}:${e.col}: ${e.message}`;
  };

  it('a missing semicolon', () => {
    expect(one('/dts-v1/;\n/ {\n\ta = <1>\n};')).toMatch(/^main\.dts:4:1: syntax error at "}": expected ";"/);
  });
  it('an unknown identifier in a cell list, naming the header that was not provided', () => {
    expect(one('/dts-v1/;\n#include <dt-bindings/interrupt-controller/arm-gic.h>\n/ {\n  interrupts = <GIC_PPI 9 4>;\n};')).toBe(
      'main.dts:4:17: unknown identifier "GIC_PPI" in a cell list (a macro from a header that was not provided?); not provided: <dt-bindings/interrupt-controller/arm-gic.h>',
    );
  });
  it('an undefined label in &label { } and in a phandle', () => {
    expect(one('/dts-v1/;\n/ { };\n&nolabel { x; };')).toBe('main.dts:3:1: label "nolabel" not found: &nolabel { … } must follow the node\'s definition');
    expect(one('/dts-v1/;\n/ { a { p = <1 &gone>; }; };')).toBe('main.dts:2:16: reference to a non-existent node or label "gone"');
  });
  it('a duplicate label', () => {
    expect(one('/dts-v1/;\n/ { l: a {}; l: b {}; };')).toMatch(/^main\.dts:2:17: duplicate label "l" on \/a and \/b/);
  });
  it('a missing /dts-v1/ header', () => {
    expect(one('/ { };')).toBe('main.dts:1:1: the source must start with /dts-v1/;');
  });
  it('a "…" include that is not in the set, with the include chain of a nested one', () => {
    expect(one('/dts-v1/;\n#include "nothere.dtsi"\n')).toMatch(/^main\.dts:2:1: #include "nothere\.dtsi": file not found/);
    const e = errorsOf('/dts-v1/;\n#include "a.dtsi"\n', { 'a.dtsi': '/ {\n  x = <1 2;\n};' })[0]!;
    expect(formatError(e)).toBe('a.dtsi:2:11: unexpected character ";"\n  included from main.dts:2:1');
    const e2 = errorsOf('/dts-v1/;\n#include "a.dtsi"\n', { 'a.dtsi': '#include "b.dtsi"\n', 'b.dtsi': '/ {\n  x = <1>\n};' })[0]!;
    expect(formatError(e2)).toBe('b.dtsi:3:1: syntax error at "}": expected ";"\n  included from a.dtsi:1:1\n  included from main.dts:2:1');
  });
  it('an include cycle', () => {
    expect(one('/dts-v1/;\n#include "main.dts"\n')).toMatch(/include nested more than 32 deep/);
  });
  it('an unterminated string and comment, a bad character', () => {
    expect(one('/dts-v1/;\n/ { a = "abc; };')).toBe('main.dts:2:9: unterminated string');
    expect(one('/dts-v1/;\n/* never closed\n/ { };')).toBe('main.dts:2:1: unterminated comment');
    expect(one('/dts-v1/;\n/ { a = <1 $>; };')).toBe('main.dts:2:12: unexpected character "$"');
  });
  it('a literal too wide for its cell, a bad /bits/, division by zero, #error', () => {
    expect(one('/dts-v1/;\n/ { a = <0x100000000>; };')).toBe('main.dts:2:10: integer 0x100000000 does not fit in a 32-bit cell');
    expect(one('/dts-v1/;\n/ { a = /bits/ 12 <1>; };')).toBe('main.dts:2:16: /bits/ must be 8, 16, 32 or 64, not "12"');
    expect(one('/dts-v1/;\n/ { a = <(1 / 0)>; };')).toBe('main.dts:2:13: division by zero');
    expect(one('/dts-v1/;\n#error no board\n')).toBe('main.dts:2:1: #error no board');
  });
  it('importDts refuses a tree the engine cannot take, at the property', () => {
    const r = importDts({ 'm.dts': '/dts-v1/;\n/ {\n  #address-cells = <1 2>;\n};' }, 'm.dts');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatError(r.errors[0]!)).toBe('m.dts:3:3: #address-cells must be one 32-bit cell, e.g. <2>');
  });
});

describe('FVP Base RevC (arch/arm64/boot/dts/arm/fvp-base-revc.dts)', () => {
  const r = importDts(fixtureFiles(), 'fvp-base-revc.dts', { includeDirs: ['.'] });
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  const { summary, scenario } = r;

  it('reads the three sources and both dt-bindings headers', () => {
    expect(summary.files).toEqual(['fvp-base-revc.dts', 'dt-bindings/interrupt-controller/arm-gic.h', 'dt-bindings/interrupt-controller/irq.h', 'rtsm_ve-motherboard.dtsi', 'rtsm_ve-motherboard-rs2.dtsi']);
    expect(summary.missingHeaders).toEqual([]);
    expect(summary.nodes).toBe(63);
  });

  it('of_platform_default_populate_init: 18 platform devices, 14 AMBA primecells, GIC and fixed clocks claimed early', () => {
    expect(summary.devices).toHaveLength(18);
    expect(summary.amba.map((a) => a.name)).toContain('1c090000.uart');
    expect(summary.amba).toHaveLength(14);
    expect(summary.declared.map((d) => d.path)).toEqual(['/interrupt-controller@2f000000', '/bus@8000000/motherboard/clk24mhz', '/bus@8000000/motherboard/refclk1mhz', '/bus@8000000/motherboard/refclk32khz']);
    const names = summary.devices.map((d) => d.name);
    for (const n of ['psci', 'timer', 'pmu', '40000000.pci', '2b400000.iommu', 'bus@8000000', 'bus@8000000:motherboard', '8000000.flash', '1a000000.ethernet', '1c010000.sysreg', '1c130000.virtio-block', '1c150000.virtio-net', 'bus@8000000:motherboard:mcc']) expect(names).toContain(n);
    expect(names).not.toContain('2f000000.interrupt-controller');
    const why = Object.fromEntries(summary.skipped.map((s) => [s.path, s.why]));
    expect(why['/cpus']).toBe('no compatible property');
    expect(why['/interrupt-controller@2f000000']).toBe('already populated (OF_POPULATED)');
  });

  it('runs: devices under their simple-bus parents, MODALIAS and OF_* in the uevent, psci discovered as before', async () => {
    const { runScenario } = await import('../../engine/boot');
    const withDriver = structuredClone(scenario);
    withDriver.modules = [{
      name: 'virtio_mmio', location: 'module', source: 'drivers/virtio/virtio_mmio.c',
      drivers: { d: { name: 'virtio-mmio', bus: 'platform', ofMatch: ['virtio,mmio'] } },
      init: [{ op: 'platform_driver_register', driver: 'd' }],
    }];
    const res = runScenario(withDriver);
    expect(res.stopped).toBeNull();
    const k = res.kernel;
    const blk = '/devices/platform/bus@8000000/bus@8000000:motherboard/bus@8000000:motherboard:iofpga@300000000/1c130000.virtio-block';
    expect(k.device(blk)).toBeDefined();
    const add = k.uevents.all().find((u) => u.devpath === blk && u.action === 'add')!;
    const env = Object.fromEntries(add.env);
    expect(env.MODALIAS).toBe('of:Nvirtio-blockT(null)Cvirtio,mmio');
    expect(env.OF_NAME).toBe('virtio-block');
    expect(env.OF_FULLNAME).toBe('/bus@8000000/motherboard/iofpga@300000000/virtio-block@130000');
    expect(env.OF_COMPATIBLE_0).toBe('virtio,mmio');
    expect(env.OF_COMPATIBLE_N).toBe('1');
    // the PCI host has device_type "pci": OF_TYPE and the T field
    const pci = Object.fromEntries(k.uevents.all().find((u) => u.devpath === '/devices/platform/40000000.pci')!.env);
    expect(pci.MODALIAS).toBe('of:NpciTpciCpci-host-ecam-generic');
    expect(pci.OF_TYPE).toBe('pci');
    // udev loads virtio_mmio by the of: alias (of:N*T*Cvirtio,mmio) and the driver binds all three
    expect(k.state.modules.get('virtio_mmio')?.state).toBe('loaded');
    for (const d of ['1c130000.virtio-block', '1c140000.virtio-p9', '1c150000.virtio-net']) {
      const dev = [...k.state.devices.values()].find((x) => x.name === d)!;
      expect(dev.driver).toBe('platform/virtio-mmio');
    }
    // the graph's firmware column: the root, the 18 nodes that became devices (with /psci among them), PSCI and SMCCC
    const views = res.discovery.nodes;
    expect(views.filter((v) => v.kind === 'dt')).toHaveLength(1 + 18);
    expect(views.find((v) => v.id === 'dt:/bus@8000000/motherboard/iofpga@300000000/virtio-block@130000')?.parent).toBe('dt:/bus@8000000/motherboard/iofpga@300000000');
    expect(views.some((v) => v.id === 'dt:/bus@8000000/motherboard/iofpga@300000000/uart@90000')).toBe(false);
    // psci_dt_init() still finds /psci (arm,psci-0.2, method smc) in the tree
    expect(res.discovery.facts.psci).toBe(true);
    expect(res.discovery.facts.conduit).toBe('SMC');
    // each populate event cites the kernel function
    const pop = k.events.all().filter((e) => /of_device_alloc|of_amba_device_create|of_irq_init|of_clk_init/.test(e.text));
    expect(pop.length).toBe(18 + 14 + 4);
    for (const e of pop) expect(String(e.cite)).toMatch(/^drivers\/(of|clk)\//);
  });

  it('status = "disabled" keeps a node from becoming a device', () => {
    const files = fixtureFiles();
    files['fvp-base-revc.dts'] += '\n&{/bus@8000000/motherboard/iofpga@300000000/virtio-net@150000} { status = "disabled"; };\n';
    const r2 = importDts(files, 'fvp-base-revc.dts', { includeDirs: ['.'] });
    expect(r2.ok).toBe(true);
    if (!r2.ok) return;
    expect(r2.summary.devices.map((d) => d.name)).not.toContain('1c150000.virtio-net');
    expect(r2.summary.disabled).toEqual([{ path: '/bus@8000000/motherboard/iofpga@300000000/virtio-net@150000', status: 'disabled' }]);
  });

  it('without the dt-bindings headers the GIC macros are an error at their line:col', () => {
    const files = fixtureFiles();
    delete files['dt-bindings/interrupt-controller/arm-gic.h'];
    const r2 = importDts(files, 'fvp-base-revc.dts', { includeDirs: ['.'] });
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(`${r2.errors[0]!.file}:${r2.errors[0]!.line}:${r2.errors[0]!.col}`).toBe('fvp-base-revc.dts:127:17');
  });
});

describe('Foundation v8 (foundation-v8-gicv3-psci.dts: #include before /dts-v1/, GIC_CPU_MASK_SIMPLE(), &cpuN overrides)', () => {
  const files = fixtureFiles();
  const r = importDts(files, 'foundation/foundation-v8-gicv3-psci.dts', { includeDirs: ['.'] });
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  it('resolves the overrides and the function-like macros', () => {
    const parsed = parseDts(files, 'foundation/foundation-v8-gicv3-psci.dts', { includeDirs: ['.'] });
    if (!parsed.ok) throw new Error('parse');
    const t = parsed.tree;
    // the result crosses the worker boundary as plain data
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    for (let i = 0; i < 4; i++) expect(strs(t, `/cpus/cpu@${i}`, 'enable-method')).toEqual(['psci']);
    // GIC_PPI 13 (GIC_CPU_MASK_SIMPLE(4) | IRQ_TYPE_LEVEL_LOW) = 1 13 (0xf << 8 | 8)
    expect(cells(t, '/timer', 'interrupts')!.slice(0, 3)).toEqual([1, 13, 0xf08]);
  });
  it('populates the watchdog, the bus and its iofpga, and finds PSCI 1.0', async () => {
    const names = r.summary.devices.map((d) => d.name);
    // DT order: the gicv3 and psci .dtsi come after foundation-v8.dtsi, so /psci is the last root child
    expect(names).toEqual(['timer', 'pmu', 'spe-pmu', '2a440000.watchdog', 'bus@8000000', '1a000000.ethernet', 'bus@8000000:iofpga-bus@300000000', '1c010000.sysreg', '1c130000.virtio', 'psci']);
    expect(r.summary.amba.map((a) => a.name)).toEqual(['1c090000.serial', '1c0a0000.serial', '1c0b0000.serial', '1c0c0000.serial']);
    const { runScenario } = await import('../../engine/boot');
    const res = runScenario(r.scenario);
    expect(res.discovery.facts.psci).toBe(true);
    expect(res.discovery.steps.map((s) => s.text)).toContain('DT node /psci matches psci_of_match (psci_1_0_init)');
  });
});

describe('of_device_make_bus_id', () => {
  const names = (src: string) => {
    const r = importDts({ 'm.dts': src }, 'm.dts');
    if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
    return r.summary.devices.map((d) => d.name);
  };
  it('translated reg, "mask", untranslatable (no ranges) and address-less nodes', () => {
    expect(names(`/dts-v1/;
/ { #address-cells = <1>; #size-cells = <1>;
  leds@1000 { compatible = "simple-bus"; reg = <0x1000 0x100>; #address-cells = <1>; #size-cells = <1>; ranges;
    led@8 { compatible = "register-bit-led"; reg = <0x1008 4>; mask = <0x4>; };
    led@8b { compatible = "register-bit-led"; reg = <0x1008 4>; mask = <0x80>; };
  };
  closed@2000 { compatible = "simple-bus"; reg = <0x2000 0x100>; #address-cells = <1>; #size-cells = <1>;
    dev@10 { compatible = "x,dev"; reg = <0x10 4>; };
  };
  noreg { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>;
    inner { compatible = "x,inner"; };
    far@30 { compatible = "x,far"; reg = <0x30 4>; };
  };
  mapped { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>; ranges = <0x0 0x40000000 0x1000>;
    in@100 { compatible = "x,in"; reg = <0x100 4>; };
    out@2000 { compatible = "x,out"; reg = <0x2000 4>; };
  };
};`)).toEqual([
      '1000.leds', '1008.2.led', '1008.7.led',
      // no ranges on closed@2000: the child's address cannot be translated, so its parent's (translatable) one prefixes it
      '2000.closed', '2000.closed:dev@10',
      // noreg has no reg at all; far@30 under it has no ranges to cross either
      'noreg', 'noreg:inner', 'noreg:far@30',
      // in@100 is inside the window (0x40000100); out@2000 is outside it: untranslatable
      'mapped', '40000100.in', 'mapped:out@2000',
    ]);
  });
});

describe('of_platform_default_populate_init special cases', () => {
  it('reserved-memory matches, /firmware children, the /chosen framebuffer, skipped and disabled nodes', () => {
    const r = importDts({ 'm.dts': `/dts-v1/;
/ { #address-cells = <1>; #size-cells = <1>;
  chosen { fb@8000 { compatible = "simple-framebuffer"; reg = <0x8000 0x1000>; }; other { compatible = "x,notfb"; }; };
  firmware { scmi { compatible = "arm,scmi-smc"; proto@10 { compatible = "x,proto"; }; }; optee { compatible = "linaro,optee-tz"; status = "disabled"; }; nocompat {}; };
  reserved-memory { #address-cells = <1>; #size-cells = <1>; ranges;
    ramoops@9000 { compatible = "ramoops"; reg = <0x9000 0x100>; };
    pool@a000 { compatible = "shared-dma-pool"; reg = <0xa000 0x100>; };
  };
  opp-table { compatible = "operating-points-v2"; };
  soc { compatible = "simple-mfd"; off { compatible = "x,off"; status = "fail"; }; ok { compatible = "x,ok"; status = "ok"; }; };
};` }, 'm.dts');
    if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
    const s = r.summary;
    // reserved_mem_matches first, then /firmware's children (no recursion), then the framebuffer, then the root
    // /chosen has no ranges, so the framebuffer's reg cannot be translated: it is named by path
    expect(s.devices.map((d) => d.name)).toEqual(['9000.ramoops', 'firmware:scmi', 'chosen:fb@8000', 'soc', 'soc:ok']);
    expect(s.disabled).toEqual([{ path: '/firmware/optee', status: 'disabled' }, { path: '/soc/off', status: 'fail' }]);
    const why = Object.fromEntries(s.skipped.map((x) => [x.path, x.why]));
    expect(why['/firmware/nocompat']).toBe('no compatible property');
    expect(why['/opp-table']).toBe('of_skipped_node_table (operating-points-v2)');
    expect(why['/chosen']).toBe('no compatible property');
    expect(why['/firmware']).toBe('no compatible property');
    // /reserved-memory has no compatible: its shared-dma-pool child never becomes a device
    expect(s.devices.some((d) => d.path.includes('pool'))).toBe(false);
  });

  it('with ranges on /chosen (as Apple silicon trees have) the framebuffer gets its address name', () => {
    const r = importDts({ 'm.dts': '/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>; chosen { ranges; framebuffer@bd58dc000 { compatible = "apple,simple-framebuffer", "simple-framebuffer"; reg = <0xb 0xd58dc000 0 0x1000>; }; }; };' }, 'm.dts');
    if (!r.ok) throw new Error('parse');
    expect(r.summary.devices.map((d) => d.name)).toEqual(['bd58dc000.framebuffer']);
  });

  it('a bus already populated from /firmware is not walked again (OF_POPULATED_BUS)', () => {
    const r = importDts({ 'm.dts': '/dts-v1/;\n/ { firmware { compatible = "simple-bus"; a { compatible = "x,a"; }; }; };' }, 'm.dts');
    if (!r.ok) throw new Error('parse');
    expect(r.summary.devices.map((d) => d.name)).toEqual(['firmware:a']);
    expect(r.summary.skipped).toEqual([{ path: '/firmware', why: 'already populated (OF_POPULATED_BUS)' }]);
  });
});

describe('the tree form keeps PSCI discovery as the flat list has it', () => {
  it('the same steps and facts for every built-in firmware variant, written as a tree', async () => {
    const { discoverFirmware } = await import('../../engine/firmware/discovery');
    const { listBuiltins, getBuiltinScenario } = await import('../../engine/index');
    let compared = 0;
    for (const b of listBuiltins()) {
      const s = getBuiltinScenario(b.id)!;
      if (s.firmware.description !== 'dt' || !s.firmware.dt) continue;
      const { dt, ...rest } = s.firmware;
      const children = dt.map((n) => ({ name: n.path.slice(1), compatible: n.compatible, ...(n.status ? { status: n.status } : {}), ...(n.method ? { method: n.method } : {}), ...(n.deviceType ? { deviceType: n.deviceType } : {}) }));
      const tree = { ...rest, devicetree: { root: { name: '/', children }, populate: false } };
      const a = discoverFirmware(s.firmware, s.kernel.version);
      const b2 = discoverFirmware(tree, s.kernel.version);
      expect(b2.steps).toEqual(a.steps);
      expect(b2.facts).toEqual(a.facts);
      compared++;
    }
    expect(compared).toBeGreaterThan(3);
  });
});

// --- cross-check against Debian's dtc ---

function hasDtc(): boolean {
  try {
    execFileSync('dtc', ['--version'], { stdio: 'pipe' });
    execFileSync('cpp', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

function shape(t: DtTree): Record<string, { compatible: string[] | null; status: string | null }> {
  const out: Record<string, { compatible: string[] | null; status: string | null }> = {};
  for (const n of walk(t.root)) out[pathOf(n)] = { compatible: stringList(prop(n, 'compatible'), t.root) ?? null, status: stringList(prop(n, 'status'), t.root)?.[0] ?? null };
  return out;
}

/** path → property → hex bytes (FDT encoding). Properties holding a reference go to `refs` (dtc
 *  numbers phandles itself); `skip` leaves out those, and dtc's own phandle properties. */
function blobProps(t: DtTree, refs: Set<string>, skip?: Set<string>): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const n of walk(t.root)) {
    const path = pathOf(n);
    const props: Record<string, string> = {};
    for (const p of n.props) {
      if (skip && (skip.has(`${path}\0${p.name}`) || p.name === 'phandle' || p.name === 'linux,phandle')) continue;
      const bytes: number[] = [];
      let hasRef = false;
      for (const v of p.value ?? []) {
        if (v.kind === 'string') bytes.push(...new TextEncoder().encode(v.value), 0);
        else if (v.kind === 'bytes') bytes.push(...v.bytes);
        else if (v.kind === 'pathref') hasRef = true;
        else for (const c of v.cells) {
          if (c.kind === 'ref') hasRef = true;
          const x = c.kind === 'num' ? c.value : 0n;
          for (let b = v.bits - 8; b >= 0; b -= 8) bytes.push(Number((x >> BigInt(b)) & 0xffn));
        }
      }
      if (hasRef) {
        refs.add(`${path}\0${p.name}`);
        continue;
      }
      props[p.name] = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
    }
    out[path] = props;
  }
  return out;
}

const dtcAvailable = hasDtc();
if (!dtcAvailable) console.warn('SKIPPED: the dtc cross-check needs dtc and cpp (Debian: apt-get install device-tree-compiler cpp); .ci/run installs them');

describe.skipIf(!dtcAvailable)('cross-check with dtc -I dts -O dts', () => {
  const check = (main: string, files: Record<string, string>, dir: string) => {
    const pre = execFileSync('cpp', ['-nostdinc', '-undef', '-x', 'assembler-with-cpp', '-P', '-I', dir, join(dir, main)], { encoding: 'utf8' });
    const out = execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dts', '-'], { input: pre, encoding: 'utf8' });
    const theirs = parseDts({ 'dtc.dts': out }, 'dtc.dts');
    if (!theirs.ok) throw new Error(theirs.errors.map(formatError).join('\n'));
    const ours = parseDts(files, main, { includeDirs: ['.'] });
    if (!ours.ok) throw new Error(ours.errors.map(formatError).join('\n'));
    expect(Object.keys(shape(ours.tree)).sort()).toEqual(Object.keys(shape(theirs.tree)).sort());
    expect(shape(ours.tree)).toEqual(shape(theirs.tree));
    // every property's bytes as the blob would hold them (dtc adds phandle properties and numbers
    // the references itself, so properties holding a reference are left out)
    const refs = new Set<string>();
    const mine = blobProps(ours.tree, refs);
    expect(refs.size).toBeGreaterThan(0);
    expect(blobProps(theirs.tree, new Set(), refs)).toEqual(mine);
    // and the same order of children (dtc keeps source order)
    expect([...walk(ours.tree.root)].map(pathOf)).toEqual([...walk(theirs.tree.root)].map(pathOf));
    return ours.tree;
  };

  it('fvp-base-revc.dts: the same node paths, compatibles and statuses', () => {
    const t = check('fvp-base-revc.dts', fixtureFiles(), FIXTURES);
    expect([...walk(t.root)].length).toBe(63);
  });

  it('foundation-v8-gicv3-psci.dts: the same tree', () => {
    check('foundation/foundation-v8-gicv3-psci.dts', fixtureFiles(), FIXTURES);
  });

  it('overrides, merges and deletions resolve as dtc resolves them', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'dts-'));
    const src = [
      '/dts-v1/;',
      '/ { compatible = "top"; a: bus@1 { compatible = "simple-bus"; u0: uart@10 { compatible = "x,uart"; }; u1: uart@20 { compatible = "x,uart"; status = "okay"; }; }; gone { compatible = "g"; }; };',
      '&u1 { status = "disabled"; };',
      '&{/bus@1} { extra@30 { compatible = "x,extra", "x,base"; }; };',
      '/ { /delete-node/ gone; bus@1 { /delete-property/ compatible; compatible = "simple-bus", "again"; }; later { compatible = "late"; }; };',
      '/delete-node/ &u0;',
      '&a { u0: uart@10 { compatible = "x,again"; }; };',
      '/ { user { compatible = "x,user"; uarts = <&u0 1>, <&u1 2>; path = &u1; bytes = [de ad be ef]; b16 = /bits/ 16 <0x1234 (0x10000 - 1)>; s = "a", "b"; }; };',
    ].join('\n');
    writeFileSync(join(dir, 'case.dts'), src);
    check('case.dts', { 'case.dts': src }, dir);
    // deleting a node twice is an error for both
    const bad = '/dts-v1/;\n/ { bus { u: uart {}; }; };\n/ { bus { /delete-node/ uart; }; };\n/delete-node/ &u;\n';
    writeFileSync(join(dir, 'bad.dts'), bad);
    expect(() => execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dts', join(dir, 'bad.dts')], { stdio: 'pipe' })).toThrow(/Label or path u not found/);
    expect(errorsOf(bad).map((e) => `${e.line}:${e.col}: ${e.message}`)).toEqual(['4:1: /delete-node/ &u: no such node']);
  });
});

describe('DTS parser: hostile input is refused, not overflowed', () => {
  it('deep node nesting, deep parentheses, exponential macros', () => {
    const deep = '/dts-v1/;\n/ {' + ' a {'.repeat(20_000) + ' };'.repeat(20_001);
    expect(errorsOf(deep)[0]!.message).toBe('nodes nested deeper than 28 levels (bindscope\'s limit)');
    const parens = '/dts-v1/;\n/ { a = <' + '('.repeat(100_000) + '1' + ')'.repeat(100_000) + '>; };';
    expect(errorsOf(parens)[0]!.message).toBe('parentheses nested deeper than 64 levels');
    let defs = '#define M0 1\n';
    for (let i = 1; i <= 30; i++) defs += `#define M${i} M${i - 1} M${i - 1}\n`;
    expect(errorsOf(`/dts-v1/;\n${defs}/ { a = <M30>; };`)[0]!.message).toMatch(/more than 1000000 tokens after macro expansion/);
    // a tree at the depth limit still imports
    const ok = '/dts-v1/;\n/ {' + ' a {'.repeat(28) + ' };'.repeat(29);
    expect(importDts({ 'm.dts': ok }, 'm.dts').ok).toBe(true);
  }, 60_000);
});
