"""A form whose boxes are left blank and whose answer is typed under them ("Yes", "No").

The typed word is the respondent's answer: it stays the answer text (and is
read for stance), and is not swallowed as one more unmarked option of the
printed list. A list printed without boxes, and real ticks, are unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from builders import make_docx

from helpers.core.consultation import load_consultation
from helpers.ingest.segment.ticks import take_ticks
from helpers.ingest.stage import run_ingest
from helpers.stance import stance_answers

CONSULTATION = """\
id: harbour-parking
title: Harbour car park charges
organisation: Example District Council
questions:
  - id: q1
    number: 1
    kind: closed
    short: Evening charges
    text: Do you support charging for parking at the harbour after 6pm?
  - id: q2
    number: 2
    kind: closed
    short: Resident permits
    text: Should residents of the harbour streets get a free permit?
  - id: q3
    number: 3
    kind: open
    short: Anything else
    text: Is there anything else you would like to tell us?
"""
Q1 = "Do you support charging for parking at the harbour after 6pm?"
Q2 = "Should residents of the harbour streets get a free permit?"
Q3 = "Is there anything else you would like to tell us?"
BOXES = "☐ Strongly agree\n☐ Agree\n☐ Neither agree nor disagree\n☐ Disagree\n☐ Strongly disagree"


@pytest.mark.parametrize(
    ("answer", "tick", "text"),
    [
        (BOXES + "\nNo", None, "No"),
        ("[ ] Yes\n[ ] No\n\nYes", None, "Yes"),
        ("□ Agree\n□ Disagree\n□ Don't know\nDisagree", None, "Disagree"),
        # Negatives: a real tick is still the tick; a list printed without boxes is still print.
        ("☐ Agree\n☒ Disagree", "Disagree", ""),
        ("☐ Yes\n☒ No\nNo", "No", "No"),
        ("Strongly agree\nAgree\nDisagree\nStrongly disagree", None, ""),
    ],
)
def test_typed_word_under_blank_boxes_is_the_answer(answer: str, tick, text: str) -> None:
    doc = f"Question 1\n\n{answer}\n"
    start = len("Question 1\n\n")
    s, e, got_tick, warning = take_ticks(doc, start, len(doc))
    assert (got_tick, doc[s:e].strip()) == (tick, text)
    assert warning is None


def _ingest(tmp_path: Path, name: str, data: bytes | Path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / name).write_bytes(data.read_bytes() if isinstance(data, Path) else data)
    cfile = tmp_path / "consultation.yaml"
    cfile.write_text(CONSULTATION, encoding="utf-8")
    result = run_ingest(inp, cfile, tmp_path / "out", metadata_file=None)
    consultation = load_consultation(cfile)
    rows = {r["question_id"]: r for r in result.answers.to_dict("records")}
    table = stance_answers(result.answers, result.respondents, consultation)
    stances = {r["question_id"]: r["stance"] for r in table.to_dict("records")}
    return rows, stances


def test_word_form_typed_yes_no(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "form.docx",
        [
            "Harbour parking – response form",
            [
                [f"1. {Q1}", BOXES + "\nno"],
                [f"2. {Q2}", BOXES + "\nYes"],
                [f"3. {Q3}", "The machines never take cards."],
            ],
        ],
    )
    rows, stances = _ingest(tmp_path, "form.docx", path)
    assert (rows["q1"]["answer_text"], rows["q2"]["answer_text"]) == ("no", "Yes")
    assert pd.isna(rows["q1"]["tick_box"]) and pd.isna(rows["q2"]["tick_box"])
    assert (stances["q1"], stances["q2"]) == ("disagree", "agree")


def test_plain_text_form_typed_yes_no(tmp_path: Path) -> None:
    text = (
        f"1. {Q1}\n\n{BOXES}\n\nNo\n\n2. {Q2}\n\n{BOXES}\n\nYes\n\n"
        f"3. {Q3}\n\nThe machines never take cards.\n"
    )
    rows, stances = _ingest(tmp_path, "form.txt", text.encode())
    assert (rows["q1"]["answer_text"], rows["q2"]["answer_text"]) == ("No", "Yes")
    assert pd.isna(rows["q1"]["tick_box"]) and pd.isna(rows["q2"]["tick_box"])
    assert (stances["q1"], stances["q2"]) == ("disagree", "agree")
    assert "agree" not in rows["q3"]["answer_text"].lower()
