// SPDX-License-Identifier: GPL-2.0
/*
 * pghot's record path, driven through the debugfs injector: every outcome of
 * pghot_record_access() is checked by its errno and by the /proc/vmstat
 * counter named for it, which must move by exactly the expected amount (a
 * misordered vmstat_text[] moves the wrong name and fails here).
 *
 * Needs root, debugfs, CONFIG_PGHOT and a memory node in a lower tier.
 */
#define _GNU_SOURCE
#include <sys/mount.h>

#include "../kselftest.h"
#include "pghot_setup.h"

#define NR_PAGES	64

/* saved and restored in this order; pghot_max_records is the last */
static const char * const knobs[] = {
	"vm/pghot_enabled", "vm/pghot_freq_window_ms", "vm/pghot_freq_threshold",
	"vm/pghot_max_records", NULL
};

/* Expect @err from injecting, and the counter @name to move by @delta. */
static bool expect_inject(int line, int err, const char *name, long delta,
			  unsigned long pfn, int nid, int src, int count)
{
	long before = read_vmstat(name), moved;
	int got = inject(pfn, nid, src, count);

	moved = read_vmstat(name) - before;
	if (got == err && moved == delta)
		return true;
	ksft_print_msg("line %d: inject %lu %d %d %d: errno %d (want %d)\n",
		       line, pfn, nid, src, count, -got, -err);
	ksft_print_msg("line %d: %s moved %ld (want %ld)\n", line, name, moved,
		       delta);
	return false;
}

#define EXPECT_INJECT(...)	expect_inject(__LINE__, __VA_ARGS__)

/* The number of records, from debugfs; -1 if unknown. */
static long read_records(void)
{
	char stats[4096], *p;

	if (read_str("/sys/kernel/debug/pghot/stats", stats, sizeof(stats)))
		return -1;
	p = strstr(stats, "records ");
	return p ? atol(p + 8) : -1;
}

