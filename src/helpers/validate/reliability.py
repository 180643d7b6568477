"""Inter-coder reliability statistics: kappa, alpha, precision and recall, bootstrap intervals.

Cohen's kappa (nominal and weighted), Krippendorff's alpha (nominal, ordinal,
interval, ratio), and the precision and recall of one coder taking the other as
the reference. The two-coder yes/no statistics work on 2x2 counts held in arrays,
so a seeded bootstrap that resamples *answers* (keeping the themes of one answer
together) is one vectorised call.

The statistics are implemented here (small, vectorised for the bootstrap) and
checked in tests against published worked examples and the ``krippendorff``
package.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def cohen_kappa(a: Sequence[Any], b: Sequence[Any]) -> float:
    """Cohen's kappa for two coders' nominal labels of the same items.

    NaN when chance agreement is 1 (both coders used one and the same label
    throughout), where kappa is undefined.
    """
    a = np.asarray(a, dtype=object)
    b = np.asarray(b, dtype=object)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("cohen_kappa: a and b must be 1-D sequences of equal length")
    n = len(a)
    if n == 0:
        return float("nan")
    cats = sorted(set(a.tolist()) | set(b.tolist()), key=str)
    po = float(np.mean(a == b))
    pe = sum(float(np.mean(a == c)) * float(np.mean(b == c)) for c in cats)
    return float("nan") if pe >= 1.0 else (po - pe) / (1.0 - pe)


def weighted_kappa(
    a: Sequence[float], b: Sequence[float], categories: Sequence[float], weights: str = "quadratic"
) -> float:
    """Cohen's weighted kappa for ordinal labels (``weights``: 'linear' or 'quadratic')."""
    cats = list(categories)
    k = len(cats)
    index = {c: i for i, c in enumerate(cats)}
    obs = np.zeros((k, k))
    for x, y in zip(a, b, strict=True):
        obs[index[x], index[y]] += 1
    n = obs.sum()
    if n == 0:
        return float("nan")
    i, j = np.indices((k, k))
    power = {"linear": 1, "quadratic": 2}[weights]
    w = (np.abs(i - j) / max(k - 1, 1)) ** power
    expected = np.outer(obs.sum(1), obs.sum(0)) / n
    denom = (w * expected).sum()
    return float("nan") if denom == 0 else float(1 - (w * obs).sum() / denom)


