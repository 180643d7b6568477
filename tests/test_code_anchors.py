"""Phrases with a negator or an apostrophe word keep a codebook on the compiled engine.

The compiled engine scans negators in the same automaton as the anchors, so a
negator anchor ("cannot walk" anchored on "cannot") used to send the whole
codebook to pure Python; so did an anchor with an apostrophe ("can't walk").
``patterns._anchor`` now prefers the phrase's other word. Real codebooks, real
phrasings, both engines.
"""

from pathlib import Path

import pytest

from helpers.coding import Coder, load_codebook
from helpers.coding.engine import fastcode
from helpers.coding.patterns import _anchor
from helpers.core.consultation import load_consultation

ROOT = Path(__file__).resolve().parent.parent
TRANSPORT = ROOT / "data" / "evaluation" / "transport"
OFSTED = ROOT / "consultations" / "ofsted-ilacs-care-leavers-2022"


def test_anchor_avoids_negators_and_apostrophes():
    assert _anchor(["cannot", "walk"], ["cannot", "walk"], frozenset({"cannot"})) == 1
    assert _anchor(["can't", "walk"], ["can't", "walk"]) == 1
    # Only a negator left: it anchors (nothing else could).
    assert _anchor(["never"], ["never"], frozenset({"never"})) == 0
    # Otherwise unchanged: the longest key that is not a function word.
    assert _anchor(["care", "leavers"], ["care", "leaver"]) == 1


@pytest.mark.parametrize("folder", [TRANSPORT, OFSTED])
def test_real_codebooks_run_on_the_compiled_engine(folder):
    codebook = load_codebook(
        folder / "codebook.yaml", load_consultation(folder / "consultation.yaml")
    )
    assert fastcode.unsupported(Coder(codebook, engine="python")) is None


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("My mother can't walk to the bus stop any more.", "can't walk"),
        ("Some of us cannot walk more than a few yards.", "cannot walk"),
    ],
)
def test_negator_phrases_match_alike_in_both_engines(text, matched):
    codebook = load_codebook(
        TRANSPORT / "codebook.yaml", load_consultation(TRANSPORT / "consultation.yaml")
    )
    rows = {}
    for engine in ("python", "compiled"):
        coder = Coder(codebook, engine=engine)
        assert coder.engine == engine
        rows[engine] = coder.code_text(text, "equality")
    assert rows["python"] == rows["compiled"]
    hits = [r for r in rows["python"] if r["theme_id"] == "disability_access"]
    assert [text[r["match_start"] : r["match_end"]] for r in hits] == [matched]
    assert not hits[0]["negated"]


def test_phrase_found_by_the_word_after_still_reads_the_word_before():
    """The pure-Python coder once lost "hold councils to account" (found through "to",
    the word after its anchor "council") when no phrase indexed by the word before
    ("whole council", "youth council*") could start at "hold": the shortcut that
    skipped that look-up also hid the word before from the phrase. The compiled
    engine was right; both agree now, on the real default codebook."""
    folder = OFSTED
    codebook = load_codebook(
        folder / "codebook.yaml", load_consultation(folder / "consultation.yaml")
    )
    text = "Many respondents told us that hold councils to account made the difference."
    rows = {e: Coder(codebook, engine=e).code_text(text, "q2") for e in ("python", "compiled")}
    assert rows["python"] == rows["compiled"]
    got = {(r["theme_id"], r["matched_text"]) for r in rows["python"]}
    assert ("data_monitoring", "hold councils to account") in got
    assert ("voice", "told us") in got
