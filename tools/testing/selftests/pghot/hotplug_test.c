// SPDX-License-Identifier: GPL-2.0
/*
 * A lower tier that arrives by memory hotplug, as CXL memory onlined
 * through dax/kmem does.  Needs the rig's hotplug topology (or any system
 * where node 1 is CPU-less, has no memory, and has offline memory blocks):
 *
 *  1. The first online of node 1, the one that creates pghot's record
 *     table, with the table's page allocations failing (fail_page_alloc,
 *     its stack filter on pghot_table_alloc() and its task filter).
 *     pghot runs in the memory hotplug notifier, under the memory hotplug
 *     and CPU hotplug locks, so its error path must unwind without taking
 *     either again (lockdep watches them); the online goes through
 *     untracked, and the next online tracks the node.
 *  2. kpromoted cannot be created (failslab, filtered to kpromoted_create())
 *     at one online after another, while another process reports accesses
 *     to node 1's pages as fast as it can: pghot must publish nothing of a
 *     node whose start fails, so not one report may be taken for it, and
 *     the next online must start it cleanly.
 *  3. Node 1's first block is onlined with each allocation on the way made
 *     to fail in turn (failslab and /proc/self/fail-nth), until one online
 *     goes through without a failure.  Every error path must unwind without
 *     a splat or a leak (kmemleak runs at the end of the boot), and the
 *     online that finally succeeds must be tracked.
 *  4. Once all of node 1's memory is online, pghot sizes for all of it:
 *     vm.pghot_max_records defaults to one record per 64 KiB of lower-tier
 *     memory, and goes no higher than one record per page of it.
 *  5. Raised to that ceiling, the cap grows the table, and the records of
 *     the hotplugged node's pages move with their history: one more report
 *     each makes them hot, and they are promoted.
 *  6. Node 1 goes offline again and pghot lets go of it; onlined once more,
 *     it is tracked again.
 *
 * Test 1 needs a kernel with no record table yet (no lower tier at boot).
 * Tests 1 and 2 need CONFIG_FAIL_PAGE_ALLOC and the fault injection stack
 * filter (CONFIG_FAULT_INJECTION_STACKTRACE_FILTER).
 * Every knob and fault-injection setting is restored at exit; the memory
 * is left offline, as found.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest.h"
#include "pghot_setup.h"

#define NODE		1
#define MEMORY		"/sys/devices/system/memory"
#define DEBUGFS		"/sys/kernel/debug/"
#define FAILSLAB	DEBUGFS "failslab"
#define MAX_BLOCKS	64
#define MAX_NTH		4000
#define NR_PAGES	256
#define TIMEOUT_S	60
#define START_TRIES	32	/* onlines whose kpromoted cannot be created */

static const char *const knobs[] = {
	"vm/pghot_enabled", "vm/pghot_max_records", "vm/pghot_freq_window_ms",
	"vm/pghot_freq_threshold", NULL
};

/* The fault-injection attributes the tests set, restored at exit. */
static const char *const fault_attrs[] = {
	"failslab/ignore-gfp-wait", "failslab/verbose",
	"failslab/probability", "failslab/interval", "failslab/times",
	"failslab/task-filter", "failslab/stacktrace-depth",
	"failslab/require-start", "failslab/require-end",
	"fail_page_alloc/ignore-gfp-wait", "fail_page_alloc/verbose",
	"fail_page_alloc/probability", "fail_page_alloc/interval",
	"fail_page_alloc/times", "fail_page_alloc/task-filter",
	"fail_page_alloc/stacktrace-depth", "fail_page_alloc/require-start",
	"fail_page_alloc/require-end", "fail_page_alloc/ignore-gfp-highmem",
	"fail_page_alloc/min-order",
};

#define NR_FAULT_ATTRS	ARRAY_SIZE(fault_attrs)

static int blocks[MAX_BLOCKS], nr_blocks;
static char fault_saved[NR_FAULT_ATTRS][32];
static bool fault_set;

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

