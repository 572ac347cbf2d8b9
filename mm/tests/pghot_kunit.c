// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for pghot.
 *
 * The target-selection cases read the running system's memory tiers, so they
 * are meaningful on a tiered topology (the rig boots QEMU with a CPU-less
 * lower-tier node 1) and skip where there is no lower tier.
 */
#include <kunit/test.h>
#include <linux/irq_work.h>
#include <linux/jiffies.h>
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/memory.h>
#include <linux/memory-tiers.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/numa.h>
#include <linux/pghot.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysctl.h>
#include <linux/swap.h>
#include <linux/spinlock.h>
#include <linux/topology.h>
#include <linux/vmstat.h>

#include "../pghot/internal.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

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
 * the whole folio.  An idle boot-time top tier has room for a page and for
 * a THP; no node has a free block larger than the buddy allocator makes.
 */
static void pghot_target_test_choose(struct kunit *test)
{
	int nid, node, nr_lower = 0;

	for_each_node_state(nid, N_MEMORY) {
		int near = pghot_promotion_target(nid);

		if (node_is_toptier(nid))
			continue;
		nr_lower++;
		KUNIT_EXPECT_EQ(test, pghot_choose_target(NUMA_NO_NODE, nid, 0), near);
		KUNIT_EXPECT_EQ_MSG(test, pghot_choose_target(nid, nid, 0), near,
				    "a lower-tier accessor is no target");
		KUNIT_EXPECT_EQ(test, pghot_choose_target(MAX_NUMNODES - 1, nid, 0),
				node_state(MAX_NUMNODES - 1, N_MEMORY) &&
				node_is_toptier(MAX_NUMNODES - 1) ?
				MAX_NUMNODES - 1 : near);
		for_each_node_state(node, N_MEMORY)
			if (node_is_toptier(node))
				KUNIT_EXPECT_EQ(test, pghot_choose_target(node, nid, 0),
						node);
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
		/* at boot the top tier has free blocks of a THP's size */
		KUNIT_EXPECT_EQ(test, pghot_choose_target(NUMA_NO_NODE, nid,
							  HPAGE_PMD_ORDER),
				near);
#endif
		/* no free block is larger than the buddy allocator's largest */
		KUNIT_EXPECT_EQ(test, pghot_choose_target(NUMA_NO_NODE, nid,
							  NR_PAGE_ORDERS),
				NUMA_NO_NODE);
	}
	if (!nr_lower)
		kunit_skip(test, "no lower-tier memory node on this system");
}

static struct kunit_case pghot_target_test_cases[] = {
	KUNIT_CASE(pghot_target_test_toptier_stays),
	KUNIT_CASE(pghot_target_test_invalid_node),
	KUNIT_CASE(pghot_target_test_lower_tier_nearest),
	KUNIT_CASE(pghot_target_test_choose),
	{}
};

static struct kunit_suite pghot_target_test_suite = {
	.name = "pghot_target",
	.test_cases = pghot_target_test_cases,
};

struct pghot_decay_case {
	const char *desc;
	unsigned int freq;
	unsigned long elapsed;
	unsigned long window;
	unsigned int expected;
};

static const struct pghot_decay_case pghot_decay_cases[] = {
	{ "same window keeps history",	8, 99, 100, 8 },
	{ "one window halves",		8, 100, 100, 4 },
	{ "partial windows round down",	8, 250, 100, 2 },
	{ "cools to zero",		8, 400, 100, 0 },
	{ "31 windows keep the top bit", UINT_MAX, 3100, 100, 1 },
	{ "32 windows forget all",	UINT_MAX, 3200, 100, 0 },
	{ "huge gap forgets all",	UINT_MAX, ULONG_MAX, 1, 0 },
	{ "zero window never decays",	5, 1000, 0, 5 },
};

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

/*
 * pghot_table: the record table and heaps of the core, under the kernel's
 * spinlocks (so lockdep sees the bucket -> heap nesting).  The exhaustive
 * cases live in the userland harness, tools/testing/pghot.
 */
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

