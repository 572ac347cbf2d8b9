/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-in for mm/pghot/core_internal.h.
 *
 * It carries the same include guard, so when a test includes it first the
 * kernel funnel is skipped and mm/pghot/core.c builds against these
 * definitions instead (the tools/testing/vma approach).
 *
 * Allocations go through malloc with a leak counter and a fault-injection
 * countdown; spinlocks are pthread spinlocks, so lock imbalance shows up as
 * a hang or an assertion rather than passing silently.
 */
#ifndef __MM_PGHOT_CORE_INTERNAL_H
#define __MM_PGHOT_CORE_INTERNAL_H

#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/hash.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/overflow.h>
#include <linux/types.h>
#include "linux/bug.h"
#include "../../../include/linux/min_heap.h"

/* __counted_by() is defined empty by the Makefile. */

#ifndef U16_MAX
#define U16_MAX		((u16)~0U)
#endif
#ifndef U32_MAX
#define U32_MAX		((u32)~0U)
#endif

static inline u64 div64_ul(u64 dividend, unsigned long divisor)
{
	return dividend / divisor;
}

/* Locks: real ones, so that an unbalanced unlock or a self-deadlock shows. */
struct pghot_test_spinlock {
	pthread_spinlock_t l;
	int held;
};

#define spinlock_t struct pghot_test_spinlock

static inline void spin_lock_init(spinlock_t *s)
{
	pthread_spin_init(&s->l, PTHREAD_PROCESS_PRIVATE);
	s->held = 0;
}

static inline void spin_lock(spinlock_t *s)
{
	pthread_spin_lock(&s->l);
	s->held = 1;
}

/* no lockdep here: a nested lock is a lock */
#define SINGLE_DEPTH_NESTING	1

static inline void spin_lock_nested(spinlock_t *s, int subclass)
{
	spin_lock(s);
}

static inline void spin_unlock(spinlock_t *s)
{
	assert(s->held);
	s->held = 0;
	pthread_spin_unlock(&s->l);
}

#define lockdep_assert_held(s)	assert((s)->held)

/* atomic_long_t (from tools/include/linux/types.h) on the compiler's builtins */
#define atomic_long_read(v)	__atomic_load_n(&(v)->counter, __ATOMIC_RELAXED)
#define atomic_long_set(v, i)	__atomic_store_n(&(v)->counter, (i), __ATOMIC_RELAXED)
#define atomic_long_inc(v)	__atomic_add_fetch(&(v)->counter, 1, __ATOMIC_SEQ_CST)
#define atomic_long_dec(v)	__atomic_sub_fetch(&(v)->counter, 1, __ATOMIC_SEQ_CST)
#define atomic_long_add(i, v)	__atomic_add_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST)
#define atomic_long_sub(i, v)	__atomic_sub_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST)
#define atomic_long_try_cmpxchg(v, old, new)					\
	__atomic_compare_exchange_n(&(v)->counter, (old), (new), false,	\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)

/* Allocation with a leak counter and fault injection. */
#define GFP_KERNEL	0
#define __GFP_NOWARN	0
extern long pghot_test_nr_allocated;	/* live allocations */
extern long pghot_test_fail_after;	/* fail the allocation after this many; -1 never */

static inline void *pghot_test_alloc(size_t size)
{
	void *p;

	if (pghot_test_fail_after == 0)
		return NULL;
	if (pghot_test_fail_after > 0)
		pghot_test_fail_after--;
	p = calloc(1, size);
	if (p)
		__atomic_add_fetch(&pghot_test_nr_allocated, 1, __ATOMIC_RELAXED);
	return p;
}

static inline void pghot_test_free(void *p)
{
	if (p)
		__atomic_sub_fetch(&pghot_test_nr_allocated, 1, __ATOMIC_RELAXED);
	free(p);
}

static inline void *kzalloc(size_t size, int gfp)
{
	return pghot_test_alloc(size);
}

static inline void *kvzalloc(size_t size, int gfp)
{
	return pghot_test_alloc(size);
}

static inline void *kvcalloc(size_t n, size_t size, int gfp)
{
	return pghot_test_alloc(n * size);
}

#define kfree(p)			pghot_test_free(p)
#define kvfree(p)			pghot_test_free(p)

#endif /* __MM_PGHOT_CORE_INTERNAL_H */
