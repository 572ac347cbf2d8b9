// SPDX-License-Identifier: GPL-2.0
/*
 * pghot source: hardware samples of memory accesses (AMD IBS op).
 *
 * A PMU that samples operations and tags each sampled load with its
 * physical address and its data source sees which page frames are
 * accessed at a cost set by the sample period, whatever the size of
 * memory.  This source takes such samples through perf's in-kernel
 * counters: one kernel counter per online CPU, created when the source is
 * switched on (vm.pghot_hw_enabled) and released when it is switched off,
 * so that the PMU stays perf's and a user's own perf session shares it.
 * The counter's overflow handler runs in NMI: it keeps the samples that
 * memory served, of a node pghot tracks, and reports them through
 * pghot_record_access(), whose NMI-safe path queues them on a per-CPU ring.
 *
 * Which PMU gives such samples is a row of pghot_hw_pmus[], not code: the
 * perf event that reaches it, and the CPUs that have it.
 *
 * A source is a leaf: this file includes no pghot header but
 * include/linux/pghot.h and reports through its interface.
 *
 * See Documentation/mm/pghot.rst.
 */
#define pr_fmt(fmt) "pghot: " fmt

#include <linux/cpuhotplug.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/perf_event.h>
#include <linux/pghot.h>
#include <linux/processor.h>
#include <linux/sysctl.h>
#include <linux/topology.h>
#include <linux/vmstat.h>

/* The sample period, in operations: a multiple of 16, within these bounds. */
#define PGHOT_HW_PERIOD_MIN	4096U
#define PGHOT_HW_PERIOD_MAX	1048560U	/* IbsOpMaxCnt << 4 */
#define PGHOT_HW_PERIOD_DEFAULT	262144U

/**
 * struct pghot_hw_pmu - a PMU whose samples carry a physical address
 * @name: its name, for the log
 * @vendor: the vendor (X86_VENDOR_*) of the CPUs that have it
 * @type: the perf event that reaches it: &perf_event_attr.type
 * @config: ... &perf_event_attr.config
 * @precise_ip: ... &perf_event_attr.precise_ip
 */
struct pghot_hw_pmu {
	const char *name;
	u8 vendor;
	u32 type;
	u64 config;
	u8 precise_ip;
};

static const struct pghot_hw_pmu pghot_hw_pmus[] = {
	/*
	 * IBS op sampling, reached as perf's tools reach it: on an AMD core a
	 * precise raw event is forwarded to the IBS op PMU
	 * (forward_event_to_ibs()), whose type is dynamic.  0xc1 sets
	 * IbsOpCntCtl: the period counts dispatched operations, not cycles.
	 * IBS fills in PERF_SAMPLE_PHYS_ADDR when IbsDcPhyAddrValid is set, and
	 * PERF_SAMPLE_DATA_SRC from IbsOpData2/3.
	 */
	{
		.name = "AMD IBS op",
		.vendor = X86_VENDOR_AMD,
		.type = PERF_TYPE_RAW,
		.config = 0xc1,
		.precise_ip = 2,
	},
};

/* Serialises the two sysctls; the CPU hotplug callbacks do not take it. */
static DEFINE_MUTEX(pghot_hw_lock);
/* The dynamic CPU hotplug state while sampling, 0 while off (the lock). */
static int pghot_hw_state;
/* The PMU in use while sampling (the lock, and read by the callbacks). */
static const struct pghot_hw_pmu *pghot_hw_pmu;
static unsigned int pghot_hw_period = PGHOT_HW_PERIOD_DEFAULT;
/* True while pghot_hw_start() sets up the CPUs (the lock, read by them). */
static bool pghot_hw_starting;
static DEFINE_PER_CPU(struct perf_event *, pghot_hw_event);

/*
 * Did memory serve the sampled access, rather than a cache?  Local or
 * remote DRAM, persistent memory and CXL memory all count: which node's
 * memory it was is the physical address's business.
 */
static bool pghot_hw_from_memory(const struct perf_sample_data *data)
{
	union perf_mem_data_src src = data->data_src;

	if (!(data->sample_flags & PERF_SAMPLE_DATA_SRC))
		return false;
	switch (src.mem_lvl_num) {
	case PERF_MEM_LVLNUM_RAM:
	case PERF_MEM_LVLNUM_PMEM:
	case PERF_MEM_LVLNUM_CXL:
		return true;
	}
	return src.mem_lvl & (PERF_MEM_LVL_LOC_RAM | PERF_MEM_LVL_REM_RAM1 |
			      PERF_MEM_LVL_REM_RAM2);
}

