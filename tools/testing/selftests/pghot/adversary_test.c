// SPDX-License-Identifier: GPL-2.0
/*
 * An unprivileged process cannot take pghot's records from the hot set.
 *
 * With NUMA hint faults as the source (numa_balancing=2), every lower-tier
 * page a task touches after a scan asks for a record.  A process without
 * any privilege reads a cold set COLD_X times the record cap, on the slow
 * node, again and again, until pghot holds as many records as its cap
 * (review finding 5: a full table once stopped all promotion).  Only then
 * does it start a small hot set there too, and keeps both going:
 *  1. pghot never holds more records than vm.pghot_max_records, and the
 *     memory it tracks with never exceeds the cap's worth of records plus
 *     the table it had at the start;
 *  2. the hot set still reaches the fast node: >= GOAL_PCT of it within
 *     MAX_S seconds, every byte intact.
 * The knobs are restored at exit.
 *
 * Needs root (to set the knobs), CONFIG_PGHOT, CONFIG_NUMA_BALANCING and a
 * memory node in a lower tier.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/wait.h>

#include "../kselftest.h"
#include "pghot_setup.h"
#include "tierwork.h"

#define CAP		1024	/* vm.pghot_max_records for the test */
#define HOT_PAGES	256
#define COLD_X		16
#define COLD_PAGES	(COLD_X * CAP)
#define COLD_PERIOD_S	2
#define GOAL_PCT	90
#define MIN_S		12	/* several reads of the cold set */
#define MAX_S		60
#define FILL_S		60	/* bound on the cold set filling the table */
#define NOBODY		65534

static const char *const knobs[] = {
	"vm/pghot_enabled", "kernel/numa_balancing", "vm/pghot_max_records",
	NULL
};

/* What the unprivileged child reports back through shared memory. */
struct outcome {
	int err;		/* -errno from setting up, or 0 */
	int full;		/* set by the test once the table is full */
	int hot_started;	/* set by the adversary */
	int done;
	double t_goal, elapsed;
	long hot_fast, cold_fast;
	unsigned long cold_reads, bad_bytes;
};

static void adversary(struct outcome *o, int fast, int slow)
{
	struct tw_region hot, cold;
	struct tw_run run = {
		.hot = &hot, .cold = &cold, .fast = fast, .goal_pct = GOAL_PCT,
		.min_s = MIN_S, .max_s = MAX_S, .cold_period_s = COLD_PERIOD_S,
		.sample_s = 0.5,
	};

	if (setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY)) {
		o->err = -errno;
		_exit(1);
	}
	o->err = tw_region_init(&cold, COLD_PAGES, slow, false);
	if (o->err)
		_exit(1);
	/*
	 * The cold set alone, read every COLD_PERIOD_S until the test sees
	 * the table full.  The task spins in between: NUMA balancing scans a
	 * task's memory from its own ticks, so a task that sleeps is hardly
	 * ever scanned.
	 */
	while (!__atomic_load_n(&o->full, __ATOMIC_ACQUIRE)) {
		double next = tw_now() + COLD_PERIOD_S;

		tw_read(&cold);
		o->cold_reads++;
		while (tw_now() < next &&
		       !__atomic_load_n(&o->full, __ATOMIC_ACQUIRE))
			;
	}
	o->err = tw_region_init(&hot, HOT_PAGES, slow, false);
	if (o->err)
		_exit(1);
	__atomic_store_n(&o->hot_started, 1, __ATOMIC_RELEASE);
	tw_run(&run);
	o->cold_reads += run.cold_reads;
	o->err = run.err;
	o->t_goal = run.t_goal;
	o->elapsed = run.elapsed;
	o->hot_fast = run.hot_fast;
	o->cold_fast = run.cold_fast;
	o->bad_bytes = tw_bad_bytes(&hot) + tw_bad_bytes(&cold);
	__atomic_store_n(&o->done, 1, __ATOMIC_RELEASE);
	_exit(0);
}

int main(void)
{
	long records, bytes, record_bytes, most = 0, bound, worst = 0;
	long at_hot = -1;
	int fast = -1, slow = -1, status;
	double t0, filled = -1;
	struct outcome *o;
	char cap[16];
	pid_t pid;

	pghot_test_setup(PGHOT_NEED_DEBUGFS | PGHOT_NEED_TIERS |
			 PGHOT_NEED_NUMAB, knobs, &fast, &slow);
	ksft_set_plan(2);
	o = mmap(NULL, sizeof(*o), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (o == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	memset(o, 0, sizeof(*o));

	snprintf(cap, sizeof(cap), "%d", CAP);
	if (write_str("/proc/sys/vm/pghot_max_records", cap) ||
	    write_str("/proc/sys/vm/pghot_enabled", "1") ||
	    write_str("/proc/sys/kernel/numa_balancing", "2"))
		ksft_exit_fail_msg("cannot set the knobs\n");
	records = pghot_stat("records");
	bytes = pghot_stat("bytes");
	record_bytes = pghot_stat("record_bytes");
	if (records < 0 || bytes < 0 || record_bytes <= 0)
		ksft_exit_fail_msg("no pghot stats\n");
	/* the table as it is, and at most the cap's worth of records */
	bound = bytes - records * record_bytes + CAP * record_bytes;

	pid = fork();
	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (!pid)
		adversary(o, fast, slow);
	t0 = tw_now();
	while (waitpid(pid, &status, WNOHANG) == 0) {
		records = pghot_stat("records");
		bytes = pghot_stat("bytes");
		if (records > most)
			most = records;
		if (bytes > worst)
			worst = bytes;
		/* full, or never going to be: let the hot set start either way */
		if (filled < 0 && (records >= CAP || tw_now() - t0 > FILL_S)) {
			filled = tw_now() - t0;
			__atomic_store_n(&o->full, 1, __ATOMIC_RELEASE);
		}
		if (at_hot < 0 &&
		    __atomic_load_n(&o->hot_started, __ATOMIC_ACQUIRE))
			at_hot = records;
		usleep(200000);
	}
	write_str("/proc/sys/kernel/numa_balancing", "0");
	write_str("/proc/sys/vm/pghot_enabled", "0");

	if (!__atomic_load_n(&o->done, __ATOMIC_ACQUIRE) || o->err)
		ksft_exit_fail_msg("the adversary did not run: %s\n",
				   o->err ? strerror(-o->err) : "it died");
	ksft_print_msg("uid %d: %d hot, %d cold pages; %lu cold reads; %.1f s with the hot set\n",
		       NOBODY, HOT_PAGES, COLD_PAGES, o->cold_reads, o->elapsed);
	ksft_print_msg("records: %ld as the hot set started, after %.1f s of the cold set\n",
		       at_hot, filled);
	ksft_print_msg("records: at most %ld (cap %d); tracking bytes at most %ld (bound %ld)\n",
		       most, CAP, worst, bound);
	ksft_print_msg("on node %d: %ld/%d hot pages (%d%% %s at %.1f s), %ld cold pages\n",
		       fast, o->hot_fast, HOT_PAGES, GOAL_PCT,
		       o->t_goal >= 0 ? "reached" : "never reached", o->t_goal,
		       o->cold_fast);
	ksft_print_msg("%lu bytes changed\n", o->bad_bytes);
	ksft_test_result(most <= CAP && worst <= bound,
			 "records stay within the cap, tracking memory within its bound\n");
	ksft_test_result(at_hot >= CAP && o->t_goal >= 0 && !o->bad_bytes,
			 "the hot set, started on a full table, is promoted (>= %d%%), bytes intact\n",
			 GOAL_PCT);
	ksft_finished();
}
