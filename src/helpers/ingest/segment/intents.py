"""Headings that say what kind of answer follows, not what it is about.

Why (issue 12, session 16): a respondent's own heading is often a frame with no
subject words: "Our view on the proposal", "Where we stand", "Anything else",
"Other points", "What we ask", "Who gets missed", "Older members". Compared word
by word with the questions, such a heading shares nothing with the question it
heads, or shares a frame word with the wrong one ("Our views on the proposal"
shares view ~ comment and proposal with "Do you have any additional comments
about our proposals?"), and the census of spent batches counts own-words
headings as the largest cause of misses after unheaded letters
(docs/segmentation.md). The frame itself names a KIND of question that most
consultations ask once: the main agree/disagree question (a position), the
"any other comments" question, the "what changes would you suggest" question
and the equality question. The kinds, the heading frames and the question
patterns that find each kind's question are generic English, kept as data
(``helpers/data/heading_intents.yaml``); a consultation with no question of a
kind (or two) gets nothing from that kind (a request falls back to the
consultation's any-other-comments question).

``adjust`` rewrites a heading's (verbatim, paraphrase) scores: a heading that
is nothing but a frame scores ``INTENT`` for its kind's question and nothing
for the others (its words are the frame's, not a subject's); a position frame
followed by a subject ("My view on the new judgement") keeps the subject's
scores and gets ``INTENT`` for the position question only when the subject fits
that question about as well as any other.

Why ``INTENT`` is 0.72: it is a paraphrase score, which ``headings`` turns into
the heading's text score as ``paraphrase × shape × 0.95`` (shape 1.0 for a
heading-like line, 0.9 for a plain line, 0.6 for a line ending in "."). A frame
must place its heading when nothing better does, and never outrank a heading
that names its question, so the value sits inside the band the segmentation
thresholds (``thresholds``) leave, about 0.64 to 0.74:

- plain line 0.72 × 0.9 × 0.95 = 0.62 and heading-like line 0.68: both beat
  ``ACCEPT`` (0.55), so the heading joins the chain of headings even a question
  or two out of order;
- 0.68 stays under ``PARAPHRASE_OUT`` (0.70) and ``STRONG`` (0.80): a frame
  alone never keeps a heading outside the chain (a verbatim or numbered
  heading does), and under 0.70 it is no "strong" own heading for ``shapes``;
- it stays under 0.75, so the heading is still "only a paraphrase": the run
  warns to check it, ``sections`` judges it again with its lead, and the
  document's joint reading (``joint``, ``_STRONG_TEXT``) may move it;
- a plain line ending in "." scores 0.72 × 0.6 × 0.95 = 0.41, under
  ``TEXT_MIN`` (0.50): a frame alone does not make a sentence a heading.

The band's ends are 0.55 / (0.9 × 0.95) = 0.643 and 0.70 / 0.95 = 0.737; the
value inside it was not fitted (it still weighs in the chain's sums of
scores, where headings compete for questions).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources

import yaml

from helpers.core.consultation import Question

INTENT = 0.72  # a frame-only heading's paraphrase score for its kind's question
# A deferred kind ("About the X": self) is the respondent's self-description only when X
# is none of the consultation's subjects: a shared content word, or a paraphrase score
# this high, leaves the heading to the word-by-word scores.
DEFER = 0.5
TIE = 0.9  # a framed subject tips to the position question within this share of the best

# A leading label the respondent put before the heading's words: "Part F –",
# "Slide 5 –", "Section 2:", "2.", "(b)", "Annex 1 -", markdown and bullets.
_LABEL_RE = re.compile(
    r"^(?:[#>*•\-\s]*)"
    r"(?:(?:part|section|slide|annex|appendix|point|item|chapter|step|motion|resolution|topic|theme)"
    r"\s+[a-z0-9ivx]{1,4}\s*[–—:.\-]\s*"
    r"|\(?[0-9]{1,2}[.)]\s+|\(?[a-h][.)]\s+|[a-h][0-9]{1,2}[.):]?\s+)?",
    re.IGNORECASE,
)

# A form's closing tag after the heading's words: "Your story (optional)", "Comments
# (max 200 words)", "About you [required]": how to fill the box, not what it is.
_TAG_RE = re.compile(
    r"\s*[(\[]\s*(?:optional|required|mandatory|if (?:any|applicable|relevant|you wish)"
    r"|(?:max(?:imum|\.)?|up to|no more than) \d+ (?:words|characters))\s*[)\]]\s*[:?.]?\s*$",
    re.IGNORECASE,
)

# A numbered heading ("1. About the Guild", "(a) Who we are"): its number is the
# document's own or a question's, and ``shapes``/``joint`` weigh it; a deferred
# kind leaves it to them.
_NUMBERED_RE = re.compile(
    r"^[#>*•\-\s]*(?:\(?(?:[0-9]{1,2}|[ivx]{1,4}|[a-h])[.):]|[a-h][0-9]{1,2}\b"
    r"|(?:part|section|slide|step|item|motion|resolution)\s+\w{1,4}\b)",
    re.IGNORECASE,
)


@cache
def _table() -> dict:
    raw = yaml.safe_load(
        resources.files("helpers").joinpath("data", "heading_intents.yaml").read_text("utf-8")
    )
    out = {}
    for kind, spec in raw.items():
        out[kind] = {
            "question": [re.compile(p, re.IGNORECASE) for p in spec.get("question") or []],
            "heading": [re.compile(rf"(?:{p})", re.IGNORECASE) for p in spec.get("heading") or []],
            "frame": [re.compile(rf"^(?:{p})", re.IGNORECASE) for p in spec.get("frame") or []],
            "fallback": spec.get("fallback"),
            "defer": bool(spec.get("defer")),
            "firm": [re.compile(rf"(?:{p})", re.IGNORECASE) for p in spec.get("firm") or []],
        }
    return out


def clean(heading: str) -> str:
    """The heading's words: leading label, markup and closing punctuation taken off."""
    h = " ".join(heading.split())
    h = _LABEL_RE.sub("", h, count=1)
    h = _TAG_RE.sub("", h)
    h = h.strip(" \t*#_:;?!.…\"“”‘’'()[]–—-").replace("’", "'")
    return " ".join(h.split()).lower()


