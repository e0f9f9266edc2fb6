#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unit test of the console log evaluation (tools/parse.sh, the functions of
# tools/results.sh and tools/pipeline.sh it runs): every saved log in
# tools/testdata/ must give the output in its .expected file, and logs
# derived from them must fail (a splat without its EXPECT-SPLAT
# declaration, a guest that died before selftests it planned, a demo that
# did not finish). TAP on stdout, exit status 1 if
# a case fails.
#
#   bash tools/tests/parse.sh
set -euo pipefail
D="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$D/testdata"
T="$(mktemp -d "${TMPDIR:-/tmp}/tqueue-test-parse.XXXXXX")"
trap 'rm -rf "$T"' EXIT
# shellcheck source=tools/tests/lib/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/tap.sh"

# parse LOG -> rc of tools/parse.sh; its output in $T/out, the part that
# .expected files hold (failed cases, last line or verdict) in $T/got
parse() {
	local rc=0
	bash "$D/parse.sh" "$1" >"$T/out" 2>&1 || rc=$?
	sed -n '/^failed cases:/,$p; / passed, /p; /^demo: /p' "$T/out" | awk '!seen[$0]++' >"$T/got"
	return "$rc"
}

for log in "$DATA"/*.log; do
	name="${log##*/}"
	rc=0
	parse "$log" || rc=$?
	expect "$name: counts as tools/testdata/${name%.log}.expected" "$(cat "$T/got")" "$(cat "${log%.log}.expected")"
	if grep -q '^failed cases:\|^demo: FAILED' "${log%.log}.expected"; then
		expect "$name: exit status 1" "$rc" 1
	else
		expect "$name: exit status 0" "$rc" 0
	fi
done

# The check log without its EXPECT-SPLAT declaration: badinput's warning is
# a splat.
grep -v 'EXPECT-SPLAT: tq_badinput: expect a warning' "$DATA/stock-7.3-check.log" >"$T/splat.log"
rc=0
parse "$T/splat.log" || rc=$?
expect "undeclared warning: one failure, the splat case" "$(cat "$T/got")" "failed cases:
  stock-7.3: no kernel splat + guest finished
94 passed, 1 failed, 2 skipped"
grep -q 'kernel splat (6 line(s)' "$T/out"
ok $? "undeclared warning: reported as a kernel splat of 6 lines"
expect "undeclared warning: exit status 1" "$rc" 1

# The died log as today's guest writes it, with the line that plans the
# selftests: the three it never finished fail too.
sed 's/^@@TQ progress: running badinput.sh@@$/@@TQ-INFO selftests tqueue: badinput jiq legacy sched storm torture unload lockdep@@\n&/' \
	"$DATA/stock-7.3-check-died.log" >"$T/died-plan.log"
rc=0
parse "$T/died-plan.log" || rc=$?
expect "died with a plan: the scripts it never finished fail" "$(cat "$T/got")" "failed cases:
  stock-7.3: torture.sh
  stock-7.3: unload.sh
  stock-7.3: lockdep.sh
  stock-7.3: no kernel splat + guest finished
62 passed, 4 failed, 1 skipped"
expect "died with a plan: exit status 1" "$rc" 1
# ... and the full log with the same line: nothing more fails.
sed 's/^@@TQ progress: running badinput.sh@@$/@@TQ-INFO selftests tqueue: badinput jiq legacy sched storm torture unload lockdep@@\n&/' \
	"$DATA/stock-7.3-check.log" >"$T/full-plan.log"
parse "$T/full-plan.log" || true
expect "finished with a plan: counts as before" "$(cat "$T/got")" "$(cat "$DATA/stock-7.3-check.expected")"

# The demo log cut before the guest finished.
sed '/@@TQ-DONE@@/,$d' "$DATA/stock-7.3-demo.log" >"$T/demo-cut.log"
rc=0
parse "$T/demo-cut.log" || rc=$?
grep -q '^demo: FAILED (guest stopped without finishing .*last progress: running demo' "$T/got"
ok $? "unfinished demo: FAILED, the guest stopped while running the demo"
expect "unfinished demo: exit status 1" "$rc" 1

tap_done
