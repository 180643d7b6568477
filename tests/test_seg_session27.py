"""Session 27 (issue 12): a learned reader cuts an answer row's trailing sign-off, footer
or left-behind line off (``segment.trailing``), and the precision census that found the
class (``benchmarks.seg_prec_census``).

The documents are written for these tests under the library consultation of ``builders``
(a consultation the reader was not fitted on); the weights are the shipped
``helpers/data/trailing_model.json``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from builders import ingest_library, rows_of

from helpers.core import embedding
from helpers.ingest.segment import trailing
from helpers.validate.devsets.goldview import GoldAnswer, GoldResponse

# A sign-off with no valediction ("Yours sincerely") after the last answer: a name, a
# role and a date on one line, which the sign-off rules of the first reading miss.
OKORO = """\
Q1
We disagree with closing the branches at five. Our members work during the day and the evening is the only time they can visit.

Q2
We agree with opening the central library on Sundays.

Q3
Our Thursday reading group meets at half past five and would have nowhere to go. Several members would be left alone at home.

Dean Okoro, Programme Manager. 29 September 2022.
"""

needs_model = pytest.mark.skipif(
    not embedding.available(), reason="the sentence-embedding model is not installed"
)


def _rows(tmp_path: Path, on: bool, monkeypatch) -> pd.DataFrame:
    monkeypatch.setattr(trailing, "ENABLED", on)
    answers, _ = ingest_library(tmp_path, {"okoro": OKORO})
    return rows_of(answers, "okoro")


@needs_model
def test_a_sign_off_after_the_last_answer_becomes_the_closing(tmp_path: Path, monkeypatch):
    rows = _rows(tmp_path, True, monkeypatch)
    assert list(rows["question_id"]) == ["hours", "sundays", "effects", "closing"]
    assert rows["answer_text"].iloc[2].endswith("Several members would be left alone at home.")
    assert rows["answer_text"].iloc[3] == "Dean Okoro, Programme Manager. 29 September 2022."
    assert "sign-off" in rows["warning"].iloc[3]


@needs_model
def test_without_the_reader_the_sign_off_stays_in_the_answer(tmp_path: Path, monkeypatch):
    rows = _rows(tmp_path, False, monkeypatch)
    assert list(rows["question_id"]) == ["hours", "sundays", "effects"]
    assert rows["answer_text"].iloc[2].endswith("29 September 2022.")


def _frame(text: str, spans: list[tuple[str, int, int]], method: str = "section"):
    return pd.DataFrame(
        [
            {
                "respondent_id": "r1",
                "question_id": q,
                "question_number": None,
                "start": s,
                "end": e,
                "answer_text": text[s:e],
                "heading_text": None,
                "heading_start": None,
                "match_method": method,
                "match_score": 1.0,
                "tick_box": None,
                "warning": None,
            }
            for q, s, e in spans
        ]
    )


TWO = (
    "We support the trial and hope it is made permanent.\n"
    "Registered charity no. 1170000 | 01632 960 155 | bookings@example.org\n"
)


def test_a_footer_line_is_cut_and_the_answer_kept():
    rows = _frame(TWO, [("q1", 0, len(TWO) - 1)])
    out = trailing.cut_document(rows, TWO)
    assert out is not None
    assert list(out["question_id"]) == ["q1", "closing"]
    assert list(out["answer_text"]) == [
        "We support the trial and hope it is made permanent.",
        "Registered charity no. 1170000 | 01632 960 155 | bookings@example.org",
    ]


ANSWER_LAST = (
    "We support the trial.\n"
    "The council should also keep the bus lane open to taxis on Sundays, when the buses are few.\n"
)


def test_a_last_line_that_answers_is_kept():
    rows = _frame(ANSWER_LAST, [("q1", 0, len(ANSWER_LAST) - 1)])
    assert trailing.cut_document(rows, ANSWER_LAST) is None


def test_a_one_line_row_and_survey_rows_are_never_read():
    one = "Signed: G. Tolley Date: 27/09/2022"
    assert trailing.candidates(_frame(one, [("q1", 0, len(one))]), one) == []
    survey = _frame(TWO, [("q1", 0, len(TWO) - 1)], method="survey_column")
    assert trailing.candidates(survey, TWO) == []
    assert trailing.cut_trailing(survey, {"r1": TWO}) is survey


def test_a_tail_before_another_answer_becomes_unstructured():
    text = TWO + "We disagree with the bus gate.\n"
    rows = _frame(text, [("q1", 0, len(TWO) - 1), ("q2", len(TWO), len(text) - 1)])
    out = trailing.cut_document(rows, text)
    assert out is not None
    assert list(out["question_id"]) == ["q1", "unstructured", "q2"]


def test_rows_keep_their_order_across_respondents():
    a = _frame(TWO, [("q1", 0, len(TWO) - 1)])
    b = _frame(ANSWER_LAST, [("q1", 0, len(ANSWER_LAST) - 1)]).assign(respondent_id="r2")
    out = trailing.cut_trailing(
        pd.concat([a, b], ignore_index=True), {"r1": TWO, "r2": ANSWER_LAST}
    )
    assert list(out["respondent_id"]) == ["r1", "r1", "r2"]
    assert list(out["question_id"]) == ["q1", "closing", "q1"]


def test_the_cut_takes_the_longest_run_of_last_lines_over_the_threshold():
    cands = [("row", 1, 90, None), ("row", 2, 60, None), ("row", 3, 30, None)]
    assert trailing.cuts(cands, np.array([0.95, 0.92, 0.5]), 0.9) == {"row": 60}
    assert trailing.cuts(cands, np.array([0.5, 0.95, 0.95]), 0.9) == {}


def test_the_shipped_weights():
    m = trailing.model()
    assert m["features"] == list(trailing.FEATURES)
    assert len(m["coef"]) == len(trailing.FEATURES)
    assert m["threshold"] == 0.9
    coef = dict(zip(m["features"], m["coef"], strict=True))
    assert coef["email_or_web"] > 0 and coef["sentence_end"] < coef["role_word"]


def test_the_census_names_a_run_on_and_a_placed_closing():
    from benchmarks.seg_prec_census import classify

    text = "Q1\nWe agree with the new judgement.\n\nQ2\nStart it in January.\n\nJo Bloggs, Chair\n"
    rec = GoldResponse(
        "a.txt",
        None,
        "heldout",
        None,
        None,
        (
            GoldAnswer("q1", "We agree with the new judgement.", True, "Q1"),
            GoldAnswer("q2", "Start it in January.", True, "Q2"),
        ),
    )
    s2 = text.index("Start")
    sign = text.index("Jo Bloggs")
    rows = _frame(text, [("q1", 3, 35), ("q2", s2, len(text) - 1)])
    got = classify(text, rows, rec, {"q1", "q2"}, [set()], {"q1": "Q1", "q2": "Q2"})
    assert got == [("q2", "run-on after answer", "Start it in January. Jo Bloggs, Chair")]
    rows = _frame(text, [("q1", 3, 35), ("q2", s2, s2 + 20), ("q3", sign, len(text) - 1)])
    got = classify(text, rows, rec, {"q1", "q2", "q3"}, [set()], {})
    assert got == [("q3", "closing placed", "Jo Bloggs, Chair")]


# Session 27: the own-words reader is on, but not asked over bare-numbered headings.
NUMBERED = """\
Response from the Eastfield Homework Club

