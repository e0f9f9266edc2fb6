// SPDX-License-Identifier: GPL-2.0
/*
 * tq_legacy24: a Linux 2.4-style client.
 *
 * Uses GNU's old "member: value" initializer, INIT_TQUEUE, a queue of its
 * own, tq_immediate with mark_bh(IMMEDIATE_BH), tq_timer, schedule_task()
 * and flush_scheduled_tasks(), and checks at load that each behaves as it
 * did in 2.4. The load fails with -EIO, naming the check, if one does not.
 *
 * Built with -Werror.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/sched.h>
#include <linux/tqueue.h>
#include <linux/wait.h>

static DECLARE_WAIT_QUEUE_HEAD(legacy_wait);
static DECLARE_TASK_QUEUE(my_queue);
static int order[3], nr_order;
static int ran_immediate, ran_timer, ran_sched;
static int irq_immediate, irq_timer, irq_sched;

static void order_fn(void *data)
{
	order[nr_order++] = (long)data;
}

static void immediate_fn(void *data)
{
	irq_immediate = in_interrupt() ? 1 : 0;
	WRITE_ONCE(ran_immediate, 1);
	wake_up(&legacy_wait);
}

static void timer_fn(void *data)
{
	irq_timer = in_interrupt() ? 1 : 0;
	WRITE_ONCE(ran_timer, 1);
	wake_up(&legacy_wait);
}

static void sched_fn(void *data)
{
	irq_sched = in_interrupt() ? 1 : 0;
	WRITE_ONCE(ran_sched, 1);
}

static struct tq_struct t0 = { routine : order_fn, data : (void *)0 };
static struct tq_struct t1 = { routine : order_fn, data : (void *)1 };
static struct tq_struct t2;
static struct tq_struct imm_task = { routine : immediate_fn };
static struct tq_struct timer_task = { routine : timer_fn };
static struct tq_struct sched_task = { routine : sched_fn };

/* A failed check names itself and fails the load. */
#define CHECK(cond) legacy_check(cond, #cond)

static bool legacy_failed;

static void legacy_check(bool ok, const char *what)
{
	if (!ok && !legacy_failed) {
		pr_err("check failed: %s\n", what);
		legacy_failed = true;
	}
}

static int __init legacy24_init(void)
{
	INIT_TQUEUE(&t2, order_fn, (void *)2);
	CHECK(queue_task(&t0, &my_queue) == 1);
	CHECK(queue_task(&t1, &my_queue) == 1);
	CHECK(queue_task(&t2, &my_queue) == 1);
	CHECK(queue_task(&t1, &my_queue) == 0);
	CHECK(TQ_ACTIVE(my_queue));
	run_task_queue(&my_queue);
	CHECK(!TQ_ACTIVE(my_queue));
	CHECK(nr_order == 3 && order[0] == 0 && order[1] == 1 && order[2] == 2);

	CHECK(queue_task(&imm_task, &tq_immediate) == 1);
	mark_bh(IMMEDIATE_BH);
	CHECK(wait_event_timeout(legacy_wait, READ_ONCE(ran_immediate), HZ));
	CHECK(irq_immediate == 1);

	CHECK(queue_task(&timer_task, &tq_timer) == 1);
	CHECK(wait_event_timeout(legacy_wait, READ_ONCE(ran_timer), HZ));
	CHECK(irq_timer == 1);

	CHECK(schedule_task(&sched_task) == 1);
	flush_scheduled_tasks();
	CHECK(ran_sched == 1 && irq_sched == 0);
	if (legacy_failed)
		return -EIO;
	pr_info("2.4 semantics verified\n");
	return 0;
}

static void __exit legacy24_exit(void)
{
}

module_init(legacy24_init);
module_exit(legacy24_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tqueue test client in Linux 2.4 style");
