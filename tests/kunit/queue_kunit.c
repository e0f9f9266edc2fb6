// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for src/queue.c: queue_task(), run_task_queue() and
 * cancel_task_sync() on queues of the caller's own.
 */
#include <linux/kthread.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include "tq_kunit.h"

static void tq_return_values(struct kunit *test)
{
	static DECLARE_TASK_QUEUE(q);
	struct tq_probe *p = tq_probe_new(test);

	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(q));
	KUNIT_EXPECT_EQ(test, queue_task(&p->tq, &q), 1);
	KUNIT_EXPECT_TRUE(test, TQ_ACTIVE(q));
	KUNIT_EXPECT_TRUE(test, test_bit(0, &p->tq.sync));
	KUNIT_EXPECT_EQ(test, queue_task(&p->tq, &q), 0);
	run_task_queue(&q);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 1);
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(q));
	KUNIT_EXPECT_FALSE(test, test_bit(0, &p->tq.sync));
	KUNIT_EXPECT_EQ(test, queue_task(&p->tq, &q), 1);
	run_task_queue(&q);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 2);
}

static void tq_sync_cleared_before_routine(struct kunit *test)
{
	static DECLARE_TASK_QUEUE(q);
	struct tq_probe *p = tq_probe_new(test);

	p->requeues = 1;
	p->requeue_on = &q;
	queue_task(&p->tq, &q);
	run_task_queue(&q);
	KUNIT_EXPECT_TRUE(test, p->sync_clear);
	KUNIT_EXPECT_EQ(test, p->requeue_ret, 1);
	run_task_queue(&q);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 2);
}

static void tq_fifo_order(struct kunit *test)
{
	static DECLARE_TASK_QUEUE(q);
	struct tq_probe *p[5];
	int order[5], pos = 0, i;

	for (i = 0; i < 5; i++) {
		p[i] = tq_probe_new(test);
		p[i]->id = i;
		p[i]->order = order;
		p[i]->order_pos = &pos;
		KUNIT_ASSERT_EQ(test, queue_task(&p[i]->tq, &q), 1);
	}
	run_task_queue(&q);
	KUNIT_ASSERT_EQ(test, pos, 5);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, order[i], i);
}

/* The list is swapped out first: a task that requeues itself runs next time. */
static void tq_head_swap(struct kunit *test)
{
	static DECLARE_TASK_QUEUE(q);
	struct tq_probe *p = tq_probe_new(test);
	struct tq_probe *last = tq_probe_new(test);
	int order[4], pos = 0;

	p->requeues = -1;
	p->requeue_on = &q;
	p->order = order;
	last->order = order;
	p->order_pos = &pos;
	last->order_pos = &pos;
	p->id = 0;
	last->id = 1;
	queue_task(&p->tq, &q);
	queue_task(&last->tq, &q);
	run_task_queue(&q);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&last->runs), 1);
	KUNIT_ASSERT_EQ(test, pos, 2);
	KUNIT_EXPECT_EQ(test, order[1], 1);	/* p's requeue went behind last */
	KUNIT_EXPECT_TRUE(test, TQ_ACTIVE(q));
	run_task_queue(&q);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 2);
	p->requeues = 0;
	run_task_queue(&q);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 3);
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(q));
}

static void tq_empty_run(struct kunit *test)
{
	static DECLARE_TASK_QUEUE(q);
	struct tq_probe *p = tq_probe_new(test);

	run_task_queue(&q);
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(q));
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 0);
	queue_task(&p->tq, &q);
	run_task_queue(&q);
	run_task_queue(&q);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 1);
}

/* A task is on one queue at a time. */
static void tq_one_queue_at_a_time(struct kunit *test)
{
	static DECLARE_TASK_QUEUE(q1);
	static DECLARE_TASK_QUEUE(q2);
	struct tq_probe *p = tq_probe_new(test);

	KUNIT_EXPECT_EQ(test, queue_task(&p->tq, &q1), 1);
	KUNIT_EXPECT_EQ(test, queue_task(&p->tq, &q2), 0);
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(q2));
	run_task_queue(&q2);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 0);
	run_task_queue(&q1);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 1);
}

