// SPDX-License-Identifier: GPL-2.0
/*
 * tq_torture: a stress test of tqueue, in the spirit of locktorture.
 *
 * For @duration seconds, producers on every CPU queue tasks on tq_timer,
 * tq_immediate (marking the IMMEDIATE bottom half), tq_scheduler and queues
 * of their own, from process context (one kthread per CPU), from softirq
 * context (a timer_list per CPU) and from hard IRQ context (an irq_work per
 * CPU, IRQ_WORK_INIT_HARD so that it stays in hard IRQ on PREEMPT_RT). The
 * process-context producers also cancel tasks with cancel_task_sync(), flush
 * the queues tqueue runs and run the custom queues; @nr_custom_runners
 * kthreads run the custom queues too, and so do the other contexts now and
 * then. Some tasks requeue themselves from their routine; keventd tasks
 * sometimes sleep.
 *
 * Every task counts its successful queue_task() calls, its runs and its
 * successful cancels. At the end the producers stop, every task is
 * cancelled and the queues are flushed; then:
 *
 *   1. queued == runs + cancelled for every task: each queue_task() that
 *      returned 1 was matched by exactly one run or one cancel;
 *   2. no tq_timer or tq_immediate routine ran while another one did (on
 *      any CPU), and no two keventd routines overlapped;
 *   3. no routine started, or was still running, after cancel_task_sync()
 *      returned, unless its task had been queued again meanwhile;
 *   4. tq_timer, tq_immediate, tq_scheduler and the custom queues are empty;
 *   5. every routine ran in the context its queue promises;
 *   6. the API returned what it documents (flush_task_queue() results);
 *   7. every queue and every enabled context did some work.
 *
 * The result is printed as KTAP to the kernel log and can be read from
 * /sys/module/tq_torture/parameters/result ("running" until it is known).
 * The module may be removed at any moment: that stops the run early.
 */
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/timer.h>
#include <linux/tqueue.h>

#include "compat.h"

#define TT_NAME			"tq_torture"
#define TT_CTX_PROCESS		0x1
#define TT_CTX_SOFTIRQ		0x2
#define TT_CTX_HARDIRQ		0x4
#define TT_CTX_ALL		(TT_CTX_PROCESS | TT_CTX_SOFTIRQ | TT_CTX_HARDIRQ)
#define TT_NR_CUSTOM		4
#define TT_MAX_DURATION		3600
#define TT_MAX_TASKS		65536
#define TT_MAX_RUNNERS		64
#define TT_RESULT_SIZE		1024

static unsigned int duration = 60;
module_param(duration, uint, 0444);
MODULE_PARM_DESC(duration, "seconds to run (1 to 3600, default 60)");

static unsigned int nr_tasks = 256;
module_param(nr_tasks, uint, 0444);
MODULE_PARM_DESC(nr_tasks, "tasks to torture (4 to 65536, default 256)");

static unsigned int contexts = TT_CTX_ALL;
module_param(contexts, uint, 0444);
MODULE_PARM_DESC(contexts, "producer contexts: 1 process, 2 softirq, 4 hard IRQ (1 to 7, default 7)");

static unsigned int nr_custom_runners = 2;
module_param(nr_custom_runners, uint, 0444);
MODULE_PARM_DESC(nr_custom_runners, "kthreads that run the custom queues (0 to 64, default 2)");

static unsigned int inject;
module_param(inject, uint, 0444);
MODULE_PARM_DESC(inject, "checker self-test: 1 miscounts cancels (check 1 must fail), 2 runs a routine after its cancel (check 3 must fail); default 0");

enum tt_kind {
	TT_TIMER,
	TT_IMMED,
	TT_SCHED,
	TT_CUSTOM,
	TT_NR_KINDS,
};

static const char *const tt_kind_name[TT_NR_KINDS] = {
	"tq_timer", "tq_immediate", "tq_scheduler", "custom",
};

/* Where a task stands with respect to cancel_task_sync(); under tt_task.lock */
enum tt_cstate {
	TT_IDLE,
	TT_CANCELLING,	/* cancel_task_sync() in progress */
	TT_POST,	/* it returned and nothing queued the task since */
};

