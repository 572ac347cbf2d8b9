/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pghot core: the hotness model and the record structures, free of any
 * kernel-only state so that tools/testing/pghot can test it in user space.
 *
 * Locking: each bucket of the record table has a spinlock protecting its
 * chain and every field of the records on it but heap_idx.  Each heap has a
 * spinlock protecting its array and the heap_idx of the records in it; a
 * bucket-lock holder may read heap_idx as a hint and re-checks it under the
 * heap lock.  The only
 * nesting is bucket lock -> heap lock; nothing takes a bucket lock while
 * holding a heap lock.  Heap entries point at records, so a record is always
 * taken out of its heap (under both locks) before it leaves its bucket.
 */
#ifndef __MM_PGHOT_CORE_H
#define __MM_PGHOT_CORE_H

#include "core_internal.h"

/* heap_idx of a record that is in no heap */
#define PGHOT_NO_HEAP	(-1)

/*
 * One report weighing this many times the threshold makes a record hot on
 * its own; one that reaches the threshold by less must be confirmed by a
 * second (see pghot_record_add() in core.c).
 */
#define PGHOT_SURE_MARGIN	8

/**
 * struct pghot_record - what pghot knows about one page frame
 * @hnode: link in its table bucket
 * @pfn: the page frame
 * @window_start: start of the current frequency window (truncated ticks)
 * @freq: accesses counted in the window, plus the decayed history of earlier
 *	windows (saturating)
 * @nid: node of the last accessor, NUMA_NO_NODE if unknown
 * @heap_nid: node whose heap the record is or would be in (the page's node)
 * @pending: a single estimate said the page is hot, without the margin that
 *	makes one enough, so the record waits one short of the threshold; the
 *	next report within &pghot_params.pending_windows windows counts in full
 *	and confirms it, or ends the wait (see pghot_record_add())
 * @heap_idx: slot in that heap, or PGHOT_NO_HEAP
 *
 * 40 bytes on 64-bit; @pending sits in what would be padding.  There is no
 * separate last-access time: an access always falls in [@window_start,
 * @window_start + window), which is as precise as the hotness model needs.
 */
struct pghot_record {
	struct hlist_node hnode;
	unsigned long pfn;
	u32 window_start;
	u16 freq;
	s16 nid;
	s16 heap_nid;
	bool pending;
	s32 heap_idx;
};

/**
 * struct pghot_params - the hotness model's tunables, in ticks
 * @window: length of a frequency window; history halves every window
 * @threshold: frequency at which a record is hot and enters its heap
 * @stale_windows: a record untouched for this many windows is retired by aging
 * @pending_windows: a pending record waits this many windows for the report
 *	that confirms it, and aging keeps it that long; 0: without end
 */
struct pghot_params {
	u32 window;
	u16 threshold;
	u16 stale_windows;
	u16 pending_windows;
};

/**
 * struct pghot_heap_entry - a slot of a heap
 * @rec: the hot record
 * @freq: its frequency as last ordered; the heap key, changed only under the
 *	heap lock so that the order never moves under a heap operation
 */
struct pghot_heap_entry {
	struct pghot_record *rec;
	unsigned int freq;
};

DEFINE_MIN_HEAP(struct pghot_heap_entry, pghot_heap_data);

/**
 * struct pghot_heap - the hot records of one lower-tier node, hottest first
 * @lock: protects @heap and the heap_idx of the records in it
 * @heap: a max-heap by key, with each record's slot kept in its heap_idx
 */
struct pghot_heap {
	spinlock_t lock;	/* protects heap and the heap_idx of its records */
	struct pghot_heap_data heap;
};

/**
 * struct pghot_bucket - one chain of the record table
 * @lock: protects @head and the records on it
 * @head: the records whose pfn hashes here
 */
struct pghot_bucket {
	spinlock_t lock;	/* protects head and its records (but heap_idx) */
	struct hlist_head head;
};

/**
 * struct pghot_table - the per-PFN records, hashed by pfn
 * @nr_records: records in the table
 * @max_records: hard cap on @nr_records
 * @heap_of: the heap of a node, by heap_nid, or NULL for a node without one;
 *	called with a bucket lock held, which makes the caller an RCU reader,
 *	so the heap may come from an RCU-protected object
 * @heap_arg: the first argument of @heap_of
 * @bits: log2 of @nr_buckets
 * @nr_buckets: entries in @buckets
 * @buckets: the chains
 */
struct pghot_table {
	atomic_long_t nr_records;
	unsigned long max_records;
	struct pghot_heap *(*heap_of)(void *arg, int nid);
	void *heap_arg;
	unsigned int bits;
	unsigned int nr_buckets;
	struct pghot_bucket buckets[] __counted_by(nr_buckets);
};

