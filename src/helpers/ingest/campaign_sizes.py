"""How many copies make a campaign: the size rule shared by campaign detection's modules.

``campaigns`` groups copies and turns down groups smaller than ``min_group_size`` asks;
``campaign_pairs`` must know the same share to tell when a pair the copy rules grouped
was turned down as a stock sentence. ``campaigns`` imports ``campaign_pairs``, so the
numbers live here, where both read them (one definition, no import cycle).

Why these sizes (``campaigns``' module docstring has the whole argument): two people do
not write the same 150 normalised characters (about 25 words, two sentences) by chance,
so two copies of such a passage are a campaign; a text of 100-150 characters needs three;
two or three people may well each write "I agree with the proposal and have nothing
further to add" (about 50 characters), so a shorter text needs five copies, the size of an
organised effort rather than a coincidence, and also ``STOCK_SHARE`` of the question's
compared answers: in a large consultation a stock sentence ("We neither agree nor disagree
with the proposal") recurs by chance in proportion to the number of answers, where a
campaign worth reporting is a visible share of them.
"""

from __future__ import annotations

# The share of a question's compared answers a short text's copies must be (at 1,000 answers,
# ten copies; under 300 answers the five copies ask more).
STOCK_SHARE = 0.01
# (shortest shared text in normalised characters, fewest members, fewest as a share of the
# question's compared answers), from the longest texts down.
MIN_GROUP_SIZES: tuple[tuple[int, int, float], ...] = (
    (150, 2, 0.0),
    (100, 3, 0.0),
    (0, 5, STOCK_SHARE),
)
