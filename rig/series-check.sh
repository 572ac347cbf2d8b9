#!/bin/bash
# series-check.sh BUILD: `make series-check`.  Apply the exported series
# (BUILD/patches, from make patches) to a copy of the pristine base one
# patch at a time, and build each step incrementally; stop at the first
# patch that does not build or that adds a compiler warning.  Then run
# make check on the final tree, which patches.sh has shown to equal ours.
#
# Each step builds the run kernel's config plus pghot's KUnit suites (so
# that the tests, which are compiled into pghot's files, are built at every
# step too), the userland harness and the kselftests once the series has
# them.  The run flavour is the cheapest kernel that builds every line of
# pghot; the test flavour's debug options add no pghot code.
#
# SERIES_FIRST=N / SERIES_LAST=N restrict the steps (the base is always
# built first).  Takes minutes per patch that touches a widely included
# header, seconds for the rest.
set -euo pipefail
export LC_ALL=C

build=$1
repo=$(cd "$(dirname "$0")/.." && pwd)
tree=$build/series-tree
obj=$build/obj-series
logs=$build/logs/series
first=${SERIES_FIRST:-1}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.ccache} CCACHE_BASEDIR=$build CCACHE_NOHASHDIR=1
export KBUILD_BUILD_TIMESTAMP="2026-01-01 00:00:00 UTC" KBUILD_BUILD_USER=pghot KBUILD_BUILD_HOST=rig

die() { echo "series-check: ERROR: $*" >&2; exit 1; }
mapfile -t patches < <(ls "$build"/patches/[0-9]*.patch 2>/dev/null | grep -v 0000-cover-letter)
[ ${#patches[@]} -gt 0 ] || die "no patches in $build/patches: run make patches"
last=${SERIES_LAST:-${#patches[@]}}
mkdir -p "$logs"

# "file: message" of each warning of a build log, a line per occurrence:
# the compiler's, objtool's, modpost's and the linker's.
warnings() {
	sed -n -E 's#^([^ :]*/)?series-tree/##
		s#^([^ :]+):[0-9]+:[0-9]+: (warning|error): (.*)$#\1: \3#p; t
		s#^([^ :]+\.o): warning: objtool: (.*)$#\1: objtool: \2#p; t
		s#^WARNING: modpost: (.*)$#modpost: \1#p; t
		s#^(ld|cc1): warning: (.*)$#\1: \2#p' "$1" | sort
}

# The run flavour's config as kbuild.sh makes it, made again at each step
# for what that step's Kconfig knows (an unchanged config rebuilds nothing).
kbuild() {
	make -s -C "$tree" O="$obj" ARCH=x86_64 CC="ccache gcc" tinyconfig > "$1" 2>&1 || return 1
	cat "$repo/rig/configs/base.config" "$repo/rig/configs/run.config" >> "$obj/.config" || return 1
	printf 'CONFIG_KUNIT=y\nCONFIG_PGHOT_KUNIT_TEST=y\n' >> "$obj/.config"
	make -s -C "$tree" O="$obj" ARCH=x86_64 CC="ccache gcc" olddefconfig >> "$1" 2>&1 || return 1
	# once the series has pghot's Kconfig, the step must build pghot
	if grep -qs '^config PGHOT$' "$tree/mm/Kconfig"; then
		grep -qx 'CONFIG_PGHOT=y' "$obj/.config" ||
			{ echo "series-check: CONFIG_PGHOT did not survive olddefconfig" >> "$1"; return 1; }
	fi
	make -C "$tree" O="$obj" ARCH=x86_64 CC="ccache gcc" -j"$(nproc)" bzImage >> "$1" 2>&1
}

userland() {
	local rc=0
	if [ -d "$tree/tools/testing/pghot" ]; then
		make -s -C "$tree/tools/testing/pghot" OUTPUT="$build/series-harness" all >> "$1" 2>&1 || rc=1
	fi
	if [ -d "$tree/tools/testing/selftests/pghot" ]; then
		make -s -C "$tree/tools/testing/selftests/pghot" OUTPUT="$build/series-ksft" >> "$1" 2>&1 || rc=1
	fi
	return $rc
}

start=$(date +%s)
echo "series-check: copying the base"
rm -rf "$tree" "$obj" "$build/series-harness" "$build/series-ksft"
cp -a "$build/base" "$tree"
mkdir -p "$obj"
echo "series-check: building the base"
kbuild "$logs/base.log" || { tail -20 "$logs/base.log"; die "the base does not build"; }
warnings "$logs/base.log" > "$logs/seen"

i=0
for p in "${patches[@]}"; do
	i=$((i + 1))
	[ $i -le "$last" ] || break
	name=$(basename "$p")
	# exactly, as git am would: no fuzz
	patch -s -p1 --fuzz=0 --batch -d "$tree" < "$p" || die "$name does not apply"
	[ $i -ge "$first" ] || continue
	t0=$(date +%s)
	log=$logs/$(printf '%03d' $i).log
	if ! kbuild "$log" || ! userland "$log"; then
		grep -E 'error|Error' "$log" | head -20
		die "$name: does not build (log: $log)"
	fi
	# a step rebuilds only what it touches: compare its warnings with
	# those the same files had before, as multisets
	new=$(comm -13 "$logs/seen" <(warnings "$log"))
	if [ -n "$new" ]; then
		echo "$new"
		die "$name: adds a warning (log: $log)"
	fi
	echo "series-check: $name builds, no new warning ($(( $(date +%s) - t0 )) s)"
done

echo "series-check: $((i < last ? i : last)) patches built one by one in $(( $(date +%s) - start )) s"
if [ "$last" -eq ${#patches[@]} ] && [ "$first" -eq 1 ]; then
	# the tree the steps ended on is the tree make check builds
	bad=0
	while IFS= read -r f; do
		cmp -s "$repo/$f" "$tree/$f" || { echo "series-check: $f differs from the repo"; bad=1; }
	done < <(git -C "$repo" ls-files -- mm include kernel arch lib tools Documentation MAINTAINERS)
	[ $bad -eq 0 ] || die "the series does not end on the repo's tree"
	echo "series-check: make check on the final tree"
	"$repo/rig/check.sh" "$build"
fi
