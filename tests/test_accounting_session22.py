"""Session 22, accounting: the learned type scorer as the rules' fallback, the shared e-mail
signature delimiter, the spent-set list. Every text below is new (written for these tests,
not taken from a development set)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.core.consultation import default_respondent_types
from helpers.core.schemas import Document
from helpers.ingest import type_model
from helpers.ingest.readers import mail_body
from helpers.ingest.readers.mail_signature import SIGNATURE_DELIMITER, signature_organisation
from helpers.ingest.respondent_types import infer_respondent_type
from helpers.ingest.type_model import (
    FEATURES,
    TypeEvidence,
    model_type,
    predict,
    shipped_model,
)

RULES = default_respondent_types()

# A short e-mail with no "I", one generic "we" and no name: the rules find no author.
ANGRY = (
    "No to the new car park.\n\nNo to the parking charges either, we all know the money goes "
    "nowhere near the town. Bin the whole idea."
)


def _typed(text: str, organisation: str | None = None) -> tuple[str, str]:
    """(the rules' type, the type after the fallback) of a text."""
    rule = infer_respondent_type(text, organisation, RULES)
    return rule, predict(TypeEvidence(text, organisation, rule), RULES)


def test_the_shipped_model_matches_the_features() -> None:
    model = shipped_model()
    assert model is not None, "helpers/data/type_model.json is shipped"
    assert model.weights.shape == (len(FEATURES),)
    assert model.margin == type_model.FALLBACK_MARGIN == 1.0
    # The rules' answer is not one of its features: the model is a second opinion.
    assert "rule" not in FEATURES


def test_fallback_types_a_private_writer_the_rules_left_unknown() -> None:
    assert _typed(ANGRY) == ("unknown", "individual")
    best, over_unknown = model_type(TypeEvidence(ANGRY, None, "unknown"), RULES, shipped_model())
    assert best == "individual" and over_unknown > 1.0


@pytest.mark.parametrize(
    "text",
    [
        "Against.",  # no pronoun, no name: nothing says who wrote it
        "Keep the library open on Saturdays. Closing it is a false economy.",
    ],
)
def test_fallback_leaves_a_text_that_says_nothing_of_its_writer_unknown(text: str) -> None:
    assert _typed(text) == ("unknown", "unknown")


@pytest.mark.parametrize(
    ("text", "organisation", "rule"),
    [
        # The model alone would say "individual" (a person's "I"); the rules' "other" stands.
        (
            "I run the Copper Pot café on Dale Street and the closure would finish my trade.",
            None,
            "other",
        ),
        ("I think the plan is fine and I hope it goes ahead.", None, "individual"),
        (
            "Riverside Tenants Forum\nWe represent 300 households.",
            "Riverside Tenants Forum",
            None,
        ),
    ],
)
def test_fallback_never_overrides_a_type_the_rules_found(
    text: str, organisation: str | None, rule: str | None
) -> None:
    found = infer_respondent_type(text, organisation, RULES)
    assert found != "unknown"
    if rule is not None:
        assert found == rule
    assert predict(TypeEvidence(text, organisation, found), RULES) == found


def _doc(text: str, rtype: str, source: str = "inferred", row: int | None = None) -> Document:
    return Document(
        respondent_id="r1",
        source_file="r1.txt",
        source_format="txt",
        source_sha256="0" * 64,
        text=text,
        respondent_type=rtype,
        respondent_type_source=source,
        source_row=row,
    )


class _Consultation:
    questions: list = []
    respondent_types = RULES


def test_retype_changes_only_an_inferred_unknown() -> None:
    doc = _doc(ANGRY, "unknown", "none")
    type_model.retype(doc, [], _Consultation())
    assert (doc.respondent_type, doc.respondent_type_source) == ("individual", "inferred")
    # A manifest's type and a survey row's are the researcher's: never re-decided.
    for doc in (_doc(ANGRY, "unknown", "metadata"), _doc(ANGRY, "unknown", "none", row=3)):
        type_model.retype(doc, [], _Consultation())
        assert doc.respondent_type == "unknown"
    doc = _doc(ANGRY, "other")
    type_model.retype(doc, [], _Consultation())
    assert doc.respondent_type == "other"


def test_mail_reader_and_signature_reader_share_one_delimiter() -> None:
    assert mail_body._SIGNATURE is SIGNATURE_DELIMITER
    assert SIGNATURE_DELIMITER.match("-- ") and SIGNATURE_DELIMITER.match("--")
    for line in ("---", "-- Jo", " -- ", "--\t"):
        assert not SIGNATURE_DELIMITER.match(line), line
    body = "We back the scheme.\n\n-- \nPriya Nair\nHead of Policy\nMarshfield Community Trust\n"
    assert signature_organisation(body) == "Marshfield Community Trust"
    # A tab after the dashes is not a delimiter for either reader (the reader keeps the
    # block in the text, so the signature reader does not read it apart).
    assert signature_organisation(body.replace("-- \n", "--\t\n")) is None


def test_spent_sets_are_named_not_listed() -> None:
    from benchmarks.accounting import ROOT, SPENT, spent_sets

    names = spent_sets()
    assert all(SPENT.match(n) for n in names)
    assert not any(n.endswith(("-31", "-32")) for n in names)
    # Only folders with a gold file; every spent batch of both consultations is there.
    assert all((ROOT / n / "gold.yaml").is_file() for n in names)
    assert {"ofsted-docs", "transport-30", "ofsted-docs-30", "ofsted-survey"} <= set(names)
    assert spent_sets(Path("/nonexistent")) == []


def test_new_features_read_the_writer_not_a_type_id() -> None:
    def row(text: str, t: str) -> dict[str, float]:
        types, x = type_model.features(TypeEvidence(text, None, "unknown"), RULES)
        return dict(zip(FEATURES, x[types.index(t)], strict=True))

    owner = "I own the Copper Pot café on Dale Street. The closure would finish my trade."
    business_type = next(
        t for t in type_model.candidate_types(RULES) if row(owner, t)["business"] == 1.0
    )
    assert business_type == infer_respondent_type(owner, None, RULES)
    assert row(owner, "individual")["ind_count"] > 0
    # No pronoun and a few words: the evidence for "unknown".
    bare = row("Against the bus gate.", "unknown")
    assert bare["unknown_nopronoun"] == 1.0 and bare["unknown_short"] == 1.0
    assert row(ANGRY, "unknown")["unknown_nopronoun"] == 0.0
    # A household writing as "we" (``authorship.household``).
    couple = "My wife and I walk to the shops every day. We think the plan is right."
    assert row(couple, "individual")["ind_household"] == 1.0
