#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Signed modules, as on a Secure Boot machine (README, "Secure Boot"): run
# in a guest booted with module.sig_enforce=1 (tools/modsig.sh). The
# unsigned tqueue.ko must be refused with "Key was rejected by service",
# the error users meet; so must a copy signed with a key the kernel does
# not trust (a DKMS key, say, whose MOK is not enrolled); a copy signed
# with the kernel's own key (TQ_SIGDIR/trusted, present where the kernel
# was built with its own key) must load.

# shellcheck source=../tqueue/lib.sh
. "$(dirname "$0")/../tqueue/lib.sh"

S=${TQ_SIGDIR:-/lib/tqueue-sig}
E="Key was rejected by service"

[ "$(cat /sys/module/module/parameters/sig_enforce 2>/dev/null)" = Y ] ||
	tap_skip_all "module signatures are not enforced (boot with module.sig_enforce=1)"
[ -f "$TQ_MODDIR/tqueue.ko" ] || tap_skip_all "no tqueue.ko in $TQ_MODDIR"
mod_unload tqueue
splats0=$(splat_count)

# refused FILE DESC: insmod FILE fails, saying "$E", and loads nothing
refused()
{
	_out=$(insmod "$1" 2>&1)
	_rc=$?
	diag "insmod $1: rc=$_rc: $_out"
	if [ $_rc -ne 0 ] && ! mod_loaded tqueue && echo "$_out" | grep -q "$E"; then
		tap_ok "$2"
	else
		tap_not_ok "$2"
	fi
	mod_unload tqueue
}

n=3
[ -f "$S/trusted/tqueue.ko" ] && n=4
tap_plan $n

# 1
refused "$TQ_MODDIR/tqueue.ko" "the unsigned tqueue.ko is refused: $E"

# 2
if [ -f "$S/untrusted/tqueue.ko" ]; then
	refused "$S/untrusted/tqueue.ko" "tqueue.ko signed with a key the kernel does not trust is refused"
else
	tap_not_ok "tqueue.ko signed with a key the kernel does not trust is refused (no $S/untrusted/tqueue.ko)"
fi

# 3
if [ "$n" = 4 ]; then
	rc=1
	if insmod "$S/trusted/tqueue.ko" && mod_loaded tqueue; then
		rmmod tqueue && rc=0
	fi
	tap_result $rc "tqueue.ko signed with the kernel's key by scripts/sign-file loads"
fi

# last
tap_no_new_splats "$splats0" "no kernel warnings or oopses"

tap_exit
