# SPDX-License-Identifier: GPL-2.0
#
# Per-kernel pipeline shared by check.sh, demo.sh and run-guest.sh:
# build the modules (W=1) in build/<flavour>/, pack the initramfs, boot it in
# QEMU, evaluate the console log.
# shellcheck shell=bash

# What a copy of the sources for a module build leaves out: the harness,
# documentation, version control and every build product.
TQ_COPY_EXCLUDES=(/build/ /.git/ /.ci/ /tools/ /Documentation/ '*.o' '*.ko' '*.mod'
	'*.mod.c' '.*.cmd' '*.symvers' '*.order' '*.a' .tmp_versions/)

# tq_copy_sources DST: copy the tree's sources (see TQ_COPY_EXCLUDES) to DST
tq_copy_sources() {
	local ex=() e
	for e in "${TQ_COPY_EXCLUDES[@]}"; do
		ex+=("--exclude=$e")
	done
	rsync -a "${ex[@]}" "$TQ_TOP/" "$1/"
}

# tq_make_modules KDIR DIR [MAKE ARGUMENTS...]: build a copy DIR of the
# tree against KDIR through its Makefile, as a user does, with the test
# modules (TQ_TESTS=1): the library and tests in DIR, then the demos in
# DIR/demos as a client of it.
tq_make_modules() {
	local kdir="$1" dir="$2"
	shift 2
	make -C "$dir" KDIR="$kdir" TQ_TESTS=1 -j"$TQ_JOBS" "$@" modules
}

# tq_mod_log FLAVOUR -> the module build log of FLAVOUR
tq_mod_log() { printf '%s' "$TQ_LOGS/modules-$1.log"; }

# Copy the sources (not build products, not the harness) to build/<flavour>/
# and build them there from scratch against tq_kernel's KDIR, so W=1
# warnings are never hidden by an incremental build. Returns make's status;
# the log is tq_mod_log FLAVOUR.
tq_build_modules() {
	local fl="$1" dst="$TQ_BUILD/$1" t log rc=0 kmake
	log="$(tq_mod_log "$fl")"
	t="$(tq_now)"
	rm -rf "$dst"
	mkdir -p "$dst"
	tq_copy_sources "$dst"
	read -r -a kmake <<<"$(tq_kinfo "$fl" KMAKE)"
	tq_make_modules "$(tq_kinfo "$fl" KDIR)" "$dst" "${kmake[@]}" W=1 -k >"$log" 2>&1 || rc=$?
	tq_step_done "$t" "$fl: build modules (W=1, $(find "$dst" -name '*.ko' | wc -l) .ko) -> $log"
	return "$rc"
}

# tq_eval_build FLAVOUR RC: count the "W=1 build clean" case from make's
# status RC and the log.
tq_eval_build() {
	local fl="$1" rc="$2" log warn="$TQ_LOGS/modules-$1.warnings"
	log="$(tq_mod_log "$fl")"
	grep -i 'warning:' "$log" >"$warn" || true
	if ((rc != 0)); then
		tq_fail "$fl: W=1 build clean" "module build failed (make rc=$rc); log: $log"
		grep -E -i 'error|warning:|\*\*\*' "$log" >"$warn.tmp" || true
		tq_excerpt "$warn.tmp" 15
		rm -f "$warn.tmp"
	elif [[ -s "$warn" ]]; then
		tq_fail "$fl: W=1 build clean" "$(wc -l <"$warn") warning line(s); log: $log"
		tq_excerpt "$warn" 15
	else
		tq_pass
	fi
}

# tq_eval_version FLAVOUR: count the "MODULE_VERSION is VERSION" case: every
# module a user installs (tqueue, jiq, sched) carries the tree's VERSION.
tq_eval_version() {
	local fl="$1" want got m bad=""
	want="$(cat "$TQ_TOP/VERSION")"
	for m in tqueue demos/jiq demos/sched; do
		got="$(modinfo -F version "$TQ_BUILD/$fl/$m.ko" 2>/dev/null)" || got=""
		[[ "$got" == "$want" ]] || bad+=" ${m#*/}.ko:${got:-none}"
	done
	if [[ -z "$bad" ]]; then
		tq_pass
	else
		tq_fail "$fl: MODULE_VERSION is VERSION ($want)" "got$bad"
	fi
}

