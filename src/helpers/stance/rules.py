"""Stance on closed "To what extent do you agree or disagree…" questions.

Respondents who write rather than tick boxes still take a position: "We agree
with Ofsted's proposal", "In principle we agree… However…", "This change is
crucial to…". :func:`infer_stance` reads that position from free text using
transparent rules (documented in ``docs/stance.md``):

1. **Explicit cues**, found by one keyword scan of the answer (compiled with
   numba in :mod:`helpers.stance.scan`, or Aho-Corasick without it) and a regex
   anchored at each keyword: agreement ("we agree", "we support this", "welcome the proposal",
   "in favour", "endorse", "no objection to"), disagreement ("disagree", "oppose",
   "object to", "reject the proposal") and no-position ("neither agree nor
   disagree", "no view", "unsure"). Each cue is read in its own sentence:
   a negator just before it flips it ("we do not agree", "we cannot support"),
   an intensifier makes it strong ("strongly", "fully", "crucial", "as soon
   as possible"), and a hedge or contrast ("in principle", "broadly",
   "subject to", "but", or a next sentence opening "However") marks
   ``reservations`` without changing the direction.
2. **Evaluative sentences** about the proposal itself, only when no explicit
   cue exists: "This change is crucial to…", "It is crucial to implement the
   new judgement…" (agreement; strong with "crucial", "vital", "essential"),
   "The proposed date is premature" (disagreement).
3. **Sentiment** (VADER), only when neither of the above is found, on a
   bounded number of sentences: a weak signal that never yields a strong stance.
4. Otherwise ``neither`` with low confidence and no evidence.

Confidence is a documented heuristic: explicit cue 0.9 > yes/no opener 0.75 >
evaluative 0.7 > sentiment ≤ 0.4 > nothing 0.2, lowered by conflicting cues
and by negation (harder to read reliably).

Offsets are absolute positions in the text passed in, so the evidence can be
quoted straight from ``respondents.text``.
"""

from __future__ import annotations

import functools
import gc
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import pandas as pd
from tqdm.auto import tqdm

from helpers.core import schemas
from helpers.core.consultation import Consultation
from helpers.core.sentences import ABBREVIATIONS
from helpers.stance import vader

log = logging.getLogger(__name__)

# --- Vocabulary -------------------------------------------------------------

# Nouns that refer to the proposal (or its timing) being asked about.
_PROPOSAL = (
    r"(?:proposals?|proposed|changes?|judge?ments?|approach(?:es)?|plans?|ideas?|timescales?|"
    r"timetables?|timelines?|timing|dates?|introduction|move|decision|recommendations?|"
    r"initiatives?|measures?|options?|intentions?|inclusion|addition)"
)
_DET = r"(?:the|this|these|that|those|such\s+an?|an?|ofsted[’']?s|your|its|both)"
_PRON = r"(?:we|i|members|our\s+members|respondents)"
# Adverbs/modals allowed between a pronoun and "support"/"welcome".
_MOD = (
    r"(?:fully|strongly|wholeheartedly|whole-heartedly|entirely|completely|totally|absolutely|"
    r"broadly|generally|largely|very\s+much|warmly|therefore|also|certainly|really|would|do|does|"
    r"can|could|will|cannot|can[’']t|do\s+not|don[’']t|would\s+not|wouldn[’']t|could\s+not|"
    r"couldn[’']t|not|in\s+principle)"
)

# "we would welcome more guidance" is a request, not agreement.
_MOD_WELCOME = _MOD.replace("would|", "").replace("can|could|will|", "")
_OBJ = rf"{_DET}\s+(?:[\w’'-]+\s+){{0,2}}?{_PROPOSAL}\b"  # "the proposed new judgement"
# "We welcome the opportunity to respond" is politeness, not agreement: the verb
# "welcome" is no cue when this follows it.
_COURTESY_TAIL = r"[sd]?\s+(?:the\s+|this\s+)?(?:opportunity|chance|invitation|consultation)\b"
# Cue regex, matched *at* a keyword (anchored, so only keyword hits are tried).
# Context before the keyword is checked by the small ``*_BEFORE_RE`` patterns.
_AT_ALTERNATIVES = (
    # The question's own words echoed in an answer ("whether we agree or disagree").
    r"(?P<echo>agree\s*(?:or|/)\s*disagree|support\s+or\s+oppose)\b",
    r"(?P<formal>neither\s+(?:agree|support)\s+nor\s+(?:disagree|oppose))\b",
    r"(?P<disagree>(?:disagree[sd]?|disagreeing|oppose[sd]?|opposing|opposition\s+to|unconvinced"
    r"|objections?\s+to|object(?:s|ed)?\s+to)\b"
    rf"|reject(?:s|ed)?\s+{_OBJ}|against\s+{_OBJ})",
    r"(?P<agree>(?:agree[sd]?|agreeing|favou?r(?:s|ed)?|supportive|endorse[sd]?|endorsing|convinced)\b"
    rf"|support(?:s|ed)?\s+{_OBJ}|support\s+for\s+{_OBJ}|welcome[sd]?\s+{_OBJ})",
    r"(?P<neither>(?:unsure|undecided)\b)",
    # Verbs that are cues only after "we"/"I" ("we support this", not "support for care leavers").
    rf"(?P<verb>(?:support(?:s|ed)?|welcome(?!{_COURTESY_TAIL})[sd]?|object)\b)",
    # Words that are cues only after a fixed opener ("no view", "not sure", "in agreement").
    r"(?P<bare>(?:views?|opinions?|preferences?|comments?|sure|know|fence|agreement)\b)",
)
_AT_RE = re.compile("|".join(_AT_ALTERNATIVES))
# The words each alternative can start with. Matched at a known keyword, only the
# alternatives that can start with it are tried (in the same order, so the match
# is the same): several times cheaper than trying all of them.
_AT_FIRST_WORDS = (
    ("agree", "support"),
    ("neither",),
    ("disagree", "oppos", "unconvinced", "object", "reject", "against"),
    ("agree", "favour", "favor", "support", "endors", "convinced", "welcom"),
    ("unsure", "undecided"),
    ("support", "welcom", "object"),
    ("view", "opinion", "preference", "comment", "sure", "know", "fence", "agree"),
)


@functools.cache
def _at_keyword(keyword: str) -> re.Pattern:
    """``_AT_RE`` with only the alternatives that can match text starting with ``keyword``."""
    keep = [
        alt
        for alt, words in zip(_AT_ALTERNATIVES, _AT_FIRST_WORDS, strict=True)
        if any(w.startswith(keyword) or keyword.startswith(w) for w in words)
    ]
    return re.compile("|".join(keep)) if keep else re.compile(r"(?!)")


# "as opposed to" = "rather than"; "as agreed"; "we would welcome more detail" is a request.
_IGNORE_BEFORE_RE = re.compile(r"\bas\s+\Z")
_WOULD_BEFORE_RE = re.compile(r"\bwould\s+\Z")
_PRON_BEFORE_RE = re.compile(rf"\b{_PRON}\s+(?:{_MOD}\s+){{0,3}}\Z")
_PRON_WELCOME_BEFORE_RE = re.compile(rf"\b{_PRON}\s+(?:{_MOD_WELCOME}\s+){{0,3}}\Z")
_IN_BEFORE_RE = re.compile(r"\bin\s+(?:full\s+|broad\s+|general\s+)?\Z")
_NO_BEFORE_RE = re.compile(
    r"\b(?:no\s+(?:strong\s+|particular\s+|firm\s+|fixed\s+|real\s+|further\s+)?|mixed\s+|not\s+"
    r"|don[’']t\s+|do\s+not\s+|on\s+the\s+)\Z",
)
_SUPPORT_TAIL_RE = re.compile(r"\s+(?:this|it|that|these|them)\b|\s*(?:[.,;:!]|$)")
# "Strongly support." as a whole sentence, with no pronoun (the text here is one answer).
_SENTENCE_START_BEFORE_RE = re.compile(rf"(?:^|[.!?:;\n])\s*(?:{_MOD}\s+){{0,3}}\Z")
# Courtesies say nothing about the proposal; sentiment skips them.
_COURTESY_SENTENCE_RE = re.compile(
    r"\b(?:welcome|thank|thanks|grateful|pleased|happy|glad)\b(?:\s+[\w’'-]+){0,4}?\s+"
    r"(?:the\s+)?(?:opportunity|respond|responding|discuss|consultation|invitation|contribute)\b",
)
# Words that may stand just before "we"/"I" at the start of a clause. Any other
# word there means a relative clause: "the young people we support."
_CLAUSE_OPENERS = frozenset(
    """and so therefore thus hence but however that also yes overall indeed principle conclusion
    summary short general whole balance firstly first secondly finally ultimately again
    consequently accordingly because since while whilst although though if then clearly
    certainly i we""".split()
)
_PREV_WORD_RE = re.compile(r"(?<![\w’'-])([\w’'-]+)\s+\Z")
_OF_TAIL_RE = re.compile(r"\s+of\b")
_PRON_REACH = 72  # longest "our members would also fully" before a verb

