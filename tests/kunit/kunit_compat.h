/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit's differences between Linux 5.10 and 7.3, for tests/kunit/ only: the
 * rest are in src/compat.h, whose top says how the branches are chosen.
 * KUnit's assertions are macros, so #ifdef is their probe;
 * kunit_kcalloc() is a function, probed by src/probes/kunit_kcalloc.c.
 */
#ifndef _TQ_KUNIT_COMPAT_H
#define _TQ_KUNIT_COMPAT_H

#include <kunit/test.h>
#include <linux/overflow.h>
#include "compat.h"

/* KUNIT_EXPECT_NULL() and KUNIT_ASSERT_NOT_NULL() arrived after 5.10. */
#ifndef KUNIT_EXPECT_NULL
#define KUNIT_EXPECT_NULL(test, ptr) \
	KUNIT_EXPECT_PTR_EQ(test, (void *)(ptr), (void *)NULL)
#endif

#ifndef KUNIT_ASSERT_NOT_NULL
#define KUNIT_ASSERT_NOT_NULL(test, ptr) \
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ptr)
#endif

/* kunit_kcalloc() arrived after 5.10. */
#if TQC_HAVE_KUNIT_KCALLOC
#define tqc_kunit_kcalloc(test, n, size, gfp) kunit_kcalloc(test, n, size, gfp)
#else
static inline void *tqc_kunit_kcalloc(struct kunit *test, size_t n,
				      size_t size, gfp_t gfp)
{
	size_t bytes;

	if (check_mul_overflow(n, size, &bytes))
		return NULL;
	return kunit_kzalloc(test, bytes, gfp);
}
#endif

/*
 * 5.10's kunit_test_suites() defines the module's init and exit functions,
 * so a module can call it once only: there main_kunit.c registers every
 * suite of tqueue_kunit.ko, and tqc_kunit_test_suite() in the other files
 * only declares its suite. Later kernels find each call's suites in a
 * section of the module.
 */
#ifdef kunit_test_suites_for_module
#define TQC_KUNIT_ONE_REGISTRATION 1
#define tqc_kunit_test_suite(suite) extern struct kunit_suite suite
#else
#define TQC_KUNIT_ONE_REGISTRATION 0
#define tqc_kunit_test_suite(suite) kunit_test_suite(suite)
#endif

#endif /* _TQ_KUNIT_COMPAT_H */
