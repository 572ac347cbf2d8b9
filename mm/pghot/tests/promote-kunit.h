/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of where pghot promotes to (pghot_target), included at the
 * end of promote.c so that they reach its static functions.
 *
 * The cases read the running system's memory tiers, so they are meaningful
 * on a tiered topology (the rig boots QEMU with a CPU-less lower-tier node
 * 1) and skip where there is no lower tier.
 */
#ifdef CONFIG_PGHOT_KUNIT_TEST

#ifndef _PGHOT_PROMOTE_KUNIT_H
#define _PGHOT_PROMOTE_KUNIT_H

#include <kunit/test.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/swap.h>
#include <linux/tracepoint.h>
#include <linux/delay.h>

#include "kunit-common.h"

static void pghot_target_test_toptier_stays(struct kunit *test)
{
	int nid, nr_top = 0;

	for_each_node_state(nid, N_MEMORY) {
		if (!node_is_toptier(nid))
			continue;
		nr_top++;
		KUNIT_EXPECT_EQ_MSG(test, pghot_promotion_target(nid),
				    NUMA_NO_NODE, "top-tier node %d", nid);
	}
	KUNIT_EXPECT_GT(test, nr_top, 0);
}

static void pghot_target_test_invalid_node(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pghot_promotion_target(-1), NUMA_NO_NODE);
	KUNIT_EXPECT_EQ(test, pghot_promotion_target(MAX_NUMNODES), NUMA_NO_NODE);
	KUNIT_EXPECT_EQ(test, pghot_promotion_target(INT_MAX), NUMA_NO_NODE);
}

static void pghot_target_test_lower_tier_nearest(struct kunit *test)
{
	int nid, node, nr_lower = 0;

	for_each_node_state(nid, N_MEMORY) {
		int target;

		if (node_is_toptier(nid))
			continue;
		nr_lower++;
		target = pghot_promotion_target(nid);
		KUNIT_ASSERT_NE_MSG(test, target, NUMA_NO_NODE,
				    "lower-tier node %d has no target", nid);
		KUNIT_EXPECT_TRUE(test, node_is_toptier(target));
		KUNIT_EXPECT_TRUE(test, node_state(target, N_MEMORY));
		for_each_node_state(node, N_MEMORY) {
			if (!node_is_toptier(node))
				continue;
			KUNIT_EXPECT_LE_MSG(test, node_distance(nid, target),
					    node_distance(nid, node),
					    "node %d: target %d is farther than %d",
					    nid, target, node);
		}
	}
	if (!nr_lower)
		kunit_skip(test, "no lower-tier memory node on this system");
}

/*
 * kpromoted's choice: a top-tier accessor gets the page, anything else
 * sends it to the nearest top-tier node, and only to a node with room for
 * the whole folio above its high watermark.  An idle boot-time top tier has
 * room for a page and for a THP, and no node has room for more pages than
 * it has.
 */
static void pghot_target_test_choose(struct kunit *test)
{
	int nid, node, nr_lower = 0;

	for_each_node_state(nid, N_MEMORY) {
		int near = pghot_promotion_target(nid);
		unsigned long too_many = 0;

		if (node_is_toptier(nid))
			continue;
		nr_lower++;
		KUNIT_EXPECT_EQ(test, pghot_choose_target(NUMA_NO_NODE, nid, 1), near);
		KUNIT_EXPECT_EQ_MSG(test, pghot_choose_target(nid, nid, 1), near,
				    "a lower-tier accessor is no target");
		KUNIT_EXPECT_EQ(test, pghot_choose_target(MAX_NUMNODES - 1, nid, 1),
				node_state(MAX_NUMNODES - 1, N_MEMORY) &&
				node_is_toptier(MAX_NUMNODES - 1) ?
				MAX_NUMNODES - 1 : near);
		KUNIT_EXPECT_EQ(test, pghot_choose_target(MAX_NUMNODES, nid, 1),
				near);
		for_each_node_state(node, N_MEMORY) {
			if (!node_is_toptier(node))
				continue;
			KUNIT_EXPECT_EQ(test, pghot_choose_target(node, nid, 1),
					node);
			too_many = max(too_many, node_present_pages(node) + 1);
		}
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
		/* at boot the top tier has room for a THP */
		KUNIT_EXPECT_EQ(test, pghot_choose_target(NUMA_NO_NODE, nid,
							  HPAGE_PMD_NR),
				near);
#endif
		/* no node has room for more pages than it has */
		KUNIT_EXPECT_EQ(test, pghot_choose_target(NUMA_NO_NODE, nid,
							  too_many),
				NUMA_NO_NODE);
		KUNIT_EXPECT_EQ(test, pghot_choose_target(near, nid, too_many),
				NUMA_NO_NODE);
	}
	if (!nr_lower)
		kunit_skip(test, "no lower-tier memory node on this system");
}