/**
 * struct tt_task - a tortured task and its counters
 * @tq: the task
 * @lock: orders successful queue_task() calls against @cstate
 * @cstate: enum tt_cstate
 * @raced: a queue_task() succeeded while @cstate was TT_CANCELLING
 * @kind: the queue the task always goes on (enum tt_kind)
 * @custom: for TT_CUSTOM, which custom queue
 * @requeue: the routine requeues the task now and then
 * @sleeps: a keventd task that sleeps now and then
 * @cancel_owner: bit 0 set while a producer cancels the task
 * @queued: queue_task() calls that returned 1
 * @runs: routine invocations
 * @cancelled: cancel_task_sync() calls that returned true
 * @running: routine invocations in progress
 */
struct tt_task {
	struct tq_struct tq;
	raw_spinlock_t lock;
	u8 cstate;
	bool raced;
	u8 kind;
	u8 custom;
	bool requeue;
	bool sleeps;
	unsigned long cancel_owner;
	atomic_long_t queued;
	atomic_long_t runs;
	atomic_long_t cancelled;
	atomic_t running;
};

/* Per-CPU producers. */
struct tt_cpu {
	int cpu;
	struct task_struct *thread;
	struct timer_list timer;
	struct irq_work iw;
	struct hrtimer kick;
	struct rnd_state rs_thread, rs_timer, rs_irq;
	bool timer_on;
	bool kick_on;
};

/* A custom-queue runner kthread. */
struct tt_runner {
	struct task_struct *thread;
	struct rnd_state rs;
};

static struct tt_task *tt_tasks;
static struct tt_cpu *tt_cpus;
static struct tt_runner *tt_runners;
static unsigned int tt_nr_runners;
static struct task_struct *tt_control;
static bool tt_stopping;	/* producers must stop queueing */

static DECLARE_TASK_QUEUE(tt_custom0);
static struct task_queue tt_custom_dyn[TT_NR_CUSTOM - 1];
static struct task_queue *tt_custom[TT_NR_CUSTOM];

/* Totals and violations. */
static atomic_long_t tt_requeued, tt_qzero, tt_self_overlap;
static atomic_long_t tt_concurrency, tt_late, tt_ctx_err, tt_api_err;
static atomic_long_t tt_kind_runs[TT_NR_KINDS];
static atomic_long_t tt_ctx_ops[3];	/* process, softirq, hard IRQ */
static atomic_long_t tt_cancels, tt_flushes, tt_custom_runs;
static atomic_t tt_serial_active;	/* tq_timer + tq_immediate routines */
static atomic_t tt_sched_active;	/* tq_scheduler routines */
static atomic_t tt_injected;		/* inject=2 has struck */

static DEFINE_MUTEX(tt_result_lock);
static char tt_result[TT_RESULT_SIZE] = "running";	/* no final newline */

static int tt_result_get(char *buf, const struct kernel_param *kp)
{
	int n;

	mutex_lock(&tt_result_lock);
	n = sysfs_emit(buf, "%s\n", tt_result);
	mutex_unlock(&tt_result_lock);
	return n;
}

static int tt_result_set(const char *val, const struct kernel_param *kp)
{
	pr_err(TT_NAME ": result is read-only\n");
	return -EPERM;
}

static const struct kernel_param_ops tt_result_ops = {
	.set = tt_result_set,
	.get = tt_result_get,
};

module_param_cb(result, &tt_result_ops, NULL, 0444);
MODULE_PARM_DESC(result, "the KTAP result, \"running\" until the run is over");

static u32 tt_rand(struct rnd_state *rs, u32 ceil)
{
	return (u32)(((u64)prandom_u32_state(rs) * ceil) >> 32);
}

static task_queue *tt_queue_of(const struct tt_task *t)
{
	switch (t->kind) {
	case TT_TIMER:
		return &tq_timer;
	case TT_IMMED:
		return &tq_immediate;
	case TT_SCHED:
		return &tq_scheduler;
	default:
		return tt_custom[t->custom];
	}
}

/*
 * Queue @t on its queue unless the run is stopping or a cancel has just
 * returned for it. Any context. Returns queue_task()'s value.
 */
