// SPDX-License-Identifier: GPL-2.0
// The routine reads its data: its argument cannot become the hrtimer, the
// rule leaves the task alone (tq_left reports it).
#include <linux/module.h>
#include <linux/tqueue.h>

static int runs;

static void tick_fn(void *data)
{
	if (!data)
		runs++;
}

static struct tq_struct tick_task = { .routine = tick_fn };

static int __init tick_init(void)
{
	queue_task(&tick_task, &tq_timer);
	return 0;
}

static void __exit tick_exit(void)
{
	cancel_task_sync(&tick_task);
}

module_init(tick_init);
module_exit(tick_exit);
MODULE_LICENSE("GPL");
