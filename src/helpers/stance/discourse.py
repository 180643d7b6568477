"""The discourse reader: the whole answer weighed clause by clause, as a careful analyst reads it.

The first reader (:mod:`helpers.stance.infer`) finds explicit cues fast ("we agree", "we
oppose") and takes the majority. People also write "YES. Long overdue", "Madness.", "I agree
with the aim, but January is far too soon", "Some say ... In my experience it just made things
worse", "Overall, we oppose it", "Don't know", or nothing about the proposal at all. This reader
takes the first reader's cues and adds the phrases of
``data/stance_lexicon.yaml`` (generic English, no consultation's words), then
weighs each by where it stands:

1. **Clauses.** Each sentence is cut at a contrast ("but", "however", "yet"
   ...). A clause after a contrast carries the position (weight
   ``AFTER_CONTRAST``); one before it, or one opening with a concession
   ("while", "although", "we understand", "some people say"), counts for
   ``CONCEDED``. Agreeing with "the aim", "the principle" or "the idea behind"
   is a concession too: it is not agreeing with the proposal.
2. **Summing up.** A sentence opening "Overall", "On balance", "So",
   "Ultimately" ... counts ``OVERALL`` times.
3. **The position** is the sign of the weighted sum; strong when a strong cue
   or phrase carries the winning side. The evidence is the clause's sentence
   that weighs most for it.
4. **No position.** With no directional evidence: "don't know", "not sure",
   "no idea" → ``dont_know``; "no view", "neutral", "on the fence" →
   ``neither``; a weak sentiment reading from the first reader is kept;
   otherwise the answer does not address the proposal → ``not_answered``.
5. **Reservations** are conditions, concerns and caveats anywhere in the
   answer (``reservation`` phrases), reported with the first such sentence
   that is not the evidence sentence itself, or in it after a contrast.

Confidence (calibrated, see ``docs/stance.md``): cues all one way 0.9; phrases or a resolved
contrast 0.75; don't know / neither stated 0.85; a kept sentiment reading ≤ 0.4; no position
0.5. Linear in the answer's length: one pass of each compiled pattern.

Modules (session 20): the evidence is found in :mod:`helpers.stance.discourse_evidence`,
corrected in :mod:`helpers.stance.discourse_reread`, and weighed here.
"""

from __future__ import annotations

from helpers.core import schemas
from helpers.core.text import strip_span
from helpers.stance import scope  # session 14: what a position word is about
from helpers.stance.answered import turn_answered
from helpers.stance.asplanned import as_planned
from helpers.stance.caches import _REFINE_CACHE_LEN, _REFINE_CACHE_MAX, _refine_cache
from helpers.stance.clauses import _SENTENCE_RE, CONCEDED, OVERALL, _clauses, two_sided
from helpers.stance.concession import (
    contrast_after,
    denied_before_contrast,
    dropped,
    held_back,
    last_side,
    questions_only,
)
from helpers.stance.declines import declined_spans, says_nothing
from helpers.stance.denial import restatements
from helpers.stance.discourse_evidence import _Evidence, _evidence
from helpers.stance.discourse_lexicon import _gates, _words
from helpers.stance.discourse_reread import _read_again, _unreal_and_replies
from helpers.stance.emphasis import echoed
from helpers.stance.evidence_pick import pick_quote
from helpers.stance.finalword import FINAL_WEIGHT, final_sentence
from helpers.stance.firstpass import _lower
from helpers.stance.lexgate import WordPlaces
from helpers.stance.predicative import predicated
from helpers.stance.preference import alternative_values, preferred_alternatives
from helpers.stance.rating import ratings
from helpers.stance.reservations import _reservation, reservation
from helpers.stance.result import StanceResult, _stance_result
from helpers.stance.shares import even_split, remainders, reported_no_side, share_positions
from helpers.stance.statusquo import mocks_status_quo
from helpers.stance.strength import firm_only
from helpers.stance.voice import READ_BY_DISCOURSE, whose_view

__all__ = ["CONFIDENCE", "no_position", "refine", "reservation"]

STRONG = 2.0  # a strong cue or phrase counts twice
# "none" (no position in a text that says something): right 69 % on stance-items-2, 3 % on
# unseen stance-items-4; about a third pooled, so stated as such and listed for reading.
CONFIDENCE = {"cue": 0.9, "phrase": 0.85, "stated": 0.85, "none": 0.35, "sentiment": 0.4,
              "held": 0.6}  # fmt: skip

_SCORE_TO_STANCE = {v: k for k, v in schemas.STANCE_SCORES.items()}


def _no_position(first: StanceResult) -> StanceResult:
    """``not_answered``: no position found (the first reader's cues kept)."""
    return _stance_result("not_answered", None, False, CONFIDENCE["none"], None, None, None,
                          "none", first.cues)  # fmt: skip


