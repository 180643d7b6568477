"""Clauses: an answer's sentences cut at contrasts, each weighted by where it stands.

Split from :mod:`helpers.stance.discourse` (one concern per module). A clause after
"but"/"however" carries the position (``AFTER_CONTRAST``); one before it, or opening
with a concession ("while", "although"), counts ``CONCEDED``; a sentence opening
"Overall", "On balance" sums the answer up (``OVERALL``); a condition ("If ...") is
conceded too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from helpers.stance.discourse_lexicon import _gates, _lexicon
from helpers.stance.vocabulary import ASIDE_CONTRAST, ASIDE_OVERALL, asides

AFTER_CONTRAST = 1.5  # a clause after "but"/"however" carries the position...
CONCEDED = 0.3  # ...a conceded clause ("while we support the aim") barely counts
OVERALL = 2.0  # "Overall, we oppose it" sums the answer up

# A sentence ends at a stop, or at a line's end: a bullet or a line with no stop
# ("- January: no objection") is a sentence too (before session 7 such a line,
# unless the answer's last, was found in no sentence and so weighed in no clause).
_SENTENCE_RE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*|(?=\n)|$)|[.!?]+")
_CONTRAST_SPLIT_RE = re.compile(
    r"[,;:–—-]?\s+(?=(?:but|however|yet)\b)|;\s*|,\s+(?=(?:even\s+though|although|though|while|whilst)\b)"
    r"|,\s+(?=(?:(?:and\s+)?so|overall|on\s+balance|ultimately|in\s+the\s+end|therefore)\b)",
    re.I,
)
_SPLIT_SENTENCE_TAIL_RE = re.compile(
    r"(?i)\b(?:agree|support)\w*\s+(?:with\s+)?(?:the\s+|its\s+|your\s+)?"
)
_FIRST_WORD_RE = re.compile(r"\W*(\w+)")
# Characters that re.I matches with an ASCII letter and lower-casing leaves alone.
_CASE_FOLDS_RE = re.compile("[\u0130\u0131\u017f\u212a]")
# Session 20: "Without that commitment the council would oppose the order": a condition
# stated by "without" and a modal (not "Without doubt, ...", which is emphasis).
_WITHOUT_CONDITION_RE = re.compile(
    r"\W*without\b(?!\s+(?:any\s+|a\s+)?(?:doubt|question|hesitation|reservation|qualification|"
    r"exception|fail)\b)[^.!?;\n]*?(?:\b(?:would|could|will|might|cannot|can['’]t)\b|['’](?:d|ll)\b)"
)
_SPLIT_AFTER_COMMA = ("though", "while", "whilst", "so", "overall", "balance", "ultimately",
                      "end", "therefore")  # fmt: skip


@dataclass
class _Clause:
    start: int
    end: int
    sentence: tuple[int, int]
    weight: float


_CONSEQUENCE_RE = re.compile(r"\W*(?:and\s+)?so\b")


def _consequence(text: str, clause: _Clause) -> bool:
    """Whether ``clause`` is a consequence inside its sentence ("I don't drive, so the gate
    costs me nothing"), not a sentence that sums up ("So we oppose it.").

    Session 10: a later sentence opening with a contrast concedes such a clause like
    the rest of its sentence ("..., so it costs me nothing. But my neighbour ... In the
    end I can't support it"); before, the mid-sentence "so" kept the summing-up weight
    and outweighed the contrast."""
    return (
        clause.start > clause.sentence[0] and _CONSEQUENCE_RE.match(text, clause.start) is not None
    )


_OPENERS = ("concession_openers", "contrast_openers", "overall_openers", "condition_openers",
             "sarcasm_openers")  # fmt: skip


@lru_cache(maxsize=1)
def _opener_index() -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """First word -> the opener lists one of whose phrases starts with it; and the
    lists that may open with any word (a phrase that opens with a "*" stem)."""
    gates = _gates()
    index: dict[str, list[str]] = {}
    for name in _OPENERS:
        for word in gates[name].first_words:
            index.setdefault(word, []).append(name)
    anywhere = tuple(name for name in _OPENERS if gates[name].may_open(None))
    return {w: tuple(v) for w, v in index.items()}, anywhere


def _openers(clause: str) -> tuple[str, ...]:
    """The opener lists (``_OPENERS``) ``clause`` opens with a phrase of (``name^``).
    Only the lists with a phrase starting with the clause's first word are read."""
    index, anywhere = _opener_index()
    m = _FIRST_WORD_RE.match(clause)
    names = index.get(m.group(1), ()) if m else ()
    if anywhere:
        names = (*names, *anywhere)
    if not names:
        return ()
    lex = _lexicon()
    return tuple(n for n in names if lex[n + "^"].search(clause) is not None)


def _may_split(sent: str) -> bool:
    """False when ``_CONTRAST_SPLIT_RE`` cannot match ``sent`` (none of its words or
    ";"), which spares the pattern most sentences; exact, as the pattern is read
    case-insensitively only on lower-cased text (``_CASE_FOLDS`` aside)."""
    if ";" in sent or _CASE_FOLDS_RE.search(sent):
        return True
    if "but" in sent or "however" in sent or "yet" in sent:
        return True
    return "," in sent and any(w in sent for w in _SPLIT_AFTER_COMMA)


def _clauses(text: str, sarcastic: list[tuple[int, int]] | None = None) -> list[_Clause]:
    """Sentences cut at contrasts, each with the weight of where it stands (and, into
    ``sarcastic``, the sentences that open sarcastically: :func:`_sarcastic`)."""
    out: list[_Clause] = []
    for m in _SENTENCE_RE.finditer(text):
        s, e = m.start(), m.end()
        sent = text[s:e]
        if not sent.strip():
            continue
        opens = _openers(sent)
        if sarcastic is not None and "sarcasm_openers" in opens:
            sarcastic.append((s, e))
        base = OVERALL if "overall_openers" in opens else 1.0
        # Session 16: "We do not, however, support it": an aside after an auxiliary
        # is no clause break; it marks the sentence as the later side of a contrast
        # (as "However, we do not support it" would) or as summing up.
        aside = asides(sent) if "," in sent else []
        aside_words = {w for _, _, w in aside}
        if aside_words & set(ASIDE_OVERALL):
            base = OVERALL
        if ("contrast_openers" in opens or aside_words & set(ASIDE_CONTRAST)) and out:
            base = max(base, AFTER_CONTRAST)
            prev_s = out[-1].sentence
            for c in out:
                if c.sentence == prev_s and (c.weight < OVERALL or _consequence(text, c)):
                    c.weight = CONCEDED
        parts = [(s, e)]  # (the sentence is not blank)
        if _may_split(sent):
            cuts = [s] + [s + k.end() for k in _CONTRAST_SPLIT_RE.finditer(sent)
                          if not any(a <= k.start() < b for a, b, _ in aside)] + [e]  # fmt: skip
            parts = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if text[a:b].strip()]
        for k, (a, b) in enumerate(parts):
            w = base
            if len(parts) > 1:
                w = base * (AFTER_CONTRAST if k == len(parts) - 1 else CONCEDED)
            part_opens = opens if (a, b) == (s, e) else _openers(text[a:b])
            conceding = "concession_openers" in part_opens
            if k and conceding:
                # "..., even though I fully support the scheme": the concession
                # trails the position; the clause before it keeps its weight.
                w = base * CONCEDED
                out[-1].weight = max(out[-1].weight, base)
            if conceding and len(parts) > 1 and k == 0:
                w = base * CONCEDED
            if "condition_openers" in part_opens or _WITHOUT_CONDITION_RE.match(text, a, b):
                w = base * CONCEDED  # "If it doesn't work, ..." states a condition
            if k and "overall_openers" in part_opens:
                w = OVERALL  # "Having weighed ..., overall we support it"
            out.append(_Clause(a, b, (s, e), w))
    # "Although X, Y": the clause opening with a concession cedes to the rest of its sentence.
    for c in out:
        clause = text[c.start : c.end]
        if "," in clause and "concession_openers" in _openers(clause):
            comma = c.start + clause.index(",")
            c.end, rest = comma, _Clause(comma + 1, c.end, c.sentence, c.weight)
            c.weight *= CONCEDED
            out.append(rest)
    out.sort(key=lambda c: c.start)
    return out


_BOTH_CONTRAST_RE = re.compile(r"\b(?:but|however|yet|although|though|whereas|just|only)\b")


def two_sided(text: str, evidence: list) -> list[tuple[int, int]]:
    """The sentences that deny both sides: "Not convinced, not opposed.", "We don't
    support it and we don't oppose it." (session 9, issue 13).

    A sentence whose every reading was turned round by a negator (or is negated in
    itself: "not opposed"), with readings both ways and no contrast between them,
    takes no side: before, the two denials were weighed against each other and the
    first or the stronger one won. With a contrast ("I'm not against buses, but I
    don't want this one") the clause after it still decides. ``evidence`` is the
    discourse reader's list (``start``, ``direction``, ``negated``).
    """
    if len(evidence) < 2 or not any(ev.negated for ev in evidence):
        return []
    out = []
    for m in _SENTENCE_RE.finditer(text):
        s, e = m.span()
        inside = [ev for ev in evidence if s <= ev.start < e]
        if (
            len(inside) >= 2
            and all(ev.negated for ev in inside)
            and {ev.direction for ev in inside} == {1, -1}
            and _BOTH_CONTRAST_RE.search(text, s, e) is None
        ):
            out.append((s, e))
    return out
