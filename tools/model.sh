# SPDX-License-Identifier: GPL-2.0
#
# The protocol model, run once: tests/model/tqueue.pml (Promela) through
# spin, exhaustively (no bitstate hashing; -DCOLLAPSE compression). Every
# (configuration, property) pair is one spin run and one case: pan must
# report "errors: 0". Every mutation (a known defect put back, -DMUT_*) is
# one more run and case, "mutation X is caught": pan must report an error,
# whose trail is kept in the log. The .pml's header lists configurations,
# properties and mutations, and maps each C function to its Promela
# counterpart.
#
#   TQ_MODEL=0 make check                 # skip the model
#   TQ_MODEL_DEFS="-DFIX_..." make check  # extra -D flags for every run
# shellcheck shell=bash

TQ_MODEL_PML="tests/model/tqueue.pml"

# Property numbers (-DPROP=) and their names.
tq_model_prop_name() {
	case "$1" in
	1) printf 'exactly-once' ;;
	2) printf 'no-double-run' ;;
	3) printf 'cancel-sync' ;;
	4) printf 'flush' ;;
	5) printf 'purge' ;;
	6) printf 'no-deadlock' ;;
	7) printf 'progress' ;;
	8) printf 'queue-lifetime' ;;
	*) printf 'property-%s' "$1" ;;
	esac
}

# The cases, one a line: CONFIG PROPERTY [MUTATION]. A line with a mutation
# expects spin to find an error in that property.
tq_model_cases() {
	cat <<-'EOF'
		c2 1
		c2 2
		c2 3
		c2 6
		c2 7
		c3 1
		c3 2
		c3 3
		c3 6
		c3 7
		k2 1
		k2 2
		k2 3
		k2 6
		k2 7
		flush 1
		flush 4
		flush 6
		flush 7
		purge 1
		purge 5
		purge 6
		purge 7
		free 3
		free 6
		free 7
		free 8
		c2 1 CANCEL_NO_RECHECK
		c2 1 RUNNER_SKIP_ON_L
		c3 2 POP_SPLIT
		c2 3 P_BEFORE_PUBLISH
		c3 3 CANCEL_WAIT_ONCE
		flush 4 FLUSH_UNSERIALIZED
		purge 5 NO_GRACE
		purge 5 PUBLISH_AFTER_UNLOCK
		c2 6 L_WAIT_UNDER_LOCK
		k2 6 WAKE_BEFORE_CLEAR
		c2 7 L_WAIT_BEFORE_CLEAR
		free 8 NO_L_WAIT
		free 8 LOCATE_NO_L
		free 8 RUN_RELOCK
	EOF
}

# tq_model_one DIR CONFIG PROPERTY [MUTATION]: one spin run in DIR (a
# subshell job). Writes DIR/result: "errors states depth MB seconds", or
# "- <why>" when spin, gcc or pan did not get to a verdict.
tq_model_one() {
	local dir="$1" cfg="$2" prop="$3" mut="${4:-}" t defs=() cflags=() pargs=() out
	local errors states depth mem
	t="$(tq_now)"
	mkdir -p "$dir"
	cp "$TQ_TOP/$TQ_MODEL_PML" "$dir/tqueue.pml"
	defs=(-DCFG_"$cfg" -DPROP="$prop")
	[[ -n "$mut" ]] && defs+=(-DMUT_"$mut")
	# shellcheck disable=SC2206 # a word list
	defs+=(${TQ_MODEL_DEFS:-})
	# The larger state spaces pay for -O1; the rest compile faster at -O0
	# (a mutation's error is found in a few thousand states).
	cflags=(-O0)
	[[ -z "$mut" && "$cfg" =~ ^(c3|purge)$ ]] && cflags=(-O1)
	cflags+=(-w -DCOLLAPSE -DMEMLIM=2048)
	pargs=(-m100000 -w22)
	case "$prop" in
	7) pargs+=(-a -f) ;;			# LTL, weak fairness
	6) cflags+=(-DSAFETY) ;;		# assertions and invalid end states
	*) cflags+=(-DSAFETY) pargs+=(-E) ;;	# assertions only
	esac
	out="$dir/pan.out"
	{
		printf 'spin %s -a tqueue.pml\n' "${defs[*]}"
		(cd "$dir" && spin "${defs[@]}" -a tqueue.pml) 2>&1 &&
			printf 'gcc %s -o pan pan.c\n' "${cflags[*]}" &&
			(cd "$dir" && gcc "${cflags[@]}" -o pan pan.c) 2>&1
	} >"$dir/build.log" || {
		echo "- spin -a or gcc failed" >"$dir/result"
		return 0
	}
	(cd "$dir" && ./pan "${pargs[@]}") >"$out" 2>&1
	errors="$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$out" | head -n 1)"
	states="$(awk '/states, stored/ { print $1; exit }' "$out")"
	depth="$(sed -n 's/.*depth reached \([0-9]*\).*/\1/p' "$out" | head -n 1)"
	mem="$(awk '/total actual memory usage/ { printf "%.0f", $1; exit }' "$out")"
	if [[ -z "$errors" ]] || grep -q -E 'max search depth too small|reached -DMEMLIM bound|out of memory' "$out"; then
		echo "- pan did not complete its search (see $out)" >"$dir/result"
		return 0
	fi
	if ((errors > 0)); then
		# The counterexample, readable: spin replays pan's trail.
		(cd "$dir" && spin "${defs[@]}" -t -p -g tqueue.pml) >"$dir/trail.txt" 2>&1 || true
	fi
	printf '%s %s %s %s %s\n' "$errors" "${states:-?}" "${depth:-?}" "${mem:-?}" \
		"$(tq_elapsed "$t")" >"$dir/result"
}

