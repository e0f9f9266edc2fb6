# SPDX-License-Identifier: GPL-2.0
#
# Static checks, run once: checkpatch (one case per file), sparse (C=2
# against one stock kernel, one case), kernel-doc (one case). All tools come
# from the extracted linux-source tree of $TQ_TOOLS_FLAVOUR (TQ_KUNIT_TREE).
# shellcheck shell=bash

tq_our_sources() {
	(cd "$TQ_TOP" && find src include demos examples tests -type f \( -name '*.c' -o -name '*.h' \) 2>/dev/null | LC_ALL=C sort)
}

# The message types tools/checkpatch.exceptions ignores for file $1, as a
# checkpatch --ignore argument (empty if none).
tq_checkpatch_ignores() {
	awk -v f="$1" '$1 == f { print "--ignore=" $2 }' "$TQ_TOP/tools/checkpatch.exceptions"
}

tq_static_checkpatch() {
	local t f out="$TQ_LOGS/checkpatch" n=0 bad=0 ign
	t="$(tq_now)"
	mkdir -p "$out"
	while IFS= read -r f; do
		n=$((n + 1))
		ign="$(tq_checkpatch_ignores "$f")"
		# shellcheck disable=SC2086 # $ign is one optional word
		if (cd "$TQ_STATIC_SRC" && perl "$TQ_KUNIT_TREE/scripts/checkpatch.pl" --no-tree --strict \
			--terse --show-types $ign -f "$f") >"$out/${f//\//_}.log" 2>&1 &&
			! grep -q -E '(ERROR|WARNING|CHECK):' "$out/${f//\//_}.log"; then
			tq_pass
		else
			bad=$((bad + 1))
			tq_fail "checkpatch $f" "log: $out/${f//\//_}.log"
			grep -E '(ERROR|WARNING|CHECK):' "$out/${f//\//_}.log" >"$out/tmp" || cp "$out/${f//\//_}.log" "$out/tmp"
			tq_excerpt "$out/tmp" 3
			rm -f "$out/tmp"
		fi
	done < <(tq_our_sources)
	if ((n == 0)); then
		tq_skip "checkpatch (no .c/.h files under src/ include/ demos/ examples/ tests/ yet)"
	fi
	tq_step_done "$t" "checkpatch --strict: $n file(s), $bad with findings -> $out/"
}

tq_static_sparse() {
	local t fl="$TQ_SPARSE_KERNEL" dst log="$TQ_LOGS/sparse.log" hits="$TQ_LOGS/sparse.warnings" rc=0
	t="$(tq_now)"
	if ! tq_have_sources src && ! tq_have_sources tests; then
		tq_skip "sparse (no .c files yet)"
		return 0
	fi
	tq_kernel "$fl" || { tq_fail "sparse" "$fl: kernel preparation failed"; return 0; }
	dst="$TQ_BUILD/sparse"
	rm -rf "$dst"
	mkdir -p "$dst"
	tq_copy_sources "$dst"
	tq_make_modules "$(tq_kinfo "$fl" KDIR)" "$dst" C=2 -k >"$log" 2>&1 || rc=$?
	# Only findings in our files count (kernel headers are not ours).
	grep -E '(warning|error):' "$log" |
		grep -E "^($dst/)?(\./)?(src|include|tests|demos|examples)/" >"$hits" || true
	if ! grep -q 'CHECK ' "$log"; then
		tq_fail "sparse" "sparse did not run (make rc=$rc); log: $log"
		grep -E -i 'error' "$log" | head -n 10 >"$hits.tmp" || true
		tq_excerpt "$hits.tmp" 10
		rm -f "$hits.tmp"
	elif [[ -s "$hits" ]]; then
		tq_fail "sparse" "$(wc -l <"$hits") finding(s) in our files; log: $log"
		sed "s|^$dst/||" "$hits" >"$hits.tmp"
		tq_excerpt "$hits.tmp" 15
		rm -f "$hits.tmp"
	else
		tq_pass
	fi
	tq_step_done "$t" "sparse (C=2 against $fl) -> $log"
}

