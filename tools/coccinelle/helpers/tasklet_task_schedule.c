// SPDX-License-Identifier: GPL-2.0
/*
 * tq-port helper tasklet_task_schedule: schedule @t, as queue_task() on
 * tq_immediate with mark_bh(IMMEDIATE_BH) did, and return 1, or return 0
 * if @t is scheduled already. The test and the schedule are two steps: as
 * good as queue_task() for a tasklet that one place at a time schedules.
 */
static int tasklet_task_schedule(struct tasklet_struct *t)
{
	if (test_bit(TASKLET_STATE_SCHED, &t->state))
		return 0;
	tasklet_schedule(t);
	return 1;
}
