"""Who wrote a response: sign-offs, letterheads, capacity answers and the traps around them.

Every text here was written for these tests (none is from a development set),
in the ways real respondents write: a council's signed letter, a charity's
letterhead, a resident who complains about "the council", a charity quoting
the young people it works with, a teenager typing in lower case, a survey's
capacity column. Expected values were checked by hand.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core.consultation import Consultation, Question
from helpers.core.schemas import Document
from helpers.ingest.authorship import find_authorship
from helpers.ingest.capacity_types import type_from_capacity_answer
from helpers.ingest.names import is_placeholder_organisation
from helpers.ingest.readers.mail import read_eml
from helpers.ingest.respondent_types import (
    infer_respondent_type,
    map_respondent_type,
    survey_row_type,
)
from helpers.ingest.respondents import infer_organisation


def _who(text: str) -> tuple[str | None, str]:
    org = infer_organisation(text)
    return org, infer_respondent_type(text, org)


# --- Organisations: sign-off blocks, letterheads, self-descriptions --------------------


@pytest.mark.parametrize(
    ("text", "org", "rtype"),
    [
        (  # the signature block names the council under the signatory's title
            "Dear Consultation Team,\n\nThank you for the opportunity to comment. We broadly "
            "support the proposals but have concerns about timing.\n\n1. Agree.\n\n2. More "
            "funding for early help.\n\nYours faithfully,\n\nAmira Haddad\n"
            "Director of Children's Services\nNorthshire County Council",
            "Northshire County Council",
            "local_authority",
        ),
        (  # name, title and organisation on one line, separated by commas
            "We welcome the review.\n\nQuestion 1: Agree.\n\nKind regards,\n"
            "Tom Ridley, Chief Executive, Open Door Youth Charity",
            "Open Door Youth Charity",
            "charity_voluntary",
        ),
        (  # a letterhead in capitals, then the department
            "WESTBROOK DISTRICT COUNCIL\nPlanning and Transport Directorate\n\n"
            "Dear Sir or Madam,\n\nThe council has considered the proposals and sets out "
            "its views below.\n\nQuestion 2\n\nWe disagree.",
            "Westbrook District Council",
            "local_authority",
        ),
        (  # a letterhead with the department after a colon
            "Harbourside Borough Council: Adult Social Care\n\nConsultation response\n\n"
            "We support the proposal.",
            "Harbourside Borough Council",
            "local_authority",
        ),
        (  # the organisation introduces itself; the type word comes later in the sentence
            "Open Hearth is a small charity in Hull that supports young people leaving "
            "care.\n\nFirst question\n\nWe agree.\n\nSam Doyle, Coordinator",
            "Open Hearth",
            "charity_voluntary",
        ),
        (  # a firm: an organisation whose name has no type word is "other"
            "Response of Marsh & Quayle LLP to the consultation\n\nMarsh & Quayle LLP is a "
            "firm of solicitors acting for families.\n\nWe have no view on timing.",
            "Marsh & Quayle LLP",
            "other",
        ),
        (  # "to the <addressee>" after the name is not part of it; a long first line is prose
            "Response of Quill & Barrow LLP to the Ofwat review\n\nQuill & Barrow LLP is a "
            "firm of solicitors. The Firm has acted for customers of every water company in "
            "England and Wales, and this response draws on that experience.\n\nWe agree.",
            "Quill & Barrow LLP",
            "other",
        ),
        (  # a housing association is a landlord, not a professional body
            "Kestrel Homes is a housing association with 9,000 homes.\n\nWe agree.",
            "Kestrel Homes",
            "other",
        ),
        (  # a representative body: it "represents" its members
            "THE GUILD OF SCHOOL BUSINESS MANAGERS\n\nThe Guild represents 2,300 school "
            "business managers in England.\n\nQ1. We agree.",
            "Guild of School Business Managers",
            "professional_body",
        ),
        (  # "We are the X, a group of ..." names the organisation
            "We are the Moorside Young Carers Forum, a group of 11 young people who meet "
            "monthly.\n\nWe agree with the change.",
            "Moorside Young Carers Forum",
            "charity_voluntary",  # a forum of young people: a voluntary body
        ),
        (  # an all-capitals title
            "RESPONSE FROM THE WESTSHIRE FEDERATION OF ALLOTMENT HOLDERS\n\nWe agree with the "
            "proposals, subject to the points below.",
            "Westshire Federation of Allotment Holders",
            "professional_body",
        ),
        (  # a title line with a dash; the name's own word gives the type
            "Northtown Cycling Campaign – consultation response\n\nWe strongly support the scheme.",
            "Northtown Cycling Campaign",
            "campaign_group",
        ),
        (  # a job title, then the organisation, in a letter written as "we"
            "We have read the proposals with interest and our members broadly agree.\n\n"
            "Yours sincerely,\n\nSarah Jones\nPolicy Officer\nNational Children's Bureau",
            "National Children's Bureau",
            "other",
        ),
        (  # a response form's organisation field
            "Consultation response form\n\nYour name: Dev Patel\nOrganisation (if applicable): "
            "Lantern Youth Housing (registered charity 1012345)\n\nQuestion 1\n\nAgree X",
            "Lantern Youth Housing",
            "charity_voluntary",
        ),
        (  # a placeholder in the field names nobody
            "Your name: Dev Patel\nOrganisation: N/A\n\nQuestion 1\n\nI agree. My son was in care.",
            None,
            "individual",
        ),
        (  # a "From:" line at the top, like a sign-off
            "Consultation response\nFrom: Leaving Care Service, Dunmore Borough Council\n\n"
            "We agree with the proposal.",
            "Dunmore Borough Council",
            "local_authority",
        ),
        (  # "on behalf of" in the sign-off
            "We strongly agree.\n\nPriya Nair\nClerk, on behalf of Little Hatton Parish Council",
            "Little Hatton Parish Council",
            "local_authority",
        ),
    ],
)
def test_organisation_from_signoff_letterhead_and_self_description(text, org, rtype) -> None:
    assert _who(text) == (org, rtype)


# --- Individuals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # first person singular, with a valediction and a person's name
        "Dear Sir or Madam,\n\nI have fostered for eleven years and I think this is overdue. "
        "My last placement left at 18 with nowhere to go.\n\nYours sincerely,\n\nJoan Whitby",
        # informal lower-case "i"
        "hi im 17 and i live in a childrens home. i think this is good coz nobody checks "
        "what happens after",
        # a personal-capacity statement outweighs the employer it names
        "Response from Dr Ruth Amos, Reader in Social Policy, University of Calderbridge. "
        "I respond in a personal capacity.\n\nQuestion 1\n\nAgree.",
        # "as an individual" in the opening
        "Comments from Ade Balogun (responding as an individual)\n\nQ1 Agree\n\nQ2 Housing.",
        # no first person at all, but signed by a person and nobody else
        "Question 1\n\nAgree.\n\nQuestion 2\n\nMore youth workers and fewer forms.\n\n"
        "Daniel Okafor, supporter of Fair Fares Now",
        # a person's name in "response from X, a <role>" is not an organisation
        "Response from Alison Trent, a retired head teacher.\n\nThe proposal\n\nI agree.",
        # an employer in the sign-off of a letter written as "I" is not the respondent
        "I have worked with children with SEND for twelve years and I see every day how much "
        "my pupils rely on the bus.\n\nRegards,\nAmy Lee\nTeaching Assistant, Oakfield "
        "Primary School",
        # a private address under the name
        "I object. My street will take the traffic.\n\nYours faithfully,\n\nJohn Doe\n"
        "12 Acacia Avenue\nNorthtown NT1 2AB",
        # a "From:" line naming a person and a place
        "Response to the bus consultation From: R. Okafor, Lower Hatton (a village)\n\n"
        "Question 1\n\nAgree.\n\nQuestion 2\n\nMore buses on Sundays.",
        # a councillor writing personally
        "Dear Ms Grant,\n\nI write as a ward councillor, but this is my personal response and "
        "does not represent the view of any group on the council.\n\nI support the scheme.\n\n"
        "Cllr Mo Sharif",
    ],
)
def test_individuals(text) -> None:
    org, rtype = _who(text)
    assert (org, rtype) == (None, "individual")


# --- False-positive traps --------------------------------------------------------------------


def test_a_resident_who_mentions_the_council_is_not_a_local_authority() -> None:
    text = (
        "Dear Northshire County Council,\n\nI have lived on Elm Grove for twenty years and the "
        "council has never once asked me what I think. Northshire County Council is a disgrace "
        "when it comes to potholes. I object to the scheme.\n\nRegards,\nJohn Fairweather"
    )
    assert _who(text) == (None, "individual")


def test_a_charity_quoting_young_people_is_not_an_individual() -> None:
    text = (
        "Brightside Youth Trust: response to the consultation\n\nBrightside Youth Trust is a "
        "registered charity working with 400 young people a year. The young people we support "
        'told us: "I felt like nobody cared once I turned 18. My PA changed three times and I '
        'had to tell my story again."\n\nQ1\n\nWe strongly agree.'
    )
    assert _who(text) == ("Brightside Youth Trust", "charity_voluntary")


@pytest.mark.parametrize(
    ("text", "rtype"),
    [
        ("As a small charity, we rely on volunteers.\n\nQ1: Agree.", "charity_voluntary"),
        ("As a local authority we already publish these figures. We agree.", "local_authority"),
        # a person's clause
        ("As a council tax payer, I object. My bills keep going up.", "individual"),
        # an organisation saying its response is not a personal one (session 25: an allotment
        # society is a voluntary body, as the gold of batches 15, 21 and 25 has it)
        (
            "This is not a personal response: it is the agreed view of our committee. We "
            "oppose the scheme.\n\nHatton Allotment Society",
            "charity_voluntary",
        ),
    ],
)
def test_as_a_clause(text, rtype) -> None:
    assert _who(text)[1] == rtype


def test_a_trailing_heading_is_not_a_signature() -> None:
    text = "Question 1\n\nAgree\n\nQuestion 2\n\nMore staff.\n\nAny Other Comments"
    assert _who(text) == (None, "unknown")


def test_a_last_one_word_answer_is_not_a_signature() -> None:
    assert _who("Question 1\n\nAgree\n\nQuestion 2\n\nNone")[1] == "unknown"
    assert _who("A" * 100_000)[1] == "unknown"


def test_an_anonymous_we_is_unknown() -> None:
    text = "We think the proposal is wrong.\n\nOur view is that the money should go elsewhere."
    assert _who(text) == (None, "unknown")


def test_a_title_line_is_not_a_letterhead() -> None:
    text = "MY RESPONSE TO THE BUS CONSULTATION\n\nI think the buses are fine as they are. I use them daily."
    assert _who(text) == (None, "individual")


def test_the_consulting_body_in_a_title_is_not_the_respondent() -> None:
    text = "Ofwat consultation response - Lena Brook\n\nI agree with it. My bills are too high."
    assert _who(text) == (None, "individual")


def test_an_office_reference_marks_a_letter_from_an_office() -> None:
    text = (
        "Constituency Office\n14 Market Street\nOur ref: JB/0412\n\nDear Sir,\n\nI write as the "
        "Member of Parliament for Hatton. My caseworkers see many families affected.\n\n"
        "Yours sincerely,\n\nJames Bell MP"
    )
    assert infer_respondent_type(text, infer_organisation(text)) == "other"


def test_find_authorship_reports_where_the_name_came_from() -> None:
    found = find_authorship(
        "Thank you for the chance to respond.\n\nWe agree.\n\nWith best wishes,\n\n"
        "Maria Lopes\nHead of Policy, Calder Valley Carers Network"
    )
    assert found.organisation == "Calder Valley Carers Network"
    assert found.where == "sign-off"


# --- Survey and form capacity answers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("As a school governor", "individual"),
        ("As another professional (for example nurse, youth worker)", "individual"),
        ("I am responding as a private individual", "individual"),
        ("In a personal capacity", "individual"),
        ("On behalf of a professional body or membership organisation", "professional_body"),
        ("On behalf of a charity or voluntary organisation", "charity_voluntary"),
        ("On behalf of a local authority", "local_authority"),
        ("I am responding on behalf of an organisation", None),
        ("On behalf of another organisation", None),
        ("A mother", None),
    ],
)
def test_capacity_answers(value, expected) -> None:
    assert map_respondent_type(value) == expected


@pytest.mark.parametrize(
    ("value", "placeholder"),
    [
        ("n/a", True),
        ("N/A", True),
        ("-", True),
        ("none", True),
        ("Not applicable", True),
        ("Individual", True),
        ("myself", True),
        ("Northshire County Council", False),
        ("Friends of Oak Park", False),
    ],
)
def test_placeholder_organisations(value, placeholder) -> None:
    assert is_placeholder_organisation(value) is placeholder


# --- A person naming their role; a "we" that is not an organisation --------------------------


def test_a_person_naming_their_role_beside_a_group_they_belong_to() -> None:
    text = (
        "Hello,\n\nOur residents' group told me about this, so here are my views as a "
        "childminder. We need safer crossings, and our parents agree with us."
    )
    assert _who(text) == (None, "individual")


def test_a_little_is_not_a_role() -> None:
    text = "I am a little concerned about the timing.\n\nOur members agree with the rest of it."
    assert _who(text) == (None, "unknown")


# --- Survey rows: type column, organisation column -----------------------------------------


@pytest.mark.parametrize(
    ("raw", "org", "expected"),
    [
        # an organisation of no listed type: its name decides
        (
            "On behalf of another organisation",
            "Greyford Borough Council",
            ("local_authority", "inferred", "Greyford Borough Council"),
        ),
        (
            "",
            "Hallam Tenants Federation",
            ("professional_body", "inferred", "Hallam Tenants Federation"),
        ),
        (
            "On behalf of another organisation",
            "Orchard Dental Practice",
            ("other", "survey", "Orchard Dental Practice"),
        ),
        ("", "Orchard Dental Practice", ("other", "inferred", "Orchard Dental Practice")),
        # the type column's answer wins over the name
        (
            "On behalf of a charity",
            "Greyford Council for Voluntary Service",
            ("charity_voluntary", "survey", "Greyford Council for Voluntary Service"),
        ),
        # placeholders are no organisation
        ("As a parent", "n/a", ("individual", "survey", None)),
        ("", "Individual", ("individual", "survey", None)),
        ("", "-", ("unknown", "none", None)),
        ("", "", ("unknown", "none", None)),
    ],
)
def test_survey_row_type(raw, org, expected) -> None:
    assert survey_row_type(raw, org or None) == expected


# --- A document's own answer to the capacity question ----------------------------------------


def _doc_with_capacity(answer: str, text: str = "We agree.", source: str = "none") -> Document:
    doc = Document("r1", text, "r1.docx", "docx", "0" * 64, respondent_type_source=source)
    answers = pd.DataFrame({"question_id": ["capacity", "q1"], "answer_text": [answer, "Agree."]})
    type_from_capacity_answer(doc, answers, _CAPACITY_CONSULTATION)
    return doc


_CAPACITY_CONSULTATION = Consultation(
    id="c",
    title="t",
    questions=(
        Question(id="capacity", kind="profile", text="In which capacity are you responding?"),
        Question(id="q1", number=1, kind="open", text="Any comments?"),
    ),
)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Local authority (children's services)", ("local_authority", "inferred")),
        ("Parent of two primary-age children", ("individual", "inferred")),
        # only the first clause counts: later words are detail
        (
            "I do not live here. I cycle through it to the council offices.",
            ("individual", "inferred"),
        ),
        # no type's words and no telling form: nothing changes
        ("Retired", ("unknown", "none")),
    ],
)
def test_capacity_answer_in_a_document(answer, expected) -> None:
    doc = _doc_with_capacity(answer)
    assert (doc.respondent_type, doc.respondent_type_source) == expected


def test_capacity_answer_does_not_override_a_manifest() -> None:
    doc = _doc_with_capacity("Local authority", source="metadata")
    assert doc.respondent_type_source == "metadata"


# --- E-mail senders -------------------------------------------------------------------------


def _eml(sender: str, organization: str | None = None) -> bytes:
    head = f"From: {sender}\nTo: consult@example.gov.uk\nSubject: Response\n"
    if organization:
        head += f"Organization: {organization}\n"
    return (head + "\nWe agree with the proposals.\n").encode()


@pytest.mark.parametrize(
    ("sender", "organization", "expected"),
    [
        (
            "Westbrook District Council <consult@westbrook.example>",
            None,
            "Westbrook District Council",
        ),
        ('"The Hatton Carers Network" <info@hcn.example>', None, "The Hatton Carers Network"),
        ("Jane Doe <jane@example.net>", None, None),  # a person's name is not kept
        ("Jane Doe (Northshire Council) <jane@example.net>", None, None),
        ("Jane Doe <jane@example.net>", "Open Hearth", "Open Hearth"),  # the header wins
    ],
)
def test_email_sender_organisation(sender, organization, expected) -> None:
    *_, org = read_eml(_eml(sender, organization), "m.eml", lambda *a: None)
    assert org == expected


# --- Session 5: names in a paper's title, "completed by", a role after a signer's name --------


@pytest.mark.parametrize(
    ("text", "org", "rtype"),
    [
        (  # the name after a dash in the form's title
            "Consultation response form – Harbour Youth Trust\n\n1. Do you agree?\n\nWe do.",
            "Harbour Youth Trust",
            "charity_voluntary",
        ),
        (  # "Submission: X"
            "Submission: Eastfield Tenants Network\n\nOur members broadly support the plan.",
            "Eastfield Tenants Network",
            "other",
        ),
        (  # who completed the form, after their job title
            "Response form - completed by the policy lead, Marlow Borough Council\n\n"
            "We agree with the proposal.",
            "Marlow Borough Council",
            "local_authority",
        ),
        (  # a name with no organisation noun over the paper's title, written as "we"
            "Kestrel Youth Housing\n\nSubmission to the inspectorate, March 2024\n\n"
            "We agree. Our tenants need this.",
            "Kestrel Youth Housing",
            "other",
        ),
    ],
)
def test_organisation_named_in_a_title(text: str, org: str, rtype: str) -> None:
    assert _who(text) == (org, rtype)


def test_a_person_over_a_response_to_a_question_is_not_a_letterhead() -> None:
    text = "Priya Shah\n\nResponse to question 1\n\nI agree with it and I hope it starts soon."
    assert _who(text) == (None, "individual")
    text = "Martin and Gail Osei\n\nResponse to Q1\n\nWe agree, we think it is right."
    assert _who(text)[0] is None


def test_a_role_in_brackets_after_the_signer_uses_the_consultations_words() -> None:
    from helpers.core.consultation import parse_consultation

    text = "About time! Just make sure they listen to us.\n\nJo (care leaver)"
    assert infer_respondent_type(text, None) == "unknown"  # no consultation word for it
    consultation = parse_consultation(
        {
            "id": "c",
            "title": "t",
            "questions": [{"id": "q1", "text": "Do you agree?", "kind": "closed"}],
            "respondent_types": {"individual": {"answers": ["care leaver"]}},
        }
    )
    rules = consultation.respondent_types
    assert infer_respondent_type(text, None, rules) == "individual"
    assert infer_respondent_type("We support it.\n\nKim Hall (Chair)", None, rules) == "unknown"


# --- Households: two people, or a family, writing as "we" ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # a couple signing together after a valediction
        "Dear Sir or Madam,\n\nWe have run a bed and breakfast on the high street for twenty "
        "years and we think the new hours are a mistake. We hope you will listen.\n\n"
        "Kind regards,\n\nRuth and Callum Baird\n",
        # a title couple
        "To the council,\n\nWe object to the closure. We have lived here since 1981.\n\n"
        "Yours sincerely,\nMr and Mrs Okonjo\n",
        # the writer names the person beside them, then says "we" throughout
        "Hello,\n\nMy husband and I use the library every Saturday with our grandchildren. "
        "We would miss it. We hope it stays open. We really do.\n\nThanks\n",
        "Hi there\n\nWe as a family cycle to school along this road. We want the gate.\n",
    ],
)
def test_a_household_writing_as_we_is_individual(text) -> None:
    org, rtype = _who(text)
    assert (org, rtype) == (None, "individual")


@pytest.mark.parametrize(
    ("text", "rtype"),
    [
        # two words joined by "and" after a valediction, but not two people's names
        (
            "Dear Sir,\n\nWe welcome the proposal. We have long argued for it.\n\n"
            "Yours faithfully,\nPolicy and Research\n",
            "unknown",
        ),
        # a firm's name is not a couple: its noun makes it an organisation
        (
            "Dear Sir,\n\nWe act for several traders. We oppose the gate.\n\n"
            "Yours faithfully,\nPatel and Shah Solicitors LLP\n",
            "other",
        ),
        # a couple's names without a valediction could be a heading: the "we" stays anonymous
        (
            "Ruth and Callum Baird\n\nWe think the new hours are a mistake. We hope you listen.\n",
            "unknown",
        ),
    ],
)
def test_not_every_and_is_a_couple(text, rtype) -> None:
    assert _who(text)[1] == rtype
