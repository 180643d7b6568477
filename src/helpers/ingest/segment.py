"""Split one response document into answers, one per consultation question.

Respondents rarely use the consultation's own layout. They number questions
(``Q1)``, ``Question 2:``, ``3.``), repeat the question in full, in part or in
their own words, make headings bold, or write a letter with no headings at
all. Segmentation works in four steps (see docs/segmentation.md):

1. **Candidates.** Every non-blank line is a possible heading. A line's
   numbering, its structure cues (bold or Word heading, from the reader, or
   literal markdown ``**``/``#``) and its text are read; where the answer
   starts on the same line as the question, the heading is cut at the point
   whose prefix best matches a question's wording.
2. **Scores.** Each candidate is scored 0-1 against every question from the
   number it carries and the similarity of its text to the question's text
   and aliases (near-verbatim character similarity, plus stemmed content-word
   overlap for paraphrases).
3. **Assignment.** Dynamic programming picks the best chain of headings whose
   questions follow the consultation's order; the order is a prior, not a
   rule, so a strong heading outside the chain is still kept, with a warning
   (out of order, or the question answered twice).
4. **Rows.** Text before the first heading is the ``preamble``; a sign-off or
   contact block after the last answer is ``closing``; a document with no
   headings is one ``unstructured`` answer. Nothing is ever dropped.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
from nltk.stem.snowball import SnowballStemmer
from rapidfuzz import fuzz

from helpers.core import schemas
from helpers.core.consultation import Consultation, Question

log = logging.getLogger(__name__)

# --- thresholds (the reasons are in docs/segmentation.md) -------------------
ACCEPT = 0.55  # a heading's score must beat this to join the chain...
NEXT_BONUS = 0.10  # ...less this bonus when it is the next question in order
SKIP_PENALTY = 0.03  # per question skipped between two chained headings
STRONG = 0.80  # outside the chain, a heading this strong is kept with a warning
VERBATIM = 0.90  # plain-line text similarity needed when the document has styled headings
TEXT_MIN = 0.50  # text similarity below this is no evidence at all
NUMBER_SCORE = 0.80  # "Q3)" / "Question 3:" alone
BARE_NUMBER_SCORE = 0.60  # "3." when it looks like a heading
LIST_NUMBER_SCORE = 0.35  # "3. Some point" that looks like a list item
PROSE_NUMBER_SCORE = 0.50  # "Q3 was about…": no punctuation after the number
ORDER_SCORE = 0.40  # a question-shaped heading placed by position only

_STOPWORDS = frozenset(
    """
    a about above after again all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself
    just me more most my no nor not now of off on once only or other our ours out over own
    please same she should so some such than that the their theirs them then there these they
    this those through to too under until up us very was we were what when where which while
    who whom why will with would you your yours
    """.split()
)
_STEMMER = SnowballStemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    # Every line of every document is scored against every question: stem each word once.
    return _STEMMER.stem(word)


# Numbering at the start of a (markup-stripped) line.
_Q_NUM_RE = re.compile(r"Q(?:uestion)?\.?\s*(\d{1,2})(?!\d)\s*([).:\-–—])?\s*", re.I)
_BARE_NUM_RE = re.compile(r"(?:\((\d{1,2})\)|(\d{1,2})[.)](?!\d))\s*")
# Markdown emphasis/headings, and ">" quoting in e-mail replies.
_MARKUP_LEAD_RE = re.compile(r"(?:#{1,6}\s+|>\s*|\*\*|__|\*|_)+")
_CUT_AFTER = "?:.;)"
_SIGN_OFF_RE = re.compile(
    r"^\W*(yours\s+(sincerely|faithfully|truly)|kind(est)?\s+regards|best\s+(regards|wishes)|"
    r"warm\s+regards|regards|many\s+thanks|with\s+thanks)\b",
    re.I,
)
_CLOSING_HEAD_RE = re.compile(
    r"^\W*(for\s+(further|more)\s+information|further\s+information|more\s+information|"
    r"contact(\s+details|\s+us|\s+information)?|enquiries|about\s+(us|the\s+author))\b",
    re.I,
)
_SENTENCE_END_RE = re.compile(r"[.!?][ \t]+(?=[A-Z])")
_CONTACT_RE = re.compile(
    r"(please\s+contact|[\w.+-]+@[\w-]+\.[\w.]+|\b(tel|telephone|phone)\b\s*:?\s*[\d+(])", re.I
)


@dataclass
class _Candidate:
    """A line that may be a question heading."""

    line_start: int
    line_end: int
    start: int  # heading start (offset into the document)
    end: int  # heading end: the answer starts after it
    number: int | None = None
    numbering: str | None = None  # "q" (Q1, Question 1) or "bare" (1., (1))
    cue: str | None = None  # bold, heading or markdown (whole line)
    plain_text: str = ""  # heading words without numbering/markup
    scores: dict[int, float] = field(default_factory=dict)  # question index -> score
    methods: dict[int, str] = field(default_factory=dict)
    conflict: str | None = None
    unknown_number: bool = False  # "Q9)" in a five-question consultation
    rest: int = 0  # where the heading's words start, after numbering and markup
    prose_number: bool = False  # "Q1 is…": a Q number without punctuation, text after

    def best(self) -> tuple[int, float]:
        if not self.scores:
            return -1, 0.0
        j = max(self.scores, key=lambda k: (self.scores[k], -k))
        return j, self.scores[j]


@dataclass
class _Heading:
    cand: _Candidate
    qindex: int
    score: float
    method: str
    warnings: list[str] = field(default_factory=list)


# --- text similarity --------------------------------------------------------


def _norm(s: str) -> str:
    """Lower-case words and digits only, for character-level comparison."""
    s = s.lower().replace("’", "'").replace("‘", "'")
    return " ".join(re.findall(r"[a-z0-9]+", s))


def _stems(s: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in re.findall(r"[a-z0-9]+", s.lower()) if w not in _STOPWORDS)


@dataclass(frozen=True)
class _Variant:
    norm: str
    stems: frozenset[str]


@lru_cache(maxsize=256)
def _variants(q: Question) -> tuple[_Variant, ...]:
    return tuple(_Variant(_norm(t), _stems(t)) for t in (q.text, *q.aliases))


def text_similarity(heading: str, question: Question) -> tuple[float, float]:
    """(verbatim, paraphrase) similarity of ``heading`` to the question's text or aliases.

    *verbatim* is character similarity: the whole question repeated, or a
    substantial piece of it (a piece scores a little less than the whole).
    *paraphrase* is the share of the heading's content-word stems found in the
    question, boosted when the heading covers much of the question.
    """
    h = _norm(heading)
    hs = _stems(heading)
    if not h:
        return 0.0, 0.0
    verbatim = para = 0.0
    for v in _variants(question):
        # Whole-string ratio: two different questions still share ~0.65 of
        # their characters, so only the top of the range is evidence.
        full = max(0.0, (fuzz.ratio(h, v.norm) / 100 - 0.6) / 0.4)
        piece = 0.0
        if len(h) >= 20 and len(h) <= len(v.norm):
            # A piece of the question: weight by how much of it is repeated.
            share = len(h) / len(v.norm)
            # partial_ratio is generous (a sentence reusing the question's words
            # scores ~0.9), so only near-exact pieces count.
            partial = fuzz.partial_ratio(h, v.norm) / 100
            piece = max(0.0, (partial - 0.7) / 0.3) * (0.85 + 0.15 * share)
        verbatim = max(verbatim, full, piece)
        if hs and v.stems:
            common = len(hs & v.stems)
            precision = common / len(hs)
            recall = common / len(v.stems)
            p = precision * (0.5 + 0.5 * min(1.0, 2 * recall))
            if len(hs) < 3:  # one content word says nothing, two say little
                p *= 0.0 if len(hs) == 1 else 0.85
            para = max(para, p)
    return verbatim, para


# --- candidates -------------------------------------------------------------


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, without surrounding whitespace."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans


# A "Q3)" / "Question 3:" heading run into the previous paragraph, as when PDF
# lines are joined: it must follow the end of a sentence.
_INLINE_Q_RE = re.compile(r"(?<=[.!?:;\"”’)])[ \t]+(?=(?:Q|Question[ \t]*)\d{1,2}[ \t]*[).:])")


def _segments(text: str) -> list[tuple[int, int]]:
    """Lines, further split before numbered question headings found mid-line."""
    out = []
    for ls, le in _line_spans(text):
        start = ls
        for m in _INLINE_Q_RE.finditer(text, ls, le):
            out.append((start, m.start()))
            start = m.end()
        out.append((start, le))
    return out


def _cue_for_line(
    text: str, ls: int, le: int, cues: list[tuple[int, int, str]]
) -> tuple[str | None, int]:
    """The cue kind covering the line, and where a cue that covers only its start ends.

    Returns (kind, cue_end): kind is set when a cue covers the whole line
    (ignoring closing punctuation); cue_end > ls when a cue covers a prefix
    ("**About Become** - ...").
    """
    for cs, ce, kind in cues:
        if kind not in ("bold", "heading"):
            continue
        if cs <= ls and ce > ls:
            if ce >= le or not text[ce:le].strip(" \t:.?*_"):
                return kind, le
            return None, ce
    # Literal markdown (text passed without conversion).
    line = text[ls:le]
    if line.startswith("#"):
        return "markdown", le
    if line.startswith(("**", "__")):
        close = line.find(line[:2], 2)
        if close == -1 or not line[close + 2 :].strip(" \t:.?"):
            return "markdown", le
        return None, ls + close + 2
    return None, ls


def _skip_markup(text: str, pos: int, end: int) -> int:
    m = _MARKUP_LEAD_RE.match(text, pos, end)
    return m.end() if m else pos


def _make_candidate(text: str, ls: int, le: int, cues: list[tuple[int, int, str]]) -> _Candidate:
    """Read a line's cue and numbering (scores come later)."""
    cue, cue_end = _cue_for_line(text, ls, le, cues)
    c = _Candidate(line_start=ls, line_end=le, start=ls, end=cue_end, cue=cue)
    rest = _skip_markup(text, ls, le)
    m = _Q_NUM_RE.match(text, rest, le)
    if m:
        c.number, c.numbering = int(m.group(1)), "q"
        # "Q1)" or "Question 1" alone is heading-shaped; "Q1 is where we…" is prose.
        c.prose_number = not m.group(2) and _skip_markup(text, m.end(), le) < le
    else:
        m = _BARE_NUM_RE.match(text, rest, le)
        if m:
            c.number, c.numbering = int(m.group(1) or m.group(2)), "bare"
    if c.number is not None:
        rest = _skip_markup(text, m.end(), le)
        c.end = max(rest, cue_end)
    c.rest, c.plain_text = rest, text[rest:le]
    return c


