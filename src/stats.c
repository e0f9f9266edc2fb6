// SPDX-License-Identifier: GPL-2.0
/*
 * Per-queue statistics, counted per CPU, and their debugfs file.
 *
 * A queue's counters live in a slot of a static per-CPU table, not in the
 * queue: DECLARE_TASK_QUEUE() is a static initializer, queue_task() may not
 * allocate, and a caller frees its queue without telling tqueue, so nothing
 * of the statistics may point into a queue that tqueue did not see go.
 * tqueue's own queues have slots from init to exit; a caller's queue has one
 * between tq_stats_register() and tq_stats_unregister(). Every other queue
 * is counted in slot 0, "(other)".
 *
 * The fast paths touch only this CPU's copy of their slot, with IRQs off:
 * queue_task() and a runner's pop under the queue's lock, a routine's
 * runtime after it returns. The queue's slot number (task_queue.stats_id)
 * is read under the queue's lock. A runtime is added after the routine,
 * when its queue may be gone; the slot's generation, read at the pop,
 * tells whether the slot still counts that queue. Unregistering bumps it
 * and waits for an RCU grace period (the runtime update is an IRQs-off
 * section, an RCU reader) before it zeroes the slot, so a late runtime
 * never lands in the slot of the next queue. Readers sum the copies with
 * READ_ONCE(); the writers pair with WRITE_ONCE() (counters, not ordering:
 * a sum read while tasks move may be off by the ones in flight).
 *
 * The file format is documented in Documentation/observing.rst and only
 * ever grows columns at the end.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/export.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include "compat.h"
#include "internal.h"

#define TQ_STATS_SLOTS 32

/* One CPU's counters of one slot; written by that CPU only, IRQs off. */
struct tq_stats_cpu {
	unsigned long count[TQ_STAT_NR];
	unsigned long lat_bucket[TQ_LAT_BUCKETS];
	u64 lat_sum;
	u64 lat_max;
	u64 runtime_max;
};

struct tq_stats_table {
	struct tq_stats_cpu slot[TQ_STATS_SLOTS];
};

static DEFINE_PER_CPU(struct tq_stats_table, tq_stats_pcpu);

/*
 * M: tq_stats_mutex.
 * G: written under tq_stats_mutex, read locklessly by runners.
 */
static DEFINE_MUTEX(tq_stats_mutex);
static struct task_queue *tq_stats_queue[TQ_STATS_SLOTS];	/* M */
static unsigned long tq_stats_gen[TQ_STATS_SLOTS];		/* G */
static struct dentry *tq_stats_dir;

/* The upper bounds of the latency buckets but the last, in ns. */
static const u64 tq_lat_bounds[TQ_LAT_BUCKETS - 1] = {
	10 * NSEC_PER_USEC, 100 * NSEC_PER_USEC, NSEC_PER_MSEC,
	10 * NSEC_PER_MSEC,
};

static struct tq_stats_cpu *tq_stats_here(unsigned int id)
{
	lockdep_assert_irqs_disabled();
	return &this_cpu_ptr(&tq_stats_pcpu)->slot[id];
}

/* Count one @what for @q; IRQs off, @q's lock held or @q refused. */
void tq_stat_inc(const struct task_queue *q, enum tq_stat what)
{
	struct tq_stats_cpu *s = tq_stats_here(q ? READ_ONCE(q->stats_id) : 0);

	WRITE_ONCE(s->count[what], s->count[what] + 1);
}

/*
 * A runner popped a task of @q after @lat ns on the queue; @q's lock held.
 * Return: the slot's generation, for tq_stat_runtime().
 */
unsigned long tq_stat_run(const struct task_queue *q, unsigned int *id,
			  u64 lat)
{
	struct tq_stats_cpu *s;
	unsigned int b;

	lockdep_assert_held(&q->lock);
	*id = q->stats_id;
	s = tq_stats_here(*id);
	WRITE_ONCE(s->count[TQ_STAT_RUN], s->count[TQ_STAT_RUN] + 1);
	for (b = 0; b < TQ_LAT_BUCKETS - 1 && lat >= tq_lat_bounds[b]; b++)
		;
	WRITE_ONCE(s->lat_bucket[b], s->lat_bucket[b] + 1);
	WRITE_ONCE(s->lat_sum, s->lat_sum + lat);
	if (lat > s->lat_max)
		WRITE_ONCE(s->lat_max, lat);
	return READ_ONCE(tq_stats_gen[*id]);
}

/* The routine of a task counted by tq_stat_run() took @ns. */
void tq_stat_runtime(unsigned int id, unsigned long gen, u64 ns)
{
	struct tq_stats_cpu *s;
	unsigned long flags;

	local_irq_save(flags);	/* an RCU reader: ``stats-gen`` */
	if (READ_ONCE(tq_stats_gen[id]) == gen) {
		s = tq_stats_here(id);
		if (ns > s->runtime_max)
			WRITE_ONCE(s->runtime_max, ns);
	}
	local_irq_restore(flags);
}

