// SPDX-License-Identifier: GPL-2.0
/*
 * pghot's tracepoints: each one fires, with the fields it documents, when
 * its event happens.  Accesses come from the debugfs injector:
 *  - pghot:pghot_drop with reason=invalid for a page frame that does not
 *    exist, and reason=toptier for a top-tier page;
 *  - pghot:pghot_record_hot when a lower-tier page reaches the threshold;
 *  - pghot:kpromoted_batch when kpromoted then promotes it.
 *
 * Needs root, debugfs, tracefs, CONFIG_PGHOT, CONFIG_TRACING and a memory
 * node in a lower tier.
 */
#define _GNU_SOURCE
#include <sys/mount.h>

#include "../kselftest.h"
#include "pghot_setup.h"

#define TRACEFS		"/sys/kernel/tracing"
#define EVENTS		TRACEFS "/events/pghot"

static const char * const knobs[] = {
	"vm/pghot_enabled", "vm/pghot_freq_threshold", NULL
};

static void restore(void)
{
	write_str(EVENTS "/enable", "0");
}

/* The trace buffer so far, in @buf; empty on error. */
static void read_trace(char *buf, size_t len)
{
	int fd = open(TRACEFS "/trace", O_RDONLY);
	size_t got = 0;
	ssize_t n;

	buf[0] = '\0';
	if (fd < 0)
		return;
	while (got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += n;
	buf[got] = '\0';
	close(fd);
}

/* Wait up to @timeout_s for a trace line holding both @a and @b. */
static bool wait_trace(const char *a, const char *b, int timeout_s)
{
	static char buf[1 << 16];
	int tries;

	for (tries = 0; tries < timeout_s * 10; tries++) {
		char *line;

		read_trace(buf, sizeof(buf));
		for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
			if (strstr(line, a) && strstr(line, b))
				return true;
		usleep(100000);
	}
	ksft_print_msg("no trace line with \"%s\" and \"%s\"\n", a, b);
	return false;
}

int main(void)
{
	unsigned long pfn, fast_pfn, bad_pfn = ~0UL >> 8;
	char *slow_buf, *fast_buf, want[64];
	int fast = -1, slow = -1;
	bool ok;

	pghot_test_setup(PGHOT_NEED_INJECT | PGHOT_NEED_TIERS | PGHOT_NEED_PIN,
			 knobs, &fast, &slow);
	if (access(TRACEFS "/trace", F_OK))
		mount("tracefs", TRACEFS, "tracefs", 0, NULL);
	if (access(EVENTS "/enable", W_OK))
		ksft_exit_skip("no " EVENTS ", maybe CONFIG_TRACING is not built\n");
	atexit(restore);

	slow_buf = map_on_node(slow, 1);
	fast_buf = map_on_node(fast, 1);
	pfn = slow_buf ? pfn_of(slow_buf) : 0;
	fast_pfn = fast_buf ? pfn_of(fast_buf) : 0;
	if (!pfn || !fast_pfn)
		ksft_exit_fail_msg("cannot place pages on nodes %d and %d\n",
				   slow, fast);

	ksft_set_plan(4);
	write_str("/proc/sys/vm/pghot_enabled", "1");
	write_str("/proc/sys/vm/pghot_freq_threshold", "2");
	write_str(TRACEFS "/trace", "");
	if (write_str(EVENTS "/enable", "1"))
		ksft_exit_fail_msg("cannot enable the pghot events\n");

	/* a drop names its reason, the counter it is counted in */
	inject(bad_pfn, fast, SRC_INJECT, 1);
	snprintf(want, sizeof(want), "pfn=0x%lx ", bad_pfn);
	ok = wait_trace("pghot_drop: ", want, 5) &&
	     wait_trace(want, "reason=invalid", 1);
	ksft_test_result(ok, "pghot_drop: reason=invalid\n");

	inject(fast_pfn, fast, SRC_INJECT, 1);
	snprintf(want, sizeof(want), "pfn=0x%lx reason=toptier", fast_pfn);
	ok = wait_trace("pghot_drop: ", want, 5);
	ksft_test_result(ok, "pghot_drop: reason=toptier\n");

	/* two accesses reach the threshold of 2 */
	inject(pfn, fast, SRC_INJECT, 2);
	snprintf(want, sizeof(want), "pfn=0x%lx nid=%d accessor=%d src=%d",
		 pfn, slow, fast, SRC_INJECT);
	ok = wait_trace("pghot_record_hot: ", want, 5);
	ksft_test_result(ok, "pghot_record_hot: pfn, nid, accessor, src\n");

	/* kpromoted wakes on it and promotes it */
	snprintf(want, sizeof(want), "nid=%d candidates=", slow);
	ok = wait_trace("kpromoted_batch: ", want, 30) &&
	     wait_trace("kpromoted_batch: ", "promoted=1 ", 1);
	ksft_test_result(ok, "kpromoted_batch: nid, candidates, promoted\n");

	ksft_finished();
}
