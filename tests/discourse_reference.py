"""The discourse reader as it was before its patterns were pruned (session 6): the reference.

``tests/test_discourse_fast.py`` runs it beside :mod:`helpers.stance.discourse`
and asserts the same results. It compiles its own patterns from the same
``data/stance_lexicon.yaml``, so lexicon edits keep the two comparable; a change
to how the reader decides belongs in both (or in a regenerated copy).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from helpers.core import schemas
from helpers.stance.answered import turn_answered
from helpers.stance.asplanned import as_planned  # session 20: shared
from helpers.stance.clauses import _WITHOUT_CONDITION_RE  # session 20: shared
from helpers.stance.concession import (  # session 10: pure functions, shared
    contrast_after,
    denied_before_contrast,
    held_back,
    last_side,
    questions_only,
    reported,
    undone,
)
from helpers.stance.denial import restatements  # session 11, 16: shared
from helpers.stance.evidence_pick import pick_quote  # session 24: shared
from helpers.stance.finalword import FINAL_WEIGHT, final_sentence  # session 23: shared
from helpers.stance.firstpass import _lower
from helpers.stance.predicative import predicated  # session 18: shared
from helpers.stance.preference import (  # session 11, 19: shared
    alternative_values,
    preferred_alternatives,
)
from helpers.stance.rating import ratings  # session 16: shared
from helpers.stance.replies import replies, unreal  # session 16: shared
from helpers.stance.result import Cue, StanceResult, _stance_result
from helpers.stance.scope import (
    _DONE_OTHERWISE_RE,
    asked_back,
    negated_belief,
    not_that,
    others_view,
    past_view,
    rhetorical,
    scare_quotes,
    turned_views,
)  # session 14: shared
from helpers.stance.statusquo import (  # session 9: a pure function, shared
    mocks_status_quo,
    status_quo,
)
from helpers.stance.strength import firm_only  # session 23: shared
from helpers.stance.voice import READ_BY_DISCOURSE, whose_view  # session 24: shared

AFTER_CONTRAST = 1.5  # a clause after "but"/"however" carries the position...
CONCEDED = 0.3  # ...a conceded clause ("while we support the aim") barely counts
OVERALL = 2.0  # "Overall, we oppose it" sums the answer up
STRONG = 2.0  # a strong cue or phrase counts twice
# "none": no position found in a text that says something. Measured, it is the
# least reliable verdict: right 69 % of the time on the tuned item set
# (stance-items-2, 26 answers) and 3 % on unseen items (stance-items-4, 31):
# about a third pooled, so it is stated as such and listed for reading by hand.
CONFIDENCE = {"cue": 0.9, "phrase": 0.85, "stated": 0.85, "none": 0.35, "sentiment": 0.4}

_SCORE_TO_STANCE = {v: k for k, v in schemas.STANCE_SCORES.items()}


_TOKEN_RE = re.compile(r"[\w’'-]+\*?|[^\w\s]")


def _token_re(tok: str) -> str:
    # Either apostrophe, or none: "don't", "don’t" and "dont" are one word.
    if tok.endswith("*"):
        return re.escape(tok[:-1]).replace("'", "['’]?") + r"\w*"
    return re.escape(tok).replace("'", "['’]?")


def _trie_alt(tokens_list: list[list[str]]) -> str:
    """An alternation of token sequences as a trie: "no way|no idea|nope" becomes
    "no(?:\\s*way|\\s*idea)|nope"-like nesting, so the regex engine tries each
    first word once. Python's ``re`` tries the branches of a flat alternation one
    by one at every position, which made a lexicon of a few hundred phrases read
    at a few MB/s; the trie reads it many times faster."""
    trie: dict = {}
    for toks in tokens_list:
        node = trie
        for t in toks:
            node = node.setdefault(t, {})
        node[""] = {}

    def emit(node: dict, first: bool) -> str:
        alts = []
        for tok, child in sorted(node.items(), key=lambda kv: -len(kv[0])):
            if tok == "":
                continue
            sep = "" if first else (r"\s*" if not tok[0].isalnum() else r"\s+")
            head = (r"\b" if tok[0].isalnum() and first else "") + _token_re(tok)
            rest = [emit(child, False)] if len(child) > ("" in child) else []
            if "" in child:  # a phrase ends here: at a word's end, if it ends in a word
                rest.append(r"(?![\w’'])" if tok[-1].isalnum() or tok.endswith("*") else "")
            tail = rest[0] if len(rest) == 1 else "(?:" + "|".join(rest) + ")"
            alts.append(sep + head + tail)
        return "(?:" + "|".join(alts) + ")"

    return emit(trie, True)


def _phrase_alt(words: list[str]) -> str:
    """One pattern for a list of phrases: whole words, either apostrophe, "*" any ending."""
    return _trie_alt([t for t in (_TOKEN_RE.findall(w.lower()) for w in words) if t])


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, re.Pattern[str]]:
    """The lexicon's lists compiled, one pattern per list (``data/stance_lexicon.yaml``)."""
    path = resources.files("helpers").joinpath("data", "stance_lexicon.yaml")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    # Case-sensitive patterns, run on the lower-cased answer: several times faster
    # than re.I on the answer as written.
    out = {k: re.compile(_phrase_alt([str(w) for w in v])) for k, v in raw.items()}
    openers = {k: re.compile(r"^\W*(?:" + out[k].pattern + ")") for k in
               ("concession_openers", "contrast_openers", "overall_openers", "condition_openers",
                "sarcasm_openers")}  # fmt: skip
    out.update({f"{k}^": v for k, v in openers.items()})
    verbs = f"(?P<agree>{out['verbs_agree'].pattern})|(?P<disagree>{out['verbs_disagree'].pattern})"
    verbs_s = (
        f"(?P<agree>{out['verbs_agree_s'].pattern})|(?P<disagree>{out['verbs_disagree_s'].pattern})"
    )
    out["subject_verb"] = re.compile(rf"\b(?:i|we)\s+(?P<gap>(?:[\w’'-]+\s+){{0,3}}?)(?:{verbs})")
    # No words before the verb in the pattern: a leading optional group would be
    # tried at every position (slow); the adverbs before it are looked up after.
    modal = r"(?:would|will|can|could|do|does|did|shall|should|must|cannot|can['’]t|won['’]t|wouldn['’]t|don['’]t|doesn['’]t)"
    base = (
        f"(?P<agree2>{out['verbs_agree'].pattern})|(?P<disagree2>{out['verbs_disagree'].pattern})"
    )
    out["third_person"] = re.compile(
        rf"\b(?:{verbs_s})|\b(?P<modal>{modal}\s+(?:[\w’'-]+\s+)?)(?:{base})"
    )
    out["answer_openers_agree^"] = re.compile(
        r"^\W*(?:" + out["answer_openers_agree"].pattern + r")(?=\s*(?:[,.!;:\-–—]|$))"
    )
    out["negator_end"] = re.compile(rf"(?:{out['negators'].pattern}|n['’]t\b)[\w\s’'-]*$")
    return out


