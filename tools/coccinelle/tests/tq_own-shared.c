// SPDX-License-Identifier: GPL-2.0
// A task of the module's own queue that is also scheduled: left alone.
#include <linux/module.h>
#include <linux/tqueue.h>

static DECLARE_TASK_QUEUE(my_queue);

static void fn(void *data)
{
}

static struct tq_struct t = { .routine = fn };

static int __init own_init(void)
{
	queue_task(&t, &my_queue);
	run_task_queue(&my_queue);
	schedule_task(&t);
	flush_scheduled_tasks();
	return 0;
}

module_init(own_init);
MODULE_LICENSE("GPL");
