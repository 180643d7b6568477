"""Non-answers: "No comment", "N/A", "Nothing to add" … kept, but marked not substantive.

A respondent who writes "No comment" under a question has not answered it in
any sense a report should count: there is nothing to code, and counting them
as answering would inflate every base. Dropping the row would hide them, so
the row is kept with ``answers.substantive = False``; coding and stance skip
it, analysis counts it as "no substantive answer" (not as answering), and the
report shows that count beside each question's base.

The rule (phrases in ``helpers/data/non_answers.yaml``, with their rationale):

- the WHOLE answer must be non-answer phrases, possibly chained with polite
  fillers ("N/A - not relevant to us, thank you."). A single word of
  substance keeps the answer: "None of the options work for us because…"
  and "No. We strongly disagree because…" are substantive;
- an answer with no letters or digits ("-", "...", "—") or no text at all is
  not substantive;
- answers longer than ``max_words`` words are always substantive;
- "We have not identified any …" / "We are not aware of any …" are
  non-answers when what follows "any" is a short clause with no turn
  ("but", "so", "because", "other than" …): "We are not aware of any
  evidence that the system fails, so we oppose it" stays substantive;
- a form's field label before the answer ("Answer: None.", "Response: -";
  ``field_labels`` in the data file) is not part of it: a typed copy of an
  online form puts one before every answer;
- a bare "No", "Yes" or "Don't know" is a non-answer only to an *open*
  question: to a closed question ("Do you agree …?") it is the
  respondent's position, which the stance stage reads.

Cost: one normalisation and one anchored regular-expression match per
answer, on at most ``max_words`` words, so linear in the answers' length.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import pandas as pd
import yaml
from rapidfuzz import fuzz

from helpers import stance
from helpers.core.consultation import Consultation

__all__ = [
    "NonAnswerRule",
    "is_substantive",
    "judged_kind",
    "load_rule",
    "mark_substantive",
    "normalise",
    "without_question_topic",
    "without_sign_off",
]

DATA_FILE = "non_answers.yaml"  # in helpers/data/

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
# "n/a", "N.A.", "n\a", "n / a" -> "n a" before punctuation becomes a break
_NA_RE = re.compile(r"\bn\s*[./\\]\s*a\b\.?", re.I)
# Clause punctuation, and a dash standing between words: a break token.
_BREAK_RE = re.compile(r"[.,;:!?…]+|\s[-–—]+\s|[–—]+|^\s*-+|-+\s*$")
_OTHER_RE = re.compile(r"[^a-z0-9.]+")
_SPACES_RE = re.compile(r"\s+")
_ALNUM_RE = re.compile(r"[^\W_]")


def normalise(text: str) -> str:
    """The answer as the phrases see it: lower-case words, clause breaks as ``.``.

    >>> normalise("N/A - not relevant to us, thank you.")
    'n a . not relevant to us . thank you .'
    """
    t = text.translate(_QUOTES).lower().replace("'", "")
    t = _NA_RE.sub(" n a ", t)
    t = _BREAK_RE.sub(" . ", t)
    t = _OTHER_RE.sub(" ", t)
    t = _SPACES_RE.sub(" ", t).strip()
    t = re.sub(r"(?:\. )+\.", ".", t)  # runs of breaks are one break
    return t.removeprefix(". ").strip()


@dataclass(frozen=True)
class _Units:
    """One question kind's phrases: ``core`` and ``filler`` units, and their union."""

    core: re.Pattern[str]
    filler: re.Pattern[str]
    any_unit: re.Pattern[str]

    def whole(self, norm: str) -> bool:
        """Whether ``norm`` is a chain of units with at least one core.

        A dynamic programme over word starts rather than one regular
        expression: ``(filler)* core (core|filler)*`` as a single pattern
        backtracks exponentially on a run of words that several units can
        split ("no no no … x"). Here each (start, end) pair is tried at most
        once per kind of unit, on at most ``max_words`` words.
        """
        n = len(norm)
        ends = [j for j in range(1, n + 1) if j == n or norm[j] == " "]
        seen: dict[int, bool] = {0: False}  # word start -> a core was crossed on the way
        for i in sorted_starts(norm):
            if i not in seen:
                continue
            if not self.any_unit.match(norm, i):
                continue  # no unit starts here: a dead end, found with one match
            core_before = seen[i]
            for j in ends:
                if j <= i:
                    continue
                is_core = self.core.fullmatch(norm, i, j) is not None
                if not is_core and self.filler.fullmatch(norm, i, j) is None:
                    continue
                crossed = core_before or is_core
                if j == n:
                    if crossed:
                        return True
                    continue
                seen[j + 1] = seen.get(j + 1, False) or crossed
        return False


