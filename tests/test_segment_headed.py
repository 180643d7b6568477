"""Headed responses typed in ways the rules missed until session 14 (issue 12).

Lower-case headings in a reply typed without full stops (the page-break repair
joined them onto the answer above), headings that are a scheme's initials in
lower case ("cpz"), and a month's short form ("sept 2025"). The consultation is the invented clean-air and
parking one of ``test_segment_structure``; the phrasings were written for these
tests, not taken from the development sets, and negatives check that the new
readings invent no heading.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from builders import make_docx
from test_segment_structure import CONSULTATION

from helpers.core.consultation import parse_consultation
from helpers.ingest.segment import segment_document
from helpers.ingest.segment.similarity import lower_acronym, text_similarities
from helpers.ingest.stage import read_document
from helpers.ingest.textnorm import normalise


@pytest.fixture(scope="module")
def cons():
    return parse_consultation(yaml.safe_load(CONSULTATION), where="test")


def _rows(tmp_path: Path, cons, path: Path) -> dict[str, str]:
    [doc] = read_document(path, tmp_path, cons)
    df = segment_document(doc, cons)
    for r in df.itertuples():
        assert doc.text[r.start : r.end] == r.answer_text
    return {r.question_id: r.answer_text for r in df.itertuples()}


def _best(sims) -> int:
    return max(range(len(sims)), key=lambda j: max(sims[j]))


# --- a short line between two paragraphs is not joined to the answer above ------


def test_a_lower_case_heading_between_answers_is_not_joined():
    raw = (
        "im a cabbie and i do the hospital run most nights\n\n"
        "the parking zone\n\n"
        "theres already no room by the hospital after 6 so dont make it worse\n\n"
        "anything else\n\n"
        "sort the potholes first"
    )
    assert normalise(raw) == raw


def test_prose_split_by_a_page_break_before_a_full_stop_is_still_joined():
    raw = (
        "We have asked the council many times to look again at the\n\n"
        "width of the pavement on Mill Lane.\n\n"
        "Our members walk that way to the surgery."
    )
    assert normalise(raw) == (
        "We have asked the council many times to look again at the "
        "width of the pavement on Mill Lane.\n\n"
        "Our members walk that way to the surgery."
    )


def test_a_short_last_paragraph_is_still_the_end_of_the_sentence():
    raw = "what we would really like is for the council to put in\n\nmore benches by the bus stop"
    assert normalise(raw) == raw.replace("\n\n", " ")


def test_lower_case_headings_in_a_reply_typed_without_full_stops(tmp_path, cons):
    answer_cpz = "theres already no room by the hospital after 6 so dont make it worse"
    answer_other = "sort the potholes on the ring road first, they wreck my tyres"
    path = tmp_path / "reply.txt"
    path.write_text(
        "\n\n".join(
            [
                "hi its mo, i drive a cab from the rank on station road",
                "the parking zone",
                answer_cpz,
                "anything else",
                answer_other,
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    rows = _rows(tmp_path, cons, path)
    assert rows["cpz"] == answer_cpz
    assert rows["other"] == answer_other


# --- a heading that is only the initials, in lower case ------------------------


def test_lower_case_initials_alone_are_an_acronym(cons):
    assert lower_acronym("cpz") == "cpz" and lower_acronym("  caz:") == "caz"
    sims = text_similarities("cpz", cons.questions)
    assert _best(sims) == 2 and sims[2][1] >= 0.7
    # Initials of no question are no evidence; a stop word or a longer word is not read.
    assert all(p == 0 for _, p in text_similarities("nhs", cons.questions))
    assert lower_acronym("and") is None and lower_acronym("parking") is None
    # Inside a line, lower case stays a word (only a heading that is nothing else).
    assert lower_acronym("the cpz is fine") is None


def test_lower_case_initials_head_answers_in_a_word_file(tmp_path, cons):
    a1 = "we back it, the air by the school gates is awful at 8.30"
    a2 = "no, our visitors would have nowhere to park on a weekday"
    path = make_docx(
        tmp_path / "notes.docx",
        [
            "Quick notes from the Fairfield allotment society",
            ("caz", "bold"),
            a1,
            ("cpz", "bold"),
            a2,
        ],
    )
    rows = _rows(tmp_path, cons, path)
    assert rows["caz"] == a1 and rows["cpz"] == a2


# --- a month's short form ------------------------------------------------------

MONTHS = """\
id: library-hours
title: Library opening hours
questions:
  - id: hours
    number: 1
    kind: closed
    short: New opening hours
    text: Do you agree with the new opening hours starting in September 2025?
  - id: other
    number: 2
    kind: open
    short: Other comments
    text: Do you have any other comments?
"""


def test_a_months_short_form_names_the_date_in_a_heading():
    cons = parse_consultation(yaml.safe_load(MONTHS), where="test")
    sims = text_similarities("sept 2025", cons.questions)
    # Two words both of the question's (hand-checked 0.67; "sept" alone named nothing).
    assert _best(sims) == 0 and max(sims[0]) >= 0.6
    # "may" is a word as often as a month: not read as one.
    assert all(max(s) < 0.5 for s in text_similarities("may be", cons.questions))
