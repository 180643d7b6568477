"""One decision per (answer, theme) from every coding method's evidence: the stacker.

Without it the trained coder's codes are *added* to the dictionary's: a theme is coded
when its patterns fire **or** its classifier's probability passes the codebook's cut.
That union cannot correct the dictionary's false friends (a theme's word used about
something else: "most of our patients walk in" for walking and cycling; a heading
"Evidence"; a passing mention in a list of examples), and one cut for every theme
and answer ignores what else is known about the candidate.

A codebook with ``training_stacker: true`` lets a small logistic regression decide
instead. Its candidates are the (answer, theme) pairs of every theme the trained
coder learned for the answer's question where the dictionary fires or either
classifier (answer or best sentence, ``coding.trained_fit``) gives at least
``CANDIDATE``; themes the trained coder did not learn keep the dictionary's decision.
Its features (``FEATURES``) never name a theme or a consultation, so one set of
weights serves every codebook, a new consultation's included:

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

A candidate whose stacked probability reaches the stacker's ``cut`` is coded; a
dictionary code whose candidate falls below it is dropped (vetoed). Kept dictionary
codes keep their pattern evidence; a code only the classifiers found cites the
sentence the sentence classifier scores highest.

The weights (``helpers/data/theme_stacker.json``) were fitted offline by
``benchmarks/theme_stacker.py --fit`` on out-of-fold scores: every spent development
set scored by classifiers trained on the *other* sets of its consultation (so no
answer's score comes from a classifier that saw it), both consultations pooled;
the cut is the one with the best micro-F1 on those rows (one fold per set; session 19:
batches 1-21 and the Ofsted survey, each row's neighbour vote from the other sets of its
consultation, ``benchmarks.theme_stacker.attach_votes``). docs/models.md ("Session 14"
to "Session 19") has the leave-one-batch-out figures.

Since session 22 the packaged file holds boosted trees on the same features instead of
the logistic weights (``coding.stack_trees``, written by ``benchmarks/theme_gbm.py
--fit`` on batches 1-24 and the survey): leave-one-batch-out over batches 2-24 they beat
the logistic stacker on 12 of 23 transport and 16 of 23 Ofsted sets (docs/models.md,
"Session 22"). ``load_stacker`` reads either kind; ``decide`` needs only
``probabilities`` and ``cut``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.coding import stack_trees
from helpers.core.sentences import overlapping

log = logging.getLogger(__name__)

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
# the packaged generic weights (package data, beside the other models' files)
WEIGHTS = Path(__file__).resolve().parent.parent / "data" / "theme_stacker.json"


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


@dataclass(frozen=True)
class Stacker:
    """A fitted stacker: standardisation, logistic weights and the cut, as plain numbers."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    cut: float
    note: str = ""

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """The stacked probability of each row of ``x`` (columns in ``FEATURES`` order)."""
        x = np.asarray(x, dtype=np.float64).reshape(-1, len(self.features))
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> str:
        return json.dumps(
            {
                "features": list(self.features),
                "mean": [round(float(v), 6) for v in self.mean],
                "scale": [round(float(v), 6) for v in self.scale],
                "coef": [round(float(v), 6) for v in self.coef],
                "intercept": round(float(self.intercept), 6),
                "cut": self.cut,
                "note": self.note,
            },
            indent=1,
        )


# what ``decide`` needs of a stacker: ``probabilities(x)`` and ``cut``
AnyStacker = Stacker | stack_trees.TreeStacker


