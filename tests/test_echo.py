"""Codes whose evidence only copies the consultation's own text are dropped (coding.echo)."""

from __future__ import annotations

import pandas as pd
from builders import make_docx

from helpers.coding.codebook import parse_codebook
from helpers.coding.echo import consultation_trigrams, drop_echoes, echoes
from helpers.coding.runner import code_answers
from helpers.core.consultation import load_consultation

# An invented consultation, unlike the development sets: a library service review.
CONSULTATION = """\
id: libraries-2027
title: Library opening hours
description: >-
  The county proposes to close branch libraries on Mondays, open them until 8pm on
  Thursdays and replace the mobile library van with a click-and-collect service.
questions:
  - {id: about, number: 1, kind: profile, text: 'Are you responding as a library member or staff?'}
  - id: hours
    number: 2
    kind: closed
    text: >-
      Do you agree or disagree with closing branch libraries on Mondays and opening
      them until 8pm on Thursdays?
  - id: van
    number: 3
    kind: open
    text: How would replacing the mobile library van with click-and-collect affect you?
"""

CODEBOOK = {
    "id": "libraries",
    "themes": [
        {"id": "evening", "label": "Evening opening", "patterns": ["8pm", "evening*"]},
        {"id": "mobile", "label": "Mobile library", "patterns": ["mobile library", "van"]},
        {"id": "children", "label": "Children", "patterns": ["child*", "toddler*"]},
    ],
}


def _consultation(tmp_path):
    (tmp_path / "consultation.yaml").write_text(CONSULTATION, encoding="utf-8")
    return load_consultation(tmp_path / "consultation.yaml")


def test_a_copied_question_is_an_echo_and_the_respondents_words_are_not(tmp_path):
    ref = consultation_trigrams(_consultation(tmp_path))
    # copies of the question or the description, with quotes and changed case
    assert echoes("“Do you agree or disagree with closing branch libraries on Mondays?”", ref)
    assert echoes("The county proposes to close branch libraries on Mondays.", ref)
    assert echoes(
        "HOW WOULD REPLACING THE MOBILE LIBRARY VAN WITH CLICK-AND-COLLECT AFFECT YOU", ref
    )
    # the respondent's own sentences, even when they reuse a few of the question's words
    assert not echoes("Opening until 8pm on Thursdays would let me come after my shift.", ref)
    assert not echoes("My mum relies on the van because she cannot get to town.", ref)
    assert not echoes(
        "We disagree with closing branch libraries because toddler groups meet on Mondays.", ref
    )
    assert not echoes("On Mondays.", ref)  # too short to tell
    assert not echoes("Do you agree or disagree?", frozenset())  # no consultation text


def test_drop_echoes_keeps_other_rows_and_leaves_codes_without_a_consultation():
    codes = pd.DataFrame({"quote": ["a b c d", "e f g h"], "theme_id": ["x", "y"]})
    assert drop_echoes(codes, None) is codes


def test_code_answers_drops_themes_found_only_in_a_copied_question(tmp_path):
    """Through ingest: a Word response that pastes each question before answering it."""
    from helpers.ingest import stage as ingest

    consultation = _consultation(tmp_path)
    responses = tmp_path / "responses"
    responses.mkdir()
    make_docx(
        responses / "reader.docx",
        [
            ("Question 2", "heading2"),
            "You asked: “Do you agree or disagree with closing branch libraries on Mondays and "
            "opening them until 8pm on Thursdays?” Disagree. Monday is the only day the toddler "
            "rhyme time fits around nursery.",
            ("Question 3", "heading2"),
            "The form says “How would replacing the mobile library van with click-and-collect "
            "affect you?” Badly: my father is housebound and the van driver chooses his books "
            "with him.",
        ],
    )
    result = ingest.run_ingest(responses, tmp_path / "consultation.yaml", tmp_path / "out")
    codebook = parse_codebook(CODEBOOK)
    codes = code_answers(result.answers, result.respondents, codebook, consultation)
    got = {(r.question_id, r.theme_id) for r in codes.itertuples()}
    # 8pm is only in the copied question: not the respondent's point
    assert ("hours", "evening") not in got
    assert ("hours", "children") in got
    # the van is in the copy and in the answer: coded, with the answer's sentence as evidence
    assert ("van", "mobile") in got
    van = codes[(codes.question_id == "van") & (codes.theme_id == "mobile")]
    assert all("housebound" in q for q in van.quote)
