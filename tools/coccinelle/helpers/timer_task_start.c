// SPDX-License-Identifier: GPL-2.0
/*
 * tq-port helper timer_task_start: start @t for one tick, as queue_task()
 * on tq_timer did, and return 1, or return 0 if @t is started already. The
 * test and the start are two steps: as good as queue_task() for a timer
 * that one place at a time starts.
 */
static int timer_task_start(struct hrtimer *t)
{
	if (hrtimer_is_queued(t))
		return 0;
	hrtimer_start(t, ns_to_ktime(TICK_NSEC), HRTIMER_MODE_REL_SOFT);
	return 1;
}
