// SPDX-License-Identifier: GPL-2.0
/*
 * The pghot counters that record_test and promote_test do not reach, each
 * made to move by its own event:
 *  - kpromoted_wake: kpromoted wakes every vm.kpromoted_interval_ms;
 *  - pghot_record_aged: a record untouched for 8 windows is retired;
 *  - pghot_reject_nonlru: a page still in a per-CPU LRU batch;
 *  - kpromoted_fail_ratelimit: a hot THP of 512 pages against a budget of
 *    256 pages per second never fits (skipped when no THP can be had);
 *  - pghot_reject_offline: a page frame of a memory block taken offline
 *    (skipped when no block of the slow node can be offlined);
 * and that every counter the admin guide documents is in /proc/vmstat,
 * under its documented name.
 *
 * Needs root, debugfs, CONFIG_PGHOT and a memory node in a lower tier.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <time.h>

#include "../kselftest.h"
#include "pghot_setup.h"

#define MEMORY		"/sys/devices/system/memory"

static const char * const knobs[] = {
	"vm/pghot_enabled", "vm/pghot_freq_window_ms", "vm/pghot_freq_threshold",
	"vm/kpromoted_interval_ms", "vm/pghot_promote_rate_limit_MBps", NULL
};

static void set_knob(const char *name, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), "/proc/sys/vm/%s", name);
	if (write_str(path, val))
		ksft_exit_fail_msg("cannot set vm.%s=%s\n", name, val);
}

/* The counters of Documentation/admin-guide/mm/pghot.rst, by name. */
static const char * const counter_names[] = {
	"pghot_hint_faults", "pghot_record_hint_fault", "pghot_record_pgtable_scan",
	"pghot_record_hw_hint", "pghot_record_inject", "pghot_reject_invalid",
	"pghot_reject_offline", "pghot_reject_toptier", "pghot_reject_nonlru",
	"pghot_drop_table_full", "pghot_drop_nomem", "pghot_drop_deferred_full",
	"pghot_drop_deferred_unsupported", "pghot_drop_resizing",
	"pghot_record_created",
	"pghot_heap_insert", "pghot_heap_no_room", "pghot_record_aged",
	"pghot_record_shrunk", "pghot_record_offlined", "pghot_record_freed",
	"kpromoted_wake",
	"kpromoted_candidate", "kpromoted_promoted", "kpromoted_fail_moved",
	"kpromoted_fail_cold", "kpromoted_fail_target_full",
	"kpromoted_fail_ratelimit", "kpromoted_fail_isolate",
	"kpromoted_fail_pinned", "kpromoted_fail_migrate",
};

/*
 * Review finding 16: every counter is there under the name the admin
 * guide gives it (PGHOT_HEAP_NO_ROOM was shown as pghot_heap_full).
 */
static bool test_names(void)
{
	bool ok = true;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(counter_names); i++) {
		if (read_vmstat(counter_names[i]) < 0) {
			ksft_print_msg("no %s in /proc/vmstat\n", counter_names[i]);
			ok = false;
		}
	}
	return ok;
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

/*
 * A page just faulted in waits in its CPU's LRU batch, not yet on an LRU
 * list.  Something may drain the batch before the report, so try a few.
 */
static bool test_nonlru(int fast, int slow)
{
	unsigned long mask = 1UL << slow;
	int try;

	for (try = 0; try < 5; try++) {
		char *p = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		unsigned long pfn;
		long before, moved;
		int err;

		if (p == MAP_FAILED)
			return false;
		if (syscall(SYS_mbind, p, page_size, MPOL_BIND, &mask,
			    8 * sizeof(mask), 0))
			return false;
		p[0] = 1;
		pfn = pfn_of(p);
		before = read_vmstat("pghot_reject_nonlru");
		err = inject(pfn, fast, SRC_INJECT, 1);
		moved = read_vmstat("pghot_reject_nonlru") - before;
		munmap(p, page_size);
		ksft_print_msg("fresh page: errno %d, pghot_reject_nonlru +%ld\n",
			       -err, moved);
		if (err == -EBUSY)
			return moved == 1;
		if (err)
			return false;
	}
	return false;
}

