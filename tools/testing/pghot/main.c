// SPDX-License-Identifier: GPL-2.0
/*
 * User-space tests for the pure pghot core (mm/pghot_core.c).
 *
 * The core is included as a source file (see fixture.h), so its static
 * functions are reachable too.  Output is TAP, via the kselftest helpers.
 */
#include "fixture.h"

#include <limits.h>

#include "../selftests/kselftest.h"

#define CHECK(cond) do {							\
	if (!(cond)) {								\
		ksft_print_msg("%s:%d: %s: check failed: %s\n", __FILE__,	\
			       __LINE__, __func__, #cond);			\
		return false;							\
	}									\
} while (0)

#define CHECK_WORLD(w) do {							\
	struct world *__w = (w);						\
										\
	if (!check_world(__w)) {						\
		ksft_print_msg("%s:%d: %s: inconsistent: %s\n", __FILE__,	\
			       __LINE__, __func__, __w->why);			\
		return false;							\
	}									\
} while (0)

#include "../../../mm/pghot/tests/decay-cases.h"

/*
 * A hint fault's weight: window / latency accesses, at least one, at most
 * U16_MAX.  One weight alone reaches a threshold exactly when the latency
 * is at most window / threshold, and the sure margin at window / (margin *
 * threshold).
 */
static bool test_latency_weight(void)
{
	unsigned int th, prev;
	unsigned long lat;

	CHECK(pghot_latency_weight(0, 1000) == 1000);
	CHECK(pghot_latency_weight(1, 1000) == 1000);
	CHECK(pghot_latency_weight(2, 1000) == 500);
	CHECK(pghot_latency_weight(499, 1000) == 2);
	CHECK(pghot_latency_weight(500, 1000) == 2);
	CHECK(pghot_latency_weight(501, 1000) == 1);
	CHECK(pghot_latency_weight(999, 1000) == 1);
	CHECK(pghot_latency_weight(1000, 1000) == 1);
	CHECK(pghot_latency_weight(ULONG_MAX, 1000) == 1);
	CHECK(pghot_latency_weight(0, 0) == 1);
	/* the largest window the sysctl allows saturates */
	CHECK(pghot_latency_weight(0, 600000) == U16_MAX);
	CHECK(pghot_latency_weight(9, 600000) == U16_MAX);
	CHECK(pghot_latency_weight(10, 600000) == 60000);
	CHECK(pghot_latency_weight(599999, 600000) == 1);

	for (th = 1; th <= 64; th++) {
		prev = UINT_MAX;
		for (lat = 1; lat <= 1100; lat++) {
			unsigned int w = pghot_latency_weight(lat, 1000);

			CHECK(w >= 1 && w <= prev);
			CHECK((w >= th) == (th == 1 || lat * th <= 1000));
			CHECK((w >= th * PGHOT_SURE_MARGIN) ==
			      (lat * th * PGHOT_SURE_MARGIN <= 1000));
			prev = w;
		}
	}
	return true;
}

/* Decay must be monotonic in elapsed time: history never grows back. */
static bool test_decay_monotonic(void)
{
	unsigned int prev = UINT_MAX;
	unsigned long t;

	for (t = 0; t < 40 * 16; t++) {
		unsigned int f = pghot_freq_decay(UINT_MAX, t, 16);

		CHECK(f <= prev);
		prev = f;
	}
	CHECK(prev == 0);
	return true;
}

static bool test_insert_lookup(void)
{
	struct world w;
	unsigned long pfn;

	CHECK(world_init(&w, 4, 1000, 16));
	for (pfn = 0; pfn < 200; pfn++)
		CHECK(world_access(&w, pfn * 7919, 0, 1, 1, 0) == PGHOT_NEW);
	CHECK(atomic_long_read(&w.t->nr_records) == 200);
	for (pfn = 0; pfn < 200; pfn++) {
		struct pghot_bucket *b = pghot_table_bucket(w.t, pfn * 7919);

		CHECK(pghot_bucket_find(b, pfn * 7919));
		CHECK(!pghot_bucket_find(b, pfn * 7919 + 1));
	}
	/* A second access hits the same record. */
	CHECK(world_access(&w, 7919, 0, 1, 1, 1) == PGHOT_HIT);
	CHECK(atomic_long_read(&w.t->nr_records) == 200);
	CHECK_WORLD(&w);
	world_fini(&w);
	return true;
}

/*
 * Review finding 4: a report or a look at a time slightly before the
 * record's window started (a deferred replay carries its producer's time,
 * jiffies are read before the bucket lock, aging reads them once for a
 * round) is no time at all, not 2^32 ticks: the record keeps its history,
 * stays in its heap and is not retired.
 */
