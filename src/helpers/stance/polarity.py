"""Which side a verb of opinion takes once what it applies to is read (session 28, issue 13).

The class "the surface words' polarity is inverted by what they apply to": the rules read
"agree", "support", "object", "reject" by their own sign and a negator before them, but
the sign of the position is the product of three things, each read here in its clause:

- the verb of opinion's own polarity (``agree``/``support``/``welcome`` +1, ``disagree``/
  ``oppose``/``object``/``reject``/``against`` -1);
- a negation in its scope ("can't disagree", "no objection", "not convinced", "hard to
  argue against", "nobody could object"; "couldn't agree more" is no negation);
- the polarity of its OBJECT: the proposal (+1), or something standing against it (-1): a
  critic or an opposing party ("those who say it is a mistake", "the objectors", "the
  campaign against"), a claim whose own words reject the proposal ("the claim that it is
  unnecessary"), an act that undoes it ("rejecting", "scrapping", "being dropped"), an
  alternative or the status quo ("keeping things as they are", "a delay"). A supporter or
  a claim in the proposal's favour is +1.

Each hit is (start, end, side, kind): ``side`` = verb × negation × object, ``kind`` the
object's kind (``proposal``, ``critic``, ``supporter``, ``claim``, ``undoing``,
``alternative``) with ``negated``. A pure function of the text: no consultation's words (the
proposal is whatever the verb applies to when nothing else is named). The reader does not
decide a stance on its own: ``stance.polarity_gate`` weighs its hits against the current
reading with a model fitted leave-one-set-out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Hit", "hits"]

_VERBS = (
    (r"in favou?r(?: of)?|agree(?:s|d|ing)?|support(?:s|ed|ing)?|backs|backed|backing|"
     r"back|favou?r(?:s|ed|ing)?|"
     r"welcom(?:e|es|ed|ing)|endors(?:e|es|ed|ing)|all for|get(?:ting)? behind|"
     r"on board with|convinced|side with|siding with|count me in with|prefer(?:s|red)?", 1),
    (r"disagree(?:s|d|ing)?|oppos(?:e|es|ed|ing)|object(?:s|ed|ing)?(?= to\b)|objections?|"
     r"reject(?:s|ed|ing)?|against|argue (?:against|with)|resist(?:s|ed|ing)?|"
     r"fight(?:s|ing)?|stand in the way of|problems? with", -1),
)  # fmt: skip
_VERB_RE = re.compile("|".join(rf"(?P<v{i}>\b(?:{pat})\b)" for i, (pat, _) in enumerate(_VERBS)))
_SIGN = {f"v{i}": s for i, (_, s) in enumerate(_VERBS)}
# A negator in the verb's scope: up to five words before it in its clause.
_NEG_RE = re.compile(
    r"\b(?:not|no|never|nobody|no one|nothing|hardly|barely|cannot|can[’']?t|couldn[’']?t|"
    r"won[’']?t|wouldn[’']?t|don[’']?t|doesn[’']?t|didn[’']?t|isn[’']?t|aren[’']?t|"
    r"hard to|difficult to|struggle to|no reason to)\b|n[’']t\b"
)
_MORE_RE = re.compile(r"^\W*(?:\w+\W+){0,3}?more\b")  # "couldn't agree more"
_CLAUSE_END_RE = re.compile(
    r"[.;:!?\n]|\bbut\b|\bhowever\b|\bbecause\b|\bso\b|\bwhile\b|\band\b|\bthough\b"
)
# A negator's scope also ends at a comma ("Trial or no trial, I'm against it").
_SCOPE_END_RE = re.compile(r",|[–—]|\s-\s")
# Before the verb: a determiner makes it a noun ("the support just stopped"), "be more"
# an intensifier ("could not be more in favour").
_NOUN_RE = re.compile(
    r"\b(?:the|a|an|this|that|our|their|his|her|its|my|your|some|much|"
    r"strong|full|of|for)\s*$"
)
# A contrast later in the verb's sentence or opening the next one, or a correction ("It is not
# that we are against scrutiny. It is that ..."); "yet another" is no contrast.
_CONTRAST_AFTER_RE = re.compile(
    r"[^.!?\n]*?(?:\bbut\b|\bhowever\b|(?:,|\band)\s+yet\b|,\s*(?:i|we)\s+just\b|"
    r"[.!?]\s+(?:but|however|that said|still|yet(?!\s+(?:another|more|again))|rather|instead|it(?:['’]s| is| was) that|"
    r"(?:i|we)\s+just|(?:i|we)\s+have\s+everything))"
)
# A contrast opening a later sentence or paragraph near it ("... we do not oppose it. Care
# leavers deserve the scrutiny. That said, ...").
_LATER_CONTRAST_RE = re.compile(
    r"(?:[.!?\n]\s*(?:but|still|even so)|\bhowever|\bthat said|\bnevertheless|\bnonetheless|"
    r"\bhaving said that)\b"
)
# A concession or a condition opening the verb's clause ("though we are not convinced a
# single grade ...", "if it isn't supporting ..."): no position of the writer's.
_CONCEDED_RE = re.compile(
    r"\b(?:though|although|while|whilst|even if|if|unless|provided|as long as)\b[^.!?\n]*$"
)
# "against" is a position after a form of "be" or an adverb ("I'm against", "firmly
# against"), a preposition elsewhere ("judged against rules").
_AGAINST_AFTER = frozenset("am 'm ’m are 're ’re is 's ’s was were be been i we firmly strongly totally "
                           "completely very still definitely nothing everything anything vote voted "
                           "argue argued campaign campaigned speak spoke not remain remains all "
                           "entirely wholly".split())  # fmt: skip
# A parenthetical between a negator and its verb ("We do not, however, agree").
_ASIDE_RE = re.compile(
    r",\s*(?:however|though|therefore|in fact|frankly|honestly|i think|we think)\s*,"
)
# "back" is a verb only after its subject or an auxiliary ("no way back", "go back").
_BACK_AFTER = frozenset("i we to would will fully also can could should strongly they not "
                        "i'd we'd i’d we’d".split())  # fmt: skip
_MORE_BEFORE_RE = re.compile(r"\bmore\s+(?:in\s+)?$")
# An object that is a person is not the proposal ("nobody backs us up", "agree with her").
_PERSON_RE = re.compile(r"^\s*(?:with\s+)?(?:me|us|u|you|him|her|them)\b")
_CRITIC_RE = re.compile(
    r"\b(?:critics|objectors|opponents|opposition|complainers|naysayers|detractors|"
    r"(?:petition|campaign|protest|case|objections?)\s+against|"
    r"(?:those|people|anyone|everyone|everybody|others|residents|neighbours|the ones|many)\b"
    r"[^.;!?]{0,25}?\b(?:who|that)\s+(?:say|says|said|argue|claim|think|object|oppose|"
    r"complain|call|are\s+(?:fighting|opposing|against|complaining|objecting)|ha(?:ve|s)\s+"
    r"(?:objected|complained|opposed)))"
)
_SUPPORTER_RE = re.compile(
    r"\b(?:supporters|backers|proponents|(?:those|people|anyone|everyone)\s+(?:who|that)\s+"
    r"(?:support|back|welcome|want)\b)"
)
# A claim is the verb's own object: "(with) (the claim) that ...", "it ...", "by the group that".
_CLAIM_RE = re.compile(
    r"^\s*(?:with\s+|by\s+(?:the\s+)?\w+\s+)?(?:(?:the|any|this)\s+)?(?:(?:claims?|idea|"
    r"suggestions?|views?|arguments?|notion|assertions?)\s+)?(?:that|it)\b"
)
_UNDO_RE = re.compile(
    r"\b(?:reject(?:ing|ed)|scrap(?:ping|ped)?|drop(?:ping|ped)?|withdraw(?:ing|n)?|"
    r"abandon(?:ing|ed)?|(?<!full )stop(?:ping|ped)?|halt(?:ing|ed)?|revers(?:e|ing|ed)|paus(?:e|ing|ed)|"
    r"block(?:ing|ed)?|cancell?(?:ing|ed)?|postpon(?:e|ing|ed)|water(?:ing|ed)? down|"
    r"shelv(?:e|ing|ed)|bin(?:ning|ned)?)\b"
)
_ALTERNATIVE_RE = re.compile(
    r"\b(?:keep(?:ing)? (?:things|the current|the existing)|leav(?:e|ing) (?:it|things|them) "
    r"as (?:it|they) (?:is|are|stand)|status quo|current (?:arrangements?|system|"
    r"position|approach)|existing (?:arrangements?|system|approach)|(?:a|any|further) delay|"
    r"doing nothing|do nothing|a (?:pilot|trial) first|instead)\b"
)
# Words by which a claim's own clause rejects (-1) or backs (+1) the proposal.
_CLAIM_NEG_RE = re.compile(
    r"\b(?:mistake|unnecessary|not needed|needless|waste|wrong|bad idea|fail|pointless|"
    r"unfair|harmful|too (?:soon|early|quick|much|far)|premature|unworkable)\b|" + _UNDO_RE.pattern
)
_CLAIM_POS_RE = re.compile(r"\b(?:needed|necessary|good idea|sensible|right|work|overdue|fair)\b")
_WRONG_RE = re.compile(r"\b(?:are|is|were|have got (?:this|it)|got (?:this|it))\s+"
                       r"(?:\w+\s+)?(?:wrong|mistaken)\b")  # fmt: skip


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    side: int  # +1 agree with the proposal, -1 disagree
    verb: int  # the verb's own polarity
    negated: bool
    kind: str  # proposal, critic, supporter, claim, undoing, alternative


def _object(after: str) -> tuple[int, str]:
    """(polarity, kind) of what the verb applies to: ``after`` is its clause's rest."""
    head = after[:90]
    if _SUPPORTER_RE.search(head):
        return 1, "supporter"
    if _CRITIC_RE.search(head):
        return -1, "critic"
    m = _CLAIM_RE.match(head)
    if m:
        rest = head[m.end() :]
        if _CLAIM_NEG_RE.search(rest):
            return -1, "claim"
        if _CLAIM_POS_RE.search(rest) and not _NEG_RE.search(rest):
            return 1, "claim"
    lead = " ".join(head.split()[:6])  # an act or an alternative opens the object
    if _UNDO_RE.search(lead) or re.search(r"\bbe(?:ing)?\s+(?:\w+\s+)?" + _UNDO_RE.pattern, head):
        return -1, "undoing"
    if _ALTERNATIVE_RE.search(lead):
        return -1, "alternative"
    return 1, "proposal"


