"""The words of a normalised text, as the near-copy rules read them (shared by the scoring rules).

``campaigns.normalise`` writes a text casefolded, punctuation as spaces and
each sentence end as :data:`SENTENCE_BREAK`. The rules of :mod:`copyscore`
(whole texts) and :mod:`passages` (shared runs of sentences) read it as
words, word trigrams and polarity words; these are computed here, once per
text (cached: a group's leader is scored against many texts).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from functools import cache
from importlib import resources

from rapidfuzz.distance import Indel

SENTENCE_BREAK = "\n"  # between the sentences of a normalised text (campaigns.normalise)


@functools.lru_cache(maxsize=1024)
def flat_words(text: str) -> tuple[str, tuple[str, ...]]:
    """A normalised text with its sentence breaks as spaces, and its words: cached, since
    a group's leader is scored against many texts (and the words' hashes, which the
    word-level distance reads, are then computed once)."""
    flat = text.replace(SENTENCE_BREAK, " ")
    return flat, tuple(flat.split())


@functools.lru_cache(maxsize=4096)
def trigrams(text: str) -> frozenset[tuple[str, ...]]:
    """The word trigrams of a normalised text (sentence breaks as spaces)."""
    words = text.replace(SENTENCE_BREAK, " ").split()
    return frozenset(zip(words, words[1:], words[2:], strict=False))


@cache
def polarity_words() -> frozenset[str]:
    """Words that turn a short answer's position around (``helpers/data/polarity_words.txt``)."""
    text = resources.files("helpers").joinpath("data", "polarity_words.txt").read_text("utf-8")
    return frozenset(
        w.strip() for w in text.splitlines() if w.strip() and not w.lstrip().startswith("#")
    )


def polar(words: list[str]) -> frozenset[str]:
    """The polarity words among ``words``, a contraction ("aren t", "don t", "cannot") as "not".

    "aren't forced" and "are not forced" say the same: compared as polarity
    words, the contraction's pieces would differ from "not".
    """
    known = polarity_words()
    found: set[str] = set()
    for k, w in enumerate(words):
        if w == "t":
            continue
        if w == "cannot" or (w.endswith("n") and k + 1 < len(words) and words[k + 1] == "t"):
            found.add("not")
        elif w in known:
            found.add(w)
    return frozenset(found)


# Words that each negate (English grammar, not a consultation's words): one edit replacing one
# by another ("no one" / "nobody", "not" / "never") keeps the position.
_NEGATORS = frozenset(
    {"no", "not", "nobody", "none", "never", "nothing", "neither", "nor", "noone"}
)


def _negation_one(words: Sequence[str]) -> frozenset[str]:
    """:func:`polar` of ``words`` with every negator as "not"."""
    found = {"not" if w in _NEGATORS else w for w in polar(list(words))}
    if any(w in _NEGATORS for w in words):
        found.add("not")
    return frozenset(found)


def polarity_kept(short: Sequence[str], long_: Sequence[str]) -> bool:
    """Whether aligning the words ``short`` to ``long_`` changes no polarity word inside the copy.

    The words are aligned in order (rapidfuzz Indel opcodes, a longest
    common subsequence), and each stretch between two matched runs is an
    edit: its words in the shorter text and in the longer must hold the same
    polarity words (:func:`polar`; "cannot" / "can't", "no one" / "nobody" are all "not"), so
    "we support charging" / "we oppose charging" or "will keep" / "will not
    keep" turn the position around however few words changed. Before the
    first and after the last matched word, the longer text may add anything
    (a sender's own sentence, "I do not drive myself"), but the shorter
    text's unmatched words there must keep their polarity words too. Session
    11: the word-level rule for texts of ``copyscore.LONG_CHARS`` or more,
    and reworded copies, read no polarity before.
    """
    ops = Indel.opcodes(list(short), list(long_))
    equal = [k for k, op in enumerate(ops) if op.tag == "equal"]
    if not equal:
        return False
    edits: list[tuple[int, int, int, int, bool]] = []  # short span, long span, inside the copy
    for k, op in enumerate(ops):
        if op.tag == "equal":
            continue
        inside = equal[0] < k < equal[-1]
        if edits and edits[-1][1] == op.src_start and edits[-1][3] == op.dest_start:
            s0, _, d0, _, ins = edits.pop()  # a delete next to an insert: one replacement
            edits.append((s0, op.src_end, d0, op.dest_end, ins and inside))
        else:
            edits.append((op.src_start, op.src_end, op.dest_start, op.dest_end, inside))
    for s0, s1, d0, d1, inside in edits:
        mine, theirs = _negation_one(short[s0:s1]), _negation_one(long_[d0:d1])
        if (mine != theirs) if inside else not mine <= theirs:
            return False
    return True