/* A task may move to another queue from its own routine. */
static void tq_requeue_elsewhere(struct kunit *test)
{
	static DECLARE_TASK_QUEUE(q1);
	static DECLARE_TASK_QUEUE(q2);
	struct tq_probe *p = tq_probe_new(test);

	p->requeues = 1;
	p->requeue_on = &q2;
	queue_task(&p->tq, &q1);
	run_task_queue(&q1);
	KUNIT_EXPECT_EQ(test, p->requeue_ret, 1);
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(q1));
	KUNIT_EXPECT_TRUE(test, TQ_ACTIVE(q2));
	run_task_queue(&q2);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 2);
}

static void tq_dynamic_queue(struct kunit *test)
{
	task_queue *q = kunit_kzalloc(test, sizeof(*q), GFP_KERNEL);
	struct tq_probe *p = tq_probe_new(test);

	KUNIT_ASSERT_NOT_NULL(test, q);
	INIT_TASK_QUEUE(q);
	KUNIT_EXPECT_EQ(test, queue_task(&p->tq, q), 1);
	run_task_queue(q);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 1);
}

/* Concurrency: producers and runners on every CPU. */
#define TQ_STRESS_TASKS 2000

struct tq_stress {
	task_queue q;
	struct tq_struct *tasks;
	atomic_t *runs;
	atomic_t queued;
	atomic_t started;
	atomic_t done;
	int nr_threads;
	bool stop;
};

static void tq_stress_fn(void *data)
{
	atomic_inc(data);
}

static int tq_stress_producer(void *data)
{
	struct tq_stress *s = data;
	int i;

	atomic_inc(&s->started);
	while (atomic_read(&s->started) < s->nr_threads)
		cpu_relax();
	for (i = 0; i < TQ_STRESS_TASKS; i++)
		atomic_add(queue_task(&s->tasks[i], &s->q), &s->queued);
	atomic_inc(&s->done);
	return 0;
}

static int tq_stress_runner(void *data)
{
	struct tq_stress *s = data;

	atomic_inc(&s->started);
	while (!READ_ONCE(s->stop) || TQ_ACTIVE(s->q)) {
		run_task_queue(&s->q);
		cond_resched();
	}
	atomic_inc(&s->done);
	return 0;
}

static struct tq_stress *tq_stress_alloc(struct kunit *test)
{
	struct tq_stress *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->tasks = tqc_kunit_kcalloc(test, TQ_STRESS_TASKS, sizeof(*s->tasks),
				     GFP_KERNEL);
	s->runs = tqc_kunit_kcalloc(test, TQ_STRESS_TASKS, sizeof(*s->runs),
				    GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s->tasks);
	KUNIT_ASSERT_NOT_NULL(test, s->runs);
	INIT_TASK_QUEUE(&s->q);
	for (i = 0; i < TQ_STRESS_TASKS; i++)
		INIT_TQUEUE(&s->tasks[i], tq_stress_fn, &s->runs[i]);
	return s;
}

static void tq_stress_start(struct kunit *test, struct tq_stress *s,
			    int (*fn)(void *), int cpu,
			    struct task_struct **t)
{
	*t = kthread_create(fn, s, "tq_stress/%d", cpu);
	KUNIT_ASSERT_FALSE(test, IS_ERR(*t));
	get_task_struct(*t);
	kthread_bind(*t, cpu);
	wake_up_process(*t);
}

static void tq_stress_stop(struct task_struct *t)
{
	kthread_stop(t);
	put_task_struct(t);
}

/* How many tasks did not run exactly @expected times. */
static int tq_stress_mismatches(struct tq_stress *s, int expected)
{
	int i, bad = 0;

	for (i = 0; i < TQ_STRESS_TASKS; i++)
		bad += atomic_read(&s->runs[i]) != expected;
	return bad;
}

/* Every CPU queues the same tasks at once: each is queued exactly once. */
static void tq_concurrent_queue_all_cpus(struct kunit *test)
{
	struct tq_stress *s = tq_stress_alloc(test);
	struct task_struct **t;
	int cpu, i, n = 0;

	t = tqc_kunit_kcalloc(test, nr_cpu_ids, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);

	s->nr_threads = num_online_cpus();
	for_each_online_cpu(cpu)
		tq_stress_start(test, s, tq_stress_producer, cpu, &t[n++]);
	KUNIT_EXPECT_TRUE(test, tq_wait_for(atomic_read(&s->done) == n, 10000));
	for (i = 0; i < n; i++)
		tq_stress_stop(t[i]);
	KUNIT_EXPECT_GE(test, n, 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&s->queued), TQ_STRESS_TASKS);
	run_task_queue(&s->q);
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(s->q));
	KUNIT_EXPECT_EQ(test, tq_stress_mismatches(s, 1), 0);
}

