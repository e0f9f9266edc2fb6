# SPDX-License-Identifier: GPL-2.0
#
# Packages of other Debian suites (the flavour table's "suite" column, e.g.
# bullseye, trixie-backports), fetched without touching the system: a
# private apt configuration per suite (its own sources file, with the
# archive URI and keyring the system's sources already name, its own lists
# and cache), `apt-get download`, `dpkg-deb -x` into the cache.
#
# Cache layout (TQ_CACHE):
#   apt/<suite>/{sources.list,lists/,cache/}   the private apt configuration
#   deb/<package>_<version>/                   an extracted package
# shellcheck shell=bash

# Lists older than this (seconds) are refreshed before a version is looked up.
TQ_APT_MAX_AGE="${TQ_APT_MAX_AGE:-86400}"
# The system's apt sources, for the archive URI and keyring.
TQ_APT_SOURCES_D="${TQ_APT_SOURCES_D:-/etc/apt/sources.list.d}"
TQ_APT_SOURCES_LIST="${TQ_APT_SOURCES_LIST:-/etc/apt/sources.list}"

# tq_apt_archive -> "URI KEYRING" of the system's Debian archive (the first
# deb822 stanza of TQ_APT_SOURCES_D/*.sources with a suite that is not
# -security, else the first "deb" line of TQ_APT_SOURCES_LIST).
tq_apt_archive() {
	local f out=""
	for f in "$TQ_APT_SOURCES_D"/*.sources; do
		[[ -f "$f" ]] || continue
		out="$(awk '
			function flush() {
				if (uri != "" && suites !~ /-security/ && types ~ /(^| )deb( |$)/) { print uri " " key; found = 1; exit }
				uri = suites = key = types = ""
			}
			/^[ \t]*$/ { flush(); next }
			/^[ \t]*#/ { next }
			tolower($1) == "uris:" { uri = $2 }
			tolower($1) == "suites:" { $1 = ""; suites = $0 }
			tolower($1) == "types:" { $1 = ""; types = $0 " " }
			tolower($1) == "signed-by:" { key = $2 }
			END { if (!found) flush() }' "$f")"
		[[ -n "$out" ]] && break
	done
	if [[ -z "$out" && -f "$TQ_APT_SOURCES_LIST" ]]; then
		out="$(sed -n 's/^deb[ \t]\+\(\[[^]]*signed-by=\([^] ]*\)[^]]*\]\)\?[ \t]*\([^ \t]*\).*/\3 \2/p' "$TQ_APT_SOURCES_LIST" |
			grep -v security | head -n1)" || true
	fi
	[[ -n "$out" ]] || tq_die "no Debian archive in $TQ_APT_SOURCES_D/*.sources or $TQ_APT_SOURCES_LIST"
	[[ "$out" == *" "?* ]] || out="${out% } /usr/share/keyrings/debian-archive-keyring.gpg"
	printf '%s' "$out"
}

# tq_apt SUITE apt-get|apt-cache ARGS...: run apt with SUITE's private
# configuration (created on first use).
tq_apt() {
	local suite="$1" tool="$2" d uri key
	shift 2
	d="$TQ_CACHE/apt/$suite"
	if [[ ! -f "$d/sources.list" ]]; then
		read -r uri key <<<"$(tq_apt_archive)"
		mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
		printf 'deb [signed-by=%s] %s %s main\n' "$key" "$uri" "$suite" >"$d/sources.list"
	fi
	"$tool" -q -o Dir::Etc::sourcelist="$d/sources.list" -o Dir::Etc::sourceparts=- \
		-o Dir::State::Lists="$d/lists" -o Dir::Cache="$d/cache" \
		-o APT::Sandbox::User=root "$@"
}

# tq_apt_update SUITE [force]: refresh SUITE's lists if absent, older than
# TQ_APT_MAX_AGE, or if "force".
tq_apt_update() {
	local suite="$1" d="$TQ_CACHE/apt/$1" stamp age
	stamp="$d/lists/.tqueue-updated"
	if [[ "${2:-}" != force && -f "$stamp" ]]; then
		age=$(($(date +%s) - $(stat -c %Y "$stamp")))
		((age < TQ_APT_MAX_AGE)) && return 0
	fi
	mkdir -p "$TQ_LOGS"
	tq_apt "$suite" apt-get update >"$TQ_LOGS/apt-$suite-update.log" 2>&1 ||
		{ tq_warn "apt-get update for $suite failed; log: $TQ_LOGS/apt-$suite-update.log"; return 1; }
	touch "$stamp"
}

# tq_fetch_version SUITE PKG PIN -> the version to use: PIN if the cache or
# SUITE has it, else the newest SUITE has (said in one line on stderr).
tq_fetch_version() {
	local suite="$1" pkg="$2" pin="$3" vers newest
	if [[ -f "$TQ_CACHE/deb/${pkg}_$pin/.tqueue-complete" ]]; then
		printf '%s' "$pin"
		return 0
	fi
	tq_apt_update "$suite" || return 1
	vers="$(tq_apt "$suite" apt-cache madison "$pkg" 2>/dev/null | awk -F ' *[|] *' '{ print $2 }')"
	if ! grep -qxF -- "$pin" <<<"$vers"; then
		tq_apt_update "$suite" force || return 1
		vers="$(tq_apt "$suite" apt-cache madison "$pkg" 2>/dev/null | awk -F ' *[|] *' '{ print $2 }')"
	fi
	if grep -qxF -- "$pin" <<<"$vers"; then
		printf '%s' "$pin"
		return 0
	fi
	newest="$(grep . <<<"$vers" | sort -V | tail -n1)"
	[[ -n "$newest" ]] || { tq_warn "$pkg: not in $suite (pinned $pin)"; return 1; }
	tq_warn "$pkg: pinned $pin is gone from $suite; using $newest"
	printf '%s' "$newest"
}

# tq_fetch SUITE PKG=PIN -> directory of the extracted package (version from
# tq_fetch_version), fetched and extracted once into the cache.
tq_fetch() {
	local suite="$1" spec="$2" pkg ver dest tmp t
	pkg="${spec%%=*}"
	ver="$(tq_fetch_version "$suite" "$pkg" "${spec#*=}")" || return 1
	dest="$TQ_CACHE/deb/${pkg}_$ver"
	if [[ ! -f "$dest/.tqueue-complete" ]]; then
		tq_cache_lock "deb-$pkg"
		if [[ ! -f "$dest/.tqueue-complete" ]]; then
			t="$(tq_now)"
			mkdir -p "$TQ_CACHE/deb" "$TQ_LOGS"
			rm -rf "$dest"
			tmp="$(mktemp -d "$TQ_CACHE/deb/.tmp-$pkg.XXXXXX")"
			if ! (cd "$tmp" && tq_apt "$suite" apt-get download "$pkg=$ver") >"$TQ_LOGS/apt-download-$pkg.log" 2>&1 ||
				! dpkg-deb -x "$tmp/"*.deb "$tmp/root"; then
				rm -rf "$tmp"
				tq_cache_unlock "deb-$pkg"
				tq_warn "fetching $pkg=$ver from $suite failed; log: $TQ_LOGS/apt-download-$pkg.log"
				return 1
			fi
			printf '%s %s %s\n' "$suite" "$pkg" "$ver" >"$tmp/root/.tqueue-complete"
			mv -T "$tmp/root" "$dest"
			rm -rf "$tmp"
			tq_step_done "$t" "fetch $pkg $ver ($suite) -> $dest" >&2
		fi
		tq_cache_unlock "deb-$pkg"
	fi
	printf '%s' "$dest"
}
