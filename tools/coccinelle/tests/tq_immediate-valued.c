// SPDX-License-Identifier: GPL-2.0
// queue_task()'s value is used: queue_work() has one, tasklet_schedule()
// none, so before 6.9 the rule leaves the task alone (tq_left reports it).
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
