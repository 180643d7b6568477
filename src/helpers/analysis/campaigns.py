"""Campaign copies counted per question, and each campaign group's shared text.

Ingest's ``copies`` table (schema COPIES) says which answers copy a shared
text; these tables put those copies beside the answers they are part of, as
GOV.UK consultation analyses do ("of the 1,200 answers to question 2, 800 were
copies of two campaign texts"): the campaign copies are counted separately,
never hidden in or dropped from the base.

* :func:`campaign_counts`: per question, the answers (base: respondents who
  answered it, :func:`counting.answered`, and letters with no headings whose
  paragraph copies the question's campaign text), the copies among them, the number of
  campaign texts and the answers written independently. Whole-response copies
  (letters with no question headings, question id ``*``) are counted against
  the respondents whose response was unstructured.
* :func:`campaign_groups`: per group, its question, size, representative
  respondent and the shared text (the representative's answer).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from helpers.analysis.counting import answered
from helpers.core import schemas

WHOLE_RESPONSE = schemas.WHOLE_RESPONSE  # COPIES.question_id of whole-response copies

COUNT_COLUMNS = ["question_id", "n_answers", "n_copies", "n_groups", "n_independent"]
GROUP_COLUMNS = ["copy_group", "question_id", "n_copies", "respondent_id", "text"]


def campaign_counts(
    answers: pd.DataFrame, copies: pd.DataFrame, stances: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per question with copies: n_answers (base), n_copies, n_groups, n_independent.

    Rows follow the copies' order (question order, whole responses last).
    """
    if copies is None or copies.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in COUNT_COLUMNS}).astype(
            {"question_id": "string"}
        )
    done = answered(answers, stances)
    base = {str(q): set(ids.astype(str)) for q, ids in done.groupby("question_id")["respondent_id"]}
    if not answers.empty:
        letters = answers.loc[answers["question_id"] == schemas.UNSTRUCTURED, "respondent_id"]
        base[WHOLE_RESPONSE] = set(letters.astype(str))
    rows = []
    for qid, g in copies.groupby("question_id", sort=False):
        members = set(g["respondent_id"].astype(str))
        n_copies = len(members)
        # A copy is an answer, so copies are in the base: a letter (no headings) whose
        # paragraph copies this question's campaign text answers it too; so does every
        # copy when there is no answers table.
        n_answers = len(base.get(str(qid), set()) | members)
        rows.append(
            {
                "question_id": str(qid),
                "n_answers": n_answers,
                "n_copies": n_copies,
                "n_groups": int(g["copy_group"].nunique()),
                "n_independent": n_answers - n_copies,
            }
        )
    return pd.DataFrame(rows, columns=COUNT_COLUMNS).astype({"question_id": "string"})


def campaign_groups(
    copies: pd.DataFrame,
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    response_texts: Callable[[set[str]], dict[str, str]] | None = None,
) -> pd.DataFrame:
    """Per campaign group: copy_group, question_id, n_copies, respondent_id, text.

    ``respondent_id`` is the representative (``is_first``); ``text`` is that
    respondent's answer to the question (segments joined), or for a whole
    response its unstructured text, falling back to the whole response text.
    ``response_texts``: where the representatives' whole texts come from
    (``AnalysisInputs.response_texts``, for inputs loaded without them); by default
    ``respondents.text``.
    """
    if copies is None or copies.empty:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in GROUP_COLUMNS}).astype(
            {"n_copies": "int64"}
        )
    picked = _representatives(copies)
    # The whole response text of the representatives only (the fallback below), not a
    # dict of every respondent's (issue 15).
    if response_texts is not None:
        whole = response_texts({p[2] for p in picked})
    else:
        reps = respondents[respondents["respondent_id"].astype(str).isin({p[2] for p in picked})]
        whole = dict(
            zip(reps["respondent_id"].astype(str), reps["text"].fillna("").astype(str), strict=True)
        )
    # Only the representatives' answers are joined (issue 15: a Python join per answer of
    # every respondent was linear in respondents with a large constant).
    a = pd.DataFrame(
        {
            "respondent_id": answers["respondent_id"].astype(str),
            "question_id": _group_question(answers),
        },
        index=answers.index,
    )
    # Rows chosen on the ids alone, then only the columns joined below (issue 15).
    mask = _pair_mask(a, picked)
    a = a[mask]
    for col in ("start", "answer_text"):
        if col in answers:
            a[col] = answers.loc[mask, col]
    if "start" in a:
        a = a.sort_values(["respondent_id", "start"], kind="stable")
    joined = a.groupby(["respondent_id", "question_id"])["answer_text"].agg(
        lambda s: "\n".join(s.fillna("").astype(str))
    )
    rows = []
    for group, members, rid, qid in picked:
        text = joined.get((rid, qid))
        rows.append(
            {
                "copy_group": str(group),
                "question_id": qid,
                "n_copies": int(members["respondent_id"].nunique()),
                "respondent_id": rid,
                "text": text if isinstance(text, str) and text.strip() else whole.get(rid, ""),
            }
        )
    return pd.DataFrame(rows, columns=GROUP_COLUMNS)


def _group_question(answers: pd.DataFrame) -> pd.Series:
    """Answers' question ids as copy groups name them: unstructured text is the whole response."""
    return answers["question_id"].astype(str).replace(schemas.UNSTRUCTURED, WHOLE_RESPONSE)


def _representatives(copies: pd.DataFrame) -> list[tuple[object, pd.DataFrame, str, str]]:
    """(group, its copies, representative respondent id, question id) per copy group.

    The representative is the group's first copy (``is_first``), else its first row.
    """
    picked = []
    for group, members in copies.groupby("copy_group", sort=False):
        first = members[members["is_first"].fillna(False).astype(bool)]
        rid = str((first if len(first) else members)["respondent_id"].iloc[0])
        picked.append((group, members, rid, str(members["question_id"].iloc[0])))
    return picked


def _pair_mask(a: pd.DataFrame, picked: list) -> pd.Series:
    """Rows of ``a`` (string respondent and group question ids) that are a representative's."""
    reps = pd.MultiIndex.from_tuples([(rid, qid) for _, _, rid, qid in picked])
    return pd.Series(
        pd.MultiIndex.from_frame(a[["respondent_id", "question_id"]]).isin(reps), index=a.index
    )


def representative_answers(copies: pd.DataFrame, answers: pd.DataFrame) -> pd.Series:
    """Which ``answers`` rows :func:`campaign_groups` prints: the groups' representatives' answers.

    A boolean mask on ``answers``' index. The report prints no other answer text (its
    annex quotes each group's opening words), so it redacts only these rows
    (``redaction.redact_inputs``, issue 15: redacting all 50,000 answers at 10,000
    respondents was half the report's time).
    """
    if copies is None or copies.empty or answers.empty:
        return pd.Series(False, index=answers.index)
    a = pd.DataFrame(
        {
            "respondent_id": answers["respondent_id"].astype(str),
            "question_id": _group_question(answers),
        },
        index=answers.index,
    )
    return _pair_mask(a, _representatives(copies))
