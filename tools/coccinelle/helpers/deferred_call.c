// SPDX-License-Identifier: GPL-2.0
/*
 * tq-port helper deferred_call: a call queued on a list the module runs
 * itself, as on a 2.4 task queue. A call is queued once until it runs:
 * deferred_call_queue() returns 1 if it queued @c, 0 if @c was queued
 * already. deferred_call_run() runs the calls queued on @q in the caller's
 * context, in the order they were queued; a call its routine queues again
 * runs at the next deferred_call_run().
 */
struct deferred_call {
	struct llist_node node;
	unsigned long pending;
	void (*routine)(void *data);
	void *data;
};

static int deferred_call_queue(struct deferred_call *c, struct llist_head *q)
{
	if (test_and_set_bit(0, &c->pending))
		return 0;
	llist_add(&c->node, q);
	return 1;
}

static void deferred_call_run(struct llist_head *q)
{
	struct llist_node *list = llist_reverse_order(llist_del_all(q));
	struct deferred_call *c, *n;

	llist_for_each_entry_safe(c, n, list, node) {
		void (*routine)(void *data) = c->routine;
		void *data = c->data;

		/*
		 * Fully ordered, as the test_and_set_bit() it pairs with: a
		 * caller that found @c queued relies on this run to see what
		 * it stored before it (LKMM: tqueue's
		 * tests/lkmm/pending-event.litmus; a release-only clear such
		 * as clear_bit_unlock() can lose that run).
		 */
		test_and_clear_bit(0, &c->pending);
		routine(data);
	}
}
