// SPDX-License-Identifier: GPL-2.0
/*
 * pghot core: the pure part of hot page tracking.
 *
 * Nothing here touches a folio, a pgdat, a sysctl or a vmstat counter, and
 * time is always passed in by the caller.  tools/testing/pghot builds this
 * file in user space under ASan/UBSan; keep it that way.
 */
#include "core.h"

/**
 * pghot_freq_decay() - carry an access frequency across frequency windows
 * @freq: the frequency as of the start of the window it was counted in
 * @elapsed: time since the start of that window
 * @window: the window length, in the same unit as @elapsed; 0 disables decay
 *
 * History is halved for every full window that passed.  A page that was hot
 * and went quiet therefore cools in log2(@freq) windows: it is neither
 * forgotten at the first window boundary nor kept hot forever.
 *
 * Return: the decayed frequency.
 */
unsigned int pghot_freq_decay(unsigned int freq, unsigned long elapsed,
			      unsigned long window)
{
	unsigned long nr;

	if (!window)
		return freq;

	nr = elapsed / window;
	if (nr >= BITS_PER_TYPE(freq))
		return 0;

	return freq >> nr;
}

/**
 * pghot_latency_weight() - turn a hint fault's scan-to-fault latency into
 *	accesses
 * @latency: time from the scan that armed the hint fault to the fault
 * @window: the frequency window, in the same unit as @latency
 *
 * A NUMA hint fault fires at most once per page per scan pass, so counting
 * faults says little: a page touched every few seconds faults as often as
 * one touched a thousand times a second.  What the fault does tell is how
 * soon after the scan the page was touched, and a page touched r times a
 * window is touched, on average, @window / r after the scan.  The weight
 * turns that around: @window / @latency accesses, and never less than one.
 *
 * It is a single sample.  A page touched once every ten seconds is now and
 * then touched just after a scan and looks hot, which is why
 * pghot_table_record() believes one report alone only by a wide margin.
 *
 * Return: 1 if @window is 0 or @latency >= @window; otherwise
 * floor(@window / @latency), with a @latency of 0 taken as 1, and at most
 * U16_MAX.
 */
unsigned int pghot_latency_weight(unsigned long latency, unsigned long window)
{
	if (!window || latency >= window)
		return 1;
	return min_t(unsigned long, window / max(latency, 1UL), U16_MAX);
}

/*
 * Time from the start of @rec's window to @now, in ticks.  @now may be a
 * little older than the window start: a deferred report carries the time
 * its producer saw, jiffies are read before the bucket lock is taken, and
 * aging reads them once for a whole round.  Such a time counts as no time
 * at all, where u32 arithmetic would make it about 2^32 ticks and decay the
 * record to nothing.  A record idle for 2^31 ticks or more would be taken
 * for one from the future as well; aging retires records long before that
 * (after PGHOT_STALE_WINDOWS or the pending wait, hours at the longest
 * window).
 */
static u32 pghot_record_idle(const struct pghot_record *rec, unsigned long now)
{
	s32 idle = (u32)now - rec->window_start;

	return idle > 0 ? idle : 0;
}

/**
 * pghot_record_freq() - a record's frequency as of @now
 * @rec: the record; its bucket lock is held
 * @now: current time in ticks
 * @p: the hotness model
 *
 * Return: the record's frequency with the windows passed since it was last
 * counted decayed away.
 */
unsigned int pghot_record_freq(const struct pghot_record *rec,
			       unsigned long now, const struct pghot_params *p)
{
	return pghot_freq_decay(rec->freq, pghot_record_idle(rec, now),
				p->window);
}

/*
 * Heaps.  min_heap.h keeps the "least" element at the root, so "less" here
 * means "hotter".  Entries carry their own key and every move goes through
 * .swp, which keeps each record's heap_idx equal to its slot.
 */
static bool pghot_heap_less(const void *lhs, const void *rhs, void *args)
{
	const struct pghot_heap_entry *l = lhs, *r = rhs;

	return l->freq > r->freq;
}

static void pghot_heap_swp(void *lhs, void *rhs, void *args)
{
	struct pghot_heap_entry *l = lhs, *r = rhs, tmp = *l;
	struct pghot_heap *h = args;

	*l = *r;
	*r = tmp;
	l->rec->heap_idx = l - h->heap.data;
	r->rec->heap_idx = r - h->heap.data;
}

