"""A learned sentence classifier for reservations: which sentence of an answer voices one.

Issue 13: "Reservations are found anywhere in the answer (conditions, concerns
about resources, capacity or timing, 'however' in a later sentence), with their
sentence as evidence." The phrase rule (:mod:`helpers.stance.reservations`,
the lexicon's ``reservation`` list) found about four in ten of the item sets'
reservations on fresh sets, and every new set words them differently. So each
sentence of an answer is scored by a logistic regression and the answer has
reservations when its best sentence scores at least the shipped ``threshold``;
that sentence is the evidence.

Features of one sentence (all cheap, no embedding):

- hashed TF-IDF of lower-cased word unigrams and bigrams (CRC32 buckets) and of
  character 3-5-grams of the words joined by single spaces (a multiplicative hash
  in numpy, sublinear tf, the IDF learned with
  the weights, L2-normalised per block): "provided that", "my only worry",
  "staff", "capacit";
- the lexicon's own rule hits in the sentence: the ``reservation`` phrases,
  a contrast / concession / condition / summing-up opener, a hedge, an aim
  word, "but"/"however" anywhere;
- where it stands relative to the stance (evidence) sentence: the same, before
  it, after it, how far, no evidence; its place in the answer (first, last,
  relative position, number of sentences);
- the row: the rules' reservation flag for the answer, its stance and method, and
  whether its tick and text disagree (the gold counts a concern voiced against the
  tick as a reservation).

Trained offline by ``benchmarks/reservation_train.py`` on the spent stance item
sets (gold is a flag per item, not a sentence: the positive sentence of a
positive item is found by multiple-instance training, each round labelling the
sentence the previous model scored highest); shipped as plain arrays
(``data/reservation_model.npz``, no pickle).
"""

from __future__ import annotations

import math
import re
import zlib
from functools import lru_cache
from importlib import resources
from operator import methodcaller

import numpy as np

from helpers.stance.caches import _CACHE_MAX, _sentence_terms_cache, _sentence_weights
from helpers.stance.clauses import _SENTENCE_RE
from helpers.stance.discourse_lexicon import _gates, _lexicon
from helpers.stance.reservation_grams import ngram_logits
from helpers.stance.reservation_split import plain

__all__ = [
    "CHAR_DIM", "N_DENSE", "WORD_DIM", "Row", "features", "load_weights", "scores", "sentences",
    "sparse_features",
]  # fmt: skip

WEIGHTS = "reservation_model.npz"
WORD_DIM = 4096
CHAR_DIM = 8192
MAX_SENTENCES = 40  # a letter's first forty sentences; past them a reservation is rare
_WORD_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_NON_WORD_RE = re.compile(r"[^\w']+")
_MIX = np.uint64(0x9E3779B97F4A7C15)
_STANCES = ("strongly_agree", "agree", "neither", "disagree", "strongly_disagree", "dont_know")
_METHODS = ("text", "unstructured", "tick_box+text")
# Grammar, not vocabulary: a contrast or a condition anywhere in the sentence.
_CONTRAST_WORDS = ("but", "however", "although", "though", "yet", "whereas", "except")
_CONDITION_WORDS = ("if", "unless", "provided", "providing", "as long as", "so long as",
                    "on condition", "subject to", "assuming", "only when", "only once", "until")  # fmt: skip
_CONTRAST_ANY = re.compile(r"\b(?:" + "|".join(_CONTRAST_WORDS) + r")\b")
_CONDITION_ANY = re.compile(r"\b(?:" + "|".join(_CONDITION_WORDS) + r")\b")
# A match of either needs one of these as a whole word (a maximal run of \w): a phrase's
# longest word (the search is only run on sentences holding one, the same hits).
_NEEDED = {p: frozenset(max(w.split(), key=len) for w in words)
           for p, words in ((_CONTRAST_ANY, _CONTRAST_WORDS), (_CONDITION_ANY, _CONDITION_WORDS))}  # fmt: skip
