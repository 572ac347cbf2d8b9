// SPDX-License-Identifier: GPL-2.0
/*
 * pghot: hot page tracking and promotion for tiered memory.
 *
 * Access sources (NUMA hint faults, page-table scans, hardware samples)
 * report the page frames they see accessed; pghot keeps a frequency record
 * per frame and a per-node kernel thread promotes the hottest frames of each
 * lower-tier node to a top-tier node.
 *
 * This file owns the record path and pghot's lifecycle: the record table
 * and its slab cache, the per-node objects (&struct pghot_node) of the
 * lower-tier nodes as memory comes and goes, the tunables and their
 * sysctls, the shrinker and the pghot= boot option.  It drives kpromoted
 * (promote.c) and the rings of deferred accesses (defer.c); neither calls
 * back into it.
 *
 * See Documentation/mm/pghot.rst.
 */
#define pr_fmt(fmt) "pghot: " fmt

#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/limits.h>
#include <linux/local_lock.h>
#include <linux/log2.h>
#include <linux/memory.h>
#include <linux/memory-tiers.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/numa.h>
#include <linux/percpu.h>
#include <linux/pghot.h>
#include <linux/sched.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysctl.h>
#include <linux/topology.h>
#include <linux/vmstat.h>

#include "internal.h"

#define CREATE_TRACE_POINTS
#include <trace/events/pghot.h>

DEFINE_STATIC_KEY_FALSE(pghot_enabled_key);
/*
 * Armed when pghot is first switched on, and then for good: records stay
 * while pghot is off, and must still go with their folios.
 */
DEFINE_STATIC_KEY_FALSE(pghot_free_key);

/* The default cap is one record per this many lower-tier pages... */
#define PGHOT_PAGES_PER_RECORD	16
/* ... within these bounds; the ceiling is one record per lower-tier page. */
#define PGHOT_RECORDS_MIN	1024UL
#define PGHOT_RECORDS_MAX	(256UL * 1024 * 1024)
/* Buckets a walk of the table visits between two chances to reschedule. */
#define PGHOT_WALK_CHUNK	1024U
/* vm.pghot_max_records may go up to this many records per bucket. */
#define PGHOT_MAX_LOAD		4

/*
 * The tunables.  Written by the sysctl handlers below, each field whole;
 * read with READ_ONCE() and no lock (see &struct pghot_config).
 */
static struct pghot_config pghot_config = {
	.window_ms = 1000,
	.threshold = 2,
	.kpromoted_batch = 256,
	.kpromoted_interval_ms = 1000,
	.rate_limit_mbps = 256,
};

/* "pghot=on|off" on the kernel command line; -1 when not given */
static int pghot_boot_state __initdata = -1;

/*
 * Serialises lower-tier nodes coming and going (memory hotplug) with the
 * creation of the table, and the debugfs readers of the nodes with both.
 */
DEFINE_MUTEX(pghot_nodes_lock);

/*
 * The records' slab cache, created at boot and never destroyed: destroying
 * it takes cpus_read_lock(), which memory hotplug already holds when the
 * table is created.
 *
 * The record table: created under pghot_nodes_lock when the first
 * lower-tier node is seen, and published with smp_store_release(); readers
 * take it with READ_ONCE(), whose address dependency orders their use of it.
 * A node is published only after the table, so code handed a node uses the
 * table through it.  When lower-tier memory comes or the cap goes up, the
 * table is replaced by a larger one, with its records moved over
 * (pghot_table_grow()); the old one is freed after a grace period, and all
 * who use the table are excluded meanwhile:
 *  - the record path is an RCU reader that drops the access while
 *    pghot_table_moving is set;
 *  - kpromoted (for a round) and the shrinker hold pghot_table_sem for
 *    reading, the grower holds it for writing;
 *  - the rest holds pghot_nodes_lock, as the grower does.
 */
static struct pghot_table *pghot_table;
static struct kmem_cache *pghot_record_cache;
/*
 * The table being filled while pghot_table_moving is set, NULL otherwise:
 * a folio freed meanwhile has its record in the one or the other.
 */
static struct pghot_table *pghot_table_next;
static DECLARE_RWSEM(pghot_table_sem);
static bool pghot_table_moving;

/* Aging of the table, shared by the kpromoted threads (see struct pghot_aging). */
static struct pghot_aging pghot_aging = {
	.lock = __MUTEX_INITIALIZER(pghot_aging.lock),
};

/*
 * The per-node objects, NULL for nodes pghot does not track.  Written under
 * pghot_nodes_lock: rcu_assign_pointer() of a complete object, and on the
 * way out RCU_INIT_POINTER(NULL) followed by synchronize_rcu() before the
 * object is torn down.  Readers are RCU readers (a bucket lock holder is
 * one) or hold pghot_nodes_lock; see pghot_node_deref().
 */
static struct pghot_node __rcu *pghot_nodes[MAX_NUMNODES];

/*
 * One free record per CPU, so that the record path never allocates under
 * a lock: it takes this one under the bucket lock, and a new one is
 * allocated once the lock is dropped, or before the next report takes the
 * lock should that have failed (pghot_spare_refill()).  The record path
 * uses its CPU's slot under @lock, a local_lock_t: preemption off, except
 * on PREEMPT_RT, where it is a per-CPU lock that may sleep, as the bucket
 * and heap spinlocks taken under it do.  The refill fills an empty slot
 * with this_cpu_cmpxchg() outside the lock; pghot_init() fills every slot
 * before there is a table.
 */
