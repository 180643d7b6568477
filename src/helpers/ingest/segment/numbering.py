"""The number a heading gives its question: "Q1)", "Question two", "Second question", "(iv)"...

A line may open with a question number in many styles (data in
``helpers/data/heading_words.yaml``, generic English words only):

- *question numbering* (strong evidence): a question word and a number —
  ``Q1``, ``Q.1``, ``Q 1``, ``Question 1:``, ``Question No. 2``,
  ``Question two``, ``Question IV``, ``QII`` — optionally after a lead-in
  (``Our response to question 3``, ``In answer to question 4``,
  ``Re: Q5``); an answer word and a number (``Answer 1``, ``Response 2 -``);
  an ordinal and the word question (``First question``, ``1st question``,
  ``Our answer to the fourth question``, ``Question the third``);
- *bare numbering* (weak: lists inside answers look the same): ``1.``,
  ``1)``, ``(1)``, ``4 -``, ``4 –``, ``4:``, ``4/``, and roman numerals ``ii.``,
  ``(iv)``, ``IV -``, ``iv)``.

A number must be followed by punctuation, a bracketed label
(``Q3 (timing)``) or the end of the line to be heading-shaped; a question
number followed straight by words (``Q1 is where we…``, ``Regarding
question 3, we…``) is *prose*, weak evidence. Roman numerals need
punctuation after them and a non-letter after that, so "I think" and
"i.e." are never numbers. Everything here is one regular-expression match
at the start of a line: linear in the line's length.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml

DATA_FILE = "heading_words.yaml"  # in helpers/data/


@dataclass(frozen=True)
class Numbering:
    """A question number read at the start of a line."""

    number: int
    kind: str  # "q" (question numbering) or "bare"
    family: str  # "digit", "roman" or "word": bare lists restart within a family
    end: int  # offset after the number and any punctuation and spaces
    prose: bool  # no punctuation after the number, words follow ("Q1 is…")
    standalone: bool  # nothing but punctuation after the number on its line
    total: int | None = None  # "Step 2 of 6": the 6 (see ``headings.number_index``)


@dataclass(frozen=True)
class HeadingWords:
    number_words: dict[str, int]
    ordinals: dict[str, int]
    section_titles: frozenset[str]
    reply_words: frozenset[str]
    q_re: re.Pattern[str]
    ordinal_re: re.Pattern[str]
    bare_re: re.Pattern[str]
    reference_re: re.Pattern[str]  # a reference lead-in ("On", "Regarding"), then spaces
    inline_re: re.Pattern[str]  # spaces before a numbered heading that follows a sentence
    of_re: re.Pattern[str]  # "Step 2 of 6", "Item 1 of 5", "1 of 5"
    form_tag_re: re.Pattern[str]  # "(required)" after a form's question label, to line end


def _alternation(words) -> str:
    """Longest first, so "questions" is tried before "question"."""
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )


_ROMAN = r"(?=[ivxIVX])(?:x{0,3}(?:ix|iv|v?i{0,3})|X{0,3}(?:IX|IV|V?I{0,3}))"


@functools.cache
def heading_words() -> HeadingWords:
    """The package's heading words, with the regular expressions built from them."""
    raw = yaml.safe_load(
        resources.files("helpers").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    )
    qw = _alternation(raw["question_words"])
    aw = _alternation(raw["answer_words"])
    lead = _alternation(raw["lead_ins"])
    sign = _alternation(raw["number_signs"])
    nw = {k.lower(): int(v) for k, v in raw["number_words"].items()}
    od = {k.lower(): int(v) for k, v in raw["ordinals"].items()}
    # Digits may carry a part letter ("Q2a", "Q2(b)"): the answer goes under question 2.
    digits = r"\d{1,2}(?!\d)(?:[a-h](?![a-z])|\([a-h]\))?"
    num = rf"(?P<num>{digits}|(?:{_alternation(nw)})(?![a-z])|{_ROMAN}(?![a-zA-Z]))"
    det = _alternation(raw.get("determiners") or ["the"])
    lead_part = rf"(?:(?:{lead})\b\s*[:\-–—]?\s*)?"
    # "Re your Q.2", "Answer for the question one": a determiner before a question word and
    # its number only ("Regarding your first question, …" stays a letter's reference).
    det_part = rf"(?:(?:{lead})\b\s*[:\-–—]?\s*(?:(?:{det})\s+)?)?"
    q_re = re.compile(
        rf"{det_part}(?:(?P<qw>{qw})|(?P<aw>{aw})\b)(?P<sep>\s*\.?\s*)(?:(?:{sign})\s*)?{num}",
        re.I,
    )
    ords = rf"(?:{_alternation(od)})|\d{{1,2}}(?:st|nd|rd|th)"
    ordinal_re = re.compile(
        rf"{lead_part}(?:the\s+)?(?P<ord>{ords})\s+questions?\b|questions?\s+the\s+(?P<ord2>{ords})\b",
        re.I,
    )
    bare_re = re.compile(
        rf"\((?P<p>\d{{1,2}}|{_ROMAN})\)"
        # "[1] The proposal", "#1 Who I am", "§ 1 – Scope": a sign marks the number
        rf"|\[(?P<b>\d{{1,2}}|{_ROMAN})\][.:)]?(?:[ \t]*[\-–—](?=\s|$))?"
        rf"|[#§№][ \t]*(?P<s>\d{{1,2}})(?!\d|[.,:/]\d)[.:)]?(?:[ \t]*[\-–—](?=\s|$))?"
        # "a)", "(b)", "c." and "A)": answers lettered in the questions' order
        rf"|\((?P<lp>[a-hA-H])\)(?=\s|$)|(?P<l>[a-h])[.)](?=\s|$)|(?P<lu>[A-H])\)(?=\s|$)"
        rf"|(?P<d>\d{{1,2}})(?:[.)](?!\d)|\s*[:\-–—/](?=\s|$))"
        rf"|(?P<r>{_ROMAN})(?:[.)](?![\w.])|\s*[:\-–—](?=\s|$))"
    )
    # A numbered heading run into the previous sentence, as when PDF lines are joined.
    inline_re = re.compile(
        rf"(?<=[.!?:;\"”’)])[ \t]+(?=(?i:{qw}|{aw})\.?[ \t]*"
        rf"(?:\d{{1,2}}|(?i:{_alternation(nw)})|[IVX]{{1,5}})[ \t]*[).:\-–—])"
        # "…write this up. 1. Agree. … 2. Jobs.": bare numbers after a sentence
        # (whether they are question numbers is decided across the document).
        r"|(?<=[.!?)])[ \t]+(?=\d{1,2}[.)][ \t]+[A-Z])"
    )
    reference_re = re.compile(rf"(?:{_alternation(raw['reference_leads'])})\s+", re.I)
    of_re = re.compile(
        rf"(?:(?:{_alternation(raw['of_words'])})\.?[ \t]*)?(?P<num>\d{{1,2}})[ \t]+of[ \t]+"
        rf"(?P<total>\d{{1,2}})(?!\d)",
        re.I,
    )
    return HeadingWords(
        number_words=nw,
        ordinals=od,
        section_titles=frozenset(t.lower() for t in raw["section_titles"]),
        reply_words=frozenset(str(w).lower() for w in raw["reply_words"]),
        q_re=q_re,
        ordinal_re=ordinal_re,
        bare_re=bare_re,
        reference_re=reference_re,
        inline_re=inline_re,
        of_re=of_re,
        form_tag_re=re.compile(
            rf"[ \t]*[(\[][ \t]*(?:{_alternation(raw.get('form_tags') or ['required'])})"
            r"[ \t]*[)\]][ \t*:]*$|[ \t]*\*+[ \t]*$",
            re.I,
        ),
    )


