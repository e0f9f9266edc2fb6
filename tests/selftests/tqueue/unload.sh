#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Unload safety, end to end: clients unloaded while their tasks are still
# queued (tests/modules/tq_leaky.c), a client whose init fails with tasks
# queued (tq_initfail.c), and tqueue.ko's own unload. A crash or splat here
# fails the run through the harness's dmesg scan as well.

. "$(dirname "$0")/lib.sh"

LEAKY_CYCLES=${LEAKY_CYCLES:-20}
INITFAIL_CYCLES=${INITFAIL_CYCLES:-5}

tq_need_core || tap_skip_all "tqueue.ko not found in $TQ_MODDIR"
# Earlier scripts may have provoked warnings on purpose: count new ones.
splats0=$(splat_count)
tap_plan 8

# 1: a client that never stops requeueing, unloaded without waiting.
before=$(purge_warnings tq_leaky)
fail=0
i=0
while [ $i -lt "$LEAKY_CYCLES" ]; do
	if ! mod_load tq_leaky; then
		diag "cycle $i: insmod tq_leaky failed"
		fail=1
		break
	fi
	# Let the tasks run a few ticks (and keventd sleep in them).
	sleep 0.0$((i % 5 + 1))
	if ! rmmod tq_leaky; then
		diag "cycle $i: rmmod tq_leaky failed"
		fail=1
		break
	fi
	i=$((i + 1))
done
tap_result $fail "$LEAKY_CYCLES load/unload cycles of a client that never stops its tasks"

after=$(purge_warnings tq_leaky)
if [ $((after - before)) -eq "$i" ] && [ "$i" -gt 0 ]; then
	tap_ok "one warning per unload naming the module ($i)"
else
	diag "warnings: $((after - before)) for $i unloads"
	tap_not_ok "one warning per unload naming the module"
fi
diag "$(dmesg | grep 'tqueue: module tq_leaky' | tail -n 1)"

# The purged tasks are really gone: nothing runs module code any more, so
# the kernel is still alive and tqueue's queues are idle a while later.
sleep 0.2
tap_no_new_splats "$splats0" "no kernel splat after the unloads"

# 2: init queues tasks, then fails.
before=$(purge_warnings tq_initfail)
fail=0
initfail_loads "$INITFAIL_CYCLES" || fail=1
after=$(purge_warnings tq_initfail)
tap_result $fail "insmod of a client whose init fails is refused ($INITFAIL_CYCLES cycles)"
# busybox insmod retries init_module() after a failed finit_module(), so
# each insmod may load (and fail) the module twice.
n=$((after - before))
if [ $n -ge "$INITFAIL_CYCLES" ] && [ $n -le $((2 * INITFAIL_CYCLES)) ]; then
	tap_ok "its queued tasks were dropped each time, with a warning"
else
	diag "warnings: $n for $INITFAIL_CYCLES failed insmods"
	tap_not_ok "its queued tasks were dropped each time, with a warning"
fi

# 3: tqueue.ko stays while a client holds it, and unloads cleanly after.
mod_load tq_leaky
if rmmod tqueue 2>/dev/null; then
	tap_not_ok "rmmod tqueue is refused while a client is loaded"
else
	mod_loaded tqueue
	tap_result $? "rmmod tqueue is refused while a client is loaded"
fi
rmmod tq_leaky
if pidof keventd >/dev/null && rmmod tqueue && ! mod_loaded tqueue &&
   ! pidof keventd >/dev/null; then
	tap_ok "rmmod tqueue succeeds once no client is loaded; keventd is gone"
else
	tap_not_ok "rmmod tqueue succeeds once no client is loaded; keventd is gone"
fi
fail=0
i=0
while [ $i -lt 10 ]; do
	insmod "$TQ_MODDIR/tqueue.ko" && rmmod tqueue || fail=1
	i=$((i + 1))
done
tq_need_core || fail=1
tap_result $fail "10 load/unload cycles of tqueue.ko"

tap_exit
