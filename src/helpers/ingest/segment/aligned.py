"""A letter's paragraphs aligned to the questions jointly, in one pass over the whole letter.

Session 9's gap filling placed only paragraphs between two already placed by
their own content, and only with questions between theirs. A reader of a
letter does more: the paragraph after an answer to a question
usually goes on with it, a paragraph before the first placed one may open
the answers if the order allows, and a weak single-paragraph decision that
breaks the letter's flow is doubted. Here every paragraph of a letter is
labelled at once by a small dynamic programme (a hidden-Markov style
alignment):

* **Emission**: a paragraph's gain for a question is ``MARGIN`` minus its
  shortfall from its best question (``ordered.evidence``: meaning plus topic
  words), so its own leader gains most, a near-tie a little, and a question
  far behind nothing; the evidence must reach ``ordered.FILL_MIN``. A paragraph
  placed by its own content (``meaning._decide``) adds ``ANCHOR`` for that
  question: such decisions usually stand, but a weak one can be outvoted
  by the order and its neighbours. A paragraph may always stay unplaced
  (gain 0): preamble, off-topic and sign-off text.
* **Transitions**: going on with the question of the paragraph just before
  gains ``CONTINUE`` (the question need not be open to the paragraph on its
  own: a closed question's answer goes on without restating the position);
  a paragraph opening a new point ("One more thing", "Finally",
  ``new_point`` cues) does not go on. Moving on to a later question is
  free; going back to an earlier one costs ``BACK``, so out-of-order
  answers need strong evidence.
* **Requests**: a paragraph whose first sentence asks for something ("We
  would ask for permits", "The Council asks that ...", "Please ...") and
  takes no position answers the consultation's suggestions question, when
  it has one (an open question whose wording asks for changes:
  ``suggestion_question`` cues), as its clear leader and an anchor: what a
  request is about (the gate, the street) names other questions' topics,
  but what it does is propose a change.
* Paragraphs after the last paragraph placed by content need ``EDGE_MIN``
  evidence: a closing remark is more often a sign-off than an answer. Before
  the first one only a paragraph taking a position is placed (with
  ``EDGE_MIN``): a letter's opening paragraphs say who writes and why, unless
  they open with the writer's view ("I'm against it").
  A closing paragraph that opens a new point ("One more thing: ...") needs
  only ``fill_min``: a sign-off does not open with "one more thing"
  (``NEW_POINT_END``).
* A paragraph's shortfall is measured from its best question *open to it*
  (``ALLOWED_TOP``): a closed question it takes no position on may not be
  the "best" that hides its open answer. Content's own choice (the anchor)
  and going on are measured from its best question of all.

No consultation's vocabulary is used: only the question model and the
generic cue lists in ``data/letter_cues_en.yaml``. Linear in the number of
paragraphs (O(paragraphs × questions²)).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from helpers.core.consultation import Question
from helpers.ingest.segment.letters import MIN_SCORE, _cues, _phrase_re, lead_sentences
from helpers.ingest.segment.passages import takes_position

MARGIN = 0.03  # a paragraph's gain for its best question
ANCHOR = 0.04  # ...and for the question its own content chose
CONTINUE = 0.03  # going on with the question of the paragraph before
BACK = 0.05  # going back to a question before the last one answered
EDGE_MIN = 0.50  # evidence needed before the first or after the last anchored paragraph
NEW_POINT_END = True  # a new point after the last anchor needs no more evidence than the middle
ALLOWED_TOP = True  # a paragraph's own gain is measured from the best question open to it
NEG = -1e9


@dataclass
class Item:
    """One paragraph of the letter, as the alignment sees it.

    ``ev``: evidence per question; ``allowed``: the questions it may answer on
    its own; ``anchor``: the question its own content chose (or None);
    ``fixed``: a label that may not change (a heading's); ``goes_on``: it may
    continue the question before it; ``eligible``: it may be placed at all;
    ``breaks``: an unplaced heading line, which ends the answer before it;
    ``opens``: it takes a position, so it may open the letter's answers.
    """

    ev: np.ndarray
    allowed: np.ndarray
    anchor: int | None = None
    fixed: bool = False
    goes_on: bool = True
    eligible: bool = True
    breaks: bool = False
    opens: bool = False


def _margins(item: Item, rank: Sequence[int], allowed_only: bool = False) -> np.ndarray:
    """``MARGIN`` less each question's shortfall from the paragraph's best readable question
    (with ``allowed_only``, the best question it may answer on its own)."""
    ranked = [j for j in range(len(rank)) if rank[j] >= 0 and (not allowed_only or item.allowed[j])]
    top = max((item.ev[j] for j in ranked), default=0.0)
    return MARGIN - (top - np.asarray(item.ev))


def _gains(
    item: Item,
    rank: Sequence[int],
    fill_min: float,
    edge: str,
    margins: np.ndarray,
    own: np.ndarray | None = None,
) -> np.ndarray:
    """Each question's emission gain for ``item`` (NEG where it may not take it on its own)."""
    m = len(rank)
    own = margins if own is None else own
    out = np.full(m, NEG)
    if item.fixed:
        if item.anchor is not None:
            out[item.anchor] = 0.0
        return out
    if not item.eligible or (edge == "before" and not item.opens):
        return out
    # a closing paragraph opening a new point ("One more thing: ...") is an answer, not a sign-off
    new_point = edge == "after" and not item.goes_on and NEW_POINT_END
    least = max(fill_min, EDGE_MIN) if edge and not new_point else fill_min
    for j in range(m):
        if rank[j] < 0:
            continue
        anchored = item.anchor == j
        if not anchored and (not item.allowed[j] or item.ev[j] < least):
            continue
        # content's own choice is measured from the paragraph's best question of all, so a
        # paragraph going on with a closed answer can outvote a weak anchor; any other
        # question from the best one open to it (``own``)
        out[j] = max(margins[j], 0.0) + ANCHOR if anchored else own[j]
    return out


def align(items: Sequence[Item], rank: Sequence[int], fill_min: float) -> list[int | None]:
    """The best labelling of a letter's paragraphs (module docstring); None = unplaced.

    ``rank`` is each question's place in the consultation (-1: never placed
    by reading, a profile question). State: the last question answered and
    whether the paragraph just before answered it.
    """
    n = len(items)
    m = len(rank)
    anchored = [k for k, it in enumerate(items) if it.anchor is not None]
    lo, hi = (anchored[0], anchored[-1]) if anchored else (n, -1)
    # state key: (last question or -1, whether the previous paragraph had it)
    best: dict[tuple[int, bool], float] = {(-1, False): 0.0}
    back: list[dict[tuple[int, bool], tuple[tuple[int, bool], int | None]]] = []
    for k, it in enumerate(items):
        edge = "before" if k < lo else "after" if k > hi else ""
        margins = _margins(it, rank)
        own = _margins(it, rank, allowed_only=True) if ALLOWED_TOP else margins
        gains = _gains(it, rank, fill_min, edge, margins, own)
        cur: dict[tuple[int, bool], float] = {}
        arg: dict[tuple[int, bool], tuple[tuple[int, bool], int | None]] = {}

        def push(key, val, frm, lab, cur=cur, arg=arg):
            if val > cur.get(key, NEG):
                cur[key], arg[key] = val, (frm, lab)

        for (last, adj), v in best.items():
            if not it.fixed:
                # unplaced; a line that is no paragraph (ineligible) keeps the run going
                push((last, adj and not it.eligible and not it.breaks), v, (last, adj), None)
            for j in range(m):
                g = gains[j]
                cont = j == last and adj and it.goes_on and it.eligible and not it.fixed
                if g <= NEG / 2:
                    if not cont or rank[j] < 0 or it.ev[j] < fill_min:
                        continue
                    g = margins[j]
                if cont:
                    g += CONTINUE
                elif last >= 0 and rank[j] < rank[last]:
                    g -= BACK
                if g <= 0 and not it.fixed:
                    continue
                push((j, True), v + g, (last, adj), j)
        best = cur
        back.append(arg)
    key = max(best, key=lambda s: best[s])
    labels: list[int | None] = [None] * n
    for k in range(n - 1, -1, -1):
        key, labels[k] = back[k][key]
    return labels


def two_named(topic: Sequence[float], allowed: np.ndarray) -> tuple[int, int] | None:
    """The two questions a paragraph's lead names both clearly, if it names exactly two.

    Rationale: "I am in favour of the new judgement and I think January is
    sensible too" answers two questions in one paragraph; its topic words
    name both (``letters.MIN_SCORE`` each), so neither leads. Such a paragraph
    is as good an answer to one as to the other, and the letter's order
    chooses where it is filed (the earlier question, when the letter goes on
    in order); the row's reason names both, so the researcher can copy it.
    """
    named = [j for j, t in enumerate(topic) if t >= MIN_SCORE and allowed[j]]
    return (named[0], named[1]) if len(named) == 2 else None


@lru_cache(maxsize=1)
def _request_re() -> re.Pattern[str]:
    c = _cues()
    verbs = _phrase_re(c["request_verbs"]).pattern
    phrases = _phrase_re(c["request_phrases"]).pattern
    # a subject (a pronoun or a capitalised name: "The County Council asks") then a request verb
    subject = r"(?:\b(?i:i|we|it|they|he|she)\b|\b[A-Z][\w'’-]+)"
    return re.compile(
        rf"{subject}(?:\s+[\w’'-]+){{0,2}}?\s+(?i:{verbs})|(?i:{phrases})|^\W*(?i:please)\b"
    )


_NUMBER_RE = re.compile(
    r"^\W*(?:\d{1,2}(?:\.\d{1,2})+\.?|\d{1,2}[.)]|[a-z][.)]|[ivx]{1,4}[.)])\s+", re.I
)


def first_sentence(text: str) -> str:
    """A paragraph's first sentence, past a paragraph number ("7. The Council asks ...")."""
    m = _NUMBER_RE.match(text)
    return lead_sentences(text[m.end() :] if m else text, 1)


def makes_request(text: str) -> bool:
    """Whether a paragraph's first sentence asks for something ("We would ask for ...")
    and takes no position besides (the request itself is no position: "ask for")."""
    first = first_sentence(text)
    m = _request_re().search(first)
    return m is not None and not takes_position(first[: m.start()] + " " + first[m.end() :])


@lru_cache(maxsize=1)
def _new_point_re() -> re.Pattern[str]:
    return re.compile(rf"^\W*(?:{_phrase_re(_cues()['new_point']).pattern})", re.I)


def opens_new_point(text: str) -> bool:
    """Whether a paragraph opens by turning to a new point ("One more thing.", "Finally, ...")."""
    return bool(_new_point_re().match(first_sentence(text)))


@lru_cache(maxsize=8)
def suggestion_question(qs: tuple[Question, ...]) -> int | None:
    """The open question asking for suggested changes, if exactly one does."""
    cue = _phrase_re(_cues()["suggestion_question"])
    found = [
        j
        for j, q in enumerate(qs)
        if q.kind == "open" and any(cue.search(v) for v in (q.text, q.short) if v)
    ]
    return found[0] if len(found) == 1 else None
