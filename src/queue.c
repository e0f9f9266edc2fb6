// SPDX-License-Identifier: GPL-2.0
/*
 * Task queue operations: queue_task(), run_task_queue() and the tqueue
 * extensions cancel_task_sync() and flush_task_queue().
 *
 * A queue is a singly linked FIFO under a raw spinlock, so queue_task() may
 * be called from any context, hard IRQ on PREEMPT_RT included, and takes
 * O(1) time. Bit 0 of tq_struct.sync is the "pending" bit of 2.4: it is set
 * and the task linked, or the task unlinked and the bit cleared, in one
 * critical section of the queue's lock. The only other owner of a set bit is
 * cancel_task_sync() (and the unload purge), which take it to keep a task
 * off every queue while they wait for its routine.
 *
 * run_task_queue() runs the tasks present when it starts: every queued task
 * carries a sequence number, and a runner stops at the first task queued
 * after it started. Tasks are taken one at a time under the lock, so two
 * runners of one queue share the work without running a task twice, and
 * cancel_task_sync() can remove a task up to the moment it runs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/export.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include "compat.h"
#include "internal.h"

/**
 * DOC: tq_disk
 *
 * tq_disk exists for source compatibility with 2.4 block drivers. Nothing in
 * tqueue runs it: its tasks run when someone calls run_task_queue(&tq_disk),
 * in that caller's context.
 */
struct task_queue tq_disk = __TASK_QUEUE_INITIALIZER(tq_disk.lock, 0);
EXPORT_SYMBOL_GPL(tq_disk);

/* The queues tqueue owns: cancel and the unload purge look at all of them. */
struct task_queue *const tq_own_queues[TQ_NR_OWN_QUEUES] = {
	&tq_timer, &tq_immediate, &tq_scheduler, &tq_disk,
};

/* Link @t at the tail of @q; q->lock held, pending bit owned. */
static void tq_link(task_queue *q, struct tq_struct *t)
{
	t->next = NULL;
	t->tq_queue = q;
	t->tq_seq = q->seq++;
	if (q->last)
		q->last->next = t;
	else
		q->head = t;
	q->last = t;
}

/* Unlink @t, which follows @prev (NULL: @t is the head); q->lock held. */
static void tq_unlink(task_queue *q, struct tq_struct *prev,
		      struct tq_struct *t)
{
	if (prev)
		prev->next = t->next;
	else
		q->head = t->next;
	if (q->last == t)
		q->last = prev;
	t->next = NULL;
}

/*
 * While a module is being unloaded, its tasks cannot be queued: a routine
 * of the module that still runs cannot put its task back behind the purge.
 * Checked under the queue's lock, which the purge takes after publishing
 * tq_going, so a task is either refused here or removed by the purge.
 */
static bool tq_refused(struct tq_struct *task)
{
	struct module *going = READ_ONCE(tq_going);

	return going && tq_in_module(task, task->routine, task->data, going);
}

/**
 * queue_task() - put a task on a task queue
 * @task: the task; its routine must be set
 * @queue: the queue: tq_timer, tq_immediate, tq_scheduler, tq_disk or one of
 *         the caller's own queues (DECLARE_TASK_QUEUE())
 *
 * Links @task at the tail of @queue unless it is already queued (on any
 * queue), or belongs to a module that is being unloaded. Tasks on tq_timer
 * run at the next jiffy, tasks on tq_scheduler soon in the keventd thread,
 * tasks on tq_immediate after the next mark_bh(IMMEDIATE_BH), tasks on other
 * queues when run_task_queue() runs the queue.
 *
 * Context: Any context, hard IRQ included. Does not sleep or allocate.
 * Return: 1 if @task was queued, 0 if it was already queued (or, with a
 * one-time warning, if @task, its routine or @queue is NULL).
 */
int queue_task(struct tq_struct *task, task_queue *queue)
{
	unsigned long flags;
	bool was_empty;

	if (WARN_ON_ONCE(!task || !queue || !task->routine))
		return 0;

	raw_spin_lock_irqsave(&queue->lock, flags);
	if (unlikely(tq_refused(task)) ||
	    test_and_set_bit(TQ_PENDING_BIT, &task->sync)) {
		raw_spin_unlock_irqrestore(&queue->lock, flags);
		return 0;
	}
	was_empty = !queue->head;
	tq_link(queue, task);
	if ((queue->flags & TQ_F_TIMER) && was_empty)
		tq_timer_kick();
	raw_spin_unlock_irqrestore(&queue->lock, flags);

	if (queue->flags & TQ_F_SCHED)
		tq_sched_kick();
	return 1;
}
EXPORT_SYMBOL_GPL(queue_task);

/* Wake whoever waits for a running instance of @t to return; q->lock held. */
static void tq_wake_waiters(task_queue *q, const struct tq_struct *t)
{
	struct tq_waiter **pw = &q->waiters;
	struct tq_waiter *w;

	while ((w = *pw)) {
		if (w->task == t) {
			*pw = w->next;
			complete(&w->done);	/* @w may vanish now */
		} else {
			pw = &w->next;
		}
	}
}

