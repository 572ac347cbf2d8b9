// SPDX-License-Identifier: GPL-2.0
/*
 * Instruction counts of the pghot record path, for callgrind.
 *
 *   pghot-bench STREAM N      run one stream of N accesses
 *   pghot-bench --callgrind   run every stream under callgrind and print
 *                             instructions per access
 *
 * Streams, each measured over pghot_table_record() alone: the spare records
 * are allocated before the measured loop, as the kernel refills its per-CPU
 * spare outside the record path, and the loop's own cost (a "null" stream
 * making the same calls into an empty function) is subtracted.
 *   hit     accesses to 4096 existing cold records, load factor 1
 *   insert  first accesses to N distinct pfns
 *   hot     accesses to 1024 records in a heap: each re-ranks its record
 */
#include "fixture.h"

#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#define NR_RECORDS	4096
#define NR_HOT		1024

static uint64_t rnd = 88172645463325252ULL;

static unsigned long next_pfn(unsigned long range)
{
	rnd ^= rnd << 13;
	rnd ^= rnd >> 7;
	rnd ^= rnd << 17;
	return rnd % range;
}

static struct pghot_record **spares;

/* Same signature as pghot_table_record(), does nothing; noipa keeps every argument passed. */
static __attribute__((__noipa__)) enum pghot_outcome
null_record(struct pghot_table *t, unsigned long pfn, int nid, int heap_nid,
	    unsigned int weight, unsigned long now,
	    const struct pghot_params *p, struct pghot_record **spare)
{
	__asm__ volatile("" ::: "memory");
	return PGHOT_HIT;
}

/* The measured loops: callgrind collects inside these functions only. */
static __attribute__((__noipa__)) void stream_null(struct world *w, unsigned long *pfns,
				 unsigned long n)
{
	struct pghot_record *none = NULL;
	unsigned long i;

	for (i = 0; i < n; i++)
		null_record(w->t, pfns[i], 0, 1, 1, 1, &w->p, &none);
}

static noinline void stream_hit(struct world *w, unsigned long *pfns,
				unsigned long n)
{
	struct pghot_record *none = NULL;
	unsigned long i;

	for (i = 0; i < n; i++)
		pghot_table_record(w->t, pfns[i], 0, 1, 1, 1, &w->p, &none);
}

static noinline void stream_insert(struct world *w, unsigned long *pfns,
				   unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		pghot_table_record(w->t, pfns[i], 0, 1, 1, 1, &w->p, &spares[i]);
}

static noinline void stream_hot(struct world *w, unsigned long *pfns,
				unsigned long n)
{
	struct pghot_record *none = NULL;
	unsigned long i;

	for (i = 0; i < n; i++)
		pghot_table_record(w->t, pfns[i], 0, 1, 1 + (i & 3), 1, &w->p, &none);
}

static int run(const char *stream, unsigned long n)
{
	unsigned long *pfns = calloc(n, sizeof(*pfns)), i;
	struct world w;

	spares = calloc(n, sizeof(*spares));
	if (!pfns || !spares)
		return 1;
	if (!strcmp(stream, "null")) {
		if (!world_init(&w, 1, 1, 1))
			return 1;
		stream_null(&w, pfns, n);
	} else if (!strcmp(stream, "hit")) {
		if (!world_init(&w, 12, 1UL << 20, 4096))
			return 1;
		w.p.threshold = U16_MAX;
		for (i = 0; i < NR_RECORDS; i++)
			world_access(&w, i * 4099, 0, 1, 1, 0);
		for (i = 0; i < n; i++)
			pfns[i] = next_pfn(NR_RECORDS) * 4099;
		stream_hit(&w, pfns, n);
	} else if (!strcmp(stream, "insert")) {
		unsigned int bits = 1;

		while ((1UL << bits) < n)
			bits++;
		if (!world_init(&w, bits, n, 4096))
			return 1;
		w.p.threshold = U16_MAX;
		for (i = 0; i < n; i++) {
			pfns[i] = i * 4099;
			spares[i] = kzalloc(sizeof(*spares[i]), GFP_KERNEL);
		}
		stream_insert(&w, pfns, n);
	} else if (!strcmp(stream, "hot")) {
		if (!world_init(&w, 10, 1UL << 20, NR_HOT))
			return 1;
		w.p.threshold = 1;
		w.p.window = 1U << 30;
		for (i = 0; i < NR_HOT; i++)
			world_access(&w, i * 4099, 0, 1, 1 + next_pfn(64), 0);
		for (i = 0; i < n; i++)
			pfns[i] = next_pfn(NR_HOT) * 4099;
		stream_hot(&w, pfns, n);
	} else {
		fprintf(stderr, "unknown stream %s\n", stream);
		return 2;
	}
	if (!check_world(&w)) {
		fprintf(stderr, "inconsistent: %s\n", w.why);
		return 1;
	}
	world_fini(&w);
	for (i = 0; i < n; i++)
		kfree(spares[i]);
	free(spares);
	free(pfns);
	return 0;
}

/* Run one stream under callgrind, collecting in its stream function only. */
static double callgrind_per_access(const char *self, const char *stream,
				   unsigned long n)
{
	char out[64], cmd[512], line[256];
	double ir = -1;
	FILE *f;

	snprintf(out, sizeof(out), "/tmp/pghot-callgrind.%d.%s", getpid(), stream);
	snprintf(cmd, sizeof(cmd),
		 "valgrind --tool=callgrind --callgrind-out-file=%s --collect-atstart=no --toggle-collect='stream_%s*' '%s' %s %lu >/dev/null 2>&1",
		 out, stream, self, stream, n);
	if (system(cmd))
		return -1;
	f = fopen(out, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "totals:", 7))
			ir = atof(line + 7);
	fclose(f);
	unlink(out);
	return ir / n;
}

int main(int argc, char **argv)
{
	static const char * const streams[] = { "hit", "insert", "hot" };
	unsigned long n = 200000;
	double null;
	unsigned int i;

	if (argc == 3)
		return run(argv[1], strtoul(argv[2], NULL, 0));
	if (argc != 2 || strcmp(argv[1], "--callgrind")) {
		fprintf(stderr, "usage: %s STREAM N | --callgrind\n", argv[0]);
		return 2;
	}
	null = callgrind_per_access(argv[0], "null", n);
	if (null < 0) {
		printf("callgrind failed (is valgrind installed?)\n");
		return 1;
	}
	printf("pghot record path: instructions per pghot_table_record()\n");
	printf("(callgrind, -O2, %lu accesses, net of %.1f for the calling loop):\n",
	       n, null);
	for (i = 0; i < ARRAY_SIZE(streams); i++) {
		double per = callgrind_per_access(argv[0], streams[i], n) - null;

		if (per < 0) {
			printf("  %-7s failed (is valgrind installed?)\n", streams[i]);
			return 1;
		}
		printf("  %-7s %6.1f\n", streams[i], per);
	}
	printf("bytes: record %zu, bucket %zu, heap slot %zu\n",
	       sizeof(struct pghot_record), sizeof(struct pghot_bucket),
	       sizeof(struct pghot_heap_entry));
	return 0;
}
