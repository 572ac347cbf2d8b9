#!/usr/bin/env python3
"""cover-letter.py REPO SERIES OUT N: write OUT/0000-cover-letter.patch.

Everything in it comes from files of the repository, so that it says what
the tree says: the problem and the design from the top of
Documentation/mm/pghot.rst, its sections "Against the earlier postings" and
"Known limits", the table of the last full benchmark run that was recorded
(rig/bench/last-full.md, written by `make bench-record`), the base from
rig/base.manifest, and the shortlog and diffstat of the N patches of the
series in SERIES (a git repository of the base with the series applied,
from patches.sh).  A section that is not there is an error, not a gap.
"""
import os
import re
import subprocess
import sys
import textwrap


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], check=True,
                          capture_output=True, text=True).stdout


def rst_sections(path):
    """The title's preamble and each top-level section, by title."""
    lines = open(path, encoding="utf-8").read().splitlines()
    sections, title, body = {}, None, []
    i = 0
    while i < len(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if lines[i] and re.fullmatch(r"=+", nxt) and len(nxt) >= len(lines[i]):
            sections[title] = body
            title, body = lines[i], []
            i += 2
            continue
        body.append(lines[i])
        i += 1
    sections[title] = body
    return sections


def plain(lines):
    """reST to plain text for a mail: literal blocks indented, markup off."""
    out = []
    for line in lines:
        if line.strip() == "::":
            continue
        line = re.sub(r"``([^`]+)``", r"\1", line)
        line = re.sub(r":[a-z]+:`([^`<]+?)(?: <[^>]+>)?`", r"\1", line)
        out.append(line)
    while out and not out[0].strip():
        out.pop(0)
    while out and not out[-1].strip():
        out.pop()
    return out


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    repo, series, outdir = sys.argv[1:4]
    doc = rst_sections(os.path.join(repo, "Documentation/mm/pghot.rst"))
    for title in ("pghot: design of hot page promotion", "Data flow",
                  "Against the earlier postings", "Known limits", "Testing"):
        if title not in doc:
            sys.exit("cover-letter: Documentation/mm/pghot.rst has no "
                     "section '%s'" % title)
    preamble = doc.get("pghot: design of hot page promotion", [])
    # the document's own title block is an overline: its body is the intro
    intro = [l for l in preamble if not re.fullmatch(r"=+", l)]
    # its first paragraph says what pghot is; the next, what the document is
    intro = plain(intro)
    if "" in intro:
        intro = intro[:intro.index("")]

    subjects = git(series, "log", "--reverse", "--format=%s", "HEAD~%s..HEAD"
                   % sys.argv[4]).splitlines()
    n = len(subjects)
    first = git(series, "rev-list", "--max-parents=0", "HEAD").strip()
    diffstat = git(series, "diff", "--stat=72", first, "HEAD")
    author = git(repo, "log", "-1", "--format=%an <%ae>")
    date = git(repo, "log", "-1", "--format=%aD").strip()
    head = git(repo, "log", "-1", "--format=%h").strip()

    manifest = open(os.path.join(repo, "rig/base.manifest"),
                    encoding="utf-8").read()
    m = re.search(r"^version (\S+)", manifest, re.M)
    if not m:
        sys.exit("cover-letter: rig/base.manifest names no version")
    version = m.group(1)

    bench_path = os.path.join(repo, "rig/bench/last-full.md")
    if os.path.exists(bench_path):
        bench = open(bench_path, encoding="utf-8").read().rstrip().splitlines()
    else:
        bench = textwrap.wrap("No full benchmark run is recorded yet "
                              "(make bench BENCH_PROFILE=full, then "
                              "make bench-record).", 72)

    body = []
    body += intro + [""]
    body += plain(doc.get("Data flow", [])) + [""]
    body += ["Against the earlier postings", "----------------------------", ""]
    body += plain(doc.get("Against the earlier postings", [])) + [""]
    body += ["Measurements", "------------", ""]
    body += bench + [""]
    body += ["Base", "----", ""]
    body += textwrap.wrap("The series applies to Linux 6.12 as Debian "
                          "packages it (linux-source-6.12 %s), the tree it "
                          "was tested on; it was exported at %s."
                          % (version, head), 72, break_on_hyphens=False) + [""]
    body += ["Known limits", "------------", ""]
    body += plain(doc.get("Known limits", [])) + [""]
    body += ["Testing", "-------", ""]
    body += plain(doc.get("Testing", [])) + [""]

    text = "From %s Mon Sep 17 00:00:00 2001\n" % ("0" * 40)
    text += "From: %s" % author
    text += "Date: %s\n" % date
    width = len(str(n))
    text += ("Subject: [PATCH %s/%d] mm: pghot: hot page tracking and "
             "promotion for tiered memory\n") % ("0" * width, n)
    text += ("MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
             "Content-Transfer-Encoding: 8bit\n\n")
    text += "\n".join(body) + "\n"
    text += "%s (%d):\n" % (author.split(" <")[0], n)
    text += "\n".join("  %s" % s for s in subjects) + "\n\n"
    gitver = subprocess.run(["git", "--version"], check=True,
                            capture_output=True, text=True).stdout.split()[-1]
    text += diffstat + "\n-- \n%s\n" % gitver
    with open(os.path.join(outdir, "0000-cover-letter.patch"), "w",
              encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
