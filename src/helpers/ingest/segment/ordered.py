"""A letter's paragraphs read in order: titles opened up, the whole letter aligned to the questions.

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
   order, skipping what they have nothing to say about, and a paragraph
   usually goes on with the answer before it. The whole letter's paragraphs
   are aligned to the questions at once (``aligned.align``, a small dynamic
   programme): each paragraph's evidence (:func:`evidence`), the decisions
   ``meaning`` made on its own as anchors that the order may overrule when
   they are weak, continuation, and going back to an earlier question only
   on strong evidence. Paragraphs that are no view (greetings,
   introductions, self-descriptions, the opening, short lines: :func:`fillable`)
   are never placed. No consultation's vocabulary is used: only the question
   model (``meaning.QuestionModel``) and the generic cue lists.
3. **A letter cut into pieces is read whole.** A letter ``letters.split_letter``
   placed in part is read again as one text, its placed pieces as anchors
   (:func:`whole_letters`, :func:`letter_blocks`).

Linear in the number of paragraphs (the programme is O(paragraphs × questions²)).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from helpers.core.text import strip_span
from helpers.ingest.segment import aligned
from helpers.ingest.segment.letters import (
    _paragraphs,
    lead_scores,
    lead_sentences,
    letter_patterns,
)
from helpers.ingest.segment.passages import (
    Block,
    blocks,
    describes_self,
    greeting_re,
    heading_line,
    prose,
    takes_position,
)

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
        and bool(greeting_re().search(body))
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


def fillable(block: Block) -> bool:
    """Whether a letter's paragraph may be placed by its order: a view of some length, not a
    greeting, title, introduction or self-description (``_by_body``'s guards)."""
    if block.heading is not None or len(block.body.split()) < MIN_WORDS or not prose(block.body):
        return False
    if block.first and not takes_position(block.body):
        return False
    pats = letter_patterns()
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


def introduces(block: Block) -> bool:
    """Whether a paragraph's first sentence introduces the letter ("Please record the following
    as the response of ...", "This is our submission on ..."): ``intro`` cues, whatever else it
    says. Such a sentence asks nothing of the proposal: a request in it ("Please record ...")
    is about the letter itself, not a suggested change (transport-13)."""
    pats = letter_patterns()
    first = aligned.first_sentence(block.body)
    return bool(pats["intro_always"].search(first) or pats["intro"].search(first))


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
    _first_of_two(items, notes, rank)
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


def _first_of_two(items: list[aligned.Item], notes: dict, rank: Sequence[int]) -> None:
    """The letter's first anchored paragraph, when it answers two questions together
    (``aligned.two_named``), anchors the earlier of the two.

    Rationale: "I am in favour of the judgement and see no reason to wait beyond
    January" opens a letter's answers; content chose the later question by a
    hair, and the next paragraphs (what good looks like) then had to go back.
    A letter that answers two questions at once before any other answers them
    in the consultation's order, the earlier first. A later such paragraph
    keeps content's choice: the answers before it set the order.
    """
    k = next((k for k, it in enumerate(items) if it.anchor is not None), None)
    if k is None or items[k].fixed:
        return
    pair = notes.get(k, ((), ""))[0]
    if len(pair) == 2 and items[k].anchor in pair:
        items[k].anchor = min(pair, key=lambda j: rank[j])


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
        # a heading, or a heading-shaped line of its own, ends the answer before it
        breaks = b.heading is not None or heading_line(b.body)
        return aligned.Item(np.zeros(m), np.zeros(m, dtype=bool), fixed, fixed=fixed is not None,
                            eligible=False, breaks=breaks)  # fmt: skip
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
    if sq is not None and sq not in taken and aligned.makes_request(b.body) and not introduces(b):
        ev[sq] = max(ev[sq], float(ev.max()) + aligned.MARGIN)
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
    # Only respondents whose every row is a letter piece can pass the test below: the
    # others (every survey respondent) are left out by whole columns first, not a pandas
    # frame per respondent (issue 15). The loop sees the same groups in the same order.
    piece = body["match_method"].isin(LETTER_METHODS).to_numpy(dtype=bool)
    if not piece.any():
        return out
    if not piece.all():
        ids, _ = pd.factorize(body["respondent_id"])  # -1: no id (groupby leaves those out)
        other = np.zeros(ids.max() + 2, dtype=bool)
        other[ids[~piece] + 1] = True
        body = body[~other[ids + 1] & (ids >= 0)]
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
