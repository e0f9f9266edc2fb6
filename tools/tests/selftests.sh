#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unit test of the kselftest layout of tests/selftests/tqueue/: the
# Makefile's TEST_PROGS are exactly the scripts there, in the order the
# guest runs them, each executable with a shebang; every option of its
# config fragment is in the debug kernels' fragment; lib.sh's TAP output
# (ktap_helpers.sh style) under busybox sh, as the guest runs it, gives the
# lines, exit codes (0, 1, 4) and harness counts expected. TAP on stdout,
# exit status 1 if a case fails.
#
#   bash tools/tests/selftests.sh
set -euo pipefail
# shellcheck source=tools/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=tools/results.sh
. "$TQ_TOOLS/results.sh"
S="$TQ_TOP/tests/selftests/tqueue"
T="$(mktemp -d "${TMPDIR:-/tmp}/tqueue-test-selftests.XXXXXX")"
trap 'rm -rf "$T"' EXIT
# shellcheck source=tools/tests/lib/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/tap.sh"
progs="$(sed -n 's/^TEST_PROGS *:= *//p' "$S/Makefile")"
# The guest's order (tools/guest/init run_selftests): scripts without
# TQ-RUN-LAST, then those with it, each group in glob order.
guest="$(cd "$S" && { grep -L TQ-RUN-LAST ./*.sh; grep -l TQ-RUN-LAST ./*.sh; } | sed 's|^\./||' | grep -vx lib.sh | paste -sd ' ')"
expect "Makefile TEST_PROGS: every script, in the order the guest runs them" "$progs" "$guest"
bad=""
for f in $progs; do
	[[ -x "$S/$f" && "$(head -n1 "$S/$f")" == '#!/bin/sh' ]] || bad+=" $f"
done
expect "TEST_PROGS are executable, with #!/bin/sh" "$bad" ""
bad=""
while IFS= read -r line; do
	[[ -z "$line" || "$line" == '#'* ]] && continue
	grep -qxF -- "$line" "$TQ_TOOLS/kconfig/debug.config" || bad+=" $line"
done <"$S/config"
expect "config: every option is in tools/kconfig/debug.config" "$bad" ""
expect "Makefile: make run_tests is defined outside a kernel tree" \
	"$(make -s -n -C "$S" run_tests >/dev/null 2>&1 && echo yes)" yes

if ! command -v busybox >/dev/null 2>&1; then
	ok 0 "lib.sh TAP under busybox sh # SKIP no busybox"
	tap_done
	exit
fi
bad=""
for f in lib.sh $progs; do
	busybox sh -n "$S/$f" 2>/dev/null || bad+=" $f"
done
expect "every script parses under busybox sh -n" "$bad" ""
# bb SCRIPT: run SCRIPT (sourcing lib.sh) under busybox sh -> output in
# $T/out, exit status in $T/rc
bb() {
	local rc=0
	printf '. %s/lib.sh\n%s\n' "$S" "$1" >"$T/t.sh"
	busybox sh "$T/t.sh" >"$T/out" 2>&1 || rc=$?
	echo "$rc" >"$T/rc"
}
bb 'tap_plan 4; tap_ok "first"; tap_result 1 "second"; tap_skip "third" "no kmemleak"; tap_result 0 "fourth"; tap_exit'
expect "lib.sh: KTAP lines and totals" "$(cat "$T/out")" "TAP version 13
1..4
ok 1 first
not ok 2 second
ok 3 third # SKIP no kmemleak
ok 4 fourth
# Totals: pass:2 fail:1 xfail:0 xpass:0 skip:1 error:0"
expect "lib.sh: a failure exits KSFT_FAIL (1)" "$(cat "$T/rc")" 1
expect "lib.sh: the harness counts them" "$(tq_tap_cases "$T/out" | cut -f1 | paste -sd ' ')" "PLAN PASS FAIL SKIP PASS"
bb 'tap_plan 2; tap_ok "a"; tap_skip "b" "why"; tap_exit'
expect "lib.sh: passes and skips exit KSFT_PASS (0)" "$(cat "$T/rc")" 0
bb 'tap_plan 3; tap_ok "a"; tap_exit'
expect "lib.sh: tests planned but not run fail" "$(grep -c '^not ok [23] test not run$' "$T/out"):$(cat "$T/rc")" "2:1"
bb 'tap_skip_all "no sched.ko"; echo not reached'
expect "lib.sh: tap_skip_all exits KSFT_SKIP (4)" "$(cat "$T/out"):$(cat "$T/rc")" "TAP version 13
1..0 # SKIP no sched.ko:4"
bb 'tap_plan 2; tap_ok "a"; tap_bail "hung"; echo not reached'
expect "lib.sh: tap_bail exits 1 with Bail out!" "$(grep -c '^Bail out! hung$' "$T/out"):$(cat "$T/rc")" "1:1"
bb 'TQ_SPLAT_RE=/nonexistent; tap_plan 1; tap_no_new_splats 0 "no splat"; tap_exit'
expect "lib.sh: without the splat list the splat check fails" "$(grep -c '^not ok 1 no splat$' "$T/out")" 1

tap_done
