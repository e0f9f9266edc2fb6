#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unit test of the package pins (tools/deps.sh: tq_deps) against fake
# dpkg-query, apt-cache, apt-get and id on PATH: an upgrade past a pin is
# accepted, a pin is installed only when nothing as new is, a pin gone from
# the archive is replaced by the newest of its name, a name (ABI) gone from
# the archive by the newest of its series, and the flavour rows follow a new
# ABI. No package is installed; TAP on stdout, exit status 1 if a case fails.
#
#   bash tools/tests/deps.sh
set -euo pipefail
# shellcheck source=tools/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=tools/deps.sh
. "$TQ_TOOLS/deps.sh"

T="$(mktemp -d "${TMPDIR:-/tmp}/tqueue-test-deps.XXXXXX")"
trap 'rm -rf "$T"' EXIT
TQ_BUILD="$T/build"
TQ_LOGS="$T/logs"
TQ_HOST_PKGS="make"
TQ_MODEL=0
TQ_STATIC=0
TQ_PACKAGING=0
TQ_PORT=0
TQ_PERF=0
TQ_FLAVOURS="$(
	cat <<'EOF'
# name    kind  series suite  release        source                    image                                                               headers                                prep      make fragments
debug-6.1 debug 6.1    system -              linux-source-6.1=6.1.192-2 -                                                                  -                                      build     -    debug
stock-6.1 stock 6.1    system 6.1.0-56-amd64 linux-source-6.1=6.1.192-2 linux-image-6.1.0-56-amd64-unsigned=6.1.192-2:boot/vmlinuz-6.1.0-56-amd64 linux-headers-6.1.0-56-amd64=6.1.192-2 installed -    -
EOF
)"
mkdir -p "$T/bin" "$T/installed" "$T/archive"
export TQ_FAKE="$T"

# The fakes: $TQ_FAKE/installed/<name> holds the installed version,
# $TQ_FAKE/archive/<name> the archive's versions (one a line); apt-get
# logs each call to $TQ_FAKE/apt.log and, like apt, refuses a downgrade.
cat >"$T/bin/dpkg-query" <<'EOF'
#!/bin/bash
f="${*: -1}"
[[ -f "$TQ_FAKE/installed/$f" ]] || { echo "dpkg-query: no packages found matching $f" >&2; exit 1; }
case "$*" in
*Status-Abbrev*) printf 'ii  %s' "$(cat "$TQ_FAKE/installed/$f")" ;;
*) printf '%s' "$(cat "$TQ_FAKE/installed/$f")" ;;
esac
EOF
cat >"$T/bin/apt-cache" <<'EOF'
#!/bin/bash
case "$1" in
madison)
	[[ -f "$TQ_FAKE/archive/$2" ]] || exit 0
	while read -r v; do printf '%s | %s | http://deb.debian.org/debian bookworm/main amd64 Packages\n' "$2" "$v"; done <"$TQ_FAKE/archive/$2" ;;
pkgnames) ls "$TQ_FAKE/archive" | grep "^$2" || true ;;
show)
	shift
	for p in "$@"; do [[ -f "$TQ_FAKE/archive/$p" ]] || exit 100; done ;;
esac
EOF
cat >"$T/bin/apt-get" <<'EOF'
#!/bin/bash
echo "apt-get $*" >>"$TQ_FAKE/apt.log"
[[ " $* " == *" install "* ]] || exit 0
for a in "$@"; do
	[[ "$a" == -* || "$a" == install ]] && continue
	n="${a%%=*}"
	[[ -f "$TQ_FAKE/archive/$n" ]] || { echo "E: Unable to locate package $n"; exit 100; }
	v="$(sort -V "$TQ_FAKE/archive/$n" | tail -n1)"
	[[ "$a" == *=* ]] && v="${a#*=}"
	grep -qxF "$v" "$TQ_FAKE/archive/$n" || { echo "E: Version '$v' for '$n' was not found"; exit 100; }
	if [[ -f "$TQ_FAKE/installed/$n" ]] && dpkg --compare-versions "$(cat "$TQ_FAKE/installed/$n")" gt "$v" &&
		[[ " $* " != *" --allow-downgrades "* ]]; then
		echo "E: Packages were downgraded and -y was used without --allow-downgrades."
		exit 100
	fi
