// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for src/run.c: runs that span several chunks of slots, cancel
 * of a task that waits in a runner's slot, and the lock-free runs of
 * tq_immediate (overflow to the locked path, nested runs).
 */
#include <linux/completion.h>
#include <linux/kthread.h>
#include "internal.h"
#include "tq_kunit.h"

#define TQ_RUN_MANY	25	/* more than any runner took at once before */

/* @n probes, ids 0..n-1, recording their order in @order. */
static struct tq_probe **tq_run_probes(struct kunit *test, int n, int *order,
				       int *pos)
{
	struct tq_probe **p = tqc_kunit_kcalloc(test, n, sizeof(*p), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < n; i++) {
		p[i] = tq_probe_new(test);
		p[i]->id = i;
		p[i]->order = order;
		p[i]->order_pos = pos;
	}
	return p;
}

/* Queue the @n probes of @p on @q, in order; returns how many went on. */
static int tq_run_queue(struct tq_probe **p, int n, task_queue *q)
{
	int i, queued = 0;

	for (i = 0; i < n; i++)
		queued += queue_task(&p[i]->tq, q);
	return queued;
}

/* More tasks than a chunk: all run once, in order; a requeuer only once. */
static void tq_run_chunks(struct kunit *test)
{
	static DECLARE_TASK_QUEUE(q);
	int order[TQ_RUN_MANY + 1], pos = 0, i;
	struct tq_probe **p, *self;

	self = tq_probe_new(test);
	self->requeues = -1;
	self->requeue_on = &q;
	KUNIT_ASSERT_EQ(test, queue_task(&self->tq, &q), 1);
	p = tq_run_probes(test, TQ_RUN_MANY, order, &pos);
	KUNIT_EXPECT_EQ(test, tq_run_queue(p, TQ_RUN_MANY, &q), TQ_RUN_MANY);
	run_task_queue(&q);
	KUNIT_EXPECT_EQ(test, atomic_read(&self->runs), 1);
	KUNIT_ASSERT_EQ(test, pos, TQ_RUN_MANY);
	for (i = 0; i < TQ_RUN_MANY; i++) {
		KUNIT_EXPECT_EQ(test, order[i], i);
		KUNIT_EXPECT_EQ(test, atomic_read(&p[i]->runs), 1);
	}
	/* The requeued task waits for the next run. */
	KUNIT_EXPECT_TRUE(test, TQ_ACTIVE(q));
	self->requeues = 0;
	run_task_queue(&q);
	KUNIT_EXPECT_EQ(test, atomic_read(&self->runs), 2);
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(q));
}

struct tq_run_block {
	struct tq_struct tq;
	struct completion started, go;
};

static void tq_run_block_fn(void *data)
{
	struct tq_run_block *b = data;

	complete(&b->started);
	wait_for_completion(&b->go);
}

struct tq_run_thread {
	task_queue *q;
	struct completion done;
};

static int tq_run_thread_fn(void *data)
{
	struct tq_run_thread *rt = data;

	run_task_queue(rt->q);
	complete(&rt->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

/*
 * While the first task of a chunk runs, the others wait in the runner's
 * slots, and those of the next chunks on the FIFO: cancel takes both kinds
 * off, and they never run.
 */
static void tq_run_cancel_from_slot(struct kunit *test)
{
	static DECLARE_TASK_QUEUE(q);
	struct tq_run_block *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct tq_run_thread rt = { .q = &q };
	int order[TQ_RUN_MANY], pos = 0;
	struct task_struct *t;
	struct tq_probe **p;

	KUNIT_ASSERT_NOT_NULL(test, b);
	INIT_TQUEUE(&b->tq, tq_run_block_fn, b);
	init_completion(&b->started);
	init_completion(&b->go);
	init_completion(&rt.done);
	queue_task(&b->tq, &q);
	p = tq_run_probes(test, TQ_RUN_MANY, order, &pos);
	KUNIT_EXPECT_EQ(test, tq_run_queue(p, TQ_RUN_MANY, &q), TQ_RUN_MANY);

	t = kthread_run(tq_run_thread_fn, &rt, "tq_run_kunit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	KUNIT_ASSERT_TRUE(test,
			  wait_for_completion_timeout(&b->started, 10 * HZ));
	/* p[0] is in the blocked runner's first chunk, p[last] on the FIFO. */
	KUNIT_EXPECT_TRUE(test, cancel_task_sync(&p[0]->tq));
	KUNIT_EXPECT_TRUE(test, cancel_task_sync(&p[TQ_RUN_MANY - 1]->tq));
	KUNIT_EXPECT_FALSE(test, test_bit(0, &p[0]->tq.sync));
	complete(&b->go);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&rt.done, 10 * HZ));
	kthread_stop(t);
	KUNIT_EXPECT_EQ(test, atomic_read(&p[0]->runs), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&p[TQ_RUN_MANY - 1]->runs), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&p[1]->runs), 1);
	KUNIT_EXPECT_EQ(test, pos, TQ_RUN_MANY - 2);
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(q));
}

