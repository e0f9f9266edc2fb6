// SPDX-License-Identifier: GPL-2.0
/*
 * tqueue.ko: module init and exit, and tq_disk.
 *
 * tqueue brings back the Linux 2.2/2.4 task-queue API. See
 * Documentation/tqueue.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include "compat.h"
#include "internal.h"

/**
 * DOC: tq_disk
 *
 * tq_disk exists for source compatibility with 2.4 block drivers. Nothing in
 * tqueue runs it: its tasks run when someone calls run_task_queue(&tq_disk),
 * in that caller's context.
 */
task_queue tq_disk = __TASK_QUEUE_INITIALIZER(tq_disk, NULL);
EXPORT_SYMBOL_GPL(tq_disk);

/*
 * Which branch of src/compat.h this build took, probe by probe
 * ("NAME=yes" for the newer API): the selftests print it.
 */
static char compat[] = TQC_PROBES;
module_param_string(compat, compat, sizeof(compat), 0444);
MODULE_PARM_DESC(compat, "compat probe results of this build (read-only)");

static int __init tqueue_init(void)
{
	int err;

	tq_busy_init();
	err = tq_keventd_init();
	if (err)
		return err;
	tq_timer_init();
	tq_immediate_init();
	tq_purge_add_queue(&tq_timer);
	tq_purge_add_queue(&tq_immediate);
	tq_purge_add_queue(&tq_scheduler);
	tq_purge_add_queue(&tq_disk);
	tq_stats_init();
	tq_stats_register(&tq_timer);
	tq_stats_register(&tq_immediate);
	tq_stats_register(&tq_scheduler);
	tq_stats_register(&tq_disk);
	err = tq_unload_init();
	if (err)
		goto err_queues;
	return 0;

err_queues:
	tq_stats_exit();
	tq_immediate_exit();
	tq_timer_exit();
	tq_keventd_exit();
	return err;
}

/*
 * No client module is loaded any more (each holds a reference on tqueue),
 * and the unload notifier has purged what they left: the queues are empty.
 */
static void __exit tqueue_exit(void)
{
	tq_unload_exit();
	tq_stats_exit();
	tq_timer_exit();
	tq_immediate_exit();
	tq_keventd_exit();
}

module_init(tqueue_init);
module_exit(tqueue_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(TQ_VERSION);
MODULE_DESCRIPTION("The Linux 2.4 task-queue API on hrtimers, BH workqueues and kthreads");
