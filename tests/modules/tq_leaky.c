// SPDX-License-Identifier: GPL-2.0
/*
 * tq_leaky: a client that never stops its tasks, the seeds' unload crash.
 *
 * At load it puts tasks that requeue themselves forever on tq_timer,
 * tq_immediate and the scheduler queue (the scheduler ones sleep in
 * keventd), and its exit function returns without stopping them. Before
 * tqueue, the kernel crashed a tick after "rmmod tq_leaky"; with tqueue the
 * unload notifier drops the tasks and prints one warning. It also leaves a
 * queue of its own registered for tqueue's statistics, which the notifier
 * unregisters, with a warning of its own.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/tqueue.h>

static unsigned int sleep_ms = 2;
module_param(sleep_ms, uint, 0444);
MODULE_PARM_DESC(sleep_ms, "How long each scheduler-queue run sleeps (ms)");

static unsigned int queues = 7;
module_param(queues, uint, 0444);
MODULE_PARM_DESC(queues, "Queues to leave tasks on: 1 tq_timer, 2 tq_immediate, 4 scheduler");

struct leaky_task {
	struct tq_struct tq;
	task_queue *queue;
	unsigned long runs;
};

static struct leaky_task leaky[4];
/* Registered for statistics and never unregistered: tqueue must drop it. */
static DECLARE_TASK_QUEUE(leaky_stats_q);

static void leaky_fn(void *data)
{
	struct leaky_task *t = data;

	t->runs++;
	if (t->queue == &tq_scheduler && sleep_ms)
		msleep(sleep_ms);
	queue_task(&t->tq, t->queue);
	if (t->queue == &tq_immediate)
		mark_bh(IMMEDIATE_BH);
}

static int __init leaky_init(void)
{
	static task_queue *const targets[] = {
		&tq_timer, &tq_immediate, &tq_scheduler, &tq_scheduler,
	};
	static const unsigned int bits[] = { 1, 2, 4, 4 };
	int i;

	if (queues & ~7U) {
		pr_err("invalid queues=%#x: only bits 0-2 exist\n", queues);
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(leaky); i++) {
		leaky[i].queue = targets[i];
		INIT_TQUEUE(&leaky[i].tq, leaky_fn, &leaky[i]);
		if (queues & bits[i])
			queue_task(&leaky[i].tq, leaky[i].queue);
	}
	mark_bh(IMMEDIATE_BH);
	if (tq_stats_register(&leaky_stats_q))
		pr_warn("cannot register leaky_stats_q for statistics\n");
	return 0;
}

static void __exit leaky_exit(void)
{
	/* Deliberately nothing: the tasks are still requeueing. */
}

module_init(leaky_init);
module_exit(leaky_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tqueue test client that leaves self-requeueing tasks queued");
