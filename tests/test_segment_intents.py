"""Headings that say what kind of answer follows (session 16, issue 12; ``segment.intents``).

Phrasings here were written for these tests, not taken from the development
sets the frames were read from: the library consultation of ``builders`` and
an invented park consultation with a suggestions question and an equality
question (neither development set words them so).
"""

from __future__ import annotations

import pytest
from builders import LIBRARY_CONSULTATION, ingest_library, rows_of

from helpers.core import embedding
from helpers.core.consultation import load_consultation
from helpers.ingest.segment import intents, sections
from helpers.ingest.segment.similarity import hashtag_words, text_similarities

PARKS = """\
id: parks-2028
title: Evening opening of Hollins Park
organisation: Example Town Council
questions:
  - id: who
    kind: profile
    short: About you
    text: Are you responding as a park user, a local business or on behalf of a group?
  - id: gates
    number: 1
    kind: closed
    short: Closing the gates at dusk
    text: To what extent do you agree or disagree with closing the park gates at dusk all year round?
  - id: kiosk
    number: 2
    kind: closed
    short: Late kiosk opening
    text: To what extent do you agree or disagree with letting the kiosk open until 9pm in summer?
  - id: improve
    number: 3
    kind: open
    short: How we could do better
    text: How could we improve the plans? Please give us your suggestions.
  - id: fair
    number: 4
    kind: open
    short: Fairness
    text: Would the plans affect anyone with a protected characteristic more than others?
"""


def _questions(tmp_path, text, name):
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return tuple(load_consultation(path).questions)


@pytest.fixture()
def library(tmp_path):
    return _questions(tmp_path, LIBRARY_CONSULTATION, "library")


@pytest.fixture()
def parks(tmp_path):
    return _questions(tmp_path, PARKS, "parks")


def _ids(qs):
    return {k: qs[i].id for k, i in intents.targets(qs).items()}


def test_each_kind_finds_its_one_question_or_none(library, parks):
    # The library asks "any other comments" but no suggestions or equality question:
    # a request falls back to the catch-all question.
    assert _ids(library) == {
        "position": "hours", "catch_all": "other", "request": "other", "self": "about",
        "experience": "effects",
    }  # fmt: skip
    assert _ids(parks) == {"position": "gates", "request": "improve", "equality": "fair",
                           "self": "who"}  # fmt: skip


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Our overall stance", "position"),
        ("My thoughts on the plans", "position"),
        ("Would it be a good idea?", "position"),
        ("Final thoughts", "catch_all"),
        ("Last points", "catch_all"),
        ("To finish", "catch_all"),
        ("3. Further remarks", "catch_all"),
        ("What we would like to see", "request"),
        ("Suggestions for improvement", "request"),
        ("What the council should change", "request"),
        ("Who could lose out?", "equality"),
        ("Elderly visitors", "equality"),
        ("People with mobility problems", "equality"),
        ("Is anybody left behind?", "equality"),
        ("Section 1: About our society", "self"),
        ("Who I am", "self"),
        ("What really matters to us", "priority"),
        ("Our top priorities", "priority"),
        ("Things that worked for our tenants", "priority"),
    ],
)
def test_frames_written_differently_are_read(heading, kind):
    assert intents.intent_of(heading) == (kind, "")


@pytest.mark.parametrize(
    "heading",
    ["Sunday opening", "Other libraries nearby", "Older books", "Disabled parking bays",
     "We think the proposal is wrong.", "Finally fixed the leak in the roof last week"],
)  # fmt: skip
def test_subjects_and_sentences_are_not_frames(heading):
    assert intents.intent_of(heading) is None


def _best(heading, qs):
    sims = text_similarities(heading, qs)
    j = max(range(len(qs)), key=lambda i: max(sims[i]))
    return qs[j].id if max(sims[j]) > 0 else None


def test_frames_name_their_question(library, parks):
    assert _best("Final thoughts", library) == "other"
    assert _best("Our overall stance", library) == "hours"
    assert _best("What we would like to see", parks) == "improve"
    assert _best("Who could lose out?", parks) == "fair"
    assert _best("About our society", parks) == "who"
    # The park consultation asks for no "other comments": a catch-all frame names nothing.
    assert _best("Final thoughts", parks) is None


def test_a_framed_subject_keeps_its_subject(library):
    # "Our view on Sunday opening" is about the Sunday question, not the first closed one.
    assert intents.intent_of("Our view on Sunday opening") == ("position", "sunday opening")
    assert _best("Our view on Sunday opening", library) == "sundays"
    # "About the X" where X is a question's subject is not a self-description.
    assert _best("About the Sunday plans", library) != "about"


