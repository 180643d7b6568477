"""Who responded and which questions they answered: the profile and per-question counts."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from helpers.analysis.counting import (
    answered,
    group_label,
    group_order,
    non_substantive,
    percent_of,
)
from helpers.analysis.quotes import attributions
from helpers.core.consultation import Consultation


def respondent_profile(
    respondents: pd.DataFrame, by: str = "respondent_type", labels: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Responses by respondent type (or another attribute): ``by``, label, n, percent of all.

    Types appear in schemas.RESPONDENT_TYPES order; only types present are listed.
    With ``by`` another column of ``respondents`` (``breakdowns.breakdown_by``
    adds an attribute's) and ``labels`` its value labels in display order.
    """
    counts = respondents[by].astype(str).value_counts()
    order = group_order(counts.index, labels)
    total = int(counts.sum())
    df = pd.DataFrame(
        {
            by: order,
            "label": [group_label(t, labels) for t in order],
            "n": [int(counts[t]) for t in order],
        }
    )
    df["percent"] = [percent_of(k, total) for k in df["n"]]
    return df.astype({by: "string", "label": "string", "n": "int64", "percent": "float64"})


def _looked_up(names: pd.Series, ids: pd.Series) -> list:
    """``[names[r] for r in ids]``, by one ``reindex`` when the ids are unique (issue 15: a
    pandas look-up per respondent was linear Python work in the analysis and the report)."""
    if names.index.is_unique:
        return names.reindex(ids.to_numpy()).tolist()
    return [names[r] for r in ids]


def questions_answered(
    respondents: pd.DataFrame,
    answers: pd.DataFrame,
    consultation: Consultation,
    stances: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Which questions each respondent answered: one row per respondent, a boolean column per question.

    Columns: respondent_id, attribution, respondent_type, then the consultation's
    question ids in order, then n_answered (of the consultation's questions).
    """
    got = answered(answers, stances)
    qids = consultation.question_ids
    names = attributions(respondents)
    ordered = respondents.sort_values("respondent_id")
    ids = ordered["respondent_id"].astype(object)
    # One membership test per question over the column, not a lookup per respondent and question.
    df = pd.DataFrame(
        {
            "respondent_id": ids.to_numpy(),
            "attribution": _looked_up(names, ids),
            "respondent_type": ordered["respondent_type"].astype(object).to_numpy(),
            **{
                q: ids.isin(got.loc[got["question_id"] == q, "respondent_id"]).to_numpy()
                for q in qids
            },
        },
        columns=["respondent_id", "attribution", "respondent_type", *qids],
    )
    df[qids] = df[qids].astype(bool)
    df["n_answered"] = df[qids].sum(axis=1).astype("int64")
    return df


def question_counts(
    respondents: pd.DataFrame,
    answers: pd.DataFrame,
    consultation: Consultation,
    stances: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per question: question_id, label, kind, n_answered, n_no_substantive, n_not_answered,
    percent_answered, base.

    Every respondent is in exactly one of n_answered, n_no_substantive (wrote
    only a non-answer such as "No comment") and n_not_answered (nothing), so
    the three add up to ``base``, the number of respondents.
    """
    qa = questions_answered(respondents, answers, consultation, stances)
    total = len(qa)
    ids = set(respondents["respondent_id"].astype(str))
    nothing = non_substantive(answers, stances)
    nothing = nothing[nothing["respondent_id"].isin(ids)]
    per_q = nothing.groupby("question_id")["respondent_id"].nunique()
    rows = []
    for q in consultation.questions:
        k = int(qa[q.id].sum()) if total else 0
        m = int(per_q.get(q.id, 0))
        rows.append(
            {
                "question_id": q.id,
                "label": q.label,
                "kind": q.kind,
                "n_answered": k,
                "n_no_substantive": m,
                "n_not_answered": total - k - m,
                "percent_answered": percent_of(k, total),
                "base": total,
            }
        )
    return pd.DataFrame(rows)
