# pghot developer driver.  See README.md.
#
#   make run        boot the pghot kernel on a tiered QEMU topology and show
#                   hot pages being promoted (installs what is missing)
#   make check      every test: harness, test kernel, KUnit, kselftests
#   make stress     make check on the heavy kernel variants (PREEMPT_RT, KCSAN)
#   make bench      one boot: pghot against upstream numa_balancing=2, DAMON
#                   migrate_hot and an oracle (BENCH_PROFILE=quick|full|smoke)
#   make patches    export the series as git format-patch files, with a
#                   cover letter made from the design document
#   make lint       the static gates of make check: W=1, sparse, kernel-doc,
#                   checkpatch --strict on the series, and the docs build
#   make series-check  build the series patch by patch (long), then check
#   make bench-record  keep the last full bench's summary for the cover letter
#   make fuzz       libFuzzer on the pghot core (FUZZ_RUNS=1000000)
#   make callgrind  instructions per record access, bytes per record
#
# All output goes to $(BUILD) (git-ignored).

BUILD := $(CURDIR)/build
RIG := $(CURDIR)/rig

.PHONY: help deps overlay harness fuzz callgrind kernel-test kernel-run initramfs-test \
	initramfs-run initramfs-bench boot-test check stress run bench bench-record patches lint \
	docs series-check manifest \
	clean distclean

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

deps:
	@$(RIG)/deps.sh

overlay: deps
	@$(RIG)/overlay.sh $(BUILD)

harness: overlay
	@$(MAKE) -s -C $(BUILD)/src/tools/testing/pghot OUTPUT=$(BUILD)/harness run

# libFuzzer on the core; FUZZ_RUNS iterations (default 1000000).
FUZZ_RUNS ?= 1000000
fuzz: overlay
	@$(MAKE) -s -C $(BUILD)/src/tools/testing/pghot OUTPUT=$(BUILD)/harness fuzz
	@mkdir -p $(BUILD)/fuzz-corpus
	$(BUILD)/harness/pghot-fuzz -runs=$(FUZZ_RUNS) $(BUILD)/fuzz-corpus

# Instructions per record access (hit, insert, heap re-rank) under callgrind.
callgrind: overlay
	@$(MAKE) -s -C $(BUILD)/src/tools/testing/pghot OUTPUT=$(BUILD)/harness callgrind

kernel-test kernel-run: kernel-%: overlay
	@$(RIG)/kbuild.sh $(BUILD) $*

initramfs-test initramfs-run initramfs-bench: initramfs-%: overlay
	@$(RIG)/initramfs.sh $(BUILD) $*

# Boot the already built test kernel again (no rebuild).
boot-test:
	@$(RIG)/boot.sh $(BUILD) test

check: deps
	@$(RIG)/check.sh $(BUILD)

# The same tests on kernel variants too costly for every make check: each
# is a separate build (about 15 minutes from clean on 2 cores).
STRESS_FLAVOURS ?= test-rt test-kcsan
stress: deps
	@rc=0; for f in $(STRESS_FLAVOURS); do \
		echo "==> stress: $$f"; $(RIG)/check.sh $(BUILD) $$f || rc=1; \
	done; exit $$rc

run: kernel-run initramfs-run
	@$(RIG)/boot.sh $(BUILD) run; rc=$$?; \
	verdict=$$(grep -h 'VERDICT:' $(BUILD)/logs/run-console.log | tail -1); \
	echo "$${verdict:-run: VERDICT: FAIL: the demo printed no verdict}"; \
	[ $$rc -eq 0 ] && echo "$$verdict" | grep -q 'VERDICT: PASS'

# One boot of the run kernel, every mechanism on the same workload; results
# in $(BUILD)/bench (summary.md, coverage.png, one CSV per run).
# BENCH_MECHS=numab2,pghot runs only those mechanisms.
BENCH_PROFILE ?= quick
BENCH_MECHS ?=
bench: overlay
	@$(RIG)/bench.sh $(BUILD) $(BENCH_PROFILE) $(BENCH_MECHS)

# Keep the last full bench's summary in rig/bench/ for the cover letter.
bench-record:
	@$(RIG)/bench-record.sh $(BUILD)

patches: overlay
	@$(RIG)/patches.sh $(BUILD)

lint: kernel-test patches
	@$(RIG)/lint.sh $(BUILD) && $(RIG)/docs.sh $(BUILD)

docs: overlay
	@$(RIG)/docs.sh $(BUILD)

series-check: patches
	@$(RIG)/series-check.sh $(BUILD)

manifest: deps
	@$(RIG)/overlay.sh $(BUILD) --update-manifest

clean:
	rm -rf $(BUILD)/obj-* $(BUILD)/initramfs* $(BUILD)/harness \
		$(BUILD)/kselftest $(BUILD)/logs $(BUILD)/patches $(BUILD)/series \
		$(BUILD)/bench

distclean:
	rm -rf $(BUILD)
