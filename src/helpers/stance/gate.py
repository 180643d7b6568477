"""A learned second reading where the rules find no position in a substantive closed answer.

People often take a side without a word of position: they fear or welcome what
the proposal will do ("If she can't get through, I won't be able to go",
"people are sofa surfing right now, why wait"). The rules
(:mod:`helpers.stance.infer`, :mod:`helpers.stance.discourse`) then find no
cue and call the answer ``not_answered``. This module reads only those rows
(method ``text``, stance ``not_answered``, a substantive answer under a closed
question) and decides between three readings: the answer argues for the
proposal (``agree``), against it (``disagree``), or it takes no position on it
(stays ``not_answered``: a question, a complaint about something else, "see my
letter").

Features (all cheap, no embedding: the speed of ``make bench`` matters more
than the few items an embedding did not add in cross-validation, see
``docs/stance.md``):

- hashed word unigrams and bigrams of the lower-cased answer (``HASH_DIM``
  buckets, CRC32, binary, L2-normalised): "won't be able", "can't get",
  "why wait";
- VADER compound over the answer's first sentences: mean, minimum, maximum,
  share of positive and negative sentences;
- the share of the answer's content words that are the question's or the
  consultation's (``stance.topic.topic_vocabulary``): an answer about the
  proposal uses its words, one about potholes does not;
- the answer's length (log characters);
- since session 12 (layout ``extra``, named in the weights), the general features of
  :mod:`helpers.stance.gatefeatures`: tone of the first and last sentence, of the
  sentences on and off the question's topic, contrast markers and the tone shift
  after the first, a reservation phrase, negators just before a topic word, a
  preferred alternative stated with or without the topic words, questions.

The model is a multinomial logistic regression trained offline by
``benchmarks/stance_gate.py`` on the spent development sets, shipped as plain
arrays (``data/stance_gate.npz``, loaded with ``allow_pickle=False``). It
changes a row only when its probability for a direction is at least the
shipped ``threshold`` (chosen by leave-one-set-out cross-validation); the
confidence is that probability mapped to the accuracy such readings had out of
fold (``confidence``: a Platt map shipped as ``calib_x``/``calib_y``, session 12;
before, a linear ``scale`` to 0.45-0.6 kept every reading below
``table.LOW_CONFIDENCE``; now only the less sure ones are). The stance is never strong: a position read between the lines
is not an emphatic one.
"""

from __future__ import annotations

import math
import re
import zlib
from functools import lru_cache

import numpy as np

from helpers.stance.learned import read_npz
from helpers.stance.lexicon import phrases
from helpers.stance.sentences import sentence_spans
from helpers.stance.sentiment import compound
from helpers.stance.unstructured import content_stems

__all__ = [
    "CLASSES", "HASH_DIM", "asks_only", "features", "load_weights", "read", "without_courtesies",
]  # fmt: skip

WEIGHTS = "stance_gate.npz"
HASH_DIM = 4096
CLASSES = ("agree", "disagree", "none")
MAX_CHARS = 3000  # the opening of a long answer says where it stands
MAX_SENTENCES = 6
_WORD_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
N_DENSE = 8


def _bucket(token: str) -> int:
    return zlib.crc32(token.encode("utf-8")) % HASH_DIM


def _ngrams(text: str) -> np.ndarray:
    """Hashed binary word unigrams and bigrams, L2-normalised."""
    words = [w.replace("’", "'") for w in _WORD_RE.findall(text.lower())]
    idx = {_bucket(w) for w in words}
    idx |= {_bucket(a + " " + b) for a, b in zip(words, words[1:], strict=False)}
    v = np.zeros(HASH_DIM, dtype=np.float32)
    if idx:
        v[list(idx)] = 1.0 / math.sqrt(len(idx))
    return v


def _dense(text: str, vocabulary: frozenset[str]) -> np.ndarray:
    """VADER over the first sentences, on-topic share, length."""
    sents = [text[a:b] for a, b in sentence_spans(text, MAX_SENTENCES)]
    scores = [compound(s) for s in sents] or [0.0]
    stems = content_stems(text)
    on_topic = len(stems & vocabulary) / len(stems) if stems else 0.0
    return np.array(
        [
            sum(scores) / len(scores),
            min(scores),
            max(scores),
            sum(s >= 0.3 for s in scores) / len(scores),
            sum(s <= -0.3 for s in scores) / len(scores),
            on_topic,
            min(len(stems & vocabulary), 5) / 5,
            math.log1p(len(text)) / 8,
        ],
        dtype=np.float32,
    )


# The feature layouts (session 12): ``base`` is the hashed n-grams and the eight dense
# numbers above; ``extra`` adds ``gatefeatures.extra`` (topic-conditioned tone, contrast,
# reservations, negation scope, a preferred alternative); ``masked`` adds the topic-masked
# n-grams (``gatefeatures.masked_ngrams``). The shipped weights name theirs (``layout``).
# Session 13: ``wl`` in a layout adds the answer's WordLlama vector (``stance.gateembed``).
LAYOUTS = ("base", "extra", "masked", "extra+masked", "extra+wl")


