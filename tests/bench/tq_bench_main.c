// SPDX-License-Identifier: GPL-2.0
/*
 * tq_bench: tqueue against the raw kernel primitives, in the same boot.
 *
 * Loaded by `make bench` (tools/bench.sh) on a stock kernel in QEMU; never
 * by the selftests. The benchmark runs at insmod. Every pair is measured in
 * @rounds rounds, the two sides interleaved in a rotating order within each
 * round, and the median of the per-round ratios is reported, so that slow
 * phases of the (TCG) host hit both sides alike. An A/A control measures
 * the raw side twice ("aa-*" lines: the tqueue= column is a second raw run).
 *
 * Output, one line per result:
 *   BENCH <name> tqueue=<v> raw=<v> unit=<unit> ratio=<tqueue/raw>
 *   BENCHHIST <name> <side> <bucket_ns> <count>   (latency distributions)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/wait.h>
#include "compat.h"
#include "internal.h"
#include "tq_bench.h"

static unsigned int rounds = 21;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "interleaved rounds per pair (default 21)");

static unsigned int samples = 200;
module_param(samples, uint, 0444);
MODULE_PARM_DESC(samples, "latency samples per side and round (default 200)");

static unsigned int tp_ms = 100;
module_param(tp_ms, uint, 0444);
MODULE_PARM_DESC(tp_ms, "throughput run length per side and round, ms (default 100)");

static unsigned int periods = 100;
module_param(periods, uint, 0444);
MODULE_PARM_DESC(periods, "tq_timer periods per side and round (default 100)");

static unsigned int idle_ms = 5000;
module_param(idle_ms, uint, 0444);
MODULE_PARM_DESC(idle_ms, "idle window for the tq_timer expiry count, ms (default 5000)");

static unsigned int drain_n = 10000;
module_param(drain_n, uint, 0444);
MODULE_PARM_DESC(drain_n, "pending tasks purged by the unload drain (default 10000)");

static char *only;
module_param(only, charp, 0444);
MODULE_PARM_DESC(only, "subset, +-separated: immediate+batch+scheduler+tput+timer+idle+drain+cost (default: all)");

/* Whether benchmark @name was selected by the only= parameter. */
static bool bench_on(const char *name)
{
	const char *p = only;
	size_t n = strlen(name);

	if (!p || !*p)
		return true;
	while (p && *p) {
		if (!strncmp(p, name, n) && (p[n] == '+' || !p[n]))
			return true;
		p = strchr(p, '+');
		if (p)
			p++;
	}
	return false;
}

static unsigned int sides = 7;
module_param(sides, uint, 0444);
MODULE_PARM_DESC(sides, "sides measured, a bitmask: 1 tqueue, 2 raw, 4 A/A control (default 7; less is for profiling: ratios become 0)");

enum { S_TQ, S_RAW, S_AA, NSIDES };
static const char *const side_name[NSIDES] = { "tqueue", "raw", "aa" };

/* Sort helpers and statistics. */
static int bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 bench_pct(u64 *v, unsigned int n, unsigned int pct)
{
	if (!n)
		return 0;
	sort(v, n, sizeof(*v), bench_cmp_u64, NULL);
	return v[min(n - 1, n * pct / 100)];
}

/* Ratio a/b in thousandths. */
static u64 bench_milli(u64 a, u64 b)
{
	return b ? div64_u64(a * 1000, b) : 0;
}

/* Median of @n values (sorts them). */
u64 bench_median(u64 *v, unsigned int n)
{
	return bench_pct(v, n, 50);
}

static void bench_line(const char *name, u64 tq, u64 raw, const char *unit,
		       u64 ratio_milli)
{
	pr_info("BENCH %s tqueue=%llu raw=%llu unit=%s ratio=%llu.%03llu\n",
		name, tq, raw, unit, ratio_milli / 1000, ratio_milli % 1000);
}

/*
 * The per-round values of one pair: val[side][round]. The line reports the
 * medians of the per-round values and the median of the per-round ratios.
 */
struct bench_rounds {
	u64 *val[NSIDES];
	u64 *tmp;
};

static int bench_rounds_alloc(struct bench_rounds *br)
{
	int s;

	for (s = 0; s < NSIDES; s++) {
		br->val[s] = kcalloc(rounds, sizeof(u64), GFP_KERNEL);
		if (!br->val[s])
			return -ENOMEM;
	}
	br->tmp = kcalloc(rounds, sizeof(u64), GFP_KERNEL);
	return br->tmp ? 0 : -ENOMEM;
}

