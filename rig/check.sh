#!/bin/bash
# check.sh BUILD [FLAVOUR]: everything `make check` runs, in order, stopping
# at the first failure (FLAVOUR is the test kernel to use, "test" by
# default; `make stress` passes its variants, such as "test-rt"):
#   (a) the userland harness (tools/testing/pghot, ASan/UBSan)
#   (b) the test kernel build (and, for the test kernel, the run kernel's)
#   (c) one QEMU boot: built-in KUnit suites (parsed with kunit.py) and the
#       kselftests of tools/testing/selftests/pghot (TAP on ttyS1); then a
#       boot of the hotplug topology and one of the socket2 topology for
#       the tests that need them (rig/boot.sh)
#   (e) for the test kernel: the static gates of rig/lint.sh (W=1 and
#       sparse, kernel-doc, checkpatch --strict on the exported series) and
#       rig/docs.sh (htmldocs of pghot's pages), each against the base
#   (d) one summary line: "N passed, N failed" over harness tests, KUnit
#       cases, kselftests and the four gates.
# KUNIT_FILTER=GLOB and KSELFTEST=GLOB narrow step (c).
set -uo pipefail

build=$1
flavour=${2:-test}
repo=$(cd "$(dirname "$0")/.." && pwd)
logs=$build/logs
mkdir -p "$logs"
passed=0 failed=0 skipped=0

summary() {
	echo "check: harness ${h_pass:-0}/${h_fail:-0}/${h_skip:-0}, kunit ${k_pass:-0}/${k_fail:-0}/${k_skip:-0}, kselftest ${s_pass:-0}/${s_fail:-0}/${s_skip:-0}, gates ${g_pass:-0}/${g_fail:-0}/${g_skip:-0} (passed/failed/skipped)"
	echo "$passed passed, $failed failed, $skipped skipped"
}
stop() {
	echo "check: FAILED: $*" >&2
	# A failing step that no test counted (build, boot) counts as one.
	[ "$failed" -gt 0 ] || failed=1
	summary
	exit 1
}
step() { echo "==> check: $*"; }

# tap_count FILE: set tc_pass/tc_fail/tc_skip from top-level TAP results.
tap_count() {
	tc_pass=$(grep -cE '^ok [0-9]+' "$1" | head -1)
	tc_skip=$(grep -cE '^ok [0-9]+.*# *SKIP' "$1" | head -1)
	tc_fail=$(grep -cE '^not ok [0-9]+' "$1" | head -1)
	tc_pass=$((tc_pass - tc_skip))
	tc_plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$1" | head -1)
}

step "(a) userland harness: tools/testing/pghot"
"$repo/rig/overlay.sh" "$build" || stop "overlay"
make -s -C "$build/src/tools/testing/pghot" OUTPUT="$build/harness" all ||
	stop "harness build"
"$build/harness/pghot" > "$logs/harness.tap" 2>&1
rc=$?
cat "$logs/harness.tap"
tap_count "$logs/harness.tap"
h_pass=$tc_pass h_fail=$tc_fail h_skip=$tc_skip
passed=$((passed + h_pass)) skipped=$((skipped + h_skip)) failed=$((failed + h_fail))
[ "$rc" -eq 0 ] && [ "$h_fail" -eq 0 ] && [ $((h_pass + h_skip)) -eq "${tc_plan:-0}" ] ||
	stop "harness: exit $rc, $h_fail failed, plan ${tc_plan:-none}"
# A short, reproducible fuzz run as a regression test (make fuzz runs long).
runs=${FUZZ_RUNS:-20000}
make -s -C "$build/src/tools/testing/pghot" OUTPUT="$build/harness" fuzz ||
	stop "fuzz target build"
if "$build/harness/pghot-fuzz" -seed=1 -runs="$runs" > "$logs/fuzz.log" 2>&1; then
	echo "ok - fuzz: $runs runs, invariants held, no leaks"
	h_pass=$((h_pass + 1)) passed=$((passed + 1))
else
	tail -20 "$logs/fuzz.log"
	h_fail=$((h_fail + 1)) failed=$((failed + 1))
	stop "fuzz: see $logs/fuzz.log"
fi

