"""A letter's paragraphs read in order: titles opened up, gaps filled by a monotone alignment.

``meaning`` judges each passage of text no heading placed on its own, precision
first: a paragraph goes to a question only when its meaning and its topic
words agree, or its meaning leads clearly. In a letter or e-mail with no
headings, most paragraphs are close to two or three questions at once (one
consultation, one topic), so many stay ``unstructured`` although the letter
answers the questions one after another ("On the first one …", then what good
looks like, then the date). Two things a reader uses are added here:

1. **A title is not a heading.** A heading-shaped line that opens the text
   (the sender's name, "Seven things we want you to know") or stands right
   after the greeting (a subject line with no "Re:", "Riverside scheme") heads
   the whole letter, not one answer: such a block with more than one paragraph
   under it is read paragraph by paragraph (:func:`open_titles`).
2. **Order.** Respondents who write prose mostly answer in the consultation's
   order, skipping what they have nothing to say about. Between two
   paragraphs already placed (for questions *a* and then *b*) an unplaced
   paragraph most likely answers a question from *a* to *b*; the paragraphs of
   one gap are aligned to those questions together, in order, each question
   used by one run of paragraphs and any question skipped (a small dynamic
   programme, :func:`fill_gaps`). The order only chooses among questions the
   paragraph's own content puts within ``FILL_MARGIN`` of its best one, so it
   never overrules a clear leader; paragraphs that are no view (greetings,
   introductions, self-descriptions, the opening, short lines) are never
   filled; a gap whose placed neighbours run against the consultation's order
   is filled only between them when they allow it. No consultation's
   vocabulary is used: only the question model (``meaning.QuestionModel``)
   and the generic cue lists.

Linear in the number of paragraphs (each gap's programme is over its own
paragraphs and at most the consultation's questions).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from helpers.ingest.segment import aligned
from helpers.ingest.segment.letters import _paragraphs, _patterns, lead_scores, lead_sentences
from helpers.ingest.segment.passages import (
    Block,
    _greeting_re,
    blocks,
    describes_self,
    prose,
    strip_span,
    takes_position,
)

FILL_MARGIN = 0.03  # a question this close to the paragraph's best may be chosen by order
FILL_MIN = (
    0.40  # ...and the paragraph's evidence must reach this (MiniLM scale; WordLlama uncalibrated)
)
TITLE_PARAGRAPHS = 4  # an unclear heading over this many paragraphs is the letter's title
MIN_WORDS = 8  # shorter paragraphs are greetings, titles and address lines
ORDER_WHY = "read in order with the letter's other paragraphs"
LEX_W, LEX_CAP = 0.25, 6.0  # topic words in the lead: weight, score at which they count fully


def _is_greeting(block: Block) -> bool:
    body = block.body.strip()
    return (
        block.heading is None
        and bool(body)
        and "\n" not in body
        and bool(_greeting_re().search(body))
    )


def title_block(blks: Sequence[Block], k: int, unclear: Callable[[Block], bool]) -> bool:
    """Whether heading block ``k`` heads a whole letter: it opens the text or follows the
    greeting, with more than one paragraph under it; or its heading means no question
    (``unclear``) and ``TITLE_PARAGRAPHS`` or more paragraphs lie under it (an own-words
    section is rarely that long; "Seven things we want you to know" over seven points is)."""
    b = blks[k]
    if b.heading is None:
        return False
    n = len(_paragraphs(b.body))
    if n < 2:
        return False
    if b.first or (k > 0 and _is_greeting(blks[k - 1])):
        return True
    return n >= TITLE_PARAGRAPHS and unclear(b)


def open_titles(text: str, blks: list[Block], unclear: Callable[[Block], bool]) -> list[Block]:
    """``blks`` with each title block (:func:`title_block`) replaced by its heading line and
    its paragraphs, each a block of its own (``heading`` None)."""
    out: list[Block] = []
    for k, b in enumerate(blks):
        if not title_block(blks, k, unclear):
            out.append(b)
            continue
        a, z = strip_span(text, b.start, b.body_start)
        out.append(Block(a, z, a, None, text[a:z], first=b.first))
        for a, z in _paragraphs(text[b.body_start : b.end]):
            a, z = b.body_start + a, b.body_start + z
            out.append(Block(a, z, a, None, text[a:z]))
    return out


def evidence(sims: np.ndarray, topic: Sequence[float]) -> np.ndarray:
    """A paragraph's evidence per question: its meaning's closeness to the question's answers
    plus a capped share for the question's own topic words in its lead."""
    lex = np.minimum(np.asarray(topic, dtype=float), LEX_CAP) / LEX_CAP
    return np.asarray(sims, dtype=float) + LEX_W * lex


