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

// queue_task()'s value is used: hrtimer_start() has none. Left to the
// report rule.
@valued@
identifier uses.T;
expression E;
symbol tq_timer;
@@
(
E = queue_task(&T, &tq_timer)
|
queue_task(&T, &tq_timer) == E
|
E == queue_task(&T, &tq_timer)
|
!queue_task(&T, &tq_timer)
)

// The timer's setup goes before its first start in module_init: the
// init must queue the task itself, not in a branch, or the converted timer
// could start (or be cancelled at exit) before any setup. Else left to the
// report rule.
@mi@
declarer name module_init;
identifier I;
@@
module_init(I);

@initq@
identifier mi.I, uses.T;
symbol tq_timer;
@@
I(...) {
...
queue_task(&T, &tq_timer);
...
}

@decl depends on patch && initq && !other && !valued@
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

@q depends on decl@
identifier uses.T;
symbol tq_timer;
@@
-queue_task(&T, &tq_timer)
+hrtimer_start(&T, ns_to_ktime(TICK_NSEC), HRTIMER_MODE_REL_SOFT)

@c depends on decl@
identifier uses.T;
@@
-cancel_task_sync(&T)
+hrtimer_cancel(&T)

@s1 depends on decl && hrsetup@
identifier mi.I, uses.T, decl.F;
@@
I(...) {
<...
+hrtimer_setup(&T, F, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
hrtimer_start(&T, ...);
...>
}

@s2 depends on decl && hrinit@
identifier mi.I, uses.T, decl.F;
@@
I(...) {
<...
+hrtimer_init(&T, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
+T.function = F;
hrtimer_start(&T, ...);
...>
}

// tq-port drops <linux/tqueue.h> (tq_include.cocci) once nothing of
// tqueue is left in the file.
@inc depends on decl@
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
