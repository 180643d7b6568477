"""Stacker variants and the Ofsted switch, scored leave-one-batch-out (issue 14, session 15).

``python -m benchmarks.theme_variants /tmp/transport.jsonl /tmp/ofsted-docs.jsonl``

Reads the rows ``benchmarks.theme_sentence_loo --context 1 --min-df 2 --save`` writes
(one fold per spent set, so every probability is out-of-fold; since session 15 the rows
also hold each sentence's sentence-classifier probability, ``sentp``) and, for each
batch N (``ofsted-docs-N`` and ``transport-N`` together), fits each variant of the
generic stacker on every *other* batch of both consultations (``theme_stacker.fit_on``'s
recipe: the Ofsted survey always trains, priors from the row's consultation outside its
own set and N, the cut chosen on the training rows) and scores batch N. Variants keep
``coding.stack.FEATURES`` and add general ones (none names a theme or a consultation):

- ``hit``: the best sentence-classifier probability among the sentences the theme's
  patterns fire in, as log-odds, times the dictionary flag (does the sentence the word
  is in read like the theme, not only the answer's best sentence);
- ``sem``: the cosine similarity of those hit sentences (best over them; the best over
  every sentence for a non-dictionary candidate) to the theme's label, description and
  examples (``semantic.theme_texts``, WordLlama), less their similarity to the
  description's "Not:" part;
- ``words``: log(1 + the fewest words of a hit sentence) times the dictionary flag
  (headings and fragments such as "Evidence");
- ``rank``: how many of the answer's other themes the classifiers score higher (the
  better of answer and best sentence), at most 3 (a neighbouring theme the answer is
  more about; in ``coding.stack.FEATURES`` since session 15);
- ``base``: the log-odds of the theme's base rate among the training answers to the
  candidate's question (session 16: the balanced classifiers remove it, so a near miss
  of a theme a third of the question's answers raise looks like one of a rare theme);
  from the rows of the candidate's consultation outside its own set and the batch left
  out, as the dictionary prior is;
- ``spread``: the share of the answer's sentences the sentence classifier gives 0.5 or
  more (a point made across sentences, not in one);
- ``nothing``: 1 when no other theme of the answer is a dictionary code or scores 0.5
  (the answer would otherwise get no theme at all);
- ``nda`` / ``nds`` / ``ndv``: the answer classifier's, best sentence's and neighbour
  vote's log-odds again, for candidates the dictionary did *not* fire on only (0 else):
  their own slopes, where the plain stacker shares one slope between a dictionary code
  and a classifier-only candidate (session 20: on batch 22's gold text two in three
  Ofsted misses were classifier-only candidates the stacker turned down);
- ``alen`` / ``slen``: the answer classifier's / best sentence's log-odds times
  log(1 + the answer's sentence count): a slope that changes with length (session 21:
  batch 23's refused near misses were short answers the answer classifier gave 0.7-0.85
  while the sentence classifier and the vote were lukewarm; in a short answer the
  answer's score is as specific as a sentence's, in a long one it is diluted);
- ``own`` (no column): the stacker fitted on the rows of the target's consultation only
  (a stacker per consultation instead of the general one).

``--dump PATH`` writes the per-set counts; ``--merge`` reports several dumps of runs over
disjoint ``--batches`` as one run (the loop is ``benchmarks.theme_folds``'s), so a long run
can be split over processes.

``--alone`` also scores the classifiers by themselves (``theme_recall.alone``, the blend
at ``--alone-cut``: ``make evaluate``'s "classifiers" line).

``--add-only`` also scores the stacker allowed only to add codes to the dictionary's
(no vetoes). ``--consultation-cut`` also scores the plain stacker with its cut chosen on the
training rows of the target's consultation only. ``--theme-cuts K`` also scores per-theme cuts on the stacked probability, each chosen
on the training rows and shrunk to the global cut with ``n / (n + K)``. Prints micro
P / R / F1 per set and batch, pooled, and the batches each variant wins and loses
against the union rule and the plain stacker.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
from collections import Counter
from typing import NamedTuple

import numpy as np

from benchmarks import theme_folds as folds
from benchmarks import theme_stacker as ts
from benchmarks.theme_loo import ROOT
from benchmarks.theme_recall import alone
from benchmarks.theme_sentence_loo import embed_sentences
from helpers.coding import stack


class ExtraFeatures(NamedTuple):
    """One candidate's ``EXTRA`` features, in column order (the module docstring says each)."""

    hit: float
    sem: float
    words: float
    rank: float
    base: float
    nothing: float
    spread: float
    nda: float
    nds: float
    ndv: float
    alen: float
    slen: float


