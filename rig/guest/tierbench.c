// SPDX-License-Identifier: GPL-2.0
/*
 * tierbench: the `make bench` workload, one run of one mechanism.
 *
 *   tierbench -m mech -s scenario -l clustered|scattered [-H hot] [-C cold]
 *             [-t secs] [-P shift_s] [-c cold_period_s] [-i sample_s] [-o]
 *             [-n slow] [-N fast] [-g dir]
 *   tierbench -R pages          calibrate: move_pages() rate, pages/s
 *   tierbench -B mib            ballast: hold mib MiB on the fast node,
 *                               then create /tmp/ballast.ready
 *
 * One region of hot + cold pages is placed on the slow node with
 * tools/testing/selftests/pghot/tierwork.h, the kselftests' workload.
 * Clustered: the hot pages are the region's first ones, so their frames
 * are together; scattered: a random subset, interleaved with cold frames.
 * Hot pages get a read-modify-write each per sweep, without pause (many
 * thousand accesses per guest second); cold pages one read each per
 * cold_period_s, paced evenly.  At shift_s half the hot set goes cold and
 * as many cold pages go hot.  With -o the run is the oracle: it moves its
 * own hot set to the fast node with move_pages() at t = 0 and at the
 * shift.
 *
 * With -g, once its pages are placed it creates DIR/ready and waits for
 * DIR/go before its clock starts, so that the mechanism is switched on
 * after the setup writes and does not see them.
 *
 * Times are elapsed guest seconds at the samples, every sample_s (default
 * 0.25 s), which is their resolution.
 *
 * Precision is the share of the pages on the fast node at the end that
 * were hot at some time in the run: a page that was hot before the shift
 * and stays is not a wrong promotion.
 *
 * At every sample it prints a CSV row "BENCH,..." (see the header row) and
 * at the end one "BENCHSUM,key=value,..." line.  Placement comes from
 * move_pages(); the counters from /proc/vmstat; CPU time of kpromoted,
 * kdamond and kswapd threads from /proc/PID/stat.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>

#include "../../tools/testing/selftests/pghot/pghot_util.h"
#include "../../tools/testing/selftests/pghot/tierwork.h"

#define TW_MPOL_PREFERRED	1

static const char * const counters[] = {
	"numa_hint_faults", "pghot_hint_faults", "pgpromote_success",
	"kpromoted_promoted", "pgdemote_kswapd", "pgmigrate_success",
};

#define NR_COUNTERS (sizeof(counters) / sizeof(counters[0]))

/* utime + stime, in clock ticks, of the kernel threads doing the work */
static long mech_ticks(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	long sum = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[300], buf[512], *p;
		unsigned long ut, st;
		FILE *f;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (!fgets(buf, sizeof(buf), f)) {
			fclose(f);
			continue;
		}
		fclose(f);
		if (!strstr(buf, "(kpromoted") && !strstr(buf, "(kdamond") &&
		    !strstr(buf, "(kswapd"))
			continue;
		/* fields after the comm: state is 3rd, utime 14th, stime 15th */
		p = strrchr(buf, ')');
		if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
				&ut, &st) == 2)
			sum += ut + st;
	}
	closedir(d);
	return sum;
}

static double stime_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static __u64 rng = 0x9e3779b97f4a7c15ULL;

static unsigned long rnd(unsigned long n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % n;
}

