/**
 * The built-in walkthroughs: every design (and every revision that differs) told stop by
 * stop, plus "the question" (faux vs auxiliary vs platform vs arm_smccc bus). Stops find
 * their place by event (walkthrough.ts), so they survive changes to the engine's trace;
 * src/scenarios/walkthroughs.test.ts checks every stop resolves in its design's run.
 */
import type { Walkthrough, WalkthroughStop } from '../engine/scenario/walkthrough';

const ueventAdd = (devpathEndsWith: string, nth = 1): WalkthroughStop['at'] => ({ kind: 'uevent', action: 'add', devpathEndsWith, nth });
const ueventBind = (devpathEndsWith: string): WalkthroughStop['at'] => ({ kind: 'uevent', action: 'bind', devpathEndsWith });
const udevFor = (devpathEndsWith: string): WalkthroughStop['at'] => ({ kind: 'udev', devpathEndsWith });
const coldplug: WalkthroughStop['at'] = { kind: 'udev', textIncludes: 'coldplug' };

const mainline: Walkthrough = {
  id: 'mainline',
  title: 'Mainline: the dummy platform device arm-cca-dev',
  design: 'mainline',
  stops: [
    { at: ueventAdd('/arm-cca-dev'), caption: 'arch/arm64/kernel/rsi.c registers a platform device arm-cca-dev only to have something carry MODALIAS=platform:arm-cca-dev.', focus: ['device:arm-cca-dev'], panel: 'uevent' },
    { at: udevFor('/arm-cca-dev'), caption: 'On coldplug udev runs kmod for platform:arm-cca-dev and modprobe finds arm_cca_guest through modules.alias.', focus: ['device:arm-cca-dev', 'module:arm_cca_guest'], panel: 'uevent' },
    { at: { kind: 'module', textIncludes: 'arm_cca_guest is live' }, caption: 'arm_cca_guest registered the TSM report provider from module_init; no driver ever binds arm-cca-dev.', focus: ['module:arm_cca_guest'], panel: 'outcome' },
    { at: 'end', caption: 'The end state: the module loaded, the device unbound. This is the "fake platform device" the series set out to remove.', focus: ['device:arm-cca-dev', 'module:arm_cca_guest'], panel: 'details' },
  ],
};

const hostRfc: Walkthrough = {
  id: 'host-rfc',
  title: 'Host RFC v1, guest side: arm-rsi-dev bound by a platform driver',
  design: 'host-rfc',
  stops: [
    { at: ueventAdd('/arm-rsi-dev'), caption: 'The RFC renames the guest device arm-rsi-dev; it is still a platform device with MODALIAS=platform:arm-rsi-dev.', focus: ['device:arm-rsi-dev'], panel: 'uevent' },
    { at: udevFor('/arm-rsi-dev'), caption: 'udev loads arm_cca_guest by that alias.', focus: ['device:arm-rsi-dev', 'module:arm_cca_guest'], panel: 'uevent' },
    { at: ueventBind('/arm-rsi-dev'), caption: 'This time a real platform driver, arm-cca-guest, probes and binds the device.', focus: ['device:arm-rsi-dev', 'driver:platform/arm-cca-guest'], panel: 'details' },
    { at: 'end', caption: 'Bound, loaded, TSM provider registered: it works, but it is still a platform device for a firmware interface.', panel: 'outcome', focus: ['device:arm-rsi-dev', 'module:arm_cca_guest'] },
  ],
};

const hostRfcHost: Walkthrough = {
  id: 'host-rfc-host',
  title: 'Host RFC v1, host side: arm-rmi-dev and tsm0',
  design: 'host-rfc-host',
  stops: [
    { at: ueventAdd('/arm-rmi-dev'), caption: 'On the KVM host, kvm_rmi registers a platform device arm-rmi-dev for the RMI interface.', focus: ['device:arm-rmi-dev'], panel: 'uevent' },
    { at: udevFor('/arm-rmi-dev'), caption: 'udev loads arm_cca_host by platform:arm-rmi-dev.', focus: ['device:arm-rmi-dev', 'module:arm_cca_host'], panel: 'uevent' },
    { at: ueventAdd('/tsm0'), caption: 'cca_tsm probes and registers the TSM class device tsm0 under arm-rmi-dev.', focus: ['device:arm-rmi-dev', 'device:tsm0'], panel: 'details' },
    { at: 'end', caption: 'The host ends with arm-rmi-dev bound to cca_tsm and /sys/class/tsm/tsm0 present.', focus: ['device:arm-rmi-dev', 'device:tsm0', 'module:arm_cca_host'], panel: 'outcome' },
  ],
};

