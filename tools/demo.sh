# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# `make demo`: build the modules for a stock kernel (default stock-6.12,
# override with TQ_KERNELS=<flavour>), boot it in QEMU, load tqueue, jiq and
# sched, show the first lines of each /proc file, unload, print a verdict.
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

main() {
	local fl
	fl="${TQ_KERNELS:-stock-6.12}"
	fl="${fl%% *}"
	tq_fl_valid "$fl" || exit 2
	tq_setup
	if tq_run_demo "$fl"; then
		tq_info "demo passed; console log: $(tq_console "$fl" demo)"
	else
		tq_info "demo FAILED; console log: $(tq_console "$fl" demo)"
		exit 1
	fi
}

main "$@"
