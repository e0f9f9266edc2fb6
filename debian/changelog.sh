#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# debian/changelog.sh VERSION [DATE]: the package's changelog, one entry for
# VERSION (the file VERSION, the one version source), dated DATE (RFC 5322;
# default: now). `make deb` writes debian/changelog with it.
set -eu
version=$1
date=${2:-$(date -R)}
cat <<END
tqueue ($version) unstable; urgency=medium

  * tqueue $version, packaged for DKMS.

 -- tqueue developers <tqueue@example.org>  $date
END
