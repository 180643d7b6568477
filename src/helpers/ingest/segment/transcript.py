"""Interview transcripts: the interviewer's spoken questions head the answers that follow.

A consultation response may be an interview typed up as speaker turns
("Dami: So they want a separate grade. Yes or no?" / "K: Yeah. Yes. ..."):
the question is asked *in a turn*, in the interviewer's own words, and the
respondent's next turns (one or several, with the interviewer's "Mm-hm" in
between) are the answer. Read as headings, the turns fail both ways: a
question turn is a long spoken sentence that matches its consultation
question only loosely, and every respondent turn opens with a label
("K:") that looks like a run-in heading. Batch 21 (session 19) brought the
first such document; no rule was written for it.

Recognised by shape only, never by names: at least ``_MIN_TURNS`` paragraphs
open with a short capitalised speaker label and a colon; two speakers each
speak at least twice, the two cover most turns, and they alternate. The
interviewer is the speaker whose turns ask (contain "?") more often; a form
of "Name: … / Email: …" fields has one turn per label and is never read so.

Each interviewer turn that asks something (a "?", or a question's own words read
out as a statement) opens a part; the respondent's
turns up to the next asking turn are its answer (an interviewer turn that
asks nothing continues it). Which question a part answers is read from the
asking turn's words (``similarity``: verbatim or paraphrase, as a heading is
scored) together with its answer's lead (``letters.lead_scores``: the
questions' distinctive words), and a first answer that says who is speaking
("I'm nineteen, I was in foster care") answers the profile question. One
assignment is solved for the whole interview, each question at most once, in
any order (``parts.any_order``: an interviewer may skip about); a
part no question clearly wins stays ``unstructured`` for the run-level
reading by meaning (``meaning``, ``joint``); a part placed with a score
below ``joint``'s strong-text bar is re-read there too (method ``text``). Text before the first asking
turn is the preamble; interviewer turns after the last answer ("Cheers,
that's us done") and a bracketed "[End of transcript]" are the closing.
Linear in the document's length.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from helpers.core.consultation import Question
from helpers.core.text import strip_span
from helpers.ingest.segment.letters import lead_scores, lead_sentences
from helpers.ingest.segment.parts import Part, any_order
from helpers.ingest.segment.passages import describes_self
from helpers.ingest.segment.similarity import text_similarities
from helpers.ingest.segment.thresholds import TEXT_MIN

__all__ = ["Turn", "read_transcript", "speaker_turns"]

# A speaker label: one or two capitalised words, initials or a code ("K", "INT", "P1",
# "Dr Shah", "K."), optional markup, then a colon and the turn's words.
_TURN_RE = re.compile(
    r"^[ \t]*(?:\*\*|__)?(?P<who>[A-Z][\w'’.-]{0,19}(?:[ \t][A-Z][\w'’.-]{0,19})?)"
    r"(?:\*\*|__)?[ \t]*:(?:\*\*|__)?[ \t]+(?=\S)",
    re.M,
)
_MIN_TURNS = 4
_COVER = 0.8  # the two main speakers speak at least this share of the turns
_LEAD_CHARS = 600
LEX_CAP = 6.0  # topic evidence of the answer's lead at which it counts fully
LEX_W = 0.4  # weight of the answer's topic evidence beside the asking turn's words
SELF_W = 0.5  # a first answer saying who speaks, for the profile question
BAR = 0.35  # a part's evidence must beat this to take a question


@dataclass(frozen=True)
class Turn:
    """One speaker turn: label at ``start``, words from ``body`` to ``end``."""

    who: str
    start: int
    body: int
    end: int


def speaker_turns(text: str) -> tuple[list[Turn], str] | None:
    """(turns, interviewer) when ``text`` reads as an interview, else None."""
    found = [m for m in _TURN_RE.finditer(text) if m.start() == 0 or text[m.start() - 1] == "\n"]
    if len(found) < _MIN_TURNS:
        return None
    turns = []
    for k, m in enumerate(found):
        nxt = found[k + 1].start() if k + 1 < len(found) else len(text)
        s, e = strip_span(text, m.start(), nxt)
        turns.append(Turn(m.group("who").rstrip("."), s, m.end(), e))
    counts = Counter(t.who for t in turns)
    (a, na), (b, nb) = (counts.most_common(2) + [("", 0)])[:2]
    if nb < 2 or na + nb < _COVER * len(turns):
        return None
    main = [t for t in turns if t.who in (a, b)]
    changes = sum(x.who != y.who for x, y in zip(main, main[1:], strict=False))
    if changes < (len(main) - 1) / 2:
        return None

    def asks(who: str) -> int:
        return sum("?" in text[t.body : t.end] for t in main if t.who == who)

    interviewer = a if asks(a) > asks(b) else b if asks(b) > asks(a) else None
    if interviewer is None or asks(interviewer) < 2:
        return None
    return turns, interviewer


def _asks(text: str, turn: Turn, questions: tuple[Question, ...]) -> bool:
    """Whether an interviewer's turn asks something: a "?", or a question's words read out
    ("Please provide any evidence of the impact…" has none)."""
    words = text[turn.body : turn.end]
    return "?" in words or max(map(max, text_similarities(words, questions)), default=0) >= TEXT_MIN


def _spoken(text: str, turns: list[Turn]) -> str:
    """The words of ``turns`` without their speaker labels."""
    return " ".join(text[t.body : t.end] for t in turns)


def read_transcript(text: str, questions: tuple[Question, ...]) -> list[Part] | None:
    """The document's parts when it is an interview transcript (module docstring), else None."""
    found = speaker_turns(text)
    if found is None:
        return None
    turns, interviewer = found
    asking = [i for i, t in enumerate(turns) if t.who == interviewer and _asks(text, t, questions)]
    groups = []  # (asking turn, answer turns)
    for k, i in enumerate(asking):
        stop = asking[k + 1] if k + 1 < len(asking) else len(turns)
        groups.append((turns[i], turns[i + 1 : stop]))
    gains = []
    for k, (ask, answer) in enumerate(groups):
        said = [t for t in answer if t.who != interviewer]
        if not said:
            gains.append({})
            continue
        sims = text_similarities(text[ask.body : ask.end], questions)
        lead = _spoken(text, said)[:_LEAD_CHARS]
        lex = lead_scores(f"{text[ask.body : ask.end]} {lead_sentences(lead)}", questions)
        first = lead_sentences(text[said[0].body : said[0].end], 1)
        g = {}
        for j, q in enumerate(questions):
            v = max(sims[j]) + LEX_W * min(1.0, lex[j] / LEX_CAP)
            if q.kind == "profile" and k == 0 and describes_self(first):
                v += SELF_W
            g[j] = v - BAR
        gains.append(g)
    chosen = any_order(gains, len(questions))
    if not any(j is not None for j in chosen):
        return None
    parts: list[Part] = []
    if text[: groups[0][0].start].strip():
        parts.append(Part("preamble", 0, groups[0][0].start, "preamble", 1.0))
    for k, ((ask, answer), j) in enumerate(zip(groups, chosen, strict=True)):
        said = [t for t in answer if t.who != interviewer]
        end = groups[k + 1][0].start if k + 1 < len(groups) else len(text)
        closing = None
        if k + 1 == len(groups):  # interviewer turns after the last answer: the closing
            last = max((t.end for t in said), default=ask.end)
            if text[last:end].strip():
                closing, end = last, last
        if j is None:
            parts.append(Part("unstructured", ask.start, end, "unstructured", 0.0))
        else:
            score = min(1.0, gains[k][j] + BAR)
            parts.append(Part(j, ask.end, end, "text", round(score, 3), (ask.start, ask.end)))
        if closing is not None:
            parts.append(Part("closing", closing, len(text), "closing", 1.0))
    return parts
