// SPDX-License-Identifier: GPL-2.0
/*
 * Running task queues: run_task_queue(), and what cancel and the unload
 * purge need to see of a run in progress.
 *
 * A run executes the tasks present when it starts: it moves the pushed
 * tasks to the FIFO and stops at the first task of a later drain. It takes
 * up to TQ_CHUNK tasks per lock round trip into slots of its runner record
 * (on its stack, linked on the queue) and claims each slot with an atomic
 * bit operation just before running the task; cancel and the purge, under
 * the queue's lock, can still take a task out of a slot up to that moment.
 * Two runners of one queue share its tasks, chunk by chunk, and never run
 * one twice.
 *
 * tq_timer and tq_immediate, serialized like 2.4's bottom halves, run
 * without the queue's lock when their FIFO is empty: the pushed tasks go
 * straight into the slots of a runner record of the queue's own. Everything
 * else that moves their tasks holds the serialization lock too.
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

/* The records of tq_timer's and tq_immediate's lock-free runs. */
struct tq_runner tq_timer_runner, tq_immediate_runner;

/* Link @r on @q for good; at init, before anything runs @q. */
void tq_runner_attach(task_queue *q, struct tq_runner *r)
{
	unsigned long flags;

	WRITE_ONCE(r->claim, TQ_CLAIM_ALL);
	raw_spin_lock_irqsave(&q->lock, flags);
	r->next = q->runners;
	q->runners = r;
	raw_spin_unlock_irqrestore(&q->lock, flags);
}

/* Unlink @r from @q; at exit, when nothing runs @q any more. */
void tq_runner_detach(task_queue *q, struct tq_runner *r)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&q->lock, flags);
	tq_runner_del(q, r);
	raw_spin_unlock_irqrestore(&q->lock, flags);
}

/* Start a fill of @r: a new generation, every slot claimed. */
static void tq_fill_begin(struct tq_runner *r)
{
	unsigned long w = READ_ONCE(r->claim);

	WRITE_ONCE(r->claim, (TQ_CLAIM_GEN(w) + 1) << TQ_CHUNK | TQ_CLAIM_ALL);
	/* The new generation is visible before any slot changes. */
	smp_wmb();
}

/* End a fill of @r with @n slots: they become claimable. */
static void tq_fill_end(struct tq_runner *r, unsigned int n)
{
	unsigned long w = READ_ONCE(r->claim);

	WRITE_ONCE(r->n, n);
	/* The slots and @n are written before their bits clear. */
	smp_store_release(&r->claim, w & ~(BIT(n) - 1));
}

/* Fill slot @s with @t; between tq_fill_begin() and tq_fill_end(). */
static void tq_slot_set(struct tq_slot *s, struct tq_struct *t)
{
	/* Read locklessly by tq_slots_take() and tq_runner_running(). */
	WRITE_ONCE(s->task, t);
	WRITE_ONCE(s->fn, t->routine);
	WRITE_ONCE(s->data, t->data);
}

