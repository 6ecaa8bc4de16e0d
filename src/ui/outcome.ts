/**
 * The key outcome of a run at a step, as one sentence a reviewer reads first: did the
 * design's TSM module (the scenario's focusModule) get into the kernel, and why or why not,
 * told as the udev/kmod chain (uevent MODALIAS -> modules.alias -> modprobe).
 * Pure: unit-tested in outcome.test.ts.
 */
import type { DeviceView, ModuleView } from '../engine/api';
import type { SnapshotCore } from '../worker/protocol';
import type { ModuleChange } from '../worker/union';
import { aliasMatches } from './graph/toFlow';

export type OutcomeTone = 'loaded' | 'builtin' | 'not-loaded' | 'failed';

export interface Outcome {
  module: string;
  tone: OutcomeTone;
  /** "arm_cca_guest: loaded by udev", "arm_cca_guest: not loaded" */
  headline: string;
  /** why, in terms of MODALIAS, modules.alias and udev */
  why: string;
}

const list = (xs: string[], max = 3): string =>
  xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`;

/** devices whose MODALIAS matches one of the module's aliases, with the alias */
export function aliasMatchesOf(snapshot: SnapshotCore, m: ModuleView): { device: DeviceView; alias: string }[] {
  const out: { device: DeviceView; alias: string }[] = [];
  for (const d of snapshot.devices) {
    if (!d.modalias) continue;
    const alias = m.aliases.find((a) => aliasMatches(a, d.modalias!));
    if (alias) out.push({ device: d, alias });
  }
  return out;
}

/**
 * Where in the run the outcome is read: a module not loaded at this step may load later
 * (`changes`); `service` is the firmware service the design's device stands for.
 */
export interface OutcomeContext {
  /** the step shown (0-based event index, -1 before the first event) */
  step: number;
  /** how many events the run has */
  eventCount: number;
  /** where module states change in the run (RunInfo.moduleChanges) */
  changes?: ModuleChange[] | null;
  /** 'RSI' for a Realm guest design, 'RMI' for a KVM host one */
  service?: 'RSI' | 'RMI';
  /** the run's devices at any step (layout basis): was a device of the service ever created */
  everDevices?: DeviceView[];
}

/** the context of a run at a step (the run as the worker returned it; side from the design list) */
export function outcomeContext(
  run: { summary: { eventCount: number }; layoutBasis: SnapshotCore | null; moduleChanges: ModuleChange[] | null } | null,
  step: number,
  side: 'guest' | 'host' | undefined,
): OutcomeContext | undefined {
  if (!run) return undefined;
  return {
    step,
    eventCount: run.summary.eventCount,
    changes: run.moduleChanges,
    service: side === 'host' ? 'RMI' : side === 'guest' ? 'RSI' : undefined,
    everDevices: run.layoutBasis?.devices,
  };
}

/** the next change of the module's state after `step` in the run, or null */
export function nextChange(changes: ModuleChange[] | null | undefined, step: number, moduleName: string): ModuleChange | null {
  // "loads at" is when it is live: the steps its module_init runs ("loading") are not the load
  return changes?.find((c) => c.module === moduleName && c.step > step && c.state !== 'loading') ?? null;
}

export function moduleOutcome(snapshot: SnapshotCore, moduleName: string | null | undefined, ctx?: OutcomeContext): Outcome | null {
  if (!moduleName) return null;
  const m = snapshot.modules.find((x) => x.name === moduleName);
  if (!m) return null;
  const name = m.name;
  const matches = aliasMatchesOf(snapshot, m);

  // not loaded at this step, but it will be later in the run: say so, and when
  const next = ctx && m.state === 'not-loaded' ? nextChange(ctx.changes, ctx.step, name) : null;
  if (ctx && next) {
    {
      const total = ctx.eventCount;
      const will = next.state === 'builtin' ? 'built in from' : next.state === 'failed' ? 'its init fails at' : 'loads at';
      const headline = `${name}: not loaded yet (step ${ctx.step + 1} of ${total}; ${will} step ${next.step + 1})`;
      const ties = matches.length
        ? `${matches[0]!.device.name}'s MODALIAS=${matches[0]!.device.modalias} matches alias ${matches[0]!.alias}; udev has not acted on that uevent yet at this step.`
        : 'the uevent that loads it has not happened yet at this step.';
      return { module: name, tone: 'not-loaded', headline, why: ties };
    }
  }

  if (m.state === 'builtin')
    return { module: name, tone: 'builtin', headline: `${name}: built in (=y)`, why: 'its module_init ran as an initcall at boot: no uevent, alias or modprobe is involved.' };
  if (m.state === 'failed')
    return { module: name, tone: 'failed', headline: `${name}: init failed`, why: 'it was loaded but its module_init returned an error (see dmesg).' };
  if (m.state === 'loading') {
    const how = m.loadedBy === 'manual' || !m.loadedBy ? 'modprobe by hand loaded it' : `udev matched alias ${m.loadedBy} and ran modprobe`;
    return { module: name, tone: 'not-loaded', headline: `${name}: loading — its module_init is running`, why: `${how}; /proc/modules lists it as "Loading" until module_init returns (then "Live").` };
  }
  if (m.state === 'loaded') {
    if (m.loadedBy === 'manual' || !m.loadedBy)
      return { module: name, tone: 'loaded', headline: `${name}: loaded by hand`, why: 'modprobe from userspace, not autoloaded by a uevent.' };
    const by = snapshot.devices.find((d) => d.modalias && aliasMatches(m.loadedBy!, d.modalias));
    return {
      module: name,
      tone: 'loaded',
      headline: `${name}: loaded by udev`,
      why: by
        ? `${by.name}'s uevent carried MODALIAS=${by.modalias}, which matches alias ${m.loadedBy} in modules.alias, so udev ran modprobe.`
        : `a uevent's MODALIAS matched alias ${m.loadedBy} in modules.alias, so udev ran modprobe (that device is gone at this step).`,
    };
  }

  // not loaded
  const absent = m.location === 'absent';
  const headline = `${name}: not loaded`;
  if (matches.length) {
    const { device, alias } = matches[0]!;
    const ties = `${device.name}'s MODALIAS=${device.modalias} matches alias ${alias}`;
    if (absent) return { module: name, tone: 'not-loaded', headline, why: `${ties}, but the module is absent from disk (not in the initramfs/rootfs), so modules.alias there has no entry for it and udev's modprobe finds nothing to load.` };
    if (!snapshot.udevRunning)
      return { module: name, tone: 'not-loaded', headline, why: `${ties}, but udev is not running at this step: nothing has run modprobe for it.` };
    return { module: name, tone: 'not-loaded', headline, why: `${ties}; udev has not loaded it yet at this step.` };
  }
  if (m.aliases.length === 0)
    return { module: name, tone: 'not-loaded', headline, why: 'it has no alias in modules.alias: no uevent can autoload it.' };
  // the firmware has no such service (Realm off): nothing the module's alias could match was ever made
  const svc = ctx?.service;
  const fact = svc === 'RMI' ? snapshot.facts['rmi'] : svc === 'RSI' ? snapshot.facts['rsi'] : undefined;
  const everMade = (ctx?.everDevices ?? snapshot.devices).some((d) => d.firmwareNode?.endsWith(`:${svc}`));
  if (svc && fact === false && !everMade)
    return {
      module: name,
      tone: 'not-loaded',
      headline,
      why: `the firmware offers no ${svc} (${svc === 'RSI' ? 'not a Realm guest' : 'no RMM'}): no ${svc} device was ever created in this run, so no uevent carried a MODALIAS for its ${m.aliases.length > 1 ? 'aliases' : 'alias'} ${list(m.aliases)}.`,
    };
  const silent = snapshot.devices.filter((d) => d.bus && !d.modalias).map((d) => `${d.name} (${d.bus} bus)`);
  const aliases = `alias${m.aliases.length > 1 ? 'es' : ''} ${list(m.aliases)}`;
  return {
    module: name,
    tone: 'not-loaded',
    headline,
    why:
      `no device's uevent carries a MODALIAS matching its ${aliases}` +
      (silent.length ? `; ${list(silent)} ${silent.length > 1 ? 'have' : 'has'} no MODALIAS at all.` : '.') +
      (absent ? ' It is also absent from disk.' : ''),
  };
}
