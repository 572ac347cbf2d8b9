/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pghot core: the hotness model and the record structures, free of any
 * kernel-only state so that tools/testing/pghot can test it in user space.
 */
#ifndef __MM_PGHOT_CORE_H
#define __MM_PGHOT_CORE_H

#include "pghot_internal.h"

unsigned int pghot_freq_decay(unsigned int freq, unsigned long elapsed,
			      unsigned long window);

#endif /* __MM_PGHOT_CORE_H */
