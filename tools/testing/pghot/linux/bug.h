/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tools/include/linux/bug.h lacks the WARN_* family that the kernel's
 * min_heap.h uses; take it from tools/include/asm/bug.h.
 */
#ifndef _PGHOT_TEST_LINUX_BUG_H
#define _PGHOT_TEST_LINUX_BUG_H

#include <asm/bug.h>
#include <linux/build_bug.h>

#endif /* _PGHOT_TEST_LINUX_BUG_H */
