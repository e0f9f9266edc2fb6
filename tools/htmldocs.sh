#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make htmldocs`: Documentation/ as HTML in build/htmldocs/, with
# sphinx-build -W (every warning an error). The ``.. kernel-doc::``
# directives need a kernel source tree's Sphinx extension and
# scripts/kernel-doc: TQ_KERNEL_SRC, or the harness's extracted
# linux-source of TQ_TOOLS_FLAVOUR (tools/config.sh), installed and
# extracted if missing, as is python3-sphinx.
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

main() {
	local src out="$TQ_BUILD/htmldocs" log="$TQ_LOGS/htmldocs.log" t
	mkdir -p "$TQ_LOGS"
	t="$(tq_now)"
	command -v sphinx-build >/dev/null 2>&1 || tq_apt_install $TQ_DOCS_PKGS || exit 1
	src="${TQ_KERNEL_SRC:-}"
	if [[ -z "$src" ]]; then
		tq_deps || exit 1
		src="$(tq_src_tree "$TQ_TOOLS_FLAVOUR")" || exit 1
	fi
	[[ -f "$src/Documentation/sphinx/kerneldoc.py" ]] ||
		tq_die "TQ_KERNEL_SRC=$src: no Documentation/sphinx/kerneldoc.py (a kernel source tree?)"
	rm -rf "$out"
	if ! TQ_KERNEL_SRC="$src" sphinx-build -W --keep-going -q -b html -d "$TQ_BUILD/htmldocs.doctrees" \
		"$TQ_TOP/Documentation" "$out" >"$log" 2>&1; then
		cat "$log" >&2
		tq_die "htmldocs: sphinx-build failed; log: $log"
	fi
	tq_step_done "$t" "htmldocs: $out/index.html (sphinx-build -W, kernel-doc of $src) -> $log"
}

main "$@"