def _cut_points(text: str, rest: int, le: int, min_end: int) -> list[int]:
    """Where a heading written on the same line as its answer might end."""
    limit = min(le, rest + 600)  # no question is longer than this
    points = {le}
    for i in range(rest, limit):
        ch = text[i]
        if ch in _CUT_AFTER or (ch in "-–—" and i > rest and text[i - 1] == " "):
            j = i + 1
            while j < le and text[j] in "*_'\"’”":  # closing markup or quote
                j += 1
            if j >= le or text[j].isspace():
                points.add(j)
    return sorted(p for p in points if p >= min_end and p > rest)


def _score_candidate(
    text: str,
    c: _Candidate,
    questions: tuple[Question, ...],
    styled_doc: bool,
    bare_headings: bool,
) -> None:
    """Fill c.scores/c.methods and settle where the heading ends."""
    le, rest = c.line_end, c.rest
    numbered = {q.number: j for j, q in enumerate(questions) if q.number is not None}
    # Best cut: the prefix of the line most like some question's text.
    best_cut, best_t, best_sims = c.end, 0.0, [(0.0, 0.0)] * len(questions)
    if c.cue in ("bold", "heading", "markdown"):
        cuts = [le]
    else:
        cuts = _cut_points(text, rest, le, c.end)
    for p in cuts:
        piece = text[rest:p]
        sims = [text_similarity(piece, q) for q in questions]
        # Prefer the cut with the best whole-question character match.
        t = max(
            (fuzz.ratio(_norm(piece), v.norm) / 100 for q in questions for v in _variants(q)),
            default=0,
        )
        t = max(t, max((max(s) for s in sims), default=0) * 0.5)
        if t > best_t:
            best_cut, best_t, best_sims = p, t, sims
    heading_like = c.cue is not None or (c.numbering == "q" and not c.prose_number)
    if len(_stems(text[rest:best_cut])) < 3 and len(best_sims) > 1:
        # One or two words ("Care leavers") must point at one question only.
        paras = sorted((p for _, p in best_sims), reverse=True)
        if paras[0] - paras[1] < 0.15:
            best_sims = [(v, 0.0) for v, _ in best_sims]
    text_scores: list[float] = []
    for verbatim, para in best_sims:
        if styled_doc and not heading_like and c.numbering is None:
            s = verbatim if verbatim >= VERBATIM else 0.0
        else:
            piece = text[rest:best_cut].rstrip(" *_'\"’”")
            shape = 1.0 if (heading_like or piece.endswith(("?", ":"))) else 0.9
            if piece.endswith(".") and not heading_like:
                shape = 0.6
            s = max(verbatim if verbatim >= 0.85 else verbatim * shape, para * shape * 0.95)
        text_scores.append(s if s >= TEXT_MIN else 0.0)
    if max(text_scores, default=0) > 0:
        c.end = max(c.end, best_cut)
    # Number evidence.
    num_j = numbered.get(c.number) if c.number is not None else None
    if c.numbering == "q":
        num_score = PROSE_NUMBER_SCORE if c.prose_number else NUMBER_SCORE
    elif c.numbering == "bare":
        standalone = c.end >= le or c.cue is not None
        num_score = BARE_NUMBER_SCORE if (standalone or bare_headings) else LIST_NUMBER_SCORE
    else:
        num_score = 0.0
    best_text_j = max(range(len(questions)), key=lambda j: text_scores[j]) if questions else -1
    for j, _q in enumerate(questions):
        t = text_scores[j]
        if num_j == j:
            if t > 0:
                c.scores[j], c.methods[j] = min(1.0, num_score + (1 - num_score) * t), "number+text"
            else:
                score = num_score
                # The line's text names another question: trust the number less.
                if best_text_j != j and text_scores[best_text_j] >= 0.85:
                    score -= 0.3
                    c.conflict = (
                        f"heading number {c.number} but its text matches "
                        f"{questions[best_text_j].label}"
                    )
                c.scores[j], c.methods[j] = score, "number"
        elif t > 0:
            # Text alone; a conflicting number (Q2 with Q3's text) weakens it a little.
            penalty = 0.1 if num_j is not None else 0.0
            c.scores[j], c.methods[j] = max(0.0, t - penalty), "text"
    if c.number is not None and num_j is None and c.numbering == "q":
        c.unknown_number = True


