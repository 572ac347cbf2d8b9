// SPDX-License-Identifier: GPL-2.0
/*
 * pghot: kpromoted, the per-node promotion threads, and the choice of
 * where a page is promoted to.
 *
 * One kpromoted<N> per lower-tier node N.  It wakes when a record of N's
 * pages turns hot (and every vm.kpromoted_interval_ms), pops the hottest
 * records off N's heap, re-validates each page frame, isolates the folios,
 * and migrates them in batches to their top-tier target.  Every candidate
 * ends in exactly one counter: promoted, or the reason it was not.
 *
 * This file owns the threads and the per-target promotion budget.  A
 * thread is handed its &struct pghot_node and reads the record table, the
 * heap and the tunables only through it; it never calls back into record.c,
 * which starts and stops it.
 *
 * See Documentation/mm/pghot.rst.
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
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/sched/sysctl.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/swap.h>
#include <linux/vmstat.h>
#include <linux/wait.h>

#include "../internal.h"
#include "internal.h"

/* Buckets aged between two chances to reschedule. */
#define KPROMOTED_AGE_CHUNK	1024
/* The first hold-off after a round that found every target full. */
#define KPROMOTED_BACKOFF_MIN	(HZ / 10UL)

/*
 * The promotion rate limit is per target node: several kpromoted threads
 * may promote to the same node, and its budget is what is being protected.
 * Set up by kpromoted_init(); each entry is used under its own lock.
 */
struct pghot_rate {
	spinlock_t lock;	/* protects start and nr_pages */
	unsigned long start;	/* jiffies at the start of the 1 s window */
	unsigned long nr_pages;	/* promoted in the window */
};

static struct pghot_rate pghot_rates[MAX_NUMNODES];

/**
 * pghot_nearest_toptier() - the top-tier memory node nearest to @nid
 * @nid: the node the pages are on
 * @nr_pages: the room the node must have (migrate_balanced_pgdat()), or 0
 *	when any top-tier memory node will do
 *
 * Nearest by node_distance(), so that pages land as close as possible to
 * the CPUs that share the slow memory; ties go to the lowest node id, to
 * keep the choice stable.  Never a node below the top tier.
 *
 * Return: the node, or NUMA_NO_NODE if no top-tier node qualifies.
 */
static int pghot_nearest_toptier(int nid, unsigned long nr_pages)
{
	int node, best = NUMA_NO_NODE, best_dist = INT_MAX;

	for_each_node_state(node, N_MEMORY) {
		int dist;

		if (!node_is_toptier(node))
			continue;
		dist = node_distance(nid, node);
		if (dist < best_dist &&
		    (!nr_pages || migrate_balanced_pgdat(NODE_DATA(node), nr_pages))) {
			best = node;
			best_dist = dist;
		}
	}
	return best;
}

/**
 * pghot_promotion_target() - the node pages of @nid are promoted to by default
 * @nid: the node the pages are on
 *
 * The top-tier node nearest to @nid, whether it has room or not: it is
 * where kswapd is woken when no top-tier node has room.  A node with a
 * promotion target is a lower-tier node, which pghot tracks.
 *
 * Return: the target node, or NUMA_NO_NODE when @nid is not a memory node,
 * is itself top tier, or no top-tier node has memory.
 */
int pghot_promotion_target(int nid)
{
	if (nid < 0 || nid >= MAX_NUMNODES || !node_state(nid, N_MEMORY))
		return NUMA_NO_NODE;
	if (node_is_toptier(nid))
		return NUMA_NO_NODE;
	return pghot_nearest_toptier(nid, 0);
}

/* Is @nid a top-tier memory node, that a page may be promoted to? */
static bool pghot_toptier_node(int nid)
{
	return nid >= 0 && nid < MAX_NUMNODES && node_state(nid, N_MEMORY) &&
	       node_is_toptier(nid);
}

/**
 * pghot_choose_target() - where to promote a folio of node @nid to
 * @accessor: the node the last access was reported from, or NUMA_NO_NODE
 * @nid: the lower-tier node the folio is on
 * @nr_pages: the folio's size in pages
 *
 * The accessing node, when it is a top-tier memory node, so that the folio
 * lands next to its user; and then that node or none.  A source that
 * reports an accessing node reports where the folio may go: for a hint
 * fault, the node mpol_misplaced() chose within the task's memory policy
 * (MPOL_BIND, MPOL_PREFERRED_MANY) and the source checked against its
 * cpuset.  Another node would be one the task may not use, and NUMA
 * balancing, when that node is full, does not promote either.  Without an
 * accessing node, the top-tier node nearest to @nid that has room.
 *
 * Room is what NUMA balancing asks of a node it promotes to
 * (migrate_balanced_pgdat()): the folio's pages free above the high
 * watermark.  Never a node below the top tier.
 *
 * Return: the target node, or NUMA_NO_NODE if it has no room.
 */
