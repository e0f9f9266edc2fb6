// SPDX-License-Identifier: GPL-2.0
/*
 * tq_legacy22: a Linux 2.2-style client, after LKMPG's sched.c.
 *
 * The task is initialized positionally, as 2.2 code did, and requeues
 * itself on tq_timer at every run, counting its runs. Unload does what the
 * original meant to do with sleep_on(), without its lost wake-up: it tells
 * the routine to stop and waits for the routine to say it has.
 *
 * Built with -Werror: the 2.2 initializer must compile cleanly.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/tqueue.h>
#include <linux/wait.h>

static int timer_intrpt;
module_param(timer_intrpt, int, 0444);
MODULE_PARM_DESC(timer_intrpt, "How many times the timer task has run");

static DECLARE_WAIT_QUEUE_HEAD(wait_q);
static bool stopping, stopped;

static void intrpt_routine(void *irrelevant);

static struct tq_struct task = {
	NULL,		/* next: queue_task() links it */
	0,		/* sync: not queued yet */
	intrpt_routine,	/* routine */
	NULL		/* data */
};

static void intrpt_routine(void *irrelevant)
{
	WRITE_ONCE(timer_intrpt, timer_intrpt + 1);
	if (READ_ONCE(stopping)) {
		WRITE_ONCE(stopped, true);
		wake_up(&wait_q);
	} else {
		queue_task(&task, &tq_timer);
	}
}

static int __init legacy22_init(void)
{
	queue_task(&task, &tq_timer);
	return 0;
}

static void __exit legacy22_exit(void)
{
	WRITE_ONCE(stopping, true);
	wait_event(wait_q, READ_ONCE(stopped));
	pr_info("timer task ran %d times\n", timer_intrpt);
}

module_init(legacy22_init);
module_exit(legacy22_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tqueue test client in Linux 2.2 style (LKMPG sched.c)");
