// SPDX-License-Identifier: GPL-2.0
/*
 * pghot: hot page tracking and promotion for tiered memory.
 *
 * Access sources (NUMA hint faults, page-table scans, hardware samples)
 * report the page frames they see accessed; pghot keeps a frequency record
 * per frame and a per-node kernel thread promotes the hottest frames of each
 * lower-tier node to a top-tier node.
 *
 * See Documentation/admin-guide/mm/pghot.rst.
 */
#define pr_fmt(fmt) "pghot: " fmt

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/memory.h>
#include <linux/memory-tiers.h>
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/nodemask.h>
#include <linux/numa.h>
#include <linux/percpu.h>
#include <linux/pghot.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/sysctl.h>
#include <linux/topology.h>
#include <linux/uaccess.h>
#include <linux/vmstat.h>
#include <kunit/visibility.h>

#include "internal.h"

#define CREATE_TRACE_POINTS
#include <trace/events/pghot.h>

DEFINE_STATIC_KEY_FALSE(pghot_enabled_key);

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
/* The default cap is one record per this many lower-tier pages. */
#define PGHOT_PAGES_PER_RECORD	16
/* vm.pghot_max_records may go up to this many records per bucket. */
#define PGHOT_MAX_LOAD		4

static unsigned int sysctl_pghot_freq_window_ms = 1000;
static unsigned int sysctl_pghot_freq_threshold = 2;
static unsigned int sysctl_pghot_max_records;

/* "pghot=on|off" on the kernel command line; -1 when not given */
static int pghot_boot_state __initdata = -1;

static struct pghot_params pghot_params;
struct pghot_table *pghot_table;
EXPORT_SYMBOL_IF_KUNIT(pghot_table);
struct pghot_heap *pghot_heaps[MAX_NUMNODES];
EXPORT_SYMBOL_IF_KUNIT(pghot_heaps);
static struct kmem_cache *pghot_record_cache;
/*
 * One free record per CPU, so that the record path never allocates: it
 * takes this one under the bucket lock and a new one is allocated after the
 * lock is dropped.
 */
static DEFINE_PER_CPU(struct pghot_record *, pghot_spare);
/*
 * Serialises lower-tier nodes coming and going (memory hotplug) with the
 * creation of the table, and with the debugfs readers of the heaps.
 */
static DEFINE_MUTEX(pghot_nodes_lock);

/**
 * pghot_promotion_target() - choose the node to promote pages of @nid to
 * @nid: the node the pages are on
 *
 * Pages are promoted to the top-tier node nearest to @nid by node_distance(),
 * so that they land as close as possible to the CPUs that share the slow
 * memory; ties go to the lowest node id to keep the choice stable.
 *
 * Return: the target node, or NUMA_NO_NODE when @nid is not a memory node,
 * is itself top tier, or no top-tier node has memory.
 */
int pghot_promotion_target(int nid)
{
	int node, best = NUMA_NO_NODE, best_dist = INT_MAX;

	if (nid < 0 || nid >= MAX_NUMNODES || !node_state(nid, N_MEMORY))
		return NUMA_NO_NODE;
	if (node_is_toptier(nid))
		return NUMA_NO_NODE;

	for_each_node_state(node, N_MEMORY) {
		int dist;

		if (!node_is_toptier(node))
			continue;
		dist = node_distance(nid, node);
		if (dist < best_dist) {
			best = node;
			best_dist = dist;
		}
	}
	return best;
}
EXPORT_SYMBOL_IF_KUNIT(pghot_promotion_target);

/**
 * pghot_params_get() - a consistent-enough copy of the hotness model
 * @p: where to copy it
 */
void pghot_params_get(struct pghot_params *p)
{
	p->window = READ_ONCE(pghot_params.window);
	p->threshold = READ_ONCE(pghot_params.threshold);
	p->stale_windows = PGHOT_STALE_WINDOWS;
	p->pending_windows = PGHOT_PENDING_WINDOWS;
}

