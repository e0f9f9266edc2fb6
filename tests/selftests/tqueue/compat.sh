#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Which branch of src/compat.h the running kernel's build took: tqueue.ko's
# read-only compat parameter holds the build's probe results, "NAME=yes"
# for the newer API and "NAME=no" for the fallback (src/probes/). Printed as
# one diagnostic line a probe, so that every run's log tells. The newest
# kernel tqueue supports (NEWEST) must take the new API in every probe, and
# an older one must take at least one fallback (a probe that never fails
# would say "new" everywhere).

NEWEST_MAJOR=7
NEWEST_MINOR=3

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

tq_need_core || tap_skip_all "tqueue.ko not found in $TQ_MODDIR"
tap_plan 2

c=$(mod_param tqueue compat 2>/dev/null)
diag "kernel $(uname -r)"
rc=1
old=0
if [ -n "$c" ]; then
	rc=0
	for p in $c; do
		case $p in
		*=yes) diag "probe ${p%=yes}: new API" ;;
		*=no) diag "probe ${p%=no}: old API (fallback)"; old=$((old + 1)) ;;
		*) diag "malformed entry '$p'"; rc=1 ;;
		esac
	done
else
	diag "/sys/module/tqueue/parameters/compat is missing or empty"
fi
tap_result $rc "tqueue.ko reports its compat probe results"

diag "$old of the probes took the fallback"
rel=$(uname -r)
major=${rel%%.*}
minor=${rel#*.}
minor=${minor%%[!0-9]*}
if [ "$major" -gt "$NEWEST_MAJOR" ] ||
   { [ "$major" -eq "$NEWEST_MAJOR" ] && [ "$minor" -ge "$NEWEST_MINOR" ]; }; then
	[ "$rc" = 0 ] && [ "$old" = 0 ]
	tap_result $? "the newest supported kernel takes the new API in every probe"
else
	[ "$rc" = 0 ] && [ "$old" -gt 0 ]
	tap_result $? "a kernel older than $NEWEST_MAJOR.$NEWEST_MINOR takes some fallbacks"
fi
tap_exit
