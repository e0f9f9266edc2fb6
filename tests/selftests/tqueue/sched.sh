#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sched.ko: a task on tq_timer that counts its runs and requeues itself;
# /proc/sched, the count going up once per tick, and rmmod at any moment.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d "$TQ_TMP/sched.XXXXXX")
sched_was_loaded=""
splats0=0

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup()
{
	mod_unload sched
	[ -n "$sched_was_loaded" ] && mod_load sched
	rm -rf "$T"
}

# count: the number in /proc/sched, or nothing if the line is malformed.
count()
{
	sed -n 's/^Timer was called \([0-9][0-9]*\) times so far$/\1/p' /proc/sched
}

[ -f "$TQ_MODDIR/sched.ko" ] || tap_skip_all "no sched.ko in $TQ_MODDIR"
tq_need_core || tap_skip_all "cannot load tqueue.ko"
mod_loaded sched && sched_was_loaded=1
mod_unload sched
trap cleanup EXIT
splats0=$(splat_count)

tap_plan 8

# 1
rc=1
if mod_load sched; then
	m=$(file_mode /proc/sched)
	[ "$m" = "-r--r--r--" ] && rc=0
	[ $rc -eq 0 ] || diag "/proc/sched: mode '$m'"
fi
tap_result $rc "sched.ko loads and creates /proc/sched, mode 0444"
mod_loaded sched || tap_bail "sched.ko did not load"

# 2
cat /proc/sched > "$T/out"
rc=1
if [ "$(wc -l < "$T/out")" -eq 1 ] &&
   grep -q -x -E 'Timer was called [0-9]+ times so far' "$T/out"; then
	rc=0
fi
diag "$(cat "$T/out")"
tap_result $rc "/proc/sched prints 'Timer was called N times so far'"

# 3: the jiffies window encloses the two counts
j1=$(jiffies)
n1=$(count)
sleep 1
n2=$(count)
j2=$(jiffies)
rc=1
if [ -n "$n1" ] && [ -n "$n2" ] && [ "$n2" -gt "$n1" ]; then
	rc=0
	if [ -n "$j1" ] && [ -n "$j2" ]; then
		diag "$((n2 - n1)) runs in $((j2 - j1)) jiffies"
		once_per_tick $((n2 - n1)) $((j2 - j1)) || rc=1
	fi
fi
diag "count went from $n1 to $n2 in a second"
tap_result $rc "the count goes up once per tick"

# 4
if echo 0 2>/dev/null > /proc/sched; then
	tap_not_ok "writes to /proc/sched are refused"
else
	tap_ok "writes to /proc/sched are refused"
fi

# 5
rc=0
before=$(count)
if rmmod sched && ! mod_loaded sched && [ ! -e /proc/sched ] &&
   mod_load sched; then
	after=$(count)
	diag "count $before before rmmod, $after after insmod"
	[ -n "$after" ] && [ "$after" -lt "$before" ] || rc=1
else
	rc=1
fi
tap_result $rc "rmmod removes /proc/sched; a new load counts from zero"
mod_loaded sched || mod_load sched

# 6
rc=0
i=0
seed=$(awk '{ printf "%d\n", $1 * 100 }' /proc/uptime)
while [ $i -lt 25 ]; do
	i=$((i + 1))
	mod_loaded sched || mod_load sched || { rc=1; break; }
	seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
	ms=$(( seed / 65536 % 150 ))
	[ $((i % 5)) -ne 0 ] && sleep "$(printf '0.%03d' "$ms")"
	rmmod sched &
	rp=$!
	if ! wait_gone "$rp" 10; then
		tap_not_ok "rmmod sched at random moments"
		tap_bail "rmmod sched hangs"
	fi
	wait "$rp" || { diag "cycle $i: rmmod failed"; rc=1; }
	mod_loaded sched && { diag "cycle $i: still loaded"; rc=1; }
done
tap_result $rc "25 insmod, random sleep, rmmod cycles"

# 7
rc=0
mod_load sched || rc=1
(
	while [ -e /proc/sched ]; do
		cat /proc/sched > /dev/null 2>&1
	done
) &
rdr=$!
sleep 0.3
rmmod sched || rc=1
wait_gone "$rdr" 5 || { diag "reader loop still running"; rc=1; kill "$rdr"; }
wait "$rdr"
mod_loaded sched && rc=1
tap_result $rc "rmmod sched while /proc/sched is read in a loop"

# 8
tap_no_new_splats "$splats0" "no kernel warnings or oopses"

tap_exit
