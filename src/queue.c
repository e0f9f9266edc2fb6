// SPDX-License-Identifier: GPL-2.0
/*
 * queue_task() and the FIFO of a task queue.
 *
 * A queue is a doubly linked FIFO under the queue's raw spinlock, so that
 * every step on it is O(1) with IRQs off: queue_task() links at the tail,
 * a runner unlinks at the head, cancel and the purge unlink anywhere. Each
 * task linked gets the queue's next sequence number, by which a run knows
 * the tasks that were there when it started. The life of a task, and what
 * orders each step, is the table in internal.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/export.h>
#include <linux/irqflags.h>
#include <linux/sched/clock.h>
#include <linux/spinlock.h>
#include "compat.h"
#include "internal.h"
#include "tq_trace.h"

/* Link @t at the tail of @q. */
static void tq_link(struct task_queue *q, struct tq_struct *t)
{
	lockdep_assert_held(&q->lock);
	t->next = NULL;
	t->tq_prev = q->last;
	t->tq_seq = q->seq++;
	t->tq_stamp = local_clock();
	WRITE_ONCE(t->tq_queue, q);	/* read by cancel's locate window */
	if (q->last)
		q->last->next = t;
	else
		WRITE_ONCE(q->head, t);	/* read locklessly by __tq_active() */
	q->last = t;
}

/* Link @t after @pos on @q, at the head if @pos is NULL: the purge's cursor. */
void tq_link_after(struct task_queue *q, struct tq_struct *pos,
		   struct tq_struct *t)
{
	struct tq_struct *next = pos ? pos->next : q->head;

	lockdep_assert_held(&q->lock);
	t->tq_prev = pos;
	t->next = next;
	if (pos)
		pos->next = t;
	else
		WRITE_ONCE(q->head, t);
	if (next)
		next->tq_prev = t;
	else
		q->last = t;
	WRITE_ONCE(t->tq_queue, q);
}

/* Unlink @t, which is on @q; its pending bit stays with the caller. */
void tq_unlink(struct task_queue *q, struct tq_struct *t)
{
	lockdep_assert_held(&q->lock);
	if (t->tq_prev)
		t->tq_prev->next = t->next;
	else
		WRITE_ONCE(q->head, t->next);
	if (t->next)
		t->next->tq_prev = t->tq_prev;
	else
		q->last = t->tq_prev;
	t->next = NULL;
	t->tq_prev = NULL;
	WRITE_ONCE(t->tq_queue, NULL);
}

/*
 * While a module is being unloaded, its tasks cannot be queued: a routine
 * of the module that still runs cannot put its task back behind the purge.
 * queue_task() checks this with IRQs disabled, an RCU read-side section;
 * the purge publishes tq_going and waits for a grace period before it
 * looks at the queues, so a task is either refused here or seen there
 * (litmus test ``purge-refuse``).
 */
static bool tq_refused(struct tq_struct *task)
{
	struct module *going = READ_ONCE(tq_going);

	if (likely(!going) ||
	    !tq_in_module(task, task->routine, task->data, going))
		return false;
	/* A task the module left running, which requeues itself. */
	atomic_inc(&tq_going_refused);
	return true;
}

/**
 * queue_task() - put a task on a task queue
 * @task: the task; its routine must be set
 * @queue: the queue: tq_timer, tq_immediate, tq_scheduler, tq_disk or one of
 *         the caller's own queues (DECLARE_TASK_QUEUE())
 *
 * Puts @task at the tail of @queue unless it is already pending (on any
 * queue, or held by cancel_task_sync()), or belongs to a module that is
 * being unloaded. Tasks on tq_timer run at the next jiffy, tasks on
 * tq_scheduler soon in the keventd thread, tasks on tq_immediate after the
 * next mark_bh(IMMEDIATE_BH), tasks on other queues when run_task_queue()
 * runs the queue. @queue is not touched after its lock is released, so a
 * routine run from it may free it if it is the last task of the run.
 *
 * Context: Any context but NMI, hard IRQ included. Does not sleep or
 * allocate; takes @queue's raw spinlock with IRQs off.
 * Return: 1 if @task was queued, 0 if it was already pending (or, with a
 * one-time warning, if @task, its routine or @queue is NULL).
 */
int queue_task(struct tq_struct *task, task_queue *queue)
{
	unsigned long flags;

	if (WARN_ON_ONCE(!task || !queue || !task->routine)) {
		local_irq_save(flags);
		tq_stat_inc(queue, TQ_STAT_REFUSED);
		local_irq_restore(flags);
		return 0;
	}

	/*
	 * From here to the link, P is ours with IRQs off (internal.h). The
	 * test_and_set_bit() is fully ordered: litmus test ``pending-event``.
	 */
	local_irq_save(flags);
	if (unlikely(tq_refused(task))) {
		tq_stat_inc(queue, TQ_STAT_REFUSED);
		trace_tqueue_queue_task(task, tq_queue_name(queue), 0);
		local_irq_restore(flags);
		return 0;
	}
	if (test_and_set_bit(TQ_PENDING_BIT, &task->sync)) {
		trace_tqueue_queue_task(task, tq_queue_name(queue), 0);
		local_irq_restore(flags);
		return 0;
	}
	raw_spin_lock(&queue->lock);
	tq_link(queue, task);
	tq_stat_inc(queue, TQ_STAT_QUEUED);
	if (tq_running_here(task))
		tq_stat_inc(queue, TQ_STAT_REQUEUED);
	/* Under the lock: a routine may free @queue once it is dropped. */
	trace_tqueue_queue_task(task, tq_queue_name(queue), 1);
	/* Under the lock: litmus test ``timer-arm``. */
	if (queue->ops && queue->ops->kick)
		queue->ops->kick(queue);
	raw_spin_unlock_irqrestore(&queue->lock, flags);
	return 1;
}
EXPORT_SYMBOL_GPL(queue_task);
