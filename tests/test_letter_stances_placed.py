"""Letters without headings: a position read from a paragraph placed under a closed
question by its content is a letter's position (issue 13): method ``unstructured``, so
the report marks it; a letter whose position paragraph was placed under another question
still counts for the proposal; a letter that does not address the proposal leaves the
question ``not_answered``.

The letters are real .txt files read by the pipeline's ingest; the consultation is a
council's (not the default) and the wording of each letter was written for this test.
"""

from __future__ import annotations

from pathlib import Path

from helpers.core.consultation import load_consultation
from helpers.ingest.stage import run_ingest
from helpers.stance import stance_answers

CONSULTATION = """\
id: bridge-test
title: Closing Mill Bridge to motor traffic
questions:
  - id: q1
    number: 1
    kind: closed
    short: Closing the bridge
    text: Do you agree or disagree with closing Mill Bridge to motor vehicles?
  - id: q2
    number: 2
    kind: open
    short: Other comments
    text: Do you have any other comments on the proposal?
"""

LETTERS = {
    "for.txt": (
        "Dear Highways Team,\n\n"
        "I cross Mill Bridge on foot every morning with my son and the lorries come within "
        "inches of the pavement.\n\n"
        "Closing the bridge to motor vehicles is the right decision and I fully support it.\n\n"
        "Yours sincerely,\nAlex Moore\n"
    ),
    "against.txt": (
        "Dear Sir or Madam,\n\n"
        "I strongly oppose closing Mill Bridge to cars. The detour adds four miles to every "
        "trip to the surgery.\n\n"
        "Regards,\nP. Shah\n"
    ),
    "elsewhere.txt": (
        "Hello,\n\n"
        "The street lights on Orchard Close have been out since October and nobody has "
        "replied to my emails about them.\n\n"
        "Thanks,\nR. Evans\n"
    ),
}


def _run(tmp_path: Path):
    inp = tmp_path / "in"
    inp.mkdir()
    for name, text in LETTERS.items():
        (inp / name).write_text(text, encoding="utf-8")
    path = tmp_path / "consultation.yaml"
    path.write_text(CONSULTATION, encoding="utf-8")
    result = run_ingest(inp, path, tmp_path / "out", metadata_file=None)
    cons = load_consultation(path)
    st = stance_answers(result.answers, result.respondents, cons)
    files = result.respondents.set_index("respondent_id")["source_file"]
    st["file"] = st["respondent_id"].map(files)
    return result, st.set_index("file")


def test_letters_positions_are_read_as_letters(tmp_path):
    result, st = _run(tmp_path)
    assert st.loc["for.txt", "stance"] in ("agree", "strongly_agree")
    assert st.loc["against.txt", "stance"] in ("disagree", "strongly_disagree")
    for name in ("for.txt", "against.txt"):
        assert st.loc[name, "method"] == "unstructured"  # the report's marker
        assert 0 < st.loc[name, "confidence"] < 1
        assert st.loc[name, "evidence"]
    assert st.loc["elsewhere.txt", "stance"] == "not_answered"


def test_a_headed_answer_keeps_its_method(tmp_path):
    """Negative: text under the respondent's own heading is an answer, read as one."""
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "headed.txt").write_text(
        "Question 1\n\nWe agree with closing the bridge; it is long overdue.\n\n"
        "Question 2\n\nPlease add a crossing.\n",
        encoding="utf-8",
    )
    path = tmp_path / "consultation.yaml"
    path.write_text(CONSULTATION, encoding="utf-8")
    result = run_ingest(inp, path, tmp_path / "out", metadata_file=None)
    st = stance_answers(result.answers, result.respondents, load_consultation(path))
    row = st.iloc[0]
    assert row["stance"] in ("agree", "strongly_agree") and row["method"] == "text"
    assert row["confidence"] > 0.8
