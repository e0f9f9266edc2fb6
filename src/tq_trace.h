/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tqueue's tracepoints, shaped like workqueue's (include/trace/events/
 * workqueue.h): TRACE_SYSTEM tqueue, in /sys/kernel/tracing/events/tqueue/.
 * src/trace.c defines them (CREATE_TRACE_POINTS); this header lives beside
 * the sources, which Kbuild puts on the include path for
 * TRACE_INCLUDE_PATH. Documentation/observing.rst shows them in use.
 *
 * A queue's name is copied into the event, never referenced: a routine
 * may free its queue, and the event outlives both.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM tqueue

#if !defined(_TQ_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TQ_TRACE_H

#include <linux/module.h>
#include <linux/tracepoint.h>
#include <linux/tqueue.h>

#define TQ_TRACE_NAME_LEN 24

/*
 * tqueue_queue_task - called by queue_task()
 * @task: the task
 * @name: the name of the queue it was given
 * @ret: what queue_task() returns, 1 if the task was queued
 */
TRACE_EVENT(tqueue_queue_task,
	TP_PROTO(const struct tq_struct *task, const char *name, int ret),
	TP_ARGS(task, name, ret),
	TP_STRUCT__entry(
		__field(const void *, task)
		__field(void *, routine)
		__array(char, queue, TQ_TRACE_NAME_LEN)
		__field(unsigned int, cpu)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->task = task;
		__entry->routine = task->routine;
		strscpy(__entry->queue, name, TQ_TRACE_NAME_LEN);
		__entry->cpu = raw_smp_processor_id();
		__entry->ret = ret;
	),
	TP_printk("task=%p routine=%ps queue=%s cpu=%u ret=%d",
		  __entry->task, __entry->routine, __entry->queue,
		  __entry->cpu, __entry->ret)
);

/*
 * tqueue_execute_start - called before a task's routine runs
 * @task: the task
 * @routine: its routine
 * @name: the name of the queue it was run from
 * @latency: ns from its queue_task() to now
 */
TRACE_EVENT(tqueue_execute_start,
	TP_PROTO(const struct tq_struct *task, void (*routine)(void *),
		 const char *name, u64 latency),
	TP_ARGS(task, routine, name, latency),
	TP_STRUCT__entry(
		__field(const void *, task)
		__field(void *, routine)
		__array(char, queue, TQ_TRACE_NAME_LEN)
		__field(u64, latency)
	),
	TP_fast_assign(
		__entry->task = task;
		__entry->routine = routine;
		strscpy(__entry->queue, name, TQ_TRACE_NAME_LEN);
		__entry->latency = latency;
	),
	TP_printk("task=%p routine=%ps queue=%s latency_ns=%llu",
		  __entry->task, __entry->routine, __entry->queue,
		  __entry->latency)
);

/*
 * tqueue_execute_end - called after a task's routine returned
 * @task: the task, which may have been freed (only its address is kept)
 * @routine: its routine
 * @name: the name of the queue it was run from
 * @runtime: ns the routine took
 */
TRACE_EVENT(tqueue_execute_end,
	TP_PROTO(const struct tq_struct *task, void (*routine)(void *),
		 const char *name, u64 runtime),
	TP_ARGS(task, routine, name, runtime),
	TP_STRUCT__entry(
		__field(const void *, task)
		__field(void *, routine)
		__array(char, queue, TQ_TRACE_NAME_LEN)
		__field(u64, runtime)
	),
	TP_fast_assign(
		__entry->task = task;
		__entry->routine = routine;
		strscpy(__entry->queue, name, TQ_TRACE_NAME_LEN);
		__entry->runtime = runtime;
	),
	TP_printk("task=%p routine=%ps queue=%s runtime_ns=%llu",
		  __entry->task, __entry->routine, __entry->queue,
		  __entry->runtime)
);

/*
 * tqueue_cancel - called when cancel_task_sync() returns
 * @task: the task
 * @removed: it was pending and was taken off its queue
 * @waited: it waited for a running instance of the routine
 */
TRACE_EVENT(tqueue_cancel,
	TP_PROTO(const struct tq_struct *task, bool removed, bool waited),
	TP_ARGS(task, removed, waited),
	TP_STRUCT__entry(
		__field(const void *, task)
		__field(void *, routine)
		__field(bool, removed)
		__field(bool, waited)
	),
	TP_fast_assign(
		__entry->task = task;
		__entry->routine = task->routine;
		__entry->removed = removed;
		__entry->waited = waited;
	),
	TP_printk("task=%p routine=%ps removed=%d waited=%d",
		  __entry->task, __entry->routine, __entry->removed,
		  __entry->waited)
);

/*
 * tqueue_purge - a leaving module's tasks were dropped
 * @module: the module's name
 * @dropped: how many, the count of tqueue's warning
 */
TRACE_EVENT(tqueue_purge,
	TP_PROTO(const char *module, unsigned int dropped),
	TP_ARGS(module, dropped),
	TP_STRUCT__entry(
		__array(char, module, MODULE_NAME_LEN)
		__field(unsigned int, dropped)
	),
	TP_fast_assign(
		strscpy(__entry->module, module, sizeof(__entry->module));
		__entry->dropped = dropped;
	),
	TP_printk("module=%s dropped=%u", __entry->module, __entry->dropped)
);

#endif /* _TQ_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE tq_trace
#include <trace/define_trace.h>
