// SPDX-License-Identifier: GPL-2.0
/*
 * pghot: accesses reported from NMI or interrupt context.
 *
 * The record path takes a bucket lock and may allocate, so it runs in task
 * context only.  A source that samples from an NMI (AMD IBS) or an interrupt
 * handler instead appends the access to a per-CPU ring without taking any
 * lock; an irq_work then queues one work item that replays every CPU's ring
 * into the record table.  A full ring drops the access and counts it in
 * pghot_drop_deferred_full.
 *
 * Producers on one CPU may nest (an NMI interrupting an interrupt handler),
 * so a slot is reserved with a cmpxchg on the ring's head and published by
 * its own ready flag.  The work item is the only consumer; it hands each
 * access to the function record.c gave pghot_defer_init(), so this file
 * knows nothing of the record table.
 *
 * See Documentation/mm/pghot.rst.
 */
#define pr_fmt(fmt) "pghot: " fmt

#include <linux/atomic.h>
#include <linux/init.h>
#include <linux/irq_work.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/vmstat.h>
#include <linux/workqueue.h>

#include "internal.h"

/* Slots in each CPU's ring of deferred accesses; a power of two. */
#define PGHOT_DEFER_SLOTS	256

/**
 * struct pghot_deferred - an access reported from NMI or interrupt context
 * @pfn: the page frame
 * @now: the time of the access, in jiffies
 * @nid: the accessing node, or NUMA_NO_NODE
 * @src: the source
 * @weight: how many accesses it counts for
 * @ready: set once the producer has filled the slot
 */
struct pghot_deferred {
	unsigned long pfn;
	unsigned long now;
	int nid;
	u16 src;
	u16 weight;
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

/*
 * The rings, published once by pghot_defer_init() with release semantics
 * (smp_store_release()) after they and the irq_works and the work item are
 * set up; producers read the pointer with smp_load_acquire().  Never freed.
 */
static struct pghot_defer_ring __percpu *pghot_rings;
static DEFINE_PER_CPU(struct irq_work, pghot_defer_irq_work);
static struct work_struct pghot_defer_work;
/* Set with the rings, before they are published; never changes. */
static pghot_replay_fn pghot_defer_replay;

/**
 * pghot_defer_push() - append an access to a ring, from any context
 * @r: the ring
 * @pfn: the page frame
 * @nid: the accessing node, or NUMA_NO_NODE
 * @src: the source
 * @weight: how many accesses it counts for, at most U16_MAX
 * @now: the time of the access, in jiffies
 *
 * Lockless and NMI-safe where cmpxchg is (ARCH_HAVE_NMI_SAFE_CMPXCHG).
 *
 * Return: true if queued, false if the ring was full (counted in
 * @r->overflow).
 */
static bool pghot_defer_push(struct pghot_defer_ring *r, unsigned long pfn,
			     int nid, int src, unsigned int weight,
			     unsigned long now)
{
	unsigned long head = READ_ONCE(r->head);
	struct pghot_deferred *d;

	do {
		/* Pairs with the release of ->tail in pghot_defer_pop(). */
		if (head - smp_load_acquire(&r->tail) >= PGHOT_DEFER_SLOTS) {
			atomic_long_inc(&r->overflow);
			return false;
		}
	} while (!try_cmpxchg(&r->head, &head, head + 1));

	d = &r->slots[head % PGHOT_DEFER_SLOTS];
	d->pfn = pfn;
	d->now = now;
	d->nid = nid;
	d->src = src;
	d->weight = weight;
	/* Publish the slot: pairs with the acquire of ->ready in pghot_defer_pop(). */
	smp_store_release(&d->ready, 1);
	return true;
}

/**
 * pghot_defer_pop() - take the oldest access off a ring
 * @r: the ring; the caller is its only consumer
 * @out: where to copy the access
 *
 * Return: true if @out was filled, false if the ring holds no published
 * access (a slot still being written by its producer ends the batch; it is
 * taken next time).
 */
static bool pghot_defer_pop(struct pghot_defer_ring *r,
			    struct pghot_deferred *out)
{
	unsigned long tail = r->tail;
	struct pghot_deferred *d = &r->slots[tail % PGHOT_DEFER_SLOTS];

