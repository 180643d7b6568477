"""Development sets: the builder renders real files that ingest reads back; the metrics count right.

The metric tests use hand-made system tables whose expected scores were
worked out by hand (character counts in the comments).
"""

from __future__ import annotations

import email
import io
import re
import zipfile
from email import policy

import pandas as pd
import pytest
import yaml

from helpers.core.consultation import load_consultation
from helpers.ingest import read_document
from helpers.validate.devsets import DevSetError, build_set, load_gold
from helpers.validate.devsets.command import main
from helpers.validate.devsets.evaluate import evaluate_set, scores_json
from helpers.validate.devsets.goldview import GoldAnswer, GoldResponse, gold_responses
from helpers.validate.devsets.locate import Skeleton, locate
from helpers.validate.devsets.metrics import Scores, score_segmentation
from helpers.validate.devsets.scoring import score_set

CONSULTATION = {
    "id": "library-hours",
    "title": "Changing the opening hours of the town library",
    "questions": [
        {"id": "q1", "number": 1, "kind": "closed",
         "text": "Do you agree that the library should open on Sundays?"},
        {"id": "q2", "number": 2, "kind": "open", "text": "How would Sunday opening affect you?"},
        {"id": "q3", "number": 3, "kind": "open", "text": "Any other comments?"},
    ],
}  # fmt: skip
CODEBOOK = {
    "id": "library-hours",
    "title": "Library hours",
    "themes": [
        {"id": "family_time", "label": "Family time", "description": "Visits with children.",
         "patterns": ["children"]},
        {"id": "staffing", "label": "Staffing", "description": "Staff hours.", "patterns": ["staff"]},
    ],
}  # fmt: skip
Q1_TEXT = "I would visit with my children every Sunday afternoon."
Q2_TEXT = (
    "Weekday hours clash with my shifts at the depot.\n\n"
    "Sunday is the only day I could borrow books in person."
)
Q3_TEXT = "Please make sure the staff are paid fairly for Sunday work."


def _answers(heading_style: str = "Question {n}") -> list[dict]:
    return [
        {"question": "q1", "heading": heading_style.format(n=1), "text": Q1_TEXT, "tick": "agree",
         "stance": "agree", "themes": ["family_time"], "campaign": None},
        {"question": "q2", "heading": heading_style.format(n=2), "text": Q2_TEXT},
        {"question": "q3", "heading": heading_style.format(n=3), "text": Q3_TEXT, "themes": ["staffing"]},
    ]  # fmt: skip


def _source(sid: str, fmt: str, **extra) -> dict:
    return {
        "id": sid,
        "format": fmt,
        "respondent": {"type": "individual", "name": "Robin Example"},
        "preamble": "I live two streets from the library.",
        "answers": _answers(),
        "closing": "Best wishes,\nRobin",
        **extra,
    }


def _write_set(root, sources: list[dict], codebook: bool = True):
    set_dir = root / "library-hours"
    (set_dir / "sources").mkdir(parents=True)
    (set_dir / "consultation.yaml").write_text(yaml.safe_dump(CONSULTATION), encoding="utf-8")
    if codebook:
        (set_dir / "codebook.yaml").write_text(yaml.safe_dump(CODEBOOK), encoding="utf-8")
    for s in sources:
        (set_dir / "sources" / f"{s['id']}.yaml").write_text(yaml.safe_dump(s), encoding="utf-8")
    return set_dir


