/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference tqueue cares about, in one place.
 *
 * The code is written against the newest API; this header backfills older
 * kernels. Helpers carry a tqc_ prefix so that a distribution backport of a
 * newer kernel API can never collide with them.
 */
#ifndef _TQUEUE_COMPAT_H
#define _TQUEUE_COMPAT_H

#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/timer.h>
#include <linux/version.h>
#include <linux/workqueue.h>

/* The one place that compares kernel versions. */
#define TQC_KERNEL_AT_LEAST(a, b, c) \
	(KERNEL_VERSION(a, b, c) <= LINUX_VERSION_CODE)

/* hrtimer_setup() arrived in 6.13; hrtimer_init() is gone from 6.15 on. */
#if TQC_KERNEL_AT_LEAST(6, 13, 0)
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

/* from_timer() became timer_container_of() in 6.16. */
#if TQC_KERNEL_AT_LEAST(6, 16, 0)
#define tqc_timer_container_of(var, timer, field) \
	timer_container_of(var, timer, field)
#else
#define tqc_timer_container_of(var, timer, field) from_timer(var, timer, field)
#endif

/* kthread_create_worker() became kthread_run_worker() in 6.14. */
#if TQC_KERNEL_AT_LEAST(6, 14, 0)
#define tqc_kthread_run_worker(flags, name) kthread_run_worker(flags, name)
#else
#define tqc_kthread_run_worker(flags, name) kthread_create_worker(flags, name)
#endif

/*
 * Symbol namespaces became string literals in 6.13. tqueue exports its API
 * without a namespace; only the test hooks live in TQUEUE_INTERNAL:
 * EXPORT_SYMBOL_NS_GPL(sym, TQC_TEST_NS) and MODULE_IMPORT_NS(TQC_TEST_NS).
 */
#if TQC_KERNEL_AT_LEAST(6, 13, 0)
#define TQC_TEST_NS "TQUEUE_INTERNAL"
#else
#define TQC_TEST_NS TQUEUE_INTERNAL
#endif

/*
 * A bottom half: a BH work item where the kernel has WQ_BH (6.9+), a
 * tasklet before that. The callback runs in softirq context on the CPU that
 * scheduled it.
 */
#if TQC_KERNEL_AT_LEAST(6, 9, 0)
#define TQC_HAVE_WQ_BH 1
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
#define TQC_HAVE_WQ_BH 0
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
