// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for pghot.
 *
 * The target-selection cases read the running system's memory tiers, so they
 * are meaningful on a tiered topology (the rig boots QEMU with a CPU-less
 * lower-tier node 1) and skip where there is no lower tier.
 */
#include <kunit/test.h>
#include <linux/limits.h>
#include <linux/memory-tiers.h>
#include <linux/nodemask.h>
#include <linux/numa.h>
#include <linux/topology.h>

#include "../pghot.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static void pghot_target_test_toptier_stays(struct kunit *test)
{
	int nid, nr_top = 0;

	for_each_node_state(nid, N_MEMORY) {
		if (!node_is_toptier(nid))
			continue;
		nr_top++;
		KUNIT_EXPECT_EQ_MSG(test, pghot_promotion_target(nid),
				    NUMA_NO_NODE, "top-tier node %d", nid);
	}
	KUNIT_EXPECT_GT(test, nr_top, 0);
}

static void pghot_target_test_invalid_node(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pghot_promotion_target(-1), NUMA_NO_NODE);
	KUNIT_EXPECT_EQ(test, pghot_promotion_target(MAX_NUMNODES), NUMA_NO_NODE);
	KUNIT_EXPECT_EQ(test, pghot_promotion_target(INT_MAX), NUMA_NO_NODE);
}

static void pghot_target_test_lower_tier_nearest(struct kunit *test)
{
	int nid, node, nr_lower = 0;

	for_each_node_state(nid, N_MEMORY) {
		int target;

		if (node_is_toptier(nid))
			continue;
		nr_lower++;
		target = pghot_promotion_target(nid);
		KUNIT_ASSERT_NE_MSG(test, target, NUMA_NO_NODE,
				    "lower-tier node %d has no target", nid);
		KUNIT_EXPECT_TRUE(test, node_is_toptier(target));
		KUNIT_EXPECT_TRUE(test, node_state(target, N_MEMORY));
		for_each_node_state(node, N_MEMORY) {
			if (!node_is_toptier(node))
				continue;
			KUNIT_EXPECT_LE_MSG(test, node_distance(nid, target),
					    node_distance(nid, node),
					    "node %d: target %d is farther than %d",
					    nid, target, node);
		}
	}
	if (!nr_lower)
		kunit_skip(test, "no lower-tier memory node on this system");
}

static struct kunit_case pghot_target_test_cases[] = {
	KUNIT_CASE(pghot_target_test_toptier_stays),
	KUNIT_CASE(pghot_target_test_invalid_node),
	KUNIT_CASE(pghot_target_test_lower_tier_nearest),
	{}
};

static struct kunit_suite pghot_target_test_suite = {
	.name = "pghot_target",
	.test_cases = pghot_target_test_cases,
};

struct pghot_decay_case {
	const char *desc;
	unsigned int freq;
	unsigned long elapsed;
	unsigned long window;
	unsigned int expected;
};

static const struct pghot_decay_case pghot_decay_cases[] = {
	{ "same window keeps history",	8, 99, 100, 8 },
	{ "one window halves",		8, 100, 100, 4 },
	{ "partial windows round down",	8, 250, 100, 2 },
	{ "cools to zero",		8, 400, 100, 0 },
	{ "31 windows keep the top bit", UINT_MAX, 3100, 100, 1 },
	{ "32 windows forget all",	UINT_MAX, 3200, 100, 0 },
	{ "huge gap forgets all",	UINT_MAX, ULONG_MAX, 1, 0 },
	{ "zero window never decays",	5, 1000, 0, 5 },
};

KUNIT_ARRAY_PARAM_DESC(pghot_decay, pghot_decay_cases, desc);

static void pghot_freq_test_decay(struct kunit *test)
{
	const struct pghot_decay_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, pghot_freq_decay(c->freq, c->elapsed, c->window),
			c->expected);
}

static struct kunit_case pghot_freq_test_cases[] = {
	KUNIT_CASE_PARAM(pghot_freq_test_decay, pghot_decay_gen_params),
	{}
};

static struct kunit_suite pghot_freq_test_suite = {
	.name = "pghot_freq",
	.test_cases = pghot_freq_test_cases,
};

kunit_test_suites(&pghot_target_test_suite, &pghot_freq_test_suite);

MODULE_DESCRIPTION("KUnit tests for pghot");
MODULE_LICENSE("GPL");
