"""Positions about something else (helpers.stance.topic), on sentences written for these tests.

None of these sentences is in the development items; the library consultation
(tests/builders.py) asks about weekday closing hours and Sunday opening.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from builders import LIBRARY_CONSULTATION

from helpers.core.consultation import load_consultation
from helpers.stance import stance_answers
from helpers.stance.topic import about_something_else, topic_vocabulary


@pytest.fixture
def consultation(tmp_path: Path):
    path = tmp_path / "consultation.yaml"
    path.write_text(LIBRARY_CONSULTATION, encoding="utf-8")
    return load_consultation(path)


@pytest.mark.parametrize(
    ("sentence", "elsewhere"),
    [
        # the object names things the consultation never mentions
        ("I strongly object to the speed bumps outside the primary school.", True),
        ("We are totally against the swimming pool price rise.", True),
        ("I agree that councillors' expenses should be published online.", True),
        ("Strongly disagree the council should sell the allotments to developers.", True),
        # the object is the proposal, or shares the consultation's words
        ("I strongly object to closing the branches at five.", False),
        ("We are totally against this.", False),
        ("I agree with what is proposed for Sundays.", False),
        ("I agree that libraries matter to everyone in the borough.", False),
        # too few words to judge, or no object at all
        ("I disagree with that decision.", False),
        ("I am against it, because the buses stop at six and parking costs a fortune.", False),
        ("The volunteers we support are mostly retired teachers.", False),
        # one position on topic is enough
        (
            "I support longer opening hours but oppose the car park charges at the leisure centre.",
            False,
        ),
        # "weighing X against Y" is not a position against Y
        ("Weighing the staff costs against the loss of evening visitors, we cannot agree.", False),
    ],
)
def test_what_a_position_is_about(consultation, sentence, elsewhere):
    assert about_something_else(sentence, topic_vocabulary(consultation, "hours")) is elsewhere


def test_a_position_about_something_else_is_no_stance_on_the_question(consultation):
    rows = [
        ("r1", "I strongly disagree with the parking fines on the high street."),
        ("r2", "I strongly disagree with closing the branches at five on weekdays."),
    ]
    texts = {rid: text for rid, text in rows}
    respondents = pd.DataFrame({"respondent_id": list(texts), "text": list(texts.values())})
    answers = pd.DataFrame(
        [
            {"respondent_id": rid, "question_id": "hours", "start": 0, "end": len(text),
             "answer_text": text, "tick_box": None, "match_method": "number", "substantive": True}
            for rid, text in rows
        ]
    )  # fmt: skip
    out = stance_answers(answers, respondents, consultation)
    out = out[out["question_id"] == "hours"].set_index("respondent_id")
    assert out.loc["r1", "stance"] == "not_answered"
    assert out.loc["r2", "stance"] == "strongly_disagree"
