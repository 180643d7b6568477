"""The discourse reader's second look at its evidence: ways of writing the phrase lists misread.

Split from :mod:`helpers.stance.discourse` (session 20, one concern per module).
``_read_again`` applies seven general corrections (sessions 7-8, issue 13): taking
no side in two-sided words, a sarcastic opener with no praise word, the question
quoted back with its elliptical reply, a one-word reply ("Fine,"), "it's not that I
don't ...", what the proposal is not ("rather than ..."), and the question left open
("couldn't tell you whether ..."). ``_unreal_and_replies`` turns a hypothetical or a
counter-proposal round and reads a reply to another person's view through that view
(:mod:`helpers.stance.replies`, session 16).
"""

from __future__ import annotations

import re

from helpers.stance.clauses import _SENTENCE_RE, CONCEDED
from helpers.stance.discourse_evidence import _Evidence
from helpers.stance.discourse_lexicon import _gates, _lexicon
from helpers.stance.lexgate import WordPlaces
from helpers.stance.replies import replies, unreal

__all__ = ["_read_again", "_unreal_and_replies"]

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


def _contrast_follows(text: str, at: int) -> bool:
    """Whether a sentence after ``at`` opens with a contrast ("But ...", "However ...")."""
    opener = _lexicon()["contrast_openers^"]
    first = _SENTENCE_RE.search(text, at)
    if first is None:
        return False
    return any(opener.search(m.group()) for m in _SENTENCE_RE.finditer(text, first.end()))


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
