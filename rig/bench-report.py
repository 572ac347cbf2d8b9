#!/usr/bin/env python3
"""bench-report.py RESULTS OUTDIR: turn the bench's ttyS1 output into
OUTDIR/*.csv (one per run), OUTDIR/summary.md and OUTDIR/coverage.png.

Every metric is given per scenario and layout, for each mechanism, as a
value and as a ratio to upstream numa_balancing=2 (numab2) measured in the
same boot.  With several repetitions a value is the mean, with the spread
(min-max) after it.
"""
import collections
import os
import statistics
import subprocess
import sys

MECHS = ["none", "numab2", "damon", "damon-noyoung", "pghot", "oracle"]
ROW = ["rep", "mech", "scenario", "layout", "t", "hot_fast_pct",
       "cold_fast_pct", "ftar", "acc_hot", "acc_cold", "promotions",
       "pingpong"]


def num(v):
    try:
        return float(v)
    except ValueError:
        return v


def parse(path):
    cfg, cal, rows, sums = {"ballast": []}, {}, collections.defaultdict(list), []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("BENCHCFG,"):
                cfg.update(kv.split("=", 1) for kv in line.split(",")[1:])
            elif line.startswith("BENCHBALLAST,scenario="):
                b = dict(kv.split("=", 1) for kv in line.split(",")[1:])
                cfg["ballast"].append(b.get("node0_free_mib", "?"))
            elif line.startswith("BENCHCAL,"):
                cal = {k: num(v) for k, v in
                       (kv.split("=", 1) for kv in line.split(",")[1:])}
            elif line.startswith("BENCHSUM,"):
                sums.append({k: num(v) for k, v in
                             (kv.split("=", 1) for kv in line.split(",")[1:])})
            elif line.startswith("BENCH,"):
                f_ = line.split(",")[1:]
                if len(f_) != len(ROW) or not isinstance(num(f_[4]), float):
                    continue
                r = dict(zip(ROW, f_))
                rows[(r["scenario"], r["layout"], r["mech"], r["rep"])].append(r)
    return cfg, cal, rows, sums


def peak_rate(rs):
    """The most pages a run promoted in one second, from its rows (samples
    a fraction of a second apart): the largest rise over any 1 s span."""
    pts = [(0.0, 0)] + [(float(r["t"]), int(r["promotions"])) for r in rs]
    best, j = 0, 0
    for t, p in pts:
        while pts[j][0] < t - 1.0 - 1e-6:
            j += 1
        best = max(best, p - pts[j][1])
    return best


def metrics(s, base_stime, rate_max, peak):
    """The metrics of one run (a BENCHSUM dict), None where they do not apply."""
    prom = s.get("promotions", 0)
    m = {
        "T50 (s)": s["t50"] if s["t50"] >= 0 else None,
        "T90 (s)": s["t90"] if s["t90"] >= 0 else None,
        "accesses to T90 (M)": s["acc_t90"] / 1e6 if s["acc_t90"] >= 0 else None,
        "T90 after shift (s)": s["t90_shift"] if s["t90_shift"] >= 0 else None,
        "precision": s["precision"] if s.get("fast_total", 1) else None,
        "recall": s["recall"],
        "FTAR mean": s["ftar_mean"],
        "FTAR area / oracle": (s["ftar_mean"] / s["ftar_oracle"]
                               if s.get("ftar_oracle") else None),
        "never-hot pages on N0": s.get("never_hot_fast"),
        "promoted pages": prom,
        "ping-pong": s["pingpong"],
    }
    # hint faults taken over the mechanism's own count of pages promoted
    ev, done = {"numab2": ("numa_hint_faults", "pgpromote_success"),
                "pghot": ("pghot_hint_faults", "kpromoted_promoted")}.get(
                    s["mech"], (None, None))
    m["events / promotion"] = (s[ev] / s[done] if ev and s.get(done) else None)
    cpu = s["mech_cpu_s"] + max(0.0, s["stime_s"] - base_stime)
    m["CPU ms / promotion"] = 1000 * cpu / prom if prom and s["mech"] != "oracle" else None
    # the best second of promotion against move_pages() in the same boot
    m["migration rate / move_pages"] = (peak / rate_max
                                        if peak and rate_max and s["mech"] != "none"
                                        else None)
    return m


def fmt(v):
    if v is None:
        return "-"
    if abs(v) >= 100 or v == int(v):
        return "%.0f" % v
    return "%.3g" % v


