#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2016
#
# `make bench`: build the modules for a stock kernel (default stock-6.12,
# override with TQ_KERNELS=<flavour>), boot it in QEMU in bench mode (loads
# tqueue.ko and tests/bench/tq_bench.ko), print the BENCH lines and write
# Documentation/bench.rst and Documentation/bench-latency.png.
#
# Environment: TQ_BENCH_ARGS (tq_bench.ko parameters, comma-separated, e.g.
# "rounds=21,samples=300"), TQ_BENCH_OUT (output directory, default
# Documentation/), TQ_BENCH_FROM (a saved build/bench/logs/bench-*.txt:
# only regenerate the report from it), TQ_ACCEL, TQ_GUEST_TIMEOUT (420 s),
# TQ_PERF=1 (CPU profile: the host's perf, from linux-perf, goes into the
# initramfs, tq_bench.ko is loaded under `perf record -a -g -e cpu-clock`
# and `perf report`'s hottest symbols, tqueue.ko's and tq_bench.ko's
# included, are saved to build/bench/logs/perf-<flavour>.txt; the profiler
# perturbs the BENCH numbers, so do not publish those of such a run),
# TQ_PERF_FREQ (its sampling rate, Hz, default 10000; lower it for long
# runs: perf.data is kept in the guest's RAM).
#
# Then the cost of the tracepoints (tq_bench_trace, Documentation/
# bench-trace.rst): two builds of tqueue.ko cannot share one boot, so boots
# alternate between the default build, events compiled in and disabled (A),
# and a TQ_NOTRACE=1 build, compiled out (B): A B A B ..., then one boot of
# A with the events enabled (E). TQ_BENCH_TRACE=0 skips it;
# TQ_BENCH_TRACE_PAIRS (default 5) A/B pairs; TQ_BENCH_TRACE_ARGS (default
# "only=cost+immediate+batch+tput,rounds=21") tq_bench.ko's parameters.
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# A build directory of its own: `make check` may be running in build/.
TQ_BUILD="$TQ_TOP/build/bench"
TQ_LOGS="$TQ_BUILD/logs"

# tq_bench_target NAME -> the target of a BENCH line, as "op value" (or "")
tq_bench_target() {
	case "$1" in
	aa-*) printf 'control' ;;
	immediate64-p50) printf 'ratio<=0.667' ;;
	immediate64-p99) printf 'none' ;;
	tput-2own-scaling) printf 'tqueue>=1500' ;;
	tput-*) printf 'ratio>=0.909' ;;
	idle-expiries) printf 'tqueue==0' ;;
	unload-drain) printf 'none' ;;
	*) printf 'ratio<=1.10' ;;
	esac
}

# tq_bench_verdict TARGET TQ RATIO -> met / MISSED / -
tq_bench_verdict() {
	awk -v t="$1" -v v="$2" -v r="$3" 'BEGIN {
		ok = -1
		if (t == "ratio<=1.10") ok = (r + 0 <= 1.10)
		else if (t == "ratio<=0.667") ok = (r + 0 <= 0.667)
		else if (t == "ratio>=0.909") ok = (r + 0 >= 0.909)
		else if (t == "tqueue>=1500") ok = (v + 0 >= 1500)
		else if (t == "tqueue==0") ok = (v + 0 == 0)
		print ok < 0 ? "-" : ok ? "met" : "MISSED"
	}'
}

# tq_bench_target_text TARGET -> human-readable target
tq_bench_target_text() {
	case "$1" in
	control) printf 'A/A control (raw vs raw): noise floor' ;;
	none) printf 'none (informative)' ;;
	'tqueue>=1500') printf '2 own queues >= 1.5x one producer' ;;
	'ratio<=0.667') printf 'tqueue at least 1.5x faster' ;;
	'ratio>=0.909') printf 'tqueue/raw >= 0.91 (cost <= 1.10x)' ;;
	'tqueue==0') printf '0 expiries' ;;
	'ratio<=1.10') printf 'tqueue/raw <= 1.10' ;;
	esac
}

