#!/bin/bash
# boot.sh BUILD FLAVOUR [KERNEL_ARG...]: boot a built kernel + initramfs in
# QEMU (TCG) on the tiered topology and judge the console.
#
# Topologies (TOPOLOGY=NAME, passed to the guest as rigtopo=NAME):
#   tiered   (default) q35 with HMAT; node 0 = 2 vCPUs + 1 GiB DRAM, node 1 =
#            1 GiB of CPU-less memory whose HMAT latency (4x) and bandwidth
#            (1/5) put it in a lower memory tier.
#   hotplug  the same nodes, but node 1 has no memory at boot: its 512 MiB
#            are a pc-dimm in the ACPI hotplug range, left offline
#            (memhp_default_state=offline) for a test to online, as CXL
#            memory arrives through dax/kmem after boot.
#   socket2  two top-tier nodes with a CPU each, node 0 (1 GiB) and node 1
#            (512 MiB), and node 2: 1 GiB of CPU-less memory below both
#            (HMAT: 4x the latency and 1/5 of the bandwidth from either CPU;
#            the other socket's DRAM is 2x and 1/2).
# ttyS0 is the console (kernel log, KUnit KTAP, rig messages); ttyS1
# carries the kselftest TAP.  Logs are named FLAVOUR[-TOPOLOGY]-*.
#
# Fails when the run times out (BOOT_TIMEOUT seconds), when the guest did not
# reach its "done" marker, when the preflight failed, or when the console has
# a panic, Oops, WARN, BUG, lockdep, KASAN, UBSAN, hung-task/RCU stall or
# kmemleak report; the offending lines are printed.
set -uo pipefail

build=$1
flavour=$2
shift 2
logs=$build/logs
mkdir -p "$logs"
# the bench runs the run kernel with an initramfs of its own
kernel=$build/obj-${flavour/bench/run}/arch/x86/boot/bzImage
initrd=$build/initramfs-$flavour.cpio.gz
topo=${TOPOLOGY:-tiered}
tag=$flavour
[ "$topo" = tiered ] || tag=$flavour-$topo
console=$logs/$tag-console.log
tap=$logs/$tag-kselftest.tap
# ttyS1 carries the bench's results instead
[ "$flavour" = bench ] && tap=$logs/bench-results.txt
case $flavour in
test*) mode=check; limit=${BOOT_TIMEOUT:-900} ;;
run) mode=run; limit=${BOOT_TIMEOUT:-600} ;;
bench) mode=bench; limit=${BOOT_TIMEOUT:-3600} ;;
*) echo "boot: unknown flavour $flavour" >&2; exit 1 ;;
esac
for f in "$kernel" "$initrd"; do
	[ -f "$f" ] || { echo "boot: $f missing" >&2; exit 1; }
done

# lb INITIATOR TARGET LATENCY_NS BANDWIDTH: one HMAT entry of the topology
lb() {
	mem+=(-numa "hmat-lb,initiator=$1,target=$2,hierarchy=memory,data-type=access-latency,latency=$3"
	      -numa "hmat-lb,initiator=$1,target=$2,hierarchy=memory,data-type=access-bandwidth,bandwidth=$4")
}
smp=2
case $topo in
tiered)
	mem=(-m 2G -object memory-backend-ram,size=1G,id=m0
	     -object memory-backend-ram,size=1G,id=m1
	     -numa node,nodeid=0,memdev=m0,cpus=0-1,initiator=0
	     -numa node,nodeid=1,memdev=m1,initiator=0)
	lb 0 0 10 10G; lb 0 1 40 2G ;;
hotplug)
	mem=(-m 1G,slots=2,maxmem=3G -object memory-backend-ram,size=1G,id=m0
	     -numa node,nodeid=0,memdev=m0,cpus=0-1,initiator=0
	     -numa node,nodeid=1,initiator=0
	     -object memory-backend-ram,size=512M,id=d1
	     -device pc-dimm,id=dimm1,memdev=d1,node=1)
	lb 0 0 10 10G; lb 0 1 40 2G
	set -- memhp_default_state=offline "$@" ;;
socket2)
	mem=(-m 2560M -object memory-backend-ram,size=1G,id=m0
	     -object memory-backend-ram,size=512M,id=m1
	     -object memory-backend-ram,size=1G,id=m2
	     -numa node,nodeid=0,memdev=m0,cpus=0,initiator=0
	     -numa node,nodeid=1,memdev=m1,cpus=1,initiator=1
	     -numa node,nodeid=2,memdev=m2,initiator=0)
	lb 0 0 10 10G; lb 0 1 20 5G; lb 0 2 40 2G
	lb 1 0 20 5G; lb 1 1 10 10G; lb 1 2 40 2G
	# one CPU per socket: CPUs of one package on two nodes upset the
	# scheduler's topology checks
	smp=2,sockets=2,cores=1,threads=1 ;;
