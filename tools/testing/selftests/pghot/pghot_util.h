/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the pghot selftests and the rig's guest workloads:
 * /proc and sysfs access, the memory tiers, pages placed on a node, their
 * page frames, and the injector.  The tests' common preamble is in
 * pghot_setup.h.
 */
#ifndef __PGHOT_SELFTEST_UTIL_H
#define __PGHOT_SELFTEST_UTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define INJECT		"/sys/kernel/debug/pghot/inject"
#define STATS		"/sys/kernel/debug/pghot/stats"
#define TIERS		"/sys/devices/virtual/memory_tiering"
#define SRC_INJECT	3	/* PGHOT_SRC_INJECT */
#define MPOL_DEFAULT	0
#define MPOL_PREFERRED	1
#define MPOL_BIND	2

static long page_size;	/* set by the test's main() */

static inline long read_vmstat(const char *name)
{
	char key[128];
	long val;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%127s %ld", key, &val) == 2) {
		if (!strcmp(key, name)) {
			fclose(f);
			return val;
		}
	}
	fclose(f);
	return -1;
}

static inline int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		err = -errno;
	close(fd);
	return err;
}

static inline int read_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* All of /sys/kernel/debug/pghot/stats, or "" (a buffer of its own). */
static inline const char *pghot_stats(void)
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

/* The value of pghot's stats line "@name N", or -1. */
static inline long pghot_stat(const char *name)
{
	const char *all = pghot_stats(), *p;
	size_t len = strlen(name);

	for (p = all; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (!strncmp(p, name, len) && p[len] == ' ')
			return atol(p + len + 1);
	}
	return -1;
}

static inline int inject(unsigned long pfn, int nid, int src, int count)
{
	char buf[96];

	snprintf(buf, sizeof(buf), "%lu %d %d %d\n", pfn, nid, src, count);
	return write_str(INJECT, buf);
}

/*
 * The first node of the lowest (fastest) and of the highest (slowest)
 * memory tier; false unless they differ.
 */
static inline bool find_tiers(int *fast, int *slow)
{
	int lo = -1, hi = -1;
	struct dirent *d;
	DIR *dir = opendir(TIERS);

	if (!dir)
		return false;
	while ((d = readdir(dir))) {
		char path[sizeof(TIERS) + sizeof(d->d_name) + 16], list[64];
		int tier;

		if (sscanf(d->d_name, "memory_tier%d", &tier) != 1)
			continue;
		snprintf(path, sizeof(path), TIERS "/%s/nodelist", d->d_name);
		if (read_str(path, list, sizeof(list)) || !list[0])
			continue;
		if (lo < 0 || tier < lo) {
			lo = tier;
			*fast = atoi(list);
		}
		if (hi < 0 || tier > hi) {
			hi = tier;
			*slow = atoi(list);
		}
	}
	closedir(dir);
	return lo >= 0 && lo != hi;
}

/*
 * Put this CPU's freshly faulted pages on their LRU lists: MADV_COLD drains
 * the CPU's LRU batches first.  It is applied to a page never touched, so
 * it queues nothing new (a folio waiting in a batch to move between LRU
 * lists is not PageLRU in the meantime, and pghot refuses such pages).
 */
static inline int drain_lru_batches(void)
{
	static void *scratch;

	if (!scratch) {
		scratch = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (scratch == MAP_FAILED) {
			scratch = NULL;
			return -errno;
		}
	}
	return madvise(scratch, page_size, MADV_COLD) ? -errno : 0;
}

/*
 * Map @n pages on @node, touched, with the policy reset afterwards, and on
 * their LRU lists.  The caller stays on one CPU (pin_to_this_cpu()), whose
 * LRU batches drain_lru_batches() drains.
 */