def _align(ev: np.ndarray, allowed: np.ndarray, lo: int, hi: int) -> list[int | None]:
    """The best in-order labelling of one gap's paragraphs with questions ``lo..hi``.

    ``ev`` (paragraphs × questions) is each pair's gain (<= 0: not worth
    assigning); ``allowed`` masks pairs. Labels are non-decreasing in question
    order; a paragraph may stay unlabelled (gain 0). O(paragraphs × questions²).
    """
    n, m = ev.shape
    qs = list(range(lo, hi + 1))
    neg = -1e9
    # best[k][s]: best total over the first k paragraphs with last question s (index in qs, or -1)
    best = [{-1: 0.0}]
    back: list[dict] = []
    for k in range(n):
        cur: dict[int, float] = {}
        arg: dict[int, tuple[int, int | None]] = {}
        for s, v in best[-1].items():
            if v > cur.get(s, neg):  # paragraph k unlabelled
                cur[s], arg[s] = v, (s, None)
            for t, q in enumerate(qs):
                if t < s or not allowed[k, q] or ev[k, q] <= 0:
                    continue
                w = v + ev[k, q]
                if w > cur.get(t, neg):
                    cur[t], arg[t] = w, (s, q)
        best.append(cur)
        back.append(arg)
    s = max(best[-1], key=lambda x: best[-1][x])
    labels: list[int | None] = [None] * n
    for k in range(n - 1, -1, -1):
        s, labels[k] = back[k][s]
    return labels


def fill_gaps(
    labels: Sequence[int | None],
    ev: np.ndarray,
    eligible: Sequence[bool],
    allowed: np.ndarray,
    rank: Sequence[int],
) -> list[int | None]:
    """``labels`` with unlabelled eligible paragraphs filled in order (module docstring, 2).

    ``ev`` is the evidence per (block, question) (:func:`evidence`); ``allowed``
    masks the questions each block may answer; ``rank`` is each question's place
    in the consultation (profile questions: -1, never filled). A block's gain
    for a question is ``FILL_MARGIN`` minus its shortfall from the block's best
    allowed question, and counts only when its evidence reaches ``FILL_MIN``.
    """
    out = list(labels)
    n = len(out)
    placed = [k for k in range(n) if out[k] is not None]
    bounds = [-1, *placed, n]
    m = ev.shape[1] if n else 0
    for a, z in zip(bounds, bounds[1:], strict=False):
        gap = [k for k in range(a + 1, z) if eligible[k]]
        if not gap or a < 0 or z >= n:
            continue  # the order speaks only between two placed paragraphs
        lo, hi = rank[out[a]], rank[out[z]]
        if lo < 0 or hi < 0 or lo > hi:
            continue
        by_rank = {r: j for j, r in enumerate(rank) if r >= 0}
        sub = np.zeros((len(gap), m))
        ok = np.zeros((len(gap), m), dtype=bool)
        for i, k in enumerate(gap):
            cand = [j for j in range(m) if allowed[k, j] and rank[j] >= 0]
            if not cand:
                continue
            top = max(ev[k, j] for j in cand)
            for j in cand:
                sub[i, rank[j]] = FILL_MARGIN - (top - ev[k, j]) if ev[k, j] >= FILL_MIN else 0.0
                ok[i, rank[j]] = lo <= rank[j] <= hi
        got = _align(sub, ok, lo, hi)
        for i, r in zip(gap, got, strict=True):
            if r is not None:
                out[i] = by_rank[r]
    return out


def fillable(block: Block) -> bool:
    """Whether a letter's paragraph may be placed by its order: a view of some length, not a
    greeting, title, introduction or self-description (``_by_body``'s guards)."""
    if block.heading is not None or len(block.body.split()) < MIN_WORDS or not prose(block.body):
        return False
    if block.first and not takes_position(block.body):
        return False
    pats = _patterns()
    first = aligned.first_sentence(block.body)
    # Who writes, then a position in the next sentence ("I left care in 2009. I'm
    # against it."): a view, read like any other.
    return not (
        pats["intro_always"].search(first)
        or (pats["intro"].search(first) and not pats["stance"].search(first))
        or (
            describes_self(first)
            and not pats["stance"].search(first)
            and not takes_position(lead_sentences(block.body, 2))
        )
    )


def place_in_order(
    blks: list[Block],
    labels: list,
    model,
    bodies,
    taken: set[int],
    opened: set[int],
    catch_why: str,
) -> list:
    """``labels`` with a letter's paragraphs read in order (``aligned``: the whole letter at once).

    ``model`` is the run's ``meaning.QuestionModel``, ``bodies`` the blocks'
    body vectors, ``taken`` the questions the respondent's other rows answer,
    ``catch_why`` the reason ``meaning`` gives a catch-all placement.
    A closed question is open to a paragraph that takes a position or names
    the question's topic words (only closed ones, when its lead takes a
    position and one is open); a question another row of the respondent
    answers, and a profile question, never. A paragraph filed under the
    catch-all question for want of a clear one is no anchor (the order may
    place it better); one of a letter's opened title block (``opened``) the
    order does not place stays unassigned, as its block was.
    """
    qs = model.questions
    rank, r = [], 0
    for q in qs:
        rank.append(-1 if q.kind == "profile" else r)
        r += q.kind != "profile"
    # A paragraph filed under the catch-all question only for want of a clear
    # question is no anchor: the order may place it better.
    fixed = [None if why.startswith(catch_why) else j for j, _, why in labels]
    sims: dict[int, np.ndarray] = {}
    notes: dict[int, tuple] = {}  # (questions, why) a paragraph is placed, not by order alone
    items = [_item(b, fixed[k], k, model, bodies, taken, sims, notes) for k, b in enumerate(blks)]
    if not any(it.anchor is not None for it in items):
        # no paragraph placed by its own content: no order to follow
        return [(None, 0.0, "") if k in opened and fixed[k] is None else lab
                for k, lab in enumerate(labels)]  # fmt: skip
    got = aligned.align(items, rank, FILL_MIN)
    out = []
    for k, (lab, j) in enumerate(zip(labels, got, strict=True)):
        if j is None and fixed[k] is None and k in opened:
            out.append((None, 0.0, ""))
        elif j is None or (j == lab[0] and j not in notes.get(k, ((), ""))[0]):
            out.append(lab)
        else:
            qs_, why = notes.get(k, ((), ""))
            out.append((j, float(sims[k][j]), why if j in qs_ else ORDER_WHY))
    return out


