// SPDX-License-Identifier: GPL-2.0
/*
 * Symbol namespaces are string literals (6.13, and RHEL 10's 6.12):
 * MODULE_IMPORT_NS("NS") hands its argument on as it is. Before, it
 * stringified its argument, and "NS" became "\"NS\"", a longer string.
 */
#include <linux/build_bug.h>
#include <linux/module.h>

#undef MODULE_INFO
#define MODULE_INFO(tag, info) \
	static_assert(sizeof(#tag) > 1 && sizeof(info) == sizeof("TQC"))

MODULE_IMPORT_NS("TQC");
