"""Session 22 (issue 13): reservations.

One grammar of a share for both readers of the writer's own split: the reservation's
``reservation_split.own_split`` now reads shares and pairs through ``stance.shares``
(``own_shares``, ``share_pairs``), so a sentence counting others holds no own split.
"""

from __future__ import annotations

import pytest

from helpers.stance.reservation_split import own_split
from helpers.stance.shares import own_shares, share_pairs

# Sentences of spent sets the old reader flagged as the writer's own split; each counts
# others or quotes a figure (stance-items-21 of21-016, ofsted-docs, transport, transport-5,
# transport-12 gold answers).
OTHERS = [
    "38% of care leavers aged 19 to 21 are not in education, employment or training, "
    "against 13% of their peers.",
    "Over 70% of Eastmere's care leavers are from Black, Asian and other minoritised ethnic "
    "backgrounds.",
    "61% of households opposed it, chiefly because it closes the only direct route.",
    "Route 12 currently loses up to nine minutes in the evening peak, and punctuality on the "
    "route has fallen to 71%.",
    "About 40% of our registered patients live in Eastbrook, many of them elderly.",
    # written for this test, not from a set
    "I reckon 60% of parents at our school would back it.",
    "Our survey said 55 per cent of traders were against the scheme.",
]


@pytest.mark.parametrize("sentence", OTHERS)
def test_others_counts_are_no_own_split(sentence: str) -> None:
    assert own_split([sentence]) is None


# The writer's own split, as before (stance-items-20's forms) and in words (new: the stance
# grammar reads "seventy per cent"); written for this test beside two of the set's.
OWN = [
    "Put me down as 90% yes.",
    "Maybe 40% of me says go, 60% says wait.",
    "70/30 in favour.",
    "I'm seventy per cent for the new market hours.",
    "Seventy percent sure the spring start is too early.",
    "If I'm honest I'm about 65-35 against the school street.",
]


@pytest.mark.parametrize("sentence", OWN)
def test_own_split_still_read(sentence: str) -> None:
    assert own_split(["Thanks for asking.", sentence]) == 1


@pytest.mark.parametrize(
    "sentence",
    ["It's 50/50 for me.", "I give it 7/10.", "I'm 100% behind it.", "Fifty-fifty, honestly."],
)
def test_no_side_score_or_emphasis_is_no_split(sentence: str) -> None:
    assert own_split([sentence]) is None


def test_share_grammar_values() -> None:
    assert own_shares("i'm about seventy per cent for it") == [(70, 10)]
    assert own_shares("61% of households opposed it") == []
    assert own_shares("62% agreed, 21% disagreed") == []
    assert own_shares("maybe 40% of me says go, 60% says wait") == [(40, 6), (60, 25)]
    assert share_pairs("about 70/30 in favour, not 7/10") == [(70, 30), (7, 10)]


# The finder refitted on all 21 spent item sets (session 22), through ``stance_answers`` on the
# library consultation of ``test_reservation_model`` (phrasings written for this test, none from
# a set). Hand-checked: a condition, a "not at the expense of" and a doubt about money are
# reservations; a reason ("a sensible use of the building") and plain support are not.
READ = [
    ("Yes to Sunday opening. I'd want the first six months treated as a trial, though.", True),
    ("Sunday opening is fine by me if the café stays shut.", True),
    ("Open on Sundays, yes, but not at the expense of the Tuesday late opening.", True),
    ("We support it, although we are not sure the budget will stretch that far.", True),
    ("In favour. It's a sensible use of the building.", False),
    ("Agreed. Families have been asking for this for years.", False),
]

# Known misses of the refit: partial support (support for one part of a proposal, the
# ``split_scope`` class: recall 5 of 22 on stance-items 16, 18, 20 and 21), a request
# phrased as "the one thing we'd ask", and a cost worry the session-21 weights read.
MISSED = [
    ("Sundays yes, bank holidays no.", True),
    ("Keep Sunday mornings, drop the afternoons.", True),
    ("We back it. The one thing we'd ask is that volunteers are not expected to fill the gaps.",
     True),
    ("I'm for it. My worry is the cost of heating the building for one more day.", True),
]  # fmt: skip


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    from test_reservation_model import LIBRARY_CONSULTATION

    from helpers.core.consultation import load_consultation

    path = tmp_path_factory.mktemp("res22") / "consultation.yaml"
    path.write_text(LIBRARY_CONSULTATION, encoding="utf-8")
    return load_consultation(path)


def _flag(consultation, text: str) -> bool:
    from test_reservation_model import _rows

    return bool(_rows(consultation, [text]).loc["r0", "reservations"])


@pytest.mark.parametrize(("text", "reserved"), READ)
def test_refit_reads(library, text: str, reserved: bool) -> None:
    assert _flag(library, text) is reserved


@pytest.mark.xfail(strict=True, reason="known misses of the session-22 refit")
@pytest.mark.parametrize(("text", "reserved"), MISSED)
def test_refit_known_misses(library, text: str, reserved: bool) -> None:
    assert _flag(library, text) is reserved
