// SPDX-License-Identifier: GPL-2.0
/*
 * Unload safety: a module that leaves tasks queued cannot crash the kernel.
 *
 * In 2.4, a module unloaded while its task was still on tq_timer crashed
 * the kernel at the next tick. tqueue watches module unloads: the
 * MODULE_STATE_GOING notification arrives after the module's exit function
 * (or its failed init) and before its memory is freed. At that point every
 * pending task whose tq_struct, routine or data lies in the module is taken
 * off the queues tqueue runs, and any such routine that is running, from
 * whatever queue, is waited for. A running routine may requeue its task, so
 * this repeats until a pass finds nothing; after that no code of the module
 * can run through tqueue. While it runs, queue_task() refuses the module's
 * tasks, so a routine that requeues itself cannot keep a runner busy with
 * the module forever.
 *
 * Queues that other modules declare and run themselves are theirs to keep
 * clean: tqueue does not know them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/rcupdate.h>
#include "compat.h"
#include "internal.h"
#include "tq_trace.h"

/* The module being purged, if any: queue_task() refuses its tasks. */
struct module *tq_going;
/* How often queue_task() refused a task of tq_going. */
atomic_t tq_going_refused;
static DEFINE_MUTEX(tq_purge_mutex);
/* The queues tqueue runs itself, registered at init; tq_purge_mutex. */
#define TQ_PURGE_MAX_QUEUES 8
static struct task_queue *tq_purge_queues[TQ_PURGE_MAX_QUEUES];
static unsigned int tq_purge_nr_queues;
static unsigned long tq_purge_nr_grace;	/* tq_purge_mutex: for tests */

/* Register @q, one of tqueue's own queues, for the purge; at init. */
void tq_purge_add_queue(struct task_queue *q)
{
	mutex_lock(&tq_purge_mutex);
	if (!WARN_ON_ONCE(tq_purge_nr_queues == TQ_PURGE_MAX_QUEUES))
		tq_purge_queues[tq_purge_nr_queues++] = q;
	mutex_unlock(&tq_purge_mutex);
}

/* Whether @task, its routine @fn or its @data lies in module @arg. */
bool tq_in_module(const struct tq_struct *task, void (*fn)(void *),
		  const void *data, const void *arg)
{
	struct module *mod = (struct module *)arg;

	return within_module((unsigned long)task, mod) ||
	       within_module((unsigned long)fn, mod) ||
	       within_module((unsigned long)data, mod);
}

/* Tasks the purge looks at per hold of a queue's lock. */
#define TQ_PURGE_BATCH 16

/*
 * Take off @q the pending tasks that lie in @mod; how many. IRQs are off
 * for TQ_PURGE_BATCH tasks at most: a cursor, a task without a routine
 * that runners step over, keeps the place in the FIFO while the lock is
 * dropped between batches and after each task taken.
 */
static unsigned int tq_purge_queue(struct task_queue *q, struct module *mod)
{
	struct tq_struct cursor = { }, *t, *pos, *found;
	unsigned long flags;
	unsigned int i, n = 0;

	raw_spin_lock_irqsave(&q->lock, flags);
	tq_link_after(q, NULL, &cursor);
	for (;;) {
		pos = NULL;
		found = NULL;
		for (i = 0, t = cursor.next; t && i < TQ_PURGE_BATCH;
		     i++, t = t->next) {
			pos = t;
			if (tq_in_module(t, t->routine, t->data, mod)) {
				found = t;
				break;
			}
		}
		if (!pos)
			break;
		tq_unlink(q, &cursor);
		tq_link_after(q, pos, &cursor);
		if (found) {
			tq_unlink(q, found);
			tq_stat_inc(q, TQ_STAT_DROPPED);
			raw_spin_unlock(&q->lock);
			/* Popped, never run: the same hand-off as a runner's. */
			tq_release_pending(found);
			local_irq_restore(flags);
			n++;
		} else {
			raw_spin_unlock_irqrestore(&q->lock, flags);
		}
		raw_spin_lock_irqsave(&q->lock, flags);
	}
	tq_unlink(q, &cursor);
	raw_spin_unlock_irqrestore(&q->lock, flags);
	return n;
}

/* One pass over tqueue's queues: how many pending tasks it dropped. */
static unsigned int tq_purge_pass(struct module *mod)
{
	unsigned int i, n = 0;

	for (i = 0; i < tq_purge_nr_queues; i++)
		n += tq_purge_queue(tq_purge_queues[i], mod);
	return n;
}