# A bare "Yes." / "No." opening the answer.
_YESNO_RE = re.compile(r"[\s*_\"'“‘>-]*(?P<yn>yes|no)\s*(?:[.,;:!–—-]|$)")

_NEG_RE = re.compile(
    r"\b(?:not|no|never|cannot|nor|hardly|unable\s+to)\b|n[’']t\b",
)
# Negated intensifier = partial agreement ("we do not fully agree").
_PARTIAL_RE = re.compile(
    r"(?:\bnot|n[’']t)\s+(?:\w+\s+)?(?:fully|entirely|completely|wholly|totally|necessarily|wholeheartedly)\b",
)
_STRONG_RE = re.compile(
    r"\b(?:strongly|fully|wholeheartedly|whole-heartedly|entirely|completely|totally|absolutely|"
    r"wholly|unreservedly|warmly|very\s+much|firmly|vehemently|crucial|vital|essential|imperative|"
    r"as\s+soon\s+as\s+possible|urgently|long\s+overdue|at\s+all|in\s+any\s+way)\b",
)
_HEDGE_RE = re.compile(
    r"\b(?:in\s+principle|broadly|generally|largely|mostly|partially|partly|in\s+part|"
    r"to\s+(?:some|an|a\s+certain)\s+extent|on\s+the\s+whole|with\s+(?:some\s+)?(?:reservations?|caveats?|concerns?)|"
    r"subject\s+to|provided\s+(?:that\b)?|providing\s+(?:that\b)?|as\s+long\s+as|so\s+long\s+as|"
    r"on\s+condition|conditional(?:ly)?|cautious(?:ly)?|tentative(?:ly)?|reservations?|caveats?|"
    r"however|but(?!\s+also)|although|though|whilst|while|except|albeit|nevertheless|nonetheless|"
    r"that\s+said|having\s+said\s+that)\b",
)
# A following sentence that opens with a contrast qualifies the stance before it.
_CONTRAST_START_RE = re.compile(
    r"[\s*_\"'“‘-]*(?:however|but|although|though|that\s+said|having\s+said\s+that|nevertheless|"
    r"nonetheless|on\s+the\s+other\s+hand|yet|we\s+(?:do\s+)?(?:have|would\s+(?:note|raise))\s+"
    r"(?:some\s+|a\s+few\s+|two\s+|several\s+)?(?:concerns?|reservations?|caveats?))\b",
)
_CONTRAST_IN_RE = re.compile(r"\b(?:but|however|although|though|whilst|while|yet)\b|;")

_EV_STRONG = (
    r"(?:crucial|vital|essential|imperative|critical|fundamental|invaluable|excellent|"
    r"long\s+overdue|(?:much|urgently|badly)\s+needed|(?:hugely|extremely|very|really|so)\s+important)"
)
_EV_POS = (
    r"(?:important|welcome|positive|sensible|necessary|needed|helpful|useful|beneficial|valuable|"
    r"appropriate|right|reasonable|good|logical|timely|realistic|achievable|justified|"
    r"a\s+(?:good|great|positive|welcome|sensible)\s+(?:idea|step|move|development))"
)
_EV_NEG = (
    r"(?:unnecessary|premature|too\s+(?:early|soon|late|ambitious)|misguided|unworkable|flawed|"
    r"counter-?productive|inappropriate|unrealistic|ill-conceived|ill-judged|burdensome|unhelpful|"
    r"harmful|pointless|rushed|a\s+(?:serious\s+)?mistake|a\s+bad\s+idea|a\s+retrograde\s+step)"
)


def _ev_adj(n: int) -> str:
    """Evaluative adjective groups, numbered so they can appear twice in one regex."""
    return rf"(?:(?P<evs{n}>{_EV_STRONG})|(?P<evp{n}>{_EV_POS})|(?P<evn{n}>{_EV_NEG}))"


_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
)
_SUBJECT = (
    r"(?:" + _DET + r"\s+(?:[\w’'-]+\s+){0,3}?" + _PROPOSAL + r"|(?:" + _MONTH + r"\s+)?20\d\d"
    r"|(?:introducing|implementing|having|creating|adding|including)\s+(?:[\w’'-]+\s+){0,6}?"
    + _PROPOSAL
    + r")"
)
_BE = r"(?:is|are|would\s+be|will\s+be|seems?|appears?|looks?|sounds?|feels?|would\s+seem|represents?)"
_ACTION = (
    r"(?:implement|introduce|bring\s+in|adopt|proceed|go\s+ahead|have|include|create|establish|"
    r"add|make|start|move|roll\s+out|delay|wait|postpone|defer)"
)
_EVAL_RE = re.compile(
    r"\b(?:"
    # "This change is crucial to…", "The proposed date is premature"
    rf"(?P<subj>{_SUBJECT})\s+{_BE}\s+(?P<gap1>(?:[\w’'-]+\s+){{0,2}}?){_ev_adj(1)}\b"
    # "It is crucial to implement the new judgement…"
    rf"|it\s+{_BE}\s+(?P<gap2>(?:[\w’'-]+\s+){{0,2}}?){_ev_adj(2)}\s+to\s+(?P<act>{_ACTION})\b"
    r"|(?P<step>(?:a\s+)?step\s+in\s+the\s+right\s+direction|long\s+overdue"
    r"|welcome\s+(?:step|development|addition|change|move))\b"
    # "This makes sense", "it doesn't make sense"
    r"|(?:it|this|that)\s+(?P<gap3>(?:[\w’'-]+\s+){0,2}?)(?P<sense>makes?\s+(?:good\s+|perfect\s+|a\s+lot\s+of\s+)?sense)\b"
    r")",
)
# Speed: a part every evaluative match contains (the verb "to be" before the
# adjective, "step in the right direction", "makes sense"...), several times
# cheaper to search for; windows without one are not searched with _EVAL_RE.
_EVAL_CORE_RE = re.compile(
    r"\s(?:is|are|be|seems?|appears?|looks?|sounds?|feels?|represents?)\s+"
    rf"(?:[\w’'-]+\s+){{0,2}}?(?:{_EV_STRONG}|{_EV_POS}|{_EV_NEG})\b"
    r"|step\s+in\s+the\s+right\s+direction\b|long\s+overdue\b"
    r"|welcome\s+(?:step|development|addition|change|move)\b"
    r"|makes?\s+(?:good\s+|perfect\s+|a\s+lot\s+of\s+)?sense\b"
)
_CLAUSE_SPLIT_RE = re.compile(
    r"[,;:.]|\b(?:and|but|because|so|which|who|when|although|though|while|whilst)\b"
)
# "We do not think <the proposal is necessary>": a negated belief before the sentence's claim.
_NEG_BELIEF_RE = re.compile(
    r"(?:\bnot|n[’']t|\bnever)\s+(?:\w+\s+)?(?:believe|think|feel|consider|accept|agree|see)"
    r"(?:\s+(?:that|how|why))?\s*\Z",
)
_NOT_RE = re.compile(r"\b(?:not|never|hardly)\b|n[’']t\b")

# Speed: the cue regexes are only run at or around these keywords, found by the
# first pass over the lower-cased answer (``_first_pass``: helpers.stance.scan, or
# Aho-Corasick without numba). Every cue alternative contains one of the cue
# keywords; every evaluative one an evaluative keyword.
# Keywords must start a word ("sure" in "ensure" is not a hit); the short
# evaluative ones must also end it ("too" in "tool" is not).
_CUE_KEYWORDS = frozenset(
    """agree disagree oppos object reject against favour favor support welcom endors neither
    view opinion unsure undecided sure know comment fence preference convinced unconvinced""".split()
)
_EVAL_KEYWORDS = frozenset(
    """crucial vital essential imperative critical fundamental invaluable excellent overdue needed
    important welcome positive sensible necessary unnecessary helpful unhelpful useful beneficial
    valuable appropriate inappropriate right reasonable good logical timely realistic unrealistic
    achievable justified great premature too misguided unworkable flawed counter ill burdensome
    harmful pointless rushed mistake bad retrograde step sense""".split()
)
_WHOLE_WORD = frozenset("too ill bad good great right step".split())
# How far an evaluative match can reach before/after its keyword
# ("introducing a separate judgement for care leavers would be vital").
_EVAL_WINDOW = (160, 40)


@lru_cache(maxsize=2)
def _automaton(words: frozenset[str]):
    """An Aho-Corasick automaton over ``words``; values are (length, whole-word only)."""
    import ahocorasick

    auto = ahocorasick.Automaton()
    for w in words:
        auto.add_word(w, (len(w), w in _WHOLE_WORD))
    auto.make_automaton()
    return auto


def _merge(out: list[list[int]], ws: int, we: int) -> None:
    if out and ws <= out[-1][1]:
        out[-1][1] = max(out[-1][1], we)
    else:
        out.append([ws, we])