def sorted_starts(norm: str) -> list[int]:
    """The offsets at which the words of ``norm`` start, in order."""
    return [0] + [k + 1 for k, ch in enumerate(norm) if ch == " "]


@dataclass(frozen=True)
class NonAnswerRule:
    """The compiled phrases: ``any_question`` for every question, ``open_question`` for open ones."""

    max_words: int
    any_question: _Units
    open_question: _Units
    label: re.Pattern[str] | None = None  # a form's field label before the answer ("Answer:")

    def is_non_answer(self, text: str | None, kind: str = "open") -> bool:
        """Whether ``text`` is wholly a non-answer for a question of this ``kind``.

        ``kind`` is the question's kind: "open" answers may also be the
        open-only phrases (a bare "No"); every other kind (closed, profile,
        and the special ids, judged as "open" by ``mark_substantive``) may not.
        """
        if text is None or not isinstance(text, str) or not _ALNUM_RE.search(text):
            return True  # blank, or punctuation only ("-", "...", "—")
        if self.label is not None and (m := self.label.match(text)):
            # A typed copy of a form: "Answer: None." is judged as "None."
            text = text[m.end() :]
            if not _ALNUM_RE.search(text):
                return True
        # Bound the work before normalising: a non-answer is a short remark.
        if len(text) > 20 * self.max_words:
            return False
        norm = normalise(text)
        if not norm:
            return True
        if len(norm.replace(" . ", " ").split()) > self.max_words:
            return False
        units = self.open_question if kind == "open" else self.any_question
        return units.whole(norm)


def _expand(pattern: str, parts: dict[str, str]) -> str:
    """Replace ``{name}`` by its part (parts may use earlier parts), never other braces."""
    for _ in range(4):  # parts refer to parts at most a few levels deep
        new = re.sub(r"\{([a-z_]+)\}", lambda m: parts.get(m.group(1), m.group(0)), pattern)
        if new == pattern:
            break
        pattern = new
    return pattern


def _compile(cores: list[str], fillers: list[str]) -> _Units:
    """The units, each optionally followed by a clause break (" .")."""
    core = "|".join(f"(?:{c})" for c in cores)
    filler = "|".join(f"(?:{f})" for f in fillers)
    return _Units(
        core=re.compile(f"(?:{core})(?: \\.)?"),
        filler=re.compile(f"(?:{filler})(?: \\.)?"),
        # a unit must end at a word boundary; used only to find dead starts quickly
        any_unit=re.compile(f"(?:{core}|{filler})(?= |$)"),
    )


def rule_from_data(raw: dict[str, Any]) -> NonAnswerRule:
    """Compile the data file's contents (see ``non_answers.yaml`` for the format)."""
    parts: dict[str, str] = {}
    for name, value in (raw.get("parts") or {}).items():
        # Folded YAML joins lines with a space: drop spaces around "|" only.
        text = re.sub(r"\s*\|\s*", "|", str(value)).strip()
        parts[name] = _expand(text, parts)

    def expand(items: list[str]) -> list[str]:
        return [_expand(str(p), parts) for p in items or []]

    cores, fillers = expand(raw.get("core")), expand(raw.get("filler"))
    open_only = expand(raw.get("open_only"))
    labels = [str(w) for w in raw.get("field_labels") or []]
    label = re.compile(rf"\s*(?:{'|'.join(labels)})\s*:[ \t]*", re.I) if labels else None
    return NonAnswerRule(
        max_words=int(raw.get("max_words", 30)),
        any_question=_compile(cores, fillers),
        open_question=_compile(cores + open_only, fillers),
        label=label,
    )


