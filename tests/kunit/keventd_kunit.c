// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for src/keventd.c: schedule_task() and the keventd thread.
 */
#include "tq_kunit.h"

static void tq_keventd_return_values_and_context(struct kunit *test)
{
	struct tq_probe *blocker = tq_probe_new(test);
	struct tq_probe *p = tq_probe_new(test);

	blocker->sleep_ms = 50;	/* keventd tasks may sleep */
	KUNIT_EXPECT_EQ(test, schedule_task(&blocker->tq), 1);
	KUNIT_EXPECT_EQ(test, schedule_task(&p->tq), 1);
	KUNIT_EXPECT_EQ(test, schedule_task(&p->tq), 0);	/* behind blocker */
	flush_scheduled_tasks();
	KUNIT_EXPECT_EQ(test, atomic_read(&blocker->runs), 1);
	KUNIT_ASSERT_EQ(test, atomic_read(&p->runs), 1);
	KUNIT_EXPECT_TRUE(test, p->in_task);
	KUNIT_EXPECT_FALSE(test, p->in_interrupt);
	KUNIT_EXPECT_STREQ(test, (const char *)p->comm, "keventd");
	KUNIT_EXPECT_NE(test, p->pid, current->pid);
}

/* flush_scheduled_tasks() waits for every task scheduled before it. */
static void tq_keventd_flush_waits(struct kunit *test)
{
	struct tq_probe *a = tq_probe_new(test);
	struct tq_probe *b = tq_probe_new(test);

	a->sleep_ms = 50;
	schedule_task(&a->tq);
	schedule_task(&b->tq);
	flush_scheduled_tasks();
	KUNIT_EXPECT_EQ(test, atomic_read(&a->runs), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->runs), 1);
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(tq_scheduler));
}

/* A task that requeues itself does not hold up a flush (as in 2.4). */
static void tq_keventd_flush_self_requeueing(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);

	p->requeues = -1;
	p->requeue_on = &tq_scheduler;
	p->sleep_ms = 1;
	schedule_task(&p->tq);
	flush_scheduled_tasks();
	KUNIT_EXPECT_GE(test, atomic_read(&p->runs), 1);
	cancel_task_sync(&p->tq);
	KUNIT_EXPECT_FALSE(test, test_bit(0, &p->tq.sync));
}

static void tq_keventd_mark_fn(void *arg)
{
	schedule_task(arg);
}

static void tq_keventd_from_hardirq(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);

	KUNIT_EXPECT_TRUE(test, tq_call_in_hardirq(tq_keventd_mark_fn, &p->tq));
	KUNIT_EXPECT_TRUE(test, tq_wait_for(atomic_read(&p->runs) == 1, 1000));
	KUNIT_EXPECT_TRUE(test, p->in_task);
}

/* 2.2 style: queue_task(task, &tq_scheduler) is schedule_task(task). */
static void tq_keventd_queue_task(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);

	KUNIT_EXPECT_EQ(test, queue_task(&p->tq, &tq_scheduler), 1);
	KUNIT_EXPECT_TRUE(test, tq_wait_for(atomic_read(&p->runs) == 1, 1000));
	KUNIT_EXPECT_STREQ(test, (const char *)p->comm, "keventd");
}

struct tq_flush_in_keventd {
	struct tq_struct tq;
	int ret;
	atomic_t done;
};

static void tq_flush_in_keventd_fn(void *data)
{
	struct tq_flush_in_keventd *f = data;

	f->ret = flush_task_queue(&tq_scheduler);
	atomic_set(&f->done, 1);
}

/* keventd cannot wait for itself: the flush refuses instead of hanging. */
static void tq_keventd_flush_from_itself(struct kunit *test)
{
	struct tq_flush_in_keventd *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);

	INIT_TQUEUE(&f->tq, tq_flush_in_keventd_fn, f);
	schedule_task(&f->tq);
	KUNIT_ASSERT_TRUE(test, tq_wait_for(atomic_read(&f->done), 1000));
	KUNIT_EXPECT_EQ(test, f->ret, -EDEADLK);
}

static struct kunit_case tq_keventd_cases[] = {
	KUNIT_CASE(tq_keventd_return_values_and_context),
	KUNIT_CASE(tq_keventd_flush_waits),
	KUNIT_CASE(tq_keventd_flush_self_requeueing),
	KUNIT_CASE(tq_keventd_from_hardirq),
	KUNIT_CASE(tq_keventd_queue_task),
	KUNIT_CASE(tq_keventd_flush_from_itself),
	{}
};

struct kunit_suite tq_keventd_suite = {
	.name = "tqueue_keventd",
	.init = tq_probes_init,
	.exit = tq_probes_exit,
	.test_cases = tq_keventd_cases,
};

tqc_kunit_test_suite(tq_keventd_suite);
