#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Count the cases of a saved console log, as `make check` counts them after
# a boot (like `kunit.py parse`): KUnit (debug kernels), every selftest, "no
# kernel splat + guest finished", KCSAN (KCSAN kernels). No build, no QEMU,
# nothing installed. Prints the failed cases and the usual last line
# "N passed, N failed[, N skipped]"; exit status 1 if a case failed. A demo
# log (mode=demo) gets its verdict line instead, "demo: OK (...)".
#
#   tools/parse.sh build/logs/console-debug-6.12-check.log
#   tools/parse.sh LOG FLAVOUR     # if the log does not name its flavour
#
# The flavour comes from the guest's first line ("@@TQ progress: booted
# <flavour> mode=check ...@@"). Output files go to TQ_PARSE_OUT (default: a
# temporary directory, removed).
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

main() {
	local log="${1:-}" fl="${2:-}" out mode
	[[ -n "$log" && -f "$log" ]] || { printf 'usage: %s LOG [FLAVOUR]\n' "$0" >&2; exit 2; }
	if [[ -z "$fl" ]]; then
		fl="$(sed -n 's/.*@@TQ progress: booted \([^ ]*\) mode=.*/\1/p' "$log" | head -n1)"
		[[ -n "$fl" ]] || tq_die "$log names no flavour (no \"@@TQ progress: booted\" line); pass one"
	fi
	tq_fl_valid "$fl" || exit 2
	mode="$(sed -n 's/.*@@TQ progress: booted [^ ]* mode=\([a-z]*\).*/\1/p' "$log" | head -n1)"
	out="${TQ_PARSE_OUT:-}"
	if [[ -z "$out" ]]; then
		out="$(mktemp -d "${TMPDIR:-/tmp}/tqueue-parse.XXXXXX")"
		# shellcheck disable=SC2064
		trap "rm -rf '$out'" EXIT
	fi
	TQ_LOGS="$out"
	TQ_BUILD="$out"
	mkdir -p "$TQ_LOGS"
	if [[ "$(tq_fl "$fl" kind)" == debug ]]; then
		TQ_KUNIT_TREE="${TQ_KUNIT_TREE:-$(tq_src_tree "$TQ_TOOLS_FLAVOUR")}"
	fi
	TQ_T0="${EPOCHREALTIME}"
	if [[ "$mode" == demo ]]; then
		tq_demo_verdict "$log" "$out/$fl-demo-splat" "$fl"
		return
	fi
	tq_eval_console "$fl" "$log"
	tq_summary | grep -v '^\[.*\] total$'
	((TQ_FAIL == 0))
}

main "$@"