static int tt_queue(struct tt_task *t, bool use_schedule_task)
{
	unsigned long flags;
	int ret;

	raw_spin_lock_irqsave(&t->lock, flags);
	if (READ_ONCE(tt_stopping) || t->cstate == TT_POST) {
		raw_spin_unlock_irqrestore(&t->lock, flags);
		return 0;
	}
	if (t->kind == TT_SCHED && use_schedule_task)
		ret = schedule_task(&t->tq);
	else
		ret = queue_task(&t->tq, tt_queue_of(t));
	if (ret) {
		atomic_long_inc(&t->queued);
		if (t->cstate == TT_CANCELLING)
			t->raced = true;
	} else {
		atomic_long_inc(&tt_qzero);
	}
	raw_spin_unlock_irqrestore(&t->lock, flags);

	if (t->kind == TT_IMMED)
		mark_bh(IMMEDIATE_BH);
	return ret;
}

/* A cheap hash for decisions inside routines, which have no random state. */
static u32 tt_hash(unsigned long x)
{
	return (u32)((x * 0x9E3779B97F4A7C15ULL) >> 40);
}

static void tt_routine(void *data)
{
	struct tt_task *t = data;
	long n = atomic_long_inc_return(&t->runs);
	atomic_t *group = NULL;

	atomic_long_inc(&tt_kind_runs[t->kind]);
	if (READ_ONCE(t->cstate) == TT_POST)
		atomic_long_inc(&tt_late);
	if (atomic_inc_return(&t->running) > 1)
		atomic_long_inc(&tt_self_overlap);

	switch (t->kind) {
	case TT_TIMER:
	case TT_IMMED:
		group = &tt_serial_active;
		if (!in_interrupt())
			atomic_long_inc(&tt_ctx_err);
		break;
	case TT_SCHED:
		group = &tt_sched_active;
		if (in_interrupt() || strncmp(current->comm, "keventd", 7))
			atomic_long_inc(&tt_ctx_err);
		break;
	default:
		break;
	}
	if (group && atomic_inc_return(group) > 1)
		atomic_long_inc(&tt_concurrency);

	/* Widen the windows a little. */
	if (t->kind == TT_SCHED && t->sleeps && !(tt_hash(n) & 7))
		usleep_range(50, 200);
	else if (!(tt_hash(n) & 15))
		udelay(2);

	if (group)
		atomic_dec(group);
	atomic_dec(&t->running);

	if (t->requeue && (tt_hash(n + (unsigned long)t) & 1) &&
	    tt_queue(t, false))
		atomic_long_inc(&tt_requeued);
}

static struct tt_task *tt_pick(struct rnd_state *rs)
{
	return &tt_tasks[tt_rand(rs, nr_tasks)];
}

static void tt_run_custom(struct rnd_state *rs)
{
	run_task_queue(tt_custom[tt_rand(rs, TT_NR_CUSTOM)]);
	atomic_long_inc(&tt_custom_runs);
}

/*
 * Cancel @t and check that its routine neither runs nor starts until the
 * task is queued again. Process context.
 */
static void tt_cancel(struct tt_task *t, struct rnd_state *rs)
{
	unsigned long flags;
	bool removed, raced;

	if (test_and_set_bit(0, &t->cancel_owner))
		return;	/* another producer cancels it */

	raw_spin_lock_irqsave(&t->lock, flags);
	WRITE_ONCE(t->cstate, TT_CANCELLING);
	t->raced = false;
	raw_spin_unlock_irqrestore(&t->lock, flags);

	removed = cancel_task_sync(&t->tq);
	if (removed)
		atomic_long_inc(&t->cancelled);
	atomic_long_inc(&tt_cancels);

	raw_spin_lock_irqsave(&t->lock, flags);
	raced = t->raced;
	WRITE_ONCE(t->cstate, raced ? TT_IDLE : TT_POST);
	raw_spin_unlock_irqrestore(&t->lock, flags);

	if (!raced) {
		/*
		 * Nothing queued the task since the cancel began, so it is on
		 * no queue and its routine does not run. Watch for a while:
		 * usually briefly, sometimes across a few ticks.
		 */
		if (atomic_read(&t->running))
			atomic_long_inc(&tt_late);
		/* What a broken cancel would allow, once, for inject=2. */
		if ((inject & 2) && t->kind == TT_CUSTOM &&
		    !atomic_xchg(&tt_injected, 1))
			tt_routine(t);
		if (!tt_rand(rs, 8))
			usleep_range(2000, 5000);
		else
			udelay(5);
		if (atomic_read(&t->running))
			atomic_long_inc(&tt_late);
		raw_spin_lock_irqsave(&t->lock, flags);
		WRITE_ONCE(t->cstate, TT_IDLE);
		raw_spin_unlock_irqrestore(&t->lock, flags);
	}
	clear_bit(0, &t->cancel_owner);
}

