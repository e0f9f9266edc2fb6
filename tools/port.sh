# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The way out of task queues, on the host: tools/coccinelle/'s semantic
# patches and their front end tools/tq-port.
#  - rule unit tests in Coccinelle's own style: tools/coccinelle/tests/
#    NAME.c is the input, NAME.VARIANT.res the expected output of the rule
#    RULE (NAME up to its first "-") with -D patch -D VARIANT (variants
#    joined by "+"), NAME.report the expected report of tq_left.cocci;
#  - for each stock kernel of TQ_PORT_KERNELS the run has, before its
#    boot: the sources of TQ_PORT_SOURCES converted by tq-port against its
#    KDIR, a second run that changes nothing, no trace of tqueue left, a
#    W=1 -Werror build without tqueue's header or Module.symvers,
#    checkpatch --strict; the modules go to the guest, where
#    tests/selftests/tqueue/port.sh runs them without tqueue.ko;
#  - TQ_PORT_REPORTED: a source that relies on tqueue's unload purge,
#    reported one line per place, one of them telling to add the cancel,
#    with exit status 1.

# tq_port_case NAME CMD...: one case, passed if CMD succeeds; CMD prints why
# not.
tq_port_case() {
	local name="$1" why
	shift
	if why="$("$@" 2>&1)"; then
		tq_pass
	else
		tq_fail "port: $name" "$(tail -n 4 <<<"$why" | tr '\n' ' ')"
	fi
}

# tq_port_unit IN RES: RES is what its rule makes of IN
tq_port_unit() {
	local in="$1" res="$2" base rule variant defs=(-D patch) v out
	base="$(basename "$res" .res)"
	rule="${base%%-*}"
	variant="${base##*.}"
	for v in ${variant//+/ }; do
		defs+=(-D "$v")
	done
	out="$(mktemp)"
	cp "$in" "$out.c"
	spatch --very-quiet --in-place "${defs[@]}" --sp-file "$TQ_TOP/tools/coccinelle/$rule.cocci" "$out.c" >/dev/null 2>"$out.err" ||
		grep -q '^No rules apply' "$out.err" || { cat "$out.err"; rm -f "$out"*; return 1; }
	diff -u "$res" "$out.c" || { rm -f "$out"*; return 1; }
	rm -f "$out"*
}

# tq_port_report IN WANT: tq_left.cocci reports what WANT lists
tq_port_report() {
	diff -u "$2" <(spatch --very-quiet -D report --sp-file "$TQ_TOP/tools/coccinelle/tq_left.cocci" "$1" 2>/dev/null |
		grep ': tq-port: ' | sort -t: -k2,2n | sed 's|^[^:]*:|FILE:|')
}

# tq_port_convert KDIR DIR FILE...: tq-port converts the FILEs in DIR, says
# nothing but notes, exits 0
tq_port_convert() {
	local kdir="$1" dir="$2" out
	shift 2
	out="$(cd "$dir" && "$TQ_TOP/tools/tq-port" --kernel "$kdir" "$@" 2>&1)" ||
		{ printf '%s\n' "$out"; return 1; }
	! grep -v ': tq-port: note: ' <<<"$out" || return 1
}

# tq_port_again KDIR DIR FILE...: a second run changes nothing
tq_port_again() {
	local kdir="$1" dir="$2" f
	shift 2
	rm -rf "$dir.again"
	cp -a "$dir" "$dir.again"
	(cd "$dir.again" && "$TQ_TOP/tools/tq-port" --kernel "$kdir" "$@") || return 1
	for f in "$@"; do
		diff -u "$dir/$f" "$dir.again/$f" || return 1
	done
	rm -rf "$dir.again"
}

# tq_port_gone DIR FILE...: nothing of tqueue's API is left in the code:
# no <linux/tqueue.h>, nothing tq_left.cocci reports (comments may still
# name it)
tq_port_gone() {
	local dir="$1" f left
	shift
	for f in "$@"; do
		! grep -n '#include <linux/tqueue\.h>' "$dir/$f" || { echo "$f: still includes <linux/tqueue.h>"; return 1; }
		left="$(spatch --very-quiet -D report --sp-file "$TQ_TOP/tools/coccinelle/tq_left.cocci" "$dir/$f" 2>/dev/null |
			grep ': tq-port: ')" || true
		[[ -z "$left" ]] || { printf '%s\n' "$left"; return 1; }
	done
}

# tq_port_build FLAVOUR DIR LOG FILE...: the converted FILEs build W=1 with
# -Werror against FLAVOUR's KDIR, with the kernel's headers only: no
# tqueue include path, no tqueue Module.symvers (modpost fails on an
# undefined symbol)
tq_port_build() {
	local fl="$1" dir="$2" log="$3" f objs="" kmake
	shift 3
	for f in "$@"; do
		objs+=" ${f%.c}.o"
	done
	printf '# SPDX-License-Identifier: GPL-2.0\nobj-m :=%s\nccflags-y += -DTQ_VERSION=\\"port\\" -Werror\n' "$objs" >"$dir/Kbuild"
	read -r -a kmake <<<"$(tq_kinfo "$fl" KMAKE)"
	make -C "$(tq_kinfo "$fl" KDIR)" M="$dir" "${kmake[@]}" W=1 -j"$TQ_JOBS" modules >"$log" 2>&1 ||
		{ grep -E -i 'error|warning' "$log" | head -n 5; echo "make failed; log: $log"; return 1; }
	! grep -i 'warning:' "$log" || { echo "warnings; log: $log"; return 1; }
	for f in "$@"; do
		[[ -f "$dir/${f%.c}.ko" ]] || { echo "no ${f%.c}.ko; log: $log"; return 1; }
	done
}

