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
 * sometimes sleep. Migrating tasks, run from a custom queue, queue
 * themselves on tq_timer, tq_immediate or tq_scheduler while their routine
 * goes on (asleep, in a runner kthread), and from there move on to another
 * of these or come back to their custom queue.
 *
 * With process context enabled, more kthreads run these modes beside them:
 *
 *   - cancel storms: on every CPU a SCHED_FIFO and a normal kthread cancel
 *     the same few tasks at the same time, so that one canceller sleeps
 *     behind another, which may be preempted by it;
 *   - allocated queues: kzalloc()ed and INIT_TASK_QUEUE()d, their tasks
 *     queued, cancelled by a partner kthread meanwhile, the queue run and
 *     freed, by its owner or by the routine of its last task; the tasks,
 *     which outlive it, are cancelled again afterwards;
 *   - self-freeing tasks: kmalloc()ed tasks that their routine kfree()s,
 *     and tasks of the same size, often at the same address, with another
 *     routine, that their owner cancels and frees;
 *   - nested runs: a tq_immediate routine runs tq_immediate itself while a
 *     flush_task_queue(&tq_immediate) waits;
 *   - a held producer: it sleeps right after a successful queue_task() on
 *     tq_timer until a task that another producer queued there after it has
 *     run (see "The held producer" below).
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
 *   4. tq_timer, tq_immediate, tq_scheduler and the custom queues are empty
 *      (the modes' queues too);
 *   5. every routine ran in the context its queue promises;
 *   6. the API returned what it documents (flush_task_queue() results);
 *   7. every queue and every enabled context did some work;
 *   8. checks 1 and 3 hold for the migrating tasks, which count into them;
 *   9. no cancel of a storm returned while the task's routine ran, unless
 *      the task was queued again after that cancel began, and every cancel
 *      returned;
 *  10. every task queued on an allocated queue ran or was cancelled before
 *      the queue was freed, and the queue was empty when freed;
 *  11. as many self-freeing tasks freed as allocated, each queue_task()
 *      that returned 1 matched by one run or one cancel, and no routine of
 *      a kept task running when its cancel returned;
 *  12. every task queued on tq_immediate before a flush had run when the
 *      flush returned, nested runs or not;
 *  13. tq_timer tasks queued after the held producer's ran while it was
 *      still held;
 *  14. tqueue's statistics balance for every queue that has them (tqueue's
 *      own and the custom queues, which register): queued == run +
 *      cancelled + dropped + pending.
 *
 * Checks 8 to 13 also fail if their mode did no work. inject= makes each
 * check that it names fail on purpose, to show that the checker can fail.
 *
 * The result is printed as KTAP to the kernel log and can be read from
 * /sys/module/tq_torture/parameters/result ("running" until it is known).
 * The module may be removed at any moment: that stops the run early.
 */
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/bottom_half.h>
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
#include <linux/wait.h>

#include "compat.h"
#include "internal.h"

#define TT_NAME			"tq_torture"
#define TT_CTX_PROCESS		0x1
#define TT_CTX_SOFTIRQ		0x2
#define TT_CTX_HARDIRQ		0x4
#define TT_CTX_ALL		(TT_CTX_PROCESS | TT_CTX_SOFTIRQ | TT_CTX_HARDIRQ)
#define TT_NR_CUSTOM		4
#define TT_MAX_DURATION		3600
#define TT_INJECT_WAIT		20	/* s past duration for inject= to strike */
#define TT_MAX_TASKS		65536
#define TT_MAX_RUNNERS		64
#define TT_RESULT_SIZE		3072

/* The tasks of the modes, after the nr_tasks ordinary ones. */
#define TT_NR_STORM		5
#define TT_NR_DYNQ		16
#define TT_NR_NEST		6
#define TT_NR_NESTERS		2	/* the first nest tasks run tq_immediate */
#define TT_NR_EXTRA		(TT_NR_STORM + TT_NR_DYNQ + TT_NR_NEST + 2)
#define TT_NR_KEPT		8	/* slots for the owner-freed tasks */

/* inject= bits, one per check that it makes fail */
#define TT_INJ_COUNT		0x01	/* check 1: miscounts cancels */
#define TT_INJ_LATE		0x02	/* check 3: a run after a cancel */
#define TT_INJ_MIGRATE		0x04	/* check 8: the same, migrating task */
#define TT_INJ_STORM		0x08	/* check 9: a routine running at return */
#define TT_INJ_DYNQ		0x10	/* check 10: a task left on a freed queue */
#define TT_INJ_FREE		0x20	/* check 11: a task lost, never freed */
#define TT_INJ_NEST		0x40	/* check 12: a task no flush can run */
#define TT_INJ_HOLD		0x80	/* check 13: a witness tq_timer never runs */
#define TT_INJ_STATS		0x100	/* check 14: miscounts tq_timer's runs */
#define TT_INJ_ALL		0x1ff
/* The bits that strike in tt_report(), not in a mode. */
#define TT_INJ_REPORT		(TT_INJ_COUNT | TT_INJ_STATS)

static unsigned int duration = 60;
module_param(duration, uint, 0444);
MODULE_PARM_DESC(duration, "seconds to run (1 to 3600, default 60)");

static unsigned int nr_tasks = 256;
module_param(nr_tasks, uint, 0444);
MODULE_PARM_DESC(nr_tasks, "tasks to torture (5 to 65536, default 256)");

static unsigned int contexts = TT_CTX_ALL;
module_param(contexts, uint, 0444);
MODULE_PARM_DESC(contexts, "producer contexts: 1 process, 2 softirq, 4 hard IRQ (1 to 7, default 7)");

static unsigned int nr_custom_runners = 2;
module_param(nr_custom_runners, uint, 0444);
MODULE_PARM_DESC(nr_custom_runners, "kthreads that run the custom queues (0 to 64, default 2)");

static unsigned int inject;
module_param(inject, uint, 0444);
MODULE_PARM_DESC(inject, "checker self-test, a sum of: 1 miscounts cancels (check 1 fails), 2 runs a routine after its cancel (3), 4 the same for a migrating task (8), 8 fakes a routine running when a storm cancel returns (9), 16 leaves a task on an allocated queue (10), 32 loses a self-freeing task (11), 64 hides a task from a flush (12), 128 queues a hold's witness where nothing runs it (13), 256 miscounts tq_timer's statistics (14); default 0");

enum tt_kind {
	TT_TIMER,
	TT_IMMED,
	TT_SCHED,
	TT_CUSTOM,
	TT_MIGRATE,	/* from its custom queue to tqueue's and back */
	TT_NR_KINDS,
};

static const char *const tt_kind_name[TT_NR_KINDS] = {
	"tq_timer", "tq_immediate", "tq_scheduler", "custom", "migrating",
};

/* What drives a task: the producers, or one of the modes. */
enum tt_mode {
	TT_M_PLAIN,
	TT_M_STORM,
	TT_M_DYNQ,
	TT_M_NEST,
	TT_M_WITNESS,
	TT_M_HOLD,
};

/* Where a task stands with respect to cancel_task_sync(); under tt_task.lock */
enum tt_cstate {
	TT_IDLE,
	TT_CANCELLING,	/* cancel_task_sync() in progress */
	TT_POST,	/* it returned and nothing queued the task since */
};

/* tt_queue_on() flags */
#define TT_Q_SCHED	0x1	/* schedule_task() for tq_scheduler */
#define TT_Q_NOMARK	0x2	/* no mark_bh() after queueing on tq_immediate */

/**
 * struct tt_task - a tortured task and its counters
 * @tq: the task
 * @lock: orders successful queue_task() calls against @cstate and @qgen
 * @cstate: enum tt_cstate
 * @raced: a queue_task() succeeded while @cstate was TT_CANCELLING
 * @kind: the queue the task goes on (enum tt_kind)
 * @mode: what drives it (enum tt_mode)
 * @custom: for TT_CUSTOM and TT_MIGRATE, which custom queue
 * @requeue: the routine requeues the task now and then
 * @sleeps: a keventd task that sleeps now and then
 * @qgen: successful queue_task() calls, under @lock: storm cancels compare it
 * @at: the queue of the last successful queue_task()
 * @epoch: for the witness, the hold it was queued during
 * @cancel_owner: bit 0 set while a producer cancels the task
 * @queued: queue_task() calls that returned 1
 * @runs: routine invocations
 * @cancelled: cancel_task_sync() calls that returned true
 * @running: routine invocations in progress
 * @cancellers: storm cancels of the task in progress
 */
