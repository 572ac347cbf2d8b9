/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cases of pghot_freq_decay(), shared by the KUnit suite pghot_freq
 * (core-kunit.h) and the userland harness (tools/testing/pghot), so that
 * both test the same table.  Needs UINT_MAX and ULONG_MAX.
 */
#ifndef _PGHOT_TEST_DECAY_CASES_H
#define _PGHOT_TEST_DECAY_CASES_H

struct pghot_decay_case {
	const char *desc;
	unsigned int freq;
	unsigned long elapsed;
	unsigned long window;
	unsigned int expected;
};

static const struct pghot_decay_case pghot_decay_cases[] = {
	{ "same window keeps history",	8, 99, 100, 8 },
	{ "one window halves",		8, 100, 100, 4 },
	{ "partial windows round down",	8, 250, 100, 2 },
	{ "cools to zero",		8, 400, 100, 0 },
	{ "31 windows keep the top bit", UINT_MAX, 3100, 100, 1 },
	{ "32 windows forget all",	UINT_MAX, 3200, 100, 0 },
	{ "huge gap forgets all",	UINT_MAX, ULONG_MAX, 1, 0 },
	{ "zero window never decays",	5, 1000, 0, 5 },
};

#endif /* _PGHOT_TEST_DECAY_CASES_H */
