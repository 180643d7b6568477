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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from helpers.core import schemas
from helpers.core.text import strip_span
from helpers.stance import scope  # session 14: what a position word is about
from helpers.stance.answered import turn_answered
from helpers.stance.caches import _REFINE_CACHE_LEN, _REFINE_CACHE_MAX, _refine_cache
from helpers.stance.clauses import (
    _SENTENCE_RE,
    CONCEDED,
    OVERALL,
    _clauses,
    _openers,
    two_sided,
)
from helpers.stance.concession import contrast_after, dropped, held_back, last_side, questions_only
from helpers.stance.denial import restatements
from helpers.stance.discourse_lexicon import (
    _POLARITY,
    _VERBS,
    _gates,
    _lexicon,
    _present,
    _verb_starts,
    _words,
)
from helpers.stance.emphasis import adverb_before, echoed, words_before
from helpers.stance.firstpass import _lower
from helpers.stance.lexgate import WordPlaces
from helpers.stance.predicative import predicated
from helpers.stance.preference import alternative_values, preferred_alternatives
from helpers.stance.rating import ratings
from helpers.stance.replies import replies, unreal
from helpers.stance.reservations import _reservation, reservation
from helpers.stance.result import Cue, StanceResult, _stance_result
from helpers.stance.statusquo import mocks_status_quo, status_quo
from helpers.stance.vocabulary import mask_asides

__all__ = ["CONFIDENCE", "no_position", "refine", "reservation"]

STRONG = 2.0  # a strong cue or phrase counts twice
# "none" (no position in a text that says something): right 69 % on stance-items-2, 3 % on
# unseen stance-items-4; about a third pooled, so stated as such and listed for reading.
CONFIDENCE = {"cue": 0.9, "phrase": 0.85, "stated": 0.85, "none": 0.35, "sentiment": 0.4,
              "held": 0.6}  # fmt: skip

_SCORE_TO_STANCE = {v: k for k, v in schemas.STANCE_SCORES.items()}


@dataclass
class _Evidence:
    direction: int
    strong: bool
    start: int
    end: int
    kind: str  # cue | phrase
    weight: float = 1.0  # CONCEDED for a point conceded in passing ("it's not that I don't ...")
    negated: bool = False  # a negator turned it round, or is its own ("not opposed")


_WORDS_ONLY_RE = re.compile(r"[\w’'\-\s]+")
_CONTRAST_WORD_RE = re.compile(r"\b(?:but|however|yet|although|though|whereas)\b")


def _negated(text: str, start: int) -> bool:
    """Whether a negator stands in the four words before ``start`` ("not a bad idea",
    "can't say we are against it")."""
    before = mask_asides(text[max(0, start - 40) : start])  # "not, however, a good idea"
    before = re.split(r"[.!?;,:\n]", before)[-1]  # within the clause: "Absolutely not. Pointless"
    # Nor across a contrast: "It's not perfect but it's better than the status quo".
    before = _CONTRAST_WORD_RE.split(before)[-1]
    words = re.findall(r"[\w’'-]+", before)[-4:]
    end = bool(words) and bool(_lexicon()["negator_end"].search(" ".join(words) + " "))
    return end or scope.negated_belief(text, start)  # "we do not believe it adds value"