EXTRA = ExtraFeatures._fields


def _hit_sentences(r: dict, t: str) -> list[int]:
    return [j for j, h in enumerate(r["sentence_themes"]) if t in h]


def theme_vectors(rows: list[dict]) -> dict[tuple[str, str], tuple[np.ndarray, np.ndarray]]:
    """Per (consultation, theme): the unit vectors of its positive and negative texts."""
    from helpers import coding
    from helpers.coding.semantic import theme_texts
    from helpers.core.consultation import load_consultation

    out = {}
    for c, first in {r["consultation"]: r["set"] for r in rows}.items():
        d = ROOT / first
        cb = coding.load_codebook(d / "codebook.yaml", load_consultation(d / "consultation.yaml"))
        for theme in cb.themes:
            pos, neg = theme_texts(theme)
            vp = embed_sentences(pos, "wordllama")
            vn = embed_sentences(neg, "wordllama") if neg else np.zeros((0, vp.shape[1]))
            unit = [
                v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12) for v in (vp, vn)
            ]
            out[(c, theme.id)] = (unit[0], unit[1])
    return out


def attach_vectors(rows: list[dict]) -> None:
    """Each row's sentence unit vectors (``vec``), from the benchmarks' embedding cache."""
    texts = [r["text"][s:e] for r in rows for s, e in r["spans"]]
    vec = embed_sentences(texts, "wordllama")
    vec = vec / np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-12)
    k = 0
    for r in rows:
        r["vec"] = vec[k : k + len(r["spans"])]
        k += len(r["spans"])


def base_rates(rows: list[dict], exclude: set[str]) -> dict:
    """Per (consultation, question, theme): the share of the training answers with it."""
    n: Counter = Counter()
    k: Counter = Counter()
    for r in rows:
        if r["set"] in exclude:
            continue
        n[(r["consultation"], r["question"])] += 1
        for t in r["gold"]:
            k[(r["consultation"], r["question"], t)] += 1
    return {"n": n, "k": k}


def base_logit(table: dict, r: dict, t: str) -> float:
    """The smoothed base rate of theme ``t`` on row ``r``'s question, as log-odds."""
    n = table["n"][(r["consultation"], r["question"])]
    k = table["k"][(r["consultation"], r["question"], t)]
    return stack._logit((k + 0.5) / (n + 1.0))


def extra_features(r: dict, t: str, dic: bool, tv: dict, base=None) -> ExtraFeatures:
    """The ``EXTRA`` features of candidate (row, theme) ``t``."""
    hit = _hit_sentences(r, t)
    sp = r.get("sentp", {}).get(t, [])
    p_hit = max((sp[j] for j in hit if j < len(sp)), default=0.0)
    pos, neg = tv.get((r["consultation"], t), (None, None))
    sem = 0.0
    if pos is not None and len(r["vec"]):
        sims = (r["vec"] @ pos.T).max(axis=1)
        if len(neg):
            sims = sims - np.maximum((r["vec"] @ neg.T).max(axis=1), 0.0)
        sem = float(max(sims[j] for j in hit)) if dic and hit else float(sims.max())
    words = min((len(r["text"][r["spans"][j][0] : r["spans"][j][1]].split()) for j in hit),
                default=0)  # fmt: skip
    # how many of the answer's other themes its classifiers score higher (at most 3)
    mine = max(r["probs"].get(t, 0.0), r["sprobs"].get(t, 0.0))
    rank = sum(max(p, r["sprobs"].get(u, 0.0)) > mine for u, p in r["probs"].items() if u != t)
    others = [u for u in r["probs"] if u != t]
    nothing = not (r["dictionary"] - {t}) and all(
        max(r["probs"][u], r["sprobs"].get(u, 0.0)) < 0.5 for u in others
    )
    return ExtraFeatures(
        hit=stack._logit(p_hit) if dic else 0.0,
        sem=sem,
        words=float(np.log1p(words)) if dic else 0.0,
        rank=float(min(rank, 3)),
        base=base_logit(base, r, t) if base is not None else 0.0,
        nothing=float(nothing),
        spread=float(np.mean([v >= 0.5 for v in sp])) if sp else 0.0,
        nda=0.0 if dic else stack._logit(r["probs"].get(t, 0.0)),
        nds=0.0 if dic else stack._logit(r["sprobs"].get(t, 0.0)),
        ndv=0.0 if dic else stack._logit(r.get("votes", {}).get(t, 0.0)),
        alen=stack._logit(r["probs"].get(t, 0.0)) * float(np.log1p(len(r["spans"]))),
        slen=stack._logit(r["sprobs"].get(t, 0.0)) * float(np.log1p(len(r["spans"]))),
    )


