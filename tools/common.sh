# SPDX-License-Identifier: GPL-2.0
#
# Sources every harness library; used by the entry points.
# shellcheck shell=bash
_tq_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/lib.sh
. "$_tq_dir/lib.sh"
# shellcheck source=tools/deps.sh
. "$_tq_dir/deps.sh"
# shellcheck source=tools/fetch.sh
. "$_tq_dir/fetch.sh"
# shellcheck source=tools/kernel.sh
. "$_tq_dir/kernel.sh"
# shellcheck source=tools/initramfs.sh
. "$_tq_dir/initramfs.sh"
# shellcheck source=tools/qemu.sh
. "$_tq_dir/qemu.sh"
# shellcheck source=tools/results.sh
. "$_tq_dir/results.sh"
# shellcheck source=tools/pipeline.sh
. "$_tq_dir/pipeline.sh"
# shellcheck source=tools/static.sh
. "$_tq_dir/static.sh"
# shellcheck source=tools/modsig.sh
. "$_tq_dir/modsig.sh"
# shellcheck source=tools/packaging.sh
. "$_tq_dir/packaging.sh"
# shellcheck source=tools/model.sh
. "$_tq_dir/model.sh"
# shellcheck source=tools/lkmm.sh
. "$_tq_dir/lkmm.sh"
# shellcheck source=tools/port.sh
. "$_tq_dir/port.sh"
unset _tq_dir

# Common start: logs dir, packages, tools source tree (kunit.py, checkpatch).
tq_setup() {
	local t
	mkdir -p "$TQ_LOGS"
	# Modules DKMS built, for the guests: only this run's packaging checks
	# may leave them (tq_packaging_checks).
	rm -rf "$TQ_BUILD/dkms"
	t="$(tq_now)"
	tq_deps || exit 1
	tq_step_done "$t" "check host packages (tools/config.sh)"
	TQ_KUNIT_TREE="$(tq_src_tree "$TQ_TOOLS_FLAVOUR")" || exit 1
}
