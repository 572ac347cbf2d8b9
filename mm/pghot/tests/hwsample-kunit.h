/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the hardware-sample source (pghot_hw), included at the end
 * of hwsample.c.  No PMU is needed: the samples are made up, and fed to the
 * source's overflow handler from a real NMI, raised on the test's CPU.
 */
#ifdef CONFIG_PGHOT_KUNIT_TEST

#ifndef _PGHOT_HWSAMPLE_KUNIT_H
#define _PGHOT_HWSAMPLE_KUNIT_H

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/memory-tiers.h>
#include <linux/nmi.h>
#include <linux/nodemask.h>

#include <asm/apic.h>

#include "../internal.h"
#include "kunit-common.h"

/* The counters pghot_hw_sample() counts in, besides PGHOT_HW_SAMPLES. */
static const enum vm_event_item pghot_hw_test_outcomes[] = {
	PGHOT_HW_REPORTED, PGHOT_HW_DROP_NO_ADDR, PGHOT_HW_DROP_CACHE,
	PGHOT_HW_DROP_TOPTIER, PGHOT_HW_DROP_RING_FULL, PGHOT_HW_DROP_OFF,
};

/*
 * A test's folios: one on a tracked lower-tier node, one on a top-tier node.
 * The lower one is pinned as for DMA, so that kpromoted, woken when its
 * record turns hot, leaves it on its LRU list (KPROMOTED_FAIL_PINNED)
 * rather than isolating it while the test reports it.
 */
struct pghot_hw_test_pages {
	struct folio *lower, *top;
	bool was_on;
};

static void pghot_hw_test_get_pages(struct kunit *test,
				    struct pghot_hw_test_pages *p)
{
	int nid, lower = NUMA_NO_NODE, top = NUMA_NO_NODE;

	for_each_node_state(nid, N_MEMORY) {
		if (__pghot_tracks_node(nid))
			lower = nid;
		else if (node_is_toptier(nid))
			top = nid;
	}
	if (lower == NUMA_NO_NODE || top == NUMA_NO_NODE)
		kunit_skip(test, "needs a tracked lower-tier node and a top-tier node");
	p->lower = pghot_test_lru_folio(lower);
	KUNIT_ASSERT_NOT_NULL(test, p->lower);
	p->top = pghot_test_lru_folio(top);
	if (!p->top)
		folio_put(p->lower);
	KUNIT_ASSERT_NOT_NULL(test, p->top);
	folio_ref_add(p->lower, GUP_PIN_COUNTING_BIAS);
	/* the free hook is armed once pghot is first on, and stays so */
	p->was_on = pghot_enabled();
	static_branch_enable(&pghot_free_key);
	static_branch_enable(&pghot_enabled_key);
}

static void pghot_hw_test_put_pages(struct pghot_hw_test_pages *p)
{
	if (!p->was_on)
		static_branch_disable(&pghot_enabled_key);
	folio_ref_sub(p->lower, GUP_PIN_COUNTING_BIAS);
	folio_put(p->lower);
	folio_put(p->top);
}

/* A sample of an access to @folio, served from @lvl_num (PERF_MEM_LVLNUM_*). */
static void pghot_hw_test_data(struct perf_sample_data *data,
			       struct folio *folio, u8 lvl_num)
{
	memset(data, 0, sizeof(*data));
	data->phys_addr = PFN_PHYS(folio_pfn(folio)) + 0x40;
	data->data_src.mem_op = PERF_MEM_OP_LOAD;
	data->data_src.mem_lvl_num = lvl_num;
	data->sample_flags = PERF_SAMPLE_PHYS_ADDR | PERF_SAMPLE_DATA_SRC;
}

/*
 * Each kind of sample lands in its counter, and only there: no physical
 * address, a cache hit, an access with no data source, memory of a
 * top-tier node, and memory of the lower tier in DRAM, persistent memory,
 * CXL memory and remote DRAM (the older encoding, mem_lvl only).  A report
 * is recorded with the source's own counter; pghot off drops it.
 */
