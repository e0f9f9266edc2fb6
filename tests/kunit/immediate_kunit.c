// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for src/immediate.c: tq_immediate and mark_bh().
 */
#include "tq_kunit.h"

/* Queueing alone runs nothing: the bottom half must be marked. */
static void tq_immediate_needs_mark_bh(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);

	KUNIT_ASSERT_EQ(test, queue_task(&p->tq, &tq_immediate), 1);
	msleep(5 * jiffies_to_msecs(1) + 10);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 0);
	KUNIT_EXPECT_TRUE(test, TQ_ACTIVE(tq_immediate));
	mark_bh(IMMEDIATE_BH);
	KUNIT_EXPECT_TRUE(test, tq_wait_for(atomic_read(&p->runs) == 1, 1000));
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(tq_immediate));
}

static void tq_immediate_context(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);

	queue_task(&p->tq, &tq_immediate);
	mark_bh(IMMEDIATE_BH);
	KUNIT_ASSERT_TRUE(test, tq_wait_for(atomic_read(&p->runs) == 1, 1000));
	KUNIT_EXPECT_FALSE(test, p->in_task);
	KUNIT_EXPECT_FALSE(test, p->in_hardirq);
	KUNIT_EXPECT_TRUE(test, p->in_softirq);
	KUNIT_EXPECT_TRUE(test, p->in_interrupt);
}

static void tq_immediate_mark_fn(void *arg)
{
	queue_task(arg, &tq_immediate);
	mark_bh(IMMEDIATE_BH);
}

static void tq_immediate_from_hardirq(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);

	KUNIT_EXPECT_TRUE(test, tq_call_in_hardirq(tq_immediate_mark_fn, &p->tq));
	KUNIT_EXPECT_TRUE(test, tq_wait_for(atomic_read(&p->runs) == 1, 1000));
	KUNIT_EXPECT_TRUE(test, p->in_softirq);
}

static void tq_immediate_self_requeue(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);

	p->requeues = 9;
	p->requeue_on = &tq_immediate;
	queue_task(&p->tq, &tq_immediate);
	mark_bh(IMMEDIATE_BH);
	KUNIT_EXPECT_TRUE(test, tq_wait_for(atomic_read(&p->runs) == 10, 2000));
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(tq_immediate));
}

/* flush_task_queue() marks the bottom half and waits for what is pending. */
static void tq_immediate_flush(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);

	queue_task(&p->tq, &tq_immediate);
	KUNIT_EXPECT_EQ(test, flush_task_queue(&tq_immediate), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 1);
}

/* The 2.4 TIMER_BH and TQUEUE_BH numbers are accepted and harmless. */
static void tq_immediate_other_bh(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);

	queue_task(&p->tq, &tq_immediate);
	mark_bh(TIMER_BH);
	mark_bh(TQUEUE_BH);
	msleep(3 * jiffies_to_msecs(1) + 10);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 0);
	KUNIT_EXPECT_EQ(test, flush_task_queue(&tq_immediate), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 1);
}

static struct kunit_case tq_immediate_cases[] = {
	KUNIT_CASE(tq_immediate_needs_mark_bh),
	KUNIT_CASE(tq_immediate_context),
	KUNIT_CASE(tq_immediate_from_hardirq),
	KUNIT_CASE(tq_immediate_self_requeue),
	KUNIT_CASE(tq_immediate_flush),
	KUNIT_CASE(tq_immediate_other_bh),
	{}
};

struct kunit_suite tq_immediate_suite = {
	.name = "tqueue_immediate",
	.init = tq_probes_init,
	.exit = tq_probes_exit,
	.test_cases = tq_immediate_cases,
};

tqc_kunit_test_suite(tq_immediate_suite);