tq_static_kerneldoc() {
	local t log="$TQ_LOGS/kernel-doc.log" files=() f
	t="$(tq_now)"
	[[ -f "$TQ_TOP/include/linux/tqueue.h" ]] && files+=(include/linux/tqueue.h)
	for f in "$TQ_TOP"/src/*.c "$TQ_TOP"/demos/*.c; do
		[[ -f "$f" ]] && files+=("${f#"$TQ_TOP/"}")
	done
	if ((${#files[@]} == 0)); then
		tq_skip "kernel-doc (no include/linux/tqueue.h or src/*.c yet)"
		return 0
	fi
	if (cd "$TQ_STATIC_SRC" && perl "$TQ_KUNIT_TREE/scripts/kernel-doc" -none -Wall "${files[@]}") >"$log" 2>&1 &&
		! grep -q -i 'warning\|error' "$log"; then
		tq_pass
	else
		tq_fail "kernel-doc" "$(grep -c -i 'warning\|error' "$log") finding(s) in ${#files[@]} file(s); log: $log"
		tq_excerpt "$log" 15
	fi
	tq_step_done "$t" "kernel-doc -none -Wall over ${#files[@]} file(s) -> $log"
}

# tq_static_units: the harness's own unit tests, tools/tests/*.sh (no
# kernel, no QEMU; TAP on stdout): one case per TAP result.
tq_static_units() {
	local t f name out rc st num desc n nfail total=0
	t="$(tq_now)"
	mkdir -p "$TQ_LOGS/units"
	for f in "$TQ_TOOLS"/tests/*.sh; do
		[[ -f "$f" ]] || continue
		name="tools/tests/${f##*/}"
		out="$TQ_LOGS/units/${f##*/}.log"
		rc=0
		bash "$f" >"$out" 2>&1 || rc=$?
		n=0
		nfail=0
		while IFS=$'\t' read -r st num desc; do
			case "$st" in
			PLAN) continue ;;
			PASS) tq_pass ;;
			SKIP) tq_skip "$name $num $desc" ;;
			*) nfail=$((nfail + 1)); tq_fail "$name $num $desc" "log: $out" ;;
			esac
			n=$((n + 1))
		done < <(tq_tap_cases "$out")
		total=$((total + n))
		if ((n == 0 || (rc != 0 && nfail == 0))); then
			tq_fail "$name" "exit status $rc, $n TAP result(s); log: $out"
			tq_excerpt "$out" 10
		fi
	done
	tq_step_done "$t" "harness unit tests (tools/tests/*.sh): $total case(s) -> $TQ_LOGS/units/"
}

# tq_static_htmldocs: `make htmldocs` (sphinx-build -W) builds, one case
tq_static_htmldocs() {
	local t log="$TQ_LOGS/htmldocs.log"
	t="$(tq_now)"
	if TQ_KERNEL_SRC="$TQ_KUNIT_TREE" bash "$TQ_TOOLS/htmldocs.sh" >"$log.out" 2>&1; then
		tq_pass
	else
		tq_fail "htmldocs" "sphinx-build -W failed; log: $log"
		grep -E 'WARNING|ERROR' "$log" >"$log.tmp" || cp "$log.out" "$log.tmp"
		tq_excerpt "$log.tmp" 10
		rm -f "$log.tmp"
	fi
	tq_step_done "$t" "htmldocs (sphinx-build -W) -> $TQ_BUILD/htmldocs/"
}

tq_static_checks() {
	# checkpatch drops a camelcase cache file into a git work tree it runs
	# in; run it on a copy so the clone stays clean.
	TQ_STATIC_SRC="$TQ_BUILD/static-src"
	rm -rf "$TQ_STATIC_SRC"
	mkdir -p "$TQ_STATIC_SRC"
	(cd "$TQ_TOP" && tq_our_sources | rsync -a --files-from=- . "$TQ_STATIC_SRC/")
	tq_static_units
	tq_static_checkpatch
	tq_static_sparse
	tq_static_kerneldoc
	tq_static_htmldocs
}
