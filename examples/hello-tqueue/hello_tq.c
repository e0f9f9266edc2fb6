// SPDX-License-Identifier: GPL-2.0
/*
 * hello_tq: the smallest legacy task-queue driver, as a 2.4 driver wrote
 * it, built and packaged as a client of tqueue (its own tree, its own
 * dkms.conf with BUILD_DEPENDS="tqueue").
 *
 * At load it puts a task on tq_timer that counts @ticks timer ticks, putting
 * itself back each time, then hands a last task to keventd with
 * schedule_task(). /sys/module/hello_tq/parameters/runs shows the count and
 * done turns 1 when the keventd task has run. Unloading stops the chain.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/tqueue.h>

static unsigned int ticks = 10;
module_param(ticks, uint, 0444);
MODULE_PARM_DESC(ticks, "timer ticks to count (1 to 1000, default 10)");

static unsigned int runs;
module_param(runs, uint, 0444);
MODULE_PARM_DESC(runs, "read only: the ticks counted so far");

static bool done;
module_param(done, bool, 0444);
MODULE_PARM_DESC(done, "read only: 1 once keventd ran the last task");

static void hello_done(void *data)
{
	pr_info("%u ticks counted on tq_timer, keventd says done\n",
		READ_ONCE(runs));
	WRITE_ONCE(done, true);
}

static struct tq_struct hello_last = { .routine = hello_done };

static void hello_tick(void *data);
static struct tq_struct hello_task = { .routine = hello_tick };

/* tq_timer: interrupt context, once per tick while it is queued. */
static void hello_tick(void *data)
{
	WRITE_ONCE(runs, runs + 1);
	if (runs < ticks)
		queue_task(&hello_task, &tq_timer);
	else
		schedule_task(&hello_last);
}

static int __init hello_init(void)
{
	if (ticks < 1 || ticks > 1000)
		return -EINVAL;
	queue_task(&hello_task, &tq_timer);
	return 0;
}

/*
 * A 2.4 driver had to make sure by hand that nothing of its was still
 * queued. cancel_task_sync() does it, also for a task that puts itself back
 * (it cannot be queued while cancel waits), and tqueue's unload purge would
 * drop a task left behind, with a warning. The chain's order matters: once
 * hello_task is cancelled, nothing can schedule hello_last any more.
 */
static void __exit hello_exit(void)
{
	cancel_task_sync(&hello_task);
	cancel_task_sync(&hello_last);
}

module_init(hello_init);
module_exit(hello_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION("1.0");
MODULE_DESCRIPTION("hello_tq: a 2.4-style tq_timer driver built against tqueue");
