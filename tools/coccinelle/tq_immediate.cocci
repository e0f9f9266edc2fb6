// SPDX-License-Identifier: GPL-2.0
// A task on tq_immediate (+ mark_bh(IMMEDIATE_BH)) -> a BH work item on
// system_bh_wq (6.9+, -D bhwq), a tasklet before.
// tools/tq-port passes the -D flags; every rule file knows them all.
virtual patch
virtual report
virtual hrsetup
virtual hrinit
virtual bhwq

@uses@
identifier T;
symbol tq_immediate;
@@
queue_task(&T, &tq_immediate)

@other@
identifier uses.T;
identifier Q != tq_immediate;
@@
(
queue_task(&T, &Q)
|
schedule_task(&T)
)

// The routine's argument becomes the native one: a routine that reads
// its data is left to the report rule.
@td@
identifier uses.T, F;
@@
(
struct tq_struct T = { .routine = F };
|
struct tq_struct T = { routine : F };
)

@usesdata@
identifier td.F, p;
@@
void F(void *p) { <+... p ...+> }

@decl depends on patch && bhwq && !other && !usesdata@
identifier uses.T, F;
@@
(
-struct tq_struct T = { .routine = F };
+DECLARE_WORK(T, F);
|
-struct tq_struct T = { routine : F };
+DECLARE_WORK(T, F);
)

@tdecl depends on patch && !bhwq && !other && !usesdata@
identifier uses.T, F;
@@
(
-struct tq_struct T = { .routine = F };
+DECLARE_TASKLET(T, F);
|
-struct tq_struct T = { routine : F };
+DECLARE_TASKLET(T, F);
)

@fn depends on decl@
identifier decl.F, p;
@@
 void F(
-void *p
+struct work_struct *p
 )
 { ... }

@proto depends on decl@
identifier decl.F, p;
@@
 void F(
-void *p
+struct work_struct *p
 );

@tfn depends on tdecl@
identifier tdecl.F, p;
@@
 void F(
-void *p
+struct tasklet_struct *p
 )
 { ... }

@tproto depends on tdecl@
identifier tdecl.F, p;
@@
 void F(
-void *p
+struct tasklet_struct *p
 );

@q depends on decl@
identifier uses.T;
symbol tq_immediate;
@@
-queue_task(&T, &tq_immediate)
+queue_work(system_bh_wq, &T)

// queue_task()'s value: 1 if it queued the task, 0 if it was queued
// already. queue_work() returns it; tasklet_schedule() does not, and
// tools/tq-port adds tasklet_task_schedule() (tools/coccinelle/helpers/),
// which does.
@tq depends on tdecl@
identifier uses.T;
symbol tq_immediate;
@@
(
-queue_task(&T, &tq_immediate);
+tasklet_schedule(&T);
|
-queue_task(&T, &tq_immediate)
+tasklet_task_schedule(&T)
)

// A task in a struct, as tq_timer.cocci's: set up by
// INIT_TQUEUE(&obj->m, fn, obj), queued only on tq_immediate, cancelled
// somewhere, its routine taking its object from data in its first line.
// The member becomes a work item (a tasklet before 6.9), the routine gets
// its object with container_of().
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
symbol tq_immediate;
@@
queue_task(&E->M, &tq_immediate)

@mother@
identifier mem.M;
expression E;
identifier Q != tq_immediate;
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

@mdecl depends on patch && bhwq && muses && mcancel && mfn && !mother@
identifier mem.S, mem.M;
@@
struct S { ...
-struct tq_struct M;
+struct work_struct M;
...
};

@mtdecl depends on patch && !bhwq && muses && mcancel && mfn && !mother@
identifier mem.S, mem.M;
@@
struct S { ...
-struct tq_struct M;
+struct tasklet_struct M;
...
};

