#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the modules for one kernel flavour and boot it in QEMU, by hand:
#
#   tools/run-guest.sh debug-6.12 check    # KUnit + selftests, counted
#   tools/run-guest.sh stock-6.1 demo      # the /proc/jiq* demo
#
# Flavours: the rows of TQ_FLAVOURS in tools/config.sh (usage lists them).
# Environment:
# TQ_ACCEL (tcg), TQ_GUEST_TIMEOUT, TQ_SELFTEST_TIMEOUT (see tools/config.sh).
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
	printf 'usage: %s <%s> [check|demo]\n' "$0" "$(tq_flavours | paste -sd '|')" >&2
	exit 2
}

main() {
	local fl="${1:-}" mode="${2:-check}" rc=0
	[[ -n "$fl" ]] || usage
	[[ "$mode" == check || "$mode" == demo ]] || usage
	tq_fl_valid "$fl" || exit 2
	tq_setup
	if [[ "$mode" == demo ]]; then
		tq_run_demo "$fl" || rc=$?
	else
		tq_run_check "$fl"
		tq_summary
		((TQ_FAIL == 0)) || rc=1
	fi
	tq_info "console log: $(tq_console "$fl" "$mode")"
	tq_info "module build log: $(tq_mod_log "$fl")"
	return "$rc"
}

main "$@"