/* Does pghot track node NODE ("nodeN records R heap U/S" in its stats)? */
static bool tracked(void)
{
	char want[32];

	snprintf(want, sizeof(want), "\nnode%d records", NODE);
	return strstr(pghot_stats(), want);
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

static void fault_restore(void)
{
	char path[128];
	unsigned int i;

	if (!fault_set)
		return;
	write_str("/proc/thread-self/make-it-fail", "0");
	for (i = 0; i < NR_FAULT_ATTRS; i++) {
		snprintf(path, sizeof(path), DEBUGFS "%s", fault_attrs[i]);
		write_str(path, fault_saved[i]);
	}
	mark_injection("off");
	fault_set = false;
}

/* Save every attribute fault_restore() puts back; false if one is missing. */
static bool fault_save(void)
{
	char path[128];
	unsigned int i;

	for (i = 0; i < NR_FAULT_ATTRS; i++) {
		snprintf(path, sizeof(path), DEBUGFS "%s", fault_attrs[i]);
		if (read_str(path, fault_saved[i], sizeof(fault_saved[i])))
			return false;
	}
	atexit(fault_restore);
	return !access("/proc/thread-self/make-it-fail", W_OK);
}

/*
 * Let failslab fail sleeping allocations too (the notifier's are
 * GFP_KERNEL), quietly: the failures are the point, not their stacks.
 */
static bool failslab_setup(void)
{
	fault_set = true;
	mark_injection("on");
	return !write_str(FAILSLAB "/ignore-gfp-wait", "N") &&
	       !write_str(FAILSLAB "/verbose", "0");
}

/*
 * The text of function @name in /proc/kallsyms, [*@start, *@end): from its
 * address to the next symbol's.  A local function may carry a suffix
 * (".isra.0"); @name must still be unique.
 */
static bool fn_range(const char *name, unsigned long *start,
		     unsigned long *end)
{
	char line[256], sym[128], type;
	unsigned long addr;
	size_t len = strlen(name);
	FILE *f = fopen("/proc/kallsyms", "r");

	*start = 0;
	*end = ~0UL;
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx %c %127s", &addr, &type, sym) == 3 &&
		    (type == 't' || type == 'T') && !strncmp(sym, name, len) &&
		    (sym[len] == '\0' || sym[len] == '.')) {
			*start = addr;
			break;
		}
	rewind(f);
	while (*start && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx %c %127s", &addr, &type, sym) == 3 &&
		    addr > *start && addr < *end)
			*end = addr;
	fclose(f);
	if (!*start || *end == ~0UL) {
		ksft_print_msg("no %s in /proc/kallsyms\n", name);
		return false;
	}
	return true;
}

#define MAX_INJECTED	100000

static bool fail_attr(const char *type, const char *attr, const char *val)
{
	char path[128];

	int err;

	snprintf(path, sizeof(path), DEBUGFS "%s/%s", type, attr);
	err = write_str(path, val);
	if (err)
		ksft_print_msg("%s: writing %s: %s\n", path, val, strerror(-err));
	return !err;
}

/*
 * Make every allocation of fault type @type ("failslab" or
 * "fail_page_alloc") fail that this task makes with function @fn on its
 * stack, from now until fail_end(@type), up to MAX_INJECTED of them.  The
 * filters are set before the probability, so that no allocation of
 * anyone else's ever fails meanwhile.
 */
static bool fail_in(const char *type, const char *fn)
{
	static const char *const fixed[][2] = {
		{ "ignore-gfp-wait", "N" }, { "verbose", "0" },
		{ "interval", "1" }, { "task-filter", "Y" },
		{ "stacktrace-depth", "32" },
	};
	char start[32], end[32], times[32];
	unsigned long from, to;
	unsigned int i;
	int err;

	if (!fn_range(fn, &from, &to))
		return false;
	snprintf(start, sizeof(start), "%#lx", from);
	snprintf(end, sizeof(end), "%#lx", to);
	snprintf(times, sizeof(times), "%d", MAX_INJECTED);
	fault_set = true;
	mark_injection("on");
	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		if (!fail_attr(type, fixed[i][0], fixed[i][1]))
			return false;
	if (!fail_attr(type, "require-start", start) ||
	    !fail_attr(type, "require-end", end) ||
	    !fail_attr(type, "times", times))
		return false;
	if (!strcmp(type, "fail_page_alloc") &&
	    (!fail_attr(type, "ignore-gfp-highmem", "N") ||
	     !fail_attr(type, "min-order", "0")))
		return false;
	err = write_str("/proc/thread-self/make-it-fail", "1");
	if (err) {
		ksft_print_msg("cannot set make-it-fail: %s\n", strerror(-err));
		return false;
	}
	/* last: from here on only this task's allocations under @fn fail */
	return fail_attr(type, "probability", "100");
}

