// SPDX-License-Identifier: GPL-2.0
// A task that requeues itself on tq_timer; the exit path cancels it.
#include <linux/module.h>
#include <linux/tqueue.h>

static int runs;
static bool stop;

static void poll_fn(void *data);

static struct tq_struct poll_task = { .routine = poll_fn };

static void poll_fn(void *data)
{
	runs++;
	if (!READ_ONCE(stop))
		queue_task(&poll_task, &tq_timer);
}

static int __init poll_init(void)
{
	queue_task(&poll_task, &tq_timer);
	return 0;
}

static void __exit poll_exit(void)
{
	WRITE_ONCE(stop, true);
	cancel_task_sync(&poll_task);
}

module_init(poll_init);
module_exit(poll_exit);
MODULE_LICENSE("GPL");
