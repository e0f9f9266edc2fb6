// SPDX-License-Identifier: GPL-2.0
/*
 * Task queue operations: queue_task(), run_task_queue() and the tqueue
 * extensions cancel_task_sync() and flush_task_queue().
 *
 * Bit 0 of tq_struct.sync is the "pending" bit of 2.4: queue_task() owns a
 * task from the test_and_set_bit() that sets it until the task is on the
 * queue; a runner owns it from taking the task off the queue until it
 * clears the bit, just before calling the routine; cancel_task_sync() (and
 * the unload purge) take it to keep a task off every queue while they wait.
 *
 * queue_task() takes no lock: it pushes the task on the queue's @incoming
 * stack with a cmpxchg(), so it is cheap and may be called from any context,
 * hard IRQ on PREEMPT_RT included. Everything else takes the queue's raw
 * spinlock and first moves @incoming, reversed, to the tail of the FIFO
 * (@head, @last), where tasks get their sequence numbers.
 *
 * run_task_queue() runs the tasks present when it starts: it stops at the
 * first task numbered after its start. It takes up to TQ_CHUNK tasks per
 * lock round trip into slots on its stack and claims each slot with an
 * xchg() just before running it; cancel and the purge can still take a task
 * out of a slot (cmpxchg() under the lock) up to that moment. Two runners of
 * one queue share its tasks, chunk by chunk, and never run one twice.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/export.h>
#include <linux/preempt.h>
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
 * Move the tasks queue_task() pushed on @q->incoming, newest first, to the
 * tail of the FIFO in the order they were queued; q->lock held. They all
 * get the same sequence number: a runner runs the tasks of the drains up to
 * its own.
 */
static void tq_drain(task_queue *q)
{
	struct tq_struct *t, *next, *fifo = NULL, *newest;
	unsigned long seq;

	if (!READ_ONCE(q->incoming))
		return;
	seq = q->seq++;
	/* Fully ordered: the pushers' writes to ->next are visible. */
	newest = xchg(&q->incoming, NULL);
	for (t = newest; t; t = next) {
		next = t->next;
		t->next = fifo;
		t->tq_seq = seq;
		fifo = t;
	}
	if (q->last)
		q->last->next = fifo;
	else
		q->head = fifo;
	q->last = newest;
}

/*
 * While a module is being unloaded, its tasks cannot be queued: a routine
 * of the module that still runs cannot put its task back behind the purge.
 * queue_task() checks this with preemption disabled, an RCU read-side
 * section; the purge publishes tq_going and waits for a grace period before
 * it looks at the queues, so a task is either refused here or seen there.
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
 * Puts @task at the tail of @queue unless it is already queued (on any
 * queue), or belongs to a module that is being unloaded. Tasks on tq_timer
 * run at the next jiffy, tasks on tq_scheduler soon in the keventd thread,
 * tasks on tq_immediate after the next mark_bh(IMMEDIATE_BH), tasks on other
 * queues when run_task_queue() runs the queue.
 *
 * Context: Any context, hard IRQ included. Does not sleep, allocate or take
 * a lock (but for the first task on an empty tq_timer, which arms its timer
 * under tq_timer's raw spinlock).
 * Return: 1 if @task was queued, 0 if it was already queued (or, with a
 * one-time warning, if @task, its routine or @queue is NULL).
 */