SOURCES = [
    _source("form-reply", "docx", layout="form", tick_style="content_control"),
    _source(
        "mailed",
        "eml",
        attachment={"format": "docx", "layout": "headed", "style": "bold"},
        email={"signature": "Robin Example\n07700 900000", "quoted": "Thanks for taking part."},
    ),
    _source("plain", "txt", split="heldout"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    set_dir = _write_set(tmp_path_factory.mktemp("sets"), SOURCES)
    build_set(set_dir)
    return set_dir


def _read(set_dir, name: str) -> str:
    consultation = load_consultation(set_dir / "consultation.yaml")
    (doc,) = read_document(set_dir / "responses" / name, set_dir / "responses", consultation)
    return doc.text


def test_the_docx_form_reads_back_with_its_ticks_and_answers(built):
    text = _read(built, "form-reply.docx")
    # The reader keeps the ticked option and drops the form's unticked ones.
    assert "☒ Agree" in text and "Strongly agree" not in text and "Disagree" not in text
    for answer in (Q1_TEXT, Q2_TEXT, Q3_TEXT):
        assert answer in text
    with zipfile.ZipFile(built / "responses" / "form-reply.docx") as z:
        xml = z.read("word/document.xml").decode()
    assert xml.count("<w14:checkbox>") >= 5 and xml.count('w14:checked w14:val="1"') == 1


def test_the_eml_carries_the_answers_in_its_attachment(built):
    msg = email.message_from_bytes(
        (built / "responses" / "mailed.eml").read_bytes(), policy=policy.default
    )
    assert "Please find attached" in msg.get_body(("plain",)).get_content()
    (att,) = list(msg.iter_attachments())
    assert att.get_filename() == "mailed-response.docx"
    text = _read(built, "mailed.eml")
    assert Q2_TEXT in text and "Question 3" in text
    assert "07700" not in text and "Thanks for taking part" not in text  # signature, quote dropped


def test_an_eml_can_answer_in_its_body_and_in_an_attachment(tmp_path):
    src = _source(
        "both", "eml", layout="letter",
        attachment={"format": "odt", "layout": "headed", "questions": ["q2"]},
    )  # fmt: skip
    set_dir = _write_set(tmp_path, [src])
    build_set(set_dir)
    msg = email.message_from_bytes(
        (set_dir / "responses" / "both.eml").read_bytes(), policy=policy.default
    )
    body = msg.get_body(("plain",)).get_content()
    assert Q1_TEXT in body and Q3_TEXT in body and "Robin" in body
    assert "Please find attached" not in body and "Weekday hours" not in body
    (att,) = list(msg.iter_attachments())
    with zipfile.ZipFile(io.BytesIO(att.get_content())) as z:
        xml = z.read("content.xml").decode()
    assert "Weekday hours clash" in xml and "Question 2" in xml and "Question 1" not in xml
    assert "I live two streets" not in xml  # the preamble stays in the body
    (doc,) = load_gold(set_dir)["documents"]
    assert doc["layout"] == "letter+attachment:headed"
    bad = _source("bad", "eml", attachment={"format": "odt", "questions": ["q9"]})
    with pytest.raises(DevSetError, match="not answered"):
        build_set(_write_set(tmp_path / "b", [bad]))


def test_gold_holds_the_rendered_texts_and_splits(built):
    gold = load_gold(built)
    assert [d["file"] for d in gold["documents"]] == [
        "responses/form-reply.docx", "responses/mailed.eml", "responses/plain.txt",
    ]  # fmt: skip
    q2 = gold["documents"][2]["answers"][1]
    assert q2["text"] == Q2_TEXT and q2["substantive"] is True
    assert [r.file for r in gold_responses(gold, "heldout")] == ["plain.txt"]
    assert len(gold_responses(gold, "all")) == 3


def test_a_rebuild_gives_the_same_bytes_and_keeps_surveys(tmp_path):
    built = _write_set(tmp_path, SOURCES[:2])
    build_set(built)
    before = {p.name: p.read_bytes() for p in (built / "responses").iterdir()}
    gold = yaml.safe_load((built / "gold.yaml").read_text(encoding="utf-8"))
    gold["surveys"] = [{"file": "responses/s.csv", "rows": [{"row": 1, "answers": {}}]}]
    (built / "gold.yaml").write_text(yaml.safe_dump(gold), encoding="utf-8")
    build_set(built)
    assert {p.name: p.read_bytes() for p in (built / "responses").iterdir()} == before
    assert load_gold(built)["surveys"][0]["file"] == "responses/s.csv"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"answers": [{"question": "q9", "text": "x"}]}, "answers[0]: question"),
        ({"answers": [{"question": "q1", "text": "x", "themes": ["nope"]}]}, "answers[0]: themes"),
        ({"layout": "form", "format": "pdf"}, "layout"),
        ({"colour": "red"}, "unknown field"),
    ],
)
def test_a_broken_source_names_the_file_and_field(tmp_path, change, message):
    set_dir = _write_set(tmp_path, [{**_source("bad", "txt"), **change}])
    with pytest.raises(DevSetError, match=re.escape(message)) as err:
        build_set(set_dir)
    assert "bad.yaml" in str(err.value)
    assert main(["build", str(set_dir)]) == 2


# --- Metrics on hand-made tables ---------------------------------------------------


def _rows(rid: str, spans: list[tuple[str, int, int]], text: str, **cols) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "respondent_id": rid,
            "question_id": [q for q, _, _ in spans],
            "start": [s for _, s, _ in spans],
            "end": [e for _, _, e in spans],
            "answer_text": [text[s:e] for _, s, e in spans],
            **cols,
        }
    )


