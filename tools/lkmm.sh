# SPDX-License-Identifier: GPL-2.0
#
# LKMM litmus tests, run once: every tests/lkmm/*.litmus goes through herd7
# with the Linux-kernel memory model of the extracted $TQ_TOOLS_FLAVOUR
# source tree (TQ_KUNIT_TREE/tools/memory-model) and counts as one case:
# herd7's "Observation" verdict must be the one the file declares on a line
# of its own, "(* Verdict: Never *)" (or Sometimes, Always).
#
# herd7 is herd7 from PATH, else one built from the herdtools7 source
# tarball TQ_HERD7_TARBALL and cached (tools/config.sh pins its SHA-256):
#   herd7-<sha256 prefix>/bin/herd7                  the binary
#   herd7-<sha256 prefix>/share/herdtools7/herd/     its libdir (herd/libdir)
# The entry is built in a .tmp-* sibling and renamed only when complete.
# Without either, every case is skipped.
# shellcheck shell=bash

# shellcheck source=tools/lkmm-link.sh
. "$(dirname "${BASH_SOURCE[0]}")/lkmm-link.sh"

# Build herd7 from TQ_HERD7_TARBALL into the cache entry DEST; run in a
# subshell (its EXIT trap removes the build tree).
tq_herd7_build() {
	local dest="$1" log="$2" tmp src
	tmp="$(mktemp -d "$TQ_CACHE/.tmp-herd7.XXXXXX")"
	# shellcheck disable=SC2064 # expand $tmp now
	trap "rm -rf '$tmp'" EXIT
	tar -C "$tmp" -xJf "$TQ_HERD7_TARBALL" || return 1
	src="$tmp/herdtools7-$TQ_HERD7_VER"
	[[ -f "$src/version-gen.sh" ]] || {
		echo "$TQ_HERD7_TARBALL has no herdtools7-$TQ_HERD7_VER/version-gen.sh" >"$log"
		return 1
	}
	# The libdir compiled in is DEST's, as herdtools7's dune-install.sh
	# lays it out: the binary works without -I too.
	(cd "$src" && sh ./version-gen.sh "$dest" &&
		dune build -j "$TQ_JOBS" --profile release _build/install/default/bin/herd7) >"$log" 2>&1 ||
		return 1
	mkdir -p "$tmp/out/bin" "$tmp/out/share/herdtools7"
	cp -L "$src/_build/install/default/bin/herd7" "$tmp/out/bin/herd7"
	cp -a "$src/herd/libdir" "$tmp/out/share/herdtools7/herd"
	"$tmp/out/bin/herd7" -version >>"$log" 2>&1 || return 1
	touch "$tmp/out/.tqueue-complete"
	mv "$tmp/out" "$dest"
}

