"""The tree stacker (``coding.stack_trees``) against the logistic one, leave-one-batch-out.

``python -m benchmarks.theme_gbm ROWS... [--batches ...] [--fit PATH]``

Reads the out-of-fold rows ``theme_stacker`` reads (pickled as ``theme_knn`` does) and,
per batch left out, fits on every other batch of both consultations (the shipped
recipe: ``theme_stacker.table``'s ten ``coding.stack.FEATURES``, priors and neighbour
votes from outside the batch) both the logistic stacker (``stack.fit_stacker``, shipped
until session 22) and depth-3 boosted trees (``stack_trees.fit_trees``: fixed seed, no
early stopping). The trees' in-sample probabilities are overfitted, so their cut is
chosen on out-of-fold predictions inside the training rows (``CUT_GROUPS`` groups of
batches, batch N in group N mod 4): the batch left out never chooses anything. The
decisions are ``stack_trees.TreeStacker.probabilities`` (numpy over the exported
arrays), so the benchmark scores what the pipeline computes. Session 21 measured the
trees once over batches 2-23; session 22 confirmed them over 2-24 and shipped them
(docs/models.md, "Session 22"). ``--fit PATH`` writes the trees fitted on every row
(the packaged ``helpers/data/theme_stacker.json``); set ``OMP_NUM_THREADS=1`` on a
shared machine (scikit-learn's threads otherwise compete for the cores).

Session 23 (docs/models.md, "Session 23"; none shipped): ``--settings NAME=DEPTH,ITERATIONS``
scores other tree settings, each with its own cut chosen inside the fold; ``--theme-cuts K``
per-theme cuts of the shipped trees (``theme_cuts``); ``--extras`` more columns beside the
ten features (``extra_row``: the theme's base rate under the answer's question and its
training count, both from the training rows outside the batch); ``--pick`` the variant
each fold's training rows choose by out-of-fold F1 (``inner_f1``), so the choice among
variants never sees the batch left out; ``--two-cuts`` one cut for dictionary candidates
and one for classifier-only ones (``two_cuts``). The reference for better / worse is the
shipped trees (``trees``).

Session 25 (docs/models.md, "Session 25"; not shipped): ``--extras`` also takes the
embedding neighbour votes ``svote`` and ``evote`` (``theme_embvote``: WordLlama sentence
and answer neighbours among the other sets' gold-coded answers, never the batch left
out; ``--vote-k`` neighbours), and ``--agree-cut`` scores one cut for candidates the
dictionary and both classifiers agree on (``agreed``) and one for the rest.

Session 27 (docs/models.md, "Session 27"; not shipped): ``--list-cut`` scores one cut for
dictionary codes whose evidence is a list item (``listed``) and one for the rest, the
pair chosen out of fold inside the training rows (``two_cuts``).
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
from pathlib import Path

import numpy as np

from benchmarks import theme_folds as folds
from benchmarks import theme_stacker as ts
from benchmarks.theme_context import NAMES as CONTEXT
from benchmarks.theme_context import attach_context
from benchmarks.theme_embvote import VOTES, Votes, vote_column
from benchmarks.theme_knn import load_rows
from helpers.coding import embvote, stack, stack_trees


def training_table(rows: list[dict], exclude: set[str]):
    """``theme_stacker.table`` of ``rows``, each row's prior from its consultation's
    sets outside ``exclude`` and its own."""
    cache: dict = {}

    def prior_of(r):
        if r["set"] not in cache:
            cache[r["set"]] = ts.priors(rows, exclude | {r["set"]})[r["consultation"]]
        return cache[r["set"]]

    return ts.table(rows, prior_of)


RATE_ALPHA = 5.0
EXTRAS = ("rate", "npos", *VOTES, *CONTEXT)


def theme_stats(rows: list[dict], exclude: set[str]) -> dict[str, tuple]:
    """Per consultation, from its rows outside ``exclude``: answers per question, gold
    codes per (question, theme), gold codes per theme and the number of answers."""
    from collections import Counter

    out: dict[str, tuple] = {}
    for c in {r["consultation"] for r in rows}:
        part = [r for r in rows if r["consultation"] == c and r["set"] not in exclude]
        nq = Counter(r["question"] for r in part)
        nqt = Counter((r["question"], t) for r in part for t in r["gold"])
        nt = Counter(t for r in part for t in r["gold"])
        out[c] = (nq, nqt, nt, len(part))
    return out


def extra_row(r: dict, theme: str, stats: tuple, names: tuple[str, ...]) -> list[float]:
    """The session-23 columns of one candidate (none names a theme): ``rate``, the share
    of the training answers to the same question coded with the theme, shrunk towards
    the theme's share of all training answers with ``RATE_ALPHA`` pseudo-counts, as
    log-odds; ``npos``, log(1 + the theme's training answers)."""
    nq, nqt, nt, n = stats
    base = nt[theme] / n if n else 0.0
    rate = (nqt[(r["question"], theme)] + RATE_ALPHA * base) / (nq[r["question"]] + RATE_ALPHA)
    got = {"rate": stack._logit(rate), "npos": float(np.log1p(nt[theme]))}
    got |= {k: vote_column(r, theme, k) for k in names if k in VOTES}
    got |= {k: r[k].get(theme, 0.0) for k in names if k in CONTEXT}  # session 28
    return [got[k] for k in names]


def with_extras(x, where, rows, names, stats_of) -> np.ndarray:
    """``x`` with the ``names`` columns appended (``stats_of(row)``: its ``theme_stats``)."""
    if not names:
        return x
    extra = [extra_row(rows[i], t, stats_of(rows[i]), names) for i, t, _ in where]
    return np.hstack([x, np.array(extra, dtype=np.float64).reshape(len(where), len(names))])


def fit_trees(
    rows: list[dict], exclude: set[str], note: str = "", params: dict | None = None
) -> stack_trees.TreeStacker:
    """The tree stacker fitted on ``rows`` (cut chosen over groups of batches)."""
    return fit_with_oof(rows, exclude, note, params)[0]


def fit_with_oof(
    rows: list[dict],
    exclude: set[str],
    note: str = "",
    params: dict | None = None,
    extras: tuple[str, ...] = (),
) -> tuple[stack_trees.TreeStacker, np.ndarray, np.ndarray, list[tuple[str, str]], tuple]:
    """``fit_trees`` and what chose its cut: the out-of-fold probabilities of the training
    candidates, their labels, their (consultation, theme) and the outside counts.
    ``extras``: ``EXTRAS`` columns beside the ten features (each training row's from the
    sets outside ``exclude`` and its own)."""
    x, y, where, out = training_table(rows, exclude)
    cache: dict = {}

    def stats_of(r):
        if r["set"] not in cache:
            cache[r["set"]] = theme_stats(rows, exclude | {r["set"]})[r["consultation"]]
        return cache[r["set"]]

    x = with_extras(x, where, rows, extras, stats_of)
    groups = np.array([rows[i]["batch"] % stack_trees.CUT_GROUPS for i, _, _ in where])
    outside = (out["tp"], out["fp"], out["fn"])
    p = stack_trees.out_of_fold(x, y, groups, params)
    cut = stack_trees.best_cut(p, y, outside, stack.CUTS)
    model = stack_trees.from_sklearn(
        stack_trees._estimator(params).fit(np.asarray(x, dtype=np.float64), y),
        (*stack.FEATURES, *extras), cut, note,
    )  # fmt: skip
    keys = [(rows[i]["consultation"], t) for i, t, _ in where]
    dic = np.array([bool(d) for _, _, d in where], dtype=bool)
    return model, p, y, keys, outside, dic, agreed(rows, where), listed(x)


LIST_COMMAS = 2  # a sentence with this many commas reads as a list (``listed``)


def listed(x: np.ndarray) -> np.ndarray:
    """Per candidate row of ``x`` (``stack.FEATURES`` first): a dictionary code whose every
    evidence sentence reads as a list item, i.e. another theme's patterns fire in it too
    (``others`` 1+) or it has ``LIST_COMMAS``+ commas (session 27's second cut: over batches
    2-29 these are over half of transport's wrong codes and 45 % of Ofsted's). Computed from
    the stacker's own columns, so the pipeline has it for every candidate."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or not len(x):
        return np.zeros(len(x), dtype=bool)
    f = stack.FEATURES
    dic = x[:, f.index("dictionary")] > 0
    return dic & ((x[:, f.index("others")] >= 1) | (x[:, f.index("commas")] >= LIST_COMMAS))


AGREE = 0.5  # both classifiers at least this sure (``agreed``)


def agreed(rows: list[dict], where: list[tuple]) -> np.ndarray:
    """Per candidate: the dictionary fires *and* both classifiers (answer, best sentence)
    give at least ``AGREE``: three independent readings agree (session 25's second cut)."""
    return np.array(
        [bool(d) and rows[i]["probs"].get(t, 0.0) >= AGREE
         and rows[i]["sprobs"].get(t, 0.0) >= AGREE for i, t, d in where],
        dtype=bool,
    )  # fmt: skip


def two_cuts(
    p: np.ndarray,
    y: np.ndarray,
    dic: np.ndarray,
    outside: tuple[int, int, int],
    grid: tuple[float, ...] = stack.CUTS,
) -> tuple[float, float]:
    """``(dictionary cut, classifier-only cut)``: the pair of ``grid`` with the best micro-F1
    of out-of-fold ``p`` (``dic``: the candidate is a dictionary code); ties go to the pair
    nearer 0.5. A classifier-only candidate is a refused near miss when under the cut, so a
    lower cut of its own is the direct way to let more of them through."""
    y = np.asarray(y, dtype=int)

    def counts(c, m):
        g = p[m] >= c
        return (int((g & (y[m] == 1)).sum()), int((g & (y[m] == 0)).sum()),
                int((~g & (y[m] == 1)).sum()))  # fmt: skip

    d = {c: counts(c, dic) for c in grid}
    n = {c: counts(c, ~dic) for c in grid}

    def f1(cd, cn):
        tp = outside[0] + d[cd][0] + n[cn][0]
        wrong = outside[1] + outside[2] + d[cd][1] + d[cd][2] + n[cn][1] + n[cn][2]
        return 2 * tp / (2 * tp + wrong) if tp else 0.0

    return max(((a, b) for a in grid for b in grid),
               key=lambda ab: (f1(*ab), -abs(ab[0] - 0.5) - abs(ab[1] - 0.5)))  # fmt: skip


def inner_f1(p: np.ndarray, y: np.ndarray, outside: tuple, cut: float) -> float:
    """Micro-F1 of out-of-fold probabilities ``p`` at ``cut``, counting ``outside``."""
    got = p >= cut
    tp = outside[0] + int((got & (y == 1)).sum())
    wrong = outside[1] + int((got & (y == 0)).sum()) + outside[2] + int((~got & (y == 1)).sum())
    return 2 * tp / (2 * tp + wrong) if tp else 0.0


def theme_cuts(
    p: np.ndarray,
    y: np.ndarray,
    keys: list[tuple[str, str]],
    outside: tuple[int, int, int],
    cut: float,
    shrink: float,
    grid: tuple[float, ...] = stack.CUTS,
) -> dict[tuple[str, str], float]:
    """Per (consultation, theme) cuts chosen on out-of-fold probabilities, shrunk to ``cut``.

    Micro-F1 is linearised at the global cut's F1 ``f`` (Dinkelbach): a theme's cut ``c``
    is worth ``2 tp (1 - f) - f (fp + fn)`` on its own candidates, the others' decisions
    fixed. The theme's best cut ``c*`` is pulled towards the global one by its number of
    gold candidates ``n``: ``cut + n / (n + shrink) (c* - cut)`` (``shrink`` pseudo-counts),
    so a theme with few examples keeps about the global cut.
    """
    got = p >= cut
    tp = outside[0] + int((got & (y == 1)).sum())
    f = 2 * tp / (2 * tp + outside[1] + int((got & (y == 0)).sum())
                  + outside[2] + int((~got & (y == 1)).sum()))  # fmt: skip
    out = {}
    arr = np.array(keys, dtype=object)
    for key in dict.fromkeys(keys):
        m = np.array([k == key for k in keys]) if len(arr) else np.zeros(0, bool)
        pk, yk = p[m], y[m]

        def worth(c, pk=pk, yk=yk):
            g = pk >= c
            t = int((g & (yk == 1)).sum())
            return 2 * t * (1 - f) - f * (int((g & (yk == 0)).sum()) + int((~g & (yk == 1)).sum()))

        best = max(grid, key=lambda c: (worth(c), -abs(c - cut)))
        n = int(yk.sum())
        out[key] = cut + n / (n + shrink) * (best - cut)
    return out


MONOTONE = ("answer_logit", "sentence_logit", "neighbours")


def monotone_params(names: tuple[str, ...] = MONOTONE) -> dict:
    """``TREE_PARAMS`` with the trees constrained to rise with ``names`` (session 24).

    The recall census of batches 23-26 (``benchmarks.theme_misses``) finds most refused
    gold pairs far under the cut although the answer classifier gives 0.5-0.8: unseen
    wording falls in regions of the feature space where unconstrained trees may have
    learned that *more* classifier evidence means *less* likely (an interaction fitted to
    the training batches' phrasings). A monotone constraint on the three learned-evidence
    columns (classifier, best sentence, neighbour vote; none names a theme) forbids that,
    leaving the other columns free.
    """
    cst = [1 if f in names else 0 for f in stack.FEATURES]
    return dict(stack_trees.TREE_PARAMS, monotonic_cst=cst)


# the benchmark's column names as the pipeline reads them (``coding.embvote.FEATURES``):
# ``svoteh`` is the sentence vote the pipeline computes (evidence without the classifier)
PIPELINE_NAMES = {"svoteh": "svote", "evote": "evote"}


def pipeline_names(model: stack_trees.TreeStacker) -> stack_trees.TreeStacker:
    """``model`` with its extra columns named as the pipeline reads them; raises
    ``ValueError`` for a column the pipeline does not compute (``svote``'s classifier
    evidence, ``rate``, ``npos``)."""
    extra = model.features[len(stack.FEATURES) :]
    if not extra:
        return model
    if tuple(PIPELINE_NAMES.get(n, "") for n in extra) != embvote.FEATURES:
        raise ValueError(f"the pipeline computes {embvote.FEATURES}, not {extra}")
    return dataclasses.replace(model, features=(*stack.FEATURES, *embvote.FEATURES))


def parse_setting(text: str) -> tuple[str, dict]:
    """``NAME=DEPTH,ITERATIONS[,RATE]`` as a name and ``TREE_PARAMS`` with those changed."""
    name, _, spec = text.partition("=")
    parts = spec.split(",")
    params = dict(stack_trees.TREE_PARAMS, max_depth=int(parts[0]), max_iter=int(parts[1]))
    if len(parts) > 2:
        params["learning_rate"] = float(parts[2])
    return name, params


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", nargs="+")
    parser.add_argument("--batches", nargs="*", type=int, default=list(range(2, 31)))
    parser.add_argument("--fit", help="write the trees fitted on every row here")
    parser.add_argument("--dump", help="write the per-set counts here (theme_folds.merge)")
    parser.add_argument("--settings", nargs="*", default=[],
                        help="other tree settings, NAME=DEPTH,ITERATIONS[,RATE] (session 23)")  # fmt: skip
    parser.add_argument("--theme-cuts", nargs="*", type=float, default=[],
                        help="per-theme cuts of the shipped trees, these shrinkages (session 23)")  # fmt: skip
    parser.add_argument("--fit-setting", help="--fit with this NAME=DEPTH,ITERATIONS[,RATE]")
    parser.add_argument("--fit-without", type=int, default=None,
                        help="--fit on every batch but this one (a pipeline fold, session 26)")  # fmt: skip
    parser.add_argument("--save-folds",
                        help="write each fold's trees here as b<N><variant>.json (session 26)")  # fmt: skip
    parser.add_argument("--fit-extras", default="",
                        help="--fit with these columns, e.g. svoteh,evote (written under the "
                        "pipeline's names, coding.embvote.FEATURES; session 26)")  # fmt: skip
    parser.add_argument("--no-logistic", action="store_true", help="skip the logistic stacker")
    parser.add_argument("--two-cuts", action="store_true",
                        help="the shipped trees with one cut for dictionary candidates and "
                        "one for classifier-only ones, chosen out of fold (session 23)")  # fmt: skip
    parser.add_argument("--agree-cut", action="store_true",
                        help="the shipped trees with one cut for candidates the dictionary and "
                        "both classifiers agree on and one for the rest (session 25)")  # fmt: skip
    parser.add_argument("--list-cut", action="store_true",
                        help="the shipped trees with one cut for dictionary codes whose evidence "
                        "is a list item (listed) and one for the rest (session 27)")  # fmt: skip
    parser.add_argument("--vote-k", type=int, default=stack.NEIGHBOURS,
                        help="neighbours of the svote / evote columns (session 25)")  # fmt: skip
    parser.add_argument("--pick", action="store_true",
                        help="also score the variant (trees or --extras) each fold's training rows "
                        "choose by out-of-fold F1")  # fmt: skip
    parser.add_argument("--monotone", action="store_true",
                        help="also trees rising with the classifier, sentence and neighbour "
                        "columns (monotone_params, session 24)")  # fmt: skip
    parser.add_argument("--only-settings", action="store_true",
                        help="score only the --settings / --monotone variants (compare with the "
                        "shipped trees' --dump of another run)")  # fmt: skip
    parser.add_argument("--extras", nargs="*", default=[],
                        help="columns beside the ten features, e.g. rate npos rate,npos")  # fmt: skip
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    rows = load_rows(args.rows)
    settings = dict(parse_setting(t) for t in args.settings)
    if args.monotone:
        settings["mono"] = monotone_params()
    cut_kinds = [f"tc{k:g}" for k in args.theme_cuts]
    extras = {"+" + e: tuple(e.split(",")) for e in args.extras}
    fit_extras = tuple(args.fit_extras.split(",")) if args.fit_extras else ()
    wanted = {n for names in (*extras.values(), fit_extras) for n in names if n in VOTES}
    votes = Votes(rows, wanted, pool=max(40, 4 * args.vote_k), k=args.vote_k)
    if any(n in CONTEXT for names in (*extras.values(), fit_extras) for n in names):
        attach_context(rows)
    kinds = ([] if args.no_logistic else ["stack"]) + ["trees", *settings, *cut_kinds, *extras]
    if args.only_settings:
        kinds = list(settings)
    if args.pick:
        kinds.append("pick")
    if args.two_cuts:
        kinds.append("two")
    if args.agree_cut:
        kinds.append("agree")
    if args.list_cut:
        kinds.append("list")

    def setup(b, held, train):
        ts.attach_votes(rows, held)
        votes.attach(b)
        pri = ts.priors(rows, held)
        models = {} if args.no_logistic else {"stack": ts.fit_on(train, held)}
        if args.only_settings:
            fitted = {
                name: fit_trees(train, held, params=params) for name, params in settings.items()
            }

            def decide_settings(c, part):
                px, _, pw, _ = ts.table(part, lambda r: pri[r["consultation"]])
                got = {k: [{t for t in r["dictionary"] if t not in r["probs"]} for r in part]
                       for k in fitted}  # fmt: skip
                for k, model in fitted.items():
                    for (i, t, _), q in zip(pw, model.probabilities(px) if len(px) else [],
                                            strict=True):  # fmt: skip
                        if q >= model.cut:
                            got[k][i].add(t)
                return got

            return decide_settings, ", ".join(f"{k} cut {m.cut}" for k, m in fitted.items())
        trees, p, y, keys, outside, dic, agree, lst = fit_with_oof(train, held)
        pair = two_cuts(p, y, dic, outside) if args.two_cuts else None
        apair = two_cuts(p, y, agree, outside) if args.agree_cut else None
        lpair = two_cuts(p, y, lst, outside) if args.list_cut else None
        models["trees"] = trees
        for name, params in settings.items():
            models[name] = fit_trees(train, held, params=params)
        fits = {k: fit_with_oof(train, held, extras=names) for k, names in extras.items()}
        with_cols = {k: f[0] for k, f in fits.items()}
        inner = {"trees": inner_f1(p, y, outside, trees.cut)}
        inner |= {k: inner_f1(f[1], f[2], f[4], f[0].cut) for k, f in fits.items()}
        pick = max(inner, key=lambda k: (inner[k], k == "trees"))
        stats = theme_stats(rows, held)
        per_theme = {kind: theme_cuts(p, y, keys, outside, trees.cut, k)
                     for kind, k in zip(cut_kinds, args.theme_cuts, strict=True)}  # fmt: skip

        def decide(c, part):
            px, _, pw, _ = ts.table(part, lambda r: pri[r["consultation"]])
            kinds_here = [*models, *per_theme, *with_cols] + (["two"] if pair else [])
            kinds_here += ["agree"] if apair else []
            kinds_here += ["list"] if lpair else []
            got = {k: [{t for t in r["dictionary"] if t not in r["probs"]} for r in part]
                   for k in kinds_here}  # fmt: skip
            if len(px):
                probs = {k: model.probabilities(px) for k, model in models.items()}
                for k, model in models.items():
                    for (i, t, _), q in zip(pw, probs[k], strict=True):
                        if q >= model.cut:
                            got[k][i].add(t)
                for k, model in with_cols.items():
                    xx = with_extras(px, pw, part, extras[k], lambda r: stats[r["consultation"]])
                    for (i, t, _), q in zip(pw, model.probabilities(xx), strict=True):
                        if q >= model.cut:
                            got[k][i].add(t)
                for k, cuts in per_theme.items():
                    for (i, t, _), q in zip(pw, probs["trees"], strict=True):
                        if q >= cuts.get((c, t), trees.cut):
                            got[k][i].add(t)
                if pair is not None:
                    for (i, t, d), q in zip(pw, probs["trees"], strict=True):
                        if q >= pair[0 if d else 1]:
                            got["two"][i].add(t)
                if apair is not None:
                    for a, ((i, t, _), q) in zip(agreed(part, pw), zip(pw, probs["trees"],
                                                 strict=True), strict=True):  # fmt: skip
                        if q >= apair[0 if a else 1]:
                            got["agree"][i].add(t)
                if lpair is not None:
                    for a, ((i, t, _), q) in zip(listed(px), zip(pw, probs["trees"],
                                                 strict=True), strict=True):  # fmt: skip
                        if q >= lpair[0 if a else 1]:
                            got["list"][i].add(t)
            if args.pick:
                got["pick"] = got[pick]
            return got

        if args.save_folds:  # each fold's trees for the pipeline (session 26)
            folder = Path(args.save_folds)
            folder.mkdir(parents=True, exist_ok=True)
            for k, model in {"trees": trees, **with_cols}.items():
                if k != "trees":
                    try:
                        model = pipeline_names(model)
                    except ValueError:
                        continue
                (folder / f"b{b}{k.replace(',', '_')}.json").write_text(model.to_json() + "\n")
        cuts = {**models, **with_cols}
        note = ", ".join(f"{k} cut {m.cut}" for k, m in cuts.items())
        if pair is not None:
            note += f"; two cuts {pair}"
        if apair is not None:
            note += f"; agree cuts {apair}"
        if lpair is not None:
            note += f"; list cuts {lpair}"
        if args.pick:
            note += "; inner F1 " + ", ".join(f"{k} {v:.4f}" for k, v in inner.items())
            note += f"; pick {pick}"
        return decide, note

    if args.batches:
        bases = ("union",) if args.only_settings else ("union", "trees")
        tally = folds.run(rows, args.batches, kinds, setup, bases=bases)
        if args.dump:
            tally.dump(args.dump)
    if args.fit:
        held = {r["set"] for r in rows if r["batch"] == args.fit_without}
        rows = [r for r in rows if r["batch"] != args.fit_without]
        sets = sorted({r["set"] for r in rows})
        ts.attach_votes(rows, held)
        votes.attach(args.fit_without)
        name, params = parse_setting(args.fit_setting) if args.fit_setting else ("", None)
        note = (f"benchmarks/theme_gbm.py --fit{' ' + args.fit_setting if name else ''}"
                f"{' --fit-extras ' + args.fit_extras if fit_extras else ''} "
                f"on {', '.join(sets)}")  # fmt: skip
        model = fit_with_oof(rows, held, note, params, extras=fit_extras)[0]
        model = pipeline_names(model)
        Path(args.fit).write_text(model.to_json() + "\n", encoding="utf-8")
        print(f"wrote {args.fit}: cut {model.cut}, {len(model.roots)} trees")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