static int pghot_table_test_init(struct kunit *test)
{
	struct pghot_table_fixture *f;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	/* node 0 is top tier here: no heap */
	f->heaps[1] = pghot_heap_alloc(8);
	KUNIT_ASSERT_NOT_NULL(test, f->heaps[1]);
	f->t = pghot_table_alloc(4, 16, f->heaps, PGHOT_TEST_NODES);
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
	KUNIT_EXPECT_EQ(test, pghot_table_drop_node(f->t, 1, &freed), 2);
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

static void pghot_boot_test_parse(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pghot_parse_boot_state("on"), 1);
	KUNIT_EXPECT_EQ(test, pghot_parse_boot_state("off"), 0);
	KUNIT_EXPECT_EQ(test, pghot_parse_boot_state("ON"), -EINVAL);
	KUNIT_EXPECT_EQ(test, pghot_parse_boot_state("1"), -EINVAL);
	KUNIT_EXPECT_EQ(test, pghot_parse_boot_state("onn"), -EINVAL);
	KUNIT_EXPECT_EQ(test, pghot_parse_boot_state(""), -EINVAL);
	KUNIT_EXPECT_EQ(test, pghot_parse_boot_state(NULL), -EINVAL);
}

static struct kunit_case pghot_boot_test_cases[] = {
	KUNIT_CASE(pghot_boot_test_parse),
	{}
};

static struct kunit_suite pghot_boot_test_suite = {
	.name = "pghot_boot",
	.test_cases = pghot_boot_test_cases,
};

static void pghot_defer_test_ring_order(struct kunit *test)
{
	struct pghot_defer_ring *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct pghot_deferred d;
	unsigned long i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	for (i = 0; i < PGHOT_DEFER_SLOTS; i++)
		KUNIT_ASSERT_TRUE(test, pghot_defer_push(r, 1000 + i, (int)i % 3 - 1,
							 i % NR_PGHOT_SRC, i * 7));
	KUNIT_EXPECT_FALSE(test, pghot_defer_push(r, 1, 0, 0, 0));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&r->overflow), 1);

	for (i = 0; i < PGHOT_DEFER_SLOTS; i++) {
		KUNIT_ASSERT_TRUE(test, pghot_defer_pop(r, &d));
		KUNIT_EXPECT_EQ(test, d.pfn, 1000 + i);
		KUNIT_EXPECT_EQ(test, d.nid, (int)i % 3 - 1);
		KUNIT_EXPECT_EQ(test, d.src, (int)(i % NR_PGHOT_SRC));
		KUNIT_EXPECT_EQ(test, d.now, i * 7);
	}
	KUNIT_EXPECT_FALSE(test, pghot_defer_pop(r, &d));
	/* the dropped access was never queued */
	KUNIT_EXPECT_EQ(test, r->head, PGHOT_DEFER_SLOTS);
}

static void pghot_defer_test_wrap_and_publish(struct kunit *test)
{
	struct pghot_defer_ring *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct pghot_deferred d;
	unsigned long i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	/* go round the ring several times, two in flight at a time */
	KUNIT_ASSERT_TRUE(test, pghot_defer_push(r, 0, 0, 0, 0));
	for (i = 1; i < 3 * PGHOT_DEFER_SLOTS; i++) {
		KUNIT_ASSERT_TRUE(test, pghot_defer_push(r, i, 0, 0, 0));
		KUNIT_ASSERT_TRUE(test, pghot_defer_pop(r, &d));
		KUNIT_EXPECT_EQ(test, d.pfn, i - 1);
	}
	KUNIT_ASSERT_TRUE(test, pghot_defer_pop(r, &d));
	KUNIT_EXPECT_FALSE(test, pghot_defer_pop(r, &d));

	/* a slot reserved but not yet published stops the consumer */
	KUNIT_ASSERT_TRUE(test, pghot_defer_push(r, 10, 0, 0, 0));
	KUNIT_ASSERT_TRUE(test, pghot_defer_push(r, 11, 0, 0, 0));
	WRITE_ONCE(r->slots[r->tail % PGHOT_DEFER_SLOTS].ready, 0);
	KUNIT_EXPECT_FALSE(test, pghot_defer_pop(r, &d));
	WRITE_ONCE(r->slots[r->tail % PGHOT_DEFER_SLOTS].ready, 1);
	KUNIT_ASSERT_TRUE(test, pghot_defer_pop(r, &d));
	KUNIT_EXPECT_EQ(test, d.pfn, 10);
	KUNIT_ASSERT_TRUE(test, pghot_defer_pop(r, &d));
	KUNIT_EXPECT_EQ(test, d.pfn, 11);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&r->overflow), 0);
}

/* Report accesses from a hard interrupt, as a sampling source would. */
struct pghot_defer_irq {
	struct irq_work work;
	unsigned int nr;	/* accesses to report */
	unsigned int queued, full, other;
	bool in_task;
};

