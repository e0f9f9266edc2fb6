/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tqueue internals shared by the files of tqueue.ko (and its KUnit tests).
 */
#ifndef _TQUEUE_INTERNAL_H
#define _TQUEUE_INTERNAL_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/lockdep.h>
#include <linux/tqueue.h>

/**
 * DOC: The life of a task
 *
 * A task's state is its pending bit (P, bit 0 of tq_struct.sync), where it
 * is linked, and whether a runner has published it as running. Two more
 * bits of sync belong to cancel_task_sync(): C (a canceller owns the task;
 * other cancellers sleep until it clears) and L (that canceller is inside
 * its locate window, below).
 *
 * ========== ===== ============== ===================================
 * state      P     tq_queue       who owns P
 * ========== ===== ============== ===================================
 * idle       0     NULL           nobody: queue_task() may take it
 * linking    1     NULL           queue_task(), IRQs off
 * queued     1     the queue      the queue (its lock)
 * popped     1     NULL           a runner or the purge, IRQs off
 * running    0     NULL/a queue   nobody: the routine may requeue it
 * cancelled  1     NULL           cancel_task_sync()
 * ========== ===== ============== ===================================
 *
 * Transitions and what orders them:
 *
 * - idle -> linking -> queued: queue_task() sets P with test_and_set_bit()
 *   (fully ordered: pairs with the runner's release of P, litmus test
 *   ``pending-event``), then links the task and sets tq_queue under the
 *   queue's lock, and kicks the queue's backend under that lock, so a
 *   preempted producer cannot hold the kick back.
 * - queued -> popped: a runner (run.c) or the purge (unload.c) unlinks it
 *   and clears tq_queue under the queue's lock; a runner also publishes it
 *   in its busy record (busy.c, under the record's lock) before it drops
 *   the queue's, so the task is always on a queue or in a record, where the
 *   purge looks (the spin model's purge property).
 * - popped -> running: the runner clears P with a fully ordered cmpxchg()
 *   (tq_release_pending()): the routine's loads are ordered after the clear
 *   (``pending-event``), a canceller that finds P clear finds the record
 *   (``busy-publish``), and a canceller in its locate window is waited for
 *   (``cancel-locate``). All of it with IRQs off, so P is never held by a
 *   preempted context: whoever finds P set and tq_queue NULL spins briefly.
 * - running -> idle: the routine returns; the runner updates its record
 *   under the record's lock, completing waiters (``busy-done``,
 *   ``busy-waiter``).
 * - queued -> cancelled: cancel_task_sync() sets P and L with a fully
 *   ordered cmpxchg(), reads tq_queue, locks that queue and unlinks the
 *   task if it is still there, then clears L (release). A runner that pops
 *   the task meanwhile sees L and waits before it calls the routine, so the
 *   queue cannot be freed under the canceller (``cancel-locate``).
 * - idle -> cancelled: the same cmpxchg() finds P clear and keeps it.
 * - cancelled -> idle: once no busy record holds the task, cancel clears P
 *   after a full barrier (``cancel-release``).
 *
 * The litmus tests named here are in tests/lkmm/.
 */

/* Bits of tq_struct.sync. */
#define TQ_PENDING_BIT		0
#define TQ_LOCATING_BIT		1
#define TQ_CANCELING_BIT	2
#define TQ_PENDING		BIT(TQ_PENDING_BIT)
#define TQ_LOCATING		BIT(TQ_LOCATING_BIT)

/**
 * struct tq_backend - what runs one of tqueue's own queues
 * @kick: a task was linked on the queue; called under its lock, IRQs off
 * @run_soon: make the queue run soon (flush_task_queue() calls it)
 * @is_runner: whether current is the queue's runner, which a flush of the
 *             queue would wait for
 * @serial: the queue's runs are serialized with the other serial queues,
 *          as 2.4's bottom halves were
 *
 * Set by the file that defines the queue; queues of tqueue's users have
 * none. Generic code calls these and knows no queue by name.
 */
struct tq_backend {
	void (*kick)(struct task_queue *q);
	void (*run_soon)(void);
	bool (*is_runner)(void);
	bool serial;
};

/*
 * Selects tasks for the purge and cancel. It must not dereference @task: a
 * running task may already have been freed by its own routine, so the
 * runner's copies of the routine and data are passed.
 */
typedef bool (*tq_match_t)(const struct tq_struct *task,
			   void (*fn)(void *data), const void *data,
			   const void *arg);

/*
 * B: the lock of the busy list the record is on.
 * I: set by tq_busy_enter(), constant after.
 */

/* Someone waiting for the routine a busy record publishes to return. */
struct tq_waiter {
	struct tq_waiter *next;		/* B */
	struct completion done;
};