/*
 * More tasks than the lock-free run of tq_immediate holds in its slots: the
 * run takes the locked path and still runs them all once, in order.
 */
static void tq_run_immediate_overflow(struct kunit *test)
{
	int order[TQ_RUN_MANY], pos = 0, i, queued;
	struct tq_probe **p;

	p = tq_run_probes(test, TQ_RUN_MANY, order, &pos);
	/* All pushed before the bottom half can run: one run takes them. */
	local_bh_disable();
	queued = tq_run_queue(p, TQ_RUN_MANY, &tq_immediate);
	mark_bh(IMMEDIATE_BH);
	local_bh_enable();
	KUNIT_EXPECT_EQ(test, queued, TQ_RUN_MANY);
	KUNIT_ASSERT_TRUE(test,
			  tq_wait_for(atomic_read(&p[TQ_RUN_MANY - 1]->runs), 2000));
	KUNIT_ASSERT_EQ(test, pos, TQ_RUN_MANY);
	for (i = 0; i < TQ_RUN_MANY; i++) {
		KUNIT_EXPECT_EQ(test, order[i], i);
		KUNIT_EXPECT_EQ(test, atomic_read(&p[i]->runs), 1);
	}
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(tq_immediate));
}

struct tq_run_nest {
	struct tq_struct outer;
	struct tq_probe *inner;
	int inner_runs_seen;
};

static void tq_run_nest_fn(void *data)
{
	struct tq_run_nest *n = data;

	queue_task(&n->inner->tq, &tq_immediate);
	run_task_queue(&tq_immediate);	/* nested in a run of tq_immediate */
	n->inner_runs_seen = atomic_read(&n->inner->runs);
}

/* A tq_immediate routine that runs tq_immediate itself runs the new task. */
static void tq_run_immediate_nested(struct kunit *test)
{
	struct tq_run_nest *n = kunit_kzalloc(test, sizeof(*n), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, n);
	n->inner = tq_probe_new(test);
	n->inner_runs_seen = -1;
	INIT_TQUEUE(&n->outer, tq_run_nest_fn, n);
	queue_task(&n->outer, &tq_immediate);
	mark_bh(IMMEDIATE_BH);
	KUNIT_ASSERT_TRUE(test, tq_wait_for(n->inner_runs_seen >= 0, 2000));
	KUNIT_EXPECT_EQ(test, n->inner_runs_seen, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&n->inner->runs), 1);
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(tq_immediate));
	cancel_task_sync(&n->outer);
}

static struct kunit_case tq_run_cases[] = {
	KUNIT_CASE(tq_run_chunks),
	KUNIT_CASE(tq_run_cancel_from_slot),
	KUNIT_CASE(tq_run_immediate_overflow),
	KUNIT_CASE(tq_run_immediate_nested),
	{}
};

struct kunit_suite tq_run_suite = {
	.name = "tqueue_run",
	.init = tq_probes_init,
	.exit = tq_probes_exit,
	.test_cases = tq_run_cases,
};

tqc_kunit_test_suite(tq_run_suite);
