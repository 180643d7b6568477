"""Campaign copies: detection, the copies table written by ingest, and the report's account of it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
import report_testdata as td
from builders import make_docx

from helpers import analysis as analyse
from helpers.core import schemas
from helpers.ingest import campaigns
from helpers.ingest.stage import run_ingest
from helpers.report import builder as report

ROOT = Path(__file__).resolve().parents[1]
OFSTED = ROOT / "consultations" / "ofsted-ilacs-care-leavers-2022" / "consultation.yaml"

LETTER = [
    "Dear Ofsted,",
    "I am writing to ask you to keep the voices of care leavers at the heart of every "
    "inspection. Young people leaving care should be asked directly about their housing, "
    "their personal adviser and the help they get with education and work.",
    "Please make sure inspectors check that every care leaver can see their own records "
    "and knows what support they are entitled to.",
    "Yours faithfully,",
]
LETTER_TEXT = "\n\n".join(LETTER)
PERSONAL = "I left care myself two years ago and had to wait months for a flat."
OTHER = (
    "Our trust supports the proposed framework in principle. We would like the inspection "
    "of local authority services for children in need of help and protection to look more "
    "closely at transitions between children's and adult mental health services, where we "
    "see many young people fall through the gaps, and at the stability of placements."
)


def _respondents(texts: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"respondent_id": list(texts), "text": list(texts.values())})


def _groups(copies: pd.DataFrame) -> dict[str, list[str]]:
    return {g: sorted(m["respondent_id"]) for g, m in copies.groupby("copy_group")}


def test_exact_copies_ignore_case_whitespace_and_punctuation():
    texts = {
        "r2": LETTER_TEXT,
        "r1": LETTER_TEXT.upper().replace("\n\n", "\n").replace(",", " ,"),
        "r3": OTHER,
    }
    copies = campaigns.detect_copies(_respondents(texts))
    schemas.validate(copies, schemas.COPIES)
    assert list(copies.columns) == schemas.COPIES.names
    assert copies["respondent_id"].tolist() == ["r1", "r2"]
    assert copies["copy_group"].tolist() == ["campaign-1", "campaign-1"]
    assert copies["similarity"].tolist() == [100.0, 100.0]
    assert copies["is_first"].tolist() == [True, False]


def test_copy_with_an_added_personal_sentence_is_grouped():
    texts = {
        "a": LETTER_TEXT,
        "b": LETTER[0] + "\n\n" + PERSONAL + "\n\n" + "\n\n".join(LETTER[1:]),
        "c": LETTER_TEXT + "\n\n" + PERSONAL + " Thank you.",
    }
    copies = campaigns.detect_copies(_respondents(texts))
    assert _groups(copies) == {"campaign-1": ["a", "b", "c"]}
    assert (copies["similarity"] >= 90).all()
    assert copies.set_index("respondent_id")["is_first"].to_dict() == {
        "a": True,
        "b": False,
        "c": False,
    }


def test_different_texts_are_not_grouped():
    texts = {
        "a": LETTER_TEXT,
        "b": OTHER,
        # Same topic and many of the same words, but a different response.
        "c": "Care leavers told us that housing and their personal adviser matter most. "
        "Inspectors should read the records of a sample of young people leaving care, and "
        "ask them about education, work and the support they are entitled to, before "
        "judging the service. We do not think a letter-writing campaign should decide this.",
    }
    assert campaigns.detect_copies(_respondents(texts)).empty
    # A short text whose words all occur in a long one is not a copy of it.
    short = " ".join(LETTER[1].split()[:40])
    long = {"a": LETTER_TEXT + "\n\n" + OTHER + "\n\n" + OTHER.upper(), "b": short}
    assert len(short) >= 200
    assert campaigns.detect_copies(_respondents(long)).empty


def test_short_texts_are_not_grouped():
    """Under 40 characters never; a short common sentence needs five copies, not three."""
    short = "I agree with the proposal and have nothing to add."
    texts = {"a": short, "b": short, "c": short.upper()}
    assert campaigns.detect_copies(_respondents(texts)).empty
    # ... unless the smallest group allows them.
    assert len(campaigns.detect_copies(_respondents(texts), min_sizes=((0, 3, 0.0),))) == 3
    tiny = {k: "I agree." for k in "abcdefg"}
    assert campaigns.detect_copies(_respondents(tiny)).empty
    assert len(campaigns.detect_copies(_respondents(tiny), min_chars=5)) == 7


def test_numbering_is_deterministic_and_by_first_respondent():
    texts = {
        "z1": OTHER,
        "b1": LETTER_TEXT,
        "a9": OTHER + " " + PERSONAL,
        "c1": LETTER_TEXT + " " + PERSONAL,
        "m1": OTHER,
        "x": "A response of its own, long enough to be compared with the others but about "
        "something else entirely: the timetable for the new inspections, the cost of "
        "preparing for them, and how councils will be told about the changes in advance.",
    }
    copies = campaigns.detect_copies(_respondents(texts))
    assert _groups(copies) == {"campaign-1": ["a9", "m1", "z1"], "campaign-2": ["b1", "c1"]}
    # The representative is the most-sent text (OTHER, sent by m1 and z1), first sent by m1;
    # LETTER_TEXT and its personalised copy are sent once each: the lower id, b1, leads.
    first = copies[copies["is_first"]]
    assert first["respondent_id"].tolist() == ["m1", "b1"]
    sim = copies.set_index("respondent_id")["similarity"]
    assert sim["m1"] == sim["z1"] == sim["b1"] == 100.0
    assert sim["a9"] >= 90.0  # token_set_ratio: OTHER with a sentence added scores 100
    shuffled = _respondents(texts).sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(campaigns.detect_copies(shuffled), copies)


def test_no_limit_on_the_number_of_texts_compared():
    """The old 5,000-text cap (exact copies only above it) is gone."""
    import inspect

    assert "max_fuzzy" not in inspect.signature(campaigns.detect_copies).parameters


def test_answers_restrict_the_comparison_to_the_respondents_words():
    """Survey rows repeat the question wording; only the answers are compared."""
    question = "Q1. " + OTHER + "\n"
    # (Two answers of one position: "Yes." / "No, not at all." turn it around, and are never
    # copies, whole or not, since session 11's polarity check on long texts.)
    texts = {"a": question + "Yes.", "b": question + "Yes, on the whole."}
    answers = pd.DataFrame(
        {
            "respondent_id": ["a", "b"],
            "question_id": ["q1", "q1"],
            "start": [len(question)] * 2,
            "answer_text": ["Yes.", "Yes, on the whole."],
        }
    )
    assert len(campaigns.detect_copies(_respondents(texts))) == 2
    assert campaigns.detect_copies(_respondents(texts), answers=answers).empty


def test_run_ingest_writes_copies(tmp_path: Path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "smith.txt").write_text(LETTER_TEXT, encoding="utf-8")
    (inp / "jones.txt").write_text(
        LETTER_TEXT.replace("Yours faithfully,", PERSONAL + "\n\nYours faithfully,"),
        encoding="utf-8",
    )
    make_docx(inp / "brown.docx", LETTER)
    (inp / "trust.txt").write_text(OTHER, encoding="utf-8")
    out = tmp_path / "out"
    result = run_ingest(inp, OFSTED, out, metadata_file=None)
    assert len(result.respondents) == 4
    copies = pd.read_parquet(out / "copies.parquet")
    schemas.validate(copies, schemas.COPIES)
    # The whole letter is copied ("*"), and so is its one paragraph that answers a
    # question (read by meaning: what good support looks like, q2).
    by_question = {q: sorted(m["respondent_id"]) for q, m in copies.groupby("question_id")}
    assert by_question == {"*": ["brown", "jones", "smith"], "q2": ["brown", "jones", "smith"]}
    assert copies.groupby("question_id")["copy_group"].nunique().tolist() == [1, 1]
    assert sorted(copies.loc[copies["is_first"], "respondent_id"].tolist()) == ["brown", "brown"]
    pd.testing.assert_frame_equal(result.copies, schemas.conform(copies, schemas.COPIES))
    loaded = analyse.read_table(out, "copies")
    assert len(loaded) == 6


def test_default_data_has_no_copies(tmp_path: Path):
    raw = ROOT / "data" / "raw" / "ofsted-ilacs-care-leavers-2022"
    result = run_ingest(raw, OFSTED, tmp_path / "out")
    assert len(result.respondents) == 2
    assert result.copies.empty
    assert pd.read_parquet(tmp_path / "out" / "copies.parquet").empty


def _text(fragment: str) -> str:
    import html

    no_tags = re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]+"', "", fragment))
    return re.sub(r"\s+", " ", html.unescape(no_tags))


def _inputs(copies: pd.DataFrame | None = None) -> analyse.AnalysisInputs:
    parts = {
        "respondents": td.respondents(),
        "answers": td.answers(),
        "codes": td.codes(),
        "stances": td.stances(),
        "uncoded": td.uncoded(),
        "consultation": td.CONSULTATION,
        "codebook": td.CODEBOOK,
    }
    if copies is not None:
        parts["copies"] = copies
    return analyse.AnalysisInputs(**parts)


def _method(html_text: str) -> str:
    return _text(
        html_text[
            html_text.index('<section id="method">') : html_text.index('<section id="profile">')
        ]
    )


def test_report_without_copies(tmp_path: Path):
    html_text = report.build_report(_inputs(), output_dir=tmp_path, report_date=dt.date(2026, 1, 1))
    method = _method(html_text)
    assert "No answers were identified as copies of a shared (campaign) text." in method
    assert "similarity to the group's most-sent text is at least 90 out of 100" in method
    assert (
        "Answers under 40 characters were not compared, and a group needs at least five copies "
        "of a text under 100 characters (and at least 1% of the question's answers), three "
        "copies of a text under 150 characters and two copies of a text of 150 characters or "
        "more, because short common sentences recur without any campaign." in method
    )
    assert "campaign copies</h2>" not in html_text
    assert "copies of" not in _text(html_text).replace(method, "")


@pytest.fixture
def copies_report(tmp_path: Path) -> str:
    a = td.answers()
    # r5 is an individual named Jane Smith: she must appear only as 'Respondent 2'.
    shared = "<b>Dear Ofsted</b>, keep our services " * 20
    a.loc[(a["respondent_id"] == "r5") & (a["question_id"] == "q1"), "answer_text"] = shared
    # q1 was answered by r1, r2, r4 and r5; q2 by r1, r2 and r3 (r4's answer is blank).
    copies = schemas.conform(
        pd.DataFrame(
            {
                "respondent_id": ["r1", "r2", "r5", "r2", "r3"],
                "question_id": ["q1", "q1", "q1", "q2", "q2"],
                "copy_group": ["campaign-1"] * 3 + ["campaign-2"] * 2,
                "similarity": [100.0, 95.5, 100.0, 100.0, 100.0],
                "is_first": [False, False, True, True, False],
            }
        ),
        schemas.COPIES,
    )
    inputs = _inputs(copies)
    inputs.answers = a
    return report.build_report(inputs, output_dir=tmp_path, report_date=dt.date(2026, 1, 1))


def test_report_counts_copies_per_question_and_lists_groups(copies_report: str):
    method = _method(copies_report)
    assert (
        "Five answers from four respondents were copies of two shared (campaign) texts: of the "
        "four answers to Q1: The proposal, three were copies of one campaign text and of the "
        "three answers to Q2: Factors, two were copies of one campaign text. They are counted "
        "as separate responses in this report" in method
    )
    heads = re.findall(r"<h2>(.*?)</h2>", copies_report)
    assert heads[-4:] == [
        "Annex A: the codebook",
        "Annex B: detail for each respondent",
        "Annex C: answers with no theme",
        "Annex D: campaign copies",
    ]
    annex = copies_report[copies_report.index("Annex D: campaign copies") :]
    text = _text(annex)
    assert (
        "campaign-1 Q1: The proposal 3 Respondent 2 <b>Dear Ofsted</b>, keep our services" in text
    )
    assert "campaign-2 Q2: Factors 2 ACRCG Records." in text
    assert "Jane Smith" not in copies_report
    assert "<b>Dear" not in annex and "&lt;b&gt;Dear Ofsted&lt;/b&gt;" in annex
    whole = _text(copies_report)
    assert (
        "Of these, four responses contained answers copied from two shared (campaign) texts "
        "(Annex D); each is counted as a separate response." in whole
    )
    # Each question's section: the copies beside its base, and those written independently.
    assert (
        "Of the four answers to this question, three were copies of one campaign text "
        "(Annex D); the other one was written independently." in whole
    )
    assert (
        "Of the three answers to this question, two were copies of one campaign text "
        "(Annex D); the other one was written independently." in whole
    )


def test_annex_lists_the_largest_groups_and_points_to_the_workbook(tmp_path, monkeypatch):
    # Groups multiply with respondents: beyond ANNEX_GROUPS_MAX only the largest are
    # listed (campaign-1, 3 copies, not campaign-2 with 2); every group is a workbook row.
    from helpers.report import campaigns as report_campaigns

    monkeypatch.setattr(report_campaigns, "ANNEX_GROUPS_MAX", 1)
    copies = schemas.conform(
        pd.DataFrame(
            {
                "respondent_id": ["r1", "r2", "r5", "r2", "r3"],
                "question_id": ["q1", "q1", "q1", "q2", "q2"],
                "copy_group": ["campaign-1"] * 3 + ["campaign-2"] * 2,
                "similarity": [100.0] * 5,
                "is_first": [False, False, True, True, False],
            }
        ),
        schemas.COPIES,
    )
    page = report.build_report(_inputs(copies), output_dir=tmp_path)
    annex = _text(page[page.index("Annex D: campaign copies") :])
    assert (
        "The 1 largest of the 2 groups are listed; every group, with its representative's "
        "full text, is in the workbook (tables.xlsx, sheet campaign_groups)." in annex
    )
    assert "campaign-1" in annex and "campaign-2" not in annex
    groups = analyse.analysis_tables(_inputs(copies))["campaign_groups"]
    assert list(groups["copy_group"]) == ["campaign-1", "campaign-2"]
    assert list(groups["attribution"]) == ["Respondent 2", "ACRCG"]  # r5, r2
