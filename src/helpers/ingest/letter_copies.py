"""Campaign copies inside letters: an unstructured response's passages matched to questions' texts.

A supporter may send a campaign's answer to question 2 as a letter with no
headings ("Dear Sir, ... <the campaign's text> ... Yours faithfully"). Ingest
cannot tell which question the letter answers, so :mod:`campaigns` compares it
whole, under ``*``, with other letters only; on its own that never pairs it with
the same text sent, under its heading, in response forms. This module closes
that gap:

* **Passages.** The letter is cut into paragraphs (blank lines), and each
  paragraph and each pair of adjacent paragraphs is a passage (a campaign text
  of two paragraphs is one passage): at most twice the paragraphs, so linear in
  the letter's length. Passages under ``min_chars`` are left out.
* **Matched** against the representative (leader) of every per-question group
  of near copies, through one LSH index (:func:`nearcopies.match`), with the
  same rules as any copy: small edits, and for long texts lines of the
  sender's own; for short texts whole sentences of one's own before or after
  (never a sentence that turns the position around), and the passage at most
  twice the representative's length; or both with lines of their own around a
  shared passage of whole sentences (``passages.passage_copy``: a campaign's
  two sentences with the sender's line after them in the letter and another
  sender's line in the answer under the heading). A line quoted inside a paragraph of the
  letter's own argument is therefore not a copy: the paragraph is the unit,
  and the quote is only part of it.
* **Recorded under that question.** A passage that verifies as a copy of
  question ``q``'s text makes the letter a member of that group for ``q`` (one
  row, the best-scoring passage; a letter may copy several questions' texts).
  It then counts toward the group's size like any answer, and the COPIES row
  carries ``q`` as its ``question_id``. A respondent who also answered ``q``
  under a heading keeps that answer. The letter is still compared whole with
  other letters under ``*`` too (two identical letters are a copy whatever
  they answer).
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd

from helpers.ingest import nearcopies

PARAGRAPH = re.compile(r"\n\s*\n")


def passages(text: str, normalise, min_chars: int) -> list[str]:
    """Normalised paragraphs of ``text`` and pairs of adjacent ones, ``min_chars`` or longer."""
    paras = [p for p in (normalise(p) for p in PARAGRAPH.split(str(text))) if p]
    out = paras + [
        paras[i] + nearcopies.SENTENCE_BREAK + paras[i + 1] for i in range(len(paras) - 1)
    ]
    return [p for p in dict.fromkeys(out) if len(p) >= min_chars]


def letter_members(
    letters: pd.DataFrame,
    leaders: pd.DataFrame,
    threshold: float,
    min_chars: int,
    normalise,
    known: dict | None = None,
    shared_passages: bool = True,
) -> tuple[pd.DataFrame, nearcopies.Clusters]:
    """Rows making letters members of per-question groups, and the matching's counts.

    ``letters``: respondent_id and raw ``text`` of unstructured responses.
    ``leaders``: question_id, rank, key (the group's hash key) and normalised
    ``text`` of every per-question leader, and optionally ``senders`` (the
    respondents whose answer is that text: their own paragraphs are not
    matched to it); ``shared_passages=False`` keeps to whole-paragraph near copies (no shared
    passage, no rewording); ``known``: question id → its words
    and trigrams (:mod:`reworded`), never counted as shared wording. The caller drops (respondent,
    question) pairs it already has. Returns
    respondent_id, question_id, rank, text (the passage), key (the passage's
    hash), leader (the leader's key), similarity and is_rep (False).
    """
    cols = ["respondent_id", "question_id", "rank", "text", "key", "leader", "similarity"]
    queries: list[tuple[str, str]] = [
        (str(rid), p)
        for rid, text in zip(letters["respondent_id"], letters["text"], strict=True)
        for p in passages(text, normalise, min_chars)
    ]
    words = [(known or {}).get(str(q)) for q in leaders["question_id"]]  # reworded copies
    # A respondent's own answers are never what their paragraph copies (it is their text).
    own: dict[str, set[int]] = {}
    if "senders" in leaders:
        for j, senders in enumerate(leaders["senders"]):
            for rid in senders:
                own.setdefault(str(rid), set()).add(j)
    skip = [frozenset(own.get(rid, ())) for rid, _ in queries]
    found = nearcopies.match(
        [p for _, p in queries],
        leaders["text"].tolist(),
        threshold,
        passages=shared_passages,
        known=words,
        skip=skip,
    )
    rows = []
    for (rid, passage), j, score in zip(queries, found.leader, found.score, strict=True):
        if j < 0:
            continue
        lead = leaders.iloc[j]
        key = hashlib.sha256(passage.replace(nearcopies.SENTENCE_BREAK, " ").encode()).digest()
        rows.append((rid, lead["question_id"], lead["rank"], passage, key, lead["key"], score))
    out = pd.DataFrame(rows, columns=cols)
    # One row per letter and question: its best passage (ties: the first).
    out = out.sort_values("similarity", ascending=False, kind="stable")
    out = out.drop_duplicates(["respondent_id", "question_id"]).sort_index()
    return out.assign(is_rep=False).reset_index(drop=True), found