static void bench_rounds_free(struct bench_rounds *br)
{
	int s;

	for (s = 0; s < NSIDES; s++)
		kfree(br->val[s]);
	kfree(br->tmp);
}

/* Report side @a against side @b (S_TQ/S_RAW, or S_AA/S_RAW for control). */
static void bench_report(struct bench_rounds *br, const char *name,
			 const char *unit, int a, int b)
{
	u64 *c, *d, va = 0, vb = 0;
	unsigned int r;

	for (r = 0; r < rounds; r++)
		br->tmp[r] = bench_milli(br->val[a][r], br->val[b][r]);
	/* Medians of the values themselves, on copies. */
	c = kmemdup(br->val[a], rounds * sizeof(u64), GFP_KERNEL);
	d = kmemdup(br->val[b], rounds * sizeof(u64), GFP_KERNEL);
	if (c && d) {
		va = bench_median(c, rounds);
		vb = bench_median(d, rounds);
	}
	kfree(c);
	kfree(d);
	bench_line(name, va, vb, unit, bench_median(br->tmp, rounds));
}

/* Rotate the order of the sides from round to round. */
static int bench_side(unsigned int round, unsigned int i, unsigned int nsides)
{
	return (round + i) % nsides;
}

/*
 * Distributions: log buckets, 2^@bits per octave, printed as the lower
 * bound of each non-empty bucket.
 */
static u64 bench_bucket(u64 v, unsigned int bits)
{
	unsigned int e;

	if (v < (2ULL << bits))
		return v;
	e = fls64(v) - 1;
	return v >> (e - bits) << (e - bits);
}

static void bench_hist(const char *name, int side, u64 *v, unsigned int n,
		       unsigned int bits)
{
	unsigned int i, count = 0;
	u64 b, cur = 0;

	sort(v, n, sizeof(*v), bench_cmp_u64, NULL);
	for (i = 0; i < n; i++) {
		b = bench_bucket(v[i], bits);
		if (count && b != cur) {
			pr_info("BENCHHIST %s %s %llu %u\n", name,
				side_name[side], cur, count);
			count = 0;
		}
		cur = b;
		count++;
	}
	if (count)
		pr_info("BENCHHIST %s %s %llu %u\n", name, side_name[side], cur,
			count);
}

/* ---- 1, 2: latency from queueing to routine start ---------------------- */

static u64 lat_t1;
static DECLARE_COMPLETION(lat_done);

static void lat_mark(void)
{
	WRITE_ONCE(lat_t1, ktime_get_ns());
	complete(&lat_done);
}

static void lat_task_fn(void *data)
{
	lat_mark();
}

static void lat_bh_fn(struct tqc_bh *bh)
{
	lat_mark();
}

static void lat_kwork_fn(struct kthread_work *work)
{
	lat_mark();
}

static struct tq_struct lat_task = { .routine = lat_task_fn };
static struct tqc_bh lat_bh;
static struct kthread_worker *lat_kw;
static struct kthread_work lat_kwork;

/* One sample: latency in ns, or U64_MAX when the routine did not run. */
static u64 lat_immediate(int side)
{
	u64 t0;

	reinit_completion(&lat_done);
	/* Bottom halves run at local_bh_enable(), on this CPU. */
	local_bh_disable();
	t0 = ktime_get_ns();
	if (side == S_TQ) {
		queue_task(&lat_task, &tq_immediate);
		mark_bh(IMMEDIATE_BH);
	} else {
		tqc_bh_schedule(&lat_bh);
	}
	local_bh_enable();
	if (!wait_for_completion_timeout(&lat_done, HZ))
		return U64_MAX;
	return READ_ONCE(lat_t1) - t0;
}

static u64 lat_sched(int side)
{
	u64 t0;

	/* Let the worker go back to sleep: measure a wake-up each time. */
	usleep_range(100, 200);
	reinit_completion(&lat_done);
	t0 = ktime_get_ns();
	if (side == S_TQ)
		schedule_task(&lat_task);
	else
		kthread_queue_work(lat_kw, &lat_kwork);
	if (!wait_for_completion_timeout(&lat_done, HZ))
		return U64_MAX;
	return READ_ONCE(lat_t1) - t0;
}

