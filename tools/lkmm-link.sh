# SPDX-License-Identifier: GPL-2.0
#
# The link between the litmus tests in tests/lkmm/ and the C source, which
# herd7 does not read. Two rules, checked without herd7:
#
#  1. Every litmus test whose verdict is Never names, in one or more lines
#     "(* Source: FILE FUNCTION: TEXT *)", the functions it models and the
#     primitive each one relies on; TEXT (a fixed string) must still be in
#     the body of FUNCTION in FILE. One case per litmus test.
#  2. Every ordering primitive in src/*.c and demos/*.c (barriers, release/acquire,
#     value-returning atomics used for ordering, grace periods) has a
#     ``name`` of an existing tests/lkmm/name.litmus on its line or in the
#     nearest comment block above it (within TQ_LKMM_LINK_REACH lines). One
#     case for the whole of src/ and demos/.
# shellcheck shell=bash

TQ_LKMM_LINK_REACH=16
# The primitives rule 2 looks for (an extended regex).
TQ_LKMM_PRIMITIVES='smp_(mb|rmb|wmb|mb__before_atomic|mb__after_atomic|store_release|load_acquire|cond_load_acquire)[ (]|(^|[^a-z_])(try_)?cmpxchg(_[a-z]+)?\(|(^|[^a-z_])xchg(_[a-z]+)?\(|test_and_(set|clear|change)_bit(_lock)?\(|clear_bit_unlock\(|synchronize_rcu(_expedited)?\(|atomic_[a-z_]*_(acquire|release)\('

# tq_lkmm_body FILE FUNCTION -> the lines of FUNCTION's definition in FILE
tq_lkmm_body() {
	awk -v fn="$2" '
		!on && $0 ~ "^[A-Za-z].*[ *]" fn "\\(" && $0 !~ /;[ \t]*$/ { on = 1 }
		on { print }
		on && /^}/ { exit }' "$1"
}

# tq_lkmm_link_source LITMUS -> 0 if every Source line still holds; prints why not
tq_lkmm_link_source() {
	local f="$1" line file fn text n=0 bad=0
	while IFS= read -r line; do
		n=$((n + 1))
		file="${line%% *}"
		line="${line#* }"
		fn="${line%%:*}"
		text="${line#*: }"
		if [[ ! -f "$TQ_TOP/$file" ]]; then
			printf '%s: no file %s\n' "${f##*/}" "$file"
			bad=1
		elif ! tq_lkmm_body "$TQ_TOP/$file" "$fn" | grep -q -F -- "$text"; then
			printf '%s: %s() in %s no longer has "%s"\n' "${f##*/}" "$fn" "$file" "$text"
			bad=1
		fi
	done < <(sed -n 's/^(\* Source: \(.*\) \*)[ \t]*$/\1/p' "$f")
	if ((n == 0)); then
		printf '%s: names no source (a "(* Source: FILE FUNCTION: TEXT *)" line)\n' "${f##*/}"
		return 1
	fi
	return "$bad"
}

# tq_lkmm_link_src -> 0 if every ordering primitive in src/ and demos/ names
# a litmus test
tq_lkmm_link_src() {
	local f bad=0
	for f in "$TQ_TOP"/src/*.c "$TQ_TOP"/demos/*.c; do
		awk -v reach="$TQ_LKMM_LINK_REACH" -v re="$TQ_LKMM_PRIMITIVES" \
			-v dir="$TQ_TOP/tests/lkmm" -v name="${f#"$TQ_TOP/"}" '
			function iscomment(l) { return l ~ /^[ \t]*(\*|\/\*|\/\/)/ }
			function names(l,   m) {
				while (match(l, /``[a-z0-9-]+``/)) {
					m = substr(l, RSTART + 2, RLENGTH - 4)
					if ((getline junk < (dir "/" m ".litmus")) > 0) {
						close(dir "/" m ".litmus")
						return 1
					}
					l = substr(l, RSTART + RLENGTH)
				}
				return 0
			}
			# The line itself, or the nearest comment block above it.
			function named(n,   i, seen) {
				if (names(line[n]))
					return 1
				for (i = n - 1; i >= 1 && i >= n - reach; i--) {
					if (iscomment(line[i])) {
						seen = 1
						if (names(line[i]))
							return 1
					} else if (seen) {
						return 0
					}
				}
				return 0
			}
			{ line[NR] = $0 }
			/^[ \t]*(\*|\/\*|\/\/)/ { next }
			$0 ~ re && !named(NR) {
				printf "%s:%d: names no litmus test: %s\n", name, NR, $0
				bad = 1
			}
			END { exit bad }' "$f" || bad=1
	done
	return "$bad"
}

# tq_lkmm_link_checks: count rule 1 per litmus test, rule 2 once.
tq_lkmm_link_checks() {
	local t f log="$TQ_LOGS/lkmm-link.log" n=0
	t="$(tq_now)"
	: >"$log"
	for f in "$TQ_TOP"/tests/lkmm/*.litmus; do
		[[ -f "$f" ]] || continue
		grep -q '^(\* Verdict: Never \*)' "$f" || continue
		n=$((n + 1))
		if tq_lkmm_link_source "$f" >>"$log"; then
			tq_pass
		else
			tq_fail "lkmm link: ${f##*/} names its source" "$(tail -n1 "$log")"
		fi
	done
	if tq_lkmm_link_src >"$log.src"; then
		tq_pass
	else
		tq_fail "lkmm link: every ordering primitive in src/ and demos/ names a litmus test" \
			"$(wc -l <"$log.src") unnamed; log: $log.src"
		tq_excerpt "$log.src" 10
	fi
	tq_step_done "$t" "lkmm link: $n litmus test(s) against their source, src/ and demos/ against tests/lkmm -> $log"
}