static const struct min_heap_callbacks pghot_heap_cb = {
	.less = pghot_heap_less,
	.swp = pghot_heap_swp,
};

/**
 * pghot_heap_alloc() - allocate an empty heap
 * @size: how many records it can hold
 *
 * Return: the heap, or NULL on allocation failure.
 */
struct pghot_heap *pghot_heap_alloc(int size)
{
	struct pghot_heap_entry *data;
	struct pghot_heap *h;

	if (size <= 0)
		return NULL;
	h = kzalloc(sizeof(*h), GFP_KERNEL | __GFP_NOWARN);
	if (!h)
		return NULL;
	data = kvcalloc(size, sizeof(*data), GFP_KERNEL | __GFP_NOWARN);
	if (!data) {
		kfree(h);
		return NULL;
	}
	spin_lock_init(&h->lock);
	min_heap_init(&h->heap, data, size);
	return h;
}

/**
 * pghot_heap_free() - free a heap that no record is in any more
 * @h: the heap, or NULL
 */
void pghot_heap_free(struct pghot_heap *h)
{
	if (!h)
		return;
	WARN_ON_ONCE(h->heap.nr);
	kvfree(h->heap.data);
	kfree(h);
}

/* Caller holds the heap lock (and the record's bucket lock). */
static bool pghot_heap_insert(struct pghot_heap *h, struct pghot_record *rec,
			      unsigned int freq)
{
	struct pghot_heap_entry e = { .rec = rec, .freq = freq };

	if (min_heap_full(&h->heap))
		return false;
	/* push copies the entry to slot nr and moves it only through .swp */
	rec->heap_idx = h->heap.nr;
	min_heap_push(&h->heap, &e, &pghot_heap_cb, h);
	return true;
}

/* Caller holds the heap lock; @rec is in @h. */
static void pghot_heap_remove(struct pghot_heap *h, struct pghot_record *rec)
{
	/* del swaps the last entry into the hole through .swp, then sifts it */
	min_heap_del(&h->heap, rec->heap_idx, &pghot_heap_cb, h);
	rec->heap_idx = PGHOT_NO_HEAP;
}

/* Caller holds the heap lock; @rec is in @h.  Re-rank it for @freq. */
static void pghot_heap_rekey(struct pghot_heap *h, struct pghot_record *rec,
			     unsigned int freq)
{
	h->heap.data[rec->heap_idx].freq = freq;
	min_heap_sift_up(&h->heap, rec->heap_idx, &pghot_heap_cb, h);
	min_heap_sift_down(&h->heap, rec->heap_idx, &pghot_heap_cb, h);
}

/**
 * pghot_heap_pop() - take the hottest record out of a heap
 * @h: the heap; its lock is held
 * @c: where to copy the record's pfn, accessor node and key
 *
 * The record stays in its bucket: the caller re-validates it by pfn under
 * the bucket lock and must not dereference it after dropping the heap lock.
 *
 * Return: false if the heap was empty.
 */
bool pghot_heap_pop(struct pghot_heap *h, struct pghot_candidate *c)
{
	struct pghot_record *rec;

	if (!h->heap.nr)
		return false;
	rec = h->heap.data[0].rec;
	c->pfn = rec->pfn;
	c->nid = READ_ONCE(rec->nid);
	c->freq = h->heap.data[0].freq;
	pghot_heap_remove(h, rec);
	return true;
}

/**
 * pghot_heap_check() - verify the heap order and every record's heap_idx
 * @h: the heap; its lock is held
 *
 * For tests and debugging.
 *
 * Return: true if consistent.
 */
bool pghot_heap_check(struct pghot_heap *h)
{
	int i;

	for (i = 0; i < h->heap.nr; i++) {
		if (h->heap.data[i].rec->heap_idx != i)
			return false;
		if (i && h->heap.data[(i - 1) / 2].freq < h->heap.data[i].freq)
			return false;
	}
	return true;
}

/*
 * The record table.
 */