/* Is the page at @pfn part of a transparent huge page? */
static bool is_thp(unsigned long pfn)
{
	uint64_t flags = 0;
	int fd = open("/proc/kpageflags", O_RDONLY);

	if (fd < 0)
		return false;
	if (pread(fd, &flags, sizeof(flags), pfn * sizeof(flags)) != sizeof(flags))
		flags = 0;
	close(fd);
	return flags & (1ULL << 22);	/* KPF_THP */
}

static int test_ratelimit(int fast, int slow)
{
	size_t huge = 2UL << 20;
	unsigned long mask = 1UL << slow, pfn;
	char *raw, *p;
	void *pages[1];
	int status = -1;
	long limited, rl0;

	raw = mmap(NULL, 2 * huge, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return KSFT_FAIL;
	p = (char *)(((uintptr_t)raw + huge - 1) & ~(huge - 1));
	madvise(p, huge, MADV_HUGEPAGE);
	if (syscall(SYS_mbind, p, huge, MPOL_BIND, &mask, 8 * sizeof(mask), 0))
		return KSFT_FAIL;
	memset(p, 0x5a, huge);
	syscall(SYS_mbind, p, huge, MPOL_DEFAULT, NULL, 0, 0);
	drain_lru_batches();
	pfn = pfn_of(p);
	if (!pfn || !is_thp(pfn)) {
		munmap(raw, 2 * huge);
		return KSFT_SKIP;
	}

	set_knob("pghot_promote_rate_limit_MBps", "1");
	rl0 = read_vmstat("kpromoted_fail_ratelimit");
	if (inject(pfn, fast, SRC_INJECT, 2))
		return KSFT_FAIL;
	limited = wait_counter("kpromoted_fail_ratelimit", rl0, 1, 20);
	pages[0] = p;
	syscall(SYS_move_pages, 0, 1, pages, NULL, &status, 0);
	ksft_print_msg("THP at pfn %#lx: kpromoted_fail_ratelimit +%ld, on node %d\n",
		       pfn, limited, status);
	set_knob("pghot_promote_rate_limit_MBps", "256");
	munmap(raw, 2 * huge);
	return limited >= 1 && status == slow ? KSFT_PASS : KSFT_FAIL;
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
	int fast = -1, slow = -1, ret;

	pghot_test_setup(PGHOT_NEED_INJECT | PGHOT_NEED_TIERS | PGHOT_NEED_PIN,
			 knobs, &fast, &slow);

	ksft_set_plan(6);
	ksft_test_result(test_names(), "every counter under its documented name\n");
	set_knob("pghot_enabled", "1");
	set_knob("pghot_freq_window_ms", "600000");
	set_knob("pghot_freq_threshold", "2");

	ksft_test_result(test_wake(), "kpromoted_wake moves every interval\n");
	ksft_test_result(test_aged(fast, slow),
			 "pghot_record_aged: a stale record is retired\n");
	ksft_test_result(test_nonlru(fast, slow),
			 "pghot_reject_nonlru: a page not yet on an LRU list is refused\n");
	ret = test_ratelimit(fast, slow);
	if (ret == KSFT_SKIP)
		ksft_test_result_skip("kpromoted_fail_ratelimit: no THP on node %d\n", slow);
	else
		ksft_test_result(ret == KSFT_PASS,
				 "kpromoted_fail_ratelimit: a THP over the budget stays\n");
	ret = test_offline(fast, slow);
	if (ret == KSFT_SKIP)
		ksft_test_result_skip("pghot_reject_offline: no block of node %d goes offline\n",
				      slow);
	else
		ksft_test_result(ret == KSFT_PASS,
				 "pghot_reject_offline: an offline frame is refused\n");
	ksft_finished();
}
