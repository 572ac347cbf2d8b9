#!/bin/bash
# lint.sh BUILD: the static gates of `make check`, over the C files pghot
# adds or changes, the headers they include, and the exported series.
#
#   W=1 and sparse (C=2): each file's object is compiled in BUILD/obj-lint
#     from our tree and, for a file upstream has too, in BUILD/obj-base
#     from the pristine base, both with the test kernel's config.  A
#     warning is ours if our build prints it more often than the base
#     build does, compared by file and message with line numbers left out
#     (our changes move upstream's lines).
#   kernel-doc -Wall: our sources and headers, against the base the same
#     way.
#   checkpatch --strict: every patch of BUILD/patches (make patches), minus
#     the reviewed exceptions of rig/checkpatch.allow.
#
# Prints each new finding with its file and line, and one line per gate;
# exits non-zero if any gate found something.
set -euo pipefail
export LC_ALL=C

build=$1
repo=$(cd "$(dirname "$0")/.." && pwd)
src=$build/src
base=$build/base
logs=$build/logs/lint
kdirs=(mm include kernel arch lib)
config=$build/obj-test/.config

die() { echo "lint: ERROR: $*" >&2; exit 2; }
[ -f "$config" ] || die "$config missing: build the test kernel first"
mkdir -p "$logs"
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.ccache} CCACHE_BASEDIR=$build CCACHE_NOHASHDIR=1
jobs=$(nproc)

cd "$repo"
cfiles=$(git ls-files -- "${kdirs[@]}" | grep '\.c$' | grep -v '^tools/' || true)
docfiles=$(git ls-files -- "${kdirs[@]}" | grep -E '\.[ch]$' | grep -v '^tools/' || true)

# Reduce compiler, sparse and kernel-doc lines to "path: message", one per
# finding, sorted, for a multiset comparison with the base.
keys() {
	sed -n -E 's#^(\.\./)*([^ :]*/)?(src|base)/##; s#^([^ :]+):[0-9]+(:[0-9]+)?: (warning|error): (.*)$#\1: \3: \4#p;
		   s#^(warning|error): ([^ :]+):[0-9]+ (.*)$#\2: \1: \3#p' |
		sort
}