# A sentence ends at a stop, or at a line's end: a bullet or a line with no stop
# ("- January: no objection") is a sentence too (before session 7 such a line,
# unless the answer's last, was found in no sentence and so weighed in no clause).
_SENTENCE_RE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*|(?=\n)|$)|[.!?]+")
_CONTRAST_SPLIT_RE = re.compile(
    r"[,;:–—-]?\s+(?=(?:but|however|yet)\b)|;\s*|,\s+(?=(?:even\s+though|although|though|while|whilst)\b)"
    r"|,\s+(?=(?:(?:and\s+)?so|overall|on\s+balance|ultimately|in\s+the\s+end|therefore)\b)",
    re.I,
)
# Session 16: an aside between commas after an auxiliary or negator ("We do not, however,
# support it") is no clause break; the negator still governs the verb after it.
_ASIDE_WORDS = (
    "however|though|therefore|nevertheless|nonetheless|still|overall|on balance|ultimately|"
    "of course|at present|at this stage|as yet|currently|at the moment|in principle|in our view|"
    "in my view|i'm afraid|i’m afraid|i am afraid|we regret|sadly|unfortunately|regrettably|"
    "frankly|honestly|in fact|indeed|i think|we think|i fear|we fear"
)
_ASIDE_REF_RE = re.compile(
    r"\b(not|never|cannot|\w*n['’]t|do|does|did|is|are|was|were|am|will|would|shall|should|"
    r"can|could|may|might|must)(\s*,\s*("
    + "|".join(w.replace(" ", r"\s+") for w in _ASIDE_WORDS.split("|"))
    + r")\s*,)(?=\s*(?:\w|\Z))",
    re.I,
)