struct tt_task {
	struct tq_struct tq;
	raw_spinlock_t lock;
	u8 cstate;
	bool raced;
	u8 kind;
	u8 mode;
	u8 custom;
	bool requeue;
	bool sleeps;
	unsigned long qgen;
	task_queue *at;
	u32 epoch;
	unsigned long cancel_owner;
	atomic_long_t queued;
	atomic_long_t runs;
	atomic_long_t cancelled;
	atomic_t running;
	atomic_t cancellers;
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

/* A custom-queue runner kthread, or a kthread of one of the modes. */
struct tt_runner {
	struct task_struct *thread;
	struct rnd_state rs;
	bool fifo;
};

static struct tt_task *tt_tasks;	/* nr_tasks ordinary, then the modes' */
static unsigned int tt_nr_all;
static struct tt_task *tt_storm, *tt_dynq_tasks, *tt_nest;
static struct tt_task *tt_witness, *tt_hold_task;
static struct tt_cpu *tt_cpus;
static struct tt_runner *tt_runners;
static unsigned int tt_nr_runners;
static struct tt_runner *tt_mthreads;	/* the modes' kthreads */
static unsigned int tt_nr_mthreads;
static struct task_struct *tt_control;
static bool tt_stopping;	/* producers must stop queueing */

static DECLARE_TASK_QUEUE(tt_custom0);
static struct task_queue tt_custom_dyn[TT_NR_CUSTOM - 1];
static struct task_queue *tt_custom[TT_NR_CUSTOM];
static DECLARE_TASK_QUEUE(tt_freeq);	/* self-freeing tasks; process context */
static DECLARE_TASK_QUEUE(tt_inject_q);	/* nothing runs it: inject= only */

/* Totals and violations. */
static atomic_long_t tt_requeued, tt_qzero, tt_self_overlap;
static atomic_long_t tt_concurrency, tt_late, tt_ctx_err, tt_api_err;
static atomic_long_t tt_kind_runs[TT_NR_KINDS];
static atomic_long_t tt_ctx_ops[3];	/* process, softirq, hard IRQ */
static atomic_long_t tt_cancels, tt_flushes, tt_custom_runs;
static atomic_t tt_serial_active;	/* tq_timer + tq_immediate routines */
static atomic_t tt_sched_active;	/* tq_scheduler routines */
static unsigned long tt_injected;	/* inject= bits that have struck */

/* Mode 8: migrating tasks. */
static atomic_long_t tt_mig_moves, tt_mig_slept, tt_mig_cancels, tt_mig_late;

/* Mode 9: cancel storms. */
static atomic_t tt_storm_round;
static atomic_long_t tt_storm_started, tt_storm_fifo, tt_storm_normal;
static atomic_long_t tt_storm_contended, tt_storm_checked, tt_storm_busy;

/* Mode 10: allocated queues. */
static atomic_long_t tt_dynq_queues, tt_dynq_by_routine, tt_dynq_tasked;
static atomic_long_t tt_dynq_after, tt_dynq_err;

/* Mode 11: self-freeing tasks and the tasks kept by their owner. */
struct tt_ftask {
	struct tq_struct tq;
	atomic_t running;
	u8 where;	/* tt_ft_queue() */
};

static struct tt_ftask *tt_kept[TT_NR_KEPT];	/* the pool kthread's */
static struct tt_ftask *tt_ft_lost;		/* inject=32's */
static atomic_long_t tt_ft_alloc, tt_ft_freed, tt_ft_by_routine;
static atomic_long_t tt_ft_queued, tt_ft_runs, tt_ft_cancelled;
static atomic_long_t tt_ft_kept_cancels, tt_ft_late;

/* Mode 12: nested runs of tq_immediate under a flush. */
static bool tt_nest_flushing;		/* the nest kthread is in its flush */
static bool tt_nest_held;		/* a nester waits for that flush */
static bool tt_nest_kick;		/* for the kick kthread: run it */
static DECLARE_WAIT_QUEUE_HEAD(tt_nest_wq);
static bool tt_nest_kicker;		/* the kick kthread exists */
static int tt_nest_depth;		/* nested runs in progress (serialized) */
static atomic_long_t tt_nest_flushes, tt_nest_met, tt_nest_runs;
static atomic_long_t tt_nest_nested, tt_nest_checked, tt_nest_unrun;

/* Mode 13: the held producer; under tt_hold_lock. */
static DEFINE_RAW_SPINLOCK(tt_hold_lock);
static u32 tt_hold_epoch;	/* the hold in progress, 0 if none */
static u32 tt_hold_last;	/* the last epoch handed out */
static u32 tt_hold_witnessed;	/* the last epoch whose witness ran in it */
static u32 tt_wit_epoch;	/* the epoch the witness was queued during */
static unsigned long tt_wit_runs0;	/* tq_timer_runs() after that queue */
static atomic_long_t tt_holds, tt_hold_ok, tt_hold_open, tt_hold_bad;
static atomic_long_t tt_wit_done;	/* witness routines past their epoch */

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

/* Whether inject= asks for @bit and it has not struck yet; it strikes now. */
static bool tt_inject_now(unsigned int bit)
{
	return (inject & bit) && !test_and_set_bit(__ffs(bit), &tt_injected);
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
 * Queue @t on @q unless the run is stopping or a cancel has just returned
 * for it. Any context. Returns queue_task()'s value.
 */
static int tt_queue_on(struct tt_task *t, task_queue *q, unsigned int flags)
{
	unsigned long irqflags;
	int ret;

	raw_spin_lock_irqsave(&t->lock, irqflags);
	if (READ_ONCE(tt_stopping) || t->cstate == TT_POST) {
		raw_spin_unlock_irqrestore(&t->lock, irqflags);
		return 0;
	}
	if (q == &tq_scheduler && (flags & TT_Q_SCHED))
		ret = schedule_task(&t->tq);
	else
		ret = queue_task(&t->tq, q);
	if (ret) {
		atomic_long_inc(&t->queued);
		t->qgen++;
		WRITE_ONCE(t->at, q);
		if (t->cstate == TT_CANCELLING)
			t->raced = true;
	} else {
		atomic_long_inc(&tt_qzero);
	}
	raw_spin_unlock_irqrestore(&t->lock, irqflags);

	if (q == &tq_immediate && !(flags & TT_Q_NOMARK))
		mark_bh(IMMEDIATE_BH);
	return ret;
}

/* Queue @t on its own queue. */
static int tt_queue(struct tt_task *t, bool use_schedule_task)
{
	return tt_queue_on(t, tt_queue_of(t), use_schedule_task ? TT_Q_SCHED : 0);
}

/* A cheap hash for decisions inside routines, which have no random state. */
static u32 tt_hash(unsigned long x)
{
	return (u32)((x * 0x9E3779B97F4A7C15ULL) >> 40);
}

/* A routine of @t ran, or was running, after its cancel returned. */
static void tt_late_run(struct tt_task *t)
{
	atomic_long_inc(&tt_late);
	if (t->kind == TT_MIGRATE)
		atomic_long_inc(&tt_mig_late);
}

/*
 * Where a migrating task goes from @from: from its custom queue to one of
 * tqueue's queues, from there back to its custom queue or on to another of
 * tqueue's, so that it may be far from where an earlier instance still runs.
 */
static task_queue *tt_migrate_to(const struct tt_task *t, task_queue *from,
				 long n)
{
	static task_queue *const away[] = {
		&tq_timer, &tq_immediate, &tq_scheduler,
	};

	if ((from == &tq_timer || from == &tq_immediate ||
	     from == &tq_scheduler) && (tt_hash(n + 2) & 1))
		return tt_custom[t->custom];
	return away[tt_hash(n + 1) % ARRAY_SIZE(away)];
}

/* Whether we run in a custom-queue runner kthread's own context. */
static bool tt_in_runner(void)
{
	unsigned int i;

	if (!in_task())
		return false;
	/* Pairs with smp_store_release() in tt_start(). */
	for (i = 0; i < smp_load_acquire(&tt_nr_runners); i++)
		if (tt_runners[i].thread == current)
			return true;
	return false;
}

static void tt_witness_ran(struct tt_task *t);

static void tt_routine(void *data)
{
	struct tt_task *t = data;
	long n = atomic_long_inc_return(&t->runs);
	atomic_t *group = NULL;
	task_queue *from = NULL;

	if (t->mode == TT_M_PLAIN)
		atomic_long_inc(&tt_kind_runs[t->kind]);
	if (READ_ONCE(t->cstate) == TT_POST)
		tt_late_run(t);
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
	case TT_MIGRATE:
		/* Not checked: it may run from any queue, on two at once. */
		from = READ_ONCE(t->at);
		break;
	default:
		break;
	}
	if (group && atomic_inc_return(group) > 1)
		atomic_long_inc(&tt_concurrency);
	if (t->mode == TT_M_NEST && READ_ONCE(tt_nest_depth))
		atomic_long_inc(&tt_nest_nested);

	/*
	 * A migrating task moves to another queue and its routine goes on:
	 * its next instances may run elsewhere, and move on again, while this
	 * one still runs, and a cancel must wait for all of them. Runner
	 * kthreads run custom queues in process context, with no lock held:
	 * there it goes on long enough for that, asleep.
	 */
	if (t->kind == TT_MIGRATE && (tt_hash(n ^ (unsigned long)t) & 1) &&
	    tt_queue_on(t, tt_migrate_to(t, from, n), 0)) {
		atomic_long_inc(&tt_mig_moves);
		if (tt_in_runner()) {
			atomic_long_inc(&tt_mig_slept);
			usleep_range(200, 2000);
		} else {
			udelay(1 + (tt_hash(n) & 7));
		}
	}

	/* Widen the windows a little. */
	if (t->kind == TT_SCHED && t->sleeps && !(tt_hash(n) & 7))
		usleep_range(50, 200);
	else if (!(tt_hash(n) & 15))
		udelay(2);

	if (t->mode == TT_M_WITNESS)
		tt_witness_ran(t);	/* while @running still counts us */
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
	if (t->kind == TT_MIGRATE)
		atomic_long_inc(&tt_mig_cancels);

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
			tt_late_run(t);
		/* What a broken cancel would allow, once, for inject=2 and 4. */
		if ((t->kind == TT_CUSTOM && t->mode == TT_M_PLAIN &&
		     tt_inject_now(TT_INJ_LATE)) ||
		    (t->kind == TT_MIGRATE && tt_inject_now(TT_INJ_MIGRATE)))
			tt_routine(t);
		if (!tt_rand(rs, 8))
			usleep_range(2000, 5000);
		else
			udelay(5);
		if (atomic_read(&t->running))
			tt_late_run(t);
		raw_spin_lock_irqsave(&t->lock, flags);
		WRITE_ONCE(t->cstate, TT_IDLE);
		raw_spin_unlock_irqrestore(&t->lock, flags);
	}
	/* Our counts before the bit: allocated queues' owner reads them. */
	clear_bit_unlock(0, &t->cancel_owner);
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

/*
 * Cancel storms (check 9). The storm kthreads of all CPUs cancel the task
 * of the current round at once, so cancels of one task overlap: the later
 * ones sleep until the first returns, and on each CPU a SCHED_FIFO
 * canceller may preempt a normal one that is in the middle of a cancel.
 * Neither may return while the task's routine runs, unless the task was
 * queued again after that cancel began (@qgen moved: the same rule as
 * check 3), and both must return.
 */
static void tt_storm_cancel(struct tt_task *t, bool fifo)
{
	unsigned long flags, gen;
	bool removed, fake = false;

	raw_spin_lock_irqsave(&t->lock, flags);
	gen = t->qgen;
	raw_spin_unlock_irqrestore(&t->lock, flags);

	if (atomic_inc_return(&t->cancellers) > 1)
		atomic_long_inc(&tt_storm_contended);
	atomic_long_inc(&tt_storm_started);
	removed = cancel_task_sync(&t->tq);
	if (removed)
		atomic_long_inc(&t->cancelled);
	atomic_dec(&t->cancellers);
	atomic_long_inc(fifo ? &tt_storm_fifo : &tt_storm_normal);

	raw_spin_lock_irqsave(&t->lock, flags);
	if (t->qgen == gen) {
		atomic_long_inc(&tt_storm_checked);
		/* As if the cancel had not waited for a routine, inject=8. */
		if (tt_inject_now(TT_INJ_STORM)) {
			atomic_inc(&t->running);
			fake = true;
		}
		if (atomic_read(&t->running)) {
			if (!atomic_long_fetch_inc(&tt_storm_busy))
				pr_err(TT_NAME ": storm task %td: a cancel returned while its routine ran\n",
				       t - tt_storm);
		}
		if (fake)
			atomic_dec(&t->running);
	}
	raw_spin_unlock_irqrestore(&t->lock, flags);
}

static int tt_storm_thread(void *arg)
{
	struct tt_runner *m = arg;

	if (m->fifo)
		sched_set_fifo(current);
	while (!kthread_should_stop()) {
		int r = atomic_read(&tt_storm_round);
		struct tt_task *t = &tt_storm[(unsigned int)r % TT_NR_STORM];

		if (tt_rand(&m->rs, 2))
			tt_queue(t, tt_rand(&m->rs, 2));
		udelay(tt_rand(&m->rs, 20));
		tt_storm_cancel(t, m->fifo);
		atomic_cmpxchg(&tt_storm_round, r, r + 1);
		/* The SCHED_FIFO ones leave their CPU to the others for longer. */
		if (m->fifo)
			usleep_range(400, 1200);
		else
			usleep_range(50, 250);
	}
	return 0;
}

/*
 * Allocated queues (check 10). The owner kthread allocates a queue, queues
 * some of its tasks on it, runs it and frees it: itself, after the run, or
 * from the routine of a last task it queued behind the others (a routine
 * may free the queue it runs from if it is the run's last task). A
 * partner kthread cancels the same tasks all along, so cancels meet the
 * run and the free; the owner cancels some tasks again once their queue is
 * gone. The tasks go on no other queue and only the owner queues them, so
 * each one queued on a queue must show exactly one more run or cancel by
 * the time the queue is freed and every cancel of it has been counted.
 */
struct tt_dynq {
	struct task_queue q;
	struct tq_struct freer;	/* the last task of the run, if it frees */
};

struct tt_dynq_snap {
	struct tt_task *t;
	long runs, cancelled;
};

static void tt_dynq_free(void *data)
{
	struct tt_dynq *w = data;

	if (READ_ONCE(w->q.head))
		atomic_long_inc(&tt_dynq_err);	/* we are not its last task */
	kfree(w);	/* the queue we run from, and our own task */
	atomic_long_inc(&tt_dynq_by_routine);
}

/* Cancel every allocated-queue task: a queue to be freed is not empty. */
static void tt_dynq_drain(void)
{
	unsigned int i;

	for (i = 0; i < TT_NR_DYNQ; i++)
		if (cancel_task_sync(&tt_dynq_tasks[i].tq))
			atomic_long_inc(&tt_dynq_tasks[i].cancelled);
}

static void tt_dynq_cycle(struct rnd_state *rs)
{
	struct tt_dynq_snap s[TT_NR_DYNQ];
	/* inject=16 takes the first cycle it can: one freed by us, a task on it. */
	bool inj = (inject & TT_INJ_DYNQ) &&
		   !test_bit(__ffs(TT_INJ_DYNQ), &tt_injected);
	bool by_routine = !inj && tt_rand(rs, 2);
	unsigned int i, n = 0;
	struct tt_dynq *w;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return;
	INIT_TASK_QUEUE(&w->q);
	atomic_long_inc(&tt_dynq_queues);

	for (i = 0; i < TT_NR_DYNQ; i++) {
		struct tt_task *t = &tt_dynq_tasks[i];
		long runs, cancelled;

		if (tt_rand(rs, 2) && !(inj && !n))
			continue;
		/* The previous queue's counts are all in (see below). */
		runs = atomic_long_read(&t->runs);
		cancelled = atomic_long_read(&t->cancelled);
		if (!tt_queue_on(t, &w->q, 0))
			continue;	/* a cancel holds it */
		s[n].t = t;
		s[n].runs = runs;
		s[n].cancelled = cancelled;
		n++;
	}
	if (n && !tt_rand(rs, 4))
		tt_cancel(s[tt_rand(rs, n)].t, rs);
	if (by_routine) {
		INIT_TQUEUE(&w->freer, tt_dynq_free, w);
		if (!queue_task(&w->freer, &w->q))
			atomic_long_inc(&tt_api_err);
	}
	run_task_queue(&w->q);	/* frees @w if by_routine */
	if (!by_routine) {
		/* What a run that skipped a task would leave, for inject=16. */
		if (n && inj && queue_task(&s[0].t->tq, &w->q)) {
			set_bit(__ffs(TT_INJ_DYNQ), &tt_injected);
			atomic_long_inc(&s[0].t->queued);
		}
		if (TQ_ACTIVE(w->q)) {
			if (!atomic_long_fetch_inc(&tt_dynq_err))
				pr_err(TT_NAME ": an allocated queue still held a task after its run\n");
			tt_dynq_drain();
		}
		kfree(w);
	}

	for (i = 0; i < n; i++) {
		struct tt_task *t = s[i].t;
		long d;

		/* A partner's cancel counts before it lets go of the task. */
		while (tqc_test_bit_acquire(0, &t->cancel_owner))
			usleep_range(20, 50);
		d = atomic_long_read(&t->runs) - s[i].runs +
		    atomic_long_read(&t->cancelled) - s[i].cancelled;
		if (d != 1 && !atomic_long_fetch_inc(&tt_dynq_err))
			pr_err(TT_NAME ": allocated-queue task %td: %ld runs + cancels for one queue_task()\n",
			       t - tt_dynq_tasks, d);
	}
	atomic_long_add(n, &tt_dynq_tasked);

	/* The tasks outlive their queue: cancel some of them now. */
	for (i = 0; i < n; i++) {
		if (tt_rand(rs, 4))
			continue;
		tt_cancel(s[i].t, rs);
		atomic_long_inc(&tt_dynq_after);
	}
}

static int tt_dynq_thread(void *arg)
{
	struct tt_runner *m = arg;

	while (!kthread_should_stop()) {
		tt_dynq_cycle(&m->rs);
		usleep_range(100, 400);
	}
	return 0;
}

static int tt_dynq_cancel_thread(void *arg)
{
	struct tt_runner *m = arg;

	while (!kthread_should_stop()) {
		tt_cancel(&tt_dynq_tasks[tt_rand(&m->rs, TT_NR_DYNQ)], &m->rs);
		usleep_range(20, 100);
	}
	return 0;
}

/*
 * Self-freeing tasks (check 11). A pool kthread kmalloc()s tasks and queues
 * them: most are freed by their own routine, the others it keeps, with
 * another routine that may requeue itself, and later cancels and frees
 * itself. Kept tasks often land where a self-freeing task was, while its
 * routine may still be returning: cancel matches the routine too, so it
 * does not wait for that stranger. No self-freeing task is ever cancelled:
 * it may be gone by then.
 */
static task_queue *tt_ft_queue(u8 where)
{
	switch (where) {
	case 0:
		return &tq_timer;
	case 1:
		return &tq_immediate;
	case 2:
		return &tq_scheduler;
	default:
		return &tt_freeq;	/* run in process context only: kfree() */
	}
}

static void tt_ft_self_fn(void *data)
{
	struct tt_ftask *f = data;

	atomic_long_inc(&tt_ft_runs);
	if (!(tt_hash((unsigned long)f) & 3))
		udelay(2);
	atomic_long_inc(&tt_ft_by_routine);
	atomic_long_inc(&tt_ft_freed);
	kfree(f);
}

static void tt_ft_kept_fn(void *data)
{
	struct tt_ftask *f = data;
	long n = atomic_long_inc_return(&tt_ft_runs);

	atomic_inc(&f->running);
	if (!(tt_hash(n) & 7))
		udelay(2);
	atomic_dec(&f->running);
	if (!READ_ONCE(tt_stopping) && (tt_hash(n ^ (unsigned long)f) & 1) &&
	    queue_task(&f->tq, tt_ft_queue(f->where))) {
		atomic_long_inc(&tt_ft_queued);
		if (f->where == 1)
			mark_bh(IMMEDIATE_BH);
	}
}

/* Cancel a kept task and free it. Process context. */
static void tt_ft_release(struct tt_ftask *f)
{
	if (cancel_task_sync(&f->tq))
		atomic_long_inc(&tt_ft_cancelled);
	atomic_long_inc(&tt_ft_kept_cancels);
	/* Only its own routine requeues it, and cancel waited for that. */
	if (atomic_read(&f->running))
		atomic_long_inc(&tt_ft_late);
	kfree(f);
	atomic_long_inc(&tt_ft_freed);
}

static void tt_ft_step(struct rnd_state *rs)
{
	unsigned int slot = tt_rand(rs, TT_NR_KEPT);
	struct tt_ftask *f = tt_kept[slot];
	bool keep;
	u8 where;

	if (f) {
		tt_kept[slot] = NULL;
		tt_ft_release(f);
		return;
	}
	f = kmalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return;
	atomic_long_inc(&tt_ft_alloc);
	keep = !tt_rand(rs, 3);
	INIT_TQUEUE(&f->tq, keep ? tt_ft_kept_fn : tt_ft_self_fn, f);
	atomic_set(&f->running, 0);
	where = tt_rand(rs, 4);
	f->where = where;
	atomic_long_inc(&tt_ft_queued);
	if (!keep && tt_inject_now(TT_INJ_FREE)) {
		tt_ft_lost = f;	/* as if a run had lost it; freed at the end */
		return;
	}
	/* A self-freeing @f may be gone as soon as this returns. */
	if (!queue_task(&f->tq, tt_ft_queue(where)))
		atomic_long_inc(&tt_api_err);	/* a new task is not pending */
	if (where == 1)
		mark_bh(IMMEDIATE_BH);
	if (keep)
		tt_kept[slot] = f;
}

static int tt_ft_thread(void *arg)
{
	struct tt_runner *m = arg;
	unsigned long n = 0;

	while (!kthread_should_stop()) {
		tt_ft_step(&m->rs);
		if (!(++n & 3))
			run_task_queue(&tt_freeq);
		usleep_range(20, 100);
	}
	return 0;
}

/* After the pool kthread stopped: free the kept tasks. */
static void tt_ft_finish(void)
{
	unsigned int i;

	for (i = 0; i < TT_NR_KEPT; i++) {
		if (tt_kept[i])
			tt_ft_release(tt_kept[i]);
		tt_kept[i] = NULL;
	}
}

/*
 * Nested runs under a flush (check 12). The nest kthread queues a few
 * tasks on tq_immediate, nesters first, whose routine runs tq_immediate
 * itself, and has the kick kthread, on another CPU, mark the IMMEDIATE
 * bottom half and run it. Once a nester holds that run, the nest kthread
 * calls flush_task_queue(), which queues its barrier behind the tasks the
 * run has yet to take, and the nester runs tq_immediate nested, where the
 * barrier is. Every task queued before the flush must have run when it
 * returns. Only this kthread queues these tasks and an earlier flush ran
 * them, so a task ran iff its run count moved.
 *
 * (An IPI would mark the bottom half on the other CPU more simply, but on
 * PREEMPT_RT a softirq raised from an SMP function call warns.)
 */
static void tt_nest_routine(void *data)
{
	struct tt_task *t = data;
	int i;

	atomic_long_inc(&t->runs);
	if (!in_interrupt())
		atomic_long_inc(&tt_ctx_err);
	atomic_inc(&t->running);
	WRITE_ONCE(tt_nest_held, true);
	for (i = 0; i < 250 && !READ_ONCE(tt_nest_flushing); i++)
		udelay(2);
	udelay(8);	/* for the flush to queue its barrier */
	WRITE_ONCE(tt_nest_held, false);
	/* tq_immediate routines are serialized: one writer at a time. */
	WRITE_ONCE(tt_nest_depth, tt_nest_depth + 1);
	run_task_queue(&tq_immediate);
	WRITE_ONCE(tt_nest_depth, tt_nest_depth - 1);
	atomic_long_inc(&tt_nest_runs);
	atomic_dec(&t->running);
}

/* On the CPU after the nest kthread's: run tq_immediate when asked. */
static int tt_nest_kick_thread(void *arg)
{
	for (;;) {
		wait_event_interruptible(tt_nest_wq, READ_ONCE(tt_nest_kick) ||
					 kthread_should_stop());
		if (kthread_should_stop())
			break;
		WRITE_ONCE(tt_nest_kick, false);
		local_bh_disable();
		mark_bh(IMMEDIATE_BH);
		local_bh_enable();	/* runs it here and now */
	}
	return 0;
}

static void tt_nest_cycle(struct rnd_state *rs)
{
	struct {
		struct tt_task *t;
		long runs;
	} s[TT_NR_NEST];
	unsigned int i, n = 0;

	for (i = 0; i < TT_NR_NEST; i++) {
		struct tt_task *t = &tt_nest[i];
		task_queue *q = &tq_immediate;
		bool hide = false;
		long runs;

		if (i >= TT_NR_NESTERS && !tt_rand(rs, 4))
			continue;
		/* A task that no flush of tq_immediate can run, inject=64. */
		if (i == TT_NR_NEST - 1 && (inject & TT_INJ_NEST) &&
		    !test_bit(__ffs(TT_INJ_NEST), &tt_injected)) {
			q = &tt_inject_q;
			hide = true;
		}
		runs = atomic_long_read(&t->runs);
		if (!tt_queue_on(t, q, TT_Q_NOMARK))
			continue;
		if (hide)
			set_bit(__ffs(TT_INJ_NEST), &tt_injected);
		s[n].t = t;
		s[n].runs = runs;
		n++;
	}

	if (tt_nest_kicker) {
		WRITE_ONCE(tt_nest_kick, true);
		wake_up(&tt_nest_wq);
		/* Until a nester holds the run there; not for long, though. */
		for (i = 0; i < 2000 && !READ_ONCE(tt_nest_held); i++)
			udelay(1);
		if (READ_ONCE(tt_nest_held))
			atomic_long_inc(&tt_nest_met);
	} else {
		mark_bh(IMMEDIATE_BH);
		udelay(tt_rand(rs, 30));
	}

	WRITE_ONCE(tt_nest_flushing, true);
	if (flush_task_queue(&tq_immediate))
		atomic_long_inc(&tt_api_err);
	WRITE_ONCE(tt_nest_flushing, false);
	atomic_long_inc(&tt_nest_flushes);

	for (i = 0; i < n; i++) {
		if (atomic_long_read(&s[i].t->runs) != s[i].runs)
			continue;
		if (!atomic_long_fetch_inc(&tt_nest_unrun))
			pr_err(TT_NAME ": nest task %td had not run when the flush returned\n",
			       s[i].t - tt_nest);
	}
	atomic_long_add(n, &tt_nest_checked);
}

static int tt_nest_thread(void *arg)
{
	struct tt_runner *m = arg;

	while (!kthread_should_stop()) {
		tt_nest_cycle(&m->rs);
		usleep_range(200, 600);
	}
	return 0;
}

/*
 * The held producer (check 13).
 *
 * Issue 10 asked for a producer held off-CPU between its push and its kick
 * while others queue on tq_timer: the lock-free queue_task() of the old
 * tree pushed a task, re-enabled preemption and only then armed the timer,
 * and only the push onto an empty queue armed it, so a producer preempted
 * in between held back every later task. queue_task() now links the task
 * and kicks the backend under the queue's raw lock with IRQs off: there is
 * no such window left to hold a producer in. What remains to show is that
 * nothing a producer leaves behind when queue_task() returns makes the
 * others wait for it. So the hold kthread sleeps (msleep(), off-CPU) right
 * after a successful queue_task() on tq_timer, and stays asleep until the
 * witness, a task that the witness kthread queued on tq_timer after the
 * hold began, has run; the other producers queue on tq_timer all along.
 *
 * That is an ordering check, not a timing one: the hold ends when the
 * witness has run, or when the run stops. A hold that ends at the stop
 * with its witness not run is a violation only if tq_timer has run twice
 * since the witness was linked (tq_timer_runs(), read after the link): a
 * run that starts after a task is linked runs it, so the second one cannot
 * have started before the witness ran. Otherwise the hold is left open.
 */
static void tt_witness_ran(struct tt_task *t)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&tt_hold_lock, flags);
	if (tt_hold_epoch && READ_ONCE(t->epoch) == tt_hold_epoch)
		WRITE_ONCE(tt_hold_witnessed, tt_hold_epoch);
	raw_spin_unlock_irqrestore(&tt_hold_lock, flags);
	atomic_long_inc(&tt_wit_done);	/* @t->epoch is free again */
}

