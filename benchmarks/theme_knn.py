"""A nearest-neighbour vote from other batches' coded answers, scored leave-one-batch-out.

``python -m benchmarks.theme_knn /tmp/transport.jsonl /tmp/ofsted-docs.jsonl``

Reads the out-of-fold rows ``benchmarks.theme_sentence_loo --context 1 --min-df 2 --save``
writes (as ``benchmarks.theme_stacker``). For each batch N (``ofsted-docs-N`` and
``transport-N`` together) every answer of the consultation gets, per theme, the vote of
its ``k`` most similar coded answers in the *other* sets of its consultation, batch N's
sets never among them (a training answer's neighbours exclude its own set too, so the
stacker learns the vote from out-of-fold values):

    vote(t) = (sum of sim * [neighbour has t] + a * base) / (sum of sim + a)

with ``sim`` the cosine similarity of the two answers (``--space``: ``word`` TF-IDF of
words and bigrams, ``char`` TF-IDF of character 3-5-grams, ``emb`` the normalised mean
of the answers' WordLlama sentence vectors, or ``mix`` the mean of ``word`` and
``emb``), ``base`` the theme's share of the neighbours' pool and ``a`` one pseudo-count.
No theme, word or consultation is named: the neighbours are the researcher's own coded
answers (``theme_training.csv`` in the pipeline).

Printed per batch and consultation, micro P / R / F1 of (answer, theme):

- ``dict`` and ``union`` as ``benchmarks.theme_stacker`` (the pre-stacker union rule);
- ``stack``: the generic stacker refitted on the other batches without the vote (since
  session 18 ``coding.stack.FEATURES`` ends with ``neighbours``; this script leaves that
  column at 0, so ``stack`` is the nine-feature stacker and ``stack+knn`` the shipped one);
- ``knn``: the vote alone at ``--cut`` (themes the answer's question has classifiers for);
- ``stack+knn``: the stacker with the vote's log-odds as a tenth feature (fitted on the
  other batches, cut chosen there as ``stack.fit_stacker`` does);
- ``stack+knn+c``: as ``stack+knn`` with a candidate also where the vote alone reaches
  ``stack.CANDIDATE`` (recall the classifiers miss).

and the sets and batches each is better / worse on than ``stack`` and ``union``.
Written for issue 14 (session 18).
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
from collections import Counter
from pathlib import Path

import numpy as np

from benchmarks import theme_folds as folds
from benchmarks import theme_stacker as ts
from benchmarks.theme_sentence_loo import embed_sentences
from helpers.coding import stack


def load_rows(paths: list[str]) -> list[dict]:
    """``theme_stacker.load_rows``, pickled beside the first file (keyed by the files' sizes)."""
    import hashlib
    import pickle

    key = hashlib.md5(repr([(p, Path(p).stat().st_size) for p in paths]).encode()).hexdigest()
    cache = Path(paths[0]).with_suffix(f".{key[:10]}.pkl")
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    rows = ts.load_rows(paths)
    cache.write_bytes(pickle.dumps(rows))
    return rows


def answer_space(rows: list[dict], space: str) -> np.ndarray:
    """Unit row vectors of every answer in ``space`` (rows of one consultation)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [r["text"] for r in rows]

    def unit(m):
        n = np.sqrt((m.multiply(m)).sum(axis=1)) if hasattr(m, "multiply") else None
        if n is None:
            n = np.linalg.norm(m, axis=1, keepdims=True)
            return m / np.maximum(n, 1e-12)
        return np.asarray(m.multiply(1.0 / np.maximum(np.asarray(n), 1e-12)).todense())

    if space == "word":
        v = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, stop_words="english")
        return unit(v.fit_transform(texts))
    if space == "char":
        v = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True)
        return unit(v.fit_transform(texts))
    if space == "emb":
        sent = [r["text"][s:e] for r in rows for s, e in r["spans"]]
        vec = embed_sentences(sent, "wordllama")
        out, k = [], 0
        for r in rows:
            out.append(vec[k : k + len(r["spans"])].mean(axis=0))
            k += len(r["spans"])
        return unit(np.array(out))
    if space == "mix":
        a, b = answer_space(rows, "word"), answer_space(rows, "emb")
        return np.hstack([a, b]) / np.sqrt(2.0)
    raise ValueError(space)


def similarities(
    rows: list[dict], space: str, held: set[str] | None = None
) -> dict[str, tuple[list[int], np.ndarray]]:
    """Per consultation: its row indices and their answer-by-answer cosine similarities.

    ``pipe``: the trained coder's own TF-IDF (``trained_score.TFIDF``, rows L2-normalised)
    fitted on the rows outside ``held`` only, as the pipeline fits it on its training file.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    from helpers.coding.trained_fit import preprocess
    from helpers.coding.trained_score import TFIDF

    out = {}
    for c in sorted({r["consultation"] for r in rows}):
        idx = [i for i, r in enumerate(rows) if r["consultation"] == c]
        if space == "pipe":
            v = TfidfVectorizer(**TFIDF, preprocessor=preprocess)
            v.fit([rows[i]["text"] for i in idx if rows[i]["set"] not in (held or set())])
            m = v.transform([rows[i]["text"] for i in idx])
            out[c] = (idx, np.asarray((m @ m.T).todense()))
            continue
        m = answer_space([rows[i] for i in idx], space)
        out[c] = (idx, m @ m.T)
    return out


def attach_votes(rows, sims, held: set[str], k: int, alpha: float = 1.0) -> None:
    """Each row's ``knn`` vote per learned theme, neighbours outside ``held`` and its own set."""
    for _c, (idx, s) in sims.items():
        sets = np.array([rows[i]["set"] for i in idx])
        allowed = ~np.isin(sets, list(held))
        themes = sorted(
            {t for i in idx for t in rows[i]["probs"]} | {t for i in idx for t in rows[i]["gold"]}
        )
        g = np.array([[t in rows[i]["gold"] for t in themes] for i in idx], dtype=float)
        for a, i in enumerate(idx):
            ok = allowed & (sets != sets[a])
            cand = np.flatnonzero(ok)
            if not len(cand):
                rows[i]["knn"] = {}
                continue
            sim = np.clip(s[a, cand], 0.0, None)
            top = cand[np.argsort(-sim, kind="stable")[:k]]
            w = np.clip(s[a, top], 0.0, None)
            base = g[cand].mean(axis=0)
            vote = (w @ g[top] + alpha * base) / (w.sum() + alpha)
            rows[i]["knn"] = {t: float(vote[j]) for j, t in enumerate(themes)}


def table(rows, prior_of, extra_candidates: bool):
    """``theme_stacker.table`` plus the vote's log-odds column (and vote-only candidates)."""
    x, y, where = [], [], []
    outside: Counter = Counter()
    for i, r in enumerate(rows):
        cands = dict(ts.candidates(r, prior_of(r)))
        if extra_candidates:
            table_, pooled = prior_of(r)
            for t in r["probs"]:
                if t not in cands and r["knn"].get(t, 0.0) >= stack.CANDIDATE:
                    mine = max(r["probs"][t], r["sprobs"].get(t, 0.0))
                    rank = sum(
                        max(p, r["sprobs"].get(u, 0.0)) > mine for u, p in r["probs"].items()
                    )
                    cands[t] = stack.candidate_features(
                        t, t in r["dictionary"], r["probs"][t], r["sprobs"].get(t, 0.0),
                        r["sentence_themes"], r["commas"], table_.get(t, pooled), rank,
                    )  # fmt: skip
        for t, f in sorted(cands.items()):
            x.append([*f, stack._logit(min(max(r["knn"].get(t, 0.0), stack.EPS), 1 - stack.EPS))])
            y.append(int(t in r["gold"]))
            where.append((i, t, f[0] > 0))
        fixed = {t for t in r["dictionary"] if t not in r["probs"]}
        outside["tp"] += len(fixed & r["gold"])
        outside["fp"] += len(fixed - r["gold"])
        outside["fn"] += len(r["gold"] - fixed - set(cands))
    return np.array(x).reshape(-1, len(stack.FEATURES) + 1), np.array(y), where, outside


def fit(rows, exclude, cols, extra_candidates):
    cache: dict = {}

    def prior_of(r):
        if r["set"] not in cache:
            cache[r["set"]] = ts.priors(rows, exclude | {r["set"]})[r["consultation"]]
        return cache[r["set"]]

    x, y, _, out = table(rows, prior_of, extra_candidates)
    model = stack.fit_stacker(x[:, cols], y, (out["tp"], out["fp"], out["fn"]))
    return dataclasses.replace(model, features=(*stack.FEATURES, "knn")[: len(cols)])


def decide(rows, model, prior_of, cols, extra_candidates) -> list[set]:
    x, _, where, _ = table(rows, prior_of, extra_candidates)
    coded = [{t for t in r["dictionary"] if t not in r["probs"]} for r in rows]
    if len(x):
        for (i, t, _), p in zip(where, model.probabilities(x[:, cols]), strict=True):
            if p >= model.cut:
                coded[i].add(t)
    return coded


def main(argv: list[str] | None = None) -> int:  # noqa: C901
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", nargs="+")
    parser.add_argument("--batches", nargs="*", type=int, default=list(range(2, 31)))
    parser.add_argument("--space", default="word", choices=["word", "char", "emb", "mix", "pipe"])
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--cut", type=float, default=0.5, help="cut of the vote alone")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    rows = load_rows(args.rows)
    sims = similarities(rows, args.space) if args.space != "pipe" else None
    nf = len(stack.FEATURES)
    base_cols = list(range(nf))
    all_cols = list(range(nf + 1))

    def setup(b, held, train):
        attach_votes(rows, sims or similarities(rows, "pipe", held), held, args.k)
        models = {
            "stack": (fit(train, held, base_cols, False), base_cols, False),
            "stack+knn": (fit(train, held, all_cols, False), all_cols, False),
            "stack+knn+c": (fit(train, held, all_cols, True), all_cols, True),
        }
        pri = ts.priors(rows, held)

        def decide_part(c, part):
            got = {"knn": [r["dictionary"] - set(r["probs"])
                           | {t for t in r["probs"] if r["knn"].get(t, 0) >= args.cut}
                           for r in part]}  # fmt: skip
            for v, (m, cols, extra) in models.items():
                got[v] = decide(part, m, lambda r, pri=pri: pri[r["consultation"]], cols, extra)
            return got

        return decide_part, "cuts " + ", ".join(f"{v} {m.cut}" for v, (m, _, _) in models.items())

    folds.run(rows, args.batches, ["stack", "knn", "stack+knn", "stack+knn+c"], setup)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