1. Our evenings
We disagree with closing the branches at five. The children come straight from school at four and stay until seven.

2. Weekends in town
Sunday opening at the central library is welcome, but it is a long bus ride for our families.

3. The children
Our children do their homework at the branch after school. Without the evening hours they would lose the only quiet place they have.
"""
OWN = NUMBERED.replace("1. Our", "Our").replace("2. Weekends", "Weekends").replace("3. The", "The")


@needs_model
def test_the_own_words_reader_is_asked_only_without_bare_numbers(tmp_path: Path, monkeypatch):
    from helpers.ingest.segment import joint, ownwords

    assert joint.OWN_WORDS
    asked: list[list[str]] = []
    real = ownwords.decide

    def decide(rows, free, *args, **kw):
        asked.append([f[3] for f in free])
        return real(rows, free, *args, **kw)

    monkeypatch.setattr(ownwords, "decide", decide)
    answers, _ = ingest_library(tmp_path, {"numbered": NUMBERED, "own": OWN})
    heads = {h for free in asked for h in free}
    assert "Weekends in town" in heads
    assert not any(h.startswith(("1.", "2.", "3.")) for h in heads)
    placed = rows_of(answers, "numbered")
    assert set(placed["question_id"]) >= {"hours", "sundays", "effects"}


def test_a_run_of_one_document_that_is_cut_keeps_no_empty_rows():
    # Every row is the cut respondent's: nothing else to keep (an empty frame once took
    # the order's index and came back with rows of nulls).
    rows = _frame(TWO, [("q1", 0, len(TWO) - 1)])
    out = trailing.cut_trailing(rows, {"r1": TWO})
    assert len(out) == 2 and out["respondent_id"].notna().all()
    assert list(out["question_id"]) == ["q1", "closing"]


@pytest.mark.parametrize(
    ("lines", "kept"),
    [
        # A respondent's closing sentence at the end of the document: no sign-off cue.
        (["Trips I counted:", "Before 25", "That is fifteen minutes lost each way."], True),
        # Tick and list items are the answer's content.
        (["☒ Commuting", "☒ School run"], True),
        (["We want:", "- more buses on Sundays"], True),
        # Sign-offs carry a cue or are not sentences: the reader decides.
        (["We oppose the lanes.", "Thank you for reading our response to this."], False),
        (["We oppose the lanes.", "Dean Okoro, Programme Manager"], False),
        (["We oppose the lanes.", "Yours faithfully,"], False),
    ],
)
def test_a_last_line_that_is_the_respondent_s_own_words_is_never_cut(lines, kept):
    text = "Question 2\n\n" + "\n".join(lines) + "\n"
    s, e = len("Question 2\n\n"), len(text) - 1
    line = trailing.lines_of(text, s, e)[-1]
    f = trailing.features(text, (s, e), line, 0, len(lines), True, True)
    assert trailing.answer_content(text[line[0] : line[1]], f) is kept
