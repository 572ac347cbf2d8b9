/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pghot internals shared by the files of mm/pghot/ and their KUnit tests.
 */
#ifndef __MM_PGHOT_INTERNAL_H
#define __MM_PGHOT_INTERNAL_H

#include <linux/atomic.h>
#include <linux/numa.h>
#include <linux/vm_event_item.h>

#include "core.h"

struct notifier_block;

/* Slots in each CPU's ring of deferred accesses; a power of two. */
#define PGHOT_DEFER_SLOTS	256

/**
 * struct pghot_deferred - an access reported from NMI or interrupt context
 * @pfn: the page frame
 * @now: the time of the access, in jiffies
 * @nid: the accessing node, or NUMA_NO_NODE
 * @src: the source
 * @ready: set once the producer has filled the slot
 */
struct pghot_deferred {
	unsigned long pfn;
	unsigned long now;
	int nid;
	int src;
	unsigned int ready;
};

/**
 * struct pghot_defer_ring - one CPU's deferred accesses
 * @head: the next slot to reserve; producers advance it by cmpxchg
 * @tail: the next slot to replay; only the consumer advances it
 * @overflow: accesses dropped because the ring was full
 * @slots: the ring
 */
struct pghot_defer_ring {
	unsigned long head;
	unsigned long tail;
	atomic_long_t overflow;
	struct pghot_deferred slots[PGHOT_DEFER_SLOTS];
};

/* record.c */
extern struct pghot_table *pghot_table;
extern struct pghot_heap *pghot_heaps[MAX_NUMNODES];

int pghot_promotion_target(int nid);
void pghot_params_get(struct pghot_params *p);
void pghot_records_free(struct hlist_head *freed);
int pghot_record_now(unsigned long pfn, int nid, int src, unsigned int weight,
		     unsigned long now);
void pghot_count_drop(unsigned long pfn, enum vm_event_item why);
#if IS_ENABLED(CONFIG_KUNIT)
int pghot_parse_boot_state(const char *str);
#endif

/* defer.c */
int pghot_defer_access(unsigned long pfn, int nid, int src, unsigned long now);
int pghot_defer_init(void);
#if IS_ENABLED(CONFIG_KUNIT)
bool pghot_defer_push(struct pghot_defer_ring *r, unsigned long pfn, int nid,
		      int src, unsigned long now);
bool pghot_defer_pop(struct pghot_defer_ring *r, struct pghot_deferred *out);
void pghot_defer_flush(void);
#endif

/* promote.c */
void pghot_kpromoted_wake(int nid);
int pghot_kpromoted_run(int nid);
void pghot_kpromoted_stop(int nid);
void pghot_kpromoted_init(void);
#if IS_ENABLED(CONFIG_KUNIT)
bool pghot_kpromoted_running(int nid);
int pghot_choose_target(int accessor, int nid, unsigned int order);
int pghot_memory_callback(struct notifier_block *self, unsigned long action,
			  void *arg);
#endif
#if IS_ENABLED(CONFIG_PGHOT_KUNIT_TEST)
struct ctl_table;
const struct ctl_table *pghot_sysctl_find(const char *name);
const struct ctl_table *kpromoted_sysctl_find(const char *name);
#endif

#endif /* __MM_PGHOT_INTERNAL_H */