static int tt_hold_thread(void *arg)
{
	unsigned long flags;
	u32 e;

	while (!kthread_should_stop()) {
		if (!tt_queue_on(tt_hold_task, &tq_timer, 0)) {
			usleep_range(200, 500);	/* still pending, or stopping */
			continue;
		}
		/* Held from here, with our task on tq_timer. */
		raw_spin_lock_irqsave(&tt_hold_lock, flags);
		e = ++tt_hold_last ? tt_hold_last : ++tt_hold_last;
		tt_hold_epoch = e;
		raw_spin_unlock_irqrestore(&tt_hold_lock, flags);
		atomic_long_inc(&tt_holds);

		while (READ_ONCE(tt_hold_witnessed) != e &&
		       !READ_ONCE(tt_stopping))
			msleep(20);

		raw_spin_lock_irqsave(&tt_hold_lock, flags);
		if (tt_hold_witnessed == e) {
			atomic_long_inc(&tt_hold_ok);
		} else if (tt_wit_epoch == e &&
			   tq_timer_runs() - tt_wit_runs0 >= 2) {
			atomic_long_inc(&tt_hold_bad);
			pr_err(TT_NAME ": a hold ended with its witness not run, %lu runs of tq_timer after it was queued\n",
			       tq_timer_runs() - tt_wit_runs0);
		} else {
			atomic_long_inc(&tt_hold_open);
		}
		tt_hold_epoch = 0;
		raw_spin_unlock_irqrestore(&tt_hold_lock, flags);
		usleep_range(200, 1000);
	}
	return 0;
}