def _evidence(
    text: str,
    cues: tuple[Cue, ...],
    words: set[str] | None = None,
    short: WordPlaces | None = None,
) -> list[_Evidence]:
    """The first reader's directional cues, subject-verb positions and the lexicon's phrases.

    A phrase that covers a cue replaces it ("couldn't agree more" is not a
    negated "agree"; "No-brainer" is not a bare "No"); a negator in the four
    words before a phrase that does not carry its own turns it round ("not a
    bad idea", "can't say we are against it"). A cue inside a courtesy ("we would
    welcome the opportunity to meet") is no position.
    """
    lex, gates = _lexicon(), _gates()
    short = WordPlaces(text) if short is None else short
    found: list[_Evidence] = []
    for name, (direction, strong) in _POLARITY.items():
        finder = gates[name].finder(text, words, short)  # only the phrases the answer's words allow
        for m in finder.finditer(text) if finder is not None else ():
            if scope.literal(text, m.group(), m.start(), m.end()):
                continue
            own_negation = lex["negators"].match(m.group()) or "n't" in m.group().lower()
            d, st, flipped = direction, strong, False
            if not own_negation and _negated(text, m.start()):
                d, st, flipped = -direction, False, True
            elif not st and not own_negation and adverb_before(text, m.start()):
                st = True  # "absolutely against it" (session 9)
            if d < 0 and m.group().endswith("too long") and status_quo(text, m.start()):
                d, st = 1, False  # "For too long care leavers have been ..." (session 9)
            found.append(_Evidence(d, st, m.start(), m.end(), "phrase", 1.0,
                                   bool(own_negation) or flipped))  # fmt: skip
    vtext = mask_asides(text)  # read through "do not, however, support" (session 16)
    for m in _verb_hits(vtext, words):
        groups = m.groupdict()
        agree = groups.get("agree") or groups.get("agree2")
        verb = "agree" if groups.get("agree") else "agree2" if groups.get("agree2") else (
            "disagree" if groups.get("disagree") else "disagree2")  # fmt: skip
        if groups.get("gap") is not None:
            gap = groups["gap"]
        elif groups.get("modal"):
            gap = words_before(vtext, m.start(), 2) + " " + groups["modal"]
        else:
            gap = words_before(vtext, m.start(), 2)
        d = 1 if agree else -1
        negated = bool(lex["negators"].search(gap)) or "n't" in gap or "n’t" in gap
        strong = bool(lex["strong_adverbs"].search(gap)) and not negated
        found.append(_Evidence(-d if negated else d, strong, m.start(verb), m.end(), "cue", 1.0,
                               negated))  # fmt: skip
    # Longest first; a span inside a longer one, or overlapping it the other way, is read twice.
    found.sort(key=lambda e: (e.start - e.end, e.start))
    out: list[_Evidence] = []
    for e in found:
        if not any(o.start <= e.start and e.end <= o.end or (
                o.start < e.end and e.start < o.end and o.direction != e.direction)
                for o in out):  # fmt: skip
            out.append(e)
    for c in cues:
        if not c.direction or c.kind in ("sentiment", "echo"):
            continue
        cover = [o for o in out if o.start <= c.start and c.end <= o.end and o.kind == "phrase"]
        if cover:
            # a phrase covers it; a strong cue of the same direction ("strongly oppose")
            # keeps its strength in the phrase that replaces it ("oppose")
            for o in cover:
                if c.strong and o.direction == c.direction:
                    o.strong = True
            continue
        if any(o.kind == "cue" and o.start < c.end and c.start < o.end for o in out):
            continue  # the same verb, read above
        out.append(_Evidence(c.direction, c.strong, c.start, c.end, "cue", 1.0, c.negated))
    out = [o for o in out if not any(
        p is not o and p.start <= o.start and o.end <= p.end and p.kind == "phrase"
        for p in out)]  # fmt: skip
    # A courtesy is no position: "We would welcome the opportunity to meet" does not
    # welcome the proposal (a cue inside a ``courtesies`` phrase is dropped).
    courtesies = gates["courtesies"].finder(text, words, short)
    polite = [m.span() for m in courtesies.finditer(text)] if courtesies is not None else []
    if polite:
        out = [o for o in out if not any(a < o.end and o.start < b for a, b in polite)]
    return out


