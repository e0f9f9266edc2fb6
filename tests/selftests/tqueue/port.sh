#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Modules converted by tools/tq-port (sched.c, tq_legacy22.c, tq_legacy24.c;
# the host puts them in /lib/tqueue-port, tools/port.sh): with tqueue.ko
# unloaded they load, run once per tick from their native timers, pass the
# 2.4 client's own checks at load (as legacy.sh runs them on the original)
# and unload cleanly.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

P=/lib/tqueue-port

[ -f "$P/sched.ko" ] || tap_skip_all "no converted modules in $P"
# The converted modules must not lean on tqueue: take it out first (the
# scripts after this one load it again themselves).
for m in jiq sched tq_legacy22 tq_legacy24 tqueue; do
	mod_unload "$m" 2>/dev/null
done
splats0=$(splat_count)

tap_plan 8

# 1
rc=1
if ! mod_loaded tqueue && insmod "$P/sched.ko"; then
	[ -r /proc/sched ] && ! mod_loaded tqueue && rc=0
fi
tap_result $rc "converted sched.ko loads without tqueue.ko and creates /proc/sched"

# 2
j1=$(jiffies)
n1=$(sed -n 's/^Timer was called \([0-9][0-9]*\) times so far$/\1/p' /proc/sched 2>/dev/null)
sleep 1
n2=$(sed -n 's/^Timer was called \([0-9][0-9]*\) times so far$/\1/p' /proc/sched 2>/dev/null)
j2=$(jiffies)
rc=1
if [ -n "$n1" ] && [ -n "$n2" ]; then
	diag "sched: $((n2 - n1)) runs in $((j2 - j1)) jiffies"
	once_per_tick $((n2 - n1)) $((j2 - j1)) && rc=0
fi
tap_result $rc "converted sched: the count goes up once per tick"

# 3
rc=1
rmmod sched && [ ! -e /proc/sched ] && rc=0
tap_result $rc "converted sched: rmmod stops the timer and removes /proc/sched"

# 4
rc=1
if insmod "$P/tq_legacy22.ko"; then
	j1=$(jiffies)
	a=$(mod_param tq_legacy22 timer_intrpt)
	sleep 0.2
	b=$(mod_param tq_legacy22 timer_intrpt)
	j2=$(jiffies)
	diag "tq_legacy22: timer_intrpt $a, then $b; $((j2 - j1)) jiffies around them"
	once_per_tick $((b - a)) $((j2 - j1)) && rc=0
fi
tap_result $rc "converted 2.2 client: its timer runs once per tick"

# 5
rc=1
mod_loaded tq_legacy22 && rmmod tq_legacy22 && rc=0
tap_result $rc "converted 2.2 client: unload waits for its last run and returns"

# 6
rc=1
if [ -f "$P/tq_legacy24.ko" ] && insmod "$P/tq_legacy24.ko"; then
	dmesg | grep -q 'tq_legacy24: 2.4 semantics verified' && ! mod_loaded tqueue && rc=0
fi
[ $rc -eq 0 ] || diag "$(dmesg | grep 'tq_legacy24:' | tail -n 3)"
tap_result $rc "converted 2.4 client: own queue, BH, timer and ordered workqueue pass its checks"

# 7
rc=1
mod_loaded tq_legacy24 && rmmod tq_legacy24 && rc=0
tap_result $rc "converted 2.4 client: unload returns"

# 8
tap_no_new_splats "$splats0" "no kernel splat from the converted modules"

tap_exit
