"""An elliptic closing verdict that names the proposal: "No to the LTN.", "Keep the filters." (session 25).

People close a story or a weighing-up with a verdict of a few words that restates the
question's proposal beside a polarity word: "... No to the LTN.", "... Keep the gate.",
"... Not January.", "... Net: for, just.", "... Now: no.". The discourse reader weighs a
short last sentence double (``finalword``, session 23) but only when it reads a position in
it, and it reads none in most of these: "no" and "keep" are no position words of their own,
and what they are about is the question's own name ("the LTN", "the filters", "January"),
which only the question knows. So the story before decided, or nothing did.

The census of every spent item set (``docs/stance.md`` "Session 25") found answers whose gold
evidence is their last sentence misread in 21 of 23 sets (110 answers); the elliptic
verdicts among them are one grammar:

    [a summing-up lead: "so", "net", "now", "verdict", "my answer", ... and ":"]
    <polarity: yes / no / not / keep / scrap / ditch / bin / remove / for / against>
    ["to"] <only the question's own words, or nothing after a lead>

A polarity word before the question's words gives the direction ("keep" the proposal and
"yes to" it agree; "no to", "not", "scrap" it disagree). What counts as the question's words
is ``comparison.question_words`` (its name, text, aliases and keywords, the words every
closed question shares left out) and the question's id (``verdict_words``), so no
consultation's vocabulary is written here.
"Keep the current system." names no question word and is not read; "No idea.", "Not me."
name none either.

The verdict decides only where the reader found no position or the opposite one, and only
for an answer (``by_verdict``). Which of those two it may overturn was chosen
leave-one-set-out over the spent item sets (``MODE``; measured in ``docs/stance.md``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from helpers.core.consultation import Consultation
from helpers.core.text import strip_span
from helpers.stance.comparison import QuestionWords, question_words
from helpers.stance.result import StanceResult, _stance_result
from helpers.stance.sentences import sentence_spans
from helpers.stance.unstructured import content_stems

__all__ = [
    "CONFIDENCE", "MAX_WORDS", "MODE", "by_verdict", "closing_verdict", "closing_verdicts",
    "verdict_words",
]  # fmt: skip

MAX_WORDS = 6  # as ``finalword.FINAL_WORDS``: a verdict, not a sentence of the story
CONFIDENCE = 0.66  # a weak text reading (mapped by ``calibration`` like any other)
# Which readings the verdict overturns: "none" (no position found) and/or "opposite".
MODE: frozenset[str] = frozenset({"none", "opposite"})

_LEAD = (
    r"(?:(?:so|but|overall|net|verdict|in\s+short|bottom\s+line|in\s+the\s+end|on\s+balance|"
    r"therefore|now|still|even\s+so|all\s+told|final(?:\s+answer)?|(?:my|our|the)\s+"
    r"(?:answer|vote|verdict|view|position)(?:\s+is)?)\s*[:,–—-]?\s*)"
)
_POLARITY = {
    "yes": 1, "yeah": 1, "yep": 1, "aye": 1, "keep": 1, "for": 1,
    "no": -1, "nope": -1, "not": -1, "scrap": -1, "ditch": -1, "bin": -1, "axe": -1,
    "remove": -1, "against": -1,
}  # fmt: skip
_VERDICT_RE = re.compile(
    rf"^\W*(?P<lead>{_LEAD}+)?(?P<pol>{'|'.join(_POLARITY)})\b(?:\s+to\b)?(?P<rest>[^.!?]*)[.!?]*\W*$",
    re.I,
)
# The question's own name alone as the last word: "... So January.", "... January it is.",
# "... Start in January." (a closing sentence of the answer, never the whole answer).
_RESTATE_RE = re.compile(
    rf"^\W*(?P<lead>{_LEAD}+)?(?:(?:start|begin|go)\s+(?:in|with|from)\s+)?"
    r"(?P<rest>[^.!?]*?)(?:\s+it\s+is)?[.!?]*\W*$",
    re.I,
)
RESTATE_WORDS = 4
TAIL = 400  # characters of an answer's end read for its last sentence
# Words that say nothing of what the verdict is about ("keep them", "no to this, thanks").
_FILLER = frozenset(
    "the a an it this that them these those to thanks please then just whole one".split()
)
_WORD_RE = re.compile(r"[a-z0-9’']+")


def verdict_words(consultation: Consultation, question_id: str) -> QuestionWords:
    """``comparison.question_words`` with the question's id among its own words: an id is
    often the proposal's short name ("ltn"), which respondents use ("No to the LTN.")."""
    name, own = question_words(consultation, question_id)
    return name, own | content_stems(question_id.replace("_", " "))


def _restated(sentence: str, words: QuestionWords, n_sentences: int) -> bool:
    """True when ``sentence`` (the last of ``n_sentences``, at least two) is only the question's
    own name, with at most a summing-up lead or "start in": the writer closes by choosing the
    proposal ("... January.", "... So January.", "... January it is.")."""
    if n_sentences < 2 or len(sentence.split()) > RESTATE_WORDS:
        return False
    m = _RESTATE_RE.match(sentence)
    if m is None:
        return False
    content = [w for w in _WORD_RE.findall(m.group("rest").lower()) if w not in _FILLER]
    # Every word one of the name's ("I'm against the gate." names the gate, but says more).
    return bool(content) and all((stems := content_stems(w)) and stems <= words[0] for w in content)


