/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the record path and lifecycle, included at the end of
 * record.c so that they reach its static functions and state: the pghot=
 * boot option (pghot_boot), lower-tier nodes coming and going
 * (pghot_hotplug), folios freed (pghot_free), and the sysctl handlers
 * (pghot_sysctl).
 */
#ifdef CONFIG_PGHOT_KUNIT_TEST

#ifndef _PGHOT_RECORD_KUNIT_H
#define _PGHOT_RECORD_KUNIT_H

#include <kunit/test.h>
#include <linux/irq_work.h>
#include <linux/sched/task_stack.h>
#include <linux/swap.h>
#include <linux/vmalloc.h>

#include "kunit-common.h"

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

/* The first node pghot tracks, so with a kpromoted; NUMA_NO_NODE if none. */
static int pghot_test_lower_node(void)
{
	int nid;

	for_each_node_state(nid, N_MEMORY)
		if (rcu_access_pointer(pghot_nodes[nid]))
			return nid;
	return NUMA_NO_NODE;
}

/* Does @nid have a node object with a running kpromoted? */
static bool pghot_test_kpromoted_running(int nid)
{
	struct pghot_node *pn;

	guard(mutex)(&pghot_nodes_lock);
	pn = pghot_node_get_locked(nid);
	return pn && pn->task && pn->heap;
}

/* Is there a record for @pfn in table @t? */
static bool pghot_test_table_has(struct pghot_table *t, unsigned long pfn)
{
	struct pghot_bucket *b = pghot_table_bucket(t, pfn);
	bool found;

	spin_lock(&b->lock);
	found = pghot_bucket_find(b, pfn);
	spin_unlock(&b->lock);
	return found;
}

/* Is there a record for @pfn in the live table? */
static bool pghot_test_has_record(unsigned long pfn)
{
	return pghot_test_table_has(pghot_table, pfn);
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
	folio = pghot_test_lru_folio(nid);
	KUNIT_ASSERT_NOT_NULL(test, folio);
	pfn = folio_pfn(folio);
	err = pghot_record_now(pfn, NUMA_NO_NODE, PGHOT_SRC_INJECT, 1, jiffies);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_TRUE(test, pghot_test_has_record(pfn));
	KUNIT_EXPECT_TRUE(test, pghot_test_kpromoted_running(nid));
	offlined = pghot_test_event(test, PGHOT_RECORD_OFFLINED);

	pghot_memory_callback(NULL, MEM_OFFLINE, &mn);
	KUNIT_EXPECT_FALSE(test, pghot_test_kpromoted_running(nid));
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(pghot_nodes[nid]));
	KUNIT_EXPECT_FALSE(test, pghot_test_has_record(pfn));
	KUNIT_EXPECT_GE(test, pghot_test_event(test, PGHOT_RECORD_OFFLINED) - offlined, 1);
	/* while the node is gone its pages are not tracked */
	KUNIT_EXPECT_EQ(test, pghot_record_now(pfn, NUMA_NO_NODE,
					       PGHOT_SRC_INJECT, 1, jiffies),
			-EALREADY);

	pghot_memory_callback(NULL, MEM_ONLINE, &mn);
	KUNIT_EXPECT_TRUE(test, pghot_test_kpromoted_running(nid));
	KUNIT_EXPECT_NOT_NULL(test, rcu_access_pointer(pghot_nodes[nid]));
	KUNIT_EXPECT_EQ(test, pghot_record_now(pfn, NUMA_NO_NODE,
					       PGHOT_SRC_INJECT, 1, jiffies), 0);
	KUNIT_EXPECT_TRUE(test, pghot_test_has_record(pfn));

	/* leave no history behind for the frame's next owner */
	pghot_table_remove(pghot_table, pfn, &freed);
	pghot_records_free(pghot_record_cache, &freed);
	folio_put(folio);
}

/* Records queued on @nid's heap; -1 if pghot does not track @nid. */
static int pghot_test_queued(int nid)
{
	struct pghot_node *pn;
	int n = -1;

	guard(mutex)(&pghot_nodes_lock);
	pn = pghot_node_get_locked(nid);
	if (pn) {
		spin_lock(&pn->heap->lock);
		n = pn->heap->heap.nr;
		spin_unlock(&pn->heap->lock);
	}
	return n;
}

