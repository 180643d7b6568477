"""The discourse reader and letters' stances, on phrasings written for these tests only.

None of these sentences is in the development items (data/evaluation/stance-items)
the lexicon was tuned on: they check that the rules generalise.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from builders import LIBRARY_CONSULTATION

from helpers.core.consultation import load_consultation
from helpers.stance import LOW_CONFIDENCE, infer_stance, stance_answers
from helpers.stance.discourse import no_position, refine

CONSULTATION = LIBRARY_CONSULTATION


def _read(text: str):
    return refine(text, infer_stance(text))


@pytest.mark.parametrize(
    ("text", "stances"),
    [
        ("Yes, and frankly it is about time.", "strongly_agree"),
        (
            "We welcome the intention behind this, but we cannot support the proposal as drafted.",
            "disagree",
        ),
        ("Whilst the trustees support the aims, on balance we oppose the change.", "disagree"),
        ("It has some merits. Overall, though, we are against it.", "disagree"),
        ("I wouldn't object to it.", "agree"),
        ("Can't say I'm opposed.", "agree"),
        ("Not sure, to be honest.", "dont_know"),
        ("Neutral on this one. The branch suits me either way.", "neither"),
        ("The bins on our street are never collected on time.", "not_answered"),
        ("An utter waste of money.", "strongly_disagree"),
        ("Sounds good to me, go for it.", "agree|strongly_agree"),
        ("Our parish council fully supports opening on Sundays.", "strongly_agree"),
        # idioms of position (stance_lexicon.yaml), in sentences written for this test
        ("Honestly I can't see the point of changing the hours.", "disagree"),
        ("Closing early is a sticking plaster over the budget.", "disagree"),
        ("I was doubtful at first but I've come round to the idea.", "agree"),
        ("I'm torn on this one.", "neither"),
        ("Couldn't tell you, I never go in the evenings.", "dont_know"),
        ("No problem with that at all.", "agree"),
        ("Shelve it and think again.", "strongly_disagree"),
        (
            "Some people say later hours are wasted. In my experience the evening is the busiest time, so closing at five makes no sense.",
            "disagree",
        ),
    ],
)
def test_positions_in_phrasings_the_lexicon_was_not_tuned_on(text, stances):
    assert _read(text).stance in stances.split("|")


def test_a_hedge_keeps_the_position_from_being_strong():
    r = _read("On balance I absolutely think it is a good idea.")
    assert r.stance == "agree"


def test_reservation_found_two_sentences_later_with_its_sentence():
    text = "We agree with the change. It is simple to explain. However, staff rotas must be sorted first."
    r = _read(text)
    assert (r.stance, r.reservations) == ("agree", True)
    assert r.evidence == "We agree with the change."


def test_no_position_reads_short_texts_only():
    assert no_position("No view.") == "neither"
    assert no_position("Don't know") == "dont_know"
    assert (
        no_position("We have no view on this, but we do think the evenings matter a great deal.")
        is None
    )


@pytest.fixture
def consultation(tmp_path: Path):
    path = tmp_path / "consultation.yaml"
    path.write_text(CONSULTATION, encoding="utf-8")
    return load_consultation(path)


def _tables(rows: list[tuple[str, str, str, str | None, str]]):
    """(respondent, question, text, tick, method) rows → respondents and answers tables."""
    texts = {}
    answers = []
    for rid, qid, text, tick, method in rows:
        start = len(texts.get(rid, ""))
        texts[rid] = texts.get(rid, "") + text
        answers.append(
            {"respondent_id": rid, "question_id": qid, "start": start, "end": start + len(text),
             "answer_text": text, "tick_box": tick, "match_method": method, "substantive": True}
        )  # fmt: skip
    respondents = pd.DataFrame({"respondent_id": list(texts), "text": list(texts.values())})
    return respondents, pd.DataFrame(answers)


def test_agree_with_the_aim_beside_a_disagree_tick_is_no_conflict(consultation):
    text = "I agree with the goal, but closing at five is the wrong way to get there."
    respondents, answers = _tables([("r1", "hours", text, "Disagree", "number")])
    row = stance_answers(answers, respondents, consultation).set_index("question_id").loc["hours"]
    assert (row["stance"], row["text_stance"], bool(row["conflict"])) == (
        "disagree", "disagree", False)  # fmt: skip


def test_a_letter_no_heading_placed_gets_its_stances_marked_unstructured(consultation):
    letter = (
        "Dear council,\n\nI have used the Westgate branch for years.\n\n"
        "I am firmly against shutting the branches at five on weekdays. Working people "
        "will simply stop coming.\n\nOpening the central library on a Sunday would be "
        "a good idea, though only if the buses run.\n\nYours faithfully,\nA. Reader"
    )
    respondents, answers = _tables([("r1", "unstructured", letter, None, "unstructured")])
    out = stance_answers(answers, respondents, consultation).set_index("question_id")
    assert out.loc["hours", "method"] == "unstructured"
    assert out.loc["hours", "stance"] in ("disagree", "strongly_disagree")
    assert out.loc["hours", "evidence"].startswith("I am firmly against")
    assert out.loc["sundays", "stance"] == "agree"
    assert bool(out.loc["sundays", "reservations"])
    # Listed for reading by hand (below LOW_CONFIDENCE) until session 25 (0.673 with the map
    # of session 24); session 26's map stated 0.728, above it: letters' readings stated 0.59
    # were right 0.77 of the time (61 rows on the fresh sets); session 27's refit with
    # batch 29 as first scored states 0.741; session 28's (batch 30, levels pooled to 0.1) 0.775.
    assert out.loc["sundays", "confidence"] == pytest.approx(0.775, abs=0.01)
    assert out.loc["sundays", "confidence"] >= LOW_CONFIDENCE
    text = respondents.loc[0, "text"]
    for qid in ("hours", "sundays"):
        r = out.loc[qid]
        assert text[int(r["start"]) : int(r["end"])] == r["evidence"]


def test_a_letter_that_does_not_address_a_question_leaves_it_not_answered(consultation):
    letter = (
        "Dear council,\n\nPlease fix the lift at the Westgate branch. It has been broken for weeks."
    )
    respondents, answers = _tables([("r1", "unstructured", letter, None, "unstructured")])
    out = stance_answers(answers, respondents, consultation).set_index("question_id")
    assert set(out["stance"]) == {"not_answered"}


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # A negator does not reach across a contrast into the next clause.
        ("Not ideal, but a good idea overall.", "agree"),
        ("The plan is not flawless, yet it makes sense to me.", "agree"),
        ("Far from perfect but better than what we have now.", "agree"),
        # "no way" read literally is no refusal.
        ("Worth a try. Better than a permanent scheme with no way back.", "agree"),
        ("Sensible plan, though there is no way round the bridge for cyclists yet.", "agree"),
        # ... and a refusal still is one.
        ("No way. Scrap it.", "strongly_disagree"),
        ("This is not a good idea.", "disagree"),
    ],
)
def test_negation_scope_and_literal_phrases(text, stance):
    assert _read(text).stance == stance


def test_a_letter_paragraph_naming_both_questions_is_placed_sentence_by_sentence(consultation):
    """One paragraph with a position on each question (written for this test): each
    question gets its own sentence's stance, not nothing (the paragraph names both)."""
    letter = (
        "Dear council,\n\nI have two points to make. Closing the branches at five on weekdays "
        "would shut out everyone who works, and I object to it. Keeping the central library "
        "open on Sundays is a good idea.\n\nYours faithfully,\nM. Okafor"
    )
    respondents, answers = _tables([("r1", "unstructured", letter, None, "unstructured")])
    out = stance_answers(answers, respondents, consultation).set_index("question_id")
    assert (out.loc["hours", "stance"], out.loc["sundays", "stance"]) == ("disagree", "agree")
    assert set(out["method"]) == {"unstructured"}
    assert out.loc["hours", "evidence"].startswith("Closing the branches")
    assert out.loc["sundays", "evidence"].startswith("Keeping the central library")
    text = respondents.loc[0, "text"]
    for qid in ("hours", "sundays"):
        r = out.loc[qid]
        assert text[int(r["start"]) : int(r["end"])] == r["evidence"]