def test_an_answer_split_across_two_questions_is_not_found():
    # A letter: gold q1 has 25 letters; the system gives its first 15 to q1 (coverage
    # 0.6 < 0.9) and its last 10 to q2 with the 40 letters of q2 (40/50 = 0.8 inside gold q2).
    q1, q2 = "aaaaa bbbbb ccccc ddddd eeeee", "fffff ggggg hhhhh iiiii jjjjj kkkkk lllll mmmmm"
    text = f"{q1}\n\n{q2}\n\nNo comment."
    split = text.index("ddddd")
    spans = [("q1", 0, split), ("q2", split, text.index(q2) + len(q2)),
             ("q3", text.index("No comment"), len(text))]  # fmt: skip
    gold = GoldResponse("a.txt", None, "dev", "individual", None, (
        GoldAnswer("q1", q1, True, heading="Question 1"), GoldAnswer("q2", q2, True),
        GoldAnswer("q3", "No comment.", False),
    ))  # fmt: skip
    scores = Scores("t", "dev")
    rows = _rows("a", spans, text, substantive=[True, True, False])
    score_segmentation(gold, text, rows, {"q1", "q2", "q3"}, scores)
    assert (scores.recall.hit, scores.recall.n) == (1, 2)  # q2 found, q1 not
    assert (scores.precision.hit, scores.precision.n) == (1, 2)  # q1 row in, q2 row 80%
    assert (scores.non_answers.tp, scores.non_answers.fp, scores.non_answers.fn) == (1, 0, 0)
    messages = [e.message for e in scores.errors]
    assert messages[0] == "heading 'Question 1': 60% under q1; 40% under q2"
    assert "80% inside gold q2" in messages[1]

    no_flags = Scores("t", "dev")
    score_segmentation(gold, text, _rows("a", spans, text), {"q1", "q2", "q3"}, no_flags)
    assert no_flags.non_answers is None  # no `substantive` column: n/a


def test_tick_box_lines_in_a_form_answer_do_not_count_against_it():
    comment = "Only if the cafe stays open too."
    text = f"Question 1\n\n☐ Strongly agree\n\n☒ Agree\n\n☐ Disagree\n\n{comment}"
    start = text.index("☐")
    gold = GoldResponse("f.docx", None, "dev", None, None, (GoldAnswer("q1", comment, True),))
    scores = Scores("t", "dev")
    score_segmentation(gold, text, _rows("f", [("q1", start, len(text))], text), {"q1"}, scores)
    assert (scores.precision.hit, scores.precision.n) == (1, 1)
    assert (scores.recall.hit, scores.recall.n) == (1, 1)


def test_gold_text_is_found_through_pdf_hyphenation_quotes_and_a_dropped_word():
    doc = Skeleton('The \u201corgan-\nisation\u201d said \u2013 clearly \u2013 "no".')
    loc = locate('The "organisation" said - clearly - \u201cno\u201d.', doc)
    assert loc.method == "exact" and doc.span_of(loc.range) == (0, len(doc.text) - 2)
    long = Skeleton("We think the new hours would help working parents and carers a great deal.")
    fuzzy = locate(
        "We think the new opening hours would help working parents and carers a great deal.", long
    )
    assert fuzzy.method == "fuzzy" and fuzzy.range[1] - fuzzy.range[0] >= 50


def test_short_gold_answer_is_found_as_a_word_not_inside_one():
    text = "Should the road be open only to buses?\n\nNo\n\nWhy? Snow."
    doc = Skeleton(text)
    # "openonly" and "snow" both hold "no"; the answer is the word "No".
    assert doc.span_of(locate("No", doc).range) == (text.index("\nNo") + 1, text.index("\nNo") + 3)
    assert doc.span_of(locate("No", doc, after=len(doc) - 2).range)[0] == text.index("No\n")
    # With no whole-word match, a match inside a word is still taken.
    assert locate("now", Skeleton("Snowdrops.")).method == "exact"


