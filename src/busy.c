// SPDX-License-Identifier: GPL-2.0
/*
 * Busy records: the routines running now, wherever they run.
 *
 * Every run of a queue, tqueue's own or a user's, links a record on its
 * stack (struct tq_busy) on the busy list of the CPU it starts on, and
 * keeps it there until the run ends. The record names the task whose
 * routine runs, with copies of the routine and data, and whoever waits for
 * that routine to return. cancel_task_sync() and the unload purge search
 * every CPU's list, so they find a routine run from a queue the task has
 * left, from a queue that has been freed, or from a user's queue; and they
 * never dereference a queue to do so.
 *
 * Everything in a record changes under its list's raw spinlock, so the
 * ordering between a runner and a waiter is that of a lock (litmus tests
 * ``busy-done``, ``busy-waiter`` and ``busy-publish``). The lists are per
 * CPU so that runners on different CPUs do not share a lock; a runner that
 * migrates keeps using the list it started on.
 */
#include <linux/bottom_half.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include "internal.h"

struct tq_busy_list {
	raw_spinlock_t lock;
	struct tq_busy *head;		/* lock */
	unsigned long gen;		/* lock: bumped by every enter and set */
};

static DEFINE_PER_CPU(struct tq_busy_list, tq_busy_lists);

int tq_busy_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		raw_spin_lock_init(&per_cpu_ptr(&tq_busy_lists, cpu)->lock);
	return 0;
}

/* Complete whoever waits for @b's current routine; list lock held. */
static void tq_busy_wake(struct tq_busy *b)
{
	struct tq_waiter *w, *next;

	lockdep_assert_held(&b->list->lock);
	for (w = b->waiters; w; w = next) {
		next = w->next;
		complete(&w->done);	/* @w may vanish now */
	}
	b->waiters = NULL;
}

/* Start a run: link @b, running nothing yet, on this CPU's list. */
void tq_busy_enter(struct tq_busy *b, struct lockdep_map *map)
{
	struct tq_busy_list *l = raw_cpu_ptr(&tq_busy_lists);
	unsigned long flags;

	b->list = l;
	b->task = NULL;
	b->fn = NULL;
	b->data = NULL;
	b->waiters = NULL;
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	b->map = map;
#endif
	raw_spin_lock_irqsave(&l->lock, flags);
	b->next = l->head;
	l->head = b;
	l->gen++;
	raw_spin_unlock_irqrestore(&l->lock, flags);
}

/*
 * Publish @t, which the caller popped and whose pending bit it holds, as
 * the task @b runs; the previous routine has returned. IRQs off.
 */
void tq_busy_set(struct tq_busy *b, struct tq_struct *t)
{
	struct tq_busy_list *l = b->list;

	lockdep_assert_irqs_disabled();
	raw_spin_lock(&l->lock);
	tq_busy_wake(b);
	b->task = t;
	b->fn = t->routine;
	b->data = t->data;
	l->gen++;
	raw_spin_unlock(&l->lock);
}

/* End a run: its last routine has returned. */
void tq_busy_leave(struct tq_busy *b)
{
	struct tq_busy_list *l = b->list;
	struct tq_busy **pb;
	unsigned long flags;

	raw_spin_lock_irqsave(&l->lock, flags);
	tq_busy_wake(b);
	for (pb = &l->head; *pb != b; pb = &(*pb)->next)
		;
	*pb = b->next;
	raw_spin_unlock_irqrestore(&l->lock, flags);
}

/**
 * tq_busy_wait() - wait for one running routine that @match selects
 * @match: the selector
 * @arg: its argument
 *
 * Context: Process context; may sleep.
 * Return: true if it found one and waited for it to return, false if no
 * routine that @match selects was running.
 */
bool tq_busy_wait(tq_match_t match, const void *arg)
{
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	struct lockdep_map map;
#endif
	struct tq_busy_list *l;
	struct tq_waiter w;
	unsigned long flags;
	struct tq_busy *b;
	int cpu;

	might_sleep();
	for_each_possible_cpu(cpu) {
		l = per_cpu_ptr(&tq_busy_lists, cpu);
		raw_spin_lock_irqsave(&l->lock, flags);
		for (b = l->head; b; b = b->next)
			if (b->task && match(b->task, b->fn, b->data, arg))
				break;
		if (!b) {
			raw_spin_unlock_irqrestore(&l->lock, flags);
			continue;
		}
		init_completion(&w.done);
		w.next = b->waiters;
		b->waiters = &w;
#ifdef CONFIG_DEBUG_LOCK_ALLOC
		/* The runner's copy vanishes with it: copy it in turn. */
		lockdep_copy_map(&map, b->map);
#endif
		raw_spin_unlock_irqrestore(&l->lock, flags);
#ifdef CONFIG_DEBUG_LOCK_ALLOC
		tq_lockdep_wait(&map);
#endif
		wait_for_completion(&w.done);
		return true;
	}
	return false;
}

/**
 * tq_busy_gen() - a generation of every busy list
 * @idle: set to whether no run is in progress anywhere
 *
 * Two equal generations with @idle set both times mean that no run
 * started and no routine was called in between.
 *
 * Context: Any context.
 * Return: the sum of the lists' generations.
 */
unsigned long tq_busy_gen(bool *idle)
{
	struct tq_busy_list *l;
	unsigned long gen = 0, flags;
	int cpu;

	*idle = true;
	for_each_possible_cpu(cpu) {
		l = per_cpu_ptr(&tq_busy_lists, cpu);
		raw_spin_lock_irqsave(&l->lock, flags);
		gen += l->gen;
		if (l->head)
			*idle = false;
		raw_spin_unlock_irqrestore(&l->lock, flags);
	}
	return gen;
}

#ifdef CONFIG_DEBUG_LOCK_ALLOC
/*
 * Tell lockdep that we wait for the routines of the queue @map stands for:
 * a runner holds the map (read, recursive) while a routine runs, so a
 * routine that waits for its own queue, or a wait under a lock a routine
 * takes, is reported. Acquired with IRQs off: the runners hold the map in
 * every context (a caller's queue may run from an interrupt), and a wait is
 * not a lock an interrupt could spin on; lockdep records no
 * ENABLED_HARDIRQ or ENABLED_SOFTIRQ usage for an acquisition made with
 * IRQs off (mark_usage() in kernel/locking/lockdep.c). IRQs off is enough:
 * local_bh_disable() would add nothing on !PREEMPT_RT and, on PREEMPT_RT,
 * take softirq_ctrl.lock, a real lock that makes a false cycle with every
 * routine that disables BHs while its runner holds the map.
 */
void tq_lockdep_wait(struct lockdep_map *map)
{
	unsigned long flags;

	local_irq_save(flags);
	lock_map_acquire(map);
	lock_map_release(map);
	local_irq_restore(flags);
}
#endif
