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

This module builds the decisions and the result tables; the statistics
themselves are in ``reliability``, the reading of hand coding in ``hand_coding``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from helpers.core.palette import PALETTE
from helpers.core.schemas import CODES, STANCE_SCORES, counted_codes, empty
from helpers.validate.hand_coding import HAND_COLUMNS, HandCodingError, check_respondents
from helpers.validate.reliability import (
    bootstrap_weights,
    krippendorff_alpha,
    stats_with_ci,
    weighted_kappa,
)

if TYPE_CHECKING:
    from helpers.coding import Codebook

log = logging.getLogger(__name__)

_OPENING_CHARS = 240


def decision_table(
    codes: pd.DataFrame, answers: pd.DataFrame, hand_coded: pd.DataFrame, codebook: Codebook
) -> pd.DataFrame:
    """One row per hand-coded answer x applicable theme: human and auto 0/1 and a quote.

    Columns: respondent_id, question_id, theme_id, human, auto, quote (the
    automatic evidence sentence, else the human's quote if given, else the
    answer's opening words). Raises HandCodingError for a theme the codebook lacks
    and for hand-coded respondents not in ``answers`` (a stale file).
    """
    themes = codebook.themes
    known = set(codebook.theme_ids)
    hand = hand_coded.copy()
    unknown = sorted(set(hand["theme_id"].dropna()) - known)
    if unknown:
        raise HandCodingError(
            f"hand coding uses theme id(s) {unknown} that are not in the codebook; fix the ids or add the themes"
        )
    check_respondents(hand, answers)  # stale hand coding: an error, not "kappa 0.00"
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
    weights = bootstrap_weights(len(unit_keys), n_boot, seed)
    h = decisions["human"].to_numpy()
    a = decisions["auto"].to_numpy()
    labels = {t.id: t.label for t in codebook.themes}
    rows = []
    for theme_id in codebook.theme_ids:
        m = (decisions["theme_id"] == theme_id).to_numpy()
        if not m.any():
            continue
        s = stats_with_ci(h[m], a[m], unit[m], weights, ci)
        rows.append({"theme_id": theme_id, "label": labels[theme_id], **s})
    columns = [
        "theme_id", "label", "n", "prevalence_human", "prevalence_auto", "percent_agreement",
        "kappa", "kappa_lo", "kappa_hi", "alpha", "alpha_lo", "alpha_hi",
        "precision", "precision_lo", "precision_hi", "recall", "recall_lo", "recall_hi",
        "tp", "fp", "fn", "tn",
    ]  # fmt: skip
    per_theme = pd.DataFrame(rows, columns=columns)
    per_theme["n"] = per_theme["n"].astype("int64")
    overall = stats_with_ci(h, a, unit, weights, ci)
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

    Pairs where either side is ``not_answered`` or ``dont_know`` (no score)
    count towards ``n_pairs`` and exact agreement but are missing values for
    alpha and weighted kappa.
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
    for offset, stat, colour in (
        (-0.15, "kappa", PALETTE["blue"]),
        (0.15, "alpha", PALETTE["orange"]),
    ):
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
