#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# compat-report.sh [--expect-new] KDIR [MAKE-ARG...]: which branch of
# src/compat.h each feature probe picks against the kernel tree KDIR.
#
# Runs the probes alone (the top-level Kbuild with TQC_PROBE_ONLY=1, in a
# scratch copy: the work tree gets no build products) and prints one line a
# probe, "tqueue: probe NAME: new API" or "tqueue: probe NAME: old API
# (fallback)". With --expect-new, exits 1 unless every probe says new API,
# which is what the newest supported kernel (7.3) must give. MAKE-ARGs go to
# make, e.g. CC=gcc for Debian 11's headers (they name gcc-10).
set -euo pipefail

expect_new=0
if [[ ${1:-} == --expect-new ]]; then
	expect_new=1
	shift
fi
if (($# < 1)) || [[ ! -d $1 ]]; then
	echo "usage: $0 [--expect-new] KDIR [MAKE-ARG...]" >&2
	exit 2
fi
kdir=$1
shift
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tqc-report.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src"
cp "$top/Kbuild" "$tmp/"
cp -r "$top/src/probes" "$tmp/src/"

if ! make -s -C "$kdir" M="$tmp" TQC_PROBE_ONLY=1 "$@" modules >"$tmp/log" 2>&1 ||
	[[ ! -s $tmp/.compat/probes.txt ]]; then
	echo "tqueue: the probes did not run against $kdir:" >&2
	grep -v '^tqueue: probe ' "$tmp/log" >&2 || true
	exit 2
fi

old=0
echo "tqueue: kernel $(make -s --no-print-directory -C "$kdir" "$@" kernelversion 2>/dev/null) ($kdir)"
while read -r name result; do
	if [[ $result == yes ]]; then
		echo "tqueue: probe $name: new API"
	else
		echo "tqueue: probe $name: old API (fallback)"
		old=$((old + 1))
	fi
done <"$tmp/.compat/probes.txt"

if ((expect_new && old)); then
	echo "tqueue: $old probe(s) took the old API, expected none" >&2
	exit 1
fi
exit 0