_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}


def roman_value(s: str) -> int:
    s = s.lower()
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN_VALUES[ch]
        total += -v if i + 1 < len(s) and _ROMAN_VALUES[s[i + 1]] > v else v
    return total


def _value(token: str, words: HeadingWords) -> tuple[int, str] | None:
    if token[:1].isdigit():  # "3", "2a", "2(b)", "1st"
        return int(re.match(r"\d+", token).group()), "digit"
    low = token.lower()
    if low in words.number_words:
        return words.number_words[low], "word"
    if low in words.ordinals:
        return words.ordinals[low], "word"
    if low[:-2].isdigit():  # 1st, 2nd
        return int(low[:-2]), "digit"
    if token and re.fullmatch(_ROMAN, token) and (token.islower() or token.isupper()):
        return roman_value(token), "roman"
    return None


_PUNCT_AFTER = re.compile(r"[ \t]*([).:\-–—])[ \t]*")
_SPACES = re.compile(r"[ \t]*")


# "Questions 3 and 4", "Q3/Q4", "Q3 & 4": one heading for several questions (the first is kept).
_MORE_NUMBERS = re.compile(
    r"(?:[ \t]*(?:,|/|&|and)[ \t]*(?:q|question)?[ \t]*\d{1,2}(?!\d)"
    r"|[-–]\d{1,2}(?!\d)"
    r"|[ \t]*(?:-|–|to)[ \t]*(?:q|question)[ \t]*\d{1,2}(?!\d))+",
    re.I,
)


