// SPDX-License-Identifier: GPL-2.0
/*
 * User-space tests for the pure pghot core (mm/pghot_core.c).
 *
 * The core is included as a source file, so its static functions are
 * reachable too.  Output is TAP, via the kselftest helpers.
 */
#include "pghot_internal.h"
#include "../../../mm/pghot_core.c"

#include <limits.h>
#include <stdio.h>

#include "../selftests/kselftest.h"

struct decay_case {
	const char *desc;
	unsigned int freq;
	unsigned long elapsed;
	unsigned long window;
	unsigned int expected;
};

static const struct decay_case decay_cases[] = {
	{ "same window keeps history",	8, 99, 100, 8 },
	{ "one window halves",		8, 100, 100, 4 },
	{ "partial windows round down",	8, 250, 100, 2 },
	{ "cools to zero",		8, 400, 100, 0 },
	{ "31 windows keep the top bit", UINT_MAX, 3100, 100, 1 },
	{ "32 windows forget all",	UINT_MAX, 3200, 100, 0 },
	{ "huge gap forgets all",	UINT_MAX, ULONG_MAX, 1, 0 },
	{ "zero window never decays",	5, 1000, 0, 5 },
};

/* Decay must be monotonic in elapsed time: history never grows back. */
static bool test_decay_monotonic(void)
{
	unsigned long t;
	unsigned int prev = UINT_MAX;

	for (t = 0; t < 40 * 16; t++) {
		unsigned int f = pghot_freq_decay(UINT_MAX, t, 16);

		if (f > prev) {
			ksft_print_msg("decay grew at t=%lu: %u > %u\n", t, f, prev);
			return false;
		}
		prev = f;
	}
	return prev == 0;
}

int main(void)
{
	size_t i, n = ARRAY_SIZE(decay_cases);

	ksft_print_header();
	ksft_set_plan(n + 1);

	for (i = 0; i < n; i++) {
		const struct decay_case *c = &decay_cases[i];
		unsigned int got = pghot_freq_decay(c->freq, c->elapsed, c->window);

		if (got != c->expected)
			ksft_print_msg("%s: got %u, expected %u\n", c->desc, got,
				       c->expected);
		ksft_test_result(got == c->expected, "decay: %s\n", c->desc);
	}
	ksft_test_result(test_decay_monotonic(), "decay: monotonic in time\n");

	ksft_finished();
}