tq_model_checks() {
	local t0 base="$TQ_BUILD/model" logs="$TQ_LOGS/model" line cfg prop mut
	local n=0 name dir res errors states depth mem secs bad=0 total=0
	local -a names=() dirs=() pids=() live=()
	t0="$(tq_now)"
	if ! command -v spin >/dev/null 2>&1 || ! command -v gcc >/dev/null 2>&1; then
		tq_fail "model" "spin or gcc not found (Debian package spin: tools/config.sh TQ_MODEL_PKGS)"
		return 0
	fi
	rm -rf "$base" "$logs"
	mkdir -p "$base" "$logs"
	# Up to TQ_JOBS runs at once; verdicts are counted in order below.
	while read -r cfg prop mut; do
		n=$((n + 1))
		name="$cfg/$(tq_model_prop_name "$prop")"
		[[ -n "$mut" ]] && name="$name: mutation $mut is caught"
		names+=("$name")
		dir="$base/$(printf '%02d' "$n")-$cfg-p$prop${mut:+-$mut}"
		dirs+=("$dir")
		while (($(tq_running "${pids[@]}") >= TQ_JOBS)); do
			read -r -a live <<<"$(tq_live "${pids[@]}")"
			wait -n "${live[@]}" || true
		done
		tq_model_one "$dir" "$cfg" "$prop" "$mut" &
		pids+=("$!")
	done < <(tq_model_cases)
	# Only these runs: check.sh may have a kernel build in the background.
	read -r -a live <<<"$(tq_live "${pids[@]}")"
	((${#live[@]} == 0)) || wait "${live[@]}" || true
	for ((n = 0; n < ${#names[@]}; n++)); do
		name="${names[n]}"
		dir="${dirs[n]}"
		line="$logs/${dir##*/}.log"
		cat "$dir/build.log" "$dir/pan.out" >"$line" 2>/dev/null || true
		[[ -f "$dir/trail.txt" ]] && { printf '\n--- trail (spin -t -p -g)\n'; cat "$dir/trail.txt"; } >>"$line"
		res="$(cat "$dir/result" 2>/dev/null || echo "- no result")"
		if [[ "$res" == -* ]]; then
			bad=$((bad + 1))
			tq_fail "model $name" "${res#- }; log: $line"
			continue
		fi
		read -r errors states depth mem secs <<<"$res"
		total=$((total + states))
		if [[ "$name" == *": mutation "* ]]; then
			if ((errors > 0)); then
				tq_pass
				printf '    %-58s error after %s states, %s MB, %ss\n' "$name" "$states" "$mem" "$secs"
			else
				bad=$((bad + 1))
				tq_fail "model $name" "spin found no error in $states states; log: $line"
			fi
		elif ((errors == 0)); then
			tq_pass
			printf '    %-58s %s states, depth %s, %s MB, %ss\n' "$name" "$states" "$depth" "$mem" "$secs"
		else
			bad=$((bad + 1))
			tq_fail "model $name" "spin found $errors error(s); trail in $line"
			grep -E '^pan:[0-9]+:' "$dir/pan.out" | head -n 1 >"$dir/why" || true
			tq_excerpt "$dir/why" 1
		fi
	done
	tq_step_done "$t0" "spin model $TQ_MODEL_PML: ${#names[@]} run(s), $bad failed, $total states -> $logs/"
}
