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

# The full package list, "name[=pin]<TAB>release" (see tq_kernel_pkgs).
tq_pkg_list() {
	# shellcheck disable=SC2086 # a word list
	printf '%s\t-\n' $TQ_HOST_PKGS
	if [[ "${TQ_PERF:-0}" == 1 ]]; then
		# shellcheck disable=SC2086 # a word list
		printf '%s\t-\n' $TQ_PERF_PKGS
	fi
	if [[ "${TQ_MODEL:-1}" != 0 ]]; then
		# shellcheck disable=SC2086 # a word list
		printf '%s\t-\n' $TQ_MODEL_PKGS
	fi
	if [[ "${TQ_STATIC:-1}" != 0 ]]; then
		# shellcheck disable=SC2086 # a word list
		printf '%s\t-\n' $TQ_DOCS_PKGS
	fi
	if [[ "${TQ_PACKAGING:-1}" != 0 ]]; then
		# shellcheck disable=SC2086 # a word list
		printf '%s\t-\n' $TQ_PACKAGING_PKGS
	fi
	if [[ "${TQ_PORT:-1}" != 0 ]]; then
		# shellcheck disable=SC2086 # a word list
		printf '%s\t-\n' $TQ_PORT_PKGS
	fi
	tq_kernel_pkgs
}

# tq_kernel_pkgs -> the "system" suite's kernel packages of the flavour
# table (source, image, headers), as "name=pin<TAB>release" (the row's
# kernel release, "-" for debug rows), each package once.
tq_kernel_pkgs() {
	local fl spec rel
	for fl in $(tq_flavours); do
		[[ "$(tq_fl "$fl" suite)" == system ]] || continue
		rel="$(tq_fl "$fl" release)"
		for spec in $(tq_fl "$fl" source) $(tq_fl "$fl" image | cut -d: -f1) $(tq_fl "$fl" headers | tr ',' ' '); do
			printf '%s\t%s\n' "$spec" "${rel:--}"
		done
	done | awk -F '\t' '!seen[$1]++'
}

# tq_pkg_installed NAME -> the installed version of NAME (1 if not installed)
tq_pkg_installed() {
	local st
	st="$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "$1" 2>/dev/null)" || return 1
	[[ "$st" == ii* ]] || return 1
	printf '%s' "${st##* }"
}

# tq_archive_versions NAME -> the versions of NAME the archive has, newest
# first (apt-cache madison; the lists are refreshed once per run if NAME is
# not in them)
tq_archive_versions() {
	local v
	v="$(apt-cache madison "$1" 2>/dev/null | awk -F ' *[|] *' '{ print $2 }')"
	if [[ -z "$v" && -z "${TQ_APT_UPDATED:-}" ]] && [[ "$(id -u)" == 0 ]]; then
		TQ_APT_UPDATED=1
		apt-get update -qq >"$TQ_LOGS/apt-update.log" 2>&1 || true
		v="$(apt-cache madison "$1" 2>/dev/null | awk -F ' *[|] *' '{ print $2 }')"
	fi
	[[ -n "$v" ]] && sort -Vr <<<"$v"
}

# tq_series_names NAME RELEASE -> the packages of the archive that are NAME
# with another ABI of the same series: RELEASE (the kernel release inside
# NAME) with each number after its major.minor that follows ".", "-" or "+"
# replaced by any number (6.1.0-56-amd64 -> 6.1.<n>-<n>-amd64), newest first
tq_series_names() {
	local name="$1" rel="$2" pre suf mm re
	[[ "$rel" != - && "$name" == *"$rel"* ]] || return 0
	pre="${name%%"$rel"*}"
	suf="${name#*"$rel"}"
	mm="$(grep -oE '^[0-9]+\.[0-9]+' <<<"$rel")" || return 0
	re="$(sed -e 's/[.+]/\\&/g' -e 's/\([-.+]\)[0-9][0-9]*/\1[0-9]+/g' <<<"${rel#"$mm"}")"
	apt-cache pkgnames "$pre" 2>/dev/null |
		P="$pre" S="$suf" RE="^${mm//./\\.}$re\$" awk '{
			p = ENVIRON["P"]; s = ENVIRON["S"]
			if (index($0, p) != 1 || length($0) <= length(p) + length(s)) next
			if (substr($0, length($0) - length(s) + 1) != s) next
			r = substr($0, length(p) + 1, length($0) - length(p) - length(s))
			if (r ~ ENVIRON["RE"]) print
		}' | sort -Vr
}

