"""The letter decoder's pair features: one row per (paragraph, choice) of a letter.

Each unit of a letter (``segment.units``) is paired with "no question"
(choice 0: preamble, sign-off, off-topic) and with every question;
:func:`features` computes :data:`FEATURES` of every pair: the paragraph's
meaning (cosines with each question's answers and wording), the question's
topic words in its lead, whether it takes a position, asks for something or
tells the writer's own story, whether it opens a new point or is a postscript
(:func:`opening`), the rules' own choice, and where it sits in the letter's
flow among the paragraphs the rules placed. The decoder that scores and
decodes them is ``segment.letterseq`` (its docstring says which features were
added when and which the shipped weights name). Moved out of
``segment.letterseq`` in session 26, unchanged.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from helpers.core import schemas
from helpers.core.consultation import Question
from helpers.ingest.segment import aligned, letteracts
from helpers.ingest.segment.letters import (
    _cues,
    _explicit,
    _vocab,
    lead_scores,
    lead_sentences,
    letter_patterns,
)
from helpers.ingest.segment.meaning import catch_all
from helpers.ingest.segment.passages import describes_self, greeting_re, takes_position
from helpers.ingest.segment.units import NONE, Unit

__all__ = ["FEATURES", "features", "opening"]

_LEX_CAP = 6.0  # topic words in the lead count fully at this score (as ``ordered.LEX_CAP``)
_MIN_WORDS = 8  # shorter paragraphs are greetings, titles and address lines

FEATURES = (
    # "no question" (choice 0)
    "none_bias",
    "none_first",
    "none_last",
    "none_rel",
    "none_short",
    "none_loglen",
    "none_intro",
    "none_greeting",
    "none_self",
    "none_rules_none",
    "none_rules_closing",
    "none_position",
    "none_max_cos",
    "none_max_lex",
    "none_before_first",
    "none_after_last",
    "none_new_point",
    "none_postscript",
    # a question (choices 1..)
    "q_bias",
    "cos_centroid",
    "gap_centroid",
    "top_centroid",
    "cos_variant",
    "gap_variant",
    "lex_lead",
    "lex_top",
    "lex_para",
    "explicit",
    "closed_position",
    "closed_no_position",
    "profile",
    "profile_self",
    "request_suggestion",
    "catch_all",
    "catch_all_unclear",
    "rules",
    "rules_meaning",
    "rules_paragraph",
    "rules_score",
    "order_fit",
    "q_prev_rules",
    "q_next_rules",
    "q_in_gap",
    "q_prev_new_point",
    "q_catch_new_point",
    "q_prev_postscript",
    "q_catch_postscript",
    "q_position_act",
    "q_position_first",
    "q_request_act",
    "q_experience_act",
    "q_addressed",
    # session 26: the consultation's own sentence model (``segmentation_model``, MiniLM by
    # default) as a second reading of the paragraph's meaning (measured, see ``features``)
    "mini_cos_centroid",
    "mini_gap_centroid",
    "mini_cos_variant",
    "mini_gap_variant",
)
_IX = {name: i for i, name in enumerate(FEATURES)}


def _cue_re(words: Sequence[str]) -> re.Pattern[str]:
    """A paragraph opening with one of ``words`` (dots optional: "p.s" matches "PS", "P.S."
    and "P. S."; either apostrophe), not running on into a longer word."""
    alts = sorted(
        (
            re.escape(w).replace(r"\ ", r"\s+").replace(r"\.", r"\.?\s*").replace("'", "['’]")
            for w in words
        ),
        key=len,
        reverse=True,
    )
    return re.compile(r"^\W*(?:" + "|".join(alts) + r")(?![a-z])", re.I)


@lru_cache(maxsize=1)
def _opening_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    c = _cues()
    return _cue_re([*c["new_point"], *c["new_point_more"]]), _cue_re(c["postscript"])


def opening(body: str) -> tuple[bool, bool]:
    """(opens a new point, is a postscript) for one paragraph, from the generic cue lists
    ``new_point``, ``new_point_more`` and ``postscript`` of ``letter_cues_en.yaml``.

    Why: a paragraph that adds a point ("One more thing", "Also, ...", "PS ...") often
    leaves the question of the answer before it, for a later question or the catch-all
    one, and a postscript differently from a new point; the decoder learns how much
    (features ``*_new_point``, ``*_postscript``), no rule sets it.
    """
    head = body.lstrip()[:80]
    new, ps = _opening_res()
    is_ps = bool(ps.match(head))
    return (not is_ps and bool(new.match(head))), is_ps


def _ranks(questions: Sequence[Question]) -> list[int]:
    """Each question's place among the questions a letter answers (-1: a profile question)."""
    out, r = [], 0
    for q in questions:
        out.append(-1 if q.kind == "profile" else r)
        r += q.kind != "profile"
    return out