int main(void)
{
	unsigned long pfns[NR_PAGES], fast_pfn, fresh_pfn;
	char *slow_buf, *fast_buf, *fresh;
	int fast = -1, slow = -1, i, n;
	long before, created;
	bool ok;

	pghot_test_setup(PGHOT_NEED_INJECT | PGHOT_NEED_TIERS | PGHOT_NEED_PIN,
			 knobs, &fast, &slow);

	slow_buf = map_on_node(slow, NR_PAGES);
	fast_buf = map_on_node(fast, 1);
	if (!slow_buf || !fast_buf)
		ksft_exit_fail_msg("cannot place pages on nodes %d and %d: %s\n",
				   slow, fast, strerror(errno));
	for (i = 0; i < NR_PAGES; i++) {
		pfns[i] = pfn_of(slow_buf + i * page_size);
		if (!pfns[i])
			ksft_exit_fail_msg("no pfn for page %d\n", i);
	}
	fast_pfn = pfn_of(fast_buf);
	ksft_print_msg("fast node %d, slow node %d\n", fast, slow);

	ksft_set_plan(9);

	/* Off: refused with ENODEV, nothing counted. */
	write_str("/proc/sys/vm/pghot_enabled", "0");
	ok = EXPECT_INJECT(-ENODEV, "pghot_record_inject", 0, pfns[0], fast,
			   SRC_INJECT, 1);
	ksft_test_result(ok, "disabled: ENODEV, nothing recorded\n");

	write_str("/proc/sys/vm/pghot_enabled", "1");
	write_str("/proc/sys/vm/pghot_freq_window_ms", "600000");
	write_str("/proc/sys/vm/pghot_freq_threshold", "2");

	/* First accesses: recorded per source, a record each. */
	before = read_vmstat("pghot_record_inject");
	created = read_vmstat("pghot_record_created");
	for (i = 0, ok = true; i < NR_PAGES; i++)
		ok &= !inject(pfns[i], fast, SRC_INJECT, 1);
	ok &= read_vmstat("pghot_record_inject") - before == NR_PAGES;
	ok &= read_vmstat("pghot_record_created") - created == NR_PAGES;
	if (!ok)
		ksft_print_msg("pghot_record_inject +%ld, pghot_record_created +%ld\n",
			       read_vmstat("pghot_record_inject") - before,
			       read_vmstat("pghot_record_created") - created);
	ksft_test_result(ok, "first accesses: pghot_record_inject and pghot_record_created +%d\n",
			 NR_PAGES);

	/*
	 * Second accesses reach the threshold: each enters its heap once.  One
	 * access per page: kpromoted may promote a page as soon as it is hot,
	 * and a further access to its old frame would then be refused.
	 */
	before = read_vmstat("pghot_heap_insert");
	created = read_vmstat("pghot_record_created");
	for (i = 0, ok = true; i < NR_PAGES; i++)
		ok &= !inject(pfns[i], fast, SRC_INJECT, 1);
	ok &= read_vmstat("pghot_heap_insert") - before == NR_PAGES;
	ok &= read_vmstat("pghot_record_created") == created;
	if (!ok)
		ksft_print_msg("pghot_heap_insert +%ld, pghot_record_created +%ld\n",
			       read_vmstat("pghot_heap_insert") - before,
			       read_vmstat("pghot_record_created") - created);
	ksft_test_result(ok, "threshold: pghot_heap_insert +%d, no new records\n",
			 NR_PAGES);
	/*
	 * kpromoted now promotes those pages and drops their records: let it
	 * finish, so that the record count below holds still, and use fresh
	 * pages from here on.
	 */
	if (!wait_kpromoted_idle(30))
		ksft_exit_fail_msg("kpromoted did not drain its heap\n");
	fresh = map_on_node(slow, 1);
	fresh_pfn = fresh ? pfn_of(fresh) : 0;
	if (!fresh_pfn)
		ksft_exit_fail_msg("cannot place a fresh page on node %d\n", slow);

	/* Invalid source, node and frame: EINVAL, counted. */
	ok = EXPECT_INJECT(-EINVAL, "pghot_reject_invalid", 1, pfns[0], fast, 99, 1);
	ok &= EXPECT_INJECT(-EINVAL, "pghot_reject_invalid", 1, pfns[0], 4096, SRC_INJECT, 1);
	ok &= EXPECT_INJECT(-EINVAL, "pghot_reject_invalid", 1, ~0UL >> 8, fast, SRC_INJECT, 1);
	ok &= write_str(INJECT, "not a pfn\n") == -EINVAL;
	ok &= write_str(INJECT, "1 0 3 1 extra\n") == -EINVAL;
	ksft_test_result(ok, "invalid input: EINVAL, pghot_reject_invalid\n");

	/* A top-tier page is not tracked. */
	ok = EXPECT_INJECT(-EALREADY, "pghot_reject_toptier", 1, fast_pfn, fast,
			   SRC_INJECT, 1);
	ksft_test_result(ok, "top-tier page: EALREADY, pghot_reject_toptier\n");

	/* Unknown accessor node is fine. */
	ok = EXPECT_INJECT(0, "pghot_record_inject", 1, fresh_pfn, -1, SRC_INJECT, 1);
	ksft_test_result(ok, "NUMA_NO_NODE accessor: recorded\n");

	/* At the cap a new frame is dropped, known frames still count. */
	n = read_vmstat("pghot_record_created");
	{
		long records = read_records();
		char *extra = map_on_node(slow, 1);
		unsigned long pfn = extra ? pfn_of(extra) : 0;
		char buf[32];

		snprintf(buf, sizeof(buf), "%ld", records);
		ok = records >= 1 && pfn &&
		     !write_str("/proc/sys/vm/pghot_max_records", buf);
		ok &= EXPECT_INJECT(-ENOSPC, "pghot_drop_table_full", 1, pfn, fast,
				    SRC_INJECT, 1);
	}
	ok &= EXPECT_INJECT(0, "pghot_record_inject", 1, fresh_pfn, fast, SRC_INJECT, 1);
	ok &= read_vmstat("pghot_record_created") == n;
	ksft_test_result(ok, "cap: ENOSPC, pghot_drop_table_full; hits still recorded\n");

	/* Out-of-range cap is refused and changes nothing. */
	{
		char before_max[32], after_max[32];

		read_str("/proc/sys/vm/pghot_max_records", before_max, 32);
		ok = write_str("/proc/sys/vm/pghot_max_records", "0") == -EINVAL;
		read_str("/proc/sys/vm/pghot_max_records", after_max, 32);
		ok &= !strcmp(before_max, after_max);
	}
	ksft_test_result(ok, "pghot_max_records=0: EINVAL, unchanged\n");

	/* Memory pressure: drop_caches=2 runs every shrinker, ours included. */
	write_str("/proc/sys/vm/pghot_max_records", pghot_knobs_saved[3]);
	{
		char *cold = map_on_node(slow, NR_PAGES);
		long records, shrunk = read_vmstat("pghot_record_shrunk");

		for (i = 0, ok = !!cold; ok && i < NR_PAGES; i++)
			ok &= !inject(pfn_of(cold + i * page_size), fast, SRC_INJECT, 1);
		records = read_records();
		ok &= records >= NR_PAGES;
		ok &= !write_str("/proc/sys/vm/drop_caches", "2");
		ok &= read_vmstat("pghot_record_shrunk") - shrunk >= NR_PAGES;
		ok &= read_records() <= records - NR_PAGES;
		ksft_print_msg("records %ld -> %ld, pghot_record_shrunk +%ld\n", records,
			       read_records(), read_vmstat("pghot_record_shrunk") - shrunk);
	}
	ksft_test_result(ok, "shrinker: records given back, pghot_record_shrunk\n");

	ksft_finished();
}
