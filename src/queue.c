// SPDX-License-Identifier: GPL-2.0
/*
 * Task queue operations: queue_task(), the extensions cancel_task_sync()
 * and flush_task_queue(), and the serialization of tq_timer and
 * tq_immediate. run.c runs the queues.
 *
 * Bit 0 of tq_struct.sync is the "pending" bit of 2.4: queue_task() owns a
 * task from the test_and_set_bit() that sets it until the task is on the
 * queue; a runner owns it from claiming the task until it clears the bit,
 * just before calling the routine; cancel_task_sync() (and the unload
 * purge) take it to keep a task off every queue while they wait.
 *
 * queue_task() takes no lock: it pushes the task on the queue's @incoming
 * stack with a cmpxchg(), so it is cheap and may be called from any context,
 * hard IRQ on PREEMPT_RT included. Whoever next takes the queue's raw
 * spinlock moves @incoming, reversed, to the tail of the FIFO (@head,
 * @last), where the tasks get their sequence number.
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
 * Link @fifo..@newest, tasks taken off @q->incoming in the order they were
 * queued, at the tail of the FIFO; q->lock held. They all get the same
 * sequence number: a runner runs the tasks of the drains up to its own.
 */
void tq_link_chain(task_queue *q, struct tq_struct *fifo,
		   struct tq_struct *newest)
{
	unsigned long seq = q->seq++;
	struct tq_struct *t;

	for (t = fifo; t; t = t->next)
		t->tq_seq = seq;
	if (q->last)
		q->last->next = fifo;
	else
		q->head = fifo;
	q->last = newest;
}

/* Reverse the chain @newest took off an incoming stack; returns the oldest. */
struct tq_struct *tq_reverse(struct tq_struct *newest, unsigned int *n)
{
	struct tq_struct *t, *next, *fifo = NULL;

	for (t = newest; t; t = next) {
		next = t->next;
		t->next = fifo;
		fifo = t;
		(*n)++;
	}
	return fifo;
}

/* Move the tasks queue_task() pushed on @q->incoming to the FIFO; q->lock held. */
void tq_drain(task_queue *q)
{
	struct tq_struct *newest;
	unsigned int n = 0;

	if (!READ_ONCE(q->incoming))
		return;
	/* Fully ordered: the pushers' writes to ->next are visible. */
	newest = xchg(&q->incoming, NULL);
	tq_link_chain(q, tq_reverse(newest, &n), newest);
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

/*
 * Take @q's lock to move or remove tasks, from process context: for
 * tq_timer and tq_immediate under the serialization lock too, so that no
 * lock-free run (run.c) is in progress, holding tasks out of sight
 * or expecting the FIFO empty.
 */
static void tq_lock_queue(task_queue *q, unsigned long *flags)
	__acquires(&tq_serial) __acquires(&q->lock)
{
	if (q->flags & TQ_F_SERIAL)
		tq_serial_lock();
	else
		__acquire(&tq_serial);
	raw_spin_lock_irqsave(&q->lock, *flags);
}

static void tq_unlock_queue(task_queue *q, unsigned long flags)
	__releases(&q->lock) __releases(&tq_serial)
{
	raw_spin_unlock_irqrestore(&q->lock, flags);
	if (q->flags & TQ_F_SERIAL)
		tq_serial_unlock();
	else
		__release(&tq_serial);
}

static bool tq_match_task(const struct tq_struct *task, void (*fn)(void *),
			  const void *data, const void *arg)
{
	return task == arg;
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
	unsigned int n = 0;
	unsigned long flags;

	tq_lock_queue(q, &flags);
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
	for (r = q->runners; r; r = r->next)
		n += tq_slots_take(r, match, arg, true);
	tq_unlock_queue(q, flags);
	return n;
}

/* Unlink @t if it is on @q or in one of its runners' slots; q->lock held. */
static bool tq_unlink_task(task_queue *q, struct tq_struct *t)
{
	struct tq_struct *prev = NULL, *p;
	struct tq_runner *r;

	tq_drain(q);
	for (p = q->head; p; prev = p, p = p->next) {
		if (p == t) {
			tq_unlink(q, prev, t);
			return true;
		}
	}
	/* A task is in one unclaimed slot at most: it is queued once. */
	for (r = q->runners; r; r = r->next)
		if (tq_slots_take(r, tq_match_task, t, false))
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

	tq_lock_queue(q, &flags);
	if (test_and_set_bit(TQ_PENDING_BIT, &task->sync)) {
		owned = READ_ONCE(task->tq_queue) == q &&
			tq_unlink_task(q, task);
		*removed = owned;
	}
	tq_unlock_queue(q, flags);
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
 * and its routine does not run, and @task may be freed. For a task on
 * tq_timer or tq_immediate it takes their serialization lock, so a run of
 * those queues in progress ends first; their tasks in that run have run.
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

