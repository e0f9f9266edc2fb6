// SPDX-License-Identifier: GPL-2.0
/*
 * The serialization of tq_timer and tq_immediate.
 *
 * In 2.4 the bottom halves, and with them tq_timer and tq_immediate, never
 * ran concurrently with one another. tqueue keeps that with one lock that
 * the runs of every serial queue take. It is recursive for its owner, since
 * a tq_timer routine may run tq_immediate itself, as 2.4 code did; bottom
 * halves stay disabled while it is held, so the owner, compared with
 * current, cannot change CPU (on PREEMPT_RT local_bh_disable() disables
 * migration). Hard IRQ and NMI never take it: run.c refuses those.
 */
#include <linux/bottom_half.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include "internal.h"

static DEFINE_SPINLOCK(tq_serial);
static struct task_struct *tq_serial_owner;	/* tq_serial; read by current */
static unsigned int tq_serial_depth;		/* tq_serial */

bool tq_serial_held(void)
{
	return READ_ONCE(tq_serial_owner) == current;
}

void tq_serial_lock(void)
	__acquires(&tq_serial)
{
	local_bh_disable();
	if (tq_serial_held()) {
		tq_serial_depth++;
		__acquire(&tq_serial);	/* nested: held already */
		return;
	}
	spin_lock(&tq_serial);
	WRITE_ONCE(tq_serial_owner, current);
	tq_serial_depth = 1;
}

void tq_serial_unlock(void)
	__releases(&tq_serial)
{
	lockdep_assert_held(&tq_serial);
	if (--tq_serial_depth) {
		__release(&tq_serial);	/* nested: still held */
	} else {
		WRITE_ONCE(tq_serial_owner, NULL);
		spin_unlock(&tq_serial);
	}
	local_bh_enable();
}
