// SPDX-License-Identifier: GPL-2.0
/*
 * Unload safety: a module that leaves tasks queued cannot crash the kernel.
 *
 * In 2.4, a module unloaded while its task was still on tq_timer crashed
 * the kernel at the next tick. tqueue watches module unloads: the
 * MODULE_STATE_GOING notification arrives after the module's exit function
 * (or its failed init) and before its memory is freed. At that point every
 * pending task whose tq_struct, routine or data lies in the module is taken
 * off the queues tqueue runs, and any such task that is running is waited
 * for. A running routine may requeue its task, so this repeats until a pass
 * finds nothing; after that no code of the module can run through tqueue.
 * While it runs, queue_task() refuses the module's tasks, so a routine that
 * requeues itself cannot keep a runner busy with the module forever.
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

/* The module being purged, if any: queue_task() refuses its tasks. */
struct module *tq_going;
/* How often queue_task() refused a task of tq_going. */
atomic_t tq_going_refused;
static DEFINE_MUTEX(tq_purge_mutex);

/* Whether @task, its routine @fn or its @data lies in module @arg. */
bool tq_in_module(const struct tq_struct *task, void (*fn)(void *),
		  const void *data, const void *arg)
{
	struct module *mod = (struct module *)arg;

	return within_module((unsigned long)task, mod) ||
	       within_module((unsigned long)fn, mod) ||
	       within_module((unsigned long)data, mod);
}

/* One pass over tqueue's queues: returns how many pending tasks it dropped. */
static unsigned int tq_purge_pass(struct module *mod, bool *again)
{
	unsigned int total = 0, n;
	int i;

	for (i = 0; i < TQ_NR_OWN_QUEUES; i++) {
		n = tq_remove_pending(tq_own_queues[i], tq_in_module, mod);
		total += n;
		if (tq_wait_running(tq_own_queues[i], tq_in_module, mod) || n)
			*again = true;
	}
	return total;
}

/**
 * tq_purge_module() - drop a module's tasks from the queues tqueue runs
 * @mod: the module
 *
 * Takes off tq_timer, tq_immediate, tq_scheduler and tq_disk every pending
 * task whose tq_struct, routine or data lies in @mod, and waits for such
 * routines that are running, until none is left. The unload notifier calls
 * it; it is exported in the TQUEUE_INTERNAL namespace for tests.
 *
 * Context: Process context; may sleep.
 * Return: how many tasks were dropped: pending ones taken off, and running
 * ones whose requeue queue_task() refused meanwhile.
 */
unsigned int tq_purge_module(struct module *mod)
{
	unsigned int total = 0;
	bool again = false;

	mutex_lock(&tq_purge_mutex);
	atomic_set(&tq_going_refused, 0);
	WRITE_ONCE(tq_going, mod);
	/* What the module left queued, before its running tasks are refused. */
	total += tq_purge_pass(mod, &again);
	/*
	 * queue_task() checks tq_going with preemption disabled: after a
	 * grace period, the calls that did not see it have pushed their task,
	 * and none of the module's tasks is queued any more.
	 */
	synchronize_rcu_expedited();
	do {
		again = false;
		total += tq_purge_pass(mod, &again);
	} while (again);
	/* Tasks caught running, whose requeue was refused, were left too. */
	total += atomic_read(&tq_going_refused);
	WRITE_ONCE(tq_going, NULL);
	mutex_unlock(&tq_purge_mutex);
	return total;
}
EXPORT_SYMBOL_NS_GPL(tq_purge_module, TQC_NS);

static int tq_module_notify(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	struct module *mod = data;
	unsigned int n;

	if (action != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	n = tq_purge_module(mod);
	if (n)
		pr_warn("module %s left %u task%s queued; dropped %s\n",
			mod->name, n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
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
