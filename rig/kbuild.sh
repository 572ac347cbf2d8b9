#!/bin/bash
# Configure and build one kernel flavour out of tree, with ccache.
#
#   kbuild.sh BUILD FLAVOUR     FLAVOUR is "test", "run", or a variant of
#                               one, "NAME-VARIANT" ("test-rt")
#
# Config = tinyconfig + rig/configs/base.config + rig/configs/NAME.config
# (+ rig/configs/VARIANT.config for a variant).
# After olddefconfig every requested option must have survived; the ones that
# did not are named and the build stops.
set -euo pipefail

build=$1
flavour=$2
repo=$(cd "$(dirname "$0")/.." && pwd)
src=$build/src
obj=$build/obj-$flavour
jobs=${JOBS:-$(nproc)}
frags=("$repo/rig/configs/base.config" "$repo/rig/configs/${flavour%%-*}.config")
[ "$flavour" = "${flavour%%-*}" ] || frags+=("$repo/rig/configs/${flavour#*-}.config")

for f in "${frags[@]}"; do
	[ -f "$f" ] || { echo "kbuild: unknown flavour $flavour (no $f)" >&2; exit 1; }
done
mkdir -p "$obj"

export CCACHE_DIR=${CCACHE_DIR:-$HOME/.ccache}
# Hash paths relative to the build directory so that clones at other places
# share the cache.
export CCACHE_BASEDIR=$build
export CCACHE_NOHASHDIR=1
export KBUILD_BUILD_TIMESTAMP="2026-01-01 00:00:00 UTC"
export KBUILD_BUILD_USER=pghot KBUILD_BUILD_HOST=rig
kmake() { make -s -C "$src" O="$obj" ARCH=x86_64 CC="ccache gcc" "$@"; }

# Rebuild the config only when a fragment changed (keeps no-op builds fast).
stamp=$obj/.pghot-config.sha
want=$(cat "${frags[@]}" | sha256sum | cut -d' ' -f1)
if [ ! -f "$obj/.config" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	kmake tinyconfig >/dev/null
	cat "${frags[@]}" >> "$obj/.config"
	# The fragments override tinyconfig on purpose: drop those notes.
	kmake olddefconfig 2>&1 | grep -v 'override: reassigning to symbol' || true
	echo "$want" > "$stamp"
fi
kmake olddefconfig >/dev/null	# picks up Kconfig changes from the overlay

# Every requested option must have survived olddefconfig.
lost=()
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qxF "$line" "$obj/.config" || lost+=("$line (got: $(grep -E "^(# )?${line%%=*}[= ]" "$obj/.config" || echo absent))")
		;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		grep -qE "^$opt=" "$obj/.config" && lost+=("$line (got: $(grep -E "^$opt=" "$obj/.config"))")
		;;
	esac
done < <(cat "${frags[@]}" | awk '
	# the last fragment that names an option decides it
	{ opt = $0; sub(/^# /, "", opt); sub(/[= ].*/, "", opt) }
	opt ~ /^CONFIG_/ { last[opt] = NR; line[NR] = $0; next }
	END { for (o in last) print line[last[o]] }')
if [ ${#lost[@]} -gt 0 ]; then
	echo "kbuild: ERROR: requested options did not survive olddefconfig:" >&2
	printf '  %s\n' "${lost[@]}" >&2
	exit 1
fi

start=$(date +%s)
kmake -j"$jobs" bzImage
echo "kbuild: $flavour kernel built in $(( $(date +%s) - start )) s: $obj/arch/x86/boot/bzImage"
