// SPDX-License-Identifier: GPL-2.0
/*
 * Where kpromoted puts a hot page, on a system with two top-tier nodes with
 * CPUs and a CPU-less lower tier (the rig's socket2 topology: nodes 0 and
 * 1 top tier, node 2 below both).  The pages are reported, through the
 * debugfs injector, as accessed from node 1: what the hint-fault source
 * reports for a task on node 1's CPUs, after mpol_misplaced() checked that
 * its memory policy allows node 1.
 *
 *  1. While node 1 has no room, the pages stay on the lower tier: kpromoted
 *     never puts them on node 0, which the task's policy may exclude
 *     (mpol_misplaced() named node 1 alone), and counts the pages in
 *     kpromoted_fail_target_full.
 *  2. Once node 1 has room again, the pages are promoted to node 1, the
 *     node of the access, not to node 0, the first top-tier node, bytes
 *     intact.
 *
 * Node 1 is filled with mlocked pages, which reclaim can neither evict nor
 * demote, down to its low watermark (see fill()).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest.h"
#include "pghot_setup.h"

#define FAST		0
#define ACCESSOR	1
#define SLOW		2
#define NR_PAGES	128
#define TIMEOUT_S	60

static const char *const knobs[] = {
	"vm/pghot_enabled", "vm/pghot_freq_window_ms", "vm/pghot_freq_threshold",
	NULL
};

/*
 * Pages node @nid can give before it has no room: the sum over its zones of
 * free pages above the high watermark, from /proc/zoneinfo; -1 if unknown.
 */
static long room_of(int nid)
{
	char line[256];
	long free = -1, high = -1, room = 0;
	bool in = false, any = false;
	int node;
	FILE *f = fopen("/proc/zoneinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		long v;

		if (sscanf(line, "Node %d, zone", &node) == 1) {
			in = node == nid;
			free = -1;
			high = -1;
			continue;
		}
		if (!in)
			continue;
		if (sscanf(line, " pages free %ld", &v) == 1)
			free = v;
		else if (sscanf(line, " high %ld", &v) == 1)
			high = v;
		if (free >= 0 && high >= 0) {
			if (free > high)
				room += free - high;
			free = -1;
			high = -1;
			any = true;
		}
	}
	fclose(f);
	return any ? room : -1;
}

/* Pages allocated past a node's room to be sure it has none; see fill(). */
#define FILL_MORE	4096

/*
 * Mlocked pages that prefer node @nid, @n of them, at *@p; -1 on failure.
 *
 * Preferred, not bound: the allocator takes from @nid until it reaches
 * its low watermark and then goes on to other nodes, so asking for more
 * than @nid's room (FILL_MORE pages past it) leaves @nid below its high
 * watermark, without room for a promotion, whatever it gave besides the
 * pages themselves (their page tables, per-CPU page lists refilled in
 * batches).  A bound fill of the same size ends in the OOM killer once
 * @nid reaches its min watermark, and one that stops just below its high
 * watermark is undone by the next batch of pages freed back to @nid.
 * Mlocked pages are unevictable: kswapd cannot make room again.
 */