/**
 * pghot_records_free() - free records the core retired
 * @freed: the list the core put them on
 */
void pghot_records_free(struct hlist_head *freed)
{
	struct pghot_record *rec;
	struct hlist_node *tmp;

	hlist_for_each_entry_safe(rec, tmp, freed, hnode) {
		hlist_del(&rec->hnode);
		kmem_cache_free(pghot_record_cache, rec);
	}
}

static void pghot_params_update(void)
{
	WRITE_ONCE(pghot_params.window,
		   msecs_to_jiffies(READ_ONCE(sysctl_pghot_freq_window_ms)));
	WRITE_ONCE(pghot_params.threshold, READ_ONCE(sysctl_pghot_freq_threshold));
}

/**
 * pghot_count_drop() - count, and trace, why @pfn was dropped
 * @pfn: the page frame
 * @why: the counter that explains it
 */
void pghot_count_drop(unsigned long pfn, enum vm_event_item why)
{
	count_vm_event(why);
	trace_pghot_drop(pfn, why);
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
	       READ_ONCE(pghot_heaps[nid]);
}

/* Find @pfn's node, or count and return why it cannot be recorded. */
static int pghot_check_pfn(unsigned long pfn, int *page_nid)
{
	struct page *page = pfn_to_online_page(pfn);

	if (!page) {
		bool valid = pfn_valid(pfn);

		pghot_count_drop(pfn, valid ? PGHOT_REJECT_OFFLINE :
					      PGHOT_REJECT_INVALID);
		return valid ? -ENOENT : -EINVAL;
	}
	*page_nid = page_to_nid(page);
	if (!pghot_table || !READ_ONCE(pghot_heaps[*page_nid])) {
		pghot_count_drop(pfn, PGHOT_REJECT_TOPTIER);
		return -EALREADY;
	}
	if (!PageLRU(page)) {
		pghot_count_drop(pfn, PGHOT_REJECT_NONLRU);
		return -EBUSY;
	}
	return 0;
}

/**
 * pghot_record_now() - record an access, in task context
 * @pfn: the page frame that was accessed
 * @nid: node of the accessing CPU, or NUMA_NO_NODE if unknown
 * @src: the source, an &enum pghot_src
 * @weight: how many accesses it counts for (>= 1)
 * @now: time of the access, in jiffies
 *
 * Return: as pghot_record_access().
 */