struct pghot_spare {
	local_lock_t lock;
	struct pghot_record *rec;
};

static DEFINE_PER_CPU(struct pghot_spare, pghot_spare) = {
	.lock = INIT_LOCAL_LOCK(lock),
};

/* @nid's object, for an RCU reader or a holder of pghot_nodes_lock. */
static struct pghot_node *pghot_node_deref(int nid)
{
	if (nid < 0 || nid >= MAX_NUMNODES)
		return NULL;
	return rcu_dereference_check(pghot_nodes[nid],
				     rcu_read_lock_any_held() ||
				     lockdep_is_held(&pghot_nodes_lock));
}

/**
 * pghot_node_get_locked() - the object of a tracked node
 * @nid: a node id
 *
 * The caller holds pghot_nodes_lock, which keeps the object alive.
 *
 * Return: the object, or NULL if pghot does not track @nid.
 */
struct pghot_node *pghot_node_get_locked(int nid)
{
	if (nid < 0 || nid >= MAX_NUMNODES)
		return NULL;
	return rcu_dereference_protected(pghot_nodes[nid],
					 lockdep_is_held(&pghot_nodes_lock));
}

/**
 * pghot_table_get() - the record table
 *
 * The caller holds pghot_nodes_lock, under which the table is not replaced
 * by a larger one, or knows that no memory comes online meanwhile.
 *
 * Return: the table, or NULL while no lower-tier node was ever seen.
 */
struct pghot_table *pghot_table_get(void)
{
	return READ_ONCE(pghot_table);
}

/* The table's heap lookup: the heap of @nid's object, if it has one. */
static struct pghot_heap *pghot_heap_of(void *arg, int nid)
{
	struct pghot_node *pn = pghot_node_deref(nid);

	return pn ? pn->heap : NULL;
}

static void pghot_params_update(void)
{
	WRITE_ONCE(pghot_config.model.window,
		   msecs_to_jiffies(READ_ONCE(pghot_config.window_ms)));
	WRITE_ONCE(pghot_config.model.threshold,
		   READ_ONCE(pghot_config.threshold));
}

/**
 * __pghot_tracks_node() - see pghot_tracks_node()
 * @nid: a node id
 *
 * Return: true if pghot has a record table and a heap for @nid.
 */
bool __pghot_tracks_node(int nid)
{
	return nid >= 0 && nid < MAX_NUMNODES && READ_ONCE(pghot_table) &&
	       rcu_access_pointer(pghot_nodes[nid]);
}

/*
 * Find @pfn's node and the first frame of its folio, for which the record
 * is kept, or count and return why it cannot be recorded.  With no
 * reference to the folio, it may be split or freed meanwhile: kpromoted
 * re-validates that the record's frame still starts an LRU folio.
 */
static int pghot_check_pfn(unsigned long pfn, int *page_nid,
			   unsigned long *head_pfn)
{
	struct page *page = pfn_to_online_page(pfn);

	if (!page) {
		bool valid = pfn_valid(pfn);

		pghot_count_drop(pfn, valid ? PGHOT_REJECT_OFFLINE :
					      PGHOT_REJECT_INVALID);
		return valid ? -ENOENT : -EINVAL;
	}
	*page_nid = page_to_nid(page);
	if (!__pghot_tracks_node(*page_nid)) {
		pghot_count_drop(pfn, PGHOT_REJECT_TOPTIER);
		return -EALREADY;
	}
	if (!PageLRU(page)) {
		pghot_count_drop(pfn, PGHOT_REJECT_NONLRU);
		return -EBUSY;
	}
	*head_pfn = folio_pfn(page_folio(page));
	return 0;
}

/*
 * Give this CPU a spare record if it has none, outside every lock: a CPU
 * left without one could never insert again.  Failing is not fatal, the
 * next report on this CPU tries again (and one that needs a new record
 * meanwhile is dropped, counted in pghot_drop_nomem).  The caller keeps
 * the task on this CPU.
 */
static void pghot_spare_refill(void)
{
	struct pghot_record *spare;

	if (this_cpu_read(pghot_spare.rec))
		return;
	spare = kmem_cache_zalloc(pghot_record_cache, GFP_NOWAIT | __GFP_NOWARN);
	if (spare && this_cpu_cmpxchg(pghot_spare.rec, NULL, spare))
		kmem_cache_free(pghot_record_cache, spare);
}

/* A record of @nid's pages turned hot: wake its kpromoted. */
static void pghot_wake(int nid)
{
	struct pghot_node *pn;

	/* the node is freed after a grace period */
	guard(rcu)();
	pn = pghot_node_deref(nid);
	if (pn)
		kpromoted_wake(pn);
}

/*
 * Record an access, in task context.  Returns as pghot_record_access(), and
 * whether the access put the record on its heap in *@hot.
 */
