#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unit test of the KCSAN report policy (tools/results.sh: tq_kcsan_scan,
# tq_splat_regex; tools/pipeline.sh: tq_eval_kcsan) on synthetic console
# logs in the format of Linux 6.12's kernel/kcsan/report.c. No kernel, no
# QEMU; TAP on stdout, exit status 1 if a case fails.
#
#   bash tools/tests/kcsan.sh
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

T="$(mktemp -d "${TMPDIR:-/tmp}/tqueue-test-kcsan.XXXXXX")"
trap 'rm -rf "$T"' EXIT
TQ_LOGS="$T/logs"
mkdir -p "$TQ_LOGS"
# shellcheck source=tools/tests/lib/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/tap.sh"

# report TS TITLE "ACCESS1" "FRAMES1" "ACCESS2" "FRAMES2": one KCSAN report
# (frames separated by "|"; ACCESS2 empty: a race of unknown origin).
report() {
	local ts="$1" f
	printf '[%s] ==================================================================\n' "$ts"
	printf '[%s] BUG: KCSAN: %s\n[%s] \n' "$ts" "$2" "$ts"
	printf '[%s] %s\n' "$ts" "$3"
	while IFS= read -r -d '|' f; do printf '[%s]  %s\n' "$ts" "$f"; done <<<"$4|"
	if [[ -n "$5" ]]; then
		printf '[%s] \n[%s] %s\n' "$ts" "$ts" "$5"
		while IFS= read -r -d '|' f; do printf '[%s]  %s\n' "$ts" "$f"; done <<<"$6|"
	fi
	printf '[%s] \n[%s] value changed: 0x0000000000000000 -> 0xffff888003e2b010\n' "$ts" "$ts"
	printf '[%s] \n[%s] Reported by Kernel Concurrency Sanitizer on:\n' "$ts" "$ts"
	printf '[%s] CPU: 1 UID: 0 PID: 0 Comm: swapper/1 Not tainted 6.12.117 #1\n' "$ts"
	printf '[%s] ==================================================================\n' "$ts"
}
boot() {
	printf '[    0.000000] Linux version 6.12.117 (root@host) #1 SMP PREEMPT\n'
	printf '[    0.400000] kcsan: enabled early\n[    0.400001] kcsan: strict mode configured\n'
}
# The kernel's own races, reached through tqueue's code (tqueue frames
# below the top frames): tolerated.
kernel_reports() {
	report '   45.123789' 'data-race in hrtimer_wakeup / schedule_hrtimeout_range_clock' \
		'write to 0xffffc90000153d28 of 8 bytes by interrupt on cpu 1:' \
		'hrtimer_wakeup+0x2c/0x50|__hrtimer_run_queues+0x20c/0x4a0|tq_timer_fn+0x44/0x90 [tqueue]' \
		'read to 0xffffc90000153d28 of 8 bytes by task 123 on cpu 0:' \
		'schedule_hrtimeout_range_clock+0x12e/0x220|tq_torture_thread+0x88/0x300 [tq_torture]|kthread+0x1b2/0x1f0'
	report '   60.000001' 'data-race in queue_work_on / set_work_data' \
		'read-write (marked) to 0xffff8880045a1e40 of 8 bytes by task 88 on cpu 1:' \
		'set_work_data+0x1a/0x30|queue_work_on+0x6c/0xa0|tq_schedule+0x30/0x60 [tqueue]' \
		'read to 0xffff8880045a1e40 of 8 bytes by task 90 on cpu 0:' \
		'queue_work_on+0x25/0xa0|jiq_print_wq+0x40/0x80 [jiq]'
}
# Races in tqueue's code: header and top frames in tqueue; a kernel
# function against a function of sched.ko; only the top frame names the
# module (header without module tags); unknown origin in a test client.
tqueue_reports() {
	report '   50.000001' 'data-race in queue_task [tqueue] / tq_run_queue [tqueue]' \
		'write to 0xffffffffc0203040 of 8 bytes by task 77 on cpu 0:' \
		'queue_task+0x58/0x120 [tqueue]|tq_torture_producer+0x90/0x200 [tq_torture]' \
		'read (marked) to 0xffffffffc0203040 of 8 bytes by interrupt on cpu 1:' \
		'tq_run_queue+0x22/0x1a0 [tqueue]|tq_timer_fn+0x44/0x90 [tqueue]'
	report '   51.000001' 'data-race in hrtimer_start_range_ns / sched_timer_fn [sched]' \
		'write to 0xffff888003e2b000 of 8 bytes by task 5 on cpu 0:' \
		'hrtimer_start_range_ns+0x10/0x300' \
		'read to 0xffff888003e2b000 of 8 bytes by task 6 on cpu 1:' \
		'sched_timer_fn+0x22/0x1a0 [sched]'
	report '   52.000001' 'data-race in hrtimer_active / mystery' \
		'read to 0xffff888003e2c000 of 8 bytes by task 5 on cpu 0:' \
		'hrtimer_active+0x10/0x300' \
		'write to 0xffff888003e2c000 of 8 bytes by task 6 on cpu 1:' \
		'tq_bh_fn+0x22/0x1a0 [tqueue_kunit]'
	report '   53.000001' 'data-race in tq_leaky_fn+0x10/0x40 [tq_leaky]' \
		'race at unknown origin, with read to 0xffff888003e2b000 of 8 bytes by task 5 on cpu 0:' \
		'tq_leaky_fn+0x10/0x40 [tq_leaky]' '' ''
}
# console LOG [EXTRA]: a check-mode console log whose kunit and dmesg
# sections both hold the reports (as the guest dumps dmesg twice).
console() {
	{
		echo '@@TQ progress: booted kcsan-6.12 mode=check kunit=1@@'
		echo '@@TQ-BEGIN kunit@@'
		boot
		kernel_reports
		# Half printed when the first dmesg dump ran.
		[[ "${2:-}" == tqueue ]] && printf '[   50.000001] ==================================================================\n[   50.000001] BUG: KCSAN: data-race in queue_task [tqueue] / tq_run_queue [tqueue]\n'
		echo '@@TQ-END kunit rc=0@@'
		[[ "${2:-}" == nodmesg ]] || {
			echo '@@TQ-BEGIN dmesg@@'
			[[ "${2:-}" == wrapped ]] || boot
			kernel_reports
			[[ "${2:-}" == tqueue ]] && tqueue_reports
			echo '@@TQ-END dmesg@@'
			echo '@@TQ-DONE@@'
		}
	} >"$1"
}

