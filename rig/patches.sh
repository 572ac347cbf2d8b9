#!/bin/bash
# patches.sh BUILD: export the repo's kernel changes as a numbered
# git format-patch series against the Debian base, into BUILD/patches.
#
# Each repo commit that touches kernel paths becomes one patch with the same
# author, date and message; commits that touch only the rig are skipped.
# The series is then applied with `git am` to pristine copies of the base
# files, and the result must equal the repo's kernel files byte for byte:
# that is the tree `make check` builds and tests.
set -euo pipefail

build=$1
repo=$(cd "$(dirname "$0")/.." && pwd)
kdirs=(mm include kernel arch lib tools Documentation MAINTAINERS)
series=$build/series
out=$build/patches

die() { echo "patches: ERROR: $*" >&2; exit 1; }
cd "$repo"
[ -z "$(git status --porcelain -- "${kdirs[@]}")" ] ||
	die "uncommitted kernel changes; commit them first (the series is made from commits)"

# Every kernel file any commit touches, and the base versions of them.
touched=$(git log --format= --name-only -- "${kdirs[@]}" | sort -u)
[ -n "$touched" ] || die "no commit touches kernel paths"

# seed DIR: a git repo holding the pristine base copies of the touched files.
seed() {
	rm -rf "$1"
	mkdir -p "$1"
	for f in $touched; do
		if [ -f "$build/base/$f" ]; then
			mkdir -p "$1/$(dirname "$f")"
			cp "$build/base/$f" "$1/$f"
		fi
	done
	git -C "$1" init -q
	git -C "$1" add -A
	git -C "$1" -c user.name=base -c user.email=base@localhost \
		commit -q -m "linux-source-6.12 $(cat "$build/base/.pghot-base")"
}

seed "$series"
n=0
for c in $(git rev-list --reverse HEAD -- "${kdirs[@]}"); do
	for f in $(git diff-tree --no-commit-id --name-only -r --root "$c" -- "${kdirs[@]}"); do
		if git cat-file -e "$c:$f" 2>/dev/null; then
			mkdir -p "$series/$(dirname "$f")"
			git show "$c:$f" > "$series/$f"
			[ "$(git ls-tree "$c" -- "$f" | cut -c1-6)" = 100755 ] &&
				chmod +x "$series/$f" || chmod -x "$series/$f"
		else
			rm -f "$series/$f"
		fi
	done
	git -C "$series" add -A
	# A commit that only copies a pristine upstream file in adds no diff.
	git -C "$series" diff --cached --quiet && continue
	GIT_AUTHOR_NAME=$(git log -1 --format=%an "$c") \
	GIT_AUTHOR_EMAIL=$(git log -1 --format=%ae "$c") \
	GIT_AUTHOR_DATE=$(git log -1 --format=%ad "$c") \
	GIT_COMMITTER_NAME=$(git log -1 --format=%cn "$c") \
	GIT_COMMITTER_EMAIL=$(git log -1 --format=%ce "$c") \
	GIT_COMMITTER_DATE=$(git log -1 --format=%cd "$c") \
		git -C "$series" commit -q -F <(git log -1 --format=%B "$c")
	n=$((n + 1))
done

rm -rf "$out"
git -C "$series" format-patch -q -o "$out" HEAD~"$n"
echo "patches: $n patches in $out:"
ls "$out" | sed 's/^/  /'

# Apply to pristine copies and compare with the repo's files.
verify=$build/series-verify
seed "$verify"
git -C "$verify" -c user.name=verify -c user.email=verify@localhost am -q "$out"/*.patch ||
	die "the series does not apply to the pristine base"
bad=0
for f in $touched; do
	if [ -f "$f" ]; then
		cmp -s "$f" "$verify/$f" || { echo "patches: ERROR: $f differs after applying the series" >&2; bad=1; }
	elif [ -f "$verify/$f" ]; then
		echo "patches: ERROR: $f exists after the series but not in the repo" >&2
		bad=1
	fi
done
rm -rf "$verify"
[ $bad -eq 0 ] || die "series verification failed"
echo "patches: the series applies to the pristine base and reproduces the repo's kernel files"
python3 -B "$repo/rig/cover-letter.py" "$repo" "$series" "$out" "$n" ||
	die "cannot write the cover letter"
echo "patches: cover letter: $out/0000-cover-letter.patch"