def _unaside(text: str) -> str:
    return _ASIDE_REF_RE.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)


_SPLIT_SENTENCE_TAIL_RE = re.compile(
    r"(?i)\b(?:agree|support)\w*\s+(?:with\s+)?(?:the\s+|its\s+|your\s+)?"
)
_POLARITY = {"agree_strong": (1, True), "agree": (1, False),
             "disagree_strong": (-1, True), "disagree": (-1, False)}  # fmt: skip


@dataclass
class _Clause:
    start: int
    end: int
    sentence: tuple[int, int]
    weight: float


def _clauses(text: str) -> list[_Clause]:
    """Sentences cut at contrasts, each with the weight of where it stands."""
    lex = _lexicon()
    out: list[_Clause] = []
    for m in _SENTENCE_RE.finditer(text):
        s, e = m.start(), m.end()
        sent = text[s:e]
        if not sent.strip():
            continue
        base = OVERALL if lex["overall_openers^"].search(sent) else 1.0
        aside = [(m.start(2), m.end(2), " ".join(m.group(3).lower().split()))
                 for m in _ASIDE_REF_RE.finditer(sent)]  # fmt: skip
        if any(w in ("overall", "on balance", "ultimately") for _, _, w in aside):
            base = OVERALL
        contrast_aside = any(
            w in ("however", "though", "nevertheless", "nonetheless", "still") for _, _, w in aside
        )
        if (lex["contrast_openers^"].search(sent) or contrast_aside) and out:
            base = max(base, AFTER_CONTRAST)
            prev_s = out[-1].sentence
            for c in out:
                # session 10: a mid-sentence ", so ..." consequence is conceded too
                consequence = c.start > c.sentence[0] and re.match(
                    r"\W*(?:and\s+)?so\b", text[c.start :]
                )
                if c.sentence == prev_s and (c.weight < OVERALL or consequence):
                    c.weight = CONCEDED
        cuts = [s] + [s + k.end() for k in _CONTRAST_SPLIT_RE.finditer(sent)
                      if not any(a <= k.start() < b for a, b, _ in aside)] + [e]  # fmt: skip
        parts = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if text[a:b].strip()]
        for k, (a, b) in enumerate(parts):
            w = base
            if len(parts) > 1:
                w = base * (AFTER_CONTRAST if k == len(parts) - 1 else CONCEDED)
            if k and lex["concession_openers^"].search(text[a:b]):
                # "..., even though I fully support the scheme": the concession
                # trails the position; the clause before it keeps its weight.
                w = base * CONCEDED
                out[-1].weight = max(out[-1].weight, base)
            if lex["concession_openers^"].search(text[a:b]) and len(parts) > 1 and k == 0:
                w = base * CONCEDED
            if lex["condition_openers^"].search(text[a:b]) or _WITHOUT_CONDITION_RE.match(
                text, a, b
            ):  # session 20: "Without that commitment we would oppose it"
                w = base * CONCEDED  # "If it doesn't work, ..." states a condition
            if k and lex["overall_openers^"].search(text[a:b]):
                w = OVERALL  # "Having weighed ..., overall we support it"
            out.append(_Clause(a, b, (s, e), w))
    # "Although X, Y": the clause opening with a concession cedes to the rest of its sentence.
    for c in out:
        clause = text[c.start : c.end]
        if lex["concession_openers^"].search(clause) and "," in clause:
            comma = c.start + clause.index(",")
            c.end, rest = comma, _Clause(comma + 1, c.end, c.sentence, c.weight)
            c.weight *= CONCEDED
            out.append(rest)
    out.sort(key=lambda c: c.start)
    return out


@dataclass
class _Evidence:
    direction: int
    strong: bool
    start: int
    end: int
    kind: str  # cue | phrase
    weight: float = 1.0
    negated: bool = False  # session 9: a negator turned it (or is its own)