/**
 * pghot_table_alloc() - allocate an empty record table
 * @bits: log2 of the number of buckets
 * @max_records: cap on the number of records
 * @heap_of: returns the heap of a node, or NULL for a node that has none
 *	(a top-tier node); see &struct pghot_table
 * @heap_arg: its first argument
 *
 * Return: the table, or NULL on allocation failure.
 */
struct pghot_table *pghot_table_alloc(unsigned int bits,
				      unsigned long max_records,
				      struct pghot_heap *(*heap_of)(void *arg,
								    int nid),
				      void *heap_arg)
{
	struct pghot_table *t;
	unsigned int i;

	if (bits > 30)
		return NULL;
	t = kvzalloc(struct_size(t, buckets, 1U << bits),
		     GFP_KERNEL | __GFP_NOWARN);
	if (!t)
		return NULL;
	t->nr_buckets = 1U << bits;
	t->bits = bits;
	t->max_records = max_records;
	t->heap_of = heap_of;
	t->heap_arg = heap_arg;
	atomic_long_set(&t->nr_records, 0);
	for (i = 0; i < t->nr_buckets; i++) {
		spin_lock_init(&t->buckets[i].lock);
		INIT_HLIST_HEAD(&t->buckets[i].head);
	}
	return t;
}

/**
 * pghot_table_free() - free a table whose records were all retired
 * @t: the table, or NULL
 */
void pghot_table_free(struct pghot_table *t)
{
	if (!t)
		return;
	WARN_ON_ONCE(atomic_long_read(&t->nr_records));
	kvfree(t);
}

/**
 * pghot_table_move() - move the records of some buckets to another table
 * @from: the table they are in
 * @to: the table they go to, which has the same heap_of
 * @first: the first bucket of @from to empty
 * @nr: how many buckets from @first on (fewer at the end of @from)
 *
 * For growing the table.  A record keeps its state and its place in its
 * node's heap, which points at the record, not at its bucket.  The caller
 * keeps everyone who adds records or walks the tables out meanwhile, and
 * moves every bucket before it lets them use @to.  Each record moves under
 * the locks of both its chains, so that one who only removes a record
 * (the page allocator's free hook) may look in @from and then in @to, a
 * chain at a time, without missing it.
 *
 * Return: the number of records moved.
 */
unsigned long pghot_table_move(struct pghot_table *from, struct pghot_table *to,
			       unsigned int first, unsigned int nr)
{
	struct pghot_record *rec;
	struct hlist_node *tmp;
	unsigned long n = 0;
	unsigned int i;

	if (first >= from->nr_buckets)
		return 0;
	nr = min(nr, from->nr_buckets - first);
	for (i = first; i < first + nr; i++) {
		struct pghot_bucket *b = &from->buckets[i];

		spin_lock(&b->lock);
		hlist_for_each_entry_safe(rec, tmp, &b->head, hnode) {
			struct pghot_bucket *nb = pghot_table_bucket(to, rec->pfn);

			spin_lock_nested(&nb->lock, SINGLE_DEPTH_NESTING);
			hlist_del(&rec->hnode);
			hlist_add_head(&rec->hnode, &nb->head);
			spin_unlock(&nb->lock);
			n++;
		}
		spin_unlock(&b->lock);
	}
	atomic_long_sub(n, &from->nr_records);
	atomic_long_add(n, &to->nr_records);
	return n;
}

/**
 * pghot_table_bucket() - the bucket @pfn hashes to
 * @t: the table
 * @pfn: the page frame
 *
 * Return: the bucket.
 */
struct pghot_bucket *pghot_table_bucket(struct pghot_table *t,
					unsigned long pfn)
{
	return &t->buckets[hash_long(pfn, t->bits)];
}

/**
 * pghot_bucket_find() - look a pfn up in its bucket
 * @b: the bucket; its lock is held
 * @pfn: the page frame
 *
 * Return: the record, or NULL.
 */
struct pghot_record *pghot_bucket_find(struct pghot_bucket *b,
				       unsigned long pfn)
{
	struct pghot_record *rec;

	hlist_for_each_entry(rec, &b->head, hnode)
		if (rec->pfn == pfn)
			return rec;
	return NULL;
}

