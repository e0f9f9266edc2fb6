# SPDX-License-Identifier: GPL-2.0
#
# tqueue: out-of-tree kbuild build, plus the QEMU harness targets.
#
#   make                      build tqueue.ko and the demos (jiq, sched)
#   make KDIR=/path/to/tree   build against another kernel tree
#   make install              modules_install, then the header and
#                             Module.symvers for client builds in
#                             /usr/src/tqueue/<kernel release>/
#   make uninstall            remove exactly what install put there
#   make deb                  build/deb/tqueue-dkms_<version>_all.deb (DKMS)
#   make htmldocs             Documentation/ as HTML in build/htmldocs/
#   make check                full test matrix in QEMU (see README.md)
#   make quick                the editing loop: static checks, models, one
#                             debug kernel with short torture and storms
#   make demo                 boot a stock kernel in QEMU and show /proc/jiq*
#   make bench                tq_bench.ko in QEMU: Documentation/bench.rst
#   make compat-report        which src/compat.h branch each probe takes
#                             against KDIR (tools/compat-report.sh)
#
# TQ_TESTS=1 also builds the test and benchmark modules (tests/), as make
# check and make bench do; they are never installed.
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

# Where install puts what a client module's build needs (the two lines of
# demos/Kbuild), one directory per kernel; DKMS puts the same there.
TQ_KREL = $(shell $(MAKE) -s --no-print-directory -C $(KDIR) kernelrelease 2>/dev/null)
TQ_DEVDIR = $(INSTALL_MOD_PATH)/usr/src/tqueue/$(TQ_KREL)
TQ_MODDIR = $(INSTALL_MOD_PATH)/lib/modules/$(TQ_KREL)/$(INSTALL_MOD_DIR)
TQ_INSTALLED := tqueue jiq sched

all: modules

# The library (and with TQ_TESTS=1 the test modules), then the demos as a
# client of it: a tree of their own against this tree's Module.symvers.
modules:
	@test -d "$(KDIR)" || { echo "tqueue: KDIR=$(KDIR) is not a kernel build tree (install linux-headers-$$(uname -r) or pass KDIR=)" >&2; exit 2; }
	@$(MAKE) -C $(KDIR) M=$(CURDIR) $(if $(TQ_TESTS),TQ_TESTS=1) modules || \
		{ echo "tqueue: building tqueue.ko against $(KDIR) failed; the first error above says why" >&2; exit 2; }
	@$(MAKE) -C $(KDIR) M=$(CURDIR)/demos TQUEUE=$(CURDIR) modules || \
		{ echo "tqueue: building the demos against $(KDIR) failed; the first error above says why" >&2; exit 2; }

modules_install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(INSTALL_MOD_PATH) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) modules_install
	$(MAKE) -C $(KDIR) M=$(CURDIR)/demos TQUEUE=$(CURDIR) INSTALL_MOD_PATH=$(INSTALL_MOD_PATH) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) modules_install

# Kbuild runs depmod only where KDIR has a System.map, which a distribution's
# headers package does not: run it here for a real install.
install: modules_install
	install -D -m 0644 include/linux/tqueue.h $(TQ_DEVDIR)/include/linux/tqueue.h
	install -m 0644 Module.symvers $(TQ_DEVDIR)/Module.symvers
	$(if $(INSTALL_MOD_PATH),,depmod -a $(TQ_KREL))

uninstall:
	rm -f $(foreach m,$(TQ_INSTALLED),$(wildcard $(TQ_MODDIR)/$(m).ko $(TQ_MODDIR)/$(m).ko.*))
	rm -rf $(TQ_DEVDIR)
	-rmdir --ignore-fail-on-non-empty $(INSTALL_MOD_PATH)/usr/src/tqueue $(TQ_MODDIR)
	$(if $(INSTALL_MOD_PATH),,depmod -a $(TQ_KREL))

clean:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; $(MAKE) -C $(KDIR) M=$(CURDIR)/demos TQUEUE=$(CURDIR) clean; fi
	rm -rf build .compat dkms.conf

# The one version source, VERSION, for dkms.conf and debian/changelog (the
# top-level Kbuild passes it to MODULE_VERSION).
TQ_VER := $(shell cat $(CURDIR)/VERSION)

dkms.conf: dkms.conf.in VERSION
	sed 's/@VERSION@/$(TQ_VER)/' $< >$@

# build/deb/tqueue-dkms_<version>_all.deb, built from a copy of the sources
# (no build products), dated by the last commit when there is one.
TQ_DEB_SRC := build/deb/tqueue-$(TQ_VER)
deb: dkms.conf
	rm -rf build/deb
	mkdir -p $(TQ_DEB_SRC)
	rsync -a --exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
		--exclude='.*.cmd' --exclude='*.symvers' --exclude='*.order' --exclude=.compat/ \
		Kbuild Makefile VERSION dkms.conf include src demos dkms debian $(TQ_DEB_SRC)/
	debian/changelog.sh $(TQ_VER) "$$(date -R -d @$$(git log -1 --format=%ct 2>/dev/null || date +%s))" \
		>$(TQ_DEB_SRC)/debian/changelog
	cd $(TQ_DEB_SRC) && dpkg-buildpackage -b --no-sign
	@echo "tqueue: build/deb/tqueue-dkms_$(TQ_VER)_all.deb"

htmldocs:
	@bash tools/htmldocs.sh

check:
	@bash tools/check.sh

quick:
	@TQ_KERNELS="$${TQ_KERNELS:-debug-6.12}" \
	 TQ_TORTURE_SECS_DEBUG="$${TQ_TORTURE_SECS_DEBUG:-10}" \
	 TQ_STORM_SECS="$${TQ_STORM_SECS:-30}" \
	 TQ_PACKAGING="$${TQ_PACKAGING:-0}" bash tools/check.sh

demo:
	@bash tools/demo.sh

bench:
	@bash tools/bench.sh

compat-report:
	@bash tools/compat-report.sh $(KDIR) $(if $(filter command line,$(origin CC)),CC=$(CC))

.PHONY: all modules modules_install install uninstall deb htmldocs clean check quick demo bench compat-report
