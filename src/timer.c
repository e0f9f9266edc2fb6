// SPDX-License-Identifier: GPL-2.0
/*
 * tq_timer: tasks that run at the next timer tick.
 *
 * 2.4 ran tq_timer from the timer bottom half at every tick. tqueue runs it
 * from a soft-mode hrtimer that is armed only while the queue is not empty,
 * so an idle system takes no wake-ups for it. The hrtimer is not
 * phase-locked to the tick: when it expires within the jiffy of the last
 * run, it re-arms for a fraction of a tick without running the queue, so a
 * task that requeues itself sees jiffies advance between two runs.
 *
 * "armed" is protected by tq_timer.lock: queue_task() calls the kick under
 * that lock after linking a task, which starts the hrtimer when the flag is
 * clear; the callback clears the flag, under the same lock, when it finds
 * the queue empty (litmus test ``timer-arm``). While the flag is set nobody
 * but the callback touches the hrtimer, so hrtimer_forward_now() never
 * meets an enqueued timer.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include "compat.h"
#include "internal.h"

/**
 * DOC: tq_timer
 *
 * Tasks queued on tq_timer run once, at the next jiffy, in softirq context
 * (in_interrupt() is true, in_task() false): they must not sleep. A task
 * that queues itself again from its routine runs once per jiffy, never
 * twice within the same jiffy. tq_timer and tq_immediate tasks never run
 * concurrently with one another.
 */
static struct hrtimer tq_hrtimer;
static bool tq_timer_on;		/* tq_timer.lock */
static unsigned long tq_timer_last;	/* the callback: jiffies of the last run */
static unsigned long tq_timer_nr_runs;	/* the callback: queue runs, for tests */
static unsigned long tq_timer_nr_expiries;	/* the callback: expiries */

/* A task was linked on tq_timer: arm the hrtimer unless it is armed. */
static void tq_timer_kick(struct task_queue *q)
{
	lockdep_assert_held(&q->lock);
	if (!tq_timer_on) {
		tq_timer_on = true;
		hrtimer_start(&tq_hrtimer, ns_to_ktime(TICK_NSEC),
			      HRTIMER_MODE_REL_SOFT);
	}
}

static const struct tq_backend tq_timer_ops = {
	.kick = tq_timer_kick,
	.is_runner = tq_serial_held,
	.serial = true,
};

task_queue tq_timer = __TASK_QUEUE_INITIALIZER(tq_timer, &tq_timer_ops);
EXPORT_SYMBOL_GPL(tq_timer);

static enum hrtimer_restart tq_timer_fn(struct hrtimer *timer)
{
	enum hrtimer_restart ret = HRTIMER_RESTART;
	u64 next = TICK_NSEC;
	unsigned long flags;
	unsigned long now = jiffies;

	WRITE_ONCE(tq_timer_nr_expiries, tq_timer_nr_expiries + 1);
	if (now != tq_timer_last) {
		WRITE_ONCE(tq_timer_nr_runs, tq_timer_nr_runs + 1);
		run_task_queue(&tq_timer);
		/*
		 * The jiffy the run ended in, not the one it began in: a run
		 * that spans a tick must not let the next run start in the
		 * jiffy its last tasks saw.
		 */
		tq_timer_last = jiffies;
	} else {
		next = TICK_NSEC / 4;	/* same jiffy: look again soon */
	}

	raw_spin_lock_irqsave(&tq_timer.lock, flags);
	if (READ_ONCE(tq_timer.head)) {
		hrtimer_forward_now(timer, ns_to_ktime(next));
	} else {
		tq_timer_on = false;
		ret = HRTIMER_NORESTART;
	}
	raw_spin_unlock_irqrestore(&tq_timer.lock, flags);
	return ret;
}

/**
 * tq_timer_armed() - whether the hrtimer behind tq_timer is armed
 *
 * A test hook, exported in the test-hook namespace TQC_TEST_NS.
 *
 * Context: Any context.
 * Return: true while the hrtimer is armed or its callback runs.
 */
bool tq_timer_armed(void)
{
	return READ_ONCE(tq_timer_on) || hrtimer_active(&tq_hrtimer);
}
EXPORT_SYMBOL_NS_GPL(tq_timer_armed, TQC_TEST_NS);

/**
 * tq_timer_expiries() - how often the hrtimer behind tq_timer expired
 *
 * A test hook, exported in the test-hook namespace TQC_TEST_NS.
 *
 * Context: Any context.
 * Return: the number of expiries since tqueue.ko was loaded.
 */
unsigned long tq_timer_expiries(void)
{
	return READ_ONCE(tq_timer_nr_expiries);
}
EXPORT_SYMBOL_NS_GPL(tq_timer_expiries, TQC_TEST_NS);

/**
 * tq_timer_runs() - how often tq_timer was run
 *
 * A test hook, exported in the test-hook namespace TQC_TEST_NS.
 *
 * Context: Any context.
 * Return: the number of runs of tq_timer since tqueue.ko was loaded.
 */
unsigned long tq_timer_runs(void)
{
	return READ_ONCE(tq_timer_nr_runs);
}
EXPORT_SYMBOL_NS_GPL(tq_timer_runs, TQC_TEST_NS);

int tq_timer_init(void)
{
	tq_timer_last = jiffies - 1;
	tqc_hrtimer_setup(&tq_hrtimer, tq_timer_fn, CLOCK_MONOTONIC,
			  HRTIMER_MODE_REL_SOFT);
	return 0;
}

void tq_timer_exit(void)
{
	hrtimer_cancel(&tq_hrtimer);
	tq_timer_on = false;
}
