# SPDX-License-Identifier: GPL-2.0
#
# Packaging checks, on the host (nothing is loaded here):
#  - what `make`, `make install` and `make uninstall` put where, and that a
#    client module builds against what install put there, as README's
#    "Building a client module" says; against one stock kernel's headers
#    ($TQ_PACKAGING_KERNEL);
#  - the DKMS package: `make deb`, lintian, `apt-get install` of the .deb
#    (DKMS builds for every installed stock kernel, skips one outside the
#    range), the example client (examples/hello-tqueue) as a DKMS module of
#    its own, a DKMS build that fails, and `apt-get purge`, which must leave
#    nothing behind. The modules DKMS built are kept in build/dkms/<release>/
#    for the guest of that kernel (tq_dkms_modules), where
#    tests/selftests/tqueue/dkms.sh loads them with modprobe.
# shellcheck shell=bash

# The kernel releases DKMS is made to meet besides the installed ones: one
# outside the supported range (skipped, exit 77) and one inside it whose
# tree cannot build (a fake: its Makefile fails every target).
TQ_DKMS_OLD_KERNEL="4.19.0-1-amd64"
TQ_DKMS_BAD_KERNEL="6.99.0-tqueue-broken"
TQ_DKMS_CLIENT="hello-tqueue/1.0"

# tq_pkg_case NAME CMD...: one case, passed if CMD succeeds; CMD prints why
# not on stdout.
tq_pkg_case() {
	local name="$1" why
	shift
	if why="$("$@" 2>&1)"; then
		tq_pass
	else
		tq_fail "packaging: $name" "$(tail -n 3 <<<"$why" | tr '\n' ' ')"
	fi
}

# tq_pkg_make LOG ARGS...: make ARGS, its output appended to LOG
tq_pkg_make() {
	local log="$1"
	shift
	make "$@" >>"$log" 2>&1 || { echo "make $* failed; log: $log"; return 1; }
}

# tq_pkg_files DIR -> every file below DIR, relative, sorted
tq_pkg_files() {
	(cd "$1" && find . -type f -o -type l) | LC_ALL=C sort
}

# tq_pkg_only_ours STAGE KREL: the modules below STAGE are tqueue.ko and the
# demos, in extra/, and nothing else (no test module)
tq_pkg_only_ours() {
	local got want
	got="$(cd "$1/lib/modules/$2" && find . -name '*.ko*' | sed 's/\.ko.*$//' | LC_ALL=C sort | paste -sd ' ')"
	want="./extra/jiq ./extra/sched ./extra/tqueue"
	[[ "$got" == "$want" ]] || { echo "installed modules: '$got', want '$want'"; return 1; }
}

# tq_pkg_devdir DEVDIR: the header and a Module.symvers that exports the API
tq_pkg_devdir() {
	[[ -f "$1/include/linux/tqueue.h" ]] || { echo "no $1/include/linux/tqueue.h"; return 1; }
	grep -q -P '^0x[0-9a-f]+\tqueue_task\t' "$1/Module.symvers" 2>/dev/null ||
		{ echo "$1/Module.symvers does not export queue_task"; return 1; }
}