static int bench_latency(const char *name, u64 (*one)(int side))
{
	struct bench_rounds p50 = { }, p99 = { };
	u64 *all[NSIDES] = { }, *cp = NULL;
	unsigned int r, i, k, lost = 0, n = rounds * samples;
	char buf[48];
	int s, ret;

	ret = bench_rounds_alloc(&p50) ?: bench_rounds_alloc(&p99);
	for (s = 0; !ret && s < NSIDES; s++) {
		all[s] = kvcalloc(n, sizeof(u64), GFP_KERNEL);
		if (!all[s])
			ret = -ENOMEM;
	}
	cp = ret ? NULL : kvcalloc(samples, sizeof(u64), GFP_KERNEL);
	if (!cp)
		ret = -ENOMEM;
	if (ret)
		goto out;

	for (r = 0; r < rounds; r++) {
		for (i = 0; i < NSIDES; i++) {
			s = bench_side(r, i, NSIDES);
			if (!(sides & BIT(s)))
				continue;
			for (k = 0; k < samples; k++) {
				u64 v = one(s == S_TQ ? S_TQ : S_RAW);

				if (v == U64_MAX) {
					lost++;
					v = NSEC_PER_SEC;
				}
				all[s][r * samples + k] = v;
			}
			memcpy(cp, all[s] + r * samples, samples * sizeof(u64));
			p50.val[s][r] = bench_pct(cp, samples, 50);
			p99.val[s][r] = cp[min(samples - 1, samples * 99 / 100)];
		}
		cond_resched();
	}
	if (lost)
		pr_warn("%s: %u sample(s) timed out (counted as 1 s)\n", name,
			lost);

	snprintf(buf, sizeof(buf), "%s-p50", name);
	bench_report(&p50, buf, "ns", S_TQ, S_RAW);
	snprintf(buf, sizeof(buf), "%s-p99", name);
	bench_report(&p99, buf, "ns", S_TQ, S_RAW);
	snprintf(buf, sizeof(buf), "aa-%s-p50", name);
	bench_report(&p50, buf, "ns", S_AA, S_RAW);
	snprintf(buf, sizeof(buf), "aa-%s-p99", name);
	bench_report(&p99, buf, "ns", S_AA, S_RAW);
	for (s = 0; s < NSIDES; s++)
		bench_hist(name, s, all[s], n, 3);
out:
	kvfree(cp);
	for (s = 0; s < NSIDES; s++)
		kvfree(all[s]);
	bench_rounds_free(&p50);
	bench_rounds_free(&p99);
	return ret;
}

/*
 * 2b: a batch where task queues should win: 64 tasks on tq_immediate and one
 * mark_bh() against 64 BH work items (tasklets before 6.9), time until the
 * last one ran.
 */
#define LB_N 64

static atomic_t lb_left;
static struct tq_struct lb_task[LB_N];
static struct tqc_bh lb_bh[LB_N];

static void lb_one_done(void)
{
	if (atomic_dec_and_test(&lb_left))
		lat_mark();
}

static void lb_task_fn(void *data)
{
	lb_one_done();
}

static void lb_bh_fn(struct tqc_bh *bh)
{
	lb_one_done();
}

static u64 lat_batch(int side)
{
	unsigned int i;
	u64 t0;

	reinit_completion(&lat_done);
	atomic_set(&lb_left, LB_N);
	local_bh_disable();
	t0 = ktime_get_ns();
	if (side == S_TQ) {
		for (i = 0; i < LB_N; i++)
			queue_task(&lb_task[i], &tq_immediate);
		mark_bh(IMMEDIATE_BH);
	} else {
		for (i = 0; i < LB_N; i++)
			tqc_bh_schedule(&lb_bh[i]);
	}
	local_bh_enable();
	if (!wait_for_completion_timeout(&lat_done, HZ))
		return U64_MAX;
	return READ_ONCE(lat_t1) - t0;
}

static void lat_batch_init(void)
{
	unsigned int i;

	for (i = 0; i < LB_N; i++) {
		INIT_TQUEUE(&lb_task[i], lb_task_fn, NULL);
		tqc_bh_init(&lb_bh[i], lb_bh_fn);
	}
}

static void lat_batch_exit(void)
{
	unsigned int i;

	for (i = 0; i < LB_N; i++)
		tqc_bh_cancel_sync(&lb_bh[i]);
}

/* ---- 3: throughput of queue + run on custom queues --------------------- */

#define TP_BATCH 32

