// SPDX-License-Identifier: GPL-2.0
/*
 * pghot: kpromoted, the per-node promotion threads.
 *
 * One kpromoted<N> per lower-tier node N.  It wakes when a record of N's
 * pages turns hot (and every vm.kpromoted_interval_ms), pops the hottest
 * records off N's heap, re-validates each page frame, isolates the folios,
 * and migrates them in batches to their top-tier target.  Every candidate
 * ends in exactly one counter: promoted, or the reason it was not.
 *
 * See Documentation/admin-guide/mm/pghot.rst.
 */
#define pr_fmt(fmt) "pghot: " fmt

#include <linux/freezer.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/memory-tiers.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/mmzone.h>
#include <linux/pghot.h>
#include <linux/sched.h>
#include <linux/sched/sysctl.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysctl.h>
#include <linux/vmstat.h>
#include <linux/wait.h>
#include <kunit/visibility.h>

#include <trace/events/pghot.h>

#include "../internal.h"
#include "internal.h"

/* The most candidates one round may take; vm.kpromoted_batch's ceiling. */
#define KPROMOTED_BATCH_MAX	1024
/* Buckets each round of a kpromoted thread ages. */
#define KPROMOTED_AGE_BUCKETS	1024

static unsigned int sysctl_kpromoted_batch = 256;
static unsigned int sysctl_kpromoted_interval_ms = 1000;
static unsigned int sysctl_pghot_promote_rate_limit = 256;

struct kpromoted {
	struct task_struct *task;
	wait_queue_head_t wait;
	int nid;
	unsigned int age_cursor;
	struct pghot_candidate batch[KPROMOTED_BATCH_MAX];
	/* per candidate: its folio once isolated, and its target node */
	struct folio *folios[KPROMOTED_BATCH_MAX];
	int targets[KPROMOTED_BATCH_MAX];
};

static struct kpromoted *kpromoted[MAX_NUMNODES];

/*
 * The promotion rate limit is per target node: several kpromoted threads
 * may promote to the same node, and its budget is what is being protected.
 */
struct pghot_rate {
	spinlock_t lock;	/* protects start and nr_pages */
	unsigned long start;	/* jiffies at the start of the 1 s window */
	unsigned long nr_pages;	/* promoted in the window */
};

static struct pghot_rate pghot_rates[MAX_NUMNODES];

/**
 * pghot_kpromoted_wake() - a record of @nid's pages turned hot
 * @nid: the lower-tier node
 */
void pghot_kpromoted_wake(int nid)
{
	struct kpromoted *k;

	/* pghot_kpromoted_stop() frees it after a grace period */
	guard(rcu)();
	k = READ_ONCE(kpromoted[nid]);
	/*
	 * Pairs with the implicit barrier in wait_event_freezable_timeout()
	 * such that wakeups are not missed.
	 */
	if (k && wq_has_sleeper(&k->wait))
		wake_up_interruptible(&k->wait);
}

/*
 * The budget in MB/s: vm.pghot_promote_rate_limit_MBps, and in NUMA
 * balancing's memory-tiering mode, whose hint faults pghot then takes over,
 * no more than kernel.numa_balancing_promote_rate_limit_MBps either.
 */
static unsigned int pghot_rate_limit_mbps(void)
{
	unsigned int mbps = READ_ONCE(sysctl_pghot_promote_rate_limit);

#ifdef CONFIG_NUMA_BALANCING
	if (READ_ONCE(sysctl_numa_balancing_mode) & NUMA_BALANCING_MEMORY_TIERING)
		mbps = min(mbps,
			   READ_ONCE(sysctl_numa_balancing_promote_rate_limit));
#endif
	return mbps;
}

