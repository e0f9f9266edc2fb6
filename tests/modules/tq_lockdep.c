// SPDX-License-Identifier: GPL-2.0
/*
 * tq_lockdep: provokes, on purpose, the lockdep report that a
 * flush_task_queue() under a lock one of the queue's routines takes must
 * give (selftest lockdep.sh, run last in its boot: a report turns lockdep
 * off). Nothing deadlocks for real: the routine takes the mutex first, and
 * the flush under it comes later, when no routine runs; lockdep sees the
 * two orders all the same, as it does for a workqueue.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/tqueue.h>

static DEFINE_MUTEX(tl_mutex);
static struct tq_struct tl_task;

/* A keventd routine that takes tl_mutex: tq_scheduler -> tl_mutex. */
static void tl_fn(void *data)
{
	mutex_lock(&tl_mutex);
	mutex_unlock(&tl_mutex);
}

static int __init tl_init(void)
{
	INIT_TQUEUE(&tl_task, tl_fn, NULL);
	schedule_task(&tl_task);
	flush_scheduled_tasks();
	pr_info("tq_lockdep: expect a lockdep report: flush_task_queue(&tq_scheduler) under tl_mutex\n");
	/* tl_mutex -> tq_scheduler: the circle lockdep must report. */
	mutex_lock(&tl_mutex);
	flush_task_queue(&tq_scheduler);
	mutex_unlock(&tl_mutex);
	return 0;
}

static void __exit tl_exit(void)
{
}

module_init(tl_init);
module_exit(tl_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tqueue selftest client: a deliberate lockdep report");
