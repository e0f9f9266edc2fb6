# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the tqueue selftests: TAP output (kselftest's
# ktap_helpers.sh style), module handling and checks of the jiq/sched /proc
# formats. Busybox sh only; source it with
#   . "$(dirname "$0")/lib.sh"
#
# Environment: TQ_MODDIR holds the .ko files (default /lib/tqueue);
# TQ_MODPROBE=1 loads them with modprobe instead of insmod, as installed
# modules are (dkms.sh runs jiq.sh and sched.sh so).

TQ_MODDIR=${TQ_MODDIR:-/lib/tqueue}
TQ_MODPROBE=${TQ_MODPROBE:-0}
TQ_TMP=${TQ_TMP:-/tmp}

# TAP output in the style of the kernel's
# tools/testing/selftests/kselftest/ktap_helpers.sh: the same functions,
# counters and exit codes (KSFT_PASS 0, KSFT_FAIL 1, KSFT_SKIP 4: the
# harness counts a script that exits 4 with no results as skipped). The
# tap_* functions below are what the scripts call.
KSFT_PASS=0
KSFT_FAIL=1
# shellcheck disable=SC2034 # kselftest exit codes, as in ktap_helpers.sh
KSFT_XFAIL=2
# shellcheck disable=SC2034
KSFT_XPASS=3
KSFT_SKIP=4
KTAP_TESTNO=1
KTAP_CNT_PASS=0
KTAP_CNT_FAIL=0
KTAP_CNT_SKIP=0
KSFT_NUM_TESTS=0

ktap_print_header()
{
	echo "TAP version 13"
}

ktap_print_msg()
{
	echo "# $*"
}

ktap_set_plan()
{
	KSFT_NUM_TESTS=$1
	echo "1..$KSFT_NUM_TESTS"
}

ktap_skip_all()
{
	echo "1..0 # SKIP $*"
}

# __ktap_test RESULT DESCRIPTION [DIRECTIVE]
__ktap_test()
{
	printf '%s %d %s%s\n' "$1" "$KTAP_TESTNO" "$2" "${3:+ # $3}"
	KTAP_TESTNO=$((KTAP_TESTNO + 1))
}

ktap_test_pass()
{
	__ktap_test "ok" "$1"
	KTAP_CNT_PASS=$((KTAP_CNT_PASS + 1))
}

# ktap_test_skip DESCRIPTION [REASON] (REASON: an addition of ours)
ktap_test_skip()
{
	__ktap_test "ok" "$1" "SKIP${2:+ $2}"
	KTAP_CNT_SKIP=$((KTAP_CNT_SKIP + 1))
}

ktap_test_fail()
{
	__ktap_test "not ok" "$1"
	KTAP_CNT_FAIL=$((KTAP_CNT_FAIL + 1))
}

# ktap_test_result DESCRIPTION CMD...: pass if CMD succeeds
ktap_test_result()
{
	_kdesc=$1
	shift
	if "$@"; then
		ktap_test_pass "$_kdesc"
	else
		ktap_test_fail "$_kdesc"
	fi
}

ktap_print_totals()
{
	echo "# Totals: pass:$KTAP_CNT_PASS fail:$KTAP_CNT_FAIL xfail:0 xpass:0 skip:$KTAP_CNT_SKIP error:0"
}

ktap_exit_fail_msg()
{
	echo "Bail out! $*"
	ktap_print_totals
	exit "$KSFT_FAIL"
}

# ktap_finished: exit KSFT_PASS if every planned test passed or was skipped
ktap_finished()
{
	ktap_print_totals
	if [ $((KTAP_CNT_PASS + KTAP_CNT_SKIP)) -eq "$KSFT_NUM_TESTS" ]; then
		exit "$KSFT_PASS"
	fi
	exit "$KSFT_FAIL"
}

# tap_plan N: print the TAP header and plan.
tap_plan()
{
	ktap_print_header
	ktap_set_plan "$1"
	tap_timing
}

# diag TEXT...: a TAP diagnostic line.
diag()
{
	ktap_print_msg "$@"
}

# diag_file FILE: a file's contents as diagnostics (at most 20 lines).
diag_file()
{
	head -n 20 "$1" 2>/dev/null | sed 's/^/#   /'
}

# TQ_TIMING=1: print how long each test took.
tap_t0=""
tap_timing()
{
	[ -n "$TQ_TIMING" ] || return 0
	_t=$(now_ms)
	[ -n "$tap_t0" ] && diag "took $((_t - tap_t0)) ms"
	tap_t0=$_t
}

tap_ok()
{
	tap_timing
	ktap_test_pass "$1"
}

tap_not_ok()
{
	tap_timing
	ktap_test_fail "$1"
}

# tap_skip DESC REASON
tap_skip()
{
	ktap_test_skip "$1" "$2"
}

# tap_result RC DESC: ok if RC is 0.
tap_result()
{
	if [ "$1" -eq 0 ]; then
		tap_ok "$2"
	else
		tap_not_ok "$2"
	fi
}