static bool test_time_backwards(void)
{
	unsigned int cursor = 0;
	struct pghot_candidate c;
	HLIST_HEAD(freed);
	struct world w;

	CHECK(world_init(&w, 4, 100, 16));
	/* hot at 1000: two plain accesses, threshold 3 */
	world_access(&w, 7, 0, 1, 1, 1000);
	CHECK(world_access(&w, 7, 0, 1, 2, 1000) == PGHOT_HIT_HOT);
	/* a look from just before the window started */
	CHECK(pghot_table_freq(w.t, 7, 995, &w.p) == 3);
	/* a report from just before: counted, not decayed away */
	CHECK(world_access(&w, 7, 0, 1, 1, 990) == PGHOT_HIT);
	CHECK(pghot_table_freq(w.t, 7, 1000, &w.p) == 4);
	CHECK(w.heaps[1]->heap.nr == 1 && w.heaps[1]->heap.data[0].freq == 4);
	/* aging from before the window: neither stale nor cold */
	CHECK(pghot_table_age(w.t, &cursor, w.t->nr_buckets, 990, &w.p, 0,
			      &freed) == 0);
	CHECK(atomic_long_read(&w.t->nr_records) == 1);
	CHECK(pghot_heap_pop(w.heaps[1], &c) && c.pfn == 7 && c.freq == 4);
	/* time still moves on: three windows later 4 >> 3 is gone */
	CHECK(pghot_table_freq(w.t, 7, 1300, &w.p) == 0);
	CHECK_WORLD(&w);
	world_fini(&w);
	return true;
}

/* Frequency counts within a window and halves per window that passed. */
static bool test_window_decay(void)
{
	struct world w;

	CHECK(world_init(&w, 4, 100, 16));
	w.p.threshold = 100;	/* keep it out of the heap */
	world_access(&w, 42, 0, 1, 1, 1000);
	world_access(&w, 42, 0, 1, 1, 1050);
	world_access(&w, 42, 0, 1, 1, 1099);
	CHECK(pghot_table_freq(w.t, 42, 1099, &w.p) == 3);
	/* not counted again by merely looking: 2 windows later it is 3 >> 2 */
	CHECK(pghot_table_freq(w.t, 42, 1000 + 2 * 100, &w.p) == 0);
	CHECK(pghot_table_freq(w.t, 42, 1000 + 100, &w.p) == 1);
	/* an access after one window: history 3 >> 1 = 1, plus this one */
	world_access(&w, 42, 0, 1, 1, 1100);
	CHECK(pghot_table_freq(w.t, 42, 1100, &w.p) == 2);
	/* weights add, and the count saturates instead of wrapping */
	world_access(&w, 42, 0, 1, UINT_MAX, 1101);
	CHECK(pghot_table_freq(w.t, 42, 1101, &w.p) == U16_MAX);
	/* time wraps around 32 bits without losing the window */
	world_access(&w, 43, 0, 1, 2, 0xffffffc0UL);
	world_access(&w, 43, 0, 1, 1, 0x100000010UL);	/* 80 ticks later */
	CHECK(pghot_table_freq(w.t, 43, 0x100000010UL, &w.p) == 3);
	CHECK_WORLD(&w);
	world_fini(&w);
	return true;
}

/* A record enters its node's heap when it crosses the threshold. */
static bool test_threshold(void)
{
	struct pghot_candidate c;
	struct pghot_record *rec;
	struct world w;

	CHECK(world_init(&w, 4, 100, 16));
	CHECK(world_access(&w, 7, 0, 1, 1, 0) == PGHOT_NEW);
	CHECK(world_access(&w, 7, 0, 1, 1, 1) == PGHOT_HIT);
	CHECK(w.heaps[1]->heap.nr == 0);
	CHECK(world_access(&w, 7, 0, 1, 1, 2) == PGHOT_HIT_HOT);
	CHECK(w.heaps[1]->heap.nr == 1 && w.heaps[2]->heap.nr == 0);
	/* staying hot re-ranks it, it does not enter twice */
	CHECK(world_access(&w, 7, 0, 1, 1, 3) == PGHOT_HIT);
	CHECK(w.heaps[1]->heap.nr == 1);
	CHECK(w.heaps[1]->heap.data[0].freq == 4);
	/* a sure first report is hot at once, in its own node's heap */
	CHECK(world_access(&w, 8, 0, 2, 3 * PGHOT_SURE_MARGIN, 3) ==
	      PGHOT_NEW_HOT);
	CHECK(w.heaps[2]->heap.nr == 1);
	/* no heap for top-tier pages: never hot-queued */
	CHECK(world_access(&w, 9, 0, 0, 3 * PGHOT_SURE_MARGIN, 3) == PGHOT_NEW);
	CHECK_WORLD(&w);
	/* going cold takes it out: 4 >> 2 + 1 = 2 < 3 */
	CHECK(world_access(&w, 7, 0, 1, 1, 250) == PGHOT_HIT);
	CHECK(w.heaps[1]->heap.nr == 0);
	rec = pghot_bucket_find(pghot_table_bucket(w.t, 7), 7);
	CHECK(rec && rec->heap_idx == PGHOT_NO_HEAP);
	CHECK(!pghot_heap_pop(w.heaps[1], &c));
	CHECK_WORLD(&w);
	world_fini(&w);
	return true;
}