step "(b) $flavour kernel build"
start=$(date +%s)
"$repo/rig/kbuild.sh" "$build" "$flavour" || stop "$flavour kernel build"
"$repo/rig/initramfs.sh" "$build" "$flavour" || stop "$flavour initramfs"
echo "check: $flavour kernel and initramfs ready in $(( $(date +%s) - start )) s"
# make run's kernel has another config (no debug layer, no cpusets): a
# change that builds only with the test kernel's options is caught here.
if [ "$flavour" = test ]; then
	start=$(date +%s)
	"$repo/rig/kbuild.sh" "$build" run || stop "run kernel build"
	echo "check: run kernel built in $(( $(date +%s) - start )) s"
fi

step "(c) QEMU boot: KUnit + kselftests"
args=()
[ -n "${KUNIT_FILTER:-}" ] && args+=("kunit.filter_glob=$KUNIT_FILTER")
[ -n "${KSELFTEST:-}" ] && args+=("ksft=$KSELFTEST")
"$repo/rig/boot.sh" "$build" "$flavour" "${args[@]}"
boot_rc=$?

# kunit_count CONSOLE OUT: parse a boot's KTAP with kunit.py (which exits
# 1 on any failure) into OUT, and count it into k_pass/k_fail/k_skip and the
# totals; stop when there are no results or a case failed.
kunit_count() {
	local line p f s c e rc
	# Only KTAP goes to the parser: the console is shared, and a driver's
	# message that lands inside a nested suite (the mouse probe, say)
	# made kunit.py lose its place.  KTAP lines are the ones that start
	# with a KTAP keyword or are indented (a test's own log lines).
	sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' "$1" |
		grep -E '^([[:space:]]|KTAP version|TAP version|1\.\.|ok |not ok |# )' |
		python3 -B "$build/src/tools/testing/kunit/kunit.py" parse > "$2" 2>&1
	rc=$?
	sed -e '/^\[/!d' "$2" | grep -E '\] (=|\[|  )|Testing complete|PASSED|FAILED|SKIPPED' | sed 's/^/  /' | tail -40
	line=$(grep -E 'Testing complete\. Ran [0-9]+ tests' "$2" | tail -1)
	p=$(echo "$line" | sed -n 's/.*passed: \([0-9]*\).*/\1/p')
	f=$(echo "$line" | sed -n 's/.*failed: \([0-9]*\).*/\1/p')
	s=$(echo "$line" | sed -n 's/.*skipped: \([0-9]*\).*/\1/p')
	c=$(echo "$line" | sed -n 's/.*crashed: \([0-9]*\).*/\1/p')
	e=$(echo "$line" | sed -n 's/.*errors: \([0-9]*\).*/\1/p')
	# a parse error is a result lost: count it as a failure
	p=${p:-0} f=$(( ${f:-0} + ${c:-0} + ${e:-0} )) s=${s:-0}
	k_pass=$((${k_pass:-0} + p)) k_fail=$((${k_fail:-0} + f)) k_skip=$((${k_skip:-0} + s))
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	[ -n "$line" ] || stop "no KUnit results on the console ($2)"
	[ "$rc" -eq 0 ] && [ "$f" -eq 0 ] || stop "KUnit: $f failed (details: $2)"
}