static int pghot_record_task(unsigned long pfn, int nid, int src,
			     unsigned int weight, unsigned long now, bool *hot)
{
	struct pghot_record *spare;
	struct pghot_params p;
	enum pghot_outcome ret;
	unsigned long head;
	int page_nid, err;

	*hot = false;
	BUILD_BUG_ON(PGHOT_RECORD_INJECT - PGHOT_RECORD_HINT_FAULT !=
		     PGHOT_SRC_INJECT);
	BUILD_BUG_ON(MAX_NUMNODES > S16_MAX);

	if (src < 0 || src >= NR_PGHOT_SRC ||
	    (nid != NUMA_NO_NODE &&
	     (nid < 0 || nid >= MAX_NUMNODES || !node_online(nid)))) {
		pghot_count_drop(pfn, PGHOT_REJECT_INVALID);
		return -EINVAL;
	}
	err = pghot_check_pfn(pfn, &page_nid, &head);
	if (err)
		return err;
	pfn = head;

	pghot_params_get(&pghot_config, &p);
	/*
	 * Stay on this CPU from the refill to the use of its spare: on
	 * PREEMPT_RT the task may otherwise move between them and leave this
	 * CPU without one (the local lock alone pins it only while held).
	 */
	migrate_disable();
	pghot_spare_refill();
	rcu_read_lock();
	/* pairs with the release that ends the move in pghot_table_grow_end() */
	if (smp_load_acquire(&pghot_table_moving)) {
		rcu_read_unlock();
		migrate_enable();
		pghot_count_drop(pfn, PGHOT_DROP_RESIZING);
		return -EAGAIN;
	}
	/* The spare is per CPU: own this CPU's while the core may take it. */
	local_lock(&pghot_spare.lock);
	ret = pghot_table_record(READ_ONCE(pghot_table), pfn, nid, page_nid,
				 weight, now, &p, this_cpu_ptr(&pghot_spare.rec));
	spare = this_cpu_read(pghot_spare.rec);
	local_unlock(&pghot_spare.lock);
	rcu_read_unlock();
	/* one taken now is replaced now, not at the next report */
	if (!spare)
		pghot_spare_refill();
	migrate_enable();

	switch (ret) {
	case PGHOT_NO_SPARE:
		pghot_count_drop(pfn, PGHOT_DROP_NOMEM);
		err = -ENOMEM;
		break;
	case PGHOT_TABLE_FULL:
		pghot_count_drop(pfn, PGHOT_DROP_TABLE_FULL);
		err = -ENOSPC;
		break;
	/*
	 * A recycled record is a dead one retired, as aging would have done,
	 * and a new one created in its place.
	 */
	case PGHOT_RECYCLED_HOT:
		count_vm_event(PGHOT_RECORD_AGED);
		fallthrough;
	case PGHOT_NEW_HOT:
		count_vm_event(PGHOT_RECORD_CREATED);
		fallthrough;
	case PGHOT_HIT_HOT:
		*hot = true;
		count_vm_event(PGHOT_HEAP_INSERT);
		trace_pghot_record_hot(pfn, page_nid, nid, src);
		pghot_wake(page_nid);
		break;
	case PGHOT_RECYCLED:
		count_vm_event(PGHOT_RECORD_AGED);
		fallthrough;
	case PGHOT_NEW:
		count_vm_event(PGHOT_RECORD_CREATED);
		break;
	case PGHOT_RECYCLED_HEAP_FULL:
		count_vm_event(PGHOT_RECORD_AGED);
		fallthrough;
	case PGHOT_NEW_HEAP_FULL:
		count_vm_event(PGHOT_RECORD_CREATED);
		fallthrough;
	case PGHOT_HEAP_FULL:
		count_vm_event(PGHOT_HEAP_NO_ROOM);
		break;
	case PGHOT_HIT:
		break;
	}
	if (!err)
		count_vm_event(PGHOT_RECORD_HINT_FAULT + src);
	return err;
}

/* Record an access in task context; also the rings' replay of accesses. */
static int pghot_record_now(unsigned long pfn, int nid, int src,
			    unsigned int weight, unsigned long now)
{
	bool hot;

	return pghot_record_task(pfn, nid, src, weight, now, &hot);
}

/**
 * __pghot_record_access_hot() - report an access, and learn if it made the
 *	page hot
 * @pfn: the page frame that was accessed
 * @nid: node of the accessing CPU, or NUMA_NO_NODE if unknown
 * @src: the source, an &enum pghot_src
 * @weight: how many accesses the report stands for
 * @now: time of the access, in jiffies
 * @hot: set to whether the report put the page on its node's heap, queued
 *	for kpromoted, and false if it did not
 *
 * As pghot_record_access(), in task context only, for a source that keeps
 * statistics of its own about the promotions it causes.
 *
 * Return: as pghot_record_access().
 */
int __pghot_record_access_hot(unsigned long pfn, int nid, enum pghot_src src,
			      unsigned int weight, unsigned long now, bool *hot)
{
	*hot = false;
	if (WARN_ON_ONCE(!in_task())) {
		pghot_count_drop(pfn, PGHOT_REJECT_INVALID);
		return -EINVAL;
	}
	weight = clamp_val(weight, 1, U16_MAX);
	return pghot_record_task(pfn, nid, src, weight, now, hot);
}

/*
 * Drop @pfn's record from @t.  With @peek, a chain that a lockless look
 * finds empty is left alone: most frames have no record.
 */
static bool pghot_table_forget(struct pghot_table *t, unsigned long pfn,
			       bool peek, struct hlist_head *freed)
{
	if (peek && hlist_empty(&pghot_table_bucket(t, pfn)->head))
		return false;
	return pghot_table_remove(t, pfn, freed);
}