# tq_bench_field BENCHFILE NAME FIELD -> one field (tqueue, raw, ratio) of a line
tq_bench_field() {
	sed -n "s/^BENCH $2 .*$3=\([^ ]*\).*/\1/p" "$1" | head -n1
}

# tq_bench_why BENCHFILE NAME -> why a target is missed (indented rst)
tq_bench_why() {
	local in="$1" name="$2" aa tq raw
	aa="$(tq_bench_field "$in" "aa-$name" ratio)"
	tq="$(tq_bench_field "$in" "$name" tqueue)"
	raw="$(tq_bench_field "$in" "$name" raw)"
	case "$name" in
	immediate-*)
		cat <<EOF
  Before the routine starts, tqueue's path does what 2.4's API asks for on
  top of the raw \`\`queue_work(system_bh_wq)\`\`: \`\`queue_task()\`\` (an
  exported call: a test_and_set_bit() and the queue's lock), \`\`mark_bh()\`\`,
  then in the bottom half the tq_timer/tq_immediate serialization lock
  (2.4's BH serialization), the run's busy record (linked on a per-CPU
  list, then the task published in it under that list's lock) and the pop
  under the queue's lock: $((tq - raw)) ns here (A/A control ratio of this
  line: ${aa:-n/a}). The busy record is what lets cancel and the unload
  purge find a running routine wherever it runs
  (Documentation/bench-profile.rst has the costs of each step).
EOF
		;;
	scheduler-*)
		cat <<EOF
  The wake-up of a kthread dominates this latency (tens of microseconds under
  TCG), and the A/A control of the same line is ${aa:-n/a}: the difference is
  within the noise of this machine, p99 in particular (A/A p99 ratios on this
  host range over +-40 % from round to round). Before its own
  \`\`kthread_queue_work()\`\`, the raw side's only step, tqueue links the
  task under the queue's lock; the keventd thread then pops it under that
  lock again.
EOF
		;;
	tput-2own-scaling)
		cat <<EOF
  Two producers on their own queues reach $tq/1000 of one producer with
  tqueue and $raw/1000 with the raw queue: the raw primitive does not scale
  to 1.5x on this machine either, so the limit is the platform (two TCG vCPU
  threads on a two-core host that also runs other QEMU guests; load average
  $TQ_BENCH_LOAD at the start), not tqueue, whose scaling is
  $(tq_bench_field "$in" "$name" ratio) of the raw queue's. The queues and each producer's
  tasks are on cache lines of their own. Rerun on an idle host, or with
  TQ_ACCEL=kvm, to measure the real scaling.
EOF
		;;
	tput-*)
		cat <<EOF
  Per task, the raw queue costs one lock round trip in queueing; its run
  splices the whole list out under one lock, as 2.4's
  \`\`run_task_queue()\`\` did, then clears each pending bit and calls the
  routine. tqueue's run does more per task (src/run.c): it pops the task
  under the queue's lock, publishes it in the run's busy record under that
  record's lock, and clears the pending bit with a fully ordered
  cmpxchg(). That is what lets \`\`cancel_task_sync()\`\` take a task off the
  queue up to the moment it runs and wait for it wherever it runs, with
  every ordering step proven by a litmus test (tests/lkmm/). With an empty
  routine this is the ratio measured here (A/A control of tput-1prod:
  $(tq_bench_field "$in" aa-tput-1prod ratio)); with a routine that does
  real work it moves towards 1.
EOF
		;;
	timer-*)
		cat <<EOF
  tq_timer is a soft hrtimer that, when it expires in the jiffy of the last
  run, re-arms for a quarter tick instead of running the queue (the jiffy
  guard of src/timer.c). timer-wakeups counts
  $(tq_bench_field "$in" timer-wakeups tqueue) expiries/s for $(tq_bench_field "$in" timer-wakeups raw) ticks/s: a few per cent of the expiries take
  that detour, most likely after a run that the (TCG-delayed) softirq started
  late, so the period that follows is up to a quarter tick longer; the raw
  hrtimer has no such guard. The mean period is unaffected
  (timer-period-mean). A per-round p99 over $(sed -n 's/.*periods=\([0-9]*\).*/\1/p' "$in" | head -n1) periods is its largest
  value, which makes this line noisy: its A/A control is ${aa:-n/a},
  and five runs on the development host gave ratios from 0.88 to 1.99.
EOF
		;;
	*)
		printf '  No explanation recorded for this line.\n'
		;;
	esac
}

# tq_bench_rst BENCHFILE FLAVOUR OUT.rst PNGNAME
tq_bench_rst() {
	local in="$1" fl="$2" out="$3" png="$4" name tq raw unit ratio t info missed why lastwhy
	info="$(sed -n 's/^BENCHINFO start //p' "$in" | head -n1)"
	# The host's load when the run started (saved with the run's output).
	TQ_BENCH_LOAD="$(sed -n 's/^BENCHHOST load //p' "$in" | head -n1)"
	TQ_BENCH_LOAD="${TQ_BENCH_LOAD:-unknown}"
	{
		printf '.. SPDX-License-Identifier: GPL-2.0\n\n'
		printf '=====================================\n'
		printf 'tqueue against the raw primitives\n'
		printf '=====================================\n\n'
		printf 'Generated by ``make bench`` (``tools/bench.sh``); regenerate rather than\n'
		printf 'edit. ``tests/bench/tq_bench_main.c`` measures every pair in one boot.\n\n'
		printf ':Date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
		printf ':Kernel: %s (%s), QEMU %s, %s vCPUs, %s RAM\n' "$fl" \
			"$(tq_kinfo "$fl" KREL)" "$TQ_ACCEL" "$TQ_QEMU_SMP" "$TQ_QEMU_MEM"
		printf ':Command: ``make bench``%s%s\n' "${TQ_BENCH_ARGS:+ (TQ_BENCH_ARGS=$TQ_BENCH_ARGS)}" \
			"$([[ "${TQ_PERF:-0}" == 1 ]] && printf ' under perf record (TQ_PERF=1)')"
		printf ':Parameters: ``%s``\n' "${info:-unknown}"
		printf ':Host: %s, %s CPUs, load average %s at the start\n\n' \
			"$(uname -m)" "$(nproc)" "$TQ_BENCH_LOAD"
		printf 'Method\n======\n\n'
		cat <<'EOF'
Each pair is measured in interleaved rounds inside one boot (the order of
the sides rotates from round to round). A line reports, for each side, the
median over the rounds of the per-round value (p50, p99, mean, tasks/s) and,
as ``ratio``, the **median of the per-round ratios** tqueue/raw. The
``aa-*`` lines are the A/A control: the raw side measured twice (the
``tqueue`` column is the second raw run); their distance from 1.000 is the
noise floor of the machine. Latency is ``ktime_get_ns()`` at queueing
against ``ktime_get_ns()`` at the start of the routine.

- ``immediate``: ``queue_task(tq_immediate)`` + ``mark_bh(IMMEDIATE_BH)``
  against ``queue_work(system_bh_wq)`` (a tasklet on 6.1), both issued
  under ``local_bh_disable()`` so that the bottom half runs at
  ``local_bh_enable()`` on the same CPU.
- ``immediate64``: 64 tasks on ``tq_immediate`` and one
  ``mark_bh(IMMEDIATE_BH)`` against 64 ``queue_work(system_bh_wq)`` items
  (tasklets on 6.1), all issued under ``local_bh_disable()``; time until the
  last routine ran.
- ``scheduler``: ``schedule_task()`` against ``kthread_queue_work()`` on a
  dedicated ``kthread_worker``; 100-200 us pause before each sample so that
  each sample includes a wake-up.
- ``tput-*``: kthreads bound to CPU 0 (and 1) loop for a fixed time over
  ``queue_task()`` of 32 tasks + ``run_task_queue()`` on custom queues,
  against a FIFO under a raw spinlock with the same pending bit, run by
  splicing the whole list out under one lock round trip (2.4's own
  ``run_task_queue()`` design). ``tput-2own-scaling`` is two producers on
  their own queues over one producer (thousandths).
- ``timer-*``: a task requeueing itself on ``tq_timer`` against a soft
  ``hrtimer`` forwarded by ``TICK_NSEC`` each expiry; jitter is
  ``|period - TICK_NSEC|``.
- ``idle-expiries``: ``tq_timer_expiries()`` over the idle window with every
  queue empty; ``timer-wakeups``: expiries per second with one task on
  ``tq_timer`` against 2.4's one check per tick (``HZ``).
- ``unload-drain``: ``tq_purge_module(THIS_MODULE)`` with the tasks pending on
  ``tq_disk``, against one pass of the same match over a raw-locked list.

EOF
		printf 'Results\n=======\n\n'
		printf '.. list-table::\n   :header-rows: 1\n\n'
		printf '   * - benchmark\n     - tqueue\n     - raw\n     - unit\n     - ratio\n     - target\n     - verdict\n'
		while read -r name tq raw unit ratio; do
			t="$(tq_bench_target "$name")"
			printf '   * - ``%s``\n     - %s\n     - %s\n     - %s\n     - %s\n     - %s\n     - %s\n' \
				"$name" "$tq" "$raw" "$unit" "$ratio" "$(tq_bench_target_text "$t")" \
				"$(tq_bench_verdict "$t" "$tq" "$ratio")"
		done < <(sed -n 's/^BENCH \([^ ]*\) tqueue=\([^ ]*\) raw=\([^ ]*\) unit=\([^ ]*\) ratio=\([^ ]*\).*/\1 \2 \3 \4 \5/p' "$in")
		printf '\nThe raw BENCH lines::\n\n'
		grep '^BENCH ' "$in" | sed 's/^/    /'
		if grep -q '^BENCHCOST ' "$in"; then
			printf '\nPrimitive costs\n===============\n\n'
			printf 'What the primitives the paths above are made of cost in this guest\n'
			printf '(``tests/bench/tq_bench_cost.c``: a loop with preemption off, the empty\n'
			printf "loop's time subtracted, median over the rounds), ns per operation::\n\n"
			sed -n 's/^BENCHCOST \([^ ]*\) ns=\([^ ]*\)/\2 \1/p' "$in" |
				awk '{ printf "    %8s  %s\n", $1, $2 }'
		fi
		printf '\nLatency distributions\n=====================\n\n'
		printf '.. image:: %s\n   :alt: latency distributions, tqueue against raw\n\n' "$png"
		printf 'All samples of all rounds; latency buckets are an eighth of an octave, period\nbuckets a 64th.\n\n'
		printf 'Targets missed\n==============\n\n'
		printf 'Generated from this run. Documentation/bench-profile.rst has the profile\n'
		printf 'behind these notes and what was changed in the core because of it.\n\n'
		missed=0
		lastwhy=""
		while read -r name tq raw unit ratio; do
			t="$(tq_bench_target "$name")"
			[[ "$(tq_bench_verdict "$t" "$tq" "$ratio")" == MISSED ]] || continue
			missed=$((missed + 1))
			printf -- '- ``%s``: tqueue=%s raw=%s %s, ratio %s (target: %s).\n\n' \
				"$name" "$tq" "$raw" "$unit" "$ratio" "$(tq_bench_target_text "$t")"
			why="$(tq_bench_why "$in" "$name")"
			# One explanation per cause; the numbers above are per line.
			if [[ "$why" == "$lastwhy" || "${why//[0-9]/}" == "${lastwhy//[0-9]/}" ]]; then
				printf '  Same cause as the line above.\n\n'
			else
				printf '%s\n\n' "$why"
			fi
			lastwhy="$why"
		done < <(sed -n 's/^BENCH \([^ ]*\) tqueue=\([^ ]*\) raw=\([^ ]*\) unit=\([^ ]*\) ratio=\([^ ]*\).*/\1 \2 \3 \4 \5/p' "$in")
		((missed)) || printf 'None.\n'
	} >"$out"
}

# tq_bench_plot BENCHFILE OUT.png
tq_bench_plot() {
	local in="$1" out="$2" dir n side plots name
	dir="$(mktemp -d "${TMPDIR:-/tmp}/tqueue-bench.XXXXXX")"
	# One data file per (name, side): bucket in us, fraction of samples.
	awk -v d="$dir" '$1 == "BENCHHIST" { n[$2 " " $3] += $5; c[$2 " " $3, $4] = $5; k[$2 " " $3] = k[$2 " " $3] " " $4 }
		END { for (s in k) { split(k[s], b, " "); split(s, ns, " ");
			f = d "/" ns[1] "." ns[2] ".dat"
			for (i = 1; i in b; i++) printf "%.3f %.5f\n", b[i] / 1000, c[s, b[i]] / n[s] >f
			close(f) } }' "$in"
	{
		printf 'set terminal pngcairo size 1200,1000 font ",10"\n' 2>/dev/null
		printf 'set output "%s"\n' "$out"
		printf 'set multiplot layout 3,1 title "tqueue vs raw kernel primitives (%s, QEMU %s)"\n' "$TQ_BENCH_FL" "$TQ_ACCEL"
		printf 'set termoption noenhanced\nset grid\nset key top right\nset ylabel "fraction of samples"\n'
		printf 'set offsets graph 0, graph 0, graph 0.1, graph 0\n'
		for n in immediate scheduler timer-period; do
			case "$n" in
			immediate) printf 'set logscale x\nset title "immediate: queue_task(tq_immediate)+mark_bh vs queue_work(system_bh_wq), start latency"\nset xlabel "latency (us)"\n' ;;
			scheduler) printf 'set title "scheduler: schedule_task vs kthread_queue_work, start latency"\nset xlabel "latency (us)"\n' ;;
			timer-period) printf 'unset logscale x\nset logscale y\nset xrange [2000:8000]\nset offsets 0, 0, 0, 0\nset ylabel "fraction of samples (log)"\nset title "tq_timer self-requeueing task vs raw hrtimer, period"\nset xlabel "period (us)"\n' ;;
			esac
			plots=()
			for side in tqueue raw aa; do
				[[ -s "$dir/$n.$side.dat" ]] || continue
				name="$side"
				[[ "$side" == aa ]] && name="raw (A/A control run)"
				plots+=("\"$dir/$n.$side.dat\" using 1:2 with steps lw 2 title \"$name\"")
			done
			if ((${#plots[@]})); then
				printf 'plot %s\n' "$(IFS=,; printf '%s' "${plots[*]}")"
			fi
		done
		printf 'unset multiplot\n'
	} >"$dir/plot.gp"
	if ! gnuplot "$dir/plot.gp" 2>"$dir/gnuplot.err"; then
		sed -i 's/^set terminal pngcairo.*/set terminal png size 1200,1000/' "$dir/plot.gp"
		gnuplot "$dir/plot.gp" || { rm -rf "$dir"; return 1; }
	fi
	rm -rf "$dir"
}

# The numbers the trace-cost boots compare, "metric better unit" per line
# (better: lower or higher): BENCH ratios (tqueue/raw within one boot, so
# that the speed of a boot cancels) and the BENCHCOST of tqueue's own fast
# path.
TQ_BENCH_TRACE_METRICS="cost:queue_task+run_task_queue lower ns
ratio:immediate-p50 lower tqueue/raw
ratio:immediate64-p50 lower tqueue/raw
ratio:tput-1prod higher tqueue/raw
ratio:tput-2prod-own higher tqueue/raw"

# tq_bench_metric BENCHFILE METRIC -> its value in one boot's bench section
tq_bench_metric() {
	case "$2" in
	cost:*) sed -n "s/^BENCHCOST ${2#cost:} ns=\([^ ]*\).*/\1/p" "$1" | head -n1 ;;
	ratio:*) tq_bench_field "$1" "${2#ratio:}" ratio ;;
	esac
}

# tq_bench_trace_row METRIC BETTER UNIT "A values" "B values" E -> one
# table row; the verdict compares |B/A - 1| with the A/A control's spread
# (BETTER: whether lower or higher values are faster)
tq_bench_trace_row() {
	awk -v m="$1 ($3, $2 is better)" -v a="$4" -v b="$5" -v e="$6" -v lower="$([[ "$2" == lower ]] && echo 1 || echo 0)" '
		function med(s, v, n, i, j, t) {
			n = split(s, v, " ")
			for (i = 1; i <= n; i++)
				for (j = i + 1; j <= n; j++)
					if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
			return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		}
		BEGIN {
			ma = med(a); mb = med(b)
			n = split(a, av, " "); lo = av[1]; hi = av[1]
			for (i = 2; i <= n; i++) {
				if (av[i] + 0 < lo + 0) lo = av[i]
				if (av[i] + 0 > hi + 0) hi = av[i]
			}
			r = ma ? mb / ma : 0
			c = lo ? hi / lo : 0
			d = r > 1 ? r - 1 : 1 - r
			v = d <= c - 1 ? "within the control" : (r < 1) == lower ? "B faster" : "B slower"
			printf "   * - ``%s``\n     - %s\n     - %s\n     - %.3f\n     - %.3f\n     - %s\n     - %s, %.3f\n",
				m, a, b, r, c, v, e, ma ? e / ma : 0
		}'
}

# tq_bench_trace FLAVOUR OUT.rst: the trace-cost boots and their report
tq_bench_trace() {
	local fl="$1" out="$2" pairs="${TQ_BENCH_TRACE_PAIRS:-5}" args dirB log
	local i v sec seq=() kmake
	args="${TQ_BENCH_TRACE_ARGS:-only=cost+immediate+batch+tput,rounds=21}"
	dirB="$TQ_BUILD/$fl-notrace"
	log="$TQ_LOGS/modules-$fl-notrace.log"
	rm -rf "$dirB"
	mkdir -p "$dirB"
	tq_copy_sources "$dirB"
	read -r -a kmake <<<"$(tq_kinfo "$fl" KMAKE)"
	tq_make_modules "$(tq_kinfo "$fl" KDIR)" "$dirB" "${kmake[@]}" TQ_NOTRACE=1 >"$log" 2>&1 ||
		tq_die "$fl: the TQ_NOTRACE=1 build failed; log: $log"
	for ((i = 1; i <= pairs; i++)); do
		seq+=("A$i" "B$i")
	done
	seq+=(E1)
	for v in "${seq[@]}"; do
		case "$v" in
		A*) tq_boot "$fl" bench "tqh.bench=$args" ;;
		B*) tq_boot "$fl" bench "tqh.bench=$args" "$dirB" ;;
		E*) tq_boot "$fl" bench "tqh.bench=$args tqh.trace=1" ;;
		esac
		sec="$TQ_LOGS/bench-trace-$fl-$v.txt"
		tq_section "$(tq_console "$fl" bench)" bench >"$sec"
		grep -q '^BENCH ' "$sec" || tq_die "$fl: trace-cost boot $v: no BENCH lines; $sec"
		[[ "$v" != E* ]] || grep -q '^BENCHINFO trace events=on' "$sec" ||
			tq_die "$fl: trace-cost boot $v: the events were not enabled; $sec"
	done
	printf 'seq=%s\nargs=%s\ndate=%s\n' "${seq[*]}" "$args" "$(date -u '+%Y-%m-%d %H:%M UTC')" \
		>"$TQ_LOGS/bench-trace-$fl.meta"
	tq_bench_trace_report "$fl" "$out"
}

# tq_bench_trace_report FLAVOUR OUT.rst: the report of the trace-cost boots
# saved in build/bench/logs (bench-trace-FLAVOUR.meta and one section each)
tq_bench_trace_report() {
	local fl="$1" out="$2" meta="$TQ_LOGS/bench-trace-$1.meta" seq=() args date
	local v line val a b e metric better unit
	[[ -s "$meta" ]] || tq_die "no $meta: run make bench first"
	read -r -a seq <<<"$(sed -n 's/^seq=//p' "$meta")"
	args="$(sed -n 's/^args=//p' "$meta")"
	date="$(sed -n 's/^date=//p' "$meta")"
	{
		cat <<EOF
.. SPDX-License-Identifier: GPL-2.0

==============================
The cost of the tracepoints
==============================

Generated by \`\`make bench\`\` (\`\`tools/bench.sh\`\`, \`\`tq_bench_trace\`\`);
regenerate rather than edit.

:Date: $date
:Kernel: $fl ($(tq_kinfo "$fl" KREL)), QEMU $TQ_ACCEL
:Command: \`\`make bench\`\`
:Boots: ${seq[*]}, tq_bench.ko \`\`${args//,/ }\`\`

Two builds of \`\`tqueue.ko\`\` cannot share a boot, so the boots alternate:
**A** is the default build, its tracepoints compiled in and disabled;
**B** is built with \`\`TQ_NOTRACE=1\`\`, which compiles them out
(\`\`NOTRACE\`\`, \`\`include/linux/tracepoint.h\`\`); **E** is the default
build with every tqueue event enabled (\`\`events/tqueue/enable\`\`). Each
boot measures tqueue against the raw primitives in interleaved rounds
(Documentation/bench.rst). The ratios are tqueue/raw within one boot, so a
boot that runs slower as a whole cancels out; the \`\`cost:\`\` line is one
\`\`queue_task()\`\` + \`\`run_task_queue()\`\` of one task on a caller's queue,
in ns. The A/A control is the spread of the A boots, max/min: a B/A
difference inside it is noise. A difference outside it with **B** the
slower cannot be what the disabled events cost (B has none of their code):
it is how the two binaries' code happens to lie for QEMU's translator, the
noise that one binary's A/A control cannot show. The statistics are
counted in every build.

.. list-table::
   :header-rows: 1

   * - metric
     - A (compiled in, disabled)
     - B (compiled out)
     - median B / median A
     - A/A control (max/min of A)
     - B against A
     - E (enabled), E / median A
EOF
		while IFS= read -r line; do
			a=""
			b=""
			e=""
			for v in "${seq[@]}"; do
				val="$(tq_bench_metric "$TQ_LOGS/bench-trace-$fl-$v.txt" "${line%% *}")"
				case "$v" in
				A*) a+="${a:+ }${val:-nan}" ;;
				B*) b+="${b:+ }${val:-nan}" ;;
				E*) e="${val:-nan}" ;;
				esac
			done
			read -r metric better unit <<<"$line"
			tq_bench_trace_row "$metric" "$better" "$unit" "$a" "$b" "$e"
		done <<<"$TQ_BENCH_TRACE_METRICS"
		printf '\nThe bench sections of the boots: ``build/bench/logs/bench-trace-%s-*.txt``.\n' "$fl"
	} >"$out"
	tq_info "wrote $out (boots: ${seq[*]})"
}

# tq_bench_report BENCHFILE FLAVOUR OUTDIR: print, write the .rst and .png
tq_bench_report() {
	local sec="$1" fl="$2" out="$3"
	grep -E '^BENCH(INFO)? ' "$sec"
	mkdir -p "$out"
	tq_bench_rst "$sec" "$fl" "$out/bench.rst" bench-latency.png
	tq_bench_plot "$sec" "$out/bench-latency.png" ||
		tq_warn "gnuplot failed: no $out/bench-latency.png"
	tq_info "wrote $out/bench.rst and $out/bench-latency.png (raw output: $sec)"
}

main() {
	local fl console out sec append profile=""
	fl="${TQ_KERNELS:-stock-6.12}"
	fl="${fl%% *}"
	tq_fl_valid "$fl" || exit 2
	TQ_BENCH_FL="$fl"
	TQ_BENCH_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
	out="${TQ_BENCH_OUT:-$TQ_TOP/Documentation}"
	tq_setup
	[[ "$(tq_fl "$fl" kind)" == stock ]] || tq_warn "$fl: benchmarks are meant for the stock kernels"
	tq_kernel "$fl" || exit 1
	if [[ -n "${TQ_BENCH_FROM:-}" ]]; then
		# Regenerate the report from an earlier run's bench section.
		sec="$TQ_BENCH_FROM"
		[[ -s "$sec" ]] || tq_die "TQ_BENCH_FROM=$sec: no such file"
		tq_bench_report "$sec" "$fl" "$out"
		if [[ -s "$TQ_LOGS/bench-trace-$fl.meta" ]]; then
			tq_bench_trace_report "$fl" "$out/bench-trace.rst"
		fi
		return 0
	fi
	tq_build_modules "$fl" || tq_die "$fl: module build failed (rc=$?); log: $(tq_mod_log "$fl")"
	[[ -f "$TQ_BUILD/$fl/tests/bench/tq_bench.ko" ]] || tq_die "$fl: tq_bench.ko was not built; log: $(tq_mod_log "$fl")"

	append="${TQ_BENCH_ARGS:+tqh.bench=$TQ_BENCH_ARGS}"
	if [[ "${TQ_PERF:-0}" == 1 ]]; then
		append+="${append:+ }tqh.perf=1${TQ_PERF_FREQ:+ tqh.perf_freq=$TQ_PERF_FREQ}"
	fi
	tq_boot "$fl" bench "$append"
	console="$(tq_console "$fl" bench)"

	sec="$TQ_LOGS/bench-$fl.txt"
	tq_section "$console" bench >"$sec"
	printf 'BENCHHOST load %s\n' "$TQ_BENCH_LOAD" >>"$sec"
	if [[ "${TQ_PERF:-0}" == 1 ]]; then
		profile="$TQ_LOGS/perf-$fl.txt"
		tq_section "$console" perf >"$profile"
		if [[ ! -s "$profile" ]]; then
			tq_warn "$fl: TQ_PERF=1 but no perf report in $console"
			profile=""
		elif [[ "$(tq_section_rc "$console" perf)" != 0 ]]; then
			tq_warn "$fl: perf report failed (rc=$(tq_section_rc "$console" perf)); see $profile"
		fi
	fi
	if ! grep -q '^BENCH ' "$sec"; then
		tq_warn "$fl: no BENCH lines (insmod rc=$(tq_section_rc "$console" bench)); $(tq_unfinished_reason "$console")"
		[[ -z "$profile" ]] || tq_info "profile: $profile"
		exit 1
	fi
	if ! tq_splat_scan "$console" "$TQ_LOGS/$fl-bench-splat" "$fl"; then
		tq_warn "$fl: kernel splat during the benchmark:"
		tq_excerpt "$TQ_LOGS/$fl-bench-splat.unexpected" 20
	fi
	tq_bench_report "$sec" "$fl" "$out"
	if [[ -n "$profile" ]]; then
		tq_info "profile: $profile"
	fi
	if [[ "${TQ_BENCH_TRACE:-1}" != 0 && "${TQ_PERF:-0}" != 1 ]]; then
		tq_bench_trace "$fl" "$out/bench-trace.rst"
	fi
}

main "$@"
