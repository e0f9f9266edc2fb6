/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tqueue.pml - a Promela model of tqueue's core protocol, checked by spin.
 *
 * tools/model.sh runs it: one spin run per (configuration, property), and
 * one per mutation, which must be caught. Select with -D flags to spin:
 *
 *   -DCFG_<name>   the configuration (processes and tasks), see "Configurations"
 *   -DPROP=<n>     the property whose assertions are compiled in, see "Properties"
 *   -DMUT_<name>   a known defect put back into the protocol, see "Mutations"
 *
 * Every Promela process is a CPU running one context. "IRQs off" needs no
 * modelling, except as an RCU read-side section for the purge's grace
 * period (rcu[]). Memory is sequentially consistent: the orderings the C
 * code gets from barriers are the LKMM's business (tests/lkmm/); this model
 * checks the protocol that those orderings make possible.
 *
 * What stands for what (C function -> Promela):
 *
 *   struct tq_struct.sync (P, L, C)  sync[t]: P = 1, L = 2, C = 4; every
 *                                    atomic RMW (test_and_set_bit, cmpxchg
 *                                    loop, clear_bit) is one atomic step
 *   tq_struct.tq_queue, .tq_seq      tqq[t] (0 = NULL), tseq[t]
 *   struct task_queue (head, last,   fifo[q*QLEN + i], qlen[q], qseq[q],
 *     seq, lock)                     qlock[q]: taken with a blocking test
 *                                    and set; the critical section follows
 *                                    in the same atomic step, since no C
 *                                    critical section of a queue waits
 *   tq_link(), tq_unlink()           tq_link(), tq_unlink()
 *   queue_task(), tq_refused()       queue_task()
 *   run_task_queue(), tq_run(),      runner (proctype), tq_run(): one task
 *     tq_run_head()                    per lock hold, only seq < end
 *   tq_release_pending()             tq_release_pending()
 *   the routine (b.fn(b.data))       routine(): T_REQ queues itself again on
 *                                    its queue, T_MIG on the other queue,
 *                                    T_BAR completes a flush, T_F frees its
 *                                    queue (the last task of a run may)
 *   struct tq_busy, tq_busy_list     bon[c], btask[c], bwait[c], bgen[c]:
 *                                    one record per runner CPU (no nested
 *                                    runs); every critical section of a
 *                                    busy list's lock is one atomic step
 *   tq_busy_enter/_set/_leave(),     busy_enter(), busy_set(), busy_leave(),
 *     tq_busy_wake()                   busy_wake(): completes the waiters
 *   tq_busy_wait()                   busy_wait(): CPU by CPU, each under
 *                                    its lock; waits for one record
 *   struct tq_waiter, completion     wdone[w], one per waiting process
 *   tq_busy_gen()                    busy_gen()
 *   cancel_task_sync()               cancel()
 *   wait_var_event(), wake_up_var()  wait_C() (prepare_to_wait, test, sleep
 *                                    until woken), wake_var(): wvq, wvw[]
 *   tq_grab_pending()                tq_grab_pending(): the locate window
 *   flush_task_queue()               flush(), with the barrier task T_BAR
 *   tq_purge_module()                purge()
 *   tq_purge_nothing()               purge_nothing()
 *   tq_purge_pass(), tq_purge_queue() purge_pass(), purge_one(): one
 *                                    task of the module per call
 *   tq_in_module()                   INMOD(t): the task is in MODMASK
 *   tq_going                         going
 *   synchronize_rcu_expedited()      synchronize_rcu(): waits until every
 *                                    CPU has been seen outside an IRQs-off
 *                                    section (rcu[c]); queue_task() from
 *                                    its tq_going check to its link is one
 *
 * Abstracted away: memory ordering (see above); the backends (kick,
 * run_soon, the hrtimer, keventd, mark_bh): a runner runs its queues
 * whenever they are not empty; the serial lock: a serialized queue is one
 * that a single runner process runs; nested runs; lockdep; routine and data
 * as values (a task has one routine; tq_match_task() is task identity);
 * freeing a task; the purge's counters; the purge's cursor and its walk
 * in batches (tq_purge_queue()): purge_one() takes the first task of the
 * module on the queue under one lock hold, which is what the walk finds,
 * since tasks are linked only at the tail and the ones before the cursor
 * are ones it passed; runners stepping over the cursor.
 * Every counter is bounded: tasks requeue a fixed number of times.
 *
 * Configurations (-DCFG_<name>; details where they are defined below):
 *
 *   c2     2 CPUs: one runner of q0 and q1; a producer that cancels
 *   c3     3 CPUs: two runners, each of q0 and q1 (concurrent runs of one
 *          queue, as for a user's queue); a producer that cancels
 *   k2     3 CPUs: one runner; two cancellers of the migrating task
 *   flush  3 CPUs: a serialized runner for each queue; a producer that
 *          flushes q0
 *   purge  3 CPUs: a serialized runner for each queue; the module (its two
 *          tasks) and then the purge of the module
 *   free   2 CPUs: the owner of a user's queue, whose last task frees it;
 *          a canceller of that task
 *
 * Tasks: T_REQ queues itself again from its routine (on its queue), T_MIG
 * queues itself on the other queue, both a bounded number of times.
 *
 * Properties (-DPROP=<n>; each compiles in only its own ghosts and checks):
 *
 *   1 exactly-once    every queue_task() that returned 1 is followed by
 *                     exactly one call of the routine or one unlink by
 *                     cancel or the purge: ghost live[t] set at the link,
 *                     cleared by the routine's entry or the unlink, each
 *                     asserting it was set; all clear at the end
 *   2 no-double-run   no queued instance is run twice, at once or one after
 *                     the other: instances are numbered at the link, the
 *                     routine's entry asserts its instance never ran. Two
 *                     instances of one task may run at once (the routine
 *                     queued it again, on another queue or on a queue that
 *                     two CPUs run): that is allowed and happens here
 *   3 cancel-sync     when cancel_task_sync() releases P (the point after
 *                     which it returns), no routine of the task is in
 *                     progress, and none starts until the task is queued
 *                     again
 *   4 flush           when flush_task_queue() returns, no task linked on
 *                     the queue before the barrier is still linked there,
 *                     or popped from it with its routine not returned
 *   5 purge           when tq_purge_module() returns, no task of the module
 *                     is linked, popped or running, and none is linked or
 *                     started afterwards
 *   6 no-deadlock     no invalid end state (pan's check; runners end idle at
 *                     end_idle) and at the end every task is idle (sync 0,
 *                     on no queue), no lock is held, nobody sleeps
 *   7 progress        LTL <> (every worker returned), under weak fairness:
 *                     cancel (flush, the purge) terminates once the
 *                     producers stop; no livelock of the spinning steps
 *   8 queue-lifetime  no queue is touched after the routine of the last
 *                     task of its run freed it (what L protects)
 *
 * Mutations (-DMUT_<name>): known defects, each of which spin must catch
 * with the property named (tools/model.sh says which configuration):
 *
 *   CANCEL_NO_RECHECK       (1) cancel unlinks from the queue it read
 *                           without checking, under the lock, that the
 *                           task is still on it
 *   RUNNER_SKIP_ON_L        (1) a runner that finds L set leaves the task
 *                           to the canceller and does not run it
 *   POP_SPLIT               (2) a run takes its task under one lock hold
 *                           and unlinks it under another (a chunked run)
 *   P_BEFORE_PUBLISH        (3) the runner clears P before it publishes the
 *                           busy record
 *   CANCEL_WAIT_ONCE        (3) cancel waits for one running instance only,
 *                           not for the one that migrated to another queue
 *   FLUSH_UNSERIALIZED      (4) the flushed queue is run by two CPUs at once
 *   NO_GRACE                (5) the purge does not wait for a grace period
 *   L_WAIT_UNDER_LOCK       (6) the runner waits for L holding the queue's
 *                           lock, which the canceller needs
 *   WAKE_BEFORE_CLEAR       (6) cancel wakes the other cancellers before it
 *                           clears C: a lost wake-up
 *   L_WAIT_BEFORE_CLEAR     (7) the runner waits for L before it clears P,
 *                           while the canceller retries, setting L again
 *   NO_L_WAIT               (8) the runner does not wait for L
 *   LOCATE_NO_L             (8) cancel's locate window does not set L
 *   RUN_RELOCK              (8) the runner locks the queue again after the
 *                           routine of the last task of its run
 *
 *   PUBLISH_AFTER_UNLOCK    (5) tq_run() publishes the busy record after
 *                           it drops q->lock (the first version of the
 *                           busy-record core; the model found it)
 */

#define P	1
#define L	2
#define C	4

/* Tasks; 0 is "no task". */
#define T_REQ	1	/* its routine queues it again on the same queue */
#define T_MIG	2	/* its routine queues it on the other queue */
#define T_BAR	3	/* flush_task_queue()'s barrier */
#define T_F	4	/* its routine frees its queue (a user's queue) */
#define NT	5

/* Queues; 0 is NULL. */
#define Q0	1
#define Q1	2
#define NQ	3
#define QLEN	4
#define OTHER(q)	(3 - (q))

#ifndef PROP
#define PROP 0
#endif

/* ---------------------------------------------------------------------
 * Configurations: which processes run, the runner CPUs (with busy
 * records, numbered 0 .. NRUN-1), and how often a task may requeue.
 */
#if defined(CFG_c2)
/* 2 CPUs: CPU0 runs q0 and q1; CPU1 queues T_REQ and T_MIG, cancels both */
#define NRUN	1	/* CPU1 has no busy record */
#define NWORK	1
#define REQ_BUDGET	1
#define MIG_BUDGET	2
#elif defined(CFG_c3)
/* 3 CPUs: CPU0 and CPU1 both run q0 and q1 (concurrent runs of one queue);
 * CPU2 queues T_REQ and T_MIG and cancels both */
#define NRUN	2
#define NWORK	1
#define REQ_BUDGET	1
#define MIG_BUDGET	2
#elif defined(CFG_k2)
/* 3 CPUs: CPU0 runs q0 and q1; CPU1 queues T_MIG and cancels it; CPU2
 * cancels it too (two cancellers of one task) */
#define NRUN	1
#define NWORK	2
#define REQ_BUDGET	0
#define MIG_BUDGET	2
#elif defined(CFG_flush)
/* 3 CPUs: CPU0 runs q0, CPU1 runs q1 (serialized queues, like tq_timer
 * and tq_scheduler); CPU2 queues T_REQ on q0, T_MIG on q1, flushes q0 */
#define NRUN	2
#define NWORK	1
#define REQ_BUDGET	1
#define MIG_BUDGET	2
#elif defined(CFG_purge)
/* 3 CPUs: CPU0 runs q0, CPU1 runs q1; CPU2 is the module, which queued
 * T_REQ and T_MIG and exited, then the purge of that module */
#define NRUN	2
#define NWORK	1
#define REQ_BUDGET	2
#define MIG_BUDGET	2
#define MODMASK	((1 << T_REQ) | (1 << T_MIG))
#elif defined(CFG_free)
/* 2 CPUs: CPU0 queues T_F on the user queue q1 and runs q1 once; T_F's
 * routine frees q1; CPU1 cancels T_F */
#define NRUN	1
#define NWORK	2
#define REQ_BUDGET	0
#define MIG_BUDGET	0
#else
#error "select a configuration: -DCFG_c2, -DCFG_c3, -DCFG_k2, -DCFG_flush, -DCFG_purge or -DCFG_free"
#endif

#ifndef MODMASK
#define MODMASK	0
#endif
#define INMOD(t)	((MODMASK >> (t)) & 1)

/* ---------------------------------------------------------------------
 * State.
 */
byte sync[NT];			/* tq_struct.sync */
byte tqq[NT];			/* tq_struct.tq_queue */
byte tseq[NT];			/* tq_struct.tq_seq (0 when not linked) */
byte fifo[NQ * QLEN];		/* the queue's list, head first */
byte qlen[NQ];
byte qseq[NQ];			/* task_queue.seq: next sequence number */
bit qlock[NQ];			/* task_queue.lock */

bit bon[NRUN];			/* the CPU's busy list holds its record */
byte btask[NRUN];		/* tq_busy.task */
byte bwait[NRUN];		/* tq_busy.waiters: a bit per waiter */
bit wdone[3];			/* tq_waiter.done, per waiting process */
#ifdef CFG_purge
byte bgen[NRUN];		/* tq_busy_list.gen */
#endif

byte wvq;			/* wait_var_event() queue of task->sync */
bit wvw[3];			/* woken */

byte breq = REQ_BUDGET;		/* requeues left to T_REQ's routine */
byte bmig = MIG_BUDGET;		/* and to T_MIG's */
bit going;			/* tq_going == the module */
bit rcu[3];			/* the CPU is in an IRQs-off section */
bit fdone;			/* the flush's completion */
byte ndone;			/* workers that returned */
bit ridle[NRUN];		/* runner c is between runs */

/* Ghosts of the properties. */
#if PROP == 1
bit live[NT];			/* a linked instance not yet run or unlinked */
#endif
#if PROP == 2
byte inst[NT];			/* instances linked so far */
byte tinst[NT];			/* the linked instance */
byte rinst[NRUN];		/* the instance runner c popped */
byte ranmask[NT];		/* instances whose routine has been called */
#endif
#if PROP == 3
bit cancelled[NT];		/* cancel returned, not queued since */
byte inrt[NRUN];		/* the routine runner c is in */
#endif
#if PROP == 4
byte bseq;			/* the barrier's sequence number, + 1 */
byte rcur[NRUN];		/* the task runner c popped, until it returns */
byte rq[NRUN];			/* its queue */
byte rseq[NRUN];		/* its sequence number */
#endif
#if PROP == 5
bit purged;			/* tq_purge_module() returned */
byte rcur[NRUN];
#endif
#if PROP == 8
bit freed[NQ];			/* the queue's memory was freed */
#define LIVEQ(q)	assert(!freed[q])
#else
#define LIVEQ(q)	skip
#endif

hidden byte ui, uj;		/* scratch inside d_steps */

#ifdef CFG_purge
#define RCU_IN(c)	rcu[c] = 1
#define RCU_OUT(c)	rcu[c] = 0
#define BGEN(c)		bgen[c]++
#else
#define RCU_IN(c)	skip
#define RCU_OUT(c)	skip
#define BGEN(c)		skip
#endif

/* ---------------------------------------------------------------------
 * The FIFO (queue.c), under qlock[q].
 */
inline tq_link(q, t)
{
	d_step {
		fifo[q * QLEN + qlen[q]] = t;
		qlen[q]++;
		qseq[q]++;
		tseq[t] = qseq[q];	/* 1-based so that 0 means "not linked" */
		tqq[t] = q;
		assert(qseq[q] < 250)
	}
}

inline tq_unlink(q, t)
{
	d_step {
		ui = 0;
		do
		:: fifo[q * QLEN + ui] == t -> break
		:: else -> ui++; assert(ui < qlen[q])
		od;
		do
		:: ui + 1 < qlen[q] ->
			fifo[q * QLEN + ui] = fifo[q * QLEN + ui + 1];
			ui++
		:: else -> break
		od;
		qlen[q]--;
		fifo[q * QLEN + qlen[q]] = 0;
		tqq[t] = 0;
		tseq[t] = 0;
		ui = 0
	}
}

/* tq_run_head(): the head, if it belongs to the run that ends at end */
#define HEAD(q)		fifo[(q) * QLEN]
#define RUNHEAD(q, end)	(qlen[q] > 0 && tseq[HEAD(q)] <= (end))

/* The ghost steps of a link and of the end of an instance (run or unlink). */
inline ghost_link(t)
{
#if PROP == 1
	assert(!live[t]); live[t] = 1;
#endif
#if PROP == 2
	inst[t]++; tinst[t] = inst[t]; assert(inst[t] < 8);
#endif
#if PROP == 3
	cancelled[t] = 0;
#endif
#if PROP == 4
	if
	:: t == T_BAR -> bseq = tseq[t]
	:: else
	fi;
#endif
#if PROP == 5
	assert(!(purged && INMOD(t)));
#endif
	skip
}

inline ghost_consume(t)
{
#if PROP == 1
	assert(live[t]); live[t] = 0;
#endif
	skip
}

/* ---------------------------------------------------------------------
 * queue_task() (queue.c). ret: 1 queued, 0 refused or already pending.
 */
inline queue_task(cpu, t, q, ret)
{
	/* local_irq_save(); tq_refused(): READ_ONCE(tq_going) */
	atomic {
		RCU_IN(cpu);
		if
		:: going && INMOD(t) -> ret = 0; RCU_OUT(cpu)
		:: else -> ret = 2
		fi
	}
	if
	:: ret == 2 ->
		/* test_and_set_bit(TQ_PENDING_BIT) */
		atomic {
			if
			:: sync[t] & P -> ret = 0; RCU_OUT(cpu)
			:: else -> sync[t] = sync[t] | P
			fi
		}
		if
		:: ret == 2 ->
			/* raw_spin_lock(); tq_link(); kick; unlock_irqrestore */
			atomic {
				qlock[q] == 0 -> LIVEQ(q); qlock[q] = 1;
				tq_link(q, t);
				ghost_link(t);
				qlock[q] = 0; RCU_OUT(cpu); ret = 1
			}
		:: else
		fi
	:: else
	fi
}

/* ---------------------------------------------------------------------
 * Busy records (busy.c); each critical section of the list lock is atomic.
 */
inline busy_wake(c)
{
	if :: bwait[c] & 1 -> wdone[0] = 1 :: else fi;
	if :: bwait[c] & 2 -> wdone[1] = 1 :: else fi;
	if :: bwait[c] & 4 -> wdone[2] = 1 :: else fi;
	bwait[c] = 0
}

inline busy_enter(c)
{
	atomic { bon[c] = 1; btask[c] = 0; bwait[c] = 0; BGEN(c) }
}

inline busy_set(c, t)
{
	atomic { busy_wake(c); btask[c] = t; BGEN(c) }
}

inline busy_leave(c)
{
	atomic { busy_wake(c); bon[c] = 0; btask[c] = 0 }
}

/* tq_busy_wait(): found = whether it found a record that the match
 * selects and waited for it; BY_TASK: tq_match_task() (the task tsk),
 * BY_MODULE: tq_in_module() */
#define BY_TASK		0
#define BY_MODULE	1
#define MATCH(how, x)	((how) == BY_TASK && (x) == tsk || (how) == BY_MODULE && INMOD(x))

inline busy_wait(w, how, found)
{
	found = 0;
	uc = 0;
	do
	:: uc < NRUN ->
		atomic {
			if
			:: bon[uc] && btask[uc] != 0 && MATCH(how, btask[uc]) ->
				wdone[w] = 0;
				bwait[uc] = bwait[uc] | (1 << w);
				found = 1
			:: else -> uc++
			fi
		}
		if :: found -> break :: else fi
	:: else -> break
	od;
	if
	:: found -> atomic { wdone[w] == 1 -> wdone[w] = 0 }	/* wait_for_completion */
	:: else
	fi;
	uc = 0
}

/* ---------------------------------------------------------------------
 * The runner (run.c).
 */

/* tq_release_pending(): clear P with a cmpxchg loop; wait out a locator. */
inline tq_release_pending(t, old)
{
#ifdef MUT_L_WAIT_BEFORE_CLEAR
	/* defect: waits for the locator before it lets go of P */
	(sync[t] & L) == 0;
#endif
	atomic { old = sync[t]; sync[t] = sync[t] & ~P }
#if !defined(MUT_NO_L_WAIT) && !defined(MUT_L_WAIT_BEFORE_CLEAR)
	if
	:: old & L -> (sync[t] & L) == 0	/* smp_cond_load_acquire() */
	:: else
	fi
#endif
}

inline routine(c, t, q, ret)
{
	/* routine entry: the instance is run */
	atomic {
		ghost_consume(t);
#if PROP == 2
		assert(!(ranmask[t] & (1 << rinst[c])));
		ranmask[t] = ranmask[t] | (1 << rinst[c]);
#endif
#if PROP == 3
		assert(!cancelled[t]);
		inrt[c] = t;
#endif
#if PROP == 5
		assert(!(purged && INMOD(t)));
#endif
		skip
	}
	if
	:: t == T_REQ ->
		if
		:: breq > 0 -> breq--; queue_task(c, T_REQ, q, ret)
		:: else
		fi
	:: t == T_MIG ->
		if
		:: bmig > 0 -> bmig--; queue_task(c, T_MIG, OTHER(q), ret)
		:: else
		fi
	:: t == T_BAR -> fdone = 1		/* complete(&done) */
	:: t == T_F ->
#if PROP == 8
		freed[q] = 1;			/* kfree(q) */
#endif
		skip
	fi;
	/* routine return */
	atomic {
#if PROP == 3
		inrt[c] = 0;
#endif
#if PROP == 4 || PROP == 5
		rcur[c] = 0;
#endif
		ret = 0
	}
}

/* tq_run(): busy_enter, then one task per lock hold until the run's end. */
inline tq_run(c, q)
{
	busy_enter(c);
	/* raw_spin_lock_irqsave(); end = q->seq */
	atomic { qlock[q] == 0 -> LIVEQ(q); qlock[q] = 1; RCU_IN(c); end = qseq[q] }
	do
	:: atomic {
		if
		:: RUNHEAD(q, end) ->
			t = HEAD(q);
#if PROP == 2
			rinst[c] = tinst[t];
#endif
#if PROP == 4
			rcur[c] = t; rq[c] = q; rseq[c] = tseq[t];
#endif
#if PROP == 5
			rcur[c] = t;
#endif
#ifndef MUT_POP_SPLIT
			tq_unlink(q, t);
			more = RUNHEAD(q, end);
#endif
#if !defined(MUT_PUBLISH_AFTER_UNLOCK) && !defined(MUT_P_BEFORE_PUBLISH)
			busy_set(c, t);	/* tq_run(): published under q->lock */
#endif
		:: else -> t = 0; RCU_OUT(c)
		fi;
#if !defined(MUT_L_WAIT_UNDER_LOCK) && !defined(MUT_POP_SPLIT)
		qlock[q] = 0
#else
		if :: t == 0 -> qlock[q] = 0 :: else fi
#endif
	   }
#ifdef MUT_POP_SPLIT
	   /* defect: the task is taken under one lock hold, unlinked under a
	    * second one, so two runs of the queue may both take it */
	   if
	   :: t != 0 ->
		qlock[q] = 0;
		atomic {
			qlock[q] == 0 -> qlock[q] = 1;
			if
			:: tqq[t] == q -> tq_unlink(q, t)
			:: else
			fi;
			more = RUNHEAD(q, end);
			qlock[q] = 0
		}
	   :: else
	   fi;
#endif
	   if
	   :: t == 0 -> break
	   :: else
	   fi;
#ifdef MUT_P_BEFORE_PUBLISH
	   /* defect: P is released before the record is published */
	   tq_release_pending(t, old);
	   busy_set(c, t);
#else
	   /*
	    * MUT_PUBLISH_AFTER_UNLOCK: tq_run() as first written dropped
	    * q->lock, then published t in its record: in between t was on no
	    * queue and in no record. Cancel waits for P, which the runner
	    * still holds; the purge looks only at queues and records, so a
	    * pass and a tq_busy_wait() that both fall in this window see
	    * nothing, and the purge returns while t is about to run (property
	    * 5 in CFG_purge). The spin model found it.
	    */
#ifdef MUT_PUBLISH_AFTER_UNLOCK
	   busy_set(c, t);
#endif
	   tq_release_pending(t, old);
#endif
#ifdef MUT_L_WAIT_UNDER_LOCK
	   qlock[q] = 0;	/* defect: the queue's lock was held until here */
#endif
	   RCU_OUT(c);		/* local_irq_restore() */
#ifdef MUT_RUNNER_SKIP_ON_L
	   /* defect: a runner that meets a locator leaves the task to it */
	   if
	   :: old & L ->
#if PROP == 4 || PROP == 5
		rcur[c] = 0;
#endif
		skip
	   :: else -> routine(c, t, q, ret)
	   fi;
#else
	   routine(c, t, q, ret);
#endif
#ifdef MUT_RUN_RELOCK
	   /* defect: the runner looks at the queue again after every task */
	   more = 1;
#endif
	   if
	   :: !more -> break		/* goto out */
	   :: else ->
		atomic { qlock[q] == 0 -> LIVEQ(q); qlock[q] = 1; RCU_IN(c); t = 0; old = 0 }
	   fi
	od;
	busy_leave(c);
	atomic { t = 0; end = 0; more = 0; old = 0 }
}

/* run_task_queue() of one or two queues, forever: CPU c. */
proctype runner(byte c; byte qa; byte qb)
{
	byte q, t, end, old, ret;
	bit more;

	ridle[c] = 1;
end_idle:
	do
	:: atomic {
		(qlen[qa] > 0 || qlen[qb] > 0) ->	/* READ_ONCE(q->head) */
		if
		:: qlen[qa] > 0 -> q = qa
		:: qlen[qb] > 0 -> q = qb
		fi;
		ridle[c] = 0
	   }
		tq_run(c, q);
		atomic { q = 0; ridle[c] = 1 }
	od
}

/* ---------------------------------------------------------------------
 * cancel_task_sync() (cancel.c): waiter w on CPU cpu.
 */

/* wait_var_event(&t->sync, !test_and_set_bit(TQ_CANCELING_BIT)) */
inline wait_C(w, t)
{
	do
	:: atomic { wvq = wvq | (1 << w); wvw[w] = 0 }	/* prepare_to_wait_event() */
	   atomic {
		if
		:: (sync[t] & C) == 0 -> sync[t] = sync[t] | C; got = 1
		:: else -> got = 0
		fi
	   }
	   if
	   :: got -> atomic { wvq = wvq & ~(1 << w); got = 0 }; break	/* finish_wait() */
	   :: else -> atomic { wvw[w] == 1 -> wvw[w] = 0 }		/* schedule() */
	   fi
	od
}

/* wake_up_var(&t->sync): autoremove_wake_function() */
inline wake_var()
{
	atomic {
		if :: wvq & 1 -> wvw[0] = 1 :: else fi;
		if :: wvq & 2 -> wvw[1] = 1 :: else fi;
		if :: wvq & 4 -> wvw[2] = 1 :: else fi;
		wvq = 0
	}
}

/* tq_grab_pending(): got = P is ours (removed: and t was unlinked) */
inline tq_grab_pending(cpu, t, removed)
{
	/* local_irq_save(); the try_cmpxchg() loop */
	atomic {
		RCU_IN(cpu);
		old = sync[t];
#ifdef MUT_LOCATE_NO_L
		sync[t] = sync[t] | P;		/* defect: no L */
#else
		sync[t] = sync[t] | P | L;
#endif
		got = 0
	}
	if
	:: !(old & P) -> got = 1
	:: else ->
		q = tqq[t];			/* READ_ONCE(t->tq_queue) */
		if
		:: q != 0 ->
			atomic {
				qlock[q] == 0 -> LIVEQ(q); qlock[q] = 1;
#ifdef MUT_CANCEL_NO_RECHECK
				/* defect: no check that t is still on q */
				if
				:: tqq[t] == q -> tq_unlink(q, t)
				:: else
				fi;
				ghost_consume(t);
				removed = 1; got = 1;
#else
				if
				:: tqq[t] == q ->
					tq_unlink(q, t);
					ghost_consume(t);
					removed = 1; got = 1
				:: else
				fi;
#endif
				qlock[q] = 0
			}
		:: else
		fi
	fi;
	/* clear_bit_unlock(TQ_LOCATING_BIT); local_irq_restore() */
	atomic { sync[t] = sync[t] & ~L; RCU_OUT(cpu); q = 0; old = 0 }
}

inline cancel(w, cpu, t, removed)
{
	tsk = t;
	removed = 0;
	wait_C(w, t);
	do
	:: tq_grab_pending(cpu, t, removed);
	   if :: got -> got = 0; break :: else fi	/* cpu_relax() */
	od;
#ifdef MUT_CANCEL_WAIT_ONCE
	/* defect: waits for one running instance, not for all of them */
	busy_wait(w, BY_TASK, found);
#else
	do
	:: busy_wait(w, BY_TASK, found);
	   if :: found -> skip :: else -> break fi
	od;
#endif
	found = 0;
	/* smp_mb__before_atomic(); clear_bit(TQ_PENDING_BIT) */
	atomic {
		sync[t] = sync[t] & ~P;
#if PROP == 3
		/* From here until t is queued again, no routine of t runs. */
		cancelled[t] = 1;
		uc = 0;
		do
		:: uc < NRUN -> assert(inrt[uc] != t); uc++
		:: else -> break
		od;
		uc = 0;
#endif
		skip
	}
#ifdef MUT_WAKE_BEFORE_CLEAR
	wake_var();				/* defect: wakes, then clears C */
	atomic { sync[t] = sync[t] & ~C }
#else
	atomic { sync[t] = sync[t] & ~C }	/* clear_bit_unlock(C) */
	wake_var();
#endif
	tsk = 0
}

/* ---------------------------------------------------------------------
 * flush_task_queue() (cancel.c).
 */
inline flush(cpu, q)
{
	/* INIT_TQUEUE(&barrier, tq_barrier_fn, &done); queue_task() */
	queue_task(cpu, T_BAR, q, ret);
	assert(ret == 1);
	fdone == 1;				/* wait_for_completion() */
#if PROP == 4
	/* Every task linked on q before the barrier has run (or left q). */
	atomic {
		uc = 1;
		do
		:: uc < NT ->
			assert(!(uc != T_BAR && tqq[uc] == q && tseq[uc] < bseq));
			uc++
		:: else -> break
		od;
		uc = 0;
		do
		:: uc < NRUN ->
			assert(!(rcur[uc] != 0 && rq[uc] == q && rseq[uc] < bseq));
			uc++
		:: else -> break
		od;
		uc = 0
	}
#endif
	fdone = 0
}

/* ---------------------------------------------------------------------
 * The unload purge (unload.c): waiter w on CPU cpu.
 */
#ifdef CFG_purge
/* tq_busy_gen(): gen, idle */
inline busy_gen(g, idle)
{
	g = 0; idle = 1; uc = 0;
	do
	:: uc < NRUN ->
		atomic { g = g + bgen[uc]; if :: bon[uc] -> idle = 0 :: else fi; uc++ }
	:: else -> break
	od;
	uc = 0
}

/* tq_purge_nothing(): nothing = nothing queued or running, twice alike */
inline purge_nothing(nothing)
{
	nothing = 0;
	busy_gen(g1, idle);
	if
	:: idle ->
		qempty = 1; s1 = 0; uq = Q0;
		do
		:: uq < NQ ->
			atomic {
				qlock[uq] == 0 -> qlock[uq] = 1;
				if :: qlen[uq] > 0 -> qempty = 0 :: else fi;
				s1 = s1 + qseq[uq];
				qlock[uq] = 0; uq++
			}
		:: else -> break
		od;
		busy_gen(g2, idle);
		if
		:: qempty && g2 == g1 && idle ->
			s2 = 0; uq = Q0;
			do
			:: uq < NQ ->
				atomic {
					qlock[uq] == 0 -> qlock[uq] = 1;
					s2 = s2 + qseq[uq];
					qlock[uq] = 0; uq++
				}
			:: else -> break
			od;
			nothing = (s2 == s1)
		:: else
		fi
	:: else
	fi;
	atomic { g1 = 0; g2 = 0; s1 = 0; s2 = 0; qempty = 0; idle = 0; uq = 0 }
}

/* One step of tq_purge_queue() on q: found = a task was taken off */
inline purge_one(cpu, q, found)
{
	atomic {
		qlock[q] == 0 -> qlock[q] = 1; RCU_IN(cpu);
		found = 0;
		uj = 0;
		do
		:: uj < qlen[q] && INMOD(fifo[q * QLEN + uj]) ->
			pt = fifo[q * QLEN + uj]; found = 1; break
		:: uj < qlen[q] && !INMOD(fifo[q * QLEN + uj]) -> uj++
		:: else -> break
		od;
		uj = 0;
		if
		:: found -> tq_unlink(q, pt); ghost_consume(pt)
		:: else -> RCU_OUT(cpu)
		fi;
		qlock[q] = 0
	}
	if
	:: found ->
		tq_release_pending(pt, old);	/* popped, never run */
		atomic { RCU_OUT(cpu); pt = 0; old = 0 }
	:: else
	fi
}

/* tq_purge_pass(): n = how many it took off */
inline purge_pass(cpu, n)
{
	n = 0;
	uq = Q0;
	do
	:: uq < NQ ->
		purge_one(cpu, uq, found);
		if
		:: found -> n = 1		/* only n != 0 matters */
		:: else -> uq++
		fi
	:: else -> break
	od;
	atomic { uq = 0; found = 0 }
}

/* synchronize_rcu_expedited(): every CPU seen outside IRQs-off */
inline synchronize_rcu()
{
	uc = 0;
	do
	:: uc < 3 -> (rcu[uc] == 0); uc++
	:: else -> break
	od;
	uc = 0
}

inline purge(w, cpu)
{
	/* mutex_lock(&tq_purge_mutex): one purge at a time, a single purger */
	purge_nothing(nothing);
	if
	:: nothing -> skip
	:: else ->
		going = 1;			/* WRITE_ONCE(tq_going, mod) */
		purge_pass(cpu, n);
#ifndef MUT_NO_GRACE
		synchronize_rcu();
#endif
		do
		:: purge_pass(cpu, n);
		   busy_wait(w, BY_MODULE, waited);
		   if
		   :: n || waited -> skip
		   :: else -> break
		   fi
		od;
		atomic { n = 0; waited = 0 }
		going = 0			/* WRITE_ONCE(tq_going, NULL) */
	fi;
	nothing = 0;
#if PROP == 5
	/* No task of the module is queued or running any more. */
	atomic {
		purged = 1;
		uc = 1;
		do
		:: uc < NT -> assert(!(INMOD(uc) && tqq[uc] != 0)); uc++
		:: else -> break
		od;
		uc = 0;
		do
		:: uc < NRUN -> assert(!(rcur[uc] != 0 && INMOD(rcur[uc]))); uc++
		:: else -> break
		od;
		uc = 0
	}
#endif
	skip
}
#endif /* CFG_purge */

/* ---------------------------------------------------------------------
 * Worker processes: producers, cancellers, the flusher, the module.
 */
#define WORKER_LOCALS \
	byte ret, old, q, tsk, uc, got, found; \
	bit removed

#if defined(CFG_c2) || defined(CFG_c3)
proctype worker(byte cpu)
{
	WORKER_LOCALS;

	queue_task(cpu, T_REQ, Q0, ret);
	queue_task(cpu, T_MIG, Q0, ret);
	cancel(0, cpu, T_MIG, removed);
	cancel(0, cpu, T_REQ, removed);
	ndone++
}
#endif

#ifdef CFG_k2
proctype worker(byte cpu)
{
	WORKER_LOCALS;

	queue_task(cpu, T_MIG, Q0, ret);
	cancel(0, cpu, T_MIG, removed);
	ndone++
}

proctype canceller(byte cpu)
{
	WORKER_LOCALS;

	cancel(1, cpu, T_MIG, removed);
	ndone++
}
#endif

#ifdef CFG_flush
proctype worker(byte cpu)
{
	WORKER_LOCALS;

	queue_task(cpu, T_REQ, Q0, ret);
	queue_task(cpu, T_MIG, Q1, ret);
	flush(cpu, Q0);
	ndone++
}
#endif

#ifdef CFG_purge
proctype worker(byte cpu)
{
	WORKER_LOCALS;
	byte g1, g2, s1, s2, uq, pt;
	bit idle, qempty, nothing, n, waited;

	/* The module queued its tasks; then its exit function returned. */
	queue_task(cpu, T_REQ, Q0, ret);
	queue_task(cpu, T_MIG, Q0, ret);
	/* MODULE_STATE_GOING: tq_module_notify() */
	purge(0, cpu);
	ndone++
}
#endif

#ifdef CFG_free
/* CPU0: the owner of the user queue q1: queues T_F, runs q1 once */
proctype owner(byte c)
{
	byte q, t, end, old, ret;
	bit more;

	queue_task(c, T_F, Q1, ret);
	if
	:: atomic { qlen[Q1] > 0 -> LIVEQ(Q1) }	/* READ_ONCE(q->head) */
		tq_run(c, Q1)
	:: else
	fi;
	ndone++
}

proctype worker(byte cpu)
{
	WORKER_LOCALS;

	cancel(0, cpu, T_F, removed);
	ndone++
}
#endif

/* ---------------------------------------------------------------------
 * The end: once the workers returned and the runners are idle with their
 * queues empty, nothing can change; check what must hold then.
 */
#if defined(CFG_free)
#define RUNNERS_IDLE	1
#elif NRUN == 1 || defined(CFG_c2)
#define RUNNERS_IDLE	ridle[0]
#else
#define RUNNERS_IDLE	(ridle[0] && ridle[1])
#endif

proctype watcher()
{
	(ndone == NWORK && RUNNERS_IDLE && qlen[Q0] == 0 && qlen[Q1] == 0);
	atomic {
#if PROP == 1
		/* no lost run: every linked instance was run or unlinked */
		ui = 1;
		do
		:: ui < NT -> assert(!live[ui]); ui++
		:: else -> break
		od;
		ui = 0;
#endif
#if PROP == 6
		/* every task idle, no lock held, nobody asleep */
		ui = 1;
		do
		:: ui < NT -> assert(sync[ui] == 0 && tqq[ui] == 0); ui++
		:: else -> break
		od;
		ui = 0;
		assert(qlock[Q0] == 0 && qlock[Q1] == 0 && wvq == 0);
#endif
		skip
	}
}

#if PROP == 7
/* Progress: the cancellers (flusher, purge) return. */
ltl progress { <> (ndone == NWORK) }
#endif

init {
	atomic {
#if defined(CFG_c2)
		run runner(0, Q0, Q1);
		run worker(1);
#elif defined(CFG_c3)
		run runner(0, Q0, Q1);
		run runner(1, Q0, Q1);
		run worker(2);
#elif defined(CFG_k2)
		run runner(0, Q0, Q1);
		run worker(1);
		run canceller(2);
#elif defined(CFG_flush)
		run runner(0, Q0, Q0);
#ifdef MUT_FLUSH_UNSERIALIZED
		/* defect: q0's runs are not serialized: CPU1 runs it too */
		run runner(1, Q1, Q0);
#else
		run runner(1, Q1, Q1);
#endif
		run worker(2);
#elif defined(CFG_purge)
		run runner(0, Q0, Q0);
		run runner(1, Q1, Q1);
		run worker(2);
#elif defined(CFG_free)
		run owner(0);
		run worker(1);
#endif
		run watcher()
	}
}
