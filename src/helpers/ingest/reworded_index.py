"""The trigram index of :mod:`reworded`, held as integer arrays (issue 15: memory flat).

:func:`reworded.reworded_candidates` and :func:`reworded.campaign_evidence` kept every
text's distinctive trigrams as a frozenset of 3-tuples of strings, a Counter of every
trigram and an inverted index with a list per trigram: about 200 bytes per trigram a text
holds. Most trigrams of free text are unique, so at 100,000 survey respondents (about
90,000 distinct answers a question, 150 trigrams each) that was several GB, and the
ingest of 100,000 respondents passed 10 GB (benchmarks/README.md, session 12).

Here each word gets an integer id (one dict of the words, a few tens of thousands) and a
trigram is the three ids packed into one int64 (21 bits each): exact, no hashing, so the
trigrams, the stock test (in more than ``STOCK_CAP`` texts) and the pairs of texts
sharing trigrams are numpy operations on 8-byte codes, and the results are the ones the
sets gave (``tests/test_reworded_index.py`` compares them with the set version). With more
than 2**21 distinct words the codes would not be exact: ``None`` is returned and the
caller uses the sets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import chain

import numpy as np
import pandas as pd

BITS = 21
MAX_WORDS = 1 << BITS
BLOCK_TEXTS = 2_000  # texts whose words are cut and coded at a time (TextBlocks)


class _Vocabulary:
    """Word → id, and whether each word is common (a stopword) — ids in first-seen order."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def encode_all(self, word_lists: Sequence[list[str]]) -> np.ndarray:
        """Every word of ``word_lists`` in turn as its id (int64), the words new to the
        vocabulary numbered in first-seen order: :meth:`encode` of each list, with the
        hashing done by ``pd.factorize`` in C (a Python call per word was most of
        ``coded_grams``' time, session 15)."""
        words = np.array(list(chain.from_iterable(word_lists)), dtype=object)
        if not len(words):
            return np.zeros(0, dtype=np.int64)
        codes, uniques = pd.factorize(words)
        ids = np.array(self.encode(uniques.tolist()), dtype=np.int64)
        return ids[codes]

    def encode(self, words: Sequence[str]) -> list[int]:
        ids = self.ids
        out = []
        for w in words:
            i = ids.get(w)
            if i is None:
                i = ids[w] = len(ids)
            out.append(i)
        return out


class TextWords:
    """Texts' words as integer ids, cut by Arrow without a Python string per word.

    ``reworded._words`` is ``text.replace(sentence_break, " ").split()``; a normalised
    text (``campaigns.normalise``) has no whitespace but single spaces and the break, so
    cutting it at each space (Arrow's ``split_pattern``, in C) and dropping empty pieces
    gives the same words. The Python lists of every word of a question's answers were
    most of campaign detection's memory (session 15: about 250 MB at 8,000 answers, so
    several GB at 100,000 respondents); here a word costs its UTF-8 bytes and an id.
    :func:`of` returns None when some piece still holds whitespace (a text that was not
    normalised): the caller then splits in Python."""

    def __init__(self, flat: np.ndarray, lengths: np.ndarray, vocab: _Vocabulary) -> None:
        self.flat, self.lengths, self.vocab = flat, lengths, vocab

    @classmethod
    def of(
        cls, texts: Sequence[str], sentence_break: str, vocab: _Vocabulary | None = None
    ) -> TextWords | None:
        """``texts``' words; ``vocab``: a vocabulary to number them in (a new one if None),
        shared by the blocks of :class:`TextBlocks`."""
        import pyarrow as pa
        import pyarrow.compute as pc

        arr = pa.array(texts, type=pa.large_string())
        if sentence_break != " ":
            arr = pc.replace_substring(arr, sentence_break, " ")
        lists = pc.split_pattern(arr, " ")
        del arr
        parent = np.asarray(pc.list_parent_indices(lists))
        pieces = pc.list_flatten(lists)
        del lists
        encoded = pc.dictionary_encode(pieces)
        del pieces
        words = encoded.dictionary.to_pylist()  # distinct pieces, first seen first
        if any(len(w.split()) != 1 for w in words if w):
            return None
        index = np.asarray(encoded.indices, dtype=np.int64)
        kept = np.ones(len(words), dtype=bool)
        if "" in words:  # empty pieces (runs of spaces, an empty text): no word
            kept[words.index("")] = False
        keep = kept[index]
        vocab = _Vocabulary() if vocab is None else vocab
        ids = np.array(vocab.encode([w for w in words if w]), dtype=np.int64)
        renumber = np.cumsum(kept) - 1
        flat = ids[renumber[index[keep]]] if len(ids) else np.zeros(0, dtype=np.int64)
        lengths = np.bincount(parent[keep], minlength=len(texts)).astype(np.int64)
        return cls(flat, lengths, vocab)