/* The raw side: a FIFO under a raw spinlock, run by splicing it out. */
struct rawq {
	raw_spinlock_t lock;
	struct tq_struct *head;
	struct tq_struct *last;
};

static void rawq_queue(struct rawq *q, struct tq_struct *t)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&q->lock, flags);
	if (test_and_set_bit(0, &t->sync)) {
		raw_spin_unlock_irqrestore(&q->lock, flags);
		return;
	}
	t->next = NULL;
	if (q->last)
		q->last->next = t;
	else
		q->head = t;
	q->last = t;
	raw_spin_unlock_irqrestore(&q->lock, flags);
}

static void rawq_run(struct rawq *q)
{
	struct tq_struct *t, *next;
	void (*fn)(void *data);
	unsigned long flags;
	void *data;

	if (!READ_ONCE(q->head))
		return;
	raw_spin_lock_irqsave(&q->lock, flags);
	t = q->head;
	q->head = NULL;
	q->last = NULL;
	raw_spin_unlock_irqrestore(&q->lock, flags);
	for (; t; t = next) {
		next = t->next;
		fn = t->routine;
		data = t->data;
		/* Read the task before it may be queued again. */
		smp_mb__before_atomic();
		clear_bit(0, &t->sync);
		fn(data);
	}
}

static DEFINE_PER_CPU(unsigned long, tp_runs);

static void tp_fn(void *data)
{
	this_cpu_inc(tp_runs);
}

static unsigned long tp_count(void)
{
	unsigned long n = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		n += per_cpu(tp_runs, cpu);
	return n;
}

struct tp_producer {
	struct tq_struct tasks[TP_BATCH] ____cacheline_aligned_in_smp;
	task_queue *q;
	struct rawq *rq;
	struct completion ready;
	u64 last;
};

static DECLARE_WAIT_QUEUE_HEAD(tp_go_wq);
static bool tp_go;
static u64 tp_start;
/* One cache line each: the two-producer runs must not share one. */
static struct task_queue tp_q0 ____cacheline_aligned_in_smp =
	__TASK_QUEUE_INITIALIZER(tp_q0, NULL);
static struct task_queue tp_q1 ____cacheline_aligned_in_smp =
	__TASK_QUEUE_INITIALIZER(tp_q1, NULL);
static struct rawq tp_rq0 ____cacheline_aligned_in_smp = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(tp_rq0.lock),
};

static struct rawq tp_rq1 ____cacheline_aligned_in_smp = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(tp_rq1.lock),
};

