"""A campaign text split across two of a respondent's answers, under their own headings.

A supporter who pastes a campaign's text into a form or letter of their own headings may cut
it where their headings fall: its first sentences end the answer to one question and the
rest opens the next answer (``benchmarks/campaign_perturb`` kind ``split_headings``, session
28: 212 of 312 new pairs found at the release, the weakest kind). Neither piece is the
campaign text, and each is often shorter than a passage of it may be
(``passages.PASSAGE_CHARS``), so the per-question rules leave both alone.

:func:`joined_answers` gives, for each respondent of a document (not a survey row), each
pair of consecutive answers in document order as one text: the last paragraph of the first
answer and the first paragraph of the next, joined as one paragraph. ``find_copies`` reads
them as a letter's paragraphs are read (``campaign_letters._add_letters`` with
``groups_only``): only a whole-paragraph near copy of the text of a group of two or more
counts, and only under the FIRST answer's question (``allowed``), where the copy begins:
the joined text is then the sender's answer to that question, as the letter passes record a
letter's copied paragraph. Answers to the profile questions, preambles and closings are
not joined.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from helpers.core import schemas
from helpers.ingest.campaign_letters import _add_letters, _Counts
from helpers.ingest.campaign_text import normalise
from helpers.ingest.copytext import trigrams
from helpers.ingest.letter_copies import PARAGRAPH

SHARED_GRAMS = 2  # word trigrams each piece shares with the question's campaign texts, and
SHARED_SHARE = 0.5  # this share of the piece's own (a piece of the text, not a quotation of it)
SURVEY = "survey_column"  # a survey cell's match_method: its order is the export's, not a text's


def _cut_from(pieces: tuple[frozenset, frozenset], grams: frozenset) -> bool:
    """Whether two pieces are one campaign text's halves: most of each piece's word trigrams
    (``SHARED_SHARE``, at least ``SHARED_GRAMS``) are the text's, and together they hold most
    of the text's (``SHARED_SHARE``)."""
    for own in pieces:
        shared = len(own & grams)
        if shared < SHARED_GRAMS or shared < SHARED_SHARE * len(own):
            return False
    return len((pieces[0] | pieces[1]) & grams) >= SHARED_SHARE * len(grams)


def _documents(answers: pd.DataFrame | None, skip_questions: Iterable[str]) -> pd.Series | None:
    """The answers that may be joined (a mask), or None when there are none."""
    if answers is None or answers.empty or "start" not in answers:
        return None
    # One mask before any copy of the table (issue 15: a survey's answers are the largest
    # table of ingest, and none of its cells is joined).
    keep = ~answers["question_id"].astype(str).isin(
        {schemas.PREAMBLE, schemas.CLOSING, schemas.UNSTRUCTURED, *skip_questions}
    )
    if "match_method" in answers:
        keep &= answers["match_method"].astype(str) != SURVEY
    return keep if keep.any() else None


def any_documents(answers: pd.DataFrame | None, skip_questions: Iterable[str] = ()) -> bool:
    """Whether :func:`joined_answers` may join anything (a survey export: no)."""
    return _documents(answers, skip_questions) is not None


def joined_answers(
    answers: pd.DataFrame | None,
    respondents: pd.DataFrame,
    skip_questions: Iterable[str] = (),
    grouped: set[tuple[str, str]] | None = None,
    group_grams: dict[str, list[frozenset]] | None = None,
) -> tuple[pd.DataFrame, set[tuple[str, str]]]:
    """(respondent_id, text) of consecutive answers joined, and the (respondent, question)
    each may be recorded under (the first answer's question).

    Only where that first answer could join a group, so that the matching's work stays
    bounded (``tests/test_campaigns_per_question``): not one ``grouped`` already (respondent,
    question), and, given ``group_grams`` (question → the word trigrams of each of its groups'
    texts), only under a question with a group text the two pieces are halves of
    (:func:`_cut_from`: the cut runs through the campaign's text, not beside it).
    """
    empty = pd.DataFrame({"respondent_id": [], "text": []})
    keep = _documents(answers, skip_questions)
    if keep is None or answers is None:
        return empty, set()
    if "substantive" in answers:
        keep &= answers["substantive"].fillna(True).astype(bool)
    keep &= answers["respondent_id"].astype(str).isin(set(respondents["respondent_id"].astype(str)))
    a = answers.loc[keep, ["respondent_id", "question_id", "start", "answer_text"]]
    if a.empty:
        return empty, set()
    a = a.sort_values(["respondent_id", "start"], kind="stable")
    ids, texts, allowed = [], [], set()
    rows = list(
        zip(
            a["respondent_id"].astype(str),
            a["question_id"].astype(str),
            a["answer_text"],
            strict=True,
        )
    )
    for (r1, q1, t1), (r2, q2, t2) in zip(rows, rows[1:], strict=False):
        if r1 != r2 or q1 == q2 or not isinstance(t1, str) or not isinstance(t2, str):
            continue
        if grouped is not None and (r1, q1) in grouped:
            continue
        last = [p for p in PARAGRAPH.split(t1.strip()) if p.strip()]
        first = [p for p in PARAGRAPH.split(t2.strip()) if p.strip()]
        if not last or not first:
            continue
        if group_grams is not None:
            pieces = (trigrams(normalise(last[-1])), trigrams(normalise(first[0])))
            if not any(_cut_from(pieces, grams) for grams in group_grams.get(q1, ())):
                continue
        ids.append(r1)
        texts.append(" ".join(f"{last[-1]} {first[0]}".split()))
        allowed.add((r1, q1))
    return pd.DataFrame({"respondent_id": ids, "text": texts}), allowed


def add_split(
    clustered: dict[str, pd.DataFrame],
    lead_texts: dict[str, pd.Series],
    answers: pd.DataFrame | None,
    respondents: pd.DataFrame,
    skip_questions: tuple[str, ...],
    threshold: float,
    min_chars: int,
    result: _Counts,
    known: dict,
) -> None:
    """Copies of a campaign text cut across two of a respondent's answers (``find_copies``' last
    pass): read as profile answers are, only by groups formed already and by whole-paragraph
    near copies; only answers not in a group yet, recorded under the first answer's
    question."""
    grouped_pairs, grams = grouped(clustered, lead_texts)
    joined, split_at = joined_answers(answers, respondents, skip_questions, grouped_pairs, grams)
    if len(joined):
        _add_letters(
            clustered,
            lead_texts,
            joined,
            threshold,
            min_chars,
            result,
            known,
            groups_only=True,
            allowed=split_at,
        )


def grouped(
    clustered: dict[str, pd.DataFrame], lead_texts: dict[str, pd.Series]
) -> tuple[set[tuple[str, str]], dict[str, list[frozenset]]]:
    """(respondent, question) pairs in a group of two or more, and per question the word
    trigrams of each of its groups' texts (:func:`joined_answers`)."""
    pairs: set[tuple[str, str]] = set()
    grams: dict[str, list[frozenset]] = {}
    for q, u in clustered.items():
        if q == schemas.WHOLE_RESPONSE:
            continue
        size = u["leader"].map(u["leader"].value_counts())
        pairs.update((str(r), q) for r in u.loc[size > 1, "respondent_id"])
        leads = sorted(set(u.loc[size > 1, "leader"]))
        if leads:
            grams[q] = [trigrams(lead_texts[q][k]) for k in leads]
    return pairs, grams
