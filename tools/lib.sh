# SPDX-License-Identifier: GPL-2.0
#
# Common helpers: paths, logging, step timing, pass/fail/skip accounting.
# shellcheck shell=bash disable=SC2034

TQ_TOP="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TQ_TOOLS="$TQ_TOP/tools"
# shellcheck source=tools/config.sh
. "$TQ_TOOLS/config.sh"
TQ_BUILD="$TQ_TOP/build"
TQ_LOGS="$TQ_BUILD/logs"
TQ_JOBS="${TQ_JOBS:-$(nproc)}"

TQ_PASS=0
TQ_FAIL=0
TQ_SKIP=0
TQ_FAILED_NAMES=()
TQ_T0="${EPOCHREALTIME}"

tq_now() { printf '%s' "${EPOCHREALTIME}"; }

# tq_elapsed START -> seconds since START with one decimal
tq_elapsed() {
	awk -v a="$1" -v b="${EPOCHREALTIME}" 'BEGIN { printf "%.1f", b - a }'
}

tq_info() { printf '%s\n' "$*"; }
tq_warn() { printf 'tqueue: %s\n' "$*" >&2; }
tq_die() { printf 'tqueue: %s\n' "$*" >&2; exit 1; }

# tq_step_done START "what" -> "[ 12.3s] what"
tq_step_done() {
	printf '[%6ss] %s\n' "$(tq_elapsed "$1")" "$2"
}

# tq_step "what" cmd... : run cmd, print duration; returns cmd's status.
tq_step() {
	local what="$1" t rc=0
	shift
	t="$(tq_now)"
	"$@" || rc=$?
	if ((rc == 0)); then
		tq_step_done "$t" "$what"
	else
		tq_step_done "$t" "$what (FAILED, rc=$rc)"
	fi
	return "$rc"
}

tq_pass() { TQ_PASS=$((TQ_PASS + 1)); }
tq_skip() {
	TQ_SKIP=$((TQ_SKIP + 1))
	printf '  SKIP %s\n' "$*"
}
# tq_fail NAME [REASON]
tq_fail() {
	TQ_FAIL=$((TQ_FAIL + 1))
	TQ_FAILED_NAMES+=("$1")
	printf '  FAIL %s%s\n' "$1" "${2:+: $2}"
}

# Print at most N lines of a file, indented, noting truncation.
tq_excerpt() {
	local file="$1" max="${2:-20}" n
	n=$(wc -l <"$file")
	sed -n "1,${max}p" "$file" | sed 's/^/    | /'
	if ((n > max)); then
		printf '    | ... (%d more lines)\n' $((n - max))
	fi
}

tq_summary() {
	local name
	if ((TQ_FAIL > 0)); then
		printf 'failed cases:\n'
		for name in "${TQ_FAILED_NAMES[@]}"; do
			printf '  %s\n' "$name"
		done
	fi
	printf '[%6ss] total\n' "$(tq_elapsed "$TQ_T0")"
	if ((TQ_SKIP > 0)); then
		printf '%d passed, %d failed, %d skipped\n' "$TQ_PASS" "$TQ_FAIL" "$TQ_SKIP"
	else
		printf '%d passed, %d failed\n' "$TQ_PASS" "$TQ_FAIL"
	fi
}

# Series key for variable lookup: 6.12 -> 6_12
tq_series_key() {
	local k="${1//./_}"
	printf '%s' "${k//-/_}"
}

# tq_cfg NAME SERIES -> value of TQ_<NAME>_<series key>
tq_cfg() {
	local var
	var="TQ_${1}_$(tq_series_key "$2")"
	[[ -n "${!var:-}" ]] || tq_die "config.sh: $var is not set"
	printf '%s' "${!var}"
}

# Validate a flavour name (debug-6.12, stock-6.1, ...); sets FL_KIND FL_SERIES.
tq_parse_flavour() {
	local fl="$1" s
	FL_KIND="${fl%%-*}"
	FL_SERIES="${fl#*-}"
	case "$FL_KIND" in debug | stock) ;; *) tq_die "unknown kernel flavour '$fl' (expected debug-<series> or stock-<series>, series: $TQ_SERIES)" ;; esac
	[[ "$FL_KIND" == debug && "$FL_SERIES" == *-rt ]] &&
		tq_die "unknown kernel flavour '$fl' (PREEMPT_RT is tested on the stock RT kernel only: stock-$FL_SERIES)"
	for s in $TQ_SERIES; do
		[[ "$s" == "$FL_SERIES" ]] && return 0
	done
	tq_die "unknown kernel flavour '$fl' (series must be one of: $TQ_SERIES)"
}
