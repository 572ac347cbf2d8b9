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
 *  2. Node 1 goes offline again and pghot lets go of it; onlined once more,
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

static const char *const knobs[] = { "vm/pghot_enabled", NULL };

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
				ksft_print_msg("fail-nth %d: node %d online, not tracked, and onlining block %d does not start it\n",
					       nth, NODE, nr_blocks > 1 ? blocks[1] : -1);
				set_block(blocks[0], "offline");
				return false;
			}
		}
		if (set_block(blocks[0], "offline"))
			return false;
	}
	ksft_print_msg("%d fallible calls on the way: %d failures refused the online, %d let it through (%d before pghot had started the node)\n",
		       nth - 1, refused, through, retried);
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

/* Test 2: offline, pghot lets go; online again, pghot takes it back. */
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
		ksft_exit_skip("needs node %d with only offline memory (the rig's hotplug topology)\n",
			       NODE);
	if (access("/proc/thread-self/fail-nth", F_OK) || !failslab_setup())
		ksft_exit_skip("needs CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_DEBUG_FS\n");

	ksft_set_plan(2);
	ksft_test_result(sweep_first_online(),
			 "each failure of the first online unwinds; the online that succeeds is tracked\n");
	failslab_restore();
	ksft_test_result(cycle(), "offlined, the node is let go; onlined, tracked again\n");
	ksft_finished();
}
