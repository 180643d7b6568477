"""The stacker's candidates and their feature rows (``coding.stack`` decides with them).

A candidate is an (answer, theme) pair of a theme the trained coder learned for the
answer's question where the dictionary fires or either classifier (answer or best
sentence) gives at least ``CANDIDATE`` (``is_candidate``). Its row holds the
``FEATURES``, in this order; none names a theme or a consultation:

- ``dictionary``: the theme's patterns fire in the answer (a counted code);
- ``answer_logit`` / ``sentence_logit``: the answer classifier's probability and the
  best sentence's, as log-odds (clipped at ``EPS``);
- ``share``: the share of the answer's sentences the theme's patterns fire in (a
  point made at length, not in passing);
- ``others``: the fewest *other* themes whose patterns fire in the same sentence as
  this one's (a list of examples names several themes at once), at most 4;
- ``commas``: the fewest commas in such a sentence (lists again), at most 6;
- ``sentences``: log(1 + the answer's sentence count) (long answers mention more in
  passing);
- ``prior``: the theme's dictionary precision on the training answers (how often its
  patterns fired where a coder gave the theme), shrunk towards the pooled precision
  with ``PRIOR_ALPHA`` pseudo-counts; 0 when the dictionary did not fire;
- ``outranked``: how many of the answer's other learned themes the classifiers score
  higher than this one (the better of answer and best sentence each), at most
  ``MAX_OUTRANKED``. A theme the answer is less about than its neighbours is more
  often a neighbour's word or a passing mention: in the error census of batches 2-17
  one wrong code in four sat in an answer that also missed a gold theme (session 15);
- ``neighbours``: the vote of the ``NEIGHBOURS`` training answers most like this one
  (cosine of the trained coder's TF-IDF rows), as log-odds: the similarity-weighted
  share of them coded with the theme, shrunk towards the theme's share of all training
  answers with ``NEIGHBOUR_ALPHA`` (``neighbour_votes``). A classifier sums one weight
  per word over every answer; a neighbour vote asks whether answers *worded like this
  one* were coded with the theme, which recovers near misses of phrasings the
  researcher already coded (session 18: leave-one-batch-out over batches 2-20 better
  than the nine-feature stacker on 12 of 19 transport and 12 of 19 Ofsted sets).

``candidate_features`` builds one row in plain Python (the reference, and what the
benchmarks call); ``candidate_rows`` builds every candidate's row at once with the same
numbers. Moved here from ``coding.stack`` in session 22 (one concern per module);
``coding.stack`` re-exports every name.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from helpers.core.sentences import overlapping

FEATURES = (
    "dictionary",
    "answer_logit",
    "sentence_logit",
    "share",
    "others",
    "commas",
    "sentences",
    "prior",
    "outranked",
    "neighbours",
)
CANDIDATE = 0.2
EPS = 1e-3
PRIOR_ALPHA = 5.0
MAX_OTHERS = 4
MAX_COMMAS = 6
MAX_OUTRANKED = 3
NEIGHBOURS = 10
NEIGHBOUR_ALPHA = 1.0


def _logit(p: float) -> float:
    p = min(max(p, EPS), 1.0 - EPS)
    return float(np.log(p / (1.0 - p)))


def candidate_features(
    theme: str,
    dictionary: bool,
    p_answer: float,
    p_sentence: float,
    sentence_themes: Sequence[set[str] | frozenset[str]],
    sentence_commas: Sequence[int],
    prior: float,
    outranked: int = 0,
    vote: float = 0.0,
) -> list[float]:
    """One candidate's feature row, in ``FEATURES`` order.

    ``sentence_themes[j]``: the themes whose counted dictionary codes have their
    evidence in the answer's sentence ``j``; ``sentence_commas[j]``: its commas;
    ``outranked``: the answer's other themes scored higher (``outranked``); ``vote``:
    its neighbours' vote for the theme (``neighbour_votes``).
    """
    hit = [j for j, ts in enumerate(sentence_themes) if theme in ts]
    n = max(len(sentence_themes), 1)
    others = min((len(sentence_themes[j]) - 1 for j in hit), default=0)
    commas = min((sentence_commas[j] for j in hit), default=0)
    return [
        float(dictionary),
        _logit(p_answer),
        _logit(p_sentence),
        len(hit) / n,
        float(min(others, MAX_OTHERS)),
        float(min(commas, MAX_COMMAS)),
        float(np.log1p(n)),
        prior if dictionary else 0.0,
        float(min(outranked, MAX_OUTRANKED)),
        _logit(vote),
    ]


def neighbour_votes(
    similarity: np.ndarray, labels: np.ndarray, k: int = NEIGHBOURS, alpha: float = NEIGHBOUR_ALPHA
) -> np.ndarray:
    """``(answers, themes)``: each answer's vote for each theme from its ``k`` most similar
    training answers.

    ``similarity``: ``(answers, training answers)`` cosine similarities; ``labels``:
    ``(training answers, themes)``, 1 where a training answer has the theme. The vote is
    ``(sum of sim * label over the k nearest + alpha * base) / (sum of sim + alpha)``
    with negative similarities counted as 0 and ``base`` the theme's share of all
    training answers, so an answer unlike any training answer gets the base rate. Ties
    in similarity go to the earlier training answer (a stable sort): deterministic.
    """
    labels = np.asarray(labels, dtype=np.float64)
    n, m = similarity.shape
    base = labels.mean(axis=0) if m else np.zeros(labels.shape[1])
    if not n or not m:
        return np.tile(base, (n, 1))
    k = min(k, m)
    top = np.argsort(-similarity, axis=1, kind="stable")[:, :k]
    w = np.clip(np.take_along_axis(similarity, top, axis=1), 0.0, None)
    votes = np.einsum("ij,ijt->it", w, labels[top])
    return (votes + alpha * base) / (w.sum(axis=1, keepdims=True) + alpha)


def outranked(p_answer: np.ndarray, p_sentence: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """``(answers, themes)``: how many other allowed themes of the answer have a higher
    score, a theme's score being the better of its answer and best-sentence probability."""
    best = np.where(allowed, np.maximum(p_answer, p_sentence), 0.0)
    out = np.zeros(best.shape, dtype=int)
    for k in range(best.shape[1]):
        out[:, k] = (best > best[:, [k]]).sum(axis=1)
    return out