static int tp_thread(void *arg)
{
	struct tp_producer *p = arg;
	u64 end, now;
	int i;

	complete(&p->ready);
	wait_event(tp_go_wq, READ_ONCE(tp_go) || kthread_should_stop());
	end = READ_ONCE(tp_start) + (u64)tp_ms * NSEC_PER_MSEC;
	do {
		if (p->q) {
			for (i = 0; i < TP_BATCH; i++)
				queue_task(&p->tasks[i], p->q);
			run_task_queue(p->q);
		} else {
			for (i = 0; i < TP_BATCH; i++)
				rawq_queue(p->rq, &p->tasks[i]);
			rawq_run(p->rq);
		}
		cond_resched();
		now = ktime_get_ns();
	} while (now < end);
	p->last = now;

	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

/*
 * Run @nprod producers, on CPUs 0 and 1, for tp_ms: on tqueue (@side S_TQ)
 * or on the raw queue; @shared puts both on queue 0. Returns tasks/s.
 */
static u64 tp_run(struct tp_producer *prod, int side, int nprod, bool shared)
{
	struct task_struct *t[2] = { };
	unsigned long before;
	u64 last = 0;
	int i, j;

	for (i = 0; i < nprod; i++) {
		bool q1 = i && !shared;

		prod[i].q = side == S_TQ ? (q1 ? &tp_q1 : &tp_q0) : NULL;
		prod[i].rq = q1 ? &tp_rq1 : &tp_rq0;
		prod[i].last = 0;
		init_completion(&prod[i].ready);
		for (j = 0; j < TP_BATCH; j++)
			INIT_TQUEUE(&prod[i].tasks[j], tp_fn, NULL);
		t[i] = kthread_create(tp_thread, &prod[i], "tq_bench_tp/%d", i);
		if (IS_ERR(t[i])) {
			t[i] = NULL;
			break;
		}
		kthread_bind(t[i], i % num_online_cpus());
		wake_up_process(t[i]);
	}
	/* kthread_stop() before the thread ran would skip tp_thread(). */
	for (i = 0; i < nprod; i++)
		if (t[i])
			wait_for_completion(&prod[i].ready);
	before = tp_count();
	WRITE_ONCE(tp_start, ktime_get_ns());
	WRITE_ONCE(tp_go, true);
	wake_up_all(&tp_go_wq);
	for (i = 0; i < nprod; i++)
		if (t[i])
			kthread_stop(t[i]);
	WRITE_ONCE(tp_go, false);
	for (i = 0; i < nprod; i++)
		last = max(last, prod[i].last);
	if (last <= tp_start)
		return 0;
	return div64_u64((u64)(tp_count() - before) * NSEC_PER_SEC,
			 last - tp_start);
}

enum { TP_1, TP_2OWN, TP_2SHARED, TP_NR };

static int bench_throughput(void)
{
	static const char *const name[TP_NR] = {
		"tput-1prod", "tput-2prod-own", "tput-2prod-shared",
	};
	struct bench_rounds br[TP_NR] = { }, sc = { };
	struct tp_producer *prod;
	unsigned int r, i;
	int k, s, ret = 0;

	prod = kcalloc(2, sizeof(*prod), GFP_KERNEL);
	if (!prod)
		return -ENOMEM;
	for (k = 0; k < TP_NR && !ret; k++)
		ret = bench_rounds_alloc(&br[k]);
	ret = ret ?: bench_rounds_alloc(&sc);
	if (ret)
		goto out;

	for (r = 0; r < rounds; r++) {
		for (k = 0; k < TP_NR; k++) {
			int nsides = k == TP_1 ? NSIDES : 2;

			for (i = 0; i < nsides; i++) {
				s = bench_side(r, i, nsides);
				if (!(sides & BIT(s)))
					continue;
				br[k].val[s][r] = tp_run(prod, s == S_TQ ? S_TQ : S_RAW,
							 k == TP_1 ? 1 : 2,
							 k == TP_2SHARED);
			}
		}
		/* Scaling: two producers on their own queues over one. */
		for (s = S_TQ; s <= S_RAW; s++)
			sc.val[s][r] = bench_milli(br[TP_2OWN].val[s][r],
						   br[TP_1].val[s][r]);
	}
	for (k = 0; k < TP_NR; k++)
		bench_report(&br[k], name[k], "tasks/s", S_TQ, S_RAW);
	bench_report(&br[TP_1], "aa-tput-1prod", "tasks/s", S_AA, S_RAW);
	bench_report(&sc, "tput-2own-scaling", "milli-x", S_TQ, S_RAW);
out:
	for (k = 0; k < TP_NR; k++)
		bench_rounds_free(&br[k]);
	bench_rounds_free(&sc);
	kfree(prod);
	return ret;
}

/* ---- 4: tq_timer period against a raw hrtimer ------------------------- */

static u64 *tm_t;
static unsigned int tm_n;
static bool tm_stop;
static DECLARE_COMPLETION(tm_done);

/* Record a run; true if another one is wanted. */
static bool tm_record(void)
{
	if (tm_n <= periods)
		tm_t[tm_n++] = ktime_get_ns();
	if (tm_n <= periods)
		return true;
	complete(&tm_done);
	return false;
}

static void tm_task_fn(void *data);
static struct tq_struct tm_task = { .routine = tm_task_fn };

static void tm_task_fn(void *data)
{
	if (!READ_ONCE(tm_stop) && tm_record())
		queue_task(&tm_task, &tq_timer);
}

static struct hrtimer tm_hrtimer;

static enum hrtimer_restart tm_hrtimer_fn(struct hrtimer *timer)
{
	if (!tm_record())
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, ns_to_ktime(TICK_NSEC));
	return HRTIMER_RESTART;
}

