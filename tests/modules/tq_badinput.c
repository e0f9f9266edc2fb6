// SPDX-License-Identifier: GPL-2.0
/*
 * tq_badinput: tqueue given bad input must warn, refuse and stay intact.
 *
 * At load, this client hands tqueue NULL tasks, NULL queues, tasks without
 * a routine, tasks already queued elsewhere, unknown bottom halves and
 * queues that cannot be flushed, and checks each answer. The results are
 * TAP lines in /sys/module/tq_badinput/parameters/result; the load itself
 * succeeds whatever they are. Some calls warn once, on purpose: before each
 * one the module logs "tq_badinput: expect a warning: <call>", which
 * tests/selftests/tqueue/badinput.sh declares with EXPECT-SPLAT.
 */
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/tqueue.h>

#define BI_NAME		"tq_badinput"
#define BI_RESULT_SIZE	2048

static char bi_result[BI_RESULT_SIZE];
static size_t bi_len;
static unsigned int bi_n, bi_failed;

static int bi_result_get(char *buf, const struct kernel_param *kp)
{
	/* Every line ends with a newline; emit the last one separately. */
	return sysfs_emit(buf, "%.*s\n", bi_len ? (int)bi_len - 1 : 0, bi_result);
}

static int bi_result_set(const char *val, const struct kernel_param *kp)
{
	pr_err(BI_NAME ": result is read-only\n");
	return -EPERM;
}

static const struct kernel_param_ops bi_result_ops = {
	.set = bi_result_set,
	.get = bi_result_get,
};

module_param_cb(result, &bi_result_ops, NULL, 0444);
MODULE_PARM_DESC(result, "one TAP line per check made at load");

static void bi_check(bool ok, const char *what)
{
	bi_n++;
	if (!ok) {
		bi_failed++;
		pr_err(BI_NAME ": check failed: %s\n", what);
	}
	bi_len += scnprintf(bi_result + bi_len, sizeof(bi_result) - bi_len,
			    "%sok %u %s\n", ok ? "" : "not ", bi_n, what);
}

static void bi_expect_warning(const char *call)
{
	pr_info(BI_NAME ": expect a warning: %s\n", call);
}

static DECLARE_TASK_QUEUE(bi_q1);
static DECLARE_TASK_QUEUE(bi_q2);
static int bi_runs;

/*
 * Whether @t is the only task on @q, once; nothing has run the queue since.
 */
static bool bi_only(struct task_queue *q, struct tq_struct *t)
{
	return q->head == t && q->last == t && !t->next && t->tq_queue == q;
}

static void bi_fn(void *data)
{
	bi_runs++;
}

static DECLARE_COMPLETION(bi_done);

static void bi_done_fn(void *data)
{
	complete(&bi_done);
}

static int __init bi_init(void)
{
	struct tq_struct t, noroutine, sched;
	int ret;

	INIT_TQUEUE(&t, bi_fn, NULL);
	INIT_TQUEUE(&noroutine, NULL, NULL);

	/* NULL arguments: one warning for the three (WARN_ON_ONCE), then 0. */
	bi_expect_warning("queue_task(NULL, queue)");
	ret = queue_task(NULL, &bi_q1);
	bi_check(ret == 0 && !TQ_ACTIVE(bi_q1),
		 "queue_task(NULL, queue) returns 0, queue unchanged");
	ret = queue_task(&t, NULL);
	bi_check(ret == 0 && !t.sync && !t.next,
		 "queue_task(task, NULL) returns 0, task unchanged");
	ret = queue_task(&noroutine, &bi_q1);
	bi_check(ret == 0 && !noroutine.sync && !TQ_ACTIVE(bi_q1),
		 "queue_task() of a task without routine returns 0, nothing queued");
	ret = queue_task(&noroutine, &tq_timer);
	bi_check(ret == 0 && !noroutine.sync,
		 "... also on tq_timer");

	/* A task on one queue cannot go on another, nor twice on one. */
	ret = queue_task(&t, &bi_q1);
	bi_check(ret == 1 && bi_only(&bi_q1, &t),
		 "queue_task() on an empty custom queue returns 1");
	ret = queue_task(&t, &bi_q1);
	bi_check(ret == 0 && bi_only(&bi_q1, &t),
		 "queue_task() of a task pending on the same queue returns 0");
	ret = queue_task(&t, &bi_q2);
	bi_check(ret == 0 && !TQ_ACTIVE(bi_q2) && bi_only(&bi_q1, &t),
		 "queue_task() of a task pending on another queue returns 0, changes nothing");
	ret = queue_task(&t, &tq_scheduler);
	bi_check(ret == 0 && bi_only(&bi_q1, &t),
		 "queue_task(task, &tq_scheduler) of a task pending elsewhere returns 0");
	ret = schedule_task(&t);
	bi_check(ret == 0 && bi_only(&bi_q1, &t),
		 "schedule_task() of a task pending elsewhere returns 0");
	run_task_queue(&bi_q2);
	bi_check(bi_runs == 0, "running the other queue does not run the task");
	run_task_queue(&bi_q1);
	bi_check(bi_runs == 1 && !TQ_ACTIVE(bi_q1) && !t.sync,
		 "running its own queue runs it once and empties the queue");
	run_task_queue(&bi_q1);
	bi_check(bi_runs == 1, "running an empty queue runs nothing");

	/* Queues that tqueue does not run cannot be flushed. */
	bi_check(flush_task_queue(&bi_q1) == -EINVAL,
		 "flush_task_queue(custom queue) returns -EINVAL");
	bi_check(flush_task_queue(&tq_disk) == -EINVAL,
		 "flush_task_queue(&tq_disk) returns -EINVAL");

	/* Cancel of tasks that are not queued, and of NULL. */
	bi_check(!cancel_task_sync(&t), "cancel_task_sync() of an idle task returns false");
	bi_check(queue_task(&t, &bi_q2) == 1 && cancel_task_sync(&t) &&
		 !TQ_ACTIVE(bi_q2) && !t.sync,
		 "cancel_task_sync() of a pending task returns true and unlinks it");
	run_task_queue(&bi_q2);
	bi_check(bi_runs == 1, "a cancelled task does not run");
	bi_expect_warning("cancel_task_sync(NULL)");
	bi_check(!cancel_task_sync(NULL), "cancel_task_sync(NULL) returns false");

	/* Unknown bottom halves: one warning, then nothing. */
	bi_expect_warning("mark_bh(42)");
	mark_bh(42);
	mark_bh(-1);
	mark_bh(TIMER_BH);
	mark_bh(TQUEUE_BH);
	bi_check(true, "mark_bh() of unknown bottom halves returns (warns once)");

	/* tqueue still works after all that. */
	INIT_TQUEUE(&sched, bi_done_fn, NULL);
	ret = schedule_task(&sched);
	bi_check(ret == 1 && wait_for_completion_timeout(&bi_done, 10 * HZ),
		 "schedule_task() still works afterwards");
	cancel_task_sync(&sched);	/* @sched lives on this stack */

	pr_info(BI_NAME ": %u checks, %u failed\n", bi_n, bi_failed);
	return 0;
}

static void __exit bi_exit(void)
{
}

module_init(bi_init);
module_exit(bi_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tqueue test client that passes bad arguments to the API");