*) echo "boot: unknown topology $topo" >&2; exit 1 ;;
esac

qemu=(qemu-system-x86_64 -machine q35,hmat=on -accel tcg -cpu qemu64 -smp "$smp"
	"${mem[@]}"
	-kernel "$kernel" -initrd "$initrd"
	-append "console=ttyS0 panic=-1 rigmode=$mode rigtopo=$topo $*"
	-display none -monitor none -no-reboot
	-serial stdio -serial "file:$tap")

# Show the rig's own lines and userspace output live; the full console goes
# to the log.  Kernel lines ("[    1.234] ...") are shown only if they name
# pghot or look like trouble.
splat='Kernel panic|Oops|WARNING:|BUG:|kernel BUG at|UBSAN:|general protection fault|Call Trace:|unreferenced object|suspected memory leak|INFO: task .* blocked|self-detected stall|rcu_preempt detected stall|possible recursive locking|possible circular locking'
start=$(date +%s)
: > "$tap"
timeout --foreground -k 10 "$limit" "${qemu[@]}" < /dev/null 2>&1 | tr -d '\r' | tee "$console" |
	grep --line-buffered -E "pghot|tierdemo|^ *[0-9]+ +[0-9.]+%|^ *t\(s\)|$splat" | grep --line-buffered -v '^\[.*\] *# '
rc=${PIPESTATUS[0]}
secs=$(( $(date +%s) - start ))

fail=0
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	echo "boot: FAIL: QEMU did not finish within $limit s" >&2
	fail=1
elif [ "$rc" -ne 0 ]; then
	echo "boot: FAIL: QEMU exited with status $rc" >&2
	fail=1
fi
# An allocation failure that a test injects on purpose, between its
# "pghot-rig: fault injection on" and "... off" lines in the kernel log,
# prints the allocation's stack: there a "Call Trace:" alone is no splat.
# Every other pattern (lockdep, WARNING, BUG, KASAN, ...) still is.
scan=$logs/$tag-console.scan
awk '/pghot-rig: fault injection on/ { inj = 1 }
	/pghot-rig: fault injection off/ { inj = 0 }
	{ if (inj) sub(/Call Trace:/, "(injected failure) trace:"); print }' "$console" > "$scan"
# KCSAN (the test-kcsan flavour) also reports the data races of upstream
# code that every boot runs into (workqueues, SLUB, the scheduler).  A
# report is pghot's, and a splat, if either side of the race is in pghot
# or kpromoted code; any other is listed here and left out of the scan.
if grep -q 'BUG: KCSAN:' "$scan"; then
	awk -v out="$scan.kcsan" '
		/BUG: KCSAN:/ { inblk = 1; n = 0 }
		inblk { blk[++n] = $0
			if ($0 ~ /=================/ && n > 1) {
				ours = 0
				for (i = 1; i <= n; i++) if (blk[i] ~ /pghot|kpromoted/) ours = 1
				for (i = 1; i <= n; i++)
					if (ours) print blk[i]; else print blk[i] > out
				inblk = 0
			}
			next }
		{ print }
		END { if (inblk) for (i = 1; i <= n; i++) print blk[i] }' "$scan" > "$scan.tmp" &&
		mv "$scan.tmp" "$scan"
	if [ -s "$scan.kcsan" ]; then
		echo "boot: KCSAN races outside pghot, not counted (details: $scan.kcsan):"
		grep 'BUG: KCSAN:' "$scan.kcsan" | sed 's/^/  /'
	fi
fi
if grep -qE "$splat" "$scan"; then
	echo "boot: FAIL: the console has a kernel splat:" >&2
	grep -nE -A12 "$splat" "$scan" | head -60 >&2
	fail=1
fi
if grep -q 'pghot-rig: PREFLIGHT FAILED' "$console"; then
	echo "boot: FAIL: the guest topology is not tiered as required" >&2
	fail=1
elif ! grep -q 'pghot-rig: done' "$console"; then
	echo "boot: FAIL: the guest did not reach the end of its script" >&2
	tail -20 "$console" >&2
	fail=1
fi
echo "boot: $tag boot took $secs s wall clock (console: $console)"
exit $fail
