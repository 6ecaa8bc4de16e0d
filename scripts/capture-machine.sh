#!/bin/sh
# capture-machine.sh: write one text bundle describing this machine's devices, drivers and
# modules, for `npm run sim -- import machine <bundle>` (docs/machine-import.md).
#
#   sh scripts/capture-machine.sh > machine.bundle          (no root needed)
#   sh scripts/capture-machine.sh --no-udevadm > m.bundle   (sysfs form only)
#
# POSIX sh + find/cat/sed/tr/grep: runs under busybox too (no udevadm there: the sysfs form).
# Sections start with a line "### bindscope-machine <name>" and run to the next such line.
# Nothing is written but this bundle on stdout.
set -u
use_udevadm=1
[ "${1:-}" = "--no-udevadm" ] && use_udevadm=0

sect() { printf '### bindscope-machine %s\n' "$1"; }

sect "bundle 1"
sect uname
uname -r
sect hostname
(hostname 2>/dev/null || cat /proc/sys/kernel/hostname)

if [ "$use_udevadm" = 1 ] && command -v udevadm >/dev/null 2>&1; then
	sect udevadm-export-db
	udevadm info --export-db 2>/dev/null
fi

# the sysfs listing: type (d directory, l symlink, f file), path, link target. Under /sys/devices
# only what the importer reads (uevent files, driver and subsystem links); /sys/bus and /sys/class
# to the depth of /sys/bus/<bus>/drivers/<drv>/module. The full `find /sys/devices /sys/bus
# /sys/class -printf '%y %p %l\n'` is read the same way.
listing() {
	find "$@" -printf '%y %p %l\n' 2>/dev/null ||
		# busybox find has no -printf: the same three columns by hand
		find "$@" 2>/dev/null | while read -r p; do
			if [ -L "$p" ]; then echo "l $p $(readlink "$p")"
			elif [ -d "$p" ]; then echo "d $p "
			else echo "f $p "; fi
		done
}
sect sysfs-listing
listing /sys/devices '(' -name uevent -o -name driver -o -name subsystem ')'
listing /sys/bus /sys/class -maxdepth 4
# /sys/module: which drivers each module registered (module/<m>/drivers/<bus>:<drv>)
listing /sys/module -maxdepth 3 -path '*/drivers/*'

# every device's uevent file, introduced by its path
sect uevents
find /sys/devices -name uevent -type f 2>/dev/null | while read -r f; do
	printf '@ %s\n' "$f"
	cat "$f" 2>/dev/null
done

sect proc-modules
cat /proc/modules 2>/dev/null

kver=$(uname -r)
moddir=/lib/modules/$kver
sect modules-builtin
cat "$moddir/modules.builtin" 2>/dev/null
# the built-in modules' aliases: modules.builtin.modinfo is NUL-separated "module.key=value"
sect modules-builtin-modinfo
[ -r "$moddir/modules.builtin.modinfo" ] && tr '\0' '\n' < "$moddir/modules.builtin.modinfo" | grep '^[^=]*\.alias='
sect modules-alias
cat "$moddir/modules.alias" 2>/dev/null
sect end
