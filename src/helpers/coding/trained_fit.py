"""Sentence-level classifiers for the trained coder (``coding.trained``), opt-in per codebook.

A codebook with ``training_sentences: true`` gets, beside each theme's answer-level
classifier, a classifier that scores **sentences**; an answer's probability is the
mean of the answer classifier's and its best sentence's, and that sentence is the
code's evidence.

The training file says which themes each *answer* has, not which sentence raises
them, so the labels are found as in multiple-instance learning:

- every sentence of an answer *without* the theme is a negative, so a dismissal or
  a list of examples the dictionary catches in an answer the coder did not code is
  learned as evidence against the theme;
- in a first fit every sentence of an answer *with* the theme is a positive
  weighted 1/n (the answer counts once); in the second fit only the sentence the
  first fit scores highest is the positive (the others are left out: they may or
  may not say it).

Features of a sentence: its embedding (``embedding.CODING_MODEL``) beside TF-IDF of
its words and word pairs (fitted on the training sentences, words seen in at least
``MIN_DF`` of them), its answer's embedding (context: a theme implied across
sentences), and two columns of the theme's dictionary hits: the theme's dictionary
code has its evidence in this sentence / elsewhere in the answer. The dictionary is
thus evidence the classifier weighs, not the decision. One balanced
``LogisticRegression`` per theme (fixed seed); weights are kept as plain arrays.

Why opt-in (``benchmarks/theme_sentence_loo.py`` + ``theme_stack.py``, every spent
set left out in turn, gold text; docs/models.md): on transport (15 sets, cut 0.6)
the blend lifts pooled micro-F1 0.781 -> 0.793 and is not worse on the newest,
untuned batch 15; on the Ofsted documents it does not gain and on the Ofsted survey
it loses (session 12), so each consultation's codebook says.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from helpers.coding import rowscore, rowstack
from helpers.coding.codebook import Codebook
from helpers.coding.rowstack import dense_csr as dense_csr  # moved there (session 21)
from helpers.core.sentences import overlapping, sentence_spans

MIN_DF = 2
ROUNDS = 2
BLEND = 0.5  # weight of the best sentence's probability; the answer classifier has the rest
TFIDF = {"sublinear_tf": True, "ngram_range": (1, 2), "strip_accents": "unicode", "min_df": MIN_DF}


class _Combining(dict):
    """``str.translate`` table deleting combining marks, filled as characters are met."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_COMBINING = _Combining()


def preprocess(doc: str) -> str:
    """What ``TfidfVectorizer(strip_accents="unicode")`` makes of ``doc`` (lower case, accents
    stripped), the same string in less time.

    Rationale (speed only): scikit-learn strips accents of a non-ASCII text with a Python
    loop over its characters (``strip_accents_unicode``); a third of a survey's answers
    hold a curly quote or a dash, and that loop was a tenth of the trained step's time
    (session 16). Here the NFKD form loses its combining marks through one
    ``str.translate`` with a cached table. Tested equal on every character and on
    answers (``tests/test_trained_preprocess.py``).
    """
    doc = doc.lower()
    if doc.isascii():
        return doc
    return unicodedata.normalize("NFKD", doc).translate(_COMBINING)


@dataclass
class SentenceFit:
    """The sentence classifiers fitted on one training file, as arrays.

    ``vocabulary`` and ``idf`` rebuild the sentence TF-IDF vectoriser; row ``k`` of
    ``coef`` (the columns of ``features``), ``dict_coef[k]`` (weights of a dictionary
    hit of the theme in the sentence / elsewhere in the answer) and ``intercept[k]``
    are the ``k``-th learned theme's logistic regression (the same themes, in the
    same order, as the answer classifiers').
    """

    vocabulary: list[str]
    idf: np.ndarray
    coef: np.ndarray
    dict_coef: np.ndarray
    intercept: np.ndarray

    # the vectoriser, built on first use (``vectorizer``)
    _vec: object = field(default=None, init=False, repr=False, compare=False)

    def vectorizer(self):
        """The TF-IDF vectoriser fitted on the training sentences (rebuilt from the arrays
        once, then the same one: every block of answers is transformed with it, and
        ``tfidf_counts`` keeps its vocabulary's terms per vectoriser)."""
        if self._vec is None:
            from sklearn.feature_extraction.text import TfidfVectorizer

            vec = TfidfVectorizer(
                vocabulary=self.vocabulary, preprocessor=preprocess, **{**TFIDF, "min_df": 1}
            )
            vec.idf_ = self.idf
            self._vec = vec
        return self._vec

    def probabilities(self, x: sparse.csr_matrix, here: np.ndarray, elsewhere: np.ndarray):
        """``(sentences, themes)`` probabilities, as each theme's ``predict_proba`` gives them.

        ``here`` / ``elsewhere``: ``(sentences, themes)`` 0/1 dictionary hits of each theme.
        """
        return self._squashed(np.asarray(x @ self.coef.T), here, elsewhere)

    def probabilities_of(self, blocks: Sequence[rowscore.Block], here, elsewhere) -> np.ndarray:
        """``probabilities`` of ``rowstack.hstack(blocks)`` (``feature_blocks``), the same
        numbers, without building that matrix (``rowscore.products``; session 25)."""
        return self._squashed(rowscore.products(blocks, self.coef), here, elsewhere)

    def _squashed(self, xw: np.ndarray, here: np.ndarray, elsewhere: np.ndarray) -> np.ndarray:
        from scipy.special import expit

        z = xw + self.intercept
        return expit(z + here * self.dict_coef[:, 0] + elsewhere * self.dict_coef[:, 1])