/* Runners on every CPU and a producer: no task runs twice or is lost. */
static void tq_concurrent_runners(struct kunit *test)
{
	struct tq_stress *s = tq_stress_alloc(test);
	struct task_struct **t;
	int cpu, i, n = 0, round;

	t = tqc_kunit_kcalloc(test, nr_cpu_ids, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);

	s->nr_threads = num_online_cpus();
	for_each_online_cpu(cpu)
		tq_stress_start(test, s, tq_stress_runner, cpu, &t[n++]);
	KUNIT_EXPECT_TRUE(test, tq_wait_for(atomic_read(&s->started) == n, 10000));
	for (round = 1; round <= 3; round++) {
		for (i = 0; i < TQ_STRESS_TASKS; i++)
			while (!queue_task(&s->tasks[i], &s->q))
				cpu_relax();	/* still queued from last round */
	}
	WRITE_ONCE(s->stop, true);
	KUNIT_EXPECT_TRUE(test, tq_wait_for(atomic_read(&s->done) == n, 10000));
	for (i = 0; i < n; i++)
		tq_stress_stop(t[i]);
	KUNIT_EXPECT_EQ(test, tq_stress_mismatches(s, 3), 0);
}

struct tq_irq_queue {
	struct tq_struct *task;
	task_queue *q;
	int ret;
};

static void tq_irq_queue_fn(void *arg)
{
	struct tq_irq_queue *a = arg;

	a->ret = queue_task(a->task, a->q);
}

static void tq_queue_from_hardirq(struct kunit *test)
{
	static DECLARE_TASK_QUEUE(q);
	struct tq_probe *p = tq_probe_new(test);
	struct tq_irq_queue a = { .task = &p->tq, .q = &q };

	KUNIT_EXPECT_TRUE(test, tq_call_in_hardirq(tq_irq_queue_fn, &a));
	KUNIT_EXPECT_EQ(test, a.ret, 1);
	KUNIT_EXPECT_TRUE(test, tq_call_in_hardirq(tq_irq_queue_fn, &a));
	KUNIT_EXPECT_EQ(test, a.ret, 0);
	run_task_queue(&q);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 1);
}

static void tq_cancel_pending(struct kunit *test)
{
	static DECLARE_TASK_QUEUE(q);
	struct tq_probe *a = tq_probe_new(test);
	struct tq_probe *b = tq_probe_new(test);
	struct tq_probe *c = tq_probe_new(test);
	int order[3], pos = 0;

	a->order = order;
	b->order = order;
	c->order = order;
	a->order_pos = &pos;
	b->order_pos = &pos;
	c->order_pos = &pos;
	a->id = 0;
	c->id = 2;
	KUNIT_EXPECT_FALSE(test, cancel_task_sync(&b->tq));	/* never queued */
	queue_task(&a->tq, &q);
	queue_task(&b->tq, &q);
	queue_task(&c->tq, &q);
	KUNIT_EXPECT_TRUE(test, cancel_task_sync(&b->tq));	/* middle */
	KUNIT_EXPECT_FALSE(test, cancel_task_sync(&b->tq));
	KUNIT_EXPECT_FALSE(test, test_bit(0, &b->tq.sync));
	KUNIT_EXPECT_TRUE(test, cancel_task_sync(&c->tq));	/* tail */
	KUNIT_EXPECT_EQ(test, queue_task(&c->tq, &q), 1);	/* tail fixed */
	run_task_queue(&q);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->runs), 0);
	KUNIT_ASSERT_EQ(test, pos, 2);
	KUNIT_EXPECT_EQ(test, order[0], 0);
	KUNIT_EXPECT_EQ(test, order[1], 2);
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(q));
}