/*
 * Review finding 2: a node whose last memory goes while one of its records
 * is hot, queued on its heap, gets it out of the heap before the heap and
 * the record are freed (pghot_heap_free() warns about a heap still in use,
 * and the heap would point at freed memory).
 */
static void pghot_hotplug_test_hot_record(struct kunit *test)
{
	int nid = pghot_test_lower_node();
	struct memory_notify mn = { .status_change_nid = nid };
	struct folio *folio;
	unsigned long pfn;
	HLIST_HEAD(freed);

	if (nid == NUMA_NO_NODE)
		kunit_skip(test, "no lower-tier node is tracked here");
	if (pghot_enabled())
		kunit_skip(test, "pghot is on: kpromoted would promote the page");
	folio = pghot_test_lru_folio(nid);
	KUNIT_ASSERT_NOT_NULL(test, folio);
	pfn = folio_pfn(folio);
	KUNIT_EXPECT_EQ(test, pghot_record_now(pfn, NUMA_NO_NODE, PGHOT_SRC_INJECT,
					       U16_MAX, jiffies), 0);
	KUNIT_EXPECT_GE(test, pghot_test_queued(nid), 1);

	pghot_memory_callback(NULL, MEM_OFFLINE, &mn);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(pghot_nodes[nid]));
	KUNIT_EXPECT_FALSE(test, pghot_test_has_record(pfn));
	pghot_memory_callback(NULL, MEM_ONLINE, &mn);
	KUNIT_EXPECT_TRUE(test, pghot_test_kpromoted_running(nid));
	KUNIT_EXPECT_EQ(test, pghot_test_queued(nid), 0);
	pghot_table_remove(pghot_table, pfn, &freed);
	pghot_records_free(pghot_record_cache, &freed);
	folio_put(folio);
}

/* The node of the page behind @addr, from the direct map or vmalloc. */
static int pghot_test_addr_nid(const void *addr)
{
	return page_to_nid(is_vmalloc_addr(addr) ? vmalloc_to_page(addr) :
						   virt_to_page(addr));
}

/*
 * Review finding 11: a node's object (kpromoted's arrays) and kpromoted's
 * task and stack live where kswapd's and kcompactd's do, not on the
 * CPU-less lower-tier node itself, whose offlining such unmovable
 * allocations would block.
 */
static void pghot_hotplug_test_placement(struct kunit *test)
{
	int nid = pghot_test_lower_node();
	struct pghot_node *pn;
	int obj = -1, task = -1, stack = -1;

	if (nid == NUMA_NO_NODE)
		kunit_skip(test, "no lower-tier node is tracked here");
	scoped_guard(mutex, &pghot_nodes_lock) {
		pn = pghot_node_get_locked(nid);
		if (pn && pn->task) {
			obj = pghot_test_addr_nid(pn);
			task = pghot_test_addr_nid(pn->task);
			stack = pghot_test_addr_nid(task_stack_page(pn->task));
		}
	}
	KUNIT_EXPECT_GE(test, obj, 0);
	KUNIT_EXPECT_NE(test, obj, nid);
	KUNIT_EXPECT_NE(test, task, nid);
	KUNIT_EXPECT_NE(test, stack, nid);
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
	KUNIT_EXPECT_TRUE(test, pghot_test_kpromoted_running(nid));
	KUNIT_EXPECT_NOT_NULL(test, rcu_access_pointer(pghot_nodes[nid]));
}

static struct kunit_case pghot_hotplug_test_cases[] = {
	KUNIT_CASE(pghot_hotplug_test_node_cycle),
	KUNIT_CASE(pghot_hotplug_test_hot_record),
	KUNIT_CASE(pghot_hotplug_test_placement),
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
	const struct ctl_table *t = NULL;
	size_t len = write ? strlen(buf) : size - 1;
	loff_t pos = 0;
	int err, i;

