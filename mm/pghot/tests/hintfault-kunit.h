/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the hint-fault source (pghot_hint), included at the end of
 * hintfault.c.
 */
#ifdef CONFIG_PGHOT_KUNIT_TEST

#ifndef _PGHOT_HINTFAULT_KUNIT_H
#define _PGHOT_HINTFAULT_KUNIT_H

#include <kunit/test.h>
#include <linux/cpuset.h>
#include <linux/memory-tiers.h>
#include <linux/mm_types.h>
#include <linux/nodemask.h>
#include <linux/sched/sysctl.h>

#include "kunit-common.h"

/*
 * Review finding 8: kpromoted promotes for no task, so the task's cpuset
 * is checked when its fault is claimed.  A fault whose target node the
 * task's cpuset excludes is left to NUMA balancing, whose allocation in the
 * task's context refuses that node; one whose target the cpuset allows is
 * claimed.  The test's own mems_allowed stands for the task's cpuset, and
 * memory-tiering mode is set for the duration (no scan runs at boot).
 */
#ifdef CONFIG_CPUSETS
static void pghot_hint_test_cpuset(struct kunit *test)
{
	int mode = sysctl_numa_balancing_mode, nid, lower = NUMA_NO_NODE;
	int target = NUMA_NO_NODE;
	nodemask_t saved = current->mems_allowed, without;
	struct vm_area_struct vma = { };
	struct pghot_hint hint;
	struct folio *folio;
	bool claimed;

	for_each_node_state(nid, N_MEMORY) {
		if (__pghot_tracks_node(nid))
			lower = nid;
		else if (node_is_toptier(nid))
			target = nid;
	}
	if (lower == NUMA_NO_NODE || target == NUMA_NO_NODE)
		kunit_skip(test, "needs a tracked lower-tier node and a top-tier node");
	folio = pghot_test_lru_folio(lower);
	KUNIT_ASSERT_NOT_NULL(test, folio);

	sysctl_numa_balancing_mode = mode | NUMA_BALANCING_MEMORY_TIERING;
	without = node_states[N_MEMORY];
	node_clear(target, without);
	set_mems_allowed(without);
	claimed = __pghot_claim_hint_fault(folio, &vma, target, &hint);
	set_mems_allowed(saved);
	KUNIT_EXPECT_FALSE_MSG(test, claimed,
			       "claimed a fault bound for node %d, outside the cpuset",
			       target);
	KUNIT_EXPECT_TRUE(test, __pghot_claim_hint_fault(folio, &vma, target,
							 &hint));
	KUNIT_EXPECT_EQ(test, hint.nid, target);
	KUNIT_EXPECT_EQ(test, hint.pfn, folio_pfn(folio));
	sysctl_numa_balancing_mode = mode;
	folio_put(folio);
}
#else
static void pghot_hint_test_cpuset(struct kunit *test)
{
	kunit_skip(test, "no cpusets (CONFIG_CPUSETS)");
}
#endif

static struct kunit_case pghot_hint_test_cases[] = {
	KUNIT_CASE(pghot_hint_test_cpuset),
	{}
};

static struct kunit_suite pghot_hint_test_suite = {
	.name = "pghot_hint",
	.test_cases = pghot_hint_test_cases,
};

kunit_test_suite(pghot_hint_test_suite);

#endif /* _PGHOT_HINTFAULT_KUNIT_H */

#endif /* CONFIG_PGHOT_KUNIT_TEST */