def features(
    texts: list[str], vocabularies: list[frozenset[str]], layout: str = "base"
) -> np.ndarray:
    """One row of features per answer (``vocabularies``: each answer's question words)."""
    from helpers.core import wordvectors
    from helpers.stance import gatefeatures as gf

    rows = []
    texts = [(text or "")[:MAX_CHARS] for text in texts]
    for text, vocab in zip(texts, vocabularies, strict=True):
        parts = [_ngrams(text), _dense(text, vocab)]
        if "extra" in layout:
            parts.append(gf.extra(text, vocab, MAX_SENTENCES))
        if "masked" in layout:
            parts.append(gf.masked_ngrams(text, vocab))
        rows.append(np.concatenate(parts))
    if not rows:
        width = HASH_DIM + N_DENSE + ("extra" in layout) * gf.N_EXTRA
        width += ("masked" in layout) * gf.MASK_DIM + ("wl" in layout) * wordvectors.DIMENSION
        return np.zeros((0, width), dtype=np.float32)
    x = np.stack(rows)
    if "wl" in layout:
        from helpers.stance.gateembed import vectors

        x = np.hstack([x, vectors(texts)])
    return x


def layout_of(weights: dict[str, np.ndarray]) -> str:
    """The feature layout the weights were fitted on (``base`` for weights before session 12)."""
    return str(weights["layout"]) if "layout" in weights else "base"


@lru_cache(maxsize=1)
def load_weights() -> dict[str, np.ndarray] | None:
    """The shipped weights (coef, intercept, threshold, scale), or None if absent."""
    return read_npz(WEIGHTS)


def probabilities(x: np.ndarray, weights: dict[str, np.ndarray]) -> np.ndarray:
    """Class probabilities (columns in ``CLASSES`` order) for the feature rows ``x``."""
    z = x @ weights["coef"].T + weights["intercept"]
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


def read(texts: list[str], vocabularies: list[frozenset[str]]) -> list[tuple[str, float] | None]:
    """For each answer the rules left without a position: (``agree``/``disagree``,
    confidence) when the model finds a direction with at least the shipped threshold,
    else None (the row stays ``not_answered``). An answer that only asks questions is
    never read as agreement (``asks_only``)."""
    weights = load_weights()
    if weights is None or not texts:
        return [None] * len(texts)
    layout = layout_of(weights)
    if "wl" in layout:
        from helpers.stance.gateembed import available

        if not available():
            return [None] * len(texts)
    p = probabilities(features(texts, vocabularies, layout), weights)
    threshold = float(weights["threshold"])
    out: list[tuple[str, float] | None] = []
    for text, pr in zip(texts, p, strict=True):
        k = int(pr[:2].argmax())
        if pr[k] < threshold or (CLASSES[k] == "agree" and asks_only(text)):
            out.append(None)
            continue
        out.append((CLASSES[k], confidence(float(pr[k]), weights)))
    return out


def confidence(p: float, weights: dict[str, np.ndarray]) -> float:
    """The stated confidence of a reading the model gives probability ``p``.

    Session 12: a monotone map fitted out of fold (isotonic regression of "was the
    reading acceptable" on ``p``, over every gate reading of the spent sets, each
    read by a model that never trained on its batch), shipped as breakpoints
    (``calib_x``, ``calib_y``) and interpolated, so the stated confidence is the
    observed accuracy of such readings. Weights before session 12 carry a linear
    ``scale`` instead: ``lo`` at the threshold to ``hi`` at 1 (stated 0.5-0.6 while
    such readings were right about 0.8 of the time on stance-items-11)."""
    if "calib_x" in weights:
        return round(float(np.interp(p, weights["calib_x"], weights["calib_y"])), 2)
    threshold = float(weights["threshold"])
    lo, hi = (float(v) for v in weights["scale"])
    frac = (p - threshold) / max(1e-6, 1.0 - threshold)
    return round(lo + (hi - lo) * frac, 2)


def asks_only(text: str) -> bool:
    """Whether every sentence of ``text`` is a question ("Who decides at the end of
    the trial?", "What does 'progress' mean here? Who measures it?").

    Session 8: a question back to the consultation is either an enquiry (no
    position: gold ``not_answered`` or ``dont_know``) or a rhetorical challenge
    ("How are carers supposed to do their visits if the streets are shut?"), which
    objects. It never agrees, so the gate may read such an answer as disagreement
    but not as agreement (``read``): on stance-items-7 it had read two enquiries as
    agreement, while the rhetorical ones of stance-items-4 and -6 it reads as
    disagreement, rightly. A question that is itself a position ("Why wait?",
    "Who asked for this?") is read by the rules' lexicon before the gate.
    """
    spans = [(s, e) for s, e in sentence_spans(text) if text[s:e].strip()]
    return bool(spans) and all(text[s:e].rstrip().rstrip("\"'”’)").endswith("?") for s, e in spans)


def without_courtesies(text: str) -> str:
    """``text`` with each sentence that holds a closing courtesy blanked out (same length,
    so offsets hold): "We would be happy to discuss this further", "Thank you for the
    opportunity", "Yours sincerely" offer, thank or sign off; they take no position, yet
    their warm words lean the model towards agreement. The phrases are the lexicon's
    ``courtesies`` (``data/stance_lexicon.yaml``)."""
    pattern = phrases("courtesies")
    out = text
    for s, e in sentence_spans(text):
        if pattern.search(text[s:e].lower()):
            out = out[:s] + " " * (e - s) + out[e:]
    return out


def evidence(text: str, stance: str) -> tuple[int, int]:
    """The sentence to quote for a direction read between the lines: the one whose VADER
    score leans most that way (the first sentence when none leans), trimmed."""
    sign = 1.0 if stance == "agree" else -1.0
    best, best_score = None, 0.0
    for s, e in sentence_spans(text[:MAX_CHARS], MAX_SENTENCES):
        score = sign * compound(text[s:e])
        if best is None or score > best_score:
            best, best_score = (s, e), score
    return best or (0, len(text.rstrip()))