/* Take @nr_pages from @target's budget for this second. */
static bool pghot_rate_ok(int target, unsigned long nr_pages)
{
	/* MB/s to pages per second, as numa_balancing_promote_rate_limit_MBps */
	unsigned long limit = (unsigned long)pghot_rate_limit_mbps() <<
			      (20 - PAGE_SHIFT);
	struct pghot_rate *r = &pghot_rates[target];

	guard(spinlock)(&r->lock);
	if (time_after_eq(jiffies, r->start + HZ)) {
		r->start = jiffies;
		r->nr_pages = 0;
	}
	if (r->nr_pages + nr_pages > limit)
		return false;
	r->nr_pages += nr_pages;
	return true;
}

/*
 * Does @nid have room for a folio of @order above its high watermark: that
 * many free pages, and a free block of that order to put it in?
 */
static bool pghot_node_has_room(int nid, unsigned int order)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	int z;

	for (z = pgdat->nr_zones - 1; z >= 0; z--) {
		struct zone *zone = pgdat->node_zones + z;

		if (!managed_zone(zone))
			continue;
		if (zone_watermark_ok(zone, order,
				      high_wmark_pages(zone) + (1UL << order),
				      ZONE_MOVABLE, 0))
			return true;
	}
	return false;
}

/**
 * pghot_choose_target() - where to promote a folio of node @nid to
 * @accessor: the node of the last access, or NUMA_NO_NODE
 * @nid: the lower-tier node the folio is on
 * @order: the folio's order
 *
 * The accessing node when it is a top-tier memory node with room, so the
 * folio lands next to its user; otherwise the top-tier node nearest to
 * @nid by node_distance() that has room, the lowest id on a tie.  Room is
 * a free block of @order, and its pages free above the high watermark: a
 * large folio is promoted whole or not at all.  Never a node below the top
 * tier.
 *
 * Return: the target node, or NUMA_NO_NODE if no top-tier node has room.
 */
VISIBLE_IF_KUNIT int pghot_choose_target(int accessor, int nid,
					 unsigned int order)
{
	int node, best = NUMA_NO_NODE, best_dist = INT_MAX;

	if (accessor != NUMA_NO_NODE && node_state(accessor, N_MEMORY) &&
	    node_is_toptier(accessor) && pghot_node_has_room(accessor, order))
		return accessor;
	for_each_node_state(node, N_MEMORY) {
		int dist;

		if (!node_is_toptier(node))
			continue;
		dist = node_distance(nid, node);
		if (dist < best_dist && pghot_node_has_room(node, order)) {
			best = node;
			best_dist = dist;
		}
	}
	return best;
}
EXPORT_SYMBOL_IF_KUNIT(pghot_choose_target);

/*
 * No top-tier node had room for a folio of @order from @nid: wake kswapd on
 * the node pghot would have picked first, the accessing node if it is a
 * top-tier memory node, else the top-tier node nearest to @nid, as NUMA
 * balancing does when its target is full.  kswapd reclaims (and demotes)
 * to make room, up to the promotion watermark in memory-tiering mode.
 */
static void pghot_wake_kswapd(int accessor, int nid, unsigned int order)
{
	int node, best = NUMA_NO_NODE, best_dist = INT_MAX, z;
	pg_data_t *pgdat;

	if (accessor != NUMA_NO_NODE && node_state(accessor, N_MEMORY) &&
	    node_is_toptier(accessor)) {
		best = accessor;
	} else {
		for_each_node_state(node, N_MEMORY) {
			if (node_is_toptier(node) &&
			    node_distance(nid, node) < best_dist) {
				best = node;
				best_dist = node_distance(nid, node);
			}
		}
	}
	if (best == NUMA_NO_NODE)
		return;
	pgdat = NODE_DATA(best);
	for (z = pgdat->nr_zones - 1; z >= 0; z--) {
		if (managed_zone(pgdat->node_zones + z)) {
			wakeup_kswapd(pgdat->node_zones + z, 0, order,
				      ZONE_MOVABLE);
			return;
		}
	}
}

/*
 * The folio at @pfn with a reference, if it is still an LRU folio on @nid;
 * the damon_get_folio() recipe.
 */