# tq_deps: install what the harness needs. A kernel package pinned as
# name=pin is good at any installed version >= pin (an upgrade of the same
# ABI); otherwise the pin is installed, or, when the archive no longer has
# it, the newest version of that name, or, when the name itself (its ABI)
# is gone, the newest package of the same series (a new ABI: the flavour
# rows then use its release, through build/abi-map). Each such choice is
# said in one line; build/versions lists the kernel packages used
# (tq_versions_summary prints them).
tq_deps() {
	local spec rel name pin ver vers newest newrel missing=() used=() n
	command -v dpkg-query >/dev/null 2>&1 ||
		tq_die "dpkg-query not found: the harness needs Debian 12 (packages: see tools/config.sh)"
	mkdir -p "$TQ_BUILD" "$TQ_LOGS"
	rm -f "$TQ_BUILD/abi-map" "$TQ_BUILD/versions"
	while IFS=$'\t' read -r spec rel; do
		name="${spec%%=*}"
		if [[ "$spec" != *=* ]]; then
			tq_pkg_installed "$name" >/dev/null || missing+=("$name")
			continue
		fi
		pin="${spec#*=}"
		if ver="$(tq_pkg_installed "$name")" && dpkg --compare-versions "$ver" ge "$pin"; then
			used+=("$name $pin")
			continue
		fi
		vers="$(tq_archive_versions "$name")"
		if grep -qxF -- "$pin" <<<"$vers"; then
			missing+=("$name=$pin")
			used+=("$name $pin")
		elif [[ -n "$vers" ]]; then
			newest="$(head -n1 <<<"$vers")"
			tq_warn "$name: pinned $pin is not in the archive; using its newest, $newest"
			missing+=("$name=$newest")
			used+=("$name $pin")
		else
			n="$(tq_series_names "$name" "$rel" | head -n1)"
			if [[ -z "$n" ]]; then
				tq_warn "$name: neither $pin nor any package of its series is in the archive"
				missing+=("$name=$pin")
				continue
			fi
			tq_warn "$name: gone from the archive (pinned $pin); using the newest of its series, $n"
			newrel="${n#"${name%%"$rel"*}"}"
			printf '%s %s\n' "$rel" "${newrel%"${name#*"$rel"}"}" >>"$TQ_BUILD/abi-map"
			tq_pkg_installed "$n" >/dev/null || missing+=("$n")
			used+=("$n $pin")
		fi
	done < <(tq_pkg_list)
	if ((${#missing[@]} > 0)); then
		tq_apt_install "${missing[@]}" || return 1
	fi
	for n in "${used[@]}"; do
		read -r name pin <<<"$n"
		printf '%s %s %s\n' "$name" "$(tq_pkg_installed "$name" || echo '?')" "$pin" >>"$TQ_BUILD/versions"
	done
	[[ ! -s "$TQ_BUILD/abi-map" ]] || sort -u -o "$TQ_BUILD/abi-map" "$TQ_BUILD/abi-map"
}

# tq_versions_summary -> one line naming the kernel packages of this run and
# their versions (with the pin where it differs)
tq_versions_summary() {
	[[ -s "$TQ_BUILD/versions" ]] || return 0
	awk '{ printf "%s%s %s%s", (NR > 1 ? ", " : "packages: "), $1, $2, ($2 == $3 ? "" : " (pin " $3 ")") } END { print "" }' \
		"$TQ_BUILD/versions"
}

# tq_apt_install SPEC... : install packages (name or name=version) with
# apt-get, or say how to when we cannot (not root, no apt-get).
tq_apt_install() {
	local missing=("$@")
	if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
		printf 'tqueue: missing package %s; install with: apt-get install -y --no-install-recommends %s\n' \
			"${missing[*]}" "${missing[*]}" >&2
		return 1
	fi
	tq_info "installing: ${missing[*]}"
	if [[ -z "${TQ_APT_UPDATED:-}" ]] && ! apt-cache show "${missing[@]%%=*}" >/dev/null 2>&1; then
		TQ_APT_UPDATED=1
		apt-get update -qq >"$TQ_LOGS/apt-update.log" 2>&1 || true
	fi
	# Never a downgrade: tq_deps asks for a pinned version only when
	# nothing as new is installed.
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >"$TQ_LOGS/apt-install.log" 2>&1; then
		printf 'tqueue: could not install %s (see %s); install with: apt-get install -y --no-install-recommends %s\n' \
			"${missing[*]}" "$TQ_LOGS/apt-install.log" "${missing[*]}" >&2
		return 1
	fi
}
