"""A non-answer left at the end of another question's row: split off and filed under its question.

Session 27 (issue 12, non-answers). The census of every missed non-answer over the spent
batches 2-29 (docs/evaluation.md) found most of them never segmented as answers of their
own: the respondent's last paragraphs answer the later questions with "N/A", "No comment
from us" or "Nothing else to add", under a heading the segmenter did not take for a
question's ("Equality stuff", "Part 4 – Equality", "READ OUT: anything else", "6") or with
no heading but the question's topic in the sentence ("I can't comment on the equality part,
sorry", "We have nothing to add on equality"). Those paragraphs stay inside the row before
them (batches 3, 13, 14, 16, 17, 18, 19, 25), which is then judged substantive as a whole, and
the later question reads as unanswered.

Rules, and why:

- Only a row of an answerable question or the unstructured row, judged substantive, with at
  least two paragraphs; its last one to three paragraphs (at most ``_MAX_WORDS`` words, a
  sign-off included) are the **tail**.
- The tail is a non-answer by every rule the package has (``substantive.mark``, heading line
  and sign-off set aside), judged as an answer to the question it moves to, and the row
  without it stays substantive: the rest of the row is an answer.
- The tail says **which question** it answers, and that question has no row of this
  respondent's: a heading line or the non-answer names the question's own ``keywords`` or a
  word of its ``short`` title ("equality"); or a heading line asks for "anything else / any
  other / further" comments (``heading_intents.yaml``'s catch-all cue) and the consultation
  has a catch-all question; or a heading line is the question's number ("6", "Part 4").
  Without one of these nothing moves: a closing remark ("That is all we wish to say.") stays
  part of the letter's last answer.

The text is never changed: the tail becomes a row of its own (``match_method`` ``section``
under a heading line, ``paragraph`` without one), ``substantive`` False, with a warning for
the researcher. Linear in the number of rows; only short tails are judged.
"""

from __future__ import annotations

import functools
import logging
import re

import pandas as pd

from helpers.core.consultation import Consultation, Question
from helpers.core.stemming import stem
from helpers.ingest.nonanswers import normalise
from helpers.ingest.segment.letters import _paragraphs
from helpers.ingest.segment.residue import _heading_line
from helpers.ingest.segment.shortanswer import package_words

log = logging.getLogger(__name__)

_MAX_WORDS = 40
_LEARNED_WORDS = 8  # see ``split_tails``
_PARA = re.compile(r"\n[ \t]*\n")  # a blank line: between paragraphs
_CATCH_ALL = re.compile(r"\bany(?:thing)? ?(?:other|else|further|additional|more)\b", re.I)
_NUMBER = re.compile(r"^\W*(?:[a-z]+\.?\s+)?(\d{1,2})[a-z]?\W*$", re.I)


@functools.cache
def _stop() -> frozenset[str]:
    return package_words()[0]


def _topic_stems(q: Question) -> set[str]:
    """The stems of a question's ``keywords`` and the content words of its ``short`` title and
    ``aliases``."""
    words = [*q.keywords, q.short or "", *q.aliases]
    out = set()
    for w in words:
        for t in normalise(str(w)).split():
            if len(t) > 3 and t not in _stop():
                out.add(stem(t))
    return out


def _target(
    tail: str,
    heading: str | None,
    open_qs: list[Question],
    catch_all: Question | None,
    own: Question | None,
) -> Question | None:
    """The unanswered question the tail names (module docstring), or None. A tail that also
    names the row's own question (``own``) stays: it may be that question's answer."""
    said = {stem(t) for t in normalise(f"{heading or ''} {tail}").split() if len(t) > 3}
    if own is not None and _topic_stems(own) & said:
        return None
    named = [q for q in open_qs if _topic_stems(q) & said]
    if len(named) == 1:
        return named[0]
    if heading is None or named:
        return None
    if _CATCH_ALL.search(heading) and catch_all in open_qs:
        return catch_all
    if (m := _NUMBER.match(heading)) is not None:
        return next((q for q in open_qs if q.number == int(m.group(1))), None)
    return None


def _first_words(tail: str, head: str | None) -> list[str]:
    """The words of the tail's first paragraph after its heading line."""
    body = tail[len(head) :] if head else tail
    paras = [p for p in _PARA.split(body.strip()) if p.strip()]
    return paras[0].split() if paras else []


def _judge(
    texts: list[str], questions: list[str], consultation: Consultation, learned: bool = True
) -> list[bool]:
    """``substantive.mark``'s verdict on each text as an answer to its question."""
    from helpers.ingest.segment.substantive import mark

    frame = pd.DataFrame(
        {
            "respondent_id": [f"t{i}" for i in range(len(texts))],
            "question_id": questions,
            "answer_text": texts,
            "tick_box": [None] * len(texts),
        }
    )
    return mark(frame, consultation, learned)["substantive"].astype(bool).tolist()


def judged_again(answers: pd.DataFrame, consultation: Consultation) -> pd.DataFrame:
    """``answers`` with every row still taken for an answer judged again by
    ``substantive.mark`` on its final text (survey cells excepted: judged when read).

    Rows the later segmentation passes make (a letter's paragraphs re-read as a sequence, a
    copied passage moved) carry the verdict of the row they came from: "Frage 7 –
    Gleichstellung / No view. / K. Vogel", cut from a letter judged substantive as a whole,
    kept that verdict (transport-28). A row only ever loses ``substantive`` here. Over the
    release's tables of batches 18-29 judging every row again changed no score.
    """
    if answers.empty:
        return answers
    if "substantive" not in answers.columns:
        from helpers.ingest.segment.substantive import mark

        return mark(answers, consultation)
    keep = answers["substantive"].fillna(True).astype(bool)
    if "match_method" in answers.columns:
        keep &= answers["match_method"].astype(str) != "survey_column"
    if not keep.any():
        return answers
    from helpers.ingest.segment.substantive import mark

    judged = mark(answers[keep], consultation)["substantive"].astype(bool).to_numpy()
    out = answers.copy()
    out.loc[keep, "substantive"] = judged
    return out