static int tt_witness_thread(void *arg)
{
	struct tt_task *w = tt_witness;
	unsigned long flags, runs0;
	task_queue *q;
	long done;
	u32 e;

	while (!kthread_should_stop()) {
		raw_spin_lock_irqsave(&tt_hold_lock, flags);
		e = tt_hold_epoch;
		if (e == tt_wit_epoch)
			e = 0;	/* none, or witnessed already */
		raw_spin_unlock_irqrestore(&tt_hold_lock, flags);
		if (!e) {
			usleep_range(100, 300);
			continue;
		}

		/* No instance of ours reads the epoch now (see below). */
		WRITE_ONCE(w->epoch, e);
		q = tt_inject_now(TT_INJ_HOLD) ? &tt_inject_q : &tq_timer;
		done = atomic_long_read(&tt_wit_done);
		if (!tt_queue_on(w, q, 0)) {
			usleep_range(100, 300);
			continue;
		}
		runs0 = tq_timer_runs();
		raw_spin_lock_irqsave(&tt_hold_lock, flags);
		if (tt_hold_epoch == e) {
			tt_wit_epoch = e;
			tt_wit_runs0 = runs0;
		}
		raw_spin_unlock_irqrestore(&tt_hold_lock, flags);

		/* Wait until its routine is done with the epoch, to reuse it. */
		while (!kthread_should_stop() &&
		       atomic_long_read(&tt_wit_done) == done)
			usleep_range(100, 300);
	}
	return 0;
}

