// SPDX-License-Identifier: GPL-2.0
/* timer_delete_sync() (6.2, backported). Else: del_timer_sync(). */
#include <linux/timer.h>

int tqc_probe(struct timer_list *timer);
int tqc_probe(struct timer_list *timer)
{
	return timer_delete_sync(timer);
}