@functools.cache
def load_rule() -> NonAnswerRule:
    """The package's rule, from ``helpers/data/non_answers.yaml`` (compiled once)."""
    source = resources.files("helpers").joinpath("data", DATA_FILE)
    return rule_from_data(yaml.safe_load(source.read_text(encoding="utf-8")))


def is_substantive(text: str | None, kind: str = "open") -> bool:
    """Whether an answer of a question of this ``kind`` says anything (the package's rule)."""
    return not load_rule().is_non_answer(text, kind)


# The first paragraph of an answer (up to a blank line), and what follows it.
_FIRST_PARAGRAPH = re.compile(r"\s*(.+?)\s*(?:\n\s*\n|$)(.*)", re.DOTALL)
_QUESTION_COPY_SCORE = 90.0  # rapidfuzz token_set_ratio, 0-100


def without_question_copy(text: str, question_text: str | None) -> str:
    """``text`` without a copy of the question it answers in its first paragraph.

    Respondents who write their own document often paste the question
    before each answer, in quotes or not ('"Do you have any additional
    comments?"' then "None."): the pasted question is not the respondent's
    words, so the answer is judged on what follows it. The first paragraph
    is a copy when it reads as a quotation or a question (it opens with a
    quote mark or ends with "?") and is the question's text or its first
    sentence, give or take a few characters (rapidfuzz ``ratio`` at least 90
    on the normalised texts), and something follows it. A respondent's own
    opening ("We agree with the proposal.") is a statement, never stripped;
    otherwise too ``text`` is returned unchanged. Linear in the answer's length.
    """
    if not question_text or not text:
        return text
    m = _FIRST_PARAGRAPH.match(text)
    if m is None or not m.group(2).strip():
        return text
    raw = m.group(1).strip()
    if not (raw[:1] in "\"'“‘«" or raw.rstrip("\"'”’»").endswith("?")):
        return text
    first = normalise(raw)
    whole = normalise(question_text)
    opening = normalise(re.split(r"(?<=[?.!])\s", question_text.strip(), maxsplit=1)[0])
    if max(fuzz.ratio(first, whole), fuzz.ratio(first, opening)) < _QUESTION_COPY_SCORE:
        return text
    return m.group(2)


# "on equality", "about the bus gate", "regarding the Equality Duty": a preposition naming a topic,
# then up to four words (an article, possessive or demonstrative first).
_TOPIC_RE = re.compile(
    r"\b(?:on|about|regarding|concerning|as to|as regards|for|in relation to|with regard to|"
    r"in respect of|re)((?: (?!\.)[a-z0-9]+){1,5})(?= \.|$)"
)
_DETERMINERS = frozenset(
    {"the", "this", "that", "these", "those", "our", "your", "its", "any", "a", "an"}
)
# Words that may join the question's words inside a topic ("the impacts on our household").
_LINKS = _DETERMINERS | {"of", "on", "in", "to", "for", "at", "by", "with", "from", "and", "my"}


