#!/bin/bash
# Install what the rig needs on a Debian 12 machine (idempotent).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pin=$(awk '$1 == "version" { print $2 }' "$here/base.manifest")

pkgs=(build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils gzip kmod
      ccache qemu-system-x86 busybox-static python3 perl libnuma-dev rsync
      clang libclang-rt-14-dev valgrind sparse python3-sphinx python3-yaml)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
have_src=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || true)

[ ${#missing[@]} -eq 0 ] && [ -n "$have_src" ] && exit 0

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
echo "deps: installing: ${missing[*]} ${have_src:+}${have_src:-linux-source-6.12}"
$SUDO apt-get update -q >/dev/null
src=linux-source-6.12
if [ -z "$have_src" ]; then
	# Pin the version the manifest names while the archive still has it;
	# otherwise take what is there and let the manifest check decide.
	if apt-cache madison linux-source-6.12 | awk '{ print $3 }' | grep -qxF "$pin"; then
		src="linux-source-6.12=$pin"
	else
		echo "deps: WARNING: linux-source-6.12 $pin is gone from the archive; taking the newest" >&2
	fi
	missing+=("$src")
fi
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
