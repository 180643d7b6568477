"""A very long answer (one 'sentence' of a million characters) is coded and read in bounded time.

Reading a stance cue weighs the whole sentence around it, so without a bound the
work grows with the square of a sentence's length (1.9 MB took 316 s here). Long
closed answers are read at their opening and close (``stance.table._bounded``).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from helpers import coding, ingest, stance
from helpers.core.consultation import load_consultation
from helpers.stance.table import STANCE_WINDOW_CHARS, _bounded

ROOT = Path(__file__).resolve().parents[1]
OFSTED = ROOT / "consultations" / "ofsted-ilacs-care-leavers-2022"
WORDS = (
    "we agree with the proposal care leavers need housing support money staff stable homes "
    "however resources are limited and timing matters"
).split()


def _one_sentence(n_words: int) -> str:
    return " ".join(WORDS[(i * 7) % len(WORDS)] for i in range(n_words))


def test_ordinary_answers_are_read_whole():
    text = "x " * 30_000
    spans = [(0, 100), (200, 200 + 2 * STANCE_WINDOW_CHARS)]
    assert _bounded(text, spans, "r, q") == spans


def test_a_long_segment_is_read_at_both_ends_cut_at_spaces(caplog):
    text = _one_sentence(60_000)
    with caplog.at_level(logging.WARNING, logger="helpers.stance.table"):
        (head, tail) = _bounded(text, [(10, len(text))], "respondent r1, question q1")
    assert head[0] == 10 and head[1] - head[0] <= STANCE_WINDOW_CHARS
    assert tail[1] == len(text) and tail[1] - tail[0] <= STANCE_WINDOW_CHARS
    assert text[head[1]] == " " and text[tail[0] - 1] == " "  # whole words only
    assert "respondent r1, question q1: answer of" in caplog.text


def test_a_million_character_closed_answer_gets_a_stance_with_valid_evidence(tmp_path, caplog):
    raw = tmp_path / "raw"
    raw.mkdir()
    body = _one_sentence(150_000)  # about 1 MB, no sentence end
    (raw / "long.txt").write_text(f"Question 1\n{body}\n", encoding="utf-8")
    out = tmp_path / "processed"
    result = ingest.run_ingest(raw, OFSTED / "consultation.yaml", out)
    text = result.respondents.set_index("respondent_id").loc["long", "text"]
    assert len(text) > 2 * STANCE_WINDOW_CHARS * 10
    cons = load_consultation(OFSTED / "consultation.yaml")
    with caplog.at_level(logging.WARNING, logger="helpers.stance.table"):
        stances = stance.stance_answers(result.answers, result.respondents, cons)
    row = stances.set_index("question_id").loc["q1"]
    # Read (in two windows) though it takes no position: "we need however we need ...".
    assert row["method"] == "text" and row["stance"] == "not_answered"
    if row["evidence"] is not None and row["evidence"] is not pd.NA:
        assert text[int(row["start"]) : int(row["end"])] == row["evidence"]
    assert "its stance is read from its first and last" in caplog.text
    codes = coding.run_coding(out, OFSTED / "consultation.yaml", OFSTED / "codebook.yaml").codes
    for r in codes.itertuples():
        assert text[r.start : r.end] == r.quote
