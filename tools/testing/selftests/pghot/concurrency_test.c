// SPDX-License-Identifier: GPL-2.0
/*
 * Everything at once: NR_WORKERS threads of one process sweep their own
 * pages on the slow node, taking NUMA hint faults (numa_balancing=2),
 * while one thread flips pghot's knobs (on and off, the frequency window
 * and threshold, the record cap) and another reports the workers' page
 * frames through the injector, frames that go stale as their pages move.
 * For STORM_S seconds; then the knobs settle at their defaults with pghot
 * on, the workers' pages are moved back to the slow node, and:
 *  1. every byte of every worker's pages still holds its pattern, and no
 *     knob write failed but the refusals the test expects (none);
 *  2. pghot still works: >= GOAL_PCT of the workers' pages reach the fast
 *     node within SETTLE_S seconds.
 * A splat on the console (lockdep, KASAN, KCSAN in pghot's code, a
 * warning) fails the whole run.  The knobs are restored at exit.  Nodes
 * going offline and online under load are hotplug_test's, on the hotplug
 * topology; not here.
 *
 * Needs root, CONFIG_PGHOT, CONFIG_NUMA_BALANCING, debugfs and a memory
 * node in a lower tier.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>

#include "../kselftest.h"
#include "pghot_setup.h"
#include "tierwork.h"

#define NR_WORKERS	4
#define WORKER_PAGES	512
#define STORM_S		15
#define SETTLE_S	40
#define GOAL_PCT	90
#define MPOL_MF_MOVE	2	/* <linux/mempolicy.h> */

static const char *const knobs[] = {
	"vm/pghot_enabled", "kernel/numa_balancing", "vm/pghot_freq_window_ms",
	"vm/pghot_freq_threshold", "vm/pghot_max_records", NULL
};

/* What the flipper writes, in turn: each knob's values, and how many. */
static const struct {
	const char *path;
	const char *values[4];
} flips[] = {
	{ "/proc/sys/vm/pghot_enabled", { "0", "1" } },
	{ "/proc/sys/vm/pghot_freq_window_ms", { "100", "5000", "1000" } },
	{ "/proc/sys/vm/pghot_freq_threshold", { "1", "8", "2" } },
	{ "/proc/sys/vm/pghot_max_records", { "1024", "2048", "4096" } },
};

static struct tw_region regions[NR_WORKERS];
static unsigned long pfns[NR_WORKERS * WORKER_PAGES];
static int fast_node, slow_node, stop;
static long flips_done, flip_errors, injected, inject_refused;
static char saved_cap[32];

static bool stopped(void)
{
	return __atomic_load_n(&stop, __ATOMIC_RELAXED);
}

static void *worker(void *arg)
{
	struct tw_region *r = arg;

	while (!stopped())
		tw_sweep(r);
	return NULL;
}

static void *flipper(void *arg)
{
	unsigned int n = 0, i, v;

	while (!stopped()) {
		i = n % ARRAY_SIZE(flips);
		v = (n / ARRAY_SIZE(flips)) % 4;
		if (!flips[i].values[v])
			v = 0;
		if (write_str(flips[i].path, flips[i].values[v]))
			flip_errors++;
		flips_done++;
		n++;
		usleep(20000);
	}
	return NULL;
}

static void *injector(void *arg)
{
	unsigned long i = 0;

	while (!stopped()) {
		/* refusals are the point: frames move, and pghot goes off */
		if (inject(pfns[i % ARRAY_SIZE(pfns)], fast_node, SRC_INJECT, 4))
			inject_refused++;
		injected++;
		i += 7;
	}
	return NULL;
}

/* Move every worker's pages back to the slow node; how many are there. */
static long move_back(void)
{
	int nodes[WORKER_PAGES], w, i;
	long n = 0, k;

	for (i = 0; i < WORKER_PAGES; i++)
		nodes[i] = slow_node;
	for (w = 0; w < NR_WORKERS; w++) {
		struct tw_region *r = &regions[w];

		if (syscall(SYS_move_pages, 0, r->npages, r->pages, nodes,
			    r->status, MPOL_MF_MOVE) < 0)
			return -errno;
		k = tw_on_node(r, slow_node);
		if (k < 0)
			return k;
		n += k;
	}
	return n;
}