# tq_herd7 -> sets TQ_HERD7 (the binary) and TQ_HERD7_ARGS (its -I option);
# returns 1 if there is no herd7 and nothing to build it from, 2 if getting
# it failed (TQ_HERD7_WHY says why).
tq_herd7() {
	local dest sum t log rc=0 pkg missing=()
	TQ_HERD7=""
	TQ_HERD7_ARGS=()
	TQ_HERD7_WHY=""
	if TQ_HERD7="$(command -v herd7)"; then
		tq_step_done "$(tq_now)" "herd7 (from PATH: $TQ_HERD7)"
		return 0
	fi
	dest="$TQ_CACHE/herd7-${TQ_HERD7_SHA256:0:12}"
	if [[ ! -f "$dest/.tqueue-complete" ]]; then
		[[ -n "${TQ_HERD7_TARBALL:-}" && -f "$TQ_HERD7_TARBALL" ]] || return 1
		sum="$(sha256sum "$TQ_HERD7_TARBALL")"
		sum="${sum%% *}"
		if [[ "$sum" != "$TQ_HERD7_SHA256" ]]; then
			TQ_HERD7_WHY="$TQ_HERD7_TARBALL has SHA-256 $sum, tools/config.sh pins TQ_HERD7_SHA256=$TQ_HERD7_SHA256 (herdtools7 $TQ_HERD7_VER)"
			return 2
		fi
		# shellcheck disable=SC2153 # a word list from tools/config.sh
		for pkg in $TQ_HERD7_PKGS; do
			tq_pkg_ok "$pkg" || missing+=("$pkg")
		done
		if ((${#missing[@]} > 0)) && ! tq_apt_install "${missing[@]}"; then
			TQ_HERD7_WHY="could not install the packages herd7 builds with: ${missing[*]}"
			return 2
		fi
		log="$TQ_LOGS/herd7-build.log"
		t="$(tq_now)"
		tq_info "building herd7 $TQ_HERD7_VER from $TQ_HERD7_TARBALL (a few CPU-minutes); log: $log"
		tq_cache_lock herd7
		if [[ ! -f "$dest/.tqueue-complete" ]]; then
			rm -rf "$dest"
			(tq_herd7_build "$dest" "$log") || rc=$?
		fi
		tq_cache_unlock
		if ((rc != 0)); then
			TQ_HERD7_WHY="building herd7 failed; log: $log"
			return 2
		fi
		tq_step_done "$t" "build herd7 $TQ_HERD7_VER -> $dest"
	else
		tq_step_done "$(tq_now)" "herd7 $TQ_HERD7_VER (cached: $dest)"
	fi
	TQ_HERD7="$dest/bin/herd7"
	TQ_HERD7_ARGS=(-I "$dest/share/herdtools7/herd")
}

# The verdict FILE declares: its "(* Verdict: X *)" lines' X, one a line.
tq_lkmm_declared() {
	sed -n 's/^(\* Verdict: \([A-Za-z]*\) \*)[[:space:]]*$/\1/p' "$1"
}

tq_lkmm_checks() {
	local t0 t f files=() mm out="$TQ_LOGS/lkmm" log want got hrc rc=0 bad=0
	t0="$(tq_now)"
	for f in "$TQ_TOP"/tests/lkmm/*.litmus; do
		[[ -f "$f" ]] && files+=("tests/lkmm/${f##*/}")
	done
	if ((${#files[@]} == 0)); then
		tq_skip "lkmm (no tests/lkmm/*.litmus yet)"
		return 0
	fi
	# The link between the tests and src/ needs no herd7.
	tq_lkmm_link_checks
	tq_herd7 || rc=$?
	if ((rc != 0)); then
		if ((rc == 2)); then
			tq_fail "lkmm: herd7" "$TQ_HERD7_WHY"
			[[ -f "$TQ_LOGS/herd7-build.log" ]] && tq_excerpt "$TQ_LOGS/herd7-build.log" 10
		fi
		for f in "${files[@]}"; do
			tq_skip "lkmm $f (no herd7)"
		done
		((rc == 2)) ||
			tq_info "  lkmm: no herd7 on PATH and no herdtools7 tarball at TQ_HERD7_TARBALL=${TQ_HERD7_TARBALL:-(unset)}: put herd7 on PATH, or point TQ_HERD7_TARBALL at herdtools7-$TQ_HERD7_VER.tar.xz (SHA-256 in tools/config.sh) to have it built"
		return 0
	fi
	mm="$TQ_KUNIT_TREE/tools/memory-model"
	if [[ ! -f "$mm/linux-kernel.cfg" ]]; then
		tq_fail "lkmm" "no memory model at $mm"
		return 0
	fi
	rm -rf "$out"
	mkdir -p "$out"
	for f in "${files[@]}"; do
		t="$(tq_now)"
		log="$out/$(basename "$f" .litmus).log"
		want="$(tq_lkmm_declared "$TQ_TOP/$f")"
		hrc=0
		(cd "$mm" && timeout 300 "$TQ_HERD7" "${TQ_HERD7_ARGS[@]}" -conf linux-kernel.cfg "$TQ_TOP/$f") \
			>"$log" 2>&1 || hrc=$?
		got="$(awk '$1 == "Observation" { print $3 }' "$log")"
		if [[ ! "$want" =~ ^(Never|Sometimes|Always)$ ]]; then
			bad=$((bad + 1))
			tq_fail "lkmm $f" "needs exactly one line (* Verdict: Never *) (or Sometimes, Always); herd7: ${got:-none}"
		elif [[ ! "$got" =~ ^(Never|Sometimes|Always)$ ]]; then
			bad=$((bad + 1))
			tq_fail "lkmm $f" "herd7 gave no verdict (rc=$hrc), declared $want; log: $log"
			tq_excerpt "$log" 5
		elif [[ "$got" != "$want" ]]; then
			bad=$((bad + 1))
			tq_fail "lkmm $f" "herd7: $got, declared: $want; log: $log"
		else
			tq_pass
		fi
		tq_step_done "$t" "lkmm $f: herd7 ${got:-none}, declared ${want:-none}"
	done
	tq_step_done "$t0" "lkmm: ${#files[@]} litmus test(s), $bad failed -> $out/"
}