def split_tails(answers: pd.DataFrame, consultation: Consultation) -> pd.DataFrame:
    """``answers`` with each non-answer tail (module docstring) split off into a row of its own."""
    if answers.empty or "substantive" not in answers.columns:
        return answers
    profile = {q.id for q in consultation.questions if q.kind == "profile"}
    answerable = [q for q in consultation.questions if q.id not in profile]
    by_id = {q.id: q for q in answerable}
    from helpers.ingest.segment.meaning import catch_all

    j = catch_all(tuple(answerable))
    catch = answerable[j] if j is not None else None
    owned: dict[str, set[str]] = {}
    for rid, qid in zip(answers["respondent_id"], answers["question_id"], strict=True):
        owned.setdefault(str(rid), set()).add(str(qid))
    found: list[tuple[int, int, int, Question, str | None]] = []  # (index, start, end, q, head)
    # Only substantive rows of two paragraphs or more, never a survey cell (judged when read):
    # a vectorised filter first, so a run of survey rows costs one pass over the column.
    maybe = answers["answer_text"].astype("string").str.contains(r"\n[ \t]*\n", na=False)
    maybe &= answers["substantive"].fillna(False).astype(bool)
    if "match_method" in answers.columns:
        maybe &= answers["match_method"].astype("string").fillna("") != "survey_column"
    rows = answers[maybe.to_numpy()]
    for i, row in zip(rows.index, rows.itertuples(index=False), strict=True):
        q = str(row.question_id)
        text = row.answer_text
        if (q not in by_id and q != "unstructured") or not isinstance(text, str):
            continue
        if len(text) > 20000:  # the filter above kept substantive rows only; bound one row's work
            continue
        paras = _paragraphs(text)
        if len(paras) < 2:
            continue
        open_qs = [x for x in answerable if x.id not in owned[str(row.respondent_id)]]
        if not open_qs:
            continue
        for k in (1, 2, 3):
            if k >= len(paras):
                break
            first = paras[-k]
            tail = text[first[0] : paras[-1][1]]
            if len(tail.split()) > _MAX_WORDS:
                break
            lead = text[first[0] : first[1]]
            head = lead if k > 1 and _heading_line(lead) else None
            body = tail[len(lead) :] if head else tail
            target = _target(body, head, open_qs, catch, by_id.get(q))
            if target is not None:
                found.append((i, first[0], paras[-1][1], target, head))
                break
    if not found:
        return answers
    # Judged together: the tail as an answer to its question, the rest as the row's own.
    tails = [answers.at[i, "answer_text"][s:e] for i, s, e, _, _ in found]
    rests = [answers.at[i, "answer_text"][:s].rstrip() for i, s, _, _, _ in found]
    qids = [t.id for _, _, _, t, _ in found]
    own = [str(answers.at[i, "question_id"]) for i, *_ in found]
    verdict = _judge(tails + rests, qids + own, consultation)
    tail_ok, rest_ok = verdict[: len(found)], verdict[len(found) :]
    # The learned reader of short answers is trusted only on a short non-answer: over a
    # heading and a sentence of 13 words ("quicker to college, safer on the bike … thats about
    # it") it read a view as nothing; the phrases and the residue rule decide the rest.
    rules = _judge(tails, qids, consultation, learned=False)
    tail_ok = [
        r and (t or len(_first_words(tail, head)) > _LEARNED_WORDS)
        for t, r, tail, (*_, head) in zip(tail_ok, rules, tails, found, strict=True)
    ]
    new_rows: dict[int, dict] = {}
    cut: dict[int, int] = {}
    for (i, s, e, target, head), t_sub, r_sub in zip(found, tail_ok, rest_ok, strict=True):
        owned_by = owned[str(answers.at[i, "respondent_id"])]
        if t_sub or not r_sub or i in cut or target.id in owned_by:
            continue
        row = answers.loc[i].to_dict()
        start = int(row["start"])
        if int(row["end"]) - start != len(row["answer_text"]):
            continue  # offsets and text disagree: leave the row as it is
        owner = str(row["question_id"])
        rest = row["answer_text"][:s].rstrip()
        cut[i] = len(rest)
        tail = dict(row)
        tail.update(
            question_id=target.id,
            question_number=target.number,
            start=start + s,
            end=start + e,
            answer_text=row["answer_text"][s:e],
            heading_text=pd.NA,
            heading_start=pd.NA,
            match_method="section" if head else "paragraph",
            match_score=0.5,
            tick_box=pd.NA,
            warning=f"a non-answer at the end of the {owner} answer, filed under {target.id} "
            "by the question it names: check it",
            substantive=False,
        )
        new_rows[i] = tail
        owned_by.add(target.id)
    if not new_rows:
        return answers
    records = []
    for i, rec in zip(answers.index, answers.to_dict("records"), strict=True):
        if i in cut:
            rec = dict(rec)
            rec["answer_text"] = rec["answer_text"][: cut[i]]
            rec["end"] = int(rec["start"]) + cut[i]
            records.append(rec)
            records.append(new_rows[i])
        else:
            records.append(rec)
    log.info("segment: %d non-answer(s) split from the end of another answer", len(new_rows))
    return pd.DataFrame(records, columns=answers.columns).astype(answers.dtypes.to_dict())
