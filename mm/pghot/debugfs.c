// SPDX-License-Identifier: GPL-2.0
/*
 * pghot: the debugfs interface, /sys/kernel/debug/pghot/
 *
 *   inject  write "PFN NID SRC [COUNT]": report COUNT accesses (tests only)
 *   stats   records, their memory, and each lower-tier node's records and heap
 *   top     the hottest records queued on each lower-tier node's heap
 *
 * This file owns only these files.  It reads the record table and the
 * per-node objects that record.c owns, under pghot_nodes_lock, and reports
 * through the public API like any access source.
 *
 * See Documentation/mm/pghot.rst.
 */
#define pr_fmt(fmt) "pghot: " fmt

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/pghot.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>

#include "internal.h"

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
		err = pghot_record_access(pfn, nid, src, 1, jiffies);
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
	unsigned long *per_node;
	struct pghot_table *t;
	unsigned int i;
	long nr;
	int nid;

	/* the table is not replaced under this lock */
	guard(mutex)(&pghot_nodes_lock);
	t = pghot_table_get();
	nr = t ? atomic_long_read(&t->nr_records) : 0;
	seq_printf(m, "records %ld\nmax_records %lu\n", nr,
		   t ? READ_ONCE(t->max_records) : 0);
	seq_printf(m, "record_bytes %zu\nbuckets %u\nbytes %lu\n",
		   sizeof(struct pghot_record), t ? t->nr_buckets : 0,
		   nr * sizeof(struct pghot_record) +
		   (t ? t->nr_buckets * sizeof(struct pghot_bucket) : 0));
	if (!t)
		return 0;

	per_node = kcalloc(MAX_NUMNODES, sizeof(*per_node), GFP_KERNEL);
	if (!per_node)
		return -ENOMEM;
	for (i = 0; i < t->nr_buckets; i++) {
		struct pghot_bucket *b = &t->buckets[i];
		struct pghot_record *rec;

		spin_lock(&b->lock);
		hlist_for_each_entry(rec, &b->head, hnode)
			per_node[rec->heap_nid]++;
		spin_unlock(&b->lock);
		cond_resched();
	}
	for_each_node_state(nid, N_MEMORY) {
		struct pghot_node *pn = pghot_node_get_locked(nid);
		struct pghot_heap *h;

		if (!pn)
			continue;
		h = pn->heap;
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
		struct pghot_node *pn = pghot_node_get_locked(nid);
		struct pghot_heap *h;

		if (!pn)
			continue;
		h = pn->heap;
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

static int __init pghot_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("pghot", NULL);

	debugfs_create_file("inject", 0200, dir, NULL, &pghot_inject_fops);
	debugfs_create_file("stats", 0400, dir, NULL, &pghot_stats_fops);
	debugfs_create_file("top", 0400, dir, NULL, &pghot_top_fops);
	return 0;
}
late_initcall(pghot_debugfs_init);