/*
 * The weight of one sample: with one operation in @period sampled, a
 * sample on a page stands for @period accesses to it, the expected count
 * whose sampling gives one sample (an unbiased estimate, if a noisy one),
 * saturated at U16_MAX from a period of 65536 on.  See "Hardware samples"
 * in Documentation/mm/pghot.rst for where it is wrong.
 */
static unsigned int pghot_hw_weight(u64 period)
{
	return min_t(u64, period, U16_MAX);
}

/**
 * pghot_hw_sample() - take one sample
 * @data: the sample, as the PMU filled it in
 * @period: the sample period it was taken with, in operations
 *
 * Any context, NMI included: no lock, no allocation.  Counts the sample in
 * pghot_hw_samples and in exactly one of pghot_hw_reported (handed to the
 * record path) and the pghot_hw_drop_* counters.
 *
 * Return: the counter it was counted in, besides pghot_hw_samples.
 */
static enum vm_event_item pghot_hw_sample(const struct perf_sample_data *data,
					  u64 period)
{
	enum vm_event_item why;
	struct page *page;
	unsigned long pfn;
	int err;

	count_vm_event(PGHOT_HW_SAMPLES);
	if (!(data->sample_flags & PERF_SAMPLE_PHYS_ADDR) || !data->phys_addr) {
		why = PGHOT_HW_DROP_NO_ADDR;
		goto out;
	}
	if (!pghot_hw_from_memory(data)) {
		why = PGHOT_HW_DROP_CACHE;
		goto out;
	}
	if (!pghot_enabled()) {
		why = PGHOT_HW_DROP_OFF;
		goto out;
	}
	/*
	 * Online memory, of a node pghot tracks.  Not pfn_to_online_page(),
	 * which may take and drop a device pagemap reference, and that is no
	 * work for an NMI; the record path checks the frame again when it
	 * replays the report.
	 */
	pfn = PHYS_PFN(data->phys_addr);
	if (!pfn_valid(pfn) || !online_section_nr(pfn_to_section_nr(pfn))) {
		why = PGHOT_HW_DROP_TOPTIER;
		goto out;
	}
	page = pfn_to_page(pfn);
	if (!pghot_tracks_node(page_to_nid(page))) {
		why = PGHOT_HW_DROP_TOPTIER;
		goto out;
	}
	/*
	 * Handed over: from NMI the access is queued, and the record path's
	 * own counters say what came of it once replayed.  -EAGAIN is a full
	 * ring there; -ENODEV, pghot switched off meanwhile.
	 */
	err = pghot_record_access(pfn, numa_node_id(), PGHOT_SRC_HW_HINT,
				  pghot_hw_weight(period), jiffies);
	if (err == -EAGAIN)
		why = PGHOT_HW_DROP_RING_FULL;
	else if (err == -ENODEV || err == -EOPNOTSUPP)
		why = PGHOT_HW_DROP_OFF;
	else
		why = PGHOT_HW_REPORTED;
out:
	count_vm_event(why);
	return why;
}

/*
 * The counter's overflow handler, in NMI.  The PMU gives the period the
 * sample was taken with; a made-up sample (the tests, whose @event is
 * NULL) may leave it 0.
 */
static void pghot_hw_overflow(struct perf_event *event,
			      struct perf_sample_data *data,
			      struct pt_regs *regs)
{
	pghot_hw_sample(data, data->period ?: READ_ONCE(pghot_hw_period));
}

static int pghot_hw_cpu_online(unsigned int cpu)
{
	const struct pghot_hw_pmu *pmu = READ_ONCE(pghot_hw_pmu);
	struct perf_event_attr attr = {
		.type		= pmu->type,
		.size		= sizeof(attr),
		.config		= pmu->config,
		.precise_ip	= pmu->precise_ip,
		.sample_period	= READ_ONCE(pghot_hw_period),
		.sample_type	= PERF_SAMPLE_PHYS_ADDR | PERF_SAMPLE_DATA_SRC,
	};
	struct perf_event *event;

	event = perf_event_create_kernel_counter(&attr, cpu, NULL,
						 pghot_hw_overflow, NULL);
	if (IS_ERR(event)) {
		/* the start fails as a whole; a CPU coming online later does not */
		if (READ_ONCE(pghot_hw_starting))
			return PTR_ERR(event);
		pr_warn("hardware samples: none on CPU %u: %s counter failed (%ld)\n",
			cpu, pmu->name, PTR_ERR(event));
		return 0;
	}
	per_cpu(pghot_hw_event, cpu) = event;
	return 0;
}

static int pghot_hw_cpu_offline(unsigned int cpu)
{
	struct perf_event *event = per_cpu(pghot_hw_event, cpu);

	per_cpu(pghot_hw_event, cpu) = NULL;
	if (event)
		perf_event_release_kernel(event);
	return 0;
}

