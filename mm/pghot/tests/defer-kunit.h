/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the rings of deferred accesses (pghot_defer), included at
 * the end of defer.c so that they reach its static functions and types.
 */
#ifdef CONFIG_PGHOT_KUNIT_TEST

#ifndef _PGHOT_DEFER_KUNIT_H
#define _PGHOT_DEFER_KUNIT_H

#include <kunit/test.h>
#include <linux/irq_work.h>
#include <linux/pghot.h>

#include "kunit-common.h"

static void pghot_defer_test_ring_order(struct kunit *test)
{
	struct pghot_defer_ring *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct pghot_deferred d;
	unsigned long i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	for (i = 0; i < PGHOT_DEFER_SLOTS; i++)
		KUNIT_ASSERT_TRUE(test, pghot_defer_push(r, 1000 + i, (int)i % 3 - 1,
							 i % NR_PGHOT_SRC, i + 1, i * 7));
	KUNIT_EXPECT_FALSE(test, pghot_defer_push(r, 1, 0, 0, 1, 0));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&r->overflow), 1);

	for (i = 0; i < PGHOT_DEFER_SLOTS; i++) {
		KUNIT_ASSERT_TRUE(test, pghot_defer_pop(r, &d));
		KUNIT_EXPECT_EQ(test, d.pfn, 1000 + i);
		KUNIT_EXPECT_EQ(test, d.nid, (int)i % 3 - 1);
		KUNIT_EXPECT_EQ(test, d.src, (int)(i % NR_PGHOT_SRC));
		KUNIT_EXPECT_EQ(test, d.weight, i + 1);
		KUNIT_EXPECT_EQ(test, d.now, i * 7);
	}
	KUNIT_EXPECT_FALSE(test, pghot_defer_pop(r, &d));
	/* the dropped access was never queued */
	KUNIT_EXPECT_EQ(test, r->head, PGHOT_DEFER_SLOTS);
}

static void pghot_defer_test_wrap_and_publish(struct kunit *test)
{
	struct pghot_defer_ring *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct pghot_deferred d;
	unsigned long i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	/* go round the ring several times, two in flight at a time */
	KUNIT_ASSERT_TRUE(test, pghot_defer_push(r, 0, 0, 0, 1, 0));
	for (i = 1; i < 3 * PGHOT_DEFER_SLOTS; i++) {
		KUNIT_ASSERT_TRUE(test, pghot_defer_push(r, i, 0, 0, 1, 0));
		KUNIT_ASSERT_TRUE(test, pghot_defer_pop(r, &d));
		KUNIT_EXPECT_EQ(test, d.pfn, i - 1);
	}
	KUNIT_ASSERT_TRUE(test, pghot_defer_pop(r, &d));
	KUNIT_EXPECT_FALSE(test, pghot_defer_pop(r, &d));

	/* a slot reserved but not yet published stops the consumer */
	KUNIT_ASSERT_TRUE(test, pghot_defer_push(r, 10, 0, 0, 1, 0));
	KUNIT_ASSERT_TRUE(test, pghot_defer_push(r, 11, 0, 0, 1, 0));
	WRITE_ONCE(r->slots[r->tail % PGHOT_DEFER_SLOTS].ready, 0);
	KUNIT_EXPECT_FALSE(test, pghot_defer_pop(r, &d));
	WRITE_ONCE(r->slots[r->tail % PGHOT_DEFER_SLOTS].ready, 1);
	KUNIT_ASSERT_TRUE(test, pghot_defer_pop(r, &d));
	KUNIT_EXPECT_EQ(test, d.pfn, 10);
	KUNIT_ASSERT_TRUE(test, pghot_defer_pop(r, &d));
	KUNIT_EXPECT_EQ(test, d.pfn, 11);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&r->overflow), 0);
}

/* Report accesses from a hard interrupt, as a sampling source would. */
struct pghot_defer_irq {
	struct irq_work work;
	unsigned int nr;	/* accesses to report */
	unsigned int queued, full, other;
	bool in_task;
};

/* A page frame no memory model has: refused as invalid once replayed. */
#define PGHOT_TEST_BAD_PFN	(~0UL >> 8)

static void pghot_defer_irq_fn(struct irq_work *work)
{
	struct pghot_defer_irq *t = container_of(work, struct pghot_defer_irq, work);
	unsigned int i;

	t->in_task = in_task();
	for (i = 0; i < t->nr; i++) {
		int err = __pghot_record_access(PGHOT_TEST_BAD_PFN,
						NUMA_NO_NODE, PGHOT_SRC_INJECT,
						1, jiffies);

		if (!err)
			t->queued++;
		else if (err == -EAGAIN)
			t->full++;
		else
			t->other++;
	}
}

/*
 * More accesses than a ring holds, from one interrupt: the worker may drain
 * the ring meanwhile from another CPU, so how many are queued varies, but
 * each one must be counted exactly once, replayed (and refused as invalid,
 * here) or dropped as the ring was full.
 */
static void pghot_defer_test_from_hardirq(struct kunit *test)
{
	unsigned long invalid, full;
	struct pghot_defer_irq t = {
		.nr = PGHOT_DEFER_SLOTS + 8,
	};

	if (!IS_ENABLED(CONFIG_VM_EVENT_COUNTERS))
		kunit_skip(test, "needs CONFIG_VM_EVENT_COUNTERS");
	invalid = pghot_test_event(test, PGHOT_REJECT_INVALID);
	full = pghot_test_event(test, PGHOT_DROP_DEFERRED_FULL);

	/* a hard interrupt on PREEMPT_RT too, where irq_work runs in a thread */
	t.work = IRQ_WORK_INIT_HARD(pghot_defer_irq_fn);
	irq_work_queue(&t.work);
	irq_work_sync(&t.work);
	pghot_defer_flush();

	if (t.other == t.nr)
		kunit_skip(test, "pghot is inert here: no lower-tier memory");
	KUNIT_EXPECT_FALSE(test, t.in_task);
	KUNIT_EXPECT_EQ(test, t.other, 0);
	KUNIT_EXPECT_EQ(test, t.queued + t.full, t.nr);
	KUNIT_EXPECT_GT(test, t.queued, 0);
	KUNIT_EXPECT_EQ(test, pghot_test_event(test, PGHOT_REJECT_INVALID) - invalid,
			t.queued);
	KUNIT_EXPECT_EQ(test, pghot_test_event(test, PGHOT_DROP_DEFERRED_FULL) - full,
			t.full);
}

static struct kunit_case pghot_defer_test_cases[] = {
	KUNIT_CASE(pghot_defer_test_ring_order),
	KUNIT_CASE(pghot_defer_test_wrap_and_publish),
	KUNIT_CASE(pghot_defer_test_from_hardirq),
	{}
};

static struct kunit_suite pghot_defer_test_suite = {
	.name = "pghot_defer",
	.test_cases = pghot_defer_test_cases,
};

kunit_test_suite(pghot_defer_test_suite);

#endif /* _PGHOT_DEFER_KUNIT_H */

#endif /* CONFIG_PGHOT_KUNIT_TEST */