const faux: Walkthrough = {
  id: 'faux',
  title: 'Faux, as posted: the module creates its own device',
  design: 'faux',
  stops: [
    { at: coldplug, caption: 'Boot reaches udev and no RSI device exists: the posted patch creates the faux device from arm_cca_guest\'s own module_init.', panel: 'tree' },
    { at: udevFor('/smccc_trng'), caption: 'udev only sees smccc_trng; nothing in the kernel announces the Realm, so nothing asks for arm_cca_guest.', focus: ['device:smccc_trng'], panel: 'uevent' },
    { at: 'end', caption: 'The end: arm_cca_guest is never loaded, so its faux device is never created. A chicken and egg.', focus: ['module:arm_cca_guest'], panel: 'outcome' },
  ],
};

const fauxSuggestion: Walkthrough = {
  id: 'faux-suggestion',
  title: 'Faux, as suggested in review: arm-cca-dev from rsi.c',
  design: 'faux-suggestion',
  stops: [
    { at: ueventAdd('/arm-cca-dev'), caption: 'rsi.c creates the faux device arm-cca-dev. Its uevent carries no MODALIAS: the faux bus has no uevent callback.', focus: ['device:arm-cca-dev'], panel: 'uevent' },
    { at: ueventBind('/arm-cca-dev'), caption: 'The faux bus binds its own faux_driver at once; there is no unbind file to hand the device to another driver.', focus: ['device:arm-cca-dev', 'driver:faux/faux_driver'], panel: 'details' },
    { at: ueventAdd('/arm-cca-dev', 2), caption: 'On coldplug udev sees the device again, still without MODALIAS, so kmod has nothing to look up.', focus: ['device:arm-cca-dev'], panel: 'uevent' },
    { at: 'end', caption: 'arm_cca_guest stays unloaded: its alias platform:arm-cca-dev matches no uevent.', focus: ['module:arm_cca_guest'], panel: 'outcome' },
  ],
};

/** the auxiliary revisions share a story; v5 moves TRNG under arm-smccc too */
function auxiliaryGuest(id: string, title: string, trngAux: boolean): Walkthrough {
  return {
    id,
    title,
    design: id,
    stops: [
      { at: ueventAdd('/platform/arm-smccc'), caption: 'A platform device arm-smccc appears. No platform driver matches it: it exists to parent the auxiliary devices.', focus: ['device:arm-smccc'], panel: 'uevent' },
      { at: ueventAdd('/arm_cca_guest.arm-rsi-dev.0'), caption: 'devm_auxiliary_device_create() adds arm_cca_guest.arm-rsi-dev.0 under it, with MODALIAS=auxiliary:arm_cca_guest.arm-rsi-dev.', focus: ['device:arm-smccc', 'device:arm_cca_guest.arm-rsi-dev.0'], panel: 'uevent' },
      { at: udevFor('/arm_cca_guest.arm-rsi-dev.0'), caption: 'On coldplug udev matches that MODALIAS in modules.alias and runs modprobe arm_cca_guest.', focus: ['device:arm_cca_guest.arm-rsi-dev.0', 'module:arm_cca_guest'], panel: 'uevent' },
      { at: ueventBind('/arm_cca_guest.arm-rsi-dev.0'), caption: 'The auxiliary driver arm_cca_guest binds the RSI device and registers the TSM report provider.', focus: ['device:arm_cca_guest.arm-rsi-dev.0', 'driver:auxiliary/arm_cca_guest'], panel: 'details' },
      {
        at: 'end',
        caption: trngAux
          ? 'TRNG is an auxiliary device under arm-smccc too. The children are devres of an unbound parent, which review questioned.'
          : 'TRNG stays a platform device of its own. The RSI child is devres of the unbound arm-smccc, which review questioned.',
        focus: ['device:arm-smccc', 'device:arm_cca_guest.arm-rsi-dev.0', trngAux ? 'device:arm_smccc_trng.smccc_trng.0' : 'device:smccc_trng'],
        panel: 'tree',
      },
    ],
  };
}