def test_a_sentence_naming_both_questions_equally_places_nothing(consultation):
    letter = (
        "Dear council,\n\nI wrote to you last year about the Westgate branch and the "
        "central library.\n\nI am against the changes to the branch hours and to Sundays "
        "at the central library.\n\nRegards,\nP. Shah"
    )
    respondents, answers = _tables([("r1", "unstructured", letter, None, "unstructured")])
    out = stance_answers(answers, respondents, consultation).set_index("question_id")
    # Which question the one position is about is not clear: neither gets it.
    assert set(out["stance"]) == {"not_answered"}


# Session 7 (issue 13): general readings added after the misses on unseen items,
# each checked on sentences written for this test (library opening hours), with negatives.
@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # No side taken in words that name both sides.
        ("We are neither for nor against longer evenings.", "neither"),
        ("I honestly can't say whether I'm for it or against it.", "dont_know"),
        # ... and a plain "against it" still opposes.
        ("Our reading group is against it.", "disagree"),
        ("I'm not sure, but I lean towards being against it.", "disagree"),
    ],
)
def test_a_position_word_inside_a_no_side_phrase_is_no_position(text, stance):
    assert _read(text).stance == stance


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # Mock praise opening a sentence, with nothing else to turn round.
        ("Oh perfect, another form to fill in at the desk.", "disagree"),
        ("Brilliant, so the late bus home leaves before closing time now.", "disagree"),
        ("Because what readers really need is fewer hours on a Saturday.", "disagree"),
        # Praise that is not an opener stays praise.
        ("It would be brilliant for students revising in the evening.", "agree|strongly_agree"),
        ("Great idea, so long overdue.", "agree|strongly_agree"),
    ],
)
def test_a_sarcastic_opener_disagrees_even_with_no_praise_word_after_it(text, stance):
    assert _read(text).stance in stance.split("|")


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # The consultation's question copied back, then answered in a word.
        ("Question 4: do you agree the library should close on Mondays? We don't.", "disagree"),
        ("2. Do you support opening on Sundays? Yes, we do.", "agree"),
        ("Q1 Do you agree with the new hours? I do not, the evenings matter.", "disagree"),
        # A respondent's own question is not an echo: "who could object?" stays agreement,
        # and a statement with "agree" is read as ever.
        ("Longer hours for students, who could object?", "agree|strongly_agree"),
        ("We agree with the new hours.", "agree"),
    ],
)
def test_a_quoted_question_is_not_the_respondents_position(text, stance):
    assert _read(text).stance in stance.split("|")


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # A one-word reply opening the answer.
        ("Sure.", "agree"),
        ("Okay, as long as the children's corner stays open.", "agree"),
        # "fine" that is not a reply, or a reply taken back, is not agreement.
        ("A fine of two pounds for late books is steep.", "not_answered"),
        ("OK, but it is a mistake to cut Saturdays.", "disagree"),
        # "not that I don't ...": conceded and turned round; the position follows.
        (
            "It's not that we don't value the archive. We just don't think it needs a new wing.",
            "disagree",
        ),
        ("It isn't that I don't see the point. I do, and I will use the evening hours.", "agree"),
        ("We don't want it and we don't need it.", "disagree"),
        # ... and a concession a contrast supersedes is no agreement
        (
            "It's not that we don't see the point of a pilot. We do. But the cuts come first.",
            "not_answered",
        ),
    ],
)
def test_replies_and_double_negation(text, stance):
    assert _read(text).stance in stance.split("|")


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("Couldn't happen soon enough for our study group.", "strongly_agree"),
        ("Hear, hear.", "strongly_agree|agree"),
        ("Staying open late beats doing nothing.", "agree"),
        ("I wouldn't say it's unreasonable.", "agree"),
        ("Closing at four is unreasonable for working parents.", "disagree"),
        ("Why not now? The students need it this term.", "disagree"),
        ("Not fussed either way.", "neither"),
        ("I can't comment on staffing, that's above my pay grade.", "dont_know"),
        ("Treating the branch staff as guinea pigs.", "disagree"),
        ("The staff are not guinea pigs.", "disagree"),
        ("I'd support it if the café stays. Otherwise count me out.", "agree"),
        ("Unless the café stays, count me out.", "disagree"),
        ("Our book club is well up for it.", "agree"),
        ("Honestly, we're not up for it.", "disagree"),
        ("The extension has the trustees' wholehearted backing.", "strongly_agree"),
        ("The parish council has not yet formed a view on Sunday opening.", "dont_know"),
        ("On staffing I would defer to those who run the branch.", "dont_know"),
        ("Frankly we are neither for it nor against it.", "neither"),
        ("Yeh", "agree"),
        ("We wanted it last year. Spring will do.", "agree"),
        ("A new wing will do nothing for the branch.", "not_answered"),
        ("Totally for it.", "strongly_agree"),
        ("Pay for it from reserves, not fees.", "not_answered"),
        # what the proposal is not is no evidence: the rest of the answer decides
        ("Shorter Saturdays are an irritation rather than a disaster. Worth a try.", "agree"),
        ("It is a disaster for families with young children.", "strongly_disagree"),
        (
            "Closing early is a cut. On the other hand the savings are a mistake to ignore. "
            "We'd still rather they tried it.",
            "agree",
        ),
    ],
)
def test_session_7_idioms_and_openers(text, stance):
    assert _read(text).stance in stance.split("|")


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # A line with no full stop is a sentence: a bullet's position counts.
        ("- Sunday opening: no objection\n\n- But the rota will need agreeing first", "agree"),
        ("- Evening hours: strongly oppose\n- Sunday hours: no comment", "strongly_disagree"),
        ("Opening times\nWe support the longer evenings.", "agree"),
    ],
)
def test_a_line_without_a_stop_is_read_as_a_sentence(text, stance):
    assert _read(text).stance == stance


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # Session 8 (issue 13): the question a "don't know" phrase leaves open is no answer.
        ("I honestly couldn't tell you whether Sunday opening is a good idea.", "dont_know"),
        ("Not sure if longer evenings would help anyone, to be frank.", "dont_know"),
        ("We can't tell from the leaflet whether the café would be welcome or not.", "dont_know"),
        # ... but only the open question: a position stated beside it still counts
        ("I don't know if others agree, but we support the longer evenings.", "agree"),
        ("I don't know if it's popular but it's a bad idea.", "disagree"),
        ("Whether or not it is popular, it is a bad idea.", "disagree"),
        # a lack of opportunity is not a refusal ("no chance" alone still is)
        ("Fine with us, though staff had no chance to comment on the rota.", "agree"),
        ("Sunday opening? No chance.", "strongly_disagree"),
        # short and idiomatic forms, no-side and don't-know idioms
        ("Overdue!", "strongly_agree"),
        ("A Saturday crèche is overdue in this town.", "agree"),
        ("NO NO. Not on a weekday.", "strongly_disagree"),
        ("No no no, leave the hours alone.", "strongly_disagree"),
        ("We object to the closure in the strongest possible terms.", "strongly_disagree"),
        ("Closing the reading room on Mondays is unacceptable.", "disagree"),
        ("Closing the reading room on Mondays is not acceptable to our members.", "disagree"),
        ("The new hours seem acceptable to us.", "agree"),
        ("We could accept later opening provided the staff are paid for it.", "agree"),
        ("We cannot accept a cut to the mobile library.", "disagree"),
        ("Longer than I'd like, but ok.", "agree"),
        ("Please, please do this for the students.", "agree"),
        ("The opening hours are immaterial to our group.", "neither"),
        ("Weekday or weekend, it's all the same to us.", "neither"),
        ("I'll use the branch whichever way this goes.", "neither"),
        ("The change doesn't affect me; I borrow e-books.", "neither"),
        ("We do not come down on either side of the argument.", "neither"),
        ("Read the leaflet twice and I'm none the wiser.", "dont_know"),
        ("Not something I know enough about to judge.", "dont_know"),
        ("I'd want to hear from the staff before saying yes or no.", "dont_know"),
        ("Still haven't worked out which option suits the village.", "dont_know"),
        ("We are too far from the branch to say whether Sunday hours would be used.", "dont_know"),
        ("The trustees do not feel able to comment on the rota.", "dont_know"),
        ("The society does not accept the case for a Monday closure.", "disagree"),
        ("We can accept the new hours.", "agree"),
        ("Yes but keep the Saturday story time.", "agree"),
        ("We'd go along with later opening if the buses run that late.", "agree"),
        # negatives: a position beside a no-side word is still read
        ("It doesn't affect me, but it is unfair on shift workers.", "disagree"),
        ("The noise on either side of the building is a concern; we oppose the plan.", "disagree"),
    ],
)
def test_session_8_open_questions_idioms_and_no_side(text, stance):
    assert _read(text).stance == stance


