# SPDX-License-Identifier: GPL-2.0
#
# Boot a kernel + initramfs in QEMU (TCG by default; TQ_ACCEL=kvm to try KVM),
# with a hard time limit. The console log is written without CRs.
#
# tsc=unstable: under TCG the vCPUs' TSCs drift apart, and a kernel that
# finds out late (clocksource watchdog) clears the sched_clock_stable static
# key at run time. That live text patch once ended a stock-6.12-rt guest
# with "Oops: int3" at the patched jump in sched_clock_cpu() (2026-12-02,
# 60 s in, no tqueue frame). Marked unstable from the start, every kernel
# runs as debug-6.1, stock-6.1 and stock-5.10 already did (they find the
# TSCs unsynchronized while booting) and nothing is patched later.
# shellcheck shell=bash

# tq_qemu KIMAGE INITRD APPEND LOG TIMEOUT -> QEMU/timeout exit status
tq_qemu() {
	local kimage="$1" initrd="$2" append="$3" log="$4" limit="$5" rc=0
	rm -f "$log" "$log.raw"
	timeout -k 10 "$limit" qemu-system-x86_64 \
		-accel "$TQ_ACCEL" -smp "$TQ_QEMU_SMP" -m "$TQ_QEMU_MEM" \
		-nographic -no-reboot -monitor none -nic none \
		-serial "file:$log.raw" \
		-kernel "$kimage" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 tsc=unstable $append" \
		</dev/null >"$log.qemu" 2>&1 || rc=$?
	tr -d '\r' <"$log.raw" >"$log" 2>/dev/null || : >"$log"
	rm -f "$log.raw"
	[[ -s "$log.qemu" ]] || rm -f "$log.qemu"
	return "$rc"
}
