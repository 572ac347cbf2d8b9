/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The preamble every pghot selftest shares: pghot_test_setup().  Apart from
 * pghot_util.h, which programs outside the kselftest framework use too.
 */
#ifndef __PGHOT_SELFTEST_SETUP_H
#define __PGHOT_SELFTEST_SETUP_H

#include <sys/mount.h>

#include "../kselftest.h"
#include "pghot_util.h"

/* What pghot_test_setup() checks and prepares before a test runs. */
#define PGHOT_NEED_DEBUGFS	0x1	/* debugfs mounted, pghot's files there */
#define PGHOT_NEED_INJECT	0x2	/* ... and the injector writable */
#define PGHOT_NEED_TIERS	0x4	/* memory in two tiers */
#define PGHOT_NEED_PIN		0x8	/* the test stays on this CPU */
#define PGHOT_NEED_NUMAB	0x10	/* kernel.numa_balancing exists */

#define PGHOT_MAX_KNOBS		8

static const char *pghot_knobs[PGHOT_MAX_KNOBS];
static char pghot_knobs_saved[PGHOT_MAX_KNOBS][64];
static int pghot_nr_knobs;

static inline void pghot_knob_path(char *path, size_t len, const char *knob)
{
	snprintf(path, len, "/proc/sys/%s", knob);
}

/* The saved sysctls back, the first saved last (vm/pghot_enabled, say). */
static inline void pghot_restore_knobs(void)
{
	char path[128];
	int i;

	for (i = pghot_nr_knobs - 1; i >= 0; i--) {
		pghot_knob_path(path, sizeof(path), pghot_knobs[i]);
		write_str(path, pghot_knobs_saved[i]);
	}
}

/**
 * pghot_test_setup() - the preamble every pghot selftest shares
 * @needs: PGHOT_NEED_* flags: what the test cannot run without
 * @knobs: sysctls the test changes, relative to /proc/sys ("vm/pghot_enabled"),
 *	NULL-terminated, or NULL; they are saved now and restored at exit
 * @fast: with PGHOT_NEED_TIERS, set to a node of the top tier
 * @slow: with PGHOT_NEED_TIERS, set to a node of the lowest tier
 *
 * Prints the TAP header and sets page_size.  Skips the test (exit 4) when it
 * does not run as root, pghot is not built, or something @needs asks for is
 * missing; fails it when a sysctl of @knobs cannot be read or the CPU cannot
 * be pinned.
 */
static inline void pghot_test_setup(unsigned int needs,
				    const char *const *knobs, int *fast,
				    int *slow)
{
	char path[128];

	page_size = sysconf(_SC_PAGESIZE);
	ksft_print_header();
	if (geteuid())
		ksft_exit_skip("must be run as root\n");
	if (access("/proc/sys/vm/pghot_enabled", F_OK))
		ksft_exit_skip("no vm.pghot_enabled, maybe CONFIG_PGHOT is not built\n");
	if ((needs & PGHOT_NEED_NUMAB) &&
	    access("/proc/sys/kernel/numa_balancing", F_OK))
		ksft_exit_skip("no kernel.numa_balancing (CONFIG_NUMA_BALANCING)\n");
	if (needs & (PGHOT_NEED_DEBUGFS | PGHOT_NEED_INJECT)) {
		if (access(STATS, F_OK))
			mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
		if (access(STATS, R_OK))
			ksft_exit_skip("no " STATS ", maybe CONFIG_DEBUG_FS is not built\n");
	}
	if ((needs & PGHOT_NEED_INJECT) && access(INJECT, W_OK))
		ksft_exit_skip("no " INJECT "\n");
	if ((needs & PGHOT_NEED_TIERS) && !find_tiers(fast, slow))
		ksft_exit_skip("needs memory in two tiers\n");
	if ((needs & PGHOT_NEED_PIN) && pin_to_this_cpu())
		ksft_exit_fail_msg("sched_setaffinity: %s\n", strerror(errno));

	for (; knobs && *knobs; knobs++) {
		if (pghot_nr_knobs == PGHOT_MAX_KNOBS)
			ksft_exit_fail_msg("more than %d sysctls to save\n",
					   PGHOT_MAX_KNOBS);
		pghot_knob_path(path, sizeof(path), *knobs);
		if (read_str(path, pghot_knobs_saved[pghot_nr_knobs],
			     sizeof(pghot_knobs_saved[0])))
			ksft_exit_fail_msg("cannot read %s\n", path);
		pghot_knobs[pghot_nr_knobs++] = *knobs;
	}
	atexit(pghot_restore_knobs);
}

#endif /* __PGHOT_SELFTEST_SETUP_H */