static int bench_timer(void)
{
	struct bench_rounds mean = { }, jit = { };
	u64 *all[NSIDES] = { }, *d = NULL;
	unsigned int r, i, k, lost = 0;
	int s, ret;

	tm_t = kcalloc(periods + 1, sizeof(u64), GFP_KERNEL);
	ret = tm_t ? 0 : -ENOMEM;
	ret = ret ?: bench_rounds_alloc(&mean);
	ret = ret ?: bench_rounds_alloc(&jit);
	for (s = 0; !ret && s < NSIDES; s++) {
		all[s] = kvcalloc(rounds * periods, sizeof(u64), GFP_KERNEL);
		if (!all[s])
			ret = -ENOMEM;
	}
	d = ret ? NULL : kcalloc(periods, sizeof(u64), GFP_KERNEL);
	if (!d)
		ret = -ENOMEM;
	if (ret)
		goto out;
	tqc_hrtimer_setup(&tm_hrtimer, tm_hrtimer_fn, CLOCK_MONOTONIC,
			  HRTIMER_MODE_REL_SOFT);

	for (r = 0; r < rounds; r++) {
		for (i = 0; i < NSIDES; i++) {
			s = bench_side(r, i, NSIDES);
			tm_n = 0;
			reinit_completion(&tm_done);
			if (s == S_TQ)
				queue_task(&tm_task, &tq_timer);
			else
				hrtimer_start(&tm_hrtimer, ns_to_ktime(TICK_NSEC),
					      HRTIMER_MODE_REL_SOFT);
			if (!wait_for_completion_timeout(&tm_done,
							 periods * 4 + HZ)) {
				lost++;
				WRITE_ONCE(tm_stop, true);
				cancel_task_sync(&tm_task);
				hrtimer_cancel(&tm_hrtimer);
				WRITE_ONCE(tm_stop, false);
				continue;
			}
			mean.val[s][r] = div_u64(tm_t[periods] - tm_t[0], periods);
			for (k = 0; k < periods; k++) {
				u64 p = tm_t[k + 1] - tm_t[k];

				all[s][r * periods + k] = p;
				d[k] = p > TICK_NSEC ? p - TICK_NSEC : TICK_NSEC - p;
			}
			jit.val[s][r] = bench_pct(d, periods, 99);
		}
	}
	if (lost)
		pr_warn("timer: %u run(s) timed out\n", lost);
	bench_report(&mean, "timer-period-mean", "ns", S_TQ, S_RAW);
	bench_report(&jit, "timer-jitter-p99", "ns", S_TQ, S_RAW);
	bench_report(&mean, "aa-timer-period-mean", "ns", S_AA, S_RAW);
	bench_report(&jit, "aa-timer-jitter-p99", "ns", S_AA, S_RAW);
	for (s = 0; s < NSIDES; s++)
		bench_hist("timer-period", s, all[s], rounds * periods, 6);
out:
	kfree(d);
	for (s = 0; s < NSIDES; s++)
		kvfree(all[s]);
	bench_rounds_free(&mean);
	bench_rounds_free(&jit);
	kfree(tm_t);
	return ret;
}

/* ---- 5: idle cost ------------------------------------------------------ */

static void ic_task_fn(void *data);
static struct tq_struct ic_task = { .routine = ic_task_fn };
static bool ic_stop;

static void ic_task_fn(void *data)
{
	if (!READ_ONCE(ic_stop))
		queue_task(&ic_task, &tq_timer);
}

static void bench_idle(void)
{
	unsigned long e0, e1;

	msleep(100);	/* let the last tq_timer expiry of the timer test pass */
	e0 = tq_timer_expiries();
	msleep(idle_ms);
	e1 = tq_timer_expiries();
	pr_info("BENCH idle-expiries tqueue=%lu raw=0 unit=expiries/%ums ratio=n/a\n",
		e1 - e0, idle_ms);

	/* One task on tq_timer for a second: wake-ups against one per tick. */
	WRITE_ONCE(ic_stop, false);
	queue_task(&ic_task, &tq_timer);
	msleep(20);
	e0 = tq_timer_expiries();
	msleep(1000);
	e1 = tq_timer_expiries();
	WRITE_ONCE(ic_stop, true);
	cancel_task_sync(&ic_task);
	bench_line("timer-wakeups", e1 - e0, HZ, "wakeups/s",
		   bench_milli(e1 - e0, HZ));
}

/* ---- 6: unload drain --------------------------------------------------- */

static void drain_fn(void *data)
{
}

/* The match tqueue's purge uses (tq_in_module(), not exported). */
static bool drain_match(const struct tq_struct *t)
{
	return within_module((unsigned long)t, THIS_MODULE) ||
	       within_module((unsigned long)t->routine, THIS_MODULE) ||
	       within_module((unsigned long)t->data, THIS_MODULE);
}

