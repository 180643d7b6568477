"""Stances on the closed questions: distributions (overall and by type), readable tables, details.

Every respondent has a stance on every closed question: a missing row counts as
``not_answered``, reported beside the base and never inside it.

**The base of the percentages** is the respondents who gave a view on the
five-point scale (strongly agree … strongly disagree, including "neither").
"Don't know" (``dont_know``) is a category of its own, counted and shown after
the five points, but outside the base, like ``not_answered``: "60% agreed"
means 60% of those who gave a view, and how many did not know or did not
answer is stated beside it. (GOV.UK analyses differ on this; stating the base
is what matters, and each table's caption does.)
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from helpers.analysis.counting import ALL, group_label, group_order, percent_of
from helpers.analysis.quotes import attributions
from helpers.core.consultation import Consultation
from helpers.core.formatting import format_percent
from helpers.core.schemas import SCALE_STANCES, STANCE_LABELS, STANCES


def _complete_stances(
    stances: pd.DataFrame,
    respondents: pd.DataFrame,
    question_ids: list[str],
    by: str = "respondent_type",
) -> pd.DataFrame:
    """One stance per (respondent, closed question): absent rows count as not_answered."""
    base = pd.MultiIndex.from_product(
        [respondents["respondent_id"].astype(str), question_ids],
        names=["respondent_id", "question_id"],
    ).to_frame(index=False)
    st = stances[["respondent_id", "question_id", "stance", "reservations"]].copy()
    st = st.astype({"respondent_id": str, "question_id": str})
    out = base.merge(st.drop_duplicates(["respondent_id", "question_id"]), how="left")
    out["stance"] = out["stance"].fillna("not_answered").astype(str)
    out["reservations"] = out["reservations"].fillna(False).astype(bool)
    types = respondents.set_index(respondents["respondent_id"].astype(str))[by].astype(str)
    out[by] = out["respondent_id"].map(types)
    return out


def stance_distribution(
    stances: pd.DataFrame,
    respondents: pd.DataFrame,
    consultation: Consultation | None = None,
    by_type: bool = False,
    by: str = "respondent_type",
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Stance counts per closed question, overall (and by respondent type, or ``by``).

    Long format, one row per (question_id, respondent_type, stance) with
    stance in schemas.STANCES order (the five points, ``dont_know``,
    ``not_answered``): ``n``; ``percent`` of ``base`` (NaN for the dont_know
    and not_answered rows, which are outside it); ``base``, the respondents in
    the group who gave a view on the five-point scale; ``n_answered``, those
    who answered at all (``base`` + ``n_dont_know``); ``n_dont_know``;
    ``n_not_answered``. ``respondent_type`` is 'all' for overall rows.
    With ``by`` another column of ``respondents`` (``breakdowns.breakdown_by``
    adds an attribute's), the groups are its values (in ``labels``' order) and
    the column is named ``by``.
    Questions are the consultation's closed questions (or those in ``stances``).
    """
    if consultation is not None:
        qids = [q.id for q in consultation.closed_questions]
    else:
        qids = list(dict.fromkeys(stances["question_id"].astype(str)))
    full = _complete_stances(stances, respondents, qids, by)
    groups: list[tuple[str, pd.DataFrame]] = [(ALL, full)]
    if by_type:
        groups += [(t, full[full[by] == t]) for t in group_order(full[by], labels)]
    rows = []
    for qid in qids:
        for group, df in groups:
            sub = df[df["question_id"] == qid]
            counts = sub["stance"].value_counts()
            missing = int(counts.get("not_answered", 0))
            dont_know = int(counts.get("dont_know", 0))
            base = int(sum(counts.get(s, 0) for s in SCALE_STANCES))
            for s in STANCES:
                k = int(counts.get(s, 0))
                rows.append(
                    {
                        "question_id": qid,
                        by: group,
                        "stance": s,
                        "stance_label": STANCE_LABELS[s],
                        "n": k,
                        "percent": percent_of(k, base) if s in SCALE_STANCES else float("nan"),
                        "base": base,
                        "n_answered": base + dont_know,
                        "n_dont_know": dont_know,
                        "n_not_answered": missing,
                    }
                )
    cols = [
        "question_id",
        by,
        "stance",
        "stance_label",
        "n",
        "percent",
        "base",
        "n_answered",
        "n_dont_know",
        "n_not_answered",
    ]
    ints = ("n", "base", "n_answered", "n_dont_know", "n_not_answered")
    return pd.DataFrame(rows, columns=cols).astype(
        {**dict.fromkeys(ints, "int64"), "percent": "float64"}
    )


def stance_table(
    distribution: pd.DataFrame,
    question_id: str,
    by: str = "respondent_type",
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """A readable wide table for one question from stance_distribution().

    Rows: groups (overall first, labelled 'All respondents'); columns: each
    point of the scale as 'count (percent of n)', then 'n' (the base: those
    who gave a view on the scale), 'Don't know' (a count, outside the base;
    only when someone in the question ticked it) and 'No answer'.
    """
    sub = distribution[distribution["question_id"] == question_id]
    base_col = "base" if "base" in sub.columns else "n_answered"
    show_dont_know = "n_dont_know" in sub.columns and bool((sub["n_dont_know"] > 0).any())
    rows = []
    for group, g in sub.groupby(by, sort=False):
        row = {"Group": "All respondents" if group == ALL else group_label(group, labels)}
        for r in g.itertuples(index=False):
            if r.stance not in SCALE_STANCES:
                continue
            n = getattr(r, base_col)
            # Same rounding as the narrative (half up), so table and text never disagree.
            row[r.stance_label] = f"{r.n} ({format_percent(r.n, n)})" if n else "0"
        row["n"] = int(g[base_col].iloc[0])
        if show_dont_know:
            row[STANCE_LABELS["dont_know"]] = int(g["n_dont_know"].iloc[0])
        row["No answer"] = int(g["n_not_answered"].iloc[0])
        rows.append(row)
    return pd.DataFrame(rows)


def stance_details(
    stances: pd.DataFrame, respondents: pd.DataFrame, question_id: str
) -> pd.DataFrame:
    """Per respondent for one closed question: attribution, stance, reservations, conflict,
    confidence, method (``unstructured``: read from a letter that follows no question),
    evidence and the reservation sentence.

    Sorted by stance scale order then attribution; used for naming stance groups
    and listing tick-box/text conflicts for a researcher to check.
    """
    names = attributions(respondents)
    sub = stances[stances["question_id"] == question_id].copy()
    sub["attribution"] = sub["respondent_id"].astype(str).map(names)
    sub["order"] = sub["stance"].map({s: i for i, s in enumerate(STANCES)})
    sub = sub.sort_values(["order", "attribution"]).drop(columns="order")
    cols = [
        "respondent_id",
        "attribution",
        "stance",
        "reservations",
        "conflict",
        "confidence",
        "method",
        "evidence",
        "reservation",
    ]
    return sub[[c for c in cols if c in sub.columns]].reset_index(drop=True)
