#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tq_torture.ko (tests/torture/): producers in process, softirq and hard IRQ
# context on every CPU hammer every queue for TQ_TORTURE_SECS seconds
# (default 60), with cancels and flushes; the module then checks its
# counters and reports KTAP, which this script turns into TAP cases.
#
# Also: bad parameters are refused, the module can be removed in the middle
# of a run, and the checker does fail when its counts are wrong (inject=1).

. "$(dirname "$0")/lib.sh"

SECS=${TQ_TORTURE_SECS:-60}
NCHECKS=7	# KTAP checks the module reports

tq_need_core || tap_skip_all "tqueue.ko not found in $TQ_MODDIR"
[ -f "$TQ_MODDIR/tq_torture.ko" ] || tap_skip_all "tq_torture.ko not found in $TQ_MODDIR"
tap_plan $((NCHECKS + 5))

# torture_wait SECONDS: wait until the result is in; prints it. 1 on timeout.
torture_wait()
{
	_limit=$(($(now_ms) + $1 * 1000))
	while [ "$(now_ms)" -lt "$_limit" ]; do
		_r=$(cat /sys/module/tq_torture/parameters/result 2>/dev/null)
		case $_r in
		"KTAP version 1"*)
			echo "$_r"
			return 0
			;;
		esac
		sleep 1
	done
	return 1
}

# 1: bad parameters are refused with one error naming the parameter. busybox
# insmod retries init_module() after a failed finit_module(), so one insmod
# may make two attempts, each with its error line.
fail=0
for p in duration=0 duration=3601 nr_tasks=0 contexts=0 contexts=8 \
	 nr_custom_runners=65 inject=4; do
	name=${p%%=*}
	before=$(dmesg | grep -c "tq_torture: invalid $name=")
	if mod_load tq_torture "$p" 2>/dev/null; then
		diag "insmod tq_torture $p succeeded"
		rmmod tq_torture
		fail=1
		continue
	fi
	after=$(dmesg | grep -c "tq_torture: invalid $name=")
	n=$((after - before))
	if [ $n -lt 1 ] || [ $n -gt 2 ] || mod_loaded tq_torture; then
		diag "$p: $n error line(s) naming $name"
		fail=1
	fi
done
tap_result $fail "bad parameters are refused, with one error naming the parameter"

# 2: removal in the middle of a run stops it cleanly and quickly.
if mod_load tq_torture duration=600; then
	sleep 2
	t0=$(now_ms)
	if rmmod tq_torture; then
		diag "rmmod during a run took $(($(now_ms) - t0)) ms"
		tap_ok "tq_torture can be removed in the middle of a run"
	else
		tap_not_ok "tq_torture can be removed in the middle of a run"
	fi
else
	tap_not_ok "tq_torture can be removed in the middle of a run (insmod failed)"
fi

# 3, 4: the checker can fail. inject=1 miscounts cancels; inject=2 runs a
# routine right after its cancel_task_sync() returned.
# inject_case INJECT CHECK DESC
inject_case()
{
	if ! mod_load tq_torture duration=2 inject="$1"; then
		tap_not_ok "$3 (insmod failed)"
		return
	fi
	_r=$(torture_wait 60)
	if echo "$_r" | grep -q "^not ok $2 "; then
		tap_ok "$3"
	else
		echo "$_r" | grep -E "^(not )?ok $2 " | sed 's/^/# got: /'
		tap_not_ok "$3"
	fi
	rmmod tq_torture
}
inject_case 1 1 "the checker reports a miscount (inject=1)"
inject_case 2 3 "the checker reports a run after cancel_task_sync() (inject=2)"

# 5..: the real run.
diag "torture run: duration=${SECS}s on $(nproc) CPU(s), kernel ${TQ_KERNEL:-?}"
t0=$(now_ms)
if ! mod_load tq_torture duration="$SECS"; then
	tap_bail "insmod tq_torture duration=$SECS failed"
fi
sleep "$SECS"
r=$(torture_wait 90)
rc=$?
diag "result after $(($(now_ms) - t0)) ms"
if [ $rc -ne 0 ]; then
	diag "no result 90 s after the run should have ended"
	i=1
	while [ $i -le $NCHECKS ]; do
		tap_not_ok "tq_torture check $i (no result)"
		i=$((i + 1))
	done
else
	echo "$r" | grep '^# ' | sed 's/^# /# /'
	tap_relay "$r" "$NCHECKS" tq_torture
fi
if rmmod tq_torture; then
	tap_ok "rmmod tq_torture after the run"
else
	tap_not_ok "rmmod tq_torture after the run"
fi

tap_exit
