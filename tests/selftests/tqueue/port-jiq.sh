#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# jiq.sh against the jiq.ko that tools/tq-port converted (the host puts it
# in /lib/tqueue-port, tools/port.sh), with tqueue.ko unloaded: the same
# cases, but for the two guarantees only tqueue gives, which the converted
# module documents as changed (Documentation/leaving.rst): /proc/jiqsched's
# command is a kworker of its ordered workqueue, not keventd, and two
# /proc/jiqtimer lines may fall in one jiffy.

P=/lib/tqueue-port
if [ ! -f "$P/jiq.ko" ]; then
	echo "TAP version 13"
	echo "1..0 # SKIP no converted jiq.ko in $P"
	exit 4
fi
TQ_MODDIR=$P TQ_PORTED=1 TQ_MODPROBE=0
export TQ_MODDIR TQ_PORTED TQ_MODPROBE
exec sh "$(dirname "$0")/jiq.sh"
