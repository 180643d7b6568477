"""Agreement between the automatic coder and human coders.

Each hand-coded answer x theme (only themes that apply to the answer's
question) is a yes/no decision made by two coders: the human and the
automatic coder (a code counts only when ``negated`` is False). Per theme and
pooled over all themes we report prevalence, percent agreement, Cohen's kappa,
Krippendorff's alpha (nominal), and the precision and recall of the automatic
coder taking the human as the reference, with seeded bootstrap confidence
intervals that resample *answers* (so the themes of one answer stay together).

Stances are compared on the five-point scale: exact agreement, ordinal
Krippendorff's alpha and quadratic-weighted kappa.

The statistics are implemented here (small, vectorised for the bootstrap) and
checked in tests against published worked examples and the ``krippendorff``
package.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from helpers.core.errors import InputError
from helpers.core.schemas import CODES, STANCE_SCORES, STANCES, counted_codes, empty

if TYPE_CHECKING:
    from helpers.coding import Codebook

log = logging.getLogger(__name__)

HAND_COLUMNS = ["respondent_id", "question_id", "theme_id"]
_THEME_RE = re.compile(r"^[a-z0-9_]+$")
_OPENING_CHARS = 240


class HandCodingError(InputError, ValueError):
    """A hand-coding file is invalid; the message names the file, line and what to fix."""


# --------------------------------------------------------------------------- statistics


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


def _binary_stats(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray, tn: np.ndarray) -> dict:
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
    s = _binary_stats((h & a).sum(), (~h & a).sum(), (h & ~a).sum(), (~h & ~a).sum())
    return float(s["precision"]), float(s["recall"])


# --------------------------------------------------------------------------- loading


def load_hand_coding(
    path: str | Path, answers: pd.DataFrame | None = None, **qdpx_tables: Any
) -> pd.DataFrame:
    """Read a hand-coding table: respondent_id, question_id, theme_id (+ optional quote, coder, note).

    ``path`` may be a CSV (lines starting with '#' before the header are
    comments; an empty theme_id marks an answer coded with no theme), a filled
    sampling workbook (.xlsx, see ``sampling.export_sample_workbook``) or a
    REFI-QDA project (.qdpx; needs ``answers`` and ``respondents=``, ``codes=``,
    ``codebook=`` to map selections back to answers). Duplicate rows are dropped.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from helpers.validate.sampling import read_sample_workbook

        return read_sample_workbook(path)
    if suffix == ".qdpx":
        if answers is None or not {"respondents", "codes", "codebook"} <= set(qdpx_tables):
            raise HandCodingError(
                f"{path}: reading hand coding from a REFI-QDA project needs the answers, "
                "respondents, codes and codebook (load_hand_coding(path, answers, respondents=..., codes=..., codebook=...))"
            )
        from helpers.validate.qdpx import hand_coding_from_qdpx

        return hand_coding_from_qdpx(
            path,
            qdpx_tables["respondents"],
            answers,
            qdpx_tables["codebook"],
            qdpx_tables.get("consultation"),
        )
    return _read_hand_csv(path)