static int pghot_choose_target(int accessor, int nid, unsigned long nr_pages)
{
	if (pghot_toptier_node(accessor))
		return migrate_balanced_pgdat(NODE_DATA(accessor), nr_pages) ?
		       accessor : NUMA_NO_NODE;
	return pghot_nearest_toptier(nid, nr_pages);
}

/*
 * No top-tier node had room for a folio of @order from @nid: wake kswapd on
 * the node pghot would have picked first, the accessing node if it is a
 * top-tier memory node, else the top-tier node nearest to @nid, as NUMA
 * balancing does when its target is full.
 */
static void pghot_wake_kswapd(int accessor, int nid, unsigned int order)
{
	int node = pghot_toptier_node(accessor) ? accessor :
						  pghot_nearest_toptier(nid, 0);

	if (node != NUMA_NO_NODE)
		migrate_wakeup_kswapd(NODE_DATA(node), order);
}

/*
 * The budget in MB/s: vm.pghot_promote_rate_limit_MBps, and in NUMA
 * balancing's memory-tiering mode, whose hint faults pghot then takes over,
 * no more than kernel.numa_balancing_promote_rate_limit_MBps either.
 */
static unsigned int pghot_rate_limit_mbps(const struct pghot_config *cfg)
{
	unsigned int mbps = READ_ONCE(cfg->rate_limit_mbps);

#ifdef CONFIG_NUMA_BALANCING
	if (READ_ONCE(sysctl_numa_balancing_mode) & NUMA_BALANCING_MEMORY_TIERING)
		mbps = min(mbps,
			   READ_ONCE(sysctl_numa_balancing_promote_rate_limit));
#endif
	return mbps;
}

/* Take @nr_pages from @target's budget for this second. */
static bool pghot_rate_ok(const struct pghot_config *cfg, int target,
			  unsigned long nr_pages)
{
	/* MB/s to pages per second, as numa_balancing_promote_rate_limit_MBps */
	unsigned long limit = (unsigned long)pghot_rate_limit_mbps(cfg) <<
			      (20 - PAGE_SHIFT);
	struct pghot_rate *r = &pghot_rates[target];
	bool ok;

	spin_lock(&r->lock);
	if (time_after_eq(jiffies, r->start + HZ)) {
		r->start = jiffies;
		r->nr_pages = 0;
	}
	ok = r->nr_pages + nr_pages <= limit;
	if (ok)
		r->nr_pages += nr_pages;
	spin_unlock(&r->lock);
	return ok;
}

/* The LRU folio at @pfn with a reference, if it is still on node @nid. */
static struct folio *pghot_get_folio(unsigned long pfn, int nid)
{
	struct folio *folio = pfn_lru_folio_get(pfn);

	if (folio && folio_nid(folio) != nid) {
		folio_put(folio);
		return NULL;
	}
	return folio;
}

/*
 * Re-validate candidate @i and isolate its folio into pn->slots[i], with
 * its target.  On failure, *@why is the counter that explains it.
 */
static bool kpromoted_prepare(struct pghot_node *pn, int i,
			      const struct pghot_params *p,
			      enum vm_event_item *why)
{
	struct pghot_candidate *c = &pn->batch[i];
	unsigned long nr_pages;
	struct folio *folio;
	int target;