def names(extra: tuple[str, ...]) -> tuple[str, ...]:
    return stack.FEATURES + tuple(e for e in EXTRA if e in extra)


def table(rows, prior_of, tv, extra, base_of=None):
    """``theme_stacker.table`` with the chosen ``EXTRA`` columns appended."""
    x, y, where, outside = ts.table(rows, prior_of)
    cols = [EXTRA.index(e) for e in EXTRA if e in extra]
    if cols and len(where):
        more = np.array([
            extra_features(rows[i], t, dic, tv, base_of(rows[i]) if base_of else None)
            for i, t, dic in where
        ])[:, cols]  # fmt: skip
        x = np.hstack([x, more])
    return x, y, where, outside


def fit(rows, exclude, tv, extra) -> tuple[stack.Stacker, tuple]:
    """The variant fitted on ``rows`` and its training table (for per-theme cuts)."""
    cache: dict = {}
    bases: dict = {}

    def prior_of(r):
        if r["set"] not in cache:
            cache[r["set"]] = ts.priors(rows, exclude | {r["set"]})[r["consultation"]]
        return cache[r["set"]]

    def base_of(r):
        if r["set"] not in bases:
            bases[r["set"]] = base_rates(rows, exclude | {r["set"]})
        return bases[r["set"]]

    x, y, where, out = table(rows, prior_of, tv, extra, base_of)
    model = stack.fit_stacker(x, y, (out["tp"], out["fp"], out["fn"]))
    return dataclasses.replace(model, features=names(extra)), (x, y, where, out)


def theme_cuts(model, train, k: float) -> dict[str, float]:
    """Per-theme cuts on the training rows' stacked probabilities, shrunk to the global cut."""
    x, y, where, _ = train
    p = model.probabilities(x)
    themes = np.array([t for _, t, _ in where])
    cuts = {}
    for t in set(themes):
        m = themes == t
        best = max(
            stack.CUTS,
            key=lambda c, m=m: (
                2 * ((p[m] >= c) & (y[m] == 1)).sum()
                - ((p[m] >= c) & (y[m] == 0)).sum()
                - ((p[m] < c) & (y[m] == 1)).sum(),
                -abs(c - model.cut),
            ),
        )
        n = int(m.sum())
        cuts[t] = (n * best + k * model.cut) / (n + k)
    return cuts


def two_cuts(model, train) -> tuple[float, float]:
    """The pair of cuts (dictionary candidates, classifier-only candidates) of
    ``stack.CUTS`` with the best micro-F1 on the training rows (outside decisions
    counted), the weights shared: keeping a dictionary code and adding a new one may
    need different evidence (session 16)."""
    x, y, where, out = train
    p = model.probabilities(x)
    dic = np.array([d for _, _, d in where], dtype=bool)

    def f1(cd, cn):
        got = np.where(dic, p >= cd, p >= cn)
        tp = out["tp"] + int((got & (y == 1)).sum())
        fp = out["fp"] + int((got & (y == 0)).sum())
        fn = out["fn"] + int((~got & (y == 1)).sum())
        return 2 * tp / (2 * tp + fp + fn)

    return max(((a, b) for a in stack.CUTS for b in stack.CUTS),
               key=lambda c: (f1(*c), -abs(c[0] - model.cut) - abs(c[1] - model.cut)))  # fmt: skip


def consultation_cut(model, train_rows, exclude, tv, extra, c) -> float:
    """The cut of ``stack.CUTS`` with the best micro-F1 on consultation ``c``'s training
    rows (outside decisions counted), the weights shared."""
    rows = [r for r in train_rows if r["consultation"] == c]
    cache: dict = {}

    def prior_of(r):
        if r["set"] not in cache:
            cache[r["set"]] = ts.priors(train_rows, exclude | {r["set"]})[r["consultation"]]
        return cache[r["set"]]

    x, y, _, out = table(rows, prior_of, tv, extra)
    p = model.probabilities(x)

    def f1(cut):
        got = p >= cut
        tp = out["tp"] + int((got & (y == 1)).sum())
        return 2 * tp / (2 * tp + out["fp"] + int((got & (y == 0)).sum()) + out["fn"]
                         + int((~got & (y == 1)).sum()))  # fmt: skip

    return max(stack.CUTS, key=lambda c: (f1(c), -abs(c - model.cut)))


