/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by pghot's KUnit tests (the tests/<file>-kunit.h headers).
 */
#ifndef _PGHOT_KUNIT_COMMON_H
#define _PGHOT_KUNIT_COMMON_H

#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/swap.h>
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

/*
 * A page of node @nid on an LRU list, as a user page would be, or NULL.
 * The caller drops it with folio_put().
 */
static inline struct folio *pghot_test_lru_folio(int nid)
{
	struct folio *folio;

	folio = __folio_alloc_node(GFP_HIGHUSER_MOVABLE | __GFP_THISNODE, 0, nid);
	if (folio) {
		folio_add_lru(folio);
		lru_add_drain();
	}
	return folio;
}

#endif /* _PGHOT_KUNIT_COMMON_H */
