/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tqueue internals shared by the files of tqueue.ko (and its KUnit tests).
 */
#ifndef _TQUEUE_INTERNAL_H
#define _TQUEUE_INTERNAL_H

#include <linux/completion.h>
#include <linux/tqueue.h>

/* Bit 0 of tq_struct.sync: the task is queued. */
#define TQ_PENDING_BIT	0

/* Tasks a runner takes off its queue under one lock round trip. */
#define TQ_CHUNK 8

/*
 * A task a runner has taken off the queue, with the routine and data read
 * under the queue's lock. A slot changes only under the lock: cancel and the
 * purge match on it, never on the task, which the runner may claim, run and
 * see freed at any moment.
 */
struct tq_slot {
	struct tq_struct *task;
	void (*fn)(void *data);
	void *data;
};

/*
 * A run_task_queue() call in progress. It lives on the runner's stack and is
 * linked on queue->runners while the runner works. Under the queue's lock
 * the runner fills @slot with up to TQ_CHUNK tasks and clears @claimed; it
 * then claims each slot by setting its bit in @claimed, without the lock,
 * and runs the task. Cancel and the purge take a task out of a slot by
 * setting its bit under the lock: whoever sets a bit first owns the task.
 * @running points to the slot whose routine executes (NULL between
 * routines), for cancel and the purge to wait on.
 */
struct tq_runner {
	struct tq_runner *next;
	struct tq_slot *running;
	unsigned long claimed;
	unsigned int n;
	struct tq_slot slot[TQ_CHUNK];
};

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

/* queue.c */
#define TQ_NR_OWN_QUEUES 4
extern struct task_queue *const tq_own_queues[TQ_NR_OWN_QUEUES];
bool tq_wait_running(task_queue *q, tq_match_t match, const void *arg);
unsigned int tq_remove_pending(task_queue *q, tq_match_t match,
			       const void *arg);

/* Whether @q holds no task, run or not; any context, no lock. */
static inline bool tq_queue_empty(task_queue *q)
{
	return !READ_ONCE(q->incoming) && !READ_ONCE(q->head);
}

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
bool tq_in_module(const struct tq_struct *task, void (*fn)(void *data),
		  const void *data, const void *mod);
unsigned int tq_purge_module(struct module *mod);
int tq_unload_init(void);
void tq_unload_exit(void);

#endif /* _TQUEUE_INTERNAL_H */
