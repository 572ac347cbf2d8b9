// SPDX-License-Identifier: GPL-2.0
/*
 * The hardware-sample source (CONFIG_PGHOT_HW_SAMPLE) as an admin sees it:
 *  1. vm.pghot_hw_sample_period takes multiples of 16 within its range and
 *     refuses anything else with EINVAL, keeping its value;
 *  2. vm.pghot_hw_enabled takes 0 and 1 only;
 *  3. switching it on either starts sampling (a CPU with AMD IBS), or, where
 *     no suitable PMU exists (QEMU TCG, most CPUs and virtual machines),
 *     fails with ENODEV, reads back 0 and counts pghot_hw_no_pmu.
 * Both knobs are restored at exit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../kselftest.h"
#include "pghot_setup.h"

#define ENABLED		"/proc/sys/vm/pghot_hw_enabled"
#define PERIOD		"/proc/sys/vm/pghot_hw_sample_period"

static const char *const knobs[] = {
	"vm/pghot_hw_enabled", "vm/pghot_hw_sample_period", NULL
};

/* Write @val and a newline, as echo does: an empty value is a newline. */
static int write_line(const char *path, const char *val)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s\n", val);
	return write_str(path, buf);
}

/* Each of @valid is taken and read back; each of @invalid is refused. */
static bool check_knob(const char *path, const char *const *valid,
		       const char *const *invalid)
{
	char before[32], after[32];
	int err;

	for (; *valid; valid++) {
		err = write_line(path, *valid);
		if (err || read_str(path, after, sizeof(after)) ||
		    strcmp(after, *valid)) {
			ksft_print_msg("%s: wrote '%s': %s, reads '%s'\n", path,
				       *valid, err ? strerror(-err) : "ok", after);
			return false;
		}
	}
	for (; *invalid; invalid++) {
		if (read_str(path, before, sizeof(before)))
			return false;
		err = write_line(path, *invalid);
		if (err != -EINVAL || read_str(path, after, sizeof(after)) ||
		    strcmp(before, after)) {
			ksft_print_msg("%s: wrote '%s': want EINVAL, got %s; '%s' -> '%s'\n",
				       path, *invalid,
				       err ? strerror(-err) : "success", before,
				       after);
			return false;
		}
	}
	return true;
}

static bool check_period(void)
{
	static const char *const valid[] = {
		"4096", "1048560", "8192", "262144", NULL
	};
	static const char *const invalid[] = {
		"4080", "4095", "4100", "1048576", "0", "-16", "many", "", NULL
	};

	return check_knob(PERIOD, valid, invalid);
}

static bool check_enabled(void)
{
	static const char *const valid[] = { "0", NULL };
	static const char *const invalid[] = { "2", "-1", "on", "", NULL };

	return check_knob(ENABLED, valid, invalid);
}

/* Test 3: on, where a PMU allows; refused, counted and off where none does. */
static int switch_on(void)
{
	long no_pmu = read_vmstat("pghot_hw_no_pmu");
	char state[16];
	int err;

	if (no_pmu < 0) {
		ksft_print_msg("no pghot_hw_no_pmu in /proc/vmstat\n");
		return KSFT_FAIL;
	}
	err = write_str(ENABLED, "1");
	if (read_str(ENABLED, state, sizeof(state)))
		return KSFT_FAIL;
	if (!err) {
		ksft_print_msg("sampling with this CPU's PMU; switching off again\n");
		if (strcmp(state, "1") || write_str(ENABLED, "0") ||
		    read_str(ENABLED, state, sizeof(state)) || strcmp(state, "0"))
			return KSFT_FAIL;
		return KSFT_PASS;
	}
	ksft_print_msg("switching on: %s; reads %s; pghot_hw_no_pmu %ld -> %ld\n",
		       strerror(-err), state, no_pmu,
		       read_vmstat("pghot_hw_no_pmu"));
	return err == -ENODEV && !strcmp(state, "0") &&
	       read_vmstat("pghot_hw_no_pmu") == no_pmu + 1 ?
	       KSFT_PASS : KSFT_FAIL;
}

int main(void)
{
	if (access(ENABLED, F_OK)) {
		ksft_print_header();
		ksft_exit_skip("no vm.pghot_hw_enabled (CONFIG_PGHOT_HW_SAMPLE)\n");
	}
	pghot_test_setup(0, knobs, NULL, NULL);
	ksft_set_plan(3);
	ksft_test_result(check_period(),
			 "pghot_hw_sample_period: multiples of 16 in range, EINVAL otherwise\n");
	ksft_test_result(check_enabled(), "pghot_hw_enabled: 0 or 1, EINVAL otherwise\n");
	ksft_test_result(switch_on() == KSFT_PASS,
			 "switched on: sampling, or ENODEV and off where no PMU samples addresses\n");
	ksft_finished();
}
