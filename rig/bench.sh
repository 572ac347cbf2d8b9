#!/bin/bash
# bench.sh BUILD [PROFILE [MECHS]]: `make bench`.  Build the run kernel and the bench
# initramfs, boot once, run every mechanism on the same workload
# (rig/guest/bench-run, rig/guest/tierbench.c), then turn the results into
# BUILD/bench/: one CSV per run, summary.md (each metric as a ratio to
# upstream numa_balancing=2) and coverage.png (hot-set coverage over time).
#
# PROFILE: quick (default, about 15 min), full (3 repetitions), smoke.
# MECHS: a comma-separated subset of the mechanisms (default: all).
set -euo pipefail

build=$1
profile=${2:-quick}
mechs=${3:-}
for m in ${mechs//,/ }; do
	case $m in
	none | numab2 | damon | damon-noyoung | pghot | oracle) ;;
	*)
		echo "bench: unknown mechanism '$m' in BENCH_MECHS" \
			"(none numab2 damon damon-noyoung pghot oracle)" >&2
		exit 2
		;;
	esac
done
case $profile in
quick | full | smoke) ;;
*) echo "bench: unknown BENCH_PROFILE '$profile' (quick full smoke)" >&2; exit 2 ;;
esac
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$build/bench

if ! command -v gnuplot >/dev/null 2>&1; then
	SUDO=
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	echo "bench: installing gnuplot-nox"
	$SUDO apt-get update -q >/dev/null
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
		gnuplot-nox >/dev/null
fi

"$repo/rig/kbuild.sh" "$build" run
"$repo/rig/initramfs.sh" "$build" bench
start=$(date +%s)
"$repo/rig/boot.sh" "$build" bench "benchprofile=$profile${mechs:+ benchmechs=$mechs}"
echo "bench: one boot, $(( $(date +%s) - start )) s wall clock"
grep -q '^BENCHEND' "$build/logs/bench-results.txt" ||
	{ echo "bench: FAIL: the bench did not finish" >&2; exit 1; }
rm -rf "$out"
python3 -B "$repo/rig/bench-report.py" "$build/logs/bench-results.txt" "$out"
# What was run, for `make bench-record`.
dirty=$(git -C "$repo" status --porcelain -- mm include kernel arch lib tools rig | grep -q . && echo yes || echo no)
printf 'profile %s\nmechs %s\ncommit %s\ndirty %s\ndate %s\n' "$profile" "${mechs:-all}" \
	"$(git -C "$repo" rev-parse --short=12 HEAD)" "$dirty" "$(date -u '+%Y-%m-%d %H:%M UTC')" > "$out/run.info"
echo "bench: results in $out: summary.md, coverage.png, one CSV per run"
