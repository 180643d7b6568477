"""General features for the no-position gate (``stance.gate``): where the answer's words
lean, and whether those words are about the question's topic.

Session 12 (issue 13). The gate's hashed word n-grams learn a consultation's own
words ("bus", "bridge") as much as the way people argue, and transfer poorly to
a new set. These features name no word of any consultation: each is computed
against the question's topic vocabulary (``topic.topic_vocabulary``: the
question's, the title's and the description's word stems, read from the
consultation's YAML), so the same weight applies to a bus gate, a care-leaver
judgement or a library:

- **Topic-masked n-grams** (``masked_ngrams``): the answer's word unigrams and
  bigrams with every topic word replaced by one placeholder, hashed into their
  own buckets. "don't close <topic>", "<topic> is a waste", "prefer <topic>"
  are learned once for every proposal.
- **Sentence position**: VADER compound of the first and of the last sentence
  read (people open or close with where they stand).
- **Topic-conditioned tone**: the mean compound of the sentences that use a
  topic word, and of those that do not (a complaint about something else is
  not a position on the proposal), and the share of sentences on topic.
- **Contrast and reservations**: how many contrast markers ("but", "however",
  "although" …), the tone after the first one minus before it (the clause
  after a contrast carries the position), and whether a reservation phrase of
  the lexicon (``reservation``) appears.
- **Negation scope**: negators within a few words before a topic word ("not
  <topic>", "no need for <topic>"), and all negators.
- **A preferred alternative** (``preference.preferred_alternatives``), and
  whether the preferred thing is stated with the question's topic words
  ("we would rather the <topic> started in April": disagreeing with the
  proposal's terms) or without them.
- **Questions**: the share of sentences that are questions.

All are cheap (the sentences the gate already reads); the model decides their
weights, so no threshold here is hand-set.
"""

from __future__ import annotations

import math
import re
import zlib

import numpy as np

from helpers.core.stemming import stem
from helpers.stance.preference import preferred_alternatives
from helpers.stance.reservations import reservation
from helpers.stance.sentences import sentence_spans
from helpers.stance.sentiment import compound
from helpers.stance.unstructured import _stopwords, content_stems

__all__ = ["MASK_DIM", "N_EXTRA", "extra", "masked_ngrams"]

MASK_DIM = 2048
N_EXTRA = 16
_WORD_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_CONTRAST_RE = re.compile(
    r"\b(?:but|however|yet|although|though|whereas|nevertheless|nonetheless|that said)\b"
)
_NEGATOR_RE = re.compile(r"\b(?:not|no|never|nor|cannot|without|against)\b|n['’]t\b")
_SCOPE = 4  # words: how far before a topic word a negator still governs it
_TOPIC = "<t>"


def _topic_word(word: str, vocabulary: frozenset[str]) -> bool:
    return len(word) > 2 and word not in _stopwords() and stem(word, "porter") in vocabulary


def masked_ngrams(text: str, vocabulary: frozenset[str]) -> np.ndarray:
    """Hashed binary unigrams and bigrams of ``text`` (lower-cased) with every topic
    word one placeholder, L2-normalised (``MASK_DIM`` buckets)."""
    words = [w.replace("’", "'") for w in _WORD_RE.findall(text.lower())]
    words = [_TOPIC if _topic_word(w, vocabulary) else w for w in words]
    idx = {zlib.crc32(w.encode("utf-8")) % MASK_DIM for w in words}
    idx |= {zlib.crc32((a + " " + b).encode("utf-8")) % MASK_DIM
            for a, b in zip(words, words[1:], strict=False)}  # fmt: skip
    v = np.zeros(MASK_DIM, dtype=np.float32)
    if idx:
        v[list(idx)] = 1.0 / math.sqrt(len(idx))
    return v


def _negated_topic(low: str, vocabulary: frozenset[str]) -> int:
    """How many topic words have a negator within ``_SCOPE`` words before them."""
    words = _WORD_RE.findall(low)
    neg = [bool(_NEGATOR_RE.fullmatch(w) or w.endswith(("n't", "n’t"))) for w in words]
    n = 0
    for i, w in enumerate(words):
        if _topic_word(w, vocabulary) and any(neg[max(0, i - _SCOPE) : i]):
            n += 1
    return n


def extra(text: str, vocabulary: frozenset[str], max_sentences: int) -> np.ndarray:
    """The dense features above for one answer (``N_EXTRA`` numbers, each in [-1, 1])."""
    spans = [(a, b) for a, b in sentence_spans(text, max_sentences) if text[a:b].strip()]
    sents = [text[a:b] for a, b in spans] or [""]
    scores = [compound(s) for s in sents]
    on = [bool(content_stems(s) & vocabulary) for s in sents]
    topic_s = [c for c, o in zip(scores, on, strict=True) if o]
    other_s = [c for c, o in zip(scores, on, strict=True) if not o]
    low = text.lower()
    contrasts = list(_CONTRAST_RE.finditer(low))
    if contrasts:
        at = contrasts[0].start()
        after = [c for (a, b), c in zip(spans, scores, strict=False) if b > at]
        before = [c for (a, b), c in zip(spans, scores, strict=False) if b <= at]
        shift = (sum(after) / len(after) if after else 0.0) - (
            sum(before) / len(before) if before else 0.0
        )
    else:
        shift = 0.0
    prefs = preferred_alternatives(low)
    pref_topic = False
    for s, _ in prefs:
        end = low.find(".", s)
        if content_stems(low[s : end if end > 0 else len(low)]) & vocabulary:
            pref_topic = True
    questions = sum(s.rstrip().rstrip("\"'”’)").endswith("?") for s in sents)
    n_neg = len(_NEGATOR_RE.findall(low))
    return np.array(
        [
            scores[0],
            scores[-1],
            sum(topic_s) / len(topic_s) if topic_s else 0.0,
            sum(other_s) / len(other_s) if other_s else 0.0,
            sum(on) / len(on),
            1.0 if on[0] else 0.0,
            min(len(contrasts), 3) / 3,
            max(-1.0, min(1.0, shift)),
            1.0 if reservation(text, None) is not None else 0.0,
            min(_negated_topic(low, vocabulary), 3) / 3,
            min(n_neg, 5) / 5,
            1.0 if prefs else 0.0,
            1.0 if pref_topic else 0.0,
            1.0 if prefs and not pref_topic else 0.0,
            questions / len(sents),
            1.0 if len(sents) == 1 else 0.0,
        ],
        dtype=np.float32,
    )
