"""A letter's edge paragraphs: does one carry an answer the decoder left out? (session 27)

Why: after the letter decoder (``segment.letterseq``) most answers a letter still loses are
*unplaced*, and most of those sit at the letter's edges, before its first placed paragraph or
after its last (session 27's census over spent batches 2-29: 88 of 121 unplaced units, in 23
batches; docs/segmentation.md, "Session 27"): an opening that already answers ("I am writing to
ask you to go ahead with a separate judgement ..."), a one-line reply ("Jan 23 fine.", "18
months is fine i guess"), a last paragraph with a request. The decoder's "no question" choice
weighs first and last paragraphs as openings and sign-offs, and one margin must serve the whole
letter. Edge paragraphs are mostly courtesy (greetings, introductions, sign-offs, campaign
blurbs: 678 of the 766 edge units), so the question is its own one and is read by its own
model here.

For each unit the decoder left under no question that lies before the first or after the last
placed unit (a letter with something placed; not a heading line; at least :data:`MIN_WORDS`
words), the *candidate* is the question with the best decoder score (``letterseq``'s emission
plus ``keep``) among those the letter does not answer elsewhere and that fit the letter's order
(before the first placed answer's question for an opening paragraph, after the last one's for a
closing paragraph; a profile question is outside the order). A logistic regression over
:data:`FEATURES` (the decoder's margin of the candidate over "no question", length, sentences,
a position taken, the paragraph's place, the candidate's topic words and cosines, the decoder's
own courtesy cues) gives the probability that the candidate is the paragraph's question; at
``threshold`` or above the paragraph is placed under it. Weights and threshold are fitted on the
spent batches (``benchmarks/letter_edge.py``, nested leave-one-batch-out) and ship in
``helpers/data/letter_edge.json``; without the file, or with ``enabled`` false, nothing changes.
No consultation's vocabulary: only the decoder's features and the generic cue lists.

Session 28: ``choice`` (:data:`CHOICES`, read from the weights; "order" without it) widens the
candidates (the nearest placed paragraph's question, every question, or units between placed
ones too) with relation features (:data:`EXTRA`). Measured nested leave-one-batch-out over
batches 2-30, none beat "order" (docs/segmentation.md, "Session 28"), so the shipped file keeps
it; the options stay so the measurement can be re-run (``benchmarks/letter_edge.py --choice``).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources

import numpy as np

from helpers.core.consultation import Question
from helpers.core.sentences import sentence_spans
from helpers.ingest.segment.letterfeatures import _IX, _ranks
from helpers.ingest.segment.passages import takes_position
from helpers.ingest.segment.units import NONE, Unit

__all__ = ["ALL_FEATURES", "CHOICES", "FEATURES", "candidates", "decoder_key", "load_edge"]
__all__ += ["place_edges"]

WEIGHTS_FILE = "letter_edge.json"
MIN_WORDS = 3  # shorter edge lines are names, dates and "Dear ...,"
_DIST_CAP = 4  # paragraphs away from the placed answers, counted up to this

FEATURES = (
    "margin",  # decoder score of the candidate less that of "no question"
    "rel_margin",  # the same, relative to the size of the "no question" score
    "loglen",
    "sentences",
    "position",  # takes a position (``passages.takes_position``)
    "first",  # the letter's first unit
    "last",  # the letter's last unit
    "before",  # before the first placed unit (else after the last)
    "dist",  # units from the nearest placed unit
    "lex_lead",  # the candidate's topic words in the lead
    "lex_para",  # ... in the paragraph
    "cos",  # cosine with the candidate's answers
    "gap",  # ... less the best question's
    "qmark",  # asks a question
    "closed",  # the candidate is a closed question
    "catch",  # the candidate is the catch-all question
    "intro",  # the decoder's courtesy cues on "no question"
    "greeting",
    "self",
    "rules_closing",
    "placed",  # how many units the letter placed (up to 5)
    "explicit",  # refers to the candidate explicitly
)
# Session 28: the candidate question's relation to the letter's other answers, for readers
# that weigh more than one candidate per paragraph (``choice`` other than "order").
EXTRA = (
    "answered",  # the letter answers the candidate elsewhere
    "in_order",  # the candidate fits the letter's order (unanswered, before / after)
    "adjacent",  # the candidate is the nearest placed paragraph's question
    "rank",  # the candidate's place among the questions by decoder score (0 best, up to 4)
    "middle",  # the unit lies between two placed units ("middle" choice only)
)
ALL_FEATURES = FEATURES + EXTRA
# Which questions are a paragraph's candidates: "order" (session 27: the best-scored
# unanswered question that fits the letter's order), "adjacent" (the same, or the nearest
# placed paragraph's own question: an answer that begins or ends a paragraph away from
# where the decoder placed it), "all" (every question, the reader's most probable placed),
# "middle" ("order" at the edges, and a unit left out between two placed units too: the
# best-scored of the previous and next placed units' questions and the unanswered ones
# between them in the order).
CHOICES = ("order", "adjacent", "all", "middle")
_RANK_CAP = 4


@lru_cache(maxsize=1)
def load_edge() -> dict | None:
    """The shipped reader (``features``, ``mean``, ``scale``, ``coef``, ``intercept``,
    ``threshold``, ``enabled``), or None without the file."""
    path = resources.files("helpers.data").joinpath(WEIGHTS_FILE)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def decoder_key(decoder: Mapping) -> str:
    """A fingerprint of the letter decoder's weights and setting. The reader's ``margin``
    features are that decoder's scores, so it runs only after the decoder it was fitted with
    (its file names the key): a refitted or hand-set decoder turns it off until it is refitted."""
    parts = [list(decoder["features"]), list(decoder["coef"])]
    parts += [float(decoder.get(k, 0.0)) for k in ("keep", "cont", "back")]
    blob = json.dumps(parts, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:16]


def candidates(
    text: str,
    units: Sequence[Unit],
    questions: Sequence[Question],
    feats: np.ndarray,
    score: np.ndarray,
    labels: Sequence[str],
    choice: str = "order",
) -> list[tuple[int, int, np.ndarray]]:
    """(unit index, candidate choice index 1.., feature row over :data:`ALL_FEATURES`) of
    every edge unit the decoder left under no question (module docstring); choice ``j`` is
    question ``j - 1``. With ``choice`` "order" one candidate per unit (session 27), with
    "adjacent" the nearest placed paragraph's question may be it, with "all" every question
    is one row (:data:`CHOICES`).

    ``feats``: the decoder's pair features (``letterfeatures.features``); ``score``: its scores
    (units × choices, ``keep`` included); ``labels``: each unit's label after the decoder."""
    if choice not in CHOICES:
        raise ValueError(f"unknown edge candidate choice {choice!r}")
    ids = [NONE, *(q.id for q in questions)]
    placed = [i for i, a in enumerate(labels) if a != NONE]
    if not placed or len(ids) < 2:
        return []
    lo, hi = placed[0], placed[-1]
    ranks = _ranks(questions)
    r0, r1 = ranks[ids.index(labels[lo]) - 1], ranks[ids.index(labels[hi]) - 1]
    answered = set(labels)
    out = []
    for i, u in enumerate(units):
        inside = lo < i < hi
        if labels[i] != NONE or u.heading or (inside and choice != "middle"):
            continue
        body = text[u.start : u.end]
        if len(body.split()) < MIN_WORDS:
            continue
        before = i < lo
        if inside:
            prev = max(k for k in placed if k < i)
            nxt = min(k for k in placed if k > i)
            near = ids.index(labels[prev])
            a, b = ranks[near - 1], ranks[ids.index(labels[nxt]) - 1]
            fits = [
                c
                for c in range(1, len(ids))
                if ids[c] not in answered and (ranks[c - 1] < 0 or a < ranks[c - 1] < b)
            ]
            fits += [near, ids.index(labels[nxt])]
            dist = min(i - prev, nxt - i)
        else:
            near = ids.index(labels[lo] if before else labels[hi])
            fits = [
                c
                for c in range(1, len(ids))
                if ids[c] not in answered
                and (ranks[c - 1] < 0 or (ranks[c - 1] < r0 if before else ranks[c - 1] > r1))
            ]
            dist = lo - i if before else i - hi
        if choice == "adjacent":
            fits.append(near)
        if choice == "all":
            chosen = list(range(1, len(ids)))
        elif fits:
            chosen = [max(fits, key=lambda c: score[i, c])]
        else:
            continue
        order = sorted(range(1, len(ids)), key=lambda c: -score[i, c])
        for j in chosen:
            row = _row(i, j, body, units, before, dist, len(placed), feats, score, questions)
            row += [ids[j] in answered, ids[j] not in answered and j in fits, j == near]
            row += [min(order.index(j), _RANK_CAP), inside]
            out.append((i, j, np.asarray(row, dtype=float)))
    return out