/**
 * enum pghot_outcome - what pghot_table_record() did with an access
 * @PGHOT_HIT: counted on an existing record
 * @PGHOT_HIT_HOT: counted, and the record became hot and entered its heap
 * @PGHOT_NEW: a new record was created
 * @PGHOT_NEW_HOT: a new record was created hot and entered its heap
 * @PGHOT_HEAP_FULL: counted, the record is hot but its heap is full
 * @PGHOT_NEW_HEAP_FULL: a new record was created hot, but its heap is full
 * @PGHOT_NO_SPARE: dropped: a new record was needed and none was supplied
 * @PGHOT_TABLE_FULL: dropped: a new record was needed, the cap is reached
 *	and no record of the pfn's chain was dead
 * @PGHOT_RECYCLED: at the cap, a dead record of the pfn's chain (decayed to
 *	nothing, or stale, and not pending) was retired and taken over
 * @PGHOT_RECYCLED_HOT: as @PGHOT_RECYCLED, and the record entered its heap
 * @PGHOT_RECYCLED_HEAP_FULL: as @PGHOT_RECYCLED, hot but its heap is full
 */
enum pghot_outcome {
	PGHOT_HIT,
	PGHOT_HIT_HOT,
	PGHOT_NEW,
	PGHOT_NEW_HOT,
	PGHOT_HEAP_FULL,
	PGHOT_NEW_HEAP_FULL,
	PGHOT_NO_SPARE,
	PGHOT_TABLE_FULL,
	PGHOT_RECYCLED,
	PGHOT_RECYCLED_HOT,
	PGHOT_RECYCLED_HEAP_FULL,
};

/**
 * struct pghot_candidate - a hot record popped off a heap, by value
 * @pfn: the page frame
 * @nid: node of the last accessor
 * @freq: frequency when popped
 */
struct pghot_candidate {
	unsigned long pfn;
	int nid;
	unsigned int freq;
};

unsigned int pghot_freq_decay(unsigned int freq, unsigned long elapsed,
			      unsigned long window);
unsigned int pghot_latency_weight(unsigned long latency, unsigned long window);
unsigned int pghot_record_freq(const struct pghot_record *rec,
			       unsigned long now, const struct pghot_params *p);

struct pghot_heap *pghot_heap_alloc(int size);
void pghot_heap_free(struct pghot_heap *h);
bool pghot_heap_check(struct pghot_heap *h);
bool pghot_heap_pop(struct pghot_heap *h, struct pghot_candidate *c);

struct pghot_table *pghot_table_alloc(unsigned int bits,
				      unsigned long max_records,
				      struct pghot_heap *(*heap_of)(void *arg,
								    int nid),
				      void *heap_arg);
void pghot_table_free(struct pghot_table *t);
unsigned long pghot_table_move(struct pghot_table *from, struct pghot_table *to,
			       unsigned int first, unsigned int nr);
struct pghot_bucket *pghot_table_bucket(struct pghot_table *t,
					unsigned long pfn);
struct pghot_record *pghot_bucket_find(struct pghot_bucket *b,
				       unsigned long pfn);
enum pghot_outcome pghot_table_record(struct pghot_table *t,
				      unsigned long pfn, int nid, int heap_nid,
				      unsigned int weight, unsigned long now,
				      const struct pghot_params *p,
				      struct pghot_record **spare);
bool pghot_table_remove(struct pghot_table *t, unsigned long pfn,
			struct hlist_head *freed);
unsigned int pghot_table_freq(struct pghot_table *t, unsigned long pfn,
			      unsigned long now, const struct pghot_params *p);
unsigned long pghot_table_age(struct pghot_table *t, unsigned int *cursor,
			      unsigned int nr_buckets, unsigned long now,
			      const struct pghot_params *p,
			      unsigned int max_freq, struct hlist_head *freed);
unsigned long pghot_table_age_some(struct pghot_table *t, unsigned int *cursor,
				   unsigned int nr_buckets,
				   unsigned long *budget, unsigned long now,
				   const struct pghot_params *p,
				   unsigned int max_freq,
				   struct hlist_head *freed);
unsigned int pghot_age_budget(unsigned int nr_buckets, unsigned long elapsed,
			      unsigned long stale);
unsigned long pghot_table_drop_node(struct pghot_table *t, int heap_nid,
				    struct pghot_heap *heap, unsigned int first,
				    unsigned int nr, struct hlist_head *freed);

#endif /* __MM_PGHOT_CORE_H */