/* A page frame no memory model has: refused as invalid once replayed. */
#define PGHOT_TEST_BAD_PFN	(~0UL >> 8)

static void pghot_defer_irq_fn(struct irq_work *work)
{
	struct pghot_defer_irq *t = container_of(work, struct pghot_defer_irq, work);
	unsigned int i;

	t->in_task = in_task();
	for (i = 0; i < t->nr; i++) {
		int err = __pghot_record_access(PGHOT_TEST_BAD_PFN, NUMA_NO_NODE,
						PGHOT_SRC_INJECT, jiffies);

		if (!err)
			t->queued++;
		else if (err == -EAGAIN)
			t->full++;
		else
			t->other++;
	}
}

static unsigned long pghot_test_event(struct kunit *test, enum vm_event_item item)
{
	unsigned long *ev = kunit_kcalloc(test, NR_VM_EVENT_ITEMS, sizeof(*ev),
					  GFP_KERNEL);
	unsigned long v;

	KUNIT_ASSERT_NOT_NULL(test, ev);
	all_vm_events(ev);
	v = ev[item];
	kunit_kfree(test, ev);
	return v;
}

/*
 * More accesses than a ring holds, from one interrupt: the worker may drain
 * the ring meanwhile from another CPU, so how many are queued varies, but
 * each one must be counted exactly once, replayed (and refused as invalid,
 * here) or dropped as the ring was full.
 */
static void pghot_defer_test_from_hardirq(struct kunit *test)
{
	unsigned long invalid, full;
	struct pghot_defer_irq t = {
		.nr = PGHOT_DEFER_SLOTS + 8,
	};

	if (!IS_ENABLED(CONFIG_VM_EVENT_COUNTERS))
		kunit_skip(test, "needs CONFIG_VM_EVENT_COUNTERS");
	invalid = pghot_test_event(test, PGHOT_REJECT_INVALID);
	full = pghot_test_event(test, PGHOT_DROP_DEFERRED_FULL);

	init_irq_work(&t.work, pghot_defer_irq_fn);
	irq_work_queue(&t.work);
	irq_work_sync(&t.work);
	pghot_defer_flush();

	if (t.other == t.nr)
		kunit_skip(test, "pghot is inert here: no lower-tier memory");
	KUNIT_EXPECT_FALSE(test, t.in_task);
	KUNIT_EXPECT_EQ(test, t.other, 0);
	KUNIT_EXPECT_EQ(test, t.queued + t.full, t.nr);
	KUNIT_EXPECT_GT(test, t.queued, 0);
	KUNIT_EXPECT_EQ(test, pghot_test_event(test, PGHOT_REJECT_INVALID) - invalid,
			t.queued);
	KUNIT_EXPECT_EQ(test, pghot_test_event(test, PGHOT_DROP_DEFERRED_FULL) - full,
			t.full);
}

/* The first node that has a heap, and so a kpromoted; NUMA_NO_NODE if none. */
static int pghot_test_lower_node(void)
{
	int nid;

	for_each_node_state(nid, N_MEMORY)
		if (READ_ONCE(pghot_heaps[nid]))
			return nid;
	return NUMA_NO_NODE;
}

/* Is there a record for @pfn in the live table? */
static bool pghot_test_has_record(unsigned long pfn)
{
	struct pghot_bucket *b = pghot_table_bucket(pghot_table, pfn);
	bool found;

	spin_lock(&b->lock);
	found = pghot_bucket_find(b, pfn);
	spin_unlock(&b->lock);
	return found;
}

/*
 * A lower-tier node that loses its last memory loses its kpromoted, its
 * heap and its records; when memory comes back, so do they.  The memory
 * notifier is called as offline_pages() and online_pages() would, with the
 * node's memory in fact still there.
 */