/*
 * The folio at @pfn was freed: end the frame's history, in task context.
 *
 * While the table grows, a record is in the old table or, once moved, in
 * the new one, and it moves under both chains' locks: looking in the old
 * one and then in the new one, each chain under its lock, cannot miss it.
 * pghot_table_next is read first, and goes back to NULL only after the new
 * table is published: whoever finds it NULL finds the table it stood for.
 */
static void pghot_forget(unsigned long pfn)
{
	struct pghot_table *t, *next;
	HLIST_HEAD(freed);
	bool gone = false;

	rcu_read_lock();
	/* pairs with the release in pghot_table_grow() */
	next = smp_load_acquire(&pghot_table_next);
	t = READ_ONCE(pghot_table);
	if (t)
		gone = pghot_table_forget(t, pfn, !next, &freed);
	if (next && next != t)
		gone |= pghot_table_forget(next, pfn, false, &freed);
	rcu_read_unlock();

	if (gone) {
		pghot_records_free(pghot_record_cache, &freed);
		count_vm_event(PGHOT_RECORD_FREED);
	}
}

/*
 * May a page freed here take a bucket lock?  Bucket and heap locks are
 * taken with interrupts and bottom halves on, so not in an interrupt, which
 * may have come while this CPU holds one, nor where interrupts or bottom
 * halves are off, where the caller may hold a lock that an interrupt takes
 * (lockdep would see the order inverted).  On PREEMPT_RT they sleep: not
 * where the caller may not.
 */
static bool pghot_free_may_lock(void)
{
	if (in_interrupt() || irqs_disabled())
		return false;
	return !IS_ENABLED(CONFIG_PREEMPT_RT) || preemptible();
}

/**
 * __pghot_free_page() - see pghot_free_page()
 * @page: the first page of what is being freed
 *
 * Records are kept for the first frame of a folio, so one lookup serves a
 * folio of any order.  Where a bucket lock may not be taken
 * (pghot_free_may_lock()), the frame goes to this CPU's ring of deferred
 * accesses, and its record when the ring is replayed.  Should the ring be
 * full, the record stays until kpromoted finds no LRU folio starting at
 * the frame, or a cold one, or aging retires it; the loss is counted in
 * pghot_drop_deferred_full.
 */
void __pghot_free_page(struct page *page)
{
	unsigned long pfn;
	int err;

	if (!__pghot_tracks_node(page_to_nid(page)))
		return;
	pfn = page_to_pfn(page);
	if (pghot_free_may_lock()) {
		pghot_forget(pfn);
		return;
	}
	err = pghot_defer_access(pfn, NUMA_NO_NODE, PGHOT_FORGET, 1, 0);
	/* a full ring counts its own drops */
	if (err && err != -EAGAIN)
		count_vm_event(PGHOT_DROP_DEFERRED_UNSUPP);
}

static void pghot_replay(unsigned long pfn, int nid, int src,
			 unsigned int weight, unsigned long now)
{
	if (src == PGHOT_FORGET)
		pghot_forget(pfn);
	else
		pghot_record_now(pfn, nid, src, weight, now);
}

/**
 * __pghot_record_access() - see pghot_record_access()
 * @pfn: the page frame that was accessed
 * @nid: node of the accessing CPU, or NUMA_NO_NODE if unknown
 * @src: the source, an &enum pghot_src
 * @weight: how many accesses the report stands for
 * @now: time of the access, in jiffies
 *
 * Return: as pghot_record_access().
 */
int __pghot_record_access(unsigned long pfn, int nid, enum pghot_src src,
			  unsigned int weight, unsigned long now)
{
	int err;

	weight = clamp_val(weight, 1, U16_MAX);
	if (in_task())
		return pghot_record_now(pfn, nid, src, weight, now);
	/* bucket locks are not irq-safe: defer what cannot take them */
	err = pghot_defer_access(pfn, nid, src, weight, now);
	/*
	 * Every outcome is counted.  In an NMI, on an architecture whose
	 * this_cpu ops are not NMI-safe, a count may be lost, never more.
	 */
	if (err == -ENODEV || err == -EOPNOTSUPP)
		count_vm_event(PGHOT_DROP_DEFERRED_UNSUPP);
	return err;
}

/**
 * pghot_latency_weight_ms() - the weight of a scan-to-access latency
 * @latency_ms: time from the scan that armed an access check (a NUMA hint
 *	fault's PTE, say) to the access it caught, in milliseconds
 *
 * A page accessed @latency_ms after the scan is estimated to be accessed
 * vm.pghot_freq_window_ms / @latency_ms times per frequency window: the
 * weight to report it with (pghot_latency_weight() in the core, at the
 * current window).
 *
 * Return: the weight, from 1 to U16_MAX.
 */
unsigned int pghot_latency_weight_ms(unsigned int latency_ms)
{
	return pghot_latency_weight(latency_ms,
				    READ_ONCE(pghot_config.window_ms));
}

/*
 * vm.pghot_enabled: parse into a local and flip the static key only once the
 * value is known to be valid, so a rejected write changes nothing.
 */
static int pghot_enabled_sysctl_handler(const struct ctl_table *table,
					int write, void *buffer, size_t *lenp,
					loff_t *ppos)
{
	int state = static_branch_unlikely(&pghot_enabled_key);
	struct ctl_table t = *table;
	int err;

	t.data = &state;
	err = proc_dointvec_minmax(&t, write, buffer, lenp, ppos);
	if (err < 0 || !write)
		return err;

	if (state) {
		static_branch_enable(&pghot_free_key);
		static_branch_enable(&pghot_enabled_key);
	} else {
		static_branch_disable(&pghot_enabled_key);
	}
	return 0;
}