# tap_bail REASON: give up on the whole script (a hang or a lost module).
tap_bail()
{
	ktap_exit_fail_msg "$@"
}

# tap_exit: fail what was planned but not run, then exit 0 / 1.
tap_exit()
{
	while [ "$KTAP_TESTNO" -le "$KSFT_NUM_TESTS" ]; do
		tap_not_ok "test not run"
	done
	ktap_finished
}

# tap_skip_all REASON: the whole script does not apply here (exit 4).
tap_skip_all()
{
	ktap_print_header
	ktap_skip_all "$*"
	exit "$KSFT_SKIP"
}

mod_loaded()
{
	[ -d "/sys/module/$1" ]
}

# tq_need_core: load tqueue.ko unless it is there already (it stays loaded).
tq_need_core()
{
	mod_loaded tqueue && return 0
	[ -f "$TQ_MODDIR/tqueue.ko" ] || return 1
	mod_load tqueue
}

# mod_load NAME [PARAM=VALUE...]: insmod NAME.ko from TQ_MODDIR (with
# TQ_MODPROBE=1: modprobe NAME, which loads what it depends on).
mod_load()
{
	_name=$1
	shift
	if [ "$TQ_MODPROBE" = 1 ]; then
		modprobe "$_name" "$@"
	else
		insmod "$TQ_MODDIR/$_name.ko" "$@"
	fi
}

# mod_unload NAME: rmmod NAME if it is loaded.
mod_unload()
{
	mod_loaded "$1" || return 0
	rmmod "$1"
}

# mod_param NAME PARAM: a parameter's value from sysfs.
mod_param()
{
	cat "/sys/module/$1/parameters/$2"
}

# wait_gone PID SECONDS: wait until PID has exited; 1 if it still runs.
# The caller reaps it with "wait PID" afterwards.
wait_gone()
{
	_i=0
	_n=$(($2 * 20))
	while kill -0 "$1" 2>/dev/null; do
		# a zombie counts as gone
		_st=$(cat "/proc/$1/stat" 2>/dev/null)
		case $_st in
		*") Z "*) return 0 ;;
		esac
		[ "$_i" -ge "$_n" ] && return 1
		sleep 0.05
		_i=$((_i + 1))
	done
	return 0
}

# now_ms: milliseconds since boot.
now_ms()
{
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}

# file_mode PATH: the ls -l mode string of PATH.
file_mode()
{
	stat -c %A "$1"
}

# splat_count: lines in the kernel log that look like a kernel splat, by the
# harness's one list of patterns (tools/results.sh tq_splat_regex, written
# into the initramfs as TQ_SPLAT_RE). Without that list every check that
# counts splats fails, rather than using a second list that drifts.
TQ_SPLAT_RE=${TQ_SPLAT_RE:-/etc/tqueue-splat.re}
splat_count()
{
	if [ ! -s "$TQ_SPLAT_RE" ]; then
		echo "# no splat pattern list $TQ_SPLAT_RE (the harness's initramfs has it)" >&2
		echo -1
		return 1
	fi
	# grep -c prints 0 and exits 1 when nothing matches: 0 is a count too.
	dmesg | grep -c -E -f "$TQ_SPLAT_RE" || true
}

# tap_no_new_splats SPLATS0 DESC: ok if the kernel log holds no more splat
# lines than SPLATS0 (counted when the script started); else show its tail.
tap_no_new_splats()
{
	if ! _n=$(splat_count); then
		tap_not_ok "$2"
	elif [ "$_n" -ne "$1" ]; then
		dmesg | tail -n 40 | sed 's/^/# /'
		tap_not_ok "$2"
	else
		tap_ok "$2"
	fi
}

# tap_relay RESULT N WHO: turn checks 1..N of a module's KTAP RESULT text
# ("ok I desc" / "not ok I desc") into test cases of this script; a check
# missing from RESULT fails.
tap_relay()
{
	_i=1
	while [ $_i -le "$2" ]; do
		_line=$(echo "$1" | grep -E "^(not )?ok $_i ")
		_desc=${_line#*ok "$_i" }
		case $_line in
		"ok $_i "*) tap_ok "$_desc" ;;
		"not ok $_i "*) tap_not_ok "$_desc" ;;
		*) tap_not_ok "$3 check $_i (missing from its result)" ;;
		esac
		_i=$((_i + 1))
	done
}

# purge_warnings MODULE: how many times tqueue warned that it dropped tasks
# MODULE left queued.
purge_warnings()
{
	dmesg | grep -c -E "tqueue: module $1 left [0-9]* tasks? queued; dropped"
}