static void tq_runner_del(task_queue *q, struct tq_runner *r)
{
	struct tq_runner **pr = &q->runners;

	while (*pr != r)
		pr = &(*pr)->next;
	*pr = r->next;
}

static void tq_run(task_queue *q)
{
	struct tq_runner r = { };
	struct tq_struct *t;
	unsigned long flags, end;

	raw_spin_lock_irqsave(&q->lock, flags);
	end = q->seq;
	r.next = q->runners;
	q->runners = &r;
	while ((t = q->head) && (long)(t->tq_seq - end) < 0) {
		tq_unlink(q, NULL, t);
		t->tq_ran = q;
		r.cur = t;
		r.fn = t->routine;
		r.data = t->data;
		/*
		 * Routine and data are read and the task unlinked before the
		 * pending bit clears: from then on queue_task() may link the
		 * task again, possibly on another queue, and change both.
		 */
		smp_mb__before_atomic();
		clear_bit(TQ_PENDING_BIT, &t->sync);
		raw_spin_unlock_irqrestore(&q->lock, flags);

		r.fn(r.data);	/* may free or requeue @t */

		raw_spin_lock_irqsave(&q->lock, flags);
		r.cur = NULL;
		if (unlikely(q->waiters))
			tq_wake_waiters(q, t);
	}
	tq_runner_del(q, &r);
	raw_spin_unlock_irqrestore(&q->lock, flags);
}

/**
 * run_task_queue() - run the tasks on a task queue
 * @queue: the queue
 *
 * Runs, in FIFO order, the tasks that were on @queue when the call started;
 * each task's pending bit is cleared before its routine is called, so a
 * routine may queue its own task again, which then runs on the next run.
 * An empty queue costs one load. Concurrent runs of one queue share its
 * tasks and never run one twice. For tq_timer and tq_immediate the run is
 * serialized with the other old bottom halves, as in 2.4.
 *
 * Context: Any context for queues of your own; the routines run in the
 * caller's context. Process or softirq context for tq_timer and
 * tq_immediate.
 * Return: nothing.
 */
void run_task_queue(task_queue *queue)
{
	if (!READ_ONCE(queue->head))
		return;
	if (queue->flags & TQ_F_SERIAL) {
		tq_serial_lock();
		tq_run(queue);
		tq_serial_unlock();
	} else {
		tq_run(queue);
	}
}
EXPORT_SYMBOL_GPL(run_task_queue);

/*
 * Remove the tasks on @q that @match selects and clear their pending bits.
 * Returns how many were removed.
 */
unsigned int tq_remove_pending(task_queue *q, tq_match_t match,
			       const void *arg)
{
	struct tq_struct *prev = NULL, *t, *next;
	unsigned int n = 0;
	unsigned long flags;

	raw_spin_lock_irqsave(&q->lock, flags);
	for (t = q->head; t; t = next) {
		next = t->next;
		if (!match(t, t->routine, t->data, arg)) {
			prev = t;
			continue;
		}
		tq_unlink(q, prev, t);
		/* Unlinked before the bit clears: see tq_run(). */
		smp_mb__before_atomic();
		clear_bit(TQ_PENDING_BIT, &t->sync);
		n++;
	}
	raw_spin_unlock_irqrestore(&q->lock, flags);
	return n;
}

/*
 * If a runner of @q executes a task that @match selects, wait for that
 * routine to return. Returns whether it waited. It waits for one routine
 * only: a caller that loops must also take the pending tasks off the queue
 * between calls, or two tasks that keep requeueing each other would keep
 * the runner busy with a matching task forever.
 */
bool tq_wait_running(task_queue *q, tq_match_t match, const void *arg)
{
	struct tq_waiter w;
	struct tq_runner *r;
	unsigned long flags;

	might_sleep();
	raw_spin_lock_irqsave(&q->lock, flags);
	for (r = q->runners; r; r = r->next)
		if (r->cur && match(r->cur, r->fn, r->data, arg))
			break;
	if (!r) {
		raw_spin_unlock_irqrestore(&q->lock, flags);
		return false;
	}
	w.task = r->cur;
	init_completion(&w.done);
	w.next = q->waiters;
	q->waiters = &w;
	raw_spin_unlock_irqrestore(&q->lock, flags);

	wait_for_completion(&w.done);
	return true;
}

static bool tq_match_task(const struct tq_struct *task, void (*fn)(void *),
			  const void *data, const void *arg)
{
	return task == arg;
}

/* Unlink @t if it is on @q; q->lock held. */
static bool tq_unlink_task(task_queue *q, struct tq_struct *t)
{
	struct tq_struct *prev = NULL, *p;

	for (p = q->head; p; prev = p, p = p->next) {
		if (p == t) {
			tq_unlink(q, prev, t);
			return true;
		}
	}
	return false;
}

/*
 * Take the pending bit of @task, which was last queued on @q: true if it
 * was clear, or set and @task still on @q, which it is then taken off
 * (*@removed is set). False if somebody else owns the bit.
 */
