"""The learned reservation finder, through ``stance_answers``, on phrasings written for these tests.

None of these sentences is in the stance item sets the classifier was trained on
(``benchmarks/reservation_train.py``): they are the library consultation's, and check that
conditions, resource and timing worries and a later "however" are found with their own
sentence as the quote, and that a withdrawn concession or a background sentence is not.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from builders import LIBRARY_CONSULTATION

from helpers.core.consultation import load_consultation
from helpers.stance import reservation_model, reservations, stance_answers


@pytest.fixture(scope="module")
def consultation(tmp_path_factory):
    path = Path(tmp_path_factory.mktemp("res")) / "consultation.yaml"
    path.write_text(LIBRARY_CONSULTATION, encoding="utf-8")
    return load_consultation(path)


def _rows(consultation, texts: list[str]) -> pd.DataFrame:
    respondents = pd.DataFrame(
        {"respondent_id": [f"r{i}" for i in range(len(texts))], "text": texts}
    )
    answers = pd.DataFrame(
        [
            {
                "respondent_id": f"r{i}",
                "question_id": "sundays",
                "start": 0,
                "end": len(t),
                "answer_text": t,
                "tick_box": None,
                "match_method": "number",
                "substantive": True,
            }
            for i, t in enumerate(texts)
        ]  # fmt: skip
    )
    out = stance_answers(answers, respondents, consultation)
    return out[out["question_id"] == "sundays"].set_index("respondent_id")


POSITIVE = [
    # (answer, the start of the sentence that must be quoted)
    ("I support Sunday opening, provided that the buses into town run on Sundays too.",
     "I support Sunday opening"),
    ("Yes, open on Sundays. My only worry is whether there are enough staff to cover an extra day.",
     "My only worry"),
    ("We agree with the Sunday hours. The times suit families. However, the first months "
     "should be run as a trial and reviewed.", "However, the first months"),
    ("I'm in favour. Starting it before the roof repairs are finished would be far too early "
     "though.", "Starting it before"),
    ("We would welcome it as long as weekday staff are not moved to cover Sundays.",
     "We would welcome it"),
]  # fmt: skip

NEGATIVE = [
    "I support it completely. It will help working families get to the library.",
    # Background before the position.
    "I have used the central library for twenty years and my children learned to read "
    "there. I agree with opening it on Sundays.",
    "Absolutely yes. Sunday is the only day I am free.",
]


def test_the_shipped_weights_load_offline_and_are_small():
    w = reservation_model.load_weights()
    assert w is not None
    assert w["coef"].shape == (
        reservation_model.WORD_DIM + reservation_model.CHAR_DIM + reservation_model.N_DENSE,
    )
    assert 0.0 < float(w["threshold"]) < 1.0
    ref = Path(reservation_model.__file__).parent.parent / "data" / reservation_model.WEIGHTS
    assert ref.stat().st_size < 400_000


def test_conditions_worries_and_a_later_however_are_found_with_their_sentence(consultation):
    out = _rows(consultation, [t for t, _ in POSITIVE])
    for i, (text, quote) in enumerate(POSITIVE):
        row = out.loc[f"r{i}"]
        assert row["stance"] in ("agree", "strongly_agree"), text
        assert bool(row["reservations"]), text
        assert row["reservation"].startswith(quote), (text, row["reservation"])
        assert (
            text[int(row["reservation_start"]) : int(row["reservation_end"])] == row["reservation"]
        )


def test_withdrawn_concessions_and_background_are_not_reservations(consultation):
    out = _rows(consultation, NEGATIVE)
    for i, text in enumerate(NEGATIVE):
        row = out.loc[f"r{i}"]
        assert row["stance"] in ("agree", "strongly_agree"), text
        assert not bool(row["reservations"]), text
        assert row["reservation"] is None or pd.isna(row["reservation"])


def test_the_sentences_and_the_evidence_index_follow_the_segments():
    spans, ev = reservations.answer_sentences(
        ["We agree. It is fine.", "However, staff are short."], (0, 10, 21)
    )
    assert spans == [(0, 0, 9), (0, 10, 21), (1, 0, 25)]
    assert ev == 1


def test_without_weights_the_rules_decide(consultation, monkeypatch):
    monkeypatch.setattr(reservations, "LEARNED", False)
    out = _rows(consultation, ["We agree with it. However, staff rotas must be sorted first."])
    assert bool(out.loc["r0", "reservations"])
    assert out.loc["r0", "reservation"].startswith("However")


def test_scores_are_probabilities_one_per_sentence():
    w = reservation_model.load_weights()
    row = (False, "agree", "text", False)
    p = reservation_model.scores(["We agree.", "Only if it is funded."], 0, row, w)
    assert p.shape == (2,) and np.all((p >= 0) & (p <= 1))
    assert p[1] > p[0]


# Known misses (session 12), kept strict so a better model shows up here: a resource doubt with
# no concern word ("I doubt ... the budget"). The phrase rules miss it too. (Session 12's second
# known miss, a concession withdrawn within its sentence, is read right by the session-21 refit:
# ``test_withdrawn_concession_is_no_reservation``.)
KNOWN_MISSES = [
    ("Good idea in general. I doubt the council has the budget to heat the building for "
     "a whole extra day.", True),
]  # fmt: skip


def test_withdrawn_concession_is_no_reservation(consultation):
    text = (
        "At first I thought it would be a waste of money, but having read the figures "
        "I now fully support it."
    )
    assert not bool(_rows(consultation, [text]).loc["r0", "reservations"])


@pytest.mark.xfail(strict=True, reason="known misses of the session-12 model and of the rules")
@pytest.mark.parametrize(("text", "reserved"), KNOWN_MISSES)
def test_known_misses(consultation, text, reserved):
    assert bool(_rows(consultation, [text]).loc["r0", "reservations"]) is reserved
