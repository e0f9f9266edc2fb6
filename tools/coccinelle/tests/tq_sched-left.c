// SPDX-License-Identifier: GPL-2.0
// Left alone: a routine that reads its data, an init that returns a
// variable.
#include <linux/module.h>
#include <linux/tqueue.h>

static int ran;

static void sched_fn(void *data)
{
	WRITE_ONCE(*(int *)data, 1);
}

static struct tq_struct sched_task = { .routine = sched_fn, .data = &ran };

static void other_fn(void *data)
{
}

static struct tq_struct other_task = { .routine = other_fn };

static int __init s_init(void)
{
	int ret = 0;

	schedule_task(&sched_task);
	schedule_task(&other_task);
	flush_scheduled_tasks();
	return ret;
}

static void __exit s_exit(void)
{
}

module_init(s_init);
module_exit(s_exit);
MODULE_LICENSE("GPL");