/*
 * Review finding 8: a reported accessing node is the only node a folio may
 * go to (for a hint fault, mpol_misplaced() chose it within the task's
 * memory policy).  When it has no room, the folio stays, even though
 * another top-tier node has room.  Needs two top-tier nodes, one with room
 * for more pages than the other has: the rig's socket2 topology.
 */
static void pghot_target_test_accessor_only(struct kunit *test)
{
	int nid, accessor, other, pairs = 0;

	for_each_node_state(nid, N_MEMORY) {
		if (node_is_toptier(nid))
			continue;
		for_each_node_state(accessor, N_MEMORY) {
			unsigned long too_many = node_present_pages(accessor) + 1;

			if (!node_is_toptier(accessor))
				continue;
			for_each_node_state(other, N_MEMORY) {
				if (other == accessor || !node_is_toptier(other) ||
				    !migrate_balanced_pgdat(NODE_DATA(other),
							    too_many))
					continue;
				pairs++;
				KUNIT_EXPECT_EQ_MSG(test,
						    pghot_choose_target(accessor, nid,
									too_many),
						    NUMA_NO_NODE,
						    "node %d full, node %d has room: not a target for node %d's access",
						    accessor, other, accessor);
				/* with no accessing node, the one with room */
				KUNIT_EXPECT_NE(test,
						pghot_choose_target(NUMA_NO_NODE, nid,
								    too_many),
						NUMA_NO_NODE);
			}
		}
	}
	if (!pairs)
		kunit_skip(test, "needs two top-tier nodes, one with room for the other's size");
}

/*
 * A node object of the test's own, for kpromoted's functions to run on
 * with arrays of their own: a copy of the first tracked node's (its heap,
 * the table, tunables and cache), or a skip where none is tracked.  The
 * live kpromoted leaves the heap alone only while pghot is off.
 */
static struct pghot_node *pghot_test_node(struct kunit *test)
{
	struct pghot_node *pn, *live;
	int nid;