def _verb_hits(text: str, words: set[str] | None) -> list[re.Match[str]]:
    """``subject_verb`` matches, then ``third_person`` ones, as ``finditer`` over ``text``.

    Both patterns need a verb of position and consume only words, apostrophes,
    hyphens and spaces, so every match lies in one stretch of those characters
    (``_WORDS_ONLY_RE``) that holds a verb's opening letters (or, with the compiled
    scan, a verb's match): only those stretches are read, each from its start (``\b`` still sees the character
    before it) to its end (a non-word character, as in the whole text).
    """
    at = _verb_starts(text)  # where a verb matches (the compiled scan), else its letters
    if at is None:
        gates, words = _gates(), _present(text) if words is None else words
        if not any(gates[v].possible(words) for v in _VERBS):
            return []
        at = sorted(i for h in _verb_heads() for i in _find_all(text, h))
    if not at:
        return []
    stretches, k = [], 0
    for m in _WORDS_ONLY_RE.finditer(text):  # the stretches, in order, kept if a verb opens in one
        while k < len(at) and at[k] < m.start():
            k += 1
        if k < len(at) and at[k] < m.end():
            stretches.append(m.span())
    lex = _lexicon()
    return [m for name in ("subject_verb", "third_person") for a, b in stretches
            for m in lex[name].finditer(text, a, b)]  # fmt: skip


@lru_cache(maxsize=1)
def _verb_heads() -> tuple[str, ...]:
    """The opening letters of every verb of position (every ``_VERBS`` match holds one)."""
    return tuple(sorted(set().union(*(_gates()[v].heads for v in _VERBS))))


def _find_all(text: str, sub: str) -> list[int]:
    out, i = [], text.find(sub)
    while i >= 0:
        out.append(i)
        i = text.find(sub, i + 1)
    return out


_QUESTION_ECHO_RE = re.compile(
    r"\W*(?:(?:q(?:uestion)?\s*\d+[a-z]?|\d+(?:\.\d+)*)\b[\s.:)\-–—]*)?"
    r"(?:do|does|did|would|will|should|are|is|to\s+what\s+extent|how\s+far)\b"
)
_ELLIPTICAL_REPLY_RE = re.compile(
    r"\W*(?:(?P<yes>yes)|(?P<no>no))?[\s,.!]*(?:i|we)\s+(?P<verb>do|would|will|can|does)"
    r"(?P<neg>\s+not|n['’]t)?\s*(?:[.!,;]|$)"
)
_NOT_THAT_RE = re.compile(r"(?:\bnot|n['’]t)\s+that\s+(?:i|we|i['’]m|we['’]re)\s+$")
_RATHER_THAN_RE = re.compile(r"\b(?:rather\s+than|instead\s+of|as\s+opposed\s+to)\s+$")
# What a "don't know" phrase leaves open: "couldn't tell you whether it's a good idea".
_OPEN_QUESTION_RE = re.compile(
    r"(?:(?:\s+[\w’'-]+){0,4}?\s+(?:whether|if|what|which|when)\b"
    r"|(?=(?:(?!\b(?:but|however|yet)\b)[^.!?;,\n])*?\bor\b))"
    r"(?:(?!\b(?:but|however|yet)\b)[^.!?;,\n])*"
)