_RUN_RE = re.compile(r"\w+")
_ALNUM_RE = re.compile(r"[^\W_]")
_LEX_KEYS = ("reservation", "contrast_openers^", "concession_openers^", "condition_openers^",
             "overall_openers^", "hedges", "aim_words")  # fmt: skip
N_DENSE = len(_LEX_KEYS) + 2 + 1 + 5 + 5 + 1 + len(_STANCES) + len(_METHODS) + 3
# What the rules said of the row: their reservation flag, stance, method, tick/text conflict.
Row = tuple[bool, str, str, bool]


def sentences(text: str) -> list[tuple[int, int]]:
    """The sentence spans of ``text`` the reservation finder reads (leading space trimmed)."""
    out = []
    for m in _SENTENCE_RE.finditer(text):
        s, e = m.span()
        sent = m.group()
        s += len(sent) - len(sent.lstrip())  # lstrip() drops what isspace() calls space
        # [^\W_] is what str.isalnum() accepts (re's \w is isalnum() or "_")
        if s < e and _ALNUM_RE.search(text, s, e) is not None:
            out.append((s, e))
        if len(out) >= MAX_SENTENCES:
            break
    return out


_BUCKETS: dict[str, int] = {}  # token -> bucket: words repeat (Zipf), crc32 per token adds up


def _bucket(token: str) -> int:
    b = _BUCKETS.get(token)
    if b is None:
        b = zlib.crc32(token.encode("utf-8")) % WORD_DIM
        if len(_BUCKETS) < 200_000:
            _BUCKETS[token] = b
    return b