_CONTRAST_WORD_RE = re.compile(r"\b(?:but|however|yet|although|though|whereas)\b")
# A refusal phrase read literally: "no way back", "no way out of", "no way to get there".
_LITERAL_AFTER = {
    "no way": re.compile(
        r"\s+(?:back|out|forward|round|around|through|home|across|in|of|to|for)\b"
    ),
    "no chance": re.compile(r"\s+to\b"),  # session 8: "no chance to act on it"
    "do it": _DONE_OTHERWISE_RE,  # session 20: "do it properly in the spring"
    "please do it": _DONE_OTHERWISE_RE,
}
# Session 8: what a "don't know" phrase leaves open ("can't tell whether it's a good idea").
_OPEN_QUESTION_RE = re.compile(
    r"(?:(?:\s+[\w’'-]+){0,4}?\s+(?:whether|if|what|which|when)\b"
    r"|(?=(?:(?!\b(?:but|however|yet)\b)[^.!?;,\n])*?\bor\b))"
    r"(?:(?!\b(?:but|however|yet)\b)[^.!?;,\n])*"
)


def _literal(text: str, phrase: str, start: int, end: int) -> bool:
    """Whether a lexicon phrase is meant literally here (``_LITERAL_AFTER``; session 16:
    "wrong" after "go", "gone", "went": something failing, not a verdict)."""
    after = _LITERAL_AFTER.get(phrase)
    if after is not None and after.match(text, end) is not None:
        return True
    return phrase == "wrong" and re.search(
        r"(?:\b(?:has|have|had)|['’]s|['’]ve)\s+(?:[\w’'-]+\s+)?gone\s+$|\bwent\s+$"
        r"|\bif\s+(?:[\w’'-]+\s+){1,3}?(?:go|goes)\s+$", text[max(0, start - 40) : start]
    ) is not None  # fmt: skip


def _negated(text: str, start: int) -> bool:
    """Whether a negator stands in the four words before ``start`` ("not a bad idea",
    "can't say we are against it")."""
    before = _unaside(text[max(0, start - 40) : start])  # session 16
    before = re.split(r"[.!?;,:\n]", before)[-1]  # within the clause: "Absolutely not. Pointless"
    # Nor across a contrast: "It's not perfect but it's better than the status quo".
    before = _CONTRAST_WORD_RE.split(before)[-1]
    words = re.findall(r"[\w’'-]+", before)[-4:]
    if words and _lexicon()["negator_end"].search(" ".join(words) + " "):
        return True
    return negated_belief(text, start)  # "we do not believe it adds value" (session 14)


def _words_before(text: str, start: int, n: int) -> str:
    """The ``n`` words before ``start``, joined (the adverbs before "supports")."""
    return " ".join(re.findall(r"[\w’'-]+", text[max(0, start - 30) : start])[-n:])


def _evidence(text: str, cues: tuple[Cue, ...]) -> list[_Evidence]:
    """The first reader's directional cues, subject-verb positions and the lexicon's phrases.

    A phrase that covers a cue replaces it ("couldn't agree more" is not a
    negated "agree"; "No-brainer" is not a bare "No"); a negator in the four
    words before a phrase that does not carry its own turns it round ("not a
    bad idea", "can't say we are against it"). A cue inside a courtesy ("we would
    welcome the opportunity to meet") is no position.
    """
    lex = _lexicon()
    found: list[_Evidence] = []
    for name, (direction, strong) in _POLARITY.items():
        for m in lex[name].finditer(text):
            if _literal(text, m.group(), m.start(), m.end()):
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
    vtext = _unaside(text)  # session 16: "We do not, however, support ..."
    verb_hits = [*lex["subject_verb"].finditer(vtext), *lex["third_person"].finditer(vtext)]
    for m in verb_hits:
        groups = m.groupdict()
        agree = groups.get("agree") or groups.get("agree2")
        verb = "agree" if groups.get("agree") else "agree2" if groups.get("agree2") else (
            "disagree" if groups.get("disagree") else "disagree2")  # fmt: skip
        if groups.get("gap") is not None:
            gap = groups["gap"]
        elif groups.get("modal"):
            gap = _words_before(vtext, m.start(), 2) + " " + groups["modal"]
        else:
            gap = _words_before(vtext, m.start(), 2)
        d = 1 if agree else -1
        negated = bool(lex["negators"].search(gap)) or "n't" in gap or "n’t" in gap
        strong = bool(lex["strong_adverbs"].search(gap)) and not negated
        found.append(_Evidence(-d if negated else d, strong, m.start(verb), m.end(), "cue", 1.0,
                               negated))  # fmt: skip
    # Longest first; a shorter span inside a longer one is the same words read twice, and
    # so is one overlapping it the other way ("more yes than no" is not "no."; session 14).
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
    polite = [m.span() for m in lex["courtesies"].finditer(text)]
    if polite:
        out = [o for o in out if not any(a < o.end and o.start < b for a, b in polite)]
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


