// SPDX-License-Identifier: GPL-2.0
// A queue of the module's own, run by module_init.
#include <linux/module.h>
#include <linux/tqueue.h>

static DECLARE_TASK_QUEUE(my_queue);
static int order[3], nr;

static void order_fn(void *data)
{
	order[nr++] = (long)data;
}

static struct tq_struct t0 = { routine : order_fn, data : (void *)0 };
static struct tq_struct t1 = { .routine = order_fn, .data = (void *)1 };
static struct tq_struct t2;

static int __init own_init(void)
{
	INIT_TQUEUE(&t2, order_fn, (void *)2);
	queue_task(&t0, &my_queue);
	if (queue_task(&t1, &my_queue) != 1 || !TQ_ACTIVE(my_queue))
		return -EIO;
	queue_task(&t2, &my_queue);
	run_task_queue(&my_queue);
	return TQ_ACTIVE(my_queue) ? -EIO : 0;
}

module_init(own_init);
MODULE_LICENSE("GPL");
