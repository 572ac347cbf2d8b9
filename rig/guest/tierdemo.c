// SPDX-License-Identifier: GPL-2.0
/*
 * tierdemo: place a hot set and a cold set on the slow node, keep the hot set
 * busy, and print once per second where the pages are and what the kernel's
 * promotion counters say.  Ends with a one-line verdict.
 *
 *   tierdemo [-H hot_mib] [-C cold_mib] [-t max_s] [-c cold_period_s]
 *            [-n slow_node] [-N fast_node] [-p pass_pct] [-x max_cold_pct]
 *
 * The workload is tools/testing/selftests/pghot/tierwork.h, the one the
 * kselftests use: the hot set is swept without pause, the cold set is read
 * once every cold_period_s.  It runs until pass_pct of the hot set is on
 * the fast node and two cold reads have passed, or for max_s seconds.  The
 * verdict passes when pass_pct of the hot set reached the fast node, at most
 * max_cold_pct of the cold set did, and no byte lost its contents.
 */
#define _GNU_SOURCE
#include <stdio.h>

#include "../../tools/testing/selftests/pghot/pghot_util.h"
#include "../../tools/testing/selftests/pghot/tierwork.h"

static const char * const counters[] = {
	"numa_hint_faults", "pghot_hint_faults", "kpromoted_promoted",
	"pgpromote_success",
};

#define NR_COUNTERS (sizeof(counters) / sizeof(counters[0]))

static long base[NR_COUNTERS];

static void die(const char *what, int err)
{
	fprintf(stderr, "tierdemo: %s: %s\n", what, strerror(-err));
	printf("tierdemo: VERDICT: FAIL: %s\n", what);
	exit(1);
}

static void print_line(const struct tw_run *run, double t, void *arg)
{
	long hot = run->hot->npages, cold = run->cold->npages;
	unsigned int c;

	(void)arg;
	printf("%5.0f %7.1f%% %7.1f%% %7.1f%% %7.1f%%", t,
	       100.0 * run->hot_fast / hot, 100.0 * (hot - run->hot_fast) / hot,
	       100.0 * run->cold_fast / cold,
	       100.0 * (cold - run->cold_fast) / cold);
	for (c = 0; c < NR_COUNTERS; c++)
		printf(" %*ld", (int)strlen(counters[c]),
		       read_vmstat(counters[c]) - base[c]);
	printf("\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	unsigned long hot_mib = 32, cold_mib = 96;
	int slow = 1, pass_pct = 95, max_cold_pct = 100, opt, err;
	struct tw_run run = {
		.fast = 0, .max_s = 60, .cold_period_s = 10, .sample_s = 1,
		.sample = print_line,
	};
	struct tw_region hot, cold;
	unsigned long bad;
	unsigned int c;
	bool pass;

	while ((opt = getopt(argc, argv, "H:C:t:c:n:N:p:x:")) != -1) {
		switch (opt) {
		case 'H':
			hot_mib = strtoul(optarg, NULL, 0);
			break;
		case 'C':
			cold_mib = strtoul(optarg, NULL, 0);
			break;
		case 't':
			run.max_s = atoi(optarg);
			break;
		case 'c':
			run.cold_period_s = atoi(optarg);
			break;
		case 'n':
			slow = atoi(optarg);
			break;
		case 'N':
			run.fast = atoi(optarg);
			break;
		case 'p':
			pass_pct = atoi(optarg);
			break;
		case 'x':
			max_cold_pct = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: %s [-H hot_mib] [-C cold_mib] [-t max_s] [-c cold_period_s] [-n slow] [-N fast] [-p pass_pct] [-x max_cold_pct]\n",
				argv[0]);
			return 2;
		}
	}

	err = tw_region_init(&hot, (hot_mib << 20) / TW_PAGE, slow, false);
	if (err)
		die("placing the hot set", err);
	err = tw_region_init(&cold, (cold_mib << 20) / TW_PAGE, slow, false);
	if (err)
		die("placing the cold set", err);
	if (tw_on_node(&hot, slow) != (long)hot.npages ||
	    tw_on_node(&cold, slow) != (long)cold.npages)
		die("placing the working set on the slow node", -EAGAIN);
	printf("tierdemo: %lu hot + %lu cold pages placed on node %d; the hot set is swept without pause, the cold set read once per %.0f s\n",
	       hot.npages, cold.npages, slow, run.cold_period_s);
	printf("%5s %8s %8s %8s %8s", "t(s)", "hot@N0", "hot@N1", "cold@N0", "cold@N1");
	for (c = 0; c < NR_COUNTERS; c++) {
		base[c] = read_vmstat(counters[c]);
		printf(" %s", counters[c]);
	}
	printf("\n");

	/*
	 * Go on for two cold reads after the goal, so the table shows whether
	 * cold pages that were touched stay on the slow node.
	 */
	run.hot = &hot;
	run.cold = &cold;
	run.goal_pct = pass_pct;
	run.min_s = 2 * run.cold_period_s + 2;
	tw_run(&run);
	if (run.err)
		die("move_pages", run.err);

	bad = tw_bad_bytes(&hot) + tw_bad_bytes(&cold);
	pass = run.t_goal >= 0 &&
	       run.cold_fast * 100 <= (long)cold.npages * max_cold_pct && !bad;
	printf("tierdemo: VERDICT: %s: %ld/%lu hot pages (%.1f%%) on node %d after %.0f s (goal >= %d%%",
	       pass ? "PASS" : "FAIL", run.hot_fast, hot.npages,
	       100.0 * run.hot_fast / hot.npages, run.fast, run.elapsed, pass_pct);
	if (run.t_goal >= 0)
		printf(", reached at %.0f s, T90 %.0f s", run.t_goal, run.t90);
	printf("); %ld/%lu cold pages (%.1f%%) moved (limit %d%%); %lu corrupted bytes\n",
	       run.cold_fast, cold.npages, 100.0 * run.cold_fast / cold.npages,
	       max_cold_pct, bad);
	return pass ? 0 : 1;
}
