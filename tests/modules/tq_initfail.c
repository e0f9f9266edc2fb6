// SPDX-License-Identifier: GPL-2.0
/*
 * tq_initfail: a client whose init queues self-requeueing tasks and then
 * fails. The kernel frees the module without calling an exit function;
 * tqueue must drop the tasks before that.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/tqueue.h>

static struct tq_struct initfail_timer, initfail_sched;

static void initfail_timer_fn(void *data)
{
	queue_task(&initfail_timer, &tq_timer);
}

static void initfail_sched_fn(void *data)
{
	schedule_task(&initfail_sched);
}

static int __init initfail_init(void)
{
	INIT_TQUEUE(&initfail_timer, initfail_timer_fn, NULL);
	INIT_TQUEUE(&initfail_sched, initfail_sched_fn, NULL);
	queue_task(&initfail_timer, &tq_timer);
	schedule_task(&initfail_sched);
	return -ENODEV;	/* on purpose, with both tasks queued */
}

module_init(initfail_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tqueue test client whose init fails with tasks queued");
