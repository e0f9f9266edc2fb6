#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Observability: tqueue's tracepoints (events/tqueue/), its statistics file
# (debugfs tqueue/stats) and tools/tq_monitor, checked against each other.
#
# With the events on, sched.ko runs for a second and the jiq readers read
# once; then the event counts of each of tqueue's queues must equal the
# deltas of its statistics, /proc/sched's count must lie between the
# routine's end and start events around the read, and sched.ko's unload
# must cancel its task once. An unload of tq_leaky, which leaves its tasks
# queued, must produce exactly one tqueue_purge event, with the count of
# tqueue's warning, and move the dropped and refused counters by as much.
# tq_monitor -j must print what the file holds; trace-cmd, as a user runs
# it, must record the events.

. "$(dirname "$0")/lib.sh"

STATS=/sys/kernel/debug/tqueue/stats
EVENTS="tqueue_queue_task tqueue_execute_start tqueue_execute_end tqueue_cancel tqueue_purge"
QUEUES="tq_timer tq_immediate tq_scheduler"
MONITOR=${TQ_MONITOR:-$(command -v tq_monitor)}

tq_need_core || tap_skip_all "tqueue.ko not found in $TQ_MODDIR"
TR=/sys/kernel/tracing
[ -d "$TR/events" ] || mount -t tracefs nodev "$TR" 2>/dev/null
[ -d "$TR/events" ] || TR=/sys/kernel/debug/tracing
[ -d "$TR/events" ] || tap_skip_all "no tracefs: a kernel without CONFIG_EVENT_TRACING"
[ -r "$STATS" ] || tap_skip_all "no $STATS: debugfs not mounted"
[ -f "$TQ_MODDIR/sched.ko" ] || tap_skip_all "no sched.ko in $TQ_MODDIR"
[ -f "$TQ_MODDIR/jiq.ko" ] || tap_skip_all "no jiq.ko in $TQ_MODDIR"

T=$(mktemp -d "$TQ_TMP/trace.XXXXXX")
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup()
{
	echo 0 > "$TR/events/tqueue/enable" 2>/dev/null
	echo > "$TR/trace" 2>/dev/null
	mod_unload tq_leaky
	rm -rf "$T"
}
trap cleanup EXIT
mod_unload sched
mod_unload jiq
mod_unload tq_torture

tap_plan 14

# stat FILE QUEUE COLUMN: a value of a saved statistics file
stat()
{
	awk -v q="$2" -v c="$3" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$1 == q { print $col[c]; found = 1 }
		END { if (!found) print "missing" }' "$1"
}

# sum FILE COLUMN: a column over all queues of a saved statistics file
sum()
{
	awk -v c="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ s += $col[c] }
		END { print s + 0 }' "$1"
}

# 1
rc=0
for e in $EVENTS; do
	if [ ! -r "$TR/events/tqueue/$e/format" ]; then
		diag "no event tqueue/$e"
		rc=1
	fi
done
tap_result $rc "the five tqueue events exist in $TR/events/tqueue"

# 2
cat "$STATS" > "$T/s0"
rc=0
head -n 1 "$T/s0" | grep -q '^queue queued requeued run pending cancelled refused dropped lat_total_ns lat_max_ns ' || rc=1
for q in $QUEUES tq_disk "(other)"; do
	grep -q "^$q " "$T/s0" || { diag "no line for $q"; rc=1; }
done
awk 'NR == 1 { n = NF; next } NF != n { bad = 1 } END { exit bad }' "$T/s0" || rc=1
[ $rc -eq 0 ] || diag_file "$T/s0"
tap_result $rc "tqueue/stats: the header names the columns, one line per queue"

# 3..8: a second of sched.ko and one read of each jiq file, traced.
echo 0 > "$TR/events/tqueue/enable"
echo 4096 > "$TR/buffer_size_kb" 2>/dev/null
echo > "$TR/trace"
echo 1 > "$TR/events/tqueue/enable"
echo 1 > "$TR/tracing_on"
cat "$STATS" > "$T/s1"
n=""
if mod_load sched && mod_load jiq; then
	sleep 1
	echo "tq-mark-before" > "$TR/trace_marker"
	n=$(sed -n 's/^Timer was called \([0-9][0-9]*\) times so far$/\1/p' /proc/sched)
	echo "tq-mark-after" > "$TR/trace_marker"
	for f in jiqsched jiqtimer jiqimmed; do
		cat "/proc/$f" > /dev/null
	done
	# The events print routines by name, when read: while sched is in.
	cat "$TR/trace" > "$T/trace.loaded"
	rmmod jiq
	echo "tq-mark-rmmod-sched" > "$TR/trace_marker"
	rmmod sched
fi
cat "$STATS" > "$T/s2"
echo 0 > "$TR/events/tqueue/enable"
cat "$TR/trace" > "$T/trace"
diag "$(grep -c 'tqueue_' "$T/trace") tqueue event(s) recorded; tqueue/stats after them:"
diag_file "$T/s2"
grep -m 4 'tqueue_.*lkmpg_tick' "$T/trace.loaded" | sed 's/^/# trace: /'
if grep -q 'LOST.*EVENTS' "$T/trace"; then
	diag "the trace buffer lost events: $(grep 'LOST' "$T/trace" | head -n 1)"
