/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tqueue internals shared by the files of tqueue.ko (and its KUnit tests).
 */
#ifndef _TQUEUE_INTERNAL_H
#define _TQUEUE_INTERNAL_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/tqueue.h>

/* Bit 0 of tq_struct.sync: the task is queued. */
#define TQ_PENDING_BIT	0

/* Tasks a runner takes off its queue under one lock round trip. */
#define TQ_CHUNK 8

/*
 * A task a runner has taken off the queue, with its routine and data. A slot
 * changes only while its runner fills it (under the queue's lock, or in a
 * lock-free run between tq_fill_begin() and tq_fill_end()): cancel and the
 * purge match on it, never on the task, which the runner may claim, run and
 * see freed at any moment.
 */
struct tq_slot {
	struct tq_struct *task;
	void (*fn)(void *data);
	void *data;
};

/*
 * A run_task_queue() call in progress, on the runner's stack, linked on
 * queue->runners while the runner works; or, for tq_timer and tq_immediate,
 * a record of the queue's own that stays linked and serves the lock-free
 * runs (see tq_run_fast()).
 *
 * The runner fills @slot with up to TQ_CHUNK tasks, then claims and runs
 * them one by one. @claim holds a generation number above TQ_CHUNK bits,
 * one per slot, set once the slot's task is claimed: a fill first makes
 * the new generation with every bit set, writes the slots and @n, then
 * clears the bits of the filled slots (release). The runner claims a slot
 * by setting its bit; cancel and the purge take a task out of a slot with a
 * cmpxchg() of the whole word they read before the slot, so they never take
 * a task of another generation. @running points to the slot whose routine
 * executes (NULL between routines), for cancel and the purge to wait on.
 */
struct tq_runner {
	struct tq_runner *next;
	struct tq_slot *running;
	unsigned long claim;
	unsigned int n;
	bool busy;
	struct tq_slot slot[TQ_CHUNK];
};

#define TQ_CLAIM_ALL	(BIT(TQ_CHUNK) - 1)
#define TQ_CLAIM_GEN(w)	((w) >> TQ_CHUNK)

/*
 * Selects tasks for tq_remove_pending() and tq_wait_running(). It must not
 * dereference @task: a running task may already have been freed by its own
 * routine, so the runner's copies of the routine and data are passed.
 */
typedef bool (*tq_match_t)(const struct tq_struct *task,
			   void (*fn)(void *data), const void *data,
			   const void *arg);

/*
 * Someone waiting for a running instance of @task to return. Completions
 * use a raw wait queue, so a runner may complete one from any context,
 * hard IRQ and PREEMPT_RT included.
 */
struct tq_waiter {
	struct tq_waiter *next;
	const struct tq_struct *task;
	struct completion done;
};

/* Whether @q holds no task, run or not; any context, no lock. */
static inline bool tq_queue_empty(task_queue *q)
{
	return !READ_ONCE(q->incoming) && !READ_ONCE(q->head);
}

/* queue.c */
#define TQ_NR_OWN_QUEUES 4
extern struct task_queue *const tq_own_queues[TQ_NR_OWN_QUEUES];
unsigned int tq_remove_pending(task_queue *q, tq_match_t match,
			       const void *arg);
void tq_link_chain(task_queue *q, struct tq_struct *fifo,
		   struct tq_struct *newest);
struct tq_struct *tq_reverse(struct tq_struct *newest, unsigned int *n);
void tq_drain(task_queue *q);

/*
 * The lock that serializes tq_timer and tq_immediate, like 2.4's BHs; the
 * definitions in queue.c carry the sparse annotations.
 */
void tq_serial_lock(void);
void tq_serial_unlock(void);

/* Clear the pending bit of a task taken off a queue or out of a slot. */
static inline void tq_drop_pending(struct tq_struct *t)
{
	/* Off the queue before the bit clears: see tq_run_one(). */
	clear_bit_unlock(TQ_PENDING_BIT, &t->sync);
}

/* run.c: the records of the serialized queues' lock-free runs */
extern struct tq_runner tq_timer_runner, tq_immediate_runner;
void tq_runner_attach(task_queue *q, struct tq_runner *r);
void tq_runner_detach(task_queue *q, struct tq_runner *r);
unsigned int tq_slots_take(struct tq_runner *r, tq_match_t match,
			   const void *arg, bool drop);
bool tq_wait_running(task_queue *q, tq_match_t match, const void *arg);

/* timer.c */
void tq_timer_kick(void);
int tq_timer_init(void);
void tq_timer_exit(void);
bool tq_timer_armed(void);
unsigned long tq_timer_runs(void);
unsigned long tq_timer_expiries(void);

/* immediate.c */
int tq_immediate_init(void);
void tq_immediate_exit(void);

/* keventd.c */
void tq_sched_kick(void);
int tq_sched_init(void);
void tq_sched_exit(void);
bool tq_sched_is_current(void);

/* unload.c */
extern struct module *tq_going;
extern atomic_t tq_going_refused;
bool tq_in_module(const struct tq_struct *task, void (*fn)(void *data),
		  const void *data, const void *mod);
unsigned int tq_purge_module(struct module *mod);
int tq_unload_init(void);
void tq_unload_exit(void);

#endif /* _TQUEUE_INTERNAL_H */
