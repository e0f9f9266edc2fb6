# SPDX-License-Identifier: GPL-2.0
#
# tqueue: out-of-tree kbuild build, plus the QEMU harness targets.
#
#   make                      build every module against KDIR
#   make KDIR=/path/to/tree   build against another kernel tree
#   make check                full test matrix in QEMU (see README.md)
#   make quick                the editing loop: static checks, models, one
#                             debug kernel with short torture and storms
#   make demo                 boot a stock kernel in QEMU and show /proc/jiq*
#   make bench                tq_bench.ko in QEMU: Documentation/bench.rst
#   make compat-report        which src/compat.h branch each probe takes
#                             against KDIR (tools/compat-report.sh)
#
KDIR ?= /lib/modules/$(shell uname -r)/build
INSTALL_MOD_PATH ?=
INSTALL_MOD_DIR ?= extra

# The supported range, checked here so that `make` against an older kernel
# stops in one line. The top-level Kbuild checks the same for a plain
# `make -C $(KDIR) M=$(CURDIR)` (DKMS); every other difference is a feature
# probe (src/compat.h).
ifneq ($(filter all modules modules_install install,$(or $(MAKECMDGOALS),all)),)
tqc_kver := $(shell $(MAKE) -s --no-print-directory -C $(KDIR) kernelversion 2>/dev/null)
ifneq ($(tqc_kver),)
ifneq ($(shell v=$(tqc_kver); M=$${v%%.*}; m=$${v#*.}; m=$${m%%.*}; \
	[ $$M -gt 5 ] || { [ $$M -eq 5 ] && [ $$m -ge 10 ]; } && echo ok),ok)
$(error tqueue supports Linux 5.10 to 7.3; $(KDIR) is $(tqc_kver))
endif
endif
endif

all: modules

modules:
	@test -d "$(KDIR)" || { echo "tqueue: KDIR=$(KDIR) is not a kernel build tree (install linux-headers-$$(uname -r) or pass KDIR=)" >&2; exit 2; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

modules_install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(INSTALL_MOD_PATH) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) modules_install

install: modules_install

clean:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	rm -rf build .compat

check:
	@bash tools/check.sh

quick:
	@TQ_KERNELS="$${TQ_KERNELS:-debug-6.12}" \
	 TQ_TORTURE_SECS_DEBUG="$${TQ_TORTURE_SECS_DEBUG:-10}" \
	 TQ_STORM_SECS="$${TQ_STORM_SECS:-30}" bash tools/check.sh

demo:
	@bash tools/demo.sh

bench:
	@bash tools/bench.sh

compat-report:
	@bash tools/compat-report.sh $(KDIR) $(if $(filter command line,$(origin CC)),CC=$(CC))

.PHONY: all modules modules_install install clean check quick demo bench compat-report
