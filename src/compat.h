/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference tqueue cares about, in one place: Linux
 * 5.10 to 7.3. (tests/kunit/kunit_compat.h holds KUnit's own.)
 *
 * The code is written against the newest API; this header backfills older
 * kernels. Helpers carry a tqc_ prefix so that a distribution backport of a
 * newer kernel API can never collide with them.
 *
 * Each branch is chosen by what the kernel has, never by its version:
 * distributions backport (Debian's 5.10 has timer_delete_sync(); RHEL 10's
 * 6.12 has 6.13's string-literal symbol namespaces).
 *
 * How: a feature probe is a tiny C file, src/probes/NAME.c, that compiles
 * only where the newer API exists, or, for a function that a kernel may
 * declare without exporting, src/probes/NAME.sym, which names the symbol.
 * The top-level Kbuild's pass, which runs before any subdirectory's, has
 * src/probes/probe.sh compile every .c probe with the kernel's own compiler
 * and flags (-fsyntax-only), look every .sym probe up in the kernel's
 * Module.symvers, and write .compat/compat_probes.h in the build output:
 * TQC_HAVE_NAME is 1 where the probe said yes, 0 where it said no (the .c
 * did not compile, the symbol is not exported). That works the same under our
 * Makefile and under a plain make -C $KDIR M=$PWD (DKMS); the build prints
 * one "tqueue: probe NAME: yes|no" line per probe, .compat/probes.txt keeps
 * them, .compat/NAME.log holds each probe's compiler output, and make clean
 * removes .compat/. tools/compat-report.sh KDIR runs the probes alone.
 * Where the API is a macro, #ifdef is the probe, as for KUnit's.
 *
 * To add one: write src/probes/name.c (it must fail to compile without the
 * API: use it with its full signature), then test TQC_HAVE_NAME here.
 * The only version test left is the floor, 5.10, in the top-level Kbuild.
 */
#ifndef _TQUEUE_COMPAT_H
#define _TQUEUE_COMPAT_H

/* Missing? Build from the top-level directory: its Kbuild runs the probes. */
#include "compat_probes.h"

#include <linux/bitops.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/irq_work.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/proc_fs.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

/* hrtimer_setup() arrived in 6.13; hrtimer_init() is gone from 6.15 on. */
#if TQC_HAVE_HRTIMER_SETUP
#define tqc_hrtimer_setup(t, fn, clock, mode) hrtimer_setup(t, fn, clock, mode)
#else
static inline void tqc_hrtimer_setup(struct hrtimer *timer,
				     enum hrtimer_restart (*fn)(struct hrtimer *),
				     clockid_t clock, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock, mode);
	timer->function = fn;
}
#endif

/*
 * timer_delete_sync() arrived in 6.2 (and in Debian's 5.10 and 6.1);
 * del_timer_sync() is gone from 6.15 on.
 */
#if TQC_HAVE_TIMER_DELETE_SYNC
#define tqc_timer_delete_sync(t) timer_delete_sync(t)
#else
#define tqc_timer_delete_sync(t) del_timer_sync(t)
#endif

/* from_timer() became timer_container_of() in 6.16. */
#if TQC_HAVE_TIMER_CONTAINER_OF
#define tqc_timer_container_of(var, timer, field) \
	timer_container_of(var, timer, field)
#else
#define tqc_timer_container_of(var, timer, field) from_timer(var, timer, field)
#endif

/*
 * kthread_create_on_cpu() is declared in 5.10 but not exported. The fallback
 * binds a plain kthread: it is not marked per-CPU, which only CPU hotplug
 * would tell apart.
 */
#if TQC_HAVE_KTHREAD_CREATE_ON_CPU
#define tqc_kthread_create_on_cpu(fn, data, cpu, namefmt) \
	kthread_create_on_cpu(fn, data, cpu, namefmt)
#else
#define tqc_kthread_create_on_cpu(fn, data, cpu, namefmt)		\
({									\
	unsigned int __tqc_cpu = (cpu);					\
	struct task_struct *__tqc_p;					\
									\
	__tqc_p = kthread_create_on_node(fn, data, cpu_to_node(__tqc_cpu), \
					 namefmt, __tqc_cpu);		\
	if (!IS_ERR(__tqc_p))						\
		kthread_bind(__tqc_p, __tqc_cpu);			\
	__tqc_p;							\
})
#endif

/* kthread_create_worker() became kthread_run_worker() in 6.14. */
#if TQC_HAVE_KTHREAD_RUN_WORKER
#define tqc_kthread_run_worker(flags, name) kthread_run_worker(flags, name)
#else
#define tqc_kthread_run_worker(flags, name) kthread_create_worker(flags, name)
#endif

/*
 * Symbol namespaces became string literals in 6.13. tqueue exports its API
 * without a namespace; only the test hooks live in TQUEUE_INTERNAL:
 * EXPORT_SYMBOL_NS_GPL(sym, TQC_TEST_NS) and MODULE_IMPORT_NS(TQC_TEST_NS).
 */
#if TQC_HAVE_NS_STRING
#define TQC_TEST_NS "TQUEUE_INTERNAL"
#else
#define TQC_TEST_NS TQUEUE_INTERNAL
#endif

/* PDE_DATA() became pde_data() in 5.17. */
#if TQC_HAVE_PDE_DATA
#define tqc_pde_data(inode) pde_data(inode)
#else
#define tqc_pde_data(inode) PDE_DATA(inode)
#endif

/* in_irq() became in_hardirq() after 5.10. */
#if TQC_HAVE_IN_HARDIRQ
#define tqc_in_hardirq() in_hardirq()
#else
#define tqc_in_hardirq() in_irq()
#endif

/*
 * An irq_work that runs in hard IRQ context even on PREEMPT_RT: 5.10 has
 * the IRQ_WORK_HARD_IRQ flag but no initializer for it.
 */
#if TQC_HAVE_IRQ_WORK_INIT_HARD
#define TQC_IRQ_WORK_INIT_HARD(fn) IRQ_WORK_INIT_HARD(fn)
#else
#define TQC_IRQ_WORK_INIT_HARD(fn) ((struct irq_work){	\
	.flags = ATOMIC_INIT(IRQ_WORK_HARD_IRQ),	\
	.func = (fn),					\
})
#endif

