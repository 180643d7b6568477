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
    questions) are left out. :func:`unit_rows` with every unit's text taken.
    """
    units, text_of = unit_rows(respondents, answers, skip_questions)
    return units.assign(text=text_of(np.arange(len(units))))


def unit_rows(
    respondents: pd.DataFrame,
    answers: pd.DataFrame | None,
    skip_questions: Iterable[str] = (),
) -> tuple[pd.DataFrame, UnitTexts]:
    """:func:`comparison_units` without the text (respondent_id, question_id, rank) and a
    :class:`UnitTexts` that takes the text of any of its rows from ``answers`` when asked.

    Session 28 (issue 15): campaign detection reads one question's texts at a time, but the
    units table held every answer's text again (an Arrow copy of the answer column: 186 MB
    at 30,000 generated survey respondents, about 0.6 GB at 100,000) from the start of
    detection to the end of its question loop. Taken per question, only one question's
    copy lives at a time; each text is the one :func:`comparison_units` gives (the same
    segments joined the same way: ``tests/test_scale_session28.py``).
    """
    ids = respondents["respondent_id"].astype(str)
    if answers is None:
        units = pd.DataFrame(
            {
                "respondent_id": ids.to_numpy(),
                "question_id": WHOLE_RESPONSE,
                "rank": np.inf,
            }
        )
        whole = respondents["text"].fillna("").astype(str).to_numpy()
        return units, UnitTexts.of_values(whole)
    rid = answers["respondent_id"].astype(str)
    qid = answers["question_id"].astype(str)
    keep = rid.isin(set(ids)) & ~qid.isin([schemas.PREAMBLE, schemas.CLOSING, *skip_questions])
    if "substantive" in answers:  # "No comment", "N/A": not an answer, so never a campaign's
        keep &= answers["substantive"].fillna(True).astype(bool)
    # The rows kept, in (respondent, start) order, taken once with the columns read below:
    # the answers' text is not copied here at all (taken per unit by ``UnitTexts``).
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
    cols = [c for c in ("start", "question_number") if c in answers]
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
    if a.empty:  # no unit: the table as _joined_units makes it, text and all
        a = a.assign(answer_text=answers["answer_text"].iloc[rows])
        units = _joined_units(a)
        text = units.pop("text")
        units.insert(2, "rank", units["question_id"].map(rank).astype("float64"))
        return units, UnitTexts.of_values(text.array)
    units, text_of = _unit_plan(a, answers["answer_text"], rows)
    units.insert(2, "rank", units["question_id"].map(rank).astype("float64"))
    return units, text_of


class UnitTexts:
    """Each comparison unit's text, taken from the answers' text column only when asked.

    ``column``: the answers' text (held, not copied); unit ``k``'s segments are
    ``column``'s positions ``segments[bounds[k]:bounds[k + 1]]``, in document order.
    Called with unit numbers, it returns their texts as :func:`_joined_units` makes them
    (segments joined as paragraphs; a missing text is ""), in the column's dtype."""

    def __init__(
        self,
        column: pd.Series | None,
        segments: np.ndarray,
        bounds: np.ndarray,
        values: object = None,
    ) -> None:
        self.column, self.segments, self.bounds, self.values = column, segments, bounds, values

    @classmethod
    def of_values(cls, values: object) -> UnitTexts:
        """Texts made already (one per unit)."""
        return cls(None, np.zeros(0, np.int64), np.zeros(1, np.int64), values)

    def __call__(self, units: np.ndarray) -> object:
        units = np.asarray(units, dtype=np.int64)
        if self.column is None:
            return self.values[units]  # type: ignore[index]
        column = self.column
        starts, ends = self.bounds[units], self.bounds[units + 1]
        several = np.flatnonzero(ends - starts > 1)
        first = column.take(self.segments[starts])
        fast = isinstance(column.dtype, pd.StringDtype)  # Arrow or Python strings
        if fast:
            # Taken as Arrow strings: only the units of several segments become Python
            # strings (issue 15: the whole column as an object array was a Python copy of
            # every answer, the largest allocation of ingest at 100,000 survey respondents).
            text = first.fillna("").reset_index(drop=True)
            if len(several):
                text.iloc[several] = self._joined(several, starts, ends, fast)
            return pd.array(text, dtype=column.dtype)
        joined = first.fillna("").astype(str).to_numpy().copy()
        if len(several):
            joined[several] = self._joined(several, starts, ends, fast)
        return pd.array(joined, dtype=column.dtype)

    def _joined(
        self, several: np.ndarray, starts: np.ndarray, ends: np.ndarray, fast: bool
    ) -> list[str]:
        """The texts of the units at ``several`` (of ``starts``/``ends``), their segments
        joined as paragraphs."""
        lo, hi = starts[several], ends[several]
        at = np.concatenate([self.segments[s:e] for s, e in zip(lo, hi, strict=True)])
        pieces = self.column.take(at).fillna("")
        pieces = (pieces if fast else pieces.astype(str)).to_numpy()
        out, k = [], 0
        for n in (hi - lo).tolist():
            out.append("\n\n".join(pieces[k : k + n]))  # segments are paragraphs
            k += n
        return out


def _unit_plan(
    a: pd.DataFrame, column: pd.Series, source: np.ndarray
) -> tuple[pd.DataFrame, UnitTexts]:
    """One row per (respondent, question) of answer rows ``a`` (respondent_id, question_id),
    in order of first appearance, and their texts' :class:`UnitTexts`: row ``i`` of ``a`` is
    position ``source[i]`` of the text ``column``."""
    code = a.groupby(["respondent_id", "question_id"], sort=False).ngroup().to_numpy()
    order = np.argsort(code, kind="stable")
    starts = np.flatnonzero(np.r_[True, code[order][1:] != code[order][:-1]])
    first = a.iloc[order[starts]]
    units = pd.DataFrame(
        {
            "respondent_id": first["respondent_id"].to_numpy(),
            "question_id": first["question_id"].to_numpy(),
        }
    )
    bounds = np.r_[starts, len(order)].astype(np.int64)
    return units, UnitTexts(column, np.asarray(source, dtype=np.int64)[order], bounds)


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
    (:func:`_unit_plan` and :class:`UnitTexts` of every unit, session 28.)
    """
    if a.empty:
        cols = {"respondent_id": a["respondent_id"], "question_id": a["question_id"]}
        return pd.DataFrame({**cols, "text": a["answer_text"].astype(str)}).reset_index(drop=True)
    units, text_of = _unit_plan(a, a["answer_text"], np.arange(len(a)))
    return units.assign(text=text_of(np.arange(len(units))))
