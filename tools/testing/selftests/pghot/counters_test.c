// SPDX-License-Identifier: GPL-2.0
/*
 * The pghot counters that record_test and promote_test do not reach, each
 * made to move by its own event:
 *  - kpromoted_wake: kpromoted wakes every vm.kpromoted_interval_ms;
 *  - pghot_record_aged: a record untouched for 8 windows is retired;
 *  - pghot_reject_offline: a page frame of a memory block taken offline
 *    (skipped when no block of the slow node can be offlined).
 *
 * Needs root, debugfs, CONFIG_PGHOT and a memory node in a lower tier.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <time.h>

#include "../kselftest.h"
#include "pghot_util.h"

#define MEMORY		"/sys/devices/system/memory"

static const char * const knobs[] = {
	"pghot_enabled", "pghot_freq_window_ms", "pghot_freq_threshold",
	"kpromoted_interval_ms",
};

#define NR_KNOBS	ARRAY_SIZE(knobs)

static char saved[NR_KNOBS][32];

static void set_knob(const char *name, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), "/proc/sys/vm/%s", name);
	if (write_str(path, val))
		ksft_exit_fail_msg("cannot set vm.%s=%s\n", name, val);
}

static void restore(void)
{
	int i;

	/* pghot_enabled last: the others first take their old values */
	for (i = NR_KNOBS - 1; i >= 0; i--)
		set_knob(knobs[i], saved[i]);
}

/* Wait up to @timeout_s for @name to move by at least @delta from @from. */
static long wait_counter(const char *name, long from, long delta, int timeout_s)
{
	time_t deadline = time(NULL) + timeout_s;
	long now;

	do {
		now = read_vmstat(name);
		if (now - from >= delta)
			break;
		usleep(50000);
	} while (time(NULL) < deadline);
	return now - from;
}

static bool test_wake(void)
{
	long moved, before = read_vmstat("kpromoted_wake");

	set_knob("kpromoted_interval_ms", "100");
	moved = wait_counter("kpromoted_wake", before, 3, 10);
	ksft_print_msg("kpromoted_wake +%ld\n", moved);
	return moved >= 3;
}

static bool test_aged(int fast, int slow)
{
	char *page = map_on_node(slow, 1);
	unsigned long pfn = page ? pfn_of(page) : 0;
	long moved, before = read_vmstat("pghot_record_aged");

	if (!pfn)
		return false;
	set_knob("pghot_freq_window_ms", "10");
	set_knob("kpromoted_interval_ms", "10");
	if (inject(pfn, fast, SRC_INJECT, 1))
		return false;
	moved = wait_counter("pghot_record_aged", before, 1, 20);
	ksft_print_msg("pghot_record_aged +%ld\n", moved);
	set_knob("pghot_freq_window_ms", "600000");
	set_knob("kpromoted_interval_ms", "1000");
	return moved >= 1;
}

/* The last memory block of @node that goes offline, or -1. */
static long offline_a_block(int node)
{
	char path[256], state[32];
	struct dirent *d;
	long best = -1;
	DIR *dir;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d", node);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		long blk;

		if (sscanf(d->d_name, "memory%ld", &blk) == 1 && blk > best)
			best = blk;
	}
	closedir(dir);
	for (; best >= 0; best--) {
		snprintf(path, sizeof(path), MEMORY "/memory%ld/state", best);
		if (read_str(path, state, sizeof(state)) || strcmp(state, "online"))
			continue;
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/memory%ld",
			 node, best);
		if (access(path, F_OK))
			continue;
		snprintf(path, sizeof(path), MEMORY "/memory%ld/state", best);
		if (!write_str(path, "offline"))
			return best;
	}
	return -1;
}

static int test_offline(int fast, int slow)
{
	char path[128], bsz[32];
	unsigned long block_bytes, pfn;
	long blk, before;
	int err;

	if (read_str(MEMORY "/block_size_bytes", bsz, sizeof(bsz)))
		return KSFT_SKIP;
	block_bytes = strtoul(bsz, NULL, 16);
	blk = offline_a_block(slow);
	if (blk < 0)
		return KSFT_SKIP;
	pfn = blk * (block_bytes / page_size);
	before = read_vmstat("pghot_reject_offline");
	err = inject(pfn, fast, SRC_INJECT, 1);
	ksft_print_msg("memory%ld offline: inject pfn %#lx: errno %d, pghot_reject_offline +%ld\n",
		       blk, pfn, -err, read_vmstat("pghot_reject_offline") - before);
	snprintf(path, sizeof(path), MEMORY "/memory%ld/state", blk);
	if (write_str(path, "online"))
		ksft_print_msg("cannot online memory%ld again\n", blk);
	return err == -ENOENT &&
	       read_vmstat("pghot_reject_offline") - before == 1 ? KSFT_PASS : KSFT_FAIL;
}

int main(void)
{
	int fast = -1, slow = -1, i, ret;

	page_size = sysconf(_SC_PAGESIZE);
	ksft_print_header();
	if (geteuid())
		ksft_exit_skip("must be run as root\n");
	if (access("/proc/sys/vm/pghot_enabled", F_OK))
		ksft_exit_skip("no vm.pghot_enabled, maybe CONFIG_PGHOT is not built\n");
	if (access(INJECT, F_OK))
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	if (access(INJECT, W_OK))
		ksft_exit_skip("no " INJECT "\n");
	if (!find_tiers(&fast, &slow))
		ksft_exit_skip("needs memory in two tiers\n");
	if (pin_to_this_cpu())
		ksft_exit_fail_msg("sched_setaffinity: %s\n", strerror(errno));
	for (i = 0; i < (int)NR_KNOBS; i++) {
		char path[128];

		snprintf(path, sizeof(path), "/proc/sys/vm/%s", knobs[i]);
		if (read_str(path, saved[i], sizeof(saved[i])))
			ksft_exit_fail_msg("cannot read vm.%s\n", knobs[i]);
	}
	atexit(restore);

	ksft_set_plan(3);
	set_knob("pghot_enabled", "1");
	set_knob("pghot_freq_window_ms", "600000");
	set_knob("pghot_freq_threshold", "2");

	ksft_test_result(test_wake(), "kpromoted_wake moves every interval\n");
	ksft_test_result(test_aged(fast, slow),
			 "pghot_record_aged: a stale record is retired\n");
	ret = test_offline(fast, slow);
	if (ret == KSFT_SKIP)
		ksft_test_result_skip("pghot_reject_offline: no block of node %d goes offline\n",
				      slow);
	else
		ksft_test_result(ret == KSFT_PASS,
				 "pghot_reject_offline: an offline frame is refused\n");
	ksft_finished();
}