int pghot_record_now(unsigned long pfn, int nid, int src, unsigned int weight,
		     unsigned long now)
{
	struct pghot_record *spare;
	struct pghot_params p;
	enum pghot_outcome ret;
	int page_nid, err;

	BUILD_BUG_ON(PGHOT_RECORD_INJECT - PGHOT_RECORD_HINT_FAULT !=
		     PGHOT_SRC_INJECT);
	BUILD_BUG_ON(MAX_NUMNODES > S16_MAX);

	if (src < 0 || src >= NR_PGHOT_SRC ||
	    (nid != NUMA_NO_NODE &&
	     (nid < 0 || nid >= MAX_NUMNODES || !node_online(nid)))) {
		pghot_count_drop(pfn, PGHOT_REJECT_INVALID);
		return -EINVAL;
	}
	err = pghot_check_pfn(pfn, &page_nid);
	if (err)
		return err;

	pghot_params_get(&p);
	/* The spare is per CPU: stay on this CPU while the core may take it. */
	preempt_disable();
	ret = pghot_table_record(pghot_table, pfn, nid, page_nid, weight, now, &p,
				 this_cpu_ptr(&pghot_spare));
	spare = this_cpu_read(pghot_spare);
	preempt_enable();

	/*
	 * Refill the spare outside every lock, whatever happened: a CPU left
	 * without one could never insert again.  Failing here is not fatal,
	 * the next call on this CPU tries again.
	 */
	if (!spare) {
		spare = kmem_cache_zalloc(pghot_record_cache,
					  GFP_NOWAIT | __GFP_NOWARN);
		if (spare && this_cpu_cmpxchg(pghot_spare, NULL, spare))
			kmem_cache_free(pghot_record_cache, spare);
	}

	switch (ret) {
	case PGHOT_NO_SPARE:
		pghot_count_drop(pfn, PGHOT_DROP_NOMEM);
		err = -ENOMEM;
		break;
	case PGHOT_TABLE_FULL:
		pghot_count_drop(pfn, PGHOT_DROP_TABLE_FULL);
		err = -ENOSPC;
		break;
	case PGHOT_NEW_HOT:
		count_vm_event(PGHOT_RECORD_CREATED);
		fallthrough;
	case PGHOT_HIT_HOT:
		count_vm_event(PGHOT_HEAP_INSERT);
		trace_pghot_record_hot(pfn, page_nid, nid, src);
		pghot_kpromoted_wake(page_nid);
		break;
	case PGHOT_NEW:
		count_vm_event(PGHOT_RECORD_CREATED);
		break;
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
EXPORT_SYMBOL_IF_KUNIT(pghot_record_now);

/**
 * __pghot_record_access() - see pghot_record_access()
 * @pfn: the page frame that was accessed
 * @nid: node of the accessing CPU, or NUMA_NO_NODE if unknown
 * @src: the source, an &enum pghot_src
 * @now: time of the access, in jiffies
 *
 * Return: as pghot_record_access().
 */
int __pghot_record_access(unsigned long pfn, int nid, int src,
			  unsigned long now)
{
	/* bucket locks are not irq-safe: defer what cannot take them */
	if (!in_task())
		return pghot_defer_access(pfn, nid, src, now);
	return pghot_record_now(pfn, nid, src, 1, now);
}
EXPORT_SYMBOL_IF_KUNIT(__pghot_record_access);

/**
 * __pghot_claim_hint_fault() - see pghot_claim_hint_fault()
 * @folio: the folio that took the fault; the page table lock is held
 * @vma: the VMA it is mapped in
 * @nid: the node NUMA balancing would move it to
 * @hint: filled in when the fault is claimed
 *
 * Return: as pghot_claim_hint_fault().
 */
bool __pghot_claim_hint_fault(struct folio *folio, struct vm_area_struct *vma,
			      int nid, struct pghot_hint *hint)
{
#ifdef CONFIG_NUMA_BALANCING
	unsigned int now;

	/* a node pghot does not track is left to NUMA balancing */
	if (!folio_use_access_time(folio) ||
	    !__pghot_tracks_node(folio_nid(folio)))
		return false;
	/*
	 * What migrate_misplaced_folio_prepare() refuses to move, pghot does
	 * not take either: NUMA balancing then refuses it as it always did.
	 */
	if (folio_is_file_lru(folio) &&
	    (folio_test_dirty(folio) ||
	     ((vma->vm_flags & VM_EXEC) && folio_likely_mapped_shared(folio))))
		return false;
	/*
	 * The scan that armed the fault stored its time in the folio, as for
	 * NUMA balancing's own hot threshold; take it and leave the fault's.
	 */
	now = jiffies_to_msecs(jiffies);
	hint->latency_ms = (now - folio_xchg_access_time(folio, now)) &
			   PAGE_ACCESS_TIME_MASK;
	hint->pfn = folio_pfn(folio);
	hint->nid = nid;
	return true;
#else
	return false;
#endif
}

/**
 * pghot_record_hint_fault() - report a claimed NUMA hint fault
 * @hint: what pghot_claim_hint_fault() took from the fault
 *
 * Called once the page table lock is dropped.  The scan-to-fault latency
 * becomes the access's weight (pghot_latency_weight()).  A page touched
 * within window / (PGHOT_SURE_MARGIN * threshold) of the scan (62 ms at the
 * defaults) turns hot from one fault; one touched within window / threshold
 * (500 ms) is pending until its fault in the next scan pass confirms it, by
 * coming within window / threshold too.
 *
 * Return: as pghot_record_access().
 */
int pghot_record_hint_fault(const struct pghot_hint *hint)
{
	unsigned int weight;

	count_vm_event(PGHOT_HINT_FAULTS);
	weight = pghot_latency_weight(hint->latency_ms,
				      READ_ONCE(sysctl_pghot_freq_window_ms));
	return pghot_record_now(hint->pfn, hint->nid, PGHOT_SRC_HINT_FAULT,
				weight, jiffies);
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

	if (state)
		static_branch_enable(&pghot_enabled_key);
	else
		static_branch_disable(&pghot_enabled_key);
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

/* The record cap: commit, then let the table see it. */
static int pghot_max_records_sysctl_handler(const struct ctl_table *table,
					    int write, void *buffer,
					    size_t *lenp, loff_t *ppos)
{
	/* uint, not ulong: the ulong parser silently skips negative input */
	int err = proc_douintvec_minmax(table, write, buffer, lenp, ppos);

	if (!err && write && pghot_table)
		WRITE_ONCE(pghot_table->max_records,
			   READ_ONCE(sysctl_pghot_max_records));
	return err;
}

static unsigned int pghot_window_ms_min = 10;
static unsigned int pghot_window_ms_max = 600000;
static unsigned int pghot_threshold_max = U16_MAX;
static unsigned int pghot_max_records_max;	/* set from the table size */

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
		.data		= &sysctl_pghot_freq_window_ms,
		.maxlen		= sizeof(sysctl_pghot_freq_window_ms),
		.mode		= 0644,
		.proc_handler	= pghot_params_sysctl_handler,
		.extra1		= &pghot_window_ms_min,
		.extra2		= &pghot_window_ms_max,
	},
	{
		.procname	= "pghot_freq_threshold",
		.data		= &sysctl_pghot_freq_threshold,
		.maxlen		= sizeof(sysctl_pghot_freq_threshold),
		.mode		= 0644,
		.proc_handler	= pghot_params_sysctl_handler,
		.extra1		= SYSCTL_ONE,
		.extra2		= &pghot_threshold_max,
	},
	{
		.procname	= "pghot_max_records",
		.data		= &sysctl_pghot_max_records,
		.maxlen		= sizeof(sysctl_pghot_max_records),
		.mode		= 0644,
		.proc_handler	= pghot_max_records_sysctl_handler,
		.extra1		= SYSCTL_ONE,
		.extra2		= &pghot_max_records_max,
	},
};

#if IS_ENABLED(CONFIG_PGHOT_KUNIT_TEST)
/* The vm.pghot_* entry called @name, for the KUnit tests of the handlers. */
const struct ctl_table *pghot_sysctl_find(const char *name)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(pghot_sysctls); i++)
		if (!strcmp(pghot_sysctls[i].procname, name))
			return &pghot_sysctls[i];
	return NULL;
}
#endif

