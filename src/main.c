// SPDX-License-Identifier: GPL-2.0
/*
 * tqueue.ko: module init and exit.
 *
 * tqueue brings back the Linux 2.2/2.4 task-queue API. See
 * Documentation/tqueue.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include "compat.h"
#include "internal.h"

static int __init tqueue_init(void)
{
	int err;

	err = tq_sched_init();
	if (err)
		return err;
	tq_timer_init();
	tq_immediate_init();
	err = tq_unload_init();
	if (err)
		goto err_sched;
	return 0;

err_sched:
	tq_immediate_exit();
	tq_timer_exit();
	tq_sched_exit();
	return err;
}

/*
 * No client module is loaded any more (each holds a reference on tqueue),
 * and the unload notifier has purged what they left: the queues are empty.
 */
static void __exit tqueue_exit(void)
{
	tq_unload_exit();
	tq_timer_exit();
	tq_immediate_exit();
	tq_sched_exit();
}

module_init(tqueue_init);
module_exit(tqueue_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("The Linux 2.4 task-queue API on hrtimers, BH workqueues and kthreads");
