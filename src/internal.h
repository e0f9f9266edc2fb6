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

/*
 * A run_task_queue() call in progress. It lives on the runner's stack and is
 * linked on queue->runners while the runner works, so that cancel and the
 * unload purge can see which task a runner is executing.
 */
struct tq_runner {
	struct tq_runner *next;
	struct tq_struct *cur;
	void (*fn)(void *data);
	void *data;
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

/*
 * The lock that serializes tq_timer and tq_immediate, like 2.4's BHs; the
 * definitions in queue.c carry the sparse annotations.
 */
void tq_serial_lock(void);
void tq_serial_unlock(void);

#endif /* _TQUEUE_INTERNAL_H */