def _read_again(
    text: str,
    evidence: list[_Evidence],
    sarcastic: list[tuple[int, int]],
    words: set[str],
    short: WordPlaces,
) -> list[_Evidence]:
    """Seven general corrections to the evidence, each a way people write that the
    phrase lists alone misread (session 7, issue 13).

    - **Taking no side in two-sided words.** "I'm neither for nor against it", "I
      can't say whether I'm for it or against it": a position word inside a
      ``neither`` or ``dont_know`` phrase (or overlapping one: "against it") is
      part of saying no side is taken, so it is no evidence (the no-position
      phrase then decides).
    - **A sarcastic sentence with no praise word.** "Oh marvellous, another
      form to fill in." The opener ("oh marvellous", "brilliant, so ...") is
      itself the mock praise: with nothing else in its sentence it counts as
      disagreement, as the flipped praise of the sentence would.
    - **The question quoted back.** "Q3: Do we agree with the start date? We do
      not." A position verb in a question the respondent copies ("do you / do
      we agree …?") is the consultation's word, not the respondent's; the
      elliptical reply right after it ("We do not.", "Yes, we do.") is theirs.
    - **A one-word reply.** An answer with no other evidence that opens with
      "Fine," "Sure." "OK," or "ya" (``answer_openers_agree``, standing alone
      before a stop) agrees, as a bare "Yes" does: "Fine, if they publish the
      figures." Only the answer's first words, so "a fine of £70" is no cue.
    - **"It's not that I don't …".** A phrase carrying its own negation ("don't
      see the point") after "not that I" is negated twice: it turns round, and
      counts as a point conceded (``CONCEDED``), since the real position usually
      follows ("It's not that I don't like buses. I just don't think ..."); when a
      later sentence opens with a contrast ("... I do. But ..."), the concession
      is superseded and counts for next to nothing (× 0.3 again).
    - **What it is not.** A phrase right after "rather than", "instead of" or
      "as opposed to" names what the respondent says the proposal is not ("a
      nuisance rather than a disaster"): no evidence either way.
    - **The question left open** (session 8). "I couldn't tell you whether it's a
      good idea", "not sure if it will help anyone": the words after a ``dont_know``
      phrase and "whether"/"if" (up to a comma, a contrast or the sentence end) are the question the
      respondent cannot answer, not an answer: part of the no-side phrase, so no
      evidence ("I'm not sure it's needed", with no "whether", is still read).
    """
    gates = _gates()
    drop: set[int] = set()
    sides = []
    for name in ("neither", "dont_know") if evidence else ():
        finder = gates[name].finder(text, words, short)
        if finder is not None:
            for m in finder.finditer(text):
                s, e = m.span()
                if name == "dont_know":  # "can't tell whether it's a good idea"
                    q = _OPEN_QUESTION_RE.match(text, e)
                    e = q.end() if q is not None else e
                sides.append((s, e))
    if sides:
        for i, e in enumerate(evidence):
            if any(a < e.end and e.start < b for a, b in sides):
                drop.add(i)
    added: list[_Evidence] = []
    if not evidence:
        m = _lexicon()["answer_openers_agree^"].match(text)
        if m is not None:
            added.append(_Evidence(1, False, m.end() - len(m.group().lstrip()), m.end(), "phrase"))
    if sarcastic:
        opener = _lexicon()["sarcasm_openers^"]
        for s, e in sarcastic:
            if any(s <= ev.start < e for ev in evidence):
                continue
            # Searched in the sentence itself: "^" never matches at a later sentence's
            # start in ``search(text, s, e)`` (before session 10, only an answer's
            # first sentence could disagree by its opener alone).
            m = opener.search(text[s:e])
            if m is not None:
                added.append(_Evidence(-1, False, s, s + m.end(), "phrase"))
    if "?" in text:
        for m in _SENTENCE_RE.finditer(text):
            s, e = m.start(), m.end()
            if not text[s:e].rstrip().endswith("?") or not _QUESTION_ECHO_RE.match(text, s, e):
                continue
            inside = [i for i, ev in enumerate(evidence) if s <= ev.start < e and ev.kind == "cue"]
            if not inside:
                continue
            drop.update(inside)
            reply = _SENTENCE_RE.search(text, e)
            r = _ELLIPTICAL_REPLY_RE.match(text, reply.start(), reply.end()) if reply else None
            if r is not None and not (r.group("yes") and r.group("neg")):
                d = -1 if r.group("neg") or r.group("no") else 1
                added.append(_Evidence(d, False, reply.start(), reply.end(), "cue"))
    for i, ev in enumerate(evidence):
        if i in drop or ev.kind != "phrase":
            continue
        own = (
            "n't" in text[ev.start : ev.end]
            or "n’t" in text[ev.start : ev.end]
            or text[ev.start : ev.end].startswith(("not ", "no ", "never ", "cannot "))
        )
        if own and _NOT_THAT_RE.search(text, max(0, ev.start - 30), ev.start):
            ev.direction, ev.strong, ev.weight = -ev.direction, False, CONCEDED
            if _contrast_follows(text, ev.end):
                ev.weight = CONCEDED * CONCEDED  # "... I do. But ...": superseded
        elif _RATHER_THAN_RE.search(text, max(0, ev.start - 20), ev.start):
            drop.add(i)  # "a nuisance rather than a disaster": what it is not
    if not drop and not added:
        return evidence
    return [ev for i, ev in enumerate(evidence) if i not in drop] + added


