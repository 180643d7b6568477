"""Which closed question a letter's position answers: a learned reader (session 23).

A letter's paragraph that takes a position but names no closed question ("So no, I do not
support this.", "Having thought about it more, I think it would be a good thing") was
dropped by :mod:`stance.unstructured`, and one naming only another question's distinctive
words went to that question alone ("I think this new judgement is very good": the start
date's "new"), so the question it answers stayed ``not_answered``: the largest class of
letter-item errors (a gold position read as none, 91 of 221 letter errors over stance-items
1-22; docs/stance.md, "Session 23"). Rules that gave such a paragraph to the
question the paragraph before it names, or to the first closed question, lost as much as they
gained: off-topic letters (a complaint about a grade, a broken street light) take positions
too, and their gold is ``not_answered``.

This module scores, for each closed question the letter gave no stance and each positioned
paragraph whose position no other closed question took, whether the paragraph's position is the letter's answer to
that question, from features of the letter against the question's own wording (the words
of its text, short label, aliases and keywords; its distinctive words, which no other
closed question uses), the place of the paragraph in the letter, the paragraphs around it,
and the reading itself. No consultation's vocabulary is in code: every word list comes from
the consultation's questions. A logistic model (``helpers/data/letter_address.json``,
trained by ``benchmarks/letter_address.py`` on the spent item sets' letter items and chosen
leave-one-set-out) gives the probability; a question takes the paragraph when the
probability is at least the file's ``threshold``. Without the file nothing changes.

The same features can verify a position the rules gave a question by a whole paragraph
(:func:`verify`, used when the file has a ``verify`` model): measured leave-one-set-out and
not shipped (it gained one to three letter items and no document; docs/stance.md).

Deterministic; linear in the letter's paragraphs times its closed questions.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from importlib import resources

from helpers.stance.result import StanceResult

WEIGHTS_FILE = "letter_address.json"
# Whether a paragraph whose position another closed question already took may be a
# candidate too. Measured leave-one-set-out on the spent item sets' letters (session 23):
# with such paragraphs 683 -> 699 of 904 (20 fixed, 4 broken), without 683 -> 695 (14 fixed,
# 2 broken); without, each paragraph's position answers one question, as in the rules.
USED_CANDIDATES = False

FEATURES = (
    "bias",
    "q_first",  # the question is the consultation's first closed question
    "q_rank",  # its place among the closed questions, 0 (first) to 1 (last)
    "n_closed",  # log of the number of closed questions
    "letter_names_q",  # log1p of the paragraphs naming the question by its distinctive words
    "letter_names_other",  # log1p of the paragraphs naming another closed question
    "names_none",  # no paragraph of the letter names any closed question
    "other_answered",  # another closed question already has the letter's position
    "named_q",  # the paragraph names the question by its distinctive words
    "named_other",  # ... names another closed question
    "named_none",  # ... names no closed question
    "first_position",  # the letter's first paragraph that takes a position
    "letter_subject",  # share of the letter's content stems in the closed questions' wording
    "prev_names_q",  # the nearest paragraph before that names a closed question names this one
    "prev_names_other",  # ... names another one
    "next_names_q",  # the nearest paragraph after that names a closed question names this one
    "own_share",  # share of the paragraph's content words in the question's own wording
    "subject_share",  # share in the wording of all closed questions (the consultation's subject)
    "confidence",  # the reading's confidence
    "strength",  # |score| of the reading
    "no_direction",  # the reading has no direction (neither, don't know)
    "words",  # log1p of the paragraph's distinct content stems
    "place",  # the paragraph's place in the letter, 0 (first) to 1 (last)
    "last",  # the letter's last paragraph
    "n_candidates",  # log1p of the unnamed positioned paragraphs in the letter
)


def load_weights() -> dict | None:
    """The shipped model (``features``, ``mean``, ``scale``, ``coef``, ``intercept``,
    ``threshold``), or None without the file."""
    path = resources.files("helpers.data").joinpath(WEIGHTS_FILE)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _positioned(read: Sequence[StanceResult]) -> list[int]:
    """The paragraphs that take a position (not a bare sentiment)."""
    return [k for k, r in enumerate(read) if r.stance != "not_answered" and r.method != "sentiment"]


def candidate_rows(
    stems_of: Sequence[set[str]],
    read: Sequence[StanceResult],
    named: Sequence[list[int]],
    own: Sequence[set[str]],
    answered: set[int],
    used: set[int] = frozenset(),
) -> list[tuple[int, int, dict[str, float]]]:
    """(question index, paragraph index, features) for every closed question not in
    ``answered`` and every paragraph that takes a position (not a bare sentiment), whatever
    closed questions it names (its position may be about another question than its topic
    words name: "I think this new judgement is very good" names the start date's "new" and
    is about the judgement). Per paragraph ``k``: ``stems_of[k]`` its content stems, ``named[k]``
    the closed questions its distinctive words name; ``own[q]``: the stems of closed
    question ``q``'s own wording (text, short label, aliases, keywords); ``used``: the
    paragraphs whose position another closed question already took."""
    cands = [k for k in _positioned(read) if USED_CANDIDATES or k not in used]
    if len(own) < 2:
        return []
    pairs = [(q, k) for k in cands for q in range(len(own)) if q not in answered]
    return pair_rows(stems_of, read, named, own, pairs, answered, used)


def pair_rows(
    stems_of: Sequence[set[str]],
    read: Sequence[StanceResult],
    named: Sequence[list[int]],
    own: Sequence[set[str]],
    pairs: Sequence[tuple[int, int]],
    answered: set[int],
    used: set[int] = frozenset(),
) -> list[tuple[int, int, dict[str, float]]]:
    """(question index, paragraph index, features) for each (question, paragraph) of
    ``pairs`` (``candidate_rows``' arguments; ``answered``: the questions with a position,
    the pair's own question aside)."""
    n = len(own)
    if not pairs or n < 2:
        return []
    cands = _positioned(read)
    subject = set().union(*own)
    by_q = [sum(q in hits for hits in named) for q in range(n)]
    any_named = any(named)
    letter = set().union(*stems_of)
    letter_subject = len(letter & subject) / len(letter) if letter else 0.0
    rows = []
    for q, k in pairs:
        stems = stems_of[k]
        prev = next((named[j] for j in range(k - 1, -1, -1) if named[j]), [])
        nxt = next((named[j] for j in range(k + 1, len(named)) if named[j]), [])
        f = {
            "bias": 1.0,
            "q_first": float(q == 0),
            "q_rank": q / (n - 1),
            "n_closed": math.log(n),
            "letter_names_q": math.log1p(by_q[q]),
            "letter_names_other": math.log1p(sum(by_q) - by_q[q]),
            "names_none": float(not any_named),
            "other_answered": float(bool(answered - {q})),
            "named_q": float(q in named[k]),
            "named_other": float(any(h != q for h in named[k])),
            "named_none": float(not named[k]),
            "first_position": float(bool(cands) and k == cands[0]),
            "used_by_other": float(k in used),  # (not a model feature: always 0)
            "letter_subject": letter_subject,
            "prev_names_q": float(q in prev),
            "prev_names_other": float(bool(prev) and q not in prev),
            "next_names_q": float(q in nxt),
            "own_share": len(stems & own[q]) / len(stems) if stems else 0.0,
            "subject_share": len(stems & subject) / len(stems) if stems else 0.0,
            "confidence": float(read[k].confidence),
            "strength": abs(float(read[k].score or 0.0)),
            "no_direction": float(read[k].direction == 0),
            "words": math.log1p(len(stems)),
            "place": k / (len(named) - 1) if len(named) > 1 else 0.0,
            "last": float(k == len(named) - 1),
            "n_candidates": math.log1p(len(cands)),
        }
        rows.append((q, k, f))
    return rows


def probability(f: dict[str, float], weights: dict) -> float:
    """The model's probability that the paragraph's position answers the question."""
    z = float(weights["intercept"])
    for name, m, s, c in zip(
        weights["features"], weights["mean"], weights["scale"], weights["coef"], strict=True
    ):
        z += c * (f.get(name, 0.0) - m) / s
    return 1.0 / (1.0 + math.exp(-z))


def verify(
    rows: list[tuple[int, int, dict[str, float]]],
    stances: Sequence[str],
    weights: dict,
) -> set[int]:
    """The questions whose position (``rows``: each question's (question, paragraph of its
    evidence, features); ``stances``: the positions) the verifier (``weights["verify"]``)
    says the letter does not give it: probability under its threshold. None without one."""
    v = weights.get("verify")
    if not v:
        return set()
    t = float(v["threshold"])
    return {q for q, _k, f in rows if probability(f, v) < t}


# A paragraph two unanswered questions both pass within this much probability is unclear:
# neither takes it (the rules' own reading of a paragraph naming both questions equally).
# 0.15-0.2 change no letter item of stance-items 1-22 (705/904) and no stance on eight spent
# document sets; 0.3 loses one item (session 23).
AMBIGUITY_MARGIN = 0.2


def assign(
    rows: list[tuple[int, int, dict[str, float]]],
    read: Sequence[StanceResult],
    weights: dict,
) -> dict[int, int]:
    """{question index: paragraph index} the model gives: each question its most probable
    paragraph at or above the threshold, each paragraph to one question at most (its most
    probable), most probable pairs first; ties by the reading's confidence, then order. A
    paragraph whose two best questions both pass within ``AMBIGUITY_MARGIN`` goes to neither:
    the model then mostly tells them apart by their order, not by what the paragraph says."""
    t = float(weights["threshold"])
    scored = sorted(
        ((probability(f, weights), float(read[k].confidence), -q, -k, q, k) for q, k, f in rows),
        reverse=True,
    )
    passing: dict[int, list[float]] = {}
    for p, *_rest, k in scored:
        if p >= t:
            passing.setdefault(k, []).append(p)
    unclear = {k for k, ps in passing.items() if len(ps) > 1 and ps[0] - ps[1] < AMBIGUITY_MARGIN}
    out: dict[int, int] = {}
    used: set[int] = set()
    for p, _c, _nq, _nk, q, k in scored:
        if p < t or q in out or k in used or k in unclear:
            continue
        out[q] = k
        used.add(k)
    return out
