"""Naming respondents and choosing the quotes that illustrate a theme.

Individuals are never named: attributions use the organisation's name, or a
stable 'Respondent N' numbered in respondent-id order. Quotes are exact evidence
sentences chosen by a deterministic rule, so they can be traced to the source.
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis.counting import INDIVIDUAL
from helpers.core.redact import redact_value
from helpers.core.schemas import counted_codes


def attributions(respondents: pd.DataFrame) -> pd.Series:
    """How each respondent is named in a report, indexed by respondent_id.

    Organisations are named; individuals, and anyone without an organisation
    name, become 'Respondent N' with N stable: their rank in respondent-id order.
    """
    ids = respondents["respondent_id"].astype(str)
    org = respondents["organisation"].astype("string").str.strip()
    anon = (respondents["respondent_type"].astype(str) == INDIVIDUAL) | org.isna() | (org == "")
    anon = anon.fillna(True).astype(bool).to_numpy()
    names = pd.Series(org.to_numpy(dtype=object), index=ids.to_numpy(), dtype=object)
    anon_ids = sorted(ids[anon])
    for i, rid in enumerate(anon_ids, start=1):
        names[rid] = f"Respondent {i}"
    return names.astype("string").rename("attribution")


def representative_quotes(
    codes: pd.DataFrame,
    respondents: pd.DataFrame,
    theme_id: str,
    question_id: str | None = None,
    n: int = 2,
    min_chars: int = 60,
    max_chars: int = 320,
    target_chars: int = 160,
) -> pd.DataFrame:
    """Up to ``n`` quotes illustrating a theme, chosen by a deterministic rule.

    Candidates are the non-negated evidence sentences for the theme (in the
    question, if given). Each respondent contributes at most one quote until
    every respondent has one, so quotes come from different respondents.
    Within a respondent, and then across respondents, sentences of moderate
    length (``min_chars``..``max_chars``) are preferred, closest to
    ``target_chars`` first; ties break on respondent id and position. Quotes are
    the exact evidence text (never trimmed), so they can be traced to the source,
    with personal data as typed placeholders (``core.redact``: ``[email]``, ``[name]``…).

    Columns: respondent_id, question_id, attribution, quote, start, end.
    """
    cols = ["respondent_id", "question_id", "attribution", "quote", "start", "end"]
    if codes.empty:
        return pd.DataFrame(columns=cols)
    c = counted_codes(codes)
    c = c[c["theme_id"] == theme_id]
    if question_id is not None:
        c = c[c["question_id"] == question_id]
    c = c[c["quote"].fillna("").astype(str).str.strip() != ""]
    c = c.drop_duplicates(["respondent_id", "start", "end"]).copy()
    if c.empty:
        return pd.DataFrame(columns=cols)
    length = c["quote"].astype(str).str.strip().str.len()
    c["out_of_range"] = ~length.between(min_chars, max_chars)
    c["distance"] = (length - target_chars).abs()
    c = c.sort_values(["out_of_range", "distance", "respondent_id", "start"])
    # Rank each respondent's candidates, then take everyone's best before anyone's second.
    c["rank"] = c.groupby("respondent_id").cumcount()
    c = c.sort_values(["rank", "out_of_range", "distance", "respondent_id", "start"]).head(n)
    c["attribution"] = c["respondent_id"].astype(str).map(attributions(respondents))
    c["quote"] = c["quote"].astype(str).str.strip().map(redact_value)
    return c[cols].reset_index(drop=True)
