// SPDX-License-Identifier: GPL-2.0
/*
 * tierdemo: place a hot set and a cold set on the slow node, keep the hot set
 * busy, and print once per second where the pages are and what the kernel's
 * promotion counters say.  Ends with a one-line verdict.
 *
 *   tierdemo [-H hot_mib] [-C cold_mib] [-t max_s] [-c cold_period_s]
 *            [-n slow_node] [-N fast_node] [-p pass_pct] [-x max_cold_pct]
 *
 * Hot pages get random read-modify-writes all the time; cold pages are read
 * once every cold_period_s.  It runs until pass_pct of the hot set is on the
 * fast node and two cold sweeps have passed, or for max_s seconds.  The
 * verdict passes when pass_pct of the hot set reached the fast node, at most
 * max_cold_pct of the cold set did, and no page lost its contents.  Pages are bound to the slow node while they are
 * first touched and the policy is then reset, so they are free to move.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MPOL_DEFAULT	0
#define MPOL_BIND	2
#define PAGE		4096UL

struct region {
	const char *name;
	unsigned char *base;
	unsigned long npages;
	void **pages;
	int *status;
};

static const char * const counters[] = {
	"numa_hint_faults", "pgpromote_candidate", "pgpromote_success",
	"pgmigrate_fail",
};
#define NR_COUNTERS (sizeof(counters) / sizeof(counters[0]))

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "tierdemo: %s: %s\n", what, strerror(errno));
	printf("tierdemo: VERDICT: FAIL: %s\n", what);
	exit(1);
}

static long vmstat(const char *name)
{
	char key[64];
	long val;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", key, &val) == 2) {
		if (!strcmp(key, name)) {
			fclose(f);
			return val;
		}
	}
	fclose(f);
	return -1;
}

/* Page i of a region carries this pattern in its first word. */
static uint64_t pattern(const struct region *r, unsigned long i)
{
	return ((uint64_t)(uintptr_t)r->base << 8) ^ (i * 0x9e3779b97f4a7c15ULL);
}

static void region_init(struct region *r, const char *name, unsigned long mib,
			int node)
{
	unsigned long mask = 1UL << node, i;
	size_t len = mib << 20;

	r->name = name;
	r->npages = len / PAGE;
	r->base = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->base == MAP_FAILED)
		die("mmap");
	/* Base pages: one hint fault and one migration per 4 KiB. */
	if (madvise(r->base, len, MADV_NOHUGEPAGE))
		die("madvise(MADV_NOHUGEPAGE)");
	if (syscall(SYS_mbind, r->base, len, MPOL_BIND, &mask,
		    8 * sizeof(mask), 0))
		die("mbind(MPOL_BIND)");
	for (i = 0; i < r->npages; i++)
		*(uint64_t *)(r->base + i * PAGE) = pattern(r, i);
	if (syscall(SYS_mbind, r->base, len, MPOL_DEFAULT, NULL, 0, 0))
		die("mbind(MPOL_DEFAULT)");

	r->pages = calloc(r->npages, sizeof(*r->pages));
	r->status = calloc(r->npages, sizeof(*r->status));
	if (!r->pages || !r->status)
		die("calloc");
	for (i = 0; i < r->npages; i++)
		r->pages[i] = r->base + i * PAGE;
}

/* Count the region's pages on @node; returns -1 if move_pages() failed. */
static long region_on(struct region *r, int node)
{
	unsigned long i;
	long n = 0;

	if (syscall(SYS_move_pages, 0, r->npages, r->pages, NULL, r->status, 0))
		return -1;
	for (i = 0; i < r->npages; i++)
		n += r->status[i] == node;
	return n;
}

static unsigned long region_corrupt(const struct region *r)
{
	unsigned long i, bad = 0;

	for (i = 0; i < r->npages; i++)
		bad += *(uint64_t *)(r->base + i * PAGE) != pattern(r, i);
	return bad;
}