def _candidates(
    text: str, cues: list[tuple[int, int, str]], questions: tuple[Question, ...]
) -> list[_Candidate]:
    raw = [_make_candidate(text, ls, le, cues) for ls, le in _segments(text)]
    # Document style: styled headings (Q-numbers, or cue lines that name a
    # question) mean plain lines must repeat a question near-verbatim.
    styled = 0
    for c in raw:
        if c.numbering == "q" and not c.prose_number:
            styled += 1
        elif c.cue is not None:
            if any(max(text_similarity(c.plain_text, q)) >= 0.6 for q in questions):
                styled += 1
    styled_doc = styled >= 2
    # Bare numbers followed by text count as headings only when, across the
    # document, they run strictly upwards (a list inside an answer restarts at 1).
    # Numbered paragraphs of a letter also run upwards, so the run must also
    # fit the consultation's numbers.
    bare = [c.number for c in raw if c.numbering == "bare"]
    numbers = {q.number for q in questions if q.number is not None}
    bare_headings = (
        len(bare) >= 2
        and not any(c.numbering == "q" for c in raw)
        and all(a < b for a, b in zip(bare, bare[1:], strict=False))
        and set(bare) <= numbers
    )
    for c in raw:
        _score_candidate(text, c, questions, styled_doc, bare_headings)
    return [
        c
        for c in _merge_number_lines(raw, questions)
        if c.scores or c.unknown_number or _question_shaped(c)
    ]


