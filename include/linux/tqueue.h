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
 * @tq_seq: tqueue private: position in that queue
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
 * @head: first pending task, NULL when empty
 * @tail: where the next task is linked
 * @lock: protects everything below; a raw lock, taken with IRQs off
 * @seq: sequence number given to the next queued task
 * @runners: run_task_queue() calls in progress on this queue
 * @waiters: callers of cancel_task_sync() waiting for a running task
 * @flags: TQ_F_* for the queues tqueue runs itself, 0 for custom queues
 *
 * Declare one with DECLARE_TASK_QUEUE(); initialize a dynamically allocated
 * one with INIT_TASK_QUEUE(). The members are private to tqueue.
 */
typedef struct task_queue {
	struct tq_struct *head;
	struct tq_struct **tail;
	raw_spinlock_t lock;
	unsigned long seq;
	struct tq_runner *runners;
	struct tq_waiter *waiters;
	unsigned int flags;
} task_queue;

#define TQ_F_TIMER	0x1	/* tq_timer: an hrtimer runs it every jiffy */
#define TQ_F_SCHED	0x2	/* tq_scheduler: the keventd thread runs it */
#define TQ_F_SERIAL	0x4	/* serialized with the other old bottom halves */
#define TQ_F_IMMED	0x8	/* tq_immediate: runs after mark_bh(IMMEDIATE_BH) */

#define __TASK_QUEUE_INITIALIZER(q, f) {			\
	.head = NULL,						\
	.tail = &(q).head,					\
	.lock = __RAW_SPIN_LOCK_UNLOCKED((q).lock),		\
	.flags = (f),						\
}

#define DECLARE_TASK_QUEUE(q) task_queue q = __TASK_QUEUE_INITIALIZER(q, 0)

/**
 * INIT_TASK_QUEUE - initialize a task queue at run time
 * @q: pointer to the queue
 */
#define INIT_TASK_QUEUE(q) do {					\
	(q)->head = NULL;					\
	(q)->tail = &(q)->head;					\
	raw_spin_lock_init(&(q)->lock);				\
	(q)->seq = 0;						\
	(q)->runners = NULL;					\
	(q)->waiters = NULL;					\
	(q)->flags = 0;						\
} while (0)

/* TQ_ACTIVE takes the queue itself, not a pointer, as in 2.2 and 2.4. */
#define TQ_ACTIVE(q) (READ_ONCE((q).head) != NULL)

#define PREPARE_TQUEUE(_tq, _routine, _data) do {		\
	(_tq)->routine = (_routine);				\
	(_tq)->data = (_data);					\
} while (0)

#define INIT_TQUEUE(_tq, _routine, _data) do {			\
	(_tq)->next = NULL;					\
	(_tq)->sync = 0;					\
	(_tq)->tq_queue = NULL;					\
	(_tq)->tq_seq = 0;					\
	(_tq)->tq_ran = NULL;					\
	PREPARE_TQUEUE((_tq), (_routine), (_data));		\
} while (0)

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