/* Stop what fail_in() started; returns how many allocations it failed. */
static long fail_end(const char *type)
{
	char path[128], buf[32];

	write_str("/proc/thread-self/make-it-fail", "0");
	snprintf(path, sizeof(path), DEBUGFS "%s/times", type);
	if (read_str(path, buf, sizeof(buf)))
		return -1;
	return MAX_INJECTED - atol(buf);
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

/* Offline every block of node NODE that is online; false if one stays. */
static bool offline_all(void)
{
	bool ok = true;
	int i, err;

	for (i = 0; i < nr_blocks; i++) {
		if (!block_online(blocks[i]))
			continue;
		err = set_block(blocks[i], "offline");
		if (err) {
			ksft_print_msg("cannot offline block %d: %s\n",
				       blocks[i], strerror(-err));
			ok = false;
		}
	}
	return ok;
}

/*
 * Test 1: the first online of a lower-tier node creates the record table.
 * With every page allocation of pghot_table_alloc() failing, and only
 * those, the table cannot be made after everything before it was: the
 * online must still go through, untracked, with no splat (pghot's error
 * path runs under cpus_read_lock(), which memory hotplug holds), and the
 * next online must track the node.
 */
static int table_fails_at_first_online(void)
{
	long failed, buckets = pghot_stat("buckets");
	bool ok;
	int err;

	if (buckets) {
		ksft_print_msg("a record table exists already (%ld buckets)\n",
			       buckets);
		return KSFT_SKIP;
	}
	if (nr_blocks < 2) {
		ksft_print_msg("node %d has a single memory block\n", NODE);
		return KSFT_FAIL;
	}
	if (!fail_in("fail_page_alloc", "pghot_table_alloc"))
		return KSFT_FAIL;
	err = set_block(blocks[0], "online_movable");
	failed = fail_end("fail_page_alloc");
	buckets = pghot_stat("buckets");
	ksft_print_msg("block %d online, table failing: %s; %ld failed; node %d %s, %ld buckets\n",
		       blocks[0], err ? strerror(-err) : "ok", failed, NODE,
		       tracked() ? "tracked" : "untracked", buckets);
	ok = !err && failed > 0 && !tracked() && buckets == 0;
	if (!err) {
		err = set_block(blocks[1], "online_movable");
		buckets = pghot_stat("buckets");
		ksft_print_msg("block %d online, nothing failing: %s; node %d %s, %ld buckets\n",
			       blocks[1], err ? strerror(-err) : "ok", NODE,
			       tracked() ? "tracked" : "untracked", buckets);
		ok = ok && !err && tracked() && buckets > 0;
	}
	ok = offline_all() && !tracked() && ok;
	return ok ? KSFT_PASS : KSFT_FAIL;
}

/* What test 2's reporting process shares with the test. */
struct reporter {
	int stop;	/* read and written with __atomic builtins */
	long tries, taken;
};

/*
 * Test 2's other process: report accesses to @pfns, accessed from node
 * @fast, as fast as it can until told to stop, on a CPU other than the
 * test's if there is one.
 */
static void report_until_stopped(struct reporter *r, const unsigned long *pfns,
				 int n, int fast, int test_cpu)
{
	long cpu, nr_cpus = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t cpus;
	int i;

	CPU_ZERO(&cpus);
	for (cpu = 0; cpu < nr_cpus && cpu < CPU_SETSIZE; cpu++)
		if (cpu != test_cpu || nr_cpus == 1)
			CPU_SET(cpu, &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);
	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED))
		for (i = 0; i < n; i++) {
			r->tries++;
			if (!inject(pfns[i], fast, SRC_INJECT, 1))
				r->taken++;
		}
	_exit(0);
}

/*
 * Test 2: a node whose kpromoted cannot be created is not published, not
 * even for a moment: node 1's memory is onlined START_TRIES times with
 * kpromoted_create()'s allocations failing, while another process reports
 * accesses to pages of node 1, each enough to make a page hot; not one may
 * be taken.  Then an online with nothing failing starts the node, and the
 * same reports are taken.
 */
