"""Every spent set's direction flips (agree read as disagree, or the reverse) by mechanism.

    PYTHONPATH=src:. python -m benchmarks.stance_flip_census CENSUS_DIR SET ... [--list]

Session 27 (issue 13). Reads ``CENSUS_DIR/<set>.jsonl`` (``benchmarks.stance_census``) for
each set named (held-back sets refused, ``stance_collect._forbidden``), keeps the cases whose
error is a flip (``stance_classes.error_class``) and gives each two labels:

- ``source``, which layer chose the wrong side: a letter's reader (method ``unstructured``),
  a tick box with text, or for a text answer the discourse reader read alone (``refine``):
  ``reader`` when it already takes the wrong side, ``later:none`` when it finds no position
  and a later layer (the gate, a comparison, a closing verdict) takes the wrong side,
  ``later:other`` when it takes the right side and a later layer turns it;
- ``mechanism``, read from the system's evidence sentence, its place in the answer and (item
  sets) the gold evidence, the first of :data:`MECHANISMS` that matches (each a general
  shape of text, never a consultation's words).

Prints the classes ranked by the number of sets they occur in, with flips, sets with at
least two, both directions and the sources; ``--list`` prints every flip.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from benchmarks.stance_census import said
from benchmarks.stance_classes import ROOT, error_class
from benchmarks.stance_collect import _forbidden
from helpers.stance.sentences import sentence_spans
from helpers.validate.devsets.stancescore import direction

_OTHERS_RE = re.compile(
    r"^\W*(?:(?:every(?:one|body)|most|many|some|all|lots|people|others|they|he|she|"
    r"(?:my|our)\s+(?:neighbours?|husband|wife|partner|friends?|colleagues?|son|daughter|"
    r"mum|dad|kids|children|members?|union|council)|the\s+(?:council|government|officers?|"
    r"report|proposal|consultation|campaign\w*))\b[^.!?]{0,60}?\b(?:says?|said|thinks?|thought|"
    r"claims?|argues?|believes?|wants?|agrees?|supports?|backs?|reckons?|tells?|told)\b|"
    r"(?:some|others|people|they)\s+(?:will|would|may|might|could)\s+(?:say|argue|claim))"
)
_CONCESSIVE_RE = re.compile(
    r"^\W*(?:while|whilst|although|though|granted|admittedly|of course|in principle|on paper|"
    r"in theory|(?:i|we)\s+(?:accept|understand|appreciate|see|recognise|recognize|"
    r"acknowledge|get)\b|(?:sounds?|looks?)\s+(?:good|great|sensible|fine|nice|reasonable))\b"
)
_CONTRAST_RE = re.compile(
    r"\b(?:but|however|yet|though|that said|even so|nevertheless|nonetheless|still|"
    r"in practice|instead|unfortunately|sadly)\b"
)
_ALTERNATIVE_RE = re.compile(
    r"\b(?:instead|rather|prefer\w*|better|alternative\w*|current(?:ly)?|existing|as (?:it|they) "
    r"(?:is|are)|status quo|the way (?:it|things) (?:is|are)|leave (?:it|them|things)|"
    r"other (?:option|way|one)|later|wait|phased?|first|pilot\w*|trial\w*)\b"
)
_ASKED_RE = re.compile(
    r"(?:^|(?<=[.!?\n]))\s*(?:am|is|are|was|were|will|would|does|do|did|can|could|should|has|"
    r"have|must|shall)\b[^.!?\n]*\?\s*(?P<a>[^.!?\n]{1,40}[.!?]?)"
)
_NEGATION_RE = re.compile(r"\b(?:not|no|never|nothing|hardly|nobody|none|cannot)\b|n[’']t\b")

MECHANISMS = (
    "own_question",  # the writer asks a yes/no question and answers it ("Am I against it? Yes.")
    "others_view",  # the evidence sentence reports a third party's view or what others argue
    "question",  # the evidence sentence is a question (rhetorical or the writer's own)
    "concession",  # conceded: a concessive opening, or a contrast after it in the answer
    "alternative",  # another option, the status quo, a delay or a pilot named in the evidence
    "negation",  # a negator in the evidence sentence (negated position, litotes, "not bad")
    "closing_verdict",  # item sets: the gold evidence is in the last sentence, the system's not
    "sarcasm",  # item sets: tagged sarcasm / irony
    "other",
)


def gold_evidence(name: str) -> dict[str, tuple[str, list[str]]]:
    """``"<stem>:<id>"`` → (gold evidence, tags) for a stance item set."""
    out: dict[str, tuple[str, list[str]]] = {}
    for stem in ("ofsted", "transport"):
        path = ROOT / name / f"{stem}.yaml"
        if path.is_file():
            for item in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]:
                out[f"{stem}:{item['id']}"] = (item.get("evidence") or "", item.get("tags") or [])
    return out


def _sentence(text: str, needle: str) -> tuple[int, int, int, int] | None:
    """(index, count, start, end) of the sentence holding ``needle`` in ``text``."""
    at = text.lower().find(needle.lower()[:60]) if needle else -1
    if at < 0:
        return None
    spans = sentence_spans(text)
    for i, (s, e) in enumerate(spans):
        if s <= at < e:
            return i, len(spans), s, e
    return None


def mechanism(text: str, evidence: str, gold: str = "", tags: tuple[str, ...] = ()) -> str:
    """The first of :data:`MECHANISMS` that matches the system's evidence in ``text``."""
    where = _sentence(text, evidence)
    sent = (text[where[2] : where[3]] if where else evidence).strip().lower()
    low = text.lower()
    for m in _ASKED_RE.finditer(low):
        if where and m.start() <= where[3] and where[2] <= m.end("a"):
            return "own_question"
    if _OTHERS_RE.search(sent):
        return "others_view"
    if sent.rstrip("\"')”’ ").endswith("?"):
        return "question"
    after = text[where[3] :].lower() if where else ""
    if _CONCESSIVE_RE.search(sent) or _CONTRAST_RE.search(after[:300]):
        return "concession"
    if _ALTERNATIVE_RE.search(sent):
        return "alternative"
    if _NEGATION_RE.search(sent):
        return "negation"
    gw = _sentence(text, gold)
    if gw and where and gw[0] == gw[1] - 1 and where[0] != gw[0]:
        return "closing_verdict"
    if {"sarcasm", "irony"} & set(tags):
        return "sarcasm"
    return "other"