/**
 * pghot_parse_boot_state() - parse the value of the pghot= boot option
 * @str: "on" or "off"
 *
 * Return: 1 for on, 0 for off, -EINVAL for anything else.
 */
VISIBLE_IF_KUNIT int pghot_parse_boot_state(const char *str)
{
	if (str && !strcmp(str, "on"))
		return 1;
	if (str && !strcmp(str, "off"))
		return 0;
	return -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(pghot_parse_boot_state);

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
 * threshold, and hot records only when that was not enough.
 */
static DEFINE_MUTEX(pghot_shrink_lock);
static unsigned int pghot_shrink_cursor;
static struct shrinker *pghot_shrinker;

static unsigned long pghot_shrink_count(struct shrinker *shrink,
					struct shrink_control *sc)
{
	long nr = atomic_long_read(&pghot_table->nr_records);

	return nr > 0 ? nr : SHRINK_EMPTY;
}

static unsigned long pghot_shrink_scan(struct shrinker *shrink,
				       struct shrink_control *sc)
{
	unsigned long freed_nr = 0, chunk = 64;
	struct pghot_params p;
	unsigned int levels[3], level, scanned;
	HLIST_HEAD(freed);

	/* another reclaimer is at it: let this one go elsewhere */
	if (!mutex_trylock(&pghot_shrink_lock))
		return SHRINK_STOP;
	pghot_params_get(&p);
	levels[0] = 0;
	levels[1] = p.threshold - 1;
	levels[2] = U16_MAX;
	for (level = 0; level < ARRAY_SIZE(levels); level++) {
		for (scanned = 0; scanned < pghot_table->nr_buckets &&
		     freed_nr < sc->nr_to_scan; scanned += chunk)
			freed_nr += pghot_table_age(pghot_table,
						    &pghot_shrink_cursor, chunk,
						    jiffies, &p, levels[level],
						    &freed);
		if (freed_nr >= sc->nr_to_scan)
			break;
	}
	mutex_unlock(&pghot_shrink_lock);
	pghot_records_free(&freed);
	count_vm_events(PGHOT_RECORD_SHRUNK, freed_nr);
	return freed_nr;
}

/*
 * debugfs: /sys/kernel/debug/pghot/
 *   inject  write "PFN NID SRC [COUNT]": report COUNT accesses (tests only)
 *   stats   records, their memory, and each lower-tier node's records and heap
 *   top     the hottest records queued on each lower-tier node's heap
 */
static ssize_t pghot_inject_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	unsigned long pfn, n = 1, i;
	char buf[80], extra;
	int nid, src, err, fields;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	fields = sscanf(buf, "%lu %d %d %lu %c", &pfn, &nid, &src, &n, &extra);
	if (fields < 3 || fields > 4 || !n || n > 1024)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		err = pghot_record_access(pfn, nid, src, jiffies);
		if (err)
			return err;
		cond_resched();
	}
	return count;
}

