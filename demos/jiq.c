// SPDX-License-Identifier: GPL-2.0
/*
 * jiq: "just in queue", the LDD2 demo of task queues, on tqueue.
 *
 * Each read of one of the /proc files below starts a run: a task prints a
 * line describing the context it runs in (jiffies, jiffies since the previous
 * line, in_interrupt(), pid, cpu, command) and puts itself back on its queue,
 * until the text is longer than @limit bytes. The reader sleeps meanwhile.
 *
 *   /proc/jiqsched    schedule_task(): the keventd thread, process context
 *   /proc/jiqtimer    tq_timer: once per tick, interrupt context
 *   /proc/jiqimmed    tq_immediate + mark_bh(IMMEDIATE_BH)
 *   /proc/jiqtasklet  the kernel's own bottom half (BH work item or tasklet)
 *   /proc/jitimer     a line now, one from a timer_list @delay jiffies later
 *
 * Unlike the original, every run has its own state and buffer, a reader
 * stopped by a signal cancels its run before returning, and unloading ends
 * the runs in progress.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/hardirq.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/tqueue.h>
#include <linux/wait.h>

#include "jiq_compat.h"

#define JIQ_LIMIT_MIN		64U
#define JIQ_LIMIT_MAX		((unsigned int)PAGE_SIZE - 128U)
#define JIQ_DELAY_MAX		(10U * HZ)
#define JIQ_READERS_MAX		64U

static unsigned int limit = JIQ_LIMIT_MAX;
module_param(limit, uint, 0444);
MODULE_PARM_DESC(limit, "stop a run once its text is longer than this many bytes (64 to PAGE_SIZE - 128, default PAGE_SIZE - 128)");

static unsigned int delay = HZ;
module_param(delay, uint, 0444);
MODULE_PARM_DESC(delay, "jitimer: jiffies between its two lines (1 to 10 * HZ, default HZ)");

static unsigned int max_readers = 8;
module_param(max_readers, uint, 0444);
MODULE_PARM_DESC(max_readers, "runs in progress allowed per file; further readers get -EBUSY (1 to 64, default 8)");

enum jiq_kind {
	JIQ_SCHED,
	JIQ_TIMER,
	JIQ_IMMED,
	JIQ_TASKLET,
	JIQ_JITIMER,
	JIQ_NR_KINDS,
};

/**
 * struct jiq_file - one of the /proc files
 * @name: its name under /proc
 * @kind: which queue or mechanism its runs use
 * @runs: runs in progress, at most @max_readers
 * @pde: the /proc entry
 */
struct jiq_file {
	const char *name;
	enum jiq_kind kind;
	atomic_t runs;
	struct proc_dir_entry *pde;
};

static struct jiq_file jiq_files[JIQ_NR_KINDS] = {
	[JIQ_SCHED]	= { .name = "jiqsched",   .kind = JIQ_SCHED },
	[JIQ_TIMER]	= { .name = "jiqtimer",   .kind = JIQ_TIMER },
	[JIQ_IMMED]	= { .name = "jiqimmed",   .kind = JIQ_IMMED },
	[JIQ_TASKLET]	= { .name = "jiqtasklet", .kind = JIQ_TASKLET },
	[JIQ_JITIMER]	= { .name = "jitimer",    .kind = JIQ_JITIMER },
};

/**
 * struct jiq_run - one run, owned by the reader that started it
 * @kind: which queue or mechanism the run uses
 * @node: link in jiq_runs, under jiq_lock, so that unload can end the run
 * @wait: the reader sleeps here until @done or @stop
 * @buf: the text, one page
 * @len: bytes in @buf
 * @last: jiffies of the previous line
 * @due: jitimer only: jiffies at which the second line is due
 * @done: the text is complete; set with release semantics
 * @stop: the reader gave up (signal) or the module is going: no requeueing
 * @sched_task: the task for jiqsched
 * @timer_task: the task for jiqtimer
 * @immed_task: the task for jiqimmed
 * @bh: the bottom half for jiqtasklet
 * @timer: the timer for jitimer
 *
 * The routines write @buf, @len and @last and set @done; the reader reads
 * the text only after jiq_cancel() has returned, when no routine can run.
 * The reader frees the run: one run per read, nothing shared between readers.
 */
struct jiq_run {
	enum jiq_kind kind;
	struct list_head node;
	wait_queue_head_t wait;
	char *buf;
	size_t len;
	unsigned long last;
	unsigned long due;
	bool done;
	bool stop;
	struct tq_struct sched_task;
	struct tq_struct timer_task;
	struct tq_struct immed_task;
	struct jiq_bh bh;
	struct timer_list timer;
};

static DEFINE_SPINLOCK(jiq_lock);
static LIST_HEAD(jiq_runs);
static bool jiq_unloading;

static void jiq_line(struct jiq_run *run)
{
	unsigned long j = jiffies;

	run->len += scnprintf(run->buf + run->len, PAGE_SIZE - run->len,
			      "%9lu %5lu %9d %5d %3u %s\n",
			      j, j - run->last, in_interrupt() ? 1 : 0,
			      current->pid, raw_smp_processor_id(),
			      current->comm);
	run->last = j;
}

