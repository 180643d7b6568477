"""Going ahead as planned: "Start in January 2023 as planned", "I would start it as proposed".

Session 20 (issue 13): a respondent who asks for the proposal to go ahead "as planned" or "as
proposed" agrees with it, though no word of position is written; ofsted-docs-22's campaign
answer "Start in January 2023 as planned. Every month of delay is another group of us leaving
care with nobody checking." was read as no position in two documents (gold agree), as were
"I would start it in January as planned" (ofsted-docs-15) and "would start in January 2023 as
proposed" (ofsted-docs-18) before their other sentences decided. Only a verb of going ahead
("start", "begin", "go ahead", "proceed", "introduce", "implement", "bring it in") with
"as planned/proposed/scheduled/intended" after it in the same clause, and no negator before
the verb ("don't start it as planned"); "oppose the gate as proposed" names what is opposed
and is read by its verb, never here. Read as weak agreement (an ordinary phrase), so an
explicit position or a contrast elsewhere still decides.
"""

from __future__ import annotations

import re

__all__ = ["as_planned"]

_AS_PLANNED_RE = re.compile(
    r"\b(?:start|starts|starting|begin|begins|beginning|go\s+ahead|goes\s+ahead|going\s+ahead|"
    r"proceed|proceeds|proceeding|introduce|introducing|implement|implementing|launch|"
    r"bring\s+(?:it|them|this)\s+in)\b"
    r"(?P<gap>[^.!?;:,\n]{0,50}?)\bas\s+(?:planned|proposed|scheduled|intended)\b"
)
_NEGATED_BEFORE_RE = re.compile(
    r"(?:\bnot|n['’]t|\bnever|\bcannot|\bno)\s+(?:[\w’'-]+\s+){0,2}$|\bnot\s+to\s+$"
)
_POSITION_IN_GAP_RE = re.compile(r"\b(?:not|never|n['’]t|oppose|against|object|reject)\b")


def as_planned(text: str) -> list[tuple[int, int]]:
    """The spans where ``text`` (lower-cased) asks for the proposal to go ahead as planned;
    each is weak agreement."""
    if " as " not in text:
        return []
    out = []
    for m in _AS_PLANNED_RE.finditer(text):
        if _POSITION_IN_GAP_RE.search(m.group("gap")):
            continue
        if _NEGATED_BEFORE_RE.search(text, max(0, m.start() - 30), m.start()):
            continue
        out.append(m.span())
    return out