	folio = pghot_get_folio(c->pfn, pn->nid);
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
	/*
	 * Pinned for DMA, it cannot move: isolating it would unmap it, fail
	 * and remap it, with TLB shootdowns, each time it turns hot.
	 */
	if (folio_maybe_dma_pinned(folio)) {
		*why = KPROMOTED_FAIL_PINNED;
		goto fail;
	}
	if (pghot_table_freq(pn->table, c->pfn, jiffies, p) < p->threshold) {
		*why = KPROMOTED_FAIL_COLD;
		goto fail;
	}
	target = pghot_choose_target(c->nid, pn->nid, nr_pages);
	if (target == NUMA_NO_NODE) {
		*why = KPROMOTED_FAIL_TARGET_FULL;
		pghot_wake_kswapd(c->nid, pn->nid, folio_order(folio));
		goto fail;
	}
	if (!pghot_rate_ok(pn->cfg, target, nr_pages))
		*why = KPROMOTED_FAIL_RATELIMIT;
	else if (!folio_isolate_lru(folio))
		*why = KPROMOTED_FAIL_ISOLATE;
	else
		goto isolated;
fail:
	folio_put(folio);
	return false;

isolated:
	/* migrate_folio_done() and putback_movable_pages() undo this */
	node_stat_mod_folio(folio, NR_ISOLATED_ANON + folio_is_file_lru(folio),
			    nr_pages);
	folio_put(folio);	/* isolation holds its own reference */
	pn->slots[i].folio = folio;
	pn->slots[i].target = target;
	return true;
}

/*
 * In NUMA balancing's memory-tiering mode kpromoted makes the promotions
 * NUMA balancing would make: count @nr_pages promoted from a folio of
 * @memcg to @target as migrate_misplaced_folio() counts a promotion, in
 * numa_pages_migrated (vmstat and memory cgroup) and pgpromote_success.
 * pgpromote_candidate is left alone: it is NUMA balancing's own rate
 * limit's budget.
 */
static void kpromoted_count_promoted(struct mem_cgroup *memcg, int target,
				     unsigned long nr_pages)
{
#ifdef CONFIG_NUMA_BALANCING
	if (!(READ_ONCE(sysctl_numa_balancing_mode) &
	      NUMA_BALANCING_MEMORY_TIERING))
		return;
	count_vm_numa_events(NUMA_PAGE_MIGRATE, nr_pages);
	count_memcg_events(memcg, NUMA_PAGE_MIGRATE, nr_pages);
	mod_lruvec_state(mem_cgroup_lruvec(memcg, NODE_DATA(target)),
			 PGPROMOTE_SUCCESS, nr_pages);
#endif
}

/*
 * Migrate the isolated folios of @pn's candidates @first to @end - 1 that
 * are bound for @target; returns how many.
 */
static unsigned int kpromoted_migrate(struct pghot_node *pn, int first,
				      int end, int target)
{
	unsigned int nr_succeeded, promoted = 0;
	struct folio *folio;
	LIST_HEAD(folios);
	int i;

	for (i = first; i < end; i++) {
		struct kpromoted_slot *slot = &pn->slots[i];

		if (!slot->folio || slot->target != target)
			continue;
		/* the folio is freed once migrated: take what is counted now */
		slot->memcg = get_mem_cgroup_from_folio(slot->folio);
		slot->nr_pages = folio_nr_pages(slot->folio);
		list_add_tail(&slot->folio->lru, &folios);
	}
	/*
	 * The new folio is allocated as NUMA balancing allocates it for a
	 * misplaced folio: on the target or nowhere, without reclaim or
	 * compaction, and a large folio whole or not at all.
	 */
	migrate_pages(&folios, alloc_misplaced_dst_folio, NULL, target,
		      MIGRATE_ASYNC, MR_PGHOT, &nr_succeeded);
	/*
	 * What could not be migrated is left on the list.  The candidates
	 * whose folio is not on it were promoted, with one exception: a large
	 * folio that became partially mapped after it was isolated is split
	 * by migrate_pages() all the same, and its pieces migrated one by one.
	 * Its first piece stands for it, and the pages counted stay within
	 * those migrated.
	 */
	list_for_each_entry(folio, &folios, lru) {
		for (i = first; i < end; i++) {
			struct kpromoted_slot *slot = &pn->slots[i];

			if (slot->folio == folio && slot->target == target) {
				slot->folio = NULL;
				mem_cgroup_put(slot->memcg);
				count_vm_event(KPROMOTED_FAIL_MIGRATE);
				break;
			}
		}
	}
	if (!list_empty(&folios))
		putback_movable_pages(&folios);
	for (i = first; i < end; i++) {
		struct kpromoted_slot *slot = &pn->slots[i];
		unsigned int nr;

		/* only compared above: a promoted folio is gone */
		if (!slot->folio || slot->target != target)
			continue;
		slot->folio = NULL;
		nr = min(slot->nr_pages, nr_succeeded);
		nr_succeeded -= nr;
		kpromoted_count_promoted(slot->memcg, target, nr);
		mem_cgroup_put(slot->memcg);
		promoted++;
	}
	return promoted;
}