tq_selftest_count() {
	find "$TQ_TOP/tests/selftests/tqueue" -maxdepth 1 -name '*.sh' ! -name lib.sh 2>/dev/null | wc -l
}

# tq_console FLAVOUR MODE -> the console log of FLAVOUR's boot in MODE
tq_console() { printf '%s' "$TQ_LOGS/console-$1-$2.log"; }

# tq_boot FLAVOUR MODE [APPEND [MODDIR]]: pack the initramfs and boot
# FLAVOUR's kernel in MODE (check, demo, bench; APPEND: more kernel
# parameters; MODDIR: the module build, default build/<flavour>). The
# console log is tq_console FLAVOUR MODE; QEMU's status, the boot's
# duration and the time limit go to LOG.boot (tq_boot_field). The limit:
# TQ_GUEST_TIMEOUT, else 420 s for bench, else 180 s + TQ_SELFTEST_TIMEOUT
# per selftest script.
# tq_boot_overlay FLAVOUR MODE DIR: what the guest gets beyond the build:
# the modules DKMS built for its kernel (tools/packaging.sh) where DKMS
# installs them, and in sig mode the signed copies of tqueue.ko
# (tools/modsig.sh)
tq_boot_overlay() {
	local fl="$1" mode="$2" dir="$3" dkms krel
	rm -rf "$dir"
	mkdir -p "$dir"
	dkms="$(tq_dkms_modules "$fl")"
	if [[ -n "$dkms" ]]; then
		krel="$(tq_kinfo "$fl" KREL)"
		mkdir -p "$dir/lib/modules/$krel/updates/dkms"
		cp "$dkms"/*.ko "$dir/lib/modules/$krel/updates/dkms/"
	fi
	if [[ "$mode" == sig ]]; then
		tq_modsig_overlay "$fl" "$dir/lib/tqueue-sig"
	fi
	# The modules tools/tq-port converted for this kernel (port.sh).
	if [[ "$mode" == check ]] && compgen -G "$TQ_BUILD/port-$fl/*.ko" >/dev/null; then
		mkdir -p "$dir/lib/tqueue-port"
		cp "$TQ_BUILD/port-$fl"/*.ko "$dir/lib/tqueue-port/"
	fi
}

tq_boot() {
	local fl="$1" mode="$2" extra="${3:-}" moddir="${4:-$TQ_BUILD/$1}"
	local initrd kunit=0 t torture log limit rc=0
	initrd="$TQ_BUILD/initramfs-$fl.cpio.gz"
	[[ "${TQ_PERF:-0}" != 1 ]] || initrd="$TQ_BUILD/initramfs-$fl-perf.cpio.gz"
	t="$(tq_now)"
	tq_boot_overlay "$fl" "$mode" "$TQ_BUILD/overlay-$fl"
	tq_initramfs "$moddir" "$initrd" "$fl" "$TQ_BUILD/overlay-$fl"
	tq_step_done "$t" "$fl: pack initramfs"
	[[ "$(tq_fl "$fl" kind)" == debug && "$mode" == check ]] && kunit=1
	log="$(tq_console "$fl" "$mode")"
	if [[ "$mode" == bench ]]; then
		limit="${TQ_GUEST_TIMEOUT:-420}"
	else
		limit="${TQ_GUEST_TIMEOUT:-$((180 + TQ_SELFTEST_TIMEOUT * $(tq_selftest_count)))}"
	fi
	t="$(tq_now)"
	# The torture run: a full minute on the debug kernels, shorter elsewhere.
	torture="$TQ_TORTURE_SECS_STOCK"
	[[ "$(tq_fl "$fl" kind)" == debug ]] && torture="$TQ_TORTURE_SECS_DEBUG"
	tq_qemu "$(tq_kinfo "$fl" KIMAGE)" "$initrd" \
		"tqh.mode=$mode tqh.kunit=$kunit tqh.kernel=$fl tqh.timeout=$TQ_SELFTEST_TIMEOUT tqh.torture=$torture tqh.storm=$TQ_STORM_SECS${extra:+ $extra}" \
		"$log" "$limit" || rc=$?
	printf 'rc=%s\nsecs=%s\nlimit=%s\n' "$rc" "$(tq_elapsed "$t")" "$limit" >"$log.boot"
	tq_step_done "$t" "$fl: boot $mode in QEMU ($TQ_ACCEL) -> $log"
}

# tq_boot_field LOG KEY -> rc, secs or limit of the boot that wrote LOG
# (empty for a log without LOG.boot, such as a saved one)
tq_boot_field() {
	sed -n "s/^$2=//p" "$1.boot" 2>/dev/null
}

# tq_unfinished_reason LOG: one line explaining why the guest did not reach
# @@TQ-DONE@@.
tq_unfinished_reason() {
	local log="$1" last why rc secs limit
	last="$(sed -n 's/.*@@TQ progress: \(.*\)@@.*/\1/p' "$log" | tail -n1)"
	[[ -n "$last" ]] || last="init never started"
	rc="$(tq_boot_field "$log" rc)"
	secs="$(tq_boot_field "$log" secs)"
	limit="$(tq_boot_field "$log" limit)"
	if [[ "$rc" == 124 || "$rc" == 137 ]]; then
		why="guest did not finish within $limit s"
	elif grep -q 'Kernel panic' "$log"; then
		why="guest panicked ($(grep -m1 'Kernel panic' "$log" | sed 's/^.*Kernel panic/Kernel panic/'))"
	elif [[ ! -s "$log" ]]; then
		why="QEMU failed to start (rc=$rc, see $log.qemu)"
	elif [[ -z "$rc" ]]; then
		why="guest stopped without finishing (no QEMU status: a saved log)"
	else
		why="guest stopped without finishing after ${secs}s (QEMU rc=$rc)"
	fi
	printf '%s (last progress: %s); log: %s' "$why" "$last" "$log"
}