static struct pghot_heap *pghot_table_heap(struct pghot_table *t, int nid)
{
	/* a node's heap comes and goes with its memory (see record.c) */
	return t->heap_of(t->heap_arg, nid);
}

/*
 * Is @rec still waiting for its second report?  @idle is the time since its
 * window started, which is when the estimate that made it pending came: any
 * later report confirms it or ends the wait.
 */
static bool pghot_record_pending(const struct pghot_record *rec, u32 idle,
				 const struct pghot_params *p)
{
	u64 wait = (u64)p->pending_windows * p->window;

	return rec->pending && (!wait || idle < wait);
}

/*
 * Add @weight to @rec's decayed frequency @freq (bucket lock held), where
 * @idle is the time since @rec's window started; returns the new frequency.
 * This is the one place a record turns hot, and the place that keeps one
 * lucky sample from doing it: a report weighing more than one access is an
 * estimate (pghot_latency_weight()).  Alone, on a record with nothing left
 * of earlier reports, it is believed only if it clears the threshold by
 * PGHOT_SURE_MARGIN; otherwise the record stops one short of the threshold
 * and is pending.  The next report while it is pending counts in full: it
 * confirms the estimate if it reaches the threshold with it, and ends the
 * wait if not.  Plain accesses (weight 1) count as they come.
 */
static unsigned int pghot_record_add(struct pghot_record *rec,
				     unsigned int freq, unsigned int weight,
				     u32 idle, const struct pghot_params *p)
{
	/* both terms are at most U16_MAX, so the sum cannot wrap */
	unsigned int sum = freq + min_t(unsigned int, weight, U16_MAX);

	if (likely(sum < p->threshold)) {
		rec->pending = false;
		return sum;
	}
	if (weight > 1 && !freq && p->threshold > 1 &&
	    weight < (unsigned int)p->threshold * PGHOT_SURE_MARGIN &&
	    !pghot_record_pending(rec, idle, p)) {
		rec->pending = true;
		return p->threshold - 1;
	}
	rec->pending = false;
	return min_t(unsigned int, sum, U16_MAX);
}

/* Count an access on @rec (bucket lock held); returns the new frequency. */
static unsigned int pghot_record_touch(struct pghot_record *rec, int nid,
				       unsigned int weight, unsigned long now,
				       const struct pghot_params *p)
{
	u32 elapsed = pghot_record_idle(rec, now);
	unsigned int freq = rec->freq;

	if (elapsed >= p->window) {
		freq = pghot_freq_decay(freq, elapsed, p->window);
		rec->window_start = now;
	}
	freq = pghot_record_add(rec, freq, weight, elapsed, p);
	WRITE_ONCE(rec->freq, freq);
	WRITE_ONCE(rec->nid, nid);
	return freq;
}

/*
 * Bring @rec's heap membership in line with @freq (bucket lock held).  The
 * heap lock is taken only when the record is or becomes hot: cold records,
 * the bulk of the traffic, never touch it.
 */
static enum pghot_outcome pghot_record_rank(struct pghot_table *t,
					    struct pghot_record *rec,
					    unsigned int freq,
					    const struct pghot_params *p,
					    enum pghot_outcome ret)
{
	bool hot = freq >= p->threshold;
	struct pghot_heap *h;

	if (!hot && READ_ONCE(rec->heap_idx) == PGHOT_NO_HEAP)
		return ret;
	h = pghot_table_heap(t, rec->heap_nid);
	if (!h)
		return ret;

	spin_lock(&h->lock);
	if (rec->heap_idx != PGHOT_NO_HEAP) {
		if (hot)
			pghot_heap_rekey(h, rec, freq);
		else
			pghot_heap_remove(h, rec);
	} else if (hot) {
		bool in = pghot_heap_insert(h, rec, freq);

		if (ret == PGHOT_NEW)
			ret = in ? PGHOT_NEW_HOT : PGHOT_NEW_HEAP_FULL;
		else if (ret == PGHOT_RECYCLED)
			ret = in ? PGHOT_RECYCLED_HOT : PGHOT_RECYCLED_HEAP_FULL;
		else
			ret = in ? PGHOT_HIT_HOT : PGHOT_HEAP_FULL;
	}
	spin_unlock(&h->lock);
	return ret;
}

