/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pghot internals shared by mm/pghot.c and its KUnit tests.
 */
#ifndef __MM_PGHOT_H
#define __MM_PGHOT_H

#include <linux/numa.h>

#include "pghot_core.h"

/* mm/pghot.c */
extern struct pghot_table *pghot_table;
extern struct pghot_heap *pghot_heaps[MAX_NUMNODES];

int pghot_promotion_target(int nid);
void pghot_params_get(struct pghot_params *p);
void pghot_records_free(struct hlist_head *freed);
#if IS_ENABLED(CONFIG_KUNIT)
int pghot_parse_boot_state(const char *str);
#endif

/* mm/pghot_promote.c */
void pghot_kpromoted_wake(int nid);
int pghot_kpromoted_run(int nid);
void pghot_kpromoted_init(void);

#endif /* __MM_PGHOT_H */