# initfail_loads N [HOOK]: try N loads of tq_initfail, whose init queues
# tasks and fails; each must be refused and leave no module behind. HOOK,
# if given, runs before every 20th try. Returns 0 if all were refused.
initfail_loads()
{
	_fail=0
	_i=0
	while [ $_i -lt "$1" ]; do
		[ -n "${2:-}" ] && [ $((_i % 20)) -eq 0 ] && $2
		if mod_load tq_initfail 2>/dev/null; then
			diag "try $_i: insmod tq_initfail succeeded"
			_fail=1
		fi
		mod_loaded tq_initfail && _fail=1
		_i=$((_i + 1))
	done
	return $_fail
}

# jiffies: the current jiffies, from /proc/timer_list.
jiffies()
{
	sed -n 's/^jiffies: *\([0-9][0-9]*\)$/\1/p' /proc/timer_list 2>/dev/null |
		head -n 1
}

# once_per_tick RUNS JIFFIES: RUNS of a task that requeues itself on
# tq_timer, counted inside a window of JIFFIES (read before the first and
# after the last count), must not exceed one per jiffy, and must be at
# least a quarter of them (TCG guests lose ticks under load).
once_per_tick()
{
	[ "$1" -ge 1 ] && [ "$1" -le $(($2 + 1)) ] && [ "$1" -ge $(($2 / 4)) ]
}

JIQ_HEADER="     time delta interrupt   pid cpu command"

# jiq_check FILE KIND [LIMIT [DELAY]]: FILE must hold one whole, well-formed
# page of /proc/KIND. Prints what is wrong as diagnostics; 0 if all good.
#   every page: the header, then lines "time delta interrupt pid cpu command"
#       with numbers where numbers go, interrupt 0 or 1, each time equal to
#       the previous time plus the delta; more than LIMIT bytes in all.
#   jiqtimer: interrupt 1 everywhere, delta >= 1 after the first line.
#   jiqimmed, jiqtasklet: interrupt 1.
#   jiqsched: interrupt 0, command keventd.
#   With TQ_PORTED=1 (port-jiq.sh, tq-port's jiq.ko) the two guarantees
#   only tqueue gives become the converted module's: jiqtimer deltas may be
#   0, jiqsched's command is a kworker.
#   jitimer: exactly two lines, the first in process context (0), the
#       second from the timer (interrupt 1) DELAY jiffies later (DELAY may
#       be "lo-hi" for a range).
jiq_check()
{
	awk -v kind="$2" -v limit="${3:-0}" -v delay="${4:-}" \
	    -v hdr="$JIQ_HEADER" -v ncpu="$(nproc)" -v ported="${TQ_PORTED:-0}" '
	function bad(msg) {
		printf "# %s line %d: %s: [%s]\n", kind, NR, msg, $0
		err = 1
		exit 1
	}
	{ bytes += length($0) + 1 }
	NR == 1 {
		if ($0 != hdr)
			bad("bad header")
		next
	}
	{
		if (NF < 6)
			bad("fewer than 6 fields")
		for (i = 1; i <= 5; i++)
			if ($i !~ /^[0-9]+$/)
				bad("field " i " is not a number")
		if ($3 != 0 && $3 != 1)
			bad("interrupt is not 0 or 1")
		if ($5 >= ncpu)
			bad("no such cpu")
		if (NR > 2 && $1 != prev + $2)
			bad("time is not previous time + delta")
		prev = $1
	}
	kind == "jiqtimer" {
		if ($3 != 1)
			bad("tq_timer task not in interrupt")
		if (NR > 2 && $2 < 1 && !ported)
			bad("two tq_timer runs in one jiffy")
	}
	kind == "jiqimmed" || kind == "jiqtasklet" {
		if ($3 != 1)
			bad("bottom half not in interrupt")
	}
	kind == "jiqsched" {
		if ($3 != 0)
			bad("keventd task in interrupt")
		if (!ported && $6 != "keventd")
			bad("command is not keventd")
		if (ported && $6 !~ /^kworker\//)
			bad("command is not a kworker")
	}
	kind == "jitimer" && NR == 2 && $3 != 0 { bad("first line not in process context") }
	kind == "jitimer" && NR == 3 {
		if ($3 != 1)
			bad("timer line not in interrupt")
		split(delay, d, "-")
		if (d[2] == "")
			d[2] = d[1]
		if ($2 < d[1] + 0 || $2 > d[2] + 0)
			bad("delta is not " delay)
	}
	END {
		if (err)
			exit 1
		if (NR < 2) {
			printf "# %s: no lines after the header (%d lines)\n", kind, NR
			exit 1
		}
		if (kind == "jitimer") {
			if (NR != 3) {
				printf "# jitimer: %d lines, want 3\n", NR
				exit 1
			}
		} else if (bytes <= limit || bytes > limit + 128) {
			printf "# %s: %d bytes, want %d < bytes <= %d\n", kind, bytes, limit, limit + 128
			exit 1
		}
	}' "$1"
}

# jiq_delta FILE: the delta of a jitimer page's second line.
jiq_delta()
{
	awk 'NR == 3 { print $2 }' "$1"
}
