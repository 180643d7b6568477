"""The discourse lexicon's phrase patterns, and exact shortcuts that skip most of their work.

Each list of ``data/stance_lexicon.yaml`` is one regular expression: the
phrases as a trie of whole words (:func:`trie_alt`). Python's ``re`` tries such
an alternation at every character of the answer, with no literal to skip
ahead to (each branch opens with ``\\b``), so a list of a few hundred phrases
reads at a few MB/s. :class:`PhraseGate` keeps the pattern and adds two exact
shortcuts:

- **Required words.** A phrase can only match an answer whose words (maximal
  runs of ``\\w``) include one word of the phrase: "long overdue" needs the
  word "overdue", "don't know" needs "don" (with an apostrophe) or "dont"
  (without). Each phrase is keyed by its longest such word (a proxy for its
  rarest); :meth:`PhraseGate.pruned` compiles the pattern with only the
  phrases whose key is among the answer's words, in the original trie's order.
  An alternative that cannot match anywhere in the text never decides a match,
  so the pruned pattern finds exactly what the full one finds. Phrases with no
  plain word (only "ridicul*"-style stems or punctuation) are always kept.
- **A literal to skip to.** In the pruned pattern each first word opens with
  its first letter then ``(?<!\\w.)`` (the same test as ``\\b`` before a
  letter), so ``re`` gets a set of first letters and scans for them in C
  instead of trying the pattern at every position.

The same keys answer "can this list open this clause?" for the ``^``-anchored
opener patterns (:meth:`PhraseGate.may_open`): only if the clause's first word
is the first word of one of its phrases.
"""

from __future__ import annotations

import re
from bisect import bisect_left

__all__ = ["PhraseGate", "phrase_tokens", "trie_alt", "words_of"]

_TOKEN_RE = re.compile(r"[\w’'-]+\*?|[^\w\s]")
_RUN_RE = re.compile(r"\w+")
_PLAIN_RE = re.compile(r"[^\W_]+")  # letters and digits only: a whole \w run in any match
_CACHE_MAX = 8192
_MAX_STARTS = 40  # more places to try than this: scan with the pattern instead
_SHORT = 2  # words this short ("no", "a") are looked up where they stand as words
_SHORT_RE = re.compile(r"\b\w{1,2}\b")


def words_of(text: str) -> set[str]:
    """The maximal runs of ``\\w`` in ``text``: what :meth:`PhraseGate.pruned` needs."""
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


class ShortWords:
    """Where each word of one or two characters stands in a text (computed once, on
    first use, for all the lists read on that text)."""

    __slots__ = ("_at", "text")

    def __init__(self, text: str) -> None:
        self.text, self._at = text, None

    def positions(self) -> dict[str, list[int]]:
        if self._at is None:
            at: dict[str, list[int]] = {}
            for m in _SHORT_RE.finditer(self.text):
                at.setdefault(m.group(), []).append(m.start())
            self._at = at
        return self._at


class Finder:
    """A pruned pattern and where in one text its matches can start (``starts`` None:
    too many to try one by one, so the pattern scans the text)."""

    __slots__ = ("pattern", "starts")

    def __init__(self, pattern: re.Pattern[str], starts: list[int] | None) -> None:
        self.pattern, self.starts = pattern, starts

    def finditer(self, text: str) -> list[re.Match[str]]:
        """The matches of ``pattern.finditer(text)`` (of the full list's pattern, too)."""
        if self.starts is None:
            return list(self.pattern.finditer(text))
        out, pos, match = [], 0, self.pattern.match
        for c in self.starts:
            if c >= pos and (m := match(text, c)) is not None:
                out.append(m)
                pos = m.end()  # (no phrase is empty, so no empty match)
        return out

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """``pattern.search(text, pos, endpos)``, for a stretch that starts and ends
        between words (a clause, a sentence)."""
        endpos = len(text) if endpos is None else endpos
        if self.starts is None:
            return self.pattern.search(text, pos, endpos)
        starts = self.starts
        for k in range(bisect_left(starts, pos), len(starts)):
            c = starts[k]
            if c >= endpos:
                break
            if (m := self.pattern.match(text, c, endpos)) is not None:
                return m
        return None


