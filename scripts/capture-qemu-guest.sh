#!/bin/sh
# capture-qemu-guest.sh: boot a Debian kernel under QEMU (TCG, no KVM) with a busybox initramfs
# that does udev's coldplug module loading by hand and prints scripts/capture-machine.sh's bundle
# (sysfs form: busybox has no udevadm) on the serial console. How test/fixtures/machines/
# qemu-*.bundle was made (see its README).
#
#   sh scripts/capture-qemu-guest.sh <extracted linux-image dir> <kernel version> <out.bundle> [modules.list]
#   ARCH=arm64 BUSYBOX=<arm64 busybox> sh scripts/capture-qemu-guest.sh ...   (qemu-system-aarch64 -machine virt: DT)
#
# Needs: qemu-system-x86 (or qemu-system-arm), busybox-static (of the guest's architecture), cpio,
# kmod (depmod) (Debian packages).
# <extracted dir>: `apt-get download linux-image-6.1.0-NN-amd64 && dpkg-deb -x *.deb DIR`.
# modules.list: the .ko paths (relative to /lib/modules/<ver>/) to put in the initramfs, with
# their modules.dep dependencies; without it the guest has only its built-in drivers.
set -eu
kdir=$1; kver=$2; out=$3; list=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/lib/modules/$kver"
cp "${BUSYBOX:-/bin/busybox}" "$root/bin/busybox"
cp "$here/capture-machine.sh" "$root/capture-machine.sh"
m=$kdir/lib/modules/$kver
cp "$m/modules.builtin" "$m/modules.builtin.modinfo" "$m/modules.order" "$root/lib/modules/$kver/"
if [ -n "$list" ]; then
	# the listed modules and everything modules.dep says they need
	sort -u "$list" | while read -r ko; do
		echo "$ko"
		grep "^$ko:" "$m/modules.dep" | cut -d: -f2 | tr ' ' '\n' | grep . || true
	done | sort -u | while read -r ko; do
		mkdir -p "$root/lib/modules/$kver/$(dirname "$ko")"
		cp "$m/$ko" "$root/lib/modules/$kver/$ko"
	done
fi
# depmod over what is in the initramfs: modules.alias and modules.dep of those modules only
/sbin/depmod -b "$root" "$kver"
cat > "$root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev
hostname "$(cat /guest-name)"
# coldplug as udev's kmod builtin does it (80-drivers.rules: modprobe -b $MODALIAS for every
# device), repeated so that devices created by a loaded driver get their turn
for pass in 1 2 3 4; do
	find /sys/devices -name uevent | while read -r f; do
		a=$(grep '^MODALIAS=' "$f" | cut -d= -f2-)
		[ -n "$a" ] && modprobe -q "$a" 2>/dev/null
	done
done
sleep 2
echo '@@BINDSCOPE-BEGIN@@'
sh /capture-machine.sh --no-udevadm
echo '@@BINDSCOPE-END@@'
poweroff -f
EOF
chmod +x "$root/init"
echo "${GUEST_NAME:-qemu-guest}" > "$root/guest-name"
(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) > "$work/initrd.gz"
if [ "${ARCH:-x86_64}" = arm64 ]; then
	# the virt machine describes its devices in a DT: virtio-mmio, pl011, pl031, pl061, gpio-keys, fw_cfg, PCIe ECAM
	timeout 1500 qemu-system-aarch64 -machine virt -cpu cortex-a57 -accel tcg -m 1024 -smp 1 -nographic -no-reboot \
		-kernel "$kdir/boot/vmlinuz-$kver" -initrd "$work/initrd.gz" \
		-append "console=ttyAMA0 loglevel=1 panic=-1" \
		-nic user,model=virtio-net-pci -device virtio-rng-device -device qemu-xhci -device usb-kbd \
		> "$work/console.log" 2>&1 || true
else
	timeout 900 qemu-system-x86_64 -machine pc -accel tcg -m 1024 -smp 1 -nographic -no-reboot \
		-kernel "$kdir/boot/vmlinuz-$kver" -initrd "$work/initrd.gz" \
		-append "console=ttyS0 loglevel=1 panic=-1" \
		-nic user,model=e1000 -device virtio-rng-pci -usb -device usb-tablet \
		-device intel-hda -device hda-duplex \
		> "$work/console.log" 2>&1 || true
fi
# the bundle between the markers, without the console's carriage returns
cp "$work/console.log" "$out.console"; tr -d "\r" < "$work/console.log" | sed -n "/@@BINDSCOPE-BEGIN@@/,/@@BINDSCOPE-END@@/p" | sed '1d;$d' > "$out"
[ -s "$out" ] || { echo "no bundle on the console; its last lines:" >&2; tail -20 "$work/console.log" >&2; exit 1; }
echo "wrote $out ($(wc -l < "$out") lines)" >&2
