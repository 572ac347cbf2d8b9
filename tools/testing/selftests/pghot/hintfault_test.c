// SPDX-License-Identifier: GPL-2.0
/*
 * NUMA hint faults as a pghot source (numa_balancing=2), end to end.
 *
 * A hot set is swept without pause and a cold set is read once every 10 s,
 * both placed on the slow node.  Each scenario runs in a child of its own,
 * so that NUMA balancing scans a fresh address space (first scan after
 * kernel.numa_balancing's 1 s scan delay):
 *
 *  (a) pghot on: >= 95% of the hot set reaches the fast node within 30 s,
 *      through kpromoted, and at most 2% of the cold set moves.  NUMA
 *      balancing's statistics count the promotions as they count its own
 *      (review finding 13): pgpromote_success and numa_pages_migrated one
 *      page per page kpromoted promoted, and the task's
 *      numa_pages_migrated in /proc/self/sched (CONFIG_SCHED_DEBUG) at
 *      least as many: its faults are counted as migrated when they make a
 *      page hot, as NUMA balancing counts a fault whose page it promoted.  The 30 s
 *      leave a wide margin: the first scan comes after 1 s and a hot page
 *      faults within milliseconds of it; under TCG the same move took
 *      about 3 s.  A cold page is armed by the scan after its last read and
 *      faults about 9 s later, far outside the 1 s frequency window: worth
 *      one access, never enough to be hot (pghot_latency_weight()).
 *  (b) pghot off: NUMA balancing promotes inline, as upstream: the same
 *      95%-in-30 s goal, counted in pgpromote_success, and pghot sees no
 *      hint fault.  Upstream promotes every faulting page while the fast
 *      node has plenty of free memory, so its cold-set figure is printed,
 *      not bounded.
 *  (c) as (a) with the hot set in THPs: the THPs reach the fast node whole.
 *  (d) every byte of every page of (a)-(c) still holds its pattern.
 *  (e) a workload maps, sweeps and unmaps node-1 memory in a loop while
 *      its pages are reported; every byte survives, every kpromoted
 *      candidate ends in exactly one counter, and once the memory is gone
 *      kpromoted promotes nothing more (the frames are not the workload's
 *      any more).  A splat on the console fails the whole run.
 *
 * Needs root, CONFIG_PGHOT, CONFIG_NUMA_BALANCING and a memory node in a
 * lower tier.
 */
#define _GNU_SOURCE
#include <sys/wait.h>

#include "../kselftest.h"
#include "pghot_setup.h"
#include "tierwork.h"

#define HOT_PAGES	2048	/* 8 MiB */
#define COLD_PAGES	2048
#define GOAL_PCT	95
#define MAX_S		30	/* bound on reaching GOAL_PCT, see above */
#define COLD_PERIOD_S	10
#define MIN_S		21	/* two reads of the cold set */
#define COLD_MAX_PCT	2
#define CHURN_S		12
#define CHURN_PAGES	512

static const char * const knobs[] = {
	"vm/pghot_enabled", "kernel/numa_balancing", NULL
};

static const char * const kpromoted_ends[] = {
	"kpromoted_promoted", "kpromoted_fail_moved", "kpromoted_fail_cold",
	"kpromoted_fail_target_full", "kpromoted_fail_ratelimit",
	"kpromoted_fail_isolate", "kpromoted_fail_migrate",
};

#define NR_ENDS ARRAY_SIZE(kpromoted_ends)

/* What a scenario's child reports back through shared memory. */
struct outcome {
	int err;		/* -errno from setting up, or 0 */
	double t90, t_goal, elapsed;
	long hot_fast, cold_fast, hot_pages, cold_pages, thp_fast;
	unsigned long bad_bytes, sweeps;
	long pghot_hint_faults, kpromoted_promoted, pgpromote_success;
	long numa_pages_migrated;
	long task_migrated;	/* from /proc/self/sched, -1 if not there */
};

static int fast_node, slow_node;

/* pghot's and kpromoted's counters, to tell where a scenario's pages went */
#define MAX_COUNTERS	64

