"""The discourse reader's shortcuts change nothing: the reader against its reference copy.

``helpers.stance.discourse`` prunes its lexicon patterns to the phrases an answer's
key words allow and tries them only where a phrase's opening stands
(``helpers.stance.lexgate``); ``tests/discourse_reference.py`` is the reader as it
was before, reading every pattern over the whole answer. Both read real answers
(the development sets' ingested answers in ``tests/fixtures/identical``, the
stance items of the spent item sets, the default consultation's raw responses), a
generated corpus with a realistic vocabulary, the same texts upper-cased and with
curly apostrophes, and hand-written edge cases; every result must be equal.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import discourse_reference as ref
import pandas as pd
import pytest
import yaml

from helpers.stance import clauses, discourse, discourse_lexicon, infer_stance
from helpers.stance.firstpass import _lower
from helpers.stance.lexgate import PhraseGate, phrase_tokens, words_of

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "identical"
SPENT_ITEMS = (
    "stance-items",
    "stance-items-2",
    "stance-items-3",
    "stance-items-4",
    "stance-items-5",
)

EDGE = [
    "", "   ", ".", "!!!", "No.", "no", "NO!", "Yes!!", "yes yes", "Nope", "No-brainer.",
    "no brainer", "It's a no-brainer, frankly", "Don’t know", "DON'T KNOW", "dont know",
    "do not know.", "Ridiculous!", "ridiculously rushed", "Scandalous; a disgrace.",
    "100% behind it", "İ don't know", "ſo we oppose it", "We ſupport it", "The Kouncil",
    "I'm for it", "im for it", "I am all for it, but not yet.", "We're against it",
    "Neither agree nor disagree", "On the fence,\nbut leaning yes",
    "Although we support the aim, we oppose the timing.",
    "We, however, strongly support it", "The council strongly supports-the plan",
    "we would very much welcome it", "I don't support it; they do", "We can't support this",
    "Oh brilliant, another form.", "Overall, we oppose.", "if it works, fine", "So long as it works",
    "We would welcome the opportunity to meet", "Happy to discuss further.",
    "concerned that this will fail" * 3, "but but but", "however;however", "yet, so, overall",
    "no way back from this", "no way out", "No way!", "the sooner the better!!!",
    "I've come round to it", "I’ve come round to it", "we don't object to it", "objects to it",
    "It isn't unreasonable", "not unreasonable at all", "a" * 300, "I " * 200, "no " * 150,
    "support " * 80, "We oppose\n\nWe support\n\nWe don't know", "end. End! END? the end",
]  # fmt: skip


def _spent_items() -> list[str]:
    out = []
    for name in SPENT_ITEMS:
        for path in sorted((ROOT / "data" / "evaluation" / name).glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            out += [str(i["text"]) for i in data.get("items", []) if i.get("text")]
    return out


def _generated() -> list[str]:
    from benchmarks.generate import default_paths, iter_answers
    from benchmarks.run import corpus_vocab

    consultation, codebook = default_paths()
    vocab = corpus_vocab(codebook, "zipf", 3)
    return [t for _, _, t in iter_answers(consultation, vocab, 3, 300_000)]


@lru_cache(maxsize=1)
def texts() -> list[str]:
    real = []
    for folder in sorted(FIXTURES.iterdir()):
        if (folder / "answers.parquet").exists():
            answers = pd.read_parquet(folder / "answers.parquet")
            real += answers["answer_text"].dropna().astype(str).tolist()
            whole = pd.read_parquet(folder / "respondents.parquet")
            if "text" in whole:  # whole responses: letters, long answers
                real += whole["text"].dropna().astype(str).tolist()
    real += _spent_items()
    raw = ROOT / "data" / "raw" / "ofsted-ilacs-care-leavers-2022"
    real += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(raw.glob("*.txt"))]
    assert len(real) > 300  # the fixtures and item sets are there
    variants = [t.upper() for t in real[::3]] + [t.replace("'", "’") for t in real[1::3]]
    # Sentences and pairs of sentences: the pieces stance reads are often this short.
    pieces = [s for t in real[::2] for s in re.split(r"(?<=[.!?])\s+", t)[:6]]
    return list(dict.fromkeys(real + variants + pieces + EDGE + _generated()))


def test_the_patterns_are_the_reference_patterns():
    new, old = discourse_lexicon._lexicon(), ref._lexicon()
    assert new.keys() == old.keys()
    assert all(new[k].pattern == old[k].pattern for k in old)


@pytest.mark.parametrize("name", discourse_lexicon._PRUNED)
def test_pruned_lists_find_what_the_full_patterns_find(name):
    gate, full = discourse_lexicon._gates()[name], discourse_lexicon._lexicon()[name]
    tried = 0
    for text in texts():
        low = _lower(text, 0, len(text))
        want = [(m.span(), m.groupdict(), m.group()) for m in full.finditer(low)]
        for words in (words_of(low), discourse_lexicon._present(low)):
            finder = gate.finder(low, words)
            got = [] if finder is None else finder.finditer(low)
            assert [(m.span(), m.groupdict(), m.group()) for m in got] == want, (name, text)
            for s in clauses._SENTENCE_RE.finditer(low):  # stretches between words
                hit = full.search(low, s.start(), s.end())
                mine = None if finder is None else finder.search(low, s.start(), s.end())
                assert (hit and hit.span()) == (mine and mine.span()), (name, text)
        tried += bool(want)
    assert tried > 0  # the list does match some of these texts


def test_the_reader_reads_as_the_reference_did():
    differ = []
    for text in texts():
        first = infer_stance(text)
        if discourse.refine(text, first) != ref.refine(text, first):
            differ.append(text)
        if discourse.reservation(text, None) != ref.reservation(text, None):
            differ.append(text)
        if discourse.no_position(text) != ref.no_position(text):
            differ.append(text)
        low = _lower(text, 0, len(text))
        got = [(c.start, c.end, c.sentence, c.weight) for c in clauses._clauses(low)]
        if got != [(c.start, c.end, c.sentence, c.weight) for c in ref._clauses(low)]:
            differ.append(text)
    assert differ == []


def test_a_phrase_is_keyed_by_a_word_it_cannot_match_without():
    gate = PhraseGate(phrase_tokens(["can't", "long overdue", "box-ticking", "ridicul*", "no."]))
    # "can't" is "can" + "t" or "cant"; the others by their longest plain word.
    assert gate.keys == {"can", "cant", "overdue", "ticking", "no"}
    assert gate.finder("long overdue", set()) is not None  # "ridicul*": keyed by no word
    assert gate.finder("long overdue", {"overdue"}).finditer("long overdue")[0].span() == (0, 12)
    # Branches by first character, in order: "no." and "no" share "n".
    assert gate.group("n").pattern.startswith(r"(?:\bno")
    assert gate.group("x") is None
    found = gate.finder("how ridiculous", set()).finditer("how ridiculous")
    assert [m.group() for m in found] == ["ridiculous"]
    # "ridicul*" may open with any word; without it, only "can", "cant", "long"...
    assert gate.may_open("overdue")
    plain = PhraseGate(phrase_tokens(["can't", "long overdue", "box-ticking"]))
    assert plain.may_open("cant") and plain.may_open("long") and plain.may_open("box")
    assert not plain.may_open("overdue") and not plain.may_open(None)
    # Stopwords are not keys when a phrase has another word: "no" is, alone.
    common = PhraseGate(phrase_tokens(["not for me", "no."]), frozenset({"not", "for", "me"}))
    assert common.keys == {"not", "no"}