static const struct pghot_hw_pmu *pghot_hw_find_pmu(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pghot_hw_pmus); i++)
		if (boot_cpu_data.x86_vendor == pghot_hw_pmus[i].vendor)
			return &pghot_hw_pmus[i];
	return NULL;
}

/*
 * Start sampling on every online CPU, and on each that comes online.  If
 * one CPU's counter cannot be made, none is kept: the source is off and
 * says why, once per attempt.
 */
static int pghot_hw_start(void)
{
	const struct pghot_hw_pmu *pmu = pghot_hw_find_pmu();
	int ret;

	lockdep_assert_held(&pghot_hw_lock);
	if (!pmu) {
		count_vm_event(PGHOT_HW_NO_PMU);
		pr_info("hardware samples: no PMU with physical addresses of accesses on this CPU; the source stays off\n");
		return -ENODEV;
	}
	WRITE_ONCE(pghot_hw_pmu, pmu);
	WRITE_ONCE(pghot_hw_starting, true);
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "mm/pghot_hw:online",
				pghot_hw_cpu_online, pghot_hw_cpu_offline);
	WRITE_ONCE(pghot_hw_starting, false);
	if (ret < 0) {
		pr_info("hardware samples: cannot count with %s (error %d); the source stays off\n",
			pmu->name, ret);
		/* perf's answers for a PMU that is not there, or cannot do this */
		if (ret != -ENOENT && ret != -EOPNOTSUPP && ret != -EINVAL &&
		    ret != -ENODEV)
			return ret;
		count_vm_event(PGHOT_HW_NO_PMU);
		return -ENODEV;
	}
	pghot_hw_state = ret;
	pr_info("hardware samples: %s, one operation in %u\n", pmu->name,
		READ_ONCE(pghot_hw_period));
	return 0;
}

static void pghot_hw_stop(void)
{
	lockdep_assert_held(&pghot_hw_lock);
	cpuhp_remove_state(pghot_hw_state);
	pghot_hw_state = 0;
}

/*
 * vm.pghot_hw_enabled: 1 starts sampling, 0 stops it.  A start that fails
 * returns its error and leaves the sysctl reading 0.
 */
static int pghot_hw_enabled_handler(const struct ctl_table *table, int write,
				    void *buffer, size_t *lenp, loff_t *ppos)
{
	struct ctl_table t = *table;
	int on, was_on, err;

	guard(mutex)(&pghot_hw_lock);
	was_on = pghot_hw_state > 0;
	on = was_on;
	t.data = &on;
	err = proc_dointvec_minmax(&t, write, buffer, lenp, ppos);
	if (err || !write || on == was_on)
		return err;
	if (on)
		return pghot_hw_start();
	pghot_hw_stop();
	return 0;
}

/*
 * vm.pghot_hw_sample_period: a multiple of 16 within the range, as IBS
 * takes it; anything else is refused with -EINVAL and changes nothing.
 * Counters already sampling take the new period at once.
 */
static int pghot_hw_period_handler(const struct ctl_table *table, int write,
				   void *buffer, size_t *lenp, loff_t *ppos)
{
	struct ctl_table t = *table;
	unsigned int period;
	int err, cpu, ret = 0;

	guard(mutex)(&pghot_hw_lock);
	period = READ_ONCE(pghot_hw_period);
	t.data = &period;
	err = proc_douintvec_minmax(&t, write, buffer, lenp, ppos);
	if (err || !write)
		return err;
	if (period % 16)
		return -EINVAL;
	/* no counter is made or released while the CPUs are held */
	cpus_read_lock();
	WRITE_ONCE(pghot_hw_period, period);
	for_each_online_cpu(cpu) {
		struct perf_event *event = per_cpu(pghot_hw_event, cpu);

		err = event ? perf_event_period(event, period) : 0;
		if (err && !ret) {
			pr_warn("hardware samples: CPU %d keeps its period: %d\n",
				cpu, err);
			ret = err;
		}
	}
	cpus_read_unlock();
	return ret;
}

static unsigned int pghot_hw_period_min = PGHOT_HW_PERIOD_MIN;
static unsigned int pghot_hw_period_max = PGHOT_HW_PERIOD_MAX;

static struct ctl_table pghot_hw_sysctls[] = {
	{
		.procname	= "pghot_hw_enabled",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= pghot_hw_enabled_handler,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	{
		.procname	= "pghot_hw_sample_period",
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= pghot_hw_period_handler,
		.extra1		= &pghot_hw_period_min,
		.extra2		= &pghot_hw_period_max,
	},
};

static int __init pghot_hw_init(void)
{
	register_sysctl_init("vm", pghot_hw_sysctls);
	return 0;
}
late_initcall(pghot_hw_init);

#include "tests/hwsample-kunit.h"
