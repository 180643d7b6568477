"""A response cut into *units* for the learned passes, and answer rows rebuilt from them.

A unit is one of the response's blank-line paragraphs, cut again at every
boundary of the rules' answer rows, so the rules' own decision is always one
of the choices (``units_of``). The learned re-ranker (``segment.learned``) and
the letter decoder (``segment.letterseq``) each label the units (a question id
or ``NONE``); ``rebuild_rows`` turns the labels back into answer rows
(consecutive units with one label make one row). Moved out of
``segment.learned`` in session 26, unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from helpers.core import schemas

__all__ = ["NONE", "Unit", "rebuild_rows", "units_of"]

NONE = "_none"
_NONE_KINDS = (schemas.PREAMBLE, schemas.CLOSING, schemas.UNSTRUCTURED)
_BLANK_RE = re.compile(r"\n[ \t]*\n\s*")


@dataclass
class Unit:
    """One piece of a response: its span, the rules' choice and how it was made."""

    start: int
    end: int
    cur: str  # the rules' question id, or NONE
    kind: str  # the rules' row question id (preamble, closing, unstructured, a question; "": none)
    method: str
    score: float
    substantive: bool
    heading: bool  # the span is a row's heading line (``heading_start``)


def _spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Blank-line paragraphs of ``text[lo:hi]``, stripped of surrounding white space."""
    out, pos = [], lo
    for m in _BLANK_RE.finditer(text, lo, hi):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, hi))
    spans = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans


def units_of(text: str, rows: pd.DataFrame) -> list[Unit]:
    """The document's units with the rules' choice for each (see the module docstring)."""
    cuts = {0, len(text)}
    marks: list[tuple[int, int, int]] = []  # (start, end, row position)
    for k, r in enumerate(rows.itertuples(index=False)):
        s, e = int(r.start), int(r.end)
        cuts.update((s, e))
        marks.append((s, e, k))
        if pd.notna(r.heading_start):
            cuts.add(int(r.heading_start))
    heads = {int(h): k for k, h in enumerate(rows["heading_start"]) if pd.notna(h) and int(h) >= 0}
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    rec = rows.to_dict("records")
    units = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        for s, e in _spans(text, a, b):
            best, cover = None, 0
            for rs, re_, k in marks:
                o = min(e, re_) - max(s, rs)
                if o > cover:
                    best, cover = k, o
            if best is None:  # a heading line, or text between rows: in no row
                kind, method, score, subst = "", "none", 0.0, True
            else:
                r = rec[best]
                kind, method = str(r["question_id"]), str(r["match_method"])
                score = float(r["match_score"]) if pd.notna(r["match_score"]) else 0.0
                subst = True if pd.isna(r["substantive"]) else bool(r["substantive"])
            head = s in heads and best is None
            cur = NONE if kind in _NONE_KINDS or best is None else kind
            units.append(Unit(s, e, cur, kind, method, score, subst, head))
    return units


def rebuild_rows(
    rid: str, text: str, units: Sequence[Unit], labels: Sequence[str], numbers: Mapping[str, int]
) -> list[dict]:
    """Answer rows from units' chosen labels: consecutive units with one label make one row."""
    rows: list[dict] = []

    def key(i: int) -> tuple[str, bool]:  # text in no row stays apart from a preamble's
        return labels[i], labels[i] != NONE or bool(units[i].kind)

    i = 0
    while i < len(units):
        k = i
        while k + 1 < len(units) and key(k + 1) == key(i):
            k += 1
        s, e, lab = units[i].start, units[k].end, labels[i]
        group = units[i : k + 1]
        if lab == NONE and not any(u.kind for u in group):
            i = k + 1  # in no row before (a heading line): in none now
            continue
        if lab == NONE:
            kinds = [u.kind for u in group if u.kind in _NONE_KINDS]
            qid = kinds[0] if kinds else schemas.UNSTRUCTURED
            method = qid if qid != schemas.UNSTRUCTURED else "unstructured"
        else:
            qid, method = lab, "learned" if any(u.cur != lab for u in group) else group[0].method
        rows.append(
            {
                "respondent_id": rid,
                "question_id": qid,
                "question_number": numbers.get(qid),
                "start": s,
                "end": e,
                "answer_text": text[s:e],
                "match_method": method,
                "match_score": max(u.score for u in group),
                "substantive": any(u.substantive for u in group),
            }
        )
        i = k + 1
    return rows


_DETAILS = ("heading_text", "heading_start", "tick_box", "warning")


def _keep_row_details(rows: pd.DataFrame, rebuilt: list[dict]) -> pd.DataFrame:
    """Rebuilt rows with the heading, tick-box answer and warning of the rules' row they
    start with (same question, same start), so a kept answer keeps what was read of it."""
    old = {(str(r["question_id"]), int(r["start"])): r for r in rows.to_dict("records")}
    for r in rebuilt:
        match = old.get((r["question_id"], r["start"]))
        if match is not None:
            r.update({k: match.get(k) for k in _DETAILS})
        elif r["match_method"] == "learned":
            r["warning"] = "placed by the learned re-ranker: check"
    return pd.DataFrame(rebuilt)