/* The frequency window and threshold: commit, then refresh the model. */
static int pghot_params_sysctl_handler(const struct ctl_table *table, int write,
				       void *buffer, size_t *lenp, loff_t *ppos)
{
	int err = proc_douintvec_minmax(table, write, buffer, lenp, ppos);

	if (!err && write)
		pghot_params_update();
	return err;
}

/* Set until root writes vm.pghot_max_records: the cap follows the memory. */
static bool pghot_max_records_auto = true;

static int pghot_table_fit(unsigned long records, unsigned int load);

/*
 * The record cap: grow the table if the new cap needs it, then commit, then
 * let the table see it.  A table that cannot grow refuses the write.
 */
static int pghot_max_records_sysctl_handler(const struct ctl_table *table,
					    int write, void *buffer,
					    size_t *lenp, loff_t *ppos)
{
	unsigned int val = READ_ONCE(pghot_config.max_records);
	struct ctl_table t = *table;
	int err;

	/*
	 * Under the lock that creates and grows the table, which sets the cap
	 * and its ceiling: a write racing either would be lost otherwise.
	 */
	guard(mutex)(&pghot_nodes_lock);
	t.data = &val;
	/* uint, not ulong: the ulong parser silently skips negative input */
	err = proc_douintvec_minmax(&t, write, buffer, lenp, ppos);
	if (err || !write)
		return err;
	err = pghot_table_fit(val, PGHOT_MAX_LOAD);
	if (err)
		return err;
	WRITE_ONCE(pghot_config.max_records, val);
	WRITE_ONCE(pghot_table->max_records, val);
	pghot_max_records_auto = false;
	return 0;
}

/* The kpromoted interval: a shorter one takes effect now, not after the old. */
static int kpromoted_interval_sysctl_handler(const struct ctl_table *table,
					     int write, void *buffer,
					     size_t *lenp, loff_t *ppos)
{
	int err = proc_douintvec_minmax(table, write, buffer, lenp, ppos);
	int nid;

	if (err || !write)
		return err;
	guard(rcu)();
	for_each_node(nid) {
		struct pghot_node *pn = pghot_node_deref(nid);

		if (pn)
			kpromoted_kick(pn);
	}
	return 0;
}

static unsigned int pghot_window_ms_min = 10;
static unsigned int pghot_window_ms_max = 600000;
static unsigned int pghot_threshold_max = U16_MAX;
/*
 * One record per lower-tier page present, set under pghot_nodes_lock when
 * the table is created and as lower-tier memory comes; 0, refusing every
 * write, while there is no table.
 */
static unsigned int pghot_max_records_max;
static unsigned int kpromoted_batch_max = KPROMOTED_BATCH_MAX;
static unsigned int kpromoted_interval_ms_min = 10;
static unsigned int kpromoted_interval_ms_max = 60000;
static unsigned int pghot_rate_limit_max = 65536;

static struct ctl_table pghot_sysctls[] = {
	{
		.procname	= "pghot_enabled",
		.data		= NULL,	/* the static key is the state */
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= pghot_enabled_sysctl_handler,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	{
		.procname	= "pghot_freq_window_ms",
		.data		= &pghot_config.window_ms,
		.maxlen		= sizeof(pghot_config.window_ms),
		.mode		= 0644,
		.proc_handler	= pghot_params_sysctl_handler,
		.extra1		= &pghot_window_ms_min,
		.extra2		= &pghot_window_ms_max,
	},
	{
		.procname	= "pghot_freq_threshold",
		.data		= &pghot_config.threshold,
		.maxlen		= sizeof(pghot_config.threshold),
		.mode		= 0644,
		.proc_handler	= pghot_params_sysctl_handler,
		.extra1		= SYSCTL_ONE,
		.extra2		= &pghot_threshold_max,
	},
	{
		.procname	= "pghot_max_records",
		.data		= &pghot_config.max_records,
		.maxlen		= sizeof(pghot_config.max_records),
		.mode		= 0644,
		.proc_handler	= pghot_max_records_sysctl_handler,
		.extra1		= SYSCTL_ONE,
		.extra2		= &pghot_max_records_max,
	},
	{
		.procname	= "kpromoted_batch",
		.data		= &pghot_config.kpromoted_batch,
		.maxlen		= sizeof(pghot_config.kpromoted_batch),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &kpromoted_batch_max,
	},
	{
		.procname	= "kpromoted_interval_ms",
		.data		= &pghot_config.kpromoted_interval_ms,
		.maxlen		= sizeof(pghot_config.kpromoted_interval_ms),
		.mode		= 0644,
		.proc_handler	= kpromoted_interval_sysctl_handler,
		.extra1		= &kpromoted_interval_ms_min,
		.extra2		= &kpromoted_interval_ms_max,
	},
	{
		.procname	= "pghot_promote_rate_limit_MBps",
		.data		= &pghot_config.rate_limit_mbps,
		.maxlen		= sizeof(pghot_config.rate_limit_mbps),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &pghot_rate_limit_max,
	},
};

/* The value of the pghot= boot option: 1 for on, 0 for off, else -EINVAL. */
static int pghot_parse_boot_state(const char *str)
{
	if (str && !strcmp(str, "on"))
		return 1;
	if (str && !strcmp(str, "off"))
		return 0;
	return -EINVAL;
}

static int __init pghot_setup(char *str)
{
	int state = pghot_parse_boot_state(str);

	if (state < 0) {
		pr_warn("ignoring invalid boot option pghot=%s (want on or off)\n",
			str ? str : "");
		return 1;
	}
	pghot_boot_state = state;
	return 1;
}
__setup("pghot=", pghot_setup);

/*
 * The shrinker gives records back under memory pressure, coldest first:
 * records whose history decayed away, then records below the hot
 * threshold, and hot records only when that was not enough.  It is
 * registered only once the table exists.
 */
static DEFINE_MUTEX(pghot_shrink_lock);
static unsigned int pghot_shrink_cursor;	/* under pghot_shrink_lock */
static struct shrinker *pghot_shrinker;

static unsigned long pghot_shrink_count(struct shrinker *shrink,
					struct shrink_control *sc)
{
	long nr;