def is_candidate(dictionary, p_answer, p_sentence):
    """Whether the stacker decides this pair (else it is not coded, as without it).

    Scalars or equal-shaped arrays (``decide`` asks it of every pair at once); the larger
    probability is ``p_answer`` unless ``p_sentence`` is strictly larger, as ``max`` takes it.
    """
    best = np.where(p_sentence > p_answer, p_sentence, p_answer)
    return np.logical_or(dictionary, best >= CANDIDATE)


def dictionary_prior(pairs: Sequence[tuple[str, bool]]) -> tuple[dict[str, float], float]:
    """Each theme's shrunk dictionary precision and the pooled one.

    ``pairs``: one ``(theme, coded by the coder)`` per dictionary code of a training
    answer. A theme seen a few times is pulled towards the pooled precision
    (``PRIOR_ALPHA`` pseudo-counts); a theme never seen gets the pooled value.
    """
    right: dict[str, int] = {}
    total: dict[str, int] = {}
    for theme, ok in pairs:
        total[theme] = total.get(theme, 0) + 1
        right[theme] = right.get(theme, 0) + int(ok)
    n = sum(total.values())
    pooled = sum(right.values()) / n if n else 0.5
    return {t: (right[t] + PRIOR_ALPHA * pooled) / (total[t] + PRIOR_ALPHA) for t in total}, pooled


def sentence_table(
    spans: Sequence[Sequence[tuple[int, int]]],
    hits: Sequence[Sequence[tuple[str, int, int]]],
    texts: Sequence[str],
) -> tuple[list[list[set[str]]], list[list[int]]]:
    """Per answer, each sentence's dictionary themes and its commas.

    ``spans[i]`` / ``hits[i]``: answer ``i``'s sentence spans and its counted dictionary
    codes as ``(theme, start, end)``, both relative to ``texts[i]``. A sentence's themes
    are added in the order of the hits (the sets are built as the plain test of every hit
    against every sentence builds them); the sentences a hit overlaps are found by
    bisection (``sentences.overlapping``: the plain test grew with the square of an
    answer's length).
    """
    themes, commas = [], []
    for sp, hs, text in zip(spans, hits, texts, strict=True):
        where = overlapping(sp, [(s, e) for _, s, e in hs])
        if where is None:  # spans out of order: every hit against every sentence
            themes.append([{t for t, s, e in hs if s < b and e > a} for a, b in sp])
        else:
            per: list[set[str]] = [set() for _ in sp]
            for (t, _, _), js in zip(hs, where, strict=True):
                for j in js:
                    per[j].add(t)
            themes.append(per)
        commas.append([text[a:b].count(",") for a, b in sp])
    return themes, commas