/*
 * Candidates @first to @first + @n - 1: re-validate, isolate, migrate by
 * target, count.  Returns how many were promoted.
 */
static unsigned int kpromoted_promote_some(struct pghot_node *pn, int first,
					   int n, const struct pghot_params *p,
					   unsigned int *blocked)
{
	unsigned int promoted = 0;
	int i;

	for (i = first; i < first + n; i++) {
		enum vm_event_item why;

		pn->slots[i].folio = NULL;
		if (!kpromoted_prepare(pn, i, p, &why)) {
			pghot_count_drop(pn->batch[i].pfn, why);
			*blocked += why == KPROMOTED_FAIL_TARGET_FULL ||
				    why == KPROMOTED_FAIL_RATELIMIT;
		}
		cond_resched();
	}
	for (i = first; i < first + n; i++) {
		if (pn->slots[i].folio)
			promoted += kpromoted_migrate(pn, i, first + n,
						      pn->slots[i].target);
	}
	count_vm_events(KPROMOTED_PROMOTED, promoted);
	trace_kpromoted_batch(pn->nid, n, promoted, n - promoted);
	return promoted;
}

/*
 * One round: pop up to vm.kpromoted_batch candidates, then promote them
 * COMPACT_CLUSTER_MAX at a time, as compaction isolates: holding a whole
 * round isolated (up to 1024 folios, 2 GiB of THPs) would throttle reclaim
 * on the node, where demotion allocates, for the whole round.
 *
 * A round that promoted nothing because no target had room or the budget
 * was spent starts a hold-off (kpromoted_has_work()): the candidates' next
 * reports would put them straight back on the heap, and kpromoted would
 * spin on them while kswapd makes room.  The hold-off doubles with each
 * such round, from KPROMOTED_BACKOFF_MIN up to vm.kpromoted_interval_ms,
 * and ends with the first round that promotes or is not blocked.
 */
static void kpromoted_promote(struct pghot_node *pn)
{
	unsigned int batch = READ_ONCE(pn->cfg->kpromoted_batch);
	unsigned int promoted = 0, blocked = 0;
	struct pghot_heap *h = pn->heap;
	struct pghot_params p;
	HLIST_HEAD(freed);
	int i, n = 0;

	pghot_params_get(pn->cfg, &p);
	spin_lock(&h->lock);
	while (n < batch && pghot_heap_pop(h, &pn->batch[n]))
		n++;
	spin_unlock(&h->lock);
	if (!n)
		return;
	count_vm_events(KPROMOTED_CANDIDATE, n);

	for (i = 0; i < n; i += COMPACT_CLUSTER_MAX)
		promoted += kpromoted_promote_some(pn, i,
						   min_t(int, n - i,
							 COMPACT_CLUSTER_MAX),
						   &p, &blocked);
	if (!promoted && blocked) {
		unsigned int ms = READ_ONCE(pn->cfg->kpromoted_interval_ms);
		unsigned long most = msecs_to_jiffies(ms);

		pn->backoff = min(max(pn->backoff * 2, KPROMOTED_BACKOFF_MIN),
				  most);
		pn->resume = jiffies + pn->backoff;
	} else {
		pn->backoff = 0;
	}

	/*
	 * A promoted page left its frame behind, and a frame that vanished
	 * or changed hands tells nothing about what is there now: drop the
	 * records of every candidate that is no longer an LRU folio here.
	 */
	for (i = 0; i < n; i++) {
		struct folio *folio = pghot_get_folio(pn->batch[i].pfn, pn->nid);

		if (folio)
			folio_put(folio);
		else
			pghot_table_remove(pn->table, pn->batch[i].pfn, &freed);
	}
	pghot_records_free(pn->record_cache, &freed);
}

/*
 * Retire the table's cold and stale records, at the rate that visits the
 * whole table once per stale period (pghot_age_budget()), so that a stale
 * record goes within a period of going stale however large the table is.
 * The table is shared: one kpromoted ages at a time, and the others leave
 * it to that one.
 */
