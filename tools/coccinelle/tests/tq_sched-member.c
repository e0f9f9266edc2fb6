// SPDX-License-Identifier: GPL-2.0
// A task in a struct, set up with the struct as its data, scheduled; an
// init that returns its error variable:
// a work item on keventd_wq, container_of() in the routine.
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
	schedule_task(&foo->poll);
}

static int foo_check(void)
{
	return 0;
}

static int __init foo_init(void)
{
	struct foo *foo = kzalloc(sizeof(*foo), GFP_KERNEL);
	int ret;

	if (!foo)
		return -ENOMEM;
	ret = foo_check();
	if (ret)
		return ret;
	INIT_TQUEUE(&foo->poll, foo_poll, foo);
	schedule_task(&foo->poll);
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
