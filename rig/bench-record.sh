#!/bin/bash
# bench-record.sh BUILD: keep the results of the last `make bench` in the
# repository, as rig/bench/last-full.md, for the cover letter of the series
# (rig/cover-letter.py).  Only a full run of every mechanism, on a tree
# with no uncommitted change, is recorded; commit the file afterwards.
set -euo pipefail

build=$1
repo=$(cd "$(dirname "$0")/.." && pwd)
info=$build/bench/run.info
die() { echo "bench-record: $*" >&2; exit 1; }

[ -f "$info" ] || die "no results in $build/bench: run make bench BENCH_PROFILE=full"
get() { awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "$info"; }
[ "$(get profile)" = full ] || die "the last run was profile $(get profile), not full"
[ "$(get mechs)" = all ] || die "the last run had only mechanisms $(get mechs)"
[ "$(get dirty)" = no ] || die "the last run was of a tree with uncommitted changes"
mkdir -p "$repo/rig/bench"
{
	echo "make bench BENCH_PROFILE=full at commit $(get commit), $(get date)."
	echo "Under TCG: ratios between mechanisms in one boot, not speed-ups."
	echo
	cat "$build/bench/summary.md"
} > "$repo/rig/bench/last-full.md"
echo "bench-record: rig/bench/last-full.md from the run of $(get date) at $(get commit)"