/* The raw side: the same walk and match over a raw-locked list. */
static u64 drain_raw(struct tq_struct *t, unsigned int n)
{
	struct tq_struct *p, *prev = NULL, *next;
	struct rawq q = { .lock = __RAW_SPIN_LOCK_UNLOCKED(q.lock) };
	unsigned long flags;
	unsigned int i, got = 0;
	u64 t0, t1;

	for (i = 0; i < n; i++)
		rawq_queue(&q, &t[i]);
	t0 = ktime_get_ns();
	raw_spin_lock_irqsave(&q.lock, flags);
	for (p = q.head; p; p = next) {
		next = p->next;
		if (!drain_match(p)) {
			prev = p;
			continue;
		}
		if (prev)
			prev->next = next;
		else
			q.head = next;
		if (q.last == p)
			q.last = prev;
		/* Unlinked before the pending bit clears, as in tqueue. */
		smp_mb__before_atomic();
		clear_bit(0, &p->sync);
		got++;
	}
	raw_spin_unlock_irqrestore(&q.lock, flags);
	t1 = ktime_get_ns();
	if (got != n)
		pr_warn("drain: raw walk removed %u of %u\n", got, n);
	return t1 - t0;
}

static u64 drain_tq(struct tq_struct *t, unsigned int n)
{
	unsigned int i, got;
	u64 t0, t1;

	for (i = 0; i < n; i++)
		queue_task(&t[i], &tq_disk);
	t0 = ktime_get_ns();
	got = tq_purge_module(THIS_MODULE);
	t1 = ktime_get_ns();
	if (got != n)
		pr_warn("drain: tq_purge_module() removed %u of %u\n", got, n);
	return t1 - t0;
}

static int bench_drain(void)
{
	struct bench_rounds br = { };
	struct tq_struct *t;
	unsigned int r, i;
	int s, ret;

	t = kvcalloc(drain_n, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	ret = bench_rounds_alloc(&br);
	if (ret)
		goto out;
	for (i = 0; i < drain_n; i++)
		INIT_TQUEUE(&t[i], drain_fn, NULL);
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < NSIDES; i++) {
			s = bench_side(r, i, NSIDES);
			br.val[s][r] = s == S_TQ ? drain_tq(t, drain_n) :
						   drain_raw(t, drain_n);
		}
		cond_resched();
	}
	bench_report(&br, "unload-drain", "ns", S_TQ, S_RAW);
	bench_report(&br, "aa-unload-drain", "ns", S_AA, S_RAW);
out:
	bench_rounds_free(&br);
	kvfree(t);
	return ret;
}

/* ---- module ------------------------------------------------------------ */

static int __init tq_bench_init(void)
{
	int ret;

	if (!rounds || !samples || !tp_ms || !periods || !drain_n)
		return -EINVAL;
	tqc_bh_init(&lat_bh, lat_bh_fn);
	lat_batch_init();
	kthread_init_work(&lat_kwork, lat_kwork_fn);
	lat_kw = tqc_kthread_run_worker(0, "tq_bench_kw");
	if (IS_ERR(lat_kw))
		return PTR_ERR(lat_kw);

	pr_info("BENCHINFO start rounds=%u samples=%u tp_ms=%u periods=%u idle_ms=%u drain_n=%u HZ=%u cpus=%u\n",
		rounds, samples, tp_ms, periods, idle_ms, drain_n, HZ,
		num_online_cpus());
	ret = bench_on("cost") ? bench_cost(rounds) : 0;
	if (!ret && bench_on("immediate"))
		ret = bench_latency("immediate", lat_immediate);
	if (!ret && bench_on("batch"))
		ret = bench_latency("immediate64", lat_batch);
	if (!ret && bench_on("scheduler"))
		ret = bench_latency("scheduler", lat_sched);
	if (!ret && bench_on("tput"))
		ret = bench_throughput();
	if (!ret && bench_on("timer"))
		ret = bench_timer();
	if (!ret && bench_on("idle"))
		bench_idle();
	if (!ret && bench_on("drain"))
		ret = bench_drain();
	pr_info("BENCHINFO done ret=%d\n", ret);

	tqc_bh_cancel_sync(&lat_bh);
	lat_batch_exit();
	kthread_destroy_worker(lat_kw);
	return ret;
}

static void __exit tq_bench_exit(void)
{
}

module_init(tq_bench_init);
module_exit(tq_bench_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tqueue benchmark against the raw kernel primitives");
MODULE_IMPORT_NS(TQC_TEST_NS);