def features(
    text: str,
    units: Sequence[Unit],
    questions: tuple[Question, ...],
    centroid_sims: np.ndarray,
    variant_sims: np.ndarray,
    address: np.ndarray | None = None,
    mini: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Pair features, shape (units, questions + 1, len(FEATURES)); choice 0 is "no question".

    ``centroid_sims`` and ``variant_sims``: each unit's cosine with each
    question's answers' centroid and best wording variant (``learned.unit_vectors``).
    ``address``: (units, questions) values of ``q_addressed`` (session 23's stance reading
    of every unit, ``benchmarks.letter_addressed``; measured, not in the shipped weights),
    else 0.
    ``mini``: the same two cosine matrices with the consultation's sentence model
    (``mini_*`` features), else 0.
    """
    nq, nu = len(questions), len(units)
    f = np.zeros((nu, nq + 1, len(FEATURES)))
    if not nu:
        return f
    pats = letter_patterns()
    vocab = _vocab(questions)
    ranks = _ranks(questions)
    top_rank = max(ranks) if max(ranks, default=-1) > 0 else 1
    catch = catch_all(questions)
    suggestion = aligned.suggestion_question(questions)
    ids = {q.id: j for j, q in enumerate(questions)}
    prev_q, next_q = _placed_around([ids.get(u.cur, -1) for u in units])
    acts = letteracts.act_targets(questions)
    address = np.zeros((nu, nq)) if address is None else address
    for i, u in enumerate(units):
        body = text[u.start : u.end]
        words = len(body.split())
        lead = lead_sentences(body, 2)
        first = aligned.first_sentence(body) or body
        lex = np.minimum(np.asarray(lead_scores(lead, questions), dtype=float), _LEX_CAP) / _LEX_CAP
        lex_para = np.minimum(np.asarray(lead_scores(body, questions), dtype=float), _LEX_CAP)
        position = takes_position(lead)
        intro = bool(
            pats["intro_always"].search(first)
            or (pats["intro"].search(first) and not pats["stance"].search(first))
        )
        selfdesc = describes_self(first) and not pats["stance"].search(first)
        explicit = _explicit(first, questions, vocab) if words >= 3 else None
        request = suggestion is not None and aligned.makes_request(body)
        new_point, postscript = opening(body)
        pos_act = letteracts.states_position(lead)
        req_act = aligned.makes_request(body)
        personal = letteracts.personal_share(lead)
        cs, vs = centroid_sims[i], variant_sims[i]
        order = np.argsort(-cs, kind="stable")
        rank_of = {int(j): r for r, j in enumerate(order)}
        rel = i / (nu - 1) if nu > 1 else 0.0
        r = f[i, 0]
        r[_IX["none_bias"]] = 1
        r[_IX["none_first"]] = i == 0
        r[_IX["none_last"]] = i == nu - 1
        r[_IX["none_rel"]] = rel
        r[_IX["none_short"]] = words < _MIN_WORDS
        r[_IX["none_loglen"]] = math.log1p(len(body))
        r[_IX["none_intro"]] = intro
        r[_IX["none_greeting"]] = bool(greeting_re().search(body))
        r[_IX["none_self"]] = selfdesc
        r[_IX["none_rules_none"]] = u.cur == NONE
        r[_IX["none_rules_closing"]] = u.kind == schemas.CLOSING
        r[_IX["none_position"]] = position
        r[_IX["none_max_cos"]] = float(cs.max()) if nq else 0.0
        r[_IX["none_max_lex"]] = float(lex.max()) if nq else 0.0
        r[_IX["none_before_first"]] = prev_q[i] < 0 and ids.get(u.cur, -1) < 0
        r[_IX["none_after_last"]] = next_q[i] < 0 and ids.get(u.cur, -1) < 0
        r[_IX["none_new_point"]] = new_point
        r[_IX["none_postscript"]] = postscript
        unclear = nq > 0 and float(lex.max()) == 0.0
        for j, q in enumerate(questions):
            r = f[i, j + 1]
            r[_IX["q_bias"]] = 1
            r[_IX["cos_centroid"]] = cs[j]
            r[_IX["gap_centroid"]] = cs[j] - cs[order[0]]
            r[_IX["top_centroid"]] = 1.0 / (1 + rank_of[j])
            r[_IX["cos_variant"]] = vs[j]
            r[_IX["gap_variant"]] = vs[j] - vs.max()
            r[_IX["lex_lead"]] = lex[j]
            r[_IX["lex_top"]] = lex[j] > 0 and lex[j] >= lex.max()
            r[_IX["lex_para"]] = lex_para[j] / _LEX_CAP
            r[_IX["explicit"]] = explicit == j
            r[_IX["closed_position"]] = q.kind == "closed" and position
            r[_IX["closed_no_position"]] = q.kind == "closed" and not takes_position(body)
            r[_IX["profile"]] = q.kind == "profile"
            r[_IX["profile_self"]] = q.kind == "profile" and selfdesc
            r[_IX["request_suggestion"]] = request and j == suggestion
            r[_IX["catch_all"]] = j == catch
            r[_IX["catch_all_unclear"]] = j == catch and unclear
            if ids.get(u.cur) == j:
                r[_IX["rules"]] = 1
                r[_IX["rules_meaning"]] = u.method == "meaning"
                r[_IX["rules_paragraph"]] = u.method == "paragraph"
                r[_IX["rules_score"]] = u.score
            if ranks[j] >= 0:
                r[_IX["order_fit"]] = 1 - abs(rel - ranks[j] / top_rank)
            r[_IX["q_prev_rules"]] = prev_q[i] == j
            r[_IX["q_next_rules"]] = next_q[i] == j
            r[_IX["q_in_gap"]] = ranks[j] >= 0 and _in_gap(ranks, j, prev_q[i], next_q[i])
            r[_IX["q_prev_new_point"]] = new_point and prev_q[i] == j
            r[_IX["q_catch_new_point"]] = new_point and j == catch
            r[_IX["q_prev_postscript"]] = postscript and prev_q[i] == j
            r[_IX["q_catch_postscript"]] = postscript and j == catch
            r[_IX["q_position_act"]] = pos_act and q.kind == "closed"
            r[_IX["q_position_first"]] = pos_act and j == acts.get("position")
            r[_IX["q_request_act"]] = req_act and j == acts.get("request")
            r[_IX["q_experience_act"]] = personal if j == acts.get("experience", -1) else 0.0
            r[_IX["q_addressed"]] = address[i, j]
            if mini is not None and nq:
                mc, mv = mini[0][i], mini[1][i]
                r[_IX["mini_cos_centroid"]] = mc[j]
                r[_IX["mini_gap_centroid"]] = mc[j] - mc.max()
                r[_IX["mini_cos_variant"]] = mv[j]
                r[_IX["mini_gap_variant"]] = mv[j] - mv.max()
    return f


def _placed_around(placed: Sequence[int]) -> tuple[list[int], list[int]]:
    """Per unit, the question index (-1: none) of the nearest unit before it and of the
    nearest unit after it that the rules placed under a question (``placed``: each
    unit's rules' question index, -1 for none). These are the answers an unplaced
    paragraph sits between: it goes on with the one before, or leads into the one after,
    or answers a question between them in the consultation's order."""
    prev, nxt, last = [], [-1] * len(placed), -1
    for j in placed:
        prev.append(last)
        last = j if j >= 0 else last
    last = -1
    for i in range(len(placed) - 1, -1, -1):
        nxt[i] = last
        last = placed[i] if placed[i] >= 0 else last
    return prev, nxt


def _in_gap(ranks: Sequence[int], j: int, prev: int, nxt: int) -> bool:
    """Whether question ``j`` comes after the placed answer before and before the placed
    answer after, in the consultation's order (a profile answer bounds nothing)."""
    lo = ranks[prev] if prev >= 0 and ranks[prev] >= 0 else -1
    hi = ranks[nxt] if nxt >= 0 and ranks[nxt] >= 0 else 10**9
    return lo < ranks[j] < hi
