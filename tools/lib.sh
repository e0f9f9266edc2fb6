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

# tq_running PID... -> how many of the PIDs still run
tq_running() {
	local p n=0
	for p in "$@"; do
		kill -0 "$p" 2>/dev/null && n=$((n + 1))
	done
	printf '%s' "$n"
}

# tq_live PID... -> the PIDs of those that are still there, for "wait -n",
# which fails with "no such job" on one reaped already
tq_live() {
	local p out=()
	for p in "$@"; do
		kill -0 "$p" 2>/dev/null && out+=("$p")
	done
	printf '%s' "${out[*]}"
}

# tq_kill_tree PID: end PID and every process below it (a background job's
# make and compilers, which a kill of the job's shell alone leaves running)
tq_kill_tree() {
	local c
	for c in $(pgrep -P "$1"); do
		tq_kill_tree "$c"
	done
	kill "$1" 2>/dev/null || true
}

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
	if declare -F tq_versions_summary >/dev/null; then
		tq_versions_summary
	fi
	printf '[%6ss] total\n' "$(tq_elapsed "$TQ_T0")"
	if ((TQ_SKIP > 0)); then
		printf '%d passed, %d failed, %d skipped\n' "$TQ_PASS" "$TQ_FAIL" "$TQ_SKIP"
	else
		printf '%d passed, %d failed\n' "$TQ_PASS" "$TQ_FAIL"
	fi
}

# The flavour table (TQ_FLAVOURS in tools/config.sh): its columns, in order.
TQ_FL_COLUMNS="name kind series suite release source image headers prep make fragments"

# tq_flavours -> the names of all flavours, in table order
tq_flavours() {
	awk '!/^[ \t]*(#|$)/ { print $1 }' <<<"$TQ_FLAVOURS"
}

# tq_fl_valid FLAVOUR -> 0 if the table has a row FLAVOUR, else a message
# naming the flavours and 1.
tq_fl_valid() {
	local f
	for f in $(tq_flavours); do
		[[ "$f" == "$1" ]] && return 0
	done
	tq_warn "unknown kernel flavour '$1' (tools/config.sh TQ_FLAVOURS has: $(tq_flavours | paste -sd ' '))"
	return 1
}

# tq_fl FLAVOUR COLUMN -> the value of COLUMN (see TQ_FL_COLUMNS) in
# FLAVOUR's row; "" for "-". Dies on an unknown flavour or column.
tq_fl() {
	local i=0 c col=0
	for c in $TQ_FL_COLUMNS; do
		i=$((i + 1))
		[[ "$c" == "$2" ]] && col=$i
	done
	((col > 0)) || tq_die "tq_fl: no column '$2' in the flavour table"
	tq_fl_valid "$1" || exit 2
	tq_fl_rows | awk -v n="$1" -v c="$col" '!/^[ \t]*(#|$)/ && $1 == n { print ($c == "-" ? "" : $c); exit }'
}

# tq_fl_rows -> the table, with each kernel release that tq_deps replaced by
# a new ABI of its series (build/abi-map: "old new") replaced in every row
tq_fl_rows() {
	local rows="$TQ_FLAVOURS" old new
	if [[ -s "$TQ_BUILD/abi-map" ]]; then
		while read -r old new; do
			rows="${rows//"$old"/"$new"}"
		done <"$TQ_BUILD/abi-map"
	fi
	printf '%s\n' "$rows"
}

# tq_fl_has FLAVOUR COLUMN WORD -> 0 if WORD is in COLUMN's comma list
tq_fl_has() {
	[[ ",$(tq_fl "$1" "$2")," == *",$3,"* ]]
}
