/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What jiq needs of the kernel beyond tqueue, Linux 5.10 to 7.3.
 *
 * The demos are built the way a user's client module is: a tree of their
 * own whose Kbuild has tqueue's two documented lines and nothing of the
 * library's (not its feature probes, not src/compat.h). So the choices here
 * are made with what a client has: #ifdef where the API is a macro, and a
 * version test only where the older API still exists on every kernel below
 * the version, so that a distribution backport of the newer one cannot
 * break it.
 */
#ifndef _JIQ_COMPAT_H
#define _JIQ_COMPAT_H

#include <linux/interrupt.h>
#include <linux/timer.h>
#include <linux/version.h>
#include <linux/workqueue.h>

/* timer_container_of() replaced from_timer() in 6.16; both are macros. */
#ifdef timer_container_of
#define jiq_timer_container_of(var, t, field) timer_container_of(var, t, field)
#else
#define jiq_timer_container_of(var, t, field) from_timer(var, t, field)
#endif

/* timer_delete_sync() came in 6.2; del_timer_sync() is gone from 6.15 on. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define jiq_timer_delete_sync(t) timer_delete_sync(t)
#else
#define jiq_timer_delete_sync(t) del_timer_sync(t)
#endif

/*
 * /proc/jiqtasklet's bottom half: a BH work item from 6.9 on (WQ_BH), a
 * tasklet before. The callback runs in softirq context on the CPU that
 * scheduled it.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
struct jiq_bh {
	struct work_struct work;
	void (*fn)(struct jiq_bh *bh);
};

static inline void jiq_bh_work(struct work_struct *work)
{
	struct jiq_bh *bh = container_of(work, struct jiq_bh, work);

	bh->fn(bh);
}

static inline void jiq_bh_init(struct jiq_bh *bh, void (*fn)(struct jiq_bh *))
{
	INIT_WORK(&bh->work, jiq_bh_work);
	bh->fn = fn;
}

static inline void jiq_bh_schedule(struct jiq_bh *bh)
{
	queue_work(system_bh_wq, &bh->work);
}

static inline void jiq_bh_cancel_sync(struct jiq_bh *bh)
{
	cancel_work_sync(&bh->work);
}
#else
struct jiq_bh {
	struct tasklet_struct tasklet;
	void (*fn)(struct jiq_bh *bh);
};

static inline void jiq_bh_tasklet(struct tasklet_struct *t)
{
	struct jiq_bh *bh = container_of(t, struct jiq_bh, tasklet);

	bh->fn(bh);
}

static inline void jiq_bh_init(struct jiq_bh *bh, void (*fn)(struct jiq_bh *))
{
	tasklet_setup(&bh->tasklet, jiq_bh_tasklet);
	bh->fn = fn;
}

static inline void jiq_bh_schedule(struct jiq_bh *bh)
{
	tasklet_schedule(&bh->tasklet);
}

static inline void jiq_bh_cancel_sync(struct jiq_bh *bh)
{
	tasklet_kill(&bh->tasklet);
}
#endif

#endif /* _JIQ_COMPAT_H */
