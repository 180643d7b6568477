"""Scoring one block of answers with a fitted set of theme classifiers (``coding.trained``).

Split from ``trained`` (which fits, caches and orchestrates) so each module stays one
concern: the fitted arrays (``Fitted``), what the coder decided (``Decisions``), answer
and sentence vectors, and the per-block scoring that keeps the trained step's memory
bounded by ``BLOCK_ANSWERS`` whatever the number of respondents (issue 15).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from helpers.coding import embvote, rowscore, rowstack, stack, tfidf_counts
from helpers.coding.codebook import Codebook
from helpers.coding.runner import RespondentTexts
from helpers.coding.trained_fit import (
    BLEND,
    SentenceFit,
    feature_blocks,
    hit_matrices,
    preprocess,
)
from helpers.core import schemas
from helpers.core.sentences import sentence_spans

Encoder = Callable[[Sequence[str]], np.ndarray]


def vectors(texts: Sequence[str], encode: Encoder) -> tuple[np.ndarray, list, np.ndarray]:
    """Answer vectors (normalised mean of their sentences'), sentence spans, sentence vectors."""
    spans = [sentence_spans(t, 0, len(t)) or [(0, len(t))] for t in texts]
    flat = [t[s:e] for t, sp in zip(texts, spans, strict=True) for s, e in sp]
    vec = np.asarray(encode(flat), dtype=np.float64) if flat else np.zeros((0, 1))
    out = np.zeros((len(texts), vec.shape[1]))
    owner = np.repeat(np.arange(len(texts)), [len(sp) for sp in spans])
    if len(owner):
        np.add.at(out, owner, vec)
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    return out, spans, vec


@dataclass
class Fitted:
    """The classifiers fitted on one training file: everything scoring needs, as arrays.

    ``vocabulary`` and ``idf`` rebuild the TF-IDF vectoriser; row ``k`` of ``coef`` and
    ``intercept[k]`` are theme ``theme_ids[k]``'s logistic regression (embedding
    columns first, then TF-IDF), learned for the questions ``seen[k]``. Kept as plain
    arrays so a fitted set can be cached on disk without pickling objects.
    """

    vocabulary: list[str]
    idf: np.ndarray
    theme_ids: list[str]
    seen: list[frozenset[str]]
    coef: np.ndarray
    intercept: np.ndarray
    # the sentence classifiers of a codebook with ``training_sentences`` (trained_fit)
    sentences: SentenceFit | None = None
    # with ``training_stacker``: each learned theme's dictionary precision on the
    # training answers (``stack.dictionary_prior``), a stacker feature
    prior: np.ndarray | None = None
    # with ``training_stacker``: the training answers' TF-IDF rows (L2-normalised) and
    # which learned themes each has, for the stacker's neighbour vote
    neighbours: sparse.csr_matrix | None = None
    labels: np.ndarray | None = None
    # with ``training_stacker`` and a stacker reading them: the training answers' and
    # sentences' vectors for the embedding votes (``coding.embvote``, session 26)
    votes: embvote.VoteIndex | None = None
    # with ``training_stacker``: per theme, the questions whose training answers its
    # patterns fire in though none is coded with it (``coding.silent``, session 28)
    silent: dict[str, frozenset[str]] | None = None

    # the vectoriser, built on first use (``vectorizer``)
    _vec: object = field(default=None, init=False, repr=False, compare=False)

    def vectorizer(self):
        """The TF-IDF vectoriser fitted on the training texts (rebuilt from the arrays once,
        then the same one, so ``tfidf_counts`` keeps its vocabulary's terms)."""
        if self._vec is None:
            from sklearn.feature_extraction.text import TfidfVectorizer

            # the same strings as TFIDF's own preprocessing, sooner (trained_fit.preprocess)
            vec = TfidfVectorizer(vocabulary=self.vocabulary, preprocessor=preprocess, **TFIDF)
            vec.idf_ = self.idf
            self._vec = vec
        return self._vec

    def probabilities(self, x: sparse.csr_matrix) -> np.ndarray:
        """``(rows, themes)`` probabilities, as each theme's ``predict_proba`` gives them."""
        from scipy.special import expit

        return expit(np.asarray(x @ self.coef.T) + self.intercept)

    def probabilities_of(self, blocks: Sequence[rowscore.Block]) -> np.ndarray:
        """``probabilities`` of ``rowstack.hstack(blocks)``, the same numbers, without
        building that matrix (``rowscore.products``; session 25)."""
        from scipy.special import expit

        return expit(rowscore.products(blocks, self.coef) + self.intercept)


TFIDF = {"sublinear_tf": True, "ngram_range": (1, 2), "strip_accents": "unicode"}


@dataclass
class Decisions:
    """What the trained coder decided: codes to add, and dictionary codes to drop.

    ``vetoed`` (columns ``stack.VETOED``) is empty unless the codebook sets
    ``training_stacker``: then it holds the (answer, theme) pairs whose dictionary
    codes the stacker rejected (``drop_vetoed`` removes them). ``alone`` (the same
    columns) is for evaluation only: the pairs the classifiers by themselves raise at
    the codebook's threshold, whether or not the dictionary has them and whatever the
    stacker decides (without the stacker: the pairs of ``codes``). It measures the
    classifiers' own recall, which ``codes`` cannot show once the stacker adds only
    what the dictionary lacks. Built only when the caller asks (``decide_trained``'s
    ``alone``: ``make evaluate``'s "classifiers" line); empty on the pipeline's path.
    """

    codes: pd.DataFrame
    vetoed: pd.DataFrame
    alone: pd.DataFrame = field(default_factory=stack.no_vetoes)

    @classmethod
    def none(cls) -> Decisions:
        return cls(schemas.empty(schemas.CODES), stack.no_vetoes(), stack.no_vetoes())


# Codable answers scored at a time: their texts, sentence vectors (float64, 256 a sentence)
# and feature matrices are a block's, never the corpus's (issue 15). Measured (session 14,
# benchmarks/README.md): scored all at once, the step took a generated survey of 10,000
# respondents from 0.9 to 7.5 GB resident (every sentence's vector, as a dense array and
# again as a sparse matrix). Every number is per answer or per sentence (WordLlama's vectors
# do not depend on the batch: ``wordvectors.encode``), so the codes are the same.
BLOCK_ANSWERS = 5_000


def _coded_sentence_probabilities(
    fitted: Fitted,
    tfidf,
    sent_vec: np.ndarray,
    sent_texts: list[str],
    first: np.ndarray,
    chosen: np.ndarray,
) -> np.ndarray:
    """The answer classifiers' ``(sentences, themes)`` probabilities, for the sentences of
    the answers in ``chosen`` only (zero elsewhere: never read).

    Rationale: only a coded answer's evidence sentence is chosen by them, and most
    answers get no trained code; each row's probability is its own sparse row times the
    coefficients, so scoring fewer rows gives the same numbers for those rows (TF-IDF of
    every sentence was most of the step's time and memory).
    """
    need = np.unique(chosen[:, 0])
    rows = np.concatenate([np.arange(first[i], first[i + 1]) for i in need])
    x = rowstack.hstack(
        [sent_vec[rows], tfidf_counts.transform(tfidf, [sent_texts[j] for j in rows])]
    )
    out = np.zeros((len(sent_texts), len(fitted.theme_ids)))
    out[rows] = fitted.probabilities(x)
    return out


def score_block(
    fitted: Fitted,
    codebook: Codebook,
    tfidf,
    encode: Encoder,
    threshold: float,
    by_id: RespondentTexts,
    rids: np.ndarray,
    qids: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    hits: list | None,
    alone: bool = False,
) -> tuple[pd.DataFrame | None, pd.DataFrame, pd.DataFrame]:
    """The trained codes of one block of answers, in (answer, theme) order (None: none),
    the dictionary codes the stacker vetoes in it, and, when ``alone``, the pairs the
    classifiers alone raise (``Decisions.alone``; else an empty table)."""
    texts = by_id.of(rids.tolist())
    answer_texts = [texts[r][s:e] for r, s, e in zip(rids, starts, ends, strict=True)]
    answer_vec, spans, sent_vec = vectors(answer_texts, encode)
    words = tfidf_counts.transform(tfidf, answer_texts)
    probs = fitted.probabilities_of([answer_vec, words])
    sent_texts = [t[s:e] for t, sp in zip(answer_texts, spans, strict=True) for s, e in sp]
    first = np.concatenate([[0], np.cumsum([len(sp) for sp in spans])]).astype(int)
    sent_probs = None
    stacked = codebook.training_stacker and fitted.sentences is not None
    if fitted.sentences is not None:
        here, elsewhere = hit_matrices(spans, hits, fitted.theme_ids)
        owner = np.repeat(np.arange(len(spans)), np.diff(first))  # each sentence's answer
        sent_words = tfidf_counts.transform(fitted.sentences.vectorizer(), sent_texts)
        blocks = feature_blocks(sent_vec, sent_words, owner)
        sent_probs = fitted.sentences.probabilities_of(blocks, here, elsewhere)
        best_sentence = np.maximum.reduceat(sent_probs, first[:-1], axis=0)
        if not stacked:
            probs = BLEND * best_sentence + (1.0 - BLEND) * probs
    # a theme is scored for the questions it was seen on in training and applies to
    allowed = np.zeros(probs.shape, dtype=bool)
    for k, theme_id in enumerate(fitted.theme_ids):
        theme = codebook.theme(theme_id)
        ok = {q for q in set(qids) if q in fitted.seen[k] and theme.applies_to(q)}
        allowed[:, k] = np.isin(qids, list(ok))
    probs[~allowed] = 0.0
    vetoed = own_pairs = stack.no_vetoes()
    if alone:  # for evaluation only (``Decisions.alone``)
        own = probs
        if stacked:  # the classifiers alone: the blend the unstacked coder would threshold
            own = np.where(allowed, BLEND * best_sentence + (1.0 - BLEND) * probs, 0.0)
        own_pairs = _pairs(np.argwhere(own >= threshold), rids, qids, fitted.theme_ids)
    if stacked:
        chosen, vetoed, probs = stack.stacked(
            fitted.theme_ids, fitted.prior, allowed, probs, best_sentence, spans, hits,
            answer_texts, rids, qids, votes=_votes(fitted, words),
            extra=None if fitted.votes is None
            else embvote.columns(fitted.votes, answer_vec, sent_vec, first),
        )  # fmt: skip
    else:
        chosen = np.argwhere(probs >= threshold)
    if not len(chosen):
        return None, vetoed, own_pairs
    # the evidence: the answer's sentence the sentence classifier (or else the answer
    # classifier) scores highest
    if sent_probs is None:
        sent_probs = _coded_sentence_probabilities(
            fitted, tfidf, sent_vec, sent_texts, first, chosen
        )
    rows = []
    for i, k in chosen:
        best = int(np.argmax(sent_probs[first[i] : first[i + 1], k]))
        rid, start = rids[i], int(starts[i])
        s, e = spans[i][best]
        rows.append({
            "respondent_id": rid, "question_id": qids[i], "theme_id": fitted.theme_ids[k],
            "start": start + s, "end": start + e, "quote": texts[rid][start + s : start + e],
            "negated": False, "method": "learned", "score": float(probs[i, k]), "source": "auto",
        })  # fmt: skip
    return pd.DataFrame(rows), vetoed, own_pairs


# answers whose similarities to the training answers are held at once (dense, float64):
# 500 x 20,000 training answers is 80 MB
VOTE_CHUNK = 500


def _votes(fitted: Fitted, words) -> np.ndarray | None:
    """``(answers, themes)`` neighbour votes (``stack.neighbour_votes``) of a block's
    answers from their TF-IDF rows ``words`` (None without the training rows)."""
    if fitted.neighbours is None or fitted.labels is None:
        return None
    words = sparse.csr_matrix(words)
    out = np.zeros((words.shape[0], len(fitted.theme_ids)))
    for at in range(0, words.shape[0], VOTE_CHUNK):
        sim = (words[at : at + VOTE_CHUNK] @ fitted.neighbours.T).toarray()
        out[at : at + VOTE_CHUNK] = stack.neighbour_votes(sim, fitted.labels)
    return out


def _pairs(index: np.ndarray, rids: np.ndarray, qids: np.ndarray, theme_ids) -> pd.DataFrame:
    """(answer, theme) index pairs as a table of ``stack.VETOED`` columns."""
    index = index.reshape(-1, 2)
    return pd.DataFrame({
        "respondent_id": pd.Series(rids[index[:, 0]], dtype=str),
        "question_id": pd.Series(qids[index[:, 0]], dtype=str),
        "theme_id": pd.Series([theme_ids[k] for k in index[:, 1]], dtype=str),
    })  # fmt: skip
