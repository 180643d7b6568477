"""Headings the reader used to miss (issue 12, item 3; session 10).

- a form's own label over a list of tick-box options ("Is five o'clock too
  early?" then "Disagree X"): a closed question's heading whatever its words;
- plain-text headings typed between runs of punctuation ("--- weekday hours
  thing ---"): the respondent's headings, read like a markdown heading;
- a markdown heading (or a short sign-off) after a paragraph with no full
  stop is not joined onto that paragraph by the page-break repair;
- the joint reading of a document's sections re-cuts a section the earlier
  steps split between two questions.

Phrasings are written for these tests (the library consultation in
``builders``, unlike the development sets), with negatives for each rule.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from builders import LIBRARY_CONSULTATION, make_doc, make_docx

from helpers.core.consultation import parse_consultation
from helpers.ingest.segment import segment_document
from helpers.ingest.segment.headings import find_candidates
from helpers.ingest.segment.joint import _agrees
from helpers.ingest.stage import read_document
from helpers.ingest.textnorm import markup_to_text

CONS = parse_consultation(yaml.safe_load(LIBRARY_CONSULTATION))
OPTIONS = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"]


def _read(path: Path):
    return read_document(path, path.parent, CONS)[0]


def _placed(seg: pd.DataFrame) -> list[str]:
    return [q for q in seg["question_id"] if q not in ("preamble", "closing", "unstructured")]


# --- a form's own label over tick-box options --------------------------------------


def _ticked(options: list[str], mark: str) -> list[str]:
    return [f"{o} X" if o == mark else o for o in options]


def test_a_forms_own_label_over_ticked_options_heads_a_closed_question(tmp_path: Path):
    doc = _read(
        make_docx(
            tmp_path / "friends.docx",
            [
                "Oakfield Friends of the Library – our answers",
                "We talked this through at our coffee morning and answered what we could.",
                ("Is five o'clock too early?", "heading2"),
                *_ticked(OPTIONS, "Disagree"),
                "Most of our members are carers and cannot get there before six.",
                ("Sunday opening at the central library", "heading2"),
                *_ticked(OPTIONS, "Strongly agree"),
                "A Sunday afternoon would suit families.",
            ],
        )
    )
    seg = segment_document(doc, CONS)
    rows = seg.set_index("question_id")
    assert _placed(seg) == ["hours", "sundays"]
    assert rows.loc["hours", "tick_box"] == "Disagree"
    assert rows.loc["hours", "answer_text"] == (
        "Most of our members are carers and cannot get there before six."
    )
    assert "too early" not in rows.loc["preamble", "answer_text"]
    assert "check" in rows.loc["hours", "warning"]  # placed by position among closed questions


def test_a_ticked_box_line_alone_is_enough(tmp_path: Path):
    text = (
        "From the Tuesday knitting circle\n\n"
        "Closing time change\n"
        "☒ Strongly disagree\n"
        "We meet at half five.\n\n"
        "Question 3\n"
        "We would have nowhere to go in winter.\n"
    )
    seg = segment_document(make_doc(text), CONS)
    rows = seg.set_index("question_id")
    assert _placed(seg) == ["hours", "effects"]
    assert rows.loc["hours", "tick_box"] == "Strongly disagree"


def test_a_label_over_an_ordinary_list_is_not_a_closed_question():
    text = (
        "A few thoughts from a retired teacher\n\n"
        "What I would like instead\n"
        "- later opening on Thursdays\n"
        "- a quiet room for older readers\n\n"
        "Question 3\n"
        "I would simply visit in the mornings.\n"
    )
    cands = find_candidates(text, [], CONS.questions)
    label = [c for c in cands if text[c.line_start : c.line_end] == "What I would like instead"]
    # The writer's own points, not a closed question's printed options (the label may
    # still name the catch-all question by its frame: segment.intents).
    closed = {i for i, q in enumerate(CONS.questions) if q.kind == "closed"}
    assert all(not (set(c.scores) & closed) for c in label)
    seg = segment_document(make_doc(text), CONS)
    assert _placed(seg) == ["effects"]


def test_a_sentence_over_options_is_the_answer_not_a_label():
    text = (
        "Question 1\n"
        "We disagree with the change.\n"
        "Strongly agree\nAgree\nDisagree X\nStrongly disagree\n"
    )
    cands = find_candidates(text, [], CONS.questions)
    sentence = [c for c in cands if text[c.line_start : c.line_end].startswith("We disagree")]
    assert all(c.methods.get(1) != "order" for c in sentence)
    seg = segment_document(make_doc(text), CONS)
    assert _placed(seg) == ["hours"]


# --- headings typed between runs of punctuation ------------------------------------


def _student(first_heading: str) -> str:
    return (
        "hello, this is from me, a student who uses the library every week.\n\n"
        f"--- {first_heading} ---\n"
        "no way, I study there every evening after college and there is nowhere else quiet.\n\n"
        "--- sunday opening ---\n"
        "yes please, I'd come with my little brother.\n\n"
        "--- anything else ---\n"
        "thanks for asking us\n"
    )


def test_decorated_plain_text_headings_are_headings(tmp_path: Path):
    path = tmp_path / "student.txt"
    path.write_text(_student("weekday hours thing"), encoding="utf-8")
    seg = segment_document(_read(path), CONS)
    rows = seg.set_index("question_id")
    assert _placed(seg) == ["hours", "sundays", "other"]
    assert rows.loc["hours", "heading_text"] == "--- weekday hours thing ---"
    assert rows.loc["hours", "answer_text"].startswith("no way, I study")
    assert rows.loc["preamble", "answer_text"].endswith("every week.")


@pytest.mark.parametrize(
    "line",
    [
        "----------",  # a rule
        "-- nothing more to add --",  # an answer between two dashes
        "--- 2027 ---",  # no words
        "=== Thursday ---",  # runs that differ
    ],
)
def test_rules_and_short_dashes_are_not_decorated_headings(line: str):
    text = f"Question 1\nWe agree.\n\n{line}\n\nQuestion 2\nWe agree too.\n"
    cands = find_candidates(text, [], CONS.questions)
    at = [c for c in cands if text[c.line_start : c.line_end] == line]
    assert all(c.cue is None for c in at)


# --- a markdown heading after a paragraph with no full stop ------------------------


def test_a_markdown_heading_is_not_joined_to_the_paragraph_before_it():
    raw = (
        "## Closing at five\n\n"
        "it would wreck my evenings, I only get out of work at half five and the bus "
        "takes ages so I would never make it in time tbh\n\n"
        "## sunday opening\n\n"
        "love it, finally somewhere to go on a sunday\n"
    )
    text, cues = markup_to_text(raw)
    assert "time tbh\n\nsunday opening" in text
    starts = {text[s:e] for s, e, kind in cues if kind == "heading"}
    assert starts == {"Closing at five", "sunday opening"}


def test_a_page_break_mid_sentence_is_still_joined():
    text, _ = markup_to_text(
        "We think the branch should stay open until seven because\n\nworking people need it most.\n"
    )
    assert "because working people" in text


def test_a_short_sign_off_without_a_full_stop_is_not_joined():
    text, _ = markup_to_text(
        "honestly the sunday thing is the best idea you have had in years imo\n\ncheers, Priya x\n"
    )
    assert text.endswith("in years imo\n\ncheers, Priya x")


def test_a_sentence_ending_after_a_page_break_is_still_joined():
    text, _ = markup_to_text(
        "Our members would like the branch to stay open later on the days when\n\n"
        "the market is on.\n"
    )
    assert "days when the market is on." in text


# --- the joint reading and a section split between two questions ------------------


def _rows(*spans: tuple[int, int, str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"start": s, "end": e, "question_id": q, "match_method": m} for s, e, q, m in spans]
    )


def test_a_section_split_by_a_guess_from_meaning_is_not_agreed():
    text = "x" * 100
    rows = _rows((0, 40, "hours", "paragraph"), (41, 90, "other", "meaning"))
    assert not _agrees(rows, text, 0, 90, "hours")


def test_a_section_split_on_purpose_or_with_an_unplaced_signature_is_agreed():
    text = "x" * 100
    # a heading covering two questions: its second part split off (twofold)
    assert _agrees(
        _rows((0, 40, "hours", "text"), (41, 90, "sundays", "paragraph")), text, 0, 90, "hours"
    )
    rows = _rows(
        (0, 40, "hours", "paragraph"),
        (41, 90, "hours", "meaning"),
        (91, 100, "unstructured", "unstructured"),
    )
    assert _agrees(rows, text, 0, 100, "hours")
    assert not _agrees(rows, text, 0, 100, "sundays")
