/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pghot: hot page tracking and promotion for tiered memory.
 *
 * The interface for access sources: a source reports the page frames it
 * sees accessed with pghot_record_access(), weighted by the evidence it
 * has, and includes no other pghot header.
 *
 * See Documentation/mm/pghot.rst.
 */
#ifndef _LINUX_PGHOT_H
#define _LINUX_PGHOT_H

#include <linux/errno.h>
#include <linux/jump_label.h>

struct folio;
struct page;
struct vm_area_struct;

/**
 * enum pghot_src - who saw the access
 * @PGHOT_SRC_HINT_FAULT: a NUMA hint fault
 * @PGHOT_SRC_PGTABLE_SCAN: a page-table Accessed-bit scan
 * @PGHOT_SRC_HW_HINT: a hardware access sample (AMD IBS)
 * @PGHOT_SRC_INJECT: the debugfs test injector
 * @NR_PGHOT_SRC: number of sources
 */
enum pghot_src {
	PGHOT_SRC_HINT_FAULT,
	PGHOT_SRC_PGTABLE_SCAN,
	PGHOT_SRC_HW_HINT,
	PGHOT_SRC_INJECT,
	NR_PGHOT_SRC,
};

/**
 * struct pghot_hint - a NUMA hint fault taken over by pghot
 * @pfn: the folio's first page frame
 * @nid: the node NUMA balancing would have moved the folio to
 * @latency_ms: time from the scan that armed the fault to the fault
 */
struct pghot_hint {
	unsigned long pfn;
	int nid;
	unsigned int latency_ms;
};

#ifdef CONFIG_PGHOT
DECLARE_STATIC_KEY_FALSE(pghot_enabled_key);
DECLARE_STATIC_KEY_FALSE(pghot_free_key);

/**
 * pghot_enabled() - is hot page promotion switched on (vm.pghot_enabled)?
 *
 * A static branch: callers on hot paths pay nothing while pghot is off.
 *
 * Return: true if pghot is on.
 */
static inline bool pghot_enabled(void)
{
	return static_branch_unlikely(&pghot_enabled_key);
}

bool __pghot_tracks_node(int nid);

/**
 * pghot_tracks_node() - does pghot take reports for the pages of @nid?
 * @nid: a node id
 *
 * True when pghot is on and tracks @nid: a lower-tier memory node whose
 * records and heap were set up.  A static branch while pghot is off.
 *
 * Return: true if pghot records accesses to pages on @nid.
 */
static inline bool pghot_tracks_node(int nid)
{
	return pghot_enabled() && __pghot_tracks_node(nid);
}

int __pghot_record_access(unsigned long pfn, int nid, enum pghot_src src,
			  unsigned int weight, unsigned long now);
int __pghot_record_access_hot(unsigned long pfn, int nid, enum pghot_src src,
			      unsigned int weight, unsigned long now, bool *hot);
unsigned int pghot_latency_weight_ms(unsigned int latency_ms);

/**
 * pghot_record_access() - report an access to a page frame
 * @pfn: the page frame that was accessed; the record is kept for the first
 *	frame of the folio it belongs to
 * @nid: node of the accessing CPU, or NUMA_NO_NODE if unknown
 * @src: the source, an &enum pghot_src
 * @weight: how many accesses the report stands for, the source's evidence
 *	in the unit of the hotness model (accesses per frequency window): 1
 *	for one seen access; more for an estimate, such as
 *	pghot_latency_weight_ms() of a scan-to-access latency.  0 counts as
 *	1 and values above U16_MAX as U16_MAX.  An estimate alone makes a
 *	page hot only by a wide margin over vm.pghot_freq_threshold;
 *	otherwise a second report must confirm it.
 * @now: time of the access, in jiffies
 *
 * Counts the access towards the frame's hotness.  Cheap and bounded: in
 * task context it takes one bucket lock (and a heap lock only when the frame
 * turns hot), never sleeps and never allocates under a lock.  From NMI,
 * hard or soft interrupt context it takes no lock at all: the access goes to
 * a per-CPU ring and is recorded shortly after from a work item, where it is
 * checked and counted like any other.
 *
 * Return: 0 if the access was recorded (or queued, outside task context),
 * -ENODEV if pghot is off, -EINVAL for an invalid @pfn, @nid or @src,
 * -ENOENT if the frame is not online memory, -EALREADY if it is on a
 * top-tier node, -EBUSY if it is not an LRU page, -ENOSPC if the record
 * table is full, -ENOMEM if no record could be allocated, -EAGAIN if this
 * CPU's ring of deferred accesses is full or the table is being grown.
 * Every outcome is counted in /proc/vmstat.
 */
