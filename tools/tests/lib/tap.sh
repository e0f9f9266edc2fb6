# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# TAP for the harness's own unit tests (tools/tests/*.sh), sourced by each:
# ok RC WHAT, expect WHAT GOT WANTED, and tap_done to print the plan and
# return non-zero if a case failed.
ntest=0
nfail=0

ok() {
	ntest=$((ntest + 1))
	if [[ "$1" == 0 ]]; then
		printf 'ok %d %s\n' "$ntest" "$2"
	else
		nfail=$((nfail + 1))
		printf 'not ok %d %s\n' "$ntest" "$2"
	fi
}

expect() { # expect WHAT GOT WANTED
	if [[ "$2" == "$3" ]]; then
		ok 0 "$1"
	else
		ok 1 "$1"
		printf '# got:    %s\n# wanted: %s\n' "${2//$'\n'/$'\n'#         }" "${3//$'\n'/$'\n'#         }"
	fi
}

tap_done() {
	printf '1..%d\n' "$ntest"
	((nfail == 0))
}