static void shuffle(unsigned long *a, unsigned long n)
{
	unsigned long i, j, t;

	for (i = n - 1; i > 0; i--) {
		j = rnd(i + 1);
		t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

/* Move the pages of @r listed in @idx to @node; returns pages/s. */
static double move_to(struct tw_region *r, const unsigned long *idx,
		      unsigned long n, int node)
{
	void **pages = calloc(512, sizeof(*pages));
	int *nodes = calloc(512, sizeof(*nodes)), *status = calloc(512, sizeof(int));
	double t0 = tw_now(), dt;
	unsigned long i, k;

	if (!pages || !nodes || !status)
		exit(2);
	for (i = 0; i < n; i += k) {
		for (k = 0; k < 512 && i + k < n; k++) {
			pages[k] = r->base + idx[i + k] * TW_PAGE;
			nodes[k] = node;
		}
		syscall(SYS_move_pages, 0, k, pages, nodes, status, 0);
	}
	dt = tw_now() - t0;
	free(pages);
	free(nodes);
	free(status);
	return dt > 0 ? n / dt : 0;
}

static int calibrate(unsigned long n, int slow, int fast)
{
	struct tw_region r;
	unsigned long *idx = calloc(n, sizeof(*idx)), i;
	double rate;

	if (!idx || tw_region_init(&r, n, slow, false))
		return 2;
	for (i = 0; i < n; i++)
		idx[i] = i;
	rate = move_to(&r, idx, n, fast);
	printf("BENCHCAL,move_pages_rate=%.0f,pages=%lu,on_fast=%ld\n", rate, n,
	       tw_on_node(&r, fast));
	tw_region_free(&r);
	free(idx);
	return 0;
}

static int ballast(unsigned long mib, int node)
{
	unsigned long mask = 1UL << node;
	size_t len = mib << 20, off;
	unsigned char *p;
	int fd;

	/*
	 * Preferred, not bound: what does not fit on @node spills to the
	 * slow node instead of calling the OOM killer.  The kernel populates
	 * the mapping, much faster under TCG than a fault per page.
	 */
	if (syscall(SYS_set_mempolicy, TW_MPOL_PREFERRED, &mask, 8 * sizeof(mask)))
		return 2;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED)
		return 2;
	/* make the pages dirty anonymous memory, as a program's would be */
	for (off = 0; off < len; off += TW_PAGE)
		p[off] = 1;
	printf("BENCHBALLAST,mib=%lu\n", mib);
	fflush(stdout);
	fd = open("/tmp/ballast.ready", O_CREAT | O_WRONLY, 0644);
	if (fd >= 0)
		close(fd);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	const char *mech = "?", *scen = "?", *layout = "scattered";
	unsigned long hot_n = 2048, cold_n = 8192, n, i, *hot, *cold, *perm;
	double dur = 30, shift = 15, cold_period = 10, interval = 0.25;
	double t0, t, next_sample;
	double t50 = -1, t90 = -1, t90_shift = -1, acc_t90 = -1, first_promo = -1;
	double last_promo = -1, ftar_sum = 0, st0, el = 0, cpu_s, stime;
	unsigned long acc_hot = 0, acc_cold = 0, acc_hot_int = 0, acc_cold_int = 0;
	unsigned long cold_pos = 0, cold_done = 0, promotions = 0, pingpong = 0, bad;
	long c0[NR_COUNTERS], dc[NR_COUNTERS], ticks0, hot_fast = 0, cold_fast = 0;
	int slow = 1, fast = 0, opt, samples = 0, oracle = 0, shifted = 0;
	unsigned char *was_fast, *ever_hot;
	const char *gate = NULL;
	long ever_hot_fast = 0, fast_total = 0;
	struct tw_region r;
	unsigned int c;

	while ((opt = getopt(argc, argv, "m:s:l:H:C:t:P:c:i:on:N:R:B:g:")) != -1) {
		switch (opt) {
		case 'm':
			mech = optarg;
			break;
		case 's':
			scen = optarg;
			break;
		case 'l':
			layout = optarg;
			break;
		case 'H':
			hot_n = strtoul(optarg, NULL, 0);
			break;
		case 'C':
			cold_n = strtoul(optarg, NULL, 0);
			break;
		case 't':
			dur = atof(optarg);
			break;
		case 'P':
			shift = atof(optarg);
			break;
		case 'c':
			cold_period = atof(optarg);
			break;
		case 'i':
			interval = atof(optarg);
			break;
		case 'o':
			oracle = 1;
			break;
		case 'n':
			slow = atoi(optarg);
			break;
		case 'N':
			fast = atoi(optarg);
			break;
		case 'R':
			return calibrate(strtoul(optarg, NULL, 0), slow, fast);
		case 'B':
			return ballast(strtoul(optarg, NULL, 0), fast);
		case 'g':
			gate = optarg;
			break;
		default:
			fprintf(stderr, "usage: see the comment at the top of tierbench.c\n");
			return 2;
		}
	}
	if (!(interval > 0) || !(cold_period > 0) || !hot_n || hot_n > cold_n) {
		fprintf(stderr, "tierbench: need sample_s > 0, cold_period_s > 0 and 0 < hot <= cold\n");
		return 2;
	}

	n = hot_n + cold_n;
	perm = calloc(n, sizeof(*perm));
	was_fast = calloc(n, 1);
	ever_hot = calloc(n, 1);
	if (!perm || !was_fast || !ever_hot || tw_region_init(&r, n, slow, false)) {
		printf("BENCHSUM,mech=%s,scenario=%s,layout=%s,error=setup\n",
		       mech, scen, layout);
		return 1;
	}
	if (tw_on_node(&r, slow) != (long)n) {
		printf("BENCHSUM,mech=%s,scenario=%s,layout=%s,error=placement\n",
		       mech, scen, layout);
		return 1;
	}
	for (i = 0; i < n; i++)
		perm[i] = i;
	/* the same hot set for every mechanism of a layout */
	if (!strcmp(layout, "scattered"))
		shuffle(perm, n);
	hot = perm;
	cold = perm + hot_n;
	/* access order within each class, frames aside */
	shuffle(hot, hot_n);
	shuffle(cold, cold_n);
	for (i = 0; i < hot_n; i++)
		ever_hot[hot[i]] = 1;

	if (gate) {
		char path[256];
		int fd;

		snprintf(path, sizeof(path), "%s/ready", gate);
		fd = open(path, O_CREAT | O_WRONLY, 0644);
		if (fd >= 0)
			close(fd);
		snprintf(path, sizeof(path), "%s/go", gate);
		while (access(path, F_OK))
			usleep(10000);
	}
	for (c = 0; c < NR_COUNTERS; c++)
		c0[c] = read_vmstat(counters[c]);
	ticks0 = mech_ticks();
	st0 = stime_s();
	printf("BENCH,mech,scenario,layout,t,hot_fast_pct,cold_fast_pct,ftar,acc_hot,acc_cold,promotions,pingpong\n");
	if (oracle)
		move_to(&r, hot, hot_n, fast);
	t0 = tw_now();
	next_sample = t0 + interval;
	for (;;) {
		for (i = 0; i < hot_n; i++)
			tw_touch(&r, hot[i]);
		acc_hot += hot_n;
		acc_hot_int += hot_n;
		t = tw_now();
		/* cold pages, paced: cold_n of them per cold_period */
		while (cold_done < (unsigned long)((t - t0) * cold_n / cold_period)) {
			tw_peek(&r, cold[cold_pos]);
			cold_pos = (cold_pos + 1) % cold_n;
			cold_done++;
			acc_cold++;
			acc_cold_int++;
		}
		if (!shifted && t - t0 >= shift) {
			unsigned long k, tmp;

			/* half the hot set goes cold, as many cold pages go hot */
			for (k = 0; k < hot_n / 2; k++) {
				tmp = hot[k];
				hot[k] = cold[k];
				cold[k] = tmp;
				ever_hot[hot[k]] = 1;
			}
			shifted = 1;
			if (oracle)
				move_to(&r, hot, hot_n / 2, fast);
		}
		if (t < next_sample)
			continue;
		next_sample += interval;
		samples++;
		el = t - t0;
		if (tw_on_node(&r, fast) < 0)
			break;
		hot_fast = 0;
		cold_fast = 0;
		for (i = 0; i < hot_n; i++)
			hot_fast += r.status[hot[i]] == fast;
		for (i = 0; i < cold_n; i++)
			cold_fast += r.status[cold[i]] == fast;
		ever_hot_fast = 0;
		fast_total = 0;
		for (i = 0; i < n; i++) {
			bool now_fast = r.status[i] == fast;

			fast_total += now_fast;
			ever_hot_fast += now_fast && ever_hot[i];
			if (now_fast && !was_fast[i]) {
				promotions++;
				if (first_promo < 0)
					first_promo = el;
				last_promo = el;
			} else if (!now_fast && was_fast[i]) {
				pingpong++;
			}
			was_fast[i] = now_fast;
		}
		{
			double ftar = (acc_hot_int * (double)hot_fast / hot_n +
				       acc_cold_int * (double)cold_fast / cold_n) /
				      (acc_hot_int + acc_cold_int);

			ftar_sum += ftar;
			printf("BENCH,%s,%s,%s,%.2f,%.1f,%.1f,%.4f,%lu,%lu,%lu,%lu\n",
			       mech, scen, layout, el, 100.0 * hot_fast / hot_n,
			       100.0 * cold_fast / cold_n, ftar, acc_hot_int,
			       acc_cold_int, promotions, pingpong);
			fflush(stdout);
		}
		acc_hot_int = 0;
		acc_cold_int = 0;
		if (!shifted) {
			if (t50 < 0 && hot_fast * 2 >= (long)hot_n)
				t50 = el;
			if (t90 < 0 && hot_fast * 10 >= (long)hot_n * 9) {
				t90 = el;
				acc_t90 = acc_hot + acc_cold;
			}
		} else if (t90_shift < 0 && hot_fast * 10 >= (long)hot_n * 9) {
			t90_shift = el - shift;
		}
		if (t - t0 >= dur)
			break;
	}

	/*
	 * The run's costs, taken before the check of every byte: it reads
	 * every page, and each one still armed by a scan would fault.
	 */
	for (c = 0; c < NR_COUNTERS; c++)
		dc[c] = read_vmstat(counters[c]) - c0[c];
	cpu_s = (double)(mech_ticks() - ticks0) / sysconf(_SC_CLK_TCK);
	stime = stime_s() - st0;
	bad = tw_bad_bytes(&r);

	printf("BENCHSUM,mech=%s,scenario=%s,layout=%s,hot=%lu,cold=%lu,secs=%.0f,samples=%d,t50=%.2f,t90=%.2f,acc_t90=%.0f,t90_shift=%.2f,recall=%.4f,precision=%.4f,fast_total=%ld,cold_fast=%ld,never_hot_fast=%ld,ftar_mean=%.4f,promotions=%lu,pingpong=%lu,first_promo=%.2f,last_promo=%.2f,mech_cpu_s=%.2f,stime_s=%.2f,acc=%lu,bad_bytes=%lu",
	       mech, scen, layout, hot_n, cold_n, el, samples, t50, t90, acc_t90,
	       t90_shift, (double)hot_fast / hot_n,
	       fast_total ? (double)ever_hot_fast / fast_total : 0,
	       fast_total, cold_fast, fast_total - ever_hot_fast, samples ? ftar_sum / samples : 0, promotions, pingpong,
	       first_promo, last_promo, cpu_s, stime, acc_hot + acc_cold,
	       bad);
	for (c = 0; c < NR_COUNTERS; c++)
		printf(",%s=%ld", counters[c], dc[c]);
	printf("\n");
	tw_region_free(&r);
	return 0;
}
