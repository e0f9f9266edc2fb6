# SPDX-License-Identifier: GPL-2.0
#
# Guest initramfs: busybox-static, /init (tools/guest/init), the modules
# built for one kernel (flattened into /lib/tqueue/), tests/selftests/ as
# /tests/, and the splat regex list as /etc/tqueue-splat.re.
# shellcheck shell=bash

# tq_initramfs MODBUILD_DIR OUT.cpio.gz
tq_initramfs() {
	local moddir="$1" out="$2" root app ko
	root="$(mktemp -d "${TMPDIR:-/tmp}/tqueue-initramfs.XXXXXX")"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,etc,lib/tqueue,tests}
	cp /bin/busybox "$root/bin/busybox"
	while read -r app; do
		[[ "$app" == bin/busybox || -e "$root/$app" ]] && continue
		ln -s /bin/busybox "$root/$app"
	done < <(/bin/busybox --list-full)
	install -m 0755 "$TQ_TOOLS/guest/init" "$root/init"
	tq_splat_regex >"$root/etc/tqueue-splat.re"
	if [[ -d "$moddir" ]]; then
		while IFS= read -r -d '' ko; do
			cp "$ko" "$root/lib/tqueue/"
		done < <(find "$moddir" -name '*.ko' -print0)
	fi
	if [[ -d "$TQ_TOP/tests/selftests" ]]; then
		cp -r "$TQ_TOP/tests/selftests/." "$root/tests/"
	fi
	# An initial console for the kernel; /init also remounts devtmpfs.
	if [[ "$(id -u)" == 0 ]]; then
		mknod -m 600 "$root/dev/console" c 5 1
	fi
	(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio -o -0 -H newc --quiet -R 0:0) | gzip -1 >"$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$root"
}