fi

# events TRACE EVENT QUEUE [RET]: how many EVENT lines for QUEUE (and ret=RET)
events()
{
	awk -v e="$2:" -v q="queue=$3" -v r="${4:+ret=$4}" '
		{ hit = 0; for (i = 1; i <= NF; i++) { if ($i == e) hit = 1 } }
		hit { ok_q = 0; ok_r = (r == "")
		      for (i = 1; i <= NF; i++) { if ($i == q) ok_q = 1; if ($i == r) ok_r = 1 }
		      if (ok_q && ok_r) n++ }
		END { print n + 0 }' "$1"
}

# 3, 4, 5
for q in $QUEUES; do
	dq=$(($(stat "$T/s2" "$q" queued) - $(stat "$T/s1" "$q" queued)))
	dr=$(($(stat "$T/s2" "$q" run) - $(stat "$T/s1" "$q" run)))
	eq=$(events "$T/trace" tqueue_queue_task "$q" 1)
	es=$(events "$T/trace" tqueue_execute_start "$q")
	ee=$(events "$T/trace" tqueue_execute_end "$q")
	diag "$q: queued +$dq, $eq queue_task ret=1 events; run +$dr, $es start and $ee end events"
	rc=0
	[ "$dq" -eq "$eq" ] && [ "$dr" -eq "$es" ] && [ "$es" -eq "$ee" ] &&
		[ "$dr" -gt 0 ] || rc=1
	tap_result $rc "$q: the events match the statistics' deltas"
done

# 6: /proc/sched's count against its routine's events around the read
awk -v e=tqueue_execute_end: -v s=tqueue_execute_start: '
	/tq-mark-before/ { before = ends; mark = 1 }
	/tq-mark-after/ { after = starts }
	/ routine=lkmpg_tick/ {
		for (i = 1; i <= NF; i++) {
			if ($i == e) ends++
			if ($i == s) starts++
		}
	}
	END { print before + 0, after + 0, starts + 0 }' "$T/trace.loaded" > "$T/sched"
read -r lo hi all < "$T/sched"
diag "/proc/sched said ${n:-nothing}; $lo routine end(s) before the read, $hi start(s) after it, $all in all"
rc=1
[ -n "$n" ] && [ "$n" -gt 0 ] && [ "$lo" -le "$n" ] && [ "$n" -le "$hi" ] && rc=0
tap_result $rc "/proc/sched's count lies between its routine's end and start events"