def _sentence_of(clauses: list, at: int) -> tuple[int, int]:
    return next((c.sentence for c in clauses if c.start <= at < c.end), (at, at))


def refine(text: str, first: StanceResult) -> StanceResult:
    """The stance of ``text`` weighed clause by clause, given the first reader's result.

    Memoised by (text, first result) for answers up to ``_REFINE_CACHE_LEN``
    characters (campaign copies, stock answers): the result depends on nothing else.
    """
    if len(text) > _REFINE_CACHE_LEN:
        return _refine(text, first)
    key = (text, first)
    out = _refine_cache.get(key)
    if out is None:
        if len(_refine_cache) >= _REFINE_CACHE_MAX:
            _refine_cache.clear()
        out = _refine_cache[key] = _refine(text, first)
    return out


def _refine(text: str, first: StanceResult) -> StanceResult:
    if not text.strip():
        return first
    quoted, text = text, _lower(text, 0, len(text))  # patterns read the lower-cased copy
    words, short = _words(text), WordPlaces(text)
    sarcastic: list[tuple[int, int]] = []
    clauses = _clauses(text, sarcastic)
    sarcastic = [sp for sp in sarcastic if not mocks_status_quo(text, sp)]  # (session 10)
    evidence = _evidence(text, first.cues, words, short)
    evidence += [
        _Evidence(d, False, a, b, "phrase")
        for a, b, d in [(a, b, -1) for a, b in preferred_alternatives(text) + alternative_values(text)
                        + scope.scare_quotes(text)] + ratings(text)
        + [(a, b, 1) for a, b in as_planned(text)]  # "Start in January as planned" (s. 20)
        if not any(e.start < b and a < e.end for e in evidence)
    ]  # (session 11; a word in scare quotes, session 14; a mark out of ten, session 16) # fmt: skip
    evidence = _shared(text, evidence)  # "90% yes. The other 10% is worry ..." (session 21)
    declined = declined_spans(text)  # "I'd rather not give a view" (session 21)
    evidence = [e for e in evidence if not any(a <= e.start < b for a, b in declined)]
    for e in evidence:
        if e.direction > 0 and any(a <= e.start < b for a, b in sarcastic):
            e.direction, e.strong = -1, False  # "Oh brilliant, another grade."
        if scope.rhetorical(text, e.start, e.negated):  # "Who could object to ...?" (session 14)
            e.direction, e.strong = -e.direction, False
    read_before = len(evidence)
    evidence = _read_again(text, evidence, sarcastic, words, short)
    for a, s0, e0, d in restatements(text):  # "... It does not." (s. 11); s. 16
        evidence = [ev for ev in evidence if not a <= ev.start < s0]
        evidence.append(_Evidence(d, False, s0, e0, "phrase"))
    phrase = lambda d, a, b: _Evidence(d, False, a, b, "phrase")  # noqa: E731
    evidence = turn_answered(text, predicated(text, evidence, phrase))  # "not one I'd back" (s. 18)
    both = two_sided(text, evidence)  # "Not convinced, not opposed." (session 9)
    if both:
        evidence = [ev for ev in evidence if not any(a <= ev.start < b for a, b in both)]
        if not evidence:
            return _made(quoted, text, first, "neither", both[0], CONFIDENCE["stated"], evidence)
    if evidence:  # a ballot reported, a failure undone (session 10)
        kept = [ev for ev in evidence if not dropped(text, ev.start, ev.direction,
                                                     _sentence_of(clauses, ev.start))
                and not scope.asked_back(text, ev.start)]  # the question restated (s. 15) # fmt: skip
        if len(kept) < len(evidence) and first.method == "sentiment":
            first = _no_position(first)  # its words were dropped: no sentiment reading either
        evidence = kept
    evidence = _unreal_and_replies(text, evidence)  # (session 16b)
    evidence += [_Evidence(d, False, a, b, "phrase") for a, b, d in scope.turned_views(
        text, [(ev.start, ev.end, ev.direction) for ev in evidence])]  # (session 14) # fmt: skip
    total, best, best_w, strong_w = 0.0, None, 0.0, {1: 0.0, -1: 0.0}
    kinds, held = set(), 0
    weight_of: dict[int, float] = {}
    aimed = [ev.direction > 0 and scope.aim_only(text, ev.start, ev.end) for ev in evidence]
    aims = {c.start for ev, a in zip(evidence, aimed, strict=True) if a
            for c in clauses if c.start <= ev.start < c.end}  # fmt: skip
    final = final_sentence(text, clauses)  # a short closing verdict weighs double (s. 23)
    for ev, aim in zip(evidence, aimed, strict=True):
        clause = next((c for c in clauses if c.start <= ev.start < c.end), None)
        w = (clause.weight if clause else 1.0) * ev.weight
        if clause is not None and clause.sentence == final:
            w *= FINAL_WEIGHT
        if clause is not None and held_back(text, ev.start, ev.end, (clause.start, clause.end),
                                            clause.sentence):  # fmt: skip
            w *= CONCEDED  # "not opposed to it as such, but ..." (session 10)
            held += 1
        elif aim or (ev.direction > 0 and clause is not None and clause.start in aims):
            w *= CONCEDED  # the aim, and what else its clause says for it (session 14)
            held += 1
            ev.strong = False
        elif scope.conceded(text, ev.start, ev.end, ev.weight == 1.0) or (
            bool(READ_BY_DISCOURSE)
            and whose_view(text, ev.start, ev.end, READ_BY_DISCOURSE) == "other"
        ):  # another's view (session 24, ``voice``)
            w *= CONCEDED  # "I was dead against it. I've come round." (s. 14); others' view (s. 15)
            ev.strong = False
        elif (
            ev.negated and ev.direction > 0 and ev.kind == "phrase" and ev.weight == 1.0
            and clause is not None
            and denied_before_contrast(text, ev.end, (clause.start, clause.end))
        ):  # fmt: skip
            w *= CONCEDED  # "not against buses but ..." (session 20)
            held += 1
        w *= STRONG if ev.strong else 1.0
        weight_of[id(ev)] = w
        total += ev.direction * w
        if ev.strong and not firm_only(text, ev.start, ev.end):  # "yes, do it" (session 23)
            strong_w[ev.direction] += w
        kinds.add(ev.kind)
        if w > best_w and clause is not None:
            best, best_w = (ev, clause), w
    gates = _gates()
    dont_know, neither = (
        gates["dont_know"].finder(text, words, short),
        gates["neither"].finder(text, words, short),
    )
    opening = no_position(_first_sentence(text), evidence_free=True)
    if opening is not None and reported_no_side(_first_sentence(text)):
        opening = None  # "62% agreed ... and the rest were unsure." (session 21)
    elif opening is None and even_split(_first_sentence(text)):
        opening = "neither"  # "50/50 really – good for cyclists, bad for the shops." (s. 21)
    if opening is not None and not any(e.start < len(_first_sentence(text)) for e in evidence):
        # "Neutral. I can see why you'd do it, but ..." / "Honestly, I can't say. ...":
        # the answer opens by saying it takes no side; what follows is colour.
        s0 = len(text) - len(text.lstrip())
        return _made(quoted, text, first, opening, (s0, s0 + len(_first_sentence(text))),
                     CONFIDENCE["stated"], evidence, words)  # fmt: skip
    for c in clauses:
        if c.weight < OVERALL or any(c.start <= e.start < c.end for e in evidence):
            continue
        # (Clauses start and end between words, so the finders find what the patterns find.)
        dk = dont_know.search(text, c.start, c.end) if dont_know is not None else None
        nv = neither.search(text, c.start, c.end) if neither is not None else None
        if dk or nv:  # "..., so we are neutral": the summing-up takes no side
            stance = "dont_know" if dk and (not nv or dk.start() <= nv.start()) else "neither"
            return _made(quoted, text, first, stance, c.sentence, CONFIDENCE["stated"], evidence,
                         words)  # fmt: skip
    if held and held == len(evidence) and contrast_after(clauses, [e.start for e in evidence]):
        # Every position held back, and a contrast after it that takes none: "I'm all for
        # fewer cars, don't get me wrong. But blocking X means ..." (session 10).
        sentence = next(c.sentence for c in clauses if c.start <= evidence[-1].start < c.end)
        return _made(quoted, text, first, "neither", sentence, CONFIDENCE["held"], evidence,
                     words)  # fmt: skip
    if abs(total) >= 0.25 and best is not None:
        direction = 1 if total > 0 else -1
        winners = [
            (ev, c) for ev in evidence if ev.direction == direction
            for c in clauses if c.start <= ev.start < c.end
        ]  # fmt: skip
        ev, clause = max(winners, key=lambda p: p[1].weight, default=best)
        # The sentence quoted: the winner that weighed most in the sum (a closing verdict,
        # a strong word, a clause after a contrast), not the first of the heaviest clauses
        # (session 24, ``evidence_pick``); the strength is still read from ``clause``.
        quote = pick_quote(winners, weight_of, clause)
        strong = strong_w[direction] >= 1.0 and strong_w[direction] >= abs(total) / 2
        strong = strong or echoed(text, clause.sentence)  # "Yes. Unreservedly." (session 9)
        hedges = gates["hedges"].finder(text, words, short)
        if hedges is not None and hedges.search(text, clause.sentence[0], clause.sentence[1]):
            strong = False  # "On balance ...", "broadly ..." is never strong
        stance = _SCORE_TO_STANCE[direction * (2 if strong else 1)]
        mixed = any(e.direction == -direction for e in evidence)
        kind = "cue" if kinds == {"cue"} and not mixed else "phrase"
        span = quote
        confidence = CONFIDENCE[kind] - (0.1 if mixed else 0.0)
        return _made(quoted, text, first, stance, span, confidence, evidence, words)
    dk = dont_know.search(text) if dont_know is not None else None
    nv = neither.search(text) if neither is not None else None
    late = None if dk or nv else last_side(text, [(e.start, e.direction) for e in evidence])
    if late is not None:  # "Yes, X. No, Y.": balanced, the later reply decides (session 10)
        return _made(quoted, text, first, _SCORE_TO_STANCE[late[0]], late[1], CONFIDENCE["held"],
                     evidence, words)  # fmt: skip
    if dk or nv or first.method == "cue":
        m = dk if dk and (not nv or dk.start() <= nv.start()) else nv
        stance = "dont_know" if m is dk and dk else "neither"
        if m is None and not (read_before and not evidence):
            return first  # the first reader's own no-position cue ("no view")
        if m is None:  # its only cues were a quoted question's or a no-side phrase's words
            return _no_position(first)
        span = next((c.sentence for c in clauses if c.start <= m.start() < c.end), (0, len(text)))
        return _made(quoted, text, first, stance, span, CONFIDENCE["stated"], evidence, words)
    if first.method == "sentiment" and not questions_only(text) and not says_nothing(text):
        # A question back ("How will you grade a council when ...?") has no position (s. 10),
        # nor a view declined ("I'll keep my view on this to myself, thanks.", s. 21).
        return _reserved(text, first, words)
    return _no_position(first)