def _merge_number_lines(raw: list[_Candidate], questions: tuple[Question, ...]) -> list[_Candidate]:
    """Join a number alone on its line ("Question 1") to the question text on the next line."""
    numbered = {q.number: j for j, q in enumerate(questions) if q.number is not None}
    out: list[_Candidate] = []
    skip = False
    for i, c in enumerate(raw):
        if skip:
            skip = False
            continue
        j = numbered.get(c.number) if c.number is not None else None
        nxt = raw[i + 1] if i + 1 < len(raw) else None
        if (
            j is not None
            and c.end >= c.line_end
            and nxt is not None
            and nxt.number is None
            and nxt.methods.get(j) == "text"
        ):
            base = c.scores[j]
            nxt.start, nxt.number, nxt.numbering = c.start, c.number, c.numbering
            nxt.scores[j] = min(1.0, base + (1 - base) * nxt.scores[j])
            nxt.methods[j] = "number+text"
            out.append(nxt)
            skip = True
        else:
            out.append(c)
    return out


# --- assignment -------------------------------------------------------------


def _chain(cands: list[_Candidate]) -> list[tuple[int, int]]:
    """Best monotonic assignment: [(candidate index, question index)], by DP.

    State = index of the last question assigned; each candidate is skipped or
    assigned to a later question. Gain = score - ACCEPT, plus NEXT_BONUS when
    it is the very next question, minus SKIP_PENALTY per question skipped.
    """
    best: dict[int, tuple[float, tuple[tuple[int, int], ...]]] = {-1: (0.0, ())}
    for ci, c in enumerate(cands):
        updates = {}
        for last, (gain, path) in best.items():
            for j, s in c.scores.items():
                if j <= last:
                    continue
                g = s - ACCEPT + (NEXT_BONUS if j == last + 1 else -SKIP_PENALTY * (j - last - 1))
                if g <= 0:
                    continue
                total = gain + g
                if j not in updates or total > updates[j][0]:
                    updates[j] = (total, (*path, (ci, j)))
        for j, val in updates.items():
            if j not in best or val[0] > best[j][0]:
                best[j] = val
    return list(max(best.values(), key=lambda v: v[0])[1])