struct counters {
	int n;
	char name[MAX_COUNTERS][48];
	long val[MAX_COUNTERS];
};

static void counters_read(struct counters *c)
{
	FILE *f = fopen("/proc/vmstat", "r");
	char name[48];
	long val;

	c->n = 0;
	if (!f)
		return;
	while (c->n < MAX_COUNTERS && fscanf(f, "%47s %ld", name, &val) == 2) {
		if (strncmp(name, "pghot_", 6) && strncmp(name, "kpromoted_", 10))
			continue;
		memcpy(c->name[c->n], name, sizeof(name));
		c->val[c->n++] = val;
	}
	fclose(f);
}

/* Print the counters that moved since @before. */
static void counters_print(const char *scenario, const struct counters *before)
{
	struct counters after;
	char line[512];
	int i, len = 0;

	counters_read(&after);
	for (i = 0; i < after.n && i < before->n; i++) {
		if (after.val[i] == before->val[i])
			continue;
		len += snprintf(line + len, sizeof(line) - len, " %s +%ld",
				after.name[i], after.val[i] - before->val[i]);
		if (len > (int)sizeof(line) - 64) {
			ksft_print_msg("%s:%s\n", scenario, line);
			len = 0;
		}
	}
	if (len)
		ksft_print_msg("%s:%s\n", scenario, line);
}

