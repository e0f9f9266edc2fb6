// SPDX-License-Identifier: GPL-2.0
// A task on tq_immediate, marked with mark_bh(IMMEDIATE_BH).
#include <linux/module.h>
#include <linux/tqueue.h>

static int ran;

static void imm_fn(void *data)
{
	ran = 1;
}

static struct tq_struct imm_task = { .routine = imm_fn };

static int __init imm_init(void)
{
	queue_task(&imm_task, &tq_immediate);
	mark_bh(IMMEDIATE_BH);
	return 0;
}

static void __exit imm_exit(void)
{
}

module_init(imm_init);
module_exit(imm_exit);
MODULE_LICENSE("GPL");