static const struct file_operations pghot_inject_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= pghot_inject_write,
	.llseek	= noop_llseek,
};

static int pghot_stats_show(struct seq_file *m, void *v)
{
	long nr = READ_ONCE(pghot_table) ?
		  atomic_long_read(&pghot_table->nr_records) : 0;
	unsigned long *per_node;
	unsigned int i;
	int nid;

	guard(mutex)(&pghot_nodes_lock);
	seq_printf(m, "records %ld\nmax_records %lu\n", nr,
		   pghot_table ? READ_ONCE(pghot_table->max_records) : 0);
	seq_printf(m, "record_bytes %zu\nbuckets %u\nbytes %lu\n",
		   sizeof(struct pghot_record),
		   pghot_table ? pghot_table->nr_buckets : 0,
		   nr * sizeof(struct pghot_record) +
		   (pghot_table ? pghot_table->nr_buckets *
				  sizeof(struct pghot_bucket) : 0));
	if (!pghot_table)
		return 0;

	per_node = kcalloc(MAX_NUMNODES, sizeof(*per_node), GFP_KERNEL);
	if (!per_node)
		return -ENOMEM;
	for (i = 0; i < pghot_table->nr_buckets; i++) {
		struct pghot_bucket *b = &pghot_table->buckets[i];
		struct pghot_record *rec;

		spin_lock(&b->lock);
		hlist_for_each_entry(rec, &b->head, hnode)
			per_node[rec->heap_nid]++;
		spin_unlock(&b->lock);
		cond_resched();
	}
	for_each_node_state(nid, N_MEMORY) {
		struct pghot_heap *h = pghot_heaps[nid];

		if (!h)
			continue;
		spin_lock(&h->lock);
		seq_printf(m, "node%d records %lu heap %d/%d\n", nid,
			   per_node[nid], h->heap.nr, h->heap.size);
		spin_unlock(&h->lock);
	}
	kfree(per_node);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pghot_stats);

#define PGHOT_TOP_N	32

static int pghot_top_cmp(const void *a, const void *b)
{
	const struct pghot_candidate *l = a, *r = b;

	return l->freq != r->freq ? (l->freq < r->freq ? 1 : -1) :
				    (l->pfn > r->pfn) - (l->pfn < r->pfn);
}

