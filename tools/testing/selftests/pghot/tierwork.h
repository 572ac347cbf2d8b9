/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tierwork: the tiered-memory workload shared by the pghot kselftests and
 * the `make run` demo.
 *
 * A region is an anonymous mapping placed on a node: bound there while it
 * is first written, then given back the default policy so that NUMA
 * balancing and pghot may move it.  Every 8-byte word carries a pattern of
 * its own, so that a check after the pages moved sees any byte that did
 * not survive.  Hot regions are swept (each page read and written back
 * unchanged), cold regions are read, and move_pages() says where the pages
 * are.
 */
#ifndef __PGHOT_TIERWORK_H
#define __PGHOT_TIERWORK_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/types.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define TW_PAGE		4096UL
#define TW_THP		(2UL << 20)
#define TW_MPOL_DEFAULT	0
#define TW_MPOL_BIND	2
#define TW_KPF_THP	22	/* /proc/kpageflags: part of a THP */

struct tw_region {
	unsigned char *map;	/* what mmap() returned */
	size_t map_len;
	unsigned char *base;	/* the region, THP-aligned if asked */
	unsigned long npages;	/* in base pages */
	__u64 seed;
	void **pages;		/* move_pages() arguments */
	int *status;
};

static inline double tw_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The pattern of word @w of @r: distinct for every word and region. */
static inline __u64 tw_word(const struct tw_region *r, unsigned long w)
{
	__u64 x = r->seed ^ (w * 0x9e3779b97f4a7c15ULL);

	x ^= x >> 31;
	return x * 0xbf58476d1ce4e5b9ULL;
}

static inline void tw_region_free(struct tw_region *r)
{
	if (r->map)
		munmap(r->map, r->map_len);
	free(r->pages);
	free(r->status);
	memset(r, 0, sizeof(*r));
}

/*
 * Map @npages base pages, backed by THPs if @thp (the length is rounded up
 * to whole THPs), write the pattern while bound to @node, then reset the
 * policy.  Returns 0 or -errno.
 */
static inline int tw_region_init(struct tw_region *r, unsigned long npages,
				 int node, bool thp)
{
	static __u64 seeds = 0x5eed;
	unsigned long mask = 1UL << node, i, nwords;
	size_t len;
	int err;

	memset(r, 0, sizeof(*r));
	if (thp)
		npages = (npages * TW_PAGE + TW_THP - 1) / TW_THP * (TW_THP / TW_PAGE);
	len = npages * TW_PAGE;
	r->map_len = len + (thp ? TW_THP : 0);
	r->map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->map == MAP_FAILED) {
		r->map = NULL;
		return -errno;
	}
	r->base = thp ? (unsigned char *)(((uintptr_t)r->map + TW_THP - 1) &
					  ~(TW_THP - 1)) : r->map;
	r->npages = npages;
	r->seed = seeds++ * 0xd1b54a32d192ed03ULL;
	if (madvise(r->base, len, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		goto fail;
	if (syscall(SYS_mbind, r->base, len, TW_MPOL_BIND, &mask,
		    8 * sizeof(mask), 0))
		goto fail;
	nwords = len / sizeof(__u64);
	for (i = 0; i < nwords; i++)
		((__u64 *)r->base)[i] = tw_word(r, i);
	if (syscall(SYS_mbind, r->base, len, TW_MPOL_DEFAULT, NULL, 0, 0))
		goto fail;
	r->pages = calloc(npages, sizeof(*r->pages));
	r->status = calloc(npages, sizeof(*r->status));
	if (!r->pages || !r->status) {
		errno = ENOMEM;
		goto fail;
	}
	for (i = 0; i < npages; i++)
		r->pages[i] = r->base + i * TW_PAGE;
	return 0;
fail:
	err = -errno;
	tw_region_free(r);
	return err;
}

/* Read and write back one word of page @i: a write access, no change. */
static inline void tw_touch(struct tw_region *r, unsigned long i)
{
	__u64 *p = (__u64 *)(r->base + i * TW_PAGE) + 1;

	__atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED),
			 __ATOMIC_RELAXED);
}

/* Read one word of page @i. */
static inline void tw_peek(const struct tw_region *r, unsigned long i)
{
	__atomic_load_n((__u64 *)(r->base + i * TW_PAGE), __ATOMIC_RELAXED);
}

/* tw_touch() every page, in address order. */
static inline void tw_sweep(struct tw_region *r)
{
	unsigned long i;

	for (i = 0; i < r->npages; i++)
		tw_touch(r, i);
}

/* Read one word of every page. */
static inline void tw_read(const struct tw_region *r)
{
	unsigned long i;

	for (i = 0; i < r->npages; i++)
		tw_peek(r, i);
}

/* How many of the region's pages are on @node; -errno on failure. */
static inline long tw_on_node(struct tw_region *r, int node)
{
	unsigned long i;
	long n = 0;

	if (syscall(SYS_move_pages, 0, r->npages, r->pages, NULL, r->status, 0))
		return -errno;
	for (i = 0; i < r->npages; i++)
		n += r->status[i] == node;
	return n;
}

