/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by tqueue's KUnit suites.
 */
#ifndef _TQ_KUNIT_H
#define _TQ_KUNIT_H

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/irq_work.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/tqueue.h>
#include "kunit_compat.h"

#define TQ_PROBE_MAX_RUNS 64

/* The suites of tqueue_kunit.ko, in the order they run. */
extern struct kunit_suite tq_main_suite, tq_queue_suite, tq_timer_suite,
	tq_immediate_suite, tq_keventd_suite, tq_unload_suite, tq_run_suite,
	tq_cancel_suite, tq_stats_suite;

/*
 * A task that records where and when it ran. It queues itself again on
 * @requeue_on while @requeues is positive (forever when it is negative),
 * marking the IMMEDIATE bottom half when that queue is tq_immediate.
 */
struct tq_probe {
	struct tq_struct tq;
	atomic_t runs;
	int requeues;
	task_queue *requeue_on;
	unsigned int sleep_ms;		/* sleep in the routine (keventd only) */
	bool in_task, in_hardirq, in_softirq, in_interrupt;
	bool sync_clear;		/* sync bit clear when the routine ran */
	int requeue_ret;		/* queue_task()'s value from the routine */
	pid_t pid;
	char comm[TASK_COMM_LEN];
	unsigned long when[TQ_PROBE_MAX_RUNS];
	int *order, *order_pos;		/* append @id here when run */
	int id;
	struct tq_probe *next_probe;	/* tq_probe_new()'s list */
};

static inline void tq_probe_fn(void *data)
{
	struct tq_probe *p = data;
	int n = atomic_read(&p->runs);

	if (n < TQ_PROBE_MAX_RUNS)
		p->when[n] = jiffies;
	p->in_task = in_task();
	p->in_hardirq = tqc_in_hardirq();
	p->in_softirq = in_serving_softirq();
	p->in_interrupt = in_interrupt();
	p->sync_clear = !test_bit(0, &p->tq.sync);
	p->pid = current->pid;
	strscpy(p->comm, current->comm, sizeof(p->comm));	/* no task_lock in BH */
	if (p->order)
		p->order[(*p->order_pos)++] = p->id;
	if (p->sleep_ms)
		msleep(p->sleep_ms);
	if (p->requeues) {
		if (p->requeues > 0)
			p->requeues--;
		p->requeue_ret = queue_task(&p->tq, p->requeue_on);
		if (p->requeue_on == &tq_immediate)
			mark_bh(IMMEDIATE_BH);
	}
	/* Last: a waiter that sees the count may free @p. */
	atomic_inc(&p->runs);
}

static inline void tq_probe_init(struct tq_probe *p)
{
	memset(p, 0, sizeof(*p));
	INIT_TQUEUE(&p->tq, tq_probe_fn, p);
}

/*
 * A probe for the queues tqueue runs by itself. It lives until the test's
 * cleanup, and the suite's exit cancels it first (tq_probes_exit()), so a
 * failed assertion cannot leave a queued task behind to run on freed memory.
 */
static inline struct tq_probe *tq_probe_new(struct kunit *test)
{
	struct tq_probe *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	tq_probe_init(p);
	p->next_probe = test->priv;
	test->priv = p;
	return p;
}

static inline int tq_probes_init(struct kunit *test)
{
	test->priv = NULL;
	return 0;
}

static inline void tq_probes_exit(struct kunit *test)
{
	struct tq_probe *p;

	for (p = test->priv; p; p = p->next_probe) {
		p->requeues = 0;
		cancel_task_sync(&p->tq);
	}
	test->priv = NULL;
}

/* Spin for @us microseconds, where sleeping is not allowed. */
static inline void tq_busy_wait_us(unsigned int us)
{
	u64 end = ktime_get_ns() + us * NSEC_PER_USEC;

	while (ktime_get_ns() < end)
		cpu_relax();
}

/*
 * Spin until this CPU's local_clock(), the clock of tqueue's latency
 * stamps, has moved @us microseconds. With an unstable TSC (the guests
 * boot with tsc=unstable) sched_clock_cpu() holds still at the end of its
 * tick window until the next tick: a wait on ktime_get_ns() can end with
 * local_clock() where it began. Call with preemption disabled.
 */
static inline void tq_busy_wait_local_us(unsigned int us)
{
	u64 start = local_clock();

	while (local_clock() - start < us * NSEC_PER_USEC)
		cpu_relax();
}

/* Sleep until @cond holds or @ms milliseconds have passed. */
#define tq_wait_for(cond, ms) ({					\
	unsigned long __end = jiffies + msecs_to_jiffies(ms);		\
	bool __ok;							\
	while (!(__ok = (cond)) && time_before(jiffies, __end))	\
		usleep_range(1000, 2000);				\
	__ok;								\
})

/* Run @fn(@arg) in hard IRQ context on this CPU and wait for it. */
struct tq_hardirq_call {
	struct irq_work work;
	void (*fn)(void *arg);
	void *arg;
	bool was_hardirq;
};

static inline void tq_hardirq_fn(struct irq_work *work)
{
	struct tq_hardirq_call *c =
		container_of(work, struct tq_hardirq_call, work);

	c->was_hardirq = tqc_in_hardirq();
	c->fn(c->arg);
}

static inline bool tq_call_in_hardirq(void (*fn)(void *), void *arg)
{
	struct tq_hardirq_call c = {
		.work = TQC_IRQ_WORK_INIT_HARD(tq_hardirq_fn),
		.fn = fn,
		.arg = arg,
	};

	irq_work_queue(&c.work);
	irq_work_sync(&c.work);
	return c.was_hardirq;
}

#endif /* _TQ_KUNIT_H */
