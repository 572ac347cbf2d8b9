// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the pghot core: each input is decoded into a sequence
 * of record, pop, remove, age, drop-node and cap operations on a small world
 * (few buckets, small heaps, so that collisions, full heaps and the cap are
 * hit often).  After every operation the table and heaps must be consistent
 * (check_world()); at the end nothing may be leaked.
 *
 *   make -C tools/testing/pghot fuzz && ./pghot-fuzz -runs=1000000
 */
#include "fixture.h"

struct input {
	const unsigned char *d;
	size_t n;
};

static unsigned int take(struct input *in, unsigned int bytes)
{
	unsigned int v = 0;

	while (bytes-- && in->n) {
		v = v << 8 | *in->d++;
		in->n--;
	}
	return v;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct input in = { data, size };
	struct pghot_candidate c;
	unsigned int cursor = 0;
	unsigned long now = 0;
	struct world w;

	if (!world_init(&w, 1 + take(&in, 1) % 5, 1 + take(&in, 1), 1 + take(&in, 1) % 16))
		abort();
	w.p.window = take(&in, 1);		/* 0 disables decay */
	w.p.threshold = 1 + take(&in, 1) % 8;
	w.p.stale_windows = take(&in, 1) % 10;	/* 0 disables staleness */
	w.p.pending_windows = 8 * w.p.stale_windows;

	while (in.n) {
		unsigned int op = take(&in, 1);
		unsigned long pfn = take(&in, 1) % 64;
		HLIST_HEAD(freed);

		now += take(&in, 1);
		switch (op % 8) {
		case 0 ... 3:
			world_access(&w, pfn, (int)(op >> 3) % NR_NODES - 1,
				     (op >> 5) % NR_NODES, 1 + (op >> 6), now);
			break;
		case 4:
			pghot_heap_pop(w.heaps[1 + (op >> 3) % (NR_NODES - 1)], &c);
			break;
		case 5:
			pghot_table_remove(w.t, pfn, &freed);
			break;
		case 6:
			pghot_table_age(w.t, &cursor, 1 + (op >> 3) % 8, now, &w.p,
					(op >> 5) % 4, &freed);
			break;
		case 7:
			if (op & 8)
				pghot_table_drop_node(w.t, (op >> 4) % NR_NODES,
						      w.heaps[(op >> 4) % NR_NODES],
						      0, w.t->nr_buckets, &freed);
			else
				w.t->max_records = op >> 4;
			break;
		}
		free_list(&freed);
		if (!check_world(&w)) {
			fprintf(stderr, "inconsistent after op %u: %s\n", op, w.why);
			abort();
		}
	}
	world_fini(&w);
	if (pghot_test_nr_allocated) {
		fprintf(stderr, "%ld allocations leaked\n", pghot_test_nr_allocated);
		abort();
	}
	return 0;
}