def _row(
    i: int,
    j: int,
    body: str,
    units: Sequence[Unit],
    before: bool,
    dist: int,
    placed: int,
    feats: np.ndarray,
    score: np.ndarray,
    questions: Sequence[Question],
) -> list:
    """Unit ``i``'s :data:`FEATURES` with candidate ``j`` (``before`` the first placed unit,
    ``dist`` units from the nearest placed one, ``placed``: how many units are placed)."""
    margin = float(score[i, j] - score[i, 0])
    return [
        margin,
        margin / (1 + abs(float(score[i, 0]))),
        math.log1p(len(body)),
        len(sentence_spans(body)),
        takes_position(body),
        i == 0,
        i == len(units) - 1,
        before,
        min(dist, _DIST_CAP),
        feats[i, j, _IX["lex_lead"]],
        feats[i, j, _IX["lex_para"]],
        feats[i, j, _IX["cos_centroid"]],
        feats[i, j, _IX["gap_centroid"]],
        "?" in body,
        questions[j - 1].kind == "closed",
        feats[i, j, _IX["catch_all"]],
        feats[i, 0, _IX["none_intro"]],
        feats[i, 0, _IX["none_greeting"]],
        feats[i, 0, _IX["none_self"]],
        feats[i, 0, _IX["none_rules_closing"]],
        min(placed, 5),
        feats[i, j, _IX["explicit"]],
    ]


