// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of cancel_task_sync() and flush_task_queue() (src/cancel.c)
 * and of what they rely on in src/run.c and src/busy.c: each case is a
 * defect the tree before the busy records had, named in its comment.
 */
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <uapi/linux/sched/types.h>
#include "compat.h"
#include "internal.h"
#include "tq_kunit.h"

/* A task whose first instance blocks in process context until released. */
struct tq_block {
	struct tq_struct tq;
	task_queue *move_to;		/* the first instance requeues here */
	struct completion started, release;
	atomic_t task_runs, other_runs;
	bool done;			/* the blocking instance returned */
	bool reuse;			/* the routine reuses @tq for another task */
};

static void tq_block_other_fn(void *data)
{
}

static void tq_block_fn(void *data)
{
	struct tq_block *b = data;

	if (!in_task()) {
		atomic_inc(&b->other_runs);
		return;
	}
	atomic_inc(&b->task_runs);
	if (b->move_to)
		queue_task(&b->tq, b->move_to);
	if (b->reuse)	/* as if freed and reallocated for another task */
		INIT_TQUEUE(&b->tq, tq_block_other_fn, NULL);
	complete(&b->started);
	wait_for_completion(&b->release);
	WRITE_ONCE(b->done, true);
}

static struct tq_block *tq_block_new(struct kunit *test)
{
	struct tq_block *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	INIT_TQUEUE(&b->tq, tq_block_fn, b);
	init_completion(&b->started);
	init_completion(&b->release);
	return b;
}

static int tq_run_queue_fn(void *data)
{
	run_task_queue(data);
	return 0;
}

/* A cancel_task_sync() in a thread of its own, so the test can watch it. */
struct tq_canceller {
	struct tq_struct *task;
	struct tq_block *block;
	struct completion done;
	bool removed, block_done;
	unsigned long nvcsw;		/* voluntary switches during the cancel */
};

static int tq_canceller_fn(void *data)
{
	struct tq_canceller *c = data;
	unsigned long nvcsw = current->nvcsw;

	c->removed = cancel_task_sync(c->task);
	c->block_done = READ_ONCE(c->block->done);
	c->nvcsw = current->nvcsw - nvcsw;
	complete(&c->done);
	return 0;
}

static struct task_struct *tq_canceller_start(struct kunit *test,
					      struct tq_canceller *c,
					      struct tq_block *b, int cpu,
					      bool fifo)
{
	struct task_struct *k;

	c->task = &b->tq;
	c->block = b;
	init_completion(&c->done);
	k = kthread_create(tq_canceller_fn, c, "tq_cancel/%d", cpu);
	KUNIT_ASSERT_FALSE(test, IS_ERR(k));
	if (cpu >= 0)
		kthread_bind(k, cpu);
	if (fifo)
		sched_set_fifo(k);
	wake_up_process(k);
	return k;
}

/*
 * Defect 3: a task run from the caller's queue requeues itself on tq_timer
 * while its routine goes on; tq_timer runs the second instance. Cancel must
 * wait for the first one too (the old tree waited on tqueue's queues and
 * the task's last two queues only, and returned while it ran).
 */
static void tq_cancel_waits_for_migrated(struct kunit *test)
{
	static DECLARE_TASK_QUEUE(q);
	struct tq_block *b = tq_block_new(test);
	struct tq_canceller c;

	b->move_to = &tq_timer;
	KUNIT_ASSERT_EQ(test, queue_task(&b->tq, &q), 1);
	kthread_run(tq_run_queue_fn, &q, "tq_run_q");
	wait_for_completion(&b->started);
	KUNIT_ASSERT_TRUE(test, tq_wait_for(atomic_read(&b->other_runs), 1000));
	tq_canceller_start(test, &c, b, -1, false);
	/* Whatever the timing, the cancel cannot end before the release. */
	msleep(50);
	complete(&b->release);
	wait_for_completion(&c.done);
	KUNIT_EXPECT_TRUE(test, c.block_done);
	KUNIT_EXPECT_FALSE(test, c.removed);
}

/*
 * Defect 4: a task once run from a queue that was then freed; a later
 * cancel must not touch that queue (the old tree locked it: KASAN
 * slab-use-after-free, then an Oops).
 */
