"""The discourse lexicon's phrase patterns, and exact shortcuts that skip most of their work.

Each list of ``data/stance_lexicon.yaml`` is one regular expression: the
phrases as a trie of whole words (:func:`trie_alt`). Python's ``re`` tries such
an alternation at every character of the answer, with no literal to skip
ahead to (each branch opens with ``\\b``), so a list of a few hundred phrases
reads at a few MB/s. :class:`PhraseGate` keeps the pattern and finds the same
matches reading far less:

- **Key words.** A phrase can only match an answer that holds one word of it as
  a whole word (a maximal run of ``\\w``): "long overdue" needs "overdue",
  "don't" needs "don" (apostrophe kept) or "dont" (dropped). Each phrase is
  keyed by one such word, not a stopword if it has another. Only the phrases
  whose key is in the answer (:meth:`PhraseGate.finder`, given the keys found
  in it) are considered; the others cannot match anywhere in it.
- **Where a match can start.** A kept phrase's match starts at its first word
  (or its opening literal, for "ridicul*" or punctuation). Those places are
  found as whole words (:class:`WordPlaces`: each word once per text, for
  every list) or, for literals, with ``str.find``. The pattern is then tried only there, with the branches
  that can start with that character (:meth:`PhraseGate.group`), in the same
  order: at a position, ``re`` returns the first branch that matches, and the
  others fail at their first character. With more places than ``_MAX_STARTS``,
  or a phrase whose opening is optional, the full pattern scans the text.

So :meth:`Finder.finditer` returns what ``pattern.finditer(text)`` returns, and
:meth:`Finder.search` what ``pattern.search(text, pos, endpos)`` returns for a
stretch that starts and ends between words (a sentence, a clause: no word is
cut). ``tests/test_discourse_fast.py`` checks both on real and generated text.
The opener lists, read ``^``-anchored, are asked only of clauses whose first
word starts one of their phrases (:meth:`PhraseGate.may_open`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from helpers.stance.phrasematch import CompiledLists

__all__ = ["PhraseGate", "compile_gates", "phrase_tokens", "trie_alt", "words_of"]

_TOKEN_RE = re.compile(r"[\w’'-]+\*?|[^\w\s]")
_RUN_RE = re.compile(r"\w+")
_PLAIN_RE = re.compile(r"[^\W_]+")  # letters and digits only: a whole \w run in any match
_IN_WORD_RE = re.compile(r"\w\w")  # at endpos - 1: a stretch ending inside a word
_CACHE_MAX = 8192
_MAX_STARTS = 40  # more places to try than this: scan with the pattern instead


def words_of(text: str) -> set[str]:
    """The maximal runs of ``\\w`` in ``text``: the words :meth:`PhraseGate.finder` needs."""
    return set(_RUN_RE.findall(text))


def phrase_tokens(words: list[str]) -> list[list[str]]:
    """The lexicon phrases as token lists (lower-cased; empty phrases dropped)."""
    return [t for t in (_TOKEN_RE.findall(w.lower()) for w in words) if t]


def token_re(tok: str) -> str:
    """One token's pattern. Either apostrophe, or none: "don't", "don’t" and "dont" are one word."""
    if tok.endswith("*"):
        return re.escape(tok[:-1]).replace("'", "['’]?") + r"\w*"
    return re.escape(tok).replace("'", "['’]?")


def _runs(tok: str, first: bool) -> frozenset[str] | None:
    """The text words (``\\w`` runs) one of which a match of ``tok`` must contain,
    or None when ``tok`` guarantees no whole word (a "*" stem, punctuation).

    A plain word is itself; "don't" is "don" (apostrophe kept) or "dont" (dropped);
    "box-ticking" holds both "box" and "ticking" (the longest, or the first when
    ``first``). A token's letters are bounded by ``\\b``, whitespace, its own
    punctuation or the phrase's closing ``(?![\\w’'])``, so they are whole words.
    """
    if _PLAIN_RE.fullmatch(tok):
        return frozenset([tok])
    m = re.fullmatch(r"([^\W_]+)'([^\W_]+)", tok)
    if m:
        return frozenset([m.group(1), m.group(1) + m.group(2)])
    if re.fullmatch(r"[^\W_]+(?:-[^\W_]+)+", tok):
        parts = tok.split("-")
        return frozenset([parts[0] if first else max(parts, key=len)])
    return None


@lru_cache(maxsize=4096)
def _word_re(word: str) -> re.Pattern[str]:
    """``word`` as a whole word (a maximal run of ``\\w``), written to open with its
    letters so that ``re`` finds it with its fast literal search."""
    w = re.escape(word)
    return re.compile(rf"{w}(?<!\w{w})(?!\w)")


class WordPlaces:
    """Where given whole words stand in one text, each word found once (with a
    literal search) and kept for every list read on that text."""

    __slots__ = ("_at", "text")

    def __init__(self, text: str) -> None:
        self.text, self._at = text, {}

    def of(self, word: str) -> list[int]:
        """The starts of ``word`` standing as a whole word."""
        at = self._at.get(word)
        if at is None:
            text = self.text
            at = [m.start() for m in _word_re(word).finditer(text)] if word in text else []
            self._at[word] = at
        return at