static void tt_init_task(struct tt_task *t, enum tt_kind kind, u8 mode,
			 unsigned int custom)
{
	INIT_TQUEUE(&t->tq, tt_routine, t);
	raw_spin_lock_init(&t->lock);
	t->kind = kind;
	t->mode = mode;
	t->custom = custom % TT_NR_CUSTOM;
	atomic_long_set(&t->queued, 0);
	atomic_long_set(&t->runs, 0);
	atomic_long_set(&t->cancelled, 0);
	atomic_set(&t->running, 0);
	atomic_set(&t->cancellers, 0);
}

static void tt_init_tasks(struct rnd_state *rs)
{
	unsigned int i;

	for (i = 0; i < nr_tasks; i++) {
		struct tt_task *t = &tt_tasks[i];

		tt_init_task(t, i % TT_NR_KINDS, TT_M_PLAIN, i / TT_NR_KINDS);
		/* A migrating task's moves are its requeues. */
		t->requeue = t->kind != TT_MIGRATE && !tt_rand(rs, 4);
		t->sleeps = t->kind == TT_SCHED && !tt_rand(rs, 4);
	}

	tt_storm = tt_tasks + nr_tasks;
	tt_dynq_tasks = tt_storm + TT_NR_STORM;
	tt_nest = tt_dynq_tasks + TT_NR_DYNQ;
	tt_witness = tt_nest + TT_NR_NEST;
	tt_hold_task = tt_witness + 1;
	tt_nr_all = nr_tasks + TT_NR_EXTRA;

	for (i = 0; i < TT_NR_STORM; i++) {
		struct tt_task *t = &tt_storm[i];

		tt_init_task(t, i % TT_NR_KINDS, TT_M_STORM, i);
		t->requeue = t->kind != TT_MIGRATE;
		t->sleeps = t->kind == TT_SCHED;
	}
	for (i = 0; i < TT_NR_DYNQ; i++)
		tt_init_task(&tt_dynq_tasks[i], TT_CUSTOM, TT_M_DYNQ, 0);
	for (i = 0; i < TT_NR_NEST; i++) {
		tt_init_task(&tt_nest[i], TT_IMMED, TT_M_NEST, 0);
		if (i < TT_NR_NESTERS)
			tt_nest[i].tq.routine = tt_nest_routine;
	}
	tt_init_task(tt_witness, TT_TIMER, TT_M_WITNESS, 0);
	tt_init_task(tt_hold_task, TT_TIMER, TT_M_HOLD, 0);
}

