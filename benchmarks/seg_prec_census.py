"""Precision census: every imprecise system row of the spent document sets, by mechanism.

    PYTHONPATH=src:. python -m benchmarks.seg_prec_census --saved DIR [--examples N] [--headed]

A system row under a question counts as imprecise (``validate.devsets.metrics``) when under
90 % of its text lies in the gold answer to that question. This census reads each such row
the way the scorer does (skeleton characters, furniture and tick-box lines left out) and
names the mechanism by where the rest of the row lies:

- ``preamble/title/about placed``: the row holds (almost) none of its question's gold answer
  and its text lies in no gold answer, before the document's first one (a title, the
  covering words, an "about us" the gold leaves in the preamble);
- ``closing placed``: the same after the document's last gold answer (a sign-off, thanks,
  a postscript);
- ``gap text placed``: the same between two gold answers;
- ``wrong question``: most of the row is another question's gold answer and little or none
  its own (``own-words heading`` when that answer's gold heading is not a question number,
  ``numbered heading`` otherwise, ``no heading`` when the gold answer has none);
- ``neighbour merged (late)`` / ``(early)``: the row holds its own answer and part of another
  question's answer that comes after / before it (the section's end or start is wrong);
- ``title/heading kept at start`` / ``run-on after answer``: the row holds its own answer
  and text outside every gold answer before / after it;
- ``question text kept``: that outside text is mostly the words of a consultation question.

Rows are read from ``DIR/<set>.pkl`` (the ingest output of one spent set: answers,
respondents, gold records, as ``/tmp`` scripts of session 27 wrote them), or, without
``--saved``, by running ingest on each spent set (``seg_table.ingest_and_score``). Only
spent sets are read (``accounting.SPENT``); the letters (gold layout "letter") are counted
apart: they are the letter decoder's. Session 27's census: docs/segmentation.md.
"""

from __future__ import annotations

import argparse
import pickle
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd
import yaml

from benchmarks.accounting import ROOT, SPENT
from helpers.validate.devsets.locate import (
    Skeleton,
    fold,
    furniture_ranges,
    overlap,
    size,
    subtract,
)
from helpers.validate.devsets.metrics import COVERAGE, _locate_all, _substantive

_NUMBER_HEAD = re.compile(
    r"(?i)^\W*(q\.?\s*\d|question\s+\w+|\d{1,2}\b|[ivx]{1,4}[.)]|part\s+\w\b|section\s+\d)"
)
SMALL = 0.1  # "(almost) none": under this share of the row


def layouts(name: str) -> dict[str, str]:
    """Gold layout per response file of a spent set."""
    g = yaml.safe_load((ROOT / name / "gold.yaml").read_text(encoding="utf-8"))
    return {str(d["file"]).removeprefix("responses/"): d.get("layout", "?") for d in g["documents"]}


def question_words(name: str) -> list[set[str]]:
    con = yaml.safe_load((ROOT / name / "consultation.yaml").read_text(encoding="utf-8"))
    return [set(re.findall(r"\w{3,}", fold(str(q.get("text", ""))))) for q in con["questions"]]


def _is_question_text(words: set[str], qwords: list[set[str]]) -> bool:
    """At least five words, four fifths of them one consultation question's words."""
    if len(words) < 5:
        return False
    return any(len(words & q) >= 0.8 * len(words) for q in qwords if q)