/* Claim the task of slot @i and run it, unless cancel or the purge took it. */
static __always_inline void tq_run_one(task_queue *q, struct tq_runner *r,
				       unsigned int i)
{
	struct tq_slot *s = &r->slot[i];
	struct tq_struct *t = s->task;
	unsigned long flags;

	/*
	 * From the claim to the clearing of the pending bit, cancel sees the
	 * bit set and the task nowhere: keep that window short.
	 */
	preempt_disable();
	if (test_and_set_bit(i, &r->claim)) {
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

	tq_fill_begin(r);
	for (n = 0; n < TQ_CHUNK && t && (long)(t->tq_seq - end) < 0; n++) {
		tq_slot_set(&r->slot[n], t);
		t = t->next;
	}
	q->head = t;
	if (!t)
		q->last = NULL;
	tq_fill_end(r, n);
	return n;
}

static void tq_run(task_queue *q)
{
	struct tq_runner r;
	unsigned long flags, end;
	unsigned int i, n;

	r.running = NULL;
	r.n = 0;
	r.claim = TQ_CLAIM_ALL;
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

/*
 * Run tq_timer or tq_immediate without the queue's lock: the FIFO is empty
 * and everything else that moves tasks of these queues holds the
 * serialization lock, as the caller does. The tasks pushed on
 * @q->incoming go into the slots of the queue's own runner record @r,
 * which is always linked on the queue; more than fit take the locked path.
 */
static void tq_run_fast(task_queue *q, struct tq_runner *r)
{
	struct tq_struct *t, *fifo, *newest;
	unsigned int i, n = 0;
	unsigned long flags;

	/* Fully ordered: the pushers' writes to ->next are visible. */
	newest = xchg(&q->incoming, NULL);
	if (!newest)
		return;
	fifo = tq_reverse(newest, &n);
	if (n > TQ_CHUNK) {
		raw_spin_lock_irqsave(&q->lock, flags);
		tq_link_chain(q, fifo, newest);
		raw_spin_unlock_irqrestore(&q->lock, flags);
		tq_run(q);
		return;
	}
	tq_fill_begin(r);
	for (i = 0, t = fifo; t; t = t->next, i++)
		tq_slot_set(&r->slot[i], t);
	tq_fill_end(r, n);

	for (i = 0; i < n; i++)
		tq_run_one(q, r, i);
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
		struct tq_runner *r = queue == &tq_timer ? &tq_timer_runner :
					&tq_immediate_runner;

		tq_serial_lock();
		/* A routine that runs its own queue again takes the lock. */
		if (!r->busy && !READ_ONCE(queue->head)) {
			r->busy = true;
			tq_run_fast(queue, r);
			r->busy = false;
		} else {
			tq_run(queue);
		}
		tq_serial_unlock();
	} else {
		tq_run(queue);
	}
}
EXPORT_SYMBOL_GPL(run_task_queue);

/*
 * Take the task in slot @i of @r away from its runner, if @w, the claim word
 * read before the slot, is still current and leaves the slot unclaimed;
 * q->lock held.
 */
static bool tq_slot_take(struct tq_runner *r, unsigned int i,
			 unsigned long w)
{
	return !(w & BIT(i)) && try_cmpxchg(&r->claim, &w, w | BIT(i));
}

/*
 * Take out of @r's slots the tasks that @match selects; returns how many.
 * q->lock held. The word is read before each slot and the take fails if it
 * changed, so a lock-free fill never hands over a task of another
 * generation; the runner's claims change it too, hence the retry.
 */
unsigned int tq_slots_take(struct tq_runner *r, tq_match_t match,
			   const void *arg, bool drop)
{
	unsigned int i, n = 0;
	struct tq_slot s;
	unsigned long w;

	for (i = 0; i < TQ_CHUNK; i++) {
		do {
			/* Pairs with tq_fill_end(): the slot is read after. */
			w = smp_load_acquire(&r->claim);
			if (i >= READ_ONCE(r->n) || (w & BIT(i)))
				break;
			s.task = READ_ONCE(r->slot[i].task);
			s.fn = READ_ONCE(r->slot[i].fn);
			s.data = READ_ONCE(r->slot[i].data);
			if (!match(s.task, s.fn, s.data, arg))
				break;
			if (tq_slot_take(r, i, w)) {
				if (drop)
					tq_drop_pending(s.task);
				n++;
				break;
			}
		} while (true);
	}
	return n;
}

/*
 * The slot whose routine @r executes, NULL if none, with a copy of it in
 * @copy and its generation in @gen. A lock-free fill may rewrite the slots
 * meanwhile: the copy is retried until no new generation began around it.
 */
static struct tq_slot *tq_runner_running(struct tq_runner *r,
					 struct tq_slot *copy,
					 unsigned long *gen)
{
	struct tq_slot *s;
	unsigned long w;

	do {
		/* Pairs with tq_fill_end(): the slot is read after. */
		w = smp_load_acquire(&r->claim);
		s = READ_ONCE(r->running);
		if (s) {
			copy->task = READ_ONCE(s->task);
			copy->fn = READ_ONCE(s->fn);
			copy->data = READ_ONCE(s->data);
		}
		/* The copy is read before the generation is read again. */
		smp_rmb();
	} while (TQ_CLAIM_GEN(READ_ONCE(r->claim)) != TQ_CLAIM_GEN(w));
	*gen = TQ_CLAIM_GEN(w);
	return s;
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
	struct tq_slot *s = NULL, copy;
	struct tq_waiter w, **pw;
	unsigned long gen = 0;
	struct tq_runner *r;
	unsigned long flags;

	might_sleep();
	raw_spin_lock_irqsave(&q->lock, flags);
	for (r = q->runners; r; r = r->next) {
		s = tq_runner_running(r, &copy, &gen);
		if (s && match(copy.task, copy.fn, copy.data, arg))
			break;
	}
	if (!r) {
		raw_spin_unlock_irqrestore(&q->lock, flags);
		return false;
	}
	w.task = copy.task;
	init_completion(&w.done);
	w.next = q->waiters;
	q->waiters = &w;
	/*
	 * The runner clears ->running and then looks for waiters; publish the
	 * waiter and look at ->running again: one of the two sees the other.
	 * A slot of a new generation holds another task: the generation is
	 * read after ->running (acquire), as a fill bumps it first.
	 */
	smp_mb();
	if (smp_load_acquire(&r->running) != s ||	/* see above */
	    TQ_CLAIM_GEN(READ_ONCE(r->claim)) != gen) {
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