@lru_cache(maxsize=256)
def targets(questions: tuple[Question, ...]) -> dict[str, int]:
    """Kind -> index of the consultation's one question of that kind.

    ``position`` is the first closed question, ``self`` the one profile question; the others are the one question
    whose text, short label or aliases match the kind's patterns (none or
    several: the kind names no question). A kind with no question of its own
    takes its ``fallback`` kind's question.
    """
    table = _table()
    out: dict[str, int] = {}
    for kind, spec in table.items():
        if kind == "position":
            hit = [i for i, q in enumerate(questions) if q.kind == "closed"][:1]
        elif kind == "self":
            hit = [i for i, q in enumerate(questions) if q.kind == "profile"]
        else:
            hit = [
                i
                for i, q in enumerate(questions)
                if q.kind != "profile"
                and any(
                    p.search(w)
                    for p in spec["question"]
                    for w in (q.text, q.short or "", *q.aliases)
                )
            ]
        if len(hit) == 1:
            out[kind] = hit[0]
    for kind, spec in table.items():
        if kind not in out and spec["fallback"] in out:
            out[kind] = out[spec["fallback"]]
    return out


def _forms(heading: str) -> list[str]:
    """The heading's words (``clean``), and each half of a two-language heading.

    Why (session 22): a respondent writing in two languages puts both on one line
    around a slash, "Quem somos / Who we are", "Cosa chiediamo / What we ask"
    (spent batches 10, 24), as it numbers its questions "Pergunta 1 / Question 1"
    (``numbering`` reads that by the repeated number). A frame in either half
    is the heading's frame; no language's words are needed. Only a spaced slash
    with words on both sides splits ("and/or", "24/7" never do).
    """
    h = clean(heading)
    halves = [clean(p) for p in h.split(" / ")] if h.count(" / ") == 1 else []
    return [h, *(p for p in halves if re.search(r"[a-z]", p))]


def intent_of(heading: str) -> tuple[str, str] | None:
    """(kind, "whole") when the heading is nothing but a kind's frame,
    ("position", rest) when it is a position frame followed by its subject, else None."""
    forms = _forms(heading)
    h = forms[0]
    if not h or len(h.split()) > 12:
        return None
    for kind, spec in _table().items():
        if any(p.fullmatch(f) for f in forms for p in spec["heading"]):
            return kind, ""
    for p in _table()["position"]["frame"]:
        m = p.match(h)
        if m and re.search(r"[a-z]{3}", h[m.end() :]):
            return "position", h[m.end() :]
    return None


def deferred(heading: str) -> bool:
    """Whether the heading is a frame of a deferred kind ("About the Guild": ``self``),
    not one of the kind's ``firm`` frames ("About you", "Respondent details")."""
    found = intent_of(heading)
    return found is not None and _table()[found[0]]["defer"] and not _firm(heading, found[0])


def _firm(heading: str, kind: str) -> bool:
    """Whether the heading is one of ``kind``'s frames that no number outvotes
    ("A1. About you": a form's own section code, not question 1)."""
    return any(p.fullmatch(f) for f in _forms(heading) for p in _table()[kind]["firm"])


def firm_self(heading: str) -> bool:
    """Whether the heading is one of the ``self`` kind's firm frames ("About me",
    "Who we are", "Quem somos / Who we are"): the respondent describing itself."""
    found = intent_of(heading)
    return found is not None and found[0] == "self" and not found[1] and _firm(heading, "self")


def adjust(
    heading: str,
    questions: tuple[Question, ...],
    scores: list[tuple[float, float]],
    rescore,
    shares_words=lambda: False,
) -> list[tuple[float, float]]:
    """The heading's scores with its frame read (module docstring).

    ``rescore(text)`` scores another text against ``questions`` (the subject
    after a position frame); ``shares_words()`` tells whether the heading uses
    any question's content words (wording, short label, aliases, key terms). Unchanged when the heading is no frame, when its
    kind names no question here, or when the heading repeats a question's
    words verbatim (a verbatim match is stronger evidence than any frame).
    """
    if len(heading) > 120 or max((v for v, _ in scores), default=0.0) >= 0.6:
        return scores
    found = intent_of(heading)
    if found is None:
        return scores
    kind, rest = found
    target = targets(questions).get(kind)
    if target is None:
        return scores
    if not rest:
        if _table()[kind]["defer"] and (
            not _firm(heading, kind)
            and (
                _NUMBERED_RE.match(heading)
                or max((p for _, p in scores), default=0.0) >= DEFER
                or shares_words()
            )
        ):
            return scores
        return [(0.0, INTENT if i == target else 0.0) for i in range(len(questions))]
    sub = rescore(rest)
    best = max((max(s) for s in sub), default=0.0)
    out = list(sub)
    if max(sub[target]) >= TIE * best:
        out[target] = (sub[target][0], max(sub[target][1], INTENT))
    return out