static void kpromoted_age(struct pghot_node *pn)
{
	struct pghot_aging *ag = pn->aging;
	unsigned long now = jiffies, n = 0;
	unsigned int budget, chunk;
	struct pghot_params p;

	if (!mutex_trylock(&ag->lock))
		return;
	pghot_params_get(pn->cfg, &p);
	budget = pghot_age_budget(pn->table->nr_buckets, now - ag->last,
				  (unsigned long)p.stale_windows * p.window);
	if (budget)
		ag->last = now;
	while (budget) {
		HLIST_HEAD(freed);

		chunk = min_t(unsigned int, budget, KPROMOTED_AGE_CHUNK);
		n += pghot_table_age(pn->table, &ag->cursor, chunk, now, &p, 0,
				     &freed);
		pghot_records_free(pn->record_cache, &freed);
		budget -= chunk;
		cond_resched();
	}
	mutex_unlock(&ag->lock);
	count_vm_events(PGHOT_RECORD_AGED, n);
}

/* Hot records to promote, and no hold-off (kpromoted_promote()) under way. */
static bool kpromoted_has_work(struct pghot_node *pn)
{
	return pghot_enabled() && READ_ONCE(pn->heap->heap.nr) &&
	       (!pn->backoff || time_after_eq(jiffies, pn->resume));
}

static int kpromoted_fn(void *data)
{
	struct pghot_node *pn = data;

	set_freezable();
	while (!kthread_should_stop()) {
		unsigned long timeout =
			msecs_to_jiffies(READ_ONCE(pn->cfg->kpromoted_interval_ms));

		/* wake up when a hold-off ends */
		if (pn->backoff)
			timeout = min(timeout, pn->backoff);

		wait_event_freezable_timeout(pn->wait,
					     kthread_should_stop() ||
					     kpromoted_has_work(pn), timeout);
		if (kthread_should_stop())
			break;
		count_vm_event(KPROMOTED_WAKE);
		/* the table is not replaced during a round */
		down_read(pn->table_sem);
		if (pghot_enabled())
			kpromoted_promote(pn);
		kpromoted_age(pn);
		up_read(pn->table_sem);
	}
	return 0;
}

/**
 * kpromoted_wake() - a record of @pn's pages turned hot
 * @pn: the node; the caller is an RCU reader that found it published
 */
void kpromoted_wake(struct pghot_node *pn)
{
	/*
	 * Pairs with the implicit barrier in wait_event_freezable_timeout()
	 * such that wakeups are not missed.
	 */
	if (wq_has_sleeper(&pn->wait))
		wake_up_interruptible(&pn->wait);
}

/**
 * kpromoted_kick() - wake @pn's kpromoted whether or not it has work
 * @pn: the node; the caller is an RCU reader that found it published
 *
 * For a tunable that changes when kpromoted wakes next.
 */
void kpromoted_kick(struct pghot_node *pn)
{
	wake_up_interruptible(&pn->wait);
}

/**
 * kpromoted_create() - create the kpromoted thread of a node
 * @pn: the node, complete but for its thread, and not yet published
 *
 * The thread is created stopped; the caller publishes @pn and then lets it
 * run with wake_up_process(@pn->task).
 *
 * Return: 0 or a negative errno, with @pn->task left NULL.
 */
int kpromoted_create(struct pghot_node *pn)
{
	struct task_struct *task;

	init_waitqueue_head(&pn->wait);
	/*
	 * As kswapd and kcompactd: not kthread_create_on_node(), which would
	 * put the task and its stack on the lower-tier node, CPU-less, whose
	 * offlining such unmovable pages would block.
	 */
	task = kthread_create(kpromoted_fn, pn, "kpromoted%d", pn->nid);
	if (IS_ERR(task)) {
		pr_err("cannot start kpromoted%d: %ld\n", pn->nid, PTR_ERR(task));
		return PTR_ERR(task);
	}
	pn->task = task;
	return 0;
}

/**
 * kpromoted_stop() - stop the kpromoted of a node going away
 * @pn: the node, no longer published, after a grace period
 *
 * Returns once the thread has exited; it does not touch @pn afterwards.
 */
void kpromoted_stop(struct pghot_node *pn)
{
	if (!pn->task)
		return;
	kthread_stop(pn->task);
	pn->task = NULL;
}

/**
 * kpromoted_init() - set up what the promotion threads share
 */
void __init kpromoted_init(void)
{
	int nid;

	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		spin_lock_init(&pghot_rates[nid].lock);
		pghot_rates[nid].start = jiffies;
	}
}

#include "tests/promote-kunit.h"