static void tq_cancel_after_queue_freed(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);
	struct task_queue *q = kzalloc(sizeof(*q), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, q);
	INIT_TASK_QUEUE(q);
	KUNIT_ASSERT_EQ(test, queue_task(&p->tq, q), 1);
	run_task_queue(q);
	kfree(q);
	KUNIT_EXPECT_FALSE(test, cancel_task_sync(&p->tq));
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 1);
}

/* The same, with the queue on the stack, as INIT_TASK_QUEUE() allows. */
static noinline void tq_run_on_stack(struct tq_probe *p)
{
	struct task_queue q;

	INIT_TASK_QUEUE(&q);
	queue_task(&p->tq, &q);
	run_task_queue(&q);
}

static void tq_cancel_after_stack_queue(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);
	char scribble[sizeof(struct task_queue)];

	tq_run_on_stack(p);
	memset(scribble, 0x6b, sizeof(scribble));	/* reuse that stack */
	barrier_data(scribble);
	KUNIT_EXPECT_FALSE(test, cancel_task_sync(&p->tq));
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 1);
}

/*
 * Defect 6: a second canceller of one task spun with cond_resched(), which
 * does nothing for a SCHED_FIFO thread: it must sleep until the first one
 * returns, and neither may return while the routine runs.
 */
static void tq_cancel_concurrent_sleeps(struct kunit *test)
{
	static DECLARE_TASK_QUEUE(q);
	struct tq_block *b = tq_block_new(test);
	struct tq_canceller c1, c2;
	int cpu = num_online_cpus() > 1 ? 1 : 0;

	KUNIT_ASSERT_EQ(test, queue_task(&b->tq, &q), 1);
	kthread_run(tq_run_queue_fn, &q, "tq_run_q");
	wait_for_completion(&b->started);
	tq_canceller_start(test, &c1, b, -1, false);
	msleep(20);
	tq_canceller_start(test, &c2, b, cpu, true);
	msleep(50);
	complete(&b->release);
	wait_for_completion(&c1.done);
	wait_for_completion(&c2.done);
	KUNIT_EXPECT_TRUE(test, c1.block_done);
	KUNIT_EXPECT_TRUE(test, c2.block_done);
	/* The FIFO canceller slept instead of spinning. */
	KUNIT_EXPECT_GT(test, c2.nvcsw, 0UL);
}

/*
 * Defect 11: a routine that reuses its task's memory for another task (as
 * if it freed it and the address was allocated again). A cancel of the new
 * task must not wait for the old routine, which still runs in keventd (the
 * old tree matched by address and waited for it).
 */
static void tq_cancel_reused_address(struct kunit *test)
{
	struct tq_block *b = tq_block_new(test);
	struct tq_canceller c;
	bool returned;

	b->reuse = true;
	KUNIT_ASSERT_EQ(test, schedule_task(&b->tq), 1);
	wait_for_completion(&b->started);
	tq_canceller_start(test, &c, b, -1, false);
	/* A cancel that waited for the old routine would wait for ever. */
	returned = wait_for_completion_timeout(&c.done, 5 * HZ);
	complete(&b->release);
	if (!returned)
		wait_for_completion(&c.done);
	KUNIT_EXPECT_TRUE(test, returned);
	KUNIT_EXPECT_FALSE(test, c.block_done);
	KUNIT_ASSERT_TRUE(test, tq_wait_for(READ_ONCE(b->done), 1000));
}

/*
 * Defect 9: the last routine of a run frees the object that holds the
 * queue (2.4 never touched the queue again; the old tree relocked it).
 */
struct tq_owner {
	struct task_queue q;
	struct tq_struct first, last;
	atomic_t *runs;
};

static void tq_owner_fn(void *data)
{
	struct tq_owner *o = data;

	atomic_inc(o->runs);
}

static void tq_owner_free_fn(void *data)
{
	struct tq_owner *o = data;

	atomic_inc(o->runs);
	kfree(o);
}