static struct folio *pghot_get_folio(unsigned long pfn, int nid)
{
	struct page *page = pfn_to_online_page(pfn);
	struct folio *folio;

	if (!page)
		return NULL;
	folio = page_folio(page);
	if (!folio_test_lru(folio) || !folio_try_get(folio))
		return NULL;
	if (unlikely(page_folio(page) != folio || !folio_test_lru(folio) ||
		     folio_nid(folio) != nid)) {
		folio_put(folio);
		return NULL;
	}
	return folio;
}

/*
 * Re-validate candidate @i and isolate its folio into k->folios[i], with
 * its target in k->targets[i].  On failure, *@why is the counter that
 * explains it.
 */
static bool kpromoted_prepare(struct kpromoted *k, int i,
			      const struct pghot_params *p,
			      enum vm_event_item *why)
{
	struct pghot_candidate *c = &k->batch[i];
	unsigned long nr_pages;
	struct folio *folio;
	int target;

	folio = pghot_get_folio(c->pfn, k->nid);
	if (!folio) {
		*why = KPROMOTED_FAIL_MOVED;
		return false;
	}
	nr_pages = folio_nr_pages(folio);
	/* migrate_pages() would split it, and promote its pieces one by one */
	if (folio_test_large(folio) && folio_test_partially_mapped(folio)) {
		*why = KPROMOTED_FAIL_ISOLATE;
		goto fail;
	}
	if (pghot_table_freq(pghot_table, c->pfn, jiffies, p) < p->threshold) {
		*why = KPROMOTED_FAIL_COLD;
		goto fail;
	}
	target = pghot_choose_target(c->nid, k->nid, folio_order(folio));
	if (target == NUMA_NO_NODE) {
		*why = KPROMOTED_FAIL_TARGET_FULL;
		pghot_wake_kswapd(c->nid, k->nid, folio_order(folio));
	} else if (!pghot_rate_ok(target, nr_pages)) {
		*why = KPROMOTED_FAIL_RATELIMIT;
	} else if (!folio_isolate_lru(folio)) {
		*why = KPROMOTED_FAIL_ISOLATE;
	} else {
		goto isolated;
	}
fail:
	folio_put(folio);
	return false;

isolated:
	/* migrate_folio_done() and putback_movable_pages() undo this */
	node_stat_mod_folio(folio, NR_ISOLATED_ANON + folio_is_file_lru(folio),
			    nr_pages);
	folio_put(folio);	/* isolation holds its own reference */
	k->folios[i] = folio;
	k->targets[i] = target;
	return true;
}

/*
 * The new folio for @src on node @nid: there or nowhere, without reclaim
 * or compaction, as NUMA balancing allocates for a misplaced folio.  A
 * large folio gets a folio of its own order or none.
 */
static struct folio *pghot_alloc_target(struct folio *src, unsigned long nid)
{
	unsigned int order = folio_order(src);
	gfp_t gfp = __GFP_THISNODE;

	if (order)
		gfp |= GFP_TRANSHUGE_LIGHT;
	else
		gfp |= (GFP_HIGHUSER_MOVABLE & ~__GFP_RECLAIM) |
		       __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN;
	return __folio_alloc_node(gfp, order, nid);
}

/* Migrate the isolated folios of @k bound for @target; returns how many. */
static unsigned int kpromoted_migrate(struct kpromoted *k, int n, int target)
{
	unsigned int nr_succeeded = 0, isolated = 0, left;
	LIST_HEAD(folios);
	int i;

	for (i = 0; i < n; i++) {
		if (!k->folios[i] || k->targets[i] != target)
			continue;
		list_add_tail(&k->folios[i]->lru, &folios);
		k->folios[i] = NULL;
		isolated++;
	}
	migrate_pages(&folios, pghot_alloc_target, NULL, target, MIGRATE_ASYNC,
		      MR_PGHOT, &nr_succeeded);
	/*
	 * What could not be migrated is left on the list.  Large folios are
	 * never split here (partially mapped ones are not isolated), so
	 * each entry left is one candidate; stay safe if that ever changes.
	 */
	left = min_t(unsigned int, list_count_nodes(&folios), isolated);
	if (!list_empty(&folios))
		putback_movable_pages(&folios);
	count_vm_events(KPROMOTED_FAIL_MIGRATE, left);
	return isolated - left;
}

