// SPDX-License-Identifier: GPL-2.0
// schedule_task(), flush_scheduled_tasks(), an error return in init.
#include <linux/module.h>
#include <linux/tqueue.h>

static int ran;

static void sched_fn(void *data)
{
	WRITE_ONCE(ran, 1);
}

static struct tq_struct sched_task = { routine : sched_fn };

static int __init s_init(void)
{
	int before = READ_ONCE(ran);

	if (schedule_task(&sched_task) != 1)
		return -EIO;
	flush_scheduled_tasks();
	if (before || !READ_ONCE(ran))
		return -EIO;
	return 0;
}

static void __exit s_exit(void)
{
	cancel_task_sync(&sched_task);
}

module_init(s_init);
module_exit(s_exit);
MODULE_LICENSE("GPL");