tq_have_sources() { [[ -n "$(find "$TQ_TOP/$1" -name '*.c' 2>/dev/null | head -n1)" ]]; }

# tq_eval_kunit FLAVOUR LOG
tq_eval_kunit() {
	local fl="$1" log="$2" sec="$TQ_LOGS/$1-kunit" rc urc st name n=0 nfail=0
	if ! tq_have_sources tests/kunit; then
		tq_skip "$fl: kunit (no tests/kunit/*.c yet)"
		return 0
	fi
	if ! grep -q '@@TQ-BEGIN kunit@@' "$log"; then
		tq_fail "$fl: kunit" "no KUnit output (guest did not get there)"
		return 0
	fi
	tq_section "$log" kunit >"$sec.log"
	rc="$(tq_section_rc "$log" kunit)"
	while IFS=$'\t' read -r st name; do
		n=$((n + 1))
		case "$st" in
		PASS) tq_pass ;;
		SKIP) tq_skip "$fl: kunit $name" ;;
		*) nfail=$((nfail + 1)); tq_fail "$fl: kunit $name" "$st" ;;
		esac
	done < <(tq_kunit_cases "$sec.log" "$sec")
	if ((n == 0)); then
		tq_fail "$fl: kunit" "no KUnit results (insmod rc=${rc:-?}); log: $sec.log"
		grep -E 'tqueue|kunit|insmod' "$sec.log" | tail -n 8 >"$sec.tmp" || true
		tq_excerpt "$sec.tmp" 8
		rm -f "$sec.tmp"
	elif ((nfail > 0)); then
		grep -v -E '\[PASSED\]|\[SKIPPED\]|^\[[0-9:]+\] =+' "$sec.parse" >"$sec.tmp" || true
		tq_excerpt "$sec.tmp" 30
		rm -f "$sec.tmp"
	fi
	urc="$(sed -n 's/.*@@TQ-INFO kunit-unload rc=\([0-9]*\)@@.*/\1/p' "$log" | head -n1)"
	if [[ "$rc" == 0 && "$urc" == 0 ]]; then
		tq_pass
	else
		tq_fail "$fl: kunit load+unload tqueue.ko tqueue_kunit.ko" "insmod rc=${rc:-?}, rmmod rc=${urc:-?}"
	fi
	printf '         %s: kunit: %d case(s), %d failed (%s)\n' "$fl" "$n" "$nfail" "$sec.parse"
}

