"""Learned coding: a per-theme classifier trained on the researcher's own decisions.

NVivo's "autocode using existing coding patterns", offline and deterministic.
The labels are the hand-coded sample and the manual overrides (``labels``); a
theme is learned only when ``Codebook.methods_for`` includes ``learned`` and it
has at least ``MIN_POSITIVES`` answers coded with it and ``MIN_NEGATIVES``
answers read and not coded with it (five each: fewer cannot be cross-validated
in five folds and the classifier would learn the few respondents, not the theme).

Features (``LearnedFeatures``), the same for an answer and for one of its sentences:

- the sentence embedding (``encode``: unit vectors; an answer is the normalised
  mean of its sentences' vectors), so a theme expressed in words no pattern
  lists is still near its labelled examples;
- TF-IDF of words and word pairs (scikit-learn, fitted on all the answers
  coded, sublinear term frequency, l2-normalised), so distinctive wording counts.

A ``LogisticRegression`` per theme (``class_weight="balanced"``: a theme is
usually rare; fixed ``random_state``) is fitted on the labelled answers and
scores every other answer the theme applies to. An answer whose probability is
at least ``THRESHOLD`` is coded with ``method = "learned"``, ``score`` = the
probability, and as evidence the answer's sentence the same classifier scores
highest (offsets into ``respondents.text``; ``pattern`` and the match columns
are empty). Hand-coded answers and answer × theme pairs with an override are
never proposed: a person has decided them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from helpers.coding.codebook import Codebook
from helpers.coding.labels import read_hand_labels, training_labels
from helpers.coding.runner import _codable
from helpers.core import schemas
from helpers.core.consultation import Consultation
from helpers.core.sentences import sentence_spans

log = logging.getLogger(__name__)

MIN_POSITIVES = 5
MIN_NEGATIVES = 5
THRESHOLD = 0.5
SEED = 0
C = 1.0  # inverse regularisation of the logistic regression (scikit-learn's default)
SKIPPED_COLUMNS = ["theme_id", "n_positive", "n_negative", "reason"]

Encoder = Callable[[Sequence[str]], np.ndarray]


@dataclass
class LearnedFeatures:
    """Feature rows for a set of answers and their sentences."""

    keys: list[tuple[str, str]]  # (respondent_id, question_id) per answer row
    answers: sparse.csr_matrix
    sentences: sparse.csr_matrix
    sentence_spans: list[tuple[int, int, int]]  # (answer row, start, end) per sentence row
    first_sentence: np.ndarray  # answer row -> its first sentence row (len = n answers + 1)

    def row(self, key: tuple[str, str]) -> int | None:
        return self._index.get(key)

    def __post_init__(self) -> None:
        self._index = {k: i for i, k in enumerate(self.keys)}


def build_features(
    answers: pd.DataFrame, respondents: pd.DataFrame, encode: Encoder | None = None
) -> LearnedFeatures:
    """Embeddings and TF-IDF for every answer in ``answers`` and each of its sentences."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    if encode is None:
        from helpers.core.embedding import encode
    texts = dict(zip(respondents["respondent_id"].astype(str), respondents["text"], strict=True))
    keys, answer_texts, spans, first = [], [], [], [0]
    for a in answers.itertuples(index=False):
        rid, text, lo, hi = str(a.respondent_id), None, int(a.start), int(a.end)
        text = texts[rid]
        found = sentence_spans(text, lo, hi) or [(lo, hi)]
        keys.append((rid, str(a.question_id)))
        answer_texts.append(text[lo:hi])
        spans.extend((len(keys) - 1, s, e) for s, e in found)
        first.append(len(spans))
    sentence_texts = [texts[keys[i][0]][s:e] for i, s, e in spans]
    vectors = np.asarray(encode(sentence_texts), dtype=np.float64)
    if len(vectors) != len(sentence_texts):
        raise ValueError("encode returned a different number of vectors than texts")
    first_arr = np.asarray(first)
    sums = np.add.reduceat(vectors, first_arr[:-1], axis=0) if len(keys) else vectors[:0]
    answer_vectors = normalize(sums)
    tfidf = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), strip_accents="unicode")
    try:
        answer_tfidf = tfidf.fit_transform(answer_texts)
        sentence_tfidf = tfidf.transform(sentence_texts)
    except ValueError:  # no words at all (empty vocabulary)
        answer_tfidf = sparse.csr_matrix((len(answer_texts), 0))
        sentence_tfidf = sparse.csr_matrix((len(sentence_texts), 0))
    return LearnedFeatures(
        keys=keys,
        answers=sparse.hstack([sparse.csr_matrix(answer_vectors), answer_tfidf]).tocsr(),
        sentences=sparse.hstack([sparse.csr_matrix(vectors), sentence_tfidf]).tocsr(),
        sentence_spans=spans,
        first_sentence=first_arr,
    )


