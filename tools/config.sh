# SPDX-License-Identifier: GPL-2.0
#
# tqueue harness configuration: every package name and version lives here.
# To bump a kernel, change the *_ABI / *_VER values below; the debug-kernel
# cache key includes the source version, so old cache entries are not reused.
# shellcheck shell=bash disable=SC2034

# Pinned Debian package versions and kernel releases (ABIs). tools/deps.sh
# accepts an installed package of the same name at this version or newer
# (tq_deps); the caches are keyed by the version actually used.
TQ_V_6_12="6.12.117-1~deb12u1" # linux-source-6.12, linux-image/headers-6.12.117+deb12-*
TQ_R_6_12="6.12.117+deb12-amd64"
TQ_R_6_12_RT="6.12.117+deb12-rt-amd64"
TQ_V_6_1="6.1.192-2"
TQ_R_6_1="6.1.0-56-amd64"
# Debian 11 (bullseye): fetched into the cache, never installed.
TQ_V_5_10="5.10.218-1" # linux-image/headers-5.10.0-30-*
TQ_V_5_10_KBUILD="5.10.223-1"
TQ_R_5_10="5.10.0-30-amd64"
# Debian 13 backports (trixie-backports): fetched into the cache.
TQ_V_7_3="7.3.4-1~bpo13+1"
TQ_R_7_3="7.3.4+deb13-amd64"

# The kernel flavours, one row each; check.sh, run-guest.sh, demo.sh and
# bench.sh read them through tq_fl (tools/lib.sh). Columns (whitespace
# separated, "-" for none, lists comma-separated):
#   name      the flavour, as TQ_KERNELS and run-guest.sh take it
#   kind      stock (Debian's image; short torture) or debug (built here;
#             KUnit, long torture)
#   series    kernel series (messages)
#   suite     where the packages come from: "system" (Debian 12, installed
#             by tools/deps.sh) or another suite of the same archive, fetched
#             with a private apt configuration into the cache and never
#             installed (tools/fetch.sh)
#   release   kernel release (uname -r) of a stock image ("-": debug)
#   source    linux-source package=version
#   image     package=version:path of the kernel image inside the package
#   headers   package=version list for the module build tree
#   prep      how the module build tree (KDIR) is made (tools/kernel.sh):
#               installed  the installed headers, /usr/src/linux-headers-<release>
#               extract    the headers packages extracted into the cache, with
#                          their absolute /usr/src and /usr/lib paths fixed up
#               prepare    `make olddefconfig modules_prepare` of the source
#                          with the headers' .config and Module.symvers
#               build      tinyconfig + the fragments: bzImage and modules
#   make      extra make variables for module builds against KDIR
#   fragments tools/kconfig/<name>.config merged on tinyconfig, in order
# Adding a kernel is adding a row (and its pins above); TQ_KERNELS_DEFAULT
# below is the matrix `make check` runs.
TQ_FLAVOURS="$(
	cat <<EOF
# name        kind  series  suite            release        source                       image                                                                   headers                                                                                                  prep      make   fragments
debug-6.12    debug 6.12    system           -              linux-source-6.12=$TQ_V_6_12 -                                                                       -                                                                                                        build     -      debug
debug-6.1     debug 6.1     system           -              linux-source-6.1=$TQ_V_6_1   -                                                                       -                                                                                                        build     -      debug,sig
kcsan-6.12    debug 6.12    system           -              linux-source-6.12=$TQ_V_6_12 -                                                                       -                                                                                                        build     -      debug,kcsan
debug-rt-6.12 debug 6.12    system           -              linux-source-6.12=$TQ_V_6_12 -                                                                       -                                                                                                        build     -      debug,rt
debug-7.3     debug 7.3     trixie-backports -              linux-source-7.3=$TQ_V_7_3   -                                                                       -                                                                                                        build     -      debug
stock-6.12    stock 6.12    system           $TQ_R_6_12     linux-source-6.12=$TQ_V_6_12 linux-image-$TQ_R_6_12-unsigned=$TQ_V_6_12:boot/vmlinuz-$TQ_R_6_12       linux-headers-$TQ_R_6_12=$TQ_V_6_12                                                                      installed -      -
stock-6.1     stock 6.1     system           $TQ_R_6_1      linux-source-6.1=$TQ_V_6_1   linux-image-$TQ_R_6_1-unsigned=$TQ_V_6_1:boot/vmlinuz-$TQ_R_6_1          linux-headers-$TQ_R_6_1=$TQ_V_6_1                                                                        installed -      -
stock-6.12-rt stock 6.12-rt system           $TQ_R_6_12_RT  linux-source-6.12=$TQ_V_6_12 linux-image-$TQ_R_6_12_RT-unsigned=$TQ_V_6_12:boot/vmlinuz-$TQ_R_6_12_RT linux-headers-$TQ_R_6_12_RT=$TQ_V_6_12                                                                   installed -      -
stock-5.10    stock 5.10    bullseye         $TQ_R_5_10     -                            linux-image-$TQ_R_5_10-unsigned=$TQ_V_5_10:boot/vmlinuz-$TQ_R_5_10       linux-headers-$TQ_R_5_10=$TQ_V_5_10,linux-headers-${TQ_R_5_10%-amd64}-common=$TQ_V_5_10,linux-kbuild-5.10=$TQ_V_5_10_KBUILD extract   CC=gcc -
stock-7.3     stock 7.3     trixie-backports $TQ_R_7_3      linux-source-7.3=$TQ_V_7_3   linux-binary-$TQ_R_7_3=$TQ_V_7_3:usr/lib/modules/$TQ_R_7_3/vmlinuz      linux-headers-$TQ_R_7_3=$TQ_V_7_3,linux-headers-${TQ_R_7_3%-amd64}-common=$TQ_V_7_3                     prepare   -      -
EOF
)"