def _read_again(text: str, evidence: list[_Evidence], sarcastic) -> list[_Evidence]:
    """Session 7's corrections, read plainly (every pattern over the whole answer):
    no-side phrases swallow position words, a sarcastic opener with no praise word
    disagrees, a quoted question's cue is dropped and its elliptical reply read,
    a one-word agreeing opener, and "not that I don't ..." turned round, conceded;
    session 8: the question a "don't know" phrase leaves open is no evidence."""
    lex = _lexicon()
    drop: set[int] = set()
    sides = [m.span() for m in lex["neither"].finditer(text)]
    for m in lex["dont_know"].finditer(text):  # with the question it leaves open (session 8)
        q = _OPEN_QUESTION_RE.match(text, m.end())
        sides.append((m.start(), q.end() if q else m.end()))
    for i, e in enumerate(evidence):
        if any(a < e.end and e.start < b for a, b in sides):
            drop.add(i)
    added: list[_Evidence] = []
    if not evidence:
        m = lex["answer_openers_agree^"].match(text)
        if m is not None:
            added.append(_Evidence(1, False, m.end() - len(m.group().lstrip()), m.end(), "phrase"))
    for s, e in dict.fromkeys(sarcastic):  # a sentence once, however many clauses
        if any(s <= ev.start < e for ev in evidence):
            continue
        m = lex["sarcasm_openers^"].search(text[s:e])  # session 10: in the sentence itself
        if m is not None:
            added.append(_Evidence(-1, False, s, s + m.end(), "phrase"))
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
            added.append(_Evidence(-1 if r.group("neg") or r.group("no") else 1, False,
                                   reply.start(), reply.end(), "cue"))  # fmt: skip
    for i, ev in enumerate(evidence):
        if i in drop or ev.kind != "phrase":
            continue
        span = text[ev.start : ev.end]
        own = (
            "n't" in span or "n’t" in span or span.startswith(("not ", "no ", "never ", "cannot "))
        )
        if own and _NOT_THAT_RE.search(text, max(0, ev.start - 30), ev.start):
            ev.direction, ev.strong, ev.weight = -ev.direction, False, CONCEDED
            if _contrast_follows(text, ev.end):
                ev.weight = CONCEDED * CONCEDED  # "... I do. But ...": superseded
        elif _RATHER_THAN_RE.search(text, max(0, ev.start - 20), ev.start):
            drop.add(i)
    return [ev for i, ev in enumerate(evidence) if i not in drop] + added


_BOTH_CONTRAST_RE = re.compile(r"\b(?:but|however|yet|although|though|whereas|just|only)\b")


def two_sided(text: str, evidence: list) -> list[tuple[int, int]]:
    """Session 9: sentences whose every reading is negated, both ways, no contrast."""
    if len(evidence) < 2 or not any(ev.negated for ev in evidence):
        return []
    out = []
    for m in _SENTENCE_RE.finditer(text):
        s, e = m.span()
        inside = [ev for ev in evidence if s <= ev.start < e]
        if (
            len(inside) >= 2
            and all(ev.negated for ev in inside)
            and {ev.direction for ev in inside} == {1, -1}
            and _BOTH_CONTRAST_RE.search(text, s, e) is None
        ):
            out.append((s, e))
    return out


_WORD_RE = re.compile(r"[\w’'%-]+")
_FILLER = frozenset({"and", "just", "simply", "so"})


@lru_cache(maxsize=1)
def _emphatic() -> frozenset[str]:
    path = resources.files("helpers").joinpath("data", "stance_lexicon.yaml")
    return frozenset(
        str(w).lower() for w in yaml.safe_load(path.read_text("utf-8"))["emphatic_adverbs"]
    )