def _classifier():
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", max_iter=2000, random_state=SEED)


def _themes_to_learn(labels: pd.DataFrame, codebook: Codebook) -> tuple[list[str], pd.DataFrame]:
    """Themes with enough labels and ``learned`` on; the others with the reason."""
    counts = labels.groupby("theme_id")["label"].agg(["sum", "count"])
    learn, skipped = [], []
    for theme in codebook.themes:
        pos = int(counts["sum"].get(theme.id, 0))
        neg = int(counts["count"].get(theme.id, 0)) - pos
        if "learned" not in codebook.methods_for(theme.id):
            skipped.append((theme.id, pos, neg, "method 'learned' is off for this theme"))
        elif pos < MIN_POSITIVES or neg < MIN_NEGATIVES:
            skipped.append(
                (theme.id, pos, neg, f"too few labels: {pos} coded and {neg} not coded "
                 f"(needs {MIN_POSITIVES} and {MIN_NEGATIVES})")
            )  # fmt: skip
        else:
            learn.append(theme.id)
    return learn, pd.DataFrame(skipped, columns=SKIPPED_COLUMNS)


def _feature_answers(
    answers: pd.DataFrame, codebook: Codebook, consultation: Consultation | None,
    labels: pd.DataFrame, themes: list[str],
) -> pd.DataFrame:  # fmt: skip
    """Codable answers to questions some learned theme applies to, plus the labelled answers."""
    codable = _codable(answers, codebook, consultation)
    q = codable["question_id"].astype(str)
    wanted = q.map(lambda qid: any(codebook.theme(t).applies_to(qid) for t in themes))
    labelled = set(zip(labels["respondent_id"], labels["question_id"], strict=True))
    ids = zip(answers["respondent_id"].astype(str), answers["question_id"].astype(str), strict=True)
    is_labelled = np.fromiter((k in labelled for k in ids), dtype=bool, count=len(answers))
    keep = answers.index.isin(codable.index[wanted.astype(bool).to_numpy()]) | is_labelled
    return answers.loc[keep]


def _training(features: LearnedFeatures, labels: pd.DataFrame, theme_id: str):
    part = labels[labels["theme_id"] == theme_id]
    rows, ys = [], []
    for r, q, y in part[["respondent_id", "question_id", "label"]].itertuples(index=False):
        i = features.row((r, q))
        if i is not None:
            rows.append(i)
            ys.append(int(y))
    return np.asarray(rows, dtype=int), np.asarray(ys, dtype=int)