def load_stacker(path: str | Path = WEIGHTS) -> AnyStacker:
    """The stacker saved at ``path`` (default: the packaged generic weights): logistic
    weights, or boosted trees when the file says ``"kind": "trees"`` (``stack_trees``).

    Raises ``ValueError`` when its features are not this module's ``FEATURES`` (weights
    fitted for other features would silently mis-score).
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path}: stacker features {data['features']} are not {list(FEATURES)}")
    if data.get("kind") == stack_trees.KIND:
        return stack_trees.from_dict(data)
    return Stacker(
        features=FEATURES,
        mean=np.asarray(data["mean"], dtype=np.float64),
        scale=np.asarray(data["scale"], dtype=np.float64),
        coef=np.asarray(data["coef"], dtype=np.float64),
        intercept=float(data["intercept"]),
        cut=float(data["cut"]),
        note=str(data.get("note", "")),
    )


CUTS = tuple(round(0.05 * k, 2) for k in range(2, 17))  # 0.10 ... 0.80


def fit_stacker(
    x: np.ndarray, y: np.ndarray, outside: tuple[int, int, int] = (0, 0, 0), note: str = ""
) -> Stacker:
    """A stacker fitted on candidate rows ``x`` (``FEATURES`` columns) with gold ``y``.

    The cut is the one of ``CUTS`` with the best micro-F1 over these rows, counting
    ``outside`` = (tp, fp, fn) of the decisions the stacker does not make (gold codes
    that were no candidate, themes not learned). Unregularised weights would chase a
    few rows; ``C = 1`` on standardised features (sklearn's default) is kept.
    """
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=int)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=1.0, max_iter=2000).fit((x - mean) / scale, y)
    p = model.predict_proba((x - mean) / scale)[:, 1]
    cut = stack_trees.best_cut(p, y, outside, CUTS)  # the same rule as the trees'
    return Stacker(FEATURES, mean, scale, model.coef_[0], float(model.intercept_[0]), cut, note)


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


def decide(
    stacker: AnyStacker,
    theme_ids: Sequence[str],
    prior: Sequence[float],
    allowed: np.ndarray,
    p_answer: np.ndarray,
    p_sentence: np.ndarray,
    sentence_themes: Sequence[Sequence[set[str]]],
    sentence_commas: Sequence[Sequence[int]],
    votes: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``(decided, probability)``, both ``(answers, themes)``: which pairs the stacker
    decides and their stacked probability (0 where it does not decide).

    ``allowed``: the theme was learned for the answer's question and applies to it;
    ``p_answer`` / ``p_sentence``: the answer classifier's and the best sentence's
    probabilities; the dictionary's codes are read from ``sentence_themes``; ``votes``:
    the neighbours' votes (``neighbour_votes``; 0 for every pair when not given).
    """
    decided = np.zeros(allowed.shape, dtype=bool)
    ranks = outranked(p_answer, p_sentence, allowed)
    dictionary = _dictionary_matrix(theme_ids, sentence_themes, allowed.shape)
    # the candidates, in (answer, theme) order
    where = np.argwhere(allowed & is_candidate(dictionary, p_answer, p_sentence))
    prob = np.zeros(allowed.shape)
    if len(where):
        rows = candidate_rows(
            where, theme_ids, prior, dictionary, p_answer, p_sentence, sentence_themes,
            sentence_commas, ranks, votes,
        )  # fmt: skip
        decided[where[:, 0], where[:, 1]] = True
        prob[where[:, 0], where[:, 1]] = stacker.probabilities(rows)
    return decided, prob


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
) -> np.ndarray:
    """``candidate_features`` of every ``(answer, theme)`` pair of ``where``, one row each,
    as one float64 array: the same numbers (``tests/test_scale_session22.py``).

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
    return out


VETOED = ("respondent_id", "question_id", "theme_id")


def no_vetoes() -> pd.DataFrame:
    """An empty table of vetoed (answer, theme) pairs."""
    return pd.DataFrame({c: pd.Series(dtype=str) for c in VETOED})


@lru_cache(maxsize=1)
def packaged() -> AnyStacker:
    """The packaged generic stacker (``WEIGHTS``), read once per process."""
    return load_stacker(WEIGHTS)


def stacked(
    theme_ids: Sequence[str],
    prior: np.ndarray,
    allowed: np.ndarray,
    p_answer: np.ndarray,
    best_sentence: np.ndarray,
    spans: Sequence[Sequence[tuple[int, int]]],
    hits: Sequence[Sequence[tuple[str, int, int]]],
    texts: Sequence[str],
    rids: np.ndarray,
    qids: np.ndarray,
    stacker: AnyStacker | None = None,
    votes: np.ndarray | None = None,
) -> tuple[np.ndarray, pd.DataFrame, np.ndarray]:
    """The trained coder's decisions with the stacker (default: ``packaged()``).

    Returns the ``(answer, theme)`` index pairs to code that the dictionary did not
    code, the vetoed dictionary pairs (``VETOED`` columns, from ``rids``/``qids``) and
    the ``(answers, themes)`` stacked probabilities. Arguments as ``decide`` and
    ``sentence_table`` take them.
    """
    stacker = stacker or packaged()
    themes, commas = sentence_table(spans, hits, texts)
    decided, prob = decide(
        stacker, theme_ids, prior, allowed, p_answer, best_sentence, themes, commas, votes
    )
    col = {t: k for k, t in enumerate(theme_ids)}
    dictionary = np.zeros(allowed.shape, dtype=bool)
    for i, per_sentence in enumerate(themes):
        for t in set().union(*per_sentence):
            if t in col:
                dictionary[i, col[t]] = True
    accept = decided & (prob >= stacker.cut)
    veto = np.argwhere(decided & dictionary & ~accept)
    vetoed = pd.DataFrame(
        {
            "respondent_id": pd.Series(rids[veto[:, 0]], dtype=str),
            "question_id": pd.Series(qids[veto[:, 0]], dtype=str),
            "theme_id": pd.Series([theme_ids[k] for k in veto[:, 1]], dtype=str),
        }
    )
    if len(vetoed):
        log.info("stacker: %d dictionary codes dropped", len(vetoed))
    return np.argwhere(accept & ~dictionary), vetoed, prob


def drop_vetoed(codes: pd.DataFrame, vetoed: pd.DataFrame) -> pd.DataFrame:
    """``codes`` without the counted dictionary rows of the ``vetoed`` (answer, theme) pairs.

    Only dictionary rows go: a researcher's manual codes and other methods' codes stay,
    and negated rows (not counted anyway) are kept for the audit.
    """
    if not len(vetoed) or not len(codes):
        return codes
    drop = set(vetoed[list(VETOED)].astype(str).itertuples(index=False, name=None))
    keys = zip(
        codes["respondent_id"].astype(str), codes["question_id"].astype(str),
        codes["theme_id"].astype(str), strict=True,
    )  # fmt: skip
    hit = np.array([k in drop for k in keys], dtype=bool)
    hit &= codes["method"].fillna("dictionary").eq("dictionary").to_numpy()
    hit &= ~codes["negated"].fillna(False).astype(bool).to_numpy()
    return codes[~hit].reset_index(drop=True)
