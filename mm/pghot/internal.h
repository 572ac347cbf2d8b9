/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pghot's private header: the per-node object and the tunables that the
 * record path and lifecycle (record.c) hands to kpromoted (promote.c) and
 * shows in debugfs (debugfs.c).
 *
 * The arrows go one way: record.c owns the record table, the per-node
 * objects and the tunables, starts and stops kpromoted and queues to the
 * defer rings; promote.c and defer.c use only what they are handed and the
 * core (core.c), never record.c.  Access sources do not include this
 * header: they report through include/linux/pghot.h.
 */
#ifndef __MM_PGHOT_INTERNAL_H
#define __MM_PGHOT_INTERNAL_H

#include <linux/compiler.h>
#include <linux/mutex.h>
#include <linux/numa.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/types.h>
#include <linux/vm_event_item.h>
#include <linux/vmstat.h>
#include <linux/wait.h>

#include <trace/events/pghot.h>

#include "core.h"

struct task_struct;

/* A record untouched for this many frequency windows is retired by aging. */
#define PGHOT_STALE_WINDOWS	8
/*
 * A pending record waits this many windows for its confirming report: a
 * page's next hint fault comes one NUMA balancing scan pass later, and
 * kernel.numa_balancing_scan_period_max_ms is 60 s by default.
 */
#define PGHOT_PENDING_WINDOWS	64
/* Slots in each lower-tier node's heap of hot records (16 bytes each). */
#define PGHOT_HEAP_SIZE		4096
/* The most candidates one kpromoted round may take; vm.kpromoted_batch's ceiling. */
#define KPROMOTED_BATCH_MAX	1024

/**
 * struct pghot_config - pghot's tunables, the vm.pghot_* and vm.kpromoted_*
 * sysctls
 * @model: the hotness model as the core takes it: @window_ms in jiffies, and
 *	@threshold; the other fields of it are constants (pghot_params_get())
 * @window_ms: vm.pghot_freq_window_ms
 * @threshold: vm.pghot_freq_threshold
 * @max_records: vm.pghot_max_records
 * @kpromoted_batch: vm.kpromoted_batch
 * @kpromoted_interval_ms: vm.kpromoted_interval_ms
 * @rate_limit_mbps: vm.pghot_promote_rate_limit_MBps
 *
 * One instance, in record.c.  Its sysctl handlers write each field whole
 * (WRITE_ONCE() or the proc handlers' own stores, which never tear an
 * aligned int), so readers take each field with READ_ONCE() and need no
 * lock: a reader may see a new window with an old threshold, which the
 * model tolerates.
 */
struct pghot_config {
	struct pghot_params model;
	unsigned int window_ms;
	unsigned int threshold;
	unsigned int max_records;
	unsigned int kpromoted_batch;
	unsigned int kpromoted_interval_ms;
	unsigned int rate_limit_mbps;
};

/**
 * struct pghot_aging - where the aging of the record table stands
 * @lock: the kpromoted thread that ages holds it; the others, finding it
 *	taken with mutex_trylock(), leave aging to it
 * @cursor: the bucket aged next
 * @last: jiffies at the previous round
 *
 * One instance, in record.c, shared by every node: the table is shared, so
 * its aging is too, and is not repeated per lower-tier node.
 */
struct pghot_aging {
	struct mutex lock;	/* held by the thread that ages */
	unsigned int cursor;
	unsigned long last;
};

/**
 * struct kpromoted_slot - a candidate's folio on its way to promotion
 * @folio: the isolated folio, or NULL
 * @target: the node it goes to
 * @nr_pages: its size
 * @memcg: its memory cgroup, with a reference, while it is migrated: the
 *	folio is freed once it is, and NUMA balancing's statistics are
 *	counted by cgroup (kpromoted_migrate())
 */
struct kpromoted_slot {
	struct folio *folio;
	int target;
	unsigned int nr_pages;
	struct mem_cgroup *memcg;
};

