// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for src/unload.c: the purge of a leaving module's tasks.
 *
 * The probes' routine lies in this test module, so purging THIS_MODULE
 * must drop them all; a module they do not belong to must drop none. The
 * real unload path (a module removed while its tasks are queued) is tested
 * by tests/selftests/tqueue/unload.sh with the modules in tests/modules/.
 */
#include <linux/module.h>
#include "compat.h"
#include "internal.h"
#include "tq_kunit.h"

static void tq_purge_drops_module_tasks(struct kunit *test)
{
	struct tq_probe *timer = tq_probe_new(test);
	struct tq_probe *imm = tq_probe_new(test);
	struct tq_probe *sched = tq_probe_new(test);
	struct tq_probe *disk = tq_probe_new(test);
	int runs[3];
	unsigned int n;

	timer->requeues = -1;
	timer->requeue_on = &tq_timer;
	imm->requeues = -1;
	imm->requeue_on = &tq_immediate;
	sched->requeues = -1;
	sched->requeue_on = &tq_scheduler;
	sched->sleep_ms = 20;
	queue_task(&timer->tq, &tq_timer);
	queue_task(&imm->tq, &tq_immediate);
	mark_bh(IMMEDIATE_BH);
	queue_task(&sched->tq, &tq_scheduler);
	queue_task(&disk->tq, &tq_disk);
	KUNIT_ASSERT_TRUE(test, tq_wait_for(atomic_read(&timer->runs) >= 3, 2000));
	KUNIT_ASSERT_TRUE(test, tq_wait_for(atomic_read(&imm->runs) >= 3, 2000));
	KUNIT_ASSERT_TRUE(test, tq_wait_for(atomic_read(&sched->runs) >= 3, 2000));

	n = tq_purge_module(THIS_MODULE);
	/* tq_disk's task at least; the others unless caught running. */
	KUNIT_EXPECT_GE(test, n, 1U);
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(tq_disk));
	runs[0] = atomic_read(&timer->runs);
	runs[1] = atomic_read(&imm->runs);
	runs[2] = atomic_read(&sched->runs);
	msleep(5 * jiffies_to_msecs(1) + 50);
	KUNIT_EXPECT_EQ(test, atomic_read(&timer->runs), runs[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&imm->runs), runs[1]);
	KUNIT_EXPECT_EQ(test, atomic_read(&sched->runs), runs[2]);
	KUNIT_EXPECT_FALSE(test, test_bit(0, &timer->tq.sync));
	KUNIT_EXPECT_FALSE(test, test_bit(0, &imm->tq.sync));
	KUNIT_EXPECT_FALSE(test, test_bit(0, &sched->tq.sync));
	KUNIT_EXPECT_FALSE(test, test_bit(0, &disk->tq.sync));
	KUNIT_EXPECT_EQ(test, tq_purge_module(THIS_MODULE), 0U);
}

/* The purge leaves the tasks of other modules alone. */
static void tq_purge_spares_other_modules(struct kunit *test)
{
	struct module *other = kunit_kzalloc(test, sizeof(*other), GFP_KERNEL);
	struct tq_probe *disk = tq_probe_new(test);
	struct tq_probe *sched = tq_probe_new(test);

	KUNIT_ASSERT_NOT_NULL(test, other);
	sched->sleep_ms = 50;
	queue_task(&disk->tq, &tq_disk);
	schedule_task(&sched->tq);
	KUNIT_EXPECT_EQ(test, tq_purge_module(other), 0U);
	KUNIT_EXPECT_TRUE(test, TQ_ACTIVE(tq_disk));
	run_task_queue(&tq_disk);
	KUNIT_EXPECT_EQ(test, atomic_read(&disk->runs), 1);
	flush_scheduled_tasks();
	KUNIT_EXPECT_EQ(test, atomic_read(&sched->runs), 1);
}

/*
 * Defect 13: with nothing pending on tqueue's queues and nothing running,
 * a purge (every rmmod on the system) skips its grace period; with a task
 * pending it still takes it, and drops the task.
 */
static void tq_purge_fast_when_idle(struct kunit *test)
{
	struct tq_probe *disk = tq_probe_new(test);
	unsigned long gp = tq_purge_grace_periods();

	KUNIT_EXPECT_EQ(test, tq_purge_module(THIS_MODULE), 0U);
	KUNIT_EXPECT_EQ(test, tq_purge_grace_periods(), gp);
	queue_task(&disk->tq, &tq_disk);
	KUNIT_EXPECT_EQ(test, tq_purge_module(THIS_MODULE), 1U);
	KUNIT_EXPECT_EQ(test, tq_purge_grace_periods(), gp + 1);
	KUNIT_EXPECT_FALSE(test, TQ_ACTIVE(tq_disk));
}

static struct kunit_case tq_unload_cases[] = {
	KUNIT_CASE(tq_purge_fast_when_idle),
	KUNIT_CASE(tq_purge_drops_module_tasks),
	KUNIT_CASE(tq_purge_spares_other_modules),
	{}
};

struct kunit_suite tq_unload_suite = {
	.name = "tqueue_unload",
	.init = tq_probes_init,
	.exit = tq_probes_exit,
	.test_cases = tq_unload_cases,
};

tqc_kunit_test_suite(tq_unload_suite);
