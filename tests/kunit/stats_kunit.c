// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for src/stats.c: each operation moves the counters it says,
 * on the queue it was done to, and nothing else.
 */
#include <linux/module.h>
#include "compat.h"
#include "internal.h"
#include "tq_kunit.h"

/* @q's statistics now; the test fails if it has no slot. */
static struct tq_stats tq_stats_now(struct kunit *test, const task_queue *q)
{
	struct tq_stats st;

	KUNIT_EXPECT_EQ(test, tq_stats_get(q, &st), 0);
	return st;
}

#define TQ_DELTA(after, before, what) \
	((after).count[TQ_STAT_##what] - (before).count[TQ_STAT_##what])

static void tq_stats_queue_run(struct kunit *test)
{
	static DECLARE_TASK_QUEUE(q);
	struct tq_probe *a = tq_probe_new(test);
	struct tq_probe *b = tq_probe_new(test);
	struct tq_stats st, before;

	KUNIT_ASSERT_EQ(test, tq_stats_register(&q), 0);
	KUNIT_EXPECT_EQ(test, tq_stats_register(&q), -EBUSY);
	queue_task(&a->tq, &q);
	queue_task(&b->tq, &q);
	KUNIT_EXPECT_EQ(test, queue_task(&a->tq, &q), 0);	/* pending */
	st = tq_stats_now(test, &q);
	KUNIT_EXPECT_EQ(test, st.count[TQ_STAT_QUEUED], 2UL);
	KUNIT_EXPECT_EQ(test, st.pending, 2UL);
	KUNIT_EXPECT_EQ(test, st.count[TQ_STAT_RUN], 0UL);
	run_task_queue(&q);
	st = tq_stats_now(test, &q);
	KUNIT_EXPECT_EQ(test, st.count[TQ_STAT_QUEUED], 2UL);
	KUNIT_EXPECT_EQ(test, st.count[TQ_STAT_RUN], 2UL);
	KUNIT_EXPECT_EQ(test, st.pending, 0UL);
	KUNIT_EXPECT_EQ(test, st.count[TQ_STAT_REQUEUED], 0UL);

	/*
	 * Latency, queued and run on one CPU (local_clock() of two CPUs may
	 * differ): both wait 20 us at least, the 10 us bucket stays empty.
	 */
	before = st;
	preempt_disable();
	queue_task(&a->tq, &q);
	queue_task(&b->tq, &q);
	tq_busy_wait_local_us(20);
	run_task_queue(&q);
	preempt_enable();
	st = tq_stats_now(test, &q);
	KUNIT_EXPECT_EQ(test, st.count[TQ_STAT_RUN], 4UL);
	KUNIT_EXPECT_GE(test, st.lat_max, 20ULL * NSEC_PER_USEC);
	KUNIT_EXPECT_GE(test, st.lat_sum - before.lat_sum,
			40ULL * NSEC_PER_USEC);
	KUNIT_EXPECT_EQ(test, st.lat_bucket[0], before.lat_bucket[0]);
	KUNIT_EXPECT_EQ(test, st.lat_bucket[1] + st.lat_bucket[2] +
			st.lat_bucket[3] + st.lat_bucket[4] -
			before.lat_bucket[1] - before.lat_bucket[2] -
			before.lat_bucket[3] - before.lat_bucket[4], 2UL);
	tq_stats_unregister(&q);
	KUNIT_EXPECT_EQ(test, tq_stats_get(&q, &st), -ENOENT);
}

/* A routine that queues its own task again counts as requeued. */
static void tq_stats_requeue(struct kunit *test)
{
	static DECLARE_TASK_QUEUE(q);
	struct tq_probe *p = tq_probe_new(test);
	struct tq_probe *other = tq_probe_new(test);
	struct tq_stats st;

	KUNIT_ASSERT_EQ(test, tq_stats_register(&q), 0);
	p->requeues = 1;
	p->requeue_on = &q;
	queue_task(&p->tq, &q);
	queue_task(&other->tq, &q);
	run_task_queue(&q);
	st = tq_stats_now(test, &q);
	KUNIT_EXPECT_EQ(test, st.count[TQ_STAT_QUEUED], 3UL);
	KUNIT_EXPECT_EQ(test, st.count[TQ_STAT_REQUEUED], 1UL);
	KUNIT_EXPECT_EQ(test, st.count[TQ_STAT_RUN], 2UL);
	KUNIT_EXPECT_EQ(test, st.pending, 1UL);
	/* Queued again, but from outside its routine: not a requeue. */
	run_task_queue(&q);
	queue_task(&p->tq, &q);
	run_task_queue(&q);
	st = tq_stats_now(test, &q);
	KUNIT_EXPECT_EQ(test, st.count[TQ_STAT_QUEUED], 4UL);
	KUNIT_EXPECT_EQ(test, st.count[TQ_STAT_REQUEUED], 1UL);
	KUNIT_EXPECT_EQ(test, st.count[TQ_STAT_RUN], 4UL);
	tq_stats_unregister(&q);
}

/* The same through keventd, whose routines run in a thread. */
static void tq_stats_requeue_keventd(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);
	struct tq_stats before, after;

	before = tq_stats_now(test, &tq_scheduler);
	p->requeues = 2;
	p->requeue_on = &tq_scheduler;
	schedule_task(&p->tq);
	KUNIT_ASSERT_TRUE(test, tq_wait_for(atomic_read(&p->runs) == 3, 2000));
	flush_scheduled_tasks();
	after = tq_stats_now(test, &tq_scheduler);
	/* The flush's barrier is a task too. */
	KUNIT_EXPECT_EQ(test, TQ_DELTA(after, before, QUEUED), 4UL);
	KUNIT_EXPECT_EQ(test, TQ_DELTA(after, before, REQUEUED), 2UL);
	KUNIT_EXPECT_EQ(test, TQ_DELTA(after, before, RUN), 4UL);
	KUNIT_EXPECT_EQ(test, after.pending, 0UL);
}

static void tq_stats_cancel(struct kunit *test)
{
	static DECLARE_TASK_QUEUE(q);
	struct tq_probe *p = tq_probe_new(test);
	struct tq_stats st;

	KUNIT_ASSERT_EQ(test, tq_stats_register(&q), 0);
	queue_task(&p->tq, &q);
	KUNIT_EXPECT_TRUE(test, cancel_task_sync(&p->tq));
	KUNIT_EXPECT_FALSE(test, cancel_task_sync(&p->tq));
	run_task_queue(&q);
	st = tq_stats_now(test, &q);
	KUNIT_EXPECT_EQ(test, st.count[TQ_STAT_QUEUED], 1UL);
	KUNIT_EXPECT_EQ(test, st.count[TQ_STAT_CANCELLED], 1UL);
	KUNIT_EXPECT_EQ(test, st.count[TQ_STAT_RUN], 0UL);
	KUNIT_EXPECT_EQ(test, st.pending, 0UL);
	tq_stats_unregister(&q);
}

/* The purge's drops count on the queue they were taken from. */
static void tq_stats_purge(struct kunit *test)
{
	struct tq_probe *a = tq_probe_new(test);
	struct tq_probe *b = tq_probe_new(test);
	struct tq_stats before, after;

	before = tq_stats_now(test, &tq_disk);
	queue_task(&a->tq, &tq_disk);
	queue_task(&b->tq, &tq_disk);
	KUNIT_EXPECT_EQ(test, tq_purge_module(THIS_MODULE), 2U);
	after = tq_stats_now(test, &tq_disk);
	KUNIT_EXPECT_EQ(test, TQ_DELTA(after, before, QUEUED), 2UL);
	KUNIT_EXPECT_EQ(test, TQ_DELTA(after, before, DROPPED), 2UL);
	KUNIT_EXPECT_EQ(test, TQ_DELTA(after, before, RUN), 0UL);
	KUNIT_EXPECT_EQ(test, after.pending, 0UL);
}

/* A queue without a slot counts in "(other)"; a slot's counters go with it. */
static void tq_stats_other(struct kunit *test)
{
	static DECLARE_TASK_QUEUE(q);
	struct tq_probe *p = tq_probe_new(test);
	struct tq_stats before, after, st;

	KUNIT_EXPECT_STREQ(test, q.name, "q");
	before = tq_stats_now(test, NULL);
	queue_task(&p->tq, &q);
	run_task_queue(&q);
	after = tq_stats_now(test, NULL);
	KUNIT_EXPECT_EQ(test, TQ_DELTA(after, before, QUEUED), 1UL);
	KUNIT_EXPECT_EQ(test, TQ_DELTA(after, before, RUN), 1UL);
	KUNIT_EXPECT_EQ(test, tq_stats_get(&q, &st), -ENOENT);

	/* Registered, used, unregistered, registered: it starts at zero. */
	KUNIT_ASSERT_EQ(test, tq_stats_register(&q), 0);
	queue_task(&p->tq, &q);
	run_task_queue(&q);
	tq_stats_unregister(&q);
	tq_stats_unregister(&q);	/* a second time: nothing */
	KUNIT_ASSERT_EQ(test, tq_stats_register(&q), 0);
	st = tq_stats_now(test, &q);
	KUNIT_EXPECT_EQ(test, st.count[TQ_STAT_QUEUED], 0UL);
	KUNIT_EXPECT_EQ(test, st.count[TQ_STAT_RUN], 0UL);
	tq_stats_unregister(&q);
}

/* The slots are finite: registering more queues fails cleanly. */
static void tq_stats_full(struct kunit *test)
{
	task_queue *qs;
	int i, n = 0, err = 0;

	qs = tqc_kunit_kcalloc(test, 64, sizeof(*qs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, qs);
	for (i = 0; i < 64 && !err; i++) {
		INIT_TASK_QUEUE(&qs[i]);
		err = tq_stats_register(&qs[i]);
		n += !err;
	}
	KUNIT_EXPECT_EQ(test, err, -ENOSPC);
	KUNIT_EXPECT_GT(test, n, 0);
	for (i = 0; i < n; i++)
		tq_stats_unregister(&qs[i]);
	KUNIT_EXPECT_EQ(test, tq_stats_register(&qs[0]), 0);
	tq_stats_unregister(&qs[0]);
}

/* tqueue's own queues have slots from its init on. */
static void tq_stats_own_queues(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);
	struct tq_stats before, after;

	before = tq_stats_now(test, &tq_timer);
	tq_stats_now(test, &tq_immediate);
	tq_stats_now(test, &tq_scheduler);
	queue_task(&p->tq, &tq_timer);
	KUNIT_ASSERT_TRUE(test, tq_wait_for(atomic_read(&p->runs) == 1, 1000));
	after = tq_stats_now(test, &tq_timer);
	KUNIT_EXPECT_EQ(test, TQ_DELTA(after, before, QUEUED), 1UL);
	KUNIT_EXPECT_EQ(test, TQ_DELTA(after, before, RUN), 1UL);
	/* A tick away, at most a few with a slow guest. */
	KUNIT_EXPECT_GT(test, after.lat_max, 0ULL);
	KUNIT_EXPECT_GT(test, after.runtime_max, 0ULL);
}

static struct kunit_case tq_stats_cases[] = {
	KUNIT_CASE(tq_stats_queue_run),
	KUNIT_CASE(tq_stats_requeue),
	KUNIT_CASE(tq_stats_requeue_keventd),
	KUNIT_CASE(tq_stats_cancel),
	KUNIT_CASE(tq_stats_purge),
	KUNIT_CASE(tq_stats_other),
	KUNIT_CASE(tq_stats_full),
	KUNIT_CASE(tq_stats_own_queues),
	{}
};

struct kunit_suite tq_stats_suite = {
	.name = "tqueue_stats",
	.init = tq_probes_init,
	.exit = tq_probes_exit,
	.test_cases = tq_stats_cases,
};

tqc_kunit_test_suite(tq_stats_suite);