static long fill(int nid, long n, char **p)
{
	unsigned long mask = 1UL << nid;

	*p = mmap(NULL, n * page_size, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (*p == MAP_FAILED)
		return -1;
	if (syscall(SYS_mbind, *p, n * page_size, MPOL_PREFERRED, &mask,
		    8 * sizeof(mask), 0) || mlock(*p, n * page_size)) {
		munmap(*p, n * page_size);
		return -1;
	}
	return n;
}

static int count_on(const int *status, int nid)
{
	int i, n = 0;

	for (i = 0; i < NR_PAGES; i++)
		n += status[i] == nid;
	return n;
}

/* Report from node ACCESSOR every page of @status still on the lower tier. */
static bool report_slow(const unsigned long *pfns, const int *status)
{
	int i, err;

	for (i = 0; i < NR_PAGES; i++) {
		if (status[i] != SLOW)
			continue;
		/*
		 * A page promoted since @status was read left its frame on
		 * node SLOW free, or to a page that is not yet on an LRU
		 * list: the report is refused as not an LRU page.
		 */
		err = inject(pfns[i], ACCESSOR, SRC_INJECT, 2);
		if (err && err != -EBUSY) {
			errno = -err;
			return false;
		}
	}
	return true;
}

int main(void)
{
	int status[NR_PAGES], fast = -1, slow = -1, i;
	long bad;
	unsigned long pfns[NR_PAGES];
	long room, full0, filled;
	char *buf, *filler;
	time_t deadline;
	bool ok;

	pghot_test_setup(PGHOT_NEED_INJECT | PGHOT_NEED_TIERS | PGHOT_NEED_PIN,
			 knobs, &fast, &slow);
	if (slow != SLOW || access("/sys/devices/system/node/node2", F_OK) ||
	    room_of(FAST) < 0 || room_of(ACCESSOR) < 0)
		ksft_exit_skip("needs the rig's socket2 topology: nodes 0, 1 top tier, 2 below\n");
	ksft_set_plan(2);

	buf = map_patterned(SLOW, NR_PAGES, pfns);
	if (!buf)
		ksft_exit_fail_msg("cannot place pages on node %d: %s\n", SLOW,
				   strerror(errno));

	/* Test 1: node 1 full; reports from node 1 promote nothing elsewhere. */
	room = room_of(ACCESSOR);
	filled = fill(ACCESSOR, room + FILL_MORE, &filler);
	if (filled < 0)
		ksft_exit_fail_msg("cannot fill node %d: %s\n", ACCESSOR,
				   strerror(errno));
	if (room_of(ACCESSOR) > 0)
		ksft_exit_fail_msg("node %d has room for %ld pages after %ld mlocked for its %ld\n",
				   ACCESSOR, room_of(ACCESSOR), filled, room);
	full0 = read_vmstat("kpromoted_fail_target_full");
	write_str("/proc/sys/vm/pghot_freq_window_ms", "600000");
	write_str("/proc/sys/vm/pghot_freq_threshold", "2");
	write_str("/proc/sys/vm/pghot_enabled", "1");
	for (i = 0; i < NR_PAGES; i++)
		status[i] = SLOW;
	if (!report_slow(pfns, status))
		ksft_exit_fail_msg("injecting failed: %s\n", strerror(errno));
	wait_kpromoted_idle(TIMEOUT_S);
	if (!nodes_of(buf, NR_PAGES, status))
		ksft_exit_fail_msg("move_pages: %s\n", strerror(errno));
	ksft_print_msg("node %d had room for %ld pages, %ld mlocked preferring it\n",
		       ACCESSOR, room, filled);
	ksft_print_msg("%d pages on node %d, %d on %d, %d on %d; kpromoted_fail_target_full +%ld\n",
		       count_on(status, SLOW), SLOW, count_on(status, ACCESSOR),
		       ACCESSOR, count_on(status, FAST), FAST,
		       read_vmstat("kpromoted_fail_target_full") - full0);
	ksft_test_result(!count_on(status, FAST) &&
			 read_vmstat("kpromoted_fail_target_full") > full0,
			 "node %d full: no page promoted to node %d instead\n",
			 ACCESSOR, FAST);

	/* Test 2: with room again, the pages go to node 1. */
	munmap(filler, filled * page_size);
	deadline = time(NULL) + TIMEOUT_S;
	if (!nodes_of(buf, NR_PAGES, status))
		ksft_exit_fail_msg("move_pages: %s\n", strerror(errno));
	while (count_on(status, SLOW) && time(NULL) < deadline) {
		/* the next reports put the hot records back on the heap */
		if (!report_slow(pfns, status))
			ksft_exit_fail_msg("injecting failed: %s\n", strerror(errno));
		usleep(500000);
		if (!nodes_of(buf, NR_PAGES, status))
			ksft_exit_fail_msg("move_pages: %s\n", strerror(errno));
	}
	bad = pattern_errors(buf, NR_PAGES);
	ok = count_on(status, ACCESSOR) == NR_PAGES && !bad;
	ksft_print_msg("%d pages on node %d, %d on node %d, %d on node %d; %ld bytes changed\n",
		       count_on(status, ACCESSOR), ACCESSOR,
		       count_on(status, FAST), FAST, count_on(status, SLOW),
		       SLOW, bad);
	ksft_test_result(ok, "with room, promoted to node %d, the accessor, bytes intact\n",
			 ACCESSOR);
	write_str("/proc/sys/vm/pghot_enabled", "0");
	ksft_finished();
}
