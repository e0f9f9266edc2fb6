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

# Validate a flavour name; sets FL_KIND (debug or stock), FL_VARIANT and
# FL_SERIES. Flavours (the debug ones are built by tools/kernel.sh):
#   stock-<series>      Debian's stock kernel (series: TQ_SERIES)
#   debug-<series>      tinyconfig + tools/kconfig/debug.config   (FL_VARIANT "")
#   debug-rt-<series>   the same + tools/kconfig/rt.config: PREEMPT_RT (FL_VARIANT rt)
#   kcsan-<series>      the same + tools/kconfig/kcsan.config: KCSAN instead of
#                       KASAN and kmemleak (FL_VARIANT kcsan)
# Every debug flavour is FL_KIND debug: KUnit and the long torture run.
tq_parse_flavour() {
	local fl="$1" s allowed
	FL_VARIANT=""
	case "$fl" in
	stock-*) FL_KIND=stock FL_SERIES="${fl#stock-}" ;;
	debug-rt-*) FL_KIND=debug FL_VARIANT=rt FL_SERIES="${fl#debug-rt-}" ;;
	debug-*) FL_KIND=debug FL_SERIES="${fl#debug-}" ;;
	kcsan-*) FL_KIND=debug FL_VARIANT=kcsan FL_SERIES="${fl#kcsan-}" ;;
	*) tq_die "unknown kernel flavour '$fl' (expected debug-<series>, debug-rt-<series>, kcsan-<series> or stock-<series>, series: $TQ_SERIES)" ;;
	esac
	[[ "$FL_KIND" == debug && "$FL_VARIANT" != kcsan && "$FL_SERIES" == *-rt ]] &&
		tq_die "unknown kernel flavour '$fl' (the PREEMPT_RT debug kernel is debug-rt-${FL_SERIES%-rt}, Debian's stock RT kernel stock-$FL_SERIES)"
	if [[ -n "$FL_VARIANT" ]]; then
		allowed="$(tq_variant_series "$FL_VARIANT")"
		for s in $allowed; do
			[[ "$s" == "$FL_SERIES" ]] && return 0
		done
		tq_die "unknown kernel flavour '$fl' (${fl%"$FL_SERIES"}<series> is built for: $allowed)"
	fi
	for s in $TQ_SERIES; do
		[[ "$s" == "$FL_SERIES" ]] && return 0
	done
	tq_die "unknown kernel flavour '$fl' (series must be one of: $TQ_SERIES)"
}

# tq_variant_series VARIANT -> the series a debug variant is built for
# (TQ_DEBUG_RT_SERIES, TQ_KCSAN_SERIES in tools/config.sh).
tq_variant_series() {
	case "$1" in
	rt) printf '%s' "$TQ_DEBUG_RT_SERIES" ;;
	kcsan) printf '%s' "$TQ_KCSAN_SERIES" ;;
	*) tq_die "unknown debug kernel variant '$1'" ;;
	esac
}