/* The next free kthread slot of the modes. */
static struct tt_runner *tt_mthread_slot(bool fifo)
{
	struct tt_runner *m = &tt_mthreads[tt_nr_mthreads];

	prandom_seed_state(&m->rs, get_random_u64());
	m->fifo = fifo;
	return m;
}

/* Take the kthread created for @m, or fail with its error. */
static int tt_mthread_start(struct tt_runner *m, struct task_struct *k)
{
	if (IS_ERR(k))
		return PTR_ERR(k);
	m->thread = k;
	tt_nr_mthreads++;
	return 0;
}

/*
 * The kthreads of checks 9 to 13, woken once they all exist: running
 * SCHED_FIFO storms would slow kthreadd down while it creates the others.
 */
static int tt_start_modes(void)
{
	struct task_struct *k;
	struct tt_runner *m;
	unsigned int i;
	int cpu, err;

	for_each_online_cpu(cpu) {
		m = tt_mthread_slot(true);
		k = tqc_kthread_create_on_cpu(tt_storm_thread, m, cpu,
					      "tq_torture_cf/%u");
		err = tt_mthread_start(m, k);
		if (err)
			return err;
		m = tt_mthread_slot(false);
		k = tqc_kthread_create_on_cpu(tt_storm_thread, m, cpu,
					      "tq_torture_cn/%u");
		err = tt_mthread_start(m, k);
		if (err)
			return err;
	}
	m = tt_mthread_slot(false);
	err = tt_mthread_start(m, kthread_create(tt_dynq_thread, m,
						 "tq_torture_dq"));
	if (!err) {
		m = tt_mthread_slot(false);
		err = tt_mthread_start(m, kthread_create(tt_dynq_cancel_thread,
							 m, "tq_torture_dqc"));
	}
	if (!err) {
		m = tt_mthread_slot(false);
		err = tt_mthread_start(m, kthread_create(tt_ft_thread, m,
							 "tq_torture_free"));
	}
	cpu = cpumask_first(cpu_online_mask);
	if (!err) {
		m = tt_mthread_slot(false);
		k = tqc_kthread_create_on_cpu(tt_nest_thread, m, cpu,
					      "tq_torture_nest/%u");
		err = tt_mthread_start(m, k);
	}
	cpu = cpumask_next(cpu, cpu_online_mask);
	if (!err && cpu < nr_cpu_ids) {
		m = tt_mthread_slot(false);
		k = tqc_kthread_create_on_cpu(tt_nest_kick_thread, m, cpu,
					      "tq_torture_kick/%u");
		err = tt_mthread_start(m, k);
		tt_nest_kicker = !err;
	}
	if (!err) {
		m = tt_mthread_slot(false);
		err = tt_mthread_start(m, kthread_create(tt_hold_thread, m,
							 "tq_torture_hold"));
	}
	if (!err) {
		m = tt_mthread_slot(false);
		err = tt_mthread_start(m, kthread_create(tt_witness_thread, m,
							 "tq_torture_wit"));
	}
	for (i = 0; i < tt_nr_mthreads; i++)
		wake_up_process(tt_mthreads[i].thread);
	return err;
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
		c->iw = TQC_IRQ_WORK_INIT_HARD(tt_irq_fn);
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
			c->thread = tqc_kthread_create_on_cpu(tt_producer_thread,
							      c, cpu,
							      "tq_torture/%u");
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
		/* Its ->thread before the count: see tt_in_runner(). */
		smp_store_release(&tt_nr_runners, i + 1);
	}
	if (contexts & TT_CTX_PROCESS)
		return tt_start_modes();
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
	for (i = 0; i < tt_nr_mthreads; i++)
		kthread_stop(tt_mthreads[i].thread);
	for_each_online_cpu(cpu) {
		struct tt_cpu *c = &tt_cpus[cpu];

		if (c->thread)
			kthread_stop(c->thread);
		if (c->timer_on)
			tqc_timer_delete_sync(&c->timer);
		if (c->kick_on)
			hrtimer_cancel(&c->kick);
	}
	for_each_online_cpu(cpu)
		irq_work_sync(&tt_cpus[cpu].iw);
}

/* Figures and verdicts of checks 8 to 13. */
struct tt_modes {
	long mig_mismatches;
	bool mig_ok, storm_ok, dynq_ok, ft_ok, nest_ok, hold_ok;
};

