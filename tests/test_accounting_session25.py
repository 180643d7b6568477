"""Session 25 (accounting): voluntary bodies that say what they are in their own words.

Charities whose name has no type word were typed ``other`` on unseen batches again
and again (batches 22, 26, 27 and the unseen 28). Two readers:

- a capacity answer headed by a bare noun ("Organisation.", "We are a network …")
  is read for its own self-description before falling back to ``other``
  (``capacity_types._answer_describes``);
- a body otherwise ``other`` that speaks of its volunteers, trustees or donations
  twice is the consultation's voluntary type (``type_readers.voluntary_words_type``).

Every text here is written new for these tests (none is a spent set's wording).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from helpers.core import schemas
from helpers.core.consultation import default_respondent_types
from helpers.core.type_rules import parse_respondent_types
from helpers.ingest.capacity_types import answers_voice, capacity_answer_type
from helpers.ingest.respondent_types import (
    infer_respondent_type,
    self_described_type,
    voluntary_words_type,
)

RULES = default_respondent_types()


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        # A bare "Organisation." and then what the body is, in its own sentence.
        (
            "Organisation. The Hollins Youth Project is a registered charity running two "
            "youth clubs in the valley.",
            "charity_voluntary",
        ),
        # A network of member bodies named in the plural ("mosques", "churches").
        (
            "We are a network of nine mosques and churches who run a winter night shelter.",
            "charity_voluntary",
        ),
        (
            "Organisation. Governed by its trustees, it lends tools to new tenants.",
            "charity_voluntary",
        ),
        # Nothing in the answer says a listed kind: an organisation of no listed type.
        ("Organisation. A small practice of architects on the high street.", "other"),
        ("We are a network of local firms who share a delivery van.", "other"),
    ],
)
def test_capacity_answer_headed_by_a_bare_noun_reads_its_own_description(
    answer: str, expected: str
) -> None:
    assert capacity_answer_type(answer, RULES) == expected


def test_capacity_answer_naming_a_type_is_read_as_before() -> None:
    # Read by the head noun or the answers' words first, unchanged.
    assert capacity_answer_type("Local authority (children's services)", RULES) == (
        "local_authority"
    )
    assert capacity_answer_type("Foster carer", RULES) == "individual"
    assert capacity_answer_type("A further education college", RULES) == "other"


def test_self_described_type_is_the_whole_texts_reading() -> None:
    assert self_described_type("We are a small charity in the north.", None, RULES) == (
        "charity_voluntary"
    )
    assert (
        self_described_type("Ashby Tool Library is a registered charity.", None, RULES)
        == "charity_voluntary"
    )
    assert self_described_type("The council should do more.", None, RULES) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Stepping Stones matches volunteer mentors with young people. Our volunteers "
            "meet them every week.",
            "charity_voluntary",
        ),
        ("The response was agreed by the trustees after a donation appeal.", "charity_voluntary"),
        ("Our fund-raising pays for the minibus; our volunteers drive it.", "charity_voluntary"),
        # One such word is not enough: a business may mention its charitable work once.
        ("We are a bakery. We give our leftover bread to a charitable food project.", None),
        ("We run three depots and employ forty drivers.", None),
    ],
)
def test_voluntary_words_type(text: str, expected: str | None) -> None:
    assert voluntary_words_type(text, RULES) == expected


def test_voluntary_words_need_a_voluntary_type() -> None:
    # A consultation whose types have no voluntary word gets nothing from the words.
    rules = parse_respondent_types(
        {"charity_voluntary": {"replace": True, "names": ["charity"]}},
        "test",
        "respondent_types",
        RULES,
    )
    assert voluntary_words_type("Our volunteers and our trustees agreed this.", rules) is None


def test_named_body_with_volunteers_is_voluntary_not_other() -> None:
    text = (
        "Brookside Befrienders\n\nResponse to the consultation\n\n"
        "Brookside Befrienders trains volunteer visitors for older people living alone. "
        "Sixty volunteers visit every week.\n\nWe support the proposal."
    )
    assert infer_respondent_type(text, "Brookside Befrienders", RULES) == "charity_voluntary"
    # The same body without those words stays an organisation of no listed type.
    plain = text.replace("trains volunteer visitors", "visits").replace(
        "Sixty volunteers visit", "We call"
    )
    assert infer_respondent_type(plain, "Brookside Befrienders", RULES) == "other"


def test_a_person_who_volunteers_stays_individual() -> None:
    text = (
        "I am a retired nurse and I volunteer at the lunch club. The other volunteers and I "
        "worry about the buses.\n\nMargaret Hale"
    )
    assert infer_respondent_type(text, None, RULES) == "individual"


def _rows(rid: str, texts: list[str]) -> pd.DataFrame:
    rows = []
    for i, text in enumerate(texts):
        row = {c: None for c in schemas.ANSWERS.names}
        row.update(respondent_id=rid, question_id=f"q{i + 1}", answer_text=text)
        rows.append(row)
    return pd.DataFrame(rows)


def test_unnamed_we_body_with_volunteers_is_voluntary() -> None:
    text = (
        "We are glad to respond. Our volunteers run the Saturday club and our trustees "
        "met to agree this.\n\nWe support the plan. We ask for more buses."
    )
    doc = SimpleNamespace(organisation=None, text=text)
    questions = [SimpleNamespace(id="q1"), SimpleNamespace(id="q2")]
    cons = SimpleNamespace(questions=questions, respondent_types=RULES)
    answers = _rows("r1", ["Our volunteers run the club and we agree.", "We ask for buses."])
    assert answers_voice(doc, answers, cons) == "charity_voluntary"
    plain_text = text.replace("Our volunteers run", "We run").replace("our trustees met", "we met")
    plain = SimpleNamespace(organisation=None, text=plain_text)
    assert answers_voice(plain, answers, cons) == "other"


@pytest.mark.parametrize(
    ("set_name", "file_name"),
    [
        # "We are a network of eleven congregations …" placed as the capacity answer.
        ("ofsted-docs-22", "churches-ordinals-rtf.rtf"),
        # "Organisation. Northfold Care Leavers' Trust is a registered charity …"
        ("ofsted-docs-26", "care-trust-tickform-odt.odt"),
        # "Lanterns recruits and trains volunteer independent visitors …"
        ("ofsted-docs-27", "imperative-headings-eml-docx.eml"),
    ],
)
def test_spent_charities_typed_on_ingests_path(set_name: str, file_name: str) -> None:
    """The three spent documents the session's readers were written for, read as ingest reads
    them up to the type (all three were ``other`` at the release)."""
    from helpers.core.consultation import load_consultation
    from helpers.ingest.capacity_types import type_from_capacity_answer
    from helpers.ingest.respondents import attach_metadata
    from helpers.ingest.segment import segment_rows
    from helpers.ingest.stage import read_document

    root = Path(__file__).resolve().parents[1] / "data" / "evaluation" / set_name
    cons = load_consultation(root / "consultation.yaml")
    folder = root / "responses"
    (doc,) = [d for d in read_document(folder / file_name, folder, cons) if d.source_row is None]
    attach_metadata(doc, {}, cons.respondent_types, cons.attributes, cons.organisation)
    type_from_capacity_answer(doc, segment_rows(doc, cons), cons)
    assert doc.respondent_type == "charity_voluntary"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Eastfield Horticultural Society", "charity_voluntary"),
        ("Millbrook Civic Society", "charity_voluntary"),
        ("Canal Side Allotments Association", "charity_voluntary"),
        ("Hollins Lane Gardeners' Association", "charity_voluntary"),
        # A trade's or profession's society or association stays a professional body.
        ("Society of Local Council Clerks", "professional_body"),
        ("Northern Bus Operators' Association", "professional_body"),
        ("Kingsmere Law Society", "professional_body"),
    ],
)
def test_local_societies_are_voluntary(name: str, expected: str) -> None:
    from helpers.ingest.respondent_types import type_of_name

    assert type_of_name(name, RULES) == expected