	pn = kunit_kzalloc(test, sizeof(*pn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pn);
	scoped_guard(mutex, &pghot_nodes_lock) {
		for_each_node_state(nid, N_MEMORY) {
			live = pghot_node_get_locked(nid);
			if (!live)
				continue;
			*pn = (struct pghot_node){
				.nid = nid, .heap = live->heap,
				.table = live->table,
				.table_sem = live->table_sem,
				.record_cache = live->record_cache,
				.cfg = live->cfg, .aging = live->aging,
			};
			return pn;
		}
	}
	kunit_skip(test, "no lower-tier node is tracked here");
	return NULL;
}

/*
 * Review finding 14: a hot folio pinned for DMA is not isolated, unmapped
 * and remapped in vain each time it turns hot: kpromoted skips it, and
 * counts why.  The pin is faked with the bias that folio_maybe_dma_pinned()
 * looks for; a node object of the test's own keeps kpromoted's out of it.
 */
static void pghot_target_test_pinned(struct kunit *test)
{
	enum vm_event_item why = NR_VM_EVENT_ITEMS;
	struct pghot_params p;
	struct pghot_node *pn;
	struct folio *folio;
	HLIST_HEAD(freed);
	unsigned long pfn;
	bool isolated;

	if (pghot_enabled())
		kunit_skip(test, "pghot is on: kpromoted would take the record");
	pn = pghot_test_node(test);

	folio = pghot_test_lru_folio(pn->nid);
	KUNIT_ASSERT_NOT_NULL(test, folio);
	pfn = folio_pfn(folio);
	KUNIT_EXPECT_EQ(test, __pghot_record_access(pfn, NUMA_NO_NODE,
						    PGHOT_SRC_INJECT, U16_MAX,
						    jiffies), 0);
	folio_ref_add(folio, GUP_PIN_COUNTING_BIAS);
	KUNIT_EXPECT_TRUE(test, folio_maybe_dma_pinned(folio));

	pghot_params_get(pn->cfg, &p);
	pn->batch[0] = (struct pghot_candidate){ .pfn = pfn,
						 .nid = NUMA_NO_NODE,
						 .freq = U16_MAX };
	isolated = kpromoted_prepare(pn, 0, &p, &why);
	KUNIT_EXPECT_FALSE(test, isolated);
	KUNIT_EXPECT_EQ(test, why, KPROMOTED_FAIL_PINNED);
	if (isolated) {
		LIST_HEAD(list);

		list_add(&folio->lru, &list);
		putback_movable_pages(&list);
		lru_add_drain();
	}
	KUNIT_EXPECT_TRUE(test, folio_test_lru(folio));

	folio_ref_sub(folio, GUP_PIN_COUNTING_BIAS);
	pghot_table_remove(pn->table, pfn, &freed);
	pghot_records_free(pn->record_cache, &freed);
	folio_put(folio);
}

struct pghot_test_batches {
	int nid;
	unsigned int nr, candidates, largest;
};

static void pghot_test_batch_probe(void *data, int nid, unsigned int candidates,
				   unsigned int promoted, unsigned int failed)
{
	struct pghot_test_batches *b = data;

	if (nid != b->nid)
		return;
	b->nr++;
	b->candidates += candidates;
	b->largest = max(b->largest, candidates);
}

/*
 * Review finding 10: a round of 64 hot candidates is isolated and migrated
 * COMPACT_CLUSTER_MAX at a time, never all at once; the kpromoted_batch
 * tracepoint reports each batch.  The round is run by the test on the live
 * node's heap, with arrays of its own, while pghot is off and kpromoted
 * leaves the heap alone.
 */
static void pghot_target_test_isolation_batches(struct kunit *test)
{
	const unsigned int max_isolated = COMPACT_CLUSTER_MAX;
	struct pghot_test_batches seen = { };
	struct folio *folios[64];
	const unsigned int nr = ARRAY_SIZE(folios);
	struct pghot_node *pn;
	HLIST_HEAD(freed);
	int i;

	if (pghot_enabled())
		kunit_skip(test, "pghot is on: kpromoted would take the records");
	pn = pghot_test_node(test);
	KUNIT_ASSERT_EQ(test, READ_ONCE(pn->heap->heap.nr), 0);
	KUNIT_ASSERT_GE(test, READ_ONCE(pn->cfg->kpromoted_batch), nr);

	for (i = 0; i < ARRAY_SIZE(folios); i++) {
		folios[i] = pghot_test_lru_folio(pn->nid);
		KUNIT_ASSERT_NOT_NULL(test, folios[i]);
		KUNIT_EXPECT_EQ(test, __pghot_record_access(folio_pfn(folios[i]),
							    NUMA_NO_NODE,
							    PGHOT_SRC_INJECT,
							    U16_MAX, jiffies), 0);
	}
	KUNIT_EXPECT_EQ(test, READ_ONCE(pn->heap->heap.nr), nr);
	seen.nid = pn->nid;
	if (register_trace_kpromoted_batch(pghot_test_batch_probe, &seen))
		kunit_skip(test, "cannot attach to the kpromoted_batch tracepoint");
	kpromoted_promote(pn);
	unregister_trace_kpromoted_batch(pghot_test_batch_probe, &seen);
	tracepoint_synchronize_unregister();

	KUNIT_EXPECT_EQ(test, seen.candidates, nr);
	KUNIT_EXPECT_LE(test, seen.largest, max_isolated);
	KUNIT_EXPECT_EQ(test, seen.nr, DIV_ROUND_UP(nr, max_isolated));
	for (i = 0; i < ARRAY_SIZE(folios); i++) {
		pghot_table_remove(pn->table, folio_pfn(folios[i]), &freed);
		folio_put(folios[i]);
	}
	pghot_records_free(pn->record_cache, &freed);
}

/* The private heap of pghot_target_test_backoff()'s table. */
static struct pghot_heap *pghot_test_heap_of(void *arg, int nid)
{
	struct pghot_node *pn = arg;