def _lower(text: str, lo: int, hi: int) -> str:
    """``text[lo:hi]`` lower-cased with its length kept (so offsets stay valid)."""
    low = text[lo:hi].lower()
    if len(low) != hi - lo:  # rare characters whose lower case is longer ("İ")
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text[lo:hi])
    return low


def _hits(low: str, words: frozenset[str]) -> list[int]:
    """Starts (in ``low``) of whole-word keyword hits, in the automaton's order.

    A list rather than a generator: it runs on every answer, and resuming a
    generator per hit costs more than the list.
    """
    n_low = len(low)
    out = []
    add = out.append
    for end_idx, (n, whole) in _automaton(words).iter(low):
        k = end_idx - n + 1
        if k > 0 and low[k - 1].isalpha():
            continue
        if whole and end_idx + 1 < n_low and low[end_idx + 1].isalpha():
            continue
        add(k)
    return out


@lru_cache(maxsize=1)
def _at_by_number() -> list[tuple[re.Pattern, bool]]:
    """For each keyword of the compiled first pass, by number: ``_at_keyword`` of it and
    whether only the "bare" alternative can match there (``_BARE_ONLY``)."""
    from helpers.stance.scan import keywords

    out = []
    for w in keywords():
        bare = w.startswith(_BARE_ONLY)
        if not bare and any(b.startswith(w) for b in _BARE_ONLY):
            raise ValueError(f"stance keyword {w!r} is a prefix of a bare-only word")
        out.append((_at_keyword(w), bare))
    return out


@lru_cache(maxsize=1)
def _scanner():
    """``helpers.stance.scan.scan`` (the compiled first pass), or None without numba."""
    try:
        from helpers.stance import scan as stancescan
    except ImportError:  # no numba: the Python functions give the same results
        return None
    return stancescan.scan if stancescan._kernels() is not None else None


_new_tuple = tuple.__new__


class _Found(NamedTuple):
    """The first pass over one lower-cased answer ``low`` (offsets relative to it).

    ``starts``: cue keyword starts, sorted. The rest is None when the pass did
    not find it (then the readers find it themselves): the sentence (starts,
    ends) around each cue keyword, the evaluative keyword starts and the first
    sentences that sentiment reads.
    """

    low: str
    starts: list[int]
    kws: list[int] | None = None  # which keyword each start is (stancescan.keywords())
    cue_s: list[int] | None = None
    cue_e: list[int] | None = None
    evaluative: list[int] | None = None
    batch: Any = None  # the stancescan.BatchScan holding the first sentences, and
    index: int = 0  # the answer's number in it (built only when sentiment needs them)
    yesno: bool = True  # False: the answer cannot open with "yes"/"no"


def _first_pass(answer: str, n: int) -> _Found:
    """``_Found`` for one answer: compiled when possible, else ``_lower`` and Aho-Corasick."""
    scan = _scanner()
    if scan is not None and n == len(answer):
        batch = scan([answer])
        if batch is not None and batch.ok[0]:
            return _Found(
                batch.low, batch.cue, batch.cue_kw, batch.cue_s, batch.cue_e, batch.ev, batch, 0,
                batch.yesno[0],
            )  # fmt: skip
    low = _lower(answer, 0, n)
    starts = _hits(low, _CUE_KEYWORDS)
    starts.sort()
    return _Found(low, starts)


def _eval_windows(low: str, lo: int, hi: int, starts: list[int] | None = None) -> list[list[int]]:
    """Merged regions around evaluative keywords (``starts``, found here when None),
    where the evaluative regex can match."""
    windows: list[list[int]] = []
    eb, ea = _EVAL_WINDOW
    for k in _hits(low, _EVAL_KEYWORDS) if starts is None else starts:
        _merge(windows, max(lo, lo + k - eb), min(hi, lo + k + ea))
    return windows


# Sentence ends: runs of . ! ? (plus closing quotes/brackets) before whitespace.
# A full Punkt pass per cue is too slow for the benchmark, so stance uses this
# light splitter with the same abbreviation list as helpers.core.sentences; within a
# line the two agree except on rare orthographic cases (see docs/stance.md).
_END_RE = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)")
_WORD_BEFORE_RE = re.compile(r"([\w.]+)\.$")
_NONSPACE_RE = re.compile(r"\S")
_SENTENCE_LOOKBACK = 600


def _is_break(text: str, m: re.Match, ls: int) -> bool:
    """Whether the sentence-end match ``m`` ends a sentence (not "e.g." or an initial)."""
    ms = m.start()
    if text[ms] != "." or m.end() - ms > 1:
        return True  # "?", "!", "..." or a period with closing quote
    # Decided by the (at most 20) characters before the period alone: memoised.
    before = text[max(ls, ms - 20) : ms + 1]
    brk = _break_cache.get(before)
    if brk is None:
        if len(_break_cache) > _CACHE_MAX:
            _break_cache.clear()
        w = _WORD_BEFORE_RE.search(before)
        word = w.group(1).lower() if w else ""
        brk = _break_cache[before] = not w or not (
            word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())
        )
    return brk