/* test_bit_acquire() arrived in 6.0. */
#if TQC_HAVE_TEST_BIT_ACQUIRE
#define tqc_test_bit_acquire(nr, addr) test_bit_acquire(nr, addr)
#else
static inline bool tqc_test_bit_acquire(unsigned long nr,
					const unsigned long *addr)
{
	/* test_bit_acquire()'s ordering: pairs with the caller's release. */
	unsigned long word = smp_load_acquire(&addr[BIT_WORD(nr)]);

	return (word >> (nr & (BITS_PER_LONG - 1))) & 1;
}
#endif

/*
 * A bottom half: a BH work item where the kernel has WQ_BH (6.9+), a
 * tasklet before that. The callback runs in softirq context on the CPU that
 * scheduled it.
 */
#if TQC_HAVE_WQ_BH
struct tqc_bh {
	struct work_struct work;
	void (*fn)(struct tqc_bh *bh);
};

static inline void tqc_bh_work_fn(struct work_struct *work)
{
	struct tqc_bh *bh = container_of(work, struct tqc_bh, work);

	bh->fn(bh);
}

static inline void tqc_bh_init(struct tqc_bh *bh, void (*fn)(struct tqc_bh *))
{
	INIT_WORK(&bh->work, tqc_bh_work_fn);
	bh->fn = fn;
}

static inline void tqc_bh_schedule(struct tqc_bh *bh)
{
	queue_work(system_bh_wq, &bh->work);
}

static inline void tqc_bh_cancel_sync(struct tqc_bh *bh)
{
	cancel_work_sync(&bh->work);
}
#else
struct tqc_bh {
	struct tasklet_struct tasklet;
	void (*fn)(struct tqc_bh *bh);
};

static inline void tqc_bh_tasklet_fn(struct tasklet_struct *t)
{
	struct tqc_bh *bh = container_of(t, struct tqc_bh, tasklet);

	bh->fn(bh);
}

static inline void tqc_bh_init(struct tqc_bh *bh, void (*fn)(struct tqc_bh *))
{
	tasklet_setup(&bh->tasklet, tqc_bh_tasklet_fn);
	bh->fn = fn;
}

static inline void tqc_bh_schedule(struct tqc_bh *bh)
{
	tasklet_schedule(&bh->tasklet);
}

static inline void tqc_bh_cancel_sync(struct tqc_bh *bh)
{
	tasklet_kill(&bh->tasklet);
}
#endif

#endif /* _TQUEUE_COMPAT_H */
