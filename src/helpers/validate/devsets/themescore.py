"""Theme scores per coding method, with bootstrap intervals.

For each gold answer with themes (and some text) the system's themes are read
per method (``dictionary``, ``semantic``, ... : the values of the codes'
``method`` column) and for all methods together (``combined``, left out when
the codes come from one method alone: it would repeat that method's row). Extra
tables of (answer, theme) pairs (``alone``, e.g. the trained classifiers by
themselves) are scored beside them but are not part of ``combined``. Micro
precision, recall and F1 pool every (answer, theme) decision; macro averages
the per-theme scores over the themes in gold or system. Intervals are
percentile bootstrap 95 % intervals, resampling respondents (documents or
survey rows) with a fixed seed, so a run repeats exactly. Documents and survey
answers are scored separately: they are different kinds of text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.validate.devsets.scoring import _key

COMBINED = "combined"
# What each line counts, printed above the table: the ``learned`` line alone would
# mislead, since with a stacker it holds only the codes the dictionary lacked.
MEANING = {
    "dictionary": "the codebook patterns' codes that count (with a stacker: those it kept)",
    "semantic": "codes by similarity to the theme definitions, scored on their own",
    "learned": "the trained coder's codes: without a stacker every pair its classifiers "
    "pass, dictionary ones too; with a stacker only those it added to the dictionary's, "
    "so its recall is capped by what the dictionary missed",
    "classifiers": "the trained classifiers by themselves at the codebook's threshold, "
    "dictionary and stacker ignored; not part of combined",
    COMBINED: "every method together: the pipeline's codes",
}
BOOTSTRAP = 1000
SEED = 20260514


@dataclass
class MethodScore:
    """One method's theme scores on one kind of text: point values and 95 % intervals."""

    method: str
    kind: str  # "documents" or "survey"
    n_respondents: int
    n_answers: int
    micro: tuple[float, float, float]  # precision, recall, F1
    macro: tuple[float, float, float]
    micro_ci: tuple[tuple[float, float], ...] = field(default_factory=tuple)
    macro_ci: tuple[tuple[float, float], ...] = field(default_factory=tuple)


def _prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _scores(counts: np.ndarray, weights: np.ndarray) -> tuple[tuple, tuple]:
    """Micro and macro (P, R, F1) from per-respondent ``counts[resp, theme, (tp, fp, fn)]``."""
    per_theme = np.tensordot(weights, counts, axes=1)  # (theme, 3)
    micro = _prf(*per_theme.sum(0))
    seen = per_theme.sum(1) > 0
    rows = [_prf(*per_theme[t]) for t in np.nonzero(seen)[0]]
    macro = tuple(float(np.mean(c)) for c in zip(*rows, strict=True)) if rows else (0.0, 0.0, 0.0)
    return micro, macro


def score_methods(
    records,
    respondents: pd.DataFrame,
    codes: pd.DataFrame,
    bootstrap: int = BOOTSTRAP,
    seed: int = SEED,
    alone: dict[str, pd.DataFrame] | None = None,
) -> list[MethodScore]:
    """Theme scores per method and combined, for documents and survey answers separately.

    ``alone``: more lines, each a table with ``respondent_id``, ``question_id`` and
    ``theme_id`` columns, scored under its key and left out of ``combined``.
    """
    rid_of = {}
    for r in respondents.itertuples(index=False):
        rid_of.setdefault(_key(r.source_file, r.source_row), str(r.respondent_id))
    got: dict[str, dict[tuple[str, str], set[str]]] = defaultdict(lambda: defaultdict(set))
    for rid, qid, tid, method in zip(
        codes["respondent_id"].astype(str), codes["question_id"].astype(str),
        codes["theme_id"].astype(str), codes["method"].astype(str), strict=True,
    ):  # fmt: skip
        got[method][(rid, qid)].add(tid)
        got[COMBINED][(rid, qid)].add(tid)
    methods = sorted(m for m in got if m != COMBINED)
    # One method alone: 'combined' would repeat its row, so it is printed once.
    if len(methods) != 1:
        methods.append(COMBINED)
    for name, pairs in (alone or {}).items():
        for rid, qid, tid in zip(
            pairs["respondent_id"].astype(str), pairs["question_id"].astype(str),
            pairs["theme_id"].astype(str), strict=True,
        ):  # fmt: skip
            got[name][(rid, qid)].add(tid)
        methods.append(name)
    out: list[MethodScore] = []
    for kind in ("documents", "survey"):
        recs = [r for r in records if (r.row is None) == (kind == "documents")]
        items = [
            (i, rid_of.get(_key(r.file, r.row), ""), a)
            for i, r in enumerate(recs)
            for a in r.answers
            if a.themes is not None and a.text.strip()
        ]
        if not items:
            continue
        respondents_used = sorted({i for i, _, _ in items})
        index = {i: k for k, i in enumerate(respondents_used)}
        themes = sorted({t for _, _, a in items for t in a.themes} | {
            t for m in methods for (_, _), ts in got[m].items() for t in ts
        })  # fmt: skip
        tix = {t: k for k, t in enumerate(themes)}
        rng = np.random.default_rng(seed)
        draws = [
            np.bincount(rng.integers(0, len(respondents_used), len(respondents_used)),
                        minlength=len(respondents_used))
            for _ in range(bootstrap)
        ]  # fmt: skip
        for method in methods:
            counts = np.zeros((len(respondents_used), len(themes), 3))
            for i, rid, a in items:
                gold, system = set(a.themes), got[method].get((rid, a.question), set())
                for t in gold & system:
                    counts[index[i], tix[t], 0] += 1
                for t in system - gold:
                    counts[index[i], tix[t], 1] += 1
                for t in gold - system:
                    counts[index[i], tix[t], 2] += 1
            micro, macro = _scores(counts, np.ones(len(respondents_used)))
            boot = [_scores(counts, w.astype(float)) for w in draws]
            ci = [
                tuple(
                    (float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5)))
                    for v in zip(*(b[which] for b in boot), strict=True)
                )
                for which in (0, 1)
            ] if boot else [(), ()]  # fmt: skip
            out.append(
                MethodScore(
                    method, kind, len(respondents_used), len(items), micro, macro, ci[0], ci[1]
                )
            )
    return out


def format_methods(name: str, scores: list[MethodScore]) -> str:
    """A small table: one line per (kind, method) with micro and macro P/R/F1 and intervals."""
    if not scores:
        return ""

    def cell(v: float, ci: tuple[float, float] | None) -> str:
        return f"{v:.2f} [{ci[0]:.2f}-{ci[1]:.2f}]" if ci else f"{v:.2f}"

    lines = [f"themes by method ({name}; micro and macro P / R / F1, bootstrap 95% CI):"]
    lines += [f"  ({m}: {MEANING[m]})" for m in dict.fromkeys(s.method for s in scores)
              if m in MEANING]  # fmt: skip
    for s in scores:
        micro = " ".join(
            cell(v, s.micro_ci[k] if s.micro_ci else None) for k, v in enumerate(s.micro)
        )
        macro = " ".join(
            cell(v, s.macro_ci[k] if s.macro_ci else None) for k, v in enumerate(s.macro)
        )
        lines.append(
            f"  {s.kind:<9} {s.method:<11} n={s.n_answers:<4} micro {micro}  macro {macro}"
        )
    return "\n".join(lines)