static void pghot_hw_test_classes(struct kunit *test)
{
	struct pghot_hw_test_pages p;
	struct perf_sample_data data;
	unsigned long before[ARRAY_SIZE(pghot_hw_test_outcomes)], samples;
	unsigned long recorded;
	const struct {
		const char *what;
		u8 lvl_num;
		bool top;
		u64 flags;
		enum vm_event_item want;
	} cases[] = {
		{ "no address", PERF_MEM_LVLNUM_RAM, false, PERF_SAMPLE_DATA_SRC,
		  PGHOT_HW_DROP_NO_ADDR },
		{ "L3 hit", PERF_MEM_LVLNUM_L3, false, 0, PGHOT_HW_DROP_CACHE },
		{ "no data source", PERF_MEM_LVLNUM_RAM, false,
		  PERF_SAMPLE_PHYS_ADDR, PGHOT_HW_DROP_CACHE },
		{ "top-tier DRAM", PERF_MEM_LVLNUM_RAM, true, 0,
		  PGHOT_HW_DROP_TOPTIER },
		{ "lower-tier DRAM", PERF_MEM_LVLNUM_RAM, false, 0,
		  PGHOT_HW_REPORTED },
		{ "PMEM", PERF_MEM_LVLNUM_PMEM, false, 0, PGHOT_HW_REPORTED },
		{ "CXL", PERF_MEM_LVLNUM_CXL, false, 0, PGHOT_HW_REPORTED },
		{ "remote DRAM", PERF_MEM_LVLNUM_NA, false, 0,
		  PGHOT_HW_REPORTED },
	};
	unsigned int i, j, reported = 0;

	pghot_hw_test_get_pages(test, &p);
	recorded = pghot_test_event(test, PGHOT_RECORD_HW_HINT);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct folio *folio = p.lower;

		if (cases[i].top)
			folio = p.top;
		pghot_hw_test_data(&data, folio, cases[i].lvl_num);
		if (cases[i].flags)
			data.sample_flags = cases[i].flags;
		if (cases[i].lvl_num == PERF_MEM_LVLNUM_NA)
			data.data_src.mem_lvl = PERF_MEM_LVL_REM_RAM1 |
						PERF_MEM_LVL_HIT;
		samples = pghot_test_event(test, PGHOT_HW_SAMPLES);
		for (j = 0; j < ARRAY_SIZE(pghot_hw_test_outcomes); j++)
			before[j] = pghot_test_event(test,
						     pghot_hw_test_outcomes[j]);
		KUNIT_EXPECT_EQ_MSG(test, pghot_hw_sample(&data, 65536),
				    cases[i].want, "%s", cases[i].what);
		KUNIT_EXPECT_EQ_MSG(test, pghot_test_event(test, PGHOT_HW_SAMPLES),
				    samples + 1, "%s", cases[i].what);
		for (j = 0; j < ARRAY_SIZE(pghot_hw_test_outcomes); j++)
			KUNIT_EXPECT_EQ_MSG(test,
					    pghot_test_event(test, pghot_hw_test_outcomes[j]),
					    before[j] + (pghot_hw_test_outcomes[j] ==
							 cases[i].want),
					    "%s: counter %u", cases[i].what, j);
		reported += cases[i].want == PGHOT_HW_REPORTED;
	}
	/* in task context the report is recorded at once */
	KUNIT_EXPECT_EQ(test, pghot_test_event(test, PGHOT_RECORD_HW_HINT),
			recorded + reported);

	static_branch_disable(&pghot_enabled_key);
	pghot_hw_test_data(&data, p.lower, PERF_MEM_LVLNUM_RAM);
	KUNIT_EXPECT_EQ(test, pghot_hw_sample(&data, 65536), PGHOT_HW_DROP_OFF);
	static_branch_enable(&pghot_enabled_key);
	pghot_hw_test_put_pages(&p);
}

/* One operation in @period sampled: a sample stands for @period accesses. */
static void pghot_hw_test_weight(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pghot_hw_weight(PGHOT_HW_PERIOD_MIN),
			PGHOT_HW_PERIOD_MIN);
	KUNIT_EXPECT_EQ(test, pghot_hw_weight(PGHOT_HW_PERIOD_MAX), U16_MAX);
}

/*
 * What an NMI raised by pghot_hw_test_nmi_raise() does: feed @nr copies of
 * @data to the overflow handler on the test's CPU.
 */
struct pghot_hw_test_nmi {
	struct perf_sample_data data;
	unsigned int nr;
	int cpu;
	bool pending;
	unsigned int handled, in_nmi;
};

static struct pghot_hw_test_nmi *pghot_hw_test_nmi;

static int pghot_hw_test_nmi_handler(unsigned int type, struct pt_regs *regs)
{
	struct pghot_hw_test_nmi *t = READ_ONCE(pghot_hw_test_nmi);
	unsigned int i;

	if (!t || t->cpu != smp_processor_id() || !READ_ONCE(t->pending))
		return NMI_DONE;
	t->in_nmi += !!in_nmi();
	for (i = 0; i < t->nr; i++)
		pghot_hw_overflow(NULL, &t->data, regs);
	t->handled++;
	WRITE_ONCE(t->pending, false);
	return NMI_HANDLED;
}

/*
 * Raise an NMI on this CPU (an IPI with NMI delivery) and wait for the
 * handler to run; false if it never did within a second.
 */
