/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the pghot core, included at the end of core.c so that
 * they reach its static functions: the decay of frequencies (pghot_freq),
 * and the record table with its heaps under the kernel's spinlocks, so that
 * lockdep sees the bucket -> heap nesting (pghot_table).  The exhaustive
 * cases live in the userland harness, tools/testing/pghot.
 */
#ifdef CONFIG_PGHOT_KUNIT_TEST

#ifndef _PGHOT_CORE_KUNIT_H
#define _PGHOT_CORE_KUNIT_H

#include <kunit/test.h>
#include <linux/limits.h>

#include "decay-cases.h"

KUNIT_ARRAY_PARAM_DESC(pghot_decay, pghot_decay_cases, desc);

static void pghot_freq_test_decay(struct kunit *test)
{
	const struct pghot_decay_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, pghot_freq_decay(c->freq, c->elapsed, c->window),
			c->expected);
}

static struct kunit_case pghot_freq_test_cases[] = {
	KUNIT_CASE_PARAM(pghot_freq_test_decay, pghot_decay_gen_params),
	{}
};

static struct kunit_suite pghot_freq_test_suite = {
	.name = "pghot_freq",
	.test_cases = pghot_freq_test_cases,
};

#define PGHOT_TEST_NODES	2

struct pghot_table_fixture {
	struct pghot_heap *heaps[PGHOT_TEST_NODES];
	struct pghot_table *t;
	struct pghot_params p;
	struct pghot_record *spare;
};

static void pghot_free_list(struct hlist_head *freed)
{
	struct pghot_record *rec;
	struct hlist_node *tmp;

	hlist_for_each_entry_safe(rec, tmp, freed, hnode) {
		hlist_del(&rec->hnode);
		kfree(rec);
	}
}

static struct pghot_heap *pghot_table_test_heap_of(void *arg, int nid)
{
	struct pghot_table_fixture *f = arg;

	return nid >= 0 && nid < PGHOT_TEST_NODES ? f->heaps[nid] : NULL;
}

static int pghot_table_test_init(struct kunit *test)
{
	struct pghot_table_fixture *f;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	/* node 0 is top tier here: no heap */
	f->heaps[1] = pghot_heap_alloc(8);
	KUNIT_ASSERT_NOT_NULL(test, f->heaps[1]);
	f->t = pghot_table_alloc(4, 16, pghot_table_test_heap_of, f);
	KUNIT_ASSERT_NOT_NULL(test, f->t);
	f->p = (struct pghot_params){ .window = 100, .threshold = 3,
				      .stale_windows = 4, .pending_windows = 16 };
	test->priv = f;
	return 0;
}

static void pghot_table_test_exit(struct kunit *test)
{
	struct pghot_table_fixture *f = test->priv;
	unsigned int cursor = 0;
	HLIST_HEAD(freed);

	if (!f)
		return;
	if (f->t) {
		pghot_table_age(f->t, &cursor, f->t->nr_buckets, 0, &f->p,
				UINT_MAX, &freed);
		pghot_free_list(&freed);
		pghot_table_free(f->t);
	}
	pghot_heap_free(f->heaps[1]);
	kfree(f->spare);
}

static enum pghot_outcome pghot_test_access(struct pghot_table_fixture *f,
					    unsigned long pfn, int heap_nid,
					    unsigned int weight, unsigned long now)
{
	if (!f->spare)
		f->spare = kzalloc(sizeof(*f->spare), GFP_KERNEL);
	return pghot_table_record(f->t, pfn, 0, heap_nid, weight, now, &f->p,
				  &f->spare);
}