/*
 * Would aging retire @rec (bucket lock held)?  With @max_freq 0, as aging
 * calls it, only a record that decayed away or went stale goes, and a
 * pending record stays until its wait is over, stale or not; the shrinker
 * raises @max_freq to give back more.
 */
static bool pghot_record_dead(const struct pghot_record *rec, unsigned long now,
			      const struct pghot_params *p,
			      unsigned int max_freq)
{
	u64 stale = (u64)p->stale_windows * p->window;
	u32 idle = pghot_record_idle(rec, now);

	/* let a pending record wait for its second report */
	if (!max_freq && pghot_record_pending(rec, idle, p))
		return false;
	return (stale && idle >= stale) ||
	       pghot_record_freq(rec, now, p) <= max_freq;
}

/* Take @rec out of @h if it is in it (bucket lock held). */
static void pghot_heap_take(struct pghot_heap *h, struct pghot_record *rec)
{
	spin_lock(&h->lock);
	if (rec->heap_idx != PGHOT_NO_HEAP)
		pghot_heap_remove(h, rec);
	spin_unlock(&h->lock);
}

/* Take @rec out of its heap, if it is in one (bucket lock held). */
static void pghot_record_unheap(struct pghot_table *t, struct pghot_record *rec)
{
	struct pghot_heap *h;

	if (READ_ONCE(rec->heap_idx) == PGHOT_NO_HEAP)
		return;
	h = pghot_table_heap(t, rec->heap_nid);
	if (h)
		pghot_heap_take(h, rec);
}

/*
 * At the cap: the first record of @b that aging would retire, out of its
 * heap and ready to be taken over (bucket lock held), or NULL.
 */
static struct pghot_record *pghot_bucket_recycle(struct pghot_table *t,
						 struct pghot_bucket *b,
						 unsigned long now,
						 const struct pghot_params *p)
{
	struct pghot_record *rec;

	hlist_for_each_entry(rec, &b->head, hnode) {
		if (pghot_record_dead(rec, now, p, 0)) {
			pghot_record_unheap(t, rec);
			return rec;
		}
	}
	return NULL;
}

/* Take one slot under the cap, exactly: concurrent inserters never overshoot. */
static bool pghot_table_reserve(struct pghot_table *t)
{
	long nr = atomic_long_read(&t->nr_records);

	do {
		if (nr >= (long)READ_ONCE(t->max_records))
			return false;
	} while (!atomic_long_try_cmpxchg(&t->nr_records, &nr, nr + 1));
	return true;
}

/**
 * pghot_table_record() - count an access to a page frame
 * @t: the table
 * @pfn: the page frame
 * @nid: node of the accessor, or NUMA_NO_NODE
 * @heap_nid: node of the page: the heap a hot record enters
 * @weight: how many accesses the report counts for (>= 1); more than one
 *	is an estimate, which alone makes a record hot only with a margin of
 *	PGHOT_SURE_MARGIN over the threshold, and otherwise needs a second
 *	report to confirm it
 * @now: current time in ticks
 * @p: the hotness model
 * @spare: a free record to use if the pfn has none yet; consumed (set to
 *	NULL) only if it was used
 *
 * Takes the pfn's bucket lock, and its node's heap lock only if the record
 * is or becomes hot.  Never allocates and never sleeps: the caller supplies
 * @spare and refills it after the call, outside any lock.  At the cap, or
 * without a spare, a record of the pfn's chain that aging would retire is
 * taken over instead, so that records nobody uses any more cannot keep a
 * new pfn out until aging reaches them.
 *
 * Return: what was done, see &enum pghot_outcome.
 */
enum pghot_outcome pghot_table_record(struct pghot_table *t,
				      unsigned long pfn, int nid, int heap_nid,
				      unsigned int weight, unsigned long now,
				      const struct pghot_params *p,
				      struct pghot_record **spare)
{
	struct pghot_bucket *b = pghot_table_bucket(t, pfn);
	struct pghot_record *rec;
	enum pghot_outcome ret;
	unsigned int freq;

