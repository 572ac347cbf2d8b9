/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by pghot's KUnit tests (the tests/<file>-kunit.h headers).
 */
#ifndef _PGHOT_KUNIT_COMMON_H
#define _PGHOT_KUNIT_COMMON_H

#include <kunit/test.h>
#include <linux/vmstat.h>

/* The sum over all CPUs of the event counter @item. */
static inline unsigned long pghot_test_event(struct kunit *test,
					     enum vm_event_item item)
{
	unsigned long *ev = kunit_kcalloc(test, NR_VM_EVENT_ITEMS, sizeof(*ev),
					  GFP_KERNEL);
	unsigned long v;

	KUNIT_ASSERT_NOT_NULL(test, ev);
	all_vm_events(ev);
	v = ev[item];
	kunit_kfree(test, ev);
	return v;
}

#endif /* _PGHOT_KUNIT_COMMON_H */
