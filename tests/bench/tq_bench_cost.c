// SPDX-License-Identifier: GPL-2.0
/*
 * The cost of the primitives tqueue's fast paths are made of, on the machine
 * the benchmark runs on: what a profile of tput-* and immediate-* is read
 * against. Each operation runs in a loop of cost_loops iterations with
 * preemption disabled; the line reports the median over rounds of the mean
 * time per iteration, the empty loop's time subtracted.
 *
 * Output: BENCHCOST <op> ns=<mean per operation>
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/bottom_half.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/tqueue.h>
#include "tq_bench.h"

#define COST_LOOPS 20000

static DEFINE_RAW_SPINLOCK(cost_lock);
static DEFINE_SPINLOCK(cost_bh_lock);
static unsigned long cost_word;
static void *cost_ptr;

static noinline void cost_fn(void *data)
{
	barrier();
}

/* tqueue's own fast path, end to end: one task through a caller's queue. */
static DECLARE_TASK_QUEUE(cost_queue);
static struct tq_struct cost_task = { .routine = cost_fn };

enum {
	C_EMPTY, C_IRQSAVE, C_RAWLOCK, C_RAWLOCK_IRQ, C_BH, C_BHLOCK,
	C_PREEMPT, C_TAS, C_CLEAR, C_XCHG, C_CMPXCHG, C_MB, C_STORE_REL,
	C_CALL, C_CLOCK, C_QUEUE_RUN, C_NR,
};

static const char *const cost_name[C_NR] = {
	"empty-loop", "local_irq_save+restore", "raw_spin_lock+unlock",
	"raw_spin_lock_irqsave+restore", "local_bh_disable+enable",
	"spin_lock_bh+unlock_bh", "preempt_disable+enable",
	"test_and_set_bit", "clear_bit", "xchg", "cmpxchg", "smp_mb",
	"smp_store_release", "indirect-call", "local_clock",
	"queue_task+run_task_queue",
};

/* Time COST_LOOPS iterations of operation @op, in ns. */
static u64 cost_once(int op)
{
	void (*fn)(void *) = cost_fn;
	unsigned long flags;
	u64 t0, t1;
	int i;

	/* An indirect call, as the queues make: hide the target. */
	OPTIMIZER_HIDE_VAR(fn);
	preempt_disable();
	t0 = ktime_get_ns();
	for (i = 0; i < COST_LOOPS; i++) {
		switch (op) {
		case C_EMPTY:
			barrier();
			break;
		case C_IRQSAVE:
			local_irq_save(flags);
			local_irq_restore(flags);
			break;
		case C_RAWLOCK:
			raw_spin_lock(&cost_lock);
			raw_spin_unlock(&cost_lock);
			break;
		case C_RAWLOCK_IRQ:
			raw_spin_lock_irqsave(&cost_lock, flags);
			raw_spin_unlock_irqrestore(&cost_lock, flags);
			break;
		case C_BH:
			local_bh_disable();
			local_bh_enable();
			break;
		case C_BHLOCK:
			spin_lock_bh(&cost_bh_lock);
			spin_unlock_bh(&cost_bh_lock);
			break;
		case C_PREEMPT:
			preempt_disable();
			preempt_enable();
			break;
		case C_TAS:
			test_and_set_bit(0, &cost_word);
			break;
		case C_CLEAR:
			clear_bit(0, &cost_word);
			break;
		case C_XCHG:
			xchg(&cost_ptr, &cost_word);
			break;
		case C_CMPXCHG:
			cmpxchg(&cost_ptr, NULL, &cost_word);
			break;
		case C_MB:
			smp_mb();	/* the barrier itself is measured */
			break;
		case C_STORE_REL:
			smp_store_release(&cost_word, 0);	/* measured */
			break;
		case C_CALL:
			fn(NULL);
			break;
		case C_CLOCK:
			cost_word += local_clock();
			break;
		case C_QUEUE_RUN:
			queue_task(&cost_task, &cost_queue);
			run_task_queue(&cost_queue);
			break;
		}
	}
	t1 = ktime_get_ns();
	preempt_enable();
	return t1 - t0;
}

int bench_cost(unsigned int rounds)
{
	u64 *v, empty;
	unsigned int r;
	int op;

	v = kcalloc(C_NR * rounds, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	for (r = 0; r < rounds; r++) {
		for (op = 0; op < C_NR; op++)
			v[op * rounds + r] = cost_once(op);
		cond_resched();
	}
	empty = bench_median(&v[C_EMPTY * rounds], rounds);
	for (op = 0; op < C_NR; op++) {
		u64 m = bench_median(&v[op * rounds], rounds);

		m = op == C_EMPTY ? m : m - min(m, empty);
		pr_info("BENCHCOST %s ns=%llu.%llu\n", cost_name[op],
			div_u64(m, COST_LOOPS),
			div_u64(m % COST_LOOPS * 10, COST_LOOPS));
	}
	kfree(v);
	return 0;
}
