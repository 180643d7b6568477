"""A learned accept-or-reassign reading of a document's own-words headings (issue 12,
session 26).

Why: a respondent's own heading (a paraphrase, a topic label, a point number such as
"Ground 4" or "3/6" that is not the consultation's numbering) is placed by the joint
reading (``joint``) from hand-set weights over its evidence: the heading's and the body's
cosines with each question, the question's lead words, a bare number, a frame, the body's
kind of answer and a weak order prior. Over the spent batches the own-words class stayed
the largest headed one (session 25's census: about 39 answers under another question and
30 unplaced in batches 1-27). The weights were set one at a time, each chosen with the
others fixed; here they are LEARNED together, with the features the hand weights did not
use (how far each cosine stands above the section's next best question, whether the
heading's own number equals the question's number or its place among the answerable
questions, whether the document's headings carry a running number, what the earlier steps
and the words-only joint solution already decided).

The reader is a logistic regression over (section, question) pairs, fitted on the joint
reading's recorded sections of the spent batches 2-29 (``benchmarks.seg_own_train``; labels:
the gold answer holding most of the section's body), weights, threshold, margin and mode in
``helpers/data/own_words_model.json``. Its log-odds are solved as the same assignment (each
question at most once); in the shipped ``fill`` mode a section the hand-weighted solution
placed keeps its question and only a section it left open takes the learned one.

Off in session 26 (11 answers gained, 4 lost leave-one-batch-out over batches 2-28).
ON since session 27 (``joint.OWN_WORDS``), in documents without bare-numbered headings only
and refitted on batches 2-29 (threshold 0, margin 0.5): leave-one-batch-out with the real
scorer over the 56 spent document sets of batches 2-29 it gained 15 answers in 9 sets and
lost 2 in 2 (batch 29, the fold it had never seen: +3), precision 89.85 % -> 89.77 %; on
re-rendered gold no type lost an answer. Over bare-numbered headings ("2.", "ii)") it moved
sections one question off (re-rendered digits and roman Ofsted documents, transport-9), so it
is not asked there (docs/segmentation.md "Session 27"). Deterministic: fixed weights.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

MODEL_FILE = "own_words_model.json"
FEATURES = (
    "head",
    "head_lead",
    "body",
    "body_lead",
    "lex",
    "bare_number",
    "number_eq",
    "number_eq_rank",
    "numbered_run",
    "frame",
    "kind",
    "order",
    "earlier",
    "earlier_weak",
    "words_choice",
    "words_margin",
)
_NUMBER = re.compile(r"(?<![\d.,:/])(\d{1,2})(?!\d|:\d)")  # not a time's "10:30"
_LEX_CAP = 6.0
_WEAK = ("order", "section", "meaning", "paragraph")


def heading_number(heading: str) -> int | None:
    """The first one- or two-digit number of a heading ("Ground 4", "3/6 closed roads",
    "Welcome 2: listening"), or None (a time "7.00am" reads 7: the model weighs it)."""
    m = _NUMBER.search(heading or "")
    return int(m.group(1)) if m else None


def _lead(a: np.ndarray) -> np.ndarray:
    """Each cell minus the best other cell of its row (how far it stands out)."""
    k, n = a.shape
    if n < 2:
        return np.zeros_like(a)
    out = np.empty_like(a)
    for j in range(n):
        rest = np.delete(a, j, axis=1)
        out[:, j] = a[:, j] - rest.max(axis=1)
    return out


def features(
    headings: list[str],
    hs: np.ndarray,
    bs: np.ndarray,
    lx: np.ndarray,
    bare: np.ndarray,
    frame: np.ndarray,
    kind: np.ndarray,
    numbers: list[int | None],
    earlier: list[tuple[int | None, bool]],
    words: list[tuple[int | None, float]],
    allowed: np.ndarray,
) -> np.ndarray:
    """(sections, questions, ``FEATURES``) array.

    ``hs``/``bs``/``lx`` are the joint reading's heading cosines, body cosines and
    lead-word scores; ``bare``/``frame``/``kind`` its bare-number, frame and
    body-kind evidence; ``numbers`` each question's number (None: unnumbered);
    ``earlier`` per section the question index the earlier steps put its body under
    (or None) and whether that was a weak guess; ``words`` the hand-weighted joint
    solution (question index or None, margin); ``allowed`` the joint mask (the
    cosine leads are taken over allowed questions only).
    """
    k, n = hs.shape
    masked = np.where(allowed, 1.0, np.nan)
    hl = np.nan_to_num(_lead(np.where(allowed, hs, -1.0)) * masked)
    bl = np.nan_to_num(_lead(np.where(allowed, bs, -1.0)) * masked)
    rank = {}
    r = 0
    for j in range(n):
        if allowed[:, j].any():
            r += 1
            rank[j] = r
    own = [heading_number(h) for h in headings]
    present = [x for x in own if x is not None]
    run = float(
        len(present) >= 2 and all(b > a for a, b in zip(present, present[1:], strict=False))
    )
    rs = np.arange(k) / max(k - 1, 1)
    rq = np.arange(n) / max(n - 1, 1)
    out = np.zeros((k, n, len(FEATURES)))
    for s in range(k):
        ej, weak = earlier[s]
        wj, wm = words[s]
        for j in range(n):
            out[s, j] = (
                hs[s, j],
                hl[s, j],
                bs[s, j],
                bl[s, j],
                min(float(lx[s, j]), _LEX_CAP) / _LEX_CAP,
                float(bare[s, j] > 0),
                float(own[s] is not None and own[s] == numbers[j]),
                float(own[s] is not None and own[s] == rank.get(j)),
                run,
                float(frame[s, j] > 0),
                float(kind[s, j]),
                1.0 - abs(rs[s] - rq[j]),
                float(ej == j),
                float(ej == j and weak),
                float(wj == j),
                float(wm) if wj == j else 0.0,
            )
    return out


@cache
def model() -> dict:
    """The fitted weights: feature means and scales, coefficients, intercept, thresholds."""
    path = resources.files("helpers.data").joinpath(MODEL_FILE)
    return json.loads(path.read_text(encoding="utf-8"))


def log_odds(x: np.ndarray, m: dict | None = None) -> np.ndarray:
    """The log-odds that each (section, question) pair of ``x`` is the gold pair."""
    m = m or model()
    z = (x - np.asarray(m["mean"])) / np.asarray(m["scale"])
    return z @ np.asarray(m["coef"]) + float(m["intercept"])


def solve(
    odds: np.ndarray, allowed: np.ndarray, threshold: float
) -> list[tuple[int | None, float]]:
    """Per section, (question index or None, joint margin) of the assignment that takes
    every pair whose log-odds beat ``threshold``, each question at most once."""
    from helpers.ingest.segment.parts import assignment_margins

    k, n = odds.shape
    if not k or not n:
        return [(None, 0.0)] * k
    return assignment_margins(np.where(allowed, odds - threshold, -np.inf))


@dataclass(frozen=True)
class Evidence:
    """The joint reading's evidence for a document's sections, each (sections, questions)."""

    hs: np.ndarray  # heading cosines
    bs: np.ndarray  # body cosines
    lx: np.ndarray  # lead-word scores
    bare: np.ndarray  # 1 where the section's bare number names the question
    frames: np.ndarray  # frame-only heading evidence (``joint.intent_evidence``)
    kinds: np.ndarray  # body-kind evidence (``joint.kind_evidence``)


def earlier(
    rows: pd.DataFrame, free: list[tuple], qids: list[str]
) -> list[tuple[int | None, bool]]:
    """Per section, the question index the earlier steps put the start of its body under
    (None: preamble, unstructured, closing or no row) and whether that was a weak guess."""
    out: list[tuple[int | None, bool]] = []
    for _a, b, e, _h, _x in free:
        hit = rows[(rows["start"] < e) & (rows["end"] > b)].sort_values("start", kind="stable")
        if not len(hit):
            out.append((None, False))
            continue
        q = str(hit["question_id"].iloc[0])
        j = qids.index(q) if q in qids else None
        out.append((j, str(hit["match_method"].iloc[0]) in _WEAK))
    return out


def decide(
    rows: pd.DataFrame,
    free: list[tuple],
    qs,
    ev: Evidence,
    words: list[tuple[int | None, float]],
    allowed: np.ndarray,
    margin: float,
    m: dict | None = None,
) -> list[tuple[int | None, float]]:
    """Per section, (question index or None, margin on the joint reading's scale).

    ``words`` is the hand-weighted joint solution; the learned one replaces it. A
    section is placed when its pair's log-odds beat the model's threshold in the
    assignment and the assignment loses at least the model's margin without it; the
    returned margin is then at least ``margin`` (the joint reading's), so the caller
    places it; otherwise (None, 0.0): the earlier steps' reading stands.
    """
    m = m or model()
    qids = [q.id for q in qs]
    x = features(
        [f[3] for f in free],
        ev.hs,
        ev.bs,
        ev.lx,
        ev.bare,
        ev.frames,
        ev.kinds,
        [q.number for q in qs],
        earlier(rows, free, qids),
        words,
        allowed,
    )
    learned = solve(log_odds(x, m), allowed, float(m["threshold"]))
    return combine(words, learned, margin, float(m["margin"]), str(m.get("mode", "replace")))


def combine(
    words: list[tuple[int | None, float]],
    learned: list[tuple[int | None, float]],
    margin: float,
    learned_margin: float,
    mode: str,
) -> list[tuple[int | None, float]]:
    """Per section, the placement the caller applies (question index, margin on the joint
    reading's scale: at least ``margin`` when placed).

    ``replace``: the learned solution stands (placed where its margin reaches
    ``learned_margin``). ``fill``: a section the hand-weighted solution placed
    (margin at least ``margin``) keeps it; one it left open takes the learned question
    when that is decisive and no placed section holds that question.
    """
    out: list[tuple[int | None, float]] = []
    held = {j for j, mg in words if j is not None and mg >= margin}
    for (wj, wm), (lj, lm) in zip(words, learned, strict=True):
        if mode == "fill" and wj is not None and wm >= margin:
            out.append((wj, wm))
        elif lj is not None and lm >= learned_margin and (mode != "fill" or lj not in held):
            out.append((lj, margin + min(lm, 4.0) / 10.0))
        else:
            out.append((None, 0.0))
    return out