static inline int pghot_record_access(unsigned long pfn, int nid,
				      enum pghot_src src, unsigned int weight,
				      unsigned long now)
{
	if (!pghot_enabled())
		return -ENODEV;
	return __pghot_record_access(pfn, nid, src, weight, now);
}

void __pghot_free_page(struct page *page);

/**
 * pghot_free_page() - a page is being freed: end its frame's history
 * @page: the first page of what is being freed
 *
 * Called by the page allocator for each page it frees, of any order.
 * Whatever pghot counted for the frame belonged to the folio that is going,
 * and its next owner starts with none: a folio freed, or migrated away (its
 * old frame is freed), takes its record with it.  A static branch until
 * pghot is first switched on; from then on a call and a node test for each
 * freed page, and a bucket lookup for a page of a lower-tier node pghot
 * tracks.
 */
static inline void pghot_free_page(struct page *page)
{
	if (static_branch_unlikely(&pghot_free_key))
		__pghot_free_page(page);
}
#else
static inline bool pghot_enabled(void)
{
	return false;
}

static inline bool pghot_tracks_node(int nid)
{
	return false;
}

static inline int pghot_record_access(unsigned long pfn, int nid,
				      enum pghot_src src, unsigned int weight,
				      unsigned long now)
{
	return -ENODEV;
}

static inline void pghot_free_page(struct page *page)
{
}
#endif /* CONFIG_PGHOT */

#ifdef CONFIG_PGHOT_HINT_FAULT
bool __pghot_claim_hint_fault(struct folio *folio, struct vm_area_struct *vma,
			      int nid, struct pghot_hint *hint);
bool pghot_record_hint_fault(const struct pghot_hint *hint);

/**
 * pghot_claim_hint_fault() - let pghot take a NUMA hint fault
 * @folio: the folio that took the fault; the page table lock is held
 * @vma: the VMA it is mapped in
 * @nid: the node NUMA balancing would move it to
 * @hint: filled in when the fault is claimed
 *
 * In NUMA balancing's memory-tiering mode (numa_balancing=2) with pghot on,
 * a hint fault on a lower-tier folio does not promote the folio inline: it
 * is claimed here, reported with pghot_record_hint_fault() once the page
 * table lock is dropped, and kpromoted promotes the folio if pghot finds it
 * hot.  NUMA balancing then counts the fault as it counts one whose folio
 * it promoted itself (TNF_MIGRATED) if the report made the folio hot.  File
 * folios that NUMA balancing refuses to migrate (dirty ones, and executable
 * ones mapped by several processes) are not claimed.  With pghot off this
 * is a static branch and NUMA balancing behaves as without pghot.
 *
 * Return: true if pghot took the fault; the caller must not migrate @folio.
 */
static inline bool pghot_claim_hint_fault(struct folio *folio,
					  struct vm_area_struct *vma, int nid,
					  struct pghot_hint *hint)
{
	if (!pghot_enabled())
		return false;
	return __pghot_claim_hint_fault(folio, vma, nid, hint);
}
#else
static inline bool pghot_claim_hint_fault(struct folio *folio,
					  struct vm_area_struct *vma, int nid,
					  struct pghot_hint *hint)
{
	return false;
}

static inline bool pghot_record_hint_fault(const struct pghot_hint *hint)
{
	return false;
}
#endif /* CONFIG_PGHOT_HINT_FAULT */

#endif /* _LINUX_PGHOT_H */
