"""What KIND of answer a section's body gives, read from its words (issue 12, session 24).

Why: a respondent's own heading often names no question and no frame ("Station
Road", "Persons at risk", "Control measures we propose", "Box 6 -"); the joint
reading (``joint``) then compares only meanings, and a body about the scheme's
streets is about as near the closed question on those streets as "how would it
affect you" or "what would you change". What tells them apart is the kind of
answer the body gives: a view on a proposal ("we strongly support ..."), an
account of effects ("it adds 25 minutes", "customers have stopped coming"), a
list of requests ("Move the filter ...", "we ask that ..."), the groups it names
(older, disabled, carers), a closing aside ("also", "finally"), what matters
most ("the key factors ...").

The kinds are the generic ones of ``heading_intents.yaml`` (``intents``), each
question's kind read from the consultation YAML (its ``kind`` and text, through
``intents.targets``: a closed question is a position; an open question takes the
kind whose question patterns name it, never a fallback), so a new consultation
needs no code. The body is read as counts of generic English word classes per
100 words (``helpers/data/answer_kinds.yaml``) plus its length, list lines and
question marks; a multinomial logistic model fitted on the gold answers of spent
development batches (``benchmarks.seg_kind_train``; weights shipped in
``helpers/data/answer_kind_model.json``) gives each kind's probability, and the
kinds the consultation does not ask are dropped and the rest renormalised.
Deterministic: fixed weights, regular expressions, no sampling.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from importlib import resources

import numpy as np
import yaml

from helpers.ingest.segment import intents

CLASSES = (
    "stance",
    "request",
    "groups",
    "impact",
    "first_singular",
    "first_plural",
    "past",
    "catch_all",
    "priority",
    "conditional",
    "negation",
)
FEATURES = (*CLASSES, "imperative", "list_lines", "questions", "digits", "log_words")
_WORD = re.compile(r"[a-z][a-z'’]*|\d+")
_SENTENCE = re.compile(r"(?:^|(?<=[.!?;:])\s+|\n+)\s*(?:[-*•●▪\d]+[.)]?\s+)?", re.MULTILINE)
_LIST_LINE = re.compile(r"^\s*(?:[-*•●▪]|\d{1,2}[.)]|\(?[a-h]\))\s+\S", re.MULTILINE)


@cache
def _classes() -> dict[str, re.Pattern]:
    raw = yaml.safe_load(
        resources.files("helpers.data").joinpath("answer_kinds.yaml").read_text(encoding="utf-8")
    )
    out = {k: re.compile(r"\b(?:" + "|".join(raw[k]) + r")\b", re.IGNORECASE) for k in CLASSES}
    out["imperative"] = re.compile(r"(?:" + "|".join(raw["imperative"]) + r")\b", re.IGNORECASE)
    return out


@cache
def model() -> dict:
    """The fitted weights: kinds, feature means and scales, coefficients, intercepts."""
    path = resources.files("helpers.data").joinpath("answer_kind_model.json")
    return json.loads(path.read_text(encoding="utf-8"))


def features(body: str) -> np.ndarray:
    """The body's word-class rates (per 100 words) and shape features, ``FEATURES`` order."""
    text = body.replace("’", "'")
    words = max(1, len(_WORD.findall(text.lower())))
    pats = _classes()
    rate = [100.0 * len(pats[k].findall(text)) / words for k in CLASSES]
    starts = [m.end() for m in _SENTENCE.finditer(text)]
    opened = sum(bool(pats["imperative"].match(text, s)) for s in starts)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    shape = [
        opened / max(1, len(starts)),
        len(_LIST_LINE.findall(text)) / max(1, len(lines)),
        100.0 * text.count("?") / words,
        100.0 * len(re.findall(r"\d+", text)) / words,
        math.log1p(words),
    ]
    return np.array(rate + shape, dtype=float)


def question_kinds(questions) -> list[str | None]:
    """Each question's answer kind: ``position`` for a closed question, the kind whose
    question patterns name an open question (``intents.targets``, a fallback kind never),
    None for a profile question or an open question no kind names."""
    qs = tuple(questions)
    found = intents.targets(qs)
    table = intents._table()
    out: list[str | None] = [None] * len(qs)
    for kind, j in found.items():
        fb = table[kind]["fallback"]
        if kind == "self" or (fb and found.get(fb) == j) or qs[j].kind in ("profile", "closed"):
            continue
        out[j] = out[j] or kind
    for j, q in enumerate(qs):
        if q.kind == "closed":
            out[j] = "position"
    return out


def probabilities(bodies: list[str], kinds: list[str]) -> np.ndarray:
    """(bodies, kinds) probability of each of ``kinds`` (renormalised over them)."""
    m = model()
    known = [k for k in kinds if k in m["kinds"]]
    out = np.zeros((len(bodies), len(kinds)))
    if not bodies or not known:
        return out
    x = np.vstack([features(b) for b in bodies])
    x = (x - np.asarray(m["mean"])) / np.asarray(m["scale"])
    idx = [m["kinds"].index(k) for k in known]
    z = x @ np.asarray(m["coef"])[idx].T + np.asarray(m["intercept"])[idx]
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    for c, k in enumerate(known):
        out[:, kinds.index(k)] = p[:, c]
    return out


def kind_evidence(bodies: list[str], questions, weight: float) -> np.ndarray:
    """(sections, questions) evidence: ``weight`` × (the body's probability of the
    question's kind − an even share) where that is positive, zero otherwise and for
    questions with no kind.

    Only a kind the body gives more than an even share of probability adds: the
    reader promotes a question, it never holds one back (measured on batches 2-26,
    session 24: taking away from the other kinds too lost answers in 9 sets where
    promoting only lost them in 5).
    """
    qkinds = question_kinds(questions)
    present = sorted({k for k in qkinds if k is not None})
    out = np.zeros((len(bodies), len(qkinds)))
    if weight == 0 or len(present) < 2 or not bodies:
        return out
    p = probabilities(bodies, present)
    even = 1.0 / len(present)
    for j, k in enumerate(qkinds):
        if k is not None:
            out[:, j] = weight * (p[:, present.index(k)] - even)
    return np.maximum(out, 0.0)