/*
 * One report weighing more than an access is an estimate: below the sure
 * margin it leaves a record pending, one short of the threshold.  The next
 * report within the wait confirms it if it reaches the threshold with it,
 * and ends the wait if not.
 */
static bool test_confirm(void)
{
	unsigned int cursor = 0, sure, th;
	HLIST_HEAD(freed);
	struct world w;

	CHECK(world_init(&w, 4, 100, 16));
	th = w.p.threshold;
	sure = th * PGHOT_SURE_MARGIN;
	CHECK(world_access(&w, 1, 0, 1, sure - 1, 0) == PGHOT_NEW);
	CHECK(pghot_table_freq(w.t, 1, 0, &w.p) == th - 1);
	CHECK(w.heaps[1]->heap.nr == 0);
	/* a plain access once the history decayed ends the wait... */
	CHECK(world_access(&w, 1, 0, 1, 1, 300) == PGHOT_HIT);
	/* ...so the next estimate waits again, and a second one confirms it */
	CHECK(world_access(&w, 1, 0, 1, th, 500) == PGHOT_HIT);
	CHECK(pghot_table_freq(w.t, 1, 500, &w.p) == th - 1);
	CHECK(world_access(&w, 1, 0, 1, th, 700) == PGHOT_HIT_HOT);
	CHECK(pghot_table_freq(w.t, 1, 700, &w.p) == th);
	/* confirmed, it is an ordinary record again */
	CHECK(world_access(&w, 1, 0, 1, th, 2000) == PGHOT_HIT);
	CHECK(pghot_table_freq(w.t, 1, 2000, &w.p) == th - 1);
	CHECK(w.heaps[1]->heap.nr == 0);

	/* the wait outlasts staleness (8 windows), not its own 64 windows */
	CHECK(world_access(&w, 2, 0, 1, th, 0) == PGHOT_NEW);
	CHECK(world_access(&w, 2, 0, 1, th, 6399) == PGHOT_HIT_HOT);
	CHECK(world_access(&w, 6, 0, 1, th, 0) == PGHOT_NEW);
	CHECK(world_access(&w, 6, 0, 1, th, 6400) == PGHOT_HIT);
	CHECK(pghot_table_freq(w.t, 6, 6400, &w.p) == th - 1);
	/* history still in its window is confirmation enough */
	CHECK(world_access(&w, 3, 0, 1, 1, 0) == PGHOT_NEW);
	CHECK(world_access(&w, 3, 0, 1, th - 1, 99) == PGHOT_HIT_HOT);
	/* plain accesses count as they come, and at the margin one is enough */
	CHECK(world_access(&w, 4, 0, 1, 1, 0) == PGHOT_NEW);
	CHECK(world_access(&w, 4, 0, 1, 1, 1) == PGHOT_HIT);
	CHECK(world_access(&w, 4, 0, 1, 1, 2) == PGHOT_HIT_HOT);
	CHECK(world_access(&w, 5, 0, 1, sure, 0) == PGHOT_NEW_HOT);
	CHECK_WORLD(&w);
	world_fini(&w);

	/* at threshold 1 every report is hot on its own */
	CHECK(world_init(&w, 4, 100, 16));
	w.p.threshold = 1;
	CHECK(world_access(&w, 1, 0, 1, 5, 0) == PGHOT_NEW_HOT);
	world_fini(&w);

	/* aging keeps a pending record for its second report... */
	CHECK(world_init(&w, 4, 100, 16));
	world_access(&w, 1, 0, 1, th, 0);	/* pending */
	world_access(&w, 2, 0, 1, 1, 0);	/* plain, decays away */
	CHECK(pghot_table_age(w.t, &cursor, w.t->nr_buckets, 300, &w.p, 0,
			      &freed) == 1);
	CHECK(pghot_table_freq(w.t, 1, 300, &w.p) == 0);
	CHECK(world_access(&w, 1, 0, 1, th, 300) == PGHOT_HIT_HOT);
	/* ...stale or not, until its wait is over (pfn 1 decays away) */
	world_access(&w, 3, 0, 1, th, 0);
	CHECK(pghot_table_age(w.t, &cursor, w.t->nr_buckets, 800, &w.p, 0,
			      &freed) == 1);
	CHECK(!pghot_table_freq(w.t, 1, 800, &w.p));
	CHECK(pghot_table_age(w.t, &cursor, w.t->nr_buckets, 6399, &w.p, 0,
			      &freed) == 0);
	CHECK(pghot_table_age(w.t, &cursor, w.t->nr_buckets, 6400, &w.p, 0,
			      &freed) == 1);
	/* the shrinker's second level, below the threshold, does not wait */
	world_access(&w, 4, 0, 1, th, 6400);
	CHECK(pghot_table_age(w.t, &cursor, w.t->nr_buckets, 6400, &w.p, 0,
			      &freed) == 0);
	CHECK(pghot_table_age(w.t, &cursor, w.t->nr_buckets, 6400, &w.p,
			      th - 1, &freed) == 1);
	CHECK(atomic_long_read(&w.t->nr_records) == 0);
	free_list(&freed);
	CHECK_WORLD(&w);
	world_fini(&w);
	return true;
}

