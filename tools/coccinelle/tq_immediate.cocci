// SPDX-License-Identifier: GPL-2.0
// A task on tq_immediate (+ mark_bh(IMMEDIATE_BH)) -> a BH work item on
// system_bh_wq (6.9+).
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

@decl depends on patch && bhwq && !other@
identifier uses.T, F;
@@
(
-struct tq_struct T = { .routine = F };
+DECLARE_WORK(T, F);
|
-struct tq_struct T = { routine : F };
+DECLARE_WORK(T, F);
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

@q depends on decl@
identifier uses.T;
symbol tq_immediate;
@@
-queue_task(&T, &tq_immediate)
+queue_work(system_bh_wq, &T)

// queue_work() runs the work soon by itself: the mark has nothing to do.
@m depends on decl@
symbol IMMEDIATE_BH;
@@
-mark_bh(IMMEDIATE_BH);

@c depends on decl@
identifier uses.T;
@@
-cancel_task_sync(&T)
+cancel_work_sync(&T)

@me@
declarer name module_exit;
identifier E;
@@
module_exit(E);

@ex depends on decl@
identifier me.E, uses.T;
@@
E(...) {
... when != cancel_work_sync(&T)
+cancel_work_sync(&T);
}

// tq-port drops <linux/tqueue.h> (tq_include.cocci) once nothing of
// tqueue is left in the file.
@inc depends on decl@
@@
+#include <linux/workqueue.h>
 #include <linux/tqueue.h>
