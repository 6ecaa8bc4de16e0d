import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../engine/api';
import { formatDmesg, formatLsmod, formatUevent, isFileName, sysfsFileContent } from './format';

const snap = (parts: Partial<Snapshot>): Snapshot => ({
  step: 0, devices: [], drivers: [], modules: [], uevents: [], sysfs: [], log: [], firmware: [], facts: {},
  tsm: { reportProvider: null, classDevices: [] }, udevRunning: true, files: {}, kernelVersion: '7.0', ...parts,
});

describe('text views', () => {
  it('prints a uevent like udevadm monitor --kernel --property', () => {
    const text = formatUevent({
      seq: 3, action: 'add', devpath: '/devices/platform/arm-cca-dev', subsystem: 'platform',
      env: [['ACTION', 'add'], ['DEVPATH', '/devices/platform/arm-cca-dev'], ['SUBSYSTEM', 'platform'], ['MODALIAS', 'platform:arm-cca-dev'], ['SEQNUM', '3']],
    });
    expect(text.split('\n')).toEqual([
      'KERNEL[3] add      /devices/platform/arm-cca-dev (platform)',
      'ACTION=add', 'DEVPATH=/devices/platform/arm-cca-dev', 'SUBSYSTEM=platform', 'MODALIAS=platform:arm-cca-dev', 'SEQNUM=3',
    ]);
  });

  it('numbers kernel log lines', () => {
    expect(formatDmesg(['psci: PSCIv1.1 detected in firmware.'])).toBe('[    1] psci: PSCIv1.1 detected in firmware.');
    expect(formatDmesg([])).toContain('empty');
  });

  it('lists only loaded modules in lsmod, with how they were loaded; a bound device takes no module reference ("Used by" 0)', () => {
    const text = formatLsmod(snap({
      drivers: [{ id: 'auxiliary/arm_cca_guest', name: 'arm_cca_guest', bus: 'auxiliary', module: 'arm_cca_guest', bindAttrs: true, devices: ['/devices/x'] }],
      modules: [
        { name: 'arm_cca_guest', state: 'loaded', loadedBy: 'auxiliary:arm_cca_guest.arm-rsi-dev', location: 'module', aliases: [], drivers: ['auxiliary/arm_cca_guest'], initRet: null },
        { name: 'smccc', state: 'builtin', loadedBy: null, location: 'builtin', aliases: [], drivers: [], initRet: null },
        { name: 'gone', state: 'not-loaded', loadedBy: null, location: 'absent', aliases: [], drivers: [], initRet: null },
      ],
    }));
    const lines = text.split('\n');
    expect(lines[1]).toMatch(/^arm_cca_guest\s+0\s+udev: alias auxiliary:arm_cca_guest.arm-rsi-dev$/);
    expect(text).toContain('# built in (modules.builtin, not listed by lsmod): smccc');
    expect(text).toContain('# absent from the initramfs/rootfs: gone');
    expect(text).not.toContain('on disk, not loaded');
  });

  it('tells attribute files from empty directories by name', () => {
    expect(['uevent', 'driver_override', 'power', 'drivers'].map(isFileName)).toEqual([true, true, false, false]);
  });

  it('knows the content of a device uevent, modalias and driver_override file', () => {
    const s = snap({
      devices: [{
        name: 'arm-cca-dev', bus: 'platform', class: null, devpath: '/devices/platform/arm-cca-dev', parent: null, driver: null,
        modalias: 'platform:arm-cca-dev', driverOverride: null, unbindable: false, ofNode: null, acpiHid: null, firmwareNode: null,
        deferred: false, devmParent: null, createdBy: null,
      }],
    });
    const dir = '/sys/devices/platform/arm-cca-dev';
    const dirs = new Map([[dir, { path: dir, total: 2, entries: [{ name: 'modalias', kind: 'file' as const }, { name: 'uevent', kind: 'file' as const, content: 'MODALIAS=platform:arm-cca-dev' }] }]]);
    expect(sysfsFileContent(s, `${dir}/uevent`, dirs)).toBe('MODALIAS=platform:arm-cca-dev');
    // the uevent file comes with the directory's entries: not known before they have come, nor outside them
    expect(sysfsFileContent(s, `${dir}/uevent`, null)).toBeUndefined();
    expect(sysfsFileContent(s, `${dir}/uevent`, new Map())).toBeNull();
    expect(sysfsFileContent(s, `${dir}/modalias`, null)).toBe('platform:arm-cca-dev');
    expect(sysfsFileContent(s, `${dir}/driver_override`, null)).toBe('(null)');
    expect(sysfsFileContent(s, '/sys/bus/platform/uevent', dirs)).toBeNull();
  });
});
