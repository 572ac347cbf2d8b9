// SPDX-License-Identifier: GPL-2.0
/*
 * A lower tier that arrives by memory hotplug, as CXL memory onlined
 * through dax/kmem does.  Needs the rig's hotplug topology (or any system
 * where node 1 is CPU-less, has no memory, and has offline memory blocks):
 *
 *  1. Node 1's first block is onlined with each allocation on the way made
 *     to fail in turn (failslab and /proc/self/fail-nth), until one online
 *     goes through without a failure.  pghot's table and node start run in
 *     the memory hotplug notifier, under the memory hotplug and CPU hotplug
 *     locks: every error path must unwind without a splat (lockdep watches
 *     these locks) or a leak (kmemleak runs at the end of the boot), and
 *     the online that finally succeeds must be tracked.
 *  2. Once all of node 1's memory is online, pghot sizes for all of it:
 *     vm.pghot_max_records defaults to one record per 64 KiB of lower-tier
 *     memory, and goes no higher than one record per page of it.
 *  3. Raised to that ceiling, the cap grows the table, and the records of
 *     the hotplugged node's pages move with their history: one more report
 *     each makes them hot, and they are promoted.
 *  4. Node 1 goes offline again and pghot lets go of it; onlined once more,
 *     it is tracked again.
 *
 * Every knob and the failslab settings are restored at exit; the memory is
 * left offline, as found.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest.h"
#include "pghot_setup.h"

#define NODE		1
#define MEMORY		"/sys/devices/system/memory"
#define FAILSLAB	"/sys/kernel/debug/failslab"
#define MAX_BLOCKS	64
#define MAX_NTH		4000
#define NR_PAGES	256
#define TIMEOUT_S	60

static const char *const knobs[] = {
	"vm/pghot_enabled", "vm/pghot_max_records", "vm/pghot_freq_window_ms",
	"vm/pghot_freq_threshold", NULL
};

static int blocks[MAX_BLOCKS], nr_blocks;
static char failslab_saved[2][16];
static bool failslab_set;

/* The memory blocks of node NODE, offline ones only; false if any is online. */
static bool find_blocks(void)
{
	char path[128], state[32];
	struct dirent *d;
	DIR *dir;
	bool all_offline = true;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d", NODE);
	dir = opendir(path);
	if (!dir)
		return false;
	while ((d = readdir(dir)) && nr_blocks < MAX_BLOCKS) {
		int id;

		if (sscanf(d->d_name, "memory%d", &id) != 1)
			continue;
		snprintf(path, sizeof(path), MEMORY "/memory%d/state", id);
		if (read_str(path, state, sizeof(state)))
			continue;
		if (strcmp(state, "offline")) {
			all_offline = false;
			continue;
		}
		blocks[nr_blocks++] = id;
	}
	closedir(dir);
	return all_offline && nr_blocks;
}

static int set_block(int id, const char *state)
{
	char path[128];

	snprintf(path, sizeof(path), MEMORY "/memory%d/state", id);
	return write_str(path, state);
}

static bool block_online(int id)
{
	char path[128], state[32];

	snprintf(path, sizeof(path), MEMORY "/memory%d/state", id);
	return !read_str(path, state, sizeof(state)) && !strcmp(state, "online");
}