def _item(b: Block, fixed, k: int, model, bodies, taken, sims: dict, notes: dict) -> aligned.Item:
    """Block ``k`` as the alignment sees it (``aligned.Item``); fills ``sims`` and ``notes``.

    A closed question is open to a paragraph that takes a position or names
    the question's topic words (only closed ones, when its lead takes a
    position); a question another row of the respondent answers, and a
    profile question, never. A paragraph naming two questions' topics is as
    good an answer to both (``aligned.two_named``); one asking for a change
    answers the suggestions question (``aligned.makes_request``).
    """
    qs = model.questions
    m = len(qs)
    if not fillable(b):
        return aligned.Item(np.zeros(m), np.zeros(m, dtype=bool), fixed, fixed=fixed is not None,
                            eligible=False, breaks=b.heading is not None)  # fmt: skip
    sims[k] = model.centroids @ bodies[k]
    topic = lead_scores(lead_sentences(b.body, 2), qs)
    ev = evidence(sims[k], topic)
    position = takes_position(b.body)
    allowed = np.array(
        [
            j not in taken
            and q.kind != "profile"
            and (q.kind != "closed" or position or topic[j] > 0)
            for j, q in enumerate(qs)
        ]
    )
    closed = allowed & np.array([q.kind == "closed" for q in qs])
    opens = bool(closed.any() and takes_position(lead_sentences(b.body, 2)))
    if opens:
        allowed = closed  # a position taken in the lead answers a closed question
    ev = np.where([j in taken or q.kind == "profile" for j, q in enumerate(qs)], -1.0, ev)
    anchor = fixed
    if (pair := aligned.two_named(topic, allowed)) is not None:
        ev[list(pair)] = ev[list(pair)].max()  # answers both: the order files it
        a, z = (qs[i].label for i in pair)
        notes[k] = (pair, f"answers {a} and {z} together: filed in order")
    sq = aligned.suggestion_question(qs)
    if sq is not None and sq not in taken and aligned.makes_request(b.body):
        ev[sq] = max(ev[sq], float(ev.max()))
        allowed[sq], anchor = True, sq
        notes[k] = ((sq,), "asks for a change: the suggestions question")
    goes_on = not aligned.opens_new_point(b.body)
    return aligned.Item(ev, allowed, anchor, goes_on=goes_on, opens=opens)


LETTER_METHODS = frozenset({"paragraph", "unstructured"})


def whole_letters(answers) -> dict[int, tuple[list[int], dict[tuple[int, int], str | None]]]:
    """Letters that ``letters.split_letter`` cut into pieces, to be read again as one text.

    Rationale: the topic-word reading places some paragraphs of a letter and
    leaves the rest in ``unstructured`` rows between them; read row by row,
    each of those rows lost its neighbours, so a paragraph going on with the
    answer just before it ("That support is subject to one reservation")
    could not follow it. A respondent whose rows (besides the closing) are
    all such pieces, with at least one placed and one unstructured, is read
    as one letter, its placed pieces as anchors (``place_in_order``).
    Returns, keyed by the letter's first row index: the indices of its rows
    and each row's (start, end) -> question id (None for an unstructured row).
    """
    out: dict[int, tuple[list[int], dict[tuple[int, int], str | None]]] = {}
    body = answers[answers["question_id"] != "closing"]
    for _, g in body.groupby("respondent_id", sort=False):
        methods = set(g["match_method"])
        if not methods <= LETTER_METHODS or len(methods) < 2:
            continue
        g = g.sort_values("start")
        spans = {
            (int(s), int(e)): str(q) if m == "paragraph" else None
            for s, e, q, m in zip(
                g["start"], g["end"], g["question_id"], g["match_method"], strict=True
            )
        }
        out[g.index[0]] = (list(g.index), spans)
    return out


def letter_blocks(text: str, spans: dict[tuple[int, int], str | None], stop: int) -> list[Block]:
    """The blocks of a letter read whole (:func:`whole_letters`): each piece's own blocks, so
    a placed paragraph stays one block even under a line ``blocks`` reads as a heading."""
    out: list[Block] = []
    for a, z in sorted(spans):
        if a < stop:
            out.extend(blocks(text, a, min(z, stop)))
    return out
