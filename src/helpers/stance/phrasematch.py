"""The discourse lexicon's lists matched in one compiled pass per answer (numba).

Each list of ``data/stance_lexicon.yaml`` is one trie pattern
(:class:`~helpers.stance.lexgate.PhraseGate`). Reading an answer, the discourse
reader asks about ten lists where they match; before session 14 each list found
its possible starts in Python (key words, whole-word places, literal searches)
and tried its pattern there, about 0.5 ms per answer. Here one compiled pass
over the answer's code points finds, for every list at once, **every position
where the list's pattern matches** (:func:`_scan`), and the pattern itself is
then tried only there (:class:`~helpers.stance.lexgate.Finder`), so the matches
are the pattern's own ``re.Match`` objects.

The kernel walks the same trie the pattern was written from, with the pattern's
pieces read exactly as ``re`` reads them, Unicode classes included (the tables
are built by ``re`` itself over every code point):

- a first token that opens with a letter or digit needs ``\\b`` before it; a
  later one is preceded by ``\\s+`` (one opening with a letter or digit) or
  ``\\s*`` (punctuation, an apostrophe);
- a token's letters are literal; its "'" is ``['’]?`` (either apostrophe, or
  none); a final "*" is ``\\w*``;
- a phrase that ends in a word ends before ``(?![\\w’'])``; one that ends in
  punctuation ends anywhere.

It asks whether *some* path through the trie matches (every ``\\s``, ``\\w`` and
optional apostrophe tried with every length), which is exactly whether the
pattern, an alternation with full backtracking, matches there; the pattern then
says which branch ``re`` prefers. A match that fails only on its closing
look-ahead at position ``q`` is kept as **conditional** on ``q``: the pattern,
searched in a stretch that ends at ``q`` (``search(text, pos, q)``), matches
there, because ``re`` sees the end of the stretch as the end of the text. So
:meth:`~helpers.stance.lexgate.Finder.search` stays exact on any stretch that
does not end inside a word (inside one, the pattern scans, as before).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

import numpy as np
from numba import njit


class HasTrie(Protocol):
    """A list with a token trie (``lexgate.PhraseGate``; not imported: lexgate imports this)."""

    trie: dict


__all__ = ["CompiledLists", "char_classes"]

WORD, SPACE = 1, 2  # bits of the character class table
LITERAL_APOSTROPHE = -1  # "'" in a token: ['’]?
STAR = -2  # a closing "*": \w*
SEP_NONE, SEP_SPACES, SEP_MAYBE = 0, 1, 2  # nothing (first token), \s+, \s*
END_NONE, END_WORD, END_ANY = 0, 1, 2  # no phrase ends here; (?![\w’']); always
_MAX_OUT = 1 << 14  # matches per answer kept (more: the answer is read the old way)
_STACK = 4096  # (node, position) states per start; more: the start is kept, unchecked


@lru_cache(maxsize=1)
def char_classes() -> np.ndarray:
    """For every code point, whether ``re`` reads it as ``\\w`` (bit 1) and ``\\s`` (bit 2)."""
    chars = "".join(map(chr, range(0x110000)))
    table = np.zeros(0x110000, dtype=np.uint8)
    for bit, pattern in ((WORD, r"\w+"), (SPACE, r"\s+")):
        for m in re.finditer(pattern, chars):
            table[m.start() : m.end()] |= bit
    return table


def _token_elements(tok: str) -> list[int]:
    """A token as the kernel reads it: code points, ``LITERAL_APOSTROPHE``, ``STAR``
    (``lexgate.token_re``: "'" is ``['’]?``, a final "*" is ``\\w*``)."""
    body, star = (tok[:-1], True) if tok.endswith("*") else (tok, False)
    out = [LITERAL_APOSTROPHE if ch == "'" else ord(ch) for ch in body]
    return [*out, STAR] if star else out


class CompiledLists:
    """Several lists' tries flattened into arrays for :func:`_scan`."""

    def __init__(self, gates: list[HasTrie]) -> None:
        self.gates = gates
        self.index = {id(g): i for i, g in enumerate(gates)}
        node_e0: list[int] = []
        node_e1: list[int] = []
        node_end: list[int] = []
        edges: list[tuple[int, int, int, int]] = []  # (token, child, sep, \b)
        tokens: dict[str, int] = {}
        elements: list[int] = []
        tok_off: list[int] = []
        roots: list[int] = []

        def token_id(tok: str) -> int:
            if tok not in tokens:
                tokens[tok] = len(tokens)
                tok_off.append(len(elements))
                elements.extend(_token_elements(tok))
            return tokens[tok]

        def add(node: dict, first: bool, end: int) -> int:
            """The node for trie ``node`` (its children in the pattern's order)."""
            k = len(node_e0)
            node_e0.append(0)
            node_e1.append(0)
            node_end.append(end)
            kids = []
            # (The order of the branches is the pattern's, but any order finds whether
            # one matches: the first tokens are sorted by their first element instead,
            # so the kernel looks up those that can open at a character.)
            for tok, child in sorted(node.items(), key=lambda kv: -len(kv[0])):
                if tok == "":
                    continue
                alnum = tok[0].isalnum()
                sep = SEP_NONE if first else (SEP_SPACES if alnum else SEP_MAYBE)
                ends = END_NONE
                if "" in child:
                    ends = END_WORD if tok[-1].isalnum() or tok.endswith("*") else END_ANY
                kids.append((token_id(tok), add(child, False, ends), sep, int(alnum and first)))
            if first:
                kids.sort(key=lambda kid: elements[tok_off[kid[0]]])
            node_e0[k] = len(edges)
            edges.extend(kids)
            node_e1[k] = len(edges)
            return k

        for gate in gates:
            roots.append(add(gate.trie, True, END_NONE))
        tok_off.append(len(elements))
        # For each list and ASCII character, the first tokens opening with it (a range
        # of its root's edges); those opening with an optional apostrophe come first.
        ascii_at = np.zeros((len(gates), 128, 2), dtype=np.int64)
        opening = np.zeros((len(gates), 2), dtype=np.int64)
        heads = np.array([elements[tok_off[t]] for t, _, _, _ in edges] or [0], dtype=np.int64)
        for g, root in enumerate(roots):
            e0, e1 = node_e0[root], node_e1[root]
            firsts = heads[e0:e1]
            opening[g] = e0, e0 + int(np.searchsorted(firsts, 0))
            for ch in range(128):
                ascii_at[g, ch] = e0 + np.searchsorted(firsts, [ch, ch + 1])
        self.ascii_at, self.opening, self.heads = ascii_at, opening, heads
        # Whether a character can open any list's match: one no first token opens with
        # (a space, most letters inside a word) is passed over at once.
        skip = np.zeros(128, dtype=np.uint8)
        if not (opening[:, 1] > opening[:, 0]).any():
            skip[(ascii_at[:, :, 1] == ascii_at[:, :, 0]).all(axis=0)] = 1
        # Inside a word only a first token with no ``\b`` can open (none, in the lexicon).
        inside = any(e[3] == 0 and (heads[k] < 0 or chr(heads[k]).isalnum() or heads[k] == 95)
                     for r in roots for k, e in enumerate(edges[node_e0[r] : node_e1[r]],
                                                          node_e0[r]))  # fmt: skip
        self.skip, self.inside = skip, inside
        # How many of each token's first elements are literal characters (checked in
        # place before a first token is tried).
        literal = [0] * len(tokens)
        for t in range(len(tokens)):
            while (tok_off[t] + literal[t] < tok_off[t + 1]
                   and elements[tok_off[t] + literal[t]] >= 0):  # fmt: skip
                literal[t] += 1
        self.literal = np.array(literal or [0], dtype=np.int64)
        i64 = np.int64
        self.roots = np.array(roots, dtype=i64)
        self.node_e0 = np.array(node_e0, dtype=i64)
        self.node_e1 = np.array(node_e1, dtype=i64)
        self.node_end = np.array(node_end, dtype=i64)
        self.edges = np.array(edges, dtype=i64).reshape(-1, 4)
        self.tok_off = np.array(tok_off, dtype=i64)
        self.elements = np.array(elements, dtype=i64)
        self._last: list[tuple[str, list | None]] = []  # the last two texts scanned
        self._classes = char_classes()

    def scan(self, text: str) -> list[tuple[list[int], list[tuple[int, int]]]] | None:
        """For each list: the starts where its pattern matches ``text``, and the
        conditional ones (start, the end of stretch they need); None if the answer is
        too rich in matches to keep (then the lists are read the old way)."""
        for last in self._last:  # the answer, and its first sentence (``no_position``)
            if last[0] == text:
                return last[1]
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        # Fresh buffers per scan (threads may scan at once: the kernel releases the GIL).
        out = np.empty((_MAX_OUT, 3), dtype=np.int64)
        stack = np.empty((_STACK + 128, 2), dtype=np.int64)
        n = _scan(codes, self._classes, self.roots, self.node_e0, self.node_e1, self.node_end,
                  self.edges, self.tok_off, self.elements, self.ascii_at, self.opening,
                  self.heads, self.literal, self.skip, self.inside, out, stack)  # fmt: skip
        if n < 0:
            found = None
        else:
            found = [([], []) for _ in self.gates]
            for g, c, q in out[:n].tolist():
                if q < 0:
                    found[g][0].append(c)
                else:
                    found[g][1].append((c, q))
        self._last = [(text, found), *self._last[:1]]
        return found


_jit = njit(cache=True, nogil=True)


@_jit
def _is_apostrophe(c):  # pragma: no cover - compiled
    return c == 0x27 or c == 0x2019


@_jit
def _token_ends(codes, cls, n, p, elements, e0, e1, buf, tmp):  # pragma: no cover - compiled
    """Every position where the token ``elements[e0:e1]`` can end when read from ``p``
    (into ``buf``; their number is returned, or -1 if there are too many to keep)."""
    buf[0] = p
    k = 1
    for j in range(e0, e1):
        el = elements[j]
        m = 0
        if el >= 0:
            for i in range(k):
                q = buf[i]
                if q < n and codes[q] == el:
                    tmp[m] = q + 1
                    m += 1
        elif el == LITERAL_APOSTROPHE:
            for i in range(k):
                q = buf[i]
                if m + 2 > tmp.shape[0]:
                    return -1
                tmp[m] = q
                m += 1
                if q < n and _is_apostrophe(codes[q]):
                    tmp[m] = q + 1
                    m += 1
        else:  # STAR: \w* of every length
            for i in range(k):
                q = buf[i]
                while True:
                    if m >= tmp.shape[0]:
                        return -1
                    tmp[m] = q
                    m += 1
                    if q < n and (cls[codes[q]] & WORD):
                        q += 1
                    else:
                        break
        if m == 0:
            return 0
        for i in range(m):
            buf[i] = tmp[i]
        k = m
    return k


@_jit
def _scan(codes, cls, roots, node_e0, node_e1, node_end, edges, tok_off, elements, ascii_at,
          opening, heads, literal, skip, inside, out, stack):  # pragma: no cover - compiled  # fmt: skip
    """Every (list, start, -1) where a list's pattern matches, and (list, start, q) where
    it matches in a text that ends at ``q``; the count, or -1 if ``out`` is full."""
    n = codes.shape[0]
    n_out = 0
    stack_node = stack[:_STACK, 0]
    stack_pos = stack[:_STACK, 1]
    buf = stack[_STACK : _STACK + 64, 0]
    tmp = stack[_STACK + 64 : _STACK + 128, 0]
    for c in range(n):
        here = codes[c]
        word_here = (cls[here] & WORD) != 0
        boundary = word_here and (c == 0 or (cls[codes[c - 1]] & WORD) == 0)
        if (word_here and not boundary and not inside) or (here < 128 and skip[here]):
            continue
        for g in range(roots.shape[0]):
            root = roots[g]
            top = 0
            matched = False
            # The first tokens that can open here: those opening with an optional
            # apostrophe, and those opening with ``here``.
            if here < 128:
                a = ascii_at[g, here, 0]
                b = ascii_at[g, here, 1]
            else:
                a = np.searchsorted(heads[opening[g, 1] : node_e1[root]], here) + opening[g, 1]
                b = a
                while b < node_e1[root] and heads[b] == here:
                    b += 1
            n_open = opening[g, 1] - opening[g, 0]
            for j in range(n_open + b - a):
                e = opening[g, 0] + j if j < n_open else a + j - n_open
                if edges[e, 3] == 1 and not boundary:
                    continue
                t = edges[e, 0]
                k = tok_off[t]
                m = literal[t]
                if c + m > n:
                    continue
                i = 1
                while i < m and codes[c + i] == elements[k + i]:
                    i += 1
                if i < m:
                    continue
                if top < _STACK:
                    stack_node[top] = e
                    stack_pos[top] = c
                    top += 1
                else:
                    matched = True
            # Depth first over (edge, position before its separator) states.
            while top > 0 and not matched:
                top -= 1
                e = stack_node[top]
                p = stack_pos[top]
                sep = edges[e, 2]
                if sep == SEP_SPACES:
                    if p >= n or (cls[codes[p]] & SPACE) == 0:
                        continue
                    p += 1
                if sep != SEP_NONE:  # \s* (or the rest of \s+): every length
                    q = p
                    while q < n and (cls[codes[q]] & SPACE) != 0:
                        q += 1
                    lo = p
                    hi = q
                else:
                    lo = p
                    hi = p
                t = edges[e, 0]
                child = edges[e, 1]
                for s in range(lo, hi + 1):
                    k = _token_ends(codes, cls, n, s, elements, tok_off[t], tok_off[t + 1],
                                    buf, tmp)  # fmt: skip
                    if k < 0:  # too many ways to read it: kept, for the pattern to decide
                        matched = True
                        break
                    for i in range(k):
                        q = buf[i]
                        end = node_end[child]
                        if end == END_ANY:
                            matched = True
                        elif end == END_WORD:
                            if q >= n or not ((cls[codes[q]] & WORD) or _is_apostrophe(codes[q])):
                                matched = True
                            elif n_out < out.shape[0]:
                                out[n_out, 0] = g
                                out[n_out, 1] = c
                                out[n_out, 2] = q
                                n_out += 1
                            else:
                                return -1
                        if matched:
                            break
                        for e2 in range(node_e0[child], node_e1[child]):
                            if top < _STACK:
                                stack_node[top] = e2
                                stack_pos[top] = q
                                top += 1
                            else:
                                matched = True
                    if matched:
                        break
            if matched:
                if n_out >= out.shape[0]:
                    return -1
                out[n_out, 0] = g
                out[n_out, 1] = c
                out[n_out, 2] = -1
                n_out += 1
    return n_out