/* Pops come out hottest first; the record stays in the table. */
static bool test_heap_order(void)
{
	unsigned int prev = UINT_MAX, n = 0;
	struct pghot_candidate c;
	struct world w;
	unsigned long pfn;

	CHECK(world_init(&w, 6, 1000, 256));
	srand(1);
	for (pfn = 0; pfn < 200; pfn++) {
		world_access(&w, pfn, 0, 1,
			     w.p.threshold * PGHOT_SURE_MARGIN + rand() % 50, 0);
		CHECK_WORLD(&w);
	}
	CHECK(w.heaps[1]->heap.nr == 200);
	while (pghot_heap_pop(w.heaps[1], &c)) {
		CHECK(c.freq <= prev);
		CHECK(c.freq == pghot_table_freq(w.t, c.pfn, 0, &w.p));
		prev = c.freq;
		n++;
		CHECK_WORLD(&w);
	}
	CHECK(n == 200);
	CHECK(atomic_long_read(&w.t->nr_records) == 200);
	world_fini(&w);
	return true;
}

/* The heap stays consistent through every kind of update, at random. */
static bool test_heap_random(void)
{
	struct pghot_candidate c;
	struct world w;
	unsigned long now = 0;
	int i;

	CHECK(world_init(&w, 3, 300, 64));
	srand(2);
	for (i = 0; i < 20000; i++) {
		unsigned long pfn = rand() % 400;
		HLIST_HEAD(freed);

		now += rand() % 8;
		switch (rand() % 10) {
		case 0:
			pghot_heap_pop(w.heaps[1 + rand() % 2], &c);
			break;
		case 1:
			pghot_table_remove(w.t, pfn, &freed);
			break;
		default:
			world_access(&w, pfn, rand() % NR_NODES, 1 + pfn % 2,
				     1 + rand() % 3, now);
		}
		free_list(&freed);
		CHECK_WORLD(&w);
	}
	world_fini(&w);
	return true;
}

/* The cap holds exactly; a dropped access does not consume the spare. */
static bool test_cap(void)
{
	struct pghot_record *spare;
	struct world w;
	unsigned long pfn;

	CHECK(world_init(&w, 2, 10, 16));
	for (pfn = 0; pfn < 10; pfn++)
		CHECK(world_access(&w, pfn, 0, 1, 1, 0) == PGHOT_NEW);
	spare = w.spare;
	CHECK(world_access(&w, 10, 0, 1, 1, 0) == PGHOT_TABLE_FULL);
	CHECK(w.spare == spare);
	CHECK(atomic_long_read(&w.t->nr_records) == 10);
	/* existing records are still counted */
	CHECK(world_access(&w, 3, 0, 1, 1, 0) == PGHOT_HIT);
	/* lowering the cap below the count refuses inserts, keeps records */
	w.t->max_records = 5;
	CHECK(world_access(&w, 11, 0, 1, 1, 0) == PGHOT_TABLE_FULL);
	CHECK(atomic_long_read(&w.t->nr_records) == 10);
	CHECK_WORLD(&w);
	world_fini(&w);
	return true;
}

/* The @k-th pfn after @pfn (k >= 1) that hashes to the bucket of @pfn. */
static unsigned long same_bucket(struct world *w, unsigned long pfn, int k)
{
	struct pghot_bucket *b = pghot_table_bucket(w->t, pfn);
	unsigned long cand = pfn;

	while (k) {
		cand++;
		if (pghot_table_bucket(w->t, cand) == b)
			k--;
	}
	return cand;
}

/*
 * Review finding 5: at the cap, a new pfn takes over a record of its own
 * chain that aging would retire, one decayed to nothing or stale, instead
 * of being dropped until aging gets there; a hot record, a pending one or
 * one with history left stays.  So a sweep over a cold set larger than the
 * cap cannot keep a hot set out of the table.
 */