def _shared(text: str, evidence: list[_Evidence]) -> list[_Evidence]:
    """``evidence`` with a share of oneself ("I'm 80% for it") read as the position it gives, and
    the position words of the part left over ("The other 20% is ...") dropped (``shares``)."""
    shared = share_positions(text)
    if not shared:
        return evidence
    rest = remainders(text)
    a, b, d, strong = shared[0]
    kept = [ev for ev in evidence if not (ev.start < b and a < ev.end)
            and not any(r0 <= ev.start < r1 for r0, r1 in rest)]  # fmt: skip
    return [*kept, _Evidence(d, strong, a, b, "phrase")]


def _reserved(low: str, first: StanceResult, words: set[str] | None) -> StanceResult:
    """``first`` (a weak sentiment reading kept as it is) with the answer's reservations.

    Session 8 (issue 13): reservations are found anywhere in the answer, whatever
    read the position; before, a kept sentiment reading ("Better than closing it,
    I suppose.") never had any, while the same answer read from a phrase did.
    """
    if first.reservations or _reservation(low, (first.start, first.end), words) is None:
        return first
    return _stance_result(first.stance, first.score, True, first.confidence, first.evidence,
                          first.start, first.end, first.method, first.cues)  # fmt: skip


def _first_sentence(text: str) -> str:
    m = _SENTENCE_RE.search(text.lstrip())
    return m.group() if m else ""