# " of 5" after a question number: the form's count of its questions ("question 2 of 6").
_OF_TOTAL = re.compile(r"[ \t]+of[ \t]+(?P<total>\d{1,2})(?!\d|[.,:/]\d)")


# "Question 1 / Cwestiwn 1": the same number in a second language after a slash.
_SECOND_LANGUAGE_AFTER = re.compile(r"[ \t]*/[ \t]*(?:[^\W\d_]+\.?[ \t]+){1,3}(?P<n>\d{1,2})(?!\d)")
# "Cwestiwn 1 / Question 1": up to three words and the number, a slash, then the heading.
_SECOND_LANGUAGE_BEFORE = re.compile(
    r"(?:[^\W\d_]+\.?[ \t]+){1,3}(?P<n>\d{1,2})(?!\d)[ \t.:]*/[ \t]*"
)


def _after(text: str, p: int, end: int, number: int | None = None) -> tuple[int, bool, bool]:
    """(end of numbering, prose, standalone) after a question number ending at ``p``."""
    second = _SECOND_LANGUAGE_AFTER.match(text, p, end) if number is not None else None
    if second and int(second.group("n")) == number:
        p = second.end()
    more = _MORE_NUMBERS.match(text, p, end)
    if more:
        p = more.end()
    m = _PUNCT_AFTER.match(text, p, end)
    if m:
        q = m.end()
        while q < end and text[q] in ").:-–— \t":
            q += 1
        return q, False, q >= end
    q = _SPACES.match(text, p, end).end()
    if q >= end:
        return end, False, True
    # A bracketed label ("Q3 (timing)") is part of the heading; markup keeps its shape.
    if text[q] == "(":
        close = text.find(")", q, end)
        if close != -1:
            r = close + 1
            while r < end and text[r] in ".:-–—*_ \t":
                r += 1
            return r, False, r >= end
    if text[q] in "*_[":
        return q, False, False
    return q, True, False


def read_numbering(text: str, pos: int, end: int) -> Numbering | None:
    """The question numbering at ``text[pos:end]``'s start, or None."""
    words = heading_words()
    m = words.of_re.match(text, pos, end)
    if m and 0 < int(m.group("num")) <= int(m.group("total")):
        q, prose, alone = _after(text, m.end(), end)
        return Numbering(int(m.group("num")), "q", "digit", q, prose, alone, int(m.group("total")))
    m = _SECOND_LANGUAGE_BEFORE.match(text, pos, end)
    if m:
        inner = _read(text, m.end(), end, words)
        if inner is not None and inner.kind == "q" and inner.number == int(m.group("n")):
            return inner
    return _read(text, pos, end, words)