static void tt_flush(task_queue *q)
{
	if (flush_task_queue(q))
		atomic_long_inc(&tt_api_err);
	atomic_long_inc(&tt_flushes);
}

/* Operations that any context may do. */
static void tt_any_op(struct rnd_state *rs, bool may_run_custom)
{
	u32 op = tt_rand(rs, 16);

	if (op < 12)
		tt_queue(tt_pick(rs), op & 1);
	else if (op < 14 && may_run_custom)
		tt_run_custom(rs);
	else if (op < 15)
		mark_bh(IMMEDIATE_BH);
	else if (TQ_ACTIVE(tq_timer) && TQ_ACTIVE(tq_immediate))
		cpu_relax();	/* TQ_ACTIVE() from any context */
}

/* Process context: everything, including what may sleep. */
static void tt_process_op(struct tt_cpu *c, struct rnd_state *rs)
{
	u32 op = tt_rand(rs, 200);

	if (op < 150) {
		tt_any_op(rs, true);
	} else if (op < 180) {
		tt_cancel(tt_pick(rs), rs);
	} else if (op < 183) {
		tt_flush(&tq_timer);
	} else if (op < 186) {
		tt_flush(&tq_immediate);
	} else if (op < 189) {
		flush_scheduled_tasks();
		atomic_long_inc(&tt_flushes);
	} else if (op < 191) {
		tt_flush(&tq_scheduler);
	} else if (op < 193) {
		/* Queues that tqueue does not run cannot be flushed. */
		if (flush_task_queue(tt_custom[tt_rand(rs, TT_NR_CUSTOM)]) !=
		    -EINVAL || flush_task_queue(&tq_disk) != -EINVAL)
			atomic_long_inc(&tt_api_err);
	} else if (op < 195) {
		/* 2.4 drivers ran tq_immediate from process context too. */
		run_task_queue(&tq_immediate);
	} else if (op < 196) {
		run_task_queue(&tq_timer);
	} else if (c && (contexts & TT_CTX_HARDIRQ)) {
		irq_work_queue(&c->iw);
	}
}

static int tt_producer_thread(void *arg)
{
	struct tt_cpu *c = arg;
	unsigned long n = 0;

	while (!kthread_should_stop()) {
		tt_process_op(c, &c->rs_thread);
		atomic_long_inc(&tt_ctx_ops[0]);
		if (!(++n & 31))
			usleep_range(100, 300);	/* leave the CPU to others */
		else
			cond_resched();
	}
	return 0;
}

static int tt_runner_thread(void *arg)
{
	struct tt_runner *r = arg;

	while (!kthread_should_stop()) {
		tt_run_custom(&r->rs);
		if (!tt_rand(&r->rs, 8))
			usleep_range(50, 200);
		else
			cond_resched();
	}
	return 0;
}

static void tt_timer_fn(struct timer_list *tl)
{
	struct tt_cpu *c = tqc_timer_container_of(c, tl, timer);
	int i;

	for (i = 0; i < 4; i++) {
		tt_any_op(&c->rs_timer, true);
		atomic_long_inc(&tt_ctx_ops[1]);
	}
	if ((contexts & TT_CTX_HARDIRQ) && !tt_rand(&c->rs_timer, 4))
		irq_work_queue(&c->iw);
	if (!READ_ONCE(tt_stopping))
		mod_timer(&c->timer, jiffies + 1);
}

static void tt_irq_fn(struct irq_work *iw)
{
	struct tt_cpu *c = container_of(iw, struct tt_cpu, iw);
	int i;

	/* Custom queues run here rarely: their routines run in hard IRQ. */
	for (i = 0; i < 4; i++) {
		tt_any_op(&c->rs_irq, !tt_rand(&c->rs_irq, 8));
		atomic_long_inc(&tt_ctx_ops[2]);
	}
}