class PhraseGate:
    """One lexicon list: its trie pattern (:attr:`pattern`) and exact pruned copies."""

    def __init__(self, tokens_list: list[list[str]], common: frozenset[str] = frozenset()) -> None:
        self.trie: dict = {}
        self._through: dict[int, set[int]] = {}  # id(node) -> phrases through it
        self._ends: dict[int, set[int]] = {}  # id(node) -> phrases ending at it
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
                self._through.setdefault(id(node), set()).add(i)
            node[""] = {}
            self._ends.setdefault(id(node), set()).add(i)
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
        self.pattern = self._emit(self.trie, True, None, False)
        self._keys = {k: frozenset(v) for k, v in keys.items()}
        self._keyset = frozenset(keys)
        self._always = frozenset(always)
        self._firsts = frozenset(firsts)
        self._first_always = bool(first_always)
        self._cache: dict[frozenset[str], tuple | None] = {}

    def _emit(self, node: dict, first: bool, keep: frozenset[int] | None, skip: bool) -> str:
        """The trie as an alternation (``keep``: only these phrases; ``skip``: first
        letters before their ``\\b`` test, so ``re`` can scan for them)."""

        def kept(child: dict) -> bool:
            return keep is None or not keep.isdisjoint(self._through.get(id(child), ()))

        alts = []
        for tok, child in sorted(node.items(), key=lambda kv: -len(kv[0])):
            if tok == "" or not kept(child):
                continue
            sep = "" if first else (r"\s*" if not tok[0].isalnum() else r"\s+")
            if first and tok[0].isalnum():
                body = token_re(tok)
                head = tok[0] + r"(?<!\w.)" + body[1:] if skip else r"\b" + body
            else:
                head = token_re(tok)
            kids = any(k != "" and kept(c) for k, c in child.items())
            ends = "" in child and (keep is None or not keep.isdisjoint(self._ends[id(child)]))
            rest = [self._emit(child, False, keep, skip)] if kids else []
            if ends:  # a phrase ends here: at a word's end, if it ends in a word
                rest.append(r"(?![\w’'])" if tok[-1].isalnum() or tok.endswith("*") else "")
            tail = rest[0] if len(rest) == 1 else "(?:" + "|".join(rest) + ")"
            alts.append(sep + head + tail)
        return "(?:" + "|".join(alts) + ")"

    def _plan(self, words: set[str]) -> tuple | None:
        """(pruned pattern, the same with first letters to scan for, the kept phrases'
        opening literals), cached by the answer's key words; None if nothing can match."""
        hit = self._keyset.intersection(words)
        if not hit and not self._always:
            return None
        key = frozenset(hit)
        try:
            return self._cache[key]
        except KeyError:
            pass
        keep = self._always.union(*(self._keys[k] for k in hit))
        out = None
        if keep:
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
                for run in opening[1]:  # short words from the text's index, others by find
                    (short if len(run) <= _SHORT else finds).add(run)
            out = (re.compile(self._emit(self.trie, True, keep, False)),
                   re.compile(self._emit(self.trie, True, keep, True)),
                   None if short is None else frozenset(short),
                   None if finds is None else tuple(sorted(finds)))  # fmt: skip
        if len(self._cache) >= _CACHE_MAX:
            self._cache.clear()
        self._cache[key] = out
        return out

    @property
    def keys(self) -> frozenset[str]:
        """The words the phrases are keyed by (one per phrase, or two for "don't")."""
        return self._keyset

    def pruned(self, words: set[str]) -> re.Pattern[str] | None:
        """The pattern restricted to the phrases that ``words`` allows; None when no
        phrase can match. ``words`` is any superset of the :attr:`keys` that stand as
        whole words in the text (:func:`words_of`, or the keys found as substrings).
        Same matches as :attr:`pattern` on that text, and on any stretch of it that
        starts and ends between words."""
        plan = self._plan(words)
        return None if plan is None else plan[1]

    def finder(self, text: str, words: set[str], short: ShortWords | None = None) -> Finder | None:
        """A :class:`Finder` for ``text`` (whose words are ``words``), or None when no
        phrase of the list can match it. ``short``: the text's :class:`ShortWords`,
        shared between lists (made here if needed and not given)."""
        plan = self._plan(words)
        if plan is None:
            return None
        pattern, scanning, shorts, finds = plan
        if finds is None:
            return Finder(scanning, None)
        found: list[int] = []
        if shorts:
            at = (short or ShortWords(text)).positions()
            for w in shorts.intersection(at):
                found += at[w]
        find = text.find
        for h in finds:
            if len(found) > _MAX_STARTS:
                break
            i = find(h)
            while i >= 0:
                found.append(i)
                i = find(h, i + 1)
        if len(found) > _MAX_STARTS:
            return Finder(scanning, None)
        found.sort()
        return Finder(pattern, found)

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
