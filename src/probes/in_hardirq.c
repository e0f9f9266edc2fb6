// SPDX-License-Identifier: GPL-2.0
/* in_hardirq() (5.11). Else: in_irq(). */
#include <linux/preempt.h>

bool tqc_probe(void);
bool tqc_probe(void)
{
	return in_hardirq();
}