/* This task's numa_pages_migrated (/proc/self/sched), or -1 if not shown. */
static long task_numa_pages_migrated(void)
{
	FILE *f = fopen("/proc/self/sched", "r");
	char line[256];
	long val = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!strncmp(line, "numa_pages_migrated", 19) && colon) {
			val = strtol(colon + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return val;
}

static void set_mode(bool pghot)
{
	write_str("/proc/sys/vm/pghot_enabled", pghot ? "1" : "0");
	write_str("/proc/sys/kernel/numa_balancing", "2");
}

static void print_sample(const struct tw_run *run, double t, void *arg)
{
	/* one line every 2 s is plenty for a log */
	if ((int)(t * 2) % 4)
		return;
	ksft_print_msg("%s t=%4.1fs hot on node %d %5.1f%%, cold %5.1f%%\n",
		       (const char *)arg, t, run->fast,
		       100.0 * run->hot_fast / run->hot->npages,
		       100.0 * run->cold_fast / run->cold->npages);
}

/* The child of one scenario: run it and fill @o. */
static void scenario_child(struct outcome *o, bool thp, const char *name)
{
	struct tw_region hot, cold;
	struct tw_run run = {
		.fast = fast_node, .goal_pct = GOAL_PCT, .min_s = MIN_S,
		.max_s = MAX_S, .cold_period_s = COLD_PERIOD_S, .sample_s = 0.5,
		.sample = print_sample, .arg = (void *)name,
	};
	long hint0 = read_vmstat("pghot_hint_faults");
	long prom0 = read_vmstat("kpromoted_promoted");
	long pgp0 = read_vmstat("pgpromote_success");
	long npm0 = read_vmstat("numa_pages_migrated");
	long task0 = task_numa_pages_migrated();
	struct counters before;

	o->err = tw_region_init(&hot, HOT_PAGES, slow_node, thp);
	if (!o->err)
		o->err = tw_region_init(&cold, COLD_PAGES, slow_node, false);
	if (o->err)
		return;
	o->hot_pages = hot.npages;
	o->cold_pages = cold.npages;
	if (tw_on_node(&hot, slow_node) != (long)hot.npages ||
	    tw_on_node(&cold, slow_node) != (long)cold.npages) {
		o->err = -EAGAIN;
		return;
	}
	if (thp && tw_thp_on_node(&hot, slow_node) != (long)hot.npages) {
		o->err = -EOPNOTSUPP;
		return;
	}
	run.hot = &hot;
	run.cold = &cold;
	counters_read(&before);
	tw_run(&run);
	counters_print(name, &before);
	o->err = run.err;
	o->t90 = run.t90;
	o->t_goal = run.t_goal;
	o->elapsed = run.elapsed;
	o->hot_fast = run.hot_fast;
	o->cold_fast = run.cold_fast;
	o->sweeps = run.sweeps;
	o->thp_fast = thp ? tw_thp_on_node(&hot, fast_node) : 0;
	o->bad_bytes = tw_bad_bytes(&hot) + tw_bad_bytes(&cold);
	o->pghot_hint_faults = read_vmstat("pghot_hint_faults") - hint0;
	o->kpromoted_promoted = read_vmstat("kpromoted_promoted") - prom0;
	o->pgpromote_success = read_vmstat("pgpromote_success") - pgp0;
	o->numa_pages_migrated = read_vmstat("numa_pages_migrated") - npm0;
	o->task_migrated = task0 < 0 ? -1 : task_numa_pages_migrated() - task0;
	tw_region_free(&hot);
	tw_region_free(&cold);
}

/* Run a scenario in a child; false if the child did not finish. */
static bool in_child(struct outcome *o, bool thp, const char *name)
{
	int status;
	pid_t pid;

	memset(o, 0, sizeof(*o));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return false;
	if (!pid) {
		scenario_child(o, thp, name);
		_exit(0);
	}
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       !WEXITSTATUS(status);
}

static void print_outcome(const char *name, const struct outcome *o)
{
	ksft_print_msg("%s: hot %ld/%ld on node %d, T90 %.1f s, T%d %.1f s\n",
		       name, o->hot_fast, o->hot_pages, fast_node, o->t90,
		       GOAL_PCT, o->t_goal);
	ksft_print_msg("%s: cold %ld/%ld moved, %lu sweeps in %.1f s\n", name,
		       o->cold_fast, o->cold_pages, o->sweeps, o->elapsed);
	ksft_print_msg("%s: pghot_hint_faults +%ld, kpromoted_promoted +%ld\n",
		       name, o->pghot_hint_faults, o->kpromoted_promoted);
	ksft_print_msg("%s: pgpromote_success +%ld, numa_pages_migrated +%ld, task's +%ld\n",
		       name, o->pgpromote_success, o->numa_pages_migrated,
		       o->task_migrated);
	ksft_print_msg("%s: %lu bad bytes\n", name, o->bad_bytes);
}

/*
 * NUMA balancing's statistics of (a) and (c): kpromoted's promotions are
 * counted in pages as NUMA balancing's own are, and NUMA balancing made
 * none inline (a page of a base-page run is one promotion).
 */
static bool numab_stats_ok(const struct outcome *o, bool thp)
{
	bool ok = o->pgpromote_success >= o->kpromoted_promoted &&
		  o->numa_pages_migrated == o->pgpromote_success &&
		  (thp || o->pgpromote_success == o->kpromoted_promoted);

	if (o->task_migrated < 0)
		ksft_print_msg("no numa_pages_migrated in /proc/self/sched: not checked\n");
	else
		ok = ok && o->task_migrated >= o->pgpromote_success;
	return ok;
}

/* (a) and (c): promoted by kpromoted, hot set in time, cold set stays. */
static bool pghot_ok(const struct outcome *o, bool thp)
{
	return !o->err && o->t_goal >= 0 && o->t_goal <= MAX_S &&
	       o->cold_fast * 100 <= o->cold_pages * COLD_MAX_PCT &&
	       o->pghot_hint_faults > 0 && o->kpromoted_promoted > 0 &&
	       numab_stats_ok(o, thp);
}

static long sum_ends(long *each)
{
	long sum = 0;
	unsigned int i;

	for (i = 0; i < NR_ENDS; i++) {
		each[i] = read_vmstat(kpromoted_ends[i]);
		sum += each[i];
	}
	return sum;
}

/*
 * (e): map, sweep and unmap node-1 memory for CHURN_S seconds, with pghot
 * on, checking every byte of each mapping before it goes.
 */
static bool churn(void)
{
	long cand0, ends0, cand, ends, prom_gone, each[NR_ENDS];
	unsigned long bad = 0, rounds = 0;
	double t0 = tw_now();
	int status;
	pid_t pid;

	set_mode(true);
	cand0 = read_vmstat("kpromoted_candidate");
	ends0 = sum_ends(each);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return false;
	if (!pid) {
		while (tw_now() - t0 < CHURN_S) {
			struct tw_region r;
			double t1;

			if (tw_region_init(&r, CHURN_PAGES, slow_node, false))
				_exit(2);
			/* long enough for a scan pass to arm the pages */
			for (t1 = tw_now(); tw_now() - t1 < 1.5;)
				tw_sweep(&r);
			bad += tw_bad_bytes(&r);
			tw_region_free(&r);
			rounds++;
		}
		ksft_print_msg("(e) %lu map-sweep-unmap rounds, %lu bad bytes\n",
			       rounds, bad);
		_exit(bad ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		ksft_print_msg("(e) the workload failed (status %#x)\n", status);
		return false;
	}
	/* the memory is gone: whatever kpromoted still holds is stale */
	if (!wait_kpromoted_idle(10)) {
		ksft_print_msg("(e) kpromoted did not go idle\n");
		return false;
	}
	prom_gone = read_vmstat("kpromoted_promoted");
	sleep(2);
	prom_gone = read_vmstat("kpromoted_promoted") - prom_gone;
	cand = read_vmstat("kpromoted_candidate") - cand0;
	ends = sum_ends(each) - ends0;
	ksft_print_msg("(e) kpromoted_candidate +%ld, promoted or failed +%ld\n",
		       cand, ends);
	ksft_print_msg("(e) promoted after the unmap: %ld\n", prom_gone);
	return cand == ends && prom_gone == 0;
}

int main(void)
{
	struct outcome *o;
	bool ok_a, ok_b, ok_c, ran_c;
	unsigned long bad;

	pghot_test_setup(PGHOT_NEED_NUMAB | PGHOT_NEED_TIERS | PGHOT_NEED_DEBUGFS,
			 knobs, &fast_node, &slow_node);
	o = mmap(NULL, sizeof(*o), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (o == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));

	ksft_set_plan(5);

	set_mode(true);
	ok_a = in_child(o, false, "(a) pghot") && pghot_ok(o, false);
	print_outcome("(a) pghot", o);
	bad = o->bad_bytes;
	ksft_test_result(ok_a, "(a) pghot on: hot set >= %d%% in %d s, cold <= %d%%\n",
			 GOAL_PCT, MAX_S, COLD_MAX_PCT);

	set_mode(false);
	ok_b = in_child(o, false, "(b) upstream") && !o->err &&
	       o->t_goal >= 0 && o->t_goal <= MAX_S &&
	       o->pgpromote_success >= o->hot_fast &&
	       o->numa_pages_migrated == o->pgpromote_success &&
	       !o->pghot_hint_faults && !o->kpromoted_promoted;
	print_outcome("(b) upstream", o);
	bad += o->bad_bytes;
	ksft_test_result(ok_b, "(b) pghot off: upstream inline promotion, pghot idle\n");

	set_mode(true);
	ran_c = in_child(o, true, "(c) pghot THP");
	print_outcome("(c) pghot THP", o);
	if (ran_c && o->err == -EOPNOTSUPP) {
		ksft_test_result_skip("(c) no THP could be placed on node %d\n",
				      slow_node);
	} else {
		ok_c = ran_c && pghot_ok(o, true) && o->thp_fast == o->hot_fast;
		ksft_print_msg("(c) %ld of the %ld hot pages on node %d are THP-backed\n",
			       o->thp_fast, o->hot_fast, fast_node);
		bad += o->bad_bytes;
		ksft_test_result(ok_c, "(c) pghot on, THP hot set: promoted whole, in time\n");
	}

	ksft_test_result(!bad, "(d) every byte intact after promotion (%lu bad)\n",
			 bad);
	ksft_test_result(churn(), "(e) map/unmap churn while reported\n");
	ksft_finished();
}