	/* a table replaced by a larger one is freed after a grace period */
	guard(rcu)();
	nr = atomic_long_read(&READ_ONCE(pghot_table)->nr_records);
	return nr > 0 ? nr : SHRINK_EMPTY;
}

/*
 * Each level looks at as many records as were asked for, from where the
 * last scan stopped and once round the table at most, and the next level
 * is tried only if that did not free enough: at most three times
 * sc->nr_to_scan records, whatever the size of the table, rescheduling
 * between slices of it.
 */
static unsigned long pghot_shrink_scan(struct shrinker *shrink,
				       struct shrink_control *sc)
{
	unsigned long freed_nr = 0, scanned = 0, budget;
	unsigned int levels[3], level, visited, chunk;
	struct pghot_params p;
	HLIST_HEAD(freed);

	/* another reclaimer is at it, or the table grows: go elsewhere */
	if (!down_read_trylock(&pghot_table_sem))
		return SHRINK_STOP;
	if (!mutex_trylock(&pghot_shrink_lock)) {
		up_read(&pghot_table_sem);
		return SHRINK_STOP;
	}
	pghot_params_get(&pghot_config, &p);
	levels[0] = 0;
	levels[1] = p.threshold - 1;
	levels[2] = U16_MAX;
	for (level = 0; level < ARRAY_SIZE(levels) &&
	     freed_nr < sc->nr_to_scan; level++) {
		budget = sc->nr_to_scan;
		for (visited = 0; budget && visited < pghot_table->nr_buckets &&
		     freed_nr < sc->nr_to_scan; visited += chunk) {
			chunk = min(pghot_table->nr_buckets - visited,
				    PGHOT_WALK_CHUNK);
			freed_nr += pghot_table_age_some(pghot_table,
							 &pghot_shrink_cursor,
							 chunk, &budget, jiffies,
							 &p, levels[level],
							 &freed);
			cond_resched();
		}
		scanned += sc->nr_to_scan - budget;
	}
	mutex_unlock(&pghot_shrink_lock);
	up_read(&pghot_table_sem);
	pghot_records_free(pghot_record_cache, &freed);
	count_vm_events(PGHOT_RECORD_SHRUNK, freed_nr);
	/* a scan that looked at nothing must not be called again in vain */
	if (!scanned)
		return SHRINK_STOP;
	sc->nr_scanned = scanned;
	return freed_nr;
}

/* Lower-tier memory present, in pages: what the table is sized for. */
static unsigned long pghot_lower_pages(void)
{
	unsigned long pages = 0;
	int nid;

	for_each_node_state(nid, N_MEMORY)
		if (pghot_promotion_target(nid) != NUMA_NO_NODE)
			pages += node_present_pages(nid);
	return pages;
}

/*
 * The default cap for @lower_pages of lower-tier memory: one record per
 * PGHOT_PAGES_PER_RECORD pages (56 bytes of record and bucket for 64 KiB
 * of memory, under 0.1%).
 */
static unsigned long pghot_default_records(unsigned long lower_pages)
{
	return clamp(lower_pages / PGHOT_PAGES_PER_RECORD, PGHOT_RECORDS_MIN,
		     PGHOT_RECORDS_MAX);
}

/*
 * Create the table, sized for the lower-tier memory present when the first
 * lower-tier node is seen: at boot, or when it comes online later.  One
 * bucket per record of the default cap; pghot_table_follow() grows it as
 * more memory comes.  Nothing to undo on failure but the table itself,
 * which is never published then.
 */
static int pghot_table_create(void)
{
	unsigned long nr = pghot_default_records(pghot_lower_pages());
	struct pghot_table *t;

	lockdep_assert_held(&pghot_nodes_lock);
	t = pghot_table_alloc(order_base_2(nr), nr, pghot_heap_of, NULL);
	if (!t)
		return -ENOMEM;
	pghot_config.max_records = nr;
	pghot_aging.last = jiffies;
	/* the record path tests pghot_table before it uses the table */
	smp_store_release(&pghot_table, t);
	pr_info("up to %lu records (%zu bytes each), %u buckets\n", nr,
		sizeof(struct pghot_record), t->nr_buckets);

	if (pghot_defer_init(pghot_replay))
		pr_warn("no rings for deferred accesses: accesses from interrupts are refused\n");
	pghot_shrinker = shrinker_alloc(0, "pghot-records");
	if (pghot_shrinker) {
		pghot_shrinker->count_objects = pghot_shrink_count;
		pghot_shrinker->scan_objects = pghot_shrink_scan;
		shrinker_register(pghot_shrinker);
	} else {
		pr_warn("no shrinker: records are bounded by vm.pghot_max_records only\n");
	}
	return 0;
}

/*
 * The three steps of pghot_table_grow(), apart for the tests.  Begin: a new
 * table of 2^@bits buckets, with everyone who adds records or walks the
 * table kept out (pghot_table_sem for writing, pghot_table_moving for the
 * record path, after a grace period); the free hook may go on, looking in
 * both tables (pghot_forget()).
 */
static struct pghot_table *pghot_table_grow_begin(unsigned int bits)
{
	struct pghot_table *t;