/**
 * struct pghot_node - pghot's state for one lower-tier memory node
 * @nid: the node
 * @heap: its hot records, hottest first (the core's locking rules apply)
 * @table: the record table, shared by every node; it outlives the node.
 *	A larger table replaces it only while @table_sem is held for writing
 * @table_sem: kpromoted holds it for reading through each round
 * @record_cache: the records' slab cache, to free what kpromoted retires
 * @cfg: the tunables
 * @aging: the aging of the table
 * @wait: kpromoted sleeps here; wake it with kpromoted_wake()
 * @task: kpromoted, created (not yet running) before the node is published
 * @batch: the candidates of kpromoted's current round
 * @slots: per candidate, its isolated folio and where it goes
 * @backoff: the current hold-off after rounds that found no room, in
 *	jiffies, or 0 (kpromoted_promote())
 * @resume: when the hold-off ends
 *
 * record.c allocates and fills in a node, creates its kpromoted, then
 * publishes it in its array of nodes with rcu_assign_pointer() and only then
 * lets kpromoted run: a reader that finds the node sees it whole.  On the
 * way out the node is unpublished and a grace period passes before
 * kpromoted is stopped and the node freed.  kpromoted is handed its node and
 * reads pghot's state only through it; everything from @batch on is
 * kpromoted's alone.
 */
struct pghot_node {
	int nid;
	struct pghot_heap *heap;
	struct pghot_table *table;
	struct rw_semaphore *table_sem;
	struct kmem_cache *record_cache;
	const struct pghot_config *cfg;
	struct pghot_aging *aging;
	wait_queue_head_t wait;
	struct task_struct *task;

	struct pghot_candidate batch[KPROMOTED_BATCH_MAX];
	struct kpromoted_slot slots[KPROMOTED_BATCH_MAX];
	unsigned long backoff;
	unsigned long resume;
};

/**
 * pghot_params_get() - a consistent-enough copy of the hotness model
 * @cfg: the tunables
 * @p: where to copy it
 */
static inline void pghot_params_get(const struct pghot_config *cfg,
				    struct pghot_params *p)
{
	p->window = READ_ONCE(cfg->model.window);
	p->threshold = READ_ONCE(cfg->model.threshold);
	p->stale_windows = PGHOT_STALE_WINDOWS;
	p->pending_windows = PGHOT_PENDING_WINDOWS;
}

/**
 * pghot_records_free() - free records the core retired
 * @cache: their slab cache
 * @freed: the list the core put them on; no lock is held
 */
static inline void pghot_records_free(struct kmem_cache *cache,
				      struct hlist_head *freed)
{
	struct pghot_record *rec;
	struct hlist_node *tmp;

	hlist_for_each_entry_safe(rec, tmp, freed, hnode) {
		hlist_del(&rec->hnode);
		kmem_cache_free(cache, rec);
	}
}

/**
 * pghot_count_drop() - count, and trace, why @pfn was dropped
 * @pfn: the page frame
 * @why: the counter that explains it
 */
static inline void pghot_count_drop(unsigned long pfn, enum vm_event_item why)
{
	count_vm_event(why);
	trace_pghot_drop(pfn, why);
}

/* record.c: the lifecycle, for debugfs.c */
extern struct mutex pghot_nodes_lock;
struct pghot_table *pghot_table_get(void);
struct pghot_node *pghot_node_get_locked(int nid);

/* promote.c */
int pghot_promotion_target(int nid);
void kpromoted_wake(struct pghot_node *pn);
void kpromoted_kick(struct pghot_node *pn);
int kpromoted_create(struct pghot_node *pn);
void kpromoted_stop(struct pghot_node *pn);
void kpromoted_init(void);

/* defer.c */
/*
 * The src of a deferred entry that is no access: the frame's folio was
 * freed where no bucket lock could be taken (__pghot_free_page()).
 */
#define PGHOT_FORGET	NR_PGHOT_SRC

/**
 * typedef pghot_replay_fn - records a deferred access, in task context
 * @pfn: the page frame
 * @nid: the accessing node, or NUMA_NO_NODE
 * @src: the source
 * @weight: how many accesses it counts for
 * @now: the time of the access, in jiffies
 */
typedef void (*pghot_replay_fn)(unsigned long pfn, int nid, int src,
				unsigned int weight, unsigned long now);
int pghot_defer_access(unsigned long pfn, int nid, int src,
		       unsigned int weight, unsigned long now);
int pghot_defer_init(pghot_replay_fn replay);
#if IS_ENABLED(CONFIG_PGHOT_KUNIT_TEST)
void pghot_defer_flush(void);
#endif

#endif /* __MM_PGHOT_INTERNAL_H */