static bool test_cap_recycle(void)
{
	unsigned long a, hot, pend, d, e, f, g;
	struct pghot_bucket *b;
	struct world w;

	CHECK(world_init(&w, 2, 4, 16));	/* window 100, threshold 3 */
	a = 1;
	hot = same_bucket(&w, a, 1);
	pend = same_bucket(&w, a, 2);
	d = same_bucket(&w, a, 3);
	e = same_bucket(&w, a, 4);
	f = same_bucket(&w, a, 5);
	g = same_bucket(&w, a, 6);
	b = pghot_table_bucket(w.t, a);
	CHECK(world_access(&w, a, 0, 1, 1, 0) == PGHOT_NEW);
	CHECK(world_access(&w, hot, 0, 1, 3 * PGHOT_SURE_MARGIN, 0) == PGHOT_NEW_HOT);
	CHECK(world_access(&w, pend, 0, 1, 3, 0) == PGHOT_NEW);	/* pending */
	CHECK(world_access(&w, d, 0, 1, 1, 0) == PGHOT_NEW);
	/* full, and in the same window every record has history left */
	CHECK(world_access(&w, e, 0, 1, 1, 50) == PGHOT_TABLE_FULL);
	/* a window later a and d decayed to nothing: e and f take them */
	CHECK(world_access(&w, e, 0, 1, 1, 150) == PGHOT_RECYCLED);
	CHECK(world_access(&w, f, 0, 1, 1, 150) == PGHOT_RECYCLED);
	CHECK(atomic_long_read(&w.t->nr_records) == 4);
	CHECK(!pghot_bucket_find(b, a) && !pghot_bucket_find(b, d));
	CHECK(pghot_table_freq(w.t, e, 150, &w.p) == 1);
	CHECK(pghot_table_freq(w.t, f, 150, &w.p) == 1);
	/* the hot record and the pending one stay, so g is dropped */
	CHECK(world_access(&w, g, 0, 1, 1, 150) == PGHOT_TABLE_FULL);
	CHECK(pghot_bucket_find(b, hot) && pghot_bucket_find(b, pend));
	CHECK_WORLD(&w);
	/*
	 * e and f stay alive; the hot record, stale by now, leaves its heap
	 * for g, and the pending one still waits for its confirming report.
	 */
	CHECK(world_access(&w, e, 0, 1, 1, 850) == PGHOT_HIT);
	CHECK(world_access(&w, f, 0, 1, 1, 850) == PGHOT_HIT);
	CHECK(w.heaps[1]->heap.nr == 1);
	CHECK(world_access(&w, g, 0, 1, 1, 900) == PGHOT_RECYCLED);
	CHECK(w.heaps[1]->heap.nr == 0);
	CHECK(!pghot_bucket_find(b, hot) && pghot_bucket_find(b, pend));
	CHECK(pghot_bucket_find(b, e) && pghot_bucket_find(b, f));
	CHECK_WORLD(&w);
	/* and a recycled record can turn hot */
	CHECK(world_access(&w, a, 0, 1, 3 * PGHOT_SURE_MARGIN, 1100) ==
	      PGHOT_RECYCLED_HOT);
	CHECK(w.heaps[1]->heap.nr == 1);
	CHECK(atomic_long_read(&w.t->nr_records) == 4);
	CHECK_WORLD(&w);
	world_fini(&w);
	return true;
}

/* Without a spare a new pfn is dropped and reported, nothing else changes. */
static bool test_no_spare(void)
{
	struct pghot_record *none = NULL;
	struct world w;

	CHECK(world_init(&w, 2, 10, 16));
	CHECK(pghot_table_record(w.t, 5, 0, 1, 1, 0, &w.p, &none) == PGHOT_NO_SPARE);
	CHECK(atomic_long_read(&w.t->nr_records) == 0);
	CHECK(world_access(&w, 5, 0, 1, 1, 0) == PGHOT_NEW);
	/* a hit needs no spare */
	CHECK(pghot_table_record(w.t, 5, 0, 1, 1, 0, &w.p, &none) == PGHOT_HIT);
	CHECK_WORLD(&w);
	world_fini(&w);
	return true;
}

/* A full heap refuses a new hot record but keeps counting it. */
static bool test_heap_full(void)
{
	unsigned int sure;
	struct world w;

	CHECK(world_init(&w, 2, 10, 2));
	sure = w.p.threshold * PGHOT_SURE_MARGIN;
	CHECK(world_access(&w, 1, 0, 1, sure, 0) == PGHOT_NEW_HOT);
	CHECK(world_access(&w, 2, 0, 1, sure, 0) == PGHOT_NEW_HOT);
	CHECK(world_access(&w, 3, 0, 1, sure, 0) == PGHOT_NEW_HEAP_FULL);
	CHECK(world_access(&w, 3, 0, 1, 1, 0) == PGHOT_HEAP_FULL);
	CHECK(atomic_long_read(&w.t->nr_records) == 3);
	CHECK(pghot_table_freq(w.t, 3, 0, &w.p) == sure + 1);
	CHECK_WORLD(&w);
	world_fini(&w);
	return true;
}

