// SPDX-License-Identifier: GPL-2.0
/* hrtimer_setup() (6.13). Else: hrtimer_init() and ->function. */
#include <linux/hrtimer.h>

void tqc_probe(struct hrtimer *timer,
	       enum hrtimer_restart (*fn)(struct hrtimer *timer));
void tqc_probe(struct hrtimer *timer,
	       enum hrtimer_restart (*fn)(struct hrtimer *timer))
{
	hrtimer_setup(timer, fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
}