def _word_grams(lows: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(sentence index, bucket) of every word unigram and bigram of the sentences.

    One pass of C-level calls per sentence (the apostrophe is folded before the regex,
    which reads ' and ’ alike, so the words are the same), and each distinct token is
    hashed once for the whole batch: the finder may read thousands of sentences at once.
    """
    toks: list[str] = []
    counts = []
    for low in lows:
        words = _WORD_RE.findall(low.replace("’", "'"))
        toks += words
        toks += map(" ".join, zip(words, words[1:], strict=False))
        counts.append(2 * len(words) - 1 if words else 0)
    rows = np.repeat(np.arange(len(lows), dtype=np.int64), counts)
    try:  # the cache is warm: one C-level lookup per token
        return rows, np.fromiter(map(_BUCKETS.__getitem__, toks), dtype=np.int64, count=len(toks))
    except KeyError:
        pass
    for t in set(toks).difference(_BUCKETS):
        _bucket(t)
    # Every token is in the cache now unless it is full (then some were hashed, not kept).
    find = _BUCKETS.__getitem__ if len(_BUCKETS) < 200_000 else _bucket
    return rows, np.fromiter(map(find, toks), dtype=np.int64, count=len(toks))


def _char_parts(lows: list[str]) -> list[bytes]:
    """Each sentence as the character n-grams read it: its words separated by one space
    and padded by one (UTF-8)."""
    return [(" " + _NON_WORD_RE.sub(" ", t.replace("’", "'")).strip() + " ").encode() for t in lows]


def _char_grams(lows: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(sentence index, bucket) of every character 3-5-gram of the sentences, each read as
    its words separated by one space and padded by one, hashed in numpy (no Python loop
    per character: the finder reads every answered closed question)."""
    parts = _char_parts(lows)
    a = np.frombuffer(b"".join(parts), dtype=np.uint8).astype(np.uint64)
    sid = np.repeat(np.arange(len(parts)), [len(p) for p in parts])
    out_s, out_b = [], []
    for n in (3, 4, 5):
        m = len(a) - n + 1
        if m <= 0:
            continue
        h = np.full(m, n, dtype=np.uint64)
        for j in range(n):
            h = h * np.uint64(257) + a[j : j + m]
        h = (h * _MIX) >> np.uint64(32)
        ok = sid[:m] == sid[n - 1 : n - 1 + m]
        out_s.append(sid[:m][ok])
        out_b.append((h[ok] % np.uint64(CHAR_DIM)).astype(np.int64))
    if not out_s:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(out_s), np.concatenate(out_b)


def _tfidf(
    rows: np.ndarray, cols: np.ndarray, n: int, dim: int, idf: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sublinear tf times idf of hashed counts, L2-normalised per sentence."""
    if len(rows) == 0:
        z = np.zeros(0, dtype=np.int64)
        return z, z, np.zeros(0, dtype=np.float64)
    keys, counts = np.unique(rows.astype(np.int64) * dim + cols, return_counts=True)
    r, c = keys // dim, keys % dim
    v = 1.0 + np.log(counts.astype(np.float64))
    if idf is not None:
        v = v * idf[c]
    norm = np.sqrt(np.bincount(r, weights=v * v, minlength=n))
    return r, c, v / norm[r]


def sparse_features(
    texts: list[str], ev: int | None, row: Row,
    idf: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """The hashed n-gram block as (sentence, column, value) and the dense block (n x N_DENSE)."""
    lows = [plain(t).lower() for t in texts]  # emphasis markers dropped (session 21)
    n = len(lows)
    wr, wc = _word_grams(lows)
    r1, c1, v1 = _tfidf(wr, wc, n, WORD_DIM, None if idf is None else idf[0])
    cr, cc = _char_grams(lows)
    r2, c2, v2 = _tfidf(cr, cc, n, CHAR_DIM, None if idf is None else idf[1])
    dense = np.array([_dense(low, k, n, ev, row) for k, low in enumerate(lows)], dtype=np.float64)
    return (np.concatenate([r1, r2]), np.concatenate([c1, c2 + WORD_DIM]),
            np.concatenate([v1, v2]), dense.reshape(n, N_DENSE))  # fmt: skip


def _dense(low: str, k: int, n: int, ev: int | None, row: Row) -> list:
    rule, stance, method, conflict = row
    lex = _lexicon()
    f = [1.0 if lex[key].search(low) else 0.0 for key in _LEX_KEYS]
    f += [1.0 if _CONTRAST_ANY.search(low) else 0.0, 1.0 if _CONDITION_ANY.search(low) else 0.0]
    f.append(1.0 if rule else 0.0)
    if ev is None:
        f += [0.0, 0.0, 0.0, 0.0, 1.0]
    else:
        d = k - ev
        f += [float(d == 0), float(d < 0), float(d > 0), min(abs(d), 5) / 5.0, 0.0]
    f += [float(k == 0), float(k == n - 1), k / max(n - 1, 1), math.log1p(n) / 4.0, float(n == 1)]
    f.append(1.0 if "?" in low else 0.0)
    f += [float(stance == s) for s in _STANCES]
    f += [float(method == m) for m in _METHODS]
    f += [float(conflict), min(len(low), 400) / 400.0, 1.0]
    return f


def features(
    texts: list[str], ev: int | None, row: Row,
    idf: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:  # fmt: skip
    """One dense feature row per sentence text (``ev``: index of the stance sentence, or None)."""
    r, c, v, dense = sparse_features(texts, ev, row, idf)
    x = np.zeros((len(texts), WORD_DIM + CHAR_DIM + N_DENSE), dtype=np.float64)
    x[r, c] = v
    x[:, WORD_DIM + CHAR_DIM :] = dense
    return x


@lru_cache(maxsize=1)
def load_weights() -> dict[str, np.ndarray] | None:
    """The shipped weights (coef, intercept, idf_word, idf_char, threshold), or None."""
    ref = resources.files("helpers.data").joinpath(WEIGHTS)
    if not ref.is_file():
        return None
    with ref.open("rb") as fh, np.load(fh, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def scores(
    texts: list[str], ev: int | None, row: Row, weights: dict[str, np.ndarray],
) -> np.ndarray:  # fmt: skip
    """Each sentence's probability of voicing a reservation."""
    if not texts:
        return np.zeros(0, dtype=np.float32)
    r, c, v, dense = sparse_features(texts, ev, row, (weights["idf_word"], weights["idf_char"]))
    coef = weights["coef"]
    z = np.bincount(r, weights=v * coef[c], minlength=len(texts))
    z = z + dense @ coef[WORD_DIM + CHAR_DIM :] + float(weights["intercept"])
    return 1.0 / (1.0 + np.exp(-z))


# An answer for the batch scorer: its sentence texts, the stance sentence's index, the row.
Answer = tuple[list[str], int | None, Row]
_BATCH_SENTENCES = 256  # sentences per batch: bounds the char n-gram arrays (uint64 each)


def _text_hits(lows: list[str]) -> list[list[bool]]:
    """Whether each of the :data:`_LEX_KEYS` lists, then :data:`_CONTRAST_ANY` and
    :data:`_CONDITION_ANY`, has a match in each sentence (``pattern.search``).

    The same answers with less searching: a pattern is only searched in sentences
    holding a word it cannot match without (:meth:`PhraseGate.possible` for the
    lexicon's lists, :data:`_NEEDED` for the two patterns here); the ``^``-anchored
    openers are tried once per sentence anyway, at its start.
    """
    lex, gates = _lexicon(), _gates()
    # Only the words some gate needs (most sentences: none), so each gate's test below
    # is on a small set: ``possible`` and ``isdisjoint`` read the same either way.
    needed = _needed_words()
    words = [needed.intersection(_RUN_RE.findall(low)) for low in lows]
    out: list[list[bool]] = []
    for key in _LEX_KEYS:
        search = lex[key].search
        if key.endswith("^"):
            out.append(list(map(bool, map(search, lows))))
            continue
        gate = gates[key]
        out.append([gate.possible(w) and search(low) is not None
                    for low, w in zip(lows, words, strict=True)])  # fmt: skip
    for p in (_CONTRAST_ANY, _CONDITION_ANY):
        need = _NEEDED[p]
        out.append([not need.isdisjoint(w) and p.search(low) is not None
                    for low, w in zip(lows, words, strict=True)])  # fmt: skip
    return out


@lru_cache(maxsize=1)
def _needed_words() -> frozenset[str]:
    """Every word :func:`_text_hits` gates on: the gated lists' keys and :data:`_NEEDED`."""
    gates = _gates()
    keys = [gates[k].keys for k in _LEX_KEYS if not k.endswith("^")]
    return frozenset().union(*keys, *_NEEDED.values())


def _dense_batch(
    lows: list[str], answers: list[Answer], hits: list[list[bool]] | None = None
) -> np.ndarray:
    """:func:`_dense` of every sentence of every answer, the same floats: the text's own
    rule hits per sentence (``hits``: :func:`_text_hits`, if known), the position and row
    features per answer in numpy."""
    hits = _text_hits(lows) if hits is None else hits
    hits.append(list(map(bool, map(methodcaller("__contains__", "?"), lows))))
    text = np.array(hits, dtype=np.float64).reshape(len(hits), len(lows)).T
    text = np.column_stack([text, np.minimum(np.array(list(map(len, lows))), 400) / 400.0])
    ns = np.array([len(t) for t, _, _ in answers], dtype=np.int64)
    k = np.arange(len(lows), dtype=np.int64) - np.repeat(np.cumsum(ns) - ns, ns)
    n = np.repeat(ns, ns)

    def per_answer(f) -> np.ndarray:  # one row of floats per answer, repeated per sentence
        return np.repeat(np.array([f(a) for a in answers], dtype=np.float64), ns, axis=0)

    rows = per_answer(
        lambda a: [1.0 if a[2][0] else 0.0, math.log1p(len(a[0])) / 4.0, float(len(a[0]) == 1)]
        + [float(a[2][1] == s) for s in _STANCES] + [float(a[2][2] == m) for m in _METHODS]
        + [float(a[2][3])]
    )  # fmt: skip
    has_ev = np.repeat(np.array([a[1] is not None for a in answers], dtype=bool), ns)
    d = k - np.repeat(np.array([-1 if a[1] is None else a[1] for a in answers]), ns)
    ev = np.stack([d == 0, d < 0, d > 0], axis=1).astype(np.float64) * has_ev[:, None]
    far = np.where(has_ev, np.minimum(np.abs(d), 5) / 5.0, 0.0)
    pos = np.stack([k == 0, k == n - 1], axis=1).astype(np.float64)
    rel = k / np.maximum(n - 1, 1)
    nl = len(_LEX_KEYS) + 2
    return np.column_stack([
        text[:, :nl], rows[:, 0], ev, far, (~has_ev).astype(np.float64), pos, rel,
        rows[:, 1:3], text[:, nl], rows[:, 3:], text[:, nl + 1], np.ones(len(lows)),
    ])  # fmt: skip


def batch_scores(answers: list[Answer], weights: dict[str, np.ndarray]) -> list[np.ndarray]:
    """:func:`scores` of many answers at once (the same numbers): the n-gram hashing, TF-IDF
    and rule features run over all their sentences together, not answer by answer; the
    n-gram term compiled (:func:`helpers.stance.reservation_grams.ngram_logits`, the same
    floats as :func:`sparse_features`), the rule hits gated (:func:`_text_hits`)."""
    out: list[np.ndarray] = []
    start = 0
    while start < len(answers):
        stop, size = start, 0
        while stop < len(answers) and (
            size == 0 or size + len(answers[stop][0]) <= _BATCH_SENTENCES
        ):
            size += len(answers[stop][0])
            stop += 1
        out += _batch_scores(answers[start:stop], weights)
        start = stop
    return out


def _sentence_terms(
    lows: list[str], weights: dict[str, np.ndarray]
) -> tuple[np.ndarray, list[list[bool]]]:
    """Each sentence's n-gram term (:func:`ngram_logits`) and rule hits (:func:`_text_hits`),
    both functions of the lower-cased sentence alone: worked out once per distinct
    sentence and kept (sentences repeat across answers: campaign copies, "Agree.",
    stock phrases; session 14), the same floats and flags."""
    if _sentence_weights[0] is not weights:  # kept for one set of weights at a time
        _sentence_terms_cache.clear()
        _sentence_weights[0] = weights
    cache = _sentence_terms_cache
    todo = [low for low in dict.fromkeys(lows) if low not in cache]
    if todo:
        if len(cache) + len(todo) > _CACHE_MAX:
            # emptied to bound memory: this batch's sentences kept before are worked out
            # again with the new ones (session 25: clearing only made the 30,000-respondent
            # run fail with a KeyError on a sentence that had been kept)
            cache.clear()
            todo = list(dict.fromkeys(lows))
        z = ngram_logits(todo, _char_parts, WORD_DIM, CHAR_DIM, _MIX, weights).tolist()
        for low, zk, hk in zip(todo, z, zip(*_text_hits(todo), strict=True), strict=True):
            cache[low] = (zk, hk)
    got = [cache[low] for low in lows]
    z = np.array([g[0] for g in got], dtype=np.float64)
    return z, [list(col) for col in zip(*(g[1] for g in got), strict=True)]


def _batch_scores(answers: list[Answer], weights: dict[str, np.ndarray]) -> list[np.ndarray]:
    lows = [plain(t).lower() for texts, _, _ in answers for t in texts]
    n = len(lows)
    if n == 0:
        return [np.zeros(0, dtype=np.float32) for _ in answers]
    coef = weights["coef"]
    z, hits = _sentence_terms(lows, weights)
    dense = _dense_batch(lows, answers, hits)
    z = z + dense @ coef[WORD_DIM + CHAR_DIM :] + float(weights["intercept"])
    p = 1.0 / (1.0 + np.exp(-z))
    ends = np.cumsum([len(t) for t, _, _ in answers])
    return [
        p[e - len(t) : e] if t else np.zeros(0, dtype=np.float32)
        for (t, _, _), e in zip(answers, ends, strict=True)
    ]
