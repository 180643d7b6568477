"""Heading layouts seen on unseen responses (issue 12, item 3): signs, letters, steps, two languages.

Each test writes a real file (docx with python-docx, pdf with reportlab, txt,
md, html) for a library-hours consultation (``builders.LIBRARY_CONSULTATION``:
an unnumbered "about you" question, then questions 1-4) that no rule was
tuned on, reads it as ingest does and checks where every answer lands. The
phrasings were invented for these tests; false-positive tests check that a
lettered or "#"-numbered list inside one answer never splits it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from builders import LIBRARY_CONSULTATION, make_docx, make_pdf

from helpers.core.consultation import parse_consultation
from helpers.ingest.segment import segment_document
from helpers.ingest.segment.numbering import read_numbering
from helpers.ingest.stage import read_document

A_HOURS = "Closing at five is far too early for anyone who works in town."
A_SUNDAYS = "Sunday opening would be lovely for the children's reading group."
A_EFFECTS = "My mother uses the computers in the evening to talk to my brother abroad."
A_OTHER = "Please keep the toilets open whenever the building is open."
A_ABOUT = "A library user of forty years."


@pytest.fixture(scope="module")
def cons():
    return parse_consultation(yaml.safe_load(LIBRARY_CONSULTATION), where="test")


def _write(path: Path, fmt: str, blocks: list[tuple[str, str]]) -> Path:
    """Headings and answers as a file of ``fmt``: (text, "heading"|"text") blocks."""
    if fmt == "docx":
        return make_docx(
            path.with_suffix(".docx"), [(t, "bold") if k == "heading" else t for t, k in blocks]
        )
    if fmt == "pdf":
        lines = []
        for t, _k in blocks:
            lines += [t, ""]
        return make_pdf(path.with_suffix(".pdf"), [lines])
    if fmt == "html":
        body = "".join(f"<h3>{t}</h3>\n" if k == "heading" else f"<p>{t}</p>\n" for t, k in blocks)
        p = path.with_suffix(".html")
        p.write_text(f"<html><body>\n{body}</body></html>\n", encoding="utf-8")
        return p
    p = path.with_suffix("." + fmt)
    p.write_text("\n\n".join(t for t, _k in blocks) + "\n", encoding="utf-8")
    return p


def _segment(tmp_path: Path, cons, fmt: str, blocks) -> list[tuple[str, str]]:
    path = _write(tmp_path / "response", fmt, blocks)
    [doc] = read_document(path, tmp_path, cons)
    df = segment_document(doc, cons)
    for r in df.itertuples():
        assert doc.text[r.start : r.end] == r.answer_text
    return [
        (r.question_id, r.answer_text)
        for r in df.itertuples()
        if r.question_id not in ("preamble", "closing")
    ]


# --- numbers marked by a sign: [1], #1, § 1 -----------------------------------------


@pytest.mark.parametrize(
    ("fmt", "style"),
    [
        ("md", "## [{n}] {label}"),
        ("txt", "[{n}] {label}"),
        ("txt", "#{n} {label}"),
        ("md", "#{n} - {label}"),
        ("docx", "§ {n} – {label}"),
        ("pdf", "§{n}. {label}"),
    ],
)
def test_numbers_marked_by_a_sign(tmp_path, cons, fmt, style):
    blocks = [("Response from a regular borrower", "text")]
    for n, label, ans in [
        (1, "Evenings", A_HOURS),
        (3, "What it means for my family", A_EFFECTS),
        (4, "Other things", A_OTHER),
    ]:
        blocks += [(style.format(n=n, label=label), "heading"), (ans, "text")]
    assert _segment(tmp_path, cons, fmt, blocks) == [
        ("hours", A_HOURS),
        ("effects", A_EFFECTS),
        ("other", A_OTHER),
    ]


def test_legal_paragraph_numbers_are_not_question_numbers():
    for line in ("§ 2.3 The council must", "1.1 We note that", "#1.2 blah", "[2.5] x"):
        n = read_numbering(line, 0, len(line))
        assert n is None or n.number not in (1, 2) or n.kind != "bare", line


# --- lettered answers: a) ... d) ----------------------------------------------------


@pytest.mark.parametrize(("fmt", "mark"), [("txt", "{l})"), ("md", "({l})"), ("docx", "{L})")])
def test_lettered_answers_in_the_questions_order(tmp_path, cons, fmt, mark):
    answers = [
        "nah 5 is way 2 early",
        "yes pls!! sundays wud b gr8",
        "cant do homework there no more",
        "keep the wifi on",
    ]
    blocks = [("my answers", "text")]
    for i, ans in enumerate(answers):
        letter = "abcd"[i]
        blocks.append((mark.format(l=letter, L=letter.upper()) + " " + ans, "text"))
    got = _segment(tmp_path, cons, fmt, blocks)
    assert [q for q, _ in got] == ["hours", "sundays", "effects", "other"]
    assert [t for _, t in got] == answers


def test_a_lettered_list_inside_one_answer_stays_in_it(tmp_path, cons):
    inner = "We ask for three things:\n\na) later closing on Thursdays\n\nb) a quiet room\n\nc) longer loans"
    blocks = [
        ("Question 1", "heading"),
        (A_HOURS, "text"),
        ("Question 4", "heading"),
        (inner, "text"),
    ]
    got = _segment(tmp_path, cons, "txt", blocks)
    assert [q for q, _ in got] == ["hours", "other"]
    assert got[1][1] == inner


# --- items, steps, "1 of 5", and a report's section number before the question's ----


@pytest.mark.parametrize("fmt", ["docx", "txt", "html"])
def test_item_numbers(tmp_path, cons, fmt):
    blocks = [
        ("Item 2 – Sunday opening", "heading"),
        (A_SUNDAYS, "text"),
        ("Item 3: effects", "heading"),
        (A_EFFECTS, "text"),
    ]
    assert _segment(tmp_path, cons, fmt, blocks) == [("sundays", A_SUNDAYS), ("effects", A_EFFECTS)]


@pytest.mark.parametrize("fmt", ["html", "docx", "txt"])
def test_steps_counting_every_question_go_by_place(tmp_path, cons, fmt):
    # Five questions in all, the first unnumbered: "Step 2 of 5" is question 1.
    blocks = [
        ("Step 1 of 5 – You", "heading"),
        (A_ABOUT, "text"),
        ("Step 2 of 5 – Weekday hours", "heading"),
        (A_HOURS, "text"),
        ("Step 4 of 5", "heading"),
        (A_EFFECTS, "text"),
    ]
    assert _segment(tmp_path, cons, fmt, blocks) == [
        ("about", A_ABOUT),
        ("hours", A_HOURS),
        ("effects", A_EFFECTS),
    ]


def test_pages_counting_the_numbered_questions_go_by_number(tmp_path, cons):
    blocks = [
        ("Page 1 of 4", "heading"),
        (A_HOURS, "text"),
        ("Page 2 of 4", "heading"),
        (A_SUNDAYS, "text"),
    ]
    assert _segment(tmp_path, cons, "txt", blocks) == [("hours", A_HOURS), ("sundays", A_SUNDAYS)]


def test_a_count_in_prose_is_no_heading():
    line = "1 of 5 people asked said the same"
    n = read_numbering(line, 0, len(line))
    assert n is not None and n.prose


@pytest.mark.parametrize("fmt", ["pdf", "docx", "txt"])
def test_consultation_question_after_a_section_number(tmp_path, cons, fmt):
    blocks = [
        ("1. INTRODUCTION", "heading"),
        ("The Friends of the Library group has 80 members.", "text"),
        ("2. CONSULTATION QUESTION 2 – SUNDAYS", "heading"),
        (A_SUNDAYS, "text"),
        ("3. Consultation question 4", "heading"),
        (A_OTHER, "text"),
    ]
    got = _segment(tmp_path, cons, fmt, blocks)
    # "1. INTRODUCTION" is never question 1 by its number; over a self-description it may
    # answer the profile question (docs/evaluation.md, self-description sections).
    assert [r for r in got if r[0] != "about"] == [("sundays", A_SUNDAYS), ("other", A_OTHER)]


# --- two languages ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "style"),
    [
        ("docx", "Cwestiwn {n} / Question {n}"),
        ("txt", "Question {n} / Cwestiwn {n}"),
        ("md", "**Frage {n} / Question {n}**"),
        ("pdf", "Pregunta {n} / Q{n}:"),
    ],
)
def test_bilingual_headings(tmp_path, cons, fmt, style):
    blocks = []
    for n, ans in [(1, A_HOURS), (2, A_SUNDAYS), (3, A_EFFECTS)]:
        blocks += [(style.format(n=n), "heading"), (ans, "text")]
    assert _segment(tmp_path, cons, fmt, blocks) == [
        ("hours", A_HOURS),
        ("sundays", A_SUNDAYS),
        ("effects", A_EFFECTS),
    ]


def test_a_slash_between_different_numbers_is_not_a_translation():
    line = "Cwestiwn 1 / Question 2"
    n = read_numbering(line, 0, len(line))
    assert n is None or n.kind != "q" or n.number != 1


# --- one heading in the respondent's own words over two questions -----------------

HOURS_PARA = (
    "Closing at 5pm on weekdays would shut out everyone who works, "
    "so I cannot support shorter opening hours."
)
SUNDAYS_PARA = "Opening on Sundays at the central library is a good idea and we would use it."
EFFECTS = "My son does his homework at the branch after school."


@pytest.mark.parametrize(
    ("fmt", "heading"),
    [
        ("docx", "Sunday opening and weekday hours"),
        ("md", "## Sunday opening at the central library, and the evenings"),
        ("html", "Sunday opening &amp; weekday hours"),
    ],
)
def test_one_own_words_heading_over_two_questions_is_split(tmp_path, cons, fmt, heading):
    blocks = [
        ("Effects on you", "heading"),
        (EFFECTS, "text"),
        (heading, "heading"),
        (SUNDAYS_PARA, "text"),
        (HOURS_PARA, "text"),
    ]
    assert _segment(tmp_path, cons, fmt, blocks) == [
        ("effects", EFFECTS),
        ("sundays", SUNDAYS_PARA),
        ("hours", HOURS_PARA),
    ]


def test_a_heading_naming_one_thing_keeps_its_paragraphs(tmp_path, cons):
    blocks = [
        ("Effects on you", "heading"),
        (EFFECTS, "text"),
        ("Sunday opening at the central library", "heading"),
        (SUNDAYS_PARA, "text"),
        (HOURS_PARA, "text"),
    ]
    got = _segment(tmp_path, cons, "docx", blocks)
    assert ("sundays", SUNDAYS_PARA + "\n\n" + HOURS_PARA) in got


@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_a_lettered_list_introduced_by_a_colon_stays_in_its_answer(tmp_path, cons, fmt):
    inner = (
        "We suggest three tests:\n\n(a) whether the branch opens when people finish work;\n\n"
        "(b) whether the Sunday hours suit families;\n\n(c) whether the wifi is kept on."
    )
    blocks = [("Friends of Eastgate Library", "text")] + [(p, "text") for p in inner.split("\n\n")]
    got = _segment(tmp_path, cons, fmt, blocks)
    assert not any(q in ("hours", "sundays", "effects") and t.startswith("whether") for q, t in got)