# tq_eval_selftest FLAVOUR NAME LOG
tq_eval_selftest() {
	local fl="$1" name="$2" log="$3" out="$TQ_LOGS/$1-selftest-$2" rc st num desc plan="" n=0 nfail=0
	tq_section "$log" "selftest $name" >"$out.log"
	rc="$(tq_section_rc "$log" "selftest $name")"
	while IFS=$'\t' read -r st num desc; do
		case "$st" in
		PLAN) plan="$num"; continue ;;
		PASS) tq_pass ;;
		SKIP) tq_skip "$fl: $name.sh $num $desc" ;;
		*) nfail=$((nfail + 1)); tq_fail "$fl: $name.sh $num $desc" ;;
		esac
		n=$((n + 1))
	done < <(tq_tap_cases "$out.log")
	if [[ -z "$rc" ]]; then
		tq_fail "$fl: $name.sh" "did not finish (guest stopped while it ran)"
		nfail=$((nfail + 1))
	elif [[ "$rc" == 124 ]]; then
		tq_fail "$fl: $name.sh" "killed after ${TQ_SELFTEST_TIMEOUT}s time limit"
		nfail=$((nfail + 1))
	elif ((n == 0)) && [[ "$rc" == 4 ]]; then
		tq_skip "$fl: $name.sh (exit 4: skipped)"
	elif ((n == 0)); then
		tq_fail "$fl: $name.sh" "no TAP results (exit $rc)"
		nfail=$((nfail + 1))
	elif [[ -n "$plan" && "$plan" != "$n" ]]; then
		tq_fail "$fl: $name.sh" "planned $plan case(s), reported $n"
		nfail=$((nfail + 1))
	elif ((nfail == 0)) && [[ "$rc" != 0 && "$rc" != 4 ]]; then
		tq_fail "$fl: $name.sh" "exit status $rc but no failing TAP case"
		nfail=$((nfail + 1))
	fi
	if ((nfail > 0)); then
		grep -v -E '^ok ' "$out.log" | tail -n 25 >"$out.tmp" || true
		tq_excerpt "$out.tmp" 25
		rm -f "$out.tmp"
		printf '    (full output: %s)\n' "$out.log"
	fi
}

