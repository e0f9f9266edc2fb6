// SPDX-License-Identifier: GPL-2.0
// A queue of the module's own (DECLARE_TASK_QUEUE + run_task_queue) -> an
// llist the caller drains, in its own context, as run_task_queue() did.
// tools/tq-port passes the -D flags; every rule file knows them all.
virtual patch
virtual report
virtual hrsetup
virtual hrinit
virtual bhwq

@own@
declarer name DECLARE_TASK_QUEUE;
identifier Q;
@@
DECLARE_TASK_QUEUE(Q);

@uses@
identifier own.Q, T;
@@
queue_task(&T, &Q)

// A task of this queue that is also queued elsewhere: left to the report
// rule.
@other@
identifier own.Q, uses.T;
identifier Q2 : script:python (Q) { Q2 != Q };
@@
(
queue_task(&T, &Q2)
|
schedule_task(&T)
)

// The queue becomes an llist; tools/tq-port adds the helpers that queue
// and run its calls (tools/coccinelle/helpers/deferred_call.c) after the
// includes. Their pending bit is set and cleared by fully ordered RMWs: a caller
// that finds the call still queued relies on the run in progress to see
// what it stored before (tests/lkmm/pending-event.litmus; a release-only
// clear, as clear_bit_unlock(), loses that run: pending-event-release).
@q depends on patch && !other@
declarer name DECLARE_TASK_QUEUE, LLIST_HEAD;
identifier own.Q;
@@
-DECLARE_TASK_QUEUE(Q);
+LLIST_HEAD(Q);

@decl depends on q@
identifier uses.T;
initializer I;
@@
(
-struct tq_struct
+struct deferred_call
 T = I;
|
-struct tq_struct
+struct deferred_call
 T;
)

// 2.4's "member: value" initializers, in today's designated form.
@depends on decl@
identifier uses.T;
expression F;
@@
 struct deferred_call T = { ...,
-routine : F
+.routine = F
 , ... };

@depends on decl@
identifier uses.T;
expression D;
@@
 struct deferred_call T = { ...,
-data : D
+.data = D
 , ... };

@depends on q@
identifier uses.T;
expression F, D;
@@
-INIT_TQUEUE(&T, F, D);
+T.routine = F;
+T.data = D;

@depends on q@
identifier own.Q, uses.T;
@@
-queue_task(&T, &Q)
+deferred_call_queue(&T, &Q)

@depends on q@
identifier own.Q;
@@
-run_task_queue(&Q)
+deferred_call_run(&Q)

@depends on q@
identifier own.Q;
@@
(
-!TQ_ACTIVE(Q)
+llist_empty(&Q)
|
-TQ_ACTIVE(Q)
+!llist_empty(&Q)
)

@has_llist@
@@
#include <linux/llist.h>

@inc depends on q && !has_llist@
@@
+#include <linux/llist.h>
 #include <linux/tqueue.h>