/* Bytes of the region that differ from the pattern. */
static inline unsigned long tw_bad_bytes(const struct tw_region *r)
{
	unsigned long i, nwords = r->npages * TW_PAGE / sizeof(__u64), bad = 0;

	for (i = 0; i < nwords; i++) {
		__u64 x = ((__u64 *)r->base)[i] ^ tw_word(r, i);

		for (; x; x >>= 8)
			bad += (x & 0xff) != 0;
	}
	return bad;
}

/*
 * How many of the region's pages are on @node and part of a THP, through
 * /proc/self/pagemap and /proc/kpageflags; -errno if they cannot be read.
 */
static inline long tw_thp_on_node(struct tw_region *r, int node)
{
	int pm = open("/proc/self/pagemap", O_RDONLY);
	int kf = open("/proc/kpageflags", O_RDONLY);
	unsigned long i;
	long n = -EIO;

	if (pm < 0 || kf < 0 || tw_on_node(r, node) < 0)
		goto out;
	n = 0;
	for (i = 0; i < r->npages; i++) {
		__u64 ent, flags;
		off_t off = (uintptr_t)r->pages[i] / TW_PAGE * sizeof(ent);

		if (r->status[i] != node)
			continue;
		if (pread(pm, &ent, sizeof(ent), off) != sizeof(ent) ||
		    !(ent & (1ULL << 63)))
			continue;
		off = (ent & ((1ULL << 55) - 1)) * sizeof(flags);
		if (pread(kf, &flags, sizeof(flags), off) == sizeof(flags) &&
		    (flags & (1ULL << TW_KPF_THP)))
			n++;
	}
out:
	if (pm >= 0)
		close(pm);
	if (kf >= 0)
		close(kf);
	return n;
}

/**
 * struct tw_run - one run of a hot and a cold region
 * @hot: swept without pause
 * @cold: read once every @cold_period_s
 * @fast: the node the hot pages should reach
 * @goal_pct: the run's goal: this share of @hot on @fast
 * @min_s: run at least this long (to see cold reads), then stop at the goal
 * @max_s: stop here whatever happened
 * @cold_period_s: time between two reads of @cold
 * @sample_s: time between two placement samples
 * @sample: called at every sample, or NULL
 * @arg: for @sample
 *
 * Results:
 * @t50, @t90, @t_goal: seconds until 50%, 90% and @goal_pct of @hot were
 *	on @fast, or -1
 * @hot_fast, @cold_fast: pages on @fast at the last sample
 * @elapsed: seconds run
 * @sweeps: sweeps of @hot done
 * @cold_reads: reads of @cold done
 * @err: -errno if a placement query failed
 */
struct tw_run {
	struct tw_region *hot, *cold;
	int fast, goal_pct;
	double min_s, max_s, cold_period_s, sample_s;
	void (*sample)(const struct tw_run *run, double t, void *arg);
	void *arg;

	double t50, t90, t_goal, elapsed;
	long hot_fast, cold_fast;
	unsigned long sweeps, cold_reads;
	int err;
};

static inline void tw_run(struct tw_run *run)
{
	double t0 = tw_now(), next_cold = t0 + run->cold_period_s;
	double next_sample = t0 + run->sample_s, t;
	long hot_n = run->hot->npages;

	run->t50 = -1;
	run->t90 = -1;
	run->t_goal = -1;
	run->sweeps = 0;
	run->cold_reads = 0;
	run->err = 0;
	for (;;) {
		tw_sweep(run->hot);
		run->sweeps++;
		t = tw_now();
		if (t >= next_cold) {
			tw_read(run->cold);
			run->cold_reads++;
			next_cold += run->cold_period_s;
		}
		if (t < next_sample)
			continue;
		next_sample += run->sample_s;
		run->elapsed = t - t0;
		run->hot_fast = tw_on_node(run->hot, run->fast);
		run->cold_fast = tw_on_node(run->cold, run->fast);
		if (run->hot_fast < 0 || run->cold_fast < 0) {
			run->err = run->hot_fast < 0 ? run->hot_fast : run->cold_fast;
			return;
		}
		if (run->t50 < 0 && run->hot_fast * 2 >= hot_n)
			run->t50 = run->elapsed;
		if (run->t90 < 0 && run->hot_fast * 10 >= hot_n * 9)
			run->t90 = run->elapsed;
		if (run->t_goal < 0 && run->hot_fast * 100 >= hot_n * run->goal_pct)
			run->t_goal = run->elapsed;
		if (run->sample)
			run->sample(run, run->elapsed, run->arg);
		if (run->elapsed >= run->max_s ||
		    (run->t_goal >= 0 && run->elapsed >= run->min_s))
			return;
	}
}

#endif /* __PGHOT_TIERWORK_H */