def closing_verdict(text: str, words: QuestionWords) -> tuple[int, int, int] | None:
    """(direction, start, end) of ``text``'s last sentence when it is an elliptic verdict on
    the question (the grammar of the module docstring; ``words`` from
    ``comparison.question_words``), else None."""
    # Only the answer's tail is split (a long letter is not cut into sentences again): a verdict
    # of at most six words lies well inside it, and a tail that starts inside a longer text
    # has a sentence before its own.
    base = max(0, len(text) - TAIL)
    spans = sentence_spans(text[base:])
    if not spans:
        return None
    s, e = spans[-1][0] + base, spans[-1][1] + base
    sentence = text[s:e]
    if len(sentence.split()) > MAX_WORDS:
        return None
    n_sentences = len(spans) if base == 0 else max(2, len(spans))
    m = _VERDICT_RE.match(sentence)
    if m is None:
        return _restated(sentence, words, n_sentences) and (1, s, e) or None
    pol, rest = m.group("pol").lower(), m.group("rest").lower()
    content = [w for w in _WORD_RE.findall(rest) if w not in _FILLER]
    if not content:
        # A bare polarity word the rules read already ("No."), unless a summing-up lead
        # makes it the verdict ("Now: no.", "Net: for, just.").
        if m.group("lead") is None:
            return None
    else:
        name, own = words
        stems = content_stems(" ".join(content))
        if not stems or not stems <= (own | name):
            return None
    if pol in ("for", "against") and m.group("lead") is None and content:
        return None  # "for the buses" describes; "Net: for" is the verdict
    return _POLARITY[pol], s, e


def by_verdict(
    text: str, spans: list[tuple[int, int]], r: StanceResult | None, words: QuestionWords
) -> StanceResult | None:
    """``r`` turned to the side of the answer's closing verdict (``closing_verdict`` on its
    last span) when ``r`` found no position (``MODE`` "none") or the opposite one
    ("opposite"); anything else is ``r`` unchanged. Offsets are into ``text``."""
    if not spans:
        return r
    s0, e0 = spans[-1]
    found = closing_verdict(text[s0:e0], words)
    if found is None:
        return r
    return turned(text, s0, found, r, MODE, CONFIDENCE)


def turned(
    text: str,
    s0: int,
    found: tuple[int, int, int],
    r: StanceResult | None,
    mode: frozenset[str],
    confidence: float,
) -> StanceResult | None:
    """``r`` turned to the side ``d`` of a late reading ``found`` = (d, a, b) (offsets from
    ``s0`` in ``text``) when ``r`` found no position ("none") or the opposite one
    ("opposite") and that kind is in ``mode``; the new reading is a weak text reading at
    ``confidence`` with ``r``'s reservations and cues. A stated middle (neither, don't
    know) is never overturned by a closing word or a self-answered question. Shared by
    ``by_verdict`` and ``selfanswer.by_self_answer``."""
    d, a, b = found
    if r is not None and r.stance in ("neither", "dont_know"):
        return r
    direction = 0 if r is None or r.stance == "not_answered" else r.direction
    kind = "none" if direction == 0 else "opposite" if direction == -d else None
    if kind is None or kind not in mode:
        return r
    a, b = strip_span(text, s0 + a, s0 + b)
    reservations = bool(r.reservations) if r is not None else False
    cues = r.cues if r is not None else ()
    return _stance_result("agree" if d > 0 else "disagree", float(d), reservations, confidence,
                          text[a:b], a, b, "discourse", cues)  # fmt: skip


def reread(
    read: dict[tuple[str, str], StanceResult | None],
    texts: dict[str, str],
    segments: dict[tuple[str, str], list[tuple[int, int]]],
    words: dict[str, QuestionWords],
    by: Callable[..., StanceResult | None],
) -> dict[tuple[str, str], StanceResult | None]:
    """Each (respondent, question)'s reading after ``by(text, spans, r, words)``, for the
    ``stances`` table; an answer with no spans keeps its reading."""
    out = {}
    for key, r in read.items():
        spans = segments.get(key, [])
        out[key] = by(texts[key[0]], spans, r, words[key[1]]) if spans else r
    return out


def closing_verdicts(
    read: dict[tuple[str, str], StanceResult | None],
    texts: dict[str, str],
    segments: dict[tuple[str, str], list[tuple[int, int]]],
    consultation: Consultation,
) -> dict[tuple[str, str], StanceResult | None]:
    """Each (respondent, question)'s reading after its answer's closing verdict
    (``by_verdict``), for the ``stances`` table (``stance.table``)."""
    words = {q.id: verdict_words(consultation, q.id) for q in consultation.closed_questions}
    return reread(read, texts, segments, words, by_verdict)
