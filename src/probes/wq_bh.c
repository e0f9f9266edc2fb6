// SPDX-License-Identifier: GPL-2.0
/* BH workqueues: WQ_BH and system_bh_wq (6.9). Else: a tasklet. */
#include <linux/workqueue.h>

bool tqc_probe(struct work_struct *work);
bool tqc_probe(struct work_struct *work)
{
	return WQ_BH && queue_work(system_bh_wq, work);
}
