"""Discovery on hand-made answers in three clear topics, with a campaign's copies.

Twelve respondents answer the open question q2 (four about rent and flats,
four about buses, four about school places); three more send a copy of r1's
rent answer (a campaign). Eight of them also comment on the closed question
q1, on the same three topics, with a tick recorded in ``stances``.
Worked by hand: the copies count once, so the rent theme has 4 answers and
stands for 7 respondents; each theme has 4 of q2's 12 answers (33.3 %).
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.coding import discover_themes, load_codebook, parse_codebook
from helpers.coding.codebook import pattern_problem
from helpers.coding.draft import distinctive_terms, label_terms, make_label, theme_id
from helpers.core import embedding
from helpers.core.consultation import parse_consultation

CONSULTATION = parse_consultation(
    {
        "id": "t",
        "title": "Test consultation",
        "questions": [
            {"id": "q1", "kind": "closed", "text": "Do you agree with the plan?"},
            {"id": "q2", "kind": "open", "text": "What should the council change?"},
        ],
    }
)
RENT = [
    "The rent on my flat went up again and I cannot afford the rent any more.",
    "Rent for a small flat takes half of my wages every month.",
    "Private landlords keep raising the rent and the flats are damp.",
    "We need cheaper flats to rent because rent is far too high here.",
]
BUS = [
    "The number 12 bus is always late and the bus stop has no shelter.",
    "Buses stop running at seven so I cannot get the bus home from work.",
    "Bus fares went up and the bus route to the hospital was cut.",
    "More buses please, the bus timetable is useless in the evening.",
]
SCHOOL = [
    "There are not enough school places and my son waits for a primary school place.",
    "The school is full and children travel miles to another school.",
    "Our school has lost teachers and classes in the school are huge.",
    "Build a new secondary school, the school places here ran out years ago.",
]
CLOSED = {  # q1 comments: respondent -> (comment, stance)
    "r1": ("I agree, the rent is too high for any flat.", "agree"),
    "r2": ("Yes, rent for flats must come down.", "strongly_agree"),
    "r3": ("No, this does nothing about the rent on flats.", "disagree"),
    "r5": ("I agree, the bus service needs fixing.", "agree"),
    "r6": ("No, the bus plan cuts my bus.", "strongly_disagree"),
    "r7": ("No, the bus changes ignore the bus users.", "disagree"),
    "r9": ("Agree: school places matter most for each school.", "agree"),
    "r10": ("Agree, every school needs more school places.", "agree"),
}


def _tables():
    texts, rows = {}, []
    open_answers = {f"r{i + 1}": t for i, t in enumerate(RENT + BUS + SCHOOL)}
    open_answers.update({"c1": RENT[0], "c2": RENT[0], "c3": RENT[0]})  # campaign copies
    for rid, body in open_answers.items():
        parts = []
        if rid in CLOSED:
            parts.append(("q1", CLOSED[rid][0]))
        parts.append(("q2", body))
        text = ""
        for qid, b in parts:
            if text:
                text += "\n\n"
            start = len(text)
            text += b
            rows.append(
                {"respondent_id": rid, "question_id": qid, "start": start,
                 "end": start + len(b), "answer_text": b, "substantive": True}
            )  # fmt: skip
        texts[rid] = text
    answers = pd.DataFrame(rows)
    respondents = pd.DataFrame({"respondent_id": list(texts), "text": list(texts.values())})
    copies = pd.DataFrame(
        {"respondent_id": ["r1", "c1", "c2", "c3"], "question_id": ["q2"] * 4,
         "copy_group": ["campaign-1"] * 4, "similarity": [100.0] * 4,
         "is_first": [True, False, False, False]}
    )  # fmt: skip
    stances = pd.DataFrame(
        {"respondent_id": list(CLOSED), "question_id": ["q1"] * len(CLOSED),
         "stance": [s for _, s in CLOSED.values()]}
    )  # fmt: skip
    return answers, respondents, copies, stances


def test_labels_from_distinctive_terms_by_hand():
    # cluster 0: "rent" in 3 of 3 sentences, "flat" in 2; cluster 1: "bus" in 2 of 2.
    clusters = {
        0: [{"rent": "rent", "flat": "flat"}, {"rent": "rent", "flat": "flat"}, {"rent": "rent"}],
        1: [{"bus": "bus"}, {"bus": "bus", "rent": "rent"}],
    }
    terms = distinctive_terms(clusters)
    # rent: (3/3) * log(1 + 2.5/4) = 0.4855; flat: (2/3) * log(1 + 2.5/2) = 0.5406
    assert [t for t, _ in terms[0]] == ["flat", "rent"]
    assert terms[0][0][1] == pytest.approx(2 / 3 * 0.810930, abs=1e-5)
    assert [t for t, _ in terms[1]] == ["bus"]
    assert make_label(label_terms([("staying put", 1.0), ("staying", 0.9), ("rent", 0.5)])) == (
        "Staying put and rent"
    )
    assert theme_id("Q 2", ["staying put"], {"q_2_staying_put"}) == "q_2_staying_put_2"


needs_model = pytest.mark.skipif(not embedding.available(), reason="embedding model not installed")


@needs_model
def test_three_topics_copies_once_and_draft_loads(tmp_path):
    answers, respondents, copies, stances = _tables()
    result = discover_themes(
        answers, respondents, CONSULTATION, copies=copies, stances=stances, seed=0
    )
    themes = result.themes
    q2 = themes[(themes.question_id == "q2") & (themes.label != "Other")]
    assert len(q2) == 3
    by_word = {}
    for row in q2.itertuples():
        members = set(result.members.loc[result.members.theme_id == row.theme_id, "respondent_id"])
        by_word[row.patterns[0]] = (members, row)
    rent = next(v for k, v in by_word.items() if "rent" in k or "flat" in k)
    assert rent[0] == {"r1", "r2", "r3", "r4"}  # the copies c1-c3 are not read again
    assert rent[1].n_answers == 4 and rent[1].n_respondents == 7
    assert rent[1].percent == pytest.approx(33.3)
    for _members, row in by_word.values():
        assert row.n_answers == 4
        assert 3 <= len(row.quotes) <= 5
        assert len({q["respondent_id"] for q in row.quotes}) == len(row.quotes)
        for q in row.quotes:  # traceable: the offsets give the quote back
            text = respondents.set_index("respondent_id").loc[q["respondent_id"], "text"]
            assert " ".join(text[q["start"] : q["end"]].split()) == q["text"]
        assert all(pattern_problem(p) is None for p in row.patterns)
    # closed-question comments: supporters and opponents per theme, from stances
    q1 = themes[(themes.question_id == "q1") & (themes.label != "Other")]
    for row in q1.itertuples():
        assert row.supporters + row.opponents == row.n_answers
    path = result.write(tmp_path / "codebook.draft.yaml")
    book = load_codebook(path, CONSULTATION)
    assert {t.id for t in book.themes} == set(q2.theme_id) | set(q1.theme_id)
    assert "coverage: 4 answers (33.3% of 12) to q2" in path.read_text(encoding="utf-8")
    again = discover_themes(
        answers, respondents, CONSULTATION, copies=copies, stances=stances, seed=0
    )
    pd.testing.assert_frame_equal(again.themes, themes)


@needs_model
def test_extend_discovers_only_the_uncoded_remainder():
    answers, respondents, copies, stances = _tables()
    book = parse_codebook(
        {
            "id": "b",
            "title": "b",
            "themes": [{"id": "housing", "label": "Housing", "patterns": ["rent", "flat"]}],
        }  # fmt: skip
    )
    result = discover_themes(answers, respondents, CONSULTATION, copies=copies, codebook=book)
    assert result.codebook["themes"][0]["id"] == "housing"
    read = set(result.members.loc[result.members.question_id == "q2", "respondent_id"])
    assert read.isdisjoint({"r1", "r2", "r3", "r4"})  # every rent sentence is coded already
    drafted = result.themes[(result.themes.question_id == "q2") & (result.themes.label != "Other")]
    assert len(drafted) == 2
    parse_codebook(result.codebook)  # the extended draft is a valid codebook


@needs_model
def test_consult_discover_writes_a_draft_the_loader_reads(tmp_path):
    from helpers import cli

    answers, respondents, copies, stances = _tables()
    for name, frame in (("answers", answers), ("respondents", respondents), ("copies", copies)):
        frame.to_parquet(tmp_path / f"{name}.parquet", index=False)
    (tmp_path / "consultation.yaml").write_text(
        "id: t\ntitle: T\nquestions:\n"
        "  - {id: q1, kind: closed, text: 'Do you agree with the plan?'}\n"
        "  - {id: q2, kind: open, text: 'What should the council change?'}\n",
        encoding="utf-8",
    )
    (tmp_path / "codebook.yaml").write_text(
        "id: b\ntitle: b\nthemes:\n  - {id: x, label: X, patterns: [zzz]}\n", encoding="utf-8"
    )
    (tmp_path / "run.yaml").write_text(
        f"consultation: {tmp_path}/consultation.yaml\ncodebook: {tmp_path}/codebook.yaml\n"
        f"input_dir: {tmp_path}\nprocessed_dir: {tmp_path}\noutput_root: {tmp_path}/reports\n",
        encoding="utf-8",
    )
    assert cli.main(["discover", "--config", str(tmp_path / "run.yaml")]) == 0
    book = load_codebook(tmp_path / "codebook.draft.yaml", CONSULTATION)
    assert len([t for t in book.themes if t.questions == ("q2",)]) == 3
