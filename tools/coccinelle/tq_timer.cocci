// SPDX-License-Identifier: GPL-2.0
// A task on tq_timer -> a soft hrtimer re-armed for TICK_NSEC.
// tools/tq-port passes the -D flags; every rule file knows them all.
virtual patch
virtual report
virtual hrsetup
virtual hrinit
virtual bhwq

// A task queued on tq_timer only: not on another queue, not scheduled.
@uses@
identifier T;
symbol tq_timer;
@@
queue_task(&T, &tq_timer)

@other@
identifier uses.T;
identifier Q != tq_timer;
@@
(
queue_task(&T, &Q)
|
schedule_task(&T)
)

// The timer's setup goes first in module_init, after its declarations,
// so that it comes before any start and before the exit's cancel.
@mi@
declarer name module_init;
identifier I;
@@
module_init(I);

@decl depends on patch && mi && !other@
identifier uses.T, F;
@@
(
-struct tq_struct T = { .routine = F };
+struct hrtimer T;
|
-struct tq_struct T = { NULL, 0, F, NULL };
+struct hrtimer T;
|
-struct tq_struct T = { routine : F };
+struct hrtimer T;
)

@fn depends on decl@
identifier decl.F, p;
@@
-void
+enum hrtimer_restart
 F(
-void *p
+struct hrtimer *p
 )
 {
 ...
+return HRTIMER_NORESTART;
 }

@proto depends on decl@
identifier decl.F, p;
@@
-void
+enum hrtimer_restart
 F(
-void *p
+struct hrtimer *p
 );

// queue_task()'s value: 1 if it queued the task, 0 if it was queued
// already. hrtimer_start() has none: tools/tq-port adds
// timer_task_start() (tools/coccinelle/helpers/), which returns it.
@q depends on decl@
identifier uses.T;
expression E;
symbol tq_timer;
@@
(
-queue_task(&T, &tq_timer);
+hrtimer_start(&T, ns_to_ktime(TICK_NSEC), HRTIMER_MODE_REL_SOFT);
|
-queue_task(&T, &tq_timer)
+timer_task_start(&T)
)

@c depends on decl@
identifier uses.T;
@@
-cancel_task_sync(&T)
+hrtimer_cancel(&T)

@s1 depends on decl && hrsetup@
identifier mi.I, uses.T, decl.F;
statement S, S1;
@@
I(...) {
... when != S
+hrtimer_setup(&T, F, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
S1
...
}

@s2 depends on decl && hrinit@
identifier mi.I, uses.T, decl.F;
statement S, S1;
@@
I(...) {
... when != S
+hrtimer_init(&T, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
+T.function = F;
S1
...
}

// A failed init stops the timer it may have started: the module's code is
// freed when init fails.
@err depends on decl@
identifier mi.I, uses.T;
constant C;
@@
I(...) {
<...
+hrtimer_cancel(&T);
 return -C;
...>
}

// tq-port drops <linux/tqueue.h> (tq_include.cocci) once nothing of
// tqueue is left in the file.
@has_hrtimer@
@@
#include <linux/hrtimer.h>

@inc depends on decl && !has_hrtimer@
@@
+#include <linux/hrtimer.h>
 #include <linux/tqueue.h>

// The module stops its timer itself at unload, after what its exit did:
// tqueue's purge waited for a running routine, a native timer does not.
@me@
declarer name module_exit;
identifier E;
@@
module_exit(E);

@ex depends on decl && patch@
identifier me.E, uses.T;
@@
E(...) {
... when != hrtimer_cancel(&T)
+hrtimer_cancel(&T);
}
