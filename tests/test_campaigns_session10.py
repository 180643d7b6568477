"""Campaign pairs, session 10 (issue 12, item 7): two copies of a campaign sentence of 100-150
characters are a campaign, one of them with the sender's own line added.

transport-12's pair was a campaign sentence of 133 characters sent twice, once split into two
sentences with a personal line after it; groups of texts under 150 characters needed three
members, so the pair was found and dropped. The texts below were written for this test.
"""

from __future__ import annotations

from test_campaigns_sentences import _detect, _groups

CAMPAIGN = (
    "Keep the Harbour Street baths open all year: the town's children need somewhere safe "
    "to learn to swim!"
)


def test_two_copies_of_a_long_campaign_sentence_are_a_pair():
    rows = [
        ("a", "q2", CAMPAIGN),
        (
            "b",
            "q2",
            "Keep the Harbour Street baths open all year. The town's children need somewhere safe "
            "to learn to swim.\n\nMy two learned there and both swim for the county now.",
        ),
        ("c", "q2", "The baths cost too much to heat in winter; close them from November."),
    ]
    assert _groups(_detect(rows)) == [["a", "b"]]


def test_two_people_sharing_a_short_sentence_are_not_a_campaign():
    # Under 100 characters a group still needs five members: short sentences recur by chance.
    text = "Keep the baths open all year round, please."
    rows = [("a", "q2", text), ("b", "q2", text + " Thanks.")]
    assert _groups(_detect(rows)) == []


def test_two_long_answers_on_one_topic_in_different_words_are_not_a_pair():
    rows = [
        ("a", "q2", CAMPAIGN),
        (
            "b",
            "q2",
            "The Harbour Street baths should stay open all year, because children in this town "
            "have nowhere else to learn to swim safely.",
        ),
    ]
    assert _groups(_detect(rows)) == []
