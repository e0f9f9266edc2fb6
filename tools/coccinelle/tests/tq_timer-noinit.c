// SPDX-License-Identifier: GPL-2.0
// The task is first queued outside module_init: the timer's setup goes
// first in module_init, before anything of the module can start it.
#include <linux/module.h>
#include <linux/tqueue.h>

static void tick_fn(void *data)
{
}

static struct tq_struct tick_task = { .routine = tick_fn };

void tick_start(void)
{
	queue_task(&tick_task, &tq_timer);
}

static int __init tick_init(void)
{
	return 0;
}

static void __exit tick_exit(void)
{
	cancel_task_sync(&tick_task);
}

module_init(tick_init);
module_exit(tick_exit);
MODULE_LICENSE("GPL");
