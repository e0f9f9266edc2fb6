/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the files of tq_bench.ko. */
#ifndef _TQ_BENCH_H
#define _TQ_BENCH_H

#include <linux/types.h>

u64 bench_median(u64 *v, unsigned int n);
int bench_cost(unsigned int rounds);

#endif /* _TQ_BENCH_H */
