#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The modules DKMS built on the host for this kernel (tools/packaging.sh:
# tqueue-dkms and the example client hello-tqueue), where DKMS installs
# them, /lib/modules/<release>/updates/dkms: depmod finds them, modprobe of
# a client loads tqueue with it, and jiq.sh and sched.sh pass on them with
# TQ_MODPROBE=1. The harness packs this script only into a guest it has
# such modules for.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

D=/lib/modules/$(uname -r)/updates/dkms
[ -f "$D/tqueue.ko" ] || tap_skip_all "no DKMS-built modules in $D"

# A selftest before this one may have left tqueue.ko (not DKMS's) loaded.
for m in hello_tq jiq sched tqueue; do
	mod_unload "$m" 2>/dev/null
done
mod_loaded tqueue && tap_skip_all "tqueue.ko is loaded and cannot be removed"
splats0=$(splat_count)

tap_plan 6

# 1
rc=1
if depmod -a && grep -q -E '^([^ ]*/)?jiq\.ko: ([^ ]*/)?tqueue\.ko$' \
	"/lib/modules/$(uname -r)/modules.dep"; then
	rc=0
fi
[ $rc -eq 0 ] || diag_file "/lib/modules/$(uname -r)/modules.dep"
tap_result $rc "depmod: jiq.ko depends on tqueue.ko"

# 2: the example client, its chain of tq_timer and keventd tasks
rc=1
if modprobe hello_tq ticks=20 && mod_loaded tqueue; then
	i=0
	while [ $i -lt 100 ] && [ "$(mod_param hello_tq done)" != Y ]; do
		sleep 0.1
		i=$((i + 1))
	done
	diag "hello_tq: runs=$(mod_param hello_tq runs) done=$(mod_param hello_tq done)"
	[ "$(mod_param hello_tq done)" = Y ] && [ "$(mod_param hello_tq runs)" = 20 ] && rc=0
fi
tap_result $rc "modprobe hello_tq loads tqueue with it; its 20 tq_timer runs and keventd task ran"
modprobe -r hello_tq 2>/dev/null

# 3, 4: the demos' own selftests, on these modules
for t in jiq sched; do
	rc=0
	TQ_MODPROBE=1 TQ_MODDIR="$D" sh "$(dirname "$0")/$t.sh" >"$TQ_TMP/dkms-$t.out" 2>&1 || rc=$?
	sed 's/^/#   /' "$TQ_TMP/dkms-$t.out"
	diag "$t.sh: $(grep -c '^ok ' "$TQ_TMP/dkms-$t.out") ok, $(grep -c '^not ok ' "$TQ_TMP/dkms-$t.out") not ok, exit $rc"
	[ "$(grep -c '^ok ' "$TQ_TMP/dkms-$t.out")" -gt 0 ] || rc=1
	tap_result $rc "$t.sh passes with the DKMS-built modules, loaded by modprobe"
	rm -f "$TQ_TMP/dkms-$t.out"
done

# 5
for m in hello_tq jiq sched; do
	mod_unload "$m" 2>/dev/null
done
rc=0
modprobe -r tqueue || rc=1
mod_loaded tqueue && rc=1
tap_result $rc "modprobe -r tqueue once its clients are gone"

# 6
tap_no_new_splats "$splats0" "no kernel warnings or oopses"

tap_exit