/* cancel_task_sync() waits for a running routine, and it cannot requeue. */
static void tq_cancel_running(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);

	p->sleep_ms = 100;
	p->requeues = -1;
	p->requeue_on = &tq_scheduler;
	KUNIT_ASSERT_EQ(test, schedule_task(&p->tq), 1);
	KUNIT_ASSERT_TRUE(test, tq_wait_for(p->pid != 0, 1000));
	/* The routine is asleep now; it will try to requeue itself. */
	KUNIT_EXPECT_FALSE(test, cancel_task_sync(&p->tq));
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 1);
	KUNIT_EXPECT_EQ(test, p->requeue_ret, 0);
	msleep(150);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 1);
	KUNIT_EXPECT_FALSE(test, test_bit(0, &p->tq.sync));
}

/* A task that requeues itself on tq_timer every tick stops for good. */
static void tq_cancel_self_requeueing(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);
	int runs;

	p->requeues = -1;
	p->requeue_on = &tq_timer;
	queue_task(&p->tq, &tq_timer);
	KUNIT_ASSERT_TRUE(test, tq_wait_for(atomic_read(&p->runs) >= 5, 2000));
	cancel_task_sync(&p->tq);
	runs = atomic_read(&p->runs);
	msleep(5 * jiffies_to_msecs(1) + 20);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), runs);
	KUNIT_EXPECT_FALSE(test, test_bit(0, &p->tq.sync));
	KUNIT_EXPECT_EQ(test, queue_task(&p->tq, &tq_timer), 1);
	p->requeues = 0;
	KUNIT_EXPECT_EQ(test, flush_task_queue(&tq_timer), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), runs + 1);
}

/*
 * A task running (asleep) in keventd that queued itself on tq_timer and ran
 * there meanwhile: cancel must still wait for the keventd instance.
 */
struct tq_roamer {
	struct tq_struct tq;
	atomic_t started, finished;
};

static void tq_roamer_fn(void *data)
{
	struct tq_roamer *r = data;

	atomic_inc(&r->started);
	if (in_task()) {
		queue_task(&r->tq, &tq_timer);
		msleep(200);
	}
	atomic_inc(&r->finished);
}

static void tq_cancel_waits_on_every_queue(struct kunit *test)
{
	struct tq_roamer *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	bool ran_twice;

	KUNIT_ASSERT_NOT_NULL(test, r);
	INIT_TQUEUE(&r->tq, tq_roamer_fn, r);
	schedule_task(&r->tq);
	ran_twice = tq_wait_for(atomic_read(&r->started) >= 2, 150);
	cancel_task_sync(&r->tq);
	KUNIT_EXPECT_TRUE(test, ran_twice);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->finished),
			atomic_read(&r->started));
}

static void tq_flush_custom_refused(struct kunit *test)
{
	static DECLARE_TASK_QUEUE(q);

	KUNIT_EXPECT_EQ(test, flush_task_queue(&q), -EINVAL);
	KUNIT_EXPECT_EQ(test, flush_task_queue(&tq_disk), -EINVAL);
}

static struct kunit_case tq_queue_cases[] = {
	KUNIT_CASE(tq_return_values),
	KUNIT_CASE(tq_sync_cleared_before_routine),
	KUNIT_CASE(tq_fifo_order),
	KUNIT_CASE(tq_head_swap),
	KUNIT_CASE(tq_empty_run),
	KUNIT_CASE(tq_one_queue_at_a_time),
	KUNIT_CASE(tq_requeue_elsewhere),
	KUNIT_CASE(tq_dynamic_queue),
	KUNIT_CASE(tq_concurrent_queue_all_cpus),
	KUNIT_CASE(tq_concurrent_runners),
	KUNIT_CASE(tq_queue_from_hardirq),
	KUNIT_CASE(tq_cancel_pending),
	KUNIT_CASE(tq_cancel_running),
	KUNIT_CASE(tq_cancel_self_requeueing),
	KUNIT_CASE(tq_cancel_waits_on_every_queue),
	KUNIT_CASE(tq_flush_custom_refused),
	{}
};

struct kunit_suite tq_queue_suite = {
	.name = "tqueue_queue",
	.init = tq_probes_init,
	.exit = tq_probes_exit,
	.test_cases = tq_queue_cases,
};

tqc_kunit_test_suite(tq_queue_suite);