static inline char *map_on_node(int node, int n)
{
	unsigned long mask = 1UL << node;
	char *p;

	p = mmap(NULL, n * page_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	madvise(p, n * page_size, MADV_NOHUGEPAGE);
	if (syscall(SYS_mbind, p, n * page_size, MPOL_BIND, &mask,
		    8 * sizeof(mask), 0))
		return NULL;
	memset(p, 0x5a, n * page_size);
	if (syscall(SYS_mbind, p, n * page_size, MPOL_DEFAULT, NULL, 0, 0))
		return NULL;
	if (drain_lru_batches())
		return NULL;
	return p;
}

/*
 * map_on_node() for @n pages, page i filled with the byte i & 0xff (see
 * pattern_errors()), and the page frame of each in @pfns; NULL if any step
 * failed.
 */
static inline char *map_patterned(int node, int n, unsigned long *pfns);

/* Bytes of @n pages at @buf that no longer hold map_patterned()'s pattern. */
static inline long pattern_errors(const char *buf, int n)
{
	long i, bad = 0;

	for (i = 0; i < (long)n * page_size; i++)
		bad += (unsigned char)buf[i] != (i / page_size & 0xff);
	return bad;
}

/* The node of each of @n pages at @buf, into @status; false on error. */
static inline bool nodes_of(char *buf, int n, int *status)
{
	void **pages = calloc(n, sizeof(*pages));
	bool ok;
	int i;

	if (!pages)
		return false;
	for (i = 0; i < n; i++)
		pages[i] = buf + (long)i * page_size;
	ok = !syscall(SYS_move_pages, 0, n, pages, NULL, status, 0);
	free(pages);
	return ok;
}

static inline unsigned long pfn_of(void *addr)
{
	uint64_t ent = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &ent, sizeof(ent),
		  (uintptr_t)addr / page_size * sizeof(ent)) != sizeof(ent))
		ent = 0;
	close(fd);
	if (!(ent & (1ULL << 63)))
		return 0;
	return ent & ((1ULL << 55) - 1);
}

static inline char *map_patterned(int node, int n, unsigned long *pfns)
{
	char *buf = map_on_node(node, n);
	int i;

	if (!buf)
		return NULL;
	for (i = 0; i < n; i++) {
		memset(buf + (long)i * page_size, i & 0xff, page_size);
		pfns[i] = pfn_of(buf + (long)i * page_size);
		if (!pfns[i]) {
			errno = ENOENT;
			return NULL;
		}
	}
	return buf;
}

/*
 * Wait until kpromoted has taken every hot record off every heap, as
 * /sys/kernel/debug/pghot/stats shows ("nodeN records R heap USED/SIZE"),
 * and has finished with what it took: the round that emptied a heap may
 * still be migrating and dropping records, so wait for kpromoted_wake to
 * move on once more, which it does only when a new round starts.
 */
static inline bool wait_kpromoted_idle(int timeout_s)
{
	long wakes = -1;
	int tries;

	for (tries = 0; tries < timeout_s * 10; tries++) {
		char stats[4096], *p;
		bool empty = true;

		if (read_str("/sys/kernel/debug/pghot/stats", stats, sizeof(stats)))
			return false;
		for (p = strstr(stats, " heap "); p; p = strstr(p + 1, " heap "))
			empty &= atoi(p + 6) == 0;
		if (!empty)
			wakes = -1;
		else if (wakes < 0)
			wakes = read_vmstat("kpromoted_wake");
		else if (read_vmstat("kpromoted_wake") != wakes)
			return true;
		usleep(100000);
	}
	return false;
}

/*
 * Stay on the current CPU, so that drain_lru_batches() drains the LRU
 * batches the pages were added to.
 */
static inline int pin_to_this_cpu(void)
{
	cpu_set_t cpus;

	CPU_ZERO(&cpus);
	CPU_SET(sched_getcpu(), &cpus);
	return sched_setaffinity(0, sizeof(cpus), &cpus) ? -errno : 0;
}

#endif /* __PGHOT_SELFTEST_UTIL_H */
