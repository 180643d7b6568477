"""Right-question census: every gold answer of a headed document the system does not place
under its question, by mechanism.

    PYTHONPATH=src:. python -m benchmarks.seg_right_census --saved DIR [--sets a,b]
                                                             [--examples N]

An answer counts as missed (``validate.devsets.metrics``) when under 90 % of its gold text lies
in the system's rows for its question. This census reads each miss the way the scorer does
(skeleton characters) and names the mechanism from the gold heading, the document's other gold
answers and where the system put the text (``dest``: another question, or the preamble /
unstructured / closing rows, or no row):

- ``self-description -> profile question``: the gold question is the consultation's profile
  question (a "who we are" section; ``selfsection``);
- ``no heading, document's start``: the answer has no gold heading and is the document's first
  gold answer (an unheaded opening paragraph that answers a question);
- ``one heading, two answers``: the answer has no gold heading of its own but follows an answer
  that has one, or shares its gold heading with another answer (one section holds two
  questions' answers);
- ``table row/cell``: the gold heading sits on a table line (``|`` or a tab);
- ``bare-numbered, not the question's number``: the heading opens with a bare number
  ("3.", "4)") that is not the question's place in the consultation;
- ``heading not recognised, merged into a neighbour``: the text is under another question whose
  row also holds (most of) that question's own gold answer, next to this one (the section was
  not split at this heading);
- ``heading matched to the wrong question``: the text is under another question and that row
  is not a neighbour's answer (``question-number`` or ``own-words`` heading);
- ``heading not recognised, left unplaced``: the text is in the preamble, unstructured or
  closing rows, or in no row;
- ``split``: under 90 % but over 10 % under its own question (a section that ends early or
  starts late).

Rows are read from ``DIR/<set>.pkl`` (the ingest output of one spent set: answers, respondents,
gold records; ``seg_prec_census`` reads the same files). Only spent sets are read
(``accounting.SPENT``); letters (gold layout "letter") are counted apart: they are the letter
decoder's. Session 28's census: docs/segmentation.md.
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
from benchmarks.seg_prec_census import batch, layouts
from helpers.validate.devsets.locate import Skeleton, overlap, size
from helpers.validate.devsets.metrics import COVERAGE, _locate_all

SMALL = 0.1  # "(almost) none" of the answer under its own question
NEIGHBOUR = 0.5  # the other question's row holds at least this share of its own gold answer
_Q_NUMBER = re.compile(r"(?i)\b(q\.?\s?\d|question\s+(\d|no\b|one|two|three|four|five|six))")
_BARE = re.compile(r"^\W{0,3}(\d{1,2})\s*[.):]?(\s|$)")
PLACES = ("preamble", "unstructured", "closing")


def questions(name: str) -> tuple[list[str], str | None]:
    """Question ids in order and the profile question's id (None without one)."""
    con = yaml.safe_load((ROOT / name / "consultation.yaml").read_text(encoding="utf-8"))
    qs = [str(q["id"]) for q in con["questions"]]
    prof = [str(q["id"]) for q in con["questions"] if q.get("kind") == "profile"]
    return qs, (prof[0] if len(prof) == 1 else None)


def _heading_line(text: str, heading: str) -> str:
    """The line of ``text`` holding the gold heading (empty when it is not found verbatim)."""
    i = text.find(heading.strip()[:40])
    if i < 0:
        return ""
    a, b = text.rfind("\n", 0, i) + 1, text.find("\n", i)
    return text[a : b if b >= 0 else len(text)]


def classify(text: str, rows: pd.DataFrame, rec, qs: list[str], prof: str | None) -> list[tuple]:
    """(question, mechanism, heading) for each missed substantive answer of one respondent."""
    doc = Skeleton(text)
    located = _locate_all(rec, doc)
    sys_by_q: dict[str, list[tuple[int, int]]] = {}
    for r in rows.itertuples(index=False):
        sys_by_q.setdefault(str(r.question_id), []).append(doc.range_of(int(r.start), int(r.end)))
    gold = {q: loc.range for q, loc in located.items() if loc.range is not None}
    order = sorted(gold, key=lambda q: gold[q][0])
    heads = {a.question: (a.heading or "").strip() for a in rec.answers}
    out = []
    for a in rec.answers:
        if not a.substantive or not a.text.strip():
            continue
        q, h = a.question, heads[a.question]
        if q not in gold:
            out.append((q, "text not read", h))
            continue
        target = [gold[q]]
        n = size(target)
        cov = overlap(target, sys_by_q.get(q, [])) / n
        if cov >= COVERAGE:
            continue
        share = {k: overlap(target, v) / n for k, v in sys_by_q.items() if k != q}
        dq = max(share, key=share.get, default=None)
        if dq is None or share[dq] == 0:
            dest = "no row"
        else:
            dest = dq if dq in PLACES else "other q"
        out.append(
            (q, _mechanism(q, h, dest, dq, cov, order, gold, heads, sys_by_q, text, qs, prof), h)
        )
    return out