	for (i = 0; i < ARRAY_SIZE(pghot_sysctls); i++)
		if (!strcmp(pghot_sysctls[i].procname, name))
			t = &pghot_sysctls[i];
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

/*
 * Review finding 12: the shrinker looks at what it is asked to, not the
 * whole table three times over in direct reclaim, and says how much it
 * looked at.  Sixteen cold records are there to be found.
 */
static void pghot_shrink_test_bounded(struct kunit *test)
{
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL, .nr_to_scan = 4 };
	int nid = pghot_test_lower_node(), i, n;
	struct folio *folios[16];
	HLIST_HEAD(freed);
	unsigned long ret;

	if (nid == NUMA_NO_NODE)
		kunit_skip(test, "no lower-tier node is tracked here");
	for (i = 0; i < ARRAY_SIZE(folios); i++) {
		folios[i] = pghot_test_lru_folio(nid);
		if (!folios[i])
			break;
	}
	KUNIT_EXPECT_EQ(test, i, ARRAY_SIZE(folios));
	for (n = 0; n < i; n++)
		KUNIT_EXPECT_EQ(test, pghot_record_now(folio_pfn(folios[n]),
						       NUMA_NO_NODE,
						       PGHOT_SRC_INJECT, 1,
						       jiffies), 0);

	ret = pghot_shrink_scan(NULL, &sc);
	KUNIT_EXPECT_NE(test, ret, SHRINK_STOP);
	KUNIT_EXPECT_GE(test, sc.nr_scanned, sc.nr_to_scan);
	KUNIT_EXPECT_LE(test, sc.nr_scanned, 3 * sc.nr_to_scan);
	KUNIT_EXPECT_GE(test, ret, 1);
	KUNIT_EXPECT_LE(test, ret, sc.nr_scanned);

	for (i = 0; i < n; i++) {
		pghot_table_remove(pghot_table, folio_pfn(folios[i]), &freed);
		folio_put(folios[i]);
	}
	pghot_records_free(pghot_record_cache, &freed);
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
	/* records outlive a switch-off, and must still go with their folios */
	KUNIT_EXPECT_TRUE(test, static_key_enabled(&pghot_free_key));
	strscpy(buf, "0");
	KUNIT_ASSERT_EQ(test, pghot_test_sysctl(test, "pghot_enabled", 1, buf,
						sizeof(buf)), 0);
	KUNIT_EXPECT_FALSE(test, pghot_enabled());
	KUNIT_EXPECT_EQ(test, pghot_record_access(0, NUMA_NO_NODE,
						  PGHOT_SRC_INJECT, 1, jiffies),
			-ENODEV);
	strscpy(buf, was ? "1" : "0");
	pghot_test_sysctl(test, "pghot_enabled", 1, buf, sizeof(buf));
}

/*
 * Review finding 7: a frame's history ends with its folio.  The free hook is
 * armed as switching pghot on arms it, and stays so, as it does then.
 */
static int pghot_free_test_init(struct kunit *test)
{
	int nid = pghot_test_lower_node();

	if (nid == NUMA_NO_NODE)
		kunit_skip(test, "no lower-tier node is tracked here");
	if (!IS_ENABLED(CONFIG_VM_EVENT_COUNTERS))
		kunit_skip(test, "needs CONFIG_VM_EVENT_COUNTERS");
	if (pghot_enabled())
		kunit_skip(test, "pghot is on: kpromoted would promote the page");
	static_branch_enable(&pghot_free_key);
	test->priv = (void *)(long)nid;
	return 0;
}

/* A folio freed takes its record with it; its frame's next owner has none. */
static void pghot_free_test_freed(struct kunit *test)
{
	int nid = (long)test->priv;
	unsigned long pfn, freed;
	struct folio *folio;

	folio = pghot_test_lru_folio(nid);
	KUNIT_ASSERT_NOT_NULL(test, folio);
	pfn = folio_pfn(folio);
	KUNIT_EXPECT_EQ(test, pghot_record_now(pfn, NUMA_NO_NODE,
					       PGHOT_SRC_INJECT, 1, jiffies), 0);
	KUNIT_EXPECT_TRUE(test, pghot_test_has_record(pfn));
	freed = pghot_test_event(test, PGHOT_RECORD_FREED);

	folio_put(folio);
	KUNIT_EXPECT_FALSE(test, pghot_test_has_record(pfn));
	KUNIT_EXPECT_EQ(test, pghot_test_event(test, PGHOT_RECORD_FREED) - freed,
			1);
}

