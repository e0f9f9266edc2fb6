// SPDX-License-Identifier: GPL-2.0
// What the other rules left of tqueue's API, reported at its line.
// tools/tq-port passes the -D flags; every rule file knows them all.
virtual patch
virtual report
virtual hrsetup
virtual hrinit
virtual bhwq

@r depends on report@
identifier f =~ "^(queue_task|run_task_queue|schedule_task|flush_scheduled_tasks|mark_bh|cancel_task_sync|flush_task_queue|INIT_TQUEUE|PREPARE_TQUEUE|TQ_ACTIVE|tq_stats_register|tq_stats_unregister)$";
expression list es;
position p;
@@
f@p(es)

@script:python depends on r@
f << r.f;
p << r.p;
@@
print("%s:%s: tq-port: cannot convert this %s()" % (p[0].file, p[0].line, f))

@t depends on report@
identifier x;
position p;
@@
(
struct tq_struct x@p;
|
struct tq_struct x@p = ...;
)

@script:python depends on t@
x << t.x;
p << t.p;
@@
print("%s:%s: tq-port: cannot convert the task %s" % (p[0].file, p[0].line, x))

@d depends on report@
declarer name DECLARE_TASK_QUEUE;
identifier q;
position p;
@@
DECLARE_TASK_QUEUE@p(q);

@script:python depends on d@
q << d.q;
p << d.p;
@@
print("%s:%s: tq-port: cannot convert the task queue %s" % (p[0].file, p[0].line, q))

@m depends on report@
identifier s, x;
position p;
@@
struct s { ...
struct tq_struct x@p;
...
};

@script:python depends on m@
s << m.s;
x << m.x;
p << m.p;
@@
print("%s:%s: tq-port: cannot convert the task %s in struct %s" % (p[0].file, p[0].line, x, s))

// A task in a struct that nothing cancels relies on tqueue's unload purge:
// the converted module must cancel it before it frees the object, and no
// rule knows where that is.
@mc depends on report@
identifier m.x;
expression E;
@@
cancel_task_sync(&E->x)

@script:python depends on m && !mc@
s << m.s;
x << m.x;
p << m.p;
@@
print("%s:%s: tq-port: nothing cancels the task %s in struct %s: add cancel_task_sync() before its object is freed (tqueue's unload purge does it today)" % (p[0].file, p[0].line, x, s))