def _assign(cands: list[_Candidate], questions: tuple[Question, ...]) -> list[_Heading]:
    chain = _chain(cands)
    headings = [
        _Heading(cands[ci], j, cands[ci].scores[j], cands[ci].methods[j]) for ci, j in chain
    ]
    in_chain = {ci for ci, _ in chain}
    for ci, c in enumerate(cands):
        if ci in in_chain:
            continue
        j, s = c.best()
        # A numbered heading, or the question repeated near-verbatim; a looser
        # match outside the order (a title echoing the question) is not enough.
        if j < 0 or s < (STRONG if c.numbering == "q" else VERBATIM):
            continue
        headings.append(_Heading(c, j, s, c.methods[j]))
    headings.sort(key=lambda h: h.cand.start)
    _order_only(cands, headings, len(questions))
    # Warnings for order and duplicates.
    seen: dict[int, int] = {}
    max_j = -1
    for h in headings:
        q = questions[h.qindex]
        if h.qindex in seen:
            h.warnings.append(
                f"duplicate: {q.label} is answered more than once (see also offset {seen[h.qindex]})"
            )
        elif h.qindex < max_j:
            h.warnings.append(f"out of order: {q.label} comes after {questions[max_j].label}")
        seen.setdefault(h.qindex, h.cand.start)
        max_j = max(max_j, h.qindex)
        if h.cand.conflict:
            h.warnings.append(h.cand.conflict)
        if h.method == "order":
            h.warnings.append(
                f"matched by position only: the heading names no question; check it is {q.label}"
            )
        elif h.method == "number" and h.cand.numbering == "bare" and h.cand.end < h.cand.line_end:
            h.warnings.append(
                f"a numbered paragraph was taken as {q.label} from its number alone; check"
            )
        elif h.method == "text" and h.score < 0.75:
            h.warnings.append(
                f"heading only paraphrases {q.label} (score {h.score:.2f}); check the match"
            )
        elif h.score < 0.6:
            h.warnings.append(f"weak heading match ({h.score:.2f}): check the answer is {q.label}")
    return headings


