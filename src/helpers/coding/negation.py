"""Negation: whether a negator in the words before a match dismisses its topic.

"We do not think housing is the issue" must not count as raising housing.
The word lists are tables, read by the pure-Python check here and, as hash
sets, by the compiled engine (``engine.negation``); docs/coding.md states the
rules in prose.
"""

from __future__ import annotations

import re

from helpers.coding.patterns import _TOKEN_RE

# Clause boundaries that stop the negation look-back.
_CLAUSE_PUNCT_RE = re.compile(r"[,;:()\[\]\u2013\u2014!?]")
_CLAUSE_WORDS = frozenset({"but", "however", "although", "though", "whereas", "yet", "except"})
NEGATORS = frozenset(
    {"not", "never", "neither", "nor", "cannot", "dont", "doesnt", "didnt", "isnt", "arent", "wont"}
)
# "no" negates only as "no need/reason/..." ('there is no housing' raises housing).
# "No view(s) / opinion(s) on X" declines to discuss X, so it dismisses X too (session 7:
# 3 wrong codes fewer over the 19 spent sets, no right one lost; "no housing" still raises).
_NO_NEGATES_BEFORE = frozenset(
    {"need", "reason", "evidence", "requirement", "benefit", "point", "case",
     "view", "views", "opinion", "opinions"}
)  # fmt: skip
# A negator followed by one of these does not dismiss the topic: "not only", "not
# limited to", and unmet needs ("do not have access", "are not able to get") which
# raise it.
NEGATION_EXCEPTIONS = frozenset(
    {
        "only", "just", "least", "limited", "merely", "simply", "mention",
        "have", "has", "had", "having", "get", "getting", "got", "receive", "receiving",
        "received", "given", "enough", "sufficient", "sufficiently", "adequate",
        "adequately", "always", "yet", "able", "been", "being", "sure", "in",
    }
)  # fmt: skip
# Any token that could start a negation, to skip the full check cheaply.
# The lookahead on the alternatives' first letters lets the regex engine skip other
# positions quickly (same matches; about a third faster on 80-character windows).
_NEGATOR_HINT_RE = re.compile(
    "(?=[" + "".join(sorted({w[0] for w in NEGATORS | {"no", "n't"}})) + "])"
    r"(?:\b(?:" + "|".join(sorted(NEGATORS)) + r"|no)\b|n't\b)"
)
NEGATION_WINDOW = 5  # words looked back within the clause


def negated(norm: str, clause_lo: int, pos: int, negation_window: int) -> bool:
    """Whether a negator governs the word at ``pos`` of the normalised text ``norm``
    (look back at most ``negation_window`` words within its clause, which starts at
    ``clause_lo`` or later)."""
    window_lo = max(clause_lo, pos - 80)
    if _NEGATOR_HINT_RE.search(norm, window_lo, pos) is None:
        return False  # the common case: no negator anywhere near
    while window_lo < pos and window_lo > clause_lo and norm[window_lo - 1].isalnum():
        window_lo += 1  # do not read the tail of a cut word as a word
    before = norm[window_lo:pos]
    # Start after the last clause boundary.
    cut = 0
    for m in _CLAUSE_PUNCT_RE.finditer(before):
        cut = m.end()
    toks = _TOKEN_RE.findall(before, cut)
    for i in range(len(toks) - 1, -1, -1):
        if toks[i] in _CLAUSE_WORDS:
            toks = toks[i + 1 :]
            break
    toks = toks[-negation_window:]
    following = [*toks[1:], _TOKEN_RE.match(norm, pos).group()]
    for i, tok in enumerate(toks):
        nxt = following[i]
        if tok == "no":
            if nxt in _NO_NEGATES_BEFORE:
                return True
            continue
        if tok in NEGATORS or tok.endswith("n't"):
            if nxt in NEGATION_EXCEPTIONS:
                continue
            if nxt == "to" and following[i + 1 : i + 2] == ["mention"]:
                continue  # "not to mention"
            if tok == "not" and i > 0 and toks[i - 1] in ("or", "if"):
                continue  # "whether or not", "if not"
            return True
    return False