	spin_lock(&b->lock);
	rec = pghot_bucket_find(b, pfn);
	if (rec) {
		freq = pghot_record_touch(rec, nid, weight, now, p);
		ret = PGHOT_HIT;
	} else {
		if (*spare && pghot_table_reserve(t)) {
			rec = *spare;
			*spare = NULL;
			hlist_add_head(&rec->hnode, &b->head);
			ret = PGHOT_NEW;
		} else {
			rec = pghot_bucket_recycle(t, b, now, p);
			if (!rec) {
				ret = *spare ? PGHOT_TABLE_FULL : PGHOT_NO_SPARE;
				goto unlock;
			}
			ret = PGHOT_RECYCLED;
		}
		rec->pfn = pfn;
		rec->window_start = now;
		rec->pending = false;
		freq = pghot_record_add(rec, 0, weight, 0, p);
		rec->freq = freq;
		rec->nid = nid;
		rec->heap_nid = heap_nid;
		rec->heap_idx = PGHOT_NO_HEAP;
	}
	ret = pghot_record_rank(t, rec, freq, p, ret);
unlock:
	spin_unlock(&b->lock);
	return ret;
}

/* Take @rec out of its heap and its bucket (bucket lock held). */
static void pghot_record_unlink(struct pghot_table *t, struct pghot_record *rec,
				struct hlist_head *freed)
{
	pghot_record_unheap(t, rec);
	hlist_del(&rec->hnode);
	hlist_add_head(&rec->hnode, freed);
	atomic_long_dec(&t->nr_records);
}

/**
 * pghot_table_remove() - retire the record of one pfn
 * @t: the table
 * @pfn: the page frame
 * @freed: where to put the record; the caller frees it outside the lock
 *
 * Return: true if there was a record.
 */
bool pghot_table_remove(struct pghot_table *t, unsigned long pfn,
			struct hlist_head *freed)
{
	struct pghot_bucket *b = pghot_table_bucket(t, pfn);
	struct pghot_record *rec;

	spin_lock(&b->lock);
	rec = pghot_bucket_find(b, pfn);
	if (rec)
		pghot_record_unlink(t, rec, freed);
	spin_unlock(&b->lock);
	return rec;
}

/**
 * pghot_table_freq() - the current frequency of a pfn's record
 * @t: the table
 * @pfn: the page frame
 * @now: current time in ticks
 * @p: the hotness model
 *
 * Return: the decayed frequency, or 0 if the pfn has no record.
 */
unsigned int pghot_table_freq(struct pghot_table *t, unsigned long pfn,
			      unsigned long now, const struct pghot_params *p)
{
	struct pghot_bucket *b = pghot_table_bucket(t, pfn);
	struct pghot_record *rec;
	unsigned int freq = 0;

	spin_lock(&b->lock);
	rec = pghot_bucket_find(b, pfn);
	if (rec)
		freq = pghot_record_freq(rec, now, p);
	spin_unlock(&b->lock);
	return freq;
}

/**
 * pghot_table_age_some() - retire cold and stale records, looking at a
 *	bounded number of them
 * @t: the table
 * @cursor: as for pghot_table_age()
 * @nr_buckets: as for pghot_table_age()
 * @budget: how many records it may look at; lowered by each one it looks
 *	at, and the walk stops at the end of the bucket that used it up
 * @now: as for pghot_table_age()
 * @p: as for pghot_table_age()
 * @max_freq: as for pghot_table_age()
 * @freed: as for pghot_table_age()
 *
 * For the shrinker, whose request is a number of objects to look at.
 *
 * Return: the number of records retired.
 */
unsigned long pghot_table_age_some(struct pghot_table *t, unsigned int *cursor,
				   unsigned int nr_buckets,
				   unsigned long *budget, unsigned long now,
				   const struct pghot_params *p,
				   unsigned int max_freq,
				   struct hlist_head *freed)
{
	unsigned long retired = 0;

	nr_buckets = min(nr_buckets, t->nr_buckets);
	while (nr_buckets-- && (!budget || *budget)) {
		struct pghot_bucket *b = &t->buckets[*cursor & (t->nr_buckets - 1)];
		struct pghot_record *rec;
		struct hlist_node *tmp;

		*cursor = (*cursor + 1) & (t->nr_buckets - 1);
		if (hlist_empty(&b->head))
			continue;
		spin_lock(&b->lock);
		hlist_for_each_entry_safe(rec, tmp, &b->head, hnode) {
			if (budget && *budget)
				(*budget)--;
			if (!pghot_record_dead(rec, now, p, max_freq))
				continue;
			pghot_record_unlink(t, rec, freed);
			retired++;
		}
		spin_unlock(&b->lock);
	}
	return retired;
}