def _question_shaped(c: _Candidate) -> bool:
    return c.cue is not None and c.plain_text.rstrip(" *_'\"’”").endswith("?")


def _order_only(cands: list[_Candidate], headings: list[_Heading], n_questions: int) -> None:
    """Place styled question-shaped headings that name no question by their position.

    A bold/heading line ending in '?' that lies after the heading of question
    a, where question a+1 is unanswered and comes before the next heading's
    question, is taken as question a+1 (method ``order``).
    """
    used = {id(h.cand) for h in headings}
    taken = {h.qindex for h in headings}
    for c in cands:
        if id(c) in used or c.scores or not _question_shaped(c):
            continue
        before = [h.qindex for h in headings if h.cand.start < c.start]
        after = [h.qindex for h in headings if h.cand.start > c.start]
        if not before:
            continue  # before the first heading: part of the preamble
        j = before[-1] + 1
        limit = after[0] if after else n_questions
        if j < limit and j not in taken:
            c.end = c.line_end
            headings.append(_Heading(c, j, ORDER_SCORE, "order"))
            taken.add(j)
            headings.sort(key=lambda h: h.cand.start)


# --- rows -------------------------------------------------------------------


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _closing_start(text: str, s: int, e: int) -> int | None:
    """Start of a sign-off or contact block within text[s:e] (the last answer), if any.

    Looked for at the start of every line but the answer's first, and after a
    sentence end within a line (PDF text joins lines into paragraphs).
    """
    starts: list[tuple[int, int, bool]] = []  # (start, line end, at a line start)
    for i, (ls, le) in enumerate(_line_spans(text[s:e])):
        ls, le = ls + s, le + s
        if i > 0:
            starts.append((ls, le, True))
        for m in _SENTENCE_END_RE.finditer(text, ls, le):
            starts.append((m.end(), le, False))
    for pos, le, at_line_start in sorted(starts):
        rest = re.sub(r"[*_#]", "", text[pos:le]).strip()
        words = len(rest.split())
        if _SIGN_OFF_RE.match(rest) and words <= 6:
            return pos
        if _CLOSING_HEAD_RE.match(rest) and words <= 8:
            return pos
        if at_line_start and words <= 40 and _CONTACT_RE.search(rest):
            return pos
    return None


def _row(
    doc: schemas.Document,
    qid: str,
    qnum,
    s: int,
    e: int,
    method: str,
    score: float,
    heading: tuple[str, int] | None = None,
    tick_box=None,
    warnings=(),
) -> dict:
    s, e = _strip_span(doc.text, s, e)
    return {
        "respondent_id": doc.respondent_id,
        "question_id": qid,
        "question_number": qnum,
        "start": s,
        "end": e,
        "answer_text": doc.text[s:e],
        "heading_text": heading[0] if heading else None,
        "heading_start": heading[1] if heading else None,
        "match_method": method,
        "match_score": float(score),
        "tick_box": tick_box,
        "warning": "; ".join(warnings) if warnings else None,
    }