class Finder:
    """Where in one text a list's matches can start (``starts``; None: too many to try
    one by one, so the list's full pattern scans the text).

    ``ends``, from the compiled scan (:mod:`helpers.stance.phrasematch`): ``starts``
    are then exactly where the pattern matches the whole text, and ``ends`` the
    (start, end of stretch) where it matches only a stretch ending there."""

    __slots__ = ("ends", "gate", "starts")

    def __init__(
        self,
        gate: PhraseGate,
        starts: list[int] | None,
        ends: list[tuple[int, int]] | None = None,
    ) -> None:
        self.gate, self.starts, self.ends = gate, starts, ends

    def finditer(self, text: str) -> list[re.Match[str]]:
        """The matches of the list's ``pattern.finditer(text)``: the same matches, since
        no match starts anywhere else and each start is read with the same branches."""
        if self.starts is None:
            return list(self.gate.compiled.finditer(text))
        out, pos, group = [], 0, self.gate.group
        for c in self.starts:
            if c >= pos and (p := group(text[c])) is not None and (m := p.match(text, c)):
                out.append(m)
                pos = m.end()  # (no phrase is empty, so no empty match)
        return out

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """The list's ``pattern.search(text, pos, endpos)``, for a stretch that starts
        and ends between words (a clause, a sentence)."""
        endpos = len(text) if endpos is None else endpos
        if self.starts is None:
            return self.gate.compiled.search(text, pos, endpos)
        starts, group = self.starts, self.gate.group
        if self.ends is not None and endpos < len(text):
            if _IN_WORD_RE.match(text, endpos - 1) is not None:  # a stretch ending in a word
                return self.gate.compiled.search(text, pos, endpos)
            more = [c for c, q in self.ends if q == endpos]
            if more:
                starts = sorted({*starts, *more})
        for k in range(bisect_left(starts, pos), len(starts)):
            c = starts[k]
            if c >= endpos:
                break
            if (p := group(text[c])) is not None and (m := p.match(text, c, endpos)):
                return m
        return None


