#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unit test of the fetching of other suites' packages (tools/fetch.sh)
# against fake apt-get and apt-cache on PATH and sources files of its own:
# the archive URI and keyring come from the system's sources, apt runs only
# with the private configuration, a package is fetched and extracted once,
# a pinned version gone from the suite is replaced by its newest (said in
# one line). Nothing is downloaded; TAP on stdout, exit status 1 if a case
# fails.
#
#   bash tools/tests/fetch.sh
set -euo pipefail
# shellcheck source=tools/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=tools/kernel.sh
. "$TQ_TOOLS/kernel.sh"
# shellcheck source=tools/fetch.sh
. "$TQ_TOOLS/fetch.sh"

T="$(mktemp -d "${TMPDIR:-/tmp}/tqueue-test-fetch.XXXXXX")"
trap 'rm -rf "$T"' EXIT
TQ_CACHE="$T/cache"
TQ_LOGS="$T/logs"
mkdir -p "$T/bin" "$T/archive" "$T/etc/sources.list.d" "$TQ_LOGS"
export TQ_FAKE="$T"

# The fakes: $TQ_FAKE/archive/<name> holds the suite's versions of a
# package; every call is logged to $TQ_FAKE/apt.log; `download` builds a
# one-file .deb of the asked version.
cat >"$T/bin/apt-cache" <<'EOF'
#!/bin/bash
echo "apt-cache $*" >>"$TQ_FAKE/apt.log"
while [[ "$1" == -* ]]; do [[ "$1" == -o ]] && shift; shift; done
[[ "$1" == madison && -f "$TQ_FAKE/archive/$2" ]] || exit 0
while read -r v; do printf '%10s | %s | http://deb.debian.org/debian bullseye/main amd64 Packages\n' "$2" "$v"; done <"$TQ_FAKE/archive/$2"
EOF
cat >"$T/bin/apt-get" <<'EOF'
#!/bin/bash
echo "apt-get $*" >>"$TQ_FAKE/apt.log"
while [[ "$1" == -* ]]; do [[ "$1" == -o ]] && shift; shift; done
case "$1" in
update) exit 0 ;;
download)
	n="${2%%=*}" v="${2#*=}"
	grep -qxF "$v" "$TQ_FAKE/archive/$n" 2>/dev/null || { echo "E: Version '$v' for '$n' was not found"; exit 100; }
	d="$(mktemp -d)"
	mkdir -p "$d/DEBIAN" "$d/usr/share/$n"
	printf 'Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: t <t@t>\nDescription: t\n' "$n" "$v" >"$d/DEBIAN/control"
	echo "$v" >"$d/usr/share/$n/version"
	dpkg-deb -b "$d" "./${n}_${v}_all.deb" >/dev/null
	rm -rf "$d" ;;
esac
EOF
chmod +x "$T/bin/"*
PATH="$T/bin:$PATH"

# shellcheck source=tools/tests/lib/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/tap.sh"

# The archive and keyring, from deb822 sources (security stanza first) ...
TQ_APT_SOURCES_D="$T/etc/sources.list.d"
TQ_APT_SOURCES_LIST="$T/etc/sources.list"
cat >"$T/etc/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://security.example/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/sec.gpg

Types: deb
# a comment
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
expect "archive from deb822 sources, not the security one" "$(tq_apt_archive)" \
	"http://mirror.example/debian /usr/share/keyrings/debian-archive-keyring.gpg"
# ... or a one-line sources.list.
rm "$T/etc/sources.list.d/debian.sources"
printf 'deb http://security.example/debian-security bookworm-security main\ndeb [arch=amd64 signed-by=/k.gpg] http://old.example/debian bookworm main\n' \
	>"$T/etc/sources.list"
expect "archive from a one-line sources.list" "$(tq_apt_archive)" "http://old.example/debian /k.gpg"

# A pinned version the suite has: fetched and extracted once.
echo 5.10.218-1 >"$T/archive/linux-headers-x"
echo 5.10.223-1 >>"$T/archive/linux-headers-x"
rc=0
dir="$(tq_fetch bullseye linux-headers-x=5.10.218-1 2>"$T/err")" || rc=$?
expect "pinned version: fetched" "$rc" 0
expect "pinned version: extracted into the cache, keyed by version" \
	"$dir:$(cat "$dir/usr/share/linux-headers-x/version")" "$TQ_CACHE/deb/linux-headers-x_5.10.218-1:5.10.218-1"
expect "the private sources file names the suite, archive and keyring" "$(cat "$TQ_CACHE/apt/bullseye/sources.list")" \
	"deb [signed-by=/k.gpg] http://old.example/debian bullseye main"
bad="$(grep -v -e "-o Dir::Etc::sourcelist=$TQ_CACHE/apt/bullseye/sources.list -o Dir::Etc::sourceparts=- -o Dir::State::Lists=$TQ_CACHE/apt/bullseye/lists -o Dir::Cache=$TQ_CACHE/apt/bullseye/cache" "$T/apt.log" || true)"
expect "apt runs only with the private configuration" "$bad" ""
expect "apt-get download asks for the pin" "$(grep -c 'download linux-headers-x=5.10.218-1$' "$T/apt.log")" 1
: >"$T/apt.log"
dir2="$(tq_fetch bullseye linux-headers-x=5.10.218-1 2>/dev/null)"
expect "second fetch: from the cache, no apt call" "$dir2:$(cat "$T/apt.log")" "$dir:"

# The pin gone from the suite: its newest, said in one line.
printf '5.10.226-1\n5.10.224-1\n' >"$T/archive/linux-kbuild-x"
rc=0
dir="$(tq_fetch bullseye linux-kbuild-x=5.10.223-1 2>"$T/err")" || rc=$?
expect "pin gone: the newest is fetched" "$rc:${dir##*/}" "0:linux-kbuild-x_5.10.226-1"
expect "pin gone: said in one line" "$(grep -v '^\[' "$T/err")" \
	"tqueue: linux-kbuild-x: pinned 5.10.223-1 is gone from bullseye; using 5.10.226-1"

# A package the suite does not have at all.
rc=0
tq_fetch bullseye linux-nothing=1.0-1 >/dev/null 2>"$T/err" || rc=$?
expect "absent package: fails, saying so" "$rc:$(cat "$T/err")" "1:tqueue: linux-nothing: not in bullseye (pinned 1.0-1)"

tap_done