def _clause_before(low: str, at: int) -> str:
    start = max(0, at - 60)
    before = low[start:at]
    ends = list(_CLAUSE_END_RE.finditer(before))
    return before[ends[-1].end() :] if ends else before


def _clause_after(low: str, end: int) -> str:
    after = low[end : end + 160]
    m = _CLAUSE_END_RE.search(after)
    return after[: m.start()] if m else after


def hits(text: str) -> list[Hit]:
    """Every verb of opinion in ``text`` with the side it takes (see the module docstring),
    and every critic said to be wrong ("the objectors have got this wrong": +1)."""
    raw = text.lower()
    low = _ASIDE_RE.sub(lambda m: " " * len(m.group(0)), raw)
    out: list[Hit] = []
    inside = -1  # the end of the last object read as a party, claim or act: not re-read
    for m in _VERB_RE.finditer(low):
        if m.start() < inside:
            continue
        name = next(k for k, v in m.groupdict().items() if v)
        verb = _SIGN[name]
        before = _clause_before(low, m.start())
        if _NOUN_RE.search(before) and name == "v0":
            continue
        last = re.split(r"(?<=\w)(?=['’])|\s+", before.strip())[-1] if before.strip() else ""
        if m.group(0) == "against" and last and last not in _AGAINST_AFTER:
            continue
        if _CONCEDED_RE.search(low[max(0, m.start() - 250) : m.start()]):
            continue
        if m.group(0) == "back" and (before.split() or [""])[-1] not in _BACK_AFTER:
            continue
        scope = _SCOPE_END_RE.split(before)[-1].split()[-5:]
        # A capitalised negator inside a clause is a name's word ("Eighteen Is Not An Ending")
        orig = text[m.start() - len(" ".join(scope)) - 1 : m.start()].split()
        if any(w[:1].isupper() for w in orig[1:]) and sum(w[:1].isupper() for w in orig) > 2:
            continue
        negated = len(_NEG_RE.findall(" ".join(scope))) % 2 == 1  # "not that I'm not"
        after = _clause_after(low, m.end())
        if _PERSON_RE.match(after):
            continue
        if negated and (_MORE_RE.match(after) or _MORE_BEFORE_RE.search(before)):
            negated = False  # "couldn't agree more", "could not be more in favour"
        if _CONTRAST_AFTER_RE.match(raw[m.end() : m.end() + 200]) or _LATER_CONTRAST_RE.search(
            raw[m.end() : m.end() + 250]
        ):
            continue  # "I'm not against buses, but ...": the contrast carries the position
        pol, kind = _object(after)
        if m.group(0) in ("against",) and kind == "proposal" and not after.strip():
            continue  # a bare "against" closing a clause names nothing
        side = verb * (-1 if negated else 1) * pol
        if kind != "proposal":
            inside = m.end() + len(after)
        out.append(Hit(m.start(), m.end(), side, verb, negated, kind))
    for m in _CRITIC_RE.finditer(low):
        rest = _clause_after(low, m.end())
        if _WRONG_RE.search(rest):
            out.append(Hit(m.start(), m.end(), 1, -1, False, "critic"))
    return out
