/**
 * The TSM framework: the single report provider (drivers/virt/coco/guest/report.c in 6.17+,
 * tsm_report_register) and, from 6.19, the `tsm` class with tsm%d devices
 * (drivers/virt/coco/tsm-core.c, tsm_register).
 */
import type { Kernel, ExecContext } from '../core/kernel';
import { E } from '../core/errno';
import { deviceAdd, deviceDel, deviceUevent } from '../core/core';

const REPORT = 'drivers/virt/coco/guest/report.c';
const CORE = 'drivers/virt/coco/tsm-core.c';

export function tsmReportRegister(k: Kernel, provider: string): number {
  const cur = k.state.misc.tsmProvider;
  if (cur !== null) {
    // pr_err("\"%s\" ops already registered\n", provider.ops->name): the provider already registered, prefix "tsm_report: "
    return k.error(`tsm_report_register "${provider}": "${cur}" is already the provider: -EBUSY`, E.BUSY, `${REPORT}:tsm_report_register`, { modules: [provider] }, `tsm_report: "${cur}" ops already registered`);
  }
  k.state.setMisc('tsmProvider', provider);
  k.emit('tsm', `tsm_report_register: "${provider}" is the TSM report provider (configfs tsm/report)`, `${REPORT}:tsm_report_register`, { touches: { modules: [provider] } });
  return 0;
}

export function tsmReportUnregister(k: Kernel, provider: string): number {
  if (k.state.misc.tsmProvider !== provider) {
    return k.error(`tsm_report_unregister "${provider}": not the registered provider: -EBUSY`, E.BUSY, `${REPORT}:tsm_report_unregister`);
  }
  k.state.setMisc('tsmProvider', null);
  k.emit('tsm', `tsm_report_unregister: "${provider}" is no longer the TSM report provider`, `${REPORT}:tsm_report_unregister`, { touches: { modules: [provider] } });
  return 0;
}

/**
 * tsm_register(parent, pci_ops): a tsm%d device in class "tsm" under the parent (6.19+); with
 * PCI ops, tsm_register_pci_or_reset() then calls pci_tsm_register() and "Notify[s] TSM userspace
 * that PCI/TSM operations are now possible" with a KOBJ_CHANGE on tsmN.
 */
export function tsmRegister(k: Kernel, parent: string, ctx: ExecContext, pciOps: boolean): number {
  if (!k.facts.tsm_class) {
    return k.error(`tsm_register() does not exist in Linux ${k.facts.kernel} (the tsm class arrived in 6.19)`, E.INVAL, `${CORE}:tsm_register`);
  }
  const used = new Set([...k.state.devices.values()].filter((d) => d.cls === 'tsm').map((d) => d.name));
  let n = 0;
  while (used.has(`tsm${n}`)) n++;
  k.emit('tsm', `tsm_register: class device tsm${n} under ${k.device(parent)?.name ?? parent}`, `${CORE}:tsm_register`, { touches: { devices: [parent] } });
  const res = deviceAdd(k, { name: `tsm${n}`, bus: null, cls: 'tsm', parent, createdBy: ctx.module ?? 'kernel' });
  if (res.ret || !res.dev || !pciOps) return res.ret;
  k.emit('tsm', `tsm_register_pci_or_reset: pci_tsm_register(tsm${n}) succeeded: PCI/TSM operations are now possible`, `${CORE}:tsm_register_pci_or_reset`, { touches: { devices: [res.dev.devpath] } });
  deviceUevent(k, k.device(res.dev.devpath)!, 'change');
  return 0;
}

export function tsmUnregister(k: Kernel, parent: string): number {
  const dev = k.children(parent).find((d) => d.cls === 'tsm');
  if (!dev) return k.error(`tsm_unregister: no tsm device under ${parent}`, E.NODEV, `${CORE}:tsm_unregister`);
  return deviceDel(k, dev.devpath);
}
