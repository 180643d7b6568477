"""Finding a gold answer in the text ingest produced, and measuring overlaps in characters.

Ingest normalises what it reads (quotes, dashes, spaces, hyphenated line
breaks in PDFs, paragraphs rejoined), so a gold text is rarely a substring of
``respondents.text``. Both are reduced to a *skeleton*: their letters and
digits only, NFKC-normalised and case-folded, with a map from each skeleton
character back to its offset in the original. Whitespace, punctuation, quote
and dash styles, soft hyphens and line-break hyphens then cannot matter, and
a skeleton span maps back to original offsets exactly.

A gold text is located by an exact skeleton match (the first at or after the
previous answer's end, else anywhere; one on word boundaries first, so a gold
"No" is not found inside "open only"), else by a fuzzy alignment
(``rapidfuzz.fuzz.partial_ratio_alignment``, score >= 85) for text a reader
changed a little (a dropped word, a ligature). All overlaps ("coverage") are
counted in skeleton characters, so "90% covered" means 90% of the answer's
letters and digits.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

from helpers.core import schemas

__all__ = [
    "FUZZY_MIN_SCORE",
    "Located",
    "Skeleton",
    "furniture_ranges",
    "locate",
    "overlap",
    "merge",
]

FUZZY_MIN_SCORE = 85.0
Range = tuple[int, int]  # [start, end) in skeleton characters

_OPTION_LABELS = sorted(
    (re.escape(v) for k, v in schemas.STANCE_LABELS.items() if k != "not_answered"),
    key=len,
    reverse=True,
)
# A tick-box option line of a form: "☒ Agree", "☐ Strongly disagree", "Agree X", "[x] Agree".
_OPTION_LINE = re.compile(
    r"\s*(?:[-•]\s*)?(?:[☒☐☑✓✔✗✘]|\[[ xX]?\]|\([ xX]?\))?\s*(?:"
    + "|".join(_OPTION_LABELS)
    + r")\s*(?:[xX✓✔]|\[[ xX]?\])?\s*",
    re.IGNORECASE,
)
# A boxed option run into the text after it ("☐ Strongly disagree its a good idea"):
# ingest joins a paragraph that continues in lower case onto the line before.
_BOXED_OPTION = re.compile(r"\s*[☒☐☑]\s*(?:" + "|".join(_OPTION_LABELS) + r")\b", re.IGNORECASE)


class Skeleton:
    """The letters and digits of a text (folded) with each one's offset in the original."""

    def __init__(self, text: str) -> None:
        chars: list[str] = []
        index: list[int] = []
        for i, ch in enumerate(text):
            folded = (
                unicodedata.normalize("NFKC", ch).casefold() if not ch.isascii() else ch.lower()
            )
            for c in folded:
                if c.isalnum():
                    chars.append(c)
                    index.append(i)
        self.text = text
        self.chars = "".join(chars)
        self.index = index

    def __len__(self) -> int:
        return len(self.chars)

    def range_of(self, start: int, end: int) -> Range:
        """The skeleton range of the original span ``[start, end)``."""
        return bisect.bisect_left(self.index, start), bisect.bisect_left(self.index, end)

    def span_of(self, r: Range) -> tuple[int, int]:
        """The original span of skeleton range ``r`` (empty range → an empty span)."""
        if r[1] <= r[0]:
            pos = self.index[r[0]] if r[0] < len(self.index) else len(self.text)
            return pos, pos
        return self.index[r[0]], self.index[r[1] - 1] + 1


@dataclass(frozen=True)
class Located:
    range: Range | None  # None: not found
    method: str  # exact, fuzzy, missing, empty
    score: float = 100.0


def fold(text: str) -> str:
    return Skeleton(text).chars


def _find_word(doc: Skeleton, needle: str, after: int) -> int:
    """The first skeleton match at or after ``after`` that starts and ends on word boundaries.

    A short gold answer ("No") also matches inside a word of the question
    printed before it ("open only" folds to "openonly"); a match whose first
    and last characters are not inside longer words in the original text is
    the answer itself. -1 when there is none (the caller then takes any match).
    """
    pos = doc.chars.find(needle, after)
    while pos >= 0:
        start, end = doc.index[pos], doc.index[pos + len(needle) - 1] + 1
        if not (start > 0 and doc.text[start - 1].isalnum()) and not (
            end < len(doc.text) and doc.text[end].isalnum()
        ):
            return pos
        pos = doc.chars.find(needle, pos + 1)
    return -1


def locate(gold_text: str, doc: Skeleton, after: int = 0) -> Located:
    """Where ``gold_text`` lies in ``doc`` (skeleton range), searching from ``after`` first."""
    needle = fold(gold_text)
    if not needle:
        return Located(None, "empty", 0.0)
    finders = (
        lambda: _find_word(doc, needle, after),
        lambda: _find_word(doc, needle, 0),
        lambda: doc.chars.find(needle, after),
        lambda: doc.chars.find(needle),
    )
    for find in finders:
        if (pos := find()) >= 0:
            return Located((pos, pos + len(needle)), "exact")
    from rapidfuzz import fuzz

    hit = fuzz.partial_ratio_alignment(needle, doc.chars, score_cutoff=FUZZY_MIN_SCORE)
    if hit is None or hit.dest_end <= hit.dest_start:
        return Located(None, "missing", 0.0 if hit is None else hit.score)
    return Located((hit.dest_start, hit.dest_end), "fuzzy", hit.score)


def merge(ranges: list[Range]) -> list[Range]:
    """Sorted, non-overlapping union of ``ranges`` (empty ones dropped)."""
    out: list[Range] = []
    for s, e in sorted(r for r in ranges if r[1] > r[0]):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def overlap(a: list[Range], b: list[Range]) -> int:
    """Characters in both unions (each list merged first)."""
    a, b = merge(a), merge(b)
    total = i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        total += max(0, hi - lo)
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def size(ranges: list[Range]) -> int:
    return sum(e - s for s, e in merge(ranges))


def subtract(a: list[Range], b: list[Range]) -> list[Range]:
    """``a`` without the characters of ``b``."""
    out: list[Range] = []
    b = merge(b)
    for s, e in merge(a):
        cur = s
        for bs, be in b:
            if be <= cur or bs >= e:
                continue
            if bs > cur:
                out.append((cur, bs))
            cur = max(cur, be)
        if cur < e:
            out.append((cur, e))
    return out


def furniture_ranges(doc: Skeleton, start: int, end: int) -> list[Range]:
    """Skeleton ranges of tick-box option lines ("☒ Agree") inside the original span.

    A form prints the five options of a closed question in the answer cell;
    they are the form's words, not the respondent's, so a system answer that
    includes them is not penalised for it (nor are they gold text).
    """
    out = []
    pos = start
    for line in doc.text[start:end].split("\n"):
        if len(line) < 60 and _OPTION_LINE.fullmatch(line):
            out.append(doc.range_of(pos, pos + len(line)))
        elif m := _BOXED_OPTION.match(line):
            out.append(doc.range_of(pos, pos + m.end()))
        pos += len(line) + 1
    return out