int queue_task(struct tq_struct *task, task_queue *queue)
{
	struct tq_struct *first;

	if (WARN_ON_ONCE(!task || !queue || !task->routine))
		return 0;

	preempt_disable();
	if (unlikely(tq_refused(task)) ||
	    test_and_set_bit(TQ_PENDING_BIT, &task->sync)) {
		preempt_enable();
		return 0;
	}
	WRITE_ONCE(task->tq_queue, queue);
	first = READ_ONCE(queue->incoming);
	do {
		task->next = first;
	} while (!try_cmpxchg(&queue->incoming, &first, task));
	preempt_enable();

	/* A push on an empty stack kicks; later pushes rely on that kick. */
	if ((queue->flags & TQ_F_TIMER) && !first)
		tq_timer_kick();
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

/* Claim the task of slot @i and run it, unless cancel or the purge took it. */
static void tq_run_one(task_queue *q, struct tq_runner *r, unsigned int i)
{
	struct tq_slot *s = &r->slot[i];
	struct tq_struct *t = s->task;
	unsigned long flags;

	/*
	 * From the claim to the clearing of the pending bit, cancel sees the
	 * bit set and the task nowhere: keep that window short.
	 */
	preempt_disable();
	if (test_and_set_bit(i, &r->claimed)) {
		preempt_enable();
		return;
	}
	WRITE_ONCE(t->tq_ran, q);
	WRITE_ONCE(r->running, s);
	/*
	 * The task is claimed and the runner published before the pending
	 * bit clears: from then on queue_task() may queue the task again,
	 * possibly on another queue, and cancel must find it running.
	 */
	clear_bit_unlock(TQ_PENDING_BIT, &t->sync);
	preempt_enable();

	s->fn(s->data);		/* may free or requeue @t */

	WRITE_ONCE(r->running, NULL);
	/* Pairs with the smp_mb() in tq_wait_running(). */
	smp_mb();
	if (unlikely(READ_ONCE(q->waiters))) {
		raw_spin_lock_irqsave(&q->lock, flags);
		tq_wake_waiters(q, t);
		raw_spin_unlock_irqrestore(&q->lock, flags);
	}
}

/*
 * Fill @r's slots from the head of @q with tasks of the drains before
 * sequence number @end; q->lock held. Returns how many.
 */
static unsigned int tq_fill(task_queue *q, struct tq_runner *r,
			    unsigned long end)
{
	struct tq_struct *t = q->head;
	unsigned int n;

	for (n = 0; n < TQ_CHUNK && t && (long)(t->tq_seq - end) < 0; n++) {
		r->slot[n].task = t;
		r->slot[n].fn = t->routine;
		r->slot[n].data = t->data;
		t = t->next;
	}
	q->head = t;
	if (!t)
		q->last = NULL;
	r->claimed = 0;
	r->n = n;
	return n;
}

static void tq_run(task_queue *q)
{
	struct tq_runner r;
	unsigned long flags, end;
	unsigned int i, n;

	/* The slots are written before r.n counts them in. */
	r.running = NULL;
	r.n = 0;
	raw_spin_lock_irqsave(&q->lock, flags);
	tq_drain(q);
	end = q->seq;
	r.next = q->runners;
	q->runners = &r;
	while ((n = tq_fill(q, &r, end))) {
		raw_spin_unlock_irqrestore(&q->lock, flags);
		for (i = 0; i < n; i++)
			tq_run_one(q, &r, i);
		raw_spin_lock_irqsave(&q->lock, flags);
	}
	tq_runner_del(q, &r);
	raw_spin_unlock_irqrestore(&q->lock, flags);
}

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
static void tq_serial_lock(void)
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

static void tq_serial_unlock(void)
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

/**
 * run_task_queue() - run the tasks on a task queue
 * @queue: the queue
 *
 * Runs, in FIFO order, the tasks that were on @queue when the call started;
 * each task's pending bit is cleared before its routine is called, so a
 * routine may queue its own task again, which then runs on the next run.
 * An empty queue costs two loads. Concurrent runs of one queue share its
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
	if (tq_queue_empty(queue))
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
 * Take the task of slot @i away from runner @r; q->lock held. Only the
 * runner claims slots without the lock: this fails if it claimed the task.
 */
static bool tq_slot_take(struct tq_runner *r, unsigned int i)
{
	return !test_bit(i, &r->claimed) && !test_and_set_bit(i, &r->claimed);
}

/* Clear the pending bit of a task taken off a queue or a slot. */
static void tq_drop_pending(struct tq_struct *t)
{
	/* Unlinked before the bit clears: see tq_run_one(). */
	clear_bit_unlock(TQ_PENDING_BIT, &t->sync);
}

/*
 * Remove the tasks on @q, and in its runners' slots, that @match selects and
 * clear their pending bits. Returns how many were removed.
 */
unsigned int tq_remove_pending(task_queue *q, tq_match_t match,
			       const void *arg)
{
	struct tq_struct *prev = NULL, *t, *next;
	struct tq_runner *r;
	unsigned int n = 0, i;
	unsigned long flags;

	raw_spin_lock_irqsave(&q->lock, flags);
	tq_drain(q);
	for (t = q->head; t; t = next) {
		next = t->next;
		if (!match(t, t->routine, t->data, arg)) {
			prev = t;
			continue;
		}
		tq_unlink(q, prev, t);
		tq_drop_pending(t);
		n++;
	}
	for (r = q->runners; r; r = r->next) {
		for (i = 0; i < r->n; i++) {
			struct tq_slot *s = &r->slot[i];

			if (match(s->task, s->fn, s->data, arg) &&
			    tq_slot_take(r, i)) {
				tq_drop_pending(s->task);
				n++;
			}
		}
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
	struct tq_waiter w, **pw;
	struct tq_slot *s = NULL;
	struct tq_runner *r;
	unsigned long flags;

	might_sleep();
	raw_spin_lock_irqsave(&q->lock, flags);
	for (r = q->runners; r; r = r->next) {
		s = READ_ONCE(r->running);
		if (s && match(s->task, s->fn, s->data, arg))
			break;
	}
	if (!r) {
		raw_spin_unlock_irqrestore(&q->lock, flags);
		return false;
	}
	w.task = s->task;
	init_completion(&w.done);
	w.next = q->waiters;
	q->waiters = &w;
	/*
	 * The runner clears ->running and then looks for waiters; publish the
	 * waiter and look at ->running again: one of the two sees the other.
	 */
	smp_mb();
	if (READ_ONCE(r->running) != s) {
		for (pw = &q->waiters; *pw != &w; pw = &(*pw)->next)
			;
		*pw = w.next;
		raw_spin_unlock_irqrestore(&q->lock, flags);
		return true;
	}
	raw_spin_unlock_irqrestore(&q->lock, flags);

	wait_for_completion(&w.done);
	return true;
}

static bool tq_match_task(const struct tq_struct *task, void (*fn)(void *),
			  const void *data, const void *arg)
{
	return task == arg;
}

/* Unlink @t if it is on @q or in one of its runners' slots; q->lock held. */
static bool tq_unlink_task(task_queue *q, struct tq_struct *t)
{
	struct tq_struct *prev = NULL, *p;
	struct tq_runner *r;
	unsigned int i;

	tq_drain(q);
	for (p = q->head; p; prev = p, p = p->next) {
		if (p == t) {
			tq_unlink(q, prev, t);
			return true;
		}
	}
	/* A task is in one unclaimed slot at most: it is queued once. */
	for (r = q->runners; r; r = r->next)
		for (i = 0; i < r->n; i++)
			if (r->slot[i].task == t && tq_slot_take(r, i))
				return true;
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