OWN_WORDS = """\
Friends of Millbrook Library

Where we stand

We are against closing the branches at five. Most of our members could no longer borrow a book on the way home from work.

Sunday afternoons at the central library

A good idea that families will use.

Final thoughts

Please publish the footfall counts for each branch before anything is decided.
"""


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    if not embedding.available():
        pytest.skip("sentence-embedding model not installed")
    return ingest_library(tmp_path_factory.mktemp("library-intents"), {"friends": OWN_WORDS})


def test_own_words_frames_head_their_answers(ingested):
    answers, texts = ingested
    rows = rows_of(answers, "friends")
    got = dict(zip(rows["heading_text"].fillna(""), rows["question_id"], strict=True))
    assert got.get("Where we stand") == "hours", rows[["question_id", "heading_text"]]
    assert got.get("Final thoughts") == "other"
    for r in rows.itertuples():
        assert texts["friends"][r.start : r.end] == r.answer_text


def test_the_frame_score_sits_in_the_band_its_docstring_gives():
    """``INTENT``'s rationale (module docstring) as arithmetic on the thresholds: the text
    score ``headings`` makes of it (paraphrase × shape × 0.95) joins the chain on a plain
    line, stays under a clear paraphrase kept outside the chain and under the joint
    reading's "kept as is", and is no evidence on a line ending in "."."""
    from helpers.ingest.segment import thresholds as th

    heading_like, plain, sentence = (intents.INTENT * shape * 0.95 for shape in (1.0, 0.9, 0.6))
    assert plain > th.ACCEPT and heading_like > th.ACCEPT
    assert heading_like < th.PARAPHRASE_OUT < th.STRONG and heading_like < 0.75
    assert sentence < th.TEXT_MIN


# Session 17: a form's own section codes, tags and free-text boxes, and hashtags.


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("C3 Final remarks", "catch_all"),
        ("Resolution 2 – Suggestions", "request"),
        ("Further comments (if any)", "catch_all"),
        ("In their own words", "catch_all"),
        ("My own experience (optional)", "experience"),
        ("Our personal story", "experience"),
        ("B2: Who you are", "self"),
    ],
)
def test_codes_tags_and_free_text_boxes_are_read(heading, kind):
    assert intents.intent_of(heading) == (kind, "")


@pytest.mark.parametrize(
    "heading",
    ["B2: Who you are", "Section 1 - Your details", "4. About yourself", "Part A – Your details"],
)
def test_unambiguous_self_frames_outvote_a_number(heading):
    # "About the Guild" after a number stays the number's; "About yourself" cannot be.
    assert not intents.deferred(heading)
    assert intents.deferred("2. About the branch")


def test_a_tag_that_is_a_choice_is_kept():
    # "Other (please specify)" is a tick-box choice on a form, not a heading with a tag.
    assert intents.intent_of("Other (please specify)") is None


def test_experience_boxes_name_the_effects_question(library, parks):
    assert _best("Your story (optional)", library) == "effects"
    # The park consultation asks how the plans affect nobody in particular and has no
    # "other comments" question: the frame names nothing there.
    assert "experience" not in intents.targets(parks)


@pytest.mark.parametrize(
    ("tag", "words"),
    [
        ("#latekiosk", "late kiosk"),
        ("#ClosingTheGates", "closing the gates"),
        ("#parkgates", "park gates"),
        ("#9pm", None),
        ("#summervibes", None),
        ("#gates", None),
        ("not a #hashtag line", None),
    ],
)
def test_hashtags_are_spelt_out_with_the_questions_words(parks, tag, words):
    assert hashtag_words(tag, parks) == words


def test_a_spelt_out_hashtag_names_its_question(parks):
    assert _best("#latekiosk", parks) == "kiosk"
    assert _best("#closingthegates", parks) == "gates"


@pytest.mark.parametrize(
    ("title", "qid"),
    [
        ("Resolution 3 – Our experience", "effects"),
        ("Item 4: What we would ask", "other"),
        ("Your details", "about"),
        ("About the branch", None),  # deferred: "the branch" may be a question's subject
        ("Weekday evenings", None),  # a subject, no frame: left to the lead's words
    ],
)
def test_a_frame_title_proposes_its_section(library, title, qid):
    j = sections._frame_question(title, library)
    assert (library[j].id if j is not None else None) == qid