class TextBlocks:
    """A question's texts' words as :class:`TextWords` blocks of ``BLOCK_TEXTS`` texts sharing
    one vocabulary (session 26): Arrow's word lists, and :func:`coded_grams`' arrays per
    word, are one block's at a time, so their memory does not grow with the answers. The
    ids are the ones one :class:`TextWords` of all the texts gives (each block's new words
    are numbered in first-seen order, blocks in text order); each block's ids are kept as
    int32 (fewer than ``MAX_WORDS``)."""

    def __init__(self, blocks: list[TextWords], vocab: _Vocabulary) -> None:
        self.blocks, self.vocab = blocks, vocab

    @classmethod
    def of(
        cls, texts: Sequence[str], sentence_break: str, size: int | None = None
    ) -> TextBlocks | None:
        """None as :meth:`TextWords.of` is None for some block (a text not normalised)."""
        size = size or BLOCK_TEXTS
        vocab = _Vocabulary()
        blocks = []
        for start in range(0, len(texts), size):
            words = TextWords.of(texts[start : start + size], sentence_break, vocab)
            if words is None:
                return None
            if len(vocab.ids) <= MAX_WORDS:  # past it coded_grams gives up: ids may not fit
                words.flat = words.flat.astype(np.int32)
            blocks.append(words)
        return cls(blocks, vocab)