/**
 * pghot_table_age() - retire cold and stale records
 * @t: the table
 * @cursor: the bucket to start at; advanced past the buckets scanned
 * @nr_buckets: how many buckets to scan
 * @now: current time in ticks
 * @p: the hotness model
 * @max_freq: retire records whose decayed frequency is at most this
 * @freed: where to put the retired records; the caller frees them outside
 *	any lock
 *
 * Records untouched for @p->stale_windows windows are retired whatever
 * their frequency.  With @max_freq 0, as aging calls it, only what decayed
 * away goes, and a pending record stays until its wait is over, stale or
 * not; the shrinker raises @max_freq to give back more.
 *
 * Return: the number of records retired.
 */
unsigned long pghot_table_age(struct pghot_table *t, unsigned int *cursor,
			      unsigned int nr_buckets, unsigned long now,
			      const struct pghot_params *p,
			      unsigned int max_freq, struct hlist_head *freed)
{
	return pghot_table_age_some(t, cursor, nr_buckets, NULL, now, p,
				    max_freq, freed);
}

/**
 * pghot_age_budget() - how many buckets a round of aging visits
 * @nr_buckets: buckets in the table
 * @elapsed: time since the previous round
 * @stale: the stale period, in the unit of @elapsed; 0 for none
 *
 * Aging visits the table at the rate that takes it once round in the stale
 * period, so a record is retired at most one stale period after it went
 * stale, whatever the size of the table and however often aging runs: the
 * share of the table that @elapsed is of @stale, rounded up so that short
 * rounds still move on.
 *
 * Return: 0 if no time passed, else between 1 and @nr_buckets.
 */
unsigned int pghot_age_budget(unsigned int nr_buckets, unsigned long elapsed,
			      unsigned long stale)
{
	if (!elapsed)
		return 0;
	if (!stale || elapsed >= stale)
		return nr_buckets;
	/* keep nr_buckets * elapsed within 64 bits: elapsed < stale < 2^32 */
	while (stale > U32_MAX) {
		stale >>= 1;
		elapsed >>= 1;
	}
	return max_t(u64, 1, div64_ul((u64)nr_buckets * elapsed + stale - 1,
				      stale));
}

/**
 * pghot_table_drop_node() - retire every record of one node's pages
 * @t: the table
 * @heap_nid: the node, going offline
 * @heap: the node's heap, or NULL if it has none.  The table may no longer
 *	find it (a node is unpublished before its records are dropped, so
 *	that no new ones enter its heap): its records are taken out of it
 *	all the same, and it is empty on return.
 * @first: the first bucket to look at
 * @nr: how many buckets to look at, from @first on; the caller walks the
 *	table in slices, so that it can reschedule between them
 * @freed: where to put the retired records; the caller frees them outside
 *	any lock
 *
 * Return: the number of records retired.
 */
unsigned long pghot_table_drop_node(struct pghot_table *t, int heap_nid,
				    struct pghot_heap *heap, unsigned int first,
				    unsigned int nr, struct hlist_head *freed)
{
	unsigned long retired = 0;
	unsigned int i, end;

	if (first >= t->nr_buckets)
		return 0;
	end = first + min(nr, t->nr_buckets - first);
	for (i = first; i < end; i++) {
		struct pghot_bucket *b = &t->buckets[i];
		struct pghot_record *rec;
		struct hlist_node *tmp;

		spin_lock(&b->lock);
		hlist_for_each_entry_safe(rec, tmp, &b->head, hnode) {
			if (rec->heap_nid != heap_nid)
				continue;
			if (heap && rec->heap_idx != PGHOT_NO_HEAP)
				pghot_heap_take(heap, rec);
			pghot_record_unlink(t, rec, freed);
			retired++;
		}
		spin_unlock(&b->lock);
	}
	return retired;
}

#include "tests/core-kunit.h"