def _sentence_at(text: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    """The sentence span around ``pos``: line breaks and sentence ends bound it."""
    ls = text.rfind("\n", lo, pos) + 1 or lo  # max(lo, …), as rfind gives -1 or >= lo
    le = text.find("\n", pos, hi)
    if le == -1:
        le = hi
    if le - ls > _LINE_CACHE_LEN:
        return _sentence_in(text, pos, ls, le)
    # Everything below reads only the line [ls, le) (``_is_break`` too), so the
    # span is a function of the line and ``pos`` in it. Lines repeat across
    # answers (template paragraphs, "We agree with the proposal."): memoised.
    key = (text[ls:le], pos - ls)
    span = _line_cache.get(key)
    if span is None:
        if len(_line_cache) > _LINE_CACHE_MAX:
            _line_cache.clear()
        s, e = _sentence_in(key[0], pos - ls, 0, le - ls)
        span = _line_cache[key] = (s, e)
    return ls + span[0], ls + span[1]


def _sentence_in(text: str, pos: int, ls: int, le: int) -> tuple[int, int]:
    """``_sentence_at`` given the bounds [ls, le) of the line around ``pos``."""
    # Look back a bounded distance first: paragraphs can be long.
    scan = max(ls, pos - _SENTENCE_LOOKBACK)
    start = scan
    # The last sentence end before ``pos`` wins: try them from the right (most
    # cues open their line, with nothing to try).
    m = _END_RE.search(text, scan, pos)
    if m:
        ends = [m]
        ends.extend(_END_RE.finditer(text, m.end(), pos))  # as finditer would go on
        for m in reversed(ends):
            if _is_break(text, m, ls):
                start = m.end()
                break
    if start == scan and scan > ls:  # no sentence end in the window: a very long sentence
        start = ls
        for m in _END_RE.finditer(text, ls, pos):
            if _is_break(text, m, ls):
                start = m.end()
    end = le
    m = _END_RE.search(text, pos, le)
    while m:  # the first sentence end after ``pos`` (as finditer would find them)
        if _is_break(text, m, ls):
            end = m.end()
            break
        m = _END_RE.search(text, m.end(), le)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _first_sentences(text: str, lo: int, hi: int, limit: int) -> list[tuple[int, int]]:
    """Up to ``limit`` sentence spans from the start of ``text[lo:hi]``."""
    spans: list[tuple[int, int]] = []
    pos = lo
    while len(spans) < limit:
        m = _NONSPACE_RE.search(text, pos, hi)
        if not m:
            break
        s, e = _sentence_at(text, m.start(), lo, hi)
        if e <= s:
            break
        spans.append((s, e))
        pos = e
    return spans


# Confidence heuristic (see docs/stance.md).
CONFIDENCE = {
    "cue": 0.9,
    "formal": 0.9,
    "yesno": 0.75,
    "neither": 0.7,
    "evaluative": 0.7,
    "sentiment_max": 0.4,
    "none": 0.2,
}
NEGATION_PENALTY = 0.1
SENTIMENT_THRESHOLD = 0.4  # mean VADER compound needed to call a direction
MAX_SENTIMENT_SENTENCES = 2
MAX_SENTIMENT_CHARS = 3000
_LOOKBACK = 40  # characters before a cue searched for a negator

_SCORE_TO_STANCE = {v: k for k, v in schemas.STANCE_SCORES.items()}
_SCORE = {k: float(v) for k, v in schemas.STANCE_SCORES.items()}


@dataclass(frozen=True)
class Cue:
    """One stance signal found in the text.

    ``kind`` is agree, disagree, neither, formal (the scale's own "neither agree
    nor disagree"), yesno, evaluative or sentiment. ``direction`` is +1/-1/0
    after negation; ``strong`` marks an intensifier; ``hedged`` a hedge or
    contrast in the cue's sentence; ``partial`` a negated intensifier ("not
    fully agree").
    """

    kind: str
    text: str
    start: int
    end: int
    direction: int
    strong: bool = False
    negated: bool = False
    hedged: bool = False
    partial: bool = False
    sentence_start: int = 0
    sentence_end: int = 0


@dataclass(frozen=True)
class StanceResult:
    """The stance read from one answer.

    ``method`` is cue, evaluative, sentiment or none; ``start``/``end`` locate
    the evidence sentence in the text given to :func:`infer_stance`.
    """

    stance: str
    score: float | None
    reservations: bool
    confidence: float
    evidence: str | None
    start: int | None
    end: int | None
    method: str
    cues: tuple[Cue, ...] = ()

    @property
    def direction(self) -> int:
        """+1 agree, -1 disagree, 0 neither (or not answered)."""
        return 0 if not self.score else (1 if self.score > 0 else -1)


# Speed: a frozen dataclass's __init__ sets each field with object.__setattr__
# (11 calls for a Cue); these build the same instances (same fields, equality,
# hash and repr) by setting their __dict__ once, about twice as fast.
_new = object.__new__
_set = object.__setattr__


def _cue(
    kind: str,
    text: str,
    start: int,
    end: int,
    direction: int,
    strong: bool = False,
    negated: bool = False,
    hedged: bool = False,
    partial: bool = False,
    sentence_start: int = 0,
    sentence_end: int = 0,
) -> Cue:
    """``Cue(...)``, built faster."""
    c = _new(Cue)
    _set(
        c,
        "__dict__",
        {
            "kind": kind,
            "text": text,
            "start": start,
            "end": end,
            "direction": direction,
            "strong": strong,
            "negated": negated,
            "hedged": hedged,
            "partial": partial,
            "sentence_start": sentence_start,
            "sentence_end": sentence_end,
        },
    )
    return c


def _stance_result(
    stance: str,
    score: float | None,
    reservations: bool,
    confidence: float,
    evidence: str | None,
    start: int | None,
    end: int | None,
    method: str,
    cues: tuple[Cue, ...],
) -> StanceResult:
    """``StanceResult(...)``, built faster."""
    r = _new(StanceResult)
    _set(
        r,
        "__dict__",
        {
            "stance": stance,
            "score": score,
            "reservations": reservations,
            "confidence": confidence,
            "evidence": evidence,
            "start": start,
            "end": end,
            "method": method,
            "cues": cues,
        },
    )
    return r


# --- Reading one answer -----------------------------------------------------


def _clause_bounds(text: str, s: int, e: int, pos: int, end: int) -> tuple[int, int]:
    """The part of sentence [s, e) around [pos, end) not cut off by a contrast word."""
    left = s
    for m in _CONTRAST_IN_RE.finditer(text, s, pos):
        left = m.end()
    m = _CONTRAST_IN_RE.search(text, end, e)
    return left, (m.start() if m else e)


def _is_negated(text: str, s: int, pos: int, cue_text: str) -> tuple[bool, bool]:
    """(negated, partial) for a cue starting at ``pos`` in a sentence starting at ``s``.

    Only a negator in the same clause just before the cue counts; a negated
    intensifier ("not fully agree") is partial agreement, not negation.
    """
    window = text[max(s, pos - _LOOKBACK) : pos] + " " + cue_text
    window = _CLAUSE_SPLIT_RE.split(window)[-1]
    if _PARTIAL_RE.search(window):
        return False, True
    return bool(_NEG_RE.search(window)), False


def _next_starts_with_contrast(text: str, e: int, hi: int) -> bool:
    m = _NONSPACE_RE.search(text, e, hi)
    return bool(m and _CONTRAST_START_RE.match(text, m.start(), hi))


def _cue_reading(
    sentence: str, start: int, cue_text: str, kind: str, direction: int
) -> tuple[int, bool, bool, bool, bool]:
    """(direction, strong, negated, hedged, partial) of ``cue_text`` at ``start`` of ``sentence``.

    A function of the lower-cased sentence and cue alone: every pattern here is
    read inside them, and the character before a sentence is never part of a
    word. (A cue can run on past its sentence, across a line break.)
    """
    negated = partial = False
    if kind in ("agree", "disagree"):
        negated, partial = _is_negated(sentence, 0, start, cue_text)
        if negated:
            direction = -direction
    n = len(sentence)
    end = start + len(cue_text)
    cl, cr = _clause_bounds(sentence, 0, n, start, end)
    strong = bool(_STRONG_RE.search(sentence, cl, cr)) and not partial and kind != "neither"
    hedged = partial or bool(_HEDGE_RE.search(sentence, 0, n))
    if kind in ("neither", "formal"):
        direction, hedged = 0, False
    return direction, strong, negated, hedged, partial


def _make_cue(
    text: str,
    orig: str,
    kind: str,
    m_start: int,
    m_end: int,
    s: int,
    e: int,
    direction: int,
) -> Cue:
    """The cue at [m_start, m_end) of lower-cased ``text`` in its sentence [s, e),
    quoting ``orig`` (same offsets)."""
    # Cue sentences repeat across answers ("We agree with the proposal."): memoised.
    key = (text[s:e], m_start - s, text[m_start:m_end], kind, direction)
    reading = _cue_cache.get(key)
    if reading is None:
        if len(_cue_cache) > _CACHE_MAX:
            _cue_cache.clear()
        reading = _cue_cache[key] = _cue_reading(*key)
    direction, strong, negated, hedged, partial = reading
    return _cue(
        kind, orig[m_start:m_end], m_start, m_end, direction, strong, negated, hedged, partial, s, e
    )


def _pronoun_opens_clause(text: str, lo: int, q: int) -> bool:
    """False for a relative clause ("the people we support"), judged by the word before ``q``."""
    w = max(lo, q - 30)
    # Speed: ``_PREV_WORD_RE`` can only match the last whitespace-delimited token
    # before ``q`` (or its tail of word characters). When that token is all
    # letters it is the word, with the token start checked as the look-behind
    # would; otherwise the regex decides.
    seg = text[w:q]
    stripped = seg.rstrip()
    if len(stripped) == len(seg) or not stripped:  # no whitespace before q, or no word
        return True
    tok = stripped.rsplit(None, 1)[-1]
    if tok.isalpha():
        if len(tok) == len(stripped) and w > 0:  # the token starts the window
            c = text[w - 1]
            if c.isalnum() or c in "_’'-":  # the look-behind fails: no match
                return True
        return tok.lower() in _CLAUSE_OPENERS
    prev = _PREV_WORD_RE.search(text, w, q)
    return prev is None or prev.group(1).lower() in _CLAUSE_OPENERS


def _pronoun_before(
    pattern: re.Pattern, text: str, lo: int, before: int, p: int, last: str, stripped: str
) -> bool:
    """Whether a pronoun (and modals) opening a clause stands right before ``p``.

    ``last`` and ``stripped`` are from :func:`_word_before`. When ``last`` is a
    pronoun that is no modal and no part of "our members", the pattern can only
    match at ``last`` itself, so its start is known without searching.
    """
    if last in _PRON_ALONE:
        q = before + len(stripped) - len(last)
        if q > before:  # whitespace before ``last``: a word boundary
            return _pronoun_opens_clause(text, lo, q)
    m = pattern.search(text, before, p)
    return bool(m and _pronoun_opens_clause(text, lo, m.start()))


# Speed: every ``*_BEFORE_RE`` pattern ends in whitespace right before the keyword,
# and its last word is one of these. The patterns are only searched when the last
# word before the keyword ends with one of them (a cheap necessary condition).
_MOD_LAST = (
    "fully strongly wholeheartedly whole-heartedly entirely completely totally absolutely broadly "
    "generally largely much warmly therefore also certainly really would do does can could will "
    "cannot can't can’t not don't don’t wouldn't wouldn’t couldn't couldn’t principle"
).split()
_PRON_LAST = ("we", "i", "members", "respondents", *_MOD_LAST)
# Keywords that only the "bare" alternative of _AT_RE can match.
_BARE_ONLY = ("view", "opinion", "preference", "comment", "sure", "know", "fence")
_PRON_ALONE = frozenset(("we", "i", "respondents"))
_NO_LAST = tuple("no strong particular firm fixed real further mixed not don't don’t".split())
_IN_LAST = ("in", "full", "broad", "general")
_MOD_LAST = tuple(_MOD_LAST)


def _word_before(text: str, before: int, p: int) -> tuple[str | None, bool, str]:
    """(last word, newline, stripped) before ``p``: ``text[before:p]`` ends in whitespace.

    ``stripped`` is ``text[before:p]`` without its trailing whitespace and the
    word its last whitespace-delimited token; the word is None when no
    whitespace precedes ``p`` and "" when the window is only whitespace.
    ``newline`` tells whether that trailing whitespace holds a line break.
    """
    seg = text[before:p]
    stripped = seg.rstrip()
    n = len(stripped)
    if n == len(seg):
        return None, False, stripped
    return (stripped.rsplit(None, 1)[-1] if n else ""), "\n" in seg[n:], stripped


def _no_before(text: str, before: int, p: int) -> bool:
    """``_NO_BEFORE_RE`` before ``p`` ("no view", "on the fence"), pre-tested on the word before."""
    stripped = text[before:p].rstrip()
    # The pattern ends in whitespace before ``p`` after a word ending "no", "not",
    # "the"…; that word is the last token of ``stripped``, and it ends with one of
    # these (which hold no whitespace) exactly when ``stripped`` does.
    if not stripped or len(stripped) == p - before:
        return False
    if stripped.endswith("the") and (len(stripped) == 3 or stripped[-4].isspace()):
        # The word is "the": only "on the", so "on" must end the word before.
        if not stripped[:-3].rstrip().endswith("on"):
            return False
    elif not stripped.endswith(_NO_LAST):
        return False
    return bool(_NO_BEFORE_RE.search(text, before, p))


def _classify(text: str, m: re.Match, lo: int) -> tuple[str, int] | None:
    """(kind, direction) of a keyword match, or None when its context says it is no cue."""
    kind = m.lastgroup
    if kind == "formal" or kind == "neither":
        return kind, 0
    p = m.start()
    before = max(lo, p - _PRON_REACH)
    word = m.group(kind)  # already lower case: ``text`` is
    if kind == "agree" or kind == "disagree":
        # Only "as …" or "would …" just before undoes these. Both patterns end in
        # whitespace before ``p``, and the word before ends with "as"/"would"
        # exactly when the text before (less that whitespace) does.
        stripped = text[before:p].rstrip()
        if len(stripped) < p - before:
            if stripped.endswith("as") and _IGNORE_BEFORE_RE.search(text, before, p):
                return None
            if (
                stripped.endswith("would")
                and word.startswith("welcome")
                and _WOULD_BEFORE_RE.search(text, before, p)
            ):
                return None
        return kind, (1 if kind == "agree" else -1)
    last, newline, stripped = _word_before(text, before, p)
    if kind == "verb":
        if word.startswith("support"):
            tail = m.end()
            if _SUPPORT_TAIL_RE.match(text, tail) and (
                (
                    last
                    and last.endswith(_PRON_LAST)
                    and _pronoun_before(_PRON_BEFORE_RE, text, lo, before, p, last, stripped)
                )
                or (
                    (not last or newline or last.endswith(_MOD_LAST) or last[-1] in ".!?:;")
                    and _SENTENCE_START_BEFORE_RE.search(text, before, p)
                )
            ):
                return "agree", 1
            if (
                last
                and last.endswith(_IN_LAST)
                and _OF_TAIL_RE.match(text, tail)
                and _IN_BEFORE_RE.search(text, before, p)
            ):
                return "agree", 1
            return None
        if word.startswith("welcome"):  # courtesies are left out by _AT_RE
            return (
                ("agree", 1)
                if last
                and last.endswith(_PRON_LAST)
                and _pronoun_before(_PRON_WELCOME_BEFORE_RE, text, lo, before, p, last, stripped)
                else None
            )
        return (
            ("disagree", -1)
            if last
            and last.endswith(_PRON_LAST)
            and _pronoun_before(_PRON_BEFORE_RE, text, lo, before, p, last, stripped)
            else None
        )
    # bare
    if word == "agreement":
        return (
            ("agree", 1)
            if last and last.endswith(_IN_LAST) and _IN_BEFORE_RE.search(text, before, p)
            else None
        )
    return ("neither", 0) if _no_before(text, before, p) else None


def _explicit_cues(
    text: str,
    orig: str,
    lo: int,
    hi: int,
    starts: list[int],
    cue_s: list[int] | None = None,
    cue_e: list[int] | None = None,
    kws: list[int] | None = None,
    yesno: bool = True,
) -> list[Cue]:
    """The explicit cues at the keyword ``starts`` and a yes/no opener.

    When the first pass found them, ``cue_s``/``cue_e`` are the sentence around
    each keyword, ``kws`` which keyword it is (``stancescan.keywords()``) and
    ``yesno`` False when the answer cannot open with "yes"/"no".
    """
    cues: list[Cue] = []
    m = _YESNO_RE.match(text, lo, hi) if yesno else None
    if m:
        d = 1 if m.group("yn").lower() == "yes" else -1
        s, e = _sentence_at(text, m.start("yn"), lo, hi)
        cues.append(
            _cue(
                "yesno",
                orig[m.start("yn") : m.end("yn")],
                m.start("yn"),
                m.end("yn"),
                d,
                sentence_start=s,
                sentence_end=e,
            )
        )
    last_end = lo
    at = _at_by_number() if kws is not None else None
    for i, p in enumerate(starts):
        if p < last_end:  # inside the previous cue ("neither agree nor disagree")
            continue
        if at is None:
            pattern, bare = _AT_RE, text.startswith(_BARE_ONLY, p)
        else:
            pattern, bare = at[kws[i]]
        if bare:
            # Only the "bare" alternative can match here, and it is a cue only
            # after "no", "mixed", "on the"…: most hits ("the views of") stop here.
            if not _no_before(text, max(lo, p - _PRON_REACH), p):
                continue
            m = pattern.match(text, p, hi)
            if not m:
                continue
            # What _classify would find for a bare word other than "agreement".
            kind, direction = "neither", 0
        else:
            m = pattern.match(text, p, hi)
            if not m:
                continue
            if m.lastgroup == "echo":
                last_end = m.end()
                continue
            found = _classify(text, m, lo)
            if found is None:
                continue
            kind, direction = found
        last_end = m.end()
        if cue_s is None:
            s, e = _sentence_at(text, p, lo, hi)
        else:
            s, e = cue_s[i], cue_e[i]
        cues.append(_make_cue(text, orig, kind, p, last_end, s, e, direction))
    return cues


def _evaluative_cues(text: str, orig: str, lo: int, hi: int, windows: list[list[int]]) -> list[Cue]:
    cues: list[Cue] = []
    matches = (
        m
        for ws, we in windows
        if _EVAL_CORE_RE.search(text, ws, we)
        for m in _EVAL_RE.finditer(text, ws, we)
    )
    for m in matches:
        s, e = _sentence_at(text, m.start(), lo, hi)
        gap = m.group("gap1") or m.group("gap2") or m.group("gap3") or ""
        negated = bool(_NOT_RE.search(gap) or _NEG_BELIEF_RE.search(text, s, m.start()))
        if m.group("step"):
            direction, strong = 1, "overdue" in m.group("step").lower()
        elif m.group("sense"):
            direction, strong = 1, False
        else:
            direction = -1 if (m.group("evn1") or m.group("evn2")) else 1
            strong = bool(m.group("evs1") or m.group("evs2") or _STRONG_RE.search(text, s, e))
            # "It is important to wait/delay" argues against going ahead now.
            if (m.group("act") or "").lower() in ("delay", "wait", "postpone", "defer"):
                direction = -direction
        if negated:
            direction, strong = -direction, False
        hedged = bool(_HEDGE_RE.search(text, s, e))
        cues.append(
            _cue(
                "evaluative",
                orig[m.start() : m.end()],
                m.start(),
                m.end(),
                direction,
                strong,
                negated,
                hedged,
                sentence_start=s,
                sentence_end=e,
            )
        )
    return cues


@lru_cache(maxsize=1)
def _vader():
    """VADER's analyser, with the same scores as upstream (vaderSentiment 3.3.2).

    Three steps of upstream's are made cheaper without changing a score:
    ``polarity_scores`` first rebuilds the text character by character to spell
    out emoji, and a sentence with no emoji comes out unchanged, so for those that
    pass is skipped; a word outside the lexicon scores 0 without the per-word
    ``sentiment_valence`` call; and the negation and idiom checks, run for each
    sentiment word, each lower-case the whole sentence again, so that list is made
    once per sentence (their bodies below are upstream's, reading it). ``compound``
    gives the one score stance uses, skipping the scoring of a sentence with no
    lexicon word (its compound is 0.0). Checked against upstream on every
    sentence of the benchmark corpora.
    """
    from vaderSentiment import vaderSentiment as vs

    negate = frozenset(vs.NEGATE)

    def negated(word: str) -> bool:
        """Upstream ``negated([word])``."""
        word = str(word).lower()
        return word in negate or "n't" in word

    class _Analyzer(vs.SentimentIntensityAnalyzer):
        def __init__(self) -> None:
            super().__init__()
            self._emoji_chars = frozenset(self.emojis)
            self._lowered_memo: tuple[list, list[str]] = ([], [])

        def _lowered(self, words: list) -> list[str]:
            """``[str(w).lower() for w in words]``, once per token list (safe across threads)."""
            memo = self._lowered_memo
            if memo[0] is not words:
                memo = self._lowered_memo = (words, [str(w).lower() for w in words])
            return memo[1]

        def _negation_check(self, valence, words_and_emoticons, start_i, i):
            low = self._lowered(words_and_emoticons)
            if start_i == 0:
                if negated(low[i - (start_i + 1)]):
                    valence = valence * vs.N_SCALAR
            if start_i == 1:
                if low[i - 2] == "never" and (low[i - 1] == "so" or low[i - 1] == "this"):
                    valence = valence * 1.25
                elif low[i - 2] == "without" and low[i - 1] == "doubt":
                    valence = valence
                elif negated(low[i - (start_i + 1)]):
                    valence = valence * vs.N_SCALAR
            if start_i == 2:
                if (
                    low[i - 3] == "never"
                    and (low[i - 2] == "so" or low[i - 2] == "this")
                    or (low[i - 1] == "so" or low[i - 1] == "this")
                ):
                    valence = valence * 1.25
                elif low[i - 3] == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt"):
                    valence = valence
                elif negated(low[i - (start_i + 1)]):
                    valence = valence * vs.N_SCALAR
            return valence

        def _special_idioms_check(self, valence, words_and_emoticons, i):
            low = self._lowered(words_and_emoticons)
            onezero = f"{low[i - 1]} {low[i]}"
            twoonezero = f"{low[i - 2]} {low[i - 1]} {low[i]}"
            twoone = f"{low[i - 2]} {low[i - 1]}"
            threetwoone = f"{low[i - 3]} {low[i - 2]} {low[i - 1]}"
            threetwo = f"{low[i - 3]} {low[i - 2]}"
            for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
                if seq in vs.SPECIAL_CASES:
                    valence = vs.SPECIAL_CASES[seq]
                    break
            if len(low) - 1 > i:
                zeroone = f"{low[i]} {low[i + 1]}"
                if zeroone in vs.SPECIAL_CASES:
                    valence = vs.SPECIAL_CASES[zeroone]
            if len(low) - 1 > i + 1:
                zeroonetwo = f"{low[i]} {low[i + 1]} {low[i + 2]}"
                if zeroonetwo in vs.SPECIAL_CASES:
                    valence = vs.SPECIAL_CASES[zeroonetwo]
            # check for booster/dampener bi-grams such as 'sort of' or 'kind of'
            for n_gram in (threetwoone, threetwo, twoone):
                if n_gram in vs.BOOSTER_DICT:
                    valence = valence + vs.BOOSTER_DICT[n_gram]
            return valence

        def polarity_scores(self, text: str) -> dict:
            if not (text.isascii() or self._emoji_chars.isdisjoint(text)):
                return super().polarity_scores(text)
            text, words_and_emoticons, sentiments, _ = self._valences(text)
            sentiments = self._but_check(words_and_emoticons, sentiments)
            return self.score_valence(sentiments, text)

        def compound(self, text: str) -> float:
            """``polarity_scores(text)["compound"]``, 0.0 at once for a sentence
            with no word in the lexicon: all its valences are 0, which "but"
            leaves 0, and upstream's compound of a zero sum is 0.0."""
            if not (text.isascii() or self._emoji_chars.isdisjoint(text)):
                return super().polarity_scores(text)["compound"]
            text, words_and_emoticons, sentiments, scored = self._valences(text)
            if not scored:
                return 0.0
            sentiments = self._but_check(words_and_emoticons, sentiments)
            return self.score_valence(sentiments, text)["compound"]

        def _valences(self, text: str) -> tuple[str, list, list, bool]:
            """(stripped text, tokens, valences, whether any token is in the lexicon).

            Upstream's polarity_scores up to the "but" check, for a text without
            emoji, except that a word outside the lexicon gets its 0 here (as
            sentiment_valence gives it).
            """
            text = text.strip()
            sentitext = vs.SentiText(text)
            sentiments: list = []
            words_and_emoticons = sentitext.words_and_emoticons
            low = self._lowered(words_and_emoticons)
            lexicon = self.lexicon
            last = len(words_and_emoticons) - 1
            scored = False
            for i, item in enumerate(words_and_emoticons):
                valence = 0
                item_lower = low[i]
                if item_lower in vs.BOOSTER_DICT:
                    sentiments.append(valence)
                    continue
                if i < last and item_lower == "kind" and low[i + 1] == "of":
                    sentiments.append(valence)
                    continue
                if item_lower not in lexicon:
                    sentiments.append(valence)
                    continue
                scored = True
                sentiments = self.sentiment_valence(valence, sentitext, item, i, sentiments)
            return text, words_and_emoticons, sentiments, scored

    return _Analyzer()


# Bounded memo caches: sentences and short answers repeat verbatim across
# respondents ("Agree.", campaign letters). Cleared past this size to keep memory flat.
_CACHE_MAX = 200_000
_compound_cache: dict[str, float] = {}
_break_cache: dict[str, bool] = {}
_cue_cache: dict[tuple[str, int, str, str, int], tuple[int, bool, bool, bool, bool]] = {}
_answer_cache: dict[str, StanceResult] = {}
_rounded: dict[float, float] = {}
_line_cache: dict[tuple[str, int], tuple[int, int]] = {}
_LINE_CACHE_LEN = 1000  # longer lines (rare) are not kept
_LINE_CACHE_MAX = 20_000  # keys hold whole lines: at most 20M characters
_ANSWER_CACHE_LEN = 200  # only short answers ("Agree.") are worth keeping whole
_ANSWER_CACHE_MAX = 20_000  # whole results are larger than the other entries


def clear_caches() -> None:
    """Empty the memo caches (results are the same either way; benchmarks use this so
    that every timed pass starts from the same state)."""
    for cache in (_compound_cache, _break_cache, _cue_cache, _answer_cache, _line_cache):
        cache.clear()


def _compound(sentence: str) -> float:
    """VADER's compound score of ``sentence``: compiled (:mod:`helpers.stance.vader`, the same
    float) unless it declines the sentence, then upstream's. Memoised."""
    score = _compound_cache.get(sentence)
    if score is None:
        if len(_compound_cache) > _CACHE_MAX:
            _compound_cache.clear()
        score = vader.compound(sentence)
        if score is None:
            score = _vader().compound(sentence)
        _compound_cache[sentence] = score
    return score


def _sentiment(
    text: str, orig: str, lo: int, hi: int, first: list[tuple[int, int]] | None = None
) -> tuple[float, tuple[int, int] | None]:
    """Mean VADER compound over the first few sentences, and the most polar sentence.

    ``text`` is the lower-cased answer used to find sentences (``first``, when
    the first pass found them); VADER reads ``orig`` (same offsets), since
    capitals carry emphasis for it.
    """
    spans = first
    if spans is None:
        hi_bounded = min(hi, lo + MAX_SENTIMENT_CHARS)
        spans = _first_sentences(text, lo, hi_bounded, MAX_SENTIMENT_SENTENCES)
    if not spans:
        return 0.0, None
    spans = [(s, e) for s, e in spans if not _COURTESY_SENTENCE_RE.search(text, s, e)]
    if not spans:
        return 0.0, None
    scores = [_compound(orig[s:e]) for s, e in spans]
    best = max(range(len(spans)), key=lambda i: (abs(scores[i]), -i))
    return sum(scores) / len(scores), spans[best]


def _result(
    text: str, stance: str, reservations: bool, confidence: float, span, method: str, cues
) -> StanceResult:
    s, e = span if span else (None, None)
    # Confidences take few distinct values: their rounding is memoised.
    rounded = _rounded.get(confidence)
    if rounded is None:
        if len(_rounded) > _CACHE_MAX:
            _rounded.clear()
        rounded = _rounded[confidence] = round(min(1.0, max(0.05, confidence)), 3)
    return _stance_result(
        stance,
        _SCORE.get(stance),
        reservations,
        rounded,
        text[s:e] if span else None,
        s,
        e,
        method,
        tuple(cues),
    )


def _decide(text: str, orig: str, cues: list[Cue], hi: int, method: str) -> StanceResult | None:
    """Combine directional cues: majority direction, ties to the first cue.

    ``text`` is the lower-cased answer, ``orig`` the answer quoted as evidence.
    """
    if len(cues) == 1:  # the usual case: the general rule below, worked out for one cue
        c = cues[0]
        if c.direction == 0:
            return None
        stance = _SCORE_TO_STANCE[c.direction * (2 if c.strong else 1)]
        reservations = c.hedged or c.partial or _next_starts_with_contrast(text, c.sentence_end, hi)
        confidence = CONFIDENCE["yesno"] if c.kind == "yesno" else CONFIDENCE[method]
        if c.negated:
            confidence -= NEGATION_PENALTY
        span = (c.sentence_start, c.sentence_end)
        return _result(orig, stance, reservations, confidence, span, method, cues)
    directional = [c for c in cues if c.direction != 0]
    if not directional:
        return None
    pos = sum(c.direction > 0 for c in directional)
    neg = len(directional) - pos
    winner = (1 if pos > neg else -1) if pos != neg else directional[0].direction
    winning = [c for c in directional if c.direction == winner]
    deciding = winning[0]
    strong = any(c.strong for c in winning)
    stance = _SCORE_TO_STANCE[winner * (2 if strong else 1)]
    conflict = pos > 0 and neg > 0
    has_neither = any(c.direction == 0 for c in cues)
    reservations = (
        deciding.hedged
        or conflict
        or has_neither
        or any(c.partial for c in winning)
        or _next_starts_with_contrast(text, deciding.sentence_end, hi)
    )
    base = CONFIDENCE["yesno"] if deciding.kind == "yesno" else CONFIDENCE[method]
    confidence = base * len(winning) / len(directional)
    if deciding.negated:
        confidence -= NEGATION_PENALTY
    if has_neither:
        confidence *= 0.9
    span = (deciding.sentence_start, deciding.sentence_end)
    return _result(orig, stance, reservations, confidence, span, method, cues)


def _read(found: _Found, orig: str, n: int) -> StanceResult | None:
    """The rules on one answer: ``found.low`` lower-cased (offsets relative to it).

    ``orig`` is the answer as written, for the quotes (cue texts and evidence).
    """
    text = found.low
    cues = _explicit_cues(
        text, orig, 0, n, found.starts, found.cue_s, found.cue_e, found.kws, found.yesno
    )
    formal = [c for c in cues if c.kind == "formal"]
    if formal:
        c = formal[0]
        conf = CONFIDENCE["formal"] * (0.8 if any(x.direction for x in cues) else 1.0)
        span = (c.sentence_start, c.sentence_end)
        return _result(orig, "neither", False, conf, span, "cue", cues)
    decided = _decide(text, orig, cues, n, "cue")
    if decided:
        return decided
    if cues:  # only no-position cues ("no view", "unsure")
        c = cues[0]
        span = (c.sentence_start, c.sentence_end)
        return _result(orig, "neither", False, CONFIDENCE["neither"], span, "cue", cues)
    windows = _eval_windows(text, 0, n, found.evaluative)
    evaluative = _evaluative_cues(text, orig, 0, n, windows)
    return _decide(text, orig, evaluative, n, "evaluative")


def _placed(r: StanceResult, lo: int) -> StanceResult:
    """``r`` (offsets relative to the answer) with offsets moved ``lo`` further on."""
    # Built field by field: dataclasses.replace is several times slower.
    cues = tuple(
        _cue(
            c.kind,
            c.text,
            lo + c.start,
            lo + c.end,
            c.direction,
            c.strong,
            c.negated,
            c.hedged,
            c.partial,
            lo + c.sentence_start,
            lo + c.sentence_end,
        )
        for c in r.cues
    )
    s = e = None
    if r.start is not None:
        s, e = lo + r.start, lo + r.end
    return _stance_result(
        r.stance, r.score, r.reservations, r.confidence, r.evidence, s, e, r.method, cues
    )


def _answer_stance(answer: str, n: int) -> StanceResult:
    """The stance of one non-blank ``answer``, offsets relative to it (``n`` its length)."""
    # All patterns are lower case and run on a lower-cased copy of the answer with
    # the same length (case-insensitive regexes are several times slower).
    return _found_stance(answer, n, _first_pass(answer, n))


def _found_stance(answer: str, n: int, found: _Found) -> StanceResult:
    """``_answer_stance`` given the first pass over the answer."""
    r = _read(found, answer, n)
    if r is None:
        first = None if found.batch is None else found.batch.first(found.index)
        mean, span = _sentiment(found.low, answer, 0, n, first)
        if span and abs(mean) >= SENTIMENT_THRESHOLD:
            direction = 1 if mean > 0 else -1
            conf = min(CONFIDENCE["sentiment_max"], 0.2 + 0.2 * abs(mean))
            s, e = span
            cue = _cue("sentiment", answer[s:e], s, e, direction, sentence_start=s, sentence_end=e)
            r = _result(answer, _SCORE_TO_STANCE[direction], False, conf, span, "sentiment", (cue,))
        else:
            r = _result(answer, "neither", False, CONFIDENCE["none"], None, "none", ())
    return r


def infer_stances(texts: list[str]) -> list[StanceResult]:
    """``[infer_stance(t) for t in texts]``, with the lower-casing, keyword scan and
    sentence finding of all the texts done in one compiled pass
    (:mod:`helpers.stance.scan`): the fast way to read many answers."""
    scan = _scanner()
    batch = scan(texts) if scan is not None and texts else None
    if batch is None:  # no numba
        return [infer_stance(t) for t in texts]
    out = []
    cache = _answer_cache
    low_big = batch.low
    los, his, ok, yesno = batch.lo, batch.hi, batch.ok, batch.yesno
    cue, cue_kw, cue_s, cue_e, a_cue = (
        batch.cue,
        batch.cue_kw,
        batch.cue_s,
        batch.cue_e,
        batch.a_cue,
    )
    ev, a_ev = batch.ev, batch.a_ev
    # Reading builds no reference cycles, so the cyclic garbage collector has
    # nothing to free here; pausing it saves its repeated scans (~5%).
    paused = gc.isenabled()
    gc.disable()
    try:
        for a, answer in enumerate(texts):
            n = len(answer)
            if not ok[a] or not answer or answer.isspace():
                out.append(infer_stance(answer))  # blank or unusual: one at a time
                continue
            short = n <= _ANSWER_CACHE_LEN  # infer_stance's cache, filled from this pass
            if short:
                r = cache.get(answer)
                if r is not None:
                    out.append(r)
                    continue
            c0, c1, e0 = a_cue[a], a_cue[a + 1], a_ev[a]
            # tuple.__new__ skips the named tuple's Python-level __new__.
            found = _new_tuple(_Found, (
                low_big[los[a] : his[a]], cue[c0:c1], cue_kw[c0:c1], cue_s[c0:c1], cue_e[c0:c1],
                ev[e0 : a_ev[a + 1]], batch, a, yesno[a],
            ))  # fmt: skip
            r = _found_stance(answer, n, found)
            if short:
                if len(cache) > _ANSWER_CACHE_MAX:
                    cache.clear()
                cache[answer] = r
            out.append(r)
    finally:
        if paused:
            gc.enable()
    return out


def infer_stance(text: str, lo: int = 0, hi: int | None = None) -> StanceResult:
    """The stance that ``text[lo:hi]`` takes on a closed agree/disagree question.

    Returns one of strongly_agree, agree, neither, disagree, strongly_disagree
    (never not_answered: an empty answer is the caller's business) with the
    evidence sentence's absolute offsets in ``text``. See the module docstring
    and ``docs/stance.md`` for the rules and the confidence heuristic.
    """
    hi = len(text) if hi is None else hi
    answer = text[lo:hi]
    if not answer or answer.isspace():
        return _result(text, "neither", False, CONFIDENCE["none"], None, "none", ())
    n = hi - lo
    if n == len(answer) and n <= _ANSWER_CACHE_LEN:
        # Short answers repeat verbatim across respondents ("Agree.", "Yes").
        r = _answer_cache.get(answer)
        if r is None:
            if len(_answer_cache) > _ANSWER_CACHE_MAX:
                _answer_cache.clear()
            r = _answer_cache[answer] = _answer_stance(answer, n)
    else:
        r = _answer_stance(answer, n)
    return _placed(r, lo) if lo else r


# --- Tick boxes -------------------------------------------------------------

_TICK_WORDS = {
    "strongly agree": "strongly_agree",
    "agree strongly": "strongly_agree",
    "completely agree": "strongly_agree",
    "agree": "agree",
    "tend to agree": "agree",
    "somewhat agree": "agree",
    "slightly agree": "agree",
    "mostly agree": "agree",
    "agree somewhat": "agree",
    "partly agree": "agree",
    "neither agree nor disagree": "neither",
    "neither agree or disagree": "neither",
    "neither": "neither",
    "neutral": "neither",
    "dont know": "neither",
    "do not know": "neither",
    "not sure": "neither",
    "unsure": "neither",
    "no opinion": "neither",
    "no view": "neither",
    "undecided": "neither",
    "tend to disagree": "disagree",
    "disagree": "disagree",
    "somewhat disagree": "disagree",
    "slightly disagree": "disagree",
    "mostly disagree": "disagree",
    "partly disagree": "disagree",
    "disagree somewhat": "disagree",
    "strongly disagree": "strongly_disagree",
    "disagree strongly": "strongly_disagree",
    "completely disagree": "strongly_disagree",
    "not answered": "not_answered",
    "no answer": "not_answered",
    "no response": "not_answered",
    "n a": "not_answered",
    "na": "not_answered",
    "not applicable": "not_answered",
    "prefer not to say": "not_answered",
}
# Numeric codes in the order the options are listed ("Strongly agree" first),
# as Citizen Space and most UK government survey exports number them.
_TICK_CODES = {1: "strongly_agree", 2: "agree", 3: "neither", 4: "disagree", 5: "strongly_disagree"}
_SIGNED = {
    "+2": "strongly_agree",
    "+1": "agree",
    "0": "neither",
    "-1": "disagree",
    "-2": "strongly_disagree",
}


def tick_box_stance(value: object, agree_first: bool = True) -> str | None:
    """Map a survey tick-box value to a STANCES value, or None if unrecognised.

    Accepts the scale's labels and common variants ("Tend to agree",
    "Don't know" → neither), blanks and "Not answered" (→ not_answered),
    1–5 codes (1 = strongly agree unless ``agree_first=False``) and signed
    scores -2…+2.
    """
    if value is None or (isinstance(value, float) and value != value):
        return "not_answered"
    if value is pd.NA:
        return "not_answered"
    raw = str(value).strip()
    if not raw or raw in ("-", "–", "—"):
        return "not_answered"
    if raw in _SIGNED:
        return _SIGNED[raw]
    try:
        number = float(raw)
    except ValueError:
        number = None
    if number is not None:
        if number.is_integer() and int(number) in _TICK_CODES:
            code = int(number) if agree_first else 6 - int(number)
            return _TICK_CODES[code]
        if number.is_integer() and -2 <= number <= 2:
            return _SCORE_TO_STANCE[int(number)]
        return None
    key = re.sub(r"[’'`]", "", raw.lower())
    key = re.sub(r"[^a-z]+", " ", key).strip()
    key = re.sub(r"^\d+\s+", "", key)  # "1 - Strongly agree"
    return _TICK_WORDS.get(key)


# --- The stances table ------------------------------------------------------


def _row(rid: str, qid: str, **kw) -> dict:
    row = {
        "respondent_id": rid,
        "question_id": qid,
        "stance": "not_answered",
        "score": None,
        "reservations": False,
        "confidence": 1.0,
        "evidence": None,
        "start": None,
        "end": None,
        "method": "none",
        "tick_box": None,
        "text_stance": None,
        "conflict": False,
    }
    row.update(kw)
    return row


def _most_confident(
    text: str, spans: list[tuple[int, int]], results: list[StanceResult]
) -> StanceResult | None:
    """The most confident of the ``results`` read from ``text[s:e]`` for the ``spans``
    (blank segments skipped), with offsets into ``text``."""
    best: StanceResult | None = None
    for (s, e), r in zip(spans, results, strict=True):
        if not text[s:e].strip():
            continue
        if best is None or r.confidence > best.confidence:
            best = _placed(r, s) if s else r
    return best


STANCE_BATCH_CHARS = 1_000_000  # bounds the memory of one compiled pass
PROGRESS_MIN_CHARS = 5_000_000  # reading this much shows a progress bar


def _segment_stances(
    texts: dict[str, str], segments: dict[tuple[str, str], list[tuple[int, int]]]
) -> dict[tuple[str, str], StanceResult | None]:
    """The most confident stance of each (respondent, question)'s segments, read with
    :func:`infer_stances` a batch of about ``STANCE_BATCH_CHARS`` characters at a time."""
    out: dict[tuple[str, str], StanceResult | None] = {}
    keys: list[tuple[str, str]] = []
    pieces: list[str] = []
    size = 0
    total = sum(e - s for spans in segments.values() for s, e in spans)
    bar = tqdm(
        total=total, desc="Reading stances", unit="char", unit_scale=True,
        disable=None if total >= PROGRESS_MIN_CHARS else True,
    )  # fmt: skip

    def flush() -> None:
        results = iter(infer_stances(pieces))
        for key in keys:
            spans = segments[key]
            out[key] = _most_confident(texts[key[0]], spans, [next(results) for _ in spans])
        bar.update(sum(map(len, pieces)))
        keys.clear()
        pieces.clear()

    with bar:
        for key, spans in segments.items():
            text = texts[key[0]]
            keys.append(key)
            for s, e in spans:
                pieces.append(text[s:e])
                size += e - s
            if size >= STANCE_BATCH_CHARS:
                flush()
                size = 0
        flush()
    return out


def stance_answers(
    answers: pd.DataFrame, respondents: pd.DataFrame, consultation: Consultation
) -> pd.DataFrame:
    """One STANCES_TABLE row per respondent × closed question (conformed).

    - no answer (no segment, empty text, blank tick box) → ``not_answered``,
      score null, method ``none``;
    - a recognised tick box is taken as given (method ``tick_box``); if the
      answer also has text, the text's stance is stored in ``text_stance``
      (method ``tick_box+text``) and ``conflict`` is True when the text, read
      from an explicit cue or an evaluative sentence, points the other way;
    - text only → the inferred stance (method ``text``).
    """
    closed = [q.id for q in consultation.closed_questions]
    if not closed or respondents.empty:
        return schemas.empty(schemas.STANCES_TABLE)
    texts = dict(zip(respondents["respondent_id"].astype(str), respondents["text"], strict=True))
    has_tick = "tick_box" in answers.columns
    sub = answers[answers["question_id"].isin(closed)]
    groups = {key: g for key, g in sub.groupby(["respondent_id", "question_id"], sort=False)}
    segments = {}
    for rid, text in texts.items():
        for qid in closed:
            g = groups.get((rid, qid))
            if g is None:
                continue
            if text is None or text is pd.NA:
                raise ValueError(f"respondents: respondent {rid!r} has no text; re-run ingest")
            spans = [(int(s), int(e)) for s, e in zip(g["start"], g["end"], strict=True)]
            segments[(rid, qid)] = spans
    read = _segment_stances(texts, segments)  # all answers read in batches
    rows: list[dict] = []
    for rid in texts:
        for qid in closed:
            g = groups.get((rid, qid))
            if g is None:
                rows.append(_row(rid, qid))
                continue
            ticks = [
                t for t in (g["tick_box"] if has_tick else []) if isinstance(t, str) and t.strip()
            ]
            tick = ticks[0] if ticks else None
            tick_stance = tick_box_stance(tick) if tick else None
            if tick and tick_stance is None:
                log.warning(
                    "respondent %s, question %s: tick-box value %r not recognised; using the text instead",
                    rid,
                    qid,
                    tick,
                )
            r = read[(rid, qid)]
            if tick_stance and tick_stance != "not_answered":
                row = _row(
                    rid,
                    qid,
                    stance=tick_stance,
                    score=float(schemas.STANCE_SCORES[tick_stance]),
                    confidence=1.0,
                    method="tick_box",
                    tick_box=tick,
                )
                if r is not None:
                    tick_dir = schemas.STANCE_SCORES[tick_stance]
                    conflict = (
                        r.method in ("cue", "evaluative")
                        and (tick_dir > 0) - (tick_dir < 0) != r.direction
                    )
                    row.update(
                        method="tick_box+text",
                        text_stance=r.stance,
                        reservations=r.reservations,
                        evidence=r.evidence,
                        start=r.start,
                        end=r.end,
                        conflict=conflict,
                    )
                rows.append(row)
            elif r is not None:
                rows.append(
                    _row(
                        rid,
                        qid,
                        stance=r.stance,
                        score=r.score,
                        reservations=r.reservations,
                        confidence=r.confidence,
                        evidence=r.evidence,
                        start=r.start,
                        end=r.end,
                        method="text",
                        tick_box=tick,
                        text_stance=r.stance,
                    )
                )
            else:
                rows.append(_row(rid, qid, tick_box=tick))
    n_text = sum(r["method"] == "text" for r in rows)
    log.info(
        "stances: %d rows (%d from text, %d conflicts)",
        len(rows),
        n_text,
        sum(r["conflict"] for r in rows),
    )
    return schemas.conform(pd.DataFrame(rows), schemas.STANCES_TABLE)


LOW_CONFIDENCE = 0.5  # stances below this are listed for reading by hand


def stance_summary(stances: pd.DataFrame, consultation: Consultation) -> pd.DataFrame:
    """One row per closed question: how many respondents took each stance, and how it was read.

    Columns: question_id, question, one count column per stance label (in
    scale order, "Not answered" last), with_reservations, from_text,
    from_tick_box (tick box alone or with text), conflicts, low_confidence
    (answered stances with confidence below ``LOW_CONFIDENCE``).
    """
    rows = []
    for q in consultation.closed_questions:
        sub = stances[stances["question_id"] == q.id]
        counts = sub["stance"].value_counts()
        answered = sub["stance"] != "not_answered"
        row = {"question_id": q.id, "question": q.label}
        row.update({schemas.STANCE_LABELS[s]: int(counts.get(s, 0)) for s in schemas.STANCES})
        row.update(
            with_reservations=int(sub["reservations"].fillna(False).astype(bool).sum()),
            from_text=int((sub["method"] == "text").sum()),
            from_tick_box=int(sub["method"].isin(["tick_box", "tick_box+text"]).sum()),
            conflicts=int(sub["conflict"].fillna(False).astype(bool).sum()),
            low_confidence=int((answered & (sub["confidence"] < LOW_CONFIDENCE)).sum()),
        )
        rows.append(row)
    cols = ["question_id", "question", *(schemas.STANCE_LABELS[s] for s in schemas.STANCES)]
    cols += ["with_reservations", "from_text", "from_tick_box", "conflicts", "low_confidence"]
    return pd.DataFrame(rows, columns=cols)