static void tt_judge_modes(struct tt_modes *v, long mig_mismatches)
{
	bool proc = contexts & TT_CTX_PROCESS;
	long started = atomic_long_read(&tt_storm_started);
	long returned = atomic_long_read(&tt_storm_fifo) +
			atomic_long_read(&tt_storm_normal);

	v->mig_mismatches = mig_mismatches;
	v->mig_ok = !mig_mismatches && !atomic_long_read(&tt_mig_late) &&
		    atomic_long_read(&tt_kind_runs[TT_MIGRATE]) &&
		    atomic_long_read(&tt_mig_moves) &&
		    (!proc || atomic_long_read(&tt_mig_cancels));
	v->storm_ok = !atomic_long_read(&tt_storm_busy) && started == returned &&
		      (!proc || (atomic_long_read(&tt_storm_fifo) &&
				 atomic_long_read(&tt_storm_normal) &&
				 atomic_long_read(&tt_storm_contended) &&
				 atomic_long_read(&tt_storm_checked)));
	v->dynq_ok = !atomic_long_read(&tt_dynq_err) &&
		     (!proc || (atomic_long_read(&tt_dynq_tasked) &&
				atomic_long_read(&tt_dynq_by_routine)));
	v->ft_ok = atomic_long_read(&tt_ft_alloc) ==
		   atomic_long_read(&tt_ft_freed) &&
		   atomic_long_read(&tt_ft_queued) ==
		   atomic_long_read(&tt_ft_runs) +
		   atomic_long_read(&tt_ft_cancelled) &&
		   !atomic_long_read(&tt_ft_late) &&
		   (!proc || (atomic_long_read(&tt_ft_by_routine) &&
			      atomic_long_read(&tt_ft_kept_cancels)));
	v->nest_ok = !atomic_long_read(&tt_nest_unrun) &&
		     (!proc || (atomic_long_read(&tt_nest_checked) &&
				atomic_long_read(&tt_nest_runs)));
	v->hold_ok = !atomic_long_read(&tt_hold_bad) &&
		     (!proc || atomic_long_read(&tt_hold_ok));
}

/*
 * Check 14: the statistics of the queues that have them balance. Writes a
 * diagnostic line and returns whether all did.
 */
static bool tt_stats_balance(char *buf, size_t size)
{
	task_queue *qs[TT_NR_CUSTOM + 4] = {
		&tq_timer, &tq_immediate, &tq_scheduler, &tt_freeq,
	};
	unsigned long in = 0, out = 0, d;
	const char *bad = NULL;
	unsigned int i, n = 4, checked = 0;
	struct tq_stats st;

	for (i = 0; i < TT_NR_CUSTOM; i++)
		qs[n++] = tt_custom[i];
	for (i = 0; i < n; i++) {
		if (tq_stats_get(qs[i], &st)) {
			bad = bad ?: qs[i]->name;
			continue;
		}
		if (qs[i] == &tq_timer && (inject & TT_INJ_STATS))
			st.count[TQ_STAT_RUN]--;
		d = st.count[TQ_STAT_RUN] + st.count[TQ_STAT_CANCELLED] +
		    st.count[TQ_STAT_DROPPED] + st.pending;
		if (st.count[TQ_STAT_QUEUED] != d && !bad)
			bad = qs[i]->name;
		in += st.count[TQ_STAT_QUEUED];
		out += d;
		checked++;
	}
	scnprintf(buf, size,
		  "# tq_torture: stats queues=%u queued=%lu run+cancelled+dropped+pending=%lu unbalanced=%s\n",
		  checked, in, out, bad ?: "none");
	return !bad && checked == n;
}