/* Tasks on @q now, the purge's cursor aside. */
static unsigned long tq_stats_pending(struct task_queue *q)
{
	struct tq_struct *t;
	unsigned long flags, n = 0;

	raw_spin_lock_irqsave(&q->lock, flags);
	for (t = q->head; t; t = t->next)
		n += !!t->routine;
	raw_spin_unlock_irqrestore(&q->lock, flags);
	return n;
}

/* Sum slot @id over the CPUs; tq_stats_mutex held. */
static void tq_stats_sum(unsigned int id, struct tq_stats *st)
{
	const struct tq_stats_cpu *s;
	unsigned int i;
	int cpu;

	lockdep_assert_held(&tq_stats_mutex);
	memset(st, 0, sizeof(*st));
	for_each_possible_cpu(cpu) {
		s = &per_cpu_ptr(&tq_stats_pcpu, cpu)->slot[id];
		for (i = 0; i < TQ_STAT_NR; i++)
			st->count[i] += READ_ONCE(s->count[i]);
		for (i = 0; i < TQ_LAT_BUCKETS; i++)
			st->lat_bucket[i] += READ_ONCE(s->lat_bucket[i]);
		st->lat_sum += READ_ONCE(s->lat_sum);
		st->lat_max = max(st->lat_max, READ_ONCE(s->lat_max));
		st->runtime_max = max(st->runtime_max,
				      READ_ONCE(s->runtime_max));
	}
	if (tq_stats_queue[id]) {
		st->pending = tq_stats_pending(tq_stats_queue[id]);
	} else {
		/* Queues tqueue cannot walk: what has not left them. */
		st->pending = st->count[TQ_STAT_QUEUED] -
			      st->count[TQ_STAT_RUN] -
			      st->count[TQ_STAT_CANCELLED] -
			      st->count[TQ_STAT_DROPPED];
	}
}

/**
 * tq_stats_get() - the statistics of a queue, summed over the CPUs
 * @queue: the queue, or NULL for the queues without a slot of their own
 * @st: where to put them
 *
 * A test hook, exported in the test-hook namespace TQC_TEST_NS.
 *
 * Context: Process context; may sleep.
 * Return: 0, or -ENOENT if @queue has no slot.
 */
int tq_stats_get(const task_queue *queue, struct tq_stats *st)
{
	unsigned int id = 0;

	mutex_lock(&tq_stats_mutex);
	if (queue) {
		for (id = 1; id < TQ_STATS_SLOTS; id++)
			if (tq_stats_queue[id] == queue)
				break;
	}
	if (id < TQ_STATS_SLOTS)
		tq_stats_sum(id, st);
	mutex_unlock(&tq_stats_mutex);
	return id < TQ_STATS_SLOTS ? 0 : -ENOENT;
}
EXPORT_SYMBOL_NS_GPL(tq_stats_get, TQC_TEST_NS);

/**
 * tq_stats_register() - give a queue statistics of its own
 * @queue: a queue of the caller's (DECLARE_TASK_QUEUE() or INIT_TASK_QUEUE())
 *
 * A tqueue extension. From now on @queue has a line of its own in
 * debugfs tqueue/stats, under the name it was declared with, instead of
 * being counted in the "(other)" line. Register before the first
 * queue_task() on @queue, so that the counters balance, and call
 * tq_stats_unregister() before @queue is freed or reinitialized.
 *
 * Context: Process context; may sleep.
 * Return: 0 on success, -EBUSY if @queue is registered already, -ENOSPC
 * if all slots are taken.
 */
int tq_stats_register(task_queue *queue)
{
	unsigned long flags;
	unsigned int id, free = 0;

	mutex_lock(&tq_stats_mutex);
	for (id = TQ_STATS_SLOTS - 1; id > 0; id--) {
		if (tq_stats_queue[id] == queue) {
			mutex_unlock(&tq_stats_mutex);
			return -EBUSY;
		}
		if (!tq_stats_queue[id])
			free = id;
	}
	if (free) {
		tq_stats_queue[free] = queue;
		raw_spin_lock_irqsave(&queue->lock, flags);
		WRITE_ONCE(queue->stats_id, free);
		raw_spin_unlock_irqrestore(&queue->lock, flags);
	}
	mutex_unlock(&tq_stats_mutex);
	return free ? 0 : -ENOSPC;
}
EXPORT_SYMBOL_GPL(tq_stats_register);

