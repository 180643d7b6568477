"""Cause census of right-question misses: ``python -m benchmarks.seg_census ERRORS.txt [--examples]``.

Reads a ``seg_table --errors`` (or ``evaluate --verbose``) listing and each spent set's
gold, and counts every ``[recall]`` miss by a cause read mechanically from the gold
heading's shape and the document's layout (docs/segmentation.md, session 15). Only
spent sets (``accounting.SPENT``) are read.
"""

import collections
import re
import sys
from pathlib import Path

import yaml

from benchmarks.accounting import ROOT, SPENT

errs = Path(sys.argv[1]).read_text().splitlines()
gold_cache = {}


def gold(set_name):
    if set_name not in gold_cache:
        g = yaml.safe_load((ROOT / set_name / "gold.yaml").read_text())
        con = yaml.safe_load((ROOT / set_name / "consultation.yaml").read_text())
        kinds = {q["id"]: q.get("kind") for q in con["questions"]}
        docs = {Path(d["file"]).name: d for d in g.get("documents") or []}
        gold_cache[set_name] = (docs, kinds)
    return gold_cache[set_name]


REC = re.compile(r"\s+\[recall\] (\S+): (?:heading '(.*)': )?(.*)$")


def classify(layout, q, kind, head, rest):
    if "not found in the text read" in rest:
        return "text not read (attachment / covering e-mail / reader)"
    dest = (
        "preamble"
        if "under preamble" in rest
        else "unstructured"
        if ("under unstructured" in rest or "no answer row" in rest)
        else "closing"
        if "under closing" in rest
        else "other q"
    )
    if head:
        h = head.strip()
        if re.fullmatch(r"#[A-Za-z0-9]+", h):
            return f"hashtag heading ({dest})"
        if kind == "profile":
            return f"self-description section -> profile question ({dest})"
        if re.match(r"^\s*>", h):
            return "quoted question line ('> Q1.')"
        if re.match(r"(?i)^\s*(re|subject|ref)\b\s*[:\-]?", h):
            return f"'Re:' line heading ({dest})"
        if re.match(r"(?i)^\s*(\d{1,2}(\.\d)?[.)]|\(?[ivx]+[.)]|[a-h][.)]|§|\[\d|#\d)\s", h):
            return f"document's own section number ({dest})"
        if re.search(r"(?i)\b(q\.?\s?\d|question\s+(\d|no|one|two|three|four|five|six|seven))", h):
            return f"question number heading, content elsewhere ({dest})"
        if h.rstrip(" *").endswith("?"):
            return f"question-shaped (FAQ) heading ({dest})"
        if len(h.split()) > 9:
            return f"whole-sentence heading ({dest})"
        return f"own-words heading ({dest})"
    if "letter" in layout or "email" in layout or "eml" in layout:
        return f"unheaded letter/e-mail paragraph ({dest})"
    return f"no gold heading, layout {layout} ({dest})"


counts = collections.defaultdict(collections.Counter)
examples = collections.defaultdict(list)
cur_set = cur_file = None
for line in errs:
    m = re.match(r"== (\S+) \(", line)
    if m:
        cur_set = m.group(1) if SPENT.match(m.group(1)) else None
        continue
    if line and not line.startswith(" ") and not line.startswith("answers under"):
        cur_file = line.strip()
        continue
    m = REC.match(line)
    if not m or cur_set is None:
        continue
    q, head, rest = m.groups()
    docs, kinds = gold(cur_set)
    d = docs.get(cur_file.split(" + ")[0], {})
    layout = d.get("layout", "?")
    c = classify(layout, q, kinds.get(q), head, rest)
    mb = re.search(r"-(\d+)$", cur_set)
    b = int(mb.group(1)) if mb else 1
    counts[c][b] += 1
    examples[c].append(f"{cur_set}/{cur_file}: {q} {head!r} {rest[:60]}")
batches = sorted({b for c in counts.values() for b in c})
print("| cause | " + " | ".join(map(str, batches)) + " | all |")
for c, cnt in sorted(counts.items(), key=lambda kv: -sum(kv[1].values())):
    print(
        f"| {c} | " + " | ".join(str(cnt.get(b, 0)) for b in batches) + f" | {sum(cnt.values())} |"
    )
print("total", sum(sum(c.values()) for c in counts.values()))
if len(sys.argv) > 2:
    for c, ex in examples.items():
        print("\n##", c)
        for e in ex:
            print("   ", e)