@depends on mdecl@
identifier minit.F, mfn.p, mfn.x, mem.S, mem.M;
@@
 void F(
-void *p
+struct work_struct *p
 )
 {
-struct S *x = p;
+struct S *x = container_of(p, struct S, M);
 ...
 }

@depends on mtdecl@
identifier minit.F, mfn.p, mfn.x, mem.S, mem.M;
@@
 void F(
-void *p
+struct tasklet_struct *p
 )
 {
-struct S *x = p;
+struct S *x = container_of(p, struct S, M);
 ...
 }

@depends on mdecl@
identifier mem.M, minit.F;
expression E;
@@
-INIT_TQUEUE(&E->M, F, E);
+INIT_WORK(&E->M, F);

@depends on mtdecl@
identifier mem.M, minit.F;
expression E;
@@
-INIT_TQUEUE(&E->M, F, E);
+tasklet_setup(&E->M, F);

@depends on mdecl@
identifier mem.M;
expression E;
symbol tq_immediate;
@@
-queue_task(&E->M, &tq_immediate)
+queue_work(system_bh_wq, &E->M)

@depends on mtdecl@
identifier mem.M;
expression E;
symbol tq_immediate;
@@
(
-queue_task(&E->M, &tq_immediate);
+tasklet_schedule(&E->M);
|
-queue_task(&E->M, &tq_immediate)
+tasklet_task_schedule(&E->M)
)

@depends on mdecl@
identifier mem.M;
expression E;
@@
-cancel_task_sync(&E->M)
+cancel_work_sync(&E->M)

@depends on mtdecl@
identifier mem.M;
expression E;
@@
-cancel_task_sync(&E->M)
+tasklet_kill(&E->M)

// queue_work() and tasklet_schedule() run the item soon by themselves: the
// mark has nothing to do.
@m depends on decl || tdecl || mdecl || mtdecl@
symbol IMMEDIATE_BH;
@@
-mark_bh(IMMEDIATE_BH);

// A branch that queued and marked now holds one statement: no braces.
@depends on m@
expression C, E1, E2;
@@
(
-if (C) {
-queue_work(E1, E2);
-}
+if (C)
+	queue_work(E1, E2);
|
-if (C) {
-tasklet_schedule(E1);
-}
+if (C)
+	tasklet_schedule(E1);
)

@c depends on decl@
identifier uses.T;
@@
-cancel_task_sync(&T)
+cancel_work_sync(&T)

@tc depends on tdecl@
identifier uses.T;
@@
-cancel_task_sync(&T)
+tasklet_kill(&T)

@me@
declarer name module_exit;
identifier E;
@@
module_exit(E);

// The module stops its item itself at unload: tqueue's purge is gone.
@ex depends on decl@
identifier me.E, uses.T;
@@
E(...) {
... when != cancel_work_sync(&T)
+cancel_work_sync(&T);
}

@tex depends on tdecl@
identifier me.E, uses.T;
@@
E(...) {
... when != tasklet_kill(&T)
+tasklet_kill(&T);
}

@mi@
declarer name module_init;
identifier I;
@@
module_init(I);

// A failed init stops its item: the module's code is freed when init
// fails.
@err depends on decl@
identifier mi.I, uses.T;
constant C;
@@
I(...) {
<...
+cancel_work_sync(&T);
 return -C;
...>
}

@terr depends on tdecl@
identifier mi.I, uses.T;
constant C;
@@
I(...) {
<...
+tasklet_kill(&T);
 return -C;
...>
}

// tq-port drops <linux/tqueue.h> (tq_include.cocci) once nothing of
// tqueue is left in the file.
@has_workqueue@
@@
#include <linux/workqueue.h>

@inc depends on (decl || mdecl) && !has_workqueue@
@@
+#include <linux/workqueue.h>
 #include <linux/tqueue.h>

@has_interrupt@
@@
#include <linux/interrupt.h>

@tinc depends on (tdecl || mtdecl) && !has_interrupt@
@@
+#include <linux/interrupt.h>
 #include <linux/tqueue.h>