# 7: rmmod sched cancels its task: one tqueue_cancel event after the mark
# (its routine's name is gone with the module, and %p may print one
# placeholder for every task before the guest's crng is ready)
c=$(awk '/tq-mark-rmmod-sched/ { on = 1 } on && / tqueue_cancel: / { n++ }
	END { print n + 0 }' "$T/trace")
diag "$c tqueue_cancel event(s) during rmmod sched: $(grep -A 3 tq-mark-rmmod-sched "$T/trace" | grep -m 1 tqueue_cancel)"
tap_result "$([ "$c" -eq 1 ]; echo $?)" "rmmod sched: one tqueue_cancel event for its task"

# 8: requeued: sched's task requeues itself from its routine on tq_timer
dq=$(($(stat "$T/s2" tq_timer requeued) - $(stat "$T/s1" tq_timer requeued)))
rc=1
[ "$all" -gt 1 ] && [ "$dq" -ge $((all - 1)) ] && rc=0
diag "tq_timer requeued +$dq for $all runs of lkmpg_tick"
tap_result $rc "tq_timer: a task that requeues itself counts as requeued"

# 9: the purge of tq_leaky: one event, the warning's count, the counters
echo > "$TR/trace"
echo 1 > "$TR/events/tqueue/tqueue_purge/enable"
cat "$STATS" > "$T/p1"
w=""
if mod_load tq_leaky; then
	sleep 1
	cat "$STATS" > "$T/pl"
	rmmod tq_leaky
	w=$(dmesg | sed -n 's/.*tqueue: module tq_leaky left \([0-9]*\) tasks\{0,1\} queued.*/\1/p' | tail -n 1)
fi
cat "$STATS" > "$T/p2"
echo 0 > "$TR/events/tqueue/tqueue_purge/enable"
grep 'tqueue_purge:' "$TR/trace" > "$T/purge"
ev=$(wc -l < "$T/purge")
d=$(sed -n 's/.*tqueue_purge: module=tq_leaky dropped=\([0-9]*\)$/\1/p' "$T/purge")
moved=$(($(sum "$T/p2" dropped) + $(sum "$T/p2" refused) - \
	$(sum "$T/p1" dropped) - $(sum "$T/p1" refused)))
diag "warning: ${w:-none}; $ev tqueue_purge event(s): $(cat "$T/purge")"
diag "dropped + refused moved by $moved"
rc=1
[ -n "$w" ] && [ "$ev" -eq 1 ] && [ "$d" = "$w" ] && rc=0
tap_result $rc "rmmod tq_leaky: one tqueue_purge event with the warning's count"
rc=1
[ -n "$w" ] && [ "$moved" -eq "$w" ] && rc=0
tap_result $rc "rmmod tq_leaky: dropped + refused moved by the warning's count"
# tq_leaky registered a queue of its own and never unregistered it
rc=1
grep -q '^leaky_stats_q ' "$T/pl" && ! grep -q '^leaky_stats_q ' "$T/p2" &&
	dmesg | grep -q 'tqueue: module tq_leaky left queue leaky_stats_q registered for statistics; unregistered it' &&
	rc=0
[ $rc -eq 0 ] || { diag_file "$T/p2"; dmesg | grep 'registered for statistics' | tail -n 2 | sed 's/^/# /'; }
tap_result $rc "rmmod tq_leaky: its registered queue leaves the statistics, with a warning"

# 11: trace-cmd record and report, with sched.ko running. The recorded
# command loads and unloads sched.ko, so trace-cmd turns the events on and
# off while tqueue's event sites are idle: a live patch of a site another
# vCPU is executing ended once in "Oops: int3" under TCG (see "Last
# results" in Documentation/kernels.rst). trace-cmd reads kallsyms after
# the command, when sched.ko has gone, and may print its routine under
# another module's symbol: the events are matched by the address of
# sched.ko's task, which the command reads from kallsyms, or by name.
desc="trace-cmd record -e tqueue: the report shows sched.ko's task on tq_timer"
if command -v trace-cmd > /dev/null; then
	rc=1
	if [ "$TQ_MODPROBE" = 1 ]; then
		load="modprobe sched"
	else
		load="insmod $TQ_MODDIR/sched.ko"
	fi
	(cd "$T" && trace-cmd record -q -e tqueue -o "$T/trace.dat" \
		sh -c "$load && grep -w lkmpg_task /proc/kallsyms > $T/sym; sleep 1; rmmod sched" \
		> "$T/record.out" 2>&1)
	trace-cmd report -i "$T/trace.dat" > "$T/report" 2> "$T/report.err"
	a=$(awk '{ sub(/^0+/, "", $1); print $1; exit }' "$T/sym" 2>/dev/null)
	s=$(grep -Eic "tqueue_execute_start: (task=(0x)?0*${a:-none} .*|.*routine=lkmpg_tick[ +].*)queue=tq_timer" "$T/report")
	diag "trace-cmd report: $(grep -c 'tqueue_' "$T/report") tqueue events, $s starts of lkmpg_task (${a:-no address})"
	[ "$s" -gt 0 ] && rc=0
	[ $rc -eq 0 ] || { diag_file "$T/record.out"; diag_file "$T/report.err"; }
	grep 'tqueue_' "$T/report" | head -n 6 | sed 's/^/# report: /'
	tap_result $rc "$desc"
else
	tap_skip "$desc" "no trace-cmd in this guest"
fi

# 12, 13: tq_monitor
if [ -z "$MONITOR" ] || [ ! -x "$MONITOR" ]; then
	tap_skip "tq_monitor -j prints what tqueue/stats holds" "no tq_monitor"
	tap_skip "tq_monitor: table, filter and interval" "no tq_monitor"
	tap_exit
fi
cat "$STATS" > "$T/m1"
"$MONITOR" -j > "$T/json"
rc=$?
# Each line one object; queued and run of each queue as in the file.
awk -v ref="$T/m1" '
	BEGIN {
		while ((getline l < ref) > 0) {
			split(l, f, " ")
			if (f[1] == "queue") continue
			want[f[1]] = f[2] " " f[4]; nq++
		}
	}
	!/^\{"sample":1,"queue":"[^"]*"(,"[a-z_0-9]+":[0-9]+)+\}$/ { bad = 1; next }
	{
		match($0, /"queue":"[^"]*"/); q = substr($0, RSTART + 9, RLENGTH - 10)
		match($0, /"queued":[0-9]+/); a = substr($0, RSTART + 9, RLENGTH - 9)
		match($0, /"run":[0-9]+/); b = substr($0, RSTART + 6, RLENGTH - 6)
		if (want[q] != a " " b) bad = 1
		seen++
	}
	END { exit bad || seen != nq }' "$T/json" || rc=1
[ $rc -eq 0 ] || { diag_file "$T/json"; diag_file "$T/m1"; }
tap_result $rc "tq_monitor -j prints what tqueue/stats holds"
"$MONITOR" > "$T/table.all" && diag_file "$T/table.all"
head -n 2 "$T/json" | sed 's/^/# json: /'

"$MONITOR" -i 0.2 -n 2 '^tq_timer$' > "$T/table"
rc=$?
lines=$(grep -c '^tq_timer ' "$T/table")
heads=$(grep -c '^queue ' "$T/table")
others=$(grep -v -c -E '^(tq_timer |queue |$)' "$T/table")
[ "$lines" -eq 2 ] && [ "$heads" -eq 2 ] && [ "$others" -eq 0 ] || rc=1
[ $rc -eq 0 ] || diag_file "$T/table"
tap_result $rc "tq_monitor -i 0.2 -n 2 '^tq_timer\$': two samples of one queue"

tap_exit