def adverb_before(text: str, start: int) -> bool:
    """Session 9: an emphatic adverb in the two words before, in the clause."""
    before = re.split(r"[.!?;,:\n]", text[max(0, start - 30) : start])[-1]
    return any(w in _emphatic() for w in _WORD_RE.findall(before)[-2:])


def echoed(text: str, sentence: tuple[int, int]) -> bool:
    """Session 9: the next sentence only intensifies or repeats this one."""
    nxt = _SENTENCE_RE.search(text, sentence[1])
    if nxt is None:
        return False
    said = _WORD_RE.findall(text[sentence[0] : sentence[1]].lower())
    again = [w for w in _WORD_RE.findall(nxt.group().lower()) if w not in _FILLER]
    if not again or len(again) > 3:
        return False
    return all(w in _emphatic() for w in again) or again == said


def _contrast_follows(text: str, at: int) -> bool:
    """Whether a sentence after ``at`` opens with a contrast ("But ...", "However ...")."""
    opener = _lexicon()["contrast_openers^"]
    first = _SENTENCE_RE.search(text, at)
    if first is None:
        return False
    return any(opener.search(m.group()) for m in _SENTENCE_RE.finditer(text, first.end()))


def _sarcastic(text: str, sentence: tuple[int, int]) -> bool:
    """Whether a sentence opens sarcastically ("Oh brilliant, ...", "Yeah, because ...")."""
    return bool(_lexicon()["sarcasm_openers^"].search(text[sentence[0] : sentence[1]]))


# Session 14: "endorse the principle", "welcome its overall aim" (before, only the words
# right after the cue were read, so a determiner hid the aim from every verb but the two
# that ``_SPLIT_SENTENCE_TAIL_RE`` reads).
_AIM_DETERMINER_RE = re.compile(
    r"^(?:(?:the|its|their|your|our|this|these|that)\s+)?(?:(?:overall|underlying|general|broad|"
    r"wider|stated)\s+)?"
)


def _aim_only(text: str, ev: _Evidence) -> bool:
    """Whether a positive cue is about the aim or principle ("agree with the aim")."""
    lex = _lexicon()
    after = text[ev.end : ev.end + 40]
    tail = _SPLIT_SENTENCE_TAIL_RE.match(text, ev.start)
    at = tail.end() if tail else ev.end
    after = _AIM_DETERMINER_RE.sub("", after.lstrip(), count=1)  # "endorse the principle"
    return bool(lex["aim_words"].match(text, at) or lex["aim_words"].match(after))


