# SPDX-License-Identifier: GPL-2.0
#
# Result evaluation: console-log sections, kernel splat scan (with the
# "# EXPECT-SPLAT: <text>" escape hatch), KUnit (via kunit.py parse) and
# selftest TAP counting.
# shellcheck shell=bash

# Kernel splat patterns (extended regexes, one per line). Also copied into
# the initramfs as /etc/tqueue-splat.re for the demo's own verdict.
tq_splat_regex() {
	cat <<'RE'
BUG:
WARNING:
Oops
KASAN
possible circular locking
inconsistent lock state
possible recursive locking
INFO: .*(lock|key)
DEBUG_LOCKS_WARN_ON
sleeping function called from invalid context
ODEBUG
list_(add|del) corruption
Call Trace
Kernel panic
kmemleak: .*(new suspected|disabled|Cannot)
unreferenced object
general protection fault
RE
}

# tq_section LOG NAME -> body of "@@TQ-BEGIN NAME@@ ... @@TQ-END NAME...@@"
tq_section() {
	awk -v b="@@TQ-BEGIN $2@@" -v e="@@TQ-END $2" '
		index($0, b) { on = 1; next }
		on && index($0, e) { exit }
		on { print }' "$1"
}

# tq_section_rc LOG NAME -> rc from "@@TQ-END NAME rc=N@@" (empty if none)
tq_section_rc() {
	sed -n "s/.*@@TQ-END $2 rc=\([0-9]*\)@@.*/\1/p" "$1" | head -n1
}

# tq_sections LOG KIND -> names of all "@@TQ-BEGIN KIND <name>@@" sections
tq_sections() {
	sed -n "s/.*@@TQ-BEGIN $2 \([^@]*\)@@.*/\1/p" "$1"
}

# tq_splat_scan LOG OUT_PREFIX -> 0 if no unexpected splat.
# Writes OUT_PREFIX.unexpected / OUT_PREFIX.tolerated (deduplicated lines).
# Splat lines less than 40 lines apart form one cluster (one report: header,
# Call Trace, ...). A cluster is tolerated as a whole if any line in it, or
# up to 10 lines before it (e.g. the WARN message), contains the text of an
# "# EXPECT-SPLAT: <text>" line (fixed substring, not a regex).
tq_splat_scan() {
	local log="$1" out="$2" re expect
	re="$(mktemp)"
	expect="$(mktemp)"
	rm -f "$out.unexpected" "$out.tolerated" "$out.expected"
	tq_splat_regex >"$re"
	sed -n 's/.*#[[:space:]]*EXPECT-SPLAT:[[:space:]]*//p' "$log" | sed 's/[[:space:]]*$//' |
		awk 'length && !seen[$0]++' >"$expect"
	awk -v refile="$re" -v expfile="$expect" -v uout="$out.unexpected" -v tout="$out.tolerated" '
		BEGIN {
			while ((getline l < refile) > 0) if (l != "") res[nre++] = l
			while ((getline l < expfile) > 0) exps[nexp++] = l
			last = -1000
		}
		function flush(   i, f) {
			if (!n) return
			f = tol ? tout : uout
			for (i = 0; i < n; i++) if (!seen[f, lines[i]]++) print lines[i] > f
			n = 0; tol = 0
		}
		/EXPECT-SPLAT|@@TQ/ { next }
		{
			for (i = 0; i < nexp; i++) if (index($0, exps[i])) {
				lastexp = NR
				if (n && NR - last <= 40) tol = 1
				break
			}
			hit = 0
			for (i = 0; i < nre; i++) if ($0 ~ res[i]) { hit = 1; break }
			if (!hit) next
			if (NR - last > 40) flush()
			last = NR
			lines[n++] = $0
			if (lastexp && NR - lastexp <= 10) tol = 1
		}
		END { flush() }' "$log"
	touch "$out.unexpected" "$out.tolerated"
	cp "$expect" "$out.expected"
	rm -f "$re" "$expect"
	[[ ! -s "$out.unexpected" ]]
}

# tq_kunit_cases SECTION_FILE OUT_PREFIX -> lines "STATUS<TAB>suite/case" on
# stdout (STATUS: PASS, FAIL, SKIP, ERROR...), kunit.py output in OUT.parse.
tq_kunit_cases() {
	local section="$1" out="$2" kunitpy
	kunitpy="$TQ_KUNIT_TREE/tools/testing/kunit/kunit.py"
	rm -f "$out.json"
	# Built-in KUnit prints an empty run ("KTAP version 1" + "1..0") at boot;
	# kunit.py would stop there, so drop empty top-level runs first.
	awk '
		function strip(l) { sub(/^\[[ 0-9.]+\] /, "", l); return l }
		hold != "" {
			if (strip($0) ~ /^1\.\.0/) { hold = ""; next }
			print hold; hold = ""
		}
		strip($0) ~ /^K?TAP version/ { hold = $0; next }
		{ print }
		END { if (hold != "") print hold }' "$section" >"$out.ktap"
	python3 "$kunitpy" parse --json="$out.json" "$out.ktap" >"$out.parse" 2>&1 || true
	[[ -s "$out.json" ]] || return 0
	python3 - "$out.json" <<'PY'
import json, sys

def walk(group, path):
    for case in group.get("test_cases", []):
        print("%s\t%s" % (case["status"], "/".join(path + [case["name"]])))
    for sub in group.get("sub_groups", []):
        walk(sub, path + [sub["name"]])

walk(json.load(open(sys.argv[1])), [])
PY
}

# tq_tap_cases FILE -> "STATUS<TAB>N<TAB>description" per top-level TAP
# result (STATUS: PASS, FAIL, SKIP) plus "PLAN<TAB>N" if there is a plan.
tq_tap_cases() {
	awk '
		/^1\.\.[0-9]+/ { n = $0; sub(/^1\.\./, "", n); sub(/[^0-9].*/, "", n); print "PLAN\t" n; next }
		/^(not )?ok( [0-9]+)?([ \t]|$)/ {
			st = ($0 ~ /^not ok/) ? "FAIL" : "PASS"
			rest = $0; sub(/^(not )?ok/, "", rest)
			num = ""
			if (match(rest, /^ [0-9]+/)) { num = substr(rest, 2, RLENGTH - 1); rest = substr(rest, RLENGTH + 1) }
			sub(/^[ \t]*(- )?/, "", rest)
			if (rest ~ /#[ \t]*[Ss][Kk][Ii][Pp]/) st = "SKIP"
			else if (st == "FAIL" && rest ~ /#[ \t]*[Tt][Oo][Dd][Oo]/) st = "SKIP"
			print st "\t" num "\t" rest
		}' "$1"
}
