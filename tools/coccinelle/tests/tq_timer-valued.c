// SPDX-License-Identifier: GPL-2.0
// queue_task()'s value is used: timer_task_start(), a helper tq-port adds,
// returns it; the init's error return cancels the timer.
#include <linux/module.h>
#include <linux/tqueue.h>

static void tick_fn(void *data)
{
}

static struct tq_struct tick_task = { .routine = tick_fn };

static int __init tick_init(void)
{
	if (!queue_task(&tick_task, &tq_timer))
		return -EBUSY;
	return 0;
}

static void __exit tick_exit(void)
{
	cancel_task_sync(&tick_task);
}

module_init(tick_init);
module_exit(tick_exit);
MODULE_LICENSE("GPL");