static int pghot_top_show(struct seq_file *m, void *v)
{
	struct pghot_candidate *c;
	int nid, i, n;

	c = kvcalloc(PGHOT_HEAP_SIZE, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	guard(mutex)(&pghot_nodes_lock);
	for_each_node_state(nid, N_MEMORY) {
		struct pghot_heap *h = pghot_heaps[nid];

		if (!h)
			continue;
		spin_lock(&h->lock);
		for (n = 0; n < h->heap.nr; n++) {
			c[n].pfn = h->heap.data[n].rec->pfn;
			c[n].nid = READ_ONCE(h->heap.data[n].rec->nid);
			c[n].freq = h->heap.data[n].freq;
		}
		spin_unlock(&h->lock);
		sort(c, n, sizeof(*c), pghot_top_cmp, NULL);
		seq_printf(m, "node%d: %d queued, hottest first (pfn freq accessor)\n",
			   nid, n);
		for (i = 0; i < min(n, PGHOT_TOP_N); i++)
			seq_printf(m, "  %#lx %u %d\n", c[i].pfn, c[i].freq, c[i].nid);
	}
	kvfree(c);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pghot_top);

static void __init pghot_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("pghot", NULL);

	debugfs_create_file("inject", 0200, dir, NULL, &pghot_inject_fops);
	debugfs_create_file("stats", 0400, dir, NULL, &pghot_stats_fops);
	debugfs_create_file("top", 0400, dir, NULL, &pghot_top_fops);
}

/*
 * Allocate what records need, sized for @lower_pages of lower-tier memory:
 * one record per PGHOT_PAGES_PER_RECORD pages by default (56 bytes of
 * record and bucket for 64 KiB of memory, under 0.1%), one bucket per
 * record.  Done once, for the lower-tier memory present when the first
 * lower-tier node is seen; the table is never resized or freed.
 */
static int pghot_table_create(unsigned long lower_pages)
{
	struct pghot_table *t;
	unsigned int nr;
	int cpu;

	lockdep_assert_held(&pghot_nodes_lock);
	pghot_record_cache = KMEM_CACHE(pghot_record, 0);
	if (!pghot_record_cache)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		per_cpu(pghot_spare, cpu) = kmem_cache_zalloc(pghot_record_cache,
							      GFP_KERNEL);
		if (!per_cpu(pghot_spare, cpu))
			goto fail;
	}
	nr = clamp(lower_pages / PGHOT_PAGES_PER_RECORD, 1024UL, 1UL << 28);
	t = pghot_table_alloc(order_base_2(nr), nr, pghot_heaps, MAX_NUMNODES);
	if (!t)
		goto fail;
	sysctl_pghot_max_records = nr;
	pghot_max_records_max = t->nr_buckets * PGHOT_MAX_LOAD;
	/* the record path tests pghot_table before it uses the table */
	smp_store_release(&pghot_table, t);
	pr_info("up to %u records (%zu bytes each), %u buckets\n", nr,
		sizeof(struct pghot_record), t->nr_buckets);

	if (pghot_defer_init())
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
fail:
	for_each_possible_cpu(cpu) {
		if (per_cpu(pghot_spare, cpu))
			kmem_cache_free(pghot_record_cache, per_cpu(pghot_spare, cpu));
		per_cpu(pghot_spare, cpu) = NULL;
	}
	kmem_cache_destroy(pghot_record_cache);
	pghot_record_cache = NULL;
	return -ENOMEM;
}