def main():
    results, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    cfg, cal, rows, sums = parse(results)
    if not sums:
        sys.exit("bench-report: no results in %s" % results)

    for (scen, layout, mech, rep), rs in rows.items():
        with open(os.path.join(out, "%s-%s-%s-r%s.csv" % (scen, layout, mech, rep)), "w") as f:
            f.write(",".join(ROW) + "\n")
            for r in rs:
                f.write(",".join(r[k] for k in ROW) + "\n")

    rate_max = cal.get("move_pages_rate", 0)
    by = collections.defaultdict(lambda: collections.defaultdict(list))
    base_stime = collections.defaultdict(list)
    for s in sums:
        if "error" in s:
            continue
        if s["mech"] == "none":
            base_stime[(s["scenario"], s["layout"])].append(s["stime_s"])
    for s in sums:
        if "error" in s:
            print("bench-report: %s %s %s failed: %s" %
                  (s["mech"], s["scenario"], s["layout"], s["error"]))
            continue
        key = (s["scenario"], s["layout"])
        bs = statistics.mean(base_stime[key]) if base_stime[key] else 0.0
        orc = [o["ftar_mean"] for o in sums if "error" not in o and
               o["mech"] == "oracle" and (o["scenario"], o["layout"]) == key and
               o["rep"] == s["rep"]]
        s["ftar_oracle"] = orc[0] if orc else None
        rs = rows.get((s["scenario"], s["layout"], s["mech"], str(int(s["rep"]))), [])
        by[key][s["mech"]].append(metrics(s, bs, rate_max, peak_rate(rs)))

    md = ["# pghot bench: %s profile" % cfg.get("profile", "?"), ""]
    md.append("One boot of the run kernel (QEMU TCG, 2 vCPUs; node 0 DRAM, node 1 "
              "CPU-less lower tier).  Workload: %s hot pages swept without pause, "
              "%s cold pages read once per 10 s, all placed on node 1; %s s runs, "
              "half the hot set swapped with cold pages at %s s; %s repetition(s).  "
              "move_pages() moved %s pages/s in the same boot.  Node 0 had %s MiB free "
              "at the start, and %s MiB once the ballast of scenario full was in place."
              % (cfg.get("hot"), cfg.get("cold"), cfg.get("secs"), cfg.get("shift"),
                 cfg.get("reps"), fmt(rate_max), cfg.get("node0_free_mib"),
                 "/".join(cfg["ballast"]) or "-"))
    md.append("")
    md.append("Cells: value, then (ratio to numab2) where both exist; with repetitions, "
              "the mean and [min-max], and (n/N runs) when only n of N runs have a value.  "
              "Times are elapsed guest seconds at samples %s s apart.  T50/T90 count from the "
              "start, before the shift; "
              "precision (pages on node 0 that were ever hot, over all on node 0) and recall "
              "(the hot set after the shift on node 0) are at the end.  "
              "'-' means not reached or not applicable." % cfg.get("sample", "1"))
    names = list(next(iter(next(iter(by.values())).values()))[0].keys())
    for key in sorted(by):
        md += ["", "## scenario %s, layout %s" % key, ""]
        md.append("| metric | " + " | ".join(m for m in MECHS if m in by[key]) + " |")
        md.append("|---|" + "---|" * len([m for m in MECHS if m in by[key]]))
        for name in names:
            cells = []
            base = by[key].get("numab2")
            bval = None
            if base:
                bv = [r[name] for r in base if r[name] is not None]
                bval = statistics.mean(bv) if bv else None
            for mech in MECHS:
                if mech not in by[key]:
                    continue
                runs = len(by[key][mech])
                vals = [r[name] for r in by[key][mech] if r[name] is not None]
                if not vals:
                    cells.append("-")
                    continue
                v = statistics.mean(vals)
                cell = fmt(v)
                if len(vals) > 1:
                    cell += " [%s-%s]" % (fmt(min(vals)), fmt(max(vals)))
                if len(vals) < runs:
                    cell += " (%d/%d runs)" % (len(vals), runs)
                if bval and mech != "numab2":
                    cell += " (%.2fx)" % (v / bval)
                cells.append(cell)
            md.append("| %s | %s |" % (name, " | ".join(cells)))
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(md))

    # coverage over time, repetition 1: one panel per scenario and layout
    keys = sorted({(k[0], k[1]) for k in rows})
    plot = ["set terminal pngcairo size 1400,%d font ',10'" % (450 * ((len(keys) + 1) // 2)),
            "set output '%s'" % os.path.join(out, "coverage.png"),
            "set datafile separator ','",
            "set multiplot layout %d,%d title 'Hot set on node 0 over time (repetition 1)'"
            % ((len(keys) + 1) // 2, min(2, len(keys))),
            "set xlabel 'guest time (s)'", "set ylabel 'hot pages on node 0 (%)'",
            "set yrange [0:105]", "set key bottom right", "set grid"]
    for scen, layout in keys:
        series = ["'%s' every ::1 using 5:6 with lines lw 2 title '%s'"
                  % (os.path.join(out, "%s-%s-%s-r1.csv" % (scen, layout, m)), m)
                  for m in MECHS if (scen, layout, m, "1") in rows]
        plot.append("set title 'scenario %s, layout %s'" % (scen, layout))
        plot.append("plot " + ", ".join(series))
    plot.append("unset multiplot")
    with open(os.path.join(out, "coverage.gp"), "w") as f:
        f.write("\n".join(plot) + "\n")
    subprocess.run(["gnuplot", os.path.join(out, "coverage.gp")], check=True)


if __name__ == "__main__":
    main()