/* All of pghot's debugfs stats, or "" */
static const char *stats(void)
{
	static char buf[4096];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	fd = open(STATS, O_RDONLY);
	if (fd < 0)
		return buf;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* The value of the stats line "@name N", or -1. */
static long stat_of(const char *name)
{
	const char *all = stats(), *p;
	size_t len = strlen(name);

	for (p = all; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (!strncmp(p, name, len) && p[len] == ' ')
			return atol(p + len + 1);
	}
	return -1;
}

/* Does pghot track node NODE ("nodeN records R heap U/S" in its stats)? */
static bool tracked(void)
{
	char want[32];

	snprintf(want, sizeof(want), "\nnode%d records", NODE);
	return strstr(stats(), want);
}

/*
 * Tell the rig (rig/boot.sh) where failures are injected: the allocation
 * failure reports there print a stack by design.
 */
static void mark_injection(const char *state)
{
	char line[64];

	snprintf(line, sizeof(line), "pghot-rig: fault injection %s\n", state);
	write_str("/dev/kmsg", line);
}

static void failslab_restore(void)
{
	if (!failslab_set)
		return;
	write_str(FAILSLAB "/ignore-gfp-wait", failslab_saved[0]);
	write_str(FAILSLAB "/verbose", failslab_saved[1]);
	mark_injection("off");
	failslab_set = false;
}

/*
 * Let failslab fail sleeping allocations too (the notifier's are
 * GFP_KERNEL), quietly: the failures are the point, not their stacks.
 */
static bool failslab_setup(void)
{
	if (read_str(FAILSLAB "/ignore-gfp-wait", failslab_saved[0],
		     sizeof(failslab_saved[0])) ||
	    read_str(FAILSLAB "/verbose", failslab_saved[1],
		     sizeof(failslab_saved[1])))
		return false;
	failslab_set = true;
	atexit(failslab_restore);
	mark_injection("on");
	return !write_str(FAILSLAB "/ignore-gfp-wait", "N") &&
	       !write_str(FAILSLAB "/verbose", "0");
}

/*
 * Online block @id with the @nth fallible call of this task failing.
 * Returns 1 if the online went through with no failure injected, 0 if a
 * failure was injected, -1 on an error of the test itself.  *@err is the
 * online's errno, 0 if it went through.
 */
static int online_failing(int id, int nth, int *err)
{
	char path[128], buf[16];
	int fd, state, ret = -1;
	ssize_t n;

	snprintf(path, sizeof(path), MEMORY "/memory%d/state", id);
	state = open(path, O_WRONLY);
	snprintf(path, sizeof(path), "/proc/self/task/%ld/fail-nth",
		 (long)syscall(SYS_gettid));
	fd = open(path, O_RDWR);
	if (state < 0 || fd < 0)
		goto out;
	snprintf(buf, sizeof(buf), "%d", nth);
	if (write(fd, buf, strlen(buf)) < 0)
		goto out;
	n = write(state, "online_movable", 14);
	*err = n < 0 ? errno : 0;
	/* what is left of the count: 0 once the failure was injected */
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (write(fd, "0", 1) < 0 || n <= 0)
		goto out;
	buf[n] = '\0';
	if (atoi(buf) > 0) {
		ret = *err ? -1 : 1;
		goto out;
	}
	ret = 0;
out:
	if (state >= 0)
		close(state);
	if (fd >= 0)
		close(fd);
	return ret;
}

/* Is node NODE in the lowest (slowest) memory tier? */
static bool lower_tier(void)
{
	int fast = -1, slow = -1;

	return find_tiers(&fast, &slow) && slow == NODE;
}

/*
 * Test 1: every failure of the first online leaves a node that can start.
 * When the online went through but pghot could not start the node, the
 * online of another of its blocks must start it.
 */
static bool sweep_first_online(void)
{
	int nth, r = 0, err = 0, refused = 0, through = 0, retried = 0;

	for (nth = 1; nth <= MAX_NTH; nth++) {
		r = online_failing(blocks[0], nth, &err);
		if (r < 0) {
			ksft_print_msg("fail-nth %d: online: %s, block %d %s\n",
				       nth, strerror(err), blocks[0],
				       block_online(blocks[0]) ? "online" : "offline");
			return false;
		}
		if (r > 0)
			break;
		if (err) {
			refused++;
			continue;
		}
		through++;
		/*
		 * Not tracked, though in a lower tier: pghot could not start
		 * the node.  (A failure in the memory tiers' own callback
		 * leaves the node in no lower tier, and pghot rightly out.)
		 */
		if (!tracked() && lower_tier()) {
			bool started;

			retried++;
			started = nr_blocks > 1 &&
				  !set_block(blocks[1], "online_movable") &&
				  tracked();
			if (nr_blocks > 1 && block_online(blocks[1]))
				set_block(blocks[1], "offline");
			if (!started) {
				ksft_print_msg("fail-nth %d: node %d untracked, block %d on\n",
					       nth, NODE, nr_blocks > 1 ? blocks[1] : -1);
				set_block(blocks[0], "offline");
				return false;
			}
		}
		if (set_block(blocks[0], "offline"))
			return false;
	}
	ksft_print_msg("%d fallible calls: %d refused the online, %d let it through\n",
		       nth - 1, refused, through);
	ksft_print_msg("%d times, the node was left untracked and the next online started it\n",
		       retried);
	if (r <= 0) {
		ksft_print_msg("no online went through within %d failures\n",
			       MAX_NTH);
		return false;
	}
	if (!tracked()) {
		ksft_print_msg("node %d online but not tracked\n", NODE);
		return false;
	}
	return true;
}

static long max_records(void)
{
	char buf[32];

	if (read_str("/proc/sys/vm/pghot_max_records", buf, sizeof(buf)))
		return -1;
	return atol(buf);
}

static long ceiling;	/* one record per page of node NODE */

/* Test 2: sized for all of the node's memory, up to a record per page. */
static bool sized_for_all(void)
{
	long block_bytes, want, got;
	char buf[32];
	int i, err;

	if (read_str(MEMORY "/block_size_bytes", buf, sizeof(buf)))
		return false;
	block_bytes = strtol(buf, NULL, 16);
	for (i = 1; i < nr_blocks; i++) {
		err = set_block(blocks[i], "online_movable");
		if (err) {
			ksft_print_msg("cannot online block %d: %s\n",
				       blocks[i], strerror(-err));
			return false;
		}
	}
	want = (long)nr_blocks * block_bytes / 65536;
	if (want < 1024)
		want = 1024;
	ceiling = (long)nr_blocks * block_bytes / page_size;
	got = max_records();
	ksft_print_msg("%d blocks of %ld MiB: pghot_max_records %ld, want %ld; %ld buckets\n",
		       nr_blocks, block_bytes >> 20, got, want, stat_of("buckets"));
	if (got != want)
		return false;
	snprintf(buf, sizeof(buf), "%ld", ceiling + 1);
	err = write_str("/proc/sys/vm/pghot_max_records", buf);
	if (err != -EINVAL || max_records() != want) {
		ksft_print_msg("writing %ld, a record per page and one more: %s, reads %ld\n",
			       ceiling + 1, strerror(-err), max_records());
		return false;
	}
	return true;
}

/*
 * Test 3: records of the hotplugged node's pages, one report each (half the
 * threshold), move when the cap raised to its ceiling grows the table; one
 * more report each makes them hot only if their history moved with them.
 * Then they are promoted, bytes intact.
 */
static bool grows_and_promotes(void)
{
	int status[NR_PAGES], i, fast = -1, slow = -1, moved, err;
	long bad;
	long records, buckets;
	unsigned long pfns[NR_PAGES];
	time_t deadline;
	char *buf, val[32];

	if (!find_tiers(&fast, &slow) || slow != NODE) {
		ksft_print_msg("node %d is not the lower tier\n", NODE);
		return false;
	}
	buf = map_patterned(NODE, NR_PAGES, pfns);
	if (!buf) {
		ksft_print_msg("cannot place pages on node %d: %s\n", NODE,
			       strerror(errno));
		return false;
	}
	write_str("/proc/sys/vm/pghot_freq_window_ms", "600000");
	write_str("/proc/sys/vm/pghot_freq_threshold", "2");
	write_str("/proc/sys/vm/pghot_enabled", "1");
	for (i = 0; i < NR_PAGES; i++)
		if (inject(pfns[i], fast, SRC_INJECT, 1)) {
			ksft_print_msg("cannot inject page %d\n", i);
			return false;
		}
	records = stat_of("records");
	buckets = stat_of("buckets");
	snprintf(val, sizeof(val), "%ld", ceiling);
	err = write_str("/proc/sys/vm/pghot_max_records", val);
	ksft_print_msg("pghot_max_records=%ld: %s; records %ld -> %ld, buckets %ld -> %ld\n",
		       ceiling, err ? strerror(-err) : "ok", records,
		       stat_of("records"), buckets, stat_of("buckets"));
	if (err || max_records() != ceiling || records < NR_PAGES ||
	    stat_of("records") != records || stat_of("buckets") <= buckets)
		return false;

	for (i = 0; i < NR_PAGES; i++)
		if (inject(pfns[i], fast, SRC_INJECT, 1)) {
			ksft_print_msg("cannot inject page %d again\n", i);
			return false;
		}
	deadline = time(NULL) + TIMEOUT_S;
	do {
		usleep(100000);
		if (!nodes_of(buf, NR_PAGES, status))
			return false;
		for (i = 0, moved = 0; i < NR_PAGES; i++)
			moved += status[i] == fast;
	} while (moved < NR_PAGES && time(NULL) < deadline);
	bad = pattern_errors(buf, NR_PAGES);
	write_str("/proc/sys/vm/pghot_enabled", "0");
	ksft_print_msg("%d/%d pages promoted to node %d, %ld bytes changed\n",
		       moved, NR_PAGES, fast, bad);
	munmap(buf, NR_PAGES * page_size);
	return moved == NR_PAGES && !bad;
}

/* Test 4: offline, pghot lets go; online again, pghot takes it back. */
static bool cycle(void)
{
	int i, err;

	for (i = 0; i < nr_blocks; i++) {
		if (!block_online(blocks[i]))
			continue;
		err = set_block(blocks[i], "offline");
		if (err) {
			ksft_print_msg("cannot offline block %d: %s\n",
				       blocks[i], strerror(-err));
			return false;
		}
	}
	if (tracked()) {
		ksft_print_msg("node %d offline but still tracked\n", NODE);
		return false;
	}
	if (set_block(blocks[0], "online_movable"))
		return false;
	if (!tracked()) {
		ksft_print_msg("node %d online again but not tracked\n", NODE);
		return false;
	}
	return !set_block(blocks[0], "offline");
}

int main(void)
{
	pghot_test_setup(PGHOT_NEED_INJECT | PGHOT_NEED_PIN, knobs, NULL, NULL);
	if (!find_blocks())
		ksft_exit_skip("needs node %d with offline memory only (hotplug topology)\n",
			       NODE);
	if (access("/proc/thread-self/fail-nth", F_OK) || !failslab_setup())
		ksft_exit_skip("needs CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_DEBUG_FS\n");

	ksft_set_plan(4);
	ksft_test_result(sweep_first_online(),
			 "each failure of the first online unwinds; the online that succeeds is tracked\n");
	failslab_restore();
	ksft_test_result(sized_for_all(),
			 "sized for all of node %d's memory, up to a record per page\n",
			 NODE);
	ksft_test_result(grows_and_promotes(),
			 "the table grows with its hot records, which are promoted\n");
	ksft_test_result(cycle(), "offlined, the node is let go; onlined, tracked again\n");
	ksft_finished();
}