static bool pghot_hw_test_nmi_raise(struct pghot_hw_test_nmi *t)
{
	ktime_t end = ktime_add_ms(ktime_get(), MSEC_PER_SEC);

	preempt_disable();
	t->cpu = smp_processor_id();
	WRITE_ONCE(t->pending, true);
	__apic_send_IPI(t->cpu, NMI_VECTOR);
	while (READ_ONCE(t->pending) && ktime_before(ktime_get(), end))
		cpu_relax();
	preempt_enable();
	return !READ_ONCE(t->pending);
}

/* Let NMIs raised from now on feed @t to the overflow handler. */
static void pghot_hw_test_nmi_begin(struct kunit *test,
				    struct pghot_hw_test_nmi *t)
{
	WRITE_ONCE(pghot_hw_test_nmi, t);
	KUNIT_ASSERT_EQ(test, register_nmi_handler(NMI_LOCAL,
						   pghot_hw_test_nmi_handler,
						   0, "pghot_kunit"), 0);
}

static void pghot_hw_test_nmi_end(void)
{
	unregister_nmi_handler(NMI_LOCAL, "pghot_kunit");
	WRITE_ONCE(pghot_hw_test_nmi, NULL);
}

/*
 * Samples reported from NMI context reach the record table: PGHOT_NMI_ROUNDS
 * NMIs each report a sample of the same lower-tier page.  Each is queued
 * (the ring is drained between NMIs), recorded once the rings are drained,
 * with the source's counter, and the page's record is dropped when the
 * page is freed.
 */
#define PGHOT_NMI_ROUNDS	64

static void pghot_hw_test_from_nmi(struct kunit *test)
{
	unsigned long reported, recorded, created, freed, samples;
	struct pghot_hw_test_nmi *t;
	struct pghot_hw_test_pages p;
	unsigned int i;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	pghot_hw_test_get_pages(test, &p);
	pghot_hw_test_data(&t->data, p.lower, PERF_MEM_LVLNUM_RAM);
	t->nr = 1;
	pghot_defer_flush();
	samples = pghot_test_event(test, PGHOT_HW_SAMPLES);
	reported = pghot_test_event(test, PGHOT_HW_REPORTED);
	recorded = pghot_test_event(test, PGHOT_RECORD_HW_HINT);
	created = pghot_test_event(test, PGHOT_RECORD_CREATED);

	pghot_hw_test_nmi_begin(test, t);
	for (i = 0; i < PGHOT_NMI_ROUNDS; i++) {
		if (!pghot_hw_test_nmi_raise(t))
			break;
		pghot_defer_flush();
	}
	pghot_hw_test_nmi_end();

	kunit_info(test, "%u NMIs raised, %u handled in NMI context\n", i,
		   t->in_nmi);
	KUNIT_EXPECT_EQ(test, i, PGHOT_NMI_ROUNDS);
	KUNIT_EXPECT_EQ(test, t->handled, i);
	KUNIT_EXPECT_EQ_MSG(test, t->in_nmi, t->handled,
			    "the handler ran outside NMI context");
	KUNIT_EXPECT_EQ(test, pghot_test_event(test, PGHOT_HW_SAMPLES) - samples,
			t->handled);
	KUNIT_EXPECT_EQ(test, pghot_test_event(test, PGHOT_HW_REPORTED) - reported,
			t->handled);
	KUNIT_EXPECT_EQ(test,
			pghot_test_event(test, PGHOT_RECORD_HW_HINT) - recorded,
			t->handled);
	KUNIT_EXPECT_GE(test, pghot_test_event(test, PGHOT_RECORD_CREATED) - created,
			1);
	/*
	 * kpromoted, woken by the hot record, may hold the folio for a moment
	 * (the pinned check comes after it takes a reference): the free, and
	 * the record's end, may come after the test's put.  Wait for it, but
	 * not forever.
	 */
	freed = pghot_test_event(test, PGHOT_RECORD_FREED);
	pghot_hw_test_put_pages(&p);
	for (i = 0; i < 100; i++) {
		if (pghot_test_event(test, PGHOT_RECORD_FREED) != freed)
			break;
		msleep(20);
	}
	KUNIT_EXPECT_EQ_MSG(test, pghot_test_event(test, PGHOT_RECORD_FREED) - freed,
			    1, "no record of the sampled page to drop");
}

/*
 * A full ring drops the sample and counts it: one NMI reports more samples
 * than a ring holds.  No one drains this CPU's ring during the NMI, so
 * some are dropped; every sample is counted once, as reported or as
 * dropped, and every reported one is recorded.
 */
