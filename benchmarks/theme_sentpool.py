"""Sentence-neighbour votes for the out-of-fold theme rows, per fold (issue 14, session 21).

The stacker's ``neighbours`` feature asks whether whole *answers* worded like this one
were coded with a theme; a long answer's vector is the mean of many sentences, so a
point made in one sentence of a document is diluted. The sentence vote asks, for every
sentence of an answer, its ``k`` nearest sentences of the gold-coded training answers
(WordLlama vectors, cosine) whether they are **evidence** of the theme
(``evidence_labels``: a sentence of a coded answer the theme's patterns fire in, the one
the sentence classifier scores highest, or the answer's only sentence), with
``stack.neighbour_votes``' shrinkage towards the theme's share of evidence sentences;
the answer's vote is its best sentence's. No theme or consultation is named.

Each row's vote comes from the other sets of its consultation and never from the batch
left out: ``SentencePool`` computes each sentence's ``pool`` nearest sentences outside
its own set once per consultation and, per fold, keeps the first ``k`` outside the batch
left out (the same top ``k`` as a pool without that batch, while ``pool`` covers it: a
batch is one set per consultation, about 60 answers). The best sentence is the
out-of-fold sentence classifier's (``sentp``). Measured by ``benchmarks.theme_sentknn``
(session 21, docs/models.md); not in the pipeline.
"""

from __future__ import annotations

import numpy as np

from helpers.coding import stack


def evidence_labels(
    sentence_counts: list[int], coded: np.ndarray, here: np.ndarray,
    sentence_probs: np.ndarray | None,
) -> np.ndarray:  # fmt: skip
    """``(sentences, themes)`` booleans: the sentence is evidence of the theme.

    ``sentence_counts[i]``: answer ``i``'s sentences (stacked in order); ``coded``:
    ``(answers, themes)``, the answer has the theme in the gold; ``here``: ``(sentences,
    themes)``, the theme's patterns fire in the sentence; ``sentence_probs``: the sentence
    classifier's probabilities (a theme it never scored, all 0, gets its hits only; None:
    no classifier, hits and only sentences alone: ``coding.embvote.evidence``, session 26).
    """
    counts = np.asarray(sentence_counts, dtype=int)
    owner = np.repeat(np.arange(len(counts)), counts)
    coded = np.asarray(coded, dtype=bool)
    out = coded[owner] & (np.asarray(here) > 0)
    out |= coded[owner] & (counts[owner] == 1)[:, None]
    if sentence_probs is None:
        return out
    first = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(int)
    for i in np.flatnonzero(counts > 0):
        block = sentence_probs[first[i] : first[i] + counts[i]]
        best = np.argmax(block, axis=0)  # the first best on ties
        for k in np.flatnonzero(coded[i]):
            if block[best[k], k] > 0:
                out[first[i] + best[k], k] = True
    return out


class SentencePool:
    """One consultation's sentences, their evidence labels and nearest-sentence lists.

    ``rows`` need ``vec`` (unit sentence vectors: ``theme_variants.attach_vectors``).
    """

    def __init__(self, rows: list[dict], pool: int = 40, classifier: bool = True,
                 key: str = "svotes"):  # fmt: skip
        """``classifier``: a coded answer's best sentence by the sentence classifier is
        evidence too (session 21); False: hits and only sentences alone (``svoteh``,
        session 26: what the pipeline computes without scoring the training sentences).
        ``key``: the row field ``attach`` writes."""
        self.rows, self.key = rows, key
        self.themes = sorted({t for r in rows for t in (*r["probs"], *r["gold"])})
        counts = [len(r["spans"]) for r in rows]
        coded = np.array([[t in r["gold"] for t in self.themes] for r in rows], dtype=bool)
        here = np.array(
            [[t in h for t in self.themes] for r in rows for h in r["sentence_themes"]],
            dtype=bool,
        ).reshape(-1, len(self.themes))
        probs = np.array(
            [
                [r.get("sentp", {}).get(t, [0.0] * n)[j] for t in self.themes]
                for r, n in zip(rows, counts, strict=True)
                for j in range(n)
            ]
        ).reshape(-1, len(self.themes))
        self.labels = evidence_labels(counts, coded, here, probs if classifier else None)
        owner = np.repeat(np.arange(len(rows)), counts)
        self.first = np.concatenate([[0], np.cumsum(counts)]).astype(int)
        self.batch = np.array([r["batch"] for r in rows])[owner]
        sset = np.array([r["set"] for r in rows])[owner]
        vec = np.vstack([r["vec"] for r in rows])
        n, step = len(vec), 1000
        self.near = np.zeros((n, pool), dtype=int)
        self.sim = np.zeros((n, pool))
        for a in range(0, n, step):
            s = vec[a : a + step] @ vec.T
            s[sset[a : a + step, None] == sset[None, :]] = -np.inf
            top = np.argpartition(-s, pool, axis=1)[:, :pool]
            part = np.take_along_axis(s, top, axis=1)
            top = np.take_along_axis(top, np.argsort(-part, axis=1, kind="stable"), axis=1)
            self.near[a : a + step] = top
            self.sim[a : a + step] = np.take_along_axis(s, top, axis=1)

    def attach(self, held_batch: int | None, k: int = stack.NEIGHBOURS,
               alpha: float = stack.NEIGHBOUR_ALPHA) -> None:  # fmt: skip
        """Each row's ``svotes`` (theme -> its best sentence's vote) with ``held_batch``
        out of every pool (None: every other set)."""
        ok = self.batch[self.near] != (-1 if held_batch is None else held_batch)
        ok &= np.isfinite(self.sim)  # a pool wider than the other sets: own-set fillers
        use = ok & (np.cumsum(ok, axis=1) <= k)
        w = np.where(use, np.clip(self.sim, 0.0, None), 0.0)
        train = self.batch != (-1 if held_batch is None else held_batch)
        base = self.labels[train].mean(axis=0)
        votes = np.einsum("ij,ijt->it", w, self.labels[self.near].astype(np.float64))
        votes = (votes + alpha * base) / (w.sum(axis=1, keepdims=True) + alpha)
        for i, r in enumerate(self.rows):
            v = votes[self.first[i] : self.first[i + 1]]
            best = v.max(axis=0) if len(v) else base
            r[self.key] = dict(zip(self.themes, best.tolist(), strict=True))


def attach_pools(
    rows: list[dict], pool: int = 40, classifier: bool = True, key: str = "svotes"
) -> dict[str, SentencePool]:
    """One ``SentencePool`` per consultation of ``rows`` (their vectors attached first)."""
    from benchmarks.theme_variants import attach_vectors

    if rows and "vec" not in rows[0]:
        attach_vectors(rows)
    return {
        c: SentencePool([r for r in rows if r["consultation"] == c], pool, classifier, key)
        for c in sorted({r["consultation"] for r in rows})
    }
