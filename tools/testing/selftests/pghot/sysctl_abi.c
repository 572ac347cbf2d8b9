// SPDX-License-Identifier: GPL-2.0
/*
 * The pghot sysctl ABI, for every knob in /proc/sys/vm/pghot_*:
 *  - valid values are accepted and read back unchanged;
 *  - out-of-range and malformed writes fail with EINVAL and keep the old
 *    value;
 *  - a writer without root privileges is refused and changes nothing.
 * Every knob's original value is restored at exit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest.h"
#include "pghot_setup.h"

#define SYSCTL_DIR	"/proc/sys/vm/"
#define MAX_VALUES	16

struct knob {
	const char *name;
	const char *valid[MAX_VALUES];		/* accepted, read back as written */
	const char *invalid[MAX_VALUES];	/* refused with EINVAL */
};

static const struct knob knobs[] = {
	{
		.name = "pghot_enabled",
		.valid = { "1", "0", "1", "0" },
		.invalid = { "2", "-1", "1000000", "4294967297", "abc", "",
			     "1x", "0x" },
	},
	{
		.name = "pghot_freq_window_ms",
		.valid = { "10", "600000", "1000" },
		.invalid = { "9", "0", "600001", "-1", "4294968296", "1s", "" },
	},
	{
		.name = "pghot_freq_threshold",
		.valid = { "1", "65535", "2" },
		.invalid = { "0", "65536", "-2", "two", "" },
	},
	{
		.name = "pghot_promote_rate_limit_MBps",
		.valid = { "1", "65536", "256" },
		.invalid = { "0", "65537", "-1", "fast", "" },
	},
	{
		.name = "kpromoted_batch",
		.valid = { "1", "1024", "256" },
		.invalid = { "0", "1025", "-5", "many", "" },
	},
	{
		.name = "kpromoted_interval_ms",
		.valid = { "10", "60000", "1000" },
		.invalid = { "9", "60001", "-1", "1s", "" },
	},
	{
		/* the upper bound depends on the machine: only the lower one here */
		.name = "pghot_max_records",
		.valid = { "1", "1024" },
		.invalid = { "0", "-1", "18446744073709551616", "1k", "" },
	},
};

/* "vm/<name>" of every knob, for pghot_test_setup() to save and restore */
static char knob_paths[ARRAY_SIZE(knobs)][64];
static const char *knob_list[ARRAY_SIZE(knobs) + 1];

static int read_knob(const char *name, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), SYSCTL_DIR "%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Returns 0 or the negative errno of open() or write(). */
static int write_knob(const char *name, const char *val)
{
	char path[128], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), SYSCTL_DIR "%s", name);
	snprintf(buf, sizeof(buf), "%s\n", val);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, strlen(buf));
	if (n < 0)
		n = -errno;
	close(fd);
	return n < 0 ? (int)n : 0;
}

static bool check_valid(const struct knob *k)
{
	char got[64];
	int i, err;

	for (i = 0; k->valid[i]; i++) {
		err = write_knob(k->name, k->valid[i]);
		if (err) {
			ksft_print_msg("%s: writing '%s' failed: %s\n", k->name,
				       k->valid[i], strerror(-err));
			return false;
		}
		if (read_knob(k->name, got, sizeof(got)) || strcmp(got, k->valid[i])) {
			ksft_print_msg("%s: wrote '%s', read back '%s'\n", k->name,
				       k->valid[i], got);
			return false;
		}
	}
	return true;
}

static bool check_invalid(const struct knob *k)
{
	char before[64], after[64];
	int i, err;

	for (i = 0; k->invalid[i]; i++) {
		if (read_knob(k->name, before, sizeof(before)))
			return false;
		err = write_knob(k->name, k->invalid[i]);
		if (err != -EINVAL) {
			ksft_print_msg("%s: writing '%s': want EINVAL, got %s\n",
				       k->name, k->invalid[i],
				       err ? strerror(-err) : "success");
			return false;
		}
		if (read_knob(k->name, after, sizeof(after)) || strcmp(before, after)) {
			ksft_print_msg("%s: refused write '%s' changed it from '%s' to '%s'\n",
				       k->name, k->invalid[i], before, after);
			return false;
		}
	}
	return true;
}

/* A child that dropped root must not be able to write the knob. */
static bool check_unprivileged(const struct knob *k)
{
	char before[64], after[64];
	int status;
	pid_t pid;

	if (read_knob(k->name, before, sizeof(before)))
		return false;
	pid = fork();
	if (pid < 0)
		return false;
	if (!pid) {
		int err;

		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(2);
		err = write_knob(k->name, strcmp(before, "0") ? "0" : "1");
		_exit(err == -EACCES || err == -EPERM ? 0 : 1);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		ksft_print_msg("%s: an unprivileged writer was not refused\n", k->name);
		return false;
	}
	if (read_knob(k->name, after, sizeof(after)) || strcmp(before, after)) {
		ksft_print_msg("%s: changed by an unprivileged writer\n", k->name);
		return false;
	}
	return true;
}

int main(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		snprintf(knob_paths[i], sizeof(knob_paths[i]), "vm/%s",
			 knobs[i].name);
		knob_list[i] = knob_paths[i];
	}
	pghot_test_setup(0, knob_list, NULL, NULL);

	ksft_set_plan(3 * ARRAY_SIZE(knobs));
	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		const struct knob *k = &knobs[i];

		ksft_test_result(check_valid(k), "%s: valid values stick\n", k->name);
		ksft_test_result(check_invalid(k),
				 "%s: invalid writes fail with EINVAL, value kept\n",
				 k->name);
		ksft_test_result(check_unprivileged(k), "%s: unprivileged writer refused\n",
				 k->name);
	}
	ksft_finished();
}