static void pghot_hotplug_test_node_cycle(struct kunit *test)
{
	int nid = pghot_test_lower_node();
	struct memory_notify mn = { .status_change_nid = nid };
	struct folio *folio;
	unsigned long pfn, offlined;
	HLIST_HEAD(freed);
	int err;

	if (nid == NUMA_NO_NODE)
		kunit_skip(test, "no lower-tier node is tracked here");
	if (!IS_ENABLED(CONFIG_VM_EVENT_COUNTERS))
		kunit_skip(test, "needs CONFIG_VM_EVENT_COUNTERS");

	/* an LRU page on the node, with a record */
	folio = __folio_alloc_node(GFP_HIGHUSER_MOVABLE | __GFP_THISNODE, 0, nid);
	KUNIT_ASSERT_NOT_NULL(test, folio);
	folio_add_lru(folio);
	lru_add_drain();
	pfn = folio_pfn(folio);
	err = pghot_record_now(pfn, NUMA_NO_NODE, PGHOT_SRC_INJECT, 1, jiffies);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_TRUE(test, pghot_test_has_record(pfn));
	KUNIT_EXPECT_TRUE(test, pghot_kpromoted_running(nid));
	offlined = pghot_test_event(test, PGHOT_RECORD_OFFLINED);

	pghot_memory_callback(NULL, MEM_OFFLINE, &mn);
	KUNIT_EXPECT_FALSE(test, pghot_kpromoted_running(nid));
	KUNIT_EXPECT_NULL(test, READ_ONCE(pghot_heaps[nid]));
	KUNIT_EXPECT_FALSE(test, pghot_test_has_record(pfn));
	KUNIT_EXPECT_GE(test, pghot_test_event(test, PGHOT_RECORD_OFFLINED) - offlined, 1);
	/* while the node is gone its pages are not tracked */
	KUNIT_EXPECT_EQ(test, pghot_record_now(pfn, NUMA_NO_NODE,
					       PGHOT_SRC_INJECT, 1, jiffies),
			-EALREADY);

	pghot_memory_callback(NULL, MEM_ONLINE, &mn);
	KUNIT_EXPECT_TRUE(test, pghot_kpromoted_running(nid));
	KUNIT_EXPECT_NOT_NULL(test, READ_ONCE(pghot_heaps[nid]));
	KUNIT_EXPECT_EQ(test, pghot_record_now(pfn, NUMA_NO_NODE,
					       PGHOT_SRC_INJECT, 1, jiffies), 0);
	KUNIT_EXPECT_TRUE(test, pghot_test_has_record(pfn));

	/* leave no history behind for the frame's next owner */
	pghot_table_remove(pghot_table, pfn, &freed);
	pghot_records_free(&freed);
	folio_put(folio);
}

/* Memory coming and going without a node changing state leaves all be. */
static void pghot_hotplug_test_no_node_change(struct kunit *test)
{
	int nid = pghot_test_lower_node();
	struct memory_notify mn = { .status_change_nid = NUMA_NO_NODE };

	if (nid == NUMA_NO_NODE)
		kunit_skip(test, "no lower-tier node is tracked here");
	pghot_memory_callback(NULL, MEM_OFFLINE, &mn);
	pghot_memory_callback(NULL, MEM_ONLINE, &mn);
	KUNIT_EXPECT_TRUE(test, pghot_kpromoted_running(nid));
	KUNIT_EXPECT_NOT_NULL(test, READ_ONCE(pghot_heaps[nid]));
}

static struct kunit_case pghot_hotplug_test_cases[] = {
	KUNIT_CASE(pghot_hotplug_test_node_cycle),
	KUNIT_CASE(pghot_hotplug_test_no_node_change),
	{}
};

static struct kunit_suite pghot_hotplug_test_suite = {
	.name = "pghot_hotplug",
	.test_cases = pghot_hotplug_test_cases,
};

/* Call the handler of vm.@name as a read or a write of @buf. */
static int pghot_test_sysctl(struct kunit *test, const char *name, int write,
			     char *buf, size_t size)
{
	const struct ctl_table *t = pghot_sysctl_find(name);
	size_t len = write ? strlen(buf) : size - 1;
	loff_t pos = 0;
	int err;

	if (!t)
		t = kpromoted_sysctl_find(name);
	KUNIT_ASSERT_NOT_NULL_MSG(test, t, "no vm.%s", name);
	err = t->proc_handler(t, write, buf, &len, &pos);
	if (!write && !err)
		buf[len] = '\0';
	return err;
}

/* A knob, a value in range and values out of it. */
struct pghot_test_knob {
	const char *name;
	const char *valid;
	const char *invalid[3];
};

static const struct pghot_test_knob pghot_test_knobs[] = {
	{ "pghot_enabled", "1", { "2", "-1", "on" } },
	{ "pghot_freq_window_ms", "2000", { "9", "600001", "1s" } },
	{ "pghot_freq_threshold", "3", { "0", "65536", "x" } },
	{ "pghot_max_records", "100", { "0", "4294967296", "-5" } },
	{ "kpromoted_batch", "16", { "0", "1025", "-1" } },
	{ "kpromoted_interval_ms", "500", { "9", "60001", "5e2" } },
	{ "pghot_promote_rate_limit_MBps", "100", { "0", "65537", "abc" } },
};

