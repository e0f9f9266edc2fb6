// SPDX-License-Identifier: GPL-2.0
/*
 * The scheduler queue: schedule_task() and flush_scheduled_tasks().
 *
 * 2.4 ran these tasks in one kernel thread, keventd, in process context.
 * tqueue does the same with a kthread_worker named keventd: one thread, so
 * a task that sleeps delays the ones behind it, as it did in 2.4.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/export.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include "compat.h"
#include "internal.h"

/**
 * DOC: tq_scheduler
 *
 * tq_scheduler holds the tasks given to schedule_task(). They run in
 * process context in the keventd thread and may sleep, briefly: a sleeping
 * task delays all the others. queue_task(task, &tq_scheduler) is the same as
 * schedule_task(task), as in 2.2.
 */
static struct kthread_worker *tq_keventd;
static struct kthread_work tq_keventd_work;

static void tq_keventd_fn(struct kthread_work *work)
{
	run_task_queue(&tq_scheduler);
}

/* A task was linked on tq_scheduler: wake keventd. */
static void tq_keventd_kick(struct task_queue *q)
{
	lockdep_assert_held(&q->lock);
	kthread_queue_work(tq_keventd, &tq_keventd_work);
}

static bool tq_keventd_is_current(void)
{
	return current == tq_keventd->task;
}

static const struct tq_backend tq_keventd_ops = {
	.kick = tq_keventd_kick,
	.is_runner = tq_keventd_is_current,
};

task_queue tq_scheduler = __TASK_QUEUE_INITIALIZER(tq_scheduler,
						   &tq_keventd_ops);
EXPORT_SYMBOL_GPL(tq_scheduler);

/**
 * schedule_task() - run a task soon in process context
 * @task: the task
 *
 * Queues @task on tq_scheduler; the keventd thread runs it in process
 * context, where it may sleep.
 *
 * Context: Any context, hard IRQ included.
 * Return: 1 if @task was queued, 0 if it was already queued.
 */
int schedule_task(struct tq_struct *task)
{
	return queue_task(task, &tq_scheduler);
}
EXPORT_SYMBOL_GPL(schedule_task);

/**
 * flush_scheduled_tasks() - wait for the tasks scheduled so far
 *
 * Returns once every task given to schedule_task() before the call has run.
 * Tasks scheduled later, including one that requeues itself, are not waited
 * for. Calling it from a keventd task would wait for itself: it warns and
 * returns at once instead.
 *
 * Context: Process context; may sleep.
 * Return: nothing.
 */
void flush_scheduled_tasks(void)
{
	WARN_ON_ONCE(flush_task_queue(&tq_scheduler));
}
EXPORT_SYMBOL_GPL(flush_scheduled_tasks);

int tq_keventd_init(void)
{
	kthread_init_work(&tq_keventd_work, tq_keventd_fn);
	tq_keventd = tqc_kthread_run_worker(0, "keventd");
	return PTR_ERR_OR_ZERO(tq_keventd);
}

void tq_keventd_exit(void)
{
	kthread_destroy_worker(tq_keventd);
}
