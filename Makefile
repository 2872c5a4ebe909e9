# softres: explicit ownership of Soft Reserved memory (CXL vs device-dax HMEM).
#
#   make demo      build the patched kernel, boot the default topology in
#                  QEMU, print who owns each Soft Reserved range
#   make check     unit tests + every VM scenario (one module order each,
#                  seeded); ends "N passed, N failed"
#   make deb       Debian package softresctl in build/deb/, lintian clean
#   make bench     benchmarks, written to bench/results/
#   make stress    the flip, unbind and reload scenarios on a KASAN +
#                  kmemleak kernel, plus tests/stress/
#   make campaign  the long reliability campaign (hours), with its figures
#   make feature-points  the kernel at each patch that completes a feature
#                  of the series, booted with that feature's scenarios
#
# See README.md. Build output goes to build/ (git-ignored).

BUILD ?= $(CURDIR)/build
KVARIANTS ?= default no-region builtin
export BUILD

.PHONY: all kernel kernel-export kernel-tree deps userspace install deb demo check check-full check-baseline bench stress campaign feature-points unit vm-check clean

all: kernel userspace

# Debian packages the build and the VM rig need (root, apt).
deps:
	tests/install-deps

kernel: deps
	@for v in $(KVARIANTS); do kernel/build.sh build $$v || exit 1; done

# softresctl, its man page and udev rule (build/userspace/)
userspace: deps
	$(MAKE) -C userspace BUILD=$(BUILD)/userspace

install: userspace
	$(MAKE) -C userspace BUILD=$(BUILD)/userspace install DESTDIR=$(DESTDIR) PREFIX=$(or $(PREFIX),/usr)

# The softresctl .deb (debian/), built from a copy of the work tree in
# build/deb/src: dpkg-buildpackage writes the .deb, .buildinfo and .changes
# next to it, in build/deb/. Fails on lintian errors and warnings.
DEB_DIR := $(BUILD)/deb
deb: deps
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/src
	tar -C $(CURDIR) --exclude=./build --exclude=./.git -cf - . | tar -C $(DEB_DIR)/src -xf -
	cd $(DEB_DIR)/src && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u BUILD \
		dpkg-buildpackage -us -uc -b -jauto
	lintian --fail-on error,warning $(DEB_DIR)/*.changes
	@ls $(DEB_DIR)/*.deb

kernel-tree:
	kernel/build.sh apply

kernel-export:
	kernel/build.sh export

demo: userspace
	$(MAKE) kernel KVARIANTS=default
	tests/demo.py

unit: deps
	tests/check unit

vm-check: kernel userspace
	tests/check vm

check: kernel userspace
	tests/check

# As check, with every module order of every scenario booted (check boots
# one per scenario, chosen by a seed it prints; SOFTRES_SEED=N repeats it).
check-full: kernel userspace
	tests/check unit deb initramfs vm-full

# Benchmarks (a report, not a test): flip cost against the physical limit
# and the 6.12 workaround, boot decision, control plane, policy core.
# Writes bench/results/DATE.md and DATE.svg. ~40 min; BENCH_RUNS=N (>= 5).
bench: userspace
	tests/install-deps bench
	$(MAKE) kernel KVARIANTS="default baseline"
	python3 bench/run.py

# The stress campaign: the stress kernel (the default one plus KASAN,
# kmemleak, list and object debugging: kernel/config/stress.config) boots
# the scenarios tests/check lists for it (flips, unbinds, reloads), then
# tests/stress/ (a reader of every control-plane file during flips and
# unbinds; planted KASAN and kmemleak faults). Not part of make check.
stress: userspace
	$(MAKE) kernel KVARIANTS=stress
	tests/check stress

# The recorded reliability campaign (tests/campaign/: hundreds of
# topologies, thousands of flips and bad inputs) on a frozen copy of the
# default kernel (build/campaign: a rebuild meanwhile does not touch the
# running boots), two boots at a time, then its figures. Takes hours; not
# part of make check, which boots a seeded slice (10t, 10f, 10i).
campaign: userspace
	$(MAKE) kernel KVARIANTS=default
	rm -rf $(BUILD)/campaign && cp -a $(BUILD)/default $(BUILD)/campaign
	python3 tests/runner.py --jobs 2 --kernel campaign --summary-prefix campaign \
		tests/campaign/*.toml; rc=$$?; \
	python3 tests/stress/figures $(BUILD)/results-campaign; exit $$rc

# Bisection: a kernel built at each patch that completes a feature of the
# series, booted with the scenarios of the features complete there.
feature-points: userspace
	kernel/feature-points

# Re-assert what unpatched 6.12 does in every scenario ([baseline] tables),
# on kernels built without the series.
check-baseline:
	$(MAKE) kernel userspace KVARIANTS="baseline baseline-no-region baseline-builtin"
	tests/check vm-baseline

clean:
	rm -rf $(BUILD)/results* $(BUILD)/default $(BUILD)/no-region $(BUILD)/stress $(BUILD)/builtin \
		$(BUILD)/campaign $(BUILD)/point-* $(BUILD)/baseline*
