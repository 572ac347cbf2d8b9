/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pghot internals shared by mm/pghot.c and its KUnit tests.
 */
#ifndef __MM_PGHOT_H
#define __MM_PGHOT_H

#include "pghot_core.h"

#if IS_ENABLED(CONFIG_KUNIT)
int pghot_promotion_target(int nid);
#endif

#endif /* __MM_PGHOT_H */