static long on_fast(void)
{
	long n = 0, k;
	int i;

	for (i = 0; i < NR_WORKERS; i++) {
		k = tw_on_node(&regions[i], fast_node);
		if (k < 0)
			return k;
		n += k;
	}
	return n;
}

int main(void)
{
	pthread_t threads[NR_WORKERS + 2];
	unsigned long bad = 0, i;
	long fast, total = NR_WORKERS * WORKER_PAGES;
	double t0, t_goal = -1;
	int w, err;

	pghot_test_setup(PGHOT_NEED_INJECT | PGHOT_NEED_TIERS |
			 PGHOT_NEED_NUMAB, knobs, &fast_node, &slow_node);
	ksft_set_plan(2);
	if (read_str("/proc/sys/vm/pghot_max_records", saved_cap,
		     sizeof(saved_cap)))
		ksft_exit_fail_msg("cannot read vm.pghot_max_records\n");
	for (w = 0; w < NR_WORKERS; w++) {
		err = tw_region_init(&regions[w], WORKER_PAGES, slow_node, false);
		if (err)
			ksft_exit_fail_msg("cannot place pages on node %d: %s\n",
					   slow_node, strerror(-err));
		for (i = 0; i < WORKER_PAGES; i++)
			pfns[w * WORKER_PAGES + i] =
				pfn_of(regions[w].base + i * TW_PAGE);
	}
	if (write_str("/proc/sys/vm/pghot_enabled", "1") ||
	    write_str("/proc/sys/kernel/numa_balancing", "2"))
		ksft_exit_fail_msg("cannot switch pghot and numa_balancing=2 on\n");

	for (w = 0; w < NR_WORKERS; w++)
		pthread_create(&threads[w], NULL, worker, &regions[w]);
	pthread_create(&threads[NR_WORKERS], NULL, flipper, NULL);
	pthread_create(&threads[NR_WORKERS + 1], NULL, injector, NULL);
	sleep(STORM_S);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (w = 0; w < NR_WORKERS + 2; w++)
		pthread_join(threads[w], NULL);
	ksft_print_msg("%d s: %ld knob writes (%ld failed), %ld injections (%ld refused)\n",
		       STORM_S, flips_done, flip_errors, injected, inject_refused);

	for (w = 0; w < NR_WORKERS; w++)
		bad += tw_bad_bytes(&regions[w]);
	ksft_print_msg("%lu bytes changed, %ld/%ld pages on node %d after the storm\n",
		       bad, on_fast(), total, fast_node);
	ksft_test_result(!bad && !flip_errors,
			 "knobs flipped and frames injected under hint faults: bytes intact\n");

	/*
	 * Settle: the defaults, pghot on, the workers' pages back on the slow
	 * node and still hot.
	 */
	write_str("/proc/sys/vm/pghot_freq_window_ms", "1000");
	write_str("/proc/sys/vm/pghot_freq_threshold", "2");
	write_str("/proc/sys/vm/pghot_max_records", saved_cap);
	write_str("/proc/sys/vm/pghot_enabled", "1");
	ksft_print_msg("%ld/%ld pages moved back to node %d\n", move_back(),
		       total, slow_node);
	t0 = tw_now();
	do {
		for (w = 0; w < NR_WORKERS; w++)
			tw_sweep(&regions[w]);
		fast = on_fast();
		if (fast * 100 >= total * GOAL_PCT)
			t_goal = tw_now() - t0;
	} while (t_goal < 0 && fast >= 0 && tw_now() - t0 < SETTLE_S);
	for (w = 0; w < NR_WORKERS; w++)
		bad += tw_bad_bytes(&regions[w]);
	ksft_print_msg("settled: %ld/%ld pages on node %d (%d%% %s at %.1f s), %lu bytes changed\n",
		       fast, total, fast_node, GOAL_PCT,
		       t_goal >= 0 ? "reached" : "never reached", t_goal, bad);
	ksft_test_result(t_goal >= 0 && !bad,
			 "pghot still promotes once the knobs settle (>= %d%%)\n",
			 GOAL_PCT);
	ksft_finished();
}
