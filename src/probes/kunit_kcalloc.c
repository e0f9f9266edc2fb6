// SPDX-License-Identifier: GPL-2.0
/* kunit_kcalloc() (5.18). Else: kunit_kzalloc() of n * size. */
#include <kunit/test.h>

void *tqc_probe(struct kunit *test);
void *tqc_probe(struct kunit *test)
{
	return kunit_kcalloc(test, 2, sizeof(long), GFP_KERNEL);
}
