/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tqueue: the Linux 2.2/2.4 task-queue API on modern kernels.
 *
 * Legacy code includes <linux/tqueue.h> and builds unchanged with
 * "ccflags-y += -I<tqueue>/include" and
 * "KBUILD_EXTRA_SYMBOLS += <tqueue>/Module.symvers".
 *
 * See Documentation/tqueue.rst for semantics, contexts and the mapping from
 * 2.4 to tqueue, and src/internal.h for the life of a task.
 */
#ifndef _LINUX_TQUEUE_H
#define _LINUX_TQUEUE_H

#include <linux/compiler.h>
#include <linux/lockdep.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct task_queue;
struct tq_backend;

/*
 * Rules for the members below (see the state table in src/internal.h):
 *
 * O: the task's owner writes them while the task is not queued.
 * A: atomic bit operations only.
 * Q: written under the lock of the queue the task is on; tq_queue is also
 *    read locklessly by cancel_task_sync(), inside its locate window.
 */

/**
 * struct tq_struct - a task: a routine and its argument, queued on a task queue
 * @next: link in the queue (2.2 layout: a plain pointer first, so 2.2's
 *        positional initializer { NULL, 0, routine, data } compiles)
 * @sync: bit 0 set while the task is pending; must be zero initially
 * @routine: function to call
 * @data: argument passed to @routine
 * @tq_queue: tqueue private: the queue the task is on, NULL when on none
 * @tq_prev: tqueue private: previous task on that queue
 * @tq_seq: tqueue private: the task's sequence number on that queue
 * @tq_stamp: tqueue private: local_clock() when it was queued (statistics
 *            and tracepoints: its latency when it starts)
 *
 * Everything after @data is private to tqueue and must start zeroed, as any
 * static or INIT_TQUEUE()d task is.
 */
struct tq_struct {
	struct tq_struct *next;		/* Q */
	unsigned long sync;		/* A */
	void (*routine)(void *data);	/* O */
	void *data;			/* O */
	/* private to tqueue */
	struct task_queue *tq_queue;	/* Q */
	struct tq_struct *tq_prev;	/* Q */
	unsigned long tq_seq;		/* Q */
	u64 tq_stamp;			/* Q */
};

/*
 * L: q->lock.
 * I: set when the queue is defined, constant after.
 * S: written by tq_stats_register() and tq_stats_unregister() under q->lock,
 *    read under q->lock.
 */

/**
 * struct task_queue - a queue of tasks, run by run_task_queue()
 * @head: first task, NULL when the queue is empty (read locklessly too)
 * @last: last task, NULL when the queue is empty
 * @lock: protects the queue; a raw lock, taken with IRQs off
 * @seq: sequence number of the next task linked
 * @ops: the backend that runs the queue, NULL for queues run by their users
 * @name: the name it was declared with, for statistics and tracepoints
 * @stats_id: its slot in tqueue's statistics, 0 if it has none of its own
 * @dep_map: lockdep's view of waiting for this queue's routines
 *
 * Declare one with DECLARE_TASK_QUEUE() in static storage; initialize one
 * that is allocated or on the stack with INIT_TASK_QUEUE(), which gives
 * lockdep the static key it needs. The members are private to tqueue.
 */
struct task_queue {
	struct tq_struct *head;			/* L, lockless reads */
	struct tq_struct *last;			/* L */
	raw_spinlock_t lock;
	unsigned long seq;			/* L */
	const struct tq_backend *ops;		/* I */
	const char *name;			/* I */
	unsigned int stats_id;			/* S */
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	struct lockdep_map dep_map;		/* I */
#endif
};

/* The 2.2 and 2.4 name of the type; legacy code declares task_queue q. */
typedef struct task_queue task_queue;

