/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The single include funnel of the pure pghot core (mm/pghot/core.c).
 *
 * The core must not depend on folios, pgdats, sysctls or vmstat, and takes
 * time as an argument, so that tools/testing/pghot can build it in user space
 * by providing its own header with the same include guard.
 */
#ifndef __MM_PGHOT_CORE_INTERNAL_H
#define __MM_PGHOT_CORE_INTERNAL_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/hash.h>
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/min_heap.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#endif /* __MM_PGHOT_CORE_INTERNAL_H */