/* A hot record leaves its heap too, before the record is freed. */
static void pghot_free_test_hot(struct kunit *test)
{
	int nid = (long)test->priv;
	struct folio *folio;
	unsigned long pfn;
	int queued;

	queued = pghot_test_queued(nid);
	folio = pghot_test_lru_folio(nid);
	KUNIT_ASSERT_NOT_NULL(test, folio);
	pfn = folio_pfn(folio);
	KUNIT_EXPECT_EQ(test, pghot_record_now(pfn, NUMA_NO_NODE,
					       PGHOT_SRC_INJECT, U16_MAX,
					       jiffies), 0);
	KUNIT_EXPECT_EQ(test, pghot_test_queued(nid), queued + 1);

	folio_put(folio);
	KUNIT_EXPECT_FALSE(test, pghot_test_has_record(pfn));
	KUNIT_EXPECT_EQ(test, pghot_test_queued(nid), queued);
}

struct pghot_free_irq {
	struct irq_work work;
	struct page *page;
};

static void pghot_free_test_irq_fn(struct irq_work *work)
{
	__pghot_free_page(container_of(work, struct pghot_free_irq, work)->page);
}

/*
 * A page freed in an interrupt, which cannot take a bucket lock, has its
 * record dropped from the ring of deferred accesses.  The hook is called
 * from a hard interrupt for a page that stays allocated: freeing a user
 * page there is not allowed everywhere (PREEMPT_RT).
 */
static void pghot_free_test_from_irq(struct kunit *test)
{
	int nid = (long)test->priv;
	struct pghot_free_irq t = {
		.work = IRQ_WORK_INIT_HARD(pghot_free_test_irq_fn),
	};
	struct folio *folio;
	unsigned long pfn;

	folio = pghot_test_lru_folio(nid);
	KUNIT_ASSERT_NOT_NULL(test, folio);
	pfn = folio_pfn(folio);
	KUNIT_EXPECT_EQ(test, pghot_record_now(pfn, NUMA_NO_NODE,
					       PGHOT_SRC_INJECT, 1, jiffies), 0);
	t.page = &folio->page;
	irq_work_queue(&t.work);
	irq_work_sync(&t.work);
	pghot_defer_flush();
	KUNIT_EXPECT_FALSE(test, pghot_test_has_record(pfn));
	folio_put(folio);
}

/*
 * A report of any frame of a large folio counts for the folio, in the
 * record of its first frame: the one lookup of the free hook finds it, and
 * kpromoted, which promotes whole folios from their first frame, sees it.
 */
static void pghot_free_test_large(struct kunit *test)
{
	int nid = (long)test->priv;
	struct folio *folio;
	unsigned long pfn;

	folio = __folio_alloc_node(GFP_HIGHUSER_MOVABLE | __GFP_THISNODE |
				   __GFP_NOWARN, 2, nid);
	if (!folio)
		kunit_skip(test, "no order-2 folio on node %d", nid);
	folio_add_lru(folio);
	lru_add_drain();
	pfn = folio_pfn(folio);
	KUNIT_EXPECT_EQ(test, pghot_record_now(pfn + 3, NUMA_NO_NODE,
					       PGHOT_SRC_INJECT, 1, jiffies), 0);
	KUNIT_EXPECT_TRUE(test, pghot_test_has_record(pfn));
	KUNIT_EXPECT_FALSE(test, pghot_test_has_record(pfn + 3));

	folio_put(folio);
	KUNIT_EXPECT_FALSE(test, pghot_test_has_record(pfn));
}

/*
 * A folio freed while the table grows has its record in the old table or,
 * once moved, in the new one: the free hook finds it in either.  The grow
 * is held half-way, one record moved and the other not, while both folios
 * are freed.
 */
