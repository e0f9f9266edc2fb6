// SPDX-License-Identifier: GPL-2.0
/* kthread_run_worker() (6.14). Else: kthread_create_worker(). */
#include <linux/kthread.h>

struct kthread_worker *tqc_probe(void);
struct kthread_worker *tqc_probe(void)
{
	return kthread_run_worker(0, "tqc_probe");
}