function auxiliaryHost(id: string, title: string): Walkthrough {
  return {
    id,
    title,
    design: id,
    stops: [
      { at: ueventAdd('/arm_cca_host.arm-rmi-dev.0'), caption: 'On the host, arm-smccc parents arm_cca_host.arm-rmi-dev.0, with MODALIAS=auxiliary:arm_cca_host.arm-rmi-dev.', focus: ['device:arm-smccc', 'device:arm_cca_host.arm-rmi-dev.0'], panel: 'uevent' },
      { at: udevFor('/arm_cca_host.arm-rmi-dev.0'), caption: 'udev loads arm_cca_host by that alias.', focus: ['device:arm_cca_host.arm-rmi-dev.0', 'module:arm_cca_host'], panel: 'uevent' },
      { at: ueventAdd('/tsm0'), caption: 'Its probe registers the TSM class device tsm0 under the auxiliary device.', focus: ['device:arm_cca_host.arm-rmi-dev.0', 'device:tsm0'], panel: 'details' },
      { at: 'end', caption: 'Bound, tsm0 present; as on the guest, arm-smccc itself stays unbound.', focus: ['device:arm-smccc', 'device:arm_cca_host.arm-rmi-dev.0', 'device:tsm0'], panel: 'outcome' },
    ],
  };
}

function smcccBus(id: string, title: string, rsi: string, modalias: string, end: string): Walkthrough {
  return {
    id,
    title,
    design: id,
    stops: [
      { at: { kind: 'phase', textIncludes: 'bus_register: /sys/bus/arm_smccc' }, caption: 'A bus of its own: /sys/bus/arm_smccc is registered as a subsys_initcall, before any device.', panel: 'none' },
      { at: ueventAdd(`/${rsi}`), caption: `The RSI function answers, so ${rsi} is registered on the arm_smccc bus with MODALIAS=${modalias}.`, focus: [`device:${rsi}`], panel: 'uevent' },
      { at: udevFor(`/${rsi}`), caption: `udev matches ${modalias} in modules.alias and loads arm_cca_guest.`, focus: [`device:${rsi}`, 'module:arm_cca_guest'], panel: 'uevent' },
      { at: ueventBind(`/${rsi}`), caption: 'The arm_smccc driver arm_cca_guest binds the device; it can be unbound and bound again from sysfs.', focus: [`device:${rsi}`, 'driver:arm_smccc/arm_cca_guest'], panel: 'details' },
      { at: 'end', caption: end, focus: [`device:${rsi}`, 'module:arm_cca_guest'], panel: 'outcome' },
    ],
  };
}

const smcccBusHost: Walkthrough = {
  id: 'smccc-bus-v7-host',
  title: 'arm_smccc bus v7, host side (extrapolated): arm-rmi-dev-2',
  design: 'smccc-bus-v7-host',
  stops: [
    { at: ueventAdd('/arm-rmi-dev-2'), caption: 'On the host the RMI function gets arm-rmi-dev-2 on the arm_smccc bus, MODALIAS=arm_smccc:arm-rmi-dev.', focus: ['device:arm-rmi-dev-2'], panel: 'uevent' },
    { at: udevFor('/arm-rmi-dev-2'), caption: 'udev loads arm_cca_host by that alias.', focus: ['device:arm-rmi-dev-2', 'module:arm_cca_host'], panel: 'uevent' },
    { at: ueventAdd('/tsm0'), caption: 'The host driver registers tsm0 under the bus device. The host side of v7 is extrapolated from the guest patches.', focus: ['device:arm-rmi-dev-2', 'device:tsm0'], panel: 'details' },
    { at: 'end', caption: 'Bound, loaded, tsm0 present: one device per firmware service, no platform device involved.', focus: ['device:arm-rmi-dev-2', 'device:tsm0', 'module:arm_cca_host'], panel: 'outcome' },
  ],
};

