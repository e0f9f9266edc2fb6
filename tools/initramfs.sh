# SPDX-License-Identifier: GPL-2.0
#
# Guest initramfs: busybox-static, /init (tools/guest/init), the modules
# built for one kernel (flattened into /lib/tqueue/), tests/selftests/ as
# /tests/, the splat regex list as /etc/tqueue-splat.re, tools/tq_monitor
# and the host's trace-cmd with its shared libraries (trace.sh records
# with it). With TQ_PERF=1 also the host's perf (`make bench` profile).
# shellcheck shell=bash

# tq_perf_binary -> path of the host's real perf executable (Debian's
# linux-perf may install /usr/bin/perf as a wrapper script that runs
# perf_<version>; take the newest of those then).
tq_perf_binary() {
	local p
	p="$(command -v perf 2>/dev/null)" || return 1
	p="$(readlink -f "$p")"
	if [[ "$(head -c 2 "$p")" == '#!' ]]; then
		p="$(find "$(dirname "$p")" -maxdepth 1 -name 'perf_[0-9]*' -type f -perm -u+x | sort -V | tail -n1)"
	fi
	[[ -n "$p" ]] || return 1
	head -c 4 "$p" | grep -q '^.ELF' || return 1
	printf '%s' "$p"
}

# tq_initramfs_binary ROOT BINARY NAME: BINARY as ROOT/usr/bin/NAME, with
# every shared library ldd lists (the dynamic loader included) at its
# absolute path.
tq_initramfs_binary() {
	local root="$1" bin="$2" lib
	if ldd "$bin" | grep 'not found' >&2; then
		tq_die "$bin: shared libraries not found"
	fi
	install -m 0755 "$bin" "$root/usr/bin/$3"
	while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done < <(ldd "$bin" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }' | sort -u)
}

# tq_initramfs_perf ROOT: perf as ROOT/usr/bin/perf
tq_initramfs_perf() {
	local perf
	perf="$(tq_perf_binary)" || tq_die "TQ_PERF=1: no perf executable found (package linux-perf)"
	tq_initramfs_binary "$1" "$perf" perf
}

# tq_initramfs MODBUILD_DIR OUT.cpio.gz [FLAVOUR [OVERLAY]] (FLAVOUR: for
# the splat patterns, see tq_splat_regex). OVERLAY: a directory copied onto
# the root as it is (tq_boot_overlay: the modules DKMS built, in
# lib/modules/<release>/updates/dkms, and signed copies of tqueue.ko);
# tests/selftests/tqueue/dkms.sh is left out of a guest without the former.
tq_initramfs() {
	local moddir="$1" out="$2" fl="${3:-}" overlay="${4:-}" root app ko
	root="$(mktemp -d "${TMPDIR:-/tmp}/tqueue-initramfs.XXXXXX")"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,etc,lib/tqueue,tests}
	cp /bin/busybox "$root/bin/busybox"
	while read -r app; do
		[[ "$app" == bin/busybox || -e "$root/$app" ]] && continue
		ln -s /bin/busybox "$root/$app"
	done < <(/bin/busybox --list-full)
	install -m 0755 "$TQ_TOOLS/guest/init" "$root/init"
	# The monitor, as a user runs it (tests/selftests/tqueue/trace.sh).
	install -m 0755 "$TQ_TOOLS/tq_monitor" "$root/usr/bin/tq_monitor"
	if [[ -x /usr/bin/trace-cmd ]]; then
		tq_initramfs_binary "$root" /usr/bin/trace-cmd trace-cmd
	fi
	tq_splat_regex "$fl" >"$root/etc/tqueue-splat.re"
	if [[ -d "$moddir" ]]; then
		while IFS= read -r -d '' ko; do
			cp "$ko" "$root/lib/tqueue/"
		done < <(find "$moddir" -name '*.ko' -print0)
	fi
	if [[ -d "$TQ_TOP/tests/selftests" ]]; then
		cp -r "$TQ_TOP/tests/selftests/." "$root/tests/"
	fi
	if [[ -n "$overlay" && -d "$overlay" ]]; then
		cp -a "$overlay/." "$root/"
	fi
	if ! compgen -G "$root/lib/modules/*/updates/dkms/tqueue.ko" >/dev/null; then
		rm -f "$root/tests/tqueue/dkms.sh"
	fi
	if [[ "${TQ_PERF:-0}" == 1 ]]; then
		tq_initramfs_perf "$root"
	fi
	# An initial console for the kernel; /init also remounts devtmpfs.
	if [[ "$(id -u)" == 0 ]]; then
		mknod -m 600 "$root/dev/console" c 5 1
	fi
	(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio -o -0 -H newc --quiet -R 0:0) | gzip -1 >"$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$root"
}
