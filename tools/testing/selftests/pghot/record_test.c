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
#include <dirent.h>
#include <sched.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../kselftest.h"

#define INJECT		"/sys/kernel/debug/pghot/inject"
#define TIERS		"/sys/devices/virtual/memory_tiering"
#define SRC_INJECT	3	/* PGHOT_SRC_INJECT */
#define NR_PAGES	64
#define MPOL_DEFAULT	0
#define MPOL_BIND	2

static long page_size;

static long read_vmstat(const char *name)
{
	char key[128];
	long val;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%127s %ld", key, &val) == 2) {
		if (!strcmp(key, name)) {
			fclose(f);
			return val;
		}
	}
	fclose(f);
	return -1;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		err = -errno;
	close(fd);
	return err;
}

static int read_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int inject(unsigned long pfn, int nid, int src, int count)
{
	char buf[96];

	snprintf(buf, sizeof(buf), "%lu %d %d %d\n", pfn, nid, src, count);
	return write_str(INJECT, buf);
}

/*
 * The first node of the lowest (fastest) and of the highest (slowest)
 * memory tier; false unless they differ.
 */
static bool find_tiers(int *fast, int *slow)
{
	int lo = -1, hi = -1;
	struct dirent *d;
	DIR *dir = opendir(TIERS);

	if (!dir)
		return false;
	while ((d = readdir(dir))) {
		char path[sizeof(TIERS) + sizeof(d->d_name) + 16], list[64];
		int tier;

		if (sscanf(d->d_name, "memory_tier%d", &tier) != 1)
			continue;
		snprintf(path, sizeof(path), TIERS "/%s/nodelist", d->d_name);
		if (read_str(path, list, sizeof(list)) || !list[0])
			continue;
		if (lo < 0 || tier < lo) {
			lo = tier;
			*fast = atoi(list);
		}
		if (hi < 0 || tier > hi) {
			hi = tier;
			*slow = atoi(list);
		}
	}
	closedir(dir);
	return lo >= 0 && lo != hi;
}

/*
 * Map @n pages on @node, touched, with the policy reset afterwards.  The
 * caller runs on one CPU: MADV_COLD then drains that CPU's LRU batches, so
 * every page is on the LRU (pghot refuses pages that are not).
 */
static char *map_on_node(int node, int n)
{
	unsigned long mask = 1UL << node;
	char *p;

	p = mmap(NULL, n * page_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	madvise(p, n * page_size, MADV_NOHUGEPAGE);
	if (syscall(SYS_mbind, p, n * page_size, MPOL_BIND, &mask,
		    8 * sizeof(mask), 0))
		return NULL;
	memset(p, 0x5a, n * page_size);
	if (syscall(SYS_mbind, p, n * page_size, MPOL_DEFAULT, NULL, 0, 0))
		return NULL;
	if (madvise(p, n * page_size, MADV_COLD))
		return NULL;
	return p;
}

static unsigned long pfn_of(void *addr)
{
	uint64_t ent = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &ent, sizeof(ent),
		  (uintptr_t)addr / page_size * sizeof(ent)) != sizeof(ent))
		ent = 0;
	close(fd);
	if (!(ent & (1ULL << 63)))
		return 0;
	return ent & ((1ULL << 55) - 1);
}

static char saved_enabled[32], saved_window[32], saved_threshold[32],
	    saved_max[32];

static void restore(void)
{
	write_str("/proc/sys/vm/pghot_max_records", saved_max);
	write_str("/proc/sys/vm/pghot_freq_threshold", saved_threshold);
	write_str("/proc/sys/vm/pghot_freq_window_ms", saved_window);
	write_str("/proc/sys/vm/pghot_enabled", saved_enabled);
}

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
	unsigned long pfns[NR_PAGES], fast_pfn;
	char *slow_buf, *fast_buf;
	int fast = -1, slow = -1, i, n;
	long before, created;
	bool ok;

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
	{
		cpu_set_t cpus;

		CPU_ZERO(&cpus);
		CPU_SET(sched_getcpu(), &cpus);
		if (sched_setaffinity(0, sizeof(cpus), &cpus))
			ksft_exit_fail_msg("sched_setaffinity: %s\n", strerror(errno));
	}
	if (read_str("/proc/sys/vm/pghot_enabled", saved_enabled, 32) ||
	    read_str("/proc/sys/vm/pghot_freq_window_ms", saved_window, 32) ||
	    read_str("/proc/sys/vm/pghot_freq_threshold", saved_threshold, 32) ||
	    read_str("/proc/sys/vm/pghot_max_records", saved_max, 32))
		ksft_exit_fail_msg("cannot read the pghot sysctls\n");
	atexit(restore);

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

	ksft_set_plan(8);

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
	ksft_test_result(ok, "first accesses: pghot_record_inject and pghot_record_created +%d\n",
			 NR_PAGES);

	/* Second accesses reach the threshold: each enters its heap once. */
	before = read_vmstat("pghot_heap_insert");
	created = read_vmstat("pghot_record_created");
	for (i = 0, ok = true; i < NR_PAGES; i++)
		ok &= !inject(pfns[i], fast, SRC_INJECT, 2);
	ok &= read_vmstat("pghot_heap_insert") - before == NR_PAGES;
	ok &= read_vmstat("pghot_record_created") == created;
	ksft_test_result(ok, "threshold: pghot_heap_insert +%d, no new records\n",
			 NR_PAGES);

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
	ok = EXPECT_INJECT(0, "pghot_record_inject", 1, pfns[0], -1, SRC_INJECT, 1);
	ksft_test_result(ok, "NUMA_NO_NODE accessor: recorded\n");

	/* At the cap a new frame is dropped, known frames still count. */
	n = read_vmstat("pghot_record_created");
	{
		long records = read_records();
		char *extra = map_on_node(slow, 1);
		unsigned long pfn = extra ? pfn_of(extra) : 0;
		char buf[32];

		snprintf(buf, sizeof(buf), "%ld", records);
		ok = records >= NR_PAGES && pfn &&
		     !write_str("/proc/sys/vm/pghot_max_records", buf);
		ok &= EXPECT_INJECT(-ENOSPC, "pghot_drop_table_full", 1, pfn, fast,
				    SRC_INJECT, 1);
	}
	ok &= EXPECT_INJECT(0, "pghot_record_inject", 1, pfns[1], fast, SRC_INJECT, 1);
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

	ksft_finished();
}
