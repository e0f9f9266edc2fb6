# SPDX-License-Identifier: GPL-2.0
#
# Signed modules, the Secure Boot case (README, "Secure Boot"): each kernel
# of TQ_MODSIG_FLAVOURS boots once more, with module.sig_enforce=1, in the
# guest's sig mode, which runs tests/selftests/modsig/ alone: the unsigned
# tqueue.ko is refused ("Key was rejected by service"), so is a copy signed
# with a key of our own that the kernel does not trust (as a DKMS key whose
# MOK is not enrolled), and where the kernel was built with a signing key
# of its own (tools/kconfig/sig.config, on debug-6.1) a copy signed with
# that key by scripts/sign-file loads: that key stands in for an enrolled
# MOK. No kernel is built for this.
# shellcheck shell=bash

# tq_modsig_wanted FLAVOUR: true if FLAVOUR gets the signed-module boot
tq_modsig_wanted() {
	[[ " $TQ_MODSIG_FLAVOURS " == *" $1 "* ]]
}

# tq_modsig_key DIR: a throwaway signing key and certificate (DIR/key.pem,
# DIR/key.x509), made once per run
tq_modsig_key() {
	[[ -f "$1/key.x509" ]] && return 0
	mkdir -p "$1"
	openssl req -new -x509 -newkey rsa:2048 -sha256 -nodes -days 1 -outform DER \
		-subj "/CN=tqueue untrusted test key/" -keyout "$1/key.pem" -out "$1/key.x509" \
		>"$1/openssl.log" 2>&1
}

# tq_modsig_sign KDIR KEY CERT IN OUT: OUT is IN signed by KDIR's sign-file
tq_modsig_sign() {
	mkdir -p "$(dirname "$5")"
	cp "$4" "$5"
	"$1/scripts/sign-file" sha256 "$2" "$3" "$5"
}

# tq_modsig_overlay FLAVOUR DIR: DIR/untrusted/tqueue.ko signed with the
# throwaway key, DIR/trusted/tqueue.ko with the kernel's own key if it has
# one (certs/signing_key.pem in its build tree)
tq_modsig_overlay() {
	local fl="$1" dir="$2" kdir ko key="$TQ_BUILD/modsig-key"
	kdir="$(tq_kinfo "$fl" KDIR)"
	ko="$TQ_BUILD/$fl/tqueue.ko"
	if [[ ! -x "$kdir/scripts/sign-file" ]]; then
		tq_warn "$fl: no $kdir/scripts/sign-file: no signed copies of tqueue.ko"
		return 0
	fi
	tq_modsig_key "$key" || tq_warn "openssl could not make a test key; log: $key/openssl.log"
	[[ -f "$key/key.x509" ]] &&
		tq_modsig_sign "$kdir" "$key/key.pem" "$key/key.x509" "$ko" "$dir/untrusted/tqueue.ko"
	if [[ -f "$kdir/certs/signing_key.pem" && -f "$kdir/certs/signing_key.x509" ]]; then
		tq_modsig_sign "$kdir" "$kdir/certs/signing_key.pem" "$kdir/certs/signing_key.x509" \
			"$ko" "$dir/trusted/tqueue.ko"
	fi
	return 0
}

# tq_modsig_check FLAVOUR: the second boot, with module.sig_enforce=1, and
# its cases (the modsig selftest, no splat + guest finished)
tq_modsig_check() {
	local fl="$1" log
	tq_boot "$fl" sig "module.sig_enforce=1"
	log="$(tq_console "$fl" sig)"
	tq_eval_selftest "$fl" modsig "$log"
	tq_eval_guest "$fl" "$log" sig
}