def krippendorff_alpha(data: Any, level: str = "nominal") -> float:
    """Krippendorff's alpha for a coders x units array (NaN = missing).

    ``level``: nominal, ordinal, interval or ratio. Follows Krippendorff (2011),
    "Computing Krippendorff's Alpha-Reliability": a coincidence matrix over
    units with at least two values, and the level's difference function.
    """
    arr = np.asarray(data, dtype=float)
    if arr.ndim != 2:
        raise ValueError("krippendorff_alpha: data must be 2-D (coders x units)")
    values = np.unique(arr[~np.isnan(arr)])
    if len(values) < 2:
        return float("nan")
    index = {v: i for i, v in enumerate(values)}
    k = len(values)
    o = np.zeros((k, k))
    for unit in arr.T:
        vals = unit[~np.isnan(unit)]
        m = len(vals)
        if m < 2:
            continue
        counts = np.zeros(k)
        for v in vals:
            counts[index[v]] += 1
        # Ordered pairs of different coders within the unit, each weighted 1/(m-1).
        o += (np.outer(counts, counts) - np.diag(counts)) / (m - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    if n <= 1:
        return float("nan")
    delta = _difference(values, n_c, level)
    d_o = (o * delta).sum() / n
    d_e = (np.outer(n_c, n_c) * delta).sum() / (n * (n - 1))
    return float("nan") if d_e == 0 else float(1 - d_o / d_e)


def _difference(values: np.ndarray, n_c: np.ndarray, level: str) -> np.ndarray:
    """Squared difference matrix delta^2(c, k) for the measurement level."""
    c, k = np.meshgrid(values, values, indexing="ij")
    if level == "nominal":
        return (c != k).astype(float)
    if level == "interval":
        return (c - k) ** 2
    if level == "ratio":
        s = c + k
        return np.where(s == 0, 0.0, ((c - k) / np.where(s == 0, 1, s)) ** 2)
    if level == "ordinal":
        cum = np.cumsum(n_c)
        i, j = np.meshgrid(np.arange(len(values)), np.arange(len(values)), indexing="ij")
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        # sum of n_g for g from lo to hi, minus half the two end categories.
        between = cum[hi] - np.where(lo > 0, cum[lo - 1], 0)
        return (between - (n_c[i] + n_c[j]) / 2) ** 2
    raise ValueError(
        f"krippendorff_alpha: unknown level {level!r}; use nominal, ordinal, interval or ratio"
    )


def binary_stats(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray, tn: np.ndarray) -> dict:
    """Agreement statistics from 2x2 counts (arrays, so a bootstrap is one call).

    tp: both yes; fp: auto yes, human no; fn: human yes, auto no; tn: both no.
    """
    tp, fp, fn, tn = (np.asarray(x, dtype=float) for x in (tp, fp, fn, tn))
    n = tp + fp + fn + tn
    with np.errstate(divide="ignore", invalid="ignore"):
        po = (tp + tn) / n
        h1, a1 = (tp + fn) / n, (tp + fp) / n
        pe = h1 * a1 + (1 - h1) * (1 - a1)
        kappa = np.where(pe >= 1, np.nan, (po - pe) / (1 - pe))
        # Two coders, no missing values: the coincidence matrix is o_kk = 2 n_kk,
        # o_01 = o_10 = disagreements, so alpha = 1 - (2n - 1) D / (n_0 n_1).
        n0 = 2 * tn + fp + fn
        n1 = 2 * tp + fp + fn
        alpha = np.where(n0 * n1 == 0, np.nan, 1 - (2 * n - 1) * (fp + fn) / (n0 * n1))
        precision = np.where(tp + fp == 0, np.nan, tp / (tp + fp))
        recall = np.where(tp + fn == 0, np.nan, tp / (tp + fn))
    # Exact values (kappa 0 when observed equals chance) without float dust.
    kappa, alpha = np.round(kappa, 12), np.round(alpha, 12)
    return {
        "n": n,
        "prevalence_human": h1,
        "prevalence_auto": a1,
        "percent_agreement": po,
        "kappa": kappa,
        "alpha": alpha,
        "precision": precision,
        "recall": recall,
    }


def precision_recall(human: Sequence[int], auto: Sequence[int]) -> tuple[float, float]:
    """Precision and recall of ``auto`` against the reference ``human`` (0/1 labels)."""
    h = np.asarray(human, dtype=bool)
    a = np.asarray(auto, dtype=bool)
    s = binary_stats((h & a).sum(), (~h & a).sum(), (h & ~a).sum(), (~h & ~a).sum())
    return float(s["precision"]), float(s["recall"])


def bootstrap_weights(n_units: int, n_boot: int, seed: int) -> np.ndarray:
    """n_boot x n_units resampling counts (sampling answers with replacement)."""
    rng = np.random.default_rng(seed)
    if n_units == 0:
        return np.zeros((n_boot, 0))
    return rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=n_boot).astype(float)


def stats_with_ci(
    h: np.ndarray, a: np.ndarray, unit: np.ndarray, weights: np.ndarray, ci: float
) -> dict:
    """Yes/no statistics of human ``h`` vs auto ``a`` with bootstrap percentile intervals.

    ``unit`` gives each decision's answer (a column of ``weights``, from
    :func:`bootstrap_weights`); the result holds the point statistics, the 2x2
    counts (tp, fp, fn, tn) and ``<stat>_lo``/``<stat>_hi`` for kappa, alpha,
    percent agreement, precision and recall.
    """
    cells = {
        "tp": (h == 1) & (a == 1),
        "fp": (h == 0) & (a == 1),
        "fn": (h == 1) & (a == 0),
        "tn": (h == 0) & (a == 0),
    }
    point = binary_stats(*(c.sum() for c in cells.values()))
    out = {k: (float(v) if np.ndim(v) == 0 else v) for k, v in point.items()}
    out.update({k: int(v.sum()) for k, v in cells.items()})
    w = weights[:, unit] if len(unit) else np.zeros((weights.shape[0], 0))
    boot = binary_stats(*(w @ c.astype(float) for c in cells.values()))
    lo_q, hi_q = (1 - ci) / 2 * 100, (1 + ci) / 2 * 100
    for key in ("kappa", "alpha", "percent_agreement", "precision", "recall"):
        vals = boot[key][~np.isnan(boot[key])]
        lo, hi = np.percentile(vals, [lo_q, hi_q]) if len(vals) else (np.nan, np.nan)
        out[f"{key}_lo"], out[f"{key}_hi"] = float(lo), float(hi)
    return out


def agreement_label(value: float) -> str:
    """Landis & Koch (1977) wording for a kappa/alpha value, for plain-language tables."""
    if value is None or np.isnan(value):
        return "undefined"
    if value < 0:
        return "poor"
    for bound, word in ((0.2, "slight"), (0.4, "fair"), (0.6, "moderate"), (0.8, "substantial")):
        if value <= bound:
            return word
    return "almost perfect"