static void pghot_hw_test_ring_full(struct kunit *test)
{
	unsigned long reported, full, recorded;
	struct pghot_hw_test_nmi *t;
	struct pghot_hw_test_pages p;
	bool raised;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	pghot_hw_test_get_pages(test, &p);
	pghot_hw_test_data(&t->data, p.lower, PERF_MEM_LVLNUM_CXL);
	t->nr = 1024;
	pghot_defer_flush();
	reported = pghot_test_event(test, PGHOT_HW_REPORTED);
	full = pghot_test_event(test, PGHOT_HW_DROP_RING_FULL);
	recorded = pghot_test_event(test, PGHOT_RECORD_HW_HINT);

	pghot_hw_test_nmi_begin(test, t);
	raised = pghot_hw_test_nmi_raise(t);
	pghot_hw_test_nmi_end();
	pghot_defer_flush();

	KUNIT_EXPECT_TRUE(test, raised);
	reported = pghot_test_event(test, PGHOT_HW_REPORTED) - reported;
	full = pghot_test_event(test, PGHOT_HW_DROP_RING_FULL) - full;
	kunit_info(test, "%u samples in one NMI: %lu queued, %lu dropped as the ring was full\n",
		   t->nr, reported, full);
	KUNIT_EXPECT_EQ(test, reported + full, t->nr);
	KUNIT_EXPECT_GT(test, full, 0);
	KUNIT_EXPECT_GT(test, reported, 0);
	KUNIT_EXPECT_EQ(test, pghot_test_event(test, PGHOT_RECORD_HW_HINT) - recorded,
			reported);
	pghot_hw_test_put_pages(&p);
}

/*
 * The sysctls: a period that is no multiple of 16, or out of range, is
 * refused and changes nothing; switching on where no counter can be made
 * fails, counts why, and reads back 0.
 */
static void pghot_hw_test_sysctls(struct kunit *test)
{
	struct ctl_table *period = &pghot_hw_sysctls[1];
	struct ctl_table *enabled = &pghot_hw_sysctls[0];
	unsigned int old = READ_ONCE(pghot_hw_period);
	static const char *const bad[] = { "4100", "4080", "1048576", "-16", "x" };
	unsigned long no_pmu;
	char buf[16];
	size_t len;
	loff_t pos;
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		strscpy(buf, bad[i]);
		len = strlen(buf);
		pos = 0;
		err = period->proc_handler(period, 1, buf, &len, &pos);
		KUNIT_EXPECT_EQ_MSG(test, err, -EINVAL, "period %s", bad[i]);
		KUNIT_EXPECT_EQ(test, READ_ONCE(pghot_hw_period), old);
	}
	strscpy(buf, "8192");
	len = strlen(buf);
	pos = 0;
	KUNIT_EXPECT_EQ(test, period->proc_handler(period, 1, buf, &len, &pos), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(pghot_hw_period), 8192);
	WRITE_ONCE(pghot_hw_period, old);

	if (READ_ONCE(pghot_hw_state))
		kunit_skip(test, "the source is on");
	no_pmu = pghot_test_event(test, PGHOT_HW_NO_PMU);
	strscpy(buf, "1");
	len = 1;
	pos = 0;
	err = enabled->proc_handler(enabled, 1, buf, &len, &pos);
	if (!err) {
		/* a PMU: switch it off again, and say that this was not tested */
		strscpy(buf, "0");
		len = 1;
		pos = 0;
		enabled->proc_handler(enabled, 1, buf, &len, &pos);
		kunit_skip(test, "this CPU has a sampling PMU: the refusal is untested");
	}
	KUNIT_EXPECT_EQ(test, err, -ENODEV);
	KUNIT_EXPECT_EQ(test, pghot_test_event(test, PGHOT_HW_NO_PMU), no_pmu + 1);
	KUNIT_EXPECT_EQ(test, READ_ONCE(pghot_hw_state), 0);
	len = sizeof(buf);
	pos = 0;
	KUNIT_EXPECT_EQ(test, enabled->proc_handler(enabled, 0, buf, &len, &pos), 0);
	KUNIT_EXPECT_EQ(test, buf[0], '0');
}

static struct kunit_case pghot_hw_test_cases[] = {
	KUNIT_CASE(pghot_hw_test_classes),
	KUNIT_CASE(pghot_hw_test_weight),
	KUNIT_CASE(pghot_hw_test_from_nmi),
	KUNIT_CASE(pghot_hw_test_ring_full),
	KUNIT_CASE(pghot_hw_test_sysctls),
	{}
};

static struct kunit_suite pghot_hw_test_suite = {
	.name = "pghot_hw",
	.test_cases = pghot_hw_test_cases,
};

kunit_test_suite(pghot_hw_test_suite);

#endif /* _PGHOT_HWSAMPLE_KUNIT_H */

#endif /* CONFIG_PGHOT_KUNIT_TEST */