/* Aging retires what decayed away and what went stale, heap entries too. */
static bool test_aging(void)
{
	HLIST_HEAD(freed);
	unsigned int cursor = 0;
	struct world w;
	unsigned long n;

	CHECK(world_init(&w, 4, 100, 16));
	world_access(&w, 1, 0, 1, 1, 0);	/* cold: decays to 0 after a window */
	world_access(&w, 2, 0, 1, 60000, 0);	/* hot, but goes stale */
	world_access(&w, 3, 0, 1, 40, 0);
	CHECK(w.heaps[1]->heap.nr == 2);

	n = pghot_table_age(w.t, &cursor, w.t->nr_buckets, 150, &w.p, 0, &freed);
	CHECK(n == 1);
	CHECK(!pghot_table_freq(w.t, 1, 150, &w.p));
	free_list(&freed);
	CHECK_WORLD(&w);

	world_access(&w, 3, 0, 1, 40, 750);	/* hot and recent */
	/*
	 * 8 windows after its window started, pfn 2 is stale although its
	 * history has not decayed away (60000 >> 8 = 234).
	 */
	CHECK(pghot_table_freq(w.t, 2, 800, &w.p) == 234);
	n = pghot_table_age(w.t, &cursor, w.t->nr_buckets, 800, &w.p, 0, &freed);
	CHECK(n == 1);
	CHECK(!pghot_table_freq(w.t, 2, 800, &w.p));
	CHECK(w.heaps[1]->heap.nr == 1);
	CHECK(w.heaps[1]->heap.data[0].rec->pfn == 3);
	free_list(&freed);
	CHECK_WORLD(&w);

	/* the shrinker's way: retire everything up to a frequency */
	n = pghot_table_age(w.t, &cursor, w.t->nr_buckets, 800, &w.p, U16_MAX, &freed);
	CHECK(n == 1);
	CHECK(atomic_long_read(&w.t->nr_records) == 0);
	CHECK(w.heaps[1]->heap.nr == 0);
	free_list(&freed);
	CHECK_WORLD(&w);
	world_fini(&w);
	return true;
}

/* Aging in slices covers every bucket exactly once per round. */
static bool test_aging_cursor(void)
{
	HLIST_HEAD(freed);
	unsigned int cursor = 5, i;
	unsigned long n = 0, pfn;
	struct world w;

	CHECK(world_init(&w, 4, 1000, 16));
	for (pfn = 0; pfn < 300; pfn++)
		world_access(&w, pfn, 0, 1, 1, 0);
	for (i = 0; i < 16; i += 3)
		n += pghot_table_age(w.t, &cursor, 3, 1000, &w.p, 0, &freed);
	CHECK(cursor == (5 + 18) % 16);
	CHECK(n == 300);
	free_list(&freed);
	CHECK_WORLD(&w);
	world_fini(&w);
	return true;
}

/*
 * Review finding 5: aging must visit every bucket within the stale period,
 * whatever the table's size and however often it runs, or stale records
 * of a large table outlive their period many times over.  The budget is
 * proportional to the time since the last round, rounded up, and never
 * more than the table.
 */
static bool test_age_budget(void)
{
	const unsigned long stale = 8 * 1000;	/* 8 windows of 1000 ticks */
	unsigned int nr, sizes[] = { 1, 1024, 16384, 1U << 20, 1U << 28 };
	unsigned long t, visited;
	int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		nr = sizes[i];
		/* one round a second: a full pass within 8 rounds */
		for (t = 0, visited = 0; t < stale; t += 1000)
			visited += pghot_age_budget(nr, 1000, stale);
		CHECK(visited >= nr);
		/* rounds at odd intervals get there too */
		for (t = 0, visited = 0; t < stale; t += 7)
			visited += pghot_age_budget(nr, 7, stale);
		CHECK(visited >= nr);
		/* never more than the table, never nothing */
		CHECK(pghot_age_budget(nr, ULONG_MAX, stale) == nr);
		CHECK(pghot_age_budget(nr, 1, stale) >= 1);
		CHECK(pghot_age_budget(nr, 0, stale) == 0);
		CHECK(pghot_age_budget(nr, 1000, 0) == nr);
	}
	/* and no more than its share: 1/8 of the table a window */
	CHECK(pghot_age_budget(16384, 1000, stale) == 2048);
	return true;
}

/*
 * The shrinker's walk: it looks at as many records as its budget allows,
 * stopping at the end of the bucket that used the budget up.
 */
static bool test_age_some(void)
{
	unsigned int cursor = 0;
	unsigned long budget, pfn, n;
	HLIST_HEAD(freed);
	struct world w;

	CHECK(world_init(&w, 4, 1000, 16));
	for (pfn = 0; pfn < 160; pfn++)
		world_access(&w, pfn, 0, 1, 1, 0);
	/* about 10 records a bucket: 20 of them fill 2 or 3 buckets */
	budget = 20;
	n = pghot_table_age_some(w.t, &cursor, w.t->nr_buckets, &budget, 0,
				 &w.p, 1, &freed);
	CHECK(budget == 0);
	CHECK(n >= 20 && n < 160);
	CHECK(cursor > 0 && cursor < w.t->nr_buckets);
	CHECK(atomic_long_read(&w.t->nr_records) == 160 - (long)n);
	/* without a budget it is pghot_table_age() */
	n += pghot_table_age_some(w.t, &cursor, w.t->nr_buckets, NULL, 0,
				  &w.p, 1, &freed);
	CHECK(n == 160);
	free_list(&freed);
	CHECK_WORLD(&w);
	world_fini(&w);
	return true;
}

