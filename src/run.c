// SPDX-License-Identifier: GPL-2.0
/*
 * run_task_queue(): running a task queue.
 *
 * A run executes the tasks that were on the queue when it started, in FIFO
 * order, one at a time as workqueue's process_one_work() does: pop the
 * head and publish it in the run's busy record under the queue's lock, clear
 * its pending bit with a full barrier, call the routine. Since a run takes
 * only the head, runs of one queue share its tasks, a nested run (a routine
 * that runs its own queue) continues in FIFO order, and a flush barrier
 * never overtakes a task queued before it. After the last task of its run
 * the runner touches the queue no more, so that routine may free it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/export.h>
#include <linux/preempt.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/spinlock.h>
#include "compat.h"
#include "internal.h"
#include "tq_trace.h"

/*
 * The routine this CPU runs now, for the statistics' "requeued": the task
 * and, for a run in task context, the thread (NULL in softirq context).
 * Only compared, never dereferenced. A run saves and restores the CPU's
 * entry around each routine, so nested runs (a routine that runs a queue,
 * a softirq over a thread's run) see their own. A routine that sleeps and
 * migrates restores the entry of the CPU it started on and, meanwhile, is
 * not seen from the new one: its requeue counts as queued only. If another
 * thread's run started on the old CPU meanwhile and ends after it, that
 * run restores the migrated one's entry: until the next run there, a
 * queue_task() of that task by that thread on that CPU counts as a
 * requeue. The count is a statistic; nothing else reads the entries.
 */
struct tq_current {
	const struct tq_struct *task;
	const struct task_struct *thread;
};

static DEFINE_PER_CPU(struct tq_current, tq_current);

/* Called by queue_task() with IRQs off. */
bool tq_running_here(const struct tq_struct *t)
{
	const struct tq_current *c = this_cpu_ptr(&tq_current);

	return READ_ONCE(c->task) == t &&
	       READ_ONCE(c->thread) == (in_task() ? current : NULL);
}

/*
 * Clear the pending bit of @t, which the caller popped; IRQs off. The
 * cmpxchg() is fully ordered: the routine's loads come after it, so a
 * queue_task() that found the bit still set has its stores seen by the
 * routine (litmus test ``pending-event``); the record the caller published
 * comes before it (``busy-publish``). If a canceller is inside its locate
 * window it may hold a pointer to the queue @t was on: wait until it leaves,
 * before the routine or our caller may free that queue (``cancel-locate``).
 */
void tq_release_pending(struct tq_struct *t)
{
	unsigned long old = READ_ONCE(t->sync);

	lockdep_assert_irqs_disabled();
	while (!try_cmpxchg(&t->sync, &old, old & ~TQ_PENDING))
		;
	if (unlikely(old & TQ_LOCATING))
		/* Pairs with tq_grab_pending()'s release: ``cancel-locate``. */
		smp_cond_load_acquire(&t->sync, !(VAL & TQ_LOCATING));
}

/* The first task of @q that belongs to the run that ends at @end. */
static struct tq_struct *tq_run_head(struct task_queue *q, unsigned long end)
{
	struct tq_struct *t = q->head;

	lockdep_assert_held(&q->lock);
	if (t && unlikely(!t->routine))
		t = t->next;		/* the purge's cursor (unload.c) */
	return t && (long)(t->tq_seq - end) < 0 ? t : NULL;
}

static void tq_run(struct task_queue *q)
{
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	struct lockdep_map map;
#endif
	struct lockdep_map *mapp = NULL;
	struct tq_current *cur, saved;
	unsigned long flags, last, gen;
	char qname[TQ_TRACE_NAME_LEN];
	u64 start, end, lat;
	unsigned int id;
	struct tq_struct *t;
	struct tq_busy b;
	bool more;

#ifdef CONFIG_DEBUG_LOCK_ALLOC
	/* A copy: the last routine may free @q. */
	lockdep_copy_map(&map, &q->dep_map);
	mapp = &map;
#endif
	/* A copy for the end events: the last routine may free @q. */
	if (trace_tqueue_execute_end_enabled())
		strscpy(qname, tq_queue_name(q), sizeof(qname));
	else
		qname[0] = '\0';
	tq_busy_enter(&b, mapp);
	/*
	 * One clock read per task: the end of a routine is the start of the
	 * next (the relock and pop in between count into the runtime).
	 */
	start = local_clock();
	raw_spin_lock_irqsave(&q->lock, flags);
	last = q->seq;
	while ((t = tq_run_head(q, last))) {
		tq_unlink(q, t);
		more = tq_run_head(q, last);
		/*
		 * local_clock() of the CPU that queued @t may run a little
		 * ahead of ours (within a jiffy, as sched_clock_cpu() keeps
		 * them): a negative latency is none.
		 */
		lat = max_t(s64, start - t->tq_stamp, 0);
		gen = tq_stat_run(q, &id, lat);
		trace_tqueue_execute_start(t, t->routine, tq_queue_name(q), lat);
		/*
		 * Published before the queue's lock is dropped: @t is always
		 * on a queue or in a record, where the purge looks (the spin
		 * model's purge property; lock order q->lock, then the list's).
		 */
		tq_busy_set(&b, t);
		raw_spin_unlock(&q->lock);
		tq_release_pending(t);
		cur = this_cpu_ptr(&tq_current);
		saved.task = READ_ONCE(cur->task);
		saved.thread = READ_ONCE(cur->thread);
		WRITE_ONCE(cur->task, t);
		WRITE_ONCE(cur->thread, in_task() ? current : NULL);
		local_irq_restore(flags);

		lock_map_acquire_read(mapp);
		b.fn(b.data);		/* may requeue or free @t, or free @q */
		lock_map_release(mapp);

		WRITE_ONCE(cur->task, saved.task);
		WRITE_ONCE(cur->thread, saved.thread);
		end = local_clock();
		tq_stat_runtime(id, gen, end - start);
		trace_tqueue_execute_end(t, b.fn, qname, end - start);
		start = end;
		if (!more)
			goto out;
		raw_spin_lock_irqsave(&q->lock, flags);
	}
	raw_spin_unlock_irqrestore(&q->lock, flags);
out:
	tq_busy_leave(&b);
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
 * serialized with the other old bottom halves, as in 2.4. @queue must stay
 * valid until the call returns, but the routine of the run's last task may
 * free it.
 *
 * Context: Any context but NMI for queues of your own; the routines run in
 * the caller's context. Process or softirq context for tq_timer and
 * tq_immediate: from hard IRQ the call warns once and runs nothing.
 * Return: nothing.
 */
void run_task_queue(task_queue *queue)
{
	if (!READ_ONCE(queue->head))
		return;
	if (!queue->ops || !queue->ops->serial) {
		tq_run(queue);
		return;
	}
	if (unlikely(tqc_in_hardirq() || in_nmi())) {
		/* It could nest in the serialization lock's owner. */
		pr_warn_once("%s() of a serialized queue from hard IRQ; not run\n",
			     __func__);
		return;
	}
	tq_serial_lock();
	tq_run(queue);
	tq_serial_unlock();
}
EXPORT_SYMBOL_GPL(run_task_queue);