int main(int argc, char **argv)
{
	unsigned long hot_mib = 32, cold_mib = 96;
	int max_s = 60, cold_period = 10, slow = 1, fast = 0, pass_pct = 95;
	int max_cold_pct = 100;
	bool pass;
	long base[NR_COUNTERS], hot0 = 0, cold0 = 0;
	double t0, next_report, next_cold, done_at = -1;
	struct region hot, cold;
	uint64_t x = 88172645463325252ULL;
	unsigned int c;
	int opt, sec = 0;

	while ((opt = getopt(argc, argv, "H:C:t:c:n:N:p:x:")) != -1) {
		switch (opt) {
		case 'H': hot_mib = strtoul(optarg, NULL, 0); break;
		case 'C': cold_mib = strtoul(optarg, NULL, 0); break;
		case 't': max_s = atoi(optarg); break;
		case 'c': cold_period = atoi(optarg); break;
		case 'n': slow = atoi(optarg); break;
		case 'N': fast = atoi(optarg); break;
		case 'p': pass_pct = atoi(optarg); break;
		case 'x': max_cold_pct = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: %s [-H hot_mib] [-C cold_mib] [-t max_s] [-c cold_period_s] [-n slow] [-N fast] [-p pass_pct] [-x max_cold_pct]\n",
				argv[0]);
			return 2;
		}
	}

	region_init(&hot, "hot", hot_mib, slow);
	region_init(&cold, "cold", cold_mib, slow);
	if (region_on(&hot, slow) != (long)hot.npages ||
	    region_on(&cold, slow) != (long)cold.npages)
		die("placing the working set on the slow node");
	printf("tierdemo: %lu hot + %lu cold pages placed on node %d; hot pages get random RMWs, cold pages one read per %d s\n",
	       hot.npages, cold.npages, slow, cold_period);
	printf("%5s %8s %8s %8s %8s", "t(s)", "hot@N0", "hot@N1", "cold@N0", "cold@N1");
	for (c = 0; c < NR_COUNTERS; c++) {
		base[c] = vmstat(counters[c]);
		printf(" %s", counters[c]);
	}
	printf("\n");

	t0 = now_s();
	next_report = t0 + 1;
	next_cold = t0 + cold_period;
	while (sec < max_s) {
		unsigned int k;
		double t;

		for (k = 0; k < 4096; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			hot.base[(x % hot.npages) * PAGE + 8 + (x >> 58)]++;
		}
		t = now_s();
		if (t >= next_cold) {
			volatile unsigned char sink;
			unsigned long i;

			for (i = 0; i < cold.npages; i++)
				sink = cold.base[i * PAGE];
			(void)sink;
			next_cold += cold_period;
		}
		if (t < next_report)
			continue;
		next_report += 1;
		sec++;
		hot0 = region_on(&hot, fast);
		cold0 = region_on(&cold, fast);
		printf("%5d %7.1f%% %7.1f%% %7.1f%% %7.1f%%", sec,
		       100.0 * hot0 / hot.npages, 100.0 * (hot.npages - hot0) / hot.npages,
		       100.0 * cold0 / cold.npages, 100.0 * (cold.npages - cold0) / cold.npages);
		for (c = 0; c < NR_COUNTERS; c++)
			printf(" %*ld", (int)strlen(counters[c]), vmstat(counters[c]) - base[c]);
		printf("\n");
		fflush(stdout);
		if (done_at < 0 && hot0 * 100 >= (long)hot.npages * pass_pct)
			done_at = sec;
		/*
		 * Go on for two cold sweeps, so the table shows whether cold
		 * pages that were touched stay on the slow node.
		 */
		if (done_at >= 0 && sec >= done_at + 2 && sec >= 2 * cold_period + 2)
			break;
	}

	c = region_corrupt(&hot) + region_corrupt(&cold);
	pass = done_at >= 0 && cold0 * 100 <= (long)cold.npages * max_cold_pct && !c;
	printf("tierdemo: VERDICT: %s: %ld/%lu hot pages (%.1f%%) on node %d after %d s (goal >= %d%%",
	       pass ? "PASS" : "FAIL", hot0, hot.npages, 100.0 * hot0 / hot.npages,
	       fast, sec, pass_pct);
	if (done_at >= 0)
		printf(", reached at %.0f s", done_at);
	printf("); %ld/%lu cold pages (%.1f%%) moved (limit %d%%); %u corrupted pages\n",
	       cold0, cold.npages, 100.0 * cold0 / cold.npages, max_cold_pct, c);
	return pass ? 0 : 1;
}
