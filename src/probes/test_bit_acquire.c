// SPDX-License-Identifier: GPL-2.0
/* test_bit_acquire() (6.0). Else: smp_load_acquire() of the word. */
#include <linux/bitops.h>

bool tqc_probe(const unsigned long *addr);
bool tqc_probe(const unsigned long *addr)
{
	return test_bit_acquire(0, addr);
}