static void jiq_finish(struct jiq_run *run)
{
	/* The text before done: pairs with jiq_run_done(), ``jiq-done``. */
	smp_store_release(&run->done, true);
	wake_up(&run->wait);
}

static bool jiq_run_done(struct jiq_run *run)
{
	/* Pairs with the release in jiq_finish(): ``jiq-done``. */
	return smp_load_acquire(&run->done);
}

static bool jiq_run_ended(struct jiq_run *run)
{
	return jiq_run_done(run) || READ_ONCE(run->stop);
}

/* Print a line; return true if the run goes on (the caller requeues). */
static bool jiq_step(struct jiq_run *run)
{
	if (READ_ONCE(run->stop))
		return false;
	jiq_line(run);
	if (run->len <= limit)
		return true;
	jiq_finish(run);
	return false;
}

static void jiq_sched_fn(void *data)
{
	struct jiq_run *run = data;

	if (jiq_step(run))
		schedule_task(&run->sched_task);
}

static void jiq_timer_fn(void *data)
{
	struct jiq_run *run = data;

	if (jiq_step(run))
		queue_task(&run->timer_task, &tq_timer);
}

static void jiq_immed_fn(void *data)
{
	struct jiq_run *run = data;

	if (jiq_step(run)) {
		queue_task(&run->immed_task, &tq_immediate);
		mark_bh(IMMEDIATE_BH);
	}
}

static void jiq_bh_fn(struct jiq_bh *bh)
{
	struct jiq_run *run = container_of(bh, struct jiq_run, bh);

	if (jiq_step(run))
		jiq_bh_schedule(bh);
}

/**
 * jitimer_fn() - the jitimer timer: print the second line when it is due
 * @t: the run's timer
 *
 * The timer wheel rounds an expiry up to the granularity of its level (up to
 * an eighth of the timeout) and level 0 fires a tick after the expiry, so a
 * timer armed @delay ahead would print a delta a little over @delay. To print
 * the second line on the very tick it is due, the timer aims short of it by a
 * margin that covers the rounding, then follows the last few ticks one by one.
 *
 * Context: timer (softirq).
 */
static void jitimer_fn(struct timer_list *t)
{
	struct jiq_run *run = jiq_timer_container_of(run, t, timer);
	unsigned long now = jiffies;
	unsigned long left;

	if (READ_ONCE(run->stop))
		return;
	if (time_before(now, run->due)) {
		left = run->due - now;
		if (left > 4)
			mod_timer(&run->timer, run->due - (left / 4 + 4));
		else
			mod_timer(&run->timer, now);
		return;
	}
	jiq_line(run);
	jiq_finish(run);
}

static void jiq_start(struct jiq_run *run)
{
	switch (run->kind) {
	case JIQ_SCHED:
		schedule_task(&run->sched_task);
		break;
	case JIQ_TIMER:
		queue_task(&run->timer_task, &tq_timer);
		break;
	case JIQ_IMMED:
		queue_task(&run->immed_task, &tq_immediate);
		mark_bh(IMMEDIATE_BH);
		break;
	case JIQ_TASKLET:
		jiq_bh_schedule(&run->bh);
		break;
	case JIQ_JITIMER:
		jiq_line(run);
		run->due = run->last + delay;
		mod_timer(&run->timer, run->due - min(delay, delay / 4 + 4));
		break;
	default:
		break;
	}
}

/**
 * jiq_cancel() - stop a run and wait until nothing of it is queued or running
 * @run: the run
 *
 * Raises @run->stop, then takes the task off its queue with
 * cancel_task_sync(), the bottom half with jiq_bh_cancel_sync() or the timer
 * with timer_delete_sync(), each of which also waits for a running routine.
 * Called on every way out of a read: completion, signal and unload alike.
 *
 * Context: process context; sleeps.
 */
static void jiq_cancel(struct jiq_run *run)
{
	WRITE_ONCE(run->stop, true);
	switch (run->kind) {
	case JIQ_SCHED:
		cancel_task_sync(&run->sched_task);
		break;
	case JIQ_TIMER:
		cancel_task_sync(&run->timer_task);
		break;
	case JIQ_IMMED:
		cancel_task_sync(&run->immed_task);
		break;
	case JIQ_TASKLET:
		jiq_bh_cancel_sync(&run->bh);
		break;
	case JIQ_JITIMER:
		jiq_timer_delete_sync(&run->timer);
		break;
	default:
		break;
	}
}

static struct jiq_run *jiq_run_alloc(enum jiq_kind kind)
{
	struct jiq_run *run;

