# SPDX-License-Identifier: GPL-2.0
#
# Kernel trees: extracted linux-source trees and debug kernels (built and
# cached outside the clone), stock kernel locations.
#
# Cache layout (${XDG_CACHE_HOME:-~/.cache}/tqueue):
#   src/linux-source-<series>-<pkgver>/          extracted source
#   kernel/<flavour>-<pkgver>-<hash>/             O= build dir (bzImage, Module.symvers)
#     (<flavour>: debug-<series>, debug-rt-<series>, kcsan-<series>; <hash>:
#     tq_debug_key, which covers the fragments, so editing one rebuilds)
# Entries are built in a .tmp-* sibling and renamed only when complete.
# shellcheck shell=bash

# Bump when the build recipe below changes in a way that changes the result.
TQ_KERNEL_RECIPE=1
TQ_FRAGMENT="$TQ_TOOLS/kconfig/debug.config"

# tq_fragments VARIANT -> the fragments merged on top of tinyconfig, in merge
# order (a later line for the same option overrides an earlier one):
# debug.config, then tools/kconfig/VARIANT.config (rt, kcsan) if VARIANT is set.
tq_fragments() {
	printf '%s\n' "$TQ_FRAGMENT"
	[[ -z "$1" ]] || printf '%s\n' "$TQ_TOOLS/kconfig/$1.config"
}

# tq_fragment_names VARIANT -> "tools/kconfig/debug.config + ..." for messages
tq_fragment_names() {
	local f out=""
	while IFS= read -r f; do
		out+="${out:+ + }${f#"$TQ_TOP/"}"
	done < <(tq_fragments "$1")
	printf '%s' "$out"
}

# Serialise work on one cache entry between concurrent harness runs.
tq_cache_lock() {
	mkdir -p "$TQ_CACHE"
	exec {TQ_LOCK_FD}>"$TQ_CACHE/.lock-$1"
	flock "$TQ_LOCK_FD"
}
tq_cache_unlock() { exec {TQ_LOCK_FD}>&-; }

tq_pkgver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null; }

# tq_src_tree SERIES -> sets TQ_SRC (extracted linux-source tree)
tq_src_tree() {
	local series="$1" pkg ver tarball dest tmp t
	pkg="$(tq_cfg SRC_PKG "$series")"
	ver="$(tq_pkgver "$pkg")" || tq_die "$pkg is not installed"
	tarball="/usr/src/$pkg.tar.xz"
	[[ -f "$tarball" ]] || tq_die "$tarball missing (reinstall $pkg)"
	dest="$TQ_CACHE/src/$pkg-$ver"
	TQ_SRC="$dest"
	[[ -f "$dest/Makefile" ]] && return 0
	tq_cache_lock "src-$series"
	if [[ ! -f "$dest/Makefile" ]]; then
		t="$(tq_now)"
		mkdir -p "$TQ_CACHE/src"
		tmp="$(mktemp -d "$TQ_CACHE/src/.tmp-$pkg.XXXXXX")"
		tar -C "$tmp" -xJf "$tarball" || { rm -rf "$tmp"; tq_die "extracting $tarball failed"; }
		[[ -f "$tmp/$pkg/Makefile" ]] || { rm -rf "$tmp"; tq_die "$tarball does not contain $pkg/Makefile"; }
		mv "$tmp/$pkg" "$dest"
		rm -rf "$tmp"
		tq_step_done "$t" "extract $pkg $ver"
	fi
	tq_cache_unlock
}

# tq_debug_key SERIES [VARIANT]: cache key of a debug kernel, everything that
# changes the resulting tree. (Without a variant it is what it was before
# variants existed, so the debug-<series> cache entries stay valid.)
tq_debug_key() {
	local series="$1" variant="${2:-}"
	{
		echo "recipe=$TQ_KERNEL_RECIPE"
		echo "src=$(tq_pkgver "$(tq_cfg SRC_PKG "$series")")"
		gcc --version | head -n1
		ld --version | head -n1
		cat "$TQ_FRAGMENT"
		if [[ -n "$variant" ]]; then
			echo "variant=$variant"
			cat "$TQ_TOOLS/kconfig/$variant.config"
		fi
	} | sha256sum | cut -c1-12
}

# tq_effective_fragment FRAGMENT... -> "file<TAB>line" for the last setting of
# each option over all fragments, in first-seen order (what merge_config.sh
# asks of kconfig).
tq_effective_fragment() {
	awk '
		match($0, /^CONFIG_[A-Za-z0-9_]+=/) { opt = substr($0, 1, RLENGTH - 1) }
		/^# CONFIG_[A-Za-z0-9_]+ is not set$/ { opt = $2 }
		opt != "" {
			if (!(opt in val)) order[n++] = opt
			val[opt] = $0
			src[opt] = FILENAME
			opt = ""
		}
		END { for (i = 0; i < n; i++) print src[order[i]] "\t" val[order[i]] }' "$@"
}