done
for a in "$@"; do
	[[ "$a" == -* || "$a" == install ]] && continue
	n="${a%%=*}"
	v="$(sort -V "$TQ_FAKE/archive/$n" | tail -n1)"
	[[ "$a" == *=* ]] && v="${a#*=}"
	echo "$v" >"$TQ_FAKE/installed/$n"
done
EOF
printf '#!/bin/sh\necho 0\n' >"$T/bin/id"
chmod +x "$T/bin/"*
PATH="$T/bin:$PATH"

# shellcheck source=tools/tests/lib/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/tap.sh"

# state INSTALLED ARCHIVE: "name=ver ..." each; resets the fake system.
state() {
	local s
	rm -rf "$T/installed" "$T/archive" "$T/apt.log" "$TQ_BUILD"
	mkdir -p "$T/installed" "$T/archive"
	for s in $1; do echo "${s#*=}" >"$T/installed/${s%%=*}"; done
	for s in $2; do echo "${s#*=}" >>"$T/archive/${s%%=*}"; done
	touch "$T/apt.log"
}
installs() { sed -n 's/^apt-get .*install -y -qq --no-install-recommends //p' "$T/apt.log" | paste -sd ';'; }
run_deps() { tq_deps >"$T/out" 2>"$T/err"; }
PINNED="make=4.3-4.1 linux-source-6.1=6.1.192-2 linux-image-6.1.0-56-amd64-unsigned=6.1.192-2 linux-headers-6.1.0-56-amd64=6.1.192-2"

# 1. Everything installed at the pins: no apt-get at all.
state "$PINNED" "$PINNED"
rc=0
run_deps || rc=$?
expect "pins installed: tq_deps succeeds" "$rc" 0
expect "pins installed: apt-get is not run" "$(cat "$T/apt.log")" ""
expect "pins installed: summary names the versions" "$(tq_versions_summary)" \
	"packages: linux-source-6.1 6.1.192-2, linux-image-6.1.0-56-amd64-unsigned 6.1.192-2, linux-headers-6.1.0-56-amd64 6.1.192-2"

# 2. A newer point release installed (the upgrade of issue 12): accepted,
# no downgrade, reported with its pin.
state "make=4.3-4.1 linux-source-6.1=6.1.192-3 linux-image-6.1.0-56-amd64-unsigned=6.1.192-2 linux-headers-6.1.0-56-amd64=6.1.192-2" \
	"$PINNED linux-source-6.1=6.1.192-3"
rc=0
run_deps || rc=$?
expect "upgraded past the pin: tq_deps succeeds" "$rc" 0
expect "upgraded past the pin: nothing installed or downgraded" "$(installs)" ""
expect "upgraded past the pin: summary shows version and pin" "$(tq_versions_summary)" \
	"packages: linux-source-6.1 6.1.192-3 (pin 6.1.192-2), linux-image-6.1.0-56-amd64-unsigned 6.1.192-2, linux-headers-6.1.0-56-amd64 6.1.192-2"
expect "upgraded past the pin: nothing said" "$(cat "$T/err")" ""

# 3. Not installed / older than the pin, pin in the archive (with a newer
# one): the pin is installed.
state "make=4.3-4.1 linux-source-6.1=6.1.190-1 linux-image-6.1.0-56-amd64-unsigned=6.1.192-2" \
	"$PINNED linux-source-6.1=6.1.190-1 linux-source-6.1=6.1.192-3 linux-headers-6.1.0-56-amd64=6.1.192-3"
rc=0
run_deps || rc=$?
expect "older or missing: tq_deps succeeds" "$rc" 0
expect "older or missing: the pins are installed" "$(installs)" \
	"linux-source-6.1=6.1.192-2 linux-headers-6.1.0-56-amd64=6.1.192-2"