def probability(rows: np.ndarray, weights: Mapping) -> np.ndarray:
    """The reader's probability that each candidate is right (logistic regression over the
    columns of :data:`ALL_FEATURES` the weights name)."""
    names = list(weights["features"])
    if any(n not in ALL_FEATURES for n in names):
        raise ValueError(f"{WEIGHTS_FILE} was trained on other features: regenerate it")
    rows = rows[:, [ALL_FEATURES.index(n) for n in names]]
    x = (rows - np.asarray(weights["mean"])) / np.asarray(weights["scale"])
    z = x @ np.asarray(weights["coef"]) + float(weights["intercept"])
    return 1.0 / (1.0 + np.exp(-z))


def best_per_unit(found: Sequence[tuple[int, int, np.ndarray]], p: np.ndarray) -> dict:
    """{unit: (choice, probability)}: each unit's most probable candidate (ties: the first)."""
    out: dict[int, tuple[int, float]] = {}
    for (i, j, _), pi in zip(found, p, strict=True):
        if i not in out or pi > out[i][1]:
            out[i] = (j, float(pi))
    return out


def place_edges(
    text: str,
    units: Sequence[Unit],
    questions: Sequence[Question],
    feats: np.ndarray,
    score: np.ndarray,
    labels: Sequence[str],
    weights: Mapping | None,
    decoder: Mapping,
) -> list[str]:
    """``labels`` with each edge candidate the reader accepts placed under its question
    (nothing changes without ``weights``, with ``enabled`` false, or after another decoder
    than the one it was fitted with: :func:`decoder_key`)."""
    out = list(labels)
    if not weights or not weights.get("enabled", False):
        return out
    if weights.get("decoder") != decoder_key(decoder):
        return out
    choice = str(weights.get("choice", "order"))
    found = candidates(text, units, questions, feats, score, labels, choice)
    if not found:
        return out
    p = probability(np.vstack([row for _, _, row in found]), weights)
    for i, (j, pi) in best_per_unit(found, p).items():
        if pi >= float(weights["threshold"]):
            out[i] = questions[j - 1].id
    return out
