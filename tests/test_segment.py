"""Segmentation of responses into answers (helpers.ingest.segment).

Expected answers for the two real responses were written by reading
data/raw/ofsted-ilacs-care-leavers-2022/{acrcg,become}.txt line by line.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest
from builders import make_doc

from helpers.core import schemas
from helpers.core.consultation import load_consultation
from helpers.ingest.segment import (
    answer_matrix,
    answer_preview,
    segment_document,
    text_similarity,
    warnings_table,
)

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw" / "ofsted-ilacs-care-leavers-2022"
Q1 = (
    "To what extent do you agree or disagree with our proposal to introduce a separate new "
    "judgement within ILACS: 'The experiences and progress of care leavers'?"
)
Q2 = (
    "What are the most important factors for us to take into account when setting out what "
    "good looks like for care leavers?"
)
Q3 = (
    "To what extent do you agree or disagree that we should introduce the new judgement from "
    "January 2023, after all local authorities have had at least one ILACS judgement inspection?"
)
Q4 = "Do you have any additional comments about our proposals?"


@pytest.fixture(scope="module")
def consultation():
    return load_consultation(
        ROOT / "consultations" / "ofsted-ilacs-care-leavers-2022" / "consultation.yaml"
    )


def bold(text: str, *phrases: str, kind: str = "bold") -> list[tuple[int, int, str]]:
    """Cues over the first occurrence of each phrase (as a reader would report them)."""
    out = []
    for p in phrases:
        i = text.index(p)
        out.append((i, i + len(p), kind))
    return out


def check_invariants(doc: schemas.Document, df: pd.DataFrame) -> None:
    """Spans quote the text exactly, are stripped, and together with headings cover it all."""
    schemas.validate(df, schemas.ANSWERS)
    covered = [False] * len(doc.text)
    for r in df.itertuples():
        assert doc.text[r.start : r.end] == r.answer_text
        assert r.answer_text == r.answer_text.strip()
        for i in range(r.start, r.end):
            covered[i] = True
        if not pd.isna(r.heading_start):
            hs = int(r.heading_start)
            assert doc.text[hs : hs + len(r.heading_text)] == r.heading_text
            for i in range(hs, hs + len(r.heading_text)):
                covered[i] = True
    missed = "".join(
        ch for ch, c in zip(doc.text, covered, strict=True) if not c and not ch.isspace()
    )
    assert missed == "", f"text in no answer or heading: {missed[:80]!r}"
    assert list(df["start"]) == sorted(df["start"])


# --- the two real responses ------------------------------------------------

ACRCG_EXPECTED = [
    ("preamble", "ACRCG's response to Ofsted", "29th July 2022"),
    ("capacity", "The Access to Care", "needs of care leavers."),
    ("q1", "This change is crucial", "of a postal lottery."),
    ("q2", "This is an important", "and developed over time."),
    ("q3", "It is crucial to", "accessing their care files."),
]
BECOME_EXPECTED = [
    ("preamble", "Become Response to Ofsted", "it can be."),
    ("q1", "We agree with Ofsted's", "relation to care leavers."),
    ("q2", "There are a number", "Teams and Personal Advisers."),
    ("q3", "In principle, we agree", "reforms have been implemented."),
    ("q4", "The criteria for the", "with the Rees Centre."),
    ("q5", "In addition to the", "deprived 10% of areas."),
    ("closing", "For Further Information: Please", "AND YOUNG CARE LEAVERS"),
]


def _summary_like(df, expected):
    """The rows as (question_id, first words, last words), as many words as expected has."""
    got = []
    for (_qid, first, last), r in zip(expected, df.itertuples(), strict=False):
        words = r.answer_text.split()
        got.append(
            (
                r.question_id,
                " ".join(words[: len(first.split())]),
                " ".join(words[-len(last.split()) :]),
            )
        )
    return got


def _strip_md(text: str) -> str:
    """Drop literal markdown bold and link syntax, leaving plain text (no cues)."""
    text = re.sub(r"\*\*", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"^# ", "", text, flags=re.M)


def test_acrcg_raw_text(consultation):
    doc = make_doc((RAW / "acrcg.txt").read_text(encoding="utf-8"), rid="acrcg")
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert _summary_like(df, ACRCG_EXPECTED) == ACRCG_EXPECTED
    assert len(df) == len(ACRCG_EXPECTED)
    # Bare question text as headings: matched on text alone, no warnings.
    assert set(df["match_method"][1:]) == {"text"}
    assert df["warning"].isna().all()
    assert df.loc[3, "heading_text"].startswith("What are the most important factors")
    assert df.loc[4, "heading_text"].endswith("at least one ILACS judgement inspection?")
    assert list(
        df["question_number"].astype("object").where(df["question_number"].notna(), None)
    ) == [
        None,
        None,
        1,
        2,
        3,
    ]


@pytest.mark.parametrize("variant", ["raw", "plain"])
def test_become_hand_built(consultation, variant):
    raw = (RAW / "become.txt").read_text(encoding="utf-8")
    text = raw if variant == "raw" else _strip_md(raw)
    doc = make_doc(text, rid="become")
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    expected = BECOME_EXPECTED
    if variant == "raw":  # literal markdown is kept in the text as written
        expected = [
            ("preamble", "**Become Response to Ofsted", "it can be."),
            *BECOME_EXPECTED[1:-1],
            ("closing", "**For Further Information:** Please", "AND YOUNG CARE LEAVERS"),
        ]
    assert _summary_like(df, expected) == expected
    assert len(df) == len(expected)
    assert list(df["match_method"][1:6]) == ["number+text"] * 5
    assert df["warning"].isna().all()
    # The Q5 answer stops before the contact block and the logo.
    q5 = df.loc[df.question_id == "q5", "answer_text"].item()
    assert "Further Information" not in q5 and "BECOME" not in q5


def test_become_with_markdown_cues(consultation):
    from helpers.ingest import textnorm

    raw = (RAW / "become.txt").read_text(encoding="utf-8")
    text, cues = textnorm.normalise_with_cues(*textnorm.markup_to_text(raw))
    doc = make_doc(text, cues=cues, rid="become")
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert _summary_like(df, BECOME_EXPECTED) == BECOME_EXPECTED
    assert len(df) == len(BECOME_EXPECTED)
    assert df.loc[1, "heading_text"].startswith("Q1) To what extent")
    assert df["warning"].isna().all()


def test_acrcg_normalised(consultation):
    from helpers.ingest import textnorm

    raw = (RAW / "acrcg.txt").read_text(encoding="utf-8")
    text, cues = textnorm.normalise_with_cues(*textnorm.markup_to_text(raw))
    doc = make_doc(text, cues=cues, rid="acrcg")
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert _summary_like(df, ACRCG_EXPECTED) == ACRCG_EXPECTED


# --- heading styles ----------------------------------------------------------


def ids(df: pd.DataFrame) -> list[str]:
    return list(df["question_id"])


def answer(df: pd.DataFrame, qid: str) -> str:
    return df.loc[df.question_id == qid, "answer_text"].item()


@pytest.mark.parametrize(
    "fmt", ["Q{n})", "Q{n}.", "Q{n}:", "Question {n}:", "Question {n}", "{n}.", "{n})", "({n})"]
)
def test_numbered_headings_alone(consultation, fmt):
    text = "\n\n".join(
        f"{fmt.format(n=n)}\nAnswer number {n} is here. It has two sentences." for n in (1, 2, 3)
    )
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q1", "q2", "q3"]
    assert answer(df, "q2") == "Answer number 2 is here. It has two sentences."
    assert list(df["heading_text"]) == [fmt.format(n=n) for n in (1, 2, 3)]
    assert set(df["match_method"]) == {"number"}


def test_numbered_with_question_text(consultation):
    text = (
        f"1. {Q1}\nWe agree.\n\n2. {Q2}\nStability matters.\n\n3. {Q3}\nYes, as soon as possible."
    )
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q1", "q2", "q3"]
    assert list(df["match_method"]) == ["number+text"] * 3
    assert answer(df, "q3") == "Yes, as soon as possible."
    assert df.loc[2, "heading_text"] == f"3. {Q3}"


def test_answer_on_same_line_as_number(consultation):
    text = f"Q3) {Q3}\nWe agree.\n\nQ4) No further comments."
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q3", "q4"]
    assert answer(df, "q4") == "No further comments."
    assert df.loc[1, "heading_text"] == "Q4)"
    assert df.loc[1, "match_method"] == "number"


def test_question_and_answer_on_same_line(consultation):
    text = f"Q1) {Q1} We strongly agree with this.\nQ4) {Q4} Yes: see our letter."
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q1", "q4"]
    assert answer(df, "q1") == "We strongly agree with this."
    assert df.loc[0, "heading_text"] == f"Q1) {Q1}"
    assert answer(df, "q4") == "Yes: see our letter."


def test_bold_cue_headings_paraphrased_without_numbers(consultation):
    # Bold headings in the respondent's own words; cues as a docx reader reports them.
    h1 = "Do we agree with a separate judgement on the experiences and progress of care leavers?"
    h2 = "What good looks like for care leavers"
    h3 = "Introducing the new judgement from January 2023"
    text = f"Our response\n\n{h1}\nYes.\n\n{h2}\nStable homes.\n\n{h3}\nThe sooner the better."
    doc = make_doc(text, cues=bold(text, h1, h2, h3))
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["preamble", "q1", "q2", "q3"]
    assert answer(df, "preamble") == "Our response"
    assert answer(df, "q3") == "The sooner the better."
    assert set(df["match_method"][1:]) == {"text"}


def test_word_heading_cues(consultation):
    text = f"Covering note.\n\nQuestion one\n{Q1}\nAgree.\n\nPublic Sector Equality Duty\nNo impact identified."
    # 'Question one' spells the number: it joins the question text below it.
    doc = make_doc(text, cues=bold(text, Q1, "Public Sector Equality Duty", kind="heading"))
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["preamble", "q1", "q5"]
    assert answer(df, "preamble") == "Covering note."
    assert df.loc[1, "heading_text"] == f"Question one\n{Q1}"
    assert answer(df, "q5") == "No impact identified."


def test_partial_question_text_separates_the_two_closed_questions(consultation):
    # Both closed questions start "To what extent do you agree or disagree":
    # the rest of the heading decides, even when Q1 is not answered at all.
    text = (
        "To what extent do you agree or disagree that we should introduce the new judgement "
        "from January 2023\nAgree.\n\nAdditional comments\nNone."
    )
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q3", "q4"]
    s = text_similarity(
        "To what extent do you agree or disagree with our proposal to introduce a separate new judgement",
        consultation.question("q1"),
    )
    t = text_similarity(
        "To what extent do you agree or disagree with our proposal to introduce a separate new judgement",
        consultation.question("q3"),
    )
    assert max(s) > max(t) + 0.1


def test_paraphrased_plain_heading(consultation):
    text = (
        f"{Q1}\nAgree.\n\nDo you agree with introducing the new judgement from January 2023?\n"
        "Yes, but only with enough notice."
    )
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q1", "q3"]
    assert answer(df, "q3") == "Yes, but only with enough notice."


def test_skipped_question(consultation):
    text = f"Q1) {Q1}\nAgree.\n\nQ2) {Q2}\nHousing.\n\nQ4) {Q4}\nNone."
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q1", "q2", "q4"]
    assert answer(df, "q2") == "Housing."
    assert df["warning"].isna().all()


def test_letter_without_headings_is_unstructured(consultation):
    text = (
        "Dear Ofsted,\n\nWe welcome the proposal to look at care leavers separately. "
        "Housing remains the biggest concern for the young people we support.\n\n"
        "Yours sincerely,\nA. Person"
    )
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["unstructured"]
    assert df.loc[0, "answer_text"] == text
    assert df.loc[0, "match_method"] == "unstructured"
    assert df.loc[0, "warning"] == "no question headings found: whole response kept as unstructured"


def test_numbered_list_inside_answer_does_not_split_it(consultation):
    text = (
        f"Q2) {Q2}\nWe suggest:\n1. First point about housing.\n2. Second point about health.\n"
        f"3. Third point about money.\n4. Fourth point.\n\nQ3) {Q3}\nAgree."
    )
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q2", "q3"]
    assert answer(df, "q2").startswith("We suggest:") and answer(df, "q2").endswith(
        "4. Fourth point."
    )


def test_numbered_list_inside_bare_numbered_response(consultation):
    # Bare "1." headings, and a list restarting at 1 inside the second answer.
    text = (
        "1.\nWe agree.\n\n2.\nThree factors:\n1. Housing first.\n2. Health.\n3. Money.\n\n"
        "3.\nAgree with January 2023."
    )
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q1", "q2", "q3"]
    assert answer(df, "q2") == "Three factors:\n1. Housing first.\n2. Health.\n3. Money."


def test_out_of_order_answers_are_kept_with_warning(consultation):
    text = f"Q2) {Q2}\nHousing.\n\nQ1) {Q1}\nAgree.\n\nQ3) {Q3}\nDisagree."
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q2", "q1", "q3"]
    assert answer(df, "q1") == "Agree."
    warned = df[df["warning"].notna()]
    assert len(warned) == 1 and "out of order" in warned["warning"].item()


def test_duplicate_answer_is_kept_with_warning(consultation):
    text = f"Q1) {Q1}\nAgree.\n\nQ2) {Q2}\nHousing.\n\nQ1) {Q1}\nOn reflection, strongly agree."
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q1", "q2", "q1"]
    assert "duplicate" in df.loc[2, "warning"]
    assert answer(df, "q2") == "Housing."


def test_heading_without_body(consultation):
    text = f"Q1) {Q1}\n\nQ2) {Q2}\nHousing."
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q1", "q2"]
    assert df.loc[0, "answer_text"] == ""
    assert "no answer text" in df.loc[0, "warning"]


def test_sign_off_after_last_answer_is_closing(consultation):
    text = f"Q4) {Q4}\nNone beyond the above.\n\nKind regards,\nJo Bloggs\nChief Executive"
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q4", "closing"]
    assert answer(df, "q4") == "None beyond the above."
    assert answer(df, "closing") == "Kind regards,\nJo Bloggs\nChief Executive"


def test_order_only_bold_question(consultation):
    text = (
        f"Q3) {Q3}\nAgree.\n\nWhat about the wider system?\nNot at this time.\n\n"
        "Q5) Equality duty\nNo comment."
    )
    # ("Any other thoughts?" is now read by its frame as the catch-all question: intents.)
    doc = make_doc(text, cues=bold(text, "What about the wider system?"))
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q3", "q4", "q5"]
    assert df.loc[1, "match_method"] == "order"
    assert "position only" in df.loc[1, "warning"]


def test_unknown_question_number_is_warned_not_split(consultation):
    text = f"Q4) {Q4}\nNone.\n\nQ9) Something else\nMore text."
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q4"]
    assert answer(df, "q4") == "None.\n\nQ9) Something else\nMore text."
    assert "not a question in this consultation" in df.loc[0, "warning"]


def test_survey_answers(consultation):
    text = "Agree\n  Stable homes matter.  \nStrongly agree"
    doc = make_doc(
        text,
        survey_answers={
            "q2": (6, 28, None),
            "q1": (0, 5, "Agree"),
            "q3": (28, len(text), "Strongly agree"),
        },
    )
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q1", "q2", "q3"]
    assert answer(df, "q2") == "Stable homes matter."
    assert list(df["tick_box"].astype(object).where(df["tick_box"].notna(), None)) == [
        "Agree",
        None,
        "Strongly agree",
    ]
    assert set(df["match_method"]) == {"survey_column"} and set(df["match_score"]) == {1.0}


def test_survey_answer_for_unknown_question_names_file(consultation):
    doc = make_doc("x", survey_answers={"q99": (0, 1, None)})
    with pytest.raises(ValueError, match=r"r1\.txt.*q99"):
        segment_document(doc, consultation)


def test_number_line_then_question_text_line(consultation):
    text = f"Intro.\n\nQuestion 1\n{Q1}\nAgree.\n\nQuestion 2\n{Q2}\nHousing."
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["preamble", "q1", "q2"]
    assert answer(df, "preamble") == "Intro."
    assert answer(df, "q1") == "Agree."
    assert df.loc[1, "heading_text"] == f"Question 1\n{Q1}"
    assert df.loc[1, "match_method"] == "number+text"


def test_question_wrapped_over_two_lines(consultation):
    first, second = Q3[:60], Q3[60:]
    text = f"{Q1}\nAgree.\n\n{first}\n{second}\nWe agree with January 2023."
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q1", "q3"]
    assert answer(df, "q3") == "We agree with January 2023."
    assert df.loc[1, "heading_text"] == f"{first}\n{second}"


def test_numbered_paragraphs_of_a_letter_are_not_questions(consultation):
    # Seven numbered paragraphs cannot be this consultation's five questions.
    paras = "\n".join(f"{n}. Paragraph {n} of our letter about care leavers." for n in range(1, 8))
    doc = make_doc(f"Dear Sir or Madam,\n{paras}\nYours faithfully,\nA. Person")
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["unstructured"]


def test_bare_numbered_answers_on_the_same_line(consultation):
    # "1. We agree..." with no question text: taken as question numbers only
    # because the numbers run upwards and fit the consultation, with a warning.
    text = "Our response.\n\n1. We agree with the proposal.\n2. Stability and housing.\n3. Yes, from January."
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["preamble", "q1", "q2", "q3"]
    assert answer(df, "q2") == "Stability and housing."
    assert df.loc[1, "heading_text"] == "1."
    assert df["warning"][1:].str.contains("numbered paragraph").all()


def test_partial_heading_and_answer_on_one_line(consultation):
    text = "Q2) What good looks like for care leavers: stable homes and trusted adults.\nQ3) Agree."
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q2", "q3"]
    assert df.loc[0, "heading_text"] == "Q2) What good looks like for care leavers:"
    assert answer(df, "q2") == "stable homes and trusted adults."
    assert df.loc[0, "match_method"] == "number+text"


# --- notebook summaries --------------------------------------------------------


def test_answer_matrix_and_preview(consultation):
    frames = []
    for rid, text in [
        ("a", f"Title\n\nQ1) {Q1}\nWe agree strongly.\n\nQ4) None at all here."),
        ("b", "Dear Ofsted, we have four words."),
    ]:
        frames.append(segment_document(make_doc(text, rid=rid), consultation))
    answers = pd.concat(frames, ignore_index=True)
    m = answer_matrix(answers, consultation)
    assert list(m.columns) == ["Capacity", "Q1", "Q2", "Q3", "Q4", "Q5", "unstructured"]
    assert list(m.index) == ["a", "b"]
    assert m.loc["a"].tolist() == [0, 3, 0, 0, 4, 0, 0]
    assert m.loc["b"].tolist() == [0, 0, 0, 0, 0, 0, 6]
    prev = answer_preview(answers, n_words=2)
    assert prev["first_words"].tolist() == ["Title", "We agree …", "None at …", "Dear Ofsted, …"]
    assert prev["n_words"].tolist() == [1, 3, 4, 6]
    w = warnings_table(answers)
    assert w["respondent_id"].tolist() == ["b"] and w["question_id"].tolist() == ["unstructured"]


def test_answer_matrix_on_real_responses(consultation):
    frames = [
        segment_document(make_doc((RAW / f).read_text(encoding="utf-8"), rid=f[:-4]), consultation)
        for f in ("acrcg.txt", "become.txt")
    ]
    m = answer_matrix(pd.concat(frames, ignore_index=True), consultation)
    answered = (m > 0).astype(int)
    assert answered.loc["acrcg"].tolist() == [1, 1, 1, 1, 0, 0]
    assert answered.loc["become"].tolist() == [0, 1, 1, 1, 1, 1]


# --- real files through the ingest readers ---------------------------------------


def test_word_document_with_heading_styles(consultation, tmp_path):
    import builders

    from helpers.ingest import stage as ingest

    path = builders.make_docx(
        tmp_path / "trust.docx",
        [
            ("Response from Example Trust", "title"),
            "We work with 300 care leavers.",
            ("Question 1", "heading2"),
            (Q1, "bold"),
            "We agree.",
            ("Question 2", "heading2"),
            (Q2, "bold"),
            "Three things matter:",
            ("Stable homes", "number"),
            ("Trusted adults", "number"),
            ("Public Sector Equality Duty", "heading2"),
            "No impact.",
            "Yours sincerely,",
            "Jo Smith",
        ],
    )
    doc = ingest.read_document(path, tmp_path, consultation)[0]
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["preamble", "q1", "q2", "q5", "closing"]
    assert answer(df, "preamble") == "Response from Example Trust\n\nWe work with 300 care leavers."
    assert answer(df, "q1") == "We agree."
    assert df.loc[1, "heading_text"].startswith("Question 1\n")
    assert answer(df, "q2").startswith("Three things matter:")
    assert answer(df, "q2").endswith("Trusted adults")
    assert answer(df, "q5") == "No impact."
    assert answer(df, "closing").startswith("Yours sincerely,")
    assert df["warning"].isna().all()


def test_pdf_with_headings_run_into_paragraphs(consultation, tmp_path):
    # PDF lines are joined into paragraphs, so "Q3)" headings arrive mid-line.
    import builders

    from helpers.ingest import stage as ingest

    path = builders.make_pdf(
        tmp_path / "council.pdf",
        [
            [
                "Response of the Example Council.",
                f"Q1) {Q1}",
                "We agree with the proposal.",
                f"Q3) {Q3}",
                "We disagree: January 2023 is too soon.",
                "Q4) No further comments.",
                "For further information contact policy@example.gov.uk",
            ]
        ],
        header="Example Council response",
        page_numbers=True,
    )
    doc = ingest.read_document(path, tmp_path, consultation)[0]
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["preamble", "q1", "q3", "q4", "closing"]
    assert answer(df, "q1") == "We agree with the proposal."
    assert answer(df, "q3") == "We disagree: January 2023 is too soon."
    assert answer(df, "q4") == "No further comments."
    assert answer(df, "closing") == "For further information contact policy@example.gov.uk"


def test_plain_question_and_answer_on_one_line(consultation):
    text = f"{Q4} No, none."
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q4"]
    assert df.loc[0, "heading_text"] == Q4
    assert answer(df, "q4") == "No, none."


def test_literal_markdown_bold_number_only(consultation):
    text = f"**Q1)** {Q1} We agree.\n\n**Q2)** Housing first."
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q1", "q2"]
    assert df.loc[0, "heading_text"] == f"**Q1)** {Q1}"
    assert answer(df, "q1") == "We agree."
    assert df.loc[1, "heading_text"] == "**Q2)**"
    assert answer(df, "q2") == "Housing first."


def test_letter_signed_with_a_question_word_stays_unstructured(consultation):
    # "Respondent" is one word of the capacity question's alias: not a heading.
    text = "Dear Sir or Madam,\n\nWe support the proposal.\n\nYours faithfully,\n\nA. Respondent"
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    assert ids(df) == ["unstructured"]


def test_synthetic_corpus_segments_as_generated(consultation):
    # The benchmark generator knows which answer it wrote under which heading
    # (Q1), Question 1:, bare question text, bold, letters): compare to that.
    from benchmarks import generate
    from helpers.ingest import textnorm

    cons_path, codebook_path = generate.default_paths()
    vocab = generate.codebook_vocabulary(codebook_path)
    styles = set()
    for k in range(30):
        r = generate.make_respondent(consultation, vocab, 7, k)
        styles.add(r.style)
        text, cues = textnorm.normalise_with_cues(
            *textnorm.markup_to_text(generate.render_document(consultation, r))
        )
        doc = make_doc(text, cues=cues, rid=r.respondent_id)
        df = segment_document(doc, consultation)
        check_invariants(doc, df)
        got = [(q, t) for q, t in zip(df.question_id, df.answer_text, strict=True)]
        got = [(q, t) for q, t in got if q not in ("preamble", "closing")]
        if r.style == "letter":
            assert [q for q, _ in got] == ["unstructured"], r.respondent_id
        else:
            want = [
                (q, textnorm.normalise_with_cues(*textnorm.markup_to_text(t))[0].strip())
                for q, t in r.answers
            ]
            assert got == want, r.respondent_id
    assert len(styles) >= 4  # the sample covers most heading styles


def test_q_number_in_prose_does_not_split_an_answer(consultation):
    text = (
        f"Q1) {Q1}\nAgree.\nQ1 is the question we care most about, as Q3 shows.\n\n"
        f"Q2) {Q2}\nHousing."
    )
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q1", "q2"]
    assert answer(df, "q1") == "Agree.\nQ1 is the question we care most about, as Q3 shows."
    assert df["warning"].isna().all()


def test_email_reply_quoting_the_questions(consultation):
    text = f"Hello,\nOur answers are below.\n\n> Q1) {Q1}\nAgree.\n\n> Q4) {Q4}\nNo."
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["preamble", "q1", "q4"]
    assert df.loc[1, "heading_text"] == f"> Q1) {Q1}"
    assert answer(df, "q4") == "No."


def test_paraphrase_only_match_is_flagged(consultation):
    # Without the consultation's keywords, which would make this a stronger match.
    questions = tuple(dataclasses.replace(q, keywords=()) for q in consultation.questions)
    consultation = dataclasses.replace(consultation, questions=questions)
    text = (
        f"{Q1}\nAgree.\n\nWhen should the new judgement start from, January 2023?\nJanuary is fine."
    )
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q1", "q3"]
    assert pd.isna(df.loc[0, "warning"])
    assert "paraphrases Q3" in df.loc[1, "warning"]


def test_second_consultation_needs_no_code_change():
    folder = ROOT / "tests" / "fixtures" / "second_consultation"
    cons = load_consultation(folder / "consultation.yaml")
    text = (folder / "responses" / "friends-of-riverside-library.txt").read_text(encoding="utf-8")
    doc = make_doc(text, rid="friends")
    df = segment_document(doc, cons)
    check_invariants(doc, df)
    assert ids(df) == ["preamble", "q1", "q2", "q3"]
    assert answer(df, "preamble") == "Response from the Friends of Riverside Library"
    assert answer(df, "q1").startswith("We strongly agree with the proposal.")
    assert answer(df, "q2").endswith("the wifi often drops out.")
    assert answer(df, "q3") == "Please keep the Saturday morning story time for toddlers."


def test_empty_document_is_one_empty_unstructured_row(consultation):
    df = segment_document(make_doc(""), consultation)
    assert ids(df) == ["unstructured"]
    assert df.loc[0, "answer_text"] == "" and df.loc[0, "start"] == 0 and df.loc[0, "end"] == 0
    assert "no question headings" in df.loc[0, "warning"]


def test_styled_document_ignores_plain_paraphrase_lines(consultation):
    # With "Q" headings in use, a plain line inside an answer that paraphrases a
    # skipped question is part of the answer (in an unstyled document it would
    # be a heading: see test_paraphrased_plain_heading).
    inner = "Do you agree with introducing the new judgement from January 2023?"
    text = f"Q1) {Q1}\nAgree.\n\nQ2) {Q2}\nHousing.\n{inner}\nTiming matters.\n\nQ4) {Q4}\nNo."
    doc = make_doc(text)
    df = segment_document(doc, consultation)
    check_invariants(doc, df)
    assert ids(df) == ["q1", "q2", "q4"]
    assert answer(df, "q2") == f"Housing.\n{inner}\nTiming matters."


def test_order_decides_an_ambiguous_partial_heading(consultation):
    ambiguous = "To what extent do you agree or disagree?"
    first = f"{ambiguous}\nAgree.\n\n{Q2}\nHousing."
    df = segment_document(make_doc(first), consultation)
    assert ids(df) == ["q1", "q2"]
    after_q2 = f"{Q2}\nHousing.\n\n{ambiguous}\nDisagree."
    df = segment_document(make_doc(after_q2), consultation)
    assert ids(df) == ["q2", "q3"]
    assert answer(df, "q3") == "Disagree."