def refine(text: str, first: StanceResult) -> StanceResult:
    """The stance of ``text`` weighed clause by clause, given the first reader's result."""
    if not text.strip():
        return first
    quoted, text = text, _lower(text, 0, len(text))  # patterns read the lower-cased copy
    clauses = _clauses(text)
    evidence = _evidence(text, first.cues)
    extra = [
        (a, b, -1)
        for a, b in preferred_alternatives(text) + alternative_values(text) + scare_quotes(text)
    ]  # another time or size (session 19)
    planned = [(a, b, 1) for a, b in as_planned(text)]  # "Start in January as planned" (s. 20)
    evidence += [
        _Evidence(d, False, a, b, "phrase")
        for a, b, d in extra + ratings(text) + planned  # a mark out of ten (session 16)
        if not any(e.start < b and a < e.end for e in evidence)
    ]  # (session 11; a word in scare quotes, session 14)
    sarcastic = [c.sentence for c in clauses if _sarcastic(text, c.sentence)
                 and not mocks_status_quo(text, c.sentence)]  # fmt: skip
    for e in evidence:
        if e.direction > 0 and any(a <= e.start < b for a, b in sarcastic):
            e.direction, e.strong = -1, False  # "Oh brilliant, another grade."
        if rhetorical(text, e.start, e.negated):  # "Who could object to ...?" (session 14)
            e.direction, e.strong = -e.direction, False
    read_before = len(evidence)
    evidence = _read_again(text, evidence, sarcastic)
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
    # Session 10: a ballot reported is no position; positions held back ("as such",
    # "don't get me wrong", "X only and I'd back it") are conceded.
    kept = [
        ev
        for ev in evidence
        if not reported(text, ev.start)
        and not asked_back(text, ev.start)  # the question restated (session 15)
        and not (
            ev.direction < 0
            and undone(
                text,
                ev.start,
                next((c.sentence for c in clauses if c.start <= ev.start < c.end), (0, 0)),
            )
        )
    ]
    if len(kept) < len(evidence) and first.method == "sentiment":  # its words were dropped
        first = _stance_result("not_answered", None, False, CONFIDENCE["none"], None, None, None,
                               "none", first.cues)  # fmt: skip
    evidence = kept
    # Session 16: a hypothetical or a counter-proposal ("If I lived there I'd love it",
    # "would support it if it were shorter") is turned round; a reply to another
    # person's view ("She thinks it's pointless. I don't agree with her.") takes it.
    for ev in evidence:
        if ev.direction > 0 and unreal(text, ev.start, ev.end):
            ev.direction, ev.strong = -1, False
    turned, added = replies(text, [(ev.start, ev.end, ev.direction) for ev in evidence])
    for i, d in turned.items():
        evidence[i].direction = d
    evidence = [ev for ev in evidence if ev.direction]
    evidence += [_Evidence(d, False, a, b, "phrase") for a, b, d in added]
    evidence += [
        _Evidence(d, False, a, b, "phrase")
        for a, b, d in turned_views(text, [(ev.start, ev.end, ev.direction) for ev in evidence])
    ]  # (session 14)
    total, best, best_w, strong_w = 0.0, None, 0.0, {1: 0.0, -1: 0.0}
    kinds, held = set(), 0
    weight_of: dict[int, float] = {}
    aims = {c.start for ev in evidence if ev.direction > 0 and _aim_only(text, ev)
            for c in clauses if c.start <= ev.start < c.end}  # fmt: skip
    final = final_sentence(text, clauses)  # a short closing verdict weighs double (s. 23)
    for ev in evidence:
        clause = next((c for c in clauses if c.start <= ev.start < c.end), None)
        w = (clause.weight if clause else 1.0) * ev.weight
        if clause is not None and clause.sentence == final:
            w *= FINAL_WEIGHT
        if clause is not None and held_back(text, ev.start, ev.end, (clause.start, clause.end),
                                            clause.sentence):  # fmt: skip
            w *= CONCEDED
            held += 1
        elif ev.direction > 0 and (
            _aim_only(text, ev) or (clause is not None and clause.start in aims)
        ):
            w *= CONCEDED  # the aim, and what else its clause says for it (session 14)
            held += 1
            ev.strong = False
        elif past_view(text, ev.start, ev.end) or (ev.weight == 1.0 and not_that(text, ev.start)):
            w *= CONCEDED  # "I was dead against it. I've come round." (session 14)
            ev.strong = False
        elif others_view(text, ev.start) or (
            bool(READ_BY_DISCOURSE)
            and whose_view(text, ev.start, ev.end, READ_BY_DISCOURSE) == "other"
        ):
            w *= CONCEDED  # other people's view reported (session 15; session 24 ``voice``)
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
    lex = _lexicon()
    opening = no_position(_first_sentence(text), evidence_free=True)
    if opening is not None and not any(e.start < len(_first_sentence(text)) for e in evidence):
        # "Neutral. I can see why you'd do it, but ..." / "Honestly, I can't say. ...":
        # the answer opens by saying it takes no side; what follows is colour.
        s0 = len(text) - len(text.lstrip())
        return _made(quoted, text, first, opening, (s0, s0 + len(_first_sentence(text))),
                     CONFIDENCE["stated"], evidence)  # fmt: skip
    for c in clauses:
        if c.weight < OVERALL or any(c.start <= e.start < c.end for e in evidence):
            continue
        dk = lex["dont_know"].search(text, c.start, c.end)
        nv = lex["neither"].search(text, c.start, c.end)
        if dk or nv:  # "..., so we are neutral": the summing-up takes no side
            stance = "dont_know" if dk and (not nv or dk.start() <= nv.start()) else "neither"
            return _made(quoted, text, first, stance, c.sentence, CONFIDENCE["stated"], evidence)
    if held and held == len(evidence) and contrast_after(clauses, [e.start for e in evidence]):
        sentence = next(c.sentence for c in clauses if c.start <= evidence[-1].start < c.end)
        return _made(quoted, text, first, "neither", sentence, 0.6, evidence)  # session 10
    if abs(total) >= 0.25 and best is not None:
        direction = 1 if total > 0 else -1
        winners = [
            (ev, c) for ev in evidence if ev.direction == direction
            for c in clauses if c.start <= ev.start < c.end
        ]  # fmt: skip
        ev, clause = max(winners, key=lambda p: p[1].weight, default=best)
        quote = pick_quote(winners, weight_of, clause)  # session 24
        strong = strong_w[direction] >= 1.0 and strong_w[direction] >= abs(total) / 2
        strong = strong or echoed(text, clause.sentence)  # "Yes. Unreservedly." (session 9)
        if lex["hedges"].search(text, clause.sentence[0], clause.sentence[1]):
            strong = False  # "On balance ...", "broadly ..." is never strong
        stance = _SCORE_TO_STANCE[direction * (2 if strong else 1)]
        mixed = any(e.direction == -direction for e in evidence)
        kind = "cue" if kinds == {"cue"} and not mixed else "phrase"
        span = quote
        confidence = CONFIDENCE[kind] - (0.1 if mixed else 0.0)
        return _made(quoted, text, first, stance, span, confidence, evidence)
    dk = lex["dont_know"].search(text)
    nv = lex["neither"].search(text)
    late = None if dk or nv else last_side(text, [(e.start, e.direction) for e in evidence])
    if late is not None:  # session 10: "Yes, X. No, Y."
        return _made(quoted, text, first, _SCORE_TO_STANCE[late[0]], late[1], 0.6, evidence)
    if dk or nv or first.method == "cue":
        m = dk if dk and (not nv or dk.start() <= nv.start()) else nv
        stance = "dont_know" if m is dk and dk else "neither"
        if m is None and not (read_before and not evidence):
            return first  # the first reader's own no-position cue ("no view")
        if m is None:  # its only cues were a quoted question's or a no-side phrase's words
            return _stance_result("not_answered", None, False, CONFIDENCE["none"], None, None,
                                  None, "none", first.cues)  # fmt: skip
        span = next((c.sentence for c in clauses if c.start <= m.start() < c.end), (0, len(text)))
        return _made(quoted, text, first, stance, span, CONFIDENCE["stated"], evidence)
    if first.method == "sentiment" and not questions_only(text):  # session 10: a question back
        # Session 8: a weak sentiment reading keeps the answer's reservations too.
        if first.reservations or _reservation(text, (first.start, first.end)) is None:
            return first
        return dataclasses.replace(first, reservations=True)
    return _stance_result("not_answered", None, False, CONFIDENCE["none"], None, None, None,
                          "none", first.cues)  # fmt: skip


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
    lex = _lexicon()
    dk, nv = lex["dont_know"].search(text), lex["neither"].search(text)
    if dk and (not nv or dk.start() <= nv.start()):
        return "dont_know"
    return "neither" if nv else None


def _made(text, low, first, stance, span, confidence, evidence) -> StanceResult:
    """The result quoting ``text``; ``low`` is its lower-cased copy, for the patterns."""
    s, e = span
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    score = schemas.STANCE_SCORES.get(stance)
    reservations = _reservation(low, (s, e)) is not None
    return _stance_result(stance, None if score is None else float(score), reservations,
                          round(confidence, 2), text[s:e], s, e, "discourse", first.cues)  # fmt: skip


def reservation(text: str, evidence: tuple[int, int] | None) -> tuple[int, int] | None:
    """The sentence voicing a reservation (condition, concern, caveat), or None."""
    return _reservation(_lower(text, 0, len(text)), evidence)


def _reservation(text: str, evidence: tuple[int, int] | None) -> tuple[int, int] | None:
    lex = _lexicon()
    for m in _SENTENCE_RE.finditer(text):
        s, e = m.start(), m.end()
        if not text[s:e].strip():
            continue
        hit = lex["reservation"].search(text, s, e)
        if hit is None:
            continue
        if evidence and (s, e) == evidence and hit.start() - s < 3:
            continue  # the stance sentence itself opening with "but": its contrast, not a caveat
        while s < e and text[s].isspace():
            s += 1
        return s, e
    return None