/* Offlining a node retires its records only. */
static bool test_drop_node(void)
{
	HLIST_HEAD(freed);
	struct world w;
	unsigned long pfn;

	CHECK(world_init(&w, 4, 1000, 64));
	for (pfn = 0; pfn < 100; pfn++)
		world_access(&w, pfn, 0, 1 + pfn % 2,
			     1 + (pfn % 5) * w.p.threshold * PGHOT_SURE_MARGIN, 0);
	/* in slices, as the kernel walks it, ending past the table */
	CHECK(pghot_table_drop_node(w.t, 2, w.heaps[2], 0, 5, &freed) +
	      pghot_table_drop_node(w.t, 2, w.heaps[2], 5, w.t->nr_buckets,
				    &freed) +
	      pghot_table_drop_node(w.t, 2, w.heaps[2], w.t->nr_buckets, 1,
				    &freed) == 50);
	CHECK(w.heaps[2]->heap.nr == 0);
	CHECK(w.heaps[1]->heap.nr > 0);
	CHECK(atomic_long_read(&w.t->nr_records) == 50);
	free_list(&freed);
	CHECK_WORLD(&w);
	world_fini(&w);
	return true;
}

/*
 * Review finding 2: a node going offline is unpublished first, so the
 * table no longer finds its heap, and only then are its records dropped.
 * They must leave that heap all the same: a heap pointing at freed records
 * is a use after free for whoever looks at it next.
 */
static bool test_drop_unpublished_node(void)
{
	HLIST_HEAD(freed);
	struct world w;
	unsigned long pfn;

	CHECK(world_init(&w, 4, 1000, 64));
	for (pfn = 0; pfn < 20; pfn++)
		world_access(&w, pfn, 0, 1 + pfn % 2,
			     w.p.threshold * PGHOT_SURE_MARGIN, 0);
	CHECK(w.heaps[2]->heap.nr == 10);
	w.unpublished[2] = true;
	CHECK(pghot_table_drop_node(w.t, 2, w.heaps[2], 0, w.t->nr_buckets,
				    &freed) == 10);
	CHECK(w.heaps[2]->heap.nr == 0);
	CHECK(w.heaps[1]->heap.nr == 10);
	free_list(&freed);
	w.unpublished[2] = false;
	CHECK_WORLD(&w);
	world_fini(&w);
	return true;
}

/*
 * Review finding 6: the table grows by moving every record into a larger
 * one, in slices as the kernel does.  Each record keeps its frequency and
 * its heap slot, and the grown table finds and counts them all.
 */
static bool test_table_move(void)
{
	unsigned int freq[200], i;
	struct pghot_table *big;
	struct world w;
	unsigned long pfn, heaped;

	CHECK(world_init(&w, 3, 1000, 64));
	for (pfn = 0; pfn < 200; pfn++)
		world_access(&w, pfn * 7, 0, 1 + pfn % 2,
			     1 + (pfn % 5) * w.p.threshold * PGHOT_SURE_MARGIN, 0);
	for (pfn = 0; pfn < 200; pfn++)
		freq[pfn] = pghot_table_freq(w.t, pfn * 7, 0, &w.p);
	heaped = w.heaps[1]->heap.nr + w.heaps[2]->heap.nr;
	CHECK(heaped > 0);
	big = pghot_table_alloc(8, 4000, world_heap_of, &w);
	CHECK(big);
	CHECK(pghot_table_move(w.t, big, 0, 3) +
	      pghot_table_move(w.t, big, 3, w.t->nr_buckets) +
	      pghot_table_move(w.t, big, w.t->nr_buckets, 1) == 200);
	CHECK(atomic_long_read(&w.t->nr_records) == 0);
	for (i = 0; i < w.t->nr_buckets; i++)
		CHECK(hlist_empty(&w.t->buckets[i].head));
	pghot_table_free(w.t);
	w.t = big;
	CHECK_WORLD(&w);
	CHECK(atomic_long_read(&w.t->nr_records) == 200);
	CHECK(w.heaps[1]->heap.nr + w.heaps[2]->heap.nr == heaped);
	for (pfn = 0; pfn < 200; pfn++)
		CHECK(pghot_table_freq(w.t, pfn * 7, 0, &w.p) == freq[pfn]);
	world_fini(&w);
	return true;
}

/* Allocation failures are reported and leak nothing. */
static bool test_alloc_failure(void)
{
	long before = pghot_test_nr_allocated, i;
	struct pghot_heap *h;
	bool ok = true;

	for (i = 0; i < 2; i++) {
		pghot_test_fail_after = i;	/* fail the (i+1)-th allocation */
		h = pghot_heap_alloc(8);
		ok &= !h;
	}
	pghot_test_fail_after = 0;
	ok &= !pghot_table_alloc(4, 10, NULL, NULL);
	pghot_test_fail_after = -1;
	CHECK(ok);
	CHECK(!pghot_heap_alloc(0));
	CHECK(!pghot_table_alloc(31, 10, NULL, NULL));
	CHECK(pghot_test_nr_allocated == before);
	return true;
}

