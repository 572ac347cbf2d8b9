/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-in for mm/pghot_internal.h.
 *
 * It carries the same include guard, so when main.c includes it first the
 * kernel funnel is skipped and mm/pghot_core.c builds against these
 * definitions instead (the tools/testing/vma approach).
 */
#ifndef __MM_PGHOT_INTERNAL_H
#define __MM_PGHOT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/bitops.h>
#include <linux/types.h>

/* Everything is visible here; EXPORT_SYMBOL_IF_KUNIT() is emptied by the Makefile. */
#define VISIBLE_IF_KUNIT

#endif /* __MM_PGHOT_INTERNAL_H */