def _mechanism(q, h, dest, dq, cov, order, gold, heads, sys_by_q, text, qs, prof) -> str:
    """The mechanism of one miss (module docstring)."""
    if prof is not None and q == prof:
        return f"self-description -> profile question ({dest})"
    i = order.index(q)
    if cov > SMALL:
        return "split (section ends early / starts late)"
    if not h:
        if i == 0:
            return f"no heading, document's start ({dest})"
        if any(heads.get(p) for p in order[:i]):
            return f"one heading, two answers ({dest})"
        return f"no heading ({dest})"
    if sum(1 for v in heads.values() if v == h) > 1:
        return f"one heading, two answers ({dest})"
    line = _heading_line(text, h)
    if "|" in line or "\t" in line:
        return f"table row/cell ({dest})"
    m = _BARE.match(h)
    if m and not _Q_NUMBER.search(h) and q in qs and int(m.group(1)) != qs.index(q) + 1:
        return f"bare-numbered, not the question's number ({dest})"
    if dest != "other q":
        return f"heading not recognised, left unplaced ({dest})"
    near = [order[j] for j in (i - 1, i + 1) if 0 <= j < len(order)]
    if dq in near and dq in gold:
        own = [gold[dq]]
        if overlap(own, sys_by_q.get(dq, [])) >= NEIGHBOUR * size(own):
            return "heading not recognised, merged into a neighbour"
    kind = "question-number" if _Q_NUMBER.search(h) or m else "own-words"
    return f"heading matched to the wrong question ({kind} heading)"


def census(name: str, data: dict) -> list[tuple]:
    """Every missed answer of one set: (set, file, letter?, question, mechanism, heading)."""
    lay = layouts(name)
    qs, prof = questions(name)
    answers, resp = data["answers"], data["respondents"]
    key = {
        (str(f), None if pd.isna(r) else int(r)): str(i)
        for i, f, r in zip(
            resp["respondent_id"], resp["source_file"], resp["source_row"], strict=True
        )
    }
    text_of = dict(zip(resp["respondent_id"].astype(str), resp["text"], strict=True))
    by_rid = {str(k): g for k, g in answers.groupby("respondent_id", sort=False)}
    empty = answers.iloc[:0]
    found = []
    for rec in data["records"]:
        if rec.row is not None:
            continue
        rid = key.get((rec.file, None))
        if rid is None:
            continue
        letter = "letter" in lay.get(rec.file, "")
        for q, mech, h in classify(text_of[rid], by_rid.get(rid, empty), rec, qs, prof):
            found.append((name, rec.file, letter, q, mech, h))
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--saved", required=True, help="folder of <set>.pkl ingest outputs")
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
        p = Path(args.saved) / f"{name}.pkl"
        if p.is_file():
            rows += census(name, pickle.loads(p.read_bytes()))
    for part, keep in (("headed (not letters)", False), ("letters", True)):
        sel = [r for r in rows if r[2] == keep]
        by: dict[str, Counter] = defaultdict(Counter)
        for r in sel:
            by[r[4]][batch(r[0])] += 1
        grouped: dict[str, Counter] = defaultdict(Counter)
        for mech, c in by.items():
            grouped[mech.split(" (")[0]].update(c)
        print(f"\n{part}: {len(sel)} missed answers")
        for title, table in (("mechanism, by where the text went", by), ("mechanism", grouped)):
            print(f"{title:58} {'miss':>5} {'batches':>8}  newest 26-30")
            for mech, c in sorted(
                table.items(), key=lambda kv: (-len(kv[1]), -sum(kv[1].values()))
            ):
                recent = " ".join(str(c.get(b, 0)) for b in range(26, 31))
                print(f"{mech:58} {sum(c.values()):5} {len(c):8}  {recent}")
        if args.examples and not keep:
            for mech in sorted(by):
                print(f"\n## {mech}")
                for r in [r for r in sel if r[4] == mech][: args.examples]:
                    print(f"   {r[0]}/{r[1]} {r[3]}: {r[5]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
