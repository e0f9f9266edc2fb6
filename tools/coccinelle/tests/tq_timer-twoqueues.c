// SPDX-License-Identifier: GPL-2.0
// One task on tq_timer and on schedule_task(): no single native object
// replaces it, the rule leaves it alone.
#include <linux/module.h>
#include <linux/tqueue.h>

static void work_fn(void *data)
{
}

static struct tq_struct task = { .routine = work_fn };

static int __init two_init(void)
{
	queue_task(&task, &tq_timer);
	schedule_task(&task);
	return 0;
}

static void __exit two_exit(void)
{
	cancel_task_sync(&task);
}

module_init(two_init);
module_exit(two_exit);
MODULE_LICENSE("GPL");