	/* Pairs with the release of ->ready in pghot_defer_push(). */
	if (!smp_load_acquire(&d->ready))
		return false;
	*out = *d;
	WRITE_ONCE(d->ready, 0);
	/* Free the slot only after it was read and cleared. */
	smp_store_release(&r->tail, tail + 1);
	return true;
}

/* Replay every CPU's ring into the record table. */
static void pghot_defer_work_fn(struct work_struct *work)
{
	struct pghot_deferred d;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct pghot_defer_ring *r = per_cpu_ptr(pghot_rings, cpu);
		unsigned int n = 0;

		while (pghot_defer_pop(r, &d)) {
			pghot_defer_replay(d.pfn, d.nid, d.src, d.weight, d.now);
			if (!(++n % 64))
				cond_resched();
		}
		count_vm_events(PGHOT_DROP_DEFERRED_FULL,
				atomic_long_xchg(&r->overflow, 0));
	}
}

static void pghot_defer_irq_work_fn(struct irq_work *work)
{
	queue_work(system_unbound_wq, &pghot_defer_work);
}

/**
 * pghot_defer_access() - report an access from NMI or interrupt context
 * @pfn: the page frame that was accessed
 * @nid: node of the accessing CPU, or NUMA_NO_NODE
 * @src: the source
 * @weight: how many accesses it counts for (1 to U16_MAX)
 * @now: time of the access, in jiffies
 *
 * The access is checked and counted when it is replayed, in task context.
 *
 * Return: 0 if queued, -EAGAIN if this CPU's ring is full, -ENODEV if
 * there are no rings (pghot is inert), -EOPNOTSUPP from an NMI where
 * cmpxchg is not NMI-safe.
 */
int pghot_defer_access(unsigned long pfn, int nid, int src,
		       unsigned int weight, unsigned long now)
{
	struct pghot_defer_ring __percpu *rings;
	bool queued;

	if (!IS_ENABLED(CONFIG_ARCH_HAVE_NMI_SAFE_CMPXCHG) && in_nmi())
		return -EOPNOTSUPP;
	/* pairs with the release in pghot_defer_init() */
	rings = smp_load_acquire(&pghot_rings);
	if (!rings)
		return -ENODEV;
	queued = pghot_defer_push(this_cpu_ptr(rings), pfn, nid, src, weight,
				  now);
	/* also on overflow, so the drop gets counted */
	irq_work_queue(this_cpu_ptr(&pghot_defer_irq_work));
	return queued ? 0 : -EAGAIN;
}

/**
 * pghot_defer_init() - allocate the per-CPU rings
 * @replay: what records a deferred access, in task context
 *
 * Called once, by record.c, under its lock.
 *
 * Return: 0 or -ENOMEM, in which case deferred accesses are refused.
 */
int pghot_defer_init(pghot_replay_fn replay)
{
	struct pghot_defer_ring __percpu *rings;
	int cpu;

	INIT_WORK(&pghot_defer_work, pghot_defer_work_fn);
	for_each_possible_cpu(cpu)
		init_irq_work(per_cpu_ptr(&pghot_defer_irq_work, cpu),
			      pghot_defer_irq_work_fn);
	pghot_defer_replay = replay;
	rings = alloc_percpu(struct pghot_defer_ring);
	if (!rings)
		return -ENOMEM;
	/* pairs with the acquire in pghot_defer_access() */
	smp_store_release(&pghot_rings, rings);
	return 0;
}

#if IS_ENABLED(CONFIG_PGHOT_KUNIT_TEST)
/* Wait until every access deferred so far is replayed (task context). */
void pghot_defer_flush(void)
{
	int cpu;

	/* pairs with the release in pghot_defer_init() */
	if (!smp_load_acquire(&pghot_rings))
		return;
	for_each_possible_cpu(cpu)
		irq_work_sync(per_cpu_ptr(&pghot_defer_irq_work, cpu));
	flush_work(&pghot_defer_work);
}
#endif

#include "tests/defer-kunit.h"