# Host tools (unpinned: any Debian 12 version works).
TQ_HOST_PKGS="make gcc python3 qemu-system-x86 busybox-static bc bison flex
libelf-dev libssl-dev cpio xz-utils gzip sparse kmod rsync
gnuplot-nox procps openssl trace-cmd"
# Only with TQ_PERF=1 (`make bench` CPU profile).
TQ_PERF_PKGS="linux-perf"
# Unless TQ_MODEL=0: the protocol model (tests/model/, tools/model.sh).
TQ_MODEL_PKGS="spin"
TQ_PACKAGING_PKGS="dkms dh-dkms debhelper lintian" # tools/packaging.sh: make deb, DKMS
TQ_DOCS_PKGS="python3-sphinx" # make htmldocs (tools/htmldocs.sh), run by make check's static phase
# Unless TQ_PORT=0: tools/tq-port's semantic patches (tools/port.sh).
TQ_PORT_PKGS="coccinelle"
# The stock kernels the converted sources are built against, those of them
# that the run has (tools/port.sh), and the sources tq-port converts whole.
TQ_PORT_KERNELS="stock-6.1 stock-6.12 stock-7.3"
TQ_PORT_SOURCES="demos/jiq.c demos/sched.c tests/modules/tq_legacy22.c tests/modules/tq_legacy24.c"
# A source that relies on tqueue's unload purge: tq-port must report it
# (one line per place, one of them telling to add the cancel) and exit 1.
TQ_PORT_REPORTED="tests/modules/tq_leaky.c"

# Default test matrix for `make check` (override with TQ_KERNELS="...").
TQ_KERNELS_DEFAULT="debug-6.12 debug-6.1 kcsan-6.12 debug-rt-6.12 debug-7.3 stock-6.12 stock-6.1 stock-6.12-rt stock-5.10 stock-7.3"

# Flavour whose source tree provides checkpatch.pl, kernel-doc and kunit.py.
TQ_TOOLS_FLAVOUR="debug-6.12"
# Stock kernel used for the sparse (C=2) build.
TQ_SPARSE_KERNEL="stock-6.12"
TQ_MODSIG_FLAVOURS="debug-6.1 stock-6.12" # tools/modsig.sh: one more boot each, module.sig_enforce=1
TQ_PACKAGING_KERNEL="stock-6.12" # tools/packaging.sh builds and installs against its headers

# QEMU settings.
TQ_ACCEL="${TQ_ACCEL:-tcg}"
TQ_QEMU_SMP="${TQ_QEMU_SMP:-2}"
TQ_QEMU_MEM="${TQ_QEMU_MEM:-1G}"
TQ_SELFTEST_TIMEOUT="${TQ_SELFTEST_TIMEOUT:-300}" # per selftest script, seconds: a limit for hung scripts, generous because a loaded host slows TCG guests several times
# tq_torture.ko run length, seconds (tests/selftests/tqueue/torture.sh).
TQ_TORTURE_SECS_DEBUG="${TQ_TORTURE_SECS_DEBUG:-60}"
TQ_TORTURE_SECS_STOCK="${TQ_TORTURE_SECS_STOCK:-15}"
# storm.sh's time budget for its unload storms, seconds (every kernel).
TQ_STORM_SECS="${TQ_STORM_SECS:-70}"
# Whole guest run, seconds; default: 180 + TQ_SELFTEST_TIMEOUT per script.
TQ_GUEST_TIMEOUT="${TQ_GUEST_TIMEOUT:-}"

# Where things go.
TQ_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tqueue"

# herd7, for the LKMM litmus tests in tests/lkmm/ (tools/lkmm.sh): herd7 from
# PATH if there is one, else built once from the herdtools7 source tarball
# TQ_HERD7_TARBALL (herd7 is not packaged in Debian 12), which must have this
# SHA-256, with the packages below, and cached in
# $TQ_CACHE/herd7-<its first 12 hex digits>. CI keeps shared/ beside the clone.
TQ_HERD7_VER="7.57"
TQ_HERD7_SHA256="4264a65aeee3f187c5767bfadfbc60245af03dbc8316b4702353a795769e90d1"
TQ_HERD7_PKGS="ocaml-nox ocaml-dune menhir libmenhir-ocaml-dev libzarith-ocaml-dev"
if [[ -z "${TQ_HERD7_TARBALL:-}" && -f "$TQ_TOP/../shared/vendor/herdtools7-$TQ_HERD7_VER.tar.xz" ]]; then
	TQ_HERD7_TARBALL="$(cd "$TQ_TOP/.." && pwd)/shared/vendor/herdtools7-$TQ_HERD7_VER.tar.xz"
fi