# Lines of $1 (full findings) whose key is in the multiset difference
# $2 - $3 (key files).
show_new() {
	local new
	new=$(comm -23 "$2" "$3")
	[ -n "$new" ] || return 0
	while IFS= read -r k; do
		local file=${k%%: *} msg=${k#*: }
		msg=${msg#*: }
		# awk, not grep | head: no SIGPIPE under pipefail
		awk -v f="$file" -v m="$msg" 'index($0, f) && index($0, m) { print; exit }' "$1"
	done <<< "$new"
}

fails=0

# --- W=1 and sparse ---------------------------------------------------
prepare_obj() {
	local tree=$1 obj=$2
	mkdir -p "$obj"
	if ! cmp -s "$config" "$obj/.config.src"; then
		cp "$config" "$obj/.config"
		cp "$config" "$obj/.config.src"
		make -s -C "$tree" O="$obj" ARCH=x86_64 CC="ccache gcc" olddefconfig >/dev/null
	fi
}

objs_of() {
	local f
	for f in "$@"; do echo "${f%.c}.o"; done
}

lint_objs() {
	local tree=$1 obj=$2 out=$3; shift 3
	# C=2 checks even objects that are up to date; W=1 is in their
	# command line, so they are rebuilt when it was not.
	make -s -C "$tree" O="$obj" ARCH=x86_64 CC="ccache gcc" -j"$jobs" \
		W=1 C=2 CHECK="sparse" $(objs_of "$@") > "$out" 2>&1 ||
		{ cat "$out" >&2; die "lint build in $obj failed"; }
}

prepare_obj "$src" "$build/obj-lint"
# shellcheck disable=SC2086
lint_objs "$src" "$build/obj-lint" "$logs/ours.log" $cfiles
upstream=$(for f in $cfiles; do [ -f "$base/$f" ] && echo "$f"; done || true)
: > "$logs/base.log"
if [ -n "$upstream" ]; then
	prepare_obj "$base" "$build/obj-base"
	# shellcheck disable=SC2086
	lint_objs "$base" "$build/obj-base" "$logs/base.log" $upstream
fi
keys < "$logs/ours.log" > "$logs/ours.keys"
keys < "$logs/base.log" > "$logs/base.keys"
new=$(show_new "$logs/ours.log" "$logs/ours.keys" "$logs/base.keys")
n=$(comm -23 "$logs/ours.keys" "$logs/base.keys" | grep -c . || true)
if [ "$n" -gt 0 ]; then
	echo "$new"
	echo "lint: not ok - W=1 + sparse: $n new warnings (full output: $logs/ours.log)"
	fails=$((fails + 1))
else
	echo "lint: ok - W=1 + sparse: no new warning in $(echo "$cfiles" | grep -c .) files"
fi

# --- kernel-doc -------------------------------------------------------
# kernel-doc -none exits 0 however many warnings it prints: anything else
# is a crash, which must not pass as "no warning".
kdoc() {
	local tree=$1 rc=0; shift
	(cd "$tree" && scripts/kernel-doc -Wall -none "$@" 2>&1) || rc=$?
	[ "$rc" -eq 0 ] || die "kernel-doc failed in $tree (exit $rc)"
}
# shellcheck disable=SC2086
kdoc "$src" $docfiles > "$logs/kdoc-ours.log"
docbase=$(for f in $docfiles; do [ -f "$base/$f" ] && echo "$f"; done || true)
: > "$logs/kdoc-base.log"
# shellcheck disable=SC2086
[ -z "$docbase" ] || kdoc "$base" $docbase > "$logs/kdoc-base.log"
keys < "$logs/kdoc-ours.log" > "$logs/kdoc-ours.keys"
keys < "$logs/kdoc-base.log" > "$logs/kdoc-base.keys"
n=$(comm -23 "$logs/kdoc-ours.keys" "$logs/kdoc-base.keys" | grep -c . || true)
if [ "$n" -gt 0 ]; then
	show_new "$logs/kdoc-ours.log" "$logs/kdoc-ours.keys" "$logs/kdoc-base.keys"
	echo "lint: not ok - kernel-doc: $n new warnings"
	fails=$((fails + 1))
else
	echo "lint: ok - kernel-doc: no new warning in $(echo "$docfiles" | grep -c .) files"
fi

# --- checkpatch --strict on the series ---------------------------------
if [ "${LINT_SERIES:-1}" = 0 ]; then
	echo "lint: skip - checkpatch --strict: the series is not exported from uncommitted changes"
	exit $((fails > 0))
fi
allow=$repo/rig/checkpatch.allow
[ -d "$build/patches" ] || die "$build/patches missing: run make patches first"
: > "$logs/checkpatch.log"
bad=0
cd "$build/patches"
for p in [0-9]*.patch; do
	[ "$p" != 0000-cover-letter.patch ] || continue
	# a long subject goes on over continuation lines
	subject=$(awk '/^Subject:/ { s = $0; while ((getline l) > 0 && l ~ /^ /) s = s l;
		sub(/^Subject: \[PATCH[^]]*\] /, "", s); print s; exit }' "$p")
	# --root: checkpatch knows the tree's own CamelCase names.
	# FILE_PATH_CHANGES asks whether MAINTAINERS needs updating for each
	# patch that adds a file; the MAINTAINERS check below answers it.
	# exit 0: clean, 1: findings; anything else is checkpatch failing
	rc=0
	out=$("$src/scripts/checkpatch.pl" --strict --root="$src" --quiet --show-types \
		--no-summary --ignore FILE_PATH_CHANGES "$p" 2>&1) || rc=$?
	[ "$rc" -le 1 ] || die "checkpatch failed on $p (exit $rc): $out"
	types=$(echo "$out" | sed -n -E 's/^(WARNING|ERROR|CHECK):([A-Z_0-9]+):.*/\2/p' |
		sort | uniq -c | awk '{ print $2 " " $1 }')
	[ -n "$types" ] || continue
	echo "$p: $(echo $types)" >> "$logs/checkpatch.log"
	while read -r type count; do
		allowed=$(awk -F'\t' -v s="$subject" -v t="$type" \
			'$1 == s && $2 == t { print $3; exit }' "$allow")
		[[ -z $allowed || $allowed =~ ^[0-9]+$ ]] ||
			die "rig/checkpatch.allow: '$allowed' is no count ($subject, $type)"
		if [ -z "$allowed" ] || [ "$count" -gt "$allowed" ]; then
			echo "lint: checkpatch: $p: $type x$count (allowed ${allowed:-0})"
			echo "$out" | awk -v t="$type" '$0 ~ "^(WARNING|ERROR|CHECK):" t ":" { n = 4 }
				n > 0 { print; n-- }' | awk 'NR <= 12' 
			bad=$((bad + 1))
		fi
	done <<< "$types"
done
rm -f .checkpatch-camelcase.*
cd "$repo"
shopt -s nullglob
series_patches=("$build"/patches/[0-9]*.patch)
npatches=$(( ${#series_patches[@]} - 1 ))	# less the cover letter

# Every file the series adds is covered by an F: line of its MAINTAINERS
# entry (a pattern ending in / covers what is below it).
patterns=$(awk '/^HOT PAGE TRACKING AND PROMOTION \(PGHOT\)$/ { on = 1; next }
	on && /^$/ { exit } on && /^F:/ { print $2 }' MAINTAINERS)
[ -n "$patterns" ] || { echo "lint: MAINTAINERS: no PGHOT entry"; bad=$((bad + 1)); }
# The files the series adds, from the patches themselves, that the tree
# still has at its end (early patches added files later moved).
added=$(for p in "${series_patches[@]}"; do
	awk '/^diff --git a\// { f = $3; sub(/^a\//, "", f) } /^new file mode/ { print f }' "$p"
done | sort -u | while IFS= read -r f; do [ ! -f "$repo/$f" ] || echo "$f"; done)
[ -n "$added" ] || { echo "lint: the series adds no file?"; bad=$((bad + 1)); }
for f in $added; do
	covered=
	for pat in $patterns; do
		# shellcheck disable=SC2254
		case $pat in
		*/) [ "${f#"$pat"}" != "$f" ] && covered=1 ;;
		*) case $f in $pat) covered=1 ;; esac ;;
		esac
	done
	[ -n "$covered" ] || { echo "lint: MAINTAINERS: $f is added but no F: line covers it"; bad=$((bad + 1)); }
done

if [ "$bad" -gt 0 ]; then
	echo "lint: not ok - checkpatch --strict: $bad findings beyond rig/checkpatch.allow"
	fails=$((fails + 1))
else
	echo "lint: ok - checkpatch --strict: $npatches patches, nothing beyond rig/checkpatch.allow; MAINTAINERS covers every added file"
fi

exit $((fails > 0))