def split(texts: Sequence[str]) -> tuple[list[list[tuple[int, int]]], list[str], np.ndarray]:
    """Sentence spans of each text, the sentences, and each sentence's text index."""
    spans = [sentence_spans(t, 0, len(t)) or [(0, len(t))] for t in texts]
    flat = [t[s:e] for t, sp in zip(texts, spans, strict=True) for s, e in sp]
    owner = np.repeat(np.arange(len(texts)), [len(sp) for sp in spans]).astype(int)
    return spans, flat, owner


def answer_vectors(vec: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """Each answer's vector: the normalised mean of its sentences' vectors."""
    answers = np.zeros((n, vec.shape[1]))
    if len(owner):
        np.add.at(answers, owner, vec)
    return answers / np.maximum(np.linalg.norm(answers, axis=1, keepdims=True), 1e-12)


def features(vec: np.ndarray, words: sparse.spmatrix, owner: np.ndarray) -> sparse.csr_matrix:
    """A sentence's columns: its embedding, its TF-IDF, and its answer's embedding (context).

    The answer's embedding is the normalised mean of its sentences': a theme implied
    across sentences ("no-one to ring ... at three in the morning") is still seen,
    while the sentence's own columns say which sentence carries it.
    """
    blocks = feature_blocks(vec, words, owner)
    return rowstack.hstack([vec, words, blocks[2].dense()])


def feature_blocks(vec: np.ndarray, words: sparse.spmatrix, owner: np.ndarray) -> list:
    """``features``' three column groups, the answer's embedding as an index into the
    answers' vectors (``rowscore.Indexed``) rather than a copy per sentence: what scoring
    multiplies without building the matrix (``SentenceFit.probabilities_of``)."""
    answers = answer_vectors(vec, owner, int(owner.max()) + 1 if len(owner) else 0)
    return [vec, words, rowscore.Indexed(answers, owner)]


def hit_matrices(
    spans: list[list[tuple[int, int]]],
    hits: Sequence[Sequence[tuple[str, int, int]]],
    theme_ids: Sequence[str],
) -> tuple[np.ndarray, np.ndarray]:
    """``(sentences, themes)`` 0/1: a dictionary code of the theme in the sentence / elsewhere.

    ``hits[i]``: the dictionary codes of text ``i`` as ``(theme, start, end)``, offsets
    relative to the text like ``spans[i]``. The sentences a hit overlaps are found by
    bisection (``sentences.overlapping``; session 18: testing every hit against every
    sentence grew with the square of an answer's length, 15 ms an answer of 1,000 sentences).
    """
    col = {t: k for k, t in enumerate(theme_ids)}
    n = sum(len(sp) for sp in spans)
    here = np.zeros((n, len(theme_ids)))
    anywhere = np.zeros_like(here)
    row = 0
    for sp, hs in zip(spans, hits, strict=True):
        where = overlapping(sp, [(s, e) for _, s, e in hs])
        for h, (theme, s, e) in enumerate(hs):
            k = col.get(theme)
            if k is None:
                continue
            anywhere[row : row + len(sp), k] = 1.0
            if where is not None:
                if len(where[h]):
                    here[row + where[h].start : row + where[h].stop, k] = 1.0
                continue
            for j, (a, b) in enumerate(sp):  # spans out of order (not sentence_spans')
                if s < b and e > a:
                    here[row + j, k] = 1.0
        row += len(sp)
    return here, anywhere * (1.0 - here)


def dictionary_hits(codebook: Codebook, training: pd.DataFrame) -> list[list[tuple[str, int, int]]]:
    """The dictionary's (not negated) codes of each training answer, as ``hit_matrices`` reads."""
    from helpers.coding.coder import Coder

    coder = Coder(codebook)
    out = []
    for q, text in training[["question_id", "text"]].itertuples(index=False):
        rows = coder.code_text(text, str(q))
        out.append([(r["theme_id"], r["start"], r["end"]) for r in rows if not r["negated"]])
    return out


def _logistic(x, y, weight=None, seed: int = 0):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(class_weight="balanced", max_iter=3000, random_state=seed)
    return model.fit(x, y, sample_weight=weight)


def _fit_theme(x: sparse.csr_matrix, bag: np.ndarray, positive: np.ndarray, seed: int):
    """One theme's sentence classifier from bag labels (multiple-instance, ``ROUNDS`` fits).

    ``bag``: each sentence's answer; ``positive``: whether that answer has the theme.
    """
    sizes = np.bincount(bag)[bag].astype(float)
    model = _logistic(x, positive.astype(int), np.where(positive, 1.0 / sizes, 1.0), seed)
    for _ in range(ROUNDS - 1):
        score = model.decision_function(x)
        keep = ~positive
        pos = np.nonzero(positive)[0]
        if len(pos):
            order = pos[np.lexsort((-score[pos], bag[pos]))]  # by bag, best first
            firsts = order[np.r_[True, bag[order][1:] != bag[order][:-1]]]
            keep[firsts] = True
        model = _logistic(x[keep], positive[keep].astype(int), None, seed)
    return model


def fit_sentences(
    codebook: Codebook,
    training: pd.DataFrame,
    plan: Sequence[tuple],
    sentence_vec: np.ndarray,
    seed: int = 0,
    hits: list[list[tuple[str, int, int]]] | None = None,
) -> SentenceFit:
    """The sentence classifiers of ``plan``'s themes (``trained._trainable``'s rows).

    ``sentence_vec``: the embeddings of ``split(training texts)``'s sentences, in order;
    ``hits``: ``dictionary_hits(codebook, training)`` when already computed.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    spans, sentences, owner = split(training["text"].tolist())
    theme_ids = [theme.id for theme, *_ in plan]
    if hits is None:
        hits = dictionary_hits(codebook, training)
    here, elsewhere = hit_matrices(spans, hits, theme_ids)
    tfidf = TfidfVectorizer(**TFIDF)
    try:
        words = tfidf.fit_transform(sentences)
    except ValueError:  # too few sentences for MIN_DF: every word counts
        tfidf = TfidfVectorizer(**{**TFIDF, "min_df": 1})
        words = tfidf.fit_transform(sentences)
    x = features(sentence_vec, words, owner)
    coefs, dict_coefs, intercepts = [], [], []
    for k, (_, _, idx, y) in enumerate(plan):
        rows = np.nonzero(np.isin(owner, idx))[0]
        label = dict(zip(idx.tolist(), y.astype(bool).tolist(), strict=True))
        positive = np.array([label[i] for i in owner[rows]])
        xt = sparse.hstack([x[rows], sparse.csr_matrix(here[rows, k : k + 1]),
                            sparse.csr_matrix(elsewhere[rows, k : k + 1])]).tocsr()  # fmt: skip
        model = _fit_theme(xt, owner[rows], positive, seed)
        coefs.append(model.coef_[0][:-2])
        dict_coefs.append(model.coef_[0][-2:])
        intercepts.append(model.intercept_[0])
    return SentenceFit(
        vocabulary=tfidf.get_feature_names_out().tolist(),
        idf=np.asarray(tfidf.idf_, dtype=np.float64),
        coef=np.vstack(coefs),
        dict_coef=np.vstack(dict_coefs),
        intercept=np.array(intercepts),
    )


def answer_hits(
    dictionary: pd.DataFrame,
    rids: np.ndarray,
    qids: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
) -> list[list[tuple[str, int, int]]]:
    """Each answer's counted dictionary codes as ``(theme, start, end)`` relative to the answer."""
    from helpers.core import schemas

    live = schemas.counted_codes(dictionary)
    live = live[live["method"].fillna("dictionary") == "dictionary"]
    by_answer: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
    for r, q, t, s, e in live[
        ["respondent_id", "question_id", "theme_id", "start", "end"]
    ].itertuples(index=False):
        by_answer.setdefault((str(r), str(q)), []).append((str(t), int(s), int(e)))
    out = []
    for r, q, s0, e0 in zip(rids, qids, starts, ends, strict=True):
        out.append(
            [(t, s - s0, e - s0) for t, s, e in by_answer.get((r, q), ()) if s < e0 and e > s0]
        )
    return out
