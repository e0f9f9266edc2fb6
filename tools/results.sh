# SPDX-License-Identifier: GPL-2.0
#
# Result evaluation: console-log sections, kernel splat scan (with the
# "# EXPECT-SPLAT: <text>" escape hatch), KCSAN reports (kcsan-<series>),
# KUnit (via kunit.py parse) and selftest TAP counting.
# shellcheck shell=bash

# tq_is_kcsan FLAVOUR -> 0 on the KCSAN debug kernels (the row's fragments
# include kcsan)
tq_is_kcsan() { [[ -n "${1:-}" ]] && tq_fl_valid "$1" 2>/dev/null && tq_fl_has "$1" fragments kcsan; }

# Kernel splat patterns (extended regexes, one per line): the one list. The
# initramfs gets it as /etc/tqueue-splat.re for the selftests' splat_count
# (tests/selftests/tqueue/lib.sh), which has no copy of its own.
#
# KCSAN exemption (kcsan-<series> only): there "BUG:" does not match KCSAN's
# report header "BUG: KCSAN: ...", the one line of a KCSAN report that any
# pattern below matches. The kernel's own code has data races KCSAN finds
# (hrtimer, workqueue internals, reached through tqueue's calls), so a KCSAN
# report is not a splat by itself: tq_kcsan_scan judges each report by the
# functions that made the two racing accesses and fails the run only when
# one of them is tqueue's (tq_own_module_re).
tq_splat_regex() {
	if tq_is_kcsan "${1:-}"; then
		printf '%s\n' 'BUG:([^ ]|$| ([^K]|$)| K([^C]|$)| KC([^S]|$)| KCS([^A]|$)| KCSA([^N]|$)| KCSAN([^:]|$))'
	else
		printf '%s\n' 'BUG:'
	fi
	cat <<'RE'
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

# tq_splat_scan LOG OUT_PREFIX [FLAVOUR] -> 0 if no unexpected splat.
# Writes OUT_PREFIX.unexpected / OUT_PREFIX.tolerated (deduplicated lines).
# Splat lines less than 40 lines apart form one cluster (one report: header,
# Call Trace, ...). A cluster is tolerated as a whole if any line in it, or
# up to 10 lines before it (e.g. the WARN message), contains the text of an
# "# EXPECT-SPLAT: <text>" line (fixed substring, not a regex).
tq_splat_scan() {
	local log="$1" out="$2" fl="${3:-}" re expect
	re="$(mktemp)"
	expect="$(mktemp)"
	rm -f "$out.unexpected" "$out.tolerated" "$out.expected"
	tq_splat_regex "$fl" >"$re"
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

# tqueue's own modules as stack traces and KCSAN headers name them
# ("tq_run_queue+0x4c/0x1a0 [tqueue]", "data-race in f [jiq] / g"): the
# modules of src/ and tests/ (tqueue, jiq, sched, tqueue_kunit, tq_*).
tq_own_module_re() {
	printf '%s' '\[(tqueue|tqueue_kunit|jiq|sched|tq_[A-Za-z0-9_]+)\]'
}

# tq_kcsan_reports LOG OUT: the distinct KCSAN reports in LOG (a console log;
# the guest dumps dmesg into it more than once, so a report is identified by
# its header's timestamp and text, and the longest copy is kept: an earlier
# dump may have caught a report half printed). For each report one line
#   VERDICT<TAB>TITLE<TAB>TOP1<TAB>TOP2
# on stdout, VERDICT "tqueue" if an accessing function is in one of tqueue's
# modules (the header's "A / B" names them, TOP1 and TOP2 are the top frames
# of the two access stacks), else "kernel"; TITLE is the header without
# "BUG: KCSAN: ". OUT gets every report's text, each after a line
# "### KCSAN report N (VERDICT): TITLE".
tq_kcsan_reports() {
	awk -v own="$(tq_own_module_re)" -v out="$2" '
		function strip(l) { sub(/^\[ *[0-9]+\.[0-9]+\] ?/, "", l); return l }
		function stamp(l) { return match(l, /^\[ *[0-9]+\.[0-9]+\]/) ? substr(l, 1, RLENGTH) : "" }
		function finish(   i, t) {
			if (!on) return
			on = 0
			if ((key in len) && nl <= len[key]) return
			if (!(key in len)) order[nrep++] = key
			len[key] = nl
			text[key] = ""
			for (i = 0; i < nl; i++) text[key] = text[key] body[i] "\n"
			t = title
			gsub(/\t/, " ", t)
			verdict[key] = (title ~ own || top[1] ~ own || top[2] ~ own) ? "tqueue" : "kernel"
			line[key] = t "\t" top[1] "\t" top[2]
		}
		{ l = strip($0) }
		l ~ /BUG: KCSAN: / {
			finish()
			key = stamp($0) "|" l
			on = 1; nl = 0; nacc = 0; want = 0
			top[1] = top[2] = ""
			title = l; sub(/^.*BUG: KCSAN: /, "", title)
			body[nl++] = $0
			next
		}
		!on { next }
		/@@TQ/ { finish(); next }
		{ body[nl++] = $0 }
		l ~ /^=+$/ && length(l) >= 20 || nl > 200 { finish(); next }
		l ~ / to 0x[0-9a-f]+ of [0-9]+ bytes by .* on cpu [0-9]+:$/ { nacc++; want = 1; next }
		want && l ~ /^ +[^ ]+\+0x[0-9a-f]+\/0x[0-9a-f]+/ {
			if (nacc <= 2) { top[nacc] = l; sub(/^ +/, "", top[nacc]) }
			want = 0
		}
		END {
			finish()
			for (i = 0; i < nrep; i++) {
				k = order[i]
				split(line[k], f, "\t")
				printf "### KCSAN report %d (%s): %s\n%s\n", i + 1, verdict[k], f[1], text[k] > out
				print verdict[k] "\t" line[k]
			}
		}' "$1"
}

# tq_kcsan_scan LOG OUT_PREFIX -> 0 if no KCSAN report is in tqueue's code.
# Writes OUT_PREFIX.log (every report, from tq_kcsan_reports), OUT_PREFIX.tsv
# (one line per report), OUT_PREFIX.tqueue (the text of tqueue's reports)
# and OUT_PREFIX.kernel (the kernel's own report titles with their counts,
# tolerated by name: "N<TAB>TITLE") and OUT_PREFIX.summary, read with
# tq_kcsan_field OUT_PREFIX n|own|problem: the number of reports, how many
# are in tqueue's code, and why the log cannot be judged (no dmesg dump, the
# ring buffer wrapped, KCSAN not running; empty if it can).
tq_kcsan_scan() {
	local log="$1" out="$2" dm n own problem=""
	tq_kcsan_reports "$log" "$out.log" >"$out.tsv"
	touch "$out.log"
	n="$(wc -l <"$out.tsv")"
	own="$(grep -c '^tqueue' "$out.tsv" || true)"
	awk -F '\t' '$1 == "tqueue" { print $2 }' "$out.tsv" >"$out.tqueue.titles"
	awk '/^### KCSAN report [0-9]+ \(tqueue\)/ { on = 1 } /^### KCSAN report [0-9]+ \(kernel\)/ { on = 0 } on' \
		"$out.log" >"$out.tqueue"
	awk -F '\t' '$1 == "kernel" { n[$2]++ } END { for (t in n) printf "%d\t%s\n", n[t], t }' "$out.tsv" |
		sort -t "$(printf '\t')" -k1,1nr -k2 >"$out.kernel"
	# The reports come from the guest's last dmesg dump; judge only a
	# complete one: it must begin at boot, and KCSAN must have been on.
	dm="$(tq_section "$log" dmesg)"
	if [[ -z "$dm" ]]; then
		problem="no dmesg dump in the console log (guest did not finish)"
	elif ! grep -q 'Linux version' <<<"$dm"; then
		problem="the dmesg dump does not begin at boot (ring buffer wrapped): KCSAN reports may be lost"
	elif ! grep -q 'kcsan: strict mode configured' <<<"$dm"; then
		problem="no \"kcsan: strict mode configured\" in dmesg: KCSAN did not run"
	fi
	printf 'n=%s\nown=%s\nproblem=%s\n' "$n" "$own" "$problem" >"$out.summary"
	[[ -z "$problem" && "$own" == 0 ]]
}

# tq_kcsan_field OUT_PREFIX KEY -> n, own or problem of tq_kcsan_scan's run
tq_kcsan_field() {
	sed -n "s/^$2=//p" "$1.summary"
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