/* A hard-mode hrtimer raises the irq_work every half millisecond. */
static enum hrtimer_restart tt_kick_fn(struct hrtimer *hr)
{
	struct tt_cpu *c = container_of(hr, struct tt_cpu, kick);

	irq_work_queue(&c->iw);
	if (READ_ONCE(tt_stopping))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(hr, ns_to_ktime(500 * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

/* Runs on the CPU the hrtimer is pinned to. */
static void tt_kick_start(void *arg)
{
	struct tt_cpu *c = arg;

	hrtimer_start(&c->kick, ns_to_ktime(500 * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_PINNED_HARD);
}

static void tt_init_tasks(struct rnd_state *rs)
{
	unsigned int i;

	for (i = 0; i < nr_tasks; i++) {
		struct tt_task *t = &tt_tasks[i];

		INIT_TQUEUE(&t->tq, tt_routine, t);
		raw_spin_lock_init(&t->lock);
		t->kind = i % TT_NR_KINDS;
		t->custom = (i / TT_NR_KINDS) % TT_NR_CUSTOM;
		t->requeue = !tt_rand(rs, 4);
		t->sleeps = t->kind == TT_SCHED && !tt_rand(rs, 4);
		atomic_long_set(&t->queued, 0);
		atomic_long_set(&t->runs, 0);
		atomic_long_set(&t->cancelled, 0);
		atomic_set(&t->running, 0);
	}
}

static int tt_start(void)
{
	unsigned int i;
	int cpu;

	for_each_online_cpu(cpu) {
		struct tt_cpu *c = &tt_cpus[cpu];

		c->cpu = cpu;
		prandom_seed_state(&c->rs_thread, get_random_u64());
		prandom_seed_state(&c->rs_timer, get_random_u64());
		prandom_seed_state(&c->rs_irq, get_random_u64());
		c->iw = IRQ_WORK_INIT_HARD(tt_irq_fn);
		tqc_hrtimer_setup(&c->kick, tt_kick_fn, CLOCK_MONOTONIC,
				  HRTIMER_MODE_REL_PINNED_HARD);
		if (contexts & TT_CTX_HARDIRQ) {
			c->kick_on = true;
			smp_call_function_single(cpu, tt_kick_start, c, 1);
		}
		timer_setup(&c->timer, tt_timer_fn, TIMER_PINNED);
		if (contexts & TT_CTX_SOFTIRQ) {
			c->timer_on = true;
			c->timer.expires = jiffies + 1;
			add_timer_on(&c->timer, cpu);
		}
		if (contexts & TT_CTX_PROCESS) {
			c->thread = kthread_create_on_cpu(tt_producer_thread, c,
							  cpu, "tq_torture/%u");
			if (IS_ERR(c->thread)) {
				int err = PTR_ERR(c->thread);

				c->thread = NULL;
				return err;
			}
			wake_up_process(c->thread);
		}
	}
	for (i = 0; i < nr_custom_runners; i++) {
		struct tt_runner *r = &tt_runners[i];

		prandom_seed_state(&r->rs, get_random_u64());
		r->thread = kthread_run(tt_runner_thread, r, "tq_torture_run%u",
					i);
		if (IS_ERR(r->thread)) {
			r->thread = NULL;
			return -ENOMEM;
		}
		tt_nr_runners = i + 1;
	}
	return 0;
}

/* Stop every producer and runner; nothing but routines queue tasks after. */
static void tt_stop(void)
{
	unsigned int i;
	int cpu;

	WRITE_ONCE(tt_stopping, true);
	for (i = 0; i < tt_nr_runners; i++)
		kthread_stop(tt_runners[i].thread);
	for_each_online_cpu(cpu) {
		struct tt_cpu *c = &tt_cpus[cpu];

		if (c->thread)
			kthread_stop(c->thread);
		if (c->timer_on)
			timer_delete_sync(&c->timer);
		if (c->kick_on)
			hrtimer_cancel(&c->kick);
	}
	for_each_online_cpu(cpu)
		irq_work_sync(&tt_cpus[cpu].iw);
}

static void tt_report(void)
{
	long queued = 0, runs = 0, cancelled = 0, mismatches = 0;
	bool active = false, coverage = true;
	unsigned int i, k;
	size_t len = 0;
	char *buf;

	for (i = 0; i < nr_tasks; i++) {
		struct tt_task *t = &tt_tasks[i];
		long q = atomic_long_read(&t->queued);
		long r = atomic_long_read(&t->runs);
		long c = atomic_long_read(&t->cancelled);

		if ((inject & 1) && c)
			c--;
		if (q != r + c || atomic_read(&t->running)) {
			if (!mismatches)
				pr_err(TT_NAME ": task %u (%s): queued=%ld run=%ld cancelled=%ld\n",
				       i, tt_kind_name[t->kind], q, r, c);
			mismatches++;
		}
		queued += q;
		runs += r;
		cancelled += c;
	}

	active = TQ_ACTIVE(tq_timer) || TQ_ACTIVE(tq_immediate) ||
		 TQ_ACTIVE(tq_scheduler);
	for (k = 0; k < TT_NR_CUSTOM; k++)
		active |= TQ_ACTIVE(*tt_custom[k]);

	for (k = 0; k < TT_NR_KINDS; k++)
		if (!atomic_long_read(&tt_kind_runs[k]))
			coverage = false;
	for (k = 0; k < 3; k++)
		if ((contexts & BIT(k)) && !atomic_long_read(&tt_ctx_ops[k]))
			coverage = false;

	buf = kmalloc(TT_RESULT_SIZE, GFP_KERNEL);
	if (!buf)
		return;

#define TT_OUT(fmt, ...) \
	(len += scnprintf(buf + len, TT_RESULT_SIZE - len, fmt, ##__VA_ARGS__))
#define TT_CHECK(n, ok, what) TT_OUT("%sok %d %s\n", (ok) ? "" : "not ", n, what)

	TT_OUT("KTAP version 1\n1..7\n");
	TT_OUT("# tq_torture: queued=%ld run=%ld cancelled=%ld requeued=%ld",
	       queued, runs, cancelled, atomic_long_read(&tt_requeued));
	TT_OUT(" mismatches=%ld concurrency=%ld late_runs=%ld\n", mismatches,
	       atomic_long_read(&tt_concurrency), atomic_long_read(&tt_late));
	TT_OUT("# tq_torture: runs timer=%ld immediate=%ld scheduler=%ld custom=%ld;",
	       atomic_long_read(&tt_kind_runs[TT_TIMER]),
	       atomic_long_read(&tt_kind_runs[TT_IMMED]),
	       atomic_long_read(&tt_kind_runs[TT_SCHED]),
	       atomic_long_read(&tt_kind_runs[TT_CUSTOM]));
	TT_OUT(" ops process=%ld softirq=%ld hardirq=%ld\n",
	       atomic_long_read(&tt_ctx_ops[0]),
	       atomic_long_read(&tt_ctx_ops[1]),
	       atomic_long_read(&tt_ctx_ops[2]));
	TT_OUT("# tq_torture: cancels=%ld flushes=%ld custom_runs=%ld queue_task_0=%ld",
	       atomic_long_read(&tt_cancels), atomic_long_read(&tt_flushes),
	       atomic_long_read(&tt_custom_runs), atomic_long_read(&tt_qzero));
	TT_OUT(" self_overlap=%ld context_errors=%ld api_errors=%ld\n",
	       atomic_long_read(&tt_self_overlap),
	       atomic_long_read(&tt_ctx_err), atomic_long_read(&tt_api_err));
	TT_CHECK(1, !mismatches,
		 "every queue_task()==1 matched by one run or one cancel");
	TT_CHECK(2, !atomic_long_read(&tt_concurrency),
		 "no forbidden concurrency");
	TT_CHECK(3, !atomic_long_read(&tt_late),
		 "no run after cancel_task_sync() returned");
	TT_CHECK(4, !active, "all queues empty after the final flush");
	TT_CHECK(5, !atomic_long_read(&tt_ctx_err),
		 "every routine ran in its queue's context");
	TT_CHECK(6, !atomic_long_read(&tt_api_err),
		 "flush_task_queue() returned what it documents");
	TT_CHECK(7, coverage, "every queue and every enabled context did work");
#undef TT_CHECK
#undef TT_OUT

	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	mutex_lock(&tt_result_lock);
	strscpy(tt_result, buf, sizeof(tt_result));
	mutex_unlock(&tt_result_lock);
	{
		char *p = buf, *line;

		while ((line = strsep(&p, "\n")))
			pr_info("%s\n", line);
	}
	kfree(buf);
}

/* Stop, cancel every task, flush every queue, check and report. */
static void tt_finish(void)
{
	unsigned int i, k;

	tt_stop();
	for (i = 0; i < nr_tasks; i++)
		if (cancel_task_sync(&tt_tasks[i].tq))
			atomic_long_inc(&tt_tasks[i].cancelled);
	if (flush_task_queue(&tq_timer) || flush_task_queue(&tq_immediate))
		atomic_long_inc(&tt_api_err);
	flush_scheduled_tasks();
	for (k = 0; k < TT_NR_CUSTOM; k++)
		run_task_queue(tt_custom[k]);
	tt_report();
}

static int tt_control_thread(void *arg)
{
	unsigned long end = jiffies + duration * HZ;
	int err;

	err = tt_start();
	if (err)
		pr_err(TT_NAME ": cannot start the producers: %d\n", err);

	while (!err && !kthread_should_stop() && time_before(jiffies, end))
		schedule_timeout_interruptible(HZ / 10);
	tt_finish();

	/* kthread_stop() from the module exit reaps us. */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

static int __init tt_check_param(const char *name, unsigned int val,
				 unsigned int lo, unsigned int hi)
{
	if (val >= lo && val <= hi)
		return 0;
	pr_err(TT_NAME ": invalid %s=%u: must be between %u and %u\n",
	       name, val, lo, hi);
	return -EINVAL;
}

static int __init tt_init(void)
{
	struct rnd_state rs;
	unsigned int k;
	int ret;

	ret = tt_check_param("duration", duration, 1, TT_MAX_DURATION);
	if (!ret)
		ret = tt_check_param("nr_tasks", nr_tasks, 4, TT_MAX_TASKS);
	if (!ret)
		ret = tt_check_param("contexts", contexts, 1, TT_CTX_ALL);
	if (!ret)
		ret = tt_check_param("nr_custom_runners", nr_custom_runners, 0,
				     TT_MAX_RUNNERS);
	if (!ret)
		ret = tt_check_param("inject", inject, 0, 3);
	if (ret)
		return ret;

	tt_custom[0] = &tt_custom0;
	for (k = 1; k < TT_NR_CUSTOM; k++) {
		INIT_TASK_QUEUE(&tt_custom_dyn[k - 1]);
		tt_custom[k] = &tt_custom_dyn[k - 1];
	}

	tt_tasks = kcalloc(nr_tasks, sizeof(*tt_tasks), GFP_KERNEL);
	tt_cpus = kcalloc(nr_cpu_ids, sizeof(*tt_cpus), GFP_KERNEL);
	tt_runners = kcalloc(max(nr_custom_runners, 1U), sizeof(*tt_runners),
			     GFP_KERNEL);
	if (!tt_tasks || !tt_cpus || !tt_runners) {
		ret = -ENOMEM;
		goto err_free;
	}
	prandom_seed_state(&rs, get_random_u64());
	tt_init_tasks(&rs);

	/* The producers use the CPUs online now; no CPU hotplug meanwhile. */
	tt_control = kthread_run(tt_control_thread, NULL, "tq_torture");
	if (IS_ERR(tt_control)) {
		ret = PTR_ERR(tt_control);
		goto err_free;
	}
	pr_info(TT_NAME ": duration=%us nr_tasks=%u contexts=%#x nr_custom_runners=%u cpus=%u\n",
		duration, nr_tasks, contexts, nr_custom_runners,
		num_online_cpus());
	return 0;

err_free:
	kfree(tt_runners);
	kfree(tt_cpus);
	kfree(tt_tasks);
	return ret;
}

static void __exit tt_exit(void)
{
	/* Ends a run in progress early; it still cancels and reports. */
	kthread_stop(tt_control);
	kfree(tt_runners);
	kfree(tt_cpus);
	kfree(tt_tasks);
}

module_init(tt_init);
module_exit(tt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Stress test of tqueue: producers in every context, cancels, flushes, counters");
