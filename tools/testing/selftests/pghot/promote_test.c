// SPDX-License-Identifier: GPL-2.0
/*
 * pghot promotion, end to end through the debugfs injector:
 *  - there is exactly one kpromoted<N> thread per lower-tier node N and none
 *    for top-tier nodes;
 *  - of a buffer placed on a lower-tier node, the pages reported hot reach a
 *    top-tier node (at least 99% of them within the timeout) and the pages
 *    not reported stay where they are (all of them);
 *  - every byte survives the move;
 *  - kpromoted counts what it did: candidates, promotions.
 *
 * Needs root, debugfs, CONFIG_PGHOT and a memory node in a lower tier.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <time.h>

#include "../kselftest.h"
#include "pghot_setup.h"

#define NR_PAGES	256
/* Promotion is asynchronous; kpromoted wakes on the first hot record. */
#define TIMEOUT_S	30

/* Why a candidate was not promoted; printed to explain a failure. */
static const char * const fails[] = {
	"kpromoted_fail_moved", "kpromoted_fail_cold",
	"kpromoted_fail_target_full", "kpromoted_fail_ratelimit",
	"kpromoted_fail_isolate", "kpromoted_fail_migrate",
};

static long fail0[ARRAY_SIZE(fails)];

static const char * const knobs[] = {
	"vm/pghot_enabled", "vm/pghot_freq_window_ms", "vm/pghot_freq_threshold",
	NULL
};

/* How many kpromoted<nid> threads run; -1 if /proc cannot be read. */
static int count_kpromoted(int nid)
{
	char want[32], path[300], comm[64];
	struct dirent *d;
	int n = 0;
	DIR *dir = opendir("/proc");

	if (!dir)
		return -1;
	snprintf(want, sizeof(want), "kpromoted%d", nid);
	while ((d = readdir(dir))) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		if (!read_str(path, comm, sizeof(comm)) && !strcmp(comm, want))
			n++;
	}
	closedir(dir);
	return n;
}

/* The memory tier of @nid, or -1. */
static int tier_of(int nid)
{
	struct dirent *d;
	int tier = -1;
	DIR *dir = opendir(TIERS);

	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		char path[sizeof(TIERS) + sizeof(d->d_name) + 16], list[64], *p;
		int t;

		if (sscanf(d->d_name, "memory_tier%d", &t) != 1)
			continue;
		snprintf(path, sizeof(path), TIERS "/%s/nodelist", d->d_name);
		if (read_str(path, list, sizeof(list)))
			continue;
		/* a nodelist such as "0-1,3" */
		for (p = strtok(list, ","); p; p = strtok(NULL, ",")) {
			int lo, hi;

			if (sscanf(p, "%d-%d", &lo, &hi) != 2) {
				lo = atoi(p);
				hi = lo;
			}
			if (nid >= lo && nid <= hi)
				tier = t;
		}
	}
	closedir(dir);
	return tier;
}

/* One kpromoted per lower-tier memory node, none elsewhere. */
static bool check_threads(void)
{
	int top = -1, nid, tier;
	bool ok = true;
	char path[64];

	for (nid = 0; nid < 64; nid++) {
		tier = tier_of(nid);
		if (tier >= 0 && (top < 0 || tier < top))
			top = tier;
	}
	for (nid = 0; nid < 64; nid++) {
		int want, got;

		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d", nid);
		if (access(path, F_OK))
			continue;
		tier = tier_of(nid);
		want = tier > top ? 1 : 0;
		got = count_kpromoted(nid);
		if (got != want) {
			ksft_print_msg("node %d (memory_tier%d): %d kpromoted, want %d\n",
				       nid, tier, got, want);
			ok = false;
		}
	}
	return ok;
}

int main(void)
{
	long cand0, prom0, cand, prom;
	int status[NR_PAGES], fast = -1, slow = -1, i, hot_fast, cold_moved;
	long bad;
	unsigned long pfns[NR_PAGES];
	time_t deadline;
	char *buf;
	bool ok;

	pghot_test_setup(PGHOT_NEED_INJECT | PGHOT_NEED_TIERS | PGHOT_NEED_PIN,
			 knobs, &fast, &slow);

	ksft_set_plan(4);
	ksft_test_result(check_threads(), "one kpromoted per lower-tier node\n");

	buf = map_patterned(slow, NR_PAGES, pfns);
	if (!buf)
		ksft_exit_fail_msg("cannot place pages on node %d: %s\n", slow,
				   strerror(errno));
	if (!nodes_of(buf, NR_PAGES, status))
		ksft_exit_fail_msg("move_pages: %s\n", strerror(errno));
	for (i = 0; i < NR_PAGES; i++)
		if (status[i] != slow)
			ksft_exit_fail_msg("page %d on node %d, not %d\n", i,
					   status[i], slow);

	write_str("/proc/sys/vm/pghot_freq_window_ms", "600000");
	write_str("/proc/sys/vm/pghot_freq_threshold", "2");
	write_str("/proc/sys/vm/pghot_enabled", "1");
	for (i = 0; i < (int)ARRAY_SIZE(fails); i++)
		fail0[i] = read_vmstat(fails[i]);
	cand0 = read_vmstat("kpromoted_candidate");
	prom0 = read_vmstat("kpromoted_promoted");

	/* Even pages are hot: two accesses each, from the fast node. */
	for (i = 0, ok = true; i < NR_PAGES; i += 2)
		ok &= !inject(pfns[i], fast, SRC_INJECT, 2);
	if (!ok)
		ksft_exit_fail_msg("injecting failed\n");

	deadline = time(NULL) + TIMEOUT_S;
	do {
		usleep(100000);
		if (!nodes_of(buf, NR_PAGES, status))
			ksft_exit_fail_msg("move_pages: %s\n", strerror(errno));
		for (i = 0, hot_fast = 0, cold_moved = 0; i < NR_PAGES; i++) {
			if (i % 2 == 0)
				hot_fast += status[i] == fast;
			else
				cold_moved += status[i] != slow;
		}
	} while (hot_fast < NR_PAGES / 2 && time(NULL) < deadline);

	ksft_print_msg("%d/%d hot pages on node %d, %d/%d others moved\n",
		       hot_fast, NR_PAGES / 2, fast, cold_moved, NR_PAGES / 2);
	for (i = 0; i < (int)ARRAY_SIZE(fails); i++)
		ksft_print_msg("%s +%ld\n", fails[i], read_vmstat(fails[i]) - fail0[i]);
	ksft_test_result(hot_fast * 100 >= NR_PAGES / 2 * 99 && !cold_moved,
			 "hot pages promoted (>= 99%%), the others stay\n");

	bad = pattern_errors(buf, NR_PAGES);
	ksft_test_result(!bad, "no byte changed (%ld corrupted)\n", bad);

	cand = read_vmstat("kpromoted_candidate") - cand0;
	prom = read_vmstat("kpromoted_promoted") - prom0;
	ksft_print_msg("kpromoted_candidate +%ld, kpromoted_promoted +%ld\n",
		       cand, prom);
	ksft_test_result(cand >= NR_PAGES / 2 && prom == hot_fast,
			 "kpromoted_candidate and kpromoted_promoted count the work\n");
	ksft_finished();
}