def no_position(text: str, evidence_free: bool = False) -> str | None:
    """``dont_know`` or ``neither`` when ``text`` says it takes no side ("Not sure.",
    "No view"), else None. Used on short texts: a first sentence, or a closed
    answer too short to be an answer ("No view." is a non-answer that still says
    where the respondent stands)."""
    if len(text.split()) > 12:
        return None
    text = text.lower()
    words, short, gates = _words(text), WordPlaces(text), _gates()
    dont_know, neither = (
        gates["dont_know"].finder(text, words, short),
        gates["neither"].finder(text, words, short),
    )
    dk = dont_know.search(text) if dont_know is not None else None
    nv = neither.search(text) if neither is not None else None
    if dk and (not nv or dk.start() <= nv.start()):
        return "dont_know"
    return "neither" if nv else None


def _made(text, low, first, stance, span, confidence, evidence, words=None) -> StanceResult:
    """The result quoting ``text``; ``low`` is its lower-cased copy, for the patterns."""
    s, e = strip_span(text, *span)
    score = schemas.STANCE_SCORES.get(stance)
    reservations = _reservation(low, (s, e), words) is not None
    return _stance_result(stance, None if score is None else float(score), reservations,
                          round(confidence, 2), text[s:e], s, e, "discourse", first.cues)  # fmt: skip
