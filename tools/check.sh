# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# `make check`: static checks, the spin model of the protocol, the LKMM
# litmus tests, then for every kernel flavour in TQ_KERNELS (default:
# TQ_KERNELS_DEFAULT in tools/config.sh) a W=1 module build and a QEMU run (KUnit on debug kernels, selftests
# everywhere). The last line is the case count.
#
#   TQ_KERNELS="debug-6.12 stock-6.12" make check
#   TQ_STATIC=0 make check        # skip checkpatch/sparse/kernel-doc
#   TQ_MODEL=0 make check         # skip the spin model (tests/model/)
#   TQ_LKMM=0 make check          # skip the litmus tests (tests/lkmm/, herd7)
#   TQ_PACKAGING=0 make check     # skip make install/uninstall, client build
#   TQ_PORT=0 make check          # skip tools/tq-port's rules (tools/port.sh)
#   TQ_KERNELS=none make check    # static checks only
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# A cold cache lacks the debug kernels, minutes of build each: they are
# built in a background job while the static checks, the models and the
# kernels at hand run, and those kernels run first.
main() {
	local kernels fl missing=() ready=() bg=""
	kernels="${TQ_KERNELS:-$TQ_KERNELS_DEFAULT}"
	[[ "$kernels" == none ]] && kernels=""
	for fl in $kernels; do
		tq_fl_valid "$fl" || exit 2
	done
	tq_setup
	for fl in $kernels; do
		if tq_kernel_missing "$fl"; then
			missing+=("$fl")
		else
			ready+=("$fl")
		fi
	done
	kernels="${ready[*]} ${missing[*]}"
	tq_info "tqueue check: kernels: $kernels; logs: $TQ_LOGS"
	if ((${#missing[@]})); then
		tq_info "building the ${missing[*]} kernel(s) in the background meanwhile; log: $TQ_LOGS/kernels-background.log"
		tq_kernels_background "${missing[@]}" </dev/null >"$TQ_LOGS/kernels-background.log" 2>&1 &
		bg=$!
		# shellcheck disable=SC2064
		trap "tq_kill_tree $bg" EXIT
	fi
	if [[ "${TQ_STATIC:-1}" != 0 ]]; then
		tq_static_checks
	fi
	if [[ "${TQ_MODEL:-1}" != 0 ]]; then
		tq_model_checks
	fi
	if [[ "${TQ_LKMM:-1}" != 0 ]]; then
		tq_lkmm_checks
	fi
	if [[ "${TQ_PACKAGING:-1}" != 0 ]]; then
		tq_packaging_checks
	fi
	if [[ "${TQ_PORT:-1}" != 0 ]]; then
		tq_port_units
	fi
	for fl in $kernels; do
		tq_run_check "$fl"
	done
	if [[ -n "$bg" ]]; then
		wait "$bg" || true
		trap - EXIT
	fi
	tq_summary
	((TQ_FAIL == 0))
}

main "$@"
