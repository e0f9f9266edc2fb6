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

// The routine's argument becomes the native one: a routine that reads
// its data is left to the report rule.
@td@
identifier uses.T, F;
@@
(
struct tq_struct T = { .routine = F };
|
struct tq_struct T = { NULL, 0, F, NULL };
|
struct tq_struct T = { routine : F };
)

@usesdata@
identifier td.F, p;
@@
void F(void *p) { <+... p ...+> }

@decl depends on patch && mi && !other && !usesdata@
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
 <...
-return;
+return HRTIMER_NORESTART;
 ...>
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

// A task in a struct, the common driver pattern: set up by
// INIT_TQUEUE(&obj->m, fn, obj), queued only on tq_timer, cancelled with
// cancel_task_sync() somewhere (the module stops it before it frees the
// object: no rule can place that for it), whose routine takes its object
// from data in its first line and does not use data again. The member
// becomes an hrtimer; the routine gets its object with container_of().
@mem@
identifier S, M;
@@
struct S { ...
struct tq_struct M;
...
};

@muses@
identifier mem.M;
expression E;
symbol tq_timer;
@@
queue_task(&E->M, &tq_timer)

@mother@
identifier mem.M;
expression E;
identifier Q != tq_timer;
@@
(
queue_task(&E->M, &Q)
|
schedule_task(&E->M)
)

@minit@
identifier mem.M, F;
expression E;
@@
INIT_TQUEUE(&E->M, F, E);

@mcancel@
identifier mem.M;
expression E;
@@
cancel_task_sync(&E->M)

@mfn@
identifier minit.F, p, x, mem.S;
@@
void F(void *p)
{
struct S *x = p;
... when != p
}

@mdecl depends on patch && muses && mcancel && mfn && !mother@
identifier mem.S, mem.M;
@@
struct S { ...
-struct tq_struct M;
+struct hrtimer M;
...
};

@depends on mdecl@
identifier minit.F, mfn.p, mfn.x, mem.S, mem.M;
@@
-void
+enum hrtimer_restart
 F(
-void *p
+struct hrtimer *p
 )
 {
-struct S *x = p;
+struct S *x = container_of(p, struct S, M);
 <...
-return;
+return HRTIMER_NORESTART;
 ...>
+return HRTIMER_NORESTART;
 }

@depends on mdecl@
identifier mem.M;
expression E;
symbol tq_timer;
@@
(
-queue_task(&E->M, &tq_timer);
+hrtimer_start(&E->M, ns_to_ktime(TICK_NSEC), HRTIMER_MODE_REL_SOFT);
|
-queue_task(&E->M, &tq_timer)
+timer_task_start(&E->M)
)

@depends on mdecl@
identifier mem.M;
expression E;
@@
-cancel_task_sync(&E->M)
+hrtimer_cancel(&E->M)

@depends on mdecl && hrsetup@
identifier mem.M, minit.F;
expression E;
@@
-INIT_TQUEUE(&E->M, F, E);
+hrtimer_setup(&E->M, F, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);

@depends on mdecl && hrinit@
identifier mem.M, minit.F;
expression E;
@@
-INIT_TQUEUE(&E->M, F, E);
+hrtimer_init(&E->M, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
+E->M.function = F;

// tq-port drops <linux/tqueue.h> (tq_include.cocci) once nothing of
// tqueue is left in the file.
@has_hrtimer@
@@
#include <linux/hrtimer.h>

@inc depends on (decl || mdecl) && !has_hrtimer@
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
