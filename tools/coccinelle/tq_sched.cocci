// SPDX-License-Identifier: GPL-2.0
// schedule_task() and tq_scheduler -> a work item on an ordered workqueue
// the module creates: one thread of execution, as keventd was.
// tools/tq-port passes the -D flags; every rule file knows them all.
virtual patch
virtual report
virtual hrsetup
virtual hrinit
virtual bhwq

@uses@
identifier T;
symbol tq_scheduler;
@@
(
schedule_task(&T)
|
queue_task(&T, &tq_scheduler)
)

@other@
identifier uses.T;
identifier Q != tq_scheduler;
@@
queue_task(&T, &Q)

@mi@
declarer name module_init;
identifier I;
@@
module_init(I);

@me@
declarer name module_exit;
identifier E;
@@
module_exit(E);

// The workqueue is created first in module_init, and destroyed on each of
// its error returns: those must be 0 or a negative constant. Else left to
// the report rule.
@initialize:python@
@@
import re


def bad_ret(r):
    return not re.match("^(0|- *[A-Z][A-Z0-9_]*)$", str(r).strip())

// "if (ret) return ret;" is an error return too.
@okret@
identifier mi.I;
expression R;
position p;
@@
I(...) {
<...
if (R)
return@p R;
...>
}

@badret exists@
identifier mi.I;
expression R : script:python () { bad_ret(R) };
position p != okret.p;
@@
I(...) {
... when any
return@p R;
... when any
}

@td@
identifier uses.T, F;
@@
(
struct tq_struct T = { .routine = F };
|
struct tq_struct T = { routine : F };
)

// The routine's argument becomes the work item: a routine that reads its
// data is left to the report rule.
@usesdata@
identifier td.F, p;
@@
void F(void *p) { <+... p ...+> }

@decl depends on patch && mi && me && !badret && !other && !usesdata@
identifier uses.T, td.F;
@@
(
-struct tq_struct T = { .routine = F };
+DECLARE_WORK(T, F);
|
-struct tq_struct T = { routine : F };
+DECLARE_WORK(T, F);
)

@wq depends on decl@
declarer name DECLARE_WORK;
identifier uses.T, td.F;
@@
+static struct workqueue_struct *keventd_wq;
 DECLARE_WORK(T, F);

@fn depends on decl@
identifier td.F, p;
@@
 void F(
-void *p
+struct work_struct *p
 )
 { ... }

@proto depends on decl@
identifier td.F, p;
@@
 void F(
-void *p
+struct work_struct *p
 );

// A task in a struct, as tq_timer.cocci's: set up by
// INIT_TQUEUE(&obj->m, fn, obj), queued only through schedule_task(),
// cancelled somewhere, its routine taking its object from data in its
// first line. The member becomes a work item on keventd_wq.
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
symbol tq_scheduler;
@@
(
schedule_task(&E->M)
|
queue_task(&E->M, &tq_scheduler)
)

@mother@
identifier mem.M;
expression E;
identifier Q != tq_scheduler;
@@
queue_task(&E->M, &Q)

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

@mdecl depends on patch && mi && me && !badret && muses && mcancel && mfn && !mother@
identifier mem.S, mem.M;
@@
struct S { ...
-struct tq_struct M;
+struct work_struct M;
...
};

// Once, before the first struct that holds such a task, unless a static
// task has put it before its DECLARE_WORK.
@mwq depends on mdecl && !wq@
identifier mem.S;
@@
+static struct workqueue_struct *keventd_wq;
 struct S { ... };

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

@depends on mdecl@
identifier mem.M, minit.F;
expression E;
@@
-INIT_TQUEUE(&E->M, F, E);
+INIT_WORK(&E->M, F);

@depends on mdecl@
identifier mem.M;
expression E;
symbol tq_scheduler;
@@
(
-schedule_task(&E->M)
+queue_work(keventd_wq, &E->M)
|
-queue_task(&E->M, &tq_scheduler)
+queue_work(keventd_wq, &E->M)
)

@depends on mdecl@
identifier mem.M;
expression E;
@@
-cancel_task_sync(&E->M)
+cancel_work_sync(&E->M)

@q depends on decl@
identifier uses.T;
symbol tq_scheduler;
@@
(
-schedule_task(&T)
+queue_work(keventd_wq, &T)
|
-queue_task(&T, &tq_scheduler)
+queue_work(keventd_wq, &T)
)

@depends on decl || mdecl@
@@
-flush_scheduled_tasks()
+flush_workqueue(keventd_wq)

@depends on decl@
identifier uses.T;
@@
-cancel_task_sync(&T)
+cancel_work_sync(&T)

@err depends on decl || mdecl@
identifier mi.I;
constant C;
@@
I(...) {
<...
+destroy_workqueue(keventd_wq);
 return -C;
...>
}

// After the function's declarations, before its first statement.
@err2 depends on decl || mdecl@
identifier mi.I;
expression R;
@@
I(...) {
<...
-if (R)
-return R;
+if (R) {
+destroy_workqueue(keventd_wq);
+return R;
+}
...>
}

@ini depends on decl || mdecl@
identifier mi.I;
statement S, S1;
@@
I(...) {
... when != S
+keventd_wq = alloc_ordered_workqueue("%s", 0, KBUILD_MODNAME);
+if (!keventd_wq)
+	return -ENOMEM;
S1
...
}

// destroy_workqueue() runs what is queued, then frees the workqueue: the
// module's work is done before its code goes.
@ex depends on decl || mdecl@
identifier me.E;
@@
E(...) {
...
+destroy_workqueue(keventd_wq);
}

@has_workqueue@
@@
#include <linux/workqueue.h>

@inc depends on (decl || mdecl) && !has_workqueue@
@@
+#include <linux/workqueue.h>
 #include <linux/tqueue.h>