def _pack(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    return (a << (2 * BITS)) | (b << BITS) | c


def coded_grams(
    word_lists: Sequence[list[str]] | TextWords | TextBlocks,
    knowns: Sequence[tuple[frozenset[str], frozenset[tuple[str, str, str]]] | None],
    common_words: frozenset[str],
    stock_cap: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Every text's distinct distinctive trigrams that are not stock, as arrays.

    ``word_lists``: each text's words (or :class:`TextWords`, or :class:`TextBlocks`, whose
    trigrams are worked out a block at a time); ``knowns``: each text's question words and
    trigrams (or None). Returns ``(text, code, sizes)``: for each (text, trigram) pair
    kept, the text's position in ``word_lists`` and the trigram's code, sorted by code
    then text; and each text's count of them. None when the words are too many to code
    exactly (``MAX_WORDS``).
    """
    if isinstance(word_lists, TextBlocks):  # cut by Arrow already, a block at a time
        vocab = word_lists.vocab
        parts = [(w.flat, w.lengths) for w in word_lists.blocks]
    elif isinstance(word_lists, TextWords):  # cut by Arrow already
        vocab = word_lists.vocab
        parts = [(word_lists.flat, word_lists.lengths)]
    else:
        vocab = _Vocabulary()
        lengths = np.fromiter((len(w) for w in word_lists), dtype=np.int64, count=len(word_lists))
        parts = [(vocab.encode_all(word_lists), lengths)]
    n = sum(len(lengths) for _, lengths in parts)
    # Question words and trigrams get ids too (they may be words no answer uses).
    known_ids: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for known in knowns:
        if known is None or id(known) in known_ids:
            continue
        words, grams = known
        w_ids = np.array(vocab.encode(sorted(words)), dtype=np.int64)
        g = np.array([vocab.encode(list(t)) for t in sorted(grams)], dtype=np.int64)
        g_codes = _pack(g[:, 0], g[:, 1], g[:, 2]) if len(g) else np.zeros(0, np.int64)
        known_ids[id(known)] = (w_ids, g_codes)
    if len(vocab.ids) > MAX_WORDS:
        return None
    common = np.zeros(len(vocab.ids), dtype=bool)
    for w in common_words:
        i = vocab.ids.get(w)
        if i is not None:
            common[i] = True
    by_known = np.array([id(k) if k is not None else 0 for k in knowns], dtype=np.int64)
    texts, codes = [], []
    offset = 0
    for flat, lengths in parts:
        t, c = _distinct_grams(
            flat, lengths, by_known[offset : offset + len(lengths)], known_ids, common
        )
        texts.append(t + offset)
        codes.append(c)
        offset += len(lengths)
    text = np.concatenate(texts) if texts else np.zeros(0, dtype=np.int64)
    code = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64)
    del texts, codes
    # Sorted by code, then text (each (text, trigram) is there once: a text is in one block).
    order = np.lexsort((text, code))
    text, code = text[order], code[order]
    del order
    # Stock: a trigram in more than stock_cap texts.
    if len(code):
        new = np.ones(len(code), dtype=bool)
        new[1:] = code[1:] != code[:-1]
        group = np.cumsum(new) - 1
        df = np.bincount(group)
        own = df[group] <= stock_cap
        text, code = text[own], code[own]
    sizes = np.bincount(text, minlength=n) if len(text) else np.zeros(n, dtype=np.int64)
    return text, code, sizes


def _distinct_grams(
    flat: np.ndarray,
    lengths: np.ndarray,
    by_known: np.ndarray,
    known_ids: dict[int, tuple[np.ndarray, np.ndarray]],
    common: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """``(text, code)`` of each distinct distinctive trigram of each text of one block of
    words (``flat``: their ids, ``lengths``: each text's count; ``by_known``: each text's
    question key in ``known_ids``, 0 for none)."""
    flat = flat.astype(np.int64, copy=False)
    n = len(lengths)
    ends = np.cumsum(lengths)
    # A trigram starts at every position but the last two of each text.
    pos = np.arange(len(flat), dtype=np.int64)
    text_of = np.repeat(np.arange(n, dtype=np.int64), lengths)
    ok = pos + 2 < np.repeat(ends, lengths)
    pos, text = pos[ok], text_of[ok]
    del text_of, ok
    a, b, c = flat[pos], flat[pos + 1], flat[pos + 2]
    del pos
    code = _pack(a, b, c)
    # Distinctive: a word outside the (stopwords | question words), not a question trigram.
    keep = np.ones(len(code), dtype=bool)
    for key in np.unique(by_known):
        rows = by_known[text] == key
        is_common = common.copy()
        if key != 0:
            w_ids, g_codes = known_ids[int(key)]
            is_common[w_ids] = True
            rows_known = rows & np.isin(code, g_codes)
        else:
            rows_known = np.zeros(len(code), dtype=bool)
        all_common = is_common[a] & is_common[b] & is_common[c]
        keep &= ~(rows & (all_common | rows_known))
    text, code = text[keep], code[keep]
    # One entry per (text, trigram), as a set holds it.
    order = np.lexsort((text, code))
    text, code = text[order], code[order]
    first = np.ones(len(code), dtype=bool)
    first[1:] = (code[1:] != code[:-1]) | (text[1:] != text[:-1])
    return text[first], code[first]


def sharing_pairs(
    text: np.ndarray, code: np.ndarray, n_texts: int, stock_cap: int, min_shared: int
) -> dict[int, Counter]:
    """For each text, the earlier texts (smaller position) sharing at least ``min_shared``
    trigrams with it → how many. ``text``/``code`` as :func:`coded_grams` returns them:
    sorted by code then text, so a trigram's texts are adjacent and in order, at most
    ``stock_cap`` of them."""
    keys = []
    for d in range(1, stock_cap):
        if len(code) <= d:
            break
        same = code[d:] == code[:-d]
        if not same.any():
            continue
        later, earlier = text[d:][same], text[:-d][same]
        keys.append(later * n_texts + earlier)
    out: dict[int, Counter] = {}
    if not keys:
        return out
    pairs, counts = np.unique(np.concatenate(keys), return_counts=True)
    hit = counts >= min_shared
    for key, k in zip(pairs[hit].tolist(), counts[hit].tolist(), strict=True):
        i, j = divmod(key, n_texts)
        out.setdefault(i, Counter())[j] = k
    return out