/*
 * Each handler takes a value in range, and refuses one out of range or
 * malformed with -EINVAL, keeping the value it had.
 */
static void pghot_sysctl_test_handlers(struct kunit *test)
{
	char saved[32], buf[32];
	int i, j;

	if (!pghot_table)
		kunit_skip(test, "no record table: vm.pghot_max_records refuses all");
	for (i = 0; i < ARRAY_SIZE(pghot_test_knobs); i++) {
		const struct pghot_test_knob *k = &pghot_test_knobs[i];

		KUNIT_ASSERT_EQ(test, pghot_test_sysctl(test, k->name, 0, saved,
							sizeof(saved)), 0);
		strscpy(buf, k->valid);
		KUNIT_EXPECT_EQ_MSG(test, pghot_test_sysctl(test, k->name, 1, buf,
							    sizeof(buf)), 0,
				    "%s=%s", k->name, k->valid);
		KUNIT_EXPECT_EQ(test, pghot_test_sysctl(test, k->name, 0, buf,
							sizeof(buf)), 0);
		KUNIT_EXPECT_STREQ_MSG(test, strim(buf), k->valid, "%s", k->name);
		for (j = 0; j < ARRAY_SIZE(k->invalid); j++) {
			strscpy(buf, k->invalid[j]);
			KUNIT_EXPECT_EQ_MSG(test, pghot_test_sysctl(test, k->name, 1,
								    buf, sizeof(buf)),
					    -EINVAL, "%s=%s", k->name, k->invalid[j]);
			KUNIT_EXPECT_EQ(test, pghot_test_sysctl(test, k->name, 0,
								buf, sizeof(buf)), 0);
			KUNIT_EXPECT_STREQ_MSG(test, strim(buf), k->valid,
					       "%s changed by %s", k->name,
					       k->invalid[j]);
		}
		KUNIT_EXPECT_EQ(test, pghot_test_sysctl(test, k->name, 1, saved,
							sizeof(saved)), 0);
	}
}

/* vm.pghot_enabled is the static key, both ways. */
static void pghot_sysctl_test_enabled_key(struct kunit *test)
{
	bool was = pghot_enabled();
	char buf[8];

	strscpy(buf, "1");
	KUNIT_ASSERT_EQ(test, pghot_test_sysctl(test, "pghot_enabled", 1, buf,
						sizeof(buf)), 0);
	KUNIT_EXPECT_TRUE(test, pghot_enabled());
	strscpy(buf, "0");
	KUNIT_ASSERT_EQ(test, pghot_test_sysctl(test, "pghot_enabled", 1, buf,
						sizeof(buf)), 0);
	KUNIT_EXPECT_FALSE(test, pghot_enabled());
	KUNIT_EXPECT_EQ(test, pghot_record_access(0, NUMA_NO_NODE,
						  PGHOT_SRC_INJECT, jiffies),
			-ENODEV);
	strscpy(buf, was ? "1" : "0");
	pghot_test_sysctl(test, "pghot_enabled", 1, buf, sizeof(buf));
}

static struct kunit_case pghot_sysctl_test_cases[] = {
	KUNIT_CASE(pghot_sysctl_test_handlers),
	KUNIT_CASE(pghot_sysctl_test_enabled_key),
	{}
};

static struct kunit_suite pghot_sysctl_test_suite = {
	.name = "pghot_sysctl",
	.test_cases = pghot_sysctl_test_cases,
};

static struct kunit_case pghot_defer_test_cases[] = {
	KUNIT_CASE(pghot_defer_test_ring_order),
	KUNIT_CASE(pghot_defer_test_wrap_and_publish),
	KUNIT_CASE(pghot_defer_test_from_hardirq),
	{}
};

static struct kunit_suite pghot_defer_test_suite = {
	.name = "pghot_defer",
	.test_cases = pghot_defer_test_cases,
};

kunit_test_suites(&pghot_target_test_suite, &pghot_freq_test_suite,
		  &pghot_table_test_suite, &pghot_boot_test_suite,
		  &pghot_defer_test_suite, &pghot_hotplug_test_suite,
		  &pghot_sysctl_test_suite);

MODULE_DESCRIPTION("KUnit tests for pghot");
MODULE_LICENSE("GPL");
