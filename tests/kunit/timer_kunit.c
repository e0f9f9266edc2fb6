// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for src/timer.c: tq_timer.
 */
#include <linux/kthread.h>
#include "compat.h"
#include "internal.h"
#include "tq_kunit.h"

static void tq_timer_context(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);

	KUNIT_ASSERT_EQ(test, queue_task(&p->tq, &tq_timer), 1);
	KUNIT_ASSERT_TRUE(test, tq_wait_for(atomic_read(&p->runs) == 1, 1000));
	KUNIT_EXPECT_FALSE(test, p->in_task);
	KUNIT_EXPECT_FALSE(test, p->in_hardirq);
	KUNIT_EXPECT_TRUE(test, p->in_softirq);
	KUNIT_EXPECT_TRUE(test, p->in_interrupt);
	KUNIT_EXPECT_TRUE(test, p->sync_clear);
}

/* A self-requeueing task runs once per jiffy, never twice in one jiffy. */
static void tq_timer_once_per_jiffy(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);
	int i;

	p->requeues = TQ_PROBE_MAX_RUNS - 1;
	p->requeue_on = &tq_timer;
	queue_task(&p->tq, &tq_timer);
	KUNIT_ASSERT_TRUE(test, tq_wait_for(atomic_read(&p->runs) ==
					    TQ_PROBE_MAX_RUNS, 5000));
	for (i = 1; i < TQ_PROBE_MAX_RUNS; i++)
		KUNIT_EXPECT_GT_MSG(test, (long)(p->when[i] - p->when[i - 1]),
				    0L, "runs %d and %d in one jiffy", i - 1, i);
	KUNIT_EXPECT_EQ(test, p->requeue_ret, 1);
}

/* The hrtimer is armed only while tq_timer holds tasks. */
static void tq_timer_idle_when_empty(struct kunit *test)
{
	unsigned long expiries, flags;
	struct tq_probe *p = tq_probe_new(test);
	bool holds, armed;

	queue_task(&p->tq, &tq_timer);
	/*
	 * The task may have run already if this thread was preempted for a
	 * tick: check the invariant itself, under the queue's lock.
	 */
	raw_spin_lock_irqsave(&tq_timer.lock, flags);
	holds = READ_ONCE(tq_timer.head);
	armed = tq_timer_armed();
	raw_spin_unlock_irqrestore(&tq_timer.lock, flags);
	KUNIT_EXPECT_TRUE_MSG(test, !holds || armed,
			      "tq_timer holds a task but is not armed");
	KUNIT_ASSERT_TRUE(test, tq_wait_for(atomic_read(&p->runs) == 1, 1000));
	KUNIT_ASSERT_TRUE(test, tq_wait_for(!tq_timer_armed(), 1000));
	expiries = tq_timer_expiries();
	msleep(10 * jiffies_to_msecs(1));
	KUNIT_EXPECT_EQ(test, tq_timer_expiries(), expiries);
	KUNIT_EXPECT_FALSE(test, tq_timer_armed());
}

static void tq_timer_flush(struct kunit *test)
{
	struct tq_probe *a = tq_probe_new(test);
	struct tq_probe *b = tq_probe_new(test);

	queue_task(&a->tq, &tq_timer);
	queue_task(&b->tq, &tq_timer);
	KUNIT_EXPECT_EQ(test, flush_task_queue(&tq_timer), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->runs), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->runs), 1);
}

/* A flush does not wait for a task that keeps requeueing itself. */
static void tq_timer_flush_self_requeueing(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);

	p->requeues = -1;
	p->requeue_on = &tq_timer;
	queue_task(&p->tq, &tq_timer);
	KUNIT_EXPECT_EQ(test, flush_task_queue(&tq_timer), 0);
	KUNIT_EXPECT_GE(test, atomic_read(&p->runs), 1);
	cancel_task_sync(&p->tq);
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(tq_timer));
}

static void tq_timer_queue_fn(void *arg)
{
	queue_task(arg, &tq_timer);
}

static void tq_timer_from_hardirq(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);

	KUNIT_EXPECT_TRUE(test, tq_call_in_hardirq(tq_timer_queue_fn, &p->tq));
	KUNIT_EXPECT_TRUE(test, tq_wait_for(atomic_read(&p->runs) == 1, 1000));
}

/*
 * tq_timer and tq_immediate tasks never overlap, on any CPU: the old bottom
 * halves were serialized and legacy drivers rely on it.
 */
struct tq_serial_probe {
	struct tq_struct tq;
	task_queue *q;
	atomic_t *inside;
	atomic_t *overlaps;
	atomic_t runs;
	int limit;
};

static void tq_serial_fn(void *data)
{
	struct tq_serial_probe *s = data;

	if (atomic_inc_return(s->inside) != 1)
		atomic_inc(s->overlaps);
	tq_busy_wait_us(50);
	atomic_dec(s->inside);
	if (atomic_inc_return(&s->runs) < s->limit) {
		queue_task(&s->tq, s->q);
		if (s->q == &tq_immediate)
			mark_bh(IMMEDIATE_BH);
	}
}

static int tq_serial_marker(void *data)
{
	struct tq_serial_probe *s = data;

	while (!kthread_should_stop()) {
		if (queue_task(&s->tq, &tq_immediate))
			mark_bh(IMMEDIATE_BH);
		usleep_range(50, 100);
	}
	return 0;
}

static void tq_timer_serialized_with_immediate(struct kunit *test)
{
	atomic_t inside = ATOMIC_INIT(0), overlaps = ATOMIC_INIT(0);
	struct tq_serial_probe *s;
	struct task_struct *k[2];
	int i;

	s = tqc_kunit_kcalloc(test, 3, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < 3; i++) {
		INIT_TQUEUE(&s[i].tq, tq_serial_fn, &s[i]);
		s[i].q = i ? &tq_immediate : &tq_timer;
		s[i].inside = &inside;
		s[i].overlaps = &overlaps;
		s[i].limit = i ? 0 : 100;	/* the markers requeue the others */
	}
	queue_task(&s[0].tq, &tq_timer);
	for (i = 0; i < 2; i++) {
		k[i] = kthread_create(tq_serial_marker, &s[i + 1], "tq_serial/%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(k[i]));
		kthread_bind(k[i], i % num_online_cpus());
		wake_up_process(k[i]);
	}
	tq_wait_for(atomic_read(&s[0].runs) >= 100, 5000);
	for (i = 0; i < 2; i++) {
		kthread_stop(k[i]);
		cancel_task_sync(&s[i + 1].tq);
	}
	cancel_task_sync(&s[0].tq);
	KUNIT_EXPECT_EQ(test, atomic_read(&s[0].runs), 100);
	KUNIT_EXPECT_GT(test, atomic_read(&s[1].runs) + atomic_read(&s[2].runs), 10);
	KUNIT_EXPECT_EQ(test, atomic_read(&overlaps), 0);
}

static struct kunit_case tq_timer_cases[] = {
	KUNIT_CASE(tq_timer_context),
	KUNIT_CASE(tq_timer_once_per_jiffy),
	KUNIT_CASE(tq_timer_idle_when_empty),
	KUNIT_CASE(tq_timer_flush),
	KUNIT_CASE(tq_timer_flush_self_requeueing),
	KUNIT_CASE(tq_timer_from_hardirq),
	KUNIT_CASE(tq_timer_serialized_with_immediate),
	{}
};

struct kunit_suite tq_timer_suite = {
	.name = "tqueue_timer",
	.init = tq_probes_init,
	.exit = tq_probes_exit,
	.test_cases = tq_timer_cases,
};

tqc_kunit_test_suite(tq_timer_suite);
