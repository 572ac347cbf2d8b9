/* SPDX-License-Identifier: GPL-2.0 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM pghot

#if !defined(_TRACE_PGHOT_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_PGHOT_H

#include <linux/tracepoint.h>
#include <linux/types.h>
#include <linux/vm_event_item.h>

/*
 * A drop's reason is the /proc/vmstat counter it is counted in; these are
 * the ones that come with a page frame.
 */
#define PGHOT_DROP_REASONS						\
	EM(PGHOT_REJECT_INVALID,	"invalid")			\
	EM(PGHOT_REJECT_OFFLINE,	"offline")			\
	EM(PGHOT_REJECT_TOPTIER,	"toptier")			\
	EM(PGHOT_REJECT_NONLRU,		"nonlru")			\
	EM(PGHOT_DROP_TABLE_FULL,	"table_full")			\
	EM(PGHOT_DROP_NOMEM,		"nomem")			\
	EM(PGHOT_DROP_RESIZING,		"resizing")			\
	EM(KPROMOTED_FAIL_MOVED,	"moved")			\
	EM(KPROMOTED_FAIL_COLD,		"cold")				\
	EM(KPROMOTED_FAIL_TARGET_FULL,	"target_full")			\
	EM(KPROMOTED_FAIL_RATELIMIT,	"ratelimit")			\
	EM(KPROMOTED_FAIL_ISOLATE,	"isolate")			\
	EMe(KPROMOTED_FAIL_PINNED,	"pinned")

#undef EM
#undef EMe
#define EM(a, b)	TRACE_DEFINE_ENUM(a);
#define EMe(a, b)	TRACE_DEFINE_ENUM(a);

PGHOT_DROP_REASONS

#undef EM
#undef EMe
#define EM(a, b)	{ a, b },
#define EMe(a, b)	{ a, b }

/**
 * pghot_record_hot - a record reached the hot threshold and was queued
 * @pfn: its page frame
 * @nid: the node of the page frame
 * @accessor: the node of the last access, or NUMA_NO_NODE
 * @src: the source of the access that made it hot
 */
TRACE_EVENT(pghot_record_hot,

	TP_PROTO(unsigned long pfn, int nid, int accessor, int src),

	TP_ARGS(pfn, nid, accessor, src),

	TP_STRUCT__entry(
		__field(unsigned long, pfn)
		__field(int, nid)
		__field(int, accessor)
		__field(int, src)
	),

	TP_fast_assign(
		__entry->pfn = pfn;
		__entry->nid = nid;
		__entry->accessor = accessor;
		__entry->src = src;
	),

	TP_printk("pfn=0x%lx nid=%d accessor=%d src=%d",
		  __entry->pfn, __entry->nid, __entry->accessor, __entry->src)
);

/**
 * pghot_drop - an access or a candidate was dropped
 * @pfn: the page frame
 * @reason: why, as the vm_event_item it is counted in
 */
TRACE_EVENT(pghot_drop,

	TP_PROTO(unsigned long pfn, enum vm_event_item reason),

	TP_ARGS(pfn, reason),

	TP_STRUCT__entry(
		__field(unsigned long, pfn)
		__field(int, reason)
	),

	TP_fast_assign(
		__entry->pfn = pfn;
		__entry->reason = reason;
	),

	TP_printk("pfn=0x%lx reason=%s", __entry->pfn,
		  __print_symbolic(__entry->reason, PGHOT_DROP_REASONS))
);

/**
 * kpromoted_batch - kpromoted is done with a batch of candidates
 * @nid: the kpromoted's node
 * @candidates: hot records of the batch, taken off the heap and isolated
 *	together: at most COMPACT_CLUSTER_MAX (a round of vm.kpromoted_batch
 *	candidates is promoted in batches of that size)
 * @promoted: folios migrated
 * @failed: candidates not promoted (each counted by its reason)
 */
TRACE_EVENT(kpromoted_batch,

	TP_PROTO(int nid, unsigned int candidates, unsigned int promoted,
		 unsigned int failed),

	TP_ARGS(nid, candidates, promoted, failed),

	TP_STRUCT__entry(
		__field(int, nid)
		__field(unsigned int, candidates)
		__field(unsigned int, promoted)
		__field(unsigned int, failed)
	),

	TP_fast_assign(
		__entry->nid = nid;
		__entry->candidates = candidates;
		__entry->promoted = promoted;
		__entry->failed = failed;
	),

	TP_printk("nid=%d candidates=%u promoted=%u failed=%u",
		  __entry->nid, __entry->candidates, __entry->promoted,
		  __entry->failed)
);

#endif /* _TRACE_PGHOT_H */

/* This part must be outside protection */
#include <trace/define_trace.h>