/*
 * Whether nothing is pending on tqueue's queues and nothing runs anywhere,
 * with no task linked and no routine started between two looks. Then no
 * code of any module can run through tqueue, and the purge has nothing to
 * do: its grace period is skipped.
 */
static bool tq_purge_nothing(void)
{
	unsigned long gen, seq = 0, seq2 = 0, flags;
	struct task_queue *q;
	bool idle, empty = true;
	unsigned int i;

	gen = tq_busy_gen(&idle);
	if (!idle)
		return false;
	for (i = 0; i < tq_purge_nr_queues; i++) {
		q = tq_purge_queues[i];
		raw_spin_lock_irqsave(&q->lock, flags);
		empty &= !q->head;
		seq += q->seq;
		raw_spin_unlock_irqrestore(&q->lock, flags);
	}
	if (!empty || tq_busy_gen(&idle) != gen || !idle)
		return false;
	for (i = 0; i < tq_purge_nr_queues; i++) {
		q = tq_purge_queues[i];
		raw_spin_lock_irqsave(&q->lock, flags);
		seq2 += q->seq;
		raw_spin_unlock_irqrestore(&q->lock, flags);
	}
	return seq2 == seq;
}

/**
 * tq_purge_module() - drop a module's tasks from the queues tqueue runs
 * @mod: the module
 *
 * Takes off tq_timer, tq_immediate, tq_scheduler and tq_disk every pending
 * task whose tq_struct, routine or data lies in @mod, and waits for every
 * such routine that runs, from any queue, until none is left. The unload
 * notifier calls it; it is exported in the test-hook namespace for tests.
 *
 * Context: Process context; may sleep.
 * Return: how many tasks were dropped: pending ones taken off, and running
 * ones whose requeue queue_task() refused meanwhile.
 */
unsigned int tq_purge_module(struct module *mod)
{
	unsigned int total = 0, n;
	bool waited;

	mutex_lock(&tq_purge_mutex);
	if (tq_purge_nothing()) {
		mutex_unlock(&tq_purge_mutex);
		return 0;
	}
	atomic_set(&tq_going_refused, 0);
	WRITE_ONCE(tq_going, mod);
	/* What the module left queued, before its running tasks are refused. */
	total += tq_purge_pass(mod);
	/*
	 * queue_task() checks tq_going with IRQs disabled: after a grace
	 * period, the calls that did not see it have linked their task, and
	 * none of the module's tasks is queued any more (``purge-refuse``).
	 */
	synchronize_rcu_expedited();
	WRITE_ONCE(tq_purge_nr_grace, tq_purge_nr_grace + 1);
	do {
		n = tq_purge_pass(mod);
		total += n;
		waited = tq_busy_wait(tq_in_module, mod);
	} while (n || waited);
	/* Tasks caught running, whose requeue was refused, were left too. */
	total += atomic_read(&tq_going_refused);
	WRITE_ONCE(tq_going, NULL);
	mutex_unlock(&tq_purge_mutex);
	return total;
}
EXPORT_SYMBOL_NS_GPL(tq_purge_module, TQC_TEST_NS);

/**
 * tq_purge_grace_periods() - how many purges waited for a grace period
 *
 * A test hook, exported in the test-hook namespace TQC_TEST_NS.
 *
 * Context: Any context.
 * Return: the number of purges since tqueue.ko was loaded that did not
 * take the fast path.
 */
unsigned long tq_purge_grace_periods(void)
{
	return READ_ONCE(tq_purge_nr_grace);
}
EXPORT_SYMBOL_NS_GPL(tq_purge_grace_periods, TQC_TEST_NS);

static int tq_module_notify(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	struct module *mod = data;
	unsigned int n;

	if (action != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	tq_stats_forget_module(mod);
	n = tq_purge_module(mod);
	if (n) {
		trace_tqueue_purge(mod->name, n);
		pr_warn("module %s left %u task%s queued; dropped %s\n",
			mod->name, n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
	}
	return NOTIFY_OK;
}

static struct notifier_block tq_module_nb = {
	.notifier_call = tq_module_notify,
};

int tq_unload_init(void)
{
	return register_module_notifier(&tq_module_nb);
}

void tq_unload_exit(void)
{
	unregister_module_notifier(&tq_module_nb);
}