/** faux vs auxiliary vs platform vs arm_smccc bus: what the thread asks */
const theQuestion: Walkthrough = {
  id: 'the-question',
  title: 'The question: platform, faux, auxiliary or an arm_smccc bus?',
  stops: [
    { design: 'mainline', at: ueventAdd('/arm-cca-dev'), caption: 'Today: a platform device arm-cca-dev exists only so that its MODALIAS loads arm_cca_guest. Nothing binds it.', focus: ['device:arm-cca-dev'], panel: 'uevent' },
    { design: 'faux-suggestion', at: ueventAdd('/arm-cca-dev'), caption: 'Faux, as suggested: the faux bus sends no MODALIAS, so udev cannot load the module.', focus: ['device:arm-cca-dev'], panel: 'uevent' },
    { design: 'faux-suggestion', at: 'end', caption: 'And the faux driver is bound for good: arm_cca_guest never loads.', focus: ['device:arm-cca-dev', 'driver:faux/faux_driver'], panel: 'outcome' },
    { design: 'auxiliary', at: udevFor('/arm_cca_guest.arm-rsi-dev.0'), caption: 'Auxiliary: the child of an unbound arm-smccc carries MODALIAS=auxiliary:arm_cca_guest.arm-rsi-dev, and udev loads the module.', focus: ['device:arm-smccc', 'device:arm_cca_guest.arm-rsi-dev.0', 'module:arm_cca_guest'], panel: 'uevent' },
    { design: 'smccc-bus', at: udevFor('/arm-rsi'), caption: 'arm_smccc bus: the device is the firmware function itself, MODALIAS=arm_smccc:fC4000190, no parent needed.', focus: ['device:arm-rsi', 'module:arm_cca_guest'], panel: 'uevent' },
    { design: 'smccc-bus', compare: 'faux-suggestion', at: 'end', caption: 'Side by side: the bus gives RSI a MODALIAS, a real driver and an unbind file; faux gives none of them.', panel: 'compare', dwellMs: 8000 },
  ],
};

export const BUILTIN_WALKTHROUGHS: Walkthrough[] = [
  theQuestion,
  mainline,
  hostRfc,
  hostRfcHost,
  faux,
  fauxSuggestion,
  auxiliaryGuest('auxiliary', 'Auxiliary v5: arm_cca_guest.arm-rsi-dev.0 under arm-smccc', true),
  auxiliaryHost('auxiliary-host', 'Auxiliary v5, host side: arm_cca_host.arm-rmi-dev.0'),
  auxiliaryGuest('auxiliary-v4', 'Auxiliary v4 (reconstructed): RSI under arm-smccc, TRNG a platform device', false),
  auxiliaryGuest('auxiliary-v2', 'Auxiliary v2: RSI under arm-smccc, TRNG a platform device', false),
  auxiliaryHost('auxiliary-v2-host', 'Auxiliary v2, host side: arm_cca_host.arm-rmi-dev.0'),
  smcccBus('smccc-bus', 'arm_smccc bus, queued for 7.4: /sys/devices/arm-rsi', 'arm-rsi', 'arm_smccc:fC4000190', 'Matched by SMCCC function ID: the alias names the firmware call, not a device name.'),
  smcccBus('smccc-bus-v7', 'arm_smccc bus v7: arm-rsi-dev-2', 'arm-rsi-dev-2', 'arm_smccc:arm-rsi-dev', 'v7 matches by name, so the alias is arm_smccc:arm-rsi-dev; the queued code moved to function IDs.'),
  smcccBusHost,
  smcccBus('smccc-bus-v6', 'arm_smccc bus v6: arm-rsi-dev-1', 'arm-rsi-dev-1', 'arm_smccc:arm-rsi-dev', 'v6 registers RSI first, so it is arm-rsi-dev-1 and TRNG arm-smccc-trng-2: the ids follow probe order.'),
];

/** the walkthrough of a built-in design: its own, else its design family's default revision's */
export function walkthroughFor(designId: string): Walkthrough | undefined {
  return BUILTIN_WALKTHROUGHS.find((w) => w.id !== 'the-question' && w.design === designId);
}