_CLOSE = {"[": "]", "(": ")", "{": "}", "<": ">"}


def _bracketed(text: str, pos: int, end: int, words: HeadingWords) -> Numbering | None:
    """A question number in brackets: "[Q2]", "(Question 3)", "{Q1}".

    Why (issue 12, session 16): a respondent typing in a plain-text box marks
    each answer with a bracketed tag ("[Q3] January is too soon…"); the bracket
    hid the question word, so every answer ran into the one before. Only a
    question or answer word with its number, closed by the matching bracket,
    counts ("(1)" and "[1]" stay bare numbers; "(see Q3 above)" is no tag).
    """
    close = _CLOSE.get(text[pos : pos + 1])
    if close is None:
        return None
    q = _SPACES.match(text, pos + 1, end).end()
    m = words.q_re.match(text, q, end)
    if not m or m.group("num") is None or _value(m.group("num"), words) is None:
        return None
    r = _SPACES.match(text, m.end(), end).end()
    if text[r : r + 1] != close:
        return None
    number = _value(m.group("num"), words)[0]
    q2, prose, alone = _after(text, r + 1, end, number)
    return Numbering(number, "q", _value(m.group("num"), words)[1], q2, False, alone)


def _read(text: str, pos: int, end: int, words: HeadingWords) -> Numbering | None:
    """``read_numbering`` for one language: question, ordinal, then bare numbering."""
    tagged = _bracketed(text, pos, end, words)
    if tagged is not None:
        return tagged
    m = words.q_re.match(text, pos, end)
    if m:
        token = m.group("num")
        val = _value(token, words)
        joined = not m.group("sep")
        # "Q" runs straight into digits or an upper-case roman numeral only ("Q3", "QIV").
        ok = val is not None and not (m.group("aw") and joined)
        if ok and joined and not (token[:1].isdigit() or (val[1] == "roman" and token.isupper())):
            ok = False
        if ok:
            total = _OF_TOTAL.match(text, m.end(), end) if val[1] == "digit" else None
            if total is not None and 0 < val[0] <= int(total.group("total")):
                # "Consultation question 1 of 5", "Our answer to question 2 of 6": the
                # form's total after a lead-in, as "Question 1 of 5" (``of_re``) reads it.
                q, prose, alone = _after(text, total.end(), end, val[0])
                return Numbering(val[0], "q", "digit", q, prose, alone, int(total.group("total")))
            q, prose, alone = _after(text, m.end(), end, val[0])
            # "Question I think…", "Response I …": a roman numeral must be punctuated.
            if not (prose and val[1] == "roman"):
                return Numbering(val[0], "q", val[1], q, prose, alone)
    m = words.ordinal_re.match(text, pos, end)
    if m:
        val = _value(m.group("ord") or m.group("ord2"), words)
        if val:
            q, prose, alone = _after(text, m.end(), end)
            return Numbering(val[0], "q", "word", q, prose, alone)
    m = words.bare_re.match(text, pos, end)
    if m:
        letter = m.group("lp") or m.group("l") or m.group("lu")
        if letter:
            q = _SPACES.match(text, m.end(), end).end()
            return Numbering(ord(letter.lower()) - 96, "bare", "letter", q, False, q >= end)
        token = m.group("p") or m.group("d") or m.group("r") or m.group("b") or m.group("s")
        val = _value(token, words)
        if val and val[0] > 0:
            q = _SPACES.match(text, m.end(), end).end()
            return Numbering(val[0], "bare", val[1], q, False, q >= end)
    return None


def is_section_title(title: str) -> bool:
    """Whether ``title`` ("Introduction", "Conclusions:") names a document section."""
    t = " ".join(re.findall(r"[a-z]+", title.lower()))
    return t in heading_words().section_titles


def is_reply(label: str) -> bool:
    """Whether ``label`` starts like a short reply ("Strongly support", "No"), not a label."""
    first = label.split(maxsplit=1)[0].lower().strip(".,:;!*_'\"’”") if label.split() else ""
    return first in heading_words().reply_words
