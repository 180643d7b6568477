"""benchmarks.theme_census: each theme error put down to one cause from the text's shape.

The answers are of the kinds docs/models.md quotes from spent batches (a heading, a list
of examples, a word in passing in a long answer, a false friend), written afresh here;
the sentence spans and dictionary hits are what ``theme_sentence_loo`` would save.
"""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import theme_census as tc
from benchmarks import theme_variants as tv
from helpers.core.sentences import sentence_spans


def _row(text, hits, gold, dictionary, probs=None, sprobs=None, sentp=None):
    spans = sentence_spans(text, 0, len(text)) or [(0, len(text))]
    themes = [{t for t, w in hits if w in text[s:e]} for s, e in spans]
    return {
        "text": text, "spans": spans, "sentence_themes": themes,
        "commas": [text[s:e].count(",") for s, e in spans], "gold": set(gold),
        "dictionary": set(dictionary), "probs": probs or {}, "sprobs": sprobs or {},
        "sentp": sentp or {},
    }  # fmt: skip


def test_a_bare_heading_is_a_fragment():
    r = _row("Evidence. We have none beyond what residents told us.", [("process", "Evidence")],
             [], ["process"])  # fmt: skip
    assert tc.wrong_cause(r, "process") == "heading/fragment"


def test_a_theme_named_in_a_list_of_examples():
    text = "Think of buses, bikes, deliveries and carers before you close the road."
    r = _row(text, [("bus", "buses"), ("cycle", "bikes"), ("care", "carers")], [], ["bus"])
    assert tc.wrong_cause(r, "bus") == "list"


def test_a_passing_mention_and_a_false_friend():
    long = ("The scheme has been rushed. Nobody asked the shops. Most of our patients walk in "
            "from the estate anyway. The signs are confusing. Please think again.")  # fmt: skip
    r = _row(long, [("walking", "walk in")], [], ["walking"], sentp={"walking": [0.1] * 5})
    assert tc.wrong_cause(r, "walking") == "passing"
    # the same word alone in a short answer: the word used about something else
    short = "Most of our patients walk in from the estate anyway."
    r = _row(short, [("walking", "walk in")], [], ["walking"], sentp={"walking": [0.1]})
    assert tc.wrong_cause(r, "walking") == "sense"
    # a code the classifiers alone raised
    assert tc.wrong_cause(_row(short, [], [], []), "walking") == "learned"


def test_missed_codes_split_by_the_classifiers_score_and_neighbours_counted():
    text = "A place of my own near my mates would make all the difference."
    r = _row(text, [], ["housing"], ["money"], probs={"housing": 0.45})
    assert tc.missed_cause(r, "housing") == "near miss"
    assert tc.missed_cause(r, "friends") == "wording"
    counts, examples = tc.census([r], [{"money"}])
    assert counts["near miss"] == 1 and counts["sense"] == 1 and counts["neighbour"] == 1
    assert [(c, t) for c, _, t in examples] == [("sense", "money"), ("near miss", "housing")]


def test_variant_features_read_the_hit_sentence():

    text = "Most of our patients walk in from the estate. We need safer pavements for them."
    r = _row(text, [("walking", "walk in")], [], ["walking"],
             sentp={"walking": [0.2, 0.9]})  # fmt: skip
    r["consultation"] = "c"
    r["vec"] = np.array([[1.0, 0.0], [0.0, 1.0]])
    theme = (np.array([[0.6, 0.8]]), np.zeros((0, 2)))
    feats = tv.extra_features(r, "walking", True, {("c", "walking"): theme})
    assert feats._fields == tv.EXTRA
    # the hit sentence (the first) scores 0.2 though the answer's best sentence scores 0.9
    assert feats.hit == pytest.approx(np.log(0.2 / 0.8))
    assert feats.sem == pytest.approx(0.6) and feats.words == pytest.approx(np.log1p(9))
    # not a dictionary candidate: no hit or words, the best sentence's similarity
    # no base rate given; no other theme coded or scored 0.5; one of two sentences scores 0.5+
    assert feats.base == 0.0 and feats.nothing == 1.0 and feats.spread == pytest.approx(0.5)
    # the classifier-only slopes (session 20): 0 for a dictionary candidate; otherwise the
    # log-odds of the answer and sentence classifiers and the vote (none scored: EPS)
    assert (feats.nda, feats.nds, feats.ndv) == (0.0, 0.0, 0.0)
    low = np.log(1e-3 / (1 - 1e-3))
    assert tv.extra_features(r, "walking", False, {("c", "walking"): theme}) == pytest.approx(
        tv.ExtraFeatures(
            hit=0.0,
            sem=0.8,
            words=0.0,
            rank=0,
            base=0.0,
            nothing=1.0,
            spread=0.5,
            nda=low,
            nds=low,
            ndv=low,
            # session 21: the classifiers' log-odds times log(1 + 2 sentences)
            alen=low * np.log(3.0),
            slen=low * np.log(3.0),
        )
    )
    # rank: themes the classifiers score higher than this one
    r["probs"], r["sprobs"] = {"walking": 0.3, "parking": 0.6, "buses": 0.1}, {"buses": 0.7}
    assert tv.extra_features(r, "walking", True, {}).rank == 2 and feats.rank == 0
    # another theme now scores 0.6: "nothing" no longer holds
    assert tv.extra_features(r, "walking", True, {}).nothing == 0.0
    r["votes"] = {"walking": 0.5}
    alone = tv.extra_features(r, "walking", False, {})
    assert alone.nda == pytest.approx(np.log(0.3 / 0.7)) and alone.ndv == pytest.approx(0.0)
    assert alone.alen == pytest.approx(np.log(0.3 / 0.7) * np.log(3.0))
    assert alone.nds == pytest.approx(low)  # no sentence probability for walking
    assert tv.names(("sem",))[-1] == "sem"


def test_stacked_consultations_are_censused_with_the_stackers_codes():
    """``--stacked`` names consultations; the stacker's codes are keyed by row (session 19:
    a name was tested against the row keys, so the union rule was censused instead)."""
    r = _row("The buses are late.", [], ["bus"], [], probs={"bus": 0.9})
    r["consultation"] = "ofsted-docs"
    stacked = {id(r): set()}  # the stacker turned the classifier's 0.9 down
    assert tc.decisions([r], stacked, {"ofsted-docs"}) == [set()]
    assert tc.decisions([r], stacked, set()) == [{"bus"}]  # the union rule: answer at 0.8
