"""The tables the compiled VADER (:mod:`helpers.stance.vader`) reads, built once in Python.

A character table of the Basic Multilingual Plane (each character's lower case
and the ``str`` rules upstream's tokens depend on: space, punctuation, upper
case) and upstream vaderSentiment's word lists (lexicon, boosters, negations,
idioms) packed into one int64 and one float64 array, with the constants that
give their layout. The kernels in :mod:`helpers.stance.vader` read them by these
constants; nothing here is compiled.
"""

from __future__ import annotations

import string

import numpy as np

# ``_char_table`` entry: the character's one-character lower case in the low 16
# bits, and these flags.
C_SPACE = 1 << 16  # str.isspace: split() separates tokens here
C_PUNCT = 1 << 17  # in string.punctuation: stripped from token ends
C_UPPER = 1 << 18  # str.isupper of the character
C_NOTUP = 1 << 19  # lower or title case: a word with one is not isupper()
C_DECLINE = 1 << 20  # emoji key, or a lower case that is not one plain character
BMP = 0x10000

# Word flags in the vocabulary (W_PHRASE: first word of a multi-word key).
W_LEX, W_BOOST, W_NEG, W_PHRASE = 1, 2, 4, 8
# Phrase kinds.
P_SPECIAL, P_BOOST = 0, 1

# Layout of the int64 table ``itab`` (see ``_tables``): header slots.
H_MASK, H_HASH, H_WORDS, H_PHRASES, H_NPHRASES, H_MAXLEN, H_NWORDS = range(7)
# Header slots of the ids of the words the rules name.
_NAMED = (
    "no", "kind", "of", "but", "least", "at", "very",
    "never", "so", "this", "without", "doubt", "or", "nor",
)  # fmt: skip
(
    I_NO, I_KIND, I_OF, I_BUT, I_LEAST, I_AT, I_VERY,
    I_NEVER, I_SO, I_THIS, I_WITHOUT, I_DOUBT, I_OR, I_NOR,
) = range(8, 8 + len(_NAMED))  # fmt: skip
HEADER = 32

FNV_OFFSET = -3750763034362895579  # 14695981039346656037 as int64
FNV_PRIME = 1099511628211
_M64 = (1 << 64) - 1


def _hash(word: str) -> int:
    """64-bit FNV-1a of ``word``'s code points as int64, as ``_score`` computes it."""
    h = 14695981039346656037
    for ch in word:
        h = ((h ^ ord(ch)) * FNV_PRIME) & _M64
    return h - (1 << 64) if h >= 1 << 63 else h


# --- tables ------------------------------------------------------------------


def _char_table(emoji_chars: set[str]) -> np.ndarray:
    """One uint32 per BMP code point: lower case and ``C_*`` flags (Python's ``str`` rules)."""
    tab = np.zeros(BMP, dtype=np.uint32)
    punct = set(string.punctuation)
    for i in range(BMP):
        c = chr(i)
        low = c.lower()
        f = 0
        if len(low) != 1 or low.lower() != low or i == 0x3A3 or c in emoji_chars:
            f |= C_DECLINE
            low = c
        if c.isspace():
            f |= C_SPACE
        if c in punct:
            f |= C_PUNCT
        if c.isupper():
            f |= C_UPPER
        # CPython's isupper fails a word on any lower- or title-case character;
        # after an "A" (which supplies a cased character) exactly those fail it.
        if not ("A" + c).isupper():
            f |= C_NOTUP
        tab[i] = ord(low) | f
    assert not (tab[:128] & C_DECLINE).any()  # _score relies on it
    return tab


def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(ctab, itab, ftab)``: the character table, then upstream's word lists packed
    into one int64 and one float64 array (few arguments keep calls cheap).

    ``itab``: a header (``H_*``, ``I_*`` slots), an open-addressing hash table of
    ``(hash, id)`` pairs, per word ``(start, length, flags)`` of its code points
    (stored after), and phrase rows ``(kind, n, id0, id1, id2)``. ``ftab``: lexicon
    valences by id, booster values by id, phrase values by row.
    """
    from vaderSentiment import vaderSentiment as vs

    analyzer = vs.SentimentIntensityAnalyzer()
    lexicon: dict[str, float] = analyzer.lexicon

    def one_token(word: str) -> bool:  # only these can equal a token of split()
        return bool(word) and not any(c.isspace() for c in word)

    phrases: list[tuple[int, list[str], float]] = []
    for kind, table in ((P_SPECIAL, vs.SPECIAL_CASES), (P_BOOST, vs.BOOSTER_DICT)):
        for key, value in table.items():
            parts = key.split(" ")
            # Upstream joins 2 or 3 tokens with one space; other keys never match.
            if 2 <= len(parts) <= 3 and all(one_token(p) for p in parts):
                phrases.append((kind, parts, float(value)))

    words: dict[str, int] = {}  # word -> flags
    for w in lexicon:
        if one_token(w):
            words[w] = words.get(w, 0) | W_LEX
    for w in vs.BOOSTER_DICT:
        if one_token(w):
            words[w] = words.get(w, 0) | W_BOOST
    for w in vs.NEGATE:
        if one_token(w):
            words[w] = words.get(w, 0) | W_NEG
    for w in _NAMED:
        words.setdefault(w, 0)
    for _, parts, _ in phrases:
        for w in parts:
            words.setdefault(w, 0)
        words[parts[0]] |= W_PHRASE

    vocab = list(words)
    ids = {w: k for k, w in enumerate(vocab)}
    nw = len(vocab)
    size = 1 << (2 * nw - 1).bit_length()  # load factor at most 1/2
    h_hash = HEADER
    h_words = h_hash + 2 * size
    h_chars = h_words + 3 * nw
    nchars = sum(len(w) for w in vocab)
    h_phrases = h_chars + nchars
    itab = np.zeros(h_phrases + 5 * len(phrases), dtype=np.int64)
    itab[H_MASK] = size - 1
    itab[H_HASH] = h_hash
    itab[H_WORDS] = h_words
    itab[H_PHRASES] = h_phrases
    itab[H_NPHRASES] = len(phrases)
    itab[H_MAXLEN] = max(len(w) for w in vocab)
    itab[H_NWORDS] = nw
    for slot, w in zip(range(I_NO, I_NOR + 1), _NAMED, strict=True):
        itab[slot] = ids[w]
    itab[h_hash + 1 : h_words : 2] = -1  # empty slots
    pos = h_chars
    for k, w in enumerate(vocab):
        h = _hash(w)
        slot = h & (size - 1)
        while itab[h_hash + 2 * slot + 1] != -1:
            slot = (slot + 1) & (size - 1)
        itab[h_hash + 2 * slot] = h
        itab[h_hash + 2 * slot + 1] = k
        itab[h_words + 3 * k : h_words + 3 * k + 3] = (pos, len(w), words[w])
        itab[pos : pos + len(w)] = [ord(c) for c in w]
        pos += len(w)

    ftab = np.zeros(2 * nw + len(phrases), dtype=np.float64)
    for w, k in ids.items():
        ftab[k] = lexicon.get(w, 0.0)
        ftab[nw + k] = vs.BOOSTER_DICT.get(w, 0.0)
    for r, (kind, parts, value) in enumerate(phrases):
        row = [kind, len(parts)] + [ids[p] for p in parts] + [-1] * (3 - len(parts))
        itab[h_phrases + 5 * r : h_phrases + 5 * r + 5] = row
        ftab[2 * nw + r] = value

    emoji_chars = {e for e in analyzer.emojis if len(e) == 1}
    return _char_table(emoji_chars), itab, ftab