# 4. The archive no longer has the pinned version: the newest of that name,
# said in one line.
state "make=4.3-4.1 linux-image-6.1.0-56-amd64-unsigned=6.1.192-2 linux-headers-6.1.0-56-amd64=6.1.192-2" \
	"make=4.3-4.1 linux-source-6.1=6.1.192-3 linux-source-6.1=6.1.192-4 linux-image-6.1.0-56-amd64-unsigned=6.1.192-2 linux-headers-6.1.0-56-amd64=6.1.192-2"
rc=0
run_deps || rc=$?
expect "pin gone: tq_deps succeeds" "$rc" 0
expect "pin gone: the newest of the name is installed" "$(installs)" "linux-source-6.1=6.1.192-4"
expect "pin gone: said in one line" "$(cat "$T/err")" \
	"tqueue: linux-source-6.1: pinned 6.1.192-2 is not in the archive; using its newest, 6.1.192-4"
expect "pin gone: summary" "$(tq_versions_summary)" \
	"packages: linux-source-6.1 6.1.192-4 (pin 6.1.192-2), linux-image-6.1.0-56-amd64-unsigned 6.1.192-2, linux-headers-6.1.0-56-amd64 6.1.192-2"

# 5. The pinned ABI is gone from the archive (and not installed): the
# newest package of the same series, and the rows follow its release.
state "make=4.3-4.1 linux-source-6.1=6.1.192-2" \
	"make=4.3-4.1 linux-source-6.1=6.1.192-2 linux-source-6.1=6.1.200-1
	 linux-image-6.1.0-57-amd64-unsigned=6.1.195-1 linux-image-6.1.0-58-amd64-unsigned=6.1.200-1
	 linux-headers-6.1.0-57-amd64=6.1.195-1 linux-headers-6.1.0-58-amd64=6.1.200-1
	 linux-image-6.1.0-59-rt-amd64-unsigned=6.1.201-1 linux-image-6.12.9+deb12-amd64-unsigned=6.12.9-1"
rc=0
run_deps || rc=$?
expect "ABI gone: tq_deps succeeds" "$rc" 0
expect "ABI gone: the newest of the series is installed" "$(installs)" \
	"linux-image-6.1.0-58-amd64-unsigned linux-headers-6.1.0-58-amd64"
expect "ABI gone: said in one line per package" "$(cat "$T/err")" \
	"tqueue: linux-image-6.1.0-56-amd64-unsigned: gone from the archive (pinned 6.1.192-2); using the newest of its series, linux-image-6.1.0-58-amd64-unsigned
tqueue: linux-headers-6.1.0-56-amd64: gone from the archive (pinned 6.1.192-2); using the newest of its series, linux-headers-6.1.0-58-amd64"
expect "ABI gone: the row's release follows" "$(tq_fl stock-6.1 release)" "6.1.0-58-amd64"
expect "ABI gone: the row's image follows" "$(tq_fl stock-6.1 image | cut -d: -f2)" "boot/vmlinuz-6.1.0-58-amd64"
expect "ABI gone: summary" "$(tq_versions_summary)" \
	"packages: linux-source-6.1 6.1.192-2, linux-image-6.1.0-58-amd64-unsigned 6.1.200-1 (pin 6.1.192-2), linux-headers-6.1.0-58-amd64 6.1.200-1 (pin 6.1.192-2)"

# 6. The next run on that system: the new ABI is not installed again ...
# but the pinned name is gone, so it is chosen again, already installed.
rc=0
: >"$T/apt.log"
run_deps || rc=$?
expect "ABI gone, second run: tq_deps succeeds" "$rc" 0
expect "ABI gone, second run: no install" "$(installs)" ""

# 7. Nothing suitable anywhere: tq_deps fails with apt's refusal reported.
state "make=4.3-4.1" "make=4.3-4.1"
rc=0
run_deps || rc=$?
expect "nothing in the archive: tq_deps fails" "$rc" 1
grep -q 'could not install' "$T/err"
ok $? "nothing in the archive: says it could not install"

tap_done