def _survey_rows(doc: schemas.Document, consultation: Consultation) -> list[dict]:
    rows = []
    for qid, (s, e, tick) in sorted(doc.survey_answers.items(), key=lambda kv: kv[1][:2]):
        try:
            q = consultation.question(qid)
        except KeyError as exc:
            raise ValueError(
                f"{doc.source_file}: survey answer for unknown question {qid!r}; "
                f"known: {consultation.question_ids}"
            ) from exc
        rows.append(_row(doc, qid, q.number, s, e, "survey_column", 1.0, tick_box=tick))
    return rows


def _extend_wrapped(
    text: str, headings: list[_Heading], questions: tuple[Question, ...]
) -> list[_Heading]:
    """Extend a heading over following lines that continue the question's wording.

    A question wrapped onto two lines (a Word line break, an unjoined PDF
    line) would otherwise leave its second half at the top of the answer.
    The next line must be a near-exact piece of the question and make the
    heading as a whole closer to it. A second half that was itself taken as a
    heading for the same question is swallowed.
    """
    out: list[_Heading] = []
    for i, h in enumerate(headings):
        c = h.cand
        if out and c.start < out[-1].cand.end:
            continue  # swallowed by the heading before
        out.append(h)
        if h.method not in ("text", "number+text") or c.end < c.line_end:
            continue
        later = [g.cand.start for g in headings[i + 1 :] if g.qindex != h.qindex]
        limit = later[0] if later else len(text)
        variants = _variants(questions[h.qindex])
        for _ in range(3):
            m = re.compile(r"\s*([^\n]+)").match(text, c.end, limit)
            if not m:
                break
            line = _norm(m.group(1))
            piece = (
                max(fuzz.partial_ratio(line, v.norm) for v in variants) if len(line) >= 10 else 0
            )
            before = max(fuzz.ratio(_norm(text[c.rest : c.end]), v.norm) for v in variants)
            after = max(fuzz.ratio(_norm(text[c.rest : m.end(1)]), v.norm) for v in variants)
            if piece < 95 or after <= before:
                break
            c.end = c.line_end = m.end(1)
    return out


def _warn_unknown_numbers(
    text: str, cands: list[_Candidate], headings: list[_Heading], rows: list[dict]
) -> None:
    """Warn on the answer that contains a numbered heading naming no question."""
    used = {id(h.cand) for h in headings}
    for c in cands:
        if not c.unknown_number or id(c) in used:
            continue
        for r in rows:
            if r["start"] <= c.start < max(r["end"], r["start"] + 1):
                w = (
                    f"heading {text[c.line_start : c.line_end][:60]!r}: number {c.number} is "
                    "not a question in this consultation; kept inside this answer"
                )
                r["warning"] = f"{r['warning']}; {w}" if r["warning"] else w
                break


