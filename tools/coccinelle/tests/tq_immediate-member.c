// SPDX-License-Identifier: GPL-2.0
// A task in a struct, set up with the struct as its data, on tq_immediate:
// a work item (a tasklet before 6.9), container_of() in the routine.
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/tqueue.h>

struct foo {
	int runs;
	bool stop;
	struct tq_struct poll;
};

static struct foo *the_foo;

static void foo_poll(void *data)
{
	struct foo *foo = data;

	foo->runs++;
	if (READ_ONCE(foo->stop))
		return;
	queue_task(&foo->poll, &tq_immediate);
	mark_bh(IMMEDIATE_BH);
}

static int __init foo_init(void)
{
	struct foo *foo = kzalloc(sizeof(*foo), GFP_KERNEL);

	if (!foo)
		return -ENOMEM;
	INIT_TQUEUE(&foo->poll, foo_poll, foo);
	queue_task(&foo->poll, &tq_immediate);
	mark_bh(IMMEDIATE_BH);
	the_foo = foo;
	return 0;
}

static void __exit foo_exit(void)
{
	WRITE_ONCE(the_foo->stop, true);
	cancel_task_sync(&the_foo->poll);
	kfree(the_foo);
}

module_init(foo_init);
module_exit(foo_exit);
MODULE_LICENSE("GPL");
