/** Linux errno values (include/uapi/asm-generic/errno-base.h, errno.h, include/linux/errno.h). */
export const ERRNO: Record<string, number> = {
  EPERM: 1, ENOENT: 2, EIO: 5, ENXIO: 6, E2BIG: 7, ENOEXEC: 8, EAGAIN: 11, ENOMEM: 12, EACCES: 13,
  EFAULT: 14, EBUSY: 16, EEXIST: 17, ENODEV: 19, EINVAL: 22, ENOSPC: 28, ENOSYS: 38,
  EOPNOTSUPP: 95, ETIMEDOUT: 110, EPROBE_DEFER: 517,
};
export const E = {
  NOENT: -2, NXIO: -6, AGAIN: -11, NOMEM: -12, BUSY: -16, EXIST: -17, NODEV: -19, INVAL: -22,
  OPNOTSUPP: -95, PROBE_DEFER: -517,
} as const;

const STRERROR: Record<number, string> = {
  1: 'Operation not permitted', 2: 'No such file or directory', 5: 'Input/output error',
  6: 'No such device or address', 11: 'Resource temporarily unavailable', 12: 'Cannot allocate memory',
  16: 'Device or resource busy', 17: 'File exists', 19: 'No such device', 22: 'Invalid argument',
  95: 'Operation not supported', 110: 'Connection timed out', 517: 'Unknown error 517',
};

/** "ENODEV" | "-ENODEV" | -19 | 19 → -19 */
export function parseErrno(v: number | string): number {
  if (typeof v === 'number') return v === 0 ? 0 : -Math.abs(v);
  const key = v.replace(/^-/, '');
  const n = Object.hasOwn(ERRNO, key) ? ERRNO[key] : undefined;
  if (n === undefined) throw new Error(`unknown errno "${v}"`);
  return -n;
}

let ERRNO_NAMES: Map<number, string> | null = null;

export function errnoName(n: number): string {
  if (!ERRNO_NAMES) {
    // the first name of each number, as the table lists them (EAGAIN before EWOULDBLOCK)
    ERRNO_NAMES = new Map();
    for (const [k, v] of Object.entries(ERRNO)) if (!ERRNO_NAMES.has(v)) ERRNO_NAMES.set(v, `-${k}`);
  }
  return ERRNO_NAMES.get(Math.abs(n)) ?? String(n);
}

/** what `sh` prints for a failing write: strerror(errno) */
export function strerror(n: number): string {
  return (Object.hasOwn(STRERROR, Math.abs(n)) ? STRERROR[Math.abs(n)] : undefined) ?? `Unknown error ${Math.abs(n)}`;
}
