// SPDX-License-Identifier: GPL-2.0
/* pde_data() (5.17). Else: PDE_DATA(). */
#include <linux/proc_fs.h>

void *tqc_probe(const struct inode *inode);
void *tqc_probe(const struct inode *inode)
{
	return pde_data(inode);
}