/* Empty slot @id, whose queue is going; tq_stats_mutex held. */
static void tq_stats_drop(unsigned int id)
{
	struct task_queue *q = tq_stats_queue[id];
	unsigned long flags;
	int cpu;

	lockdep_assert_held(&tq_stats_mutex);
	raw_spin_lock_irqsave(&q->lock, flags);
	WRITE_ONCE(q->stats_id, 0);
	raw_spin_unlock_irqrestore(&q->lock, flags);
	/*
	 * No pop counts here now; a late runtime checks the generation in an
	 * IRQs-off section, which the grace period waits for before the
	 * slot is zeroed (litmus test ``stats-gen``).
	 */
	WRITE_ONCE(tq_stats_gen[id], tq_stats_gen[id] + 1);
	synchronize_rcu();
	for_each_possible_cpu(cpu)
		memset(&per_cpu_ptr(&tq_stats_pcpu, cpu)->slot[id], 0,
		       sizeof(struct tq_stats_cpu));
	tq_stats_queue[id] = NULL;
}

/**
 * tq_stats_unregister() - drop a queue's statistics
 * @queue: a queue registered with tq_stats_register(), or not at all
 *
 * A tqueue extension. Its counters are dropped; tasks queued on @queue
 * later count in the "(other)" line. A module's queues in static storage
 * that are still registered when it is unloaded are unregistered then,
 * with a warning.
 *
 * Context: Process context; may sleep (an RCU grace period).
 * Return: nothing.
 */
void tq_stats_unregister(task_queue *queue)
{
	unsigned int id;

	mutex_lock(&tq_stats_mutex);
	for (id = 1; id < TQ_STATS_SLOTS; id++)
		if (tq_stats_queue[id] == queue)
			tq_stats_drop(id);
	mutex_unlock(&tq_stats_mutex);
}
EXPORT_SYMBOL_GPL(tq_stats_unregister);

/*
 * A module being unloaded (the unload notifier, after its exit function)
 * must not leave a queue of its own registered: the file would read the
 * queue after the module's memory is freed.
 */
void tq_stats_forget_module(struct module *mod)
{
	unsigned int id;

	mutex_lock(&tq_stats_mutex);
	for (id = 1; id < TQ_STATS_SLOTS; id++) {
		if (!tq_stats_queue[id] ||
		    !within_module((unsigned long)tq_stats_queue[id], mod))
			continue;
		pr_warn("module %s left queue %s registered for statistics; unregistered it\n",
			mod->name, tq_queue_name(tq_stats_queue[id]));
		tq_stats_drop(id);
	}
	mutex_unlock(&tq_stats_mutex);
}

static void tq_stats_line(struct seq_file *m, const char *name,
			  const struct tq_stats *st)
{
	unsigned int i;

	seq_printf(m, "%s %lu %lu %lu %lu %lu %lu %lu %llu %llu", name,
		   st->count[TQ_STAT_QUEUED], st->count[TQ_STAT_REQUEUED],
		   st->count[TQ_STAT_RUN], st->pending, st->count[TQ_STAT_CANCELLED],
		   st->count[TQ_STAT_REFUSED], st->count[TQ_STAT_DROPPED],
		   st->lat_sum, st->lat_max);
	for (i = 0; i < TQ_LAT_BUCKETS; i++)
		seq_printf(m, " %lu", st->lat_bucket[i]);
	seq_printf(m, " %llu\n", st->runtime_max);
}

/* A queue's name as one field: INIT_TASK_QUEUE(&q[i + 1]) has spaces. */
static const char *tq_stats_name(char *buf, size_t size, const char *name)
{
	char *p;

	strscpy(buf, name, size);
	for (p = buf; *p; p++)
		if (*p == ' ' || *p == '\t')
			*p = '_';
	return buf;
}

static int tq_stats_show(struct seq_file *m, void *v)
{
	struct tq_stats st;
	unsigned int id;
	const char *qname;
	char name[48];

	/* The columns, in order: only ever added at the end. */
	seq_puts(m,
		 "queue queued requeued run pending cancelled refused dropped lat_total_ns lat_max_ns lat_lt10us lat_lt100us lat_lt1ms lat_lt10ms lat_ge10ms runtime_max_ns\n");
	mutex_lock(&tq_stats_mutex);
	for (id = 1; id < TQ_STATS_SLOTS; id++) {
		if (!tq_stats_queue[id])
			continue;
		tq_stats_sum(id, &st);
		qname = tq_queue_name(tq_stats_queue[id]);
		tq_stats_line(m, tq_stats_name(name, sizeof(name), qname), &st);
	}
	tq_stats_sum(0, &st);
	tq_stats_line(m, "(other)", &st);
	mutex_unlock(&tq_stats_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tq_stats);

int tq_stats_init(void)
{
	tq_stats_dir = debugfs_create_dir("tqueue", NULL);
	debugfs_create_file("stats", 0444, tq_stats_dir, NULL, &tq_stats_fops);
	return 0;
}

void tq_stats_exit(void)
{
	debugfs_remove_recursive(tq_stats_dir);
}