# tq_pkg_client KDIR SRC DEVDIR DST LOG: a copy of the demos (SRC) built in
# DST as a user's client, against DEVDIR only: W=1 clean, needs tqueue
tq_pkg_client() {
	local kdir="$1" src="$2" dev="$3" dst="$4" log="$5" dep
	rm -rf "$dst"
	mkdir -p "$dst/demos"
	cp "$src"/demos/*.[ch] "$src/demos/Kbuild" "$dst/demos/"
	cp "$src/VERSION" "$dst/"
	make -C "$kdir" M="$dst/demos" TQUEUE="$dev" W=1 modules >"$log" 2>&1 ||
		{ echo "client build failed; log: $log"; return 1; }
	! grep -q -i 'warning:' "$log" || { echo "client build warned; log: $log"; return 1; }
	dep="$(modinfo -F depends "$dst/demos/jiq.ko")"
	[[ "$dep" == tqueue ]] || { echo "jiq.ko depends on '$dep', want tqueue"; return 1; }
}

# tq_pkg_empty STAGE: nothing left below STAGE
tq_pkg_empty() {
	local left
	left="$(tq_pkg_files "$1")"
	[[ -z "$left" ]] || { echo "left after uninstall: $(paste -sd ' ' <<<"$left")"; return 1; }
}

tq_packaging_checks() {
	local t fl="$TQ_PACKAGING_KERNEL" kdir krel dst="$TQ_BUILD/packaging" stage log="$TQ_LOGS/packaging.log"
	t="$(tq_now)"
	tq_kernel "$fl" >/dev/null || { tq_fail "packaging" "$fl: kernel preparation failed"; return 0; }
	kdir="$(tq_kinfo "$fl" KDIR)"
	krel="$(tq_kinfo "$fl" KREL)"
	rm -rf "$dst"
	mkdir -p "$dst/tree"
	tq_copy_sources "$dst/tree"
	stage="$dst/stage"
	: >"$log"
	tq_pkg_case "make && make install INSTALL_MOD_PATH= builds and installs" \
		tq_pkg_make "$log" -C "$dst/tree" KDIR="$kdir" -j"$TQ_JOBS" install INSTALL_MOD_PATH="$stage"
	tq_pkg_case "make install installs tqueue.ko and the demos only" tq_pkg_only_ours "$stage" "$krel"
	tq_pkg_case "make install puts the header and Module.symvers in /usr/src/tqueue/<release>" \
		tq_pkg_devdir "$stage/usr/src/tqueue/$krel"
	tq_pkg_case "a client module builds against the installed header and Module.symvers" \
		tq_pkg_client "$kdir" "$TQ_TOP" "$stage/usr/src/tqueue/$krel" "$dst/client" "$TQ_LOGS/packaging-client.log"
	tq_pkg_case "make uninstall removes everything make install put there" \
		tq_pkg_make "$log" -C "$dst/tree" KDIR="$kdir" uninstall INSTALL_MOD_PATH="$stage"
	tq_pkg_case "nothing of tqueue's left after make uninstall" tq_pkg_empty "$stage"
	tq_step_done "$t" "packaging: make install/uninstall and a client build against $fl -> $log"
	tq_packaging_dkms
}

# tq_dkms_modules FLAVOUR -> the directory of the modules DKMS built for
# FLAVOUR's kernel (empty if none)
tq_dkms_modules() {
	local krel d
	krel="$(tq_kinfo "$1" KREL)"
	d="$TQ_BUILD/dkms/$krel"
	[[ -n "$krel" && -d "$d" ]] && printf '%s' "$d"
	return 0
}

# tq_dkms_snapshot -> every file of the places a DKMS package touches,
# sorted, less what dkms and depmod own: dkms's signing key (made on its
# first build) and the depmod indexes
tq_dkms_snapshot() {
	find /usr/src /lib/modules /var/lib/dkms /etc -xdev \( -type f -o -type l \) 2>/dev/null |
		grep -v -E '^/var/lib/dkms/mok\.(key|pub)$|^/lib/modules/[^/]+/modules\.[a-z.]+$' | LC_ALL=C sort
}

# tq_dkms_fake_kernel RELEASE [broken]: /lib/modules/RELEASE/build, enough
# for dkms to try (an include/ directory); "broken" adds a Makefile that
# fails every target
tq_dkms_fake_kernel() {
	local d="/lib/modules/$1/build"
	mkdir -p "$d/include"
	[[ "${2:-}" != broken ]] || printf '%%:\n\t@echo "fake kernel tree: cannot build" >&2; exit 2\n' >"$d/Makefile"
}

# tq_dkms_reset: no tqueue-dkms, no example client, no fake kernel and no
# /usr/src/tqueue (a run that stopped half-way leaves them; so would a
# `make install` on this machine, which the tests would take for theirs)
tq_dkms_reset() {
	if [[ -e "/var/lib/dkms/$TQ_DKMS_CLIENT" ]]; then
		dkms remove "$TQ_DKMS_CLIENT" --all >/dev/null 2>&1 || true
	fi
	rm -rf "/usr/src/${TQ_DKMS_CLIENT/\//-}"
	# dpkg -s knows the package in any state, config-files left too.
	if dpkg -s tqueue-dkms >/dev/null 2>&1; then
		DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq tqueue-dkms >/dev/null 2>&1 || true
	fi
	rm -rf "/lib/modules/$TQ_DKMS_OLD_KERNEL" "/lib/modules/$TQ_DKMS_BAD_KERNEL" /usr/src/tqueue
}

# tq_dkms_lintian DEB LOG: no lintian error
tq_dkms_lintian() {
	lintian --no-tag-display-limit "$1" >"$2" 2>&1 || true
	! grep -q '^E: ' "$2" || { grep '^E: ' "$2" | head -n 3; return 1; }
}

# tq_dkms_install DEB LOG: apt-get install ./DEB with a kernel outside the
# range present: dpkg succeeds and the postinst says that kernel was skipped
tq_dkms_install() {
	local deb="$1" log="$2" rc=0
	tq_dkms_fake_kernel "$TQ_DKMS_OLD_KERNEL"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$deb" >"$log" 2>&1 || rc=$?
	rm -rf "/lib/modules/$TQ_DKMS_OLD_KERNEL"
	((rc == 0)) || { echo "apt-get install failed (rc=$rc); log: $log"; return 1; }
	awk -v k="Building initial module for $TQ_DKMS_OLD_KERNEL" '
		{ sub(/\r$/, "") }	# apt-get ends the lines of dpkg with CR LF
		$0 == k { on = 1; next }
		on && /^Building initial module for / { exit }
		on && $0 == "Skipped." { found = 1 }
		END { exit !found }' "$log" ||
		{ echo "no 'Skipped.' for $TQ_DKMS_OLD_KERNEL; log: $log"; return 1; }
}

# tq_dkms_built KREL MODULE... : dkms says tqueue is installed for KREL,
# each MODULE is in updates/dkms, and the client files are in place; the
# modules are copied (uncompressed) to build/dkms/KREL/
tq_dkms_built() {
	local krel="$1" m f out="$TQ_BUILD/dkms/$1"
	shift
	dkms status -m tqueue -k "$krel" 2>/dev/null | grep -q ': installed' ||
		{ echo "dkms status: tqueue not installed for $krel"; return 1; }
	tq_pkg_devdir "/usr/src/tqueue/$krel" || return 1
	mkdir -p "$out"
	for m in "$@"; do
		f="$(find "/lib/modules/$krel/updates/dkms" -name "$m.ko*" 2>/dev/null | head -n1)"
		[[ -n "$f" ]] || { echo "no $m.ko in /lib/modules/$krel/updates/dkms"; return 1; }
		case "$f" in
		*.xz) xz -dc "$f" >"$out/$m.ko" ;;
		*.zst) zstd -qdc "$f" >"$out/$m.ko" ;;
		*.gz) gzip -dc "$f" >"$out/$m.ko" ;;
		*) cp "$f" "$out/$m.ko" ;;
		esac
	done
}

# tq_dkms_client KREL LOG: the example client, added once, built and
# installed for KREL against the installed tqueue
tq_dkms_client() {
	local krel="$1" log="$2"
	if [[ ! -e "/var/lib/dkms/$TQ_DKMS_CLIENT/source" ]]; then
		dkms add "$TQ_TOP/examples/hello-tqueue" >>"$log" 2>&1 || { echo "dkms add failed; log: $log"; return 1; }
	fi
	dkms install "$TQ_DKMS_CLIENT" -k "$krel" >>"$log" 2>&1 ||
		{ echo "dkms install $TQ_DKMS_CLIENT -k $krel failed; log: $log"; return 1; }
	tq_dkms_built "$krel" hello_tq
}

# tq_dkms_broken LOG: a build for a kernel whose tree cannot build fails
# with one "Error!" line from dkms, naming the kernel, and tqueue's own last
# line in make.log says what failed
tq_dkms_broken() {
	local log="$1" rc=0 n mk
	mk="/var/lib/dkms/tqueue/$(cat "$TQ_TOP/VERSION")/build/make.log"
	tq_dkms_fake_kernel "$TQ_DKMS_BAD_KERNEL" broken
	dkms build "tqueue/$(cat "$TQ_TOP/VERSION")" -k "$TQ_DKMS_BAD_KERNEL" >"$log" 2>&1 || rc=$?
	[[ -f "$mk" ]] && { echo "--- make.log"; cat "$mk"; } >>"$log"
	rm -rf "/lib/modules/$TQ_DKMS_BAD_KERNEL"
	((rc != 0 && rc != 77)) || { echo "dkms build returned $rc; log: $log"; return 1; }
	n="$(grep -c '^Error!' "$log")"
	((n == 1)) || { echo "$n 'Error!' lines from dkms; log: $log"; return 1; }
	grep -q "^Error!.*$TQ_DKMS_BAD_KERNEL" "$log" || { echo "dkms's error does not name the kernel; log: $log"; return 1; }
	grep -q '^tqueue: ' "$log" || { echo "make.log has no tqueue: line; log: $log"; return 1; }
}

# tq_dkms_purge BEFORE LOG: apt-get purge leaves the file list as BEFORE
tq_dkms_purge() {
	local before="$1" log="$2" after="$1.after"
	dkms remove "$TQ_DKMS_CLIENT" --all >"$log" 2>&1 || { echo "dkms remove $TQ_DKMS_CLIENT failed; log: $log"; return 1; }
	rm -rf "/usr/src/${TQ_DKMS_CLIENT/\//-}"
	DEBIAN_FRONTEND=noninteractive apt-get purge -y tqueue-dkms >>"$log" 2>&1 ||
		{ echo "apt-get purge failed; log: $log"; return 1; }
	tq_dkms_snapshot >"$after"
	diff "$before" "$after" >"$after.diff" ||
		{ echo "left or changed: $(grep -c '^[<>]' "$after.diff") file(s): $(grep '^[<>]' "$after.diff" | head -n 3 | paste -sd ' ')"; return 1; }
}

tq_packaging_dkms() {
	local t dst="$TQ_BUILD/packaging" log="$TQ_LOGS/packaging-dkms" ver deb fl krel krels=()
	t="$(tq_now)"
	ver="$(cat "$TQ_TOP/VERSION")"
	deb="$dst/tree/build/deb/tqueue-dkms_${ver}_all.deb"
	mkdir -p "$log"
	mkdir -p "$TQ_BUILD/dkms"
	for fl in $(tq_flavours); do
		[[ "$(tq_fl "$fl" prep)" == installed ]] && krels+=("$(tq_fl "$fl" release)")
	done
	tq_dkms_reset
	tq_pkg_case "make deb builds tqueue-dkms_${ver}_all.deb" tq_pkg_make "$log/deb.log" -C "$dst/tree" deb
	if [[ ! -f "$deb" ]]; then
		tq_step_done "$t" "packaging: no .deb, DKMS checks not run -> $log/"
		return 0
	fi
	tq_pkg_case "lintian reports no error on the .deb" tq_dkms_lintian "$deb" "$log/lintian.log"
	tq_dkms_snapshot >"$log/files.before"
	tq_pkg_case "apt-get install of the .deb succeeds and DKMS skips $TQ_DKMS_OLD_KERNEL" \
		tq_dkms_install "$deb" "$log/install.log"
	for krel in "${krels[@]}"; do
		tq_pkg_case "DKMS built and installed tqueue, jiq, sched for $krel" \
			tq_dkms_built "$krel" tqueue jiq sched
		tq_pkg_case "the example client builds as its own DKMS module for $krel" \
			tq_dkms_client "$krel" "$log/client.log"
	done
	tq_pkg_case "a DKMS build against a tree that cannot build fails in one clear line" \
		tq_dkms_broken "$log/broken.log"
	tq_pkg_case "apt-get purge leaves no file of tqueue's behind" tq_dkms_purge "$log/files.before" "$log/purge.log"
	tq_dkms_reset
	tq_step_done "$t" "packaging: make deb, lintian, DKMS for ${krels[*]}, purge -> $log/"
}
