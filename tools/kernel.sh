# SPDX-License-Identifier: GPL-2.0
#
# Kernel trees for the flavours of the table (TQ_FLAVOURS, tools/config.sh):
# extracted linux-source trees, module build trees (KDIR) made as the row's
# "prep" column says, kernel images. Everything is cached outside the clone.
#
# Cache layout (${XDG_CACHE_HOME:-~/.cache}/tqueue):
#   src/<source package>-<version>/              extracted source
#   kernel/<flavour>-<version>-<hash>/           O= build dir (prep build:
#     bzImage and Module.symvers; prep prepare: modules_prepare'd tree).
#     <version>: of the source package actually used; <hash>: tq_debug_key /
#     tq_stock_key, everything else that changes the result
#   kernel/<flavour>-<version>-<hash>/root/      prep extract: the headers
#     packages, paths fixed up
#   deb/<package>_<version>/                     packages of other suites
#     (tools/fetch.sh)
# Entries are built in a .tmp-* sibling and renamed only when complete.
# tq_kernel FLAVOUR records where the result is in build/kernel-<flavour>.info
# (tq_kinfo reads it).
# shellcheck shell=bash

# Bump when the build recipe below changes in a way that changes the result.
TQ_KERNEL_RECIPE=1
# ... and when the stock recipes (prep extract, prepare) change.
TQ_STOCK_RECIPE=2

# tq_fragments FLAVOUR -> the fragment files merged on top of tinyconfig, in
# merge order (a later line for the same option overrides an earlier one):
# tools/kconfig/<name>.config for each name of the row's "fragments" column.
tq_fragments() {
	local f
	for f in $(tq_fl "$1" fragments | tr ',' ' '); do
		printf '%s\n' "$TQ_TOOLS/kconfig/$f.config"
	done
}

# tq_fragment_names FLAVOUR -> "tools/kconfig/debug.config + ..." for messages
tq_fragment_names() {
	local f out=""
	while IFS= read -r f; do
		out+="${out:+ + }${f#"$TQ_TOP/"}"
	done < <(tq_fragments "$1")
	printf '%s' "$out"
}

# tq_cache_lock NAME / tq_cache_unlock [NAME]: serialise work on one cache
# entry between concurrent harness runs (locks of different names nest;
# without NAME, unlock the last one taken).
declare -A TQ_LOCK_FDS=()
TQ_LOCK_LAST=""
tq_cache_lock() {
	local fd
	mkdir -p "$TQ_CACHE"
	exec {fd}>"$TQ_CACHE/.lock-$1"
	flock "$fd"
	TQ_LOCK_FDS[$1]="$fd"
	TQ_LOCK_LAST="$1"
}
tq_cache_unlock() {
	local name="${1:-$TQ_LOCK_LAST}" fd
	fd="${TQ_LOCK_FDS[$name]:-}"
	[[ -n "$fd" ]] || return 0
	exec {fd}>&-
	unset "TQ_LOCK_FDS[$name]"
}

tq_pkgver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null; }

# tq_pkg_dir FLAVOUR PKG=PIN -> the root the package's files are under: "/"
# for the system suite (installed), else its extracted copy in the cache.
tq_pkg_dir() {
	local suite
	suite="$(tq_fl "$1" suite)"
	if [[ "$suite" == system ]]; then
		tq_pkg_ok "${2%%=*}" || { tq_warn "$1: ${2%%=*} is not installed"; return 1; }
		printf '/'
	else
		tq_fetch "$suite" "$2"
	fi
}

# tq_pkg_dir_version DIR PKG -> the version of PKG whose files DIR holds
tq_pkg_dir_version() {
	if [[ "$1" == / ]]; then
		tq_pkgver "$2"
	else
		sed -n 's/^[^ ]* [^ ]* //p' "$1/.tqueue-complete"
	fi
}

# tq_src_version FLAVOUR -> version of the row's source package used (the
# installed one, or the one fetched)
tq_src_version() {
	local spec dir
	spec="$(tq_fl "$1" source)"
	[[ -n "$spec" ]] || tq_die "$1: the flavour table names no source package"
	dir="$(tq_pkg_dir "$1" "$spec")" || return 1
	tq_pkg_dir_version "$dir" "${spec%%=*}"
}