# tq_check_fragment CONFIG FLAVOUR VARIANT: check that every option of the
# fragments (the last setting of each) is in .config as written.
tq_check_fragment() {
	local config="$1" flavour="$2" variant="$3" file line opt got frags
	mapfile -t frags < <(tq_fragments "$variant")
	while IFS=$'\t' read -r file line; do
		file="${file#"$TQ_TOP/"}"
		if [[ "$line" =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
			opt="${BASH_REMATCH[1]}"
			grep -qxF -- "$line" "$config" && continue
			got="$(grep -E "^(# )?${opt}[= ]" "$config" || echo "absent")"
			tq_warn "$flavour: kernel config option $line from $file did not stick (got: $got)"
			return 1
		elif [[ "$line" =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			opt="${BASH_REMATCH[1]}"
			if grep -q "^$opt=" "$config"; then
				tq_warn "$flavour: kernel config option $opt must be unset ($file) but is: $(grep "^$opt=" "$config")"
				return 1
			fi
		fi
	done < <(tq_effective_fragment "${frags[@]}")
}

# tq_build_debug SERIES VARIANT FLAVOUR DEST LOG: configure and build into a
# temp dir, then mv.
tq_build_debug() {
	local series="$1" variant="$2" flavour="$3" dest="$4" log="$5" tmp frags
	mapfile -t frags < <(tq_fragments "$variant")
	tmp="$(mktemp -d "$(dirname "$dest")/.tmp-$(basename "$dest").XXXXXX")"
	# shellcheck disable=SC2064
	trap "rm -rf '$tmp'" EXIT
	{
		make -C "$TQ_SRC" O="$tmp" ARCH=x86_64 tinyconfig &&
			"$TQ_SRC/scripts/kconfig/merge_config.sh" -m -O "$tmp" "$tmp/.config" "${frags[@]}" &&
			make -C "$TQ_SRC" O="$tmp" ARCH=x86_64 olddefconfig
	} >"$log" 2>&1 || { tq_warn "$flavour: kernel configuration failed; log: $log"; return 1; }
	tq_check_fragment "$tmp/.config" "$flavour" "$variant" || return 1
	make -C "$TQ_SRC" O="$tmp" ARCH=x86_64 -j"$TQ_JOBS" bzImage modules >>"$log" 2>&1 ||
		{ tq_warn "$flavour: kernel build failed; log: $log"; tail -n 15 "$log" | sed 's/^/    | /' >&2; return 1; }
	[[ -f "$tmp/arch/x86/boot/bzImage" && -f "$tmp/Module.symvers" ]] ||
		{ tq_warn "$flavour: kernel build produced no bzImage/Module.symvers; log: $log"; return 1; }
	cat "${frags[@]}" >"$tmp/.tqueue-fragment.config"
	echo "$flavour $(tq_debug_key "$series" "$variant")" >"$tmp/.tqueue-complete"
	mv -T "$tmp" "$dest"
	trap - EXIT
}

# tq_kernel FLAVOUR -> sets KDIR (module build tree), KIMAGE (bzImage), KREL
tq_kernel() {
	local flavour="$1" series dest log t abi
	tq_parse_flavour "$flavour"
	series="$FL_SERIES"
	if [[ "$FL_KIND" == stock ]]; then
		abi="$(tq_cfg STOCK_ABI "$series")"
		KDIR="/usr/src/linux-headers-$abi"
		KIMAGE="/boot/vmlinuz-$abi"
		KREL="$abi"
		[[ -f "$KDIR/Makefile" ]] || tq_die "$flavour: KDIR $KDIR missing (install linux-headers-$abi)"
		[[ -r "$KIMAGE" ]] || tq_die "$flavour: $KIMAGE missing (install linux-image-$abi-unsigned)"
		return 0
	fi
	tq_src_tree "$series"
	dest="$TQ_CACHE/kernel/$flavour-$(tq_pkgver "$(tq_cfg SRC_PKG "$series")")-$(tq_debug_key "$series" "$FL_VARIANT")"
	KDIR="$dest"
	KIMAGE="$dest/arch/x86/boot/bzImage"
	if [[ -f "$dest/.tqueue-complete" ]]; then
		KREL="$(cat "$dest/include/config/kernel.release")"
		tq_step_done "$(tq_now)" "build $flavour kernel (cached: $dest)"
		return 0
	fi
	mkdir -p "$TQ_CACHE/kernel" "$TQ_LOGS"
	log="$TQ_LOGS/kernel-$flavour.log"
	t="$(tq_now)"
	tq_info "building $flavour kernel (tinyconfig + $(tq_fragment_names "$FL_VARIANT"), takes minutes); log: $log"
	tq_cache_lock "kernel-$flavour"
	if [[ ! -f "$dest/.tqueue-complete" ]]; then
		rm -rf "$dest"
		(tq_build_debug "$series" "$FL_VARIANT" "$flavour" "$dest" "$log") || { tq_cache_unlock; return 1; }
	fi
	tq_cache_unlock
	KREL="$(cat "$dest/include/config/kernel.release")"
	tq_step_done "$t" "build $flavour kernel ($KREL)"
}
