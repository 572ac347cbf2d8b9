/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small world for the core: one record table, node 0 top tier (no heap),
 * nodes 1..NR_NODES-1 lower tier with a heap each; plus a full consistency
 * check of table and heaps.  Shared by the tests, the fuzzer and the bench.
 */
#ifndef _PGHOT_TEST_FIXTURE_H
#define _PGHOT_TEST_FIXTURE_H

#include "core_internal.h"
#include "../../../mm/pghot/core.c"

#include <stdio.h>

#define NR_NODES	3

long pghot_test_nr_allocated;
long pghot_test_fail_after = -1;

struct world {
	struct pghot_table *t;
	struct pghot_heap *heaps[NR_NODES];
	bool unpublished[NR_NODES];	/* the table no longer finds its heap */
	struct pghot_params p;
	struct pghot_record *spare;
	char why[160];		/* what check_world() found wrong */
};

/* The table's heap lookup: the world's heap of @nid, if it has one. */
static struct pghot_heap *world_heap_of(void *arg, int nid)
{
	struct world *w = arg;

	return nid >= 0 && nid < NR_NODES && !w->unpublished[nid] ?
	       w->heaps[nid] : NULL;
}

static inline bool world_init(struct world *w, unsigned int bits,
			      unsigned long max_records, int heap_size)
{
	int nid;

	memset(w, 0, sizeof(*w));
	w->p.window = 100;
	w->p.threshold = 3;
	w->p.stale_windows = 8;
	w->p.pending_windows = 64;
	for (nid = 1; nid < NR_NODES; nid++) {
		w->heaps[nid] = pghot_heap_alloc(heap_size);
		if (!w->heaps[nid])
			goto fail;
	}
	w->t = pghot_table_alloc(bits, max_records, world_heap_of, w);
	if (!w->t)
		goto fail;
	w->spare = kzalloc(sizeof(*w->spare), GFP_KERNEL);
	if (w->spare)
		return true;
	pghot_table_free(w->t);
fail:
	for (nid = 1; nid < NR_NODES; nid++)
		pghot_heap_free(w->heaps[nid]);
	return false;
}

static inline void free_list(struct hlist_head *freed)
{
	struct pghot_record *rec;
	struct hlist_node *tmp;

	hlist_for_each_entry_safe(rec, tmp, freed, hnode) {
		hlist_del(&rec->hnode);
		kfree(rec);
	}
}

static inline void world_fini(struct world *w)
{
	HLIST_HEAD(freed);
	unsigned int cursor = 0;
	int nid;

	pghot_table_age(w->t, &cursor, w->t->nr_buckets, 0, &w->p, UINT_MAX,
			&freed);
	free_list(&freed);
	pghot_table_free(w->t);
	for (nid = 1; nid < NR_NODES; nid++)
		pghot_heap_free(w->heaps[nid]);
	kfree(w->spare);
	w->spare = NULL;
}

/* Record an access, keeping a spare record ready as the kernel side does. */
static inline enum pghot_outcome world_access(struct world *w, unsigned long pfn,
					      int nid, int heap_nid,
					      unsigned int weight,
					      unsigned long now)
{
	enum pghot_outcome ret;

	ret = pghot_table_record(w->t, pfn, nid, heap_nid, weight, now, &w->p,
				 &w->spare);
	if (!w->spare)
		w->spare = kzalloc(sizeof(*w->spare), GFP_KERNEL);
	return ret;
}

/*
 * Every heap is ordered and every entry's record points back at its slot;
 * every record is in the heap its heap_idx claims (and no other); the record
 * count matches the chains; every record sits in the bucket its pfn hashes to.
 */
static inline bool check_world(struct world *w)
{
	long nr = 0, in_heaps = 0, heap_total = 0;
	unsigned int i;
	int nid;

	for (nid = 1; nid < NR_NODES; nid++) {
		if (!pghot_heap_check(w->heaps[nid])) {
			snprintf(w->why, sizeof(w->why),
				 "heap %d out of order or heap_idx wrong", nid);
			return false;
		}
		heap_total += w->heaps[nid]->heap.nr;
	}
	for (i = 0; i < w->t->nr_buckets; i++) {
		struct pghot_record *rec;

		hlist_for_each_entry(rec, &w->t->buckets[i].head, hnode) {
			nr++;
			if (pghot_table_bucket(w->t, rec->pfn) != &w->t->buckets[i]) {
				snprintf(w->why, sizeof(w->why),
					 "pfn %lu in the wrong bucket", rec->pfn);
				return false;
			}
			if (rec->heap_idx == PGHOT_NO_HEAP)
				continue;
			in_heaps++;
			if (rec->heap_nid < 1 || rec->heap_nid >= NR_NODES ||
			    rec->heap_idx >= w->heaps[rec->heap_nid]->heap.nr ||
			    w->heaps[rec->heap_nid]->heap.data[rec->heap_idx].rec != rec) {
				snprintf(w->why, sizeof(w->why),
					 "pfn %lu: heap_idx %d does not point back",
					 rec->pfn, rec->heap_idx);
				return false;
			}
		}
	}
	if (nr != atomic_long_read(&w->t->nr_records)) {
		snprintf(w->why, sizeof(w->why),
			 "%ld records on chains, nr_records %ld", nr,
			 atomic_long_read(&w->t->nr_records));
		return false;
	}
	if (in_heaps != heap_total) {
		snprintf(w->why, sizeof(w->why),
			 "%ld records claim a heap slot, heaps hold %ld",
			 in_heaps, heap_total);
		return false;
	}
	return true;
}

#endif /* _PGHOT_TEST_FIXTURE_H */