def source(r: dict) -> str:
    """Which layer chose the wrong side (see the module docstring)."""
    from helpers.stance.discourse import refine
    from helpers.stance.infer import infer_stance

    method = r["row"]["method"]
    if method != "text":
        return {"unstructured": "letter"}.get(method, method)
    got = direction(refine(r["text"], infer_stance(r["text"])).stance)
    if got == direction(said(r)):
        return "reader"
    return "later:none" if got in ("none", "neutral") else "later:other"


def main(argv: list[str]) -> None:
    folder, names = Path(argv[0]), [a for a in argv[1:] if not a.startswith("--")]
    per: dict[str, Counter] = defaultdict(Counter)
    info: dict[str, Counter] = defaultdict(Counter)
    for name in names:
        if _forbidden(name):
            raise SystemExit(f"{name} is held back: not read")
        golds = gold_evidence(name) if name.startswith("stance-items") else {}
        for x in (folder / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            r = json.loads(x)
            if error_class(r) != "flip" or not r["text"]:
                continue
            gold, tags = golds.get(r["name"], ("", r.get("tags") or []))
            k = mechanism(r["text"], r["row"]["evidence"] or "", gold, tuple(tags))
            src = source(r)
            per[k][name] += 1
            info[k].update([f"src {src}", f"gold {direction(r['gold'])}"])
            if "--list" in argv:
                print(f"{k:15s} {src:11s} {name} {r['name']} gold {r['gold']} got {said(r)} "
                      f"| {r['row']['evidence']!r} | {r['text'][:200]!r}")  # fmt: skip
    rows = sorted(per, key=lambda k: (-len(per[k]), -sum(per[k].values())))
    print(f"{'mechanism':15s} {'flips':>5s} {'sets':>4s} {'>=2':>4s}  gold direction, source")
    for k in rows:
        c = per[k]
        two = sum(1 for v in c.values() if v >= 2)
        print(f"{k:15s} {sum(c.values()):5d} {len(c):4d} {two:4d}  {dict(info[k])}")


if __name__ == "__main__":
    main(sys.argv[1:])
