#!/bin/bash
# initramfs.sh BUILD FLAVOUR: build BUILD/initramfs-FLAVOUR.cpio.gz
#
# busybox-static, the guest scripts from rig/guest, and per flavour:
#   test: the kselftests of tools/testing/selftests/pghot (static)
#   run:  the tierdemo workload (static)
#   bench: the tierbench workload (static) and its driver
# The archive is written with the kernel's gen_init_cpio, so /dev/console
# exists without root privileges.
set -euo pipefail

build=$1
flavour=$2
repo=$(cd "$(dirname "$0")/.." && pwd)
src=$build/src
stage=$build/initramfs-$flavour
out=$build/initramfs-$flavour.cpio.gz

rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,rig}
cp /bin/busybox "$stage/bin/busybox"
for applet in $("$stage/bin/busybox" --list-full); do
	[ -e "$stage/$applet" ] || ln -s /bin/busybox "$stage/$applet"
done
install -m 0755 "$repo/rig/guest/init" "$stage/init"
install -m 0755 "$repo/rig/guest/preflight" "$repo/rig/guest/ksft-run" \
	"$repo/rig/guest/run-demo" "$stage/rig/"

case $flavour in
test | test-*)
	# kselftests: build static, install, and list them like run_kselftest.sh.
	ksrc=$src/tools/testing/selftests
	kobj=$build/kselftest
	mkdir -p "$stage/kselftest"
	: > "$stage/kselftest/kselftest-list.txt"
	for t in pghot; do
		mkdir -p "$kobj/$t"
		make -s -C "$ksrc/$t" OUTPUT="$kobj/$t" CFLAGS="-O2 -Wall -Werror" LDFLAGS=-static \
			INSTALL_PATH="$stage/kselftest/$t" install
		make -s -C "$ksrc/$t" OUTPUT="$kobj/$t" COLLECTION="$t" emit_tests \
			>> "$stage/kselftest/kselftest-list.txt"
	done
	;;
run)
	gcc -static -O2 -Wall -Wextra -o "$stage/rig/tierdemo" "$repo/rig/guest/tierdemo.c"
	;;
bench)
	gcc -static -O2 -Wall -Wextra -o "$stage/rig/tierbench" "$repo/rig/guest/tierbench.c"
	install -m 0755 "$repo/rig/guest/bench-run" "$stage/rig/"
	;;
*)
	echo "initramfs: unknown flavour $flavour" >&2
	exit 1
	;;
esac

gen=$build/gen_init_cpio
[ "$gen" -nt "$src/usr/gen_init_cpio.c" ] || gcc -O2 -o "$gen" "$src/usr/gen_init_cpio.c"
{
	echo "nod /dev/console 0600 0 0 c 5 1"
	(cd "$stage" && find . -mindepth 1 | sort) | while read -r p; do
		p=${p#.}
		if [ -L "$stage$p" ]; then
			echo "slink $p $(readlink "$stage$p") 0777 0 0"
		elif [ -d "$stage$p" ]; then
			echo "dir $p 0755 0 0"
		else
			echo "file $p $stage$p $(stat -c %a "$stage$p") 0 0"
		fi
	done
} > "$stage.list"
"$gen" "$stage.list" | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
echo "initramfs: $out ($(du -h "$out" | cut -f1))"