def _singular(word: str) -> str:
    """A word without a plural or possessive "s" ("proposals" → "proposal"); on purpose no
    stemmer (``helpers.core.stemming``): a topic counts only if it is the question's own words."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def without_question_topic(text: str, question_text: str | None) -> str:
    """The normalised ``text`` without a topic phrase made of the question's own words.

    Session 14 (ofsted-docs-16 "We have nothing to add on equality." to the
    question on the Equality Duty): a non-answer often names the topic it
    declines ("No comments on the bus gate", "Nothing further regarding the
    trial"), and the phrases (``non_answers.yaml``) take only a topic of generic
    words ("on this question", "on the proposals"). A topic that is the
    question's own words says nothing the question did not: ``on``, ``about``,
    ``regarding`` … then at most five words, each a word of the question (a
    plural "s" aside) or a determiner or preposition joining them ("the impacts
    on our household"), the last one the question's, up to a clause break, is
    removed so the rest is judged. A word the question
    does not use keeps the phrase ("nothing to add on parking" to a question
    about buses: the respondent names a topic of their own). Returns the
    normalised text, changed or not. ``mark_substantive`` reads it for open
    questions only: to a closed question "I have no particular view on its
    length" is, in part of the gold, the respondent's position (neither), and
    the phrases already read a short topic there.
    """
    norm = normalise(text)
    if not question_text:
        return norm
    asked = {_singular(w) for w in normalise(question_text).split() if w != "."}

    def topic(m: re.Match[str]) -> str:
        words = m.group(1).split()
        own = [w for w in words if w not in _LINKS]
        if own and all(_singular(w) in asked for w in own) and words[-1] not in _LINKS:
            return ""
        return m.group(0)

    return _SPACES_RE.sub(" ", _TOPIC_RE.sub(topic, norm)).strip()


# A sign-off line: at most six words, each capitalised (a name, a role, an organisation),
# short lower-case joining words allowed inside ("Friends of the Earth", "Anna van der Berg").
_CAPITALISED = re.compile(r"[A-Z][\w'’.-]*|&")
_JOINING = re.compile(r"[a-z]{1,3}")
_SIGN_OFF_LINES = 3
# Session 16: "Practice Committee, Guild of Leaving Care Practitioners" (a committee and its
# body's name) has seven words; eight allows a role and an organisation of five words.
_SIGN_OFF_WORDS = 8
# A system's footer under the last answer: "Row 1 of 1 · exported 28/09/2022 10:14",
# "Printed 3 Oct 2026", "Sent from my phone": no words of the respondent's ("Page 4 of 4" may point
_FOOTER = re.compile(
    r"^\W*(?:(?:row|sheet|record)\s+\d+\s+of\s+\d+\b|"
    r"(?:exported|printed|generated|downloaded|submitted)\s+(?:on\s+|at\s+)?\d|sent from my\b)"
    r"[^\n]{0,80}$",
    re.IGNORECASE,
)


def _sign_off_line(line: str) -> bool:
    """Whether ``line`` is shaped like a name, role or organisation line (no sentence of its own):
    up to six words, the first and last capitalised, any between capitalised or a lower-case word
    of at most three letters; no digits, no ``! ? : ;``."""
    words = [w.rstrip(",") for w in line.strip(" \t*_-–—,").split()]
    if not words or len(words) > _SIGN_OFF_WORDS or re.search(r"\d|[!?:;]", line):
        return False
    if not (_CAPITALISED.fullmatch(words[0]) and _CAPITALISED.fullmatch(words[-1])):
        return False
    if not all(_CAPITALISED.fullmatch(w) or _JOINING.fullmatch(w) for w in words[1:-1]):
        return False
    # A full stop ends an initial ("Rosie T.") or an abbreviation, not a sentence.
    return not line.rstrip().endswith(".") or len(words[-1].rstrip(".")) <= 2


def without_sign_off(text: str) -> str:
    """``text`` without a trailing sign-off paragraph, when it has one and something before it.

    A respondent who writes a form's last answer and signs below it ("N/A" then
    a blank line then "Rosie T.", or "Tomasz Wrobel / Personal Adviser") leaves
    the name in that answer when no closing formula marks it: the answer is
    judged on what comes before. The sign-off is the last paragraph (after a
    blank line), of at most ``_SIGN_OFF_LINES`` lines each shaped like a name,
    a role or an organisation (:func:`_sign_off_line`: up to six capitalised
    words, no digits, no sentence punctuation); a paragraph with a sentence or
    a lower-case word of its own is the answer's ("None.\n\nSee attached
    report") and ``text`` is returned unchanged. A system's footer line ("Row 1 of 1 ·
    exported 28/09/2022", "Sent from my phone"; session 16) counts as a
    sign-off line. This is a shape, not a list of
    names, so it reads any name; it only ever removes text after a blank line,
    and only to judge whether the rest is a non-answer (session 12: three of
    batch 2-4's non-answers were missed for a signature under them).
    """
    parts = re.split(r"\n[ \t]*\n", text.strip())
    if len(parts) < 2:
        return text
    lines = [ln for ln in parts[-1].splitlines() if ln.strip()]
    if not lines or len(lines) > _SIGN_OFF_LINES:
        return text
    if not all(_sign_off_line(ln) or _FOOTER.match(ln.strip()) for ln in lines):
        return text
    return "\n\n".join(parts[:-1])


def judged_kind(kind: str, tick_box: object) -> str:
    """The kind a text is judged as: "open" beside a ticked box, else the question's own.

    The text beside a tick answers "Please explain your answer": the tick
    holds the position, so a bare "No." or "Yes" there explains nothing.
    """
    return "open" if isinstance(tick_box, str) and tick_box.strip() else kind


_SIDE = {"strongly_agree": "agree", "strongly_disagree": "disagree"}


def tick_side(tick_box: object) -> str | None:
    """The side a ticked box takes: agree, disagree, neither or dont_know (None: unread).

    The box's label or code as ``stance.tickbox`` reads it, strength dropped; a
    yes/no or support form's "Yes" / "Support" / "No", which the agree scale does
    not list, as agree / disagree.
    """
    if not isinstance(tick_box, str):
        return None
    read = stance.tick_box_stance(tick_box)
    if read is not None:
        return _SIDE.get(read, read) if read != "not_answered" else None
    t = normalise(tick_box)
    if re.search(r"\byes\b|\bsupport", t):
        return "agree"
    return "disagree" if re.search(r"\bno\b", t) else None


@functools.cache
def _restatements() -> dict[str, re.Pattern[str]]:
    source = resources.files("helpers").joinpath("data", DATA_FILE)
    raw = yaml.safe_load(source.read_text(encoding="utf-8")).get("restatements") or {}
    return {
        side: re.compile("(?:" + "|".join(f"(?:{p})" for p in pats) + r")(?: \.)*")
        for side, pats in raw.items()
    }


def restates_tick(text: object, tick_box: object) -> bool:
    """Whether ``text`` is only the position the ticked box gives, in words.

    Session 13 (transport-15 "Yes." beside "Strongly agree"; transport "No strong
    view." beside "Neither"): the text beside a tick is judged as open text
    (``judged_kind``), where a bare "Yes" is a non-answer; but a respondent who
    writes the box's answer out has answered, and the gold of every set keeps
    such a text. A "No." beside "Agree" ("any comments? no") or "Don't know
    yet" beside "Neither" does not say what the box says and stays a non-answer.
    Phrases: ``restatements`` in ``helpers/data/non_answers.yaml``.
    """
    side = tick_side(tick_box)
    if side is None or not isinstance(text, str):
        return False
    pattern = _restatements().get(side)
    return pattern is not None and pattern.fullmatch(normalise(text)) is not None


def mark_substantive(answers: pd.DataFrame, consultation: Consultation) -> pd.DataFrame:
    """``answers`` with its ``substantive`` column set from each row's text and question kind.

    Preamble, closing and unstructured text are judged as open text; a
    closed question's bare "No" stays substantive (module docstring). An
    answer that opens with a copy of its question is judged on the rest
    (``without_question_copy``).

    Beside a ticked box (``tick_box`` given: a survey export's tick-box
    column, a form's ticked option) the text answers "Please explain your
    answer", not "Do you agree?": the tick holds the position, so the text
    is judged as open text and a bare "No." or "Yes" explains nothing. With
    no tick, a bare "No" is the only position given and stays substantive.
    A non-answer signed below ("N/A", then the writer's name) is judged
    without the sign-off (``without_sign_off``).
    """
    kinds = {q.id: q.kind for q in consultation.questions}
    texts = {q.id: q.text for q in consultation.questions}
    rule = load_rule()
    out = answers.copy()
    ticks = out["tick_box"].tolist() if "tick_box" in out.columns else [None] * len(out)

    def non_answer(t: object, q: str, tick: object) -> bool:
        text = t if isinstance(t, str) else None
        kind = judged_kind(kinds.get(q, "open"), tick)
        if kind != kinds.get(q, "open") and restates_tick(text, tick):
            return False  # "Yes." beside "Strongly agree": the answer in words
        if rule.is_non_answer(text, kind):
            return True
        rest = without_question_copy(text or "", texts.get(q))
        if rest is not text and rule.is_non_answer(rest, kind):
            return True
        signed = without_sign_off(rest)
        if signed is not rest and rule.is_non_answer(signed, kind):
            return True
        if kind != "open":  # "No view on its length" to a closed question: a position
            return False
        untopical = without_question_topic(signed, texts.get(q))
        return untopical != normalise(signed) and rule.is_non_answer(untopical, kind)

    out["substantive"] = [
        not non_answer(t, str(q), tick)
        for t, q, tick in zip(out["answer_text"], out["question_id"], ticks, strict=True)
    ]
    return out
