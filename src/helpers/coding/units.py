"""What discovery clusters: answer sentences, campaign copies counted once.

``answer_units`` turns the ``answers`` table into, per question, parallel
arrays of (respondent id, start, end) — sentence spans in
``respondents.text`` — for the questions discovery reads: open questions,
closed questions' comments and ``unstructured`` letter text (never profile,
preamble or closing). Rules, in order:

- only substantive answers (``schemas.substantive_answers``);
- of each ``copies`` group only the first respondent's answer is read (the
  group's size is kept as that answer's ``weight``); a ``*`` row (a whole
  letter copied) applies to every question;
- in extend mode, sentences overlapping a counted code of the codebook are
  left out (``runner.code_answers``);
- sentences are split by a simple rule (``split_sentences``: a line break, or
  ``.``/``!``/``?`` then space and a capital or digit), not Punkt: it is ten
  times faster on 100,000 answers, and a cluster's sentence does not need to
  know "Dr." or "e.g.";
- a sentence with fewer than ``MIN_CONTENT_WORDS`` content words is joined to
  the next sentence of the answer (the last one to the previous); an answer
  without any content word gives no unit.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from helpers.coding.suggest import stopwords
from helpers.core import schemas
from helpers.core.consultation import Consultation
from helpers.core.text import strip_span

MIN_CONTENT_WORDS = 3
_WORD_RE = re.compile(r"[^\W\d_]{3,}")
_LINE_RE = re.compile(r"[^\n]+")
_BREAK_RE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)\]]))\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` (absolute offsets, surrounding spaces trimmed)."""
    out = []
    for line in _LINE_RE.finditer(text, start, end):
        pos = line.start()
        for b in _BREAK_RE.finditer(text, line.start(), line.end()):
            out.append((pos, b.start()))
            pos = b.end()
        out.append((pos, line.end()))
    spans = []
    for s, e in out:
        s, e = strip_span(text, s, e)
        if e > s:
            spans.append((s, e))
    return spans


NOT_READ = {"preamble", "closing"}


@dataclass
class Units:
    """Per question: (respondent ids, starts, ends) of the units, and the counts."""

    texts: dict[str, str]
    by_question: dict[str, tuple[list[str], list[int], list[int]]]
    n_answers: dict[str, int]  # answers read per question (copies once)
    weight: dict[tuple[str, str], int]  # (respondent, question) -> respondents it stands for
    skipped: list[str] = field(default_factory=list)


def _content_words(text: str, start: int, end: int) -> int:
    stop = stopwords()
    return sum(w.lower() not in stop for w in _WORD_RE.findall(text, start, end))


def _merge_short(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pending: int | None = None
    for s, e in spans:
        s = pending if pending is not None else s
        if _content_words(text, s, e) < MIN_CONTENT_WORDS:
            pending = s
            continue
        pending = None
        out.append((s, e))
    if pending is not None:
        if out:
            out[-1] = (out[-1][0], spans[-1][1])
        elif _content_words(text, pending, spans[-1][1]) > 0:
            out.append((pending, spans[-1][1]))
    return out


def _copy_rules(copies: pd.DataFrame | None) -> tuple[set, dict]:
    """(respondent, question) pairs to skip ('*' = all) and the weight of each first copy."""
    drop: set[tuple[str, str]] = set()
    weight: dict[tuple[str, str], int] = {}
    if copies is None or copies.empty:
        return drop, weight
    for _, g in copies.groupby("copy_group", sort=True):
        rids = [str(r) for r in g["respondent_id"]]
        first = g[g["is_first"].fillna(False).astype(bool)] if "is_first" in g else g.iloc[0:0]
        keep = str(first["respondent_id"].iloc[0]) if len(first) else min(rids)
        qid = str(g["question_id"].iloc[0])
        for r in set(rids) - {keep}:
            drop.add((r, qid))
        weight[(keep, qid)] = weight.get((keep, qid), 1) + len(set(rids)) - 1
    return drop, weight


def answer_units(
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    consultation: Consultation,
    copies: pd.DataFrame | None = None,
    codebook=None,
) -> Units:
    """The sentence units of every question discovery reads (see the module docstring)."""
    texts = {
        str(r): t
        for r, t in zip(respondents["respondent_id"], respondents["text"], strict=True)
        if isinstance(t, str)
    }
    profile = {q.id for q in consultation.questions if q.kind == "profile"}
    rows = answers[schemas.substantive_answers(answers)]
    rows = rows[~rows["question_id"].astype(str).isin(profile | NOT_READ)]
    drop, copy_weight = _copy_rules(copies)
    covered: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    if codebook is not None and not rows.empty:
        from helpers.coding.runner import code_answers

        codes = schemas.counted_codes(code_answers(rows, respondents, codebook, consultation))
        for r, q, s, e in zip(
            codes["respondent_id"], codes["question_id"], codes["start"], codes["end"], strict=True
        ):
            covered[(str(r), str(q))].append((int(s), int(e)))
    order = {q: i for i, q in enumerate(consultation.question_ids)}
    by_q: dict[str, tuple[list, list, list]] = {}
    n_answers: dict[str, int] = defaultdict(int)
    weight: dict[tuple[str, str], int] = {}
    units = Units(texts, by_q, n_answers, weight)
    missing = 0
    for rid, qid, a_start, a_end in zip(
        rows["respondent_id"].astype(str), rows["question_id"].astype(str),
        rows["start"], rows["end"], strict=True,
    ):  # fmt: skip
        if (rid, qid) in drop or (rid, "*") in drop:
            continue
        text = texts.get(rid)
        if text is None:
            missing += 1
            continue
        n_answers[qid] += 1
        weight[(rid, qid)] = copy_weight.get((rid, qid), copy_weight.get((rid, "*"), 1))
        spans = split_sentences(text, int(a_start), int(a_end))
        cov = covered.get((rid, qid))
        if cov:
            spans = [(s, e) for s, e in spans if not any(s < ce and cs < e for cs, ce in cov)]
        q_units = by_q.setdefault(qid, ([], [], []))
        for s, e in _merge_short(text, spans) if spans else []:
            q_units[0].append(rid)
            q_units[1].append(s)
            q_units[2].append(e)
    if missing:
        units.skipped.append(f"{missing} answer(s) whose respondent has no text: not read")
    units.by_question = dict(sorted(by_q.items(), key=lambda kv: (order.get(kv[0], 1e9), kv[0])))
    return units