def segment_document(doc: schemas.Document, consultation: Consultation) -> pd.DataFrame:
    """ANSWERS rows for one document, in document order.

    For every row ``doc.text[start:end] == answer_text`` and the span has no
    surrounding whitespace. Survey rows (``doc.survey_answers``) are taken as
    given; free text is segmented by heading detection (module docstring).
    """
    if doc.survey_answers is not None:
        return schemas.conform(
            pd.DataFrame(_survey_rows(doc, consultation), columns=schemas.ANSWERS.names),
            schemas.ANSWERS,
        )
    text = doc.text
    questions = consultation.questions
    cands = _candidates(text, list(doc.cues or []), questions)
    headings = _assign(cands, questions)
    headings = _extend_wrapped(text, headings, questions)
    rows: list[dict] = []
    if not headings:
        w = ["no question headings found: whole response kept as unstructured"]
        log.warning("%s: %s", doc.source_file, w[0])
        rows.append(
            _row(doc, schemas.UNSTRUCTURED, None, 0, len(text), "unstructured", 0.0, warnings=w)
        )
        return schemas.conform(pd.DataFrame(rows), schemas.ANSWERS)
    first = headings[0].cand.start
    if text[:first].strip():
        rows.append(_row(doc, schemas.PREAMBLE, None, 0, first, "preamble", 1.0))
    for i, h in enumerate(headings):
        c, q = h.cand, questions[h.qindex]
        body_end = headings[i + 1].cand.start if i + 1 < len(headings) else len(text)
        closing = None
        if i + 1 == len(headings):
            closing = _closing_start(text, c.end, body_end)
            if closing is not None:
                body_end = closing
        warnings = list(h.warnings)
        if not text[c.end : body_end].strip():
            warnings.append(f"heading for {q.label} has no answer text")
        hs, he = _strip_span(text, c.start, c.end)
        rows.append(
            _row(
                doc,
                q.id,
                q.number,
                c.end,
                body_end,
                h.method,
                round(h.score, 3),
                heading=(text[hs:he], hs),
                warnings=warnings,
            )
        )
        if closing is not None:
            rows.append(_row(doc, schemas.CLOSING, None, closing, len(text), "closing", 1.0))
    _warn_unknown_numbers(text, cands, headings, rows)
    for r in rows:
        if r["warning"]:
            log.info("%s: %s: %s", doc.source_file, r["question_id"], r["warning"])
    return schemas.conform(pd.DataFrame(rows), schemas.ANSWERS)


# --- summaries for the ingest notebook ---------------------------------------


def answer_matrix(answers: pd.DataFrame, consultation: Consultation) -> pd.DataFrame:
    """Respondent x question table of answer lengths in words (0 = not answered).

    Columns are the consultation's questions in order (labelled ``Q1``,
    ``Capacity``...), then ``unstructured`` if any response had no headings.
    Preamble and closing text are not answers and are left out.
    """
    special = {schemas.PREAMBLE, schemas.CLOSING}
    rows = answers[~answers["question_id"].isin(special)]
    words = rows["answer_text"].str.split().str.len().fillna(0).astype("int64")
    table = (
        pd.DataFrame(
            {
                "respondent_id": rows["respondent_id"],
                "question_id": rows["question_id"],
                "words": words,
            }
        )
        .groupby(["respondent_id", "question_id"], sort=False)["words"]
        .sum()
        .unstack(fill_value=0)
    )
    columns = list(consultation.question_ids)
    if schemas.UNSTRUCTURED in table.columns:
        columns.append(schemas.UNSTRUCTURED)
    respondents = list(dict.fromkeys(answers["respondent_id"]))
    table = table.reindex(index=respondents, columns=columns, fill_value=0).astype("int64")
    labels = {
        q.id: (f"Q{q.number}" if q.number is not None else q.label.split(":")[0])
        for q in consultation.questions
    }
    table.columns = [labels.get(c, c) for c in table.columns]
    table.index.name = "respondent_id"
    return table


def warnings_table(answers: pd.DataFrame) -> pd.DataFrame:
    """One row per segmentation warning: respondent, question, heading and the warning."""
    cols = [
        "respondent_id",
        "question_id",
        "heading_text",
        "match_method",
        "match_score",
        "warning",
    ]
    out = answers.loc[answers["warning"].notna(), cols]
    return out.reset_index(drop=True)


def answer_preview(answers: pd.DataFrame, n_words: int = 12) -> pd.DataFrame:
    """Each answer's first ``n_words`` words (with '…' when cut), for a quick visual check."""

    def first_words(text: str) -> str:
        words = text.split()
        return " ".join(words[:n_words]) + (" …" if len(words) > n_words else "")

    out = answers.loc[:, ["respondent_id", "question_id", "match_method", "match_score"]].copy()
    out["n_words"] = answers["answer_text"].str.split().str.len().fillna(0).astype("int64")
    out["first_words"] = answers["answer_text"].map(first_words).astype("string")
    return out.reset_index(drop=True)
