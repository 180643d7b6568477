"""A letter's paragraphs decoded as one sequence (``helpers.ingest.segment.letterseq``).

The decoder is checked on small score matrices (a profile question, then four
questions in order); the features on a letter written for these tests to the
library consultation of ``builders`` (not a development set's wording); which
documents count as letters on hand-made rows; weights the benchmark's trainer
fits on one letter, written and loaded as the pass loads them; and the whole pass
(``read_letters``) with hand-set weights in a weights file of the test's own, whose
reading of a letter is worked out by hand. The shipped file, when there is one,
is checked too.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import yaml
from builders import LIBRARY_CONSULTATION

from helpers.core import schemas
from helpers.core.consultation import Question, parse_consultation
from helpers.ingest.segment import learned, letterfeatures, letterseq
from helpers.ingest.segment.units import _spans

RANKS = [-1, 0, 1, 2, 3]  # about (profile), hours, sundays, effects, other
NONE, ABOUT, HOURS, SUNDAYS, EFFECTS, OTHER = range(6)


def _questions() -> tuple[Question, ...]:
    return tuple(parse_consultation(yaml.safe_load(LIBRARY_CONSULTATION)).questions)


def _score(rows: list[dict[int, float]]) -> np.ndarray:
    """Units × choices scores, -5 (unlikely) where not given."""
    s = np.full((len(rows), 6), -5.0)
    for i, r in enumerate(rows):
        for c, v in r.items():
            s[i, c] = v
    return s


def test_order_settles_a_near_tie_between_an_earlier_and_a_later_question():
    # The second paragraph is about as close to Sunday opening as to "anything
    # else"; after the hours answer, going on in order wins either way, and a
    # paragraph that seems to go back to the hours after "effects" needs a clear lead.
    score = _score([{HOURS: 1.0}, {SUNDAYS: 0.5, OTHER: 0.6}])
    assert letterseq.decode(score, RANKS, cont=0.0, back=1.0, on=[True, True]) == [HOURS, OTHER]
    score = _score([{EFFECTS: 1.0}, {HOURS: 0.6, OTHER: 0.5}])
    assert letterseq.decode(score, RANKS, cont=0.0, back=0.0, on=[True, True]) == [EFFECTS, HOURS]
    assert letterseq.decode(score, RANKS, cont=0.0, back=1.0, on=[True, True]) == [EFFECTS, OTHER]


def test_a_paragraph_goes_on_with_the_answer_before_unless_it_opens_a_new_point():
    score = _score([{SUNDAYS: 2.0}, {NONE: 0.3, SUNDAYS: 0.1}])
    assert letterseq.decode(score, RANKS, cont=0.5, back=1.0, on=[True, True]) == [SUNDAYS] * 2
    assert letterseq.decode(score, RANKS, cont=0.5, back=1.0, on=[True, False]) == [SUNDAYS, NONE]
    assert letterseq.decode(score, RANKS, cont=0.0, back=1.0, on=[True, True]) == [SUNDAYS, NONE]


def test_text_placed_under_no_question_keeps_the_order_and_a_profile_answer_is_outside_it():
    # An aside between two answers does not reset the order: going back to the
    # hours after it still costs; who writes (the profile question) costs nothing.
    score = _score([{SUNDAYS: 1.0}, {NONE: 1.0}, {HOURS: 0.4, EFFECTS: 0.3}, {ABOUT: 1.0}])
    got = letterseq.decode(score, RANKS, cont=0.0, back=0.5, on=[True] * 4)
    assert got == [SUNDAYS, NONE, EFFECTS, ABOUT]
    assert letterseq.decode(np.zeros((0, 6)), RANKS, 0.0, 0.0, []) == []


LETTER = (
    "Dear library service,\n\n"
    "I am writing in reply to the consultation on opening hours.\n\n"
    "With regard to question 2, my family would use the central library on Sundays "
    "every week if it opened.\n\n"
    "Could you keep one branch open until seven on Thursdays for people on shifts.\n\n"
    "With best wishes,\n\nAnwen"
)


def _units(text: str) -> list[learned.Unit]:
    return [
        learned.Unit(s, e, learned.NONE, "unstructured", "unstructured", 0.0, True, False)
        for s, e in _spans(text, 0, len(text))
    ]


def test_features_of_a_hand_written_letter():
    qs = _questions()
    units = _units(LETTER)
    nq = len(qs)
    sims = np.full((len(units), nq), 0.2)
    f = letterseq.features(LETTER, units, qs, sims, sims)
    assert f.shape == (len(units), nq + 1, len(letterseq.FEATURES))
    ix = {n: i for i, n in enumerate(letterseq.FEATURES)}
    # the greeting and the introduction are marked on the "no question" choice
    assert f[0, 0, ix["none_greeting"]] == 1 and f[0, 0, ix["none_first"]] == 1
    assert f[1, 0, ix["none_intro"]] == 1
    # "With regard to question 2" names the Sunday question, and only it
    assert f[2, 1:, ix["explicit"]].tolist() == [0, 0, 1, 0, 0]
    # the Sunday paragraph's topic words lead for that question
    assert f[2, SUNDAYS, ix["lex_top"]] == 1
    # the profile question is marked as such; the sign-off is the last paragraph
    assert f[0, ABOUT, ix["profile"]] == 1 and f[-1, 0, ix["none_last"]] == 1


def _rows(methods: list[str], headings: list[str | None] | None = None) -> pd.DataFrame:
    headings = headings or [None] * len(methods)
    return pd.DataFrame({"respondent_id": "r", "match_method": methods, "heading_text": headings})


def test_only_documents_read_by_the_letter_rules_are_letters():
    assert letterseq.is_letter(_rows(["unstructured", "meaning", "closing"]))
    assert letterseq.is_letter(_rows(["preamble", "paragraph", "unstructured"]))
    # a heading placed something: the document has structure of its own
    assert not letterseq.is_letter(_rows(["preamble", "text", "meaning"]))
    assert not letterseq.is_letter(_rows(["survey_column"]))
    assert not letterseq.is_letter(_rows(["preamble", "closing"]))
    # the meaning pass placed a section by its own heading ("Buses and the gate")
    assert not letterseq.is_letter(_rows(["unstructured", "meaning"], [None, "Buses and the gate"]))


@pytest.fixture
def weights_dir(tmp_path, monkeypatch):
    """The folder ``load_decoder`` reads ``letter_decoder.json`` from, for one test (not the
    package's data): write weights there and the pass runs with them."""
    monkeypatch.setattr(letterseq, "resources", SimpleNamespace(files=lambda package: tmp_path))
    letterseq.load_decoder.cache_clear()
    yield tmp_path
    letterseq.load_decoder.cache_clear()


def _write_weights(folder, weights: dict) -> None:
    (folder / letterseq.WEIGHTS_FILE).write_text(json.dumps(weights), encoding="utf-8")


def _check_weights(w: dict) -> None:
    n = len(letterseq.FEATURES)
    names = list(w["features"])
    assert all(x in letterseq.FEATURES for x in names)
    assert names == [x for x in letterseq.FEATURES if x in names]  # in the module's order
    assert len(w["coef"]) == len(w["mean"]) == len(w["scale"]) == len(names)
    assert all(np.isfinite(w["coef"])) and all(s > 0 for s in w["scale"])
    with pytest.raises(ValueError, match="regenerate"):
        letterseq.emissions(np.zeros((1, 2, n)), dict(w, features=["other"]))


def test_shipped_weights_match_the_features():
    w = letterseq.load_decoder()
    if w is None:
        pytest.skip("no letter_decoder.json shipped (trained weights: the test below)")
    _check_weights(w)


def test_weights_the_trainer_writes_load_and_read_its_letter_back(weights_dir):
    # The benchmark's trainer on one hand-labelled letter: greeting and introduction
    # under no question, the Sunday paragraph, the Thursday (weekday hours) paragraph,
    # the sign-off. Fitted, written and loaded as the pass loads it, the weights decode
    # the letter they were fitted on to its labels.
    from benchmarks.letter_decoder import train

    qs = _questions()
    units = _units(LETTER)
    sims = np.full((len(units), len(qs)), 0.2)
    feats = letterseq.features(LETTER, units, qs, sims, sims)
    gold = [NONE, NONE, SUNDAYS, HOURS, NONE, NONE]
    w = train([{"name": "toy", "docs": [{"features": feats, "gold": gold}]}])
    _write_weights(weights_dir, dict(w, keep=0.0, cont=0.0, back=0.0, enabled=True))
    loaded = letterseq.load_decoder()
    assert loaded is not None and loaded["coef"] == w["coef"]
    _check_weights(loaded)
    score = letterseq.emissions(feats, loaded)
    assert letterseq.decode(score, RANKS, 0.0, 0.0, [True] * len(units)) == gold


# A letter the rules left wholly unplaced, and hand-set weights: a question costs 1, a
# question the paragraph names ("With regard to question 2") gains 3, a short
# paragraph (greeting, sign-off, name) gains 1 for "no question", and going on with
# the question of the paragraph before gains 1.5 unless the paragraph opens a new
# point ("Finally, ..."). By hand: the greeting scores 1 for no question; the Sunday
# paragraph 2 for Sundays; the next paragraph 0.5 going on with Sundays against 0;
# the car-park paragraph opens a new point (-1 against 0); the sign-off and the name
# are short (1 against at most 0.5).
UNPLACED = (
    "Dear library service,\n\n"
    "With regard to question 2, my family would use the central library on Sundays "
    "every week if it opened.\n\n"
    "My two sons would spend the whole afternoon reading there while I do the shopping "
    "in town.\n\n"
    "Finally, the car park by the library is too small for the visitors it already has.\n\n"
    "Kind regards,\n\nBryn"
)
HAND = {"q_bias": -1.0, "explicit": 3.0, "none_short": 1.0}


def _hand_weights() -> dict:
    n = len(letterseq.FEATURES)
    coef = [HAND.get(name, 0.0) for name in letterseq.FEATURES]
    return {
        "features": list(letterseq.FEATURES),
        "mean": [0.0] * n,
        "scale": [1.0] * n,
        "coef": coef,
        "keep": 0.0,
        "cont": 1.5,
        "back": 0.0,
        "enabled": True,
    }


def _answer(rid: str, qid: str, text: str, start: int, end: int, method: str) -> dict:
    return {
        "respondent_id": rid,
        "question_id": qid,
        "start": start,
        "end": end,
        "answer_text": text[start:end],
        "match_method": method,
        "match_score": 0.0,
        "substantive": True,
    }


def test_the_pass_re_reads_a_letter_with_the_weights_in_its_file(weights_dir):
    _write_weights(weights_dir, _hand_weights())
    headed = "Q1\nI disagree with closing at five."
    rows = pd.DataFrame(
        [
            _answer("letter", "unstructured", UNPLACED, 0, len(UNPLACED), "unstructured"),
            _answer("headed", "hours", headed, 3, len(headed), "number"),
        ]
    )
    answers = schemas.conform(rows, schemas.ANSWERS)
    texts = {"letter": UNPLACED, "headed": headed}
    cons = parse_consultation(yaml.safe_load(LIBRARY_CONSULTATION))
    got = letterseq.read_letters(answers, texts, cons, encode=lambda t: np.ones((len(t), 4)))
    sunday = UNPLACED.index("With regard")
    car_park = UNPLACED.index("Finally")
    letter = got[got["respondent_id"] == "letter"]
    assert letter["question_id"].tolist() == ["unstructured", "sundays", "unstructured"]
    assert letter["start"].tolist() == [0, sunday, car_park]
    assert letter["end"].tolist() == [
        UNPLACED.index("\n\nWith"),
        UNPLACED.index("\n\nFinally"),
        len(UNPLACED),
    ]
    placed = letter.iloc[1]
    assert placed["answer_text"] == UNPLACED[placed["start"] : placed["end"]]
    assert placed["answer_text"].endswith("shopping in town.")
    assert placed["match_method"] == "learned" and placed["question_number"] == 2
    assert "letter decoder" in placed["warning"]
    # a document a heading placed is no letter: its row is left as it was
    pd.testing.assert_frame_equal(
        got[got["respondent_id"] == "headed"].reset_index(drop=True),
        answers.iloc[[1]].reset_index(drop=True),
    )


def test_the_pass_changes_nothing_without_weights_or_with_them_off(weights_dir):
    cons = parse_consultation(yaml.safe_load(LIBRARY_CONSULTATION))
    rows = _rows(["unstructured", "closing"]).assign(question_id=["unstructured", "closing"])
    assert letterseq.load_decoder() is None  # no file in the folder
    assert letterseq.read_letters(rows, {"r": "x"}, cons) is rows
    assert letterseq.read_letters(rows, {"r": "x"}, cons, weights={"enabled": False}) is rows
    _write_weights(weights_dir, dict(_hand_weights(), enabled=False))
    letterseq.load_decoder.cache_clear()
    assert letterseq.read_letters(rows, {"r": "x"}, cons) is rows


def test_flow_features_say_where_a_paragraph_sits_among_the_rules_placed_ones():
    # The rules placed the Sunday paragraph (question 2) only: the introduction comes
    # before every placed paragraph, the Thursday paragraph and the sign-off after the
    # last. For the Thursday paragraph, Sundays is the answer before it (it may go on
    # with it) and only questions later in the order than Sundays fit the gap;
    # the profile question ("about you") is outside the order.
    qs = _questions()
    units = _units(LETTER)
    units[2] = learned.Unit(
        units[2].start, units[2].end, "sundays", "sundays", "meaning", 0.6, True, False
    )
    sims = np.full((len(units), len(qs)), 0.2)
    f = letterseq.features(LETTER, units, qs, sims, sims)
    ix = {n: i for i, n in enumerate(letterseq.FEATURES)}
    assert f[1, 0, ix["none_before_first"]] == 1 and f[1, 0, ix["none_after_last"]] == 0
    assert f[3, 0, ix["none_after_last"]] == 1 and f[3, 0, ix["none_before_first"]] == 0
    assert f[2, 0, ix["none_after_last"]] == 0  # a placed paragraph is neither
    assert f[3, 1:, ix["q_prev_rules"]].tolist() == [0, 0, 1, 0, 0]
    assert f[1, 1:, ix["q_next_rules"]].tolist() == [0, 0, 1, 0, 0]
    assert f[3, 1:, ix["q_in_gap"]].tolist() == [0, 0, 0, 1, 1]
    assert f[1, 1:, ix["q_in_gap"]].tolist() == [0, 1, 0, 0, 0]


def test_weights_naming_fewer_features_read_only_their_columns():
    """Weights trained before a feature was added score as they did: the new column is
    not read (the shipped file keeps its features until a new one passes validation)."""
    n = len(letterseq.FEATURES)
    keep = list(letterseq.FEATURES[:-1])
    w = {"features": keep, "mean": [0.0] * (n - 1), "scale": [1.0] * (n - 1)}
    w["coef"] = [0.0] * (n - 2) + [1.0]
    f = np.zeros((1, 2, n))
    f[0, 1, n - 2] = 2.0  # the last feature the weights know
    f[0, 0, n - 1] = 9.0  # a later feature they do not: ignored
    assert letterseq.emissions(f, w).tolist() == [[-2.0, 0.0]]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("PS. The car park is full every Saturday.", (False, True)),
        ("P.S. I forgot to mention the cycle lane.", (False, True)),
        ("p. s. sorry about the spelling", (False, True)),
        ("NB: my neighbour agrees with all of this.", (False, True)),
        ("Psychologists say otherwise.", (False, False)),
        ("Also, the bins are never emptied on time.", (True, False)),
        ("And another thing: nobody asked the shop owners.", (True, False)),
        ("Last but not least, thank the volunteers.", (True, False)),
        ("Before I forget - the bridge needs a ramp.", (True, False)),
        ("One more point about the library hours.", (True, False)),
        ("Alsatian dogs are not allowed in the park.", (False, False)),
        ("I also think the fees are too high.", (False, False)),
        ("The other day I saw three buses at once.", (False, False)),
    ],
)
def test_a_paragraph_opening_a_new_point_or_a_postscript(body, expected):
    assert letterfeatures.opening(body) == expected
