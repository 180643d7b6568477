"""Stance's cue vocabulary: the words and patterns the rules look for, as tables.

Regexes for explicit cues (matched anchored at a keyword), for the context just
before a keyword ("we … support", "no view"), for negators, intensifiers, hedges
and contrasts, and for evaluative sentences; the keywords that the first pass
(:mod:`helpers.stance.firstpass`, or compiled :mod:`helpers.stance.scan`) finds.

Pure data and the small functions that build patterns from it: the readers in
:mod:`helpers.stance.cues` use these tables, and so does the compiled first pass,
which numbers the keywords as :func:`keywords` does. Nothing here imports a reader.
"""

from __future__ import annotations

import functools
import re
from functools import lru_cache

# Nouns that refer to the proposal (or its timing) being asked about.
_PROPOSAL = (
    r"(?:proposals?|proposed|changes?|judge?ments?|approach(?:es)?|plans?|ideas?|timescales?|"
    r"timetables?|timelines?|timing|dates?|introduction|move|decision|recommendations?|"
    r"initiatives?|measures?|options?|intentions?|inclusion|addition)"
)
# "the", "this" ..., or any possessive ("Ofsted's proposal", "the council's plan"):
# no consultation's names in code.
_DET = r"(?:the|this|these|that|those|such\s+an?|an?|[a-z][\w-]*[’']s|your|its|their|our|both)"
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

# Session 16 (issue 13): an aside between commas after an auxiliary or a negator ("We do
# not, however, support ...", "We cannot, at this stage, agree") does not end the clause:
# the negator still governs the verb after it. Before, the clause was cut at the first
# comma (and, in the discourse reader, before "however"), so "We do not, however, accept
# that ..." read as agreement. Group 2 is the aside (commas included), group 3 its word.
_ASIDE_AUX = (
    r"not|never|cannot|\w*n[’']t|do|does|did|is|are|was|were|am|will|would|shall|should|can|"
    r"could|may|might|must"
)
ASIDE_CONTRAST = ("however", "though", "nevertheless", "nonetheless", "still")
ASIDE_OVERALL = ("overall", "on balance", "ultimately")
_ASIDE_WORDS = (
    r"however|though|therefore|nevertheless|nonetheless|still|overall|on\s+balance|ultimately|"
    r"of\s+course|at\s+present|at\s+this\s+stage|as\s+yet|currently|at\s+the\s+moment|"
    r"in\s+principle|in\s+(?:our|my)\s+view|i[’']m\s+afraid|i\s+am\s+afraid|we\s+regret|sadly|"
    r"unfortunately|regrettably|frankly|honestly|in\s+fact|indeed|i\s+think|we\s+think|i\s+fear|"
    r"we\s+fear"
)
_ASIDE_RE = re.compile(
    rf"\b({_ASIDE_AUX})(\s*,\s*({_ASIDE_WORDS})\s*,)(?=\s*(?:\w|\Z))",
    re.I,
)
# Speed: an aside needs a comma right before one of its words; this comma-led pattern
# finds one several times sooner than ``_ASIDE_RE``, which is tried only where it does.
_ASIDE_CHEAP_RE = re.compile(rf",\s*(?:{_ASIDE_WORDS})\s*,", re.I)


def mask_asides(text: str) -> str:
    """``text`` with each aside after an auxiliary or negator (``_ASIDE_RE``) blanked
    (same length, so offsets hold): "we do not, however, accept" -> "we do not
    accept" for the clause and negation readers."""
    if "," not in text or not _ASIDE_CHEAP_RE.search(text):
        return text
    return _ASIDE_RE.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)


def asides(text: str) -> list[tuple[int, int, str]]:
    """The asides of ``text`` (``_ASIDE_RE``): (start, end, word lower-cased, spaces
    normalised)."""
    if "," not in text or not _ASIDE_CHEAP_RE.search(text):
        return []
    return [(m.start(2), m.end(2), " ".join(m.group(3).lower().split()))
            for m in _ASIDE_RE.finditer(text)]  # fmt: skip


# Speed: the cue regexes are only run at or around these keywords, found by the
# first pass over the lower-cased answer (``infer._first_pass``: helpers.stance.scan, or
# helpers.stance.firstpass without numba). Every cue alternative contains one of the cue
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


def keywords() -> list[str]:
    """Every keyword (cue and evaluative) in the order of its number: the compiled first
    pass's ``BatchScan.cue_kw`` and :func:`_at_by_number` count in this order."""
    return sorted(_CUE_KEYWORDS | _EVAL_KEYWORDS)


@lru_cache(maxsize=1)
def _at_by_number() -> list[tuple[re.Pattern, bool]]:
    """For each keyword (:func:`keywords`), by number: ``_at_keyword`` of it and
    whether only the "bare" alternative can match there (``_BARE_ONLY``)."""
    out = []
    for w in keywords():
        bare = w.startswith(_BARE_ONLY)
        if not bare and any(b.startswith(w) for b in _BARE_ONLY):
            raise ValueError(f"stance keyword {w!r} is a prefix of a bare-only word")
        out.append((_at_keyword(w), bare))
    return out
