// SPDX-License-Identifier: GPL-2.0
/*
 * pghot core: the pure part of hot page tracking.
 *
 * Nothing here touches a folio, a pgdat, a sysctl or a vmstat counter, and
 * time is always passed in by the caller.  tools/testing/pghot builds this
 * file in user space under ASan/UBSan; keep it that way.
 */
#include "pghot_core.h"

/**
 * pghot_freq_decay() - carry an access frequency across frequency windows
 * @freq: the frequency as of the start of the window it was counted in
 * @elapsed: time since the start of that window
 * @window: the window length, in the same unit as @elapsed; 0 disables decay
 *
 * History is halved for every full window that passed.  A page that was hot
 * and went quiet therefore cools in log2(@freq) windows: it is neither
 * forgotten at the first window boundary nor kept hot forever.
 *
 * Return: the decayed frequency.
 */
unsigned int pghot_freq_decay(unsigned int freq, unsigned long elapsed,
			      unsigned long window)
{
	unsigned long nr;

	if (!window)
		return freq;

	nr = elapsed / window;
	if (nr >= BITS_PER_TYPE(freq))
		return 0;

	return freq >> nr;
}
EXPORT_SYMBOL_IF_KUNIT(pghot_freq_decay);
