/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pghot: hot page tracking and promotion for tiered memory.
 *
 * See Documentation/admin-guide/mm/pghot.rst.
 */
#ifndef _LINUX_PGHOT_H
#define _LINUX_PGHOT_H

#include <linux/jump_label.h>

#ifdef CONFIG_PGHOT
DECLARE_STATIC_KEY_FALSE(pghot_enabled_key);

/**
 * pghot_enabled() - is hot page promotion switched on (vm.pghot_enabled)?
 *
 * A static branch: callers on hot paths pay nothing while pghot is off.
 */
static inline bool pghot_enabled(void)
{
	return static_branch_unlikely(&pghot_enabled_key);
}
#else
static inline bool pghot_enabled(void)
{
	return false;
}
#endif /* CONFIG_PGHOT */

#endif /* _LINUX_PGHOT_H */