static void tt_report(void)
{
	char stats_line[160];
	bool stats_ok;
	long queued = 0, runs = 0, cancelled = 0, mismatches = 0, mig_mm = 0;
	bool active = false, coverage = true;
	struct tt_modes v;
	unsigned int i, k;
	size_t len = 0;
	char *buf;

	for (i = 0; i < tt_nr_all; i++) {
		struct tt_task *t = &tt_tasks[i];
		long q = atomic_long_read(&t->queued);
		long r = atomic_long_read(&t->runs);
		long c = atomic_long_read(&t->cancelled);

		if ((inject & TT_INJ_COUNT) && c)
			c--;
		if (q != r + c || atomic_read(&t->running)) {
			if (!mismatches)
				pr_err(TT_NAME ": task %u (%s, mode %u): queued=%ld run=%ld cancelled=%ld\n",
				       i, tt_kind_name[t->kind], t->mode, q, r,
				       c);
			mismatches++;
			if (t->kind == TT_MIGRATE)
				mig_mm++;
		}
		queued += q;
		runs += r;
		cancelled += c;
	}

	active = TQ_ACTIVE(tq_timer) || TQ_ACTIVE(tq_immediate) ||
		 TQ_ACTIVE(tq_scheduler) || TQ_ACTIVE(tt_freeq) ||
		 TQ_ACTIVE(tt_inject_q);
	for (k = 0; k < TT_NR_CUSTOM; k++)
		active |= TQ_ACTIVE(*tt_custom[k]);

	for (k = 0; k < TT_NR_KINDS; k++)
		if (!atomic_long_read(&tt_kind_runs[k]))
			coverage = false;
	for (k = 0; k < 3; k++)
		if ((contexts & BIT(k)) && !atomic_long_read(&tt_ctx_ops[k]))
			coverage = false;
	tt_judge_modes(&v, mig_mm);
	stats_ok = tt_stats_balance(stats_line, sizeof(stats_line));

	buf = kmalloc(TT_RESULT_SIZE, GFP_KERNEL);
	if (!buf)
		return;

#define TT_OUT(fmt, ...) \
	(len += scnprintf(buf + len, TT_RESULT_SIZE - len, fmt, ##__VA_ARGS__))
#define TT_CHECK(n, ok, what) TT_OUT("%sok %d %s\n", (ok) ? "" : "not ", n, what)
#define TT_RD(x) atomic_long_read(&(x))

	TT_OUT("KTAP version 1\n1..14\n");
	TT_OUT("# tq_torture: queued=%ld run=%ld cancelled=%ld requeued=%ld",
	       queued, runs, cancelled, TT_RD(tt_requeued));
	TT_OUT(" mismatches=%ld concurrency=%ld late_runs=%ld\n", mismatches,
	       TT_RD(tt_concurrency), TT_RD(tt_late));
	TT_OUT("# tq_torture: runs timer=%ld immediate=%ld scheduler=%ld custom=%ld migrating=%ld;",
	       TT_RD(tt_kind_runs[TT_TIMER]), TT_RD(tt_kind_runs[TT_IMMED]),
	       TT_RD(tt_kind_runs[TT_SCHED]), TT_RD(tt_kind_runs[TT_CUSTOM]),
	       TT_RD(tt_kind_runs[TT_MIGRATE]));
	TT_OUT(" ops process=%ld softirq=%ld hardirq=%ld\n",
	       TT_RD(tt_ctx_ops[0]), TT_RD(tt_ctx_ops[1]), TT_RD(tt_ctx_ops[2]));
	TT_OUT("# tq_torture: cancels=%ld flushes=%ld custom_runs=%ld queue_task_0=%ld",
	       TT_RD(tt_cancels), TT_RD(tt_flushes), TT_RD(tt_custom_runs),
	       TT_RD(tt_qzero));
	TT_OUT(" self_overlap=%ld context_errors=%ld api_errors=%ld\n",
	       TT_RD(tt_self_overlap), TT_RD(tt_ctx_err), TT_RD(tt_api_err));
	TT_OUT("# tq_torture: migrating moves=%ld went_on_asleep=%ld cancels=%ld",
	       TT_RD(tt_mig_moves), TT_RD(tt_mig_slept), TT_RD(tt_mig_cancels));
	TT_OUT(" late_runs=%ld mismatches=%ld\n", TT_RD(tt_mig_late),
	       v.mig_mismatches);
	TT_OUT("# tq_torture: storm cancels=%ld fifo=%ld normal=%ld",
	       TT_RD(tt_storm_started), TT_RD(tt_storm_fifo),
	       TT_RD(tt_storm_normal));
	TT_OUT(" contended=%ld checked=%ld in_routine=%ld\n",
	       TT_RD(tt_storm_contended), TT_RD(tt_storm_checked),
	       TT_RD(tt_storm_busy));
	TT_OUT("# tq_torture: dynq queues=%ld freed_by_routine=%ld tasks=%ld",
	       TT_RD(tt_dynq_queues), TT_RD(tt_dynq_by_routine),
	       TT_RD(tt_dynq_tasked));
	TT_OUT(" cancels_after_free=%ld errors=%ld\n", TT_RD(tt_dynq_after),
	       TT_RD(tt_dynq_err));
	TT_OUT("# tq_torture: selffree allocated=%ld freed=%ld by_routine=%ld",
	       TT_RD(tt_ft_alloc), TT_RD(tt_ft_freed), TT_RD(tt_ft_by_routine));
	TT_OUT(" queued=%ld run=%ld cancelled=%ld kept_cancels=%ld late_runs=%ld\n",
	       TT_RD(tt_ft_queued), TT_RD(tt_ft_runs), TT_RD(tt_ft_cancelled),
	       TT_RD(tt_ft_kept_cancels), TT_RD(tt_ft_late));
	TT_OUT("# tq_torture: nest flushes=%ld under_nester=%ld nested_runs=%ld nested_tasks=%ld",
	       TT_RD(tt_nest_flushes), TT_RD(tt_nest_met), TT_RD(tt_nest_runs),
	       TT_RD(tt_nest_nested));
	TT_OUT(" checked=%ld unrun=%ld\n", TT_RD(tt_nest_checked),
	       TT_RD(tt_nest_unrun));
	TT_OUT("# tq_torture: hold holds=%ld witnessed=%ld open=%ld violations=%ld\n",
	       TT_RD(tt_holds), TT_RD(tt_hold_ok), TT_RD(tt_hold_open),
	       TT_RD(tt_hold_bad));
	TT_OUT("%s", stats_line);
	if (inject)
		TT_OUT("# tq_torture: inject=%#x struck=%#lx\n", inject,
		       READ_ONCE(tt_injected) | (inject & TT_INJ_REPORT));
	TT_CHECK(1, !mismatches,
		 "every queue_task()==1 matched by one run or one cancel");
	TT_CHECK(2, !TT_RD(tt_concurrency), "no forbidden concurrency");
	TT_CHECK(3, !TT_RD(tt_late), "no run after cancel_task_sync() returned");
	TT_CHECK(4, !active, "all queues empty after the final flush");
	TT_CHECK(5, !TT_RD(tt_ctx_err),
		 "every routine ran in its queue's context");
	TT_CHECK(6, !TT_RD(tt_api_err),
		 "flush_task_queue() returned what it documents");
	TT_CHECK(7, coverage, "every queue and every enabled context did work");
	TT_CHECK(8, v.mig_ok,
		 "migrating tasks: every queue_task()==1 matched, no run after their cancel");
	TT_CHECK(9, v.storm_ok,
		 "concurrent cancels, SCHED_FIFO and normal: all returned, none while the routine ran");
	TT_CHECK(10, v.dynq_ok,
		 "allocated queues: every task ran or was cancelled before its queue was freed");
	TT_CHECK(11, v.ft_ok,
		 "self-freeing tasks: as many freed as allocated, each queued one run or cancelled");
	TT_CHECK(12, v.nest_ok,
		 "nested tq_immediate runs: every task queued before a flush ran before it returned");
	TT_CHECK(13, v.hold_ok,
		 "tq_timer tasks queued after a held producer's ran while it was held");
	TT_CHECK(14, stats_ok,
		 "tqueue's statistics balance: queued == run + cancelled + dropped + pending");
#undef TT_RD
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
	for (i = 0; i < tt_nr_all; i++)
		if (cancel_task_sync(&tt_tasks[i].tq))
			atomic_long_inc(&tt_tasks[i].cancelled);
	tt_ft_finish();
	if (flush_task_queue(&tq_timer) || flush_task_queue(&tq_immediate))
		atomic_long_inc(&tt_api_err);
	flush_scheduled_tasks();
	for (k = 0; k < TT_NR_CUSTOM; k++)
		run_task_queue(tt_custom[k]);
	run_task_queue(&tt_freeq);
	tt_report();
	kfree(tt_ft_lost);	/* inject=32's, counted as never freed */
	tt_ft_lost = NULL;
}

/*
 * Whether an inject= bit has yet to strike. Each strikes once, when its mode
 * gets to it; on a slow kernel (KCSAN under TCG) a two-second run can end
 * before some mode has run a cycle, and the selftest would then see a check
 * pass that it expects to fail. inject=1 and 256 strike in tt_report().
 */
static bool tt_inject_waiting(void)
{
	return (inject & TT_INJ_ALL & ~TT_INJ_REPORT) & ~READ_ONCE(tt_injected);
}

static int tt_control_thread(void *arg)
{
	unsigned long end = jiffies + duration * HZ;
	unsigned long cap = end + TT_INJECT_WAIT * HZ;
	int err;

	err = tt_start();
	if (err)
		pr_err(TT_NAME ": cannot start the producers: %d\n", err);

	while (!err && !kthread_should_stop() &&
	       (time_before(jiffies, end) ||
		(tt_inject_waiting() && time_before(jiffies, cap))))
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

static void tt_stats_unregister(void)
{
	unsigned int k;

	for (k = 0; k < TT_NR_CUSTOM; k++)
		tq_stats_unregister(tt_custom[k]);
	tq_stats_unregister(&tt_freeq);
}

static int __init tt_init(void)
{
	struct rnd_state rs;
	unsigned int k;
	int ret;

	ret = tt_check_param("duration", duration, 1, TT_MAX_DURATION);
	if (!ret)
		ret = tt_check_param("nr_tasks", nr_tasks, TT_NR_KINDS,
				     TT_MAX_TASKS);
	if (!ret)
		ret = tt_check_param("contexts", contexts, 1, TT_CTX_ALL);
	if (!ret)
		ret = tt_check_param("nr_custom_runners", nr_custom_runners, 0,
				     TT_MAX_RUNNERS);
	if (!ret)
		ret = tt_check_param("inject", inject, 0, TT_INJ_ALL);
	if (ret)
		return ret;

	tt_custom[0] = &tt_custom0;
	for (k = 1; k < TT_NR_CUSTOM; k++) {
		INIT_TASK_QUEUE(&tt_custom_dyn[k - 1]);
		tt_custom[k] = &tt_custom_dyn[k - 1];
	}
	/* Check 14's queues; a queue without a slot fails it. */
	for (k = 0; k < TT_NR_CUSTOM; k++)
		tq_stats_register(tt_custom[k]);
	tq_stats_register(&tt_freeq);

	tt_tasks = kcalloc(nr_tasks + TT_NR_EXTRA, sizeof(*tt_tasks),
			   GFP_KERNEL);
	tt_cpus = kcalloc(nr_cpu_ids, sizeof(*tt_cpus), GFP_KERNEL);
	tt_runners = kcalloc(max(nr_custom_runners, 1U), sizeof(*tt_runners),
			     GFP_KERNEL);
	tt_mthreads = kcalloc(2 * nr_cpu_ids + 7, sizeof(*tt_mthreads),
			      GFP_KERNEL);
	if (!tt_tasks || !tt_cpus || !tt_runners || !tt_mthreads) {
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
	pr_info(TT_NAME ": duration=%us nr_tasks=%u contexts=%#x nr_custom_runners=%u inject=%#x cpus=%u\n",
		duration, nr_tasks, contexts, nr_custom_runners, inject,
		num_online_cpus());
	return 0;

err_free:
	kfree(tt_mthreads);
	kfree(tt_runners);
	kfree(tt_cpus);
	kfree(tt_tasks);
	tt_stats_unregister();
	return ret;
}

static void __exit tt_exit(void)
{
	/* Ends a run in progress early; it still cancels and reports. */
	kthread_stop(tt_control);
	tt_stats_unregister();
	kfree(tt_mthreads);
	kfree(tt_runners);
	kfree(tt_cpus);
	kfree(tt_tasks);
}

module_init(tt_init);
module_exit(tt_exit);
MODULE_IMPORT_NS(TQC_TEST_NS);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Stress test of tqueue: producers in every context, cancels, flushes, counters");