/*
 * A run in progress, on the runner's stack: the task whose routine it runs,
 * with copies of the routine and data. Linked on a per-CPU busy list for
 * the whole run, so cancel and the purge find every running routine,
 * whatever queue it was taken from and whether that queue still exists.
 */
struct tq_busy {
	struct tq_busy *next;		/* B */
	struct tq_busy_list *list;	/* I */
	const struct tq_struct *task;	/* B; NULL between routines */
	void (*fn)(void *data);		/* B */
	void *data;			/* B */
	struct tq_waiter *waiters;	/* B */
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	struct lockdep_map *map;	/* I: the run's copy of the queue's */
#endif
};

/* busy.c */
int tq_busy_init(void);
void tq_busy_enter(struct tq_busy *b, struct lockdep_map *map);
void tq_busy_set(struct tq_busy *b, struct tq_struct *t);
void tq_busy_leave(struct tq_busy *b);
bool tq_busy_wait(tq_match_t match, const void *arg);
unsigned long tq_busy_gen(bool *idle);

/*
 * queue.c: the FIFO, under q->lock. A task without a routine on a FIFO is
 * the purge's cursor (at most one per queue): runners step over it.
 */
void tq_unlink(struct task_queue *q, struct tq_struct *t);
void tq_link_after(struct task_queue *q, struct tq_struct *pos,
		   struct tq_struct *t);

/* run.c */
void tq_release_pending(struct tq_struct *t);

/* serial.c: the lock that serializes the serial queues, like 2.4's BHs */
void tq_serial_lock(void);
void tq_serial_unlock(void);
bool tq_serial_held(void);

/* Lockdep's view of waiting for a queue's routines (flush and cancel). */
#ifdef CONFIG_DEBUG_LOCK_ALLOC
#define tq_dep_map(q)	(&(q)->dep_map)
void tq_lockdep_wait(struct lockdep_map *map);
#else
#define tq_dep_map(q)	((void)(q), (struct lockdep_map *)NULL)
static inline void tq_lockdep_wait(struct lockdep_map *map) { }
#endif

/* stats.c: per-queue counters, per CPU (the file's top comment) */
enum tq_stat {
	TQ_STAT_QUEUED,		/* queue_task() linked a task */
	TQ_STAT_REQUEUED,	/* ... from the task's own routine */
	TQ_STAT_RUN,		/* a runner popped a task */
	TQ_STAT_CANCELLED,	/* cancel_task_sync() took a task off */
	TQ_STAT_REFUSED,	/* queue_task() refused: bad input, leaving module */
	TQ_STAT_DROPPED,	/* the unload purge took a task off */
	TQ_STAT_NR
};

/* Latency buckets: < 10 us, < 100 us, < 1 ms, < 10 ms, the rest. */
#define TQ_LAT_BUCKETS 5

/* A queue's statistics, summed over the CPUs (tq_stats_get()). */
struct tq_stats {
	unsigned long count[TQ_STAT_NR];
	unsigned long pending;
	unsigned long lat_bucket[TQ_LAT_BUCKETS];
	u64 lat_sum;
	u64 lat_max;
	u64 runtime_max;
};

void tq_stat_inc(const struct task_queue *q, enum tq_stat what);
unsigned long tq_stat_run(const struct task_queue *q, unsigned int *id,
			  u64 lat);
void tq_stat_runtime(unsigned int id, unsigned long gen, u64 ns);
int tq_stats_get(const task_queue *queue, struct tq_stats *st);
void tq_stats_forget_module(struct module *mod);
int tq_stats_init(void);
void tq_stats_exit(void);

/* The name a queue was declared with, for statistics and tracepoints. */
static inline const char *tq_queue_name(const struct task_queue *q)
{
	return q->name ?: "(anonymous)";
}

/* run.c: whether @t's routine is what this context runs now */
bool tq_running_here(const struct tq_struct *t);

/* timer.c */
bool tq_timer_armed(void);
unsigned long tq_timer_runs(void);
unsigned long tq_timer_expiries(void);
int tq_timer_init(void);
void tq_timer_exit(void);

/* immediate.c */
int tq_immediate_init(void);
void tq_immediate_exit(void);

/* keventd.c */
int tq_keventd_init(void);
void tq_keventd_exit(void);

/* unload.c */
extern struct module *tq_going;
extern atomic_t tq_going_refused;
void tq_purge_add_queue(struct task_queue *q);
bool tq_in_module(const struct tq_struct *task, void (*fn)(void *data),
		  const void *data, const void *mod);
unsigned int tq_purge_module(struct module *mod);
unsigned long tq_purge_grace_periods(void);
int tq_unload_init(void);
void tq_unload_exit(void);

#endif /* _TQUEUE_INTERNAL_H */