static void tq_run_last_routine_frees_queue(struct kunit *test)
{
	struct tq_owner *o = kzalloc(sizeof(*o), GFP_KERNEL);
	atomic_t runs = ATOMIC_INIT(0);

	KUNIT_ASSERT_NOT_NULL(test, o);
	INIT_TASK_QUEUE(&o->q);
	o->runs = &runs;
	INIT_TQUEUE(&o->first, tq_owner_fn, o);
	INIT_TQUEUE(&o->last, tq_owner_free_fn, o);
	queue_task(&o->first, &o->q);
	queue_task(&o->last, &o->q);
	run_task_queue(&o->q);
	KUNIT_EXPECT_EQ(test, atomic_read(&runs), 2);
}

/*
 * Defect 8: a tq_immediate routine that runs tq_immediate again. A flush
 * must still wait for every task queued before its barrier (the old tree's
 * nested run executed the barrier before tasks the outer run held).
 */
#define TQ_NEST_TASKS 20

struct tq_nest {
	struct tq_struct outer, marker;
	struct tq_struct t[TQ_NEST_TASKS];
	atomic_t runs;
	int seen;		/* runs when the marker, queued last, ran */
};

static void tq_nest_outer_fn(void *data)
{
	run_task_queue(&tq_immediate);
}

static void tq_nest_count_fn(void *data)
{
	struct tq_nest *n = data;

	atomic_inc(&n->runs);
}

/* Stands for flush's barrier: queued last, it must run last. */
static void tq_nest_marker_fn(void *data)
{
	struct tq_nest *n = data;

	n->seen = atomic_read(&n->runs);
}

static void tq_flush_after_nested_run(struct kunit *test)
{
	struct tq_nest *n = kunit_kzalloc(test, sizeof(*n), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, n);
	INIT_TQUEUE(&n->outer, tq_nest_outer_fn, n);
	queue_task(&n->outer, &tq_immediate);
	for (i = 0; i < TQ_NEST_TASKS; i++) {
		INIT_TQUEUE(&n->t[i], tq_nest_count_fn, n);
		queue_task(&n->t[i], &tq_immediate);
	}
	INIT_TQUEUE(&n->marker, tq_nest_marker_fn, n);
	queue_task(&n->marker, &tq_immediate);
	KUNIT_ASSERT_EQ(test, flush_task_queue(&tq_immediate), 0);
	KUNIT_EXPECT_EQ(test, n->seen, TQ_NEST_TASKS);
	KUNIT_EXPECT_EQ(test, atomic_read(&n->runs), TQ_NEST_TASKS);
}

/*
 * Defect 12: run_task_queue(&tq_timer) from hard IRQ could nest inside the
 * serialization lock's owner; it is refused (one warning) and the task runs
 * from the timer instead, in softirq context.
 */
static void tq_run_timer(void *arg)
{
	run_task_queue(&tq_timer);
}

static void tq_timer_run_from_hardirq_refused(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);

	pr_info("tqueue_kunit: expect a warning: run_task_queue() of a serialized queue from hard IRQ\n");
	KUNIT_ASSERT_EQ(test, queue_task(&p->tq, &tq_timer), 1);
	KUNIT_ASSERT_TRUE(test, tq_call_in_hardirq(tq_run_timer, NULL));
	KUNIT_ASSERT_TRUE(test, tq_wait_for(atomic_read(&p->runs) == 1, 1000));
	KUNIT_EXPECT_FALSE(test, p->in_hardirq);
	KUNIT_EXPECT_TRUE(test, p->in_softirq);
}

static struct kunit_case tq_cancel_cases[] = {
	KUNIT_CASE(tq_cancel_waits_for_migrated),
	KUNIT_CASE(tq_cancel_after_queue_freed),
	KUNIT_CASE(tq_cancel_after_stack_queue),
	KUNIT_CASE(tq_cancel_concurrent_sleeps),
	KUNIT_CASE(tq_cancel_reused_address),
	KUNIT_CASE(tq_run_last_routine_frees_queue),
	KUNIT_CASE(tq_flush_after_nested_run),
	KUNIT_CASE(tq_timer_run_from_hardirq_refused),
	{}
};

struct kunit_suite tq_cancel_suite = {
	.name = "tqueue_cancel",
	.init = tq_probes_init,
	.exit = tq_probes_exit,
	.test_cases = tq_cancel_cases,
};

tqc_kunit_test_suite(tq_cancel_suite);