/* Give lower-tier node @nid a heap and a kpromoted; nothing if it is top tier. */
static int pghot_node_start(int nid)
{
	struct pghot_heap *h;
	int err;

	lockdep_assert_held(&pghot_nodes_lock);
	if (pghot_heaps[nid] || pghot_promotion_target(nid) == NUMA_NO_NODE)
		return 0;
	if (!pghot_table) {
		err = pghot_table_create(node_present_pages(nid));
		if (err)
			return err;
	}
	h = pghot_heap_alloc(PGHOT_HEAP_SIZE);
	if (!h)
		return -ENOMEM;
	WRITE_ONCE(pghot_heaps[nid], h);
	err = pghot_kpromoted_run(nid);
	if (err) {
		WRITE_ONCE(pghot_heaps[nid], NULL);
		synchronize_rcu();
		pghot_heap_free(h);
		return err;
	}
	pr_info("node %d is lower tier, promotion target node %d\n", nid,
		pghot_promotion_target(nid));
	return 0;
}

/*
 * @nid has no memory left: stop its kpromoted and drop its heap and records.
 * Every user of a heap holds a bucket or heap lock or has preemption off
 * while it looks the heap up, so once it is unpublished, synchronize_rcu()
 * leaves no one using it.  A report that passed its checks just before may
 * still create a record for the node; it has no heap, its page frame is
 * offline, and aging retires it.
 */
static void pghot_node_stop(int nid)
{
	struct pghot_heap *h = pghot_heaps[nid];
	HLIST_HEAD(freed);
	unsigned long n;

	lockdep_assert_held(&pghot_nodes_lock);
	if (!h)
		return;
	pghot_kpromoted_stop(nid);
	WRITE_ONCE(pghot_heaps[nid], NULL);
	synchronize_rcu();
	n = pghot_table_drop_node(pghot_table, nid, &freed);
	pghot_records_free(&freed);
	count_vm_events(PGHOT_RECORD_OFFLINED, n);
	pghot_heap_free(h);
	pr_info("node %d has no memory left: kpromoted%d stopped, %lu records dropped\n",
		nid, nid, n);
}

/*
 * Runs after the memory-tiers callback (MEMTIER_HOTPLUG_PRI), so that a
 * node that just came online already has its tier.
 */
VISIBLE_IF_KUNIT int pghot_memory_callback(struct notifier_block *self,
					   unsigned long action, void *arg)
{
	struct memory_notify *mn = arg;
	int nid = mn->status_change_nid, err;

	if (nid < 0)
		return NOTIFY_OK;
	guard(mutex)(&pghot_nodes_lock);
	switch (action) {
	case MEM_ONLINE:
		err = pghot_node_start(nid);
		if (err)
			pr_err("cannot track node %d: %d\n", nid, err);
		break;
	case MEM_OFFLINE:
		pghot_node_stop(nid);
		break;
	}
	return NOTIFY_OK;
}
EXPORT_SYMBOL_IF_KUNIT(pghot_memory_callback);

/*
 * Memory tiers are assigned by memory_tier_late_init(), a late_initcall:
 * run after all of them so that the tiers seen here are the final ones.
 */
static int __init pghot_init(void)
{
	unsigned long lower_pages = 0;
	int nid, err = 0;

	pghot_params_update();
	pghot_kpromoted_init();
	register_sysctl_init("vm", pghot_sysctls);
	pghot_debugfs_init();

	/* before the scan, so that no node coming online is missed */
	hotplug_memory_notifier(pghot_memory_callback, MEMTIER_HOTPLUG_PRI - 1);
	scoped_guard(mutex, &pghot_nodes_lock) {
		for_each_node_state(nid, N_MEMORY)
			if (pghot_promotion_target(nid) != NUMA_NO_NODE)
				lower_pages += node_present_pages(nid);
		if (lower_pages && !pghot_table)
			err = pghot_table_create(lower_pages);
		if (err)
			pr_err("cannot allocate the record table: %d, pghot stays inert\n",
			       err);
		for_each_node_state(nid, N_MEMORY) {
			if (err)
				break;
			if (pghot_node_start(nid))
				pr_err("cannot track node %d\n", nid);
		}
	}
	if (pghot_boot_state == 1)
		static_branch_enable(&pghot_enabled_key);
	return 0;
}
late_initcall_sync(pghot_init);
