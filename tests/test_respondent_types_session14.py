"""Respondent types, session 14: places of worship, hospices, PTAs and company suffixes in the
package's generic words; a subjectless self-description ("A charity supporting …"); a
receiving office's scan stamp is no letterhead; a signature line "Job title, Company".

Written after batch 16's errors (and the same kinds in batches 8, 9, 14, 15); every name and
text below is new, with negatives.
"""

from __future__ import annotations

import pytest

from helpers.ingest.authorship import find_authorship
from helpers.ingest.readers.mail import domain_signature
from helpers.ingest.respondent_types import (
    infer_respondent_type,
    opening_description_type,
    type_of_name,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ebenezer Baptist Chapel", "charity_voluntary"),
        ("Eastfield Central Mosque", "charity_voluntary"),
        ("Guru Nanak Gurdwara, Hollins Road", "charity_voluntary"),
        ("St Columba's Hospice", "charity_voluntary"),
        ("Ashgrove Primary PTA", "charity_voluntary"),
        ("Greenfield Parent-Teacher Association", "charity_voluntary"),  # not a professional body
        ("Tidewell Removals Ltd", "other"),
        ("Marsh & Keel LLP", "other"),
        ("Association of Chapel Organists", "professional_body"),  # "X of Y" is an X
        ("Templeton District Council", "local_authority"),  # "Temple" is not a word of it
    ],
)
def test_generic_names(name: str, expected: str) -> None:
    assert type_of_name(name) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Response from Hollybank Steps\n\nA small charity working with older people across "
            "the valley since 1994.",
            "charity_voluntary",
        ),
        (
            "Ymateb / Response\n\nElusen leol / A local charity run by volunteers.",
            "charity_voluntary",
        ),
        ("Our view.\n\nA council should never close a library.", None),  # a view, no verb of doing
        ("We think a charity supporting carers would do better.", None),  # not opening a sentence
        ("A parent working nights, I need the late bus.", None),  # a person, not a body
    ],
)
def test_opening_description_type(text: str, expected: str | None) -> None:
    assert opening_description_type(text) == expected


def test_opening_description_types_a_named_organisation_only() -> None:
    text = "Hollybank Steps\n\nA charity supporting older people. We oppose the closure."
    assert infer_respondent_type(text, "Hollybank Steps") == "charity_voluntary"
    # Without an organisation named the voice decides, as before ("we": unknown).
    assert infer_respondent_type(text, None) == "unknown"


def test_scan_stamp_is_not_a_letterhead() -> None:
    letter = (
        "ASHBY DISTRICT COUNCIL - PLANNING - SCANNED 03/11/2023 - PAGE 1\n\n"
        "4 Orchard Rise\nAshby AB1 2CD\n\nDear Sir or Madam,\n\n"
        "I object to the new parking charges on the high street. I shop there every week.\n\n"
        "Yours faithfully,\n\nM. Oduya\n"
    )
    assert find_authorship(letter).organisation is None
    assert infer_respondent_type(letter, None) == "individual"
    # The same council's own letterhead (no stamp) still names it.
    headed = (
        "ASHBY DISTRICT COUNCIL\n\nWe support the charges.\n\nYours faithfully,\n\nPlanning Team"
    )
    assert find_authorship(headed).organisation == "Ashby District Council"


def test_signature_line_with_job_title() -> None:
    body = "Our response is attached.\n\nPriya Natt\nOperations Lead, Tidewell Removals Ltd\n"
    assert domain_signature(body, "p.natt@tidewell-removals.example.co.uk") == (
        "Tidewell Removals Ltd"
    )
    # A line that only mentions another firm is not the sender's ("… Ltd" of another domain).
    assert domain_signature(body, "p.natt@harbour-vans.example.co.uk") is None
