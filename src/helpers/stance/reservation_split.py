"""Two general readings beside the learned reservation finder (session 21, issue 13).

**The writer's own split is a qualified position.** "I'm about 70/30 in favour",
"60/40 against, if I'm honest", "Put me down as 90% yes. The other 10% is worry …",
"I'm 80% for it": the writer takes a side and, in the same breath, says part of them
is on the other. The gold conventions count a qualification of the position taken as a
reservation, and such a split is one — whatever words carry it, so the finder's n-grams
(numbers hash to nothing general) never learn it. Read here as grammar, not vocabulary:

- a pair of shares that add up to a hundred and differ ("70/30", "60-40", "40:60"),
  each at least 5 — "50/50" is no side at all (``neither``), not a qualified one;
- or one share of 5–95 % other than 50 ("90%", "70 per cent", "seventy percent") in a
  sentence the writer speaks in the first person singular ("I", "me", "my") or that opens
  with the share ("70% sure January is too early.", "Maybe 40% of me says go").

Not read: a score out of ten ("7/10 – a trial's the sensible way" takes a side plainly),
"100%" (emphasis), others' counts ("Our survey found 78 percent …", "The residents'
survey said 60% in favour", "62% agreed, 21% disagreed": no singular first person, not
opening the sentence), "fifty-fifty".

Session 22: the shares and pairs are read by the stance's own grammar
(:func:`helpers.stance.shares.own_shares`, :func:`~helpers.stance.shares.share_pairs`), so
the two readers of a share agree: a sentence that counts others ("38% of care leavers are
…", "61% of households opposed it", "About 40% of our patients …") holds no share of the
writer, and "opens with the share" means the share itself opens the sentence (a number
earlier in it, "Route 12 … fallen to 71%", is not the share).

**Markdown emphasis is read as the words it marks.** "A trial is fine – _provided_ you
publish the results": the underscores glue onto the word ("_provided_" is one ``\\w`` run),
so no phrase or n-gram finds "provided". :func:`plain` drops ``*``, ``**``, ``_``, ``__``
around words and strike-through (``~~agree~~``: what the writer struck out is not said).
"""

from __future__ import annotations

import re

from helpers.stance.shares import own_shares, share_pairs

__all__ = ["own_split", "plain"]

# Strike-through first (its words go), then emphasis markers next to a word.
_STRUCK_RE = re.compile(r"~~[^~\n]{1,80}~~")
# Markers next to a letter or digit ("_" itself is no letter: "snake_case", "__ _" stay).
_EMPH_RE = re.compile(
    r"(?<![^\W_]|[*_])(\*{1,2}|_{1,2})(?=[^\W_])|(?<=[^\W_])(\*{1,2}|_{1,2})(?![^\W_]|[*_])"
)
_FIRST_PERSON_RE = re.compile(r"\b(?:i|i'm|i’m|me|my|myself)\b")
# A share opening the sentence, after at most one hedging word ("Maybe 40% …", "About 70/30").
_OPENING_RE = re.compile(r"\W*(?:[a-z]+\s)?")


def plain(text: str) -> str:
    """``text`` without Markdown emphasis markers or struck-out words (see module)."""
    if "~~" not in text and "*" not in text and "_" not in text:
        return text
    return _EMPH_RE.sub("", _STRUCK_RE.sub("", text))


def _is_split(low: str) -> bool:
    for a, b in share_pairs(low):
        if a + b == 100 and a != b and min(a, b) >= 5:
            return True
    for n, start in own_shares(low):
        if (
            5 <= n <= 95
            and n != 50
            and (_FIRST_PERSON_RE.search(low) or _OPENING_RE.fullmatch(low[:start]))
        ):
            return True
    return False


def own_split(texts: list[str]) -> int | None:
    """The index of the first sentence of ``texts`` stating the writer's own split of
    a position (see module), or None."""
    for k, t in enumerate(texts):
        low = plain(t).lower()
        if ("cent" in low or any(ch.isdigit() for ch in low)) and _is_split(low):
            return k
    return None
