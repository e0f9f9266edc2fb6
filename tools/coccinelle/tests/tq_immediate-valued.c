// SPDX-License-Identifier: GPL-2.0
// queue_task()'s value is used: queue_work() returns it, and before 6.9
// tasklet_task_schedule(), a helper tq-port adds; the init's error return
// cancels the item.
#include <linux/module.h>
#include <linux/tqueue.h>

static void imm_fn(void *data)
{
}

static struct tq_struct imm_task = { routine : imm_fn };

static int __init imm_init(void)
{
	if (queue_task(&imm_task, &tq_immediate) == 0)
		return -EBUSY;
	mark_bh(IMMEDIATE_BH);
	return 0;
}

static void __exit imm_exit(void)
{
	cancel_task_sync(&imm_task);
}

module_init(imm_init);
module_exit(imm_exit);
MODULE_LICENSE("GPL");