	return nid == pn->nid ? pn->heap : NULL;
}

/*
 * Review finding 15: a round that promoted nothing because the budget was
 * spent (or no target had room) holds kpromoted off, instead of letting it
 * spin on a hot record that its next report puts straight back on the
 * heap; the hold-off ends within vm.kpromoted_interval_ms.  The test has a
 * table, heap and tunables of its own (a budget of 1 MB/s, spent before the
 * round, and an interval of 100 ms), and a real folio on the lower tier.
 */
static void pghot_target_test_backoff(struct kunit *test)
{
	struct pghot_record *spare = NULL;
	struct pghot_config *cfg;
	struct pghot_params p;
	struct pghot_node *pn;
	struct folio *folio;
	unsigned int cursor = 0;
	unsigned long limited;
	HLIST_HEAD(freed);
	int try, target, found;
	bool was_on = pghot_enabled();

	pn = pghot_test_node(test);
	found = pn->nid;
	cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	*cfg = *pn->cfg;
	target = pghot_promotion_target(found);
	cfg->rate_limit_mbps = 1;
	cfg->kpromoted_interval_ms = 100;
	pn->cfg = cfg;
	pn->heap = pghot_heap_alloc(16);
	KUNIT_ASSERT_NOT_NULL(test, pn->heap);
	pn->table = pghot_table_alloc(4, 16, pghot_test_heap_of, pn);
	KUNIT_ASSERT_NOT_NULL(test, pn->table);
	folio = pghot_test_lru_folio(found);
	KUNIT_ASSERT_NOT_NULL(test, folio);
	pghot_params_get(cfg, &p);

	/* has_work needs pghot on; kpromoted's own heaps are left empty */
	static_branch_enable(&pghot_enabled_key);
	for (try = 0; try < 3; try++) {
		spare = kmem_cache_zalloc(pn->record_cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, spare);
		pghot_table_record(pn->table, folio_pfn(folio), NUMA_NO_NODE,
				   found, U16_MAX, jiffies, &p, &spare);
		KUNIT_ASSERT_EQ(test, READ_ONCE(pn->heap->heap.nr), 1);
		limited = pghot_test_event(test, KPROMOTED_FAIL_RATELIMIT);
		/* spend what is left of this second's budget */
		while (pghot_rate_ok(cfg, target, 1))
			;
		kpromoted_promote(pn);
		if (pghot_test_event(test, KPROMOTED_FAIL_RATELIMIT) == limited + 1)
			break;
		/* the budget's second turned over before the round: again */
		if (spare)
			kmem_cache_free(pn->record_cache, spare);
		spare = NULL;
	}
	KUNIT_EXPECT_LT_MSG(test, try, 3, "the round was never rate limited");

	/* the record's next report puts it straight back on the heap */
	pghot_table_record(pn->table, folio_pfn(folio), NUMA_NO_NODE, found,
			   U16_MAX, jiffies, &p, &spare);
	KUNIT_EXPECT_EQ(test, READ_ONCE(pn->heap->heap.nr), 1);
	KUNIT_EXPECT_FALSE_MSG(test, kpromoted_has_work(pn),
			       "kpromoted would spin on a record it cannot promote");
	msleep(2 * cfg->kpromoted_interval_ms);
	KUNIT_EXPECT_TRUE_MSG(test, kpromoted_has_work(pn),
			      "the hold-off outlived the kpromoted interval");
	if (!was_on)
		static_branch_disable(&pghot_enabled_key);

	pghot_table_age(pn->table, &cursor, pn->table->nr_buckets, jiffies, &p,
			UINT_MAX, &freed);
	pghot_records_free(pn->record_cache, &freed);
	if (spare)
		kmem_cache_free(pn->record_cache, spare);
	pghot_table_free(pn->table);
	pghot_heap_free(pn->heap);
	folio_put(folio);
}

static struct kunit_case pghot_target_test_cases[] = {
	KUNIT_CASE(pghot_target_test_toptier_stays),
	KUNIT_CASE(pghot_target_test_invalid_node),
	KUNIT_CASE(pghot_target_test_lower_tier_nearest),
	KUNIT_CASE(pghot_target_test_choose),
	KUNIT_CASE(pghot_target_test_accessor_only),
	KUNIT_CASE(pghot_target_test_pinned),
	KUNIT_CASE(pghot_target_test_isolation_batches),
	KUNIT_CASE(pghot_target_test_backoff),
	{}
};

static struct kunit_suite pghot_target_test_suite = {
	.name = "pghot_target",
	.test_cases = pghot_target_test_cases,
};

kunit_test_suite(pghot_target_test_suite);

#endif /* _PGHOT_PROMOTE_KUNIT_H */

#endif /* CONFIG_PGHOT_KUNIT_TEST */