# tq_port_checkpatch DIR FILE...: checkpatch --strict finds nothing
tq_port_checkpatch() {
	local dir="$1" f out rc=0
	shift
	for f in "$@"; do
		out="$(cd "$dir" && perl "$TQ_KUNIT_TREE/scripts/checkpatch.pl" --no-tree --strict --terse -f "$f" 2>&1)" || true
		if grep -E '(ERROR|WARNING|CHECK):' <<<"$out"; then
			rc=1
		fi
	done
	return "$rc"
}

# tq_port_reported KDIR DIR FILE...: tq-port reports each FILE (one line
# per place, "FILE:LINE: tq-port: ...") and exits 1
tq_port_reported() {
	local kdir="$1" dir="$2" out rc=0 f
	shift 2
	out="$(cd "$dir" && "$TQ_TOP/tools/tq-port" --kernel "$kdir" "$@" 2>&1)" || rc=$?
	((rc == 1)) || { printf '%s\nexit status %s, want 1\n' "$out" "$rc"; return 1; }
	for f in "$@"; do
		grep -q "^$f:[0-9]*: tq-port: " <<<"$out" || { echo "$f: no report line"; return 1; }
		grep -q "^$f:[0-9]*: tq-port: nothing cancels the task .*: add cancel_task_sync()" <<<"$out" ||
			{ echo "$f: no line that tells to add the cancel"; return 1; }
	done
	! grep -v -E '^[^:]+:[0-9]+: tq-port: ' <<<"$out" || { echo "lines that are no report (above)"; return 1; }
}

# tq_port_units: the rule unit tests
tq_port_units() {
	local t in res
	t="$(tq_now)"
	if ! command -v spatch >/dev/null; then
		tq_fail "port" "spatch not found (Debian package coccinelle: tools/config.sh TQ_PORT_PKGS)"
		return 0
	fi
	for in in "$TQ_TOP"/tools/coccinelle/tests/*.c; do
		for res in "${in%.c}".*.res; do
			[[ -f "$res" ]] && tq_port_case "rule ${res##*/}" tq_port_unit "$in" "$res"
		done
		[[ -f "${in%.c}.report" ]] && tq_port_case "report ${in##*/}" tq_port_report "$in" "${in%.c}.report"
	done
	tq_step_done "$t" "port: tools/coccinelle rule unit tests"
}

# tq_port_kernel FLAVOUR: the sources converted and built for FLAVOUR, in
# build/port-FLAVOUR/, where tq_boot_overlay finds the .ko files for the
# guest's port.sh
tq_port_kernel() {
	local fl="$1" t dir kdir f srcs=() reported=() names=()
	t="$(tq_now)"
	command -v spatch >/dev/null || return 0
	read -r -a srcs <<<"$TQ_PORT_SOURCES"
	read -r -a reported <<<"$TQ_PORT_REPORTED"
	for f in "${srcs[@]}" "${reported[@]}"; do
		names+=("${f##*/}")
	done
	kdir="$(tq_kinfo "$fl" KDIR)"
	dir="$TQ_BUILD/port-$fl"
	rm -rf "$dir" "$dir.again"
	mkdir -p "$dir"
	for f in "${srcs[@]}" "${reported[@]}"; do
		cp "$TQ_TOP/$f" "$dir/"
		# with the local headers it includes (the demos' own compat header)
		sed -n 's/^#include "\(.*\)"$/\1/p' "$TQ_TOP/$f" | while read -r h; do
			cp "$TQ_TOP/$(dirname "$f")/$h" "$dir/"
		done
	done
	tq_port_case "$fl: tq-port converts ${names[*]:0:${#srcs[@]}}" tq_port_convert "$kdir" "$dir" "${names[@]:0:${#srcs[@]}}"
	tq_port_case "$fl: a second tq-port changes nothing" tq_port_again "$kdir" "$dir" "${names[@]:0:${#srcs[@]}}"
	tq_port_case "$fl: nothing of tqueue left" tq_port_gone "$dir" "${names[@]:0:${#srcs[@]}}"
	tq_port_case "$fl: converted sources build W=1 -Werror without tqueue" \
		tq_port_build "$fl" "$dir" "$TQ_LOGS/port-$fl.log" "${names[@]:0:${#srcs[@]}}"
	tq_port_case "$fl: converted sources pass checkpatch --strict" tq_port_checkpatch "$dir" "${names[@]:0:${#srcs[@]}}"
	if ((${#reported[@]})); then
		tq_port_case "$fl: tq-port reports what it cannot convert in ${names[*]:${#srcs[@]}}" \
			tq_port_reported "$kdir" "$dir" "${names[@]:${#srcs[@]}}"
	fi
	# Only the converted sources' modules go to the guest.
	for f in "${names[@]:${#srcs[@]}}"; do
		rm -f "${dir:?}/$f"
	done
	tq_step_done "$t" "$fl: tools/tq-port conversions -> $dir"
}
