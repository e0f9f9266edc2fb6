// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for src/main.c and <linux/tqueue.h>: the predefined queues
 * and the initializers legacy code uses. tqueue_kunit.ko holds every
 * tqueue suite; it is a module of its own because on 6.1 KUnit runs a
 * module's suites before that module's init.
 */
#include <linux/module.h>
#include "compat.h"
#include "internal.h"
#include "tq_kunit.h"

static atomic_t tq_static_runs = ATOMIC_INIT(0);

static void tq_static_fn(void *data)
{
	atomic_inc(data);
}

/* 2.2: positional, with a plain pointer first. */
static struct tq_struct tq_positional = { NULL, 0, tq_static_fn, &tq_static_runs };
/* 2.4 and later: designated. */
static struct tq_struct tq_designated = {
	.routine = tq_static_fn,
	.data = &tq_static_runs,
};

static DECLARE_TASK_QUEUE(tq_static_queue);

static void tq_static_initializers(struct kunit *test)
{
	atomic_set(&tq_static_runs, 0);
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(tq_static_queue));
	KUNIT_EXPECT_EQ(test, queue_task(&tq_positional, &tq_static_queue), 1);
	KUNIT_EXPECT_EQ(test, queue_task(&tq_designated, &tq_static_queue), 1);
	run_task_queue(&tq_static_queue);
	KUNIT_EXPECT_EQ(test, atomic_read(&tq_static_runs), 2);
}

static void tq_init_prepare(struct kunit *test)
{
	static DECLARE_TASK_QUEUE(q);
	atomic_t a = ATOMIC_INIT(0), b = ATOMIC_INIT(0);
	struct tq_struct t;

	memset(&t, 0xa5, sizeof(t));
	INIT_TQUEUE(&t, tq_static_fn, &a);
	KUNIT_EXPECT_NULL(test, t.next);
	KUNIT_EXPECT_EQ(test, t.sync, 0UL);
	queue_task(&t, &q);
	run_task_queue(&q);
	PREPARE_TQUEUE(&t, tq_static_fn, &b);
	queue_task(&t, &q);
	run_task_queue(&q);
	KUNIT_EXPECT_EQ(test, atomic_read(&a), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&b), 1);
}

static void tq_predefined_queues(struct kunit *test)
{
	KUNIT_ASSERT_NOT_NULL(test, tq_timer.ops);
	KUNIT_ASSERT_NOT_NULL(test, tq_immediate.ops);
	KUNIT_ASSERT_NOT_NULL(test, tq_scheduler.ops);
	KUNIT_EXPECT_TRUE(test, tq_timer.ops->serial && tq_timer.ops->kick);
	KUNIT_EXPECT_TRUE(test, tq_immediate.ops->serial && !tq_immediate.ops->kick);
	KUNIT_EXPECT_TRUE(test, !tq_scheduler.ops->serial && tq_scheduler.ops->kick);
	KUNIT_EXPECT_NULL(test, tq_disk.ops);
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(tq_timer));
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(tq_immediate));
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(tq_scheduler));
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(tq_disk));
	KUNIT_EXPECT_FALSE(test, tq_timer_armed());
}

/* tq_disk runs only when its user runs it, in the user's context. */
static void tq_disk_runs_on_demand(struct kunit *test)
{
	struct tq_probe *p = tq_probe_new(test);

	queue_task(&p->tq, &tq_disk);
	msleep(3 * jiffies_to_msecs(1) + 10);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 0);
	run_task_queue(&tq_disk);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 1);
	KUNIT_EXPECT_EQ(test, p->pid, current->pid);
}

static struct kunit_case tq_main_cases[] = {
	KUNIT_CASE(tq_predefined_queues),
	KUNIT_CASE(tq_static_initializers),
	KUNIT_CASE(tq_init_prepare),
	KUNIT_CASE(tq_disk_runs_on_demand),
	{}
};

struct kunit_suite tq_main_suite = {
	.name = "tqueue_main",
	.init = tq_probes_init,
	.exit = tq_probes_exit,
	.test_cases = tq_main_cases,
};

#if TQC_KUNIT_ONE_REGISTRATION
kunit_test_suites(&tq_main_suite, &tq_queue_suite, &tq_timer_suite,
		  &tq_immediate_suite, &tq_keventd_suite, &tq_unload_suite,
		  &tq_run_suite, &tq_cancel_suite, &tq_stats_suite);
#else
kunit_test_suite(tq_main_suite);
#endif

MODULE_IMPORT_NS(TQC_TEST_NS);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for tqueue");
