"""The texts campaign detection compares (:mod:`helpers.ingest.campaigns`): one per
respondent and consultation question, the answer's segments joined as paragraphs, or one
per respondent's whole response.

Split from ``campaigns`` (issue 15): building the units is its own concern, and the
module had grown past the size limit once detection ran a question at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from helpers.core import schemas
from helpers.ingest.marks import is_option_label, parse_option_line

WHOLE_RESPONSE = schemas.WHOLE_RESPONSE  # question_id of whole-response copies (letters)


def comparison_units(
    respondents: pd.DataFrame,
    answers: pd.DataFrame | None,
    skip_questions: Iterable[str] = (),
) -> pd.DataFrame:
    """The texts compared: respondent_id, question_id, rank (question order), text.

    One row per respondent and consultation question they answered (segments
    joined in document order), plus one per respondent with unstructured text,
    under :data:`WHOLE_RESPONSE`. Without ``answers``, one whole-response row
    per respondent. Questions in ``skip_questions`` (ingest passes the profile
    questions) are left out.
    """
    ids = respondents["respondent_id"].astype(str)
    if answers is None:
        return pd.DataFrame(
            {
                "respondent_id": ids.to_numpy(),
                "question_id": WHOLE_RESPONSE,
                "rank": np.inf,
                "text": respondents["text"].fillna("").astype(str).to_numpy(),
            }
        )
    rid = answers["respondent_id"].astype(str)
    qid = answers["question_id"].astype(str)
    keep = rid.isin(set(ids)) & ~qid.isin([schemas.PREAMBLE, schemas.CLOSING, *skip_questions])
    if "substantive" in answers:  # "No comment", "N/A": not an answer, so never a campaign's
        keep &= answers["substantive"].fillna(True).astype(bool)
    # The rows kept, in (respondent, start) order, taken once with the columns read below:
    # the answers' text is copied once, not by each filter and the sort (issue 15).
    kept = np.flatnonzero(keep.to_numpy())
    order = (
        pd.DataFrame(
            {
                "r": rid.iloc[kept].reset_index(drop=True),
                "s": answers["start"].iloc[kept].reset_index(drop=True),
            }
        )
        .sort_values(["r", "s"], kind="stable")
        .index.to_numpy()
    )
    rows = kept[order]
    cols = [c for c in ("start", "question_number", "answer_text") if c in answers]
    a = answers[cols].iloc[rows]
    a.insert(0, "question_id", qid.iloc[rows].set_axis(a.index))
    a.insert(0, "respondent_id", rid.iloc[rows].set_axis(a.index))
    a.loc[a["question_id"] == schemas.UNSTRUCTURED, "question_id"] = WHOLE_RESPONSE
    # Question order: by number, then first appearance; whole responses last.
    if "question_number" in a:
        number = (
            pd.to_numeric(a["question_number"], errors="coerce").groupby(a["question_id"]).min()
        )
    else:
        number = pd.Series(dtype="float64")
    rank = {
        q: float("inf")
        if q == WHOLE_RESPONSE
        else float(number[q])
        if pd.notna(number.get(q))
        else 1e9 + i
        for i, q in enumerate(dict.fromkeys(a["question_id"]))
    }
    units = _joined_units(a)
    units.insert(2, "rank", units["question_id"].map(rank).astype("float64"))
    return units


_TYPED_MARK = re.compile(r"^\s*(?:[xX✓✔]|-+>|→)\s+|\s+(?:[xX✓✔]|<-+|←)\s*$")


def without_option_lines(text: str) -> str:
    """``text`` without the lines that are a form's response options ("Strongly agree",
    "Disagree X", "☒ Agree ☐ Disagree").

    Session 17 (transport-19): a campaign card's answer was read with the card's six options
    above the campaign's sentence; every form of the consultation prints the same options, so
    they are the debate's words, not the sender's, and they diluted a copy's shared rare
    wording (the pair of copies stood far above the unrelated pairs on its sentence alone).
    Only whole lines that are a generic option label (``data/tick_options.yaml``), with or
    without a typed mark, or a line of marked options, are dropped, and only when there are
    two or more (a printed list of options): one "Agree." line opening an answer is the
    sender's own word and part of a campaign text that opens so (10,000 generated answers:
    dropping it cost 0.2 points of pair recall); a sentence that begins with "Agree" is kept.
    """
    if "\n" not in text:
        return text
    lines = text.split("\n")
    kept = [ln for ln in lines if not _is_option_line(ln)]
    return text if len(lines) - len(kept) < 2 else "\n".join(kept)


def _is_option_line(line: str) -> bool:
    """A line that is only a form option (a label, a typed mark beside it) or marked options."""
    bare = line.strip(" \t:;,.–-")
    if not bare or len(bare) > 60:
        return False
    if parse_option_line(line) is not None:
        return True
    return is_option_label(_TYPED_MARK.sub("", line).strip(" \t:;,.–-"))


def _joined_units(a: pd.DataFrame) -> pd.DataFrame:
    """One row per (respondent, question) of answer rows ``a``, in order of first appearance,
    its segments joined as paragraphs (respondent_id, question_id, text).

    Most units are one segment, so only the others are joined in Python; a
    ``groupby`` with a joining lambda cost a Python call and a Series per unit.
    """
    if a.empty:
        cols = {"respondent_id": a["respondent_id"], "question_id": a["question_id"]}
        return pd.DataFrame({**cols, "text": a["answer_text"].astype(str)}).reset_index(drop=True)
    code = a.groupby(["respondent_id", "question_id"], sort=False).ngroup().to_numpy()
    order = np.argsort(code, kind="stable")
    fast = isinstance(a["answer_text"].dtype, pd.StringDtype)  # Arrow or Python strings
    column = a["answer_text"].fillna("") if fast else a["answer_text"].fillna("").astype(str)
    starts = np.flatnonzero(np.r_[True, code[order][1:] != code[order][:-1]])
    ends = np.r_[starts[1:], len(order)]
    several = np.flatnonzero(ends - starts > 1)
    first = a.iloc[order[starts]]
    if fast:
        # Taken as Arrow strings: only the units of several segments become Python strings
        # (issue 15: the whole column as an object array was a Python copy of every answer,
        # the largest allocation of ingest at 100,000 survey respondents).
        text = column.take(order[starts]).reset_index(drop=True)
        if len(several):
            pieces = column.to_numpy()  # documents' answers: segments to join
            joined = ["\n\n".join(pieces[order[starts[k] : ends[k]]]) for k in several.tolist()]
            text.iloc[several] = joined
        text = pd.array(text, dtype=a["answer_text"].dtype)
    else:
        texts = column.to_numpy()[order]
        joined = texts[starts].copy()
        for k in several.tolist():
            joined[k] = "\n\n".join(texts[starts[k] : ends[k]])  # segments are paragraphs
        text = pd.array(joined, dtype=a["answer_text"].dtype)
    return pd.DataFrame(
        {
            "respondent_id": first["respondent_id"].to_numpy(),
            "question_id": first["question_id"].to_numpy(),
            "text": text,
        }
    )