# tq_src_tree FLAVOUR -> the extracted linux-source tree of the row's source
# package (progress on stderr)
tq_src_tree() {
	local fl="$1" spec pkg ver dir tarball dest tmp t
	spec="$(tq_fl "$fl" source)"
	[[ -n "$spec" ]] || tq_die "$fl: the flavour table names no source package"
	pkg="${spec%%=*}"
	dir="$(tq_pkg_dir "$fl" "$spec")" || tq_die "$fl: $pkg is not available"
	ver="$(tq_pkg_dir_version "$dir" "$pkg")"
	tarball="${dir%/}/usr/src/$pkg.tar.xz"
	[[ -f "$tarball" ]] || tq_die "$tarball missing (reinstall $pkg)"
	dest="$TQ_CACHE/src/$pkg-$ver"
	if [[ ! -f "$dest/Makefile" ]]; then
		tq_cache_lock "src-${pkg#linux-source-}"
		if [[ ! -f "$dest/Makefile" ]]; then
			t="$(tq_now)"
			mkdir -p "$TQ_CACHE/src"
			tmp="$(mktemp -d "$TQ_CACHE/src/.tmp-$pkg.XXXXXX")"
			tar -C "$tmp" -xJf "$tarball" || { rm -rf "$tmp"; tq_die "extracting $tarball failed"; }
			[[ -f "$tmp/$pkg/Makefile" ]] || { rm -rf "$tmp"; tq_die "$tarball does not contain $pkg/Makefile"; }
			mv "$tmp/$pkg" "$dest"
			rm -rf "$tmp"
			tq_step_done "$t" "extract $pkg $ver" >&2
		fi
		tq_cache_unlock "src-${pkg#linux-source-}"
	fi
	printf '%s' "$dest"
}