static void pghot_table_test_hot_pop_order(struct kunit *test)
{
	struct pghot_table_fixture *f = test->priv;
	unsigned int sure = f->p.threshold * PGHOT_SURE_MARGIN;
	unsigned int prev = UINT_MAX, n = 0;
	struct pghot_candidate c;
	unsigned long pfn;

	for (pfn = 0; pfn < 8; pfn++)
		KUNIT_EXPECT_EQ(test, pghot_test_access(f, pfn, 1,
							sure + pfn * 5 % 8, 0),
				PGHOT_NEW_HOT);
	KUNIT_EXPECT_EQ(test, pghot_test_access(f, 100, 1, sure, 0),
			PGHOT_NEW_HEAP_FULL);
	KUNIT_EXPECT_EQ(test, pghot_test_access(f, 101, 0, sure, 0), PGHOT_NEW);

	spin_lock(&f->heaps[1]->lock);
	KUNIT_EXPECT_TRUE(test, pghot_heap_check(f->heaps[1]));
	while (pghot_heap_pop(f->heaps[1], &c)) {
		KUNIT_EXPECT_LE(test, c.freq, prev);
		KUNIT_EXPECT_TRUE(test, pghot_heap_check(f->heaps[1]));
		prev = c.freq;
		n++;
	}
	spin_unlock(&f->heaps[1]->lock);
	KUNIT_EXPECT_EQ(test, n, 8);
	/* popped records stay in the table for re-validation */
	KUNIT_EXPECT_EQ(test, atomic_long_read(&f->t->nr_records), 10);
}

static void pghot_table_test_cap_and_spare(struct kunit *test)
{
	struct pghot_table_fixture *f = test->priv;
	struct pghot_record *none = NULL;
	unsigned long pfn;

	KUNIT_EXPECT_EQ(test, pghot_table_record(f->t, 1, 0, 1, 1, 0, &f->p, &none),
			PGHOT_NO_SPARE);
	for (pfn = 0; pfn < 16; pfn++)
		KUNIT_EXPECT_EQ(test, pghot_test_access(f, pfn, 1, 1, 0), PGHOT_NEW);
	KUNIT_EXPECT_EQ(test, pghot_test_access(f, 16, 1, 1, 0), PGHOT_TABLE_FULL);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&f->t->nr_records), 16);
	KUNIT_EXPECT_EQ(test, pghot_test_access(f, 3, 1, 1, 0), PGHOT_HIT);
}

static void pghot_table_test_age_and_drop(struct kunit *test)
{
	struct pghot_table_fixture *f = test->priv;
	unsigned int sure = f->p.threshold * PGHOT_SURE_MARGIN;
	unsigned int cursor = 0;
	HLIST_HEAD(freed);

	pghot_test_access(f, 1, 1, 1, 0);	/* decays away */
	pghot_test_access(f, 2, 1, sure, 0);	/* hot, in the heap */
	pghot_test_access(f, 3, 0, sure, 0);	/* top-tier page */
	/* an estimate short of the sure margin: pending, one short of hot */
	KUNIT_EXPECT_EQ(test, pghot_test_access(f, 4, 1, 3, 0), PGHOT_NEW);
	/* two windows on, 1 and 4 decayed away: aging keeps 4, pending */
	KUNIT_EXPECT_EQ(test, pghot_table_age(f->t, &cursor, f->t->nr_buckets,
					      250, &f->p, 0, &freed), 1);
	KUNIT_EXPECT_EQ(test, pghot_table_freq(f->t, 1, 250, &f->p), 0);
	KUNIT_EXPECT_EQ(test, pghot_table_freq(f->t, 2, 250, &f->p), sure / 4);
	KUNIT_EXPECT_EQ(test, pghot_table_freq(f->t, 4, 250, &f->p), 0);
	/* and a second estimate confirms it */
	KUNIT_EXPECT_EQ(test, pghot_test_access(f, 4, 1, 3, 250), PGHOT_HIT_HOT);
	KUNIT_EXPECT_EQ(test, pghot_table_drop_node(f->t, 1, f->heaps[1], 0,
						    f->t->nr_buckets, &freed), 2);
	KUNIT_EXPECT_EQ(test, f->heaps[1]->heap.nr, 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&f->t->nr_records), 1);
	pghot_free_list(&freed);
}

static struct kunit_case pghot_table_test_cases[] = {
	KUNIT_CASE(pghot_table_test_hot_pop_order),
	KUNIT_CASE(pghot_table_test_cap_and_spare),
	KUNIT_CASE(pghot_table_test_age_and_drop),
	{}
};

static struct kunit_suite pghot_table_test_suite = {
	.name = "pghot_table",
	.init = pghot_table_test_init,
	.exit = pghot_table_test_exit,
	.test_cases = pghot_table_test_cases,
};

kunit_test_suites(&pghot_freq_test_suite, &pghot_table_test_suite);

#endif /* _PGHOT_CORE_KUNIT_H */

#endif /* CONFIG_PGHOT_KUNIT_TEST */
