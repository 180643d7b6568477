"""Letters, preambles and long profile answers joined to per-question campaign groups.

Split from :mod:`helpers.ingest.campaigns` (session 21, no change of behaviour), which
calls these from ``find_copies``: :func:`_preambles` gathers the text before a
response's first recognised heading and the long paragraphs of its profile answers
(:func:`_long_paragraphs`); :func:`_add_letters` makes a letter (or such text) a member
of a question's group when a passage of it copies the group's text
(:mod:`helpers.ingest.letter_copies`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import pandas as pd

from helpers.core import schemas
from helpers.ingest import letter_copies
from helpers.ingest.campaign_text import normalise

WHOLE_RESPONSE = schemas.WHOLE_RESPONSE  # question_id of whole-response copies (letters)
# Paragraphs of a profile question's answer this long are read for campaign passages (_preambles).
PROFILE_PASSAGE_CHARS = 150


class _Counts(Protocol):
    """The work counts ``_add_letters`` adds to (``campaigns.CopyResult``)."""

    n_candidates: int
    n_verified: int


def _preambles(
    answers: pd.DataFrame | None,
    respondents: pd.DataFrame,
    profile: Iterable[str] = (),
    preamble: bool = True,
) -> pd.DataFrame:
    """Preamble text of structured responses (``preamble``), and the long paragraphs of answers
    to the ``profile`` questions, read for campaign passages as a letter's paragraphs are.

    Text before a response's first recognised heading is never compared
    whole (titles, "About us"), but when a heading in the respondent's own
    words went unrecognised, the answer under it is in the preamble too: a
    campaign's paragraph there makes the response a member of that question's
    group, as a letter's paragraph does (:mod:`letter_copies`: whole
    paragraphs, near copies of a question's campaign text).

    A profile question's answer ("In what capacity are you responding?") is a
    label or a line about the respondent, never compared whole; a campaign's
    paragraph found there was placed under the wrong heading (a form whose
    first heading is the capacity question, the answer written below it), so it
    is read the same way (session 12: ofsted-docs-2's paraphrased campaign copy
    under ``capacity``). Only its paragraphs of ``PROFILE_PASSAGE_CHARS`` or
    more are read (:func:`_long_paragraphs`), and only groups that have two
    members already may take it in (``_add_letters(groups_only=True)``): a
    campaign sent under the profile question itself (a stock self-description,
    which is not searched) must not become a question's group by a chance
    overlap with one respondent's answer (10,000 generated answers: 66 false
    pairs that way).
    """
    if answers is None or answers.empty:
        return pd.DataFrame({"respondent_id": [], "text": []})
    ids = set(respondents["respondent_id"].astype(str))
    profile = set(profile)
    wanted = {*profile, *([schemas.PREAMBLE] if preamble else [])}
    a = answers[answers["question_id"].astype(str).isin(wanted)]
    a = a[a["respondent_id"].astype(str).isin(ids)]
    texts = a["answer_text"].fillna("").astype(str)
    is_profile = a["question_id"].astype(str).isin(profile).to_numpy()
    texts = [_long_paragraphs(t) if p else t for t, p in zip(texts, is_profile, strict=True)]
    return pd.DataFrame({"respondent_id": a["respondent_id"].astype(str).to_numpy(), "text": texts})


def _long_paragraphs(text: str) -> str:
    """The paragraphs of a profile answer of ``PROFILE_PASSAGE_CHARS`` or more, blank-line separated.

    A profile answer's short lines ("We welcome the opportunity to respond",
    "I respond as an individual") are stock sentences many respondents write:
    matched against a question's group of such a sentence they only add chance
    members (10,000 generated answers: +3,980 false pairs with every
    paragraph read). A campaign's misplaced paragraph is long, and two people
    do not write the same 150 characters by chance (``MIN_GROUP_SIZES``).
    """
    paras = letter_copies.PARAGRAPH.split(text)
    return "\n\n".join(p for p in paras if len(p.strip()) >= PROFILE_PASSAGE_CHARS)


def _add_letters(
    clustered: dict[str, pd.DataFrame],
    lead_texts: dict[str, pd.Series],
    letters: pd.DataFrame,
    threshold: float,
    min_chars: int,
    result: _Counts,
    known: dict | None = None,
    groups_only: bool = False,
    allowed: set[tuple[str, str]] | None = None,
) -> None:
    """Make letters members of per-question groups a passage of theirs copies (:mod:`letter_copies`).

    ``groups_only`` (profile answers): only leaders of groups of two or more may be matched,
    and only by whole-paragraph near copies (no shared passage or rewording). ``allowed``
    (session 28, ``campaign_split``): only these (respondent, question) pairs are recorded.
    """
    leaders = pd.concat(
        [
            pd.DataFrame(
                {
                    "question_id": q,
                    "rank": u["rank"].iloc[0],
                    "key": list(dict.fromkeys(u["leader"])),
                }
            )
            for q, u in clustered.items()
            if q != WHOLE_RESPONSE
        ],
        ignore_index=True,
    )
    if groups_only:
        size = {
            (q, k): n
            for q, u in clustered.items()
            if q != WHOLE_RESPONSE
            for k, n in u["leader"].value_counts().items()
        }
        keep = [
            size.get((q, k), 0) >= 2
            for q, k in zip(leaders["question_id"], leaders["key"], strict=True)
        ]
        leaders = leaders[keep].reset_index(drop=True)
        if leaders.empty:
            return
    leaders["text"] = [
        lead_texts[q][k] for q, k in zip(leaders["question_id"], leaders["key"], strict=True)
    ]
    senders = {
        q: u[u["key"] == u["leader"]].groupby("key")["respondent_id"].agg(frozenset)
        for q, u in clustered.items()
        if q != WHOLE_RESPONSE
    }
    leaders["senders"] = [
        senders[q].get(k, frozenset())
        for q, k in zip(leaders["question_id"], leaders["key"], strict=True)
    ]
    rows, found = letter_copies.letter_members(
        letters, leaders, threshold, min_chars, normalise, known, shared_passages=not groups_only
    )
    result.n_candidates += found.n_candidates
    result.n_verified += found.n_verified
    if allowed is not None:
        pairs = zip(rows["respondent_id"].astype(str), rows["question_id"].astype(str), strict=True)
        rows = rows.loc[pd.Series([p in allowed for p in pairs], index=rows.index, dtype=bool)]
    for q, add in rows.groupby("question_id", sort=False):
        # A respondent whose own answer to q is in a group keeps it; one whose answer to q
        # is alone (no one's copy) is recorded by the passage that copies q's text instead.
        u = clustered[q]
        # A unit some passage copies leads a group now: it stays, as its sender's answer.
        grouped = (u["leader"].map(u["leader"].value_counts()) > 1) | u["key"].isin(
            set(add["leader"])
        )
        add = add[~add["respondent_id"].isin(set(u.loc[grouped, "respondent_id"]))]
        own = add["respondent_id"].map(dict(zip(u["respondent_id"], u["key"], strict=True)))
        add = add[add["leader"] != own].drop_duplicates("respondent_id")  # not its own text
        u = u[~(u["respondent_id"].isin(set(add["respondent_id"])) & ~grouped)]
        clustered[q] = pd.concat([u, add], ignore_index=True)
