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
Its features (``FEATURES``, built in ``coding.stack_features``) never name a theme or
a consultation, so one set of weights serves every codebook, a new consultation's
included.

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

from helpers.coding import embvote, stack_trees
from helpers.coding.stack_features import (  # noqa: F401 (re-exported)
    CANDIDATE,
    EPS,
    FEATURES,
    MAX_COMMAS,
    MAX_OTHERS,
    MAX_OUTRANKED,
    NEIGHBOUR_ALPHA,
    NEIGHBOURS,
    PRIOR_ALPHA,
    _dictionary_matrix,
    _logit,
    _logits,
    candidate_features,
    candidate_rows,
    dictionary_prior,
    is_candidate,
    neighbour_votes,
    outranked,
    sentence_table,
)

log = logging.getLogger(__name__)

# the embedding votes a tree stacker may read after ``FEATURES`` (``coding.embvote``)
VOTES = embvote.FEATURES

# the packaged generic weights (package data, beside the other models' files)
WEIGHTS = Path(__file__).resolve().parent.parent / "data" / "theme_stacker.json"


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
    if data.get("kind") == stack_trees.KIND and tuple(data["features"]) == FEATURES + VOTES:
        return stack_trees.from_dict(data)  # the embedding votes too (session 26)
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
    extra: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``(decided, probability)``, both ``(answers, themes)``: which pairs the stacker
    decides and their stacked probability (0 where it does not decide).
    ``extra``: ``(answers, themes, 2)`` embedding votes for a stacker whose features end
    with ``embvote.FEATURES`` (``embvote.columns``; None otherwise).

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
            sentence_commas, ranks, votes, extra,
        )  # fmt: skip
        decided[where[:, 0], where[:, 1]] = True
        prob[where[:, 0], where[:, 1]] = stacker.probabilities(rows)
    return decided, prob


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
    extra: np.ndarray | None = None,
) -> tuple[np.ndarray, pd.DataFrame, np.ndarray]:
    """The trained coder's decisions with the stacker (default: ``packaged()``).

    Returns the ``(answer, theme)`` index pairs to code that the dictionary did not
    code, the vetoed dictionary pairs (``VETOED`` columns, from ``rids``/``qids``) and
    the ``(answers, themes)`` stacked probabilities. Arguments as ``decide`` and
    ``sentence_table`` take them.
    """
    stacker = stacker or packaged()
    if embvote.wanted(stacker.features) and extra is None:
        raise ValueError("the stacker reads the embedding votes: pass them (embvote.columns)")
    themes, commas = sentence_table(spans, hits, texts)
    decided, prob = decide(
        stacker, theme_ids, prior, allowed, p_answer, best_sentence, themes, commas, votes,
        extra if embvote.wanted(stacker.features) else None,
    )  # fmt: skip
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
