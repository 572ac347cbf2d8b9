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

#include <linux/init.h>
#include <linux/limits.h>
#include <linux/memory-tiers.h>
#include <linux/nodemask.h>
#include <linux/numa.h>
#include <linux/pghot.h>
#include <linux/sysctl.h>
#include <linux/topology.h>
#include <kunit/visibility.h>

#include "pghot.h"

DEFINE_STATIC_KEY_FALSE(pghot_enabled_key);

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
VISIBLE_IF_KUNIT int pghot_promotion_target(int nid)
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
};

/*
 * Memory tiers are assigned by memory_tier_late_init(), a late_initcall:
 * run after all of them so that the tiers seen here are the final ones.
 */
static int __init pghot_init(void)
{
	int nid;

	register_sysctl_init("vm", pghot_sysctls);

	for_each_node_state(nid, N_MEMORY) {
		int target = pghot_promotion_target(nid);

		if (target != NUMA_NO_NODE)
			pr_info("node %d is lower tier, promotion target node %d\n",
				nid, target);
	}
	return 0;
}
late_initcall_sync(pghot_init);
