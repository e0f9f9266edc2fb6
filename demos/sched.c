// SPDX-License-Identifier: GPL-2.0
/*
 * sched: LKMPG's "schedule a function on every timer tick", on tqueue.
 *
 * At load a task goes on tq_timer; each run counts itself and puts the task
 * back, so it runs once per tick. /proc/sched prints the count.
 *
 * The original stopped at unload by raising a flag and sleep_on()ing until
 * the task's next run woke it up: a run between the flag and the sleep lost
 * the wake-up and rmmod hung. Here unload raises the flag and then
 * cancel_task_sync() takes the task off tq_timer or waits for its running
 * routine, which cannot requeue it meanwhile: nothing to lose.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/tqueue.h>

static atomic_long_t lkmpg_runs = ATOMIC_LONG_INIT(0);
static bool lkmpg_stopping;
static struct proc_dir_entry *lkmpg_pde;

static void lkmpg_tick(void *unused);

static struct tq_struct lkmpg_task = { .routine = lkmpg_tick };

/**
 * lkmpg_tick() - the task: count this run and requeue for the next tick
 * @unused: the task's data, NULL
 *
 * Context: tq_timer (interrupt context).
 */
static void lkmpg_tick(void *unused)
{
	atomic_long_inc(&lkmpg_runs);
	if (!READ_ONCE(lkmpg_stopping))
		queue_task(&lkmpg_task, &tq_timer);
}

static int lkmpg_show(struct seq_file *m, void *v)
{
	seq_printf(m, "Timer was called %ld times so far\n",
		   atomic_long_read(&lkmpg_runs));
	return 0;
}

static int lkmpg_open(struct inode *inode, struct file *filp)
{
	return single_open(filp, lkmpg_show, NULL);
}

static const struct proc_ops lkmpg_proc_ops = {
	.proc_open	= lkmpg_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
};

static int __init lkmpg_init(void)
{
	lkmpg_pde = proc_create("sched", 0444, NULL, &lkmpg_proc_ops);
	if (!lkmpg_pde) {
		pr_err("cannot create /proc/sched\n");
		return -ENOMEM;
	}
	queue_task(&lkmpg_task, &tq_timer);
	return 0;
}

/**
 * lkmpg_exit() - stop the task and wait for its last run
 *
 * Removes /proc/sched (waiting for its readers), raises the stop flag, then
 * cancel_task_sync() takes the task off tq_timer or, if it is running, waits
 * for it to return; meanwhile it cannot requeue itself. There is no wake-up
 * to lose, unlike the original's sleep_on().
 */
static void __exit lkmpg_exit(void)
{
	proc_remove(lkmpg_pde);
	WRITE_ONCE(lkmpg_stopping, true);
	cancel_task_sync(&lkmpg_task);
}

module_init(lkmpg_init);
module_exit(lkmpg_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(TQ_VERSION);
MODULE_DESCRIPTION("sched: LKMPG's task counting its runs on tq_timer, on tqueue");
