#!/bin/bash
# Prepare the kernel source tree: extract the Debian base once, check the
# base manifest, and copy the repo's kernel files over it.
#
#   overlay.sh BUILD                   extract (once), check, overlay
#   overlay.sh BUILD --update-manifest rewrite the sha256 lines of the manifest
#
# BUILD/base is the pristine tree (never written after extraction), BUILD/src
# the tree we build.  Only files whose content changed are copied, so their
# mtimes, and hence kbuild's incremental rebuild, stay exact.
set -euo pipefail

build=$1
mode=${2:-}
repo=$(cd "$(dirname "$0")/.." && pwd)
manifest=$repo/rig/base.manifest
tarball=/usr/src/linux-source-6.12.tar.xz
kdirs=(mm include kernel arch lib tools Documentation MAINTAINERS)

die() { echo "overlay: ERROR: $*" >&2; exit 1; }

[ -f "$tarball" ] || die "$tarball missing: run 'make deps' (package linux-source-6.12)"
pkgver=$(dpkg-query -W -f='${Version}' linux-source-6.12)

extract() {
	local dst=$1
	rm -rf "$dst" "$dst.tmp"
	mkdir -p "$dst.tmp"
	tar -xJf "$tarball" -C "$dst.tmp" --strip-components=1
	echo "$pkgver" > "$dst.tmp/.pghot-base"
	mv "$dst.tmp" "$dst"
}

mkdir -p "$build"
if [ ! -f "$build/base/.pghot-base" ] || [ "$(cat "$build/base/.pghot-base")" != "$pkgver" ]; then
	if [ -d "$build/base" ]; then
		# A different base invalidates every object built from the old one.
		echo "overlay: base package changed to $pkgver; discarding old trees and objects"
		rm -rf "$build"/obj-* "$build/src"
	fi
	echo "overlay: extracting linux-source-6.12 $pkgver (pristine copy)"
	extract "$build/base"
fi
if [ ! -f "$build/src/.pghot-base" ]; then
	echo "overlay: extracting linux-source-6.12 $pkgver (build copy)"
	extract "$build/src"
	rm -f "$build/src/.pghot-overlay.list"
fi

want=$(awk '$1 == "version" { print $2 }' "$manifest")
[ "$want" = "$pkgver" ] || echo "overlay: note: manifest was written for $want, base is $pkgver; checking files" >&2

# The repo's kernel files: tracked plus untracked-but-not-ignored.
cd "$repo"
if git rev-parse --git-dir >/dev/null 2>&1; then
	files=$(git ls-files --cached --others --exclude-standard -- "${kdirs[@]}" | sort -u)
else
	files=$(find "${kdirs[@]}" -type f 2>/dev/null | sort)
fi
files=$(for f in $files; do if [ -f "$f" ]; then echo "$f"; fi; done)

upstream=$(for f in $files; do if [ -f "$build/base/$f" ]; then echo "$f"; fi; done)

if [ "$mode" = "--update-manifest" ]; then
	{
		grep -v '^sha256 ' "$manifest" | sed "s/^version .*/version $pkgver/"
		for f in $upstream; do
			echo "sha256 $(sha256sum "$build/base/$f" | cut -d' ' -f1) $f"
		done
	} > "$manifest.new"
	mv "$manifest.new" "$manifest"
	echo "overlay: manifest updated: $(echo "$upstream" | grep -c . || true) upstream files"
	exit 0
fi

# Manifest check: every overridden upstream file is listed and unchanged in
# the base; every listed file is still overridden.
bad=0
for f in $upstream; do
	sum=$(awk -v f="$f" '$1 == "sha256" && $3 == f { print $2 }' "$manifest")
	if [ -z "$sum" ]; then
		echo "overlay: ERROR: $f overrides an upstream file but is not in rig/base.manifest (run 'make manifest')" >&2
		bad=1
	elif [ "$sum" != "$(sha256sum "$build/base/$f" | cut -d' ' -f1)" ]; then
		echo "overlay: ERROR: base drift: $f differs from the copy this repo was written against" >&2
		bad=1
	fi
done
for f in $(awk '$1 == "sha256" { print $3 }' "$manifest"); do
	echo "$upstream" | grep -qxF "$f" || {
		echo "overlay: ERROR: rig/base.manifest lists $f, which the repo does not override" >&2
		bad=1
	}
done
[ $bad -eq 0 ] || die "base manifest check failed; refusing to overlay"

# Overlay, copying only what changed.
copied=0
for f in $files; do
	if ! cmp -s "$f" "$build/src/$f"; then
		mkdir -p "$(dirname "$build/src/$f")"
		cp "$f" "$build/src/$f"
		copied=$((copied + 1))
	fi
done
# Files we overlaid last time but no longer carry go back to the base state.
if [ -f "$build/src/.pghot-overlay.list" ]; then
	while read -r f; do
		echo "$files" | grep -qxF "$f" && continue
		if [ -f "$build/base/$f" ]; then
			cp -p "$build/base/$f" "$build/src/$f"
			touch "$build/src/$f"
		else
			rm -f "$build/src/$f"
		fi
		copied=$((copied + 1))
	done < "$build/src/.pghot-overlay.list"
fi
echo "$files" > "$build/src/.pghot-overlay.list"
echo "overlay: base $pkgver, $(echo "$files" | grep -c .) repo files ($(echo "$upstream" | grep -c .) upstream), $copied updated"