# tq_debug_key SRCVERSION FRAGMENT...: cache key of a debug kernel,
# everything that changes the resulting tree. (The fragments after the first
# are hashed as "variant=<name>" + text, as when there was one variant, so
# the debug-<series> cache entries of earlier trees stay valid.)
tq_debug_key() {
	local ver="$1" f
	shift
	{
		echo "recipe=$TQ_KERNEL_RECIPE"
		echo "src=$ver"
		gcc --version | head -n1
		ld --version | head -n1
		cat "$1"
		shift
		for f in "$@"; do
			echo "variant=$(basename "$f" .config)"
			cat "$f"
		done
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

# tq_kconfig_has SRC OPTION -> 0 if a Kconfig file of the source tree SRC
# defines OPTION (CONFIG_ prefix included)
tq_kconfig_has() {
	find "$1" -name 'Kconfig*' -print0 |
		xargs -0 grep -qE "^[[:space:]]*(menu)?config ${2#CONFIG_}([[:space:]]|$)"
}

# tq_check_fragment CONFIG FLAVOUR SRC: check that every option of the
# flavour's fragments (the last setting of each) is in .config as written.
# An option that the kernel of source tree SRC no longer defines at all
# (CONFIG_PROC_SYSCTL is gone in 7.3: sysctl is always there) is noted, not
# an error: the fragments serve every series.
tq_check_fragment() {
	local config="$1" flavour="$2" src="$3" file line opt got frags
	mapfile -t frags < <(tq_fragments "$flavour")
	while IFS=$'\t' read -r file line; do
		file="${file#"$TQ_TOP/"}"
		if [[ "$line" =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
			opt="${BASH_REMATCH[1]}"
			grep -qxF -- "$line" "$config" && continue
			if ! grep -qE "^(# )?${opt}[= ]" "$config" && ! tq_kconfig_has "$src" "$opt"; then
				tq_info "$flavour: $opt ($file) is not an option of this kernel; ignored"
				continue
			fi
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

# tq_build_debug FLAVOUR SRC DEST LOG KEY: configure and build into a temp
# dir, then mv (prep "build").
tq_build_debug() {
	local flavour="$1" src="$2" dest="$3" log="$4" key="$5" tmp frags
	mapfile -t frags < <(tq_fragments "$flavour")
	tmp="$(mktemp -d "$(dirname "$dest")/.tmp-$(basename "$dest").XXXXXX")"
	# shellcheck disable=SC2064
	trap "rm -rf '$tmp'" EXIT
	{
		make -C "$src" O="$tmp" ARCH=x86_64 tinyconfig &&
			"$src/scripts/kconfig/merge_config.sh" -m -O "$tmp" "$tmp/.config" "${frags[@]}" &&
			make -C "$src" O="$tmp" ARCH=x86_64 olddefconfig
	} >"$log" 2>&1 || { tq_warn "$flavour: kernel configuration failed; log: $log"; return 1; }
	tq_check_fragment "$tmp/.config" "$flavour" "$src" || return 1
	make -C "$src" O="$tmp" ARCH=x86_64 -j"$TQ_JOBS" bzImage modules >>"$log" 2>&1 ||
		{ tq_warn "$flavour: kernel build failed; log: $log"; tail -n 15 "$log" | sed 's/^/    | /' >&2; return 1; }
	[[ -f "$tmp/arch/x86/boot/bzImage" && -f "$tmp/Module.symvers" ]] ||
		{ tq_warn "$flavour: kernel build produced no bzImage/Module.symvers; log: $log"; return 1; }
	cat "${frags[@]}" >"$tmp/.tqueue-fragment.config"
	echo "$flavour $key" >"$tmp/.tqueue-complete"
	mv -T "$tmp" "$dest"
	trap - EXIT
}

# tq_headers_dirs FLAVOUR -> "PKG<TAB>VERSION<TAB>DIR" per headers package
tq_headers_dirs() {
	local fl="$1" spec dir
	for spec in $(tq_fl "$fl" headers | tr ',' ' '); do
		dir="$(tq_pkg_dir "$fl" "$spec")" || return 1
		printf '%s\t%s\t%s\n' "${spec%%=*}" "$(tq_pkg_dir_version "$dir" "${spec%%=*}")" "$dir"
	done
}

# tq_stock_key FLAVOUR HEADERS_DIRS -> cache key of a stock module build
# tree (prep extract, prepare): recipe, the packages' versions, toolchain.
tq_stock_key() {
	{
		echo "recipe=$TQ_STOCK_RECIPE prep=$(tq_fl "$1" prep) make=$(tq_fl "$1" make)"
		cut -f1,2 <<<"$2"
		gcc --version | head -n1
		ld --version | head -n1
	} | sha256sum | cut -c1-12
}

# tq_prep_extract FLAVOUR DEST HEADERS_DIRS LOG: the headers packages copied
# into DEST/root as they would be installed, then every absolute reference
# to their /usr/src and /usr/lib directories (Makefile includes, symlinks)
# pointed at the copy, so nothing is written to /usr.
tq_prep_extract() {
	local fl="$1" dest="$2" dirs="$3" log="$4" tmp pkg ver dir top link target
	tmp="$(mktemp -d "$(dirname "$dest")/.tmp-$(basename "$dest").XXXXXX")"
	{
		mkdir -p "$tmp/root"
		while IFS=$'\t' read -r pkg ver dir; do
			echo "copy $pkg $ver from $dir"
			(cd "$dir" && tar -c --exclude=./.tqueue-complete --exclude=./usr/share .) | tar -C "$tmp/root" -x ||
				return 1
		done <<<"$dirs"
		# The directories of the packages that others name by absolute path.
		for top in "$tmp"/root/usr/src/* "$tmp"/root/usr/lib/linux-kbuild-*; do
			[[ -e "$top" ]] || continue
			top="${top#"$tmp/root"}"
			echo "fix up references to $top"
			grep -rlIF -- "$top" "$tmp/root" 2>/dev/null | while IFS= read -r f; do
				[[ -L "$f" ]] && continue
				sed -i "s|$top|$dest/root$top|g" "$f"
			done
			find "$tmp/root" -type l | while IFS= read -r link; do
				target="$(readlink "$link")"
				[[ "$target" == "$top" || "$target" == "$top/"* ]] || continue
				ln -sfn "$dest/root$target" "$link"
			done
		done
	} >"$log" 2>&1 || { rm -rf "$tmp"; tq_warn "$fl: extracting the headers failed; log: $log"; return 1; }
	echo "$fl $(tq_fl "$fl" release)" >"$tmp/.tqueue-complete"
	mv -T "$tmp" "$dest"
}

# tq_prep_prepare FLAVOUR DEST HEADERS_DIRS LOG: `make olddefconfig
# modules_prepare` of the row's source (O=DEST) with the .config and
# Module.symvers of its headers package (the first one), for a kernel whose
# packaged kbuild binaries do not run here (Debian 7.3's need glibc 2.38).
tq_prep_prepare() {
	local fl="$1" dest="$2" dirs="$3" log="$4" rel src hdr tmp
	rel="$(tq_fl "$fl" release)"
	src="$(tq_src_tree "$fl")" || return 1
	hdr="$(head -n1 <<<"$dirs" | cut -f3)/usr/src/linux-headers-$rel"
	[[ -f "$hdr/.config" && -f "$hdr/Module.symvers" ]] ||
		{ tq_warn "$fl: $hdr has no .config or Module.symvers"; return 1; }
	tmp="$(mktemp -d "$(dirname "$dest")/.tmp-$(basename "$dest").XXXXXX")"
	cp "$hdr/.config" "$tmp/.config"
	if ! make -C "$src" O="$tmp" ARCH=x86_64 -j"$TQ_JOBS" KERNELRELEASE="$rel" \
		olddefconfig modules_prepare >"$log" 2>&1; then
		rm -rf "$tmp"
		tq_warn "$fl: make modules_prepare failed; log: $log"
		tail -n 15 "$log" | sed 's/^/    | /' >&2
		return 1
	fi
	cp "$hdr/Module.symvers" "$tmp/Module.symvers"
	echo "$fl $rel" >"$tmp/.tqueue-complete"
	mv -T "$tmp" "$dest"
}

# tq_kernel_image FLAVOUR -> path of the stock kernel image (row's "image":
# PKG=PIN:PATH, PATH inside the package)
tq_kernel_image() {
	local fl="$1" spec dir
	spec="$(tq_fl "$fl" image)"
	dir="$(tq_pkg_dir "$fl" "${spec%%:*}")" || return 1
	printf '%s/%s' "${dir%/}" "${spec#*:}"
}

# tq_fix_output DIR: a kernel built with O=<temp dir> and renamed to DIR
# (7.x writes "export KBUILD_OUTPUT = <temp dir>" into the output's
# Makefile): point it at DIR. Idempotent.
tq_fix_output() {
	local mk="$1/Makefile"
	grep -q '^export KBUILD_OUTPUT = ' "$mk" 2>/dev/null || return 0
	grep -qxF "export KBUILD_OUTPUT = $1" "$mk" && return 0
	sed -i "s|^export KBUILD_OUTPUT = .*|export KBUILD_OUTPUT = $1|" "$mk"
}

# tq_kinfo FLAVOUR KEY -> KDIR, KIMAGE, KREL, KMAKE (make variables for
# module builds), KVERSIONS (packages used) of the kernel tq_kernel prepared.
tq_kinfo() {
	sed -n "s/^$2=//p" "$TQ_BUILD/kernel-$1.info" 2>/dev/null
}

# tq_debug_dest FLAVOUR -> the cache entry of a debug kernel (prep build):
# named by the source package's version and tq_debug_key
tq_debug_dest() {
	local fl="$1" ver frags
	ver="$(tq_src_version "$fl")" || return 1
	mapfile -t frags < <(tq_fragments "$fl")
	printf '%s' "$TQ_CACHE/kernel/$fl-$ver-$(tq_debug_key "$ver" "${frags[@]}")"
}

# tq_kernel_missing FLAVOUR: true if FLAVOUR is a debug kernel (prep build)
# that the cache does not hold yet, one that takes minutes to build
tq_kernel_missing() {
	local dest
	[[ "$(tq_fl "$1" prep)" == build ]] || return 1
	dest="$(tq_debug_dest "$1")" || return 0
	[[ ! -f "$dest/.tqueue-complete" ]]
}

# tq_kernels_background FLAVOUR...: build the kernels FLAVOUR..., one after
# another at a lower CPU priority, meant to run as a background job
# (`tq_kernels_background A B >log 2>&1 &`) while the caller goes on with
# the work that needs no such kernel. Each build holds its cache lock, so
# the caller's own tq_kernel FLAVOUR waits for it and then finds the entry
# complete; if a build fails here, that tq_kernel builds again and reports.
# The results go to a build dir of their own: build/kernel-FLAVOUR.info
# stays the caller's.
tq_kernels_background() {
	local fl
	renice -n 10 -p "$BASHPID" >/dev/null || true
	TQ_BUILD="$TQ_BUILD/background"
	for fl in "$@"; do
		tq_kernel "$fl" || tq_warn "$fl: background build failed; the run builds it again"
	done
}

# tq_kernel FLAVOUR: prepare FLAVOUR's kernel image and module build tree
# as its row says; writes build/kernel-FLAVOUR.info (tq_kinfo).
tq_kernel() {
	local fl="$1" prep kdir kimage krel dest log t spec ver key dirs src versions=""
	prep="$(tq_fl "$fl" prep)"
	mkdir -p "$TQ_BUILD" "$TQ_LOGS" "$TQ_CACHE/kernel"
	rm -f "$TQ_BUILD/kernel-$fl.info"
	log="$TQ_LOGS/kernel-$fl.log"
	krel="$(tq_fl "$fl" release)"
	case "$prep" in
	build)
		src="$(tq_src_tree "$fl")" || return 1
		ver="$(tq_src_version "$fl")"
		spec="$(tq_fl "$fl" source)"
		versions="${spec%%=*}=$ver"
		dest="$(tq_debug_dest "$fl")" || return 1
		key="${dest##*-}"
		kdir="$dest"
		kimage="$dest/arch/x86/boot/bzImage"
		if [[ -f "$dest/.tqueue-complete" ]]; then
			tq_step_done "$(tq_now)" "build $fl kernel (cached: $dest)"
		else
			t="$(tq_now)"
			tq_info "building $fl kernel (tinyconfig + $(tq_fragment_names "$fl"), takes minutes); log: $log"
			tq_cache_lock "kernel-$fl"
			if [[ ! -f "$dest/.tqueue-complete" ]]; then
				rm -rf "$dest"
				(tq_build_debug "$fl" "$src" "$dest" "$log" "$key") || { tq_cache_unlock "kernel-$fl"; return 1; }
			fi
			tq_cache_unlock "kernel-$fl"
			tq_step_done "$t" "build $fl kernel ($(cat "$dest/include/config/kernel.release"))"
		fi
		krel="$(cat "$dest/include/config/kernel.release")"
		;;
	installed)
		kdir="/usr/src/linux-headers-$krel"
		spec="$(tq_fl "$fl" headers)"
		[[ -f "$kdir/Makefile" ]] || { tq_warn "$fl: KDIR $kdir missing (install ${spec%%=*})"; return 1; }
		kimage="$(tq_kernel_image "$fl")" || return 1
		versions="${spec%%=*}=$(tq_pkgver "${spec%%=*}")"
		;;
	extract | prepare)
		dirs="$(tq_headers_dirs "$fl")" || return 1
		kimage="$(tq_kernel_image "$fl")" || return 1
		ver="$(cut -f2 <<<"$dirs" | head -n1)"
		versions="$(awk -F '\t' '{ printf "%s%s=%s", (NR > 1 ? " " : ""), $1, $2 }' <<<"$dirs")"
		[[ "$prep" == prepare ]] && versions+=" $(tq_fl "$fl" source | cut -d= -f1)=$(tq_src_version "$fl")"
		key="$(tq_stock_key "$fl" "$dirs")"
		dest="$TQ_CACHE/kernel/$fl-$ver-$key"
		if [[ -f "$dest/.tqueue-complete" ]]; then
			tq_step_done "$(tq_now)" "prepare $fl module build tree (cached: $dest)"
		else
			t="$(tq_now)"
			tq_cache_lock "kernel-$fl"
			if [[ ! -f "$dest/.tqueue-complete" ]]; then
				rm -rf "$dest"
				"tq_prep_$prep" "$fl" "$dest" "$dirs" "$log" || { tq_cache_unlock "kernel-$fl"; return 1; }
			fi
			tq_cache_unlock "kernel-$fl"
			tq_step_done "$t" "prepare $fl module build tree ($prep) -> $dest"
		fi
		kdir="$dest"
		[[ "$prep" == extract ]] && kdir="$dest/root/usr/src/linux-headers-$krel"
		;;
	*) tq_die "$fl: unknown prep '$prep' in the flavour table" ;;
	esac
	[[ "$prep" == build || "$prep" == prepare ]] && tq_fix_output "$kdir"
	[[ -f "$kdir/Makefile" ]] || { tq_warn "$fl: no module build tree at $kdir"; return 1; }
	[[ -r "$kimage" ]] || { tq_warn "$fl: kernel image $kimage missing"; return 1; }
	printf 'KDIR=%s\nKIMAGE=%s\nKREL=%s\nKMAKE=%s\nKVERSIONS=%s\n' \
		"$kdir" "$kimage" "$krel" "$(tq_fl "$fl" make | tr ',' ' ')" "$versions" >"$TQ_BUILD/kernel-$fl.info"
}
