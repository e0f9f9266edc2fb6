// SPDX-License-Identifier: GPL-2.0
// <linux/tqueue.h> goes once nothing of tqueue's API is left: tools/tq-port
// applies this rule only when tq_left.cocci reports nothing in the file.
virtual patch
virtual report
virtual hrsetup
virtual hrinit
virtual bhwq

@depends on patch@
@@
-#include <linux/tqueue.h>