def decide(rows, model, prior_of, tv, extra, cuts=None, base=None, pair=None) -> list[set]:
    x, _, where, _ = table(rows, prior_of, tv, extra, (lambda r: base) if base else None)
    coded = [{t for t in r["dictionary"] if t not in r["probs"]} for r in rows]
    if len(x):
        for (i, t, dic), p in zip(where, model.probabilities(x), strict=True):
            cut = cuts.get(t, model.cut) if cuts else model.cut
            if pair:
                cut = pair[0] if dic else pair[1]
            if p >= cut:
                coded[i].add(t)
    return coded


def main(argv: list[str] | None = None) -> int:  # noqa: C901
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", nargs="+")
    parser.add_argument("--batches", nargs="*", type=int, default=list(range(2, 31)))
    parser.add_argument(
        "--variants", nargs="*", default=["hit", "sem", "words", "hit,sem", "hit,sem,words"]
    )
    parser.add_argument(
        "--alone",
        action="store_true",
        help="also the classifiers alone (answer and best sentence blended)",
    )
    parser.add_argument("--alone-cut", type=float, default=0.6)
    parser.add_argument("--theme-cuts", type=float, default=0.0)
    parser.add_argument("--add-only", action="store_true",
                        help="also the stacker allowed only to add codes (no vetoes)")  # fmt: skip
    parser.add_argument("--two-cuts", action="store_true",
                        help="also the plain stacker with one cut to keep a dictionary code and "
                        "one to add a new code")  # fmt: skip
    parser.add_argument("--consultation-cut", action="store_true",
                        help="also the plain stacker with its cut chosen per consultation")  # fmt: skip
    parser.add_argument("--dump", help="also write the per-set counts here (JSON)")
    parser.add_argument("--merge", action="store_true",
                        help="the rows are --dump files of runs over disjoint batches: report them")  # fmt: skip
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    if args.merge:
        folds.merge(args.rows)
        return 0
    rows = ts.load_rows(args.rows)
    attach_vectors(rows)
    tv = theme_vectors(rows)
    variants = {"stack": ()} | {v: tuple(v.split(",")) for v in args.variants}
    if args.theme_cuts:
        variants["stack+cuts"] = ()
    if args.consultation_cut:
        variants["stack+ccut"] = ()
    if args.two_cuts:
        variants["stack+2cut"] = ()
    if args.add_only:
        variants["stack+add"] = ()
    if args.alone:
        variants["alone"] = None
    pairs: dict = {}

    def setup(b, held, train):
        ts.attach_votes(rows, held)
        pri = ts.priors(rows, held)
        rates = base_rates(rows, held)
        models: dict = {}

        def model(v, c):
            """Variant ``v``'s stacker (``own``: fitted on consultation ``c``'s rows only)."""
            e = variants[v]
            key = (v, c if "own" in e else "")
            if key not in models:
                rows_ = [r for r in train if r["consultation"] == c] if "own" in e else train
                models[key] = fit(rows_, held, tv, e)
            return models[key]

        def decide_part(c, part):
            got = {}
            for v, e in variants.items():
                if e is None:  # the classifiers alone (``theme_recall.alone``)
                    got[v] = [alone(r, args.alone_cut) for r in part]
                    continue
                m, tr = model(v if "+" not in v else "stack", c)
                cuts = theme_cuts(m, tr, args.theme_cuts) if v == "stack+cuts" else None
                pair = pairs.setdefault(b, two_cuts(m, tr)) if v == "stack+2cut" else None
                if v == "stack+ccut":
                    m = dataclasses.replace(m, cut=consultation_cut(m, train, held, tv, e, c))
                got[v] = decide(
                    part, m, lambda r, pri=pri: pri[r["consultation"]], tv, e, cuts, rates, pair
                )
                if v == "stack+add":
                    got[v] = [g | r["dictionary"] for g, r in zip(got[v], part, strict=True)]
            return got

        return decide_part, (f"two cuts {pairs[b]}" if b in pairs else "")

    tally = folds.run(rows, args.batches, list(variants), setup)
    if args.dump:
        tally.dump(args.dump)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
