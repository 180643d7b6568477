"""The compiled scan of the lexicon lists finds exactly where their patterns match.

``helpers.stance.phrasematch`` walks each list's trie over the answer's code points
instead of running the list's regular expression. Here both read hand-written
lists (multiword phrases sharing words, apostrophes, "*" stems, hyphens,
punctuation tokens, a phrase opening with an apostrophe) and the real lexicon over
hand-written texts (case, curly and straight apostrophes, punctuation right after a
word, Unicode letters and spaces, line breaks, words longer than the kernel's
buffers), and every answer is compared with the pattern's own: the starts where
``pattern.match`` succeeds, ``finditer``, and ``search`` in every stretch.
"""

from __future__ import annotations

import re

import pytest

from helpers.stance import discourse_lexicon
from helpers.stance.lexgate import PhraseGate, compile_gates, phrase_tokens
from helpers.stance.phrasematch import CompiledLists, char_classes

LISTS = {
    "multiword": ["long overdue", "long time coming", "long", "no way", "no way back", "not sure",
                  "not sure at all", "no"],
    "apostrophes": ["don't know", "can't say", "i'm for it", "couldn't agree more", "parents'",
                    "'em all"],
    "stems": ["ridicul*", "disgrace*", "yess*", "support* it"],
    "punctuation": ["no.", "no!", "yes, please", "100 %", "!!", "well -", "- no"],
    "hyphens": ["no-brainer", "box-ticking exercise", "tick-box"],
}  # fmt: skip

TEXTS = [
    "", " ", "no", "No", "NO WAY", "no way", "no  way\tback", "no way\nback", "no wayback",
    "it's long overdue.", "a long, long time coming", "longer overdue", "long-overdue",
    "not sure", "not sure at all!", "not sure at allx", "i'm not sure, at all", "nosure",
    "i don't know", "i don’t know", "i dont know", "i don''t know", "i don’'t know", "idon't know",
    "i can't say; can’t say", "i'm for it", "im for it", "i’m for it.", "i'mfor it",
    "couldn't agree more!!", "couldnt agree more", "the parents' view", "the parents’s view",
    "the parents view", "parents'", "take 'em all", "take em all", "them all", "'emall",
    "ridiculous", "ridicul", "Ridiculous", "ridiculously rushed", "disgraceful.", "yesss!",
    "yes", "support it", "supports it", "supporting  it", "supportit", "support-it",
    "no.", "no!", "no!!", "no .", "yes, please", "yes,please", "yes , please", "100 %", "100%",
    "100 %!", "well - no", "well -no", "- no", "-no", "a no-brainer", "no brainer", "nobrainer",
    "box-ticking exercise", "box-ticking exercises", "tick-box", "tick-boxes", "tick - box",
    "a tick-box.", "no-brainer!", "no-brainers",
    "café no way", "no way—back", "no\u00a0way back", "no\u2003way", "İ no", "straße no.",
    "no way 😀 back", "😀no", "no_way", "_no", "no_", "ridicul" + "o" * 70 + " yes",
    "support" + "s" * 80 + " it", "'" * 40 + "em all", "no " * 60, "long " * 50 + "overdue",
]  # fmt: skip

LEXICON_TEXTS = [
    "We agree with the proposal.", "We do NOT agree; it's a disgrace.", "Don’t know.",
    "I'm neither for nor against it", "On balance, we support it, but January is too soon.",
    "Absolutely not! Ridiculous, a tick-box exercise.", "No-brainer. Long overdue!!",
    "we would welcome the opportunity to meet", "Couldn't agree more", "not opposed as such",
    "I have concerns about capacity, only if funded", "broadly supportive of the aim",
    "Strongly disagree.\n\nIt will make things worse", "Yes!!! 100% behind it.",
    "i don't support it and i don't oppose it", "we strongly support-the plan", "nope",
]  # fmt: skip


def _gate(phrases: list[str]) -> PhraseGate:
    return PhraseGate(phrase_tokens(phrases))


def _mid_word(text: str, q: int) -> bool:
    return 0 < q < len(text) and bool(re.match(r"\w\w", text[q - 1 : q + 1]))