#ifdef CONFIG_DEBUG_LOCK_ALLOC
/* The map's own address is its key, as for a static lock: runners copy it. */
#define __TQ_DEP_MAP_INIT(qname) \
	.dep_map = STATIC_LOCKDEP_MAP_INIT(#qname, &(qname).dep_map),
#else
#define __TQ_DEP_MAP_INIT(qname)
#endif

/* A queue in static storage: lockdep uses its address as its key. */
#define __TASK_QUEUE_INITIALIZER(qname, backend) {		\
	.lock = __RAW_SPIN_LOCK_UNLOCKED(qname.lock),		\
	.ops = (backend),					\
	.name = #qname,						\
	__TQ_DEP_MAP_INIT(qname)				\
}

#define DECLARE_TASK_QUEUE(q) \
	struct task_queue q = __TASK_QUEUE_INITIALIZER(q, NULL)

/**
 * __tq_init_queue() - initialize a task queue at run time
 * @q: the queue, whose lock is initialized already
 * @name: its name in lockdep reports, statistics and tracepoints
 * @key: a lockdep key in static storage
 *
 * INIT_TASK_QUEUE(q) calls this with a key of its own.
 */
static inline void __tq_init_queue(struct task_queue *q, const char *name,
				   struct lock_class_key *key)
{
	q->head = NULL;
	q->last = NULL;
	q->seq = 0;
	q->ops = NULL;
	q->name = name;
	q->stats_id = 0;
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	lockdep_init_map(&q->dep_map, name, key, 0);
#endif
}

#define INIT_TASK_QUEUE(q)					\
	do {							\
		static struct lock_class_key __tq_key;		\
								\
		raw_spin_lock_init(&(q)->lock);			\
		__tq_init_queue((q), #q, &__tq_key);		\
	} while (0)

/**
 * __tq_active() - whether a task queue holds a task
 * @q: the queue
 *
 * TQ_ACTIVE(q) calls this.
 *
 * Context: Any context; no lock, so the answer may be stale at once.
 * Return: true if a task is pending on @q.
 */
static inline bool __tq_active(const struct task_queue *q)
{
	return READ_ONCE(q->head);
}

/* TQ_ACTIVE takes the queue itself, not a pointer, as in 2.2 and 2.4. */
#define TQ_ACTIVE(q) __tq_active(&(q))

/**
 * __tq_prepare() - set a task's routine and data
 * @tq: the task, which must not be pending
 * @routine: function to call
 * @data: its argument
 *
 * PREPARE_TQUEUE(tq, routine, data) calls this.
 */
static inline void __tq_prepare(struct tq_struct *tq, void (*routine)(void *),
				void *data)
{
	tq->routine = routine;
	tq->data = data;
}

/**
 * __tq_init() - initialize a task
 * @tq: the task, which must not be pending
 * @routine: function to call
 * @data: its argument
 *
 * INIT_TQUEUE(tq, routine, data) calls this.
 */
static inline void __tq_init(struct tq_struct *tq, void (*routine)(void *),
			     void *data)
{
	*tq = (struct tq_struct){ .routine = routine, .data = data };
}

#define PREPARE_TQUEUE(tq, routine, data) __tq_prepare(tq, routine, data)
#define INIT_TQUEUE(tq, routine, data) __tq_init(tq, routine, data)

/* The predefined queues. */
extern task_queue tq_timer;
extern task_queue tq_immediate;
extern task_queue tq_scheduler;
extern task_queue tq_disk;

/* Bottom-half numbers of 2.4 that mark_bh() accepts. */
enum {
	TIMER_BH = 0,
	TQUEUE_BH = 1,
	IMMEDIATE_BH = 9,
};

int queue_task(struct tq_struct *task, task_queue *queue);
void run_task_queue(task_queue *queue);
void mark_bh(int nr);
int schedule_task(struct tq_struct *task);
void flush_scheduled_tasks(void);

/* tqueue extensions (not in 2.4) */
bool cancel_task_sync(struct tq_struct *task);
int flush_task_queue(task_queue *queue);
int tq_stats_register(task_queue *queue);
void tq_stats_unregister(task_queue *queue);

#endif /* _LINUX_TQUEUE_H */
