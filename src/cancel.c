// SPDX-License-Identifier: GPL-2.0
/*
 * cancel_task_sync() and flush_task_queue(): waiting for routines.
 *
 * cancel_task_sync() takes the task's pending bit, so that no new instance
 * can start, then waits until no busy record (busy.c) runs the task. To
 * take the bit from a task that is queued, it has to find the task's queue
 * and lock it, while the task may be run meanwhile and the queue freed by
 * its last routine: the locate window below, with the runner's side in
 * tq_release_pending(). The states are those of the table in internal.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/completion.h>
#include <linux/export.h>
#include <linux/irqflags.h>
#include <linux/sched.h>
#include <linux/wait_bit.h>
#include "compat.h"
#include "internal.h"
#include "tq_trace.h"

/*
 * Take @t's pending bit: true if it was clear (it is ours now) or @t was
 * queued and has been unlinked (*@removed set). False while somebody else
 * holds the bit with IRQs off, between two states: try again.
 */
static bool tq_grab_pending(struct tq_struct *t, bool *removed)
{
	unsigned long flags, old;
	struct task_queue *q;
	bool got = false;

	local_irq_save(flags);
	old = READ_ONCE(t->sync);
	/* Fully ordered: litmus test ``cancel-locate``. */
	while (!try_cmpxchg(&t->sync, &old, old | TQ_PENDING | TQ_LOCATING))
		;
	if (!(old & TQ_PENDING)) {
		got = true;
	} else {
		q = READ_ONCE(t->tq_queue);
		/* A runner that pops @t now waits for L: @q stays valid. */
		if (q) {
			raw_spin_lock(&q->lock);
			if (t->tq_queue == q) {
				tq_unlink(q, t);
				tq_stat_inc(q, TQ_STAT_CANCELLED);
				*removed = got = true;
			}
			raw_spin_unlock(&q->lock);
		}
	}
	/* Pairs with tq_release_pending()'s acquire: ``cancel-locate``. */
	clear_bit_unlock(TQ_LOCATING_BIT, &t->sync);
	local_irq_restore(flags);
	return got;
}

/* The same task, running the same routine (a reused address is not). */
static bool tq_match_task(const struct tq_struct *task, void (*fn)(void *),
			  const void *data, const void *arg)
{
	const struct tq_struct *t = arg;

	return task == t && fn == READ_ONCE(t->routine);
}

/**
 * cancel_task_sync() - take a task off its queue and wait for its routine
 * @task: the task
 *
 * A tqueue extension, modelled on cancel_work_sync(). Removes @task from the
 * queue it is pending on and waits for every running instance of its
 * routine to return, wherever it runs: tqueue's queues and its users',
 * including queues the task has left or that no longer exist. It can be
 * used even if the task requeues itself or moves to another queue: while it
 * waits, @task cannot be queued (queue_task() returns 0). When it returns,
 * @task is on no queue, its routine does not run, and @task may be freed.
 * An instance whose routine freed @task and whose memory was reused for
 * another task with another routine is not waited for. Concurrent cancels
 * of one task sleep until the first returns, then return false.
 *
 * Must not be called from the task's own routine, nor while holding a lock
 * the routine takes (lockdep reports both), nor from a queue runner that
 * the task waits behind.
 *
 * Context: Process context; may sleep.
 * Return: true if @task was pending and has been removed, false otherwise.
 */
bool cancel_task_sync(struct tq_struct *task)
{
	bool removed = false, waited = false;

	might_sleep();
	if (WARN_ON_ONCE(!task))
		return false;

	/*
	 * One canceller at a time; the others sleep, whatever their policy
	 * (litmus tests ``cancel-exclusive`` and ``cancel-wake``).
	 */
	wait_var_event(&task->sync,
		       !test_and_set_bit(TQ_CANCELING_BIT, &task->sync));
	/* The other holders of P are in IRQs-off windows: see internal.h. */
	while (!tq_grab_pending(task, &removed))
		cpu_relax();
	/* P is ours: no instance can start; wait for those running. */
	while (tq_busy_wait(tq_match_task, task))
		waited = true;
	trace_tqueue_cancel(task, removed, waited);
	/* The waits before @task can be queued again: ``cancel-release``. */
	smp_mb__before_atomic();
	clear_bit(TQ_PENDING_BIT, &task->sync);
	/* The next canceller sees all of this: ``cancel-exclusive``. */
	clear_bit_unlock(TQ_CANCELING_BIT, &task->sync);
	/* Before wake_up_var() looks for waiters: ``cancel-wake``. */
	smp_mb__after_atomic();
	wake_up_var(&task->sync);
	return removed;
}
EXPORT_SYMBOL_GPL(cancel_task_sync);

static void tq_barrier_fn(void *data)
{
	complete(data);
}

/**
 * flush_task_queue() - wait until the tasks pending now on a queue have run
 * @queue: tq_timer, tq_immediate or tq_scheduler
 *
 * A tqueue extension. Queues a barrier task behind everything pending on
 * @queue and waits for it to run; for tq_immediate it also marks the
 * IMMEDIATE bottom half, so that the pending tasks run at all. Tasks queued
 * after the call, including tasks that requeue themselves, are not waited
 * for. Queues that tqueue does not run itself (tq_disk and the caller's own
 * queues) cannot be flushed. Lockdep reports a flush under a lock that one
 * of the queue's routines takes.
 *
 * Context: Process context; may sleep. Not from a task on @queue.
 * Return: 0 on success, -EINVAL if @queue is not run by tqueue, -EDEADLK if
 * called from the queue's own runner.
 */
int flush_task_queue(task_queue *queue)
{
	DECLARE_COMPLETION_ONSTACK(done);
	struct tq_struct barrier;
	const struct tq_backend *ops = queue->ops;

	might_sleep();
	if (!ops)
		return -EINVAL;
	if (ops->is_runner && ops->is_runner())
		return -EDEADLK;

	tq_lockdep_wait(tq_dep_map(queue));
	INIT_TQUEUE(&barrier, tq_barrier_fn, &done);
	queue_task(&barrier, queue);
	if (ops->run_soon)
		ops->run_soon();
	wait_for_completion(&done);
	return 0;
}
EXPORT_SYMBOL_GPL(flush_task_queue);
