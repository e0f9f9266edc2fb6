// SPDX-License-Identifier: GPL-2.0
/*
 * tq_immediate and mark_bh(IMMEDIATE_BH).
 *
 * As in 2.4, queueing a task on tq_immediate runs nothing by itself: the
 * queue runs when the IMMEDIATE bottom half is marked. The bottom half is a
 * BH work item on system_bh_wq where the kernel has BH workqueues (6.9+) and
 * a tasklet before that; either way it runs in softirq context, on the CPU
 * that marked it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/export.h>
#include "compat.h"
#include "internal.h"

/**
 * DOC: tq_immediate
 *
 * Tasks queued on tq_immediate run in softirq context after the next
 * mark_bh(IMMEDIATE_BH), on the CPU that marked it. They must not sleep.
 * tq_timer and tq_immediate tasks never run concurrently with one another.
 */
static struct tqc_bh tq_immediate_bh;

static void tq_immediate_fn(struct tqc_bh *bh)
{
	run_task_queue(&tq_immediate);
}

static void tq_immediate_mark(void)
{
	mark_bh(IMMEDIATE_BH);
}

/* As in 2.4, a task linked on tq_immediate waits for mark_bh(): no kick. */
static const struct tq_backend tq_immediate_ops = {
	.run_soon = tq_immediate_mark,
	.is_runner = tq_serial_held,
	.serial = true,
};

task_queue tq_immediate = __TASK_QUEUE_INITIALIZER(tq_immediate,
						   &tq_immediate_ops);
EXPORT_SYMBOL_GPL(tq_immediate);

/**
 * mark_bh() - mark a bottom half for running
 * @nr: IMMEDIATE_BH runs tq_immediate soon, in softirq context on this CPU;
 *      TIMER_BH and TQUEUE_BH are accepted and do nothing, since tq_timer
 *      runs by itself
 *
 * Context: Any context, hard IRQ included.
 * Return: nothing. An unknown @nr triggers a one-time warning.
 */
void mark_bh(int nr)
{
	switch (nr) {
	case IMMEDIATE_BH:
		tqc_bh_schedule(&tq_immediate_bh);
		break;
	case TIMER_BH:
	case TQUEUE_BH:
		break;
	default:
		WARN_ONCE(1, "tqueue: %s(%d): no such bottom half\n", __func__, nr);
	}
}
EXPORT_SYMBOL_GPL(mark_bh);

int tq_immediate_init(void)
{
	tqc_bh_init(&tq_immediate_bh, tq_immediate_fn);
	return 0;
}

void tq_immediate_exit(void)
{
	tqc_bh_cancel_sync(&tq_immediate_bh);
}