def code_learned(
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    codebook: Codebook,
    consultation: Consultation | None,
    hand_coded: pd.DataFrame | None,
    overrides: str | Path | pd.DataFrame | None = None,
    encode: Encoder | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Codes proposed by per-theme classifiers for the answers no person has decided.

    Returns ``(codes, skipped)``: a CODES frame (``method = "learned"``, ``score`` the
    probability, evidence the highest-scoring sentence) and the themes not learned
    with ``n_positive``, ``n_negative`` and the reason. ``encode`` embeds sentences
    (default ``helpers.core.embedding.encode``).
    """
    labels = training_labels(answers, codebook, hand_coded, overrides)
    themes, skipped = _themes_to_learn(labels, codebook)
    if not themes:
        log.info(
            "learned coding: no theme has %d coded and %d uncoded labelled answers: nothing learned",
            MIN_POSITIVES, MIN_NEGATIVES,
        )  # fmt: skip
        return schemas.empty(schemas.CODES), skipped
    pool = _feature_answers(answers, codebook, consultation, labels, themes)
    features = build_features(pool, respondents, encode)
    texts = dict(zip(respondents["respondent_id"].astype(str), respondents["text"], strict=True))
    decided_units = set(zip(
        labels.loc[labels["source"] == "hand_coded", "respondent_id"],
        labels.loc[labels["source"] == "hand_coded", "question_id"], strict=True,
    ))  # fmt: skip
    decided = set(
        zip(labels["respondent_id"], labels["question_id"], labels["theme_id"], strict=True)
    )
    codable = {
        (str(r), str(q))
        for r, q in _codable(pool, codebook, consultation)[
            ["respondent_id", "question_id"]
        ].itertuples(index=False)
    }
    order = {t: i for i, t in enumerate(codebook.theme_ids)}
    rows = []
    for theme_id in themes:
        theme = codebook.theme(theme_id)
        x_rows, y = _training(features, labels, theme_id)
        model = _classifier().fit(features.answers[x_rows], y)
        candidates = [
            i for i, (r, q) in enumerate(features.keys)
            if (r, q) in codable and theme.applies_to(q)
            and (r, q) not in decided_units and (r, q, theme_id) not in decided
        ]  # fmt: skip
        if not candidates:
            continue
        probs = model.predict_proba(features.answers[candidates])[:, 1]
        for i, p in zip(candidates, probs, strict=True):
            if p < THRESHOLD:
                continue
            lo, hi = features.first_sentence[i], features.first_sentence[i + 1]
            best = lo + int(np.argmax(model.predict_proba(features.sentences[lo:hi])[:, 1]))
            _, s, e = features.sentence_spans[best]
            rid, qid = features.keys[i]
            rows.append({
                "respondent_id": rid, "question_id": qid, "theme_id": theme_id,
                "start": s, "end": e, "quote": texts[rid][s:e], "negated": False,
                "method": "learned", "score": float(p), "source": "auto",
            })  # fmt: skip
    log.info("learned coding: %d themes learned, %d codes proposed", len(themes), len(rows))
    if not rows:
        return schemas.empty(schemas.CODES), skipped
    out = pd.DataFrame(rows)
    out["_t"] = out["theme_id"].map(order)
    out = out.sort_values(["respondent_id", "start", "_t"], kind="stable").drop(columns="_t")
    return schemas.conform(out.reset_index(drop=True), schemas.CODES), skipped


def add_learned_codes(
    codes: pd.DataFrame,
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    codebook: Codebook,
    consultation: Consultation | None,
    hand_coded: str | Path | pd.DataFrame | None,
    overrides: str | Path | pd.DataFrame | None = None,
    encode: Encoder | None = None,
) -> pd.DataFrame:
    """``codes`` plus the learned codes of answer × themes no counted code has yet.

    The coding stage's one call: ``hand_coded`` is a hand-coding table
    (``validate.load_hand_coding``) or a path to its CSV (run.yaml's
    ``hand_coded``); without one, one info line and ``codes`` unchanged.
    """
    if hand_coded is None:
        log.info("learned coding: no hand-coded sample (run.yaml hand_coded): skipped")
        return codes
    if not isinstance(hand_coded, pd.DataFrame):
        hand_coded = read_hand_labels(hand_coded)
        if hand_coded is None:
            return codes
    learned, skipped = code_learned(
        answers, respondents, codebook, consultation, hand_coded, overrides, encode
    )
    for t, _, _, reason in skipped.itertuples(index=False):
        log.debug("learned coding: theme %s not learned: %s", t, reason)
    if not len(learned):
        return codes
    new = schemas.not_yet_coded(codes, learned)
    log.info(
        "learned coding: %d codes added (%d already coded otherwise)",
        len(new),
        len(learned) - len(new),
    )
    return schemas.conform(pd.concat([codes, new], ignore_index=True), schemas.CODES)