def _dictionary_matrix(
    theme_ids: Sequence[str], sentence_themes: Sequence[Sequence[set[str]]], shape: tuple
) -> np.ndarray:
    """``(answers, themes)``: the theme has a dictionary code in some sentence of the answer.

    Rationale (speed, same pairs): ``decide`` asked this of every allowed pair by
    scanning the answer's sentences, and most allowed pairs are not candidates (session
    20: ~55 % of the stacker's loop at 1,000 generated respondents); one pass over each
    answer's themes gives the same booleans."""
    col = {t: k for k, t in enumerate(theme_ids)}
    out = np.zeros(shape, dtype=bool)
    for i, per in enumerate(sentence_themes):
        for theme in set().union(*per):
            k = col.get(theme)
            if k is not None:
                out[i, k] = True
    return out


def _logits(p: np.ndarray) -> np.ndarray:
    """``_logit`` of every entry (the same clip, division and ``np.log``, elementwise)."""
    p = np.minimum(np.maximum(np.asarray(p, dtype=np.float64), EPS), 1.0 - EPS)
    return np.log(p / (1.0 - p))


def candidate_rows(
    where: np.ndarray,
    theme_ids: Sequence[str],
    prior: Sequence[float],
    dictionary: np.ndarray,
    p_answer: np.ndarray,
    p_sentence: np.ndarray,
    sentence_themes: Sequence[Sequence[set[str]]],
    sentence_commas: Sequence[Sequence[int]],
    ranks: np.ndarray,
    votes: np.ndarray | None = None,
    extra: np.ndarray | None = None,
) -> np.ndarray:
    """``candidate_features`` of every ``(answer, theme)`` pair of ``where``, one row each,
    as one float64 array: the same numbers (``tests/test_scale_session22.py``).
    ``extra``: ``(answers, themes, m)`` more probabilities, appended as ``m`` log-odds
    columns after ``FEATURES`` (``coding.embvote``'s votes, session 26).

    Rationale (session 22, speed only): ``decide`` built a Python list of ten floats per
    candidate, scanning the answer's sentences for the theme each time (about 200,000
    candidates at 10,000 generated respondents). Here each answer's sentences are read
    once for the learned themes they hold (how many, the fewest other themes beside
    one, the fewest commas), and the columns are computed for all candidates at once:
    the logits by the same clip, division and ``np.log`` elementwise, ``share`` and
    ``sentences`` from the same integers.
    """
    col = {t: k for k, t in enumerate(theme_ids)}
    shape = dictionary.shape
    hits = np.zeros(shape, dtype=np.int64)  # sentences of the answer the theme is in
    others = np.zeros(shape, dtype=np.int64)  # fewest other themes in such a sentence
    commas = np.zeros(shape, dtype=np.int64)  # fewest commas in such a sentence
    for i in np.unique(where[:, 0]).tolist():
        for ts, c in zip(sentence_themes[i], sentence_commas[i], strict=True):
            for t in ts:
                k = col.get(t)
                if k is None:
                    continue
                if hits[i, k]:
                    others[i, k] = min(others[i, k], len(ts) - 1)
                    commas[i, k] = min(commas[i, k], c)
                else:
                    others[i, k], commas[i, k] = len(ts) - 1, c
                hits[i, k] += 1
    i, k = where[:, 0], where[:, 1]
    n = np.array([max(len(sentence_themes[a]), 1) for a in i.tolist()], dtype=np.int64)
    dic = dictionary[i, k]
    vote = np.zeros(len(i)) if votes is None else np.asarray(votes, dtype=np.float64)[i, k]
    out = np.empty((len(i), len(FEATURES)))
    out[:, 0] = dic
    out[:, 1] = _logits(p_answer[i, k])
    out[:, 2] = _logits(p_sentence[i, k])
    out[:, 3] = hits[i, k] / n
    out[:, 4] = np.minimum(others[i, k], MAX_OTHERS)
    out[:, 5] = np.minimum(commas[i, k], MAX_COMMAS)
    out[:, 6] = np.log1p(n.astype(np.float64))
    out[:, 7] = np.where(dic, np.asarray(prior, dtype=np.float64)[k], 0.0)
    out[:, 8] = np.minimum(ranks[i, k], MAX_OUTRANKED)
    out[:, 9] = _logits(vote)
    if extra is not None:
        out = np.hstack([out, _logits(np.asarray(extra, dtype=np.float64)[i, k])])
    return out
