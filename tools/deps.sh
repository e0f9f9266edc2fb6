# SPDX-License-Identifier: GPL-2.0
#
# Idempotent installation of the Debian packages the harness needs.
# shellcheck shell=bash

# tq_pkg_ok NAME [VERSION] -> 0 if installed (with that version, if given)
tq_pkg_ok() {
	local st
	st="$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "$1" 2>/dev/null)" || return 1
	[[ "$st" == ii* ]] || return 1
	[[ -z "${2:-}" || "${st##* }" == "$2" ]]
}

# The full package list, kernel packages pinned to their version (name=ver).
tq_pkg_list() {
	# shellcheck disable=SC2086 # a word list
	printf '%s\n' $TQ_HOST_PKGS
	if [[ "${TQ_PERF:-0}" == 1 ]]; then
		# shellcheck disable=SC2086 # a word list
		printf '%s\n' $TQ_PERF_PKGS
	fi
	if [[ "${TQ_MODEL:-1}" != 0 ]]; then
		# shellcheck disable=SC2086 # a word list
		printf '%s\n' $TQ_MODEL_PKGS
	fi
	tq_kernel_pkgs
}

# tq_kernel_pkgs -> the "system" suite's kernel packages of the flavour
# table (source, image, headers), as name=pin, each once.
tq_kernel_pkgs() {
	local fl spec
	for fl in $(tq_flavours); do
		[[ "$(tq_fl "$fl" suite)" == system ]] || continue
		for spec in $(tq_fl "$fl" source) $(tq_fl "$fl" image | cut -d: -f1) $(tq_fl "$fl" headers | tr ',' ' '); do
			printf '%s\n' "$spec"
		done
	done | awk '!seen[$0]++'
}

tq_deps() {
	local spec name ver missing=()
	command -v dpkg-query >/dev/null 2>&1 ||
		tq_die "dpkg-query not found: the harness needs Debian 12 (packages: see tools/config.sh)"
	while read -r spec; do
		name="${spec%%=*}"
		ver=""
		[[ "$spec" == *=* ]] && ver="${spec#*=}"
		tq_pkg_ok "$name" "$ver" || missing+=("$spec")
	done < <(tq_pkg_list)
	((${#missing[@]} == 0)) && return 0
	tq_apt_install "${missing[@]}"
}

# tq_apt_install SPEC... : install packages (name or name=version) with
# apt-get, or say how to when we cannot (not root, no apt-get).
tq_apt_install() {
	local missing=("$@") pkg
	if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
		printf 'tqueue: missing package %s; install with: apt-get install -y --no-install-recommends %s\n' \
			"${missing[*]}" "${missing[*]}" >&2
		return 1
	fi
	tq_info "installing: ${missing[*]}"
	for pkg in "${missing[@]}"; do
		if ! apt-cache show "$pkg" >/dev/null 2>&1; then
			apt-get update -qq >"$TQ_LOGS/apt-update.log" 2>&1 || true
			break
		fi
	done
	# The pins in tools/config.sh are what the cache keys and the tests
	# assume: a newer point release installed meanwhile (an upgrade) is
	# taken back to the pinned one rather than failing the run.
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		--allow-downgrades "${missing[@]}" >"$TQ_LOGS/apt-install.log" 2>&1; then
		printf 'tqueue: could not install %s (see %s); install with: apt-get install -y --no-install-recommends %s\n' \
			"${missing[*]}" "$TQ_LOGS/apt-install.log" "${missing[*]}" >&2
		return 1
	fi
}