def _no_position(first: StanceResult) -> StanceResult:
    """``not_answered``: no position found (the first reader's cues kept)."""
    return _stance_result("not_answered", None, False, CONFIDENCE["none"], None, None, None,
                          "none", first.cues)  # fmt: skip


def _sentence_of(clauses: list, at: int) -> tuple[int, int]:
    return next((c.sentence for c in clauses if c.start <= at < c.end), (at, at))


def _contrast_follows(text: str, at: int) -> bool:
    """Whether a sentence after ``at`` opens with a contrast ("But ...", "However ...")."""
    opener = _lexicon()["contrast_openers^"]
    first = _SENTENCE_RE.search(text, at)
    if first is None:
        return False
    return any(opener.search(m.group()) for m in _SENTENCE_RE.finditer(text, first.end()))


def _sarcastic(text: str, sentence: tuple[int, int]) -> bool:
    """Whether a sentence opens sarcastically ("Oh brilliant, ...", "Yeah, because ...")."""
    return "sarcasm_openers" in _openers(text[sentence[0] : sentence[1]])


def _unreal_and_replies(text: str, evidence: list[_Evidence]) -> list[_Evidence]:
    """A hypothetical or a counter-proposal turned round, a reply to another person's
    view read through that view (:mod:`helpers.stance.replies`, session 16)."""
    for ev in evidence:
        if ev.direction > 0 and unreal(text, ev.start, ev.end):
            ev.direction, ev.strong = -1, False  # "If I lived there I'd love it."
    turned, added = replies(text, [(ev.start, ev.end, ev.direction) for ev in evidence])
    for i, d in turned.items():
        evidence[i].direction = d  # "She thinks it's pointless. I don't agree with her."
    return [ev for ev in evidence if ev.direction] + [
        _Evidence(d, False, a, b, "phrase") for a, b, d in added
    ]


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
        if not any(e.start < b and a < e.end for e in evidence)
    ]  # (session 11; a word in scare quotes, session 14; a mark out of ten, session 16) # fmt: skip
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
    aimed = [ev.direction > 0 and scope.aim_only(text, ev.start, ev.end) for ev in evidence]
    aims = {c.start for ev, a in zip(evidence, aimed, strict=True) if a
            for c in clauses if c.start <= ev.start < c.end}  # fmt: skip
    for ev, aim in zip(evidence, aimed, strict=True):
        clause = next((c for c in clauses if c.start <= ev.start < c.end), None)
        w = (clause.weight if clause else 1.0) * ev.weight
        if clause is not None and held_back(text, ev.start, ev.end, (clause.start, clause.end),
                                            clause.sentence):  # fmt: skip
            w *= CONCEDED  # "not opposed to it as such, but ..." (session 10)
            held += 1
        elif aim or (ev.direction > 0 and clause is not None and clause.start in aims):
            w *= CONCEDED  # the aim, and what else its clause says for it (session 14)
            held += 1
            ev.strong = False
        elif scope.conceded(text, ev.start, ev.end, ev.weight == 1.0):
            w *= CONCEDED  # "I was dead against it. I've come round." (s. 14); others' view (s. 15)
            ev.strong = False
        w *= STRONG if ev.strong else 1.0
        total += ev.direction * w
        if ev.strong:
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
        strong = strong_w[direction] >= 1.0 and strong_w[direction] >= abs(total) / 2
        strong = strong or echoed(text, clause.sentence)  # "Yes. Unreservedly." (session 9)
        hedges = gates["hedges"].finder(text, words, short)
        if hedges is not None and hedges.search(text, clause.sentence[0], clause.sentence[1]):
            strong = False  # "On balance ...", "broadly ..." is never strong
        stance = _SCORE_TO_STANCE[direction * (2 if strong else 1)]
        mixed = any(e.direction == -direction for e in evidence)
        kind = "cue" if kinds == {"cue"} and not mixed else "phrase"
        span = clause.sentence
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
    if first.method == "sentiment" and not questions_only(text):
        # A question back ("How will you grade a council when ...?") has no position (s. 10).
        return _reserved(text, first, words)
    return _no_position(first)


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