/* One round: pop, re-validate, isolate, migrate by target, count. */
static void kpromoted_promote(struct kpromoted *k)
{
	struct pghot_heap *h = pghot_heaps[k->nid];
	unsigned int batch = READ_ONCE(sysctl_kpromoted_batch);
	struct pghot_params p;
	unsigned int promoted = 0;
	HLIST_HEAD(freed);
	int i, n = 0;

	pghot_params_get(&p);
	spin_lock(&h->lock);
	while (n < batch && pghot_heap_pop(h, &k->batch[n]))
		n++;
	spin_unlock(&h->lock);
	if (!n)
		return;
	count_vm_events(KPROMOTED_CANDIDATE, n);

	for (i = 0; i < n; i++) {
		enum vm_event_item why;

		k->folios[i] = NULL;
		if (!kpromoted_prepare(k, i, &p, &why))
			pghot_count_drop(k->batch[i].pfn, why);
		cond_resched();
	}
	for (i = 0; i < n; i++) {
		if (k->folios[i])
			promoted += kpromoted_migrate(k, n, k->targets[i]);
	}
	count_vm_events(KPROMOTED_PROMOTED, promoted);
	trace_kpromoted_batch(k->nid, n, promoted, n - promoted);

	/*
	 * A promoted page left its frame behind, and a frame that vanished
	 * or changed hands tells nothing about what is there now: drop the
	 * records of every candidate that is no longer an LRU folio here.
	 */
	for (i = 0; i < n; i++) {
		struct folio *folio = pghot_get_folio(k->batch[i].pfn, k->nid);

		if (folio)
			folio_put(folio);
		else
			pghot_table_remove(pghot_table, k->batch[i].pfn, &freed);
	}
	pghot_records_free(&freed);
}

/* Retire a slice of the table's cold and stale records. */
static void kpromoted_age(struct kpromoted *k)
{
	struct pghot_params p;
	HLIST_HEAD(freed);
	unsigned long n;

	pghot_params_get(&p);
	n = pghot_table_age(pghot_table, &k->age_cursor, KPROMOTED_AGE_BUCKETS,
			    jiffies, &p, 0, &freed);
	count_vm_events(PGHOT_RECORD_AGED, n);
	pghot_records_free(&freed);
}

static bool kpromoted_has_work(struct kpromoted *k)
{
	return pghot_enabled() && READ_ONCE(pghot_heaps[k->nid]->heap.nr);
}

static int kpromoted_fn(void *data)
{
	struct kpromoted *k = data;

	set_freezable();
	while (!kthread_should_stop()) {
		unsigned long timeout =
			msecs_to_jiffies(READ_ONCE(sysctl_kpromoted_interval_ms));

		wait_event_freezable_timeout(k->wait,
					     kthread_should_stop() ||
					     kpromoted_has_work(k), timeout);
		if (kthread_should_stop())
			break;
		count_vm_event(KPROMOTED_WAKE);
		if (pghot_enabled())
			kpromoted_promote(k);
		kpromoted_age(k);
	}
	return 0;
}

/* Wake kpromoted<nid>, if there is one, whether or not it has work. */
static void pghot_kpromoted_kick(int nid)
{
	struct kpromoted *k;

	guard(rcu)();
	k = READ_ONCE(kpromoted[nid]);
	if (k)
		wake_up_interruptible(&k->wait);
}

static int kpromoted_interval_sysctl_handler(const struct ctl_table *table,
					     int write, void *buffer,
					     size_t *lenp, loff_t *ppos)
{
	int err = proc_douintvec_minmax(table, write, buffer, lenp, ppos);
	int nid;

	/* a shorter interval takes effect now, not after the old one */
	if (!err && write)
		for_each_node(nid)
			pghot_kpromoted_kick(nid);
	return err;
}

