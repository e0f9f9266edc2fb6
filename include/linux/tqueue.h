/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tqueue: the Linux 2.2/2.4 task-queue API on modern kernels.
 *
 * Legacy code includes <linux/tqueue.h> and builds unchanged with
 * "ccflags-y += -I<tqueue>/include" and
 * "KBUILD_EXTRA_SYMBOLS += <tqueue>/Module.symvers".
 *
 * See Documentation/tqueue.rst for semantics, contexts and the mapping from
 * 2.4 to tqueue.
 */
#ifndef _LINUX_TQUEUE_H
#define _LINUX_TQUEUE_H

#include <linux/compiler.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct tq_runner;
struct tq_waiter;
struct task_queue;

/**
 * struct tq_struct - a task: a routine and its argument, queued on a task queue
 * @next: link in the queue (2.2 layout: a plain pointer first, so 2.2's
 *        positional initializer { NULL, 0, routine, data } compiles)
 * @sync: bit 0 set while the task is queued; must be zero initially
 * @routine: function to call
 * @data: argument passed to @routine
 * @tq_queue: tqueue private: queue the task was last put on
 * @tq_seq: tqueue private: the drain that moved it to that queue's FIFO
 * @tq_ran: tqueue private: queue the task was last taken from to run
 *
 * Everything after @data is private to tqueue and must start zeroed, as any
 * static or INIT_TQUEUE()d task is.
 */
struct tq_struct {
	struct tq_struct *next;
	unsigned long sync;
	void (*routine)(void *data);
	void *data;
	/* private to tqueue */
	struct task_queue *tq_queue;
	unsigned long tq_seq;
	struct task_queue *tq_ran;
};

/**
 * struct task_queue - a queue of tasks, run by run_task_queue()
 * @incoming: tasks queue_task() pushed without the lock, newest first;
 *            moved to the FIFO below by whoever next takes the lock
 * @head: first task of the FIFO, NULL when empty
 * @last: last task of the FIFO, NULL when empty
 * @lock: protects everything below; a raw lock, taken with IRQs off
 * @seq: sequence number of the next drain of @incoming into the FIFO
 * @runners: run_task_queue() calls in progress on this queue (and, for
 *           tq_timer and tq_immediate, the record of their lock-free runs)
 * @waiters: callers of cancel_task_sync() waiting for a running task
 * @flags: TQ_F_* for the queues tqueue runs itself, 0 for custom queues
 *
 * Declare one with DECLARE_TASK_QUEUE(); initialize a dynamically allocated
 * one with INIT_TASK_QUEUE(). The members are private to tqueue.
 */
struct task_queue {
	struct tq_struct *incoming;
	struct tq_struct *head;
	struct tq_struct *last;
	raw_spinlock_t lock;
	unsigned long seq;
	struct tq_runner *runners;
	struct tq_waiter *waiters;
	unsigned int flags;
};

/* The 2.2 and 2.4 name of the type; legacy code declares task_queue q. */
typedef struct task_queue task_queue;

#define TQ_F_TIMER	0x1	/* tq_timer: an hrtimer runs it every jiffy */
#define TQ_F_SCHED	0x2	/* tq_scheduler: the keventd thread runs it */
#define TQ_F_SERIAL	0x4	/* serialized with the other old bottom halves */
#define TQ_F_IMMED	0x8	/* tq_immediate: runs after mark_bh(IMMEDIATE_BH) */

/* @lockname only names the lock in lockdep reports. */
#define __TASK_QUEUE_INITIALIZER(lockname, f) {			\
	.lock = __RAW_SPIN_LOCK_UNLOCKED(lockname),		\
	.flags = (f),						\
}

#define DECLARE_TASK_QUEUE(q) \
	struct task_queue q = __TASK_QUEUE_INITIALIZER(task_queue.lock, 0)

/**
 * tq_init_queue() - initialize a task queue at run time
 * @q: the queue
 *
 * INIT_TASK_QUEUE(q) calls this.
 */
static inline void tq_init_queue(struct task_queue *q)
{
	*q = (struct task_queue){ };
	raw_spin_lock_init(&q->lock);
}

#define INIT_TASK_QUEUE(q) tq_init_queue(q)

static inline bool tq_active(const struct task_queue *q)
{
	return READ_ONCE(q->incoming) || READ_ONCE(q->head);
}

/* TQ_ACTIVE takes the queue itself, not a pointer, as in 2.2 and 2.4. */
#define TQ_ACTIVE(q) tq_active(&(q))

/**
 * tq_prepare() - set a task's routine and data
 * @tq: the task
 * @routine: function to call
 * @data: its argument
 *
 * PREPARE_TQUEUE(tq, routine, data) calls this.
 */
static inline void tq_prepare(struct tq_struct *tq, void (*routine)(void *),
			      void *data)
{
	tq->routine = routine;
	tq->data = data;
}

/**
 * tq_init() - initialize a task
 * @tq: the task, which must not be queued
 * @routine: function to call
 * @data: its argument
 *
 * INIT_TQUEUE(tq, routine, data) calls this.
 */
static inline void tq_init(struct tq_struct *tq, void (*routine)(void *),
			   void *data)
{
	*tq = (struct tq_struct){ .routine = routine, .data = data };
}

#define PREPARE_TQUEUE(tq, routine, data) tq_prepare(tq, routine, data)
#define INIT_TQUEUE(tq, routine, data) tq_init(tq, routine, data)

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

#endif /* _LINUX_TQUEUE_H */
