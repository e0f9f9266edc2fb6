# SPDX-License-Identifier: GPL-2.0
#
# tqueue harness configuration: every package name and version lives here.
# To bump a kernel, change the *_ABI / *_VER values below; the debug-kernel
# cache key includes the source version, so old cache entries are not reused.
# shellcheck shell=bash disable=SC2034

# Kernel series under test and their Debian packages (pinned).
TQ_SERIES="6.12 6.1 6.12-rt"

TQ_SRC_PKG_6_12="linux-source-6.12"
TQ_SRC_VER_6_12="6.12.117-1~deb12u1"
TQ_STOCK_ABI_6_12="6.12.117+deb12-amd64"
TQ_STOCK_VER_6_12="6.12.117-1~deb12u1"

# PREEMPT_RT: Debian's stock RT kernel (stock-6.12-rt); the PREEMPT_RT debug
# kernel is debug-rt-6.12, built from the 6.12 source (below).
TQ_SRC_PKG_6_12_rt="linux-source-6.12"
TQ_SRC_VER_6_12_rt="6.12.117-1~deb12u1"
TQ_STOCK_ABI_6_12_rt="6.12.117+deb12-rt-amd64"
TQ_STOCK_VER_6_12_rt="6.12.117-1~deb12u1"

TQ_SRC_PKG_6_1="linux-source-6.1"
TQ_SRC_VER_6_1="6.1.192-2"
TQ_STOCK_ABI_6_1="6.1.0-56-amd64"
TQ_STOCK_VER_6_1="6.1.192-2"

# Host tools (unpinned: any Debian 12 version works).
TQ_HOST_PKGS="make gcc python3 qemu-system-x86 busybox-static bc bison flex
libelf-dev libssl-dev cpio xz-utils gzip sparse kmod rsync
gnuplot-nox"
# Only with TQ_PERF=1 (`make bench` CPU profile).
TQ_PERF_PKGS="linux-perf"
# Unless TQ_MODEL=0: the protocol model (tests/model/, tools/model.sh).
TQ_MODEL_PKGS="spin"

# Debug kernel variants (tools/kconfig/<variant>.config on top of debug.config)
# and the series they are built for: PREEMPT_RT (debug-rt-<series>; x86 has it
# in mainline from 6.12) and KCSAN (kcsan-<series>).
TQ_DEBUG_RT_SERIES="6.12"
TQ_KCSAN_SERIES="6.12"

# Default test matrix for `make check` (override with TQ_KERNELS="...").
TQ_KERNELS_DEFAULT="debug-6.12 debug-6.1 kcsan-6.12 debug-rt-6.12 stock-6.12 stock-6.1 stock-6.12-rt"

# Kernel whose source tree provides checkpatch.pl, kernel-doc and kunit.py.
TQ_TOOLS_SERIES="6.12"
# Stock kernel used for the sparse (C=2) build.
TQ_SPARSE_KERNEL="stock-6.12"

# QEMU settings.
TQ_ACCEL="${TQ_ACCEL:-tcg}"
TQ_QEMU_SMP="${TQ_QEMU_SMP:-2}"
TQ_QEMU_MEM="${TQ_QEMU_MEM:-1G}"
TQ_SELFTEST_TIMEOUT="${TQ_SELFTEST_TIMEOUT:-300}" # per selftest script, seconds: a limit for hung scripts, generous because a loaded host slows TCG guests several times
# tq_torture.ko run length, seconds (tests/selftests/tqueue/torture.sh).
TQ_TORTURE_SECS_DEBUG="${TQ_TORTURE_SECS_DEBUG:-60}"
TQ_TORTURE_SECS_STOCK="${TQ_TORTURE_SECS_STOCK:-15}"
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