@pytest.mark.parametrize(
    ("text", "reserved"),
    [
        # Session 8: conditions and hedges the reservation list had missed.
        ("We back the longer hours, provided they keep a qualified librarian on.", True),
        ("Fine with Sunday opening, providing there is a bus.", True),
        ("Better than closing it altogether, I suppose.", True),
        ("Later opening is a good idea. It depends how many staff volunteer.", True),
        ("We support it, subject to a bigger car park.", True),
        # negatives: "provided" as a plain verb, a plain supporter
        ("We support the hours the council provided in its leaflet.", False),
        ("We support the longer hours wholeheartedly.", False),
    ],
)
def test_session_8_reservations_anywhere(text, reserved):
    assert _read(text).reservations is reserved


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # Session 9 (issue 13): the question a don't-know phrase leaves open, asked with
        # "what"/"which"/"when" or as alternatives, is no answer ("right time" is not read)...
        ("No idea which day would be the right time for the crèche, sorry.", "dont_know"),
        ("Honestly not sure it would help or hinder the readers' group.", "dont_know"),
        ("I don't know when the right time to close on Mondays would be.", "dont_know"),
        # ... but a position beside it is still read
        ("No idea why, but I'm all for the later evenings.", "strongly_agree|agree"),
        # judging deferred is not knowing: "too early" is not a complaint about the date
        ("Too soon to tell whether evening opening pays for itself.", "dont_know"),
        ("We cannot judge the rota from the leaflet.", "dont_know"),
        ("Far too early - the staff have only just been told.", "disagree|strongly_disagree"),
        # Both sides denied in one sentence: no side taken.
        ("Not persuaded, not opposed.", "neither"),
        ("We don't support the Sunday hours and we don't oppose them.", "neither"),
        ("Not for it, not against it - I use the mobile van.", "neither"),
        # ... not when a contrast lets one of them decide, nor a single denial
        ("We are not against longer evenings, but we don't want Sunday opening.", "disagree"),
        ("We do not oppose the Sunday hours.", "agree"),
        ("We don't support it. We don't think it is needed.", "disagree|strongly_disagree"),
    ],
)
def test_session_9_open_questions_and_denials_both_ways(text, stance):
    assert _read(text).stance in stance.split("|")


