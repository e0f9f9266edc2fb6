#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Which branch of src/compat.h the running kernel's build took: tqueue.ko's
# read-only compat parameter holds the build's probe results, "NAME=yes"
# for the newer API and "NAME=no" for the fallback (src/probes/). Printed as
# one diagnostic line a probe, so that every run's log tells.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

tq_need_core || tap_skip_all "tqueue.ko not found in $TQ_MODDIR"
tap_plan 1

c=$(mod_param tqueue compat 2>/dev/null)
diag "kernel $(uname -r)"
rc=1
if [ -n "$c" ]; then
	rc=0
	for p in $c; do
		case $p in
		*=yes) diag "probe ${p%=yes}: new API" ;;
		*=no) diag "probe ${p%=no}: old API (fallback)" ;;
		*) diag "malformed entry '$p'"; rc=1 ;;
		esac
	done
else
	diag "/sys/module/tqueue/parameters/compat is missing or empty"
fi
tap_result $rc "tqueue.ko reports its compat probe results"
tap_exit
