#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Bad input: tests/modules/tq_badinput.c hands tqueue NULL tasks and queues,
# tasks without a routine or already queued elsewhere, unknown bottom halves
# and queues that cannot be flushed, and checks every answer at load. Three
# of those calls warn once each, on purpose (queue_task(), cancel_task_sync()
# and mark_bh() use WARN_ON_ONCE / WARN_ONCE): the module logs
# "tq_badinput: expect a warning: <call>" before each, which the line below
# declares to the harness, and this script checks that each warning appeared
# exactly once.
#
# Not tested here: a tq_timer routine that sleeps is the caller's bug, which
# the debug kernels' DEBUG_ATOMIC_SLEEP reports with a splat of its own.

. "$(dirname "$0")/lib.sh"

NMOD=20		# checks tq_badinput makes

[ -f "$TQ_MODDIR/tq_badinput.ko" ] || tap_skip_all "tq_badinput.ko not found in $TQ_MODDIR"
tq_need_core || tap_skip_all "tqueue.ko not found in $TQ_MODDIR"
tap_plan $((NMOD + 6))
echo "# EXPECT-SPLAT: tq_badinput: expect a warning"

# The warnings fire once per load of tqueue.ko: start from a fresh one, so
# that each must appear exactly once.
fresh=0
if rmmod tqueue 2>/dev/null && tq_need_core; then
	fresh=1
else
	tq_need_core
	diag "tqueue.ko could not be reloaded (clients loaded?): warnings may have fired before"
fi

warn_count()
{
	dmesg | grep -c -E "WARNING: .*[ /]$1\+0x"
}
STATS=/sys/kernel/debug/tqueue/stats
# refused QUEUE: the refused column of QUEUE's line in tqueue/stats
refused()
{
	awk -v q="$1" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$1 == q { print $c["refused"] }' "$STATS" 2>/dev/null
}
r_timer=$(refused tq_timer)
r_other=$(refused "(other)")
q_before=$(warn_count queue_task)
c_before=$(warn_count cancel_task_sync)
m_before=$(dmesg | grep -c -E 'mark_bh\((42|-1)\): no such bottom half')

if mod_load tq_badinput; then
	tap_ok "insmod tq_badinput"
else
	tap_not_ok "insmod tq_badinput"
fi
r=$(mod_param tq_badinput result 2>/dev/null)
tap_relay "$r" "$NMOD" tq_badinput
n=$(echo "$r" | grep -c -E '^(not )?ok ')
[ "$n" -eq $NMOD ] || diag "tq_badinput made $n checks, this script expects $NMOD"

# warn_case NAME BEFORE AFTER: exactly one new warning (at most one if the
# core could not be reloaded).
warn_case()
{
	_n=$(($3 - $2))
	if [ "$_n" -eq 1 ] || { [ $fresh -eq 0 ] && [ "$_n" -eq 0 ]; }; then
		tap_ok "$1 warned once ($_n)"
	else
		tap_not_ok "$1 warned once ($_n warnings)"
	fi
}
warn_case "queue_task() with a NULL task, queue or routine" "$q_before" "$(warn_count queue_task)"
warn_case "cancel_task_sync(NULL)" "$c_before" "$(warn_count cancel_task_sync)"
warn_case "mark_bh() of an unknown bottom half" "$m_before" \
	"$(dmesg | grep -c -E 'mark_bh\((42|-1)\): no such bottom half')"

# The four bad queue_task() calls: NULL task, NULL queue and no routine on
# a queue without statistics of its own count in "(other)"; no routine on
# tq_timer counts there.
if [ -r "$STATS" ]; then
	dt=$(($(refused tq_timer) - r_timer))
	dother=$(($(refused "(other)") - r_other))
	diag "refused: tq_timer +$dt, (other) +$dother"
	tap_result "$([ "$dt" -eq 1 ] && [ "$dother" -eq 3 ]; echo $?)" \
		"tqueue/stats counts each refused call on its queue"
else
	tap_skip "tqueue/stats counts each refused call on its queue" "no $STATS"
fi

if rmmod tq_badinput; then
	tap_ok "rmmod tq_badinput"
else
	tap_not_ok "rmmod tq_badinput"
fi

tap_exit