echo "1..16"
console "$T/kernel.log"
console "$T/tqueue.log" tqueue
console "$T/wrapped.log" wrapped
console "$T/nodmesg.log" nodmesg

rc=0
tq_kcsan_scan "$T/kernel.log" "$T/k" || rc=$?
ok "$rc" "kernel-only reports pass"
expect "kernel-only: 2 distinct reports (each dumped twice)" "$(tq_kcsan_field "$T/k" n)/$(tq_kcsan_field "$T/k" own)" "2/0"
expect "kernel-only: tolerated by name" "$(cut -f2 "$T/k.kernel" | paste -sd '|')" \
	"data-race in hrtimer_wakeup / schedule_hrtimeout_range_clock|data-race in queue_work_on / set_work_data"

rc=0
tq_kcsan_scan "$T/tqueue.log" "$T/q" || rc=$?
expect "tqueue reports fail" "$rc" 1
expect "tqueue: 6 reports, 4 in tqueue's code" "$(tq_kcsan_field "$T/q" n)/$(tq_kcsan_field "$T/q" own)" "6/4"
expect "tqueue: the half-printed copy is replaced by the full one" \
	"$(awk -F '\t' '$2 ~ /^data-race in queue_task/ { print $3 " / " $4 }' "$T/q.tsv")" \
	"queue_task+0x58/0x120 [tqueue] / tq_run_queue+0x22/0x1a0 [tqueue]"
expect "tqueue: verdict per report" "$(cut -f1,2 "$T/q.tsv" | sed 's/\t/ /' | paste -sd '|')" \
	"kernel data-race in hrtimer_wakeup / schedule_hrtimeout_range_clock|kernel data-race in queue_work_on / set_work_data|tqueue data-race in queue_task [tqueue] / tq_run_queue [tqueue]|tqueue data-race in hrtimer_start_range_ns / sched_timer_fn [sched]|tqueue data-race in hrtimer_active / mystery|tqueue data-race in tq_leaky_fn+0x10/0x40 [tq_leaky]"
expect "tqueue: the failing reports' text is kept" "$(grep -c '^### KCSAN report' "$T/q.tqueue")" 4

rc=0
tq_kcsan_scan "$T/wrapped.log" "$T/w" || rc=$?
expect "a dmesg dump that does not begin at boot cannot pass" "$rc:$(tq_kcsan_field "$T/w" problem | sed "s/(.*//")" "1:the dmesg dump does not begin at boot "
rc=0
tq_kcsan_scan "$T/nodmesg.log" "$T/n" || rc=$?
expect "no dmesg dump cannot pass" "$rc:$(tq_kcsan_field "$T/n" problem)" "1:no dmesg dump in the console log (guest did not finish)"

rc=0
tq_splat_scan "$T/tqueue.log" "$T/s1" kcsan-6.12 || rc=$?
expect "kcsan-6.12: KCSAN reports are not generic splats" "$rc" 0
rc=0
tq_splat_scan "$T/tqueue.log" "$T/s2" debug-6.12 || rc=$?
expect "debug-6.12: a KCSAN report is a splat" "$rc:$(wc -l <"$T/s2.unexpected")" "1:6"
{
	cat "$T/kernel.log"
	echo '[   70.000000] BUG: unable to handle page fault for address: ffffffffc0200000'
} >"$T/bug.log"
rc=0
tq_splat_scan "$T/bug.log" "$T/s3" kcsan-6.12 || rc=$?
expect "kcsan-6.12: other BUG: lines still are splats" "$rc:$(cut -c16- "$T/s3.unexpected")" \
	"1:BUG: unable to handle page fault for address: ffffffffc0200000"
expect "kcsan-6.12: the guest's pattern list (busybox grep) skips only KCSAN headers" \
	"$(tq_splat_regex kcsan-6.12 >"$T/re"; busybox grep -c -E -f "$T/re" "$T/bug.log")" 1

# tq_eval_kcsan counts one case: pass on kernel.log, fail on tqueue.log.
TQ_PASS=0 TQ_FAIL=0
tq_eval_kcsan kcsan-6.12 "$T/kernel.log" >"$T/e1.out"
tq_eval_kcsan kcsan-6.12 "$T/tqueue.log" >"$T/e2.out"
expect "tq_eval_kcsan: one pass, one fail" "$TQ_PASS/$TQ_FAIL" "1/1"
expect "tq_eval_kcsan: the failure names tqueue's reports" \
	"$(grep -c -E "FAIL kcsan-6.12: no KCSAN data race in tqueue's code: 4 KCSAN report\(s\) in tqueue's code: .*queue_task \[tqueue\] / tq_run_queue \[tqueue\]" "$T/e2.out")" 1
sed 's/^/# /' "$T/e2.out" | head -n 12

((nfail == 0))