def _read_hand_csv(path: Path) -> pd.DataFrame:
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise HandCodingError(f"{path}: hand-coding file not found") from exc
    lines = raw.splitlines()
    skip = 0
    while skip < len(lines) and (lines[skip].lstrip().startswith("#") or not lines[skip].strip()):
        skip += 1
    reader = csv.reader(lines[skip:])
    header = next(reader, None)
    if header is None:
        raise HandCodingError(f"{path}: empty file; expected a header {','.join(HAND_COLUMNS)}")
    header = [h.strip() for h in header]
    missing = [c for c in HAND_COLUMNS if c not in header]
    if missing:
        raise HandCodingError(
            f"{path}: line {skip + 1}: missing column(s) {missing}; the header must include {HAND_COLUMNS}"
        )
    rows = []
    for i, values in enumerate(reader):
        line = skip + 2 + i
        if not values or all(not v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise HandCodingError(
                f"{path}: line {line}: {len(values)} fields, expected {len(header)} ({','.join(header)})"
            )
        row = {h: v.strip() for h, v in zip(header, values, strict=True)}
        _check_row(row, f"{path}: line {line}")
        rows.append(row)
    return _finish_hand_table(pd.DataFrame(rows, columns=header), str(path))


def _check_row(row: dict, where: str) -> None:
    for col in ("respondent_id", "question_id"):
        if not row[col]:
            raise HandCodingError(f"{where}: empty {col}; every row names the answer it codes")
    if row["theme_id"] and not _THEME_RE.match(row["theme_id"]):
        raise HandCodingError(
            f"{where}: theme_id {row['theme_id']!r} is not a theme id (a-z, 0-9, _); leave it empty for an answer with no theme"
        )


def _finish_hand_table(df: pd.DataFrame, where: str) -> pd.DataFrame:
    """Columns in order, string dtype, empty theme as <NA>, duplicates dropped."""
    for col in ("quote", "coder", "note"):
        if col not in df.columns:
            df[col] = pd.NA
    df = df[[*HAND_COLUMNS, "quote", "coder", "note"]].astype("string")
    df["theme_id"] = df["theme_id"].replace("", pd.NA)
    for col in ("quote", "coder", "note"):
        df[col] = df[col].replace("", pd.NA)
    dup = df.duplicated(subset=HAND_COLUMNS, keep="first")
    if dup.any():
        log.warning("%s: %d duplicate hand-coded row(s) ignored", where, int(dup.sum()))
        df = df[~dup]
    return df.reset_index(drop=True)


def hand_coding_provenance(path: str | Path) -> str:
    """The '#' comment lines above a hand-coding CSV's header (who coded it, when, how), joined.

    Reports should quote this so readers know whether the "human" coder was a
    researcher, a team, or something else. Empty for workbooks, projects and
    CSVs without comments.
    """
    path = Path(path)
    if path.suffix.lower() != ".csv" or not path.is_file():
        return ""
    notes = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if not line.lstrip().startswith("#"):
            break
        notes.append(line.lstrip().lstrip("#").strip())
    return " ".join(n for n in notes if n)


def load_hand_stances(path: str | Path) -> pd.DataFrame:
    """Read hand-coded stances: respondent_id, question_id, stance (one of schemas.STANCES)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError as exc:
        raise HandCodingError(f"{path}: hand-coded stance file not found") from exc
    skip = 0
    while skip < len(lines) and (lines[skip].lstrip().startswith("#") or not lines[skip].strip()):
        skip += 1
    reader = csv.DictReader(lines[skip:])
    need = ["respondent_id", "question_id", "stance"]
    if reader.fieldnames is None or any(c not in reader.fieldnames for c in need):
        raise HandCodingError(f"{path}: line {skip + 1}: the header must include {need}")
    rows = []
    for i, row in enumerate(reader):
        where = f"{path}: line {skip + 2 + i}"
        stance = (row.get("stance") or "").strip()
        if stance not in STANCES:
            raise HandCodingError(f"{where}: stance {stance!r} is not one of {list(STANCES)}")
        if not (row["respondent_id"] or "").strip() or not (row["question_id"] or "").strip():
            raise HandCodingError(f"{where}: respondent_id and question_id must not be empty")
        rows.append({c: row[c].strip() for c in need})
    return pd.DataFrame(rows, columns=need).astype("string")


# --------------------------------------------------------------------------- comparison


def decision_table(
    codes: pd.DataFrame, answers: pd.DataFrame, hand_coded: pd.DataFrame, codebook: Codebook
) -> pd.DataFrame:
    """One row per hand-coded answer x applicable theme: human and auto 0/1 and a quote.

    Columns: respondent_id, question_id, theme_id, human, auto, quote (the
    automatic evidence sentence, else the human's quote if given, else the
    answer's opening words). Raises HandCodingError for a theme the codebook lacks.
    """
    themes = codebook.themes
    known = set(codebook.theme_ids)
    hand = hand_coded.copy()
    unknown = sorted(set(hand["theme_id"].dropna()) - known)
    if unknown:
        raise HandCodingError(
            f"hand coding uses theme id(s) {unknown} that are not in the codebook; fix the ids or add the themes"
        )
    units = hand[["respondent_id", "question_id"]].drop_duplicates()
    human = {(r, q, t) for r, q, t in hand[HAND_COLUMNS].dropna().itertuples(index=False)}
    human_quotes = {}
    if "quote" in hand.columns:
        for r, q, t, qu in hand[[*HAND_COLUMNS, "quote"]].dropna().itertuples(index=False):
            human_quotes.setdefault((r, q, t), qu)
    if codes is None or len(codes) == 0:
        codes = empty(CODES)
    live = counted_codes(codes)
    auto_quotes: dict[tuple, str] = {}
    for r, q, t, qu in live.sort_values("start")[
        ["respondent_id", "question_id", "theme_id", "quote"]
    ].itertuples(index=False):
        auto_quotes.setdefault((r, q, t), qu)
    openings = {}
    for r, q, text in answers[["respondent_id", "question_id", "answer_text"]].itertuples(
        index=False
    ):
        text = "" if pd.isna(text) else " ".join(str(text).split())
        openings[(r, q)] = (
            text if len(text) <= _OPENING_CHARS else text[:_OPENING_CHARS].rsplit(" ", 1)[0] + "…"
        )
    missing = [(r, q) for r, q in units.itertuples(index=False) if (r, q) not in openings]
    if missing:
        log.warning(
            "%d hand-coded answer(s) not found in the answers table (counted as not coded automatically): %s",
            len(missing),
            missing[:5],
        )
    stray = sorted({(r, q, t) for r, q, t in human if not codebook.theme(t).applies_to(q)})
    if stray:
        log.warning(
            "%d hand-coded theme(s) do not apply to their question in the codebook and are not compared: %s",
            len(stray),
            stray[:5],
        )
    rows = []
    for r, q in units.itertuples(index=False):
        for t in themes:
            if not t.applies_to(q):
                continue
            key = (r, q, t.id)
            h, a = int(key in human), int(key in auto_quotes)
            quote = auto_quotes.get(key) or human_quotes.get(key) or openings.get((r, q), "")
            rows.append((r, q, t.id, h, a, quote))
    return pd.DataFrame(
        rows, columns=["respondent_id", "question_id", "theme_id", "human", "auto", "quote"]
    ).astype(
        {
            "respondent_id": "string",
            "question_id": "string",
            "theme_id": "string",
            "human": "int64",
            "auto": "int64",
            "quote": "string",
        }
    )


@dataclass
class Agreement:
    """Result of ``compare``: the decisions, per-theme and overall statistics, disagreements."""

    decisions: pd.DataFrame
    per_theme: pd.DataFrame
    overall: dict
    disagreements: pd.DataFrame


def _bootstrap_weights(n_units: int, n_boot: int, seed: int) -> np.ndarray:
    """n_boot x n_units resampling counts (sampling answers with replacement)."""
    rng = np.random.default_rng(seed)
    if n_units == 0:
        return np.zeros((n_boot, 0))
    return rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=n_boot).astype(float)


def _stats_with_ci(
    h: np.ndarray, a: np.ndarray, unit: np.ndarray, weights: np.ndarray, ci: float
) -> dict:
    cells = {
        "tp": (h == 1) & (a == 1),
        "fp": (h == 0) & (a == 1),
        "fn": (h == 1) & (a == 0),
        "tn": (h == 0) & (a == 0),
    }
    point = _binary_stats(*(c.sum() for c in cells.values()))
    out = {k: (float(v) if np.ndim(v) == 0 else v) for k, v in point.items()}
    out.update({k: int(v.sum()) for k, v in cells.items()})
    w = weights[:, unit] if len(unit) else np.zeros((weights.shape[0], 0))
    boot = _binary_stats(*(w @ c.astype(float) for c in cells.values()))
    lo_q, hi_q = (1 - ci) / 2 * 100, (1 + ci) / 2 * 100
    for key in ("kappa", "alpha", "percent_agreement", "precision", "recall"):
        vals = boot[key][~np.isnan(boot[key])]
        lo, hi = np.percentile(vals, [lo_q, hi_q]) if len(vals) else (np.nan, np.nan)
        out[f"{key}_lo"], out[f"{key}_hi"] = float(lo), float(hi)
    return out


def compare(
    codes: pd.DataFrame,
    answers: pd.DataFrame,
    hand_coded: pd.DataFrame,
    codebook: Codebook,
    n_boot: int = 1000,
    seed: int = 0,
    ci: float = 0.95,
) -> Agreement:
    """Compare automatic codes with hand coding over the hand-coded answers.

    Confidence intervals are bootstrap percentiles over ``n_boot`` resamples of
    answers (seeded, so reruns give the same intervals). Statistics that are
    undefined (e.g. kappa when neither coder ever used a theme) are NaN.
    """
    decisions = decision_table(codes, answers, hand_coded, codebook)
    unit_keys = list(
        dict.fromkeys(zip(decisions["respondent_id"], decisions["question_id"], strict=True))
    )
    unit_index = {k: i for i, k in enumerate(unit_keys)}
    unit = np.array(
        [
            unit_index[k]
            for k in zip(decisions["respondent_id"], decisions["question_id"], strict=True)
        ],
        dtype=int,
    )
    weights = _bootstrap_weights(len(unit_keys), n_boot, seed)
    h = decisions["human"].to_numpy()
    a = decisions["auto"].to_numpy()
    labels = {t.id: t.label for t in codebook.themes}
    rows = []
    for theme_id in codebook.theme_ids:
        m = (decisions["theme_id"] == theme_id).to_numpy()
        if not m.any():
            continue
        s = _stats_with_ci(h[m], a[m], unit[m], weights, ci)
        rows.append({"theme_id": theme_id, "label": labels[theme_id], **s})
    columns = [
        "theme_id", "label", "n", "prevalence_human", "prevalence_auto", "percent_agreement",
        "kappa", "kappa_lo", "kappa_hi", "alpha", "alpha_lo", "alpha_hi",
        "precision", "precision_lo", "precision_hi", "recall", "recall_lo", "recall_hi",
        "tp", "fp", "fn", "tn",
    ]  # fmt: skip
    per_theme = pd.DataFrame(rows, columns=columns)
    per_theme["n"] = per_theme["n"].astype("int64")
    overall = _stats_with_ci(h, a, unit, weights, ci)
    overall["n_answers"] = len(unit_keys)
    overall["n_themes"] = int(decisions["theme_id"].nunique())
    overall["n_decisions"] = len(decisions)
    dis = decisions[decisions["human"] != decisions["auto"]].copy()
    dis["kind"] = np.where(dis["auto"] == 1, "auto only", "human only")
    dis = dis[["respondent_id", "question_id", "theme_id", "kind", "quote"]].reset_index(drop=True)
    return Agreement(decisions=decisions, per_theme=per_theme, overall=overall, disagreements=dis)


def report_summary(
    codes: pd.DataFrame,
    answers: pd.DataFrame,
    hand_coded: pd.DataFrame,
    codebook: Codebook,
    n_boot: int = 1000,
    seed: int = 0,
) -> dict:
    """The agreement summary the report's method section uses (docs/CONTRACTS.md).

    Keys: n_answers, n_themes, percent_agreement, kappa, kappa_ci, alpha,
    alpha_ci, precision, recall, per_theme (DataFrame: theme_id,
    prevalence_human, prevalence_auto, percent_agreement, kappa, alpha,
    precision, recall).
    """
    res = compare(codes, answers, hand_coded, codebook, n_boot=n_boot, seed=seed)
    o = res.overall
    return {
        "n_answers": int(o["n_answers"]),
        "n_themes": int(o["n_themes"]),
        "percent_agreement": o["percent_agreement"],
        "kappa": o["kappa"],
        "kappa_ci": (o["kappa_lo"], o["kappa_hi"]),
        "alpha": o["alpha"],
        "alpha_ci": (o["alpha_lo"], o["alpha_hi"]),
        "precision": o["precision"],
        "recall": o["recall"],
        "per_theme": res.per_theme[
            [
                "theme_id",
                "prevalence_human",
                "prevalence_auto",
                "percent_agreement",
                "kappa",
                "alpha",
                "precision",
                "recall",
            ]
        ].reset_index(drop=True),
    }


# --------------------------------------------------------------------------- stances


@dataclass
class StanceAgreement:
    """Result of ``compare_stances``: paired stances and summary statistics."""

    pairs: pd.DataFrame
    summary: dict


def compare_stances(stances: pd.DataFrame, hand_stances: pd.DataFrame) -> StanceAgreement:
    """Compare automatic stances (STANCES_TABLE) with hand-coded ones on the five-point scale.

    Pairs where either side is ``not_answered`` count towards ``n_pairs`` and
    exact agreement but are missing values for alpha and weighted kappa.
    Summary keys: n_pairs, n_scored, exact_agreement, alpha_ordinal,
    weighted_kappa (quadratic).
    """
    merged = hand_stances.merge(
        stances[["respondent_id", "question_id", "stance"]],
        on=["respondent_id", "question_id"],
        how="left",
        suffixes=("_human", "_auto"),
    )
    merged["stance_auto"] = merged["stance_auto"].fillna("not_answered")
    merged["agree"] = merged["stance_human"] == merged["stance_auto"]
    hs = merged["stance_human"].map(STANCE_SCORES).astype("float64")
    as_ = merged["stance_auto"].map(STANCE_SCORES).astype("float64")
    both = hs.notna() & as_.notna()
    cats = sorted(STANCE_SCORES.values())
    summary = {
        "n_pairs": len(merged),
        "n_scored": int(both.sum()),
        "exact_agreement": float(merged["agree"].mean()) if len(merged) else float("nan"),
        "alpha_ordinal": krippendorff_alpha(np.vstack([hs.to_numpy(), as_.to_numpy()]), "ordinal")
        if len(merged)
        else float("nan"),
        "weighted_kappa": weighted_kappa(hs[both].tolist(), as_[both].tolist(), cats)
        if both.any()
        else float("nan"),
    }
    merged["agree"] = merged["agree"].astype("boolean")
    return StanceAgreement(pairs=merged, summary=summary)


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


def plot_agreement(per_theme: pd.DataFrame, ax: Any = None) -> Any:
    """Kappa and alpha per theme with bootstrap confidence intervals (a matplotlib Figure).

    Themes where a statistic is undefined (neither coder varied) are left out
    of that series and marked "undefined" on the axis.
    """
    import matplotlib.pyplot as plt

    n = len(per_theme)
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 0.35 * n + 1.5))
    else:
        fig = ax.figure
    y = np.arange(n)
    for offset, stat, colour in ((-0.15, "kappa", "#1f77b4"), (0.15, "alpha", "#ff7f0e")):
        v = per_theme[stat].to_numpy(dtype=float)
        lo = per_theme[f"{stat}_lo"].to_numpy(dtype=float)
        hi = per_theme[f"{stat}_hi"].to_numpy(dtype=float)
        ok = ~np.isnan(v)
        err = np.vstack([np.clip(v - lo, 0, None), np.clip(hi - v, 0, None)])
        err = np.nan_to_num(err)
        name = "Cohen's kappa" if stat == "kappa" else "Krippendorff's alpha"
        ax.errorbar(
            v[ok], y[ok] + offset, xerr=err[:, ok], fmt="o", color=colour, capsize=3, label=name
        )
    labels = [
        f"{lab} (undefined)" if np.isnan(k) else str(lab)
        for lab, k in zip(per_theme["label"], per_theme["kappa"].to_numpy(dtype=float), strict=True)
    ]
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.axvline(0, color="grey", lw=0.8)
    ax.axvline(0.8, color="grey", lw=0.8, ls="--")
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel("agreement with the hand coding\n(95% bootstrap intervals; dashed line at 0.8)")
    ax.legend(loc="lower left", fontsize="small")
    fig.tight_layout()
    return fig
