#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Unload storms: TQ_STORM_CYCLES (default 200) insmod/rmmod cycles of
# tq_leaky, whose self-requeueing tasks on tq_timer, tq_immediate and the
# scheduler queue (some sleeping in keventd) never stop, removed without
# waiting, while readers block on /proc/jiq*; then cycles of tq_initfail,
# whose init queues tasks and fails. tqueue must drop the tasks each time,
# with one warning per unload. Then tqueue.ko itself must refuse to go while
# clients are loaded and go after, and (where the kernel has kmemleak) the
# storm must have leaked nothing.

. "$(dirname "$0")/lib.sh"

CYCLES=${TQ_STORM_CYCLES:-200}
INITFAIL=${TQ_STORM_INITFAIL:-$((CYCLES / 10))}
# Seconds the tq_leaky storm may take: it stops there rather than be killed
# by the harness's per-script time limit. How many cycles fit is a figure of
# the machine, not a verdict; the storm needs MIN_CYCLES to count as one.
BUDGET=${TQ_STORM_BUDGET:-70}
MIN_CYCLES=${TQ_STORM_MIN_CYCLES:-20}
KMEMLEAK=/sys/kernel/debug/kmemleak

tq_need_core || tap_skip_all "tqueue.ko not found in $TQ_MODDIR"
[ -f "$TQ_MODDIR/tq_leaky.ko" ] || tap_skip_all "tq_leaky.ko not found in $TQ_MODDIR"
tap_plan 7

have_kmemleak=0
if [ -w "$KMEMLEAK" ] && echo clear >"$KMEMLEAK" 2>/dev/null; then
	have_kmemleak=1
fi

have_jiq=0
if mod_loaded jiq || mod_load jiq 2>/dev/null; then
	have_jiq=1
else
	diag "jiq.ko not available: no /proc/jiq* readers"
fi

# Background readers that sleep in /proc/jiq* while the storm goes on.
readers=""
nreaders=0
start_readers()
{
	[ $have_jiq -eq 1 ] || return 0
	for _f in jiqtimer jiqimmed jiqsched jiqtasklet jitimer; do
		cat "/proc/$_f" >/dev/null 2>&1 &
		readers="$readers $!"
		nreaders=$((nreaders + 1))
	done
}

# 1, 2: tq_leaky storm.
t0=$(now_ms)
ta=$t0
deadline=$((t0 + BUDGET * 1000))
before=$(purge_warnings tq_leaky)
fail=0
slow=0
slowest=0
i=0
while [ $i -lt "$CYCLES" ]; do
	[ $((i % 20)) -eq 0 ] && start_readers
	if ! mod_load tq_leaky sleep_ms=$((i % 3)); then
		diag "cycle $i: insmod tq_leaky failed"
		fail=1
		break
	fi
	# Mostly none, now and then a tick or two for the tasks to run.
	[ $((i % 8)) -eq 7 ] && sleep 0.01
	if ! rmmod tq_leaky; then
		diag "cycle $i: rmmod tq_leaky failed"
		fail=1
		break
	fi
	tb=$(now_ms)
	[ $((tb - ta)) -gt "$slowest" ] && slowest=$((tb - ta))
	[ $((tb - ta)) -ge 1000 ] && slow=$((slow + 1))
	ta=$tb
	i=$((i + 1))
	if [ "$tb" -gt "$deadline" ] && [ $i -lt "$CYCLES" ]; then
		diag "stopped after $i of $CYCLES cycles: the ${BUDGET} s budget is spent"
		break
	fi
done
t1=$(now_ms)
warns=$(($(purge_warnings tq_leaky) - before))
diag "tq_leaky: $i cycles in $((t1 - t0)) ms, $warns warnings, $nreaders /proc readers started"
diag "cycles: slowest $slowest ms, $slow took 1 s or more"
[ "$i" -ge "$MIN_CYCLES" ] || fail=1
tap_result $fail "load/unload cycles of tq_leaky (up to $CYCLES in ${BUDGET} s, at least $MIN_CYCLES) while readers block on /proc/jiq*"
if [ "$warns" -eq "$i" ] && [ "$i" -gt 0 ]; then
	tap_ok "one warning per tq_leaky unload ($warns)"
else
	tap_not_ok "one warning per tq_leaky unload ($warns for $i unloads)"
fi

# 3: tq_initfail storm. busybox insmod may retry init_module() after a
# failed finit_module(): one or two failed loads, each with a warning.
before=$(purge_warnings tq_initfail)
fail=0
initfail_loads "$INITFAIL" start_readers || fail=1
warns=$(($(purge_warnings tq_initfail) - before))
diag "tq_initfail: $INITFAIL refused loads in $(($(now_ms) - t1)) ms, $warns warnings"
if [ $fail -eq 0 ] && [ "$warns" -ge "$INITFAIL" ] && [ "$warns" -le $((2 * INITFAIL)) ]; then
	tap_ok "$INITFAIL loads of tq_initfail refused, its tasks dropped with a warning each"
else
	tap_not_ok "$INITFAIL loads of tq_initfail refused, its tasks dropped with a warning each ($warns warnings)"
fi

# 4: every reader got its page and finished.
fail=0
for p in $readers; do
	if ! wait_gone "$p" 30; then
		diag "reader $p still blocked after 30 s"
		kill "$p" 2>/dev/null
		fail=1
	fi
	wait "$p" 2>/dev/null
done
if [ $have_jiq -eq 1 ]; then
	tap_result $fail "all $nreaders /proc/jiq* readers finished"
else
	tap_skip "all /proc/jiq* readers finished" "jiq.ko not available"
fi

# 5, 6: tqueue.ko stays while clients hold it, goes after.
mod_load tq_leaky
if rmmod tqueue 2>/dev/null; then
	tap_not_ok "rmmod tqueue is refused while clients are loaded"
else
	mod_loaded tqueue
	tap_result $? "rmmod tqueue is refused while clients are loaded"
fi
rmmod tq_leaky
mod_unload jiq
if rmmod tqueue && ! mod_loaded tqueue; then
	tap_ok "rmmod tqueue succeeds once no client is loaded"
else
	tap_not_ok "rmmod tqueue succeeds once no client is loaded"
fi
tq_need_core || diag "cannot load tqueue.ko again"

# 7: nothing leaked. kmemleak ignores objects younger than 5 s.
if [ $have_kmemleak -eq 1 ]; then
	sleep 6
	echo scan >"$KMEMLEAK"
	sleep 1
	echo scan >"$KMEMLEAK"
	cat "$KMEMLEAK" >"$TQ_TMP/storm.kmemleak" 2>/dev/null
	leaks=$(grep -c 'unreferenced object' "$TQ_TMP/storm.kmemleak")
	diag "kmemleak: $leaks leak(s)"
	if [ "$leaks" -eq 0 ]; then
		tap_ok "kmemleak finds no leak after the storms"
	else
		diag_file "$TQ_TMP/storm.kmemleak"
		tap_not_ok "kmemleak finds no leak after the storms"
	fi
else
	tap_skip "kmemleak finds no leak after the storms" "no $KMEMLEAK"
fi

tap_exit