def classify(text: str, rows, rec, qids: set[str], qwords, heads: dict[str, str | None]):
    """(question, mechanism, snippet) for each imprecise row of one respondent."""
    doc = Skeleton(text)
    located = _locate_all(rec, doc)
    gold = {q: loc.range for q, loc in located.items() if loc.range is not None}
    gold_non = {a.question for a in rec.answers if not a.substantive}
    subst = _substantive(rows)
    starts = [r[0] for r in gold.values()]
    first = min(starts, default=len(doc))
    last = max((r[1] for r in gold.values()), default=0)
    out = []
    for i, r in enumerate(rows.itertuples(index=False)):
        q = str(r.question_id)
        if q not in qids or q in gold_non or (subst is not None and not subst[i]):
            continue
        start, end = int(r.start), int(r.end)
        body = subtract([doc.range_of(start, end)], furniture_ranges(doc, start, end))
        n = size(body)
        if not n:
            continue
        own = gold.get(q)
        inside = overlap(body, [own]) if own else 0
        if inside >= COVERAGE * n:
            continue
        other = {g: overlap(body, [rg]) for g, rg in gold.items() if g != q}
        og = max(other, key=other.get, default=None)
        on = other.get(og, 0) if og else 0
        outside = subtract(body, list(gold.values()))
        out_n = size(outside)
        snippet = " ".join(text[start:end].split())[:70]
        if inside < SMALL * n and on >= out_n:
            h = heads.get(og)
            kind = (
                "no heading"
                if not h
                else "numbered heading"
                if _NUMBER_HEAD.match(h)
                else ("own-words heading")
            )
            out.append((q, f"wrong question ({kind})", snippet))
            continue
        if inside < SMALL * n:
            mid = sum((a + b) / 2 * (b - a) for a, b in outside) / max(out_n, 1)
            zone = (
                "preamble/title/about placed"
                if mid < first
                else ("closing placed" if mid >= last else "gap text placed")
            )
            out.append((q, zone, snippet))
            continue
        if on > out_n:
            late = gold[og][0] >= own[0]
            out.append((q, f"neighbour merged ({'late' if late else 'early'})", snippet))
            continue
        words = set()
        for a, b in outside:
            s0, s1 = doc.span_of((a, b))
            words |= set(re.findall(r"\w{3,}", fold(text[s0:s1])))
        if _is_question_text(words, qwords):
            out.append((q, "question text kept", snippet))
            continue
        before = sum(b - a for a, b in outside if a < own[0])
        where = "title/heading kept at start" if before * 2 > out_n else "run-on after answer"
        out.append((q, where, snippet))
    return out


def census(name: str, data: dict) -> list[tuple]:
    """Every imprecise row of one set: (set, file, letter?, question, mechanism, snippet)."""
    lay = layouts(name)
    qw = question_words(name)
    con = yaml.safe_load((ROOT / name / "consultation.yaml").read_text(encoding="utf-8"))
    qids = {str(q["id"]) for q in con["questions"]}
    answers, resp = data["answers"], data["respondents"]
    key = {
        (str(f), None if pd.isna(r) else int(r)): str(i)
        for i, f, r in zip(
            resp["respondent_id"], resp["source_file"], resp["source_row"], strict=True
        )
    }
    text_of = dict(zip(resp["respondent_id"].astype(str), resp["text"], strict=True))
    by_rid = {str(k): g for k, g in answers.groupby("respondent_id", sort=False)}
    found = []
    for rec in data["records"]:
        if rec.row is not None:
            continue
        rid = key.get((rec.file, None))
        if rid is None or rid not in by_rid:
            continue
        heads = {a.question: a.heading for a in rec.answers}
        letter = "letter" in lay.get(rec.file, "")
        for q, mech, snip in classify(text_of[rid], by_rid[rid], rec, qids, qw, heads):
            found.append((name, rec.file, letter, q, mech, snip))
    return found


def batch(name: str) -> int:
    m = re.search(r"-(\d+)$", name)
    return int(m.group(1)) if m else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--saved", default="", help="folder of <set>.pkl ingest outputs")
    ap.add_argument("--sets", default="")
    ap.add_argument("--examples", type=int, default=0)
    args = ap.parse_args(argv)
    names = [n for n in args.sets.split(",") if n] or [
        f"{c}-{b}" for b in range(2, 31) for c in ("ofsted-docs", "transport")
    ]
    bad = [n for n in names if not SPENT.match(n)]
    if bad:
        sys.exit(f"not a spent set: {bad}")
    rows: list[tuple] = []
    for name in names:
        if args.saved:
            p = Path(args.saved) / f"{name}.pkl"
            if not p.is_file():
                continue
            data = pickle.loads(p.read_bytes())
        else:
            from benchmarks.seg_table import ingest_and_score

            _s, res, recs = ingest_and_score(name)
            data = {"answers": res.answers, "respondents": res.respondents, "records": recs}
        rows += census(name, data)
    for part, keep in (("headed (not letters)", False), ("letters", True)):
        sel = [r for r in rows if r[2] == keep]
        by: dict[str, Counter] = defaultdict(Counter)
        for r in sel:
            by[r[4]][batch(r[0])] += 1
        print(f"\n{part}: {len(sel)} imprecise rows")
        print(f"{'mechanism':34} {'rows':>5} {'batches':>8}  newest 26-30")
        for mech, c in sorted(by.items(), key=lambda kv: (-len(kv[1]), -sum(kv[1].values()))):
            recent = " ".join(str(c.get(b, 0)) for b in range(26, 31))
            print(f"{mech:34} {sum(c.values()):5} {len(c):8}  {recent}")
        if args.examples:
            for mech in by:
                print(f"\n## {mech}")
                for r in [r for r in sel if r[4] == mech][: args.examples]:
                    print(f"   {r[0]}/{r[1]} {r[3]}: {r[5]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