static bool start_fails_no_trace(void)
{
	int i, err, fast = -1, slow = -1, untracked = 0, taken = 0;
	unsigned long pfns[NR_PAGES];
	struct reporter *r;
	char *buf = NULL;
	bool ok = false;
	long failed;
	pid_t pid;

	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED) {
		ksft_print_msg("mmap: %s\n", strerror(errno));
		return false;
	}
	memset(r, 0, sizeof(*r));
	write_str("/proc/sys/vm/pghot_freq_window_ms", "600000");
	write_str("/proc/sys/vm/pghot_freq_threshold", "1");
	write_str("/proc/sys/vm/pghot_enabled", "1");
	if (!fail_in("failslab", "kpromoted_create"))
		goto out;
	/* memory on node 1 for the pages to report, its node not started */
	err = set_block(blocks[1], "online_movable");
	if (err || tracked() || !find_tiers(&fast, &slow) || slow != NODE) {
		ksft_print_msg("block %d online: %s, node %d %s, lowest tier node %d\n",
			       blocks[1], err ? strerror(-err) : "ok", NODE,
			       tracked() ? "tracked" : "untracked", slow);
		goto out;
	}
	buf = map_patterned(NODE, NR_PAGES, pfns);
	if (!buf || drain_lru_batches()) {
		ksft_print_msg("cannot place pages on node %d: %s\n", NODE,
			       strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		ksft_print_msg("fork: %s\n", strerror(errno));
		goto out;
	}
	if (!pid)
		report_until_stopped(r, pfns, NR_PAGES, fast, sched_getcpu());
	for (i = 0; i < START_TRIES; i++) {
		err = set_block(blocks[0], "online_movable");
		if (err)
			break;
		untracked += !tracked();
		err = set_block(blocks[0], "offline");
		if (err)
			break;
	}
	__atomic_store_n(&r->stop, 1, __ATOMIC_RELAXED);
	waitpid(pid, NULL, 0);
	failed = fail_end("failslab");
	ksft_print_msg("%d onlines, kpromoted failing %ld times: %s; node %d untracked after %d\n",
		       i, failed, err ? strerror(-err) : "ok", NODE, untracked);
	ksft_print_msg("meanwhile %ld of %ld reports taken\n", r->taken,
		       r->tries);
	ok = !err && untracked == START_TRIES && failed > START_TRIES &&
	     r->tries > 0 && !r->taken;

	err = set_block(blocks[0], "online_movable");
	for (i = 0; !err && i < NR_PAGES; i++)
		taken += !inject(pfns[i], fast, SRC_INJECT, 1);
	ksft_print_msg("block %d online, nothing failing: %s; node %d %s, %d/%d reports taken\n",
		       blocks[0], err ? strerror(-err) : "ok", NODE,
		       tracked() ? "tracked" : "untracked", taken, NR_PAGES);
	ok = ok && !err && tracked() && taken == NR_PAGES;
out:
	fail_end("failslab");
	write_str("/proc/sys/vm/pghot_enabled", "0");
	if (buf)
		munmap(buf, NR_PAGES * page_size);
	munmap(r, sizeof(*r));
	return offline_all() && !tracked() && ok;
}

/*
 * Test 3: every failure of the first online leaves a node that can start.
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

/* Test 4: sized for all of the node's memory, up to a record per page. */
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
		       nr_blocks, block_bytes >> 20, got, want, pghot_stat("buckets"));
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
 * Test 5: records of the hotplugged node's pages, one report each (half the
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
	records = pghot_stat("records");
	buckets = pghot_stat("buckets");
	snprintf(val, sizeof(val), "%ld", ceiling);
	err = write_str("/proc/sys/vm/pghot_max_records", val);
	ksft_print_msg("pghot_max_records=%ld: %s; records %ld -> %ld, buckets %ld -> %ld\n",
		       ceiling, err ? strerror(-err) : "ok", records,
		       pghot_stat("records"), buckets, pghot_stat("buckets"));
	if (err || max_records() != ceiling || records < NR_PAGES ||
	    pghot_stat("records") != records || pghot_stat("buckets") <= buckets)
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

/* Test 6: offline, pghot lets go; online again, pghot takes it back. */
static bool cycle(void)
{
	if (!offline_all())
		return false;
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
	int r;

	pghot_test_setup(PGHOT_NEED_INJECT | PGHOT_NEED_PIN, knobs, NULL, NULL);
	if (!find_blocks())
		ksft_exit_skip("needs node %d with offline memory only (hotplug topology)\n",
			       NODE);
	if (access("/proc/thread-self/fail-nth", F_OK) || !fault_save())
		ksft_exit_skip("needs failslab, fail_page_alloc and their stack filter\n");

	ksft_set_plan(6);
	r = table_fails_at_first_online();
	if (r == KSFT_SKIP)
		ksft_test_result_skip("a record table exists before the first online\n");
	else
		ksft_test_result(r == KSFT_PASS,
				 "the first online, the record table's creation failing, unwinds; the next online tracks the node\n");
	fault_restore();
	ksft_test_result(start_fails_no_trace(),
			 "a node whose kpromoted cannot be created is never published; the next online starts it\n");
	fault_restore();
	ksft_test_result(failslab_setup() && sweep_first_online(),
			 "each failure of the first online unwinds; the online that succeeds is tracked\n");
	fault_restore();
	ksft_test_result(sized_for_all(),
			 "sized for all of node %d's memory, up to a record per page\n",
			 NODE);
	ksft_test_result(grows_and_promotes(),
			 "the table grows with its hot records, which are promoted\n");
	ksft_test_result(cycle(), "offlined, the node is let go; onlined, tracked again\n");
	ksft_finished();
}
