"""The gate's general features (``helpers.stance.gatefeatures``) and its confidence map.

Phrasings written for these tests (a swimming pool levy, a Saturday market, a
library's hours), none from the development data. The topic vocabulary is made
the way the pipeline makes it, from question wording (``content_stems``), so
the tests also check that no consultation's words are needed in the code.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers.stance import gate, gatefeatures
from helpers.stance.unstructured import content_stems

POOL = frozenset(content_stems("Do you agree with the swimming pool levy?"))
MARKET = frozenset(content_stems("Should the Saturday market move to the station car park?"))
LIBRARY = frozenset(content_stems("Do you agree with the new opening hours at the library?"))

# Index of each dense feature in ``gatefeatures.extra`` (its return order).
FIRST, LAST, TOPIC_TONE, OTHER_TONE, ON_TOPIC, FIRST_ON_TOPIC = range(6)
CONTRASTS, SHIFT, RESERVATION, NEG_TOPIC, NEGATORS = range(6, 11)
PREFERS, PREFERS_TOPIC, PREFERS_OTHER, QUESTIONS, ONE_SENTENCE = range(11, 16)


def extra(text: str, vocab: frozenset[str]) -> np.ndarray:
    return gatefeatures.extra(text, vocab, gate.MAX_SENTENCES)


def test_masked_ngrams_read_the_same_argument_about_two_proposals_alike():
    """The topic words are one placeholder: the same objection to a pool levy and to
    the library's hours gives the same masked n-grams; the plain n-grams differ."""
    a = "No need for the swimming pool levy. Leave it alone."
    b = "No need for the library opening hours. Leave it alone."
    ma = gatefeatures.masked_ngrams(a, POOL)
    mb = gatefeatures.masked_ngrams(b, LIBRARY)
    assert ma.shape == (gatefeatures.MASK_DIM,)
    # Both become "no need for the <t> <t> <t>. leave it alone."
    assert float(ma @ mb) == pytest.approx(1.0)
    assert not np.array_equal(gate.features([a], [POOL])[0], gate.features([b], [LIBRARY])[0])
    # Without the topic vocabulary nothing is masked and the two differ more.
    assert float(ma @ mb) > float(
        gatefeatures.masked_ngrams(a, frozenset()) @ gatefeatures.masked_ngrams(b, frozenset())
    )


def test_negation_scope_is_a_negator_just_before_a_topic_word():
    assert extra("There is no need for a pool levy at all.", POOL)[NEG_TOPIC] > 0
    assert extra("We don't want the market moved anywhere.", MARKET)[NEG_TOPIC] > 0
    # Negators far from the topic words, or about something else: no scope.
    assert extra("The pool is lovely and the levy seems fair. No complaints from me about "
                 "the staff, they never let us down.", POOL)[NEG_TOPIC] == 0  # fmt: skip
    assert extra("I can't say I've thought about it.", POOL)[NEGATORS] > 0


def test_a_preferred_alternative_stated_with_the_topic_words_or_without():
    on = extra("We would rather the market stayed on the high street.", MARKET)
    assert on[PREFERS] == 1 and on[PREFERS_TOPIC] == 1 and on[PREFERS_OTHER] == 0
    off = extra("I'd much prefer the money went on potholes and street lights.", MARKET)
    assert off[PREFERS] == 1 and off[PREFERS_TOPIC] == 0 and off[PREFERS_OTHER] == 1
    # A comparison is not a preferred alternative ("rather have it than not").
    assert extra("I'd rather have a market at the station than no market.", MARKET)[PREFERS] == 0


def test_contrast_tone_shift_and_reservations():
    turned = extra("The idea sounds lovely. But the levy will be a disaster for families.", POOL)
    assert turned[CONTRASTS] > 0 and turned[SHIFT] < 0
    assert turned[RESERVATION] == 1
    plain = extra("Great idea, the pool needs the money.", POOL)
    assert plain[CONTRASTS] == 0 and plain[SHIFT] == 0 and plain[RESERVATION] == 0
    assert plain[ONE_SENTENCE] == 1 and plain[FIRST_ON_TOPIC] == 1


def test_tone_is_split_by_whether_the_sentence_is_about_the_topic():
    """A complaint about something else is not a position on the proposal: its tone
    goes to the off-topic column."""
    f = extra("My bins were not collected for three weeks, which is terrible. "
              "The Saturday market at the station would be great.", MARKET)  # fmt: skip
    assert f[OTHER_TONE] < 0 < f[TOPIC_TONE]
    assert f[ON_TOPIC] == pytest.approx(0.5)
    assert extra("Who decides? When?", MARKET)[QUESTIONS] == 1


def test_layouts_and_widths():
    texts, vocabs = ["Leave the pool alone.", ""], [POOL, POOL]
    widths = {"base": gate.HASH_DIM + gate.N_DENSE}
    widths["extra"] = widths["base"] + gatefeatures.N_EXTRA
    widths["masked"] = widths["base"] + gatefeatures.MASK_DIM
    widths["extra+masked"] = widths["extra"] + gatefeatures.MASK_DIM
    for layout, width in widths.items():
        x = gate.features(texts, vocabs, layout)
        assert x.shape == (2, width)
        assert np.array_equal(x, gate.features(texts, vocabs, layout))  # deterministic
        assert gate.features([], [], layout).shape == (0, width)
    assert gate.layout_of({}) == "base"


def test_confidence_map_is_monotone_and_replaces_the_linear_scale():
    old = {"threshold": np.float32(0.5), "scale": np.array([0.45, 0.6], dtype=np.float32)}
    assert gate.confidence(0.5, old) == 0.45 and gate.confidence(1.0, old) == 0.6
    new = {**old, "calib_x": np.array([0.5, 0.7, 0.9], dtype=np.float32),
           "calib_y": np.array([0.55, 0.8, 0.9], dtype=np.float32)}  # fmt: skip
    got = [gate.confidence(p, new) for p in (0.5, 0.6, 0.7, 0.95, 1.0)]
    assert got == [0.55, 0.68, 0.8, 0.9, 0.9]
    assert got == sorted(got)
