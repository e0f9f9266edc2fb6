#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Legacy clients, built with -Werror against <linux/tqueue.h>: a 2.2-style
# one (positional tq_struct initializer, LKMPG sched.c) and a 2.4-style one
# (GNU "member:" initializers) that checks 2.4's semantics at load.

. "$(dirname "$0")/lib.sh"

tq_need_core || tap_skip_all "tqueue.ko not found in $TQ_MODDIR"
tap_plan 5

# 2.2: the task requeues itself on tq_timer every tick and counts.
if mod_load tq_legacy22; then
	j1=$(jiffies)
	a=$(mod_param tq_legacy22 timer_intrpt)
	sleep 0.2
	b=$(mod_param tq_legacy22 timer_intrpt)
	j2=$(jiffies)
	diag "timer_intrpt $a, then $b; $((j2 - j1)) jiffies around them"
	once_per_tick $((b - a)) $((j2 - j1))
	tap_result $? "2.2 client: tq_timer task runs once per tick"
	rmmod tq_legacy22
	tap_result $? "2.2 client: unload waits for its task's last run"
	[ "$(purge_warnings tq_legacy22)" -eq 0 ]
	tap_result $? "2.2 client: nothing left for tqueue to drop"
else
	tap_not_ok "2.2 client loads"
	tap_not_ok "2.2 client: unload"
	tap_not_ok "2.2 client: nothing left for tqueue to drop"
fi

# 2.4: the init checks FIFO order, return values, tq_immediate + mark_bh,
# tq_timer, schedule_task() and flush_scheduled_tasks(); -EIO if not.
if mod_load tq_legacy24; then
	dmesg | grep -q 'tq_legacy24: 2.4 semantics verified'
	tap_result $? "2.4 client: 2.4 semantics verified at load"
	rmmod tq_legacy24 && [ "$(purge_warnings tq_legacy24)" -eq 0 ]
	tap_result $? "2.4 client: clean unload"
else
	diag "$(dmesg | grep 'tq_legacy24:' | tail -n 3)"
	tap_not_ok "2.4 client: 2.4 semantics verified at load"
	tap_not_ok "2.4 client: clean unload"
fi

tap_exit