	t = pghot_table_alloc(bits, pghot_table->max_records, pghot_heap_of,
			      NULL);
	if (!t)
		return NULL;
	down_write(&pghot_table_sem);
	/* pairs with the acquire in pghot_forget(): @t is initialised */
	smp_store_release(&pghot_table_next, t);
	WRITE_ONCE(pghot_table_moving, true);
	synchronize_rcu();
	return t;
}

/* Move every record of @old to @t; returns how many. */
static unsigned long pghot_table_grow_move(struct pghot_table *old,
					   struct pghot_table *t)
{
	unsigned long n = 0;
	unsigned int i;

	for (i = 0; i < old->nr_buckets; i += PGHOT_WALK_CHUNK) {
		n += pghot_table_move(old, t, i, PGHOT_WALK_CHUNK);
		cond_resched();
	}
	return n;
}

/* Publish @t, let everyone back in, and free @old after a grace period. */
static void pghot_table_grow_end(struct pghot_table *old, struct pghot_table *t)
{
	int nid;

	for_each_node(nid) {
		struct pghot_node *pn = pghot_node_get_locked(nid);

		if (pn)
			pn->table = t;
	}
	/* pairs with the READ_ONCE() address dependency of the table's users */
	smp_store_release(&pghot_table, t);
	/* pairs with the acquire in pghot_forget() */
	smp_store_release(&pghot_table_next, NULL);
	/* pairs with the acquire in pghot_record_task() */
	smp_store_release(&pghot_table_moving, false);
	up_write(&pghot_table_sem);
	synchronize_rcu();
	pghot_table_free(old);
}

/*
 * Replace the table by one of 2^@bits buckets, moving every record over
 * with its history and its place in its node's heap.  kpromoted and the
 * shrinker are kept out with pghot_table_sem; the record path, which cannot
 * wait, drops what it is given from the moment pghot_table_moving is set
 * (a grace period later no access is under way) until the new table is
 * published; debugfs and the lifecycle hold pghot_nodes_lock, as the
 * caller does.  The old table is freed a grace period after, once no
 * shrinker count can be reading it.
 */
static int pghot_table_grow(unsigned int bits)
{
	struct pghot_table *old = pghot_table, *t;
	unsigned long n;

	lockdep_assert_held(&pghot_nodes_lock);
	t = pghot_table_grow_begin(bits);
	if (!t)
		return -ENOMEM;
	n = pghot_table_grow_move(old, t);
	pghot_table_grow_end(old, t);
	pr_info("record table grown to %u buckets, %lu records moved\n",
		t->nr_buckets, n);
	return 0;
}

/* Make room for @records records at no more than @load per bucket. */
static int pghot_table_fit(unsigned long records, unsigned int load)
{
	lockdep_assert_held(&pghot_nodes_lock);
	if (!pghot_table)
		return -ENODEV;
	if (records <= (unsigned long)pghot_table->nr_buckets * load)
		return 0;
	return pghot_table_grow(order_base_2(records));
}

/*
 * Lower-tier memory came: raise the cap's ceiling to one record per page of
 * it, and the cap itself, unless root set it, to the default for it, with
 * the table grown to match.  Neither ever goes down: memory that leaves
 * takes its records with it (pghot_node_stop(), aging).
 */
static void pghot_table_follow(void)
{
	unsigned long lower = pghot_lower_pages(), nr;

	lockdep_assert_held(&pghot_nodes_lock);
	if (!pghot_table)
		return;
	nr = pghot_default_records(lower);
	pghot_max_records_max = max_t(unsigned long, pghot_max_records_max,
				      clamp(lower, PGHOT_RECORDS_MIN,
					    PGHOT_RECORDS_MAX));
	if (!pghot_max_records_auto || nr <= pghot_config.max_records)
		return;
	if (pghot_table_fit(nr, 1)) {
		pr_warn("cannot grow the record table: vm.pghot_max_records stays %u\n",
			pghot_config.max_records);
		return;
	}
	WRITE_ONCE(pghot_config.max_records, nr);
	WRITE_ONCE(pghot_table->max_records, nr);
}

/* Free a node that was never published, or is unpublished and idle. */
static void pghot_node_free(struct pghot_node *pn)
{
	pghot_heap_free(pn->heap);
	kvfree(pn);
}

/*
 * Give lower-tier node @nid its object: a heap and a kpromoted; nothing if
 * it is top tier.  The object is complete, kpromoted created but not yet
 * running, when it is published; only then does kpromoted start.
 */
static int pghot_node_start(int nid)
{
	struct pghot_node *pn;
	int err;

	lockdep_assert_held(&pghot_nodes_lock);
	if (pghot_node_get_locked(nid) ||
	    pghot_promotion_target(nid) == NUMA_NO_NODE)
		return 0;
	if (!pghot_table) {
		err = pghot_table_create();
		if (err)
			return err;
	}
	/*
	 * Not on @nid: a CPU-less node is all movable memory, and unmovable
	 * allocations there would keep it from going offline again.
	 */
	pn = kvzalloc(sizeof(*pn), GFP_KERNEL);
	if (!pn)
		return -ENOMEM;
	pn->nid = nid;
	pn->table = pghot_table;
	pn->table_sem = &pghot_table_sem;
	pn->record_cache = pghot_record_cache;
	pn->cfg = &pghot_config;
	pn->aging = &pghot_aging;
	pn->heap = pghot_heap_alloc(PGHOT_HEAP_SIZE);
	if (!pn->heap) {
		kvfree(pn);
		return -ENOMEM;
	}
	err = kpromoted_create(pn);
	if (err) {
		pghot_node_free(pn);
		return err;
	}
	rcu_assign_pointer(pghot_nodes[nid], pn);
	wake_up_process(pn->task);
	pr_info("node %d is lower tier, promotion target node %d\n", nid,
		pghot_promotion_target(nid));
	return 0;
}

/*
 * @nid has no memory left: stop its kpromoted and drop its heap and records.
 * Every user of a node is an RCU reader (a bucket or heap lock holder is
 * one) or holds pghot_nodes_lock, so once the node is unpublished,
 * synchronize_rcu() leaves no one using it but kpromoted, which is stopped
 * next.  A report that passed its checks just before may still create a
 * record for the node; it has no heap, its page frame is offline, and aging
 * retires it.
 */
static void pghot_node_stop(int nid)
{
	struct pghot_node *pn = pghot_node_get_locked(nid);
	unsigned long n;
	unsigned int i;

	lockdep_assert_held(&pghot_nodes_lock);
	if (!pn)
		return;
	RCU_INIT_POINTER(pghot_nodes[nid], NULL);
	synchronize_rcu();
	kpromoted_stop(pn);
	for (i = 0, n = 0; i < pghot_table->nr_buckets; i += PGHOT_WALK_CHUNK) {
		HLIST_HEAD(freed);

		n += pghot_table_drop_node(pghot_table, nid, pn->heap, i,
					   PGHOT_WALK_CHUNK, &freed);
		pghot_records_free(pghot_record_cache, &freed);
		cond_resched();
	}
	count_vm_events(PGHOT_RECORD_OFFLINED, n);
	pghot_node_free(pn);
	pr_info("node %d has no memory left: kpromoted%d stopped, %lu records dropped\n",
		nid, nid, n);
}

/*
 * Runs after the memory-tiers callback (MEMTIER_HOTPLUG_PRI), so that a
 * node that just came online already has its tier.  Every block that comes
 * online may bring lower-tier memory to follow, and may be the chance of a
 * node whose start failed before; a node is stopped when its last memory
 * goes.
 */
static int pghot_memory_callback(struct notifier_block *self,
				 unsigned long action, void *arg)
{
	struct memory_notify *mn = arg;
	int nid = mn->status_change_nid, err;

	guard(mutex)(&pghot_nodes_lock);
	switch (action) {
	case MEM_ONLINE:
		if (nid < 0)
			nid = page_to_nid(pfn_to_page(mn->start_pfn));
		err = pghot_node_start(nid);
		if (err)
			pr_err("cannot track node %d: %d\n", nid, err);
		pghot_table_follow();
		break;
	case MEM_OFFLINE:
		if (nid >= 0)
			pghot_node_stop(nid);
		break;
	}
	return NOTIFY_OK;
}

/*
 * Memory tiers are assigned by memory_tier_late_init(), a late_initcall:
 * run after all of them so that the tiers seen here are the final ones.
 * The slab cache and the per-CPU spare records are made here, whether or
 * not there is a lower tier yet, so that no hotplug path ever has to
 * destroy them.
 */
static int __init pghot_init(void)
{
	int nid, cpu;

	pghot_params_update();
	kpromoted_init();
	register_sysctl_init("vm", pghot_sysctls);

	pghot_record_cache = KMEM_CACHE(pghot_record, 0);
	for_each_possible_cpu(cpu) {
		if (!pghot_record_cache)
			break;
		per_cpu(pghot_spare.rec, cpu) =
			kmem_cache_zalloc(pghot_record_cache, GFP_KERNEL);
	}
	if (!pghot_record_cache) {
		pr_err("cannot create the record cache: pghot stays inert\n");
		return 0;
	}

	/* before the scan, so that no node coming online is missed */
	hotplug_memory_notifier(pghot_memory_callback, MEMTIER_HOTPLUG_PRI - 1);
	scoped_guard(mutex, &pghot_nodes_lock) {
		for_each_node_state(nid, N_MEMORY) {
			int err = pghot_node_start(nid);

			if (err)
				pr_err("cannot track node %d: %d\n", nid, err);
		}
		pghot_table_follow();
	}
	if (pghot_boot_state == 1) {
		static_branch_enable(&pghot_free_key);
		static_branch_enable(&pghot_enabled_key);
	}
	return 0;
}
late_initcall_sync(pghot_init);

#include "tests/record-kunit.h"