# One case per kernel run: guest reached @@TQ-DONE@@, saw all CPUs, and
# nothing splatted (except what a selftest declared with EXPECT-SPLAT).
# tq_eval_guest FLAVOUR LOG [TAG] (TAG names a second boot: "sig")
tq_eval_guest() {
	local fl="$1" log="$2" tag="${3:-}" splat case cpus r why=()
	splat="$TQ_LOGS/$fl${tag:+-$tag}-splat"
	case="$fl${tag:+ ($tag)}: no kernel splat + guest finished"
	if ! grep -q '@@TQ-DONE@@' "$log"; then
		why+=("$(tq_unfinished_reason "$log")")
	fi
	cpus="$(sed -n 's/.*smp: Brought up [0-9]* nodes*, \([0-9]*\) CPUs*.*/\1/p' "$log" | head -n1)"
	if [[ -n "$cpus" && "$cpus" != "$TQ_QEMU_SMP" ]]; then
		why+=("guest brought up $cpus CPU(s), QEMU has $TQ_QEMU_SMP (kernel config?)")
	fi
	if ! tq_splat_scan "$log" "$splat" "$fl"; then
		why+=("kernel splat ($(wc -l <"$splat.unexpected") line(s), all in $splat.unexpected); log: $log")
	fi
	if [[ -s "$splat.tolerated" ]]; then
		printf '         %s: tolerated %d splat line(s) matching EXPECT-SPLAT: %s\n' "$fl" \
			"$(wc -l <"$splat.tolerated")" "$(paste -sd '|' "$splat.expected")"
	fi
	if ((${#why[@]} == 0)); then
		tq_pass
		return 0
	fi
	tq_fail "$case" "${why[0]}"
	for r in "${why[@]:1}"; do
		printf '    also: %s\n' "$r"
	done
	if ! grep -q '@@TQ-DONE@@' "$log"; then
		tail -n 12 "$log" >"$splat.tail"
		tq_excerpt "$splat.tail" 12
	fi
	[[ -s "$splat.unexpected" ]] && tq_excerpt "$splat.unexpected" 20
	return 0
}

# One case on the KCSAN kernels (kcsan-<series>), whose splat scan leaves
# KCSAN reports out: no KCSAN report in which tqueue's code made one of the
# two racing accesses (tq_kcsan_scan, tools/results.sh). The kernel's own
# reports are counted, listed in build/logs/<flavour>-kcsan.kernel (titles)
# and .log (full text), and tolerated.
# tq_eval_kcsan FLAVOUR LOG
tq_eval_kcsan() {
	local fl="$1" log="$2" out="$TQ_LOGS/$1-kcsan" case="$1: no KCSAN data race in tqueue's code" n t own kern
	local ok=0 why total problem
	tq_kcsan_scan "$log" "$out" || ok=1
	total="$(tq_kcsan_field "$out" n)"
	own="$(tq_kcsan_field "$out" own)"
	problem="$(tq_kcsan_field "$out" problem)"
	kern=$((total - own))
	printf '         %s: KCSAN: %d report(s): %d in tqueue'"'"'s code, %d in the kernel'"'"'s own (tolerated); reports: %s.log\n' \
		"$fl" "$total" "$own" "$kern" "$out"
	while IFS=$'\t' read -r n t; do
		printf '           tolerated (kernel): %dx %s\n' "$n" "$t"
	done <"$out.kernel"
	if ((ok == 0)); then
		tq_pass
		return 0
	fi
	if ((own > 0)); then
		why="$own KCSAN report(s) in tqueue's code: $(sort "$out.tqueue.titles" | uniq -c |
			awk '{ n = $1; sub(/^ *[0-9]+ /, ""); printf "%s%s%s", sep, (n > 1 ? n "x " : ""), $0; sep = "; " }'); reports: $out.tqueue"
		[[ -n "$problem" ]] && why+="; also: $problem"
	else
		why="$problem; log: $log"
	fi
	tq_fail "$case" "$why"
	((own > 0)) && tq_excerpt "$out.tqueue" 40
	return 0
}

# tq_versions FLAVOUR: one line naming the packages the kernel came from
tq_versions() {
	printf '         %s: %s\n' "$1" "$(tq_kinfo "$1" KVERSIONS)"
}

# tq_run_check FLAVOUR: build, boot in check mode, count every case.
tq_run_check() {
	local fl="$1" rc=0
	if ! tq_kernel "$fl"; then
		tq_fail "$fl: kernel" "kernel preparation failed (see messages above)"
		return 0
	fi
	tq_versions "$fl"
	tq_build_modules "$fl" || rc=$?
	tq_eval_build "$fl" "$rc"
	tq_eval_version "$fl"
	# tools/tq-port's conversions for this kernel, built before the boot
	# that runs them (port.sh).
	if [[ "${TQ_PORT:-1}" != 0 && " $TQ_PORT_KERNELS " == *" $fl "* ]]; then
		tq_port_kernel "$fl"
	fi
	tq_boot "$fl" check
	tq_eval_console "$fl" "$(tq_console "$fl" check)"
	if tq_modsig_wanted "$fl"; then
		tq_modsig_check "$fl"
	fi
}

# tq_eval_console FLAVOUR LOG: count every case of a check-mode console log:
# KUnit on debug kernels, each selftest, one failure for each selftest the
# guest planned (its "@@TQ-INFO selftests tqueue:" line) but never finished, no
# splat + guest finished, KCSAN on the KCSAN kernels. tools/parse.sh runs it
# on a saved log.
tq_eval_console() {
	local fl="$1" log="$2" name ran
	[[ "$(tq_fl "$fl" kind)" == debug ]] && tq_eval_kunit "$fl" "$log"
	ran="$(tq_sections "$log" selftest)"
	while IFS= read -r name; do
		[[ -n "$name" ]] && tq_eval_selftest "$fl" "$name" "$log"
	done <<<"$ran"
	for name in $(sed -n 's/.*@@TQ-INFO selftests tqueue:\(.*\)@@.*/\1/p' "$log" | head -n1); do
		grep -qxF -- "$name" <<<"$ran" ||
			tq_fail "$fl: $name.sh" "no result: the guest stopped before it finished"
	done
	tq_eval_guest "$fl" "$log"
	if tq_is_kcsan "$fl"; then
		tq_eval_kcsan "$fl" "$log"
	fi
	return 0
}

# tq_demo_verdict CONSOLE SPLAT_PREFIX FLAVOUR -> the demo's verdict line,
# "demo: OK|INCOMPLETE|FAILED (...)", from the guest's facts (@@TQ-INFO demo
# read=N files=M problems=...@@) and the splat scan of the console log; 0
# if OK. The one place the demo is judged.
tq_demo_verdict() {
	local log="$1" splat="$2" fl="$3" info nread nfiles problems
	if ! grep -q '@@TQ-DONE@@' "$log"; then
		printf 'demo: FAILED (%s)\n' "$(tq_unfinished_reason "$log")"
		return 1
	fi
	info="$(sed -n 's/.*@@TQ-INFO demo \(read=.*\)@@.*/\1/p' "$log" | tail -n1)"
	if [[ -z "$info" ]]; then
		printf 'demo: FAILED (the guest reported no demo result)\n'
		return 1
	fi
	if [[ ! "$info" =~ ^read=([0-9]+)\ files=([0-9]+)\ problems=(.*)$ ]]; then
		printf 'demo: FAILED (a demo result the host cannot read: %s)\n' "$info"
		return 1
	fi
	nread="${BASH_REMATCH[1]}"
	nfiles="${BASH_REMATCH[2]}"
	problems="${BASH_REMATCH[3]}"
	if ! tq_splat_scan "$log" "$splat" "$fl"; then
		problems+=" kernel splat: $(head -n1 "$splat.unexpected");"
	fi
	if [[ -z "$problems" && "$nread" == "$nfiles" ]]; then
		printf 'demo: OK (%s/%s files read, modules removed cleanly, no kernel splat)\n' "$nread" "$nfiles"
		return 0
	elif [[ -z "$problems" ]]; then
		printf 'demo: INCOMPLETE (%s/%s files read, modules removed cleanly, no kernel splat)\n' "$nread" "$nfiles"
	else
		printf 'demo: FAILED (%s/%s files read;%s)\n' "$nread" "$nfiles" "$problems"
	fi
	return 1
}

# tq_run_demo FLAVOUR -> 0 if the demo's verdict (tq_demo_verdict) is OK
tq_run_demo() {
	local fl="$1" splat="$TQ_LOGS/$1-demo-splat" rc=0 log
	tq_kernel "$fl" || return 1
	tq_versions "$fl"
	tq_build_modules "$fl" || rc=$?
	if ((rc != 0)); then
		tq_warn "$fl: module build failed (rc=$rc), showing what exists; log: $(tq_mod_log "$fl")"
	fi
	tq_boot "$fl" demo
	log="$(tq_console "$fl" demo)"
	tq_section "$log" demo | grep -v "^@@TQ-INFO demo " || true
	rc=0
	tq_demo_verdict "$log" "$splat" "$fl" || rc=$?
	[[ -s "$splat.unexpected" ]] && tq_excerpt "$splat.unexpected" 20
	return "$rc"
}
