/**
 * A synthetic machine bundle of any size, for the importer's scaling figures (bench/machine.ts) and
 * its large-capture test: PCI functions under host bridges, each with a USB-like child bus of
 * interface devices and a class device, a platform device per 10 functions, modules.alias with
 * a loaded module per other vendor/device id, in the udevadm export-db form.
 */
export function syntheticBundle(devices: number): { text: string; expect: { devices: number; bound: number; onBus: number } } {
  const recs: string[] = [];
  const aliases: string[] = [];
  const loaded: string[] = [];
  let n = 0;
  let bound = 0;
  let onBus = 0;
  const rec = (devpath: string, env: Record<string, string>) => {
    recs.push(`P: ${devpath}`, `M: ${devpath.slice(devpath.lastIndexOf('/') + 1)}`, `E: DEVPATH=${devpath}`, ...Object.entries(env).map(([k, v]) => `E: ${k}=${v}`), '');
    n++;
    if (env.DRIVER) bound++;
  };
  const hex4 = (x: number) => x.toString(16).toUpperCase().padStart(4, '0');
  for (let f = 0; n < devices; f++) {
    const bridge = `pci0000:${(f >> 8).toString(16).padStart(2, '0')}`;
    const fn = `0000:${(f >> 8).toString(16).padStart(2, '0')}:${((f & 0xff) >> 3).toString(16).padStart(2, '0')}.${f & 7}`;
    const dev = hex4(f);
    const pciPath = `/devices/${bridge}/${fn}`;
    const drv = `drv${dev.toLowerCase()}`;
    const isLoaded = f % 2 === 0;
    const modalias = `pci:v00001AF4d0000${dev}sv00001AF4sd00001100bc02sc00i00`;
    // a driver on disk for every other function; the rest have none (as most of a machine's devices)
    if (isLoaded) aliases.push(`alias pci:v00001AF4d0000${dev}sv*sd*bc*sc*i* ${drv}`);
    if (isLoaded) loaded.push(`${drv} 16384 0 - Live 0x0000000000000000`);
    rec(pciPath, { SUBSYSTEM: 'pci', ...(isLoaded ? { DRIVER: drv } : {}), MODALIAS: modalias });
    onBus++;
    if (n >= devices) break;
    const ifPath = `${pciPath}/usb${f}/${f}-0:1.0`;
    rec(`${pciPath}/usb${f}`, { SUBSYSTEM: 'usb', DEVTYPE: 'usb_device' });
    onBus++;
    if (n >= devices) break;
    rec(ifPath, { SUBSYSTEM: 'usb', DEVTYPE: 'usb_interface', MODALIAS: `usb:v1D6Bp0001d0601dc09dsc00dp00ic09isc00ip00in00` });
    onBus++;
    if (n >= devices) break;
    rec(`${ifPath}/net/eth${f}`, { SUBSYSTEM: 'net', INTERFACE: `eth${f}` });
    if (n >= devices) break;
    if (f % 10 === 0) {
      rec(`/devices/platform/serial8250.${f / 10}`, { SUBSYSTEM: 'platform', DRIVER: 'serial8250', MODALIAS: 'platform:serial8250' });
      onBus++;
    }
  }
  const text = [
    '### bindscope-machine bundle 1', '### bindscope-machine uname', '6.1.0-synthetic', '### bindscope-machine hostname', `synthetic-${devices}`,
    '### bindscope-machine udevadm-export-db', ...recs,
    '### bindscope-machine proc-modules', ...loaded.reverse(),
    '### bindscope-machine modules-alias', ...aliases,
    '### bindscope-machine end', '',
  ].join('\n');
  return { text, expect: { devices: n, bound, onBus } };
}
