// SPDX-License-Identifier: GPL-2.0
/*
 * Not a feature: compiles on every kernel. If it fails, the probe compiler
 * itself is broken (wrong CC, say), and no other probe's "no" means anything.
 */
#include <linux/module.h>

int tqc_probe(void);
int tqc_probe(void)
{
	return 0;
}