def _check(gate: PhraseGate, compiled: CompiledLists, text: str) -> bool:
    """Compare the scan with the pattern on ``text``; True if the pattern matches it."""
    pattern = re.compile(gate.pattern)
    found = compiled.scan(text)
    assert found is not None
    starts, ends = found[compiled.index[id(gate)]]
    # Where the pattern matches the whole text: exactly the scan's starts.
    assert starts == [c for c in range(len(text)) if pattern.match(text, c)], text
    # A stretch ending at q: every match is at a start, or a conditional start for q.
    for q in range(len(text)):
        if _mid_word(text, q):
            continue
        want = {c for c in range(q) if pattern.match(text, c, q)}
        assert want <= {*starts, *(c for c, e in ends if e == q)}, (text, q)
    finder = gate.finder(text, None)
    got = [] if finder is None else finder.finditer(text)
    assert [m.span() for m in got] == [m.span() for m in pattern.finditer(text)], text
    for pos in range(len(text) + 1):
        for endpos in range(pos, len(text) + 1):  # mid-word ends too (the pattern scans)
            hit = pattern.search(text, pos, endpos)
            mine = None if finder is None else finder.search(text, pos, endpos)
            if finder is None and hit is not None:
                assert _mid_word(text, endpos), (text, pos, endpos)  # (as before session 14)
                continue
            assert (hit and hit.span()) == (mine and mine.span()), (text, pos, endpos)
    return bool(starts)


@pytest.fixture(scope="module")
def lists() -> tuple[dict[str, PhraseGate], CompiledLists]:
    gates = {name: _gate(phrases) for name, phrases in LISTS.items()}
    compile_gates(list(gates.values()))
    return gates, next(iter(gates.values())).compiled_lists


@pytest.mark.parametrize("name", list(LISTS))
def test_the_scan_finds_where_the_pattern_matches(name, lists):
    gates, compiled = lists
    matched = [text for text in TEXTS if _check(gates[name], compiled, text)]
    assert len(matched) >= 5  # the texts exercise the list


def test_hand_checked_matches(lists):
    gates, _ = lists

    def spans(name: str, text: str) -> list[tuple[int, int]]:
        finder = gates[name].finder(text, None)
        return [] if finder is None else [m.span() for m in finder.finditer(text)]

    # The pattern's own preference: the longer phrase after a shared word, whole words only.
    assert spans("multiword", "no way back") == [(0, 11)]
    assert spans("multiword", "no wayback") == [(0, 2)]
    assert spans("multiword", "not sure at allx") == [(0, 8)]
    assert spans("multiword", "longer overdue") == []
    # Either apostrophe or none; a doubled one is not an apostrophe.
    assert spans("apostrophes", "i don’t know") == [(2, 12)]
    assert spans("apostrophes", "i dont know") == [(2, 11)]
    assert spans("apostrophes", "i don''t know") == []
    assert spans("apostrophes", "take 'em all") == [(5, 12)]
    # A phrase ending on an apostrophe ends anywhere (no closing look-ahead).
    assert spans("apostrophes", "the parents’s view") == [(4, 12)]
    # "*": any ending, but a whole word; upper case is not lower case.
    assert spans("stems", "ridiculously rushed") == [(0, 12)]
    assert spans("stems", "Ridiculous") == []
    assert spans("stems", "supporting  it") == [(0, 14)]
    assert spans("stems", "support" + "s" * 80 + " it") == [(0, 90)]
    # Punctuation: right after the word or after spaces; a phrase may end on it.
    assert spans("punctuation", "no .") == [(0, 4)]
    assert spans("punctuation", "yes,please") == []
    assert spans("punctuation", "100 %!") == [(0, 5)]
    assert spans("hyphens", "tick - box") == []
    assert spans("hyphens", "box-ticking exercises") == []


def test_a_stretch_ending_where_the_whole_text_goes_on(lists):
    gates, compiled = lists
    # "can't say" needs no word character or apostrophe after it: in the whole text it
    # fails, in a stretch ending before the apostrophe it matches.
    text = "i can't say'"
    starts, ends = compiled.scan(text)[compiled.index[id(gates["apostrophes"])]]
    assert starts == [] and ends == [(2, 11)]
    finder = gates["apostrophes"].finder(text, None)
    assert finder.finditer(text) == [] and finder.search(text) is None
    assert finder.search(text, 0, 11).span() == (2, 11)
    # A stretch ending inside a word: the pattern searches it, as ``re`` would.
    text = "not sure at allx"
    finder = gates["multiword"].finder(text, None)
    assert finder.search(text, 4, 15) is None and finder.search(text, 0, 15).span() == (0, 15)


def test_the_real_lexicon_lists(lists):
    gates = discourse_lexicon._gates()
    compiled = gates[discourse_lexicon._SCANNED[0]].compiled_lists
    assert compiled is not None
    hits = 0
    for text in LEXICON_TEXTS:
        low = text.lower()
        for name in discourse_lexicon._SCANNED:
            hits += _check(gates[name], compiled, low)
            assert not _check(gates[name], compiled, text.upper()) or not text.isalpha()
    assert hits >= 15


def test_character_classes_are_res():
    table = char_classes()
    for ch in "a_Z9éİß\u00a0\u2003 \t\n-’'.😀\u0300\u200b":
        assert bool(table[ord(ch)] & 1) == bool(re.match(r"\w", ch)), ch
        assert bool(table[ord(ch)] & 2) == bool(re.match(r"\s", ch)), ch
