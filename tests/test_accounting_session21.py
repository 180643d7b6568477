"""Session 21: respondent types from batch 23's misses, on phrasings written new.

Each rule is tested on sentences that are not batch 23's (names, places and wording made
up here), with cases the rule must leave alone.
"""

from __future__ import annotations

from helpers.ingest import author_places, authorship, respondent_types, signoff, type_readers
from helpers.ingest.authorship import find_authorship
from helpers.ingest.capacity_types import (
    _run_by_type,
    capacity_answer_type,
    organisation_capacity_type,
)
from helpers.ingest.readers.mail_signature import signature_organisation
from helpers.ingest.respondent_types import infer_respondent_type


def test_split_modules_reexport_the_old_names() -> None:
    # The split kept every public name importable where callers found it.
    assert authorship.consulting_body is author_places.consulting_body
    assert authorship.is_couple is signoff.is_couple
    assert respondent_types.capacity_type is type_readers.capacity_type
    assert respondent_types.type_of_name("Hillside Borough Council") == "local_authority"


def test_writing_as_a_role_is_a_person() -> None:
    text = (
        "Dear inspectors,\n\nI am writing as a volunteer mentor with a local project.\n\n"
        "We need more help for young people after eighteen.\n\nRegards,\nPriya Nand\n"
    )
    assert find_authorship(text).personal_role
    assert infer_respondent_type(text, None) == "individual"


def test_writing_as_a_matter_of_urgency_is_not_a_role() -> None:
    text = "I am writing as a matter of urgency about our members' concerns."
    assert not find_authorship(text).personal_role


def test_owner_of_a_named_business() -> None:
    text = "I am the proprietor of Hilltop Motors on Mill Lane. My drivers lose an hour a day."
    assert find_authorship(text).business
    assert infer_respondent_type(text, None) == "other"  # the package has no business type
    assert not find_authorship("I am the owner of two cats and I cycle to work.").business


def test_letterhead_of_a_unit_then_its_body() -> None:
    text = (
        "Robins Class (Reception), Harbour Road Nursery School, Quay Street\n\n"
        "I have written down what the children said.\n\nI like the new path.\n"
    )
    assert find_authorship(text).organisation == "Harbour Road Nursery School"


def test_letterhead_of_a_person_with_a_job_title_is_not_a_unit() -> None:
    text = "Jo Reid, Teacher, Harbour Road Nursery School\n\nI think the path is too narrow.\n"
    assert find_authorship(text).organisation is None


def test_run_by_a_charity_types_a_group() -> None:
    answer = (
        "We are a circle of nine kinship carers who meet monthly. The circle is run by a "
        "national family charity and we share advice."
    )
    assert _run_by_type(answer, respondent_types.default_respondent_types()) == (
        "charity_voluntary"
    )
    assert organisation_capacity_type("A parents' group. It is run by a small charity.") == (
        "charity_voluntary"
    )


def test_run_by_needs_a_body_of_a_listed_type() -> None:
    rules = respondent_types.default_respondent_types()
    assert _run_by_type("The service is run by the council.", rules) is None  # no "a/an"
    assert _run_by_type("The group is run by a volunteer who drives.", rules) is None


def test_signature_block_names_the_body_of_a_we_message() -> None:
    body = (
        "We back the proposal and ask for a review after a year.\n\n-- \nAmal Osei\n"
        "Head of Service, Riverside Borough Council\n\n"
        "This e-mail and any attachment are confidential and may be monitored; if you are "
        "not the intended recipient please delete it.\n"
    )
    assert signature_organisation(body) == "Riverside Borough Council"


def test_signature_block_of_an_i_message_names_an_employer() -> None:
    body = (
        "I back the proposal. My son walks to school and I worry about the traffic.\n\n-- \n"
        "Amal Osei\nHead of Service, Riverside Borough Council\n"
    )
    assert signature_organisation(body) is None
    assert signature_organisation("We back it.\n\nAmal Osei\nRiverside Borough Council\n") is None


def test_a_service_user_headed_answer_is_a_person() -> None:
    # The body's word only qualifies the head noun: a private person answers.
    assert capacity_answer_type("Council tax payer since 1990") == "individual"
    assert capacity_answer_type("Housing association tenant, two children") == "individual"
    assert capacity_answer_type("Local authority (children's services)") == "local_authority"
    assert capacity_answer_type("Registered charity") == "charity_voluntary"
    assert capacity_answer_type("Users") != "individual"  # a bare head, no qualifier


def test_a_named_group_run_by_a_charity_in_a_letter() -> None:
    # The subject is the respondent's own name, or its first two words.
    text = "Riverside Voices Panel\n\nRiverside Voices is run by a national children's charity."
    assert infer_respondent_type(text + " We meet weekly.", "Riverside Voices Panel") == (
        "charity_voluntary"
    )
    # Another subject is a topic: the service the letter is about.
    topic = "Riverside Voices\n\nThe new service is run by a national charity. We meet weekly."
    assert infer_respondent_type(topic, "Riverside Voices") == "other"


def test_my_customers_is_a_trader() -> None:
    text = "I open at six. My regular customers can't park outside any more, so they go elsewhere."
    assert find_authorship(text).business
    assert infer_respondent_type(text, None) == "other"
    assert not find_authorship(
        "Our customers are the council's tenants and we serve them."
    ).business