@pytest.mark.parametrize(
    "text",
    [
        # a doubt with no open question, or a rhetorical "how", is not "don't know" (session 9)
        "I'm not sure Sunday opening is needed.",
        "I don't know how anyone could support closing the reading room.",
        "Too early in the morning for most of our members: 7am is no use.",
    ],
)
def test_session_9_not_an_open_question(text):
    assert _read(text).stance != "dont_know"


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # Session 9 (issue 13): an emphatic adverb just before a plain phrase makes it strong...
        ("Wholly against moving the reading group to Tuesdays.", "strongly_disagree"),
        ("We are categorically against it.", "strongly_disagree"),
        ("Entirely in favour of the later evenings.", "strongly_agree"),
        # ... a sentence that only intensifies or repeats the one before makes it strong ...
        ("Agreed. Wholeheartedly.", "strongly_agree"),
        ("Yes. Yes.", "strongly_agree"),
        ("No. Simply no.", "strongly_disagree"),
        # ... but not a mild adverb, a negated phrase, or a sentence that says something else
        ("I really like the Saturday crèche.", "agree"),
        ("No. No comment on the rota.", "disagree"),
        ("Yes. The staff deserve it.", "agree"),
        ("Totally understandable, but the date is wrong.", "disagree"),
    ],
)
def test_session_9_emphasis(text, stance):
    assert _read(text).stance == stance


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # Session 9 (issue 13): a complaint about how things have been wants the change ...
        ("For too long the branch has been shut when working people could visit.", "agree"),
        ("Families have been left without a Saturday service for far too long.", "agree"),
        # ... "too long" about the proposal itself still counts against it
        ("Opening until 10pm is far too long for two members of staff.", "disagree"),
        ("The reading room would be closed for too long.", "disagree"),
        ("For too long. Four weeks would do.", "disagree"),
        # the scale's words in the third person take no side
        ("The parish council neither agrees nor disagrees.", "neither"),
        ("Our group neither supports nor opposes the later evenings.", "neither"),
        # "not feel able to" is don't know only about giving a view
        ("We do not feel able to comment on the Sunday rota.", "dont_know"),
        # drawn-out yes and no
        ("Yessss, about the Saturday crèche, finally.", "strongly_agree"),
        ("Noooo. The Monday club would lose its room.", "strongly_disagree"),
        # "happy for X to ..." agrees, as "happy with" does
        ("We'd be happy for the branch to open later on Thursdays.", "agree"),
        ("Happy for it to go ahead if the staff agree.", "agree"),
    ],
)
def test_session_9_status_quo_scale_words_and_drawn_out_replies(text, stance):
    assert _read(text).stance == stance


def test_session_9_feeling_unable_to_act_is_not_dont_know():
    text = "My neighbour does not feel able to walk to the branch after dark."
    assert _read(text).stance != "dont_know"