class PhraseGate:
    """One lexicon list: its trie pattern (:attr:`pattern`) and an exact, faster way to read it."""

    def __init__(self, tokens_list: list[list[str]], common: frozenset[str] = frozenset()) -> None:
        self.trie: dict = {}
        keys: dict[str, list[int]] = {}
        firsts: dict[str, list[int]] = {}
        self._heads: list[str] = []  # each phrase's opening literal: where a match can start
        # Where a phrase's match can start: at a word among these ("w"), or where this
        # literal stands ("l"), or anywhere (None: an optional opening such as "'em").
        self._opening: list[tuple[str, frozenset[str] | str] | None] = []
        always: list[int] = []
        first_always: list[int] = []
        for i, toks in enumerate(tokens_list):
            node = self.trie
            for t in toks:
                node = node.setdefault(t, {})
            node[""] = {}
            # The key: a word not in ``common`` (stopwords) if there is one, else the longest.
            options = [(r, (r.isdisjoint(common), min(map(len, r))))
                       for r in (_runs(t, False) for t in toks) if r]  # fmt: skip
            if options:
                for run in max(options, key=lambda o: o[1])[0]:
                    keys.setdefault(run, []).append(i)
            else:
                always.append(i)
            self._heads.append(re.split(r"['*]", toks[0])[0])
            opening = _runs(toks[0], True) if toks[0][0].isalnum() else None
            self._opening.append(("w", opening) if opening else ("l", self._heads[-1])
                                 if self._heads[-1] else None)  # fmt: skip
            for run in opening or ():
                firsts.setdefault(run, []).append(i)
            if opening is None:
                first_always.append(i)
        self._branches = self._emit(self.trie, True)
        self.pattern = "(?:" + "|".join(b for _, b in self._branches) + ")"
        self._compiled: re.Pattern[str] | None = None
        self._groups: dict[str, re.Pattern[str] | None] = {}
        self._keys = {k: frozenset(v) for k, v in keys.items()}
        self._keyset = frozenset(keys)
        self._always = frozenset(always)
        self._firsts = frozenset(firsts)
        self._first_always = bool(first_always)
        self._cache: dict[frozenset[str], tuple | None] = {}
        # The compiled scan of this list with others (:func:`compile_gates`), if any.
        self.compiled_lists: CompiledLists | None = None

    def _emit(self, node: dict, first: bool) -> list[tuple[str, str]]:
        """The trie's branches below ``node``, in order, as (first character, pattern):
        joined with "|", the alternation :func:`trie_alt` has always built."""
        alts = []
        for tok, child in sorted(node.items(), key=lambda kv: -len(kv[0])):
            if tok == "":
                continue
            sep = "" if first else (r"\s*" if not tok[0].isalnum() else r"\s+")
            head = (r"\b" if tok[0].isalnum() and first else "") + token_re(tok)
            kids = [b for _, b in self._emit(child, False)] if len(child) > ("" in child) else []
            rest = ["(?:" + "|".join(kids) + ")"] if kids else []
            if "" in child:  # a phrase ends here: at a word's end, if it ends in a word
                rest.append(r"(?![\w’'])" if tok[-1].isalnum() or tok.endswith("*") else "")
            tail = rest[0] if len(rest) == 1 else "(?:" + "|".join(rest) + ")"
            alts.append((tok[0], sep + head + tail))
        return alts

    def _plan(self, words: set[str]) -> tuple | None:
        """(the short words, the literals) where a kept phrase can start, cached by the
        answer's key words; ``(None, None)``: scan; None: nothing can match."""
        hit = self._keyset.intersection(words)
        if not hit and not self._always:
            return None
        key = frozenset(hit)
        try:
            return self._cache[key]
        except KeyError:
            pass
        keep = self._always.union(*(self._keys[k] for k in hit))
        short: set[str] | None = set()
        finds: set[str] | None = set()
        for i in keep:
            opening = self._opening[i]
            if opening is None:  # an optional opening ("'em"): scan
                short = finds = None
                break
            if opening[0] == "l":
                finds.add(opening[1])
                continue
            short.update(opening[1])  # a word: where it stands as a whole word
        out = (None, None) if short is None else (frozenset(short), tuple(sorted(finds)))
        if len(self._cache) >= _CACHE_MAX:
            self._cache.clear()
        self._cache[key] = out
        return out

    @property
    def keys(self) -> frozenset[str]:
        """The words the phrases are keyed by (one per phrase, or two for "don't")."""
        return self._keyset

    def finder(
        self, text: str, words: set[str] | None, short: WordPlaces | None = None
    ) -> Finder | None:
        """A :class:`Finder` for ``text`` (whose words are ``words``; None: found here if
        needed), or None when no phrase of the list can match it. ``short``: the text's
        :class:`WordPlaces`, shared between lists (made here if needed and not given)."""
        if self.compiled_lists is not None:
            found = self.compiled_lists.scan(text)
            if found is not None:
                starts, ends = found[self.compiled_lists.index[id(self)]]
                return Finder(self, starts, ends) if starts or ends else None
        plan = self._plan(words_of(text) if words is None else words)
        if plan is None:
            return None
        shorts, finds = plan
        if finds is None:
            return Finder(self, None)
        found: list[int] = []
        places = short or WordPlaces(text)
        for w in shorts:
            found += places.of(w)
            if len(found) > _MAX_STARTS:
                return Finder(self, None)
        find = text.find
        for h in finds:
            if len(found) > _MAX_STARTS:
                break
            i = find(h)
            while i >= 0:
                found.append(i)
                i = find(h, i + 1)
        if len(found) > _MAX_STARTS:
            return Finder(self, None)
        found.sort()
        return Finder(self, found)

    @property
    def compiled(self) -> re.Pattern[str]:
        """:attr:`pattern`, compiled (once)."""
        if self._compiled is None:
            self._compiled = re.compile(self.pattern)
        return self._compiled

    def group(self, char: str) -> re.Pattern[str] | None:
        """The pattern's first-level branches that can start with ``char``, in order (a
        match of :attr:`pattern` at a position is one of theirs); None if none can."""
        try:
            return self._groups[char]
        except KeyError:
            pass
        alts = [b for c, b in self._branches if c == char or c == "'"]
        out = self._groups[char] = re.compile("(?:" + "|".join(alts) + ")") if alts else None
        return out

    def possible(self, words: set[str]) -> bool:
        """Whether any phrase can match a text of these ``words`` (False: none can)."""
        return bool(self._always) or not self._keyset.isdisjoint(words)

    @property
    def heads(self) -> frozenset[str]:
        """Each phrase's opening letters (before an apostrophe or "*"): every match starts
        with one."""
        return frozenset(self._heads)

    @property
    def first_words(self) -> frozenset[str]:
        """The words a phrase can start with (see :meth:`may_open`)."""
        return self._firsts

    def may_open(self, first_word: str | None) -> bool:
        """Whether a clause whose first word is ``first_word`` can open with one of the
        phrases (False means the ``^``-anchored pattern cannot match)."""
        return self._first_always or first_word in self._firsts


def trie_alt(tokens_list: list[list[str]]) -> str:
    """An alternation of token sequences as a trie: "no way|no idea|nope" becomes
    "no(?:\\s*way|\\s*idea)|nope"-like nesting, so the regex engine tries each
    first word once. Python's ``re`` tries the branches of a flat alternation one
    by one at every position, which made a lexicon of a few hundred phrases read
    at a few MB/s; the trie reads it many times faster."""
    return PhraseGate(tokens_list).pattern


def compile_gates(gates: list[PhraseGate]) -> None:
    """Read ``gates`` with one compiled scan per text from now on
    (:mod:`helpers.stance.phrasematch`: the same matches); without numba, as before."""
    try:
        from helpers.stance.phrasematch import CompiledLists
    except ImportError:  # no numba: each list finds its own starts
        return
    compiled = CompiledLists(gates)
    for gate in gates:
        gate.compiled_lists = compiled
