#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tq_torture.ko (tests/torture/): producers in process, softirq and hard IRQ
# context on every CPU hammer every queue for TQ_TORTURE_SECS seconds
# (default 60), with cancels and flushes; the module then checks its
# counters and reports KTAP, which this script turns into TAP cases. Beside
# the producers run migrating tasks, cancel storms from SCHED_FIFO and normal
# kthreads, allocated queues, self-freeing tasks, nested runs of
# tq_immediate under a flush and a producer held after its queue_task(),
# each with a check of its own (8 to 13), and tqueue's statistics must
# balance (14).
#
# Also: bad parameters are refused, the module can be removed in the middle
# of a run, and the checker does fail when its counts are wrong: inject=
# makes each check it names fail.

. "$(dirname "$0")/lib.sh"

SECS=${TQ_TORTURE_SECS:-60}
NCHECKS=14	# KTAP checks the module reports

tq_need_core || tap_skip_all "tqueue.ko not found in $TQ_MODDIR"
[ -f "$TQ_MODDIR/tq_torture.ko" ] || tap_skip_all "tq_torture.ko not found in $TQ_MODDIR"
tap_plan $((NCHECKS + 12))

# Forks cost up to a second on the debug kernels, where the whole script has
# a time limit: the waits and the relays below use shell builtins.
NL='
'

# torture_wait SECONDS: wait until the result is in; prints it. 1 on timeout.
torture_wait()
{
	_i=0
	while [ $_i -lt "$1" ]; do
		_first=""
		read -r _first 2>/dev/null </sys/module/tq_torture/parameters/result
		if [ "$_first" = "KTAP version 1" ]; then
			cat /sys/module/tq_torture/parameters/result
			return 0
		fi
		sleep 1
		_i=$((_i + 1))
	done
	return 1
}

# has_line TEXT PREFIX: whether a line of TEXT begins with PREFIX.
has_line()
{
	case "$NL$1" in
	*"$NL$2"*) return 0 ;;
	esac
	return 1
}

# show_check TEXT N: check N's line of TEXT as a diagnostic.
show_check()
{
	echo "$1" | grep -E "^((not )?ok $2 |# tq_torture: inject=)" | sed 's/^/# got: /'
}

# relay RESULT: the module's "# " lines as diagnostics, its checks 1..NCHECKS
# as test cases (as tap_relay does); a check missing from RESULT fails.
relay()
{
	_want=1
	while IFS= read -r _line; do
		case $_line in
		"# "*)
			echo "$_line"
			;;
		"ok $_want "*)
			tap_ok "${_line#"ok $_want "}"
			_want=$((_want + 1))
			;;
		"not ok $_want "*)
			tap_not_ok "${_line#"not ok $_want "}"
			_want=$((_want + 1))
			;;
		esac
	done <<EOF
$1
EOF
	while [ $_want -le $NCHECKS ]; do
		tap_not_ok "tq_torture check $_want (missing from its result)"
		_want=$((_want + 1))
	done
}

# 1: bad parameters are refused with one error naming the parameter. busybox
# insmod retries init_module() after a failed finit_module(), so one insmod
# may make two attempts, each with its error line. The lines name the value
# too: one look at the log after the loop tells them apart.
fail=0
params="duration=0 duration=3601 nr_tasks=0 contexts=0 contexts=8
	nr_custom_runners=65 inject=512"
before=$(dmesg | grep -c "tq_torture: invalid ")
for p in $params; do
	if mod_load tq_torture "$p" 2>/dev/null; then
		diag "insmod tq_torture $p succeeded"
		rmmod tq_torture
		fail=1
	elif mod_loaded tq_torture; then
		diag "tq_torture loaded after insmod $p failed"
		fail=1
	fi
done
dmesg | grep "tq_torture: invalid " >"$TQ_TMP/torture.invalid"
for p in $params; do
	n=0
	i=0
	while IFS= read -r line; do
		i=$((i + 1))
		[ $i -le "$before" ] && continue
		case $line in
		*"invalid $p: "*) n=$((n + 1)) ;;
		esac
	done <"$TQ_TMP/torture.invalid"
	if [ $n -lt 1 ] || [ $n -gt 2 ]; then
		diag "$p: $n error line(s) naming it"
		fail=1
	fi
done
rm -f "$TQ_TMP/torture.invalid"
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
	if has_line "$_r" "not ok $2 "; then
		tap_ok "$3"
	else
		show_check "$_r" "$2"
		tap_not_ok "$3"
	fi
	rmmod tq_torture
}
inject_case 1 1 "the checker reports a miscount (inject=1)"
inject_case 2 3 "the checker reports a run after cancel_task_sync() (inject=2)"

# 5..11: the checks of the modes and of the statistics can fail. Their
# inject= bits go into one run, one load instead of seven within the
# script's time limit: each bit
# strikes only the counters of its own check (4 also those of 1 and 3), so
# "not ok N" there still shows that bit N's check can fail.
r=""
if mod_load tq_torture duration=2 inject=508; then
	r=$(torture_wait 60)
	rmmod tq_torture
else
	diag "insmod tq_torture duration=2 inject=508 failed"
fi
while read -r bit check desc; do
	if has_line "$r" "not ok $check "; then
		tap_ok "$desc (inject=$bit)"
	else
		show_check "$r" "$check"
		tap_not_ok "$desc (inject=$bit)"
	fi
done <<EOF
4 8 the checker reports a migrating task run after its cancel
8 9 the checker reports a storm cancel that returned while the routine ran
16 10 the checker reports a task left on an allocated queue it freed
32 11 the checker reports a self-freeing task never freed
64 12 the checker reports a task queued before a flush and not run by it
128 13 the checker reports a held producer's witness that did not run
256 14 the checker reports statistics that do not balance
EOF

# 12..: the real run.
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
	relay "$r"
fi
if rmmod tq_torture; then
	tap_ok "rmmod tq_torture after the run"
else
	tap_not_ok "rmmod tq_torture after the run"
fi

tap_exit
