"""A named body whose words others sent as theirs is the campaign: its type from the copies.

Session 24. A campaign's own document says what it wants and invites supporters
to send the same words; its name often has no type word ("Kids First Riverside",
"Canal Street Voices", "Keep Riverside Moving") and the invitation is worded anew
each time ("Supporters are welcome to use these words in their own", "please copy
any of it into your own response": the ``campaign_group`` phrases of the
package's ``respondent_types.yaml`` read none of these three), so the rules type
it ``other`` (transport-24, -25 and -26: three batches running).

What does mark it is the copies: two or more other respondents sent its answers,
under two or more questions, as theirs. So a document typed ``other`` by
inference, with an organisation named, whose answers share campaign copy groups
with at least ``MIN_OTHERS`` other respondents under at least ``MIN_QUESTIONS``
questions is typed ``campaign_group``. Why each condition:

- ``other`` only: a type the rules gave from a type word (a charity, a council)
  is kept — members of a charity may copy its response.
- a named organisation: a supporter whose copy was read first (no name of a
  body: ofsted-docs-24's and -26's exact copies, transport-23's form) is one
  of the copies, not their source.
- two others under two questions: one shared answer, or one other sender,
  is a quotation or a pair of neighbours (transport-4's taxi firm, -11's café,
  -19's funeral director, -20's van hire: one question each).

On the ingest tables of every spent set (batches 1-26) exactly the three
campaign documents meet these conditions. Types from a manifest or a survey
column are never changed.
"""

from __future__ import annotations

import logging
from collections import defaultdict

import pandas as pd

log = logging.getLogger(__name__)

TYPE = "campaign_group"
MIN_OTHERS = 2
MIN_QUESTIONS = 2


def type_campaign_sources(respondents: pd.DataFrame, copies: pd.DataFrame) -> pd.DataFrame:
    """``respondents`` with campaign sources typed ``campaign_group`` (module docstring)."""
    if respondents.empty or copies.empty or "question_id" not in copies.columns:
        return respondents
    members: dict[tuple[str, str], set[str]] = defaultdict(set)
    for c in copies.itertuples(index=False):
        members[(str(c.copy_group), str(c.question_id))].add(str(c.respondent_id))
    others: dict[str, set[str]] = defaultdict(set)
    questions: dict[str, set[str]] = defaultdict(set)
    for (_, q), rids in members.items():
        for rid in rids:
            if len(rids) > 1:
                others[rid] |= rids - {rid}
                questions[rid].add(q)
    candidates = (
        (respondents["respondent_type"] == "other")
        & (respondents["respondent_type_source"] == "inferred")
        & respondents["source_row"].isna()
        & respondents["organisation"].fillna("").astype(str).str.strip().ne("")
    )
    hits = [
        i
        for i in respondents.index[candidates]
        if len(others.get(str(respondents.at[i, "respondent_id"]), ())) >= MIN_OTHERS
        and len(questions.get(str(respondents.at[i, "respondent_id"]), ())) >= MIN_QUESTIONS
    ]
    if not hits:
        return respondents
    out = respondents.copy()
    out.loc[hits, "respondent_type"] = TYPE
    log.info("types: %d named bodies whose answers others sent typed %s", len(hits), TYPE)
    return out
