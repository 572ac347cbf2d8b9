// SPDX-License-Identifier: GPL-2.0
/*
 * pghot source: NUMA hint faults in memory-tiering mode.
 *
 * With numa_balancing=2 and pghot on, a hint fault on a folio of a node
 * pghot tracks is claimed here under the page table lock and reported once
 * the lock is dropped, instead of being promoted inline.  The evidence a
 * hint fault has is its scan-to-fault latency: the scan that armed the
 * fault stored its time in the folio, as for NUMA balancing's own hot
 * threshold.  It becomes the report's weight.
 *
 * A source is a leaf: this file includes no pghot header but
 * include/linux/pghot.h and reports through its interface.
 *
 * See Documentation/mm/pghot.rst.
 */
#include <linux/cpuset.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/pghot.h>
#include <linux/vmstat.h>

/* May the faulting task's cpuset allocate on @nid?  (6.12 has no stub.) */
static bool pghot_cpuset_allows(int nid)
{
#ifdef CONFIG_CPUSETS
	return cpuset_node_allowed(nid, GFP_HIGHUSER_MOVABLE);
#else
	return true;
#endif
}

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
	unsigned int now;

	/* a node pghot does not track is left to NUMA balancing */
	if (!folio_use_access_time(folio) ||
	    !__pghot_tracks_node(folio_nid(folio)))
		return false;
	/*
	 * kpromoted allocates for no task, and promotes only to @nid, which
	 * mpol_misplaced() chose within the task's memory policy.  The task's
	 * cpuset is checked here, as NUMA balancing's own allocation of the
	 * new folio would check it: a node it may not use is left to NUMA
	 * balancing, which refuses it.
	 */
	if (!pghot_cpuset_allows(nid))
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
}

/**
 * pghot_record_hint_fault() - report a claimed NUMA hint fault
 * @hint: what pghot_claim_hint_fault() took from the fault
 *
 * Called once the page table lock is dropped.  The scan-to-fault latency
 * becomes the access's weight (pghot_latency_weight_ms()).  A page touched
 * within window / (PGHOT_SURE_MARGIN * threshold) of the scan (62 ms at the
 * defaults) turns hot from one fault; one touched within window / threshold
 * (500 ms) is pending until its fault in the next scan pass confirms it, by
 * coming within window / threshold too.
 *
 * Return: true if the fault made the folio hot, queued for promotion to
 * @hint->nid.  The caller then counts it in NUMA balancing's statistics as
 * a fault whose folio moved there (TNF_MIGRATED), as NUMA balancing counts
 * a promotion of its own: with memory tiering, a fault on a lower-tier page
 * counts only then, for the node the page goes to.  kpromoted counts the
 * promotion itself (pgpromote_success, numa_pages_migrated) once it is made.
 */
bool pghot_record_hint_fault(const struct pghot_hint *hint)
{
	bool hot;

	count_vm_event(PGHOT_HINT_FAULTS);
	if (!pghot_enabled())
		return false;
	__pghot_record_access_hot(hint->pfn, hint->nid, PGHOT_SRC_HINT_FAULT,
				  pghot_latency_weight_ms(hint->latency_ms),
				  jiffies, &hot);
	return hot;
}

#include "tests/hintfault-kunit.h"