static bool tq_own_pending(task_queue *q, struct tq_struct *task,
			   bool *removed)
{
	unsigned long flags;
	bool owned = true;

	raw_spin_lock_irqsave(&q->lock, flags);
	if (test_and_set_bit(TQ_PENDING_BIT, &task->sync)) {
		owned = READ_ONCE(task->tq_queue) == q &&
			tq_unlink_task(q, task);
		*removed = owned;
	}
	raw_spin_unlock_irqrestore(&q->lock, flags);
	return owned;
}

/**
 * cancel_task_sync() - take a task off its queue and wait for its routine
 * @task: the task
 *
 * A tqueue extension, modelled on cancel_work_sync(). Removes @task from the
 * queue it is pending on and, if its routine is running, waits for the
 * routine to return: on tqueue's own queues, and on the queues of the
 * caller's that it was last put on and last taken from (a task that moves
 * between two queues of the caller's while it runs may be missed there).
 * While it waits, @task cannot be queued: queue_task() returns 0, so a task
 * that requeues itself is stopped too. When it returns, @task is on no queue
 * and its routine does not run, and @task may be freed.
 *
 * Must not be called from the task's own routine, nor from a queue runner
 * that the task waits behind (a tq_timer or tq_immediate routine, or a
 * keventd task for a keventd task).
 *
 * Context: Process context; may sleep.
 * Return: true if @task was pending and has been removed, false otherwise.
 */
bool cancel_task_sync(struct tq_struct *task)
{
	bool removed = false, waited;
	task_queue *q, *ran;
	int i;

	might_sleep();
	if (WARN_ON_ONCE(!task))
		return false;

	/* Own the pending bit: either it was clear, or we unlink the task. */
	for (;;) {
		q = READ_ONCE(task->tq_queue);
		if (q ? tq_own_pending(q, task, &removed) :
			!test_and_set_bit(TQ_PENDING_BIT, &task->sync))
			break;
		/* Being queued right now, or another canceller owns the bit. */
		cond_resched();
	}

	/*
	 * We own the pending bit, so no new instance can start; wait for the
	 * ones running, wherever they were queued: tqueue's own queues, and
	 * the queues the task was last put on and last taken from.
	 */
	do {
		waited = false;
		for (i = 0; i < TQ_NR_OWN_QUEUES; i++)
			waited |= tq_wait_running(tq_own_queues[i],
						  tq_match_task, task);
		q = READ_ONCE(task->tq_queue);
		ran = READ_ONCE(task->tq_ran);
		if (q)
			waited |= tq_wait_running(q, tq_match_task, task);
		if (ran && ran != q)
			waited |= tq_wait_running(ran, tq_match_task, task);
	} while (waited);

	/* Order the waits above before @task may be queued again. */
	smp_mb__before_atomic();
	clear_bit(TQ_PENDING_BIT, &task->sync);
	return removed;
}
EXPORT_SYMBOL_GPL(cancel_task_sync);

/* The lock that serializes tq_timer and tq_immediate, like 2.4's BHs. */
static DEFINE_SPINLOCK(tq_serial);
static struct task_struct *tq_serial_owner;
static unsigned int tq_serial_depth;

/*
 * Take the serialization lock, recursively: a tq_timer routine may run
 * tq_immediate itself, as 2.4 code did. Bottom halves stay disabled while it
 * is held; the owner is compared with current, which cannot change under
 * local_bh_disable() (on PREEMPT_RT it disables migration).
 */
void tq_serial_lock(void)
	__acquires(&tq_serial)
{
	local_bh_disable();
	if (READ_ONCE(tq_serial_owner) == current) {
		tq_serial_depth++;
		__acquire(&tq_serial);	/* nested: held already */
		return;
	}
	spin_lock(&tq_serial);
	WRITE_ONCE(tq_serial_owner, current);
	tq_serial_depth = 1;
}

void tq_serial_unlock(void)
	__releases(&tq_serial)
{
	if (--tq_serial_depth) {
		__release(&tq_serial);	/* nested: still held */
	} else {
		WRITE_ONCE(tq_serial_owner, NULL);
		spin_unlock(&tq_serial);
	}
	local_bh_enable();
}

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
 * queues) cannot be flushed.
 *
 * Context: Process context; may sleep. Not from a task on @queue.
 * Return: 0 on success, -EINVAL if @queue is not run by tqueue, -EDEADLK if
 * called from the keventd thread for tq_scheduler.
 */
int flush_task_queue(task_queue *queue)
{
	DECLARE_COMPLETION_ONSTACK(done);
	struct tq_struct barrier = { };

	might_sleep();
	if (!(queue->flags & (TQ_F_TIMER | TQ_F_SCHED | TQ_F_IMMED)))
		return -EINVAL;
	if ((queue->flags & TQ_F_SCHED) && tq_sched_is_current())
		return -EDEADLK;

	INIT_TQUEUE(&barrier, tq_barrier_fn, &done);
	queue_task(&barrier, queue);
	if (queue->flags & TQ_F_IMMED)
		mark_bh(IMMEDIATE_BH);
	wait_for_completion(&done);
	return 0;
}
EXPORT_SYMBOL_GPL(flush_task_queue);
