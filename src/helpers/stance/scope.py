"""What a position word is about: a rhetorical question, a past view given up, a concession.

Session 14 (issue 13). Three ways people write a position word that is not their
position, found among the direction errors of the untuned sets (stance-items-13,
batch 16) and checked on phrasings written for the tests, not copied from them:

- :func:`rhetorical`: the word sits in a question or a claim that nobody could hold
  it: "Who could possibly object to ...?", "I can't see how anyone could be against
  it", "How could anyone support this?", "Nobody in their right mind would oppose
  it", and the praise disowned after it ("Brilliant idea, said no one who lives
  here"). The respondent holds the opposite view: the reader turns the word round.
- :func:`past_view`: the word states a view the respondent held before and says
  they have left: "I was dead against it in the summer. I've come round.", "At
  first we opposed it, but having seen the figures we now ...". It counts as a
  point conceded (``clauses.CONCEDED``), never strong, and the change of mind, when no
  position word of its own stands in it ("We have since been won over"), counts for
  the other side (:func:`turned_views`); without a change of mind ("I was against it
  then and I still am") the view counts as written.
- :func:`negated_belief`: "We do not believe a separate grade adds value", "I don't
  think it's a bad idea": a negated verb of belief turns round what its clause goes on
  to say, however many words stand between (the reader's own negation reaches four
  words back).
- :func:`scare_quotes`: the proposal's own word held at arm's length, "A 'trial'. Like
  the last one.", "call it 'liveable'", "this 'experiment' is permanent in all but
  name", "'Experimental' my foot": a mocking quotation, read as weak disagreement. In
  the spent item sets (1-13) a quoted word or short phrase stood in 72 answers, 48 of
  them disagreeing; the ones that did not either ask what the word means ("Not sure
  what 'experimental' means", "no clue what a 'modal filter' is"), or quote without a determiner ("would say 'about
  time'", "got 'good' last time"), which this reading leaves alone.
- :func:`aim_only`: agreeing with "the aim", "its overall principle", "the idea behind"
  is not agreeing with the proposal (the reader concedes it, and since session 14
  everything else its clause says for it, "... without reservation").
- :func:`not_that`: "Not that I'm against buses, but ...": a position denied in a
  "not that" clause is a point conceded before the real one, like "it's not that I
  don't ..." (the reader's own rule for a phrase negated in itself).

Pure functions of the lower-cased answer and a position word's offsets, shared by
the reader (:mod:`helpers.stance.discourse`) and its reference copy
(``tests/discourse_reference.py``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from helpers.stance.clauses import _SPLIT_SENTENCE_TAIL_RE
from helpers.stance.discourse_lexicon import _lexicon
from helpers.stance.vocabulary import mask_asides

__all__ = [
    "aim_only", "asked_back", "conceded", "literal", "others_view",
    "change_of_mind", "negated_belief", "not_that", "past_view", "rhetorical", "turned_views",
]  # fmt: skip

_MODAL = r"(?:could|would|can|will|might|should)"
_ADVERB = r"(?:\s+(?:possibly|seriously|honestly|really|reasonably|sensibly|ever|conceivably))?"
# The frame ends right where the position word (or its subject-verb phrase) starts.
_RHETORICAL_RE = re.compile(
    rf"(?:\bwho(?:\s+in\s+their\s+right\s+mind)?\s+{_MODAL}{_ADVERB}"
    rf"|\bhow\s+{_MODAL}\s+any(?:one|body){_ADVERB}"
    r"|\b(?:can['’]?t|cannot|can\s+not|don['’]?t|do\s+not|fail\s+to|struggle\s+to|hard\s+to)\s+"
    rf"(?:see|understand|imagine|think)\s+(?:how|why)\s+any(?:one|body)(?:\s+at\s+all)?"
    rf"(?:\s+{_MODAL})?{_ADVERB}"
    rf"|\b(?:no\s?one|nobody)(?:\s+in\s+their\s+right\s+mind)?\s+{_MODAL}{_ADVERB})"
    r"(?:\s+(?:be|want\s+to|wish\s+to|choose\s+to))?\s*$"
)
_STOP_RE = re.compile(r"[.!?;\n]")


def _sentence_start(text: str, at: int, reach: int) -> int:
    """Where the sentence holding offset ``at`` starts (after its last stop before ``at``),
    looking back at most ``reach`` characters."""
    stops = [m.end() for m in _STOP_RE.finditer(text, max(0, at - reach), at)]
    return stops[-1] if stops else max(0, at - reach)


def _sentence_end(text: str, at: int) -> int:
    """Where the sentence holding offset ``at`` ends (its next stop, or the text's end)."""
    end = _STOP_RE.search(text, at)
    return end.start() if end else len(text)


# Every rhetorical frame holds one of these (tested before the pattern, for speed).
_RHETORICAL_WORDS = re.compile("who|how|why|one|body")
# The praise disowned after it: "Brilliant idea, said no one who lives here."
_SAID_NO_ONE_RE = re.compile(r"\bsaid\s+(?:no\s?-?one|nobody|nobody\s+ever|no\s?-?one\s+ever)\b")
_FRAME_NEGATOR_RE = re.compile(
    r"n['’]?t\b|\bnot\b|\bcannot\b|\bno\s?one\b|\bnobody\b|\bfail\b|\bhard\b"
)
_OWN_NEGATOR_RE = re.compile(r"(?:not|no|never|cannot)\b|\w+n['’]t\b")


def rhetorical(text: str, start: int, negated: bool = False) -> bool:
    """Whether the position word at ``start`` stands in a rhetorical frame, a question or
    claim that nobody could hold it ("who could possibly object to", "can't see why
    anyone would oppose", "nobody in their right mind would support"), and so is to be
    turned round. ``negated``: the reader already turned it round for a negator; when
    that negator is the frame's own ("can't see how anyone ..."), it is not turned again."""
    m = None
    if _RHETORICAL_WORDS.search(text, max(0, start - 70), start):  # a cheap test first (speed)
        m = _RHETORICAL_RE.search(text[_sentence_start(text, start, 70) : start])
    if m is None:
        if "said" not in text:
            return False
        return _SAID_NO_ONE_RE.search(text, start + 1, _sentence_end(text, start)) is not None
    return not (negated and _FRAME_NEGATOR_RE.search(m.group()) and not _OWN_NEGATOR_RE.match(
        text, start))  # fmt: skip


# A view the respondent held before: "I was ...", "we were ...", "I used to ...", "at first".
_PAST_RE = re.compile(
    r"\b(?:i|we)\s+(?:was|were|had\s+been|used\s+to(?:\s+be)?)\b(?:\s+[\w’'-]+){0,3}\s*$"
    # an answer once given: "I'd have said yes", "we would have supported" (session 15)
    r"|\b(?:i|we)(?:['’]d|\s+would)\s+have(?:\s+[\w’'-]+){0,2}\s*$"
    r"|\b(?:at\s+first|initially|originally|to\s+begin\s+with|in\s+the\s+beginning)\b"
    # a belief since given up: "I assumed it would be a box-ticking exercise" (session 16)
    r"|\b(?:i|we)\s+(?:had\s+)?(?:assumed|thought|believed|feared|expected|suspected|presumed)\b"
    r"(?:\s+[\w’'-]+){0,6}\s*$"
    # Session 19 (unseen polarity errors of stance-items-14 ... -18 read by cause, "changed
    # mind"): a sentence opening in the past with no subject ("Used to be against."), the
    # respondent's own earlier act ("I signed the petition against ...", "At the drop-in I
    # said ...", "I ticked agree on the draft"), and a past time ("Last year ...", "Six
    # months ago ...", "Back in the spring ...", "My first thought was ...").
    r"|^\W*(?:used\s+to(?:\s+be)?|was|were)\b(?:\s+[\w’'-]+){0,3}\s*$"
    r"|\b(?:i|we)\s+(?:(?:first|originally|initially|once)\s+)?(?:said|voted|signed|ticked|"
    r"wrote|told|argued|marched|campaigned|petitioned)\b(?:\s+[\w’'-]+){0,6}\s*$"
    r"|\b(?:last\s+(?:year|month|week|time|spring|summer|autumn|winter)|(?:a|an|one|two|three|"
    r"four|five|six|few|several|some|\d+)\s+(?:years?|months?|weeks?)\s+ago|back\s+(?:in|then|when)"
    r"|(?:my|our)\s+first\s+(?:thought|reaction|instinct|response|view|impression)s?"
    r"|first\s+(?:thought|reaction|instinct|impression)s?)\b"
)
_PAST_WORDS = re.compile(
    "was|were|been|used|first|initially|originally|begin|have|assumed|thought|believed|feared|"
    "expected|suspected|presumed|said|voted|signed|ticked|wrote|told|argued|marched|campaigned|"
    "petitioned|last|ago|back"
)
# Saying the view has changed: "I've come round", "changed my mind", "now I ...".
_CHANGE_RE = re.compile(
    r"\b(?:come\s+(?:round|around)|came\s+(?:round|around)|changed?\s+(?:my|our)\s+minds?"
    r"|been\s+(?:won\s+over|converted|persuaded|convinced)|won\s+me\s+over|won\s+us\s+over"
    r"|(?:i|we)\s+now\b|now\s+(?:i|we)\b|but\s+now\b|not\s+any\s*more|no\s+longer"
    r"|(?:^|(?<=[.!?]\s))now\b"  # a sentence opening "Now, having seen ..." (session 15)
    # Session 19: the view revised in other words ("Having seen the traffic counts, ...",
    # "On reflection ...", "I've since seen ...", "I'll admit I was wrong", "Today, no.").
    r"|\bhaving\s+(?:now\s+)?(?:seen|read|heard|looked|considered|visited|attended|talked|spoken|"
    r"thought|watched|used|tried|lived)\b|\bon\s+(?:reflection|second\s+thoughts?)\b"
    r"|\b(?:i|we)(?:\s+have|['’]ve)\s+since\b|\bsince\s+then\b|\b(?:i|we)\s+(?:was|were)\s+wrong\b"
    r"|\b(?:i|we)(?:\s+have|['’]ve)\s+(?:reconsidered|rethought|gone\s+off)\b"
    r"|(?:^|(?<=[.!?]\s))(?:today|these\s+days|nowadays)\b)"
)


def change_of_mind(text: str, at: int) -> bool:
    """Whether ``text`` says after ``at`` that the respondent's view has changed."""
    return _CHANGE_RE.search(text, at) is not None


def turned_views(text: str, evidence: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The new view a change of mind states, for each past view given up: (start, end,
    direction) of the change's words ("We have since been won over" after "At first we
    objected": agreement), unless a position word already stands in them. ``evidence``:
    the reader's (start, end, direction) readings."""
    out: list[tuple[int, int, int]] = []
    for start, end, direction in evidence:
        if not past_view(text, start, end):
            continue
        m = _CHANGE_RE.search(text, end)
        if m is None or any(a < m.end() and m.start() < b for a, b, _ in evidence + out):
            continue
        out.append((m.start(), m.end(), -direction))
    return out


def past_view(text: str, start: int, end: int) -> bool:
    """Whether the position word at ``start``-``end`` is a view the respondent held
    before and has since left: its sentence sets it in the past ("I was dead against
    it", "at first we opposed it") and a change of mind follows ("I've come round",
    "but now we ...")."""
    if not _PAST_WORDS.search(text, max(0, start - 200), start):  # a cheap test first (speed)
        return False
    if _PAST_RE.search(text[_sentence_start(text, start, 200) : start]) is None:
        return False
    return change_of_mind(text, end)


_NOT_THAT_RE = re.compile(r"(?:^|[^\w’'])(?:not|n['’]t)\s+that(?:\s+[\w’'-]+){0,3}\s*$")
_CONTRAST_RE = re.compile(r"\b(?:but|however|yet)\b")


def not_that(text: str, start: int) -> bool:
    """Whether the position word at ``start`` is denied in a "not that" clause that a
    contrast follows in its sentence: "Not that I'm against buses, but ..." (a point
    conceded before the real position)."""
    if "that" not in text[max(0, start - 60) : start]:  # a cheap test first (speed)
        return False
    if _NOT_THAT_RE.search(text[_sentence_start(text, start, 60) : start]) is None:
        return False
    return _CONTRAST_RE.search(text, start, _sentence_end(text, start)) is not None


# A negated verb of belief and up to seven words of its clause before the position word.
_NEG_BELIEF_RE = re.compile(
    r"(?:\b(?:do|does|did)\s+not|n['’]t|\bnot|\bcannot|\bnever|\bno\s+longer)\s+"
    r"(?:(?:really|honestly|personally|actually|genuinely)\s+)?"
    r"(?:think|believe|feel|accept|see\s+(?:that|how|why))\b(?:\s+that)?(?:\s+[\w’'-]+){1,7}\s*$"
)
_BELIEF_WORDS = re.compile("think|believe|feel|accept|see")
_CLAUSE_END_RE = re.compile(r"[.!?;,:\n]|\b(?:but|however|yet|although|though|whereas)\b")


def negated_belief(text: str, start: int) -> bool:
    """Whether a negated verb of belief governs the position word at ``start`` ("we do
    not believe a separate judgement adds value", "I don't think it's a bad idea"):
    within its clause (no stop, comma or contrast between), at most seven words before
    it and at least one."""
    window = text[max(0, start - 90) : start]
    if not _BELIEF_WORDS.search(window):  # a cheap test first (speed)
        return False
    window = mask_asides(window)  # "we do not, however, believe ..." (session 16)
    cut = [m.end() for m in _CLAUSE_END_RE.finditer(window)]
    if cut:
        window = window[cut[-1] :]
    return _NEG_BELIEF_RE.search(window) is not None


# Session 14: "endorse the principle", "welcome its overall aim" (before, only the words
# right after the cue were read, so a determiner hid the aim from every verb but the two
# that ``_SPLIT_SENTENCE_TAIL_RE`` reads).
_AIM_DETERMINER_RE = re.compile(
    r"^(?:(?:the|its|their|your|our|this|these|that)\s+)?(?:(?:overall|underlying|general|broad|"
    r"wider|stated)\s+)?"
)


def aim_only(text: str, start: int, end: int) -> bool:
    """Whether the positive cue at ``start``-``end`` is about the aim or principle
    ("agree with the aim", "endorse the principle behind it"; the lexicon's ``aim_words``)."""
    lex = _lexicon()
    tail = _SPLIT_SENTENCE_TAIL_RE.match(text, start)
    at = tail.end() if tail else end
    after = _AIM_DETERMINER_RE.sub("", text[end : end + 40].lstrip(), count=1)
    return bool(lex["aim_words"].match(text, at) or lex["aim_words"].match(after))


# A determiner (or "call it") right before a quoted word or short phrase, or the quote
# opening its sentence: "a 'trial'", "this 'experiment'", "call it 'listening'".
_SCARE_RE = re.compile(
    r"(?:(?:^|(?<=[.!?\n]))[\s\"'“‘(]*|\b(?:a|an|the|this|that|these|those|their|your|its|so-called"
    r"|call(?:ed|ing)?\s+it|every|another|last|latest)\s+)"
    r"(?P<q>['‘\"“][a-z][\w-]*(?:\s[\w-]+){0,2}['’\"”])(?![\w])"
)
_ASKS_MEANING_RE = re.compile(
    r"\b(?:means?|meant|what)\b|^\W*(?:how|will|would|does|do|is|are|can)\b"
)


def scare_quotes(text: str) -> list[tuple[int, int]]:
    """The spans of quoted words held at arm's length in ``text`` (lower-cased): a
    quoted word or short phrase after a determiner or "call it", or opening its
    sentence, in a sentence that does not ask what the word means."""
    if not any(q in text for q in "'‘\"“"):
        return []
    out: list[tuple[int, int]] = []
    for m in _SCARE_RE.finditer(text):
        s, e = m.span("q")
        sentence = text[_sentence_start(text, s, 200) : _sentence_end(text, e)]
        if _ASKS_MEANING_RE.search(sentence) is None:
            out.append((s, e))
    return out


# Session 15: other people's view reported ("Everyone on our street says it's a disaster",
# "Some colleagues argue that ...", "Critics claim ..."). Only third parties the
# respondent does not speak for: "our members say" / "our young people tell us" report the
# respondent's own constituency, which a representative body answers for.
_OTHERS_RE = re.compile(
    r"(?:^|[.!?;\n]\s*|\b(?:and|but|while|whilst|although|though)\s+)"
    r"(?:some|many|most|several|half|a\s+few|plenty\s+of|lots\s+of|a\s+lot\s+of|other|others|"
    r"everyone|everybody|people|critics|opponents|supporters|objectors|campaigners|the\s+critics|"
    # Session 16: one person of the respondent's own ("my son says", "she thinks"), a
    # plural that "will say" ("councils will say they don't need it")
    r"my\s+[\w’'-]+|he|she|they|[\w’'-]+s\s+(?=(?:will|would|might|may)\s+say\b))\b"
    r"(?:\s+(?!(?:i|we)\b)[\w’'-]+){0,5}?\s+"
    r"(?P<verb>say|says|said|argue|argues|argued|claim|claims|claimed|insist|insists|insisted|"
    r"reckon|reckons|tell\s+(?:me|us)|told\s+(?:me|us)|warn|warns|warned|think|thinks|"
    r"believe|believes|feel|feels)\b[^.!?;\n]*$"
)
# The respondent's own voice taking over within the sentence: "..., and I agree".
_OWN_VOICE_RE = re.compile(r"\b(?:but|and|so|yet)\s+(?:i|we)\b|[,;:]\s*(?:i|we)\s+(?!think\b)")
_OTHERS_WORDS = re.compile("say|said|argu|claim|insist|reckon|told|tell|warn|think|believ|feel")


def others_view(text: str, start: int) -> bool:
    """Whether the position word at ``start`` reports other people's view, not the
    respondent's: it follows, in its sentence, a third party and a verb of saying or
    thinking ("Everyone on our street says it's a disaster", "Some colleagues argue that
    it will fragment ...", "Critics claim it will be chaos"), with no "and I" / "but we"
    between (the respondent's own voice). A point conceded, like a past view."""
    window = text[max(0, start - 120) : start]
    if not _OTHERS_WORDS.search(window):  # a cheap test first (speed)
        return False
    m = _OTHERS_RE.search(window)
    return m is not None and _OWN_VOICE_RE.search(window, m.end("verb")) is None


# The question restated by the respondent: "You're asking if I agree with ...", "The
# consultation asks whether ...". Its position words are the consultation's.
_ASKED_RE = re.compile(
    r"(?:\byou(?:['’]re|\s+are)?\s+(?:asking|ask|asked)|\b(?:the\s+)?(?:consultation|question|survey|"
    r"form|council|document)\s+(?:is\s+asking|asks|asked|wants\s+to\s+know))"
    r"(?:\s+(?:us|me|people|residents|respondents))?\s+(?:whether|if|what|how\s+far|to\s+what\s+extent)\b"
    r"[^.!?\n]*$"
)


def asked_back(text: str, start: int) -> bool:
    """Whether the position word at ``start`` stands in the question restated ("You're
    asking if I agree with a separate judgement.", "The consultation asks whether we
    support ..."): the consultation's words, not the respondent's."""
    window = text[max(0, start - 150) : start]
    if "ask" not in window and "know" not in window:  # a cheap test first (speed)
        return False
    return _ASKED_RE.search(window) is not None


def conceded(text: str, start: int, end: int, own_weight: bool = True) -> bool:
    """Whether the position word at ``start``-``end`` is a point conceded, not the
    respondent's position: a past view given up (:func:`past_view`), a position denied in
    a "not that" clause (:func:`not_that`; only for a word the reader has not already
    conceded, ``own_weight``) or other people's view reported (:func:`others_view`)."""
    return (
        past_view(text, start, end)
        or (own_weight and not_that(text, start))
        or others_view(text, start)
    )


class _Literal(NamedTuple):
    """What shows a lexicon phrase meant literally: the words right after it (``after``,
    matched where the phrase ends) or the words before it (``before``, ending where the
    phrase starts, within ``_LITERAL_REACH`` characters)."""

    after: re.Pattern[str] | None = None
    before: re.Pattern[str] | None = None


_LITERAL_REACH = 40
_DONE_OTHERWISE_RE = re.compile(
    r"\s+(?:properly|right|differently|later|slowly|gradually)\b"
    r"(?![\s,]+and\s+(?:we|i|you)(?:\b|['’]))"
)
# A lexicon phrase read literally (moved from ``discourse``, session 16): a refusal phrase
# ("no way back", "no way out of", "having had no chance to act on it") and, session 16,
# "wrong" in "has gone wrong", "if things go wrong" (something failing, not a verdict on
# the proposal: ofsted-docs-18 and stance-items-15 read these as disagreement).
_LITERAL = {
    "no way": _Literal(
        after=re.compile(r"\s+(?:back|out|forward|round|around|through|home|across|in|of|to|for)\b")
    ),
    "no chance": _Literal(after=re.compile(r"\s+to\b")),
    # Session 20: "do it properly in the spring", "do it right or not at all": how the
    # respondent wants it done instead, not "just do it" (ofsted-docs-22, stance-items-9/-13);
    # but "Do it properly and we're with you" offers support on that condition.
    "do it": _Literal(after=_DONE_OTHERWISE_RE),
    "please do it": _Literal(after=_DONE_OTHERWISE_RE),
    # (Not "what could go wrong?", "nothing ever goes wrong when ...": sarcasm, read as such.)
    "wrong": _Literal(
        before=re.compile(
            r"(?:\b(?:has|have|had)|['’]s|['’]ve)\s+(?:[\w’'-]+\s+)?gone\s+$|\bwent\s+$"
            r"|\bif\s+(?:[\w’'-]+\s+){1,3}?(?:go|goes)\s+$"
        )
    ),
}


def literal(text: str, phrase: str, start: int, end: int) -> bool:
    """Whether the lexicon phrase ``phrase`` at ``start``-``end`` is meant literally."""
    rule = _LITERAL.get(phrase)
    if rule is None:
        return False
    if rule.after is not None and rule.after.match(text, end) is not None:
        return True
    return (
        rule.before is not None
        and rule.before.search(text, max(0, start - _LITERAL_REACH), start) is not None
    )
