#!/bin/bash
# docs.sh BUILD: build the documentation that holds pghot's pages with the
# kernel's Sphinx setup, for our tree and for the pristine base, and fail on
# any warning our tree has that the base has not.
#
# SPHINXDIRS restricts the build to the directories with pghot's pages: the
# design (Documentation/mm), the admin guide (admin-guide/mm) and the
# sysctl entries (admin-guide/sysctl).  Each is then a Sphinx project of its
# own, so links between them do not resolve; upstream's pages there warn
# about that in both builds, which is why the base is the reference.
# Warnings are compared by file and message, without line numbers.
set -euo pipefail
export LC_ALL=C PYTHONDONTWRITEBYTECODE=1

build=$1
dirs="mm admin-guide/mm admin-guide/sysctl"
logs=$build/logs/docs
mkdir -p "$logs"

docs() {
	local tree=$1 out=$2 log=$3
	rm -rf "$out"
	make -s -C "$tree" O="$out" SPHINXDIRS="$dirs" htmldocs > "$log" 2>&1 ||
		{ cat "$log" >&2; echo "docs: htmldocs failed in $tree" >&2; exit 2; }
}

# "path: WARNING: message" per warning, paths from the tree's top; the
# missing graphviz is the machine's, not the documents'.
keys() {
	# Sphinx's own (WARNING, ERROR, CRITICAL) and kernel-doc's, which
	# the kernel-doc directive passes on in lower case
	grep -E '(WARNING|ERROR|CRITICAL):|: (warning|error):' | grep -v 'dot(1) not found' |
		sed -E 's#^.*/(src|base-docs)/##; s#^([^ :]+):[0-9]+:#\1:#' | sort
}

# htmldocs writes generated pages into its source tree (the netlink specs)
# even with O=: the base is built from a hard-linked copy, to stay pristine.
if [ ! -f "$build/base-docs/.pghot-base" ] ||
   ! cmp -s "$build/base/.pghot-base" "$build/base-docs/.pghot-base"; then
	rm -rf "$build/base-docs"
	cp -al "$build/base" "$build/base-docs"
fi
docs "$build/src" "$build/docs-ours" "$logs/ours.log"
docs "$build/base-docs" "$build/docs-base" "$logs/base.log"
keys < "$logs/ours.log" > "$logs/ours.keys"
keys < "$logs/base.log" > "$logs/base.keys"
new=$(comm -23 "$logs/ours.keys" "$logs/base.keys")
pages=$(find "$build/docs-ours/Documentation/output" -name 'pghot.html' | wc -l)
if [ -n "$new" ]; then
	echo "$new" | while IFS= read -r k; do
		awk -v m="${k#*: }" 'index($0, m) { print; exit }' "$logs/ours.log"
	done
	echo "docs: not ok - htmldocs: $(echo "$new" | wc -l) new warnings (full log: $logs/ours.log)"
	exit 1
fi
if [ "$pages" -lt 2 ]; then
	echo "docs: not ok - htmldocs: pghot's pages were not built ($pages of 2)"
	exit 1
fi
echo "docs: ok - htmldocs of $dirs: no new warning; pghot's $pages pages built"