static void pghot_free_test_during_grow(struct kunit *test)
{
	int nid = (long)test->priv;
	struct folio *moved, *stays = NULL;
	struct pghot_table *old, *t;
	unsigned long pm, ps = 0;
	int tries;

	moved = pghot_test_lru_folio(nid);
	KUNIT_ASSERT_NOT_NULL(test, moved);
	pm = folio_pfn(moved);
	/* two frames of different chains; rarely takes a second try */
	for (tries = 0; tries < 4; tries++) {
		if (stays)
			folio_put(stays);
		stays = pghot_test_lru_folio(nid);
		if (!stays)
			break;
		ps = folio_pfn(stays);
		if (pghot_table_bucket(pghot_table, ps) !=
		    pghot_table_bucket(pghot_table, pm))
			break;
	}
	if (!stays || tries == 4) {
		if (stays)
			folio_put(stays);
		folio_put(moved);
		KUNIT_FAIL(test, "no second frame of another chain on node %d", nid);
		return;
	}
	KUNIT_EXPECT_EQ(test, pghot_record_now(pm, NUMA_NO_NODE,
					       PGHOT_SRC_INJECT, 1, jiffies), 0);
	KUNIT_EXPECT_EQ(test, pghot_record_now(ps, NUMA_NO_NODE,
					       PGHOT_SRC_INJECT, 1, jiffies), 0);

	mutex_lock(&pghot_nodes_lock);
	old = pghot_table;
	t = pghot_table_grow_begin(old->bits + 1);
	if (!t) {
		mutex_unlock(&pghot_nodes_lock);
		folio_put(stays);
		folio_put(moved);
		kunit_skip(test, "no memory for a larger table");
	}
	pghot_table_move(old, t, pghot_table_bucket(old, pm) - old->buckets, 1);
	KUNIT_EXPECT_TRUE(test, pghot_test_table_has(t, pm));
	KUNIT_EXPECT_TRUE(test, pghot_test_table_has(old, ps));

	folio_put(moved);
	folio_put(stays);
	KUNIT_EXPECT_FALSE(test, pghot_test_table_has(t, pm));
	KUNIT_EXPECT_FALSE(test, pghot_test_table_has(old, ps));
	KUNIT_EXPECT_FALSE(test, pghot_test_table_has(t, ps));

	pghot_table_grow_move(old, t);
	pghot_table_grow_end(old, t);
	mutex_unlock(&pghot_nodes_lock);
}

static struct kunit_case pghot_free_test_cases[] = {
	KUNIT_CASE(pghot_free_test_freed),
	KUNIT_CASE(pghot_free_test_hot),
	KUNIT_CASE(pghot_free_test_from_irq),
	KUNIT_CASE(pghot_free_test_large),
	KUNIT_CASE(pghot_free_test_during_grow),
	{}
};

static struct kunit_suite pghot_free_test_suite = {
	.name = "pghot_free",
	.init = pghot_free_test_init,
	.test_cases = pghot_free_test_cases,
};

static struct kunit_case pghot_sysctl_test_cases[] = {
	KUNIT_CASE(pghot_sysctl_test_handlers),
	KUNIT_CASE(pghot_sysctl_test_enabled_key),
	{}
};

static struct kunit_suite pghot_sysctl_test_suite = {
	.name = "pghot_sysctl",
	.test_cases = pghot_sysctl_test_cases,
};

static struct kunit_case pghot_shrink_test_cases[] = {
	KUNIT_CASE(pghot_shrink_test_bounded),
	{}
};

static struct kunit_suite pghot_shrink_test_suite = {
	.name = "pghot_shrink",
	.test_cases = pghot_shrink_test_cases,
};

kunit_test_suites(&pghot_boot_test_suite, &pghot_hotplug_test_suite,
		  &pghot_free_test_suite, &pghot_sysctl_test_suite,
		  &pghot_shrink_test_suite);

#endif /* _PGHOT_RECORD_KUNIT_H */

#endif /* CONFIG_PGHOT_KUNIT_TEST */