def test_set_scores_types_and_campaign_pairs():
    # Three copies in one respondent-level group; gold says a and b copy campaign c1 in q1 only.
    # System pairs: q1 ab, ac, bc + q2 ab = 4; gold pairs: q1 ab → tp 1, fp 3, fn 0.
    texts = {r: f"Question 1\n\nSame words {r}.\n\nQuestion 2\n\nMore words {r}." for r in "ab"}
    texts["c"] = "Question 1\n\nSame words c."
    respondents = pd.DataFrame({
        "respondent_id": list(texts), "source_file": [f"{r}.txt" for r in texts],
        "source_row": pd.array([None] * 3, dtype="Int64"), "text": list(texts.values()),
        "respondent_type": ["individual", "unknown", "individual"],
    })  # fmt: skip
    answers = pd.concat(
        _rows(r, [(q, t.index(w), t.index(w) + len(w)) for q, w in
                  (("q1", f"Same words {r}."), ("q2", f"More words {r}.")) if w in t], t)
        for r, t in texts.items()
    )  # fmt: skip
    records = [
        GoldResponse(f"{r}.txt", None, "dev", "individual", None, tuple(
            GoldAnswer(q, w, True, campaign="c1" if q == "q1" and r != "c" else None)
            for q, w in (("q1", f"Same words {r}."), ("q2", f"More words {r}.")) if w in texts[r]
        ))
        for r in texts
    ]  # fmt: skip
    copies = pd.DataFrame({"respondent_id": list("abc"), "copy_group": "campaign-1"})
    log = pd.DataFrame({"file": ["a.txt", "b.txt", "c.txt"], "status": ["processed"] * 3})
    consultation = load_consultation_dict()
    scores = score_set("t", "dev", records, consultation, respondents, answers, log, copies)
    assert (scores.campaigns.tp, scores.campaigns.fp, scores.campaigns.fn) == (1, 3, 0)
    assert scores.campaigns.precision == 0.25 and scores.campaigns.recall == 1.0
    assert (scores.types.hit, scores.types.n) == (2, 3)
    assert scores.type_errors == {("individual", "unknown"): 1}
    assert (scores.recall.hit, scores.recall.n) == (5, 5) and scores.files.hit == 3
    assert scores.recall_by_format["txt"].n == 5

    # Per-question groups (copies with question_id): only a and b in q1 → exactly the gold pair.
    per_q = pd.DataFrame(
        {"respondent_id": ["a", "b"], "question_id": "q1", "copy_group": "campaign-1"}
    )
    scores = score_set("t", "dev", records, consultation, respondents, answers, log, per_q)
    assert (scores.campaigns.tp, scores.campaigns.fp, scores.campaigns.fn) == (1, 0, 0)


def load_consultation_dict():
    from helpers.core.consultation import parse_consultation

    return parse_consultation(CONSULTATION)


# --- The evaluation run ---------------------------------------------------------------


def test_stance_and_themes_are_scored_against_the_tables():
    text = "Question 1\n\nYes, with my children."
    respondents = pd.DataFrame({
        "respondent_id": ["a"], "source_file": ["a.txt"], "source_row": pd.array([None], dtype="Int64"),
        "text": [text], "respondent_type": ["individual"],
    })  # fmt: skip
    answers = _rows("a", [("q1", 12, len(text))], text)
    gold = [GoldResponse("a.txt", None, "dev", "individual", None, (
        GoldAnswer("q1", "Yes, with my children.", True, stance="agree", themes=("family_time", "staffing")),
    ))]  # fmt: skip
    stances = pd.DataFrame({"respondent_id": ["a"], "question_id": ["q1"], "stance": ["neither"]})
    codes = pd.DataFrame(
        {"respondent_id": ["a"], "question_id": ["q1"], "theme_id": ["family_time"]}
    )
    log = pd.DataFrame({"file": ["a.txt"], "status": ["processed"]})
    copies = pd.DataFrame({"respondent_id": [], "copy_group": []})
    scores = score_set("t", "dev", gold, load_consultation_dict(), respondents, answers, log,
                       copies, stances=stances, codes=codes)  # fmt: skip
    assert (scores.stance.hit, scores.stance.n) == (0, 1)
    assert (scores.themes.tp, scores.themes.fp, scores.themes.fn) == (1, 0, 1)
    assert scores.campaigns is None  # no gold campaigns, no copies: n/a


def test_evaluate_runs_ingest_on_a_built_set(tmp_path, capsys):
    plain = [{**s, "answers": [{k: v for k, v in a.items() if k not in ("stance", "themes")}
                               for a in s["answers"]]} for s in SOURCES]  # fmt: skip
    set_dir = _write_set(tmp_path, plain, codebook=False)
    build_set(set_dir)
    scores = evaluate_set(set_dir, "all")
    assert (scores.files.hit, scores.files.n) == (3, 3)
    assert scores.recall.n == 9 and scores.types.n == 3
    assert scores.stance is None and scores.themes is None  # no gold labels: not run
    assert scores_json(scores)["recall"]["rate"] == scores.recall.rate
    assert evaluate_set(set_dir, "heldout").n_responses == 1
    out = tmp_path / "scores.json"
    assert main(["evaluate", "--root", str(tmp_path), "--json", str(out)]) == 0
    assert "answers under right q" in capsys.readouterr().out and out.is_file()
    assert main(["evaluate", "--root", str(tmp_path), "--set", "missing"]) == 2
