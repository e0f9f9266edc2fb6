// SPDX-License-Identifier: GPL-2.0
// What no rule converts yet: a caller's own queue, a task in a struct.
#include <linux/module.h>
#include <linux/tqueue.h>

struct dev {
	struct tq_struct task;
};

static DECLARE_TASK_QUEUE(q);
static struct tq_struct t;

static void fn(void *data)
{
}

static int __init left_init(void)
{
	INIT_TQUEUE(&t, fn, NULL);
	queue_task(&t, &q);
	run_task_queue(&q);
	return 0;
}

module_init(left_init);
MODULE_LICENSE("GPL");
