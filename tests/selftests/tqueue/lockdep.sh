#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# TQ-RUN-LAST: the harness runs this after every other selftest of the
# boot, since a lockdep report turns lockdep off for the rest of it.
#
# tq_lockdep flushes tq_scheduler under a mutex that one of its routines
# took: lockdep must report the circle (tq_scheduler's map, held by the
# keventd runner while the routine runs, against the flush's wait on it).

. "$(dirname "$0")/lib.sh"

tq_need_core || tap_skip_all "tqueue.ko not found in $TQ_MODDIR"
[ -e /proc/lockdep ] || tap_skip_all "no lockdep in this kernel"
grep -q 'debug_locks: *1' /proc/lockdep_stats 2>/dev/null ||
	[ ! -e /proc/lockdep_stats ] ||
	tap_skip_all "lockdep is off already (an earlier report)"
tap_plan 2

echo "# EXPECT-SPLAT: possible circular locking dependency"
# The report's stack trace comes more than 40 lines after its header.
echo "# EXPECT-SPLAT: stack backtrace:"
before=$(dmesg | grep -c 'possible circular locking dependency')
mod_load tq_lockdep
tap_result $? "tq_lockdep loads (the flush under the mutex returns)"
after=$(dmesg | grep -c 'possible circular locking dependency')
dmesg | sed -n '/possible circular locking dependency/,/stack backtrace/p' |
	grep -E 'tl_mutex|tq_scheduler' | sed 's/^/# /'
[ "$before" -eq 0 ] && [ "$after" -eq 1 ] &&
	dmesg | sed -n '/possible circular locking dependency/,/stack backtrace/p' |
	grep -q 'tq_scheduler'
tap_result $? "lockdep reports flush_task_queue() under a lock a routine takes (once, and no such report before)"
rmmod tq_lockdep 2>/dev/null
tap_exit