static unsigned int kpromoted_batch_max = KPROMOTED_BATCH_MAX;
static unsigned int kpromoted_interval_ms_min = 10;
static unsigned int kpromoted_interval_ms_max = 60000;
static unsigned int pghot_rate_limit_max = 65536;

static struct ctl_table kpromoted_sysctls[] = {
	{
		.procname	= "kpromoted_batch",
		.data		= &sysctl_kpromoted_batch,
		.maxlen		= sizeof(sysctl_kpromoted_batch),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &kpromoted_batch_max,
	},
	{
		.procname	= "kpromoted_interval_ms",
		.data		= &sysctl_kpromoted_interval_ms,
		.maxlen		= sizeof(sysctl_kpromoted_interval_ms),
		.mode		= 0644,
		.proc_handler	= kpromoted_interval_sysctl_handler,
		.extra1		= &kpromoted_interval_ms_min,
		.extra2		= &kpromoted_interval_ms_max,
	},
	{
		.procname	= "pghot_promote_rate_limit_MBps",
		.data		= &sysctl_pghot_promote_rate_limit,
		.maxlen		= sizeof(sysctl_pghot_promote_rate_limit),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &pghot_rate_limit_max,
	},
};

#if IS_ENABLED(CONFIG_PGHOT_KUNIT_TEST)
/* The vm.kpromoted_* entry called @name, for the KUnit tests of the handlers. */
const struct ctl_table *kpromoted_sysctl_find(const char *name)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(kpromoted_sysctls); i++)
		if (!strcmp(kpromoted_sysctls[i].procname, name))
			return &kpromoted_sysctls[i];
	return NULL;
}
#endif

/**
 * pghot_kpromoted_run() - start kpromoted for a lower-tier node
 * @nid: the node; it has a heap
 *
 * Return: 0 or a negative errno.
 */
int pghot_kpromoted_run(int nid)
{
	struct kpromoted *k;

	k = kvzalloc_node(sizeof(*k), GFP_KERNEL, nid);
	if (!k)
		return -ENOMEM;
	k->nid = nid;
	init_waitqueue_head(&k->wait);
	k->task = kthread_create_on_node(kpromoted_fn, k, nid, "kpromoted%d",
					 nid);
	if (IS_ERR(k->task)) {
		int err = PTR_ERR(k->task);

		pr_err("cannot start kpromoted%d: %d\n", nid, err);
		kvfree(k);
		return err;
	}
	WRITE_ONCE(kpromoted[nid], k);
	wake_up_process(k->task);
	return 0;
}

/**
 * pghot_kpromoted_stop() - stop the kpromoted of a node going away
 * @nid: the node
 *
 * Returns once the thread has exited; it does not touch the node's heap
 * afterwards.
 */
void pghot_kpromoted_stop(int nid)
{
	struct kpromoted *k = kpromoted[nid];

	if (!k)
		return;
	WRITE_ONCE(kpromoted[nid], NULL);
	/* no waker still looks at k after this */
	synchronize_rcu();
	kthread_stop(k->task);
	kvfree(k);
}

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * pghot_kpromoted_running() - does @nid have a kpromoted?
 * @nid: the node
 *
 * Return: true if a kpromoted thread runs for @nid.
 */
bool pghot_kpromoted_running(int nid)
{
	return READ_ONCE(kpromoted[nid]);
}
EXPORT_SYMBOL_IF_KUNIT(pghot_kpromoted_running);
#endif

/**
 * pghot_kpromoted_init() - set up what the promotion threads share
 */
void __init pghot_kpromoted_init(void)
{
	int nid;

	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		spin_lock_init(&pghot_rates[nid].lock);
		pghot_rates[nid].start = jiffies;
	}
	register_sysctl_init("vm", kpromoted_sysctls);
}