# ksft_count TAP: count the kselftests of one boot (TAP from ttyS1) into
# s_pass/s_fail/s_skip and the totals; stop on a failure.
ksft_count() {
	local tap=$1 p f s
	tr -d '\r' < "$tap" > "$tap.clean"
	grep -vE '^# ' "$tap.clean" | sed 's/^/  /'
	tap_count "$tap.clean"
	# Count a program's own TAP cases ("# ok N ...") where it reports them;
	# a program that failed without a failing case of its own counts once
	# more.
	eval "$(awk '
		/^# (ok|not ok) [0-9]+/ { if ($2 == "ok") { if (/# *SKIP/) ns++; else np++ } else nf++; next }
		/^ok [0-9]+/ { if (np + nf + ns) { p += np; s += ns; f += nf } else if (/# *SKIP/) s++; else p++; np = nf = ns = 0; next }
		/^not ok [0-9]+/ { p += np; s += ns; f += nf ? nf : 1; np = nf = ns = 0; next }
		END { printf "p=%d f=%d s=%d\n", p, f, s }' "$tap.clean")"
	s_pass=$((${s_pass:-0} + p)) s_fail=$((${s_fail:-0} + f)) s_skip=$((${s_skip:-0} + s))
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	[ -n "${tc_plan:-}" ] || stop "no kselftest TAP plan on ttyS1 ($tap)"
	[ "$tc_fail" -eq 0 ] && [ "$f" -eq 0 ] && [ $((tc_pass + tc_skip)) -eq "$tc_plan" ] ||
		stop "kselftests: $tc_fail of $tc_plan programs failed, $((tc_pass + tc_skip + tc_fail)) reported (details: $tap)"
}

kunit_count "$logs/$flavour-console.log" "$logs/kunit.txt"
[ "$boot_rc" -eq 0 ] || { ksft_count "$logs/$flavour-kselftest.tap"; stop "QEMU boot (see above)"; }
ksft_count "$logs/$flavour-kselftest.tap"

# The lower tier arrives by memory hotplug only in a topology of its own
# (rig/boot.sh): boot it once more for the tests that need it, without KUnit.
if [ -z "${KSELFTEST:-}" ] || [[ hotplug_test == $KSELFTEST ]]; then
	step "(c2) QEMU boot, hotplug topology: kselftest hotplug_test"
	TOPOLOGY=hotplug "$repo/rig/boot.sh" "$build" "$flavour" kunit.enable=0 ksft=hotplug_test
	boot_rc=$?
	ksft_count "$logs/$flavour-hotplug-kselftest.tap"
	[ "$boot_rc" -eq 0 ] || stop "QEMU boot, hotplug topology (see above)"
fi

# Two top-tier nodes with CPUs over a CPU-less one: where promoted pages
# go.  Every KUnit suite again (the lower tier is node 2 here), and the
# kselftest placement_test.
if [ -z "${KSELFTEST:-}" ] || [[ placement_test == $KSELFTEST ]]; then
	step "(c3) QEMU boot, socket2 topology: KUnit; kselftest placement_test"
	args=()
	[ -n "${KUNIT_FILTER:-}" ] && args+=("kunit.filter_glob=$KUNIT_FILTER")
	TOPOLOGY=socket2 "$repo/rig/boot.sh" "$build" "$flavour" "${args[@]}" ksft=placement_test
	boot_rc=$?
	kunit_count "$logs/$flavour-socket2-console.log" "$logs/kunit-socket2.txt"
	ksft_count "$logs/$flavour-socket2-kselftest.tap"
	[ "$boot_rc" -eq 0 ] || stop "QEMU boot, socket2 topology (see above)"
fi

# (e) The static gates (rig/lint.sh, rig/docs.sh), on the series as
# exported: for the test kernel only, as variants change no source.
if [ "$flavour" = test ] && [ -z "${KUNIT_FILTER:-}" ] && [ -z "${KSELFTEST:-}" ]; then
	step "(e) static gates: W=1 + sparse, kernel-doc, checkpatch --strict, htmldocs"
	gates=4
	# The series is made from commits: with uncommitted kernel changes
	# (a developer's make check; never CI's clean clone) checkpatch is
	# skipped, and the other gates look at the working tree.
	series=1
	if [ -n "$(git -C "$repo" status --porcelain -- mm include kernel arch lib tools \
		Documentation MAINTAINERS)" ]; then
		series=0
		gates=3
		g_skip=1
		skipped=$((skipped + 1))
		echo "check: uncommitted kernel changes: checkpatch on the series skipped (commit, then make lint)"
	fi
	lint_rc=1 docs_rc=1
	if [ "$series" -eq 0 ] || "$repo/rig/patches.sh" "$build" > "$logs/patches.log" 2>&1; then
		LINT_SERIES=$series "$repo/rig/lint.sh" "$build" > "$logs/gates.log" 2>&1
		lint_rc=$?
		"$repo/rig/docs.sh" "$build" >> "$logs/gates.log" 2>&1
		docs_rc=$?
		cat "$logs/gates.log"
	else
		cat "$logs/patches.log"
		: > "$logs/gates.log"
	fi
	# a gate passes with its own "ok" line; a script that failed or
	# crashed passes none, whatever it printed
	g_pass=$(grep -cE '^(lint|docs): ok - ' "$logs/gates.log")
	if [ "$lint_rc" -ne 0 ] || [ "$docs_rc" -ne 0 ] || [ "$g_pass" -ne "$gates" ]; then
		[ "$g_pass" -lt "$gates" ] || g_pass=$((gates - 1))
	fi
	g_fail=$((gates - g_pass))
	passed=$((passed + g_pass))
	failed=$((failed + g_fail))
	[ "$g_fail" -eq 0 ] || stop "static gates: $g_fail of $gates failed (see above)"
fi

step "(d) summary"
summary