struct stress {
	struct world *w;
	int seed;
	unsigned long ops;
};

static void *stress_recorder(void *arg)
{
	struct stress *s = arg;
	struct pghot_record *spare = NULL;
	unsigned int seed = s->seed;
	unsigned long i;

	for (i = 0; i < s->ops; i++) {
		unsigned long pfn = rand_r(&seed) % 2000;

		if (!spare)
			spare = kzalloc(sizeof(*spare), GFP_KERNEL);
		pghot_table_record(s->w->t, pfn, 0, 1 + pfn % 2, 1 + rand_r(&seed) % 2,
				   i / 4, &s->w->p, &spare);
	}
	kfree(spare);
	return NULL;
}

static void *stress_consumer(void *arg)
{
	struct stress *s = arg;
	unsigned int cursor = 0;
	unsigned long i;

	for (i = 0; i < s->ops; i++) {
		struct pghot_candidate c;
		HLIST_HEAD(freed);
		struct pghot_heap *h = s->w->heaps[1 + i % 2];

		spin_lock(&h->lock);
		pghot_heap_pop(h, &c);
		spin_unlock(&h->lock);
		if (i % 16 == 0)
			pghot_table_age(s->w->t, &cursor, 8, i / 4, &s->w->p, 1, &freed);
		free_list(&freed);
	}
	return NULL;
}

/* Two recorders and a consumer at once: the locking holds the invariants. */
static bool test_threads(void)
{
	struct stress s[3];
	pthread_t th[3];
	struct world w;
	int i;

	CHECK(world_init(&w, 6, 1500, 128));
	for (i = 0; i < 3; i++) {
		s[i] = (struct stress){ .w = &w, .seed = i + 1, .ops = 200000 };
		CHECK(!pthread_create(&th[i], NULL, i < 2 ? stress_recorder : stress_consumer,
				      &s[i]));
	}
	for (i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	CHECK(atomic_long_read(&w.t->nr_records) <= 1500);
	CHECK_WORLD(&w);
	world_fini(&w);
	return true;
}

static const struct {
	const char *name;
	bool (*fn)(void);
} tests[] = {
	{ "decay: monotonic in time", test_decay_monotonic },
	{ "model: hint-fault latency weight", test_latency_weight },
	{ "table: insert and lookup", test_insert_lookup },
	{ "model: window and decay", test_window_decay },
	{ "model: time just before a window is no time", test_time_backwards },
	{ "model: threshold crossing enters the heap", test_threshold },
	{ "model: one estimate needs a margin or a second report", test_confirm },
	{ "heap: pops hottest first", test_heap_order },
	{ "heap: invariant and heap_idx under random operations", test_heap_random },
	{ "table: hard cap on records", test_cap },
	{ "table: at the cap, a dead record of the chain is recycled", test_cap_recycle },
	{ "table: no spare record, access dropped", test_no_spare },
	{ "heap: full heap refuses, record still counted", test_heap_full },
	{ "aging: retires cold and stale records", test_aging },
	{ "aging: cursor covers each bucket once per round", test_aging_cursor },
	{ "aging: a full pass within the stale period", test_age_budget },
	{ "aging: a budget bounds the records looked at", test_age_some },
	{ "hotplug: dropping a node retires only its records", test_drop_node },
	{ "hotplug: an unpublished node's records leave its heap", test_drop_unpublished_node },
	{ "hotplug: growing moves every record, heaps intact", test_table_move },
	{ "alloc: failures reported, nothing leaked", test_alloc_failure },
	{ "locking: two recorders and a consumer", test_threads },
};

int main(void)
{
	size_t i, nd = ARRAY_SIZE(pghot_decay_cases), nt = ARRAY_SIZE(tests);

	ksft_print_header();
	ksft_set_plan(nd + nt + 1);

	for (i = 0; i < nd; i++) {
		const struct pghot_decay_case *c = &pghot_decay_cases[i];
		unsigned int got = pghot_freq_decay(c->freq, c->elapsed, c->window);

		if (got != c->expected)
			ksft_print_msg("%s: got %u, expected %u\n", c->desc, got,
				       c->expected);
		ksft_test_result(got == c->expected, "decay: %s\n", c->desc);
	}
	for (i = 0; i < nt; i++)
		ksft_test_result(tests[i].fn(), "%s\n", tests[i].name);

	if (pghot_test_nr_allocated)
		ksft_print_msg("%ld allocations leaked\n", pghot_test_nr_allocated);
	ksft_test_result(pghot_test_nr_allocated == 0, "no leaks\n");
	ksft_finished();
}