	run = kzalloc(sizeof(*run), GFP_KERNEL);
	if (!run)
		return NULL;
	run->buf = (char *)__get_free_page(GFP_KERNEL);
	if (!run->buf) {
		kfree(run);
		return NULL;
	}
	run->kind = kind;
	init_waitqueue_head(&run->wait);
	switch (kind) {
	case JIQ_SCHED:
		INIT_TQUEUE(&run->sched_task, jiq_sched_fn, run);
		break;
	case JIQ_TIMER:
		INIT_TQUEUE(&run->timer_task, jiq_timer_fn, run);
		break;
	case JIQ_IMMED:
		INIT_TQUEUE(&run->immed_task, jiq_immed_fn, run);
		break;
	case JIQ_TASKLET:
		jiq_bh_init(&run->bh, jiq_bh_fn);
		break;
	case JIQ_JITIMER:
		timer_setup(&run->timer, jitimer_fn, 0);
		break;
	default:
		break;
	}
	run->len = scnprintf(run->buf, PAGE_SIZE,
			     "     time delta interrupt   pid cpu command\n");
	run->last = jiffies;
	return run;
}

static void jiq_run_free(struct jiq_run *run)
{
	free_page((unsigned long)run->buf);
	kfree(run);
}

/**
 * jiq_show() - generate one page for a reader
 * @m: the reader's seq_file
 * @v: unused
 *
 * The first read of an open file gets here; seq_file then serves the page in
 * pieces to that read and the following ones. Starts a run and sleeps until
 * it completes, the reader gets a signal or the module is unloaded; in every
 * case the run is cancelled before the function returns.
 *
 * Context: process context; sleeps.
 * Return: 0 with the page in @m; -EBUSY if @max_readers runs of this file
 * are in progress; -ERESTARTSYS on a signal; -ENODEV if the module is being
 * unloaded; -ENOMEM.
 */
static int jiq_show(struct seq_file *m, void *v)
{
	struct jiq_file *file = m->private;
	struct jiq_run *run;
	int ret;

	if (atomic_inc_return(&file->runs) > max_readers) {
		ret = -EBUSY;
		goto out;
	}
	run = jiq_run_alloc(file->kind);
	if (!run) {
		ret = -ENOMEM;
		goto out;
	}

	spin_lock(&jiq_lock);
	if (jiq_unloading) {
		spin_unlock(&jiq_lock);
		jiq_run_free(run);
		ret = -ENODEV;
		goto out;
	}
	list_add(&run->node, &jiq_runs);
	spin_unlock(&jiq_lock);

	jiq_start(run);
	ret = wait_event_interruptible(run->wait, jiq_run_ended(run));
	/* Whatever woke us, nothing may touch the run after this. */
	jiq_cancel(run);

	spin_lock(&jiq_lock);
	list_del(&run->node);
	spin_unlock(&jiq_lock);

	if (jiq_run_done(run)) {
		seq_write(m, run->buf, run->len);
		ret = 0;
	} else if (!ret) {
		ret = -ENODEV;		/* ended by module unload */
	}
	jiq_run_free(run);
out:
	atomic_dec(&file->runs);
	return ret;
}

static int __init jiq_check_param(const char *name, unsigned int val,
				  unsigned int lo, unsigned int hi)
{
	if (val >= lo && val <= hi)
		return 0;
	pr_err("invalid %s=%u: must be between %u and %u\n", name, val, lo, hi);
	return -EINVAL;
}

static void jiq_remove_files(void)
{
	int i;

	for (i = 0; i < JIQ_NR_KINDS; i++) {
		proc_remove(jiq_files[i].pde);
		jiq_files[i].pde = NULL;
	}
}

static int __init jiq_init(void)
{
	int ret;
	int i;

	ret = jiq_check_param("limit", limit, JIQ_LIMIT_MIN, JIQ_LIMIT_MAX);
	if (!ret)
		ret = jiq_check_param("delay", delay, 1, JIQ_DELAY_MAX);
	if (!ret)
		ret = jiq_check_param("max_readers", max_readers, 1,
				      JIQ_READERS_MAX);
	if (ret)
		return ret;

	for (i = 0; i < JIQ_NR_KINDS; i++) {
		jiq_files[i].pde = proc_create_single_data(jiq_files[i].name,
							   0444, NULL, jiq_show,
							   &jiq_files[i]);
		if (!jiq_files[i].pde) {
			pr_err("cannot create /proc/%s\n", jiq_files[i].name);
			jiq_remove_files();
			return -ENOMEM;
		}
	}
	return 0;
}

static void __exit jiq_exit(void)
{
	struct jiq_run *run;

	/* End the runs in progress and refuse new ones... */
	spin_lock(&jiq_lock);
	jiq_unloading = true;
	list_for_each_entry(run, &jiq_runs, node) {
		WRITE_ONCE(run->stop, true);
		wake_up(&run->wait);
	}
	spin_unlock(&jiq_lock);

	/* ...then wait for the readers inside jiq_show() to cancel theirs. */
	jiq_remove_files();
	WARN_ON(!list_empty(&jiq_runs));
}

module_init(jiq_init);
module_exit(jiq_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(TQ_VERSION);
MODULE_DESCRIPTION("jiq: LDD2's just-in-queue demo of task queues, on tqueue");
