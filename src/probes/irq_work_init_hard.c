// SPDX-License-Identifier: GPL-2.0
/* IRQ_WORK_INIT_HARD() (after 5.10). Else: IRQ_WORK_HARD_IRQ by hand. */
#include <linux/irq_work.h>

static void tqc_probe_fn(struct irq_work *work)
{
}

void tqc_probe(struct irq_work *work);
void tqc_probe(struct irq_work *work)
{
	*work = IRQ_WORK_INIT_HARD(tqc_probe_fn);
}
