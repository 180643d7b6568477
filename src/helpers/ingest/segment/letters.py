"""Letters: a response with no headings, split into paragraphs assigned to questions by content.

People who write a letter or an e-mail in prose answer the questions without
naming them: "I support the low-traffic neighbourhood", "As for when you
start, January seems sensible". When heading detection finds nothing,
``split_letter`` reads the letter paragraph by paragraph and assigns a
paragraph to a question only when the evidence is clear:

1. **Explicit reference** in its first sentence: "As to question 3",
   "In answer to question two", "Regarding your first question", "On the
   effects question" (words before "question" that name one question's topic).
2. **Topic** in its lead (first two sentences): the question's *distinctive*
   word stems (found in its text, short label, aliases or ``keywords`` and in
   no other question's) and distinctive two-word phrases ("bus gate",
   "good looks"); for a closed question, a stance sentence ("I support",
   "seems sensible") adds to the topic. The best question must score at least
   ``MIN_SCORE`` and twice the runner-up.
3. **Order**: letters answer in the consultation's order. A paragraph that
   goes back to an earlier question needs ``STRONG_SCORE`` in its lead (a
   phrase of the question, say); one whose topic only shows after its lead
   needs ``STRONG_SCORE`` and to be about the question after the previous
   paragraph's.
4. **Continuation**: a paragraph with no evidence of its own that opens with
   "also", "in addition" ... goes on with the answer before it.

Precision matters more than recall: a paragraph that is an address, a
greeting, a subject line, an introduction ("I am writing in response to your
consultation on ...") or names no question clearly is not assigned, nor is
anything after the sign-off. Profile questions ("in what capacity ...") are
assigned only by explicit reference. Consecutive paragraphs on one question
are one piece. Everything is linear in the letter's length: each paragraph's
lead is compared with each question's vocabulary once.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from helpers.core.consultation import Question
from helpers.core.text import strip_span
from helpers.ingest.segment.similarity import _STOPWORDS, _stem

log = logging.getLogger(__name__)

__all__ = [
    "MARGIN",
    "MIN_SCORE",
    "STRONG_SCORE",
    "Piece",
    "inner_answers",
    "lead_scores",
    "lead_sentences",
    "letter_patterns",
    "split_letter",
]

MIN_SCORE = 3.0  # topic evidence in the lead needed to assign a paragraph...
STRONG_SCORE = 4.0  # ...and needed outside the lead, or out of the questions' order
MARGIN = 2.0  # the best question must score this many times the runner-up
_PHRASE_WEIGHT = 2.0  # a distinctive two-word phrase counts as two more stems
_TEXT_WEIGHT = 0.5  # a word or phrase found only in the question's full text
_TEXT_CAP = 1.0  # at most this much from words and phrases of the full text alone
_STANCE_WEIGHT = 2.0  # a stance sentence, with a closed question's topic word
_MIN_WORDS = 8  # a paragraph shorter than this is a heading, greeting or address line
_CONTINUATION_WORDS = 5  # "also" within the first five words continues the answer


@dataclass(frozen=True)
class Piece:
    """A span of the letter: one question's answer, or text assigned to none.

    ``question_id`` is None for text assigned to no question; ``closing`` marks
    the sign-off and what follows it. ``reason`` says what the assignment
    rests on, for the researcher who checks it.
    """

    question_id: str | None
    start: int
    end: int
    score: float = 0.0
    reason: str = ""
    closing: bool = False


@lru_cache(maxsize=1)
def _cues() -> dict:
    text = resources.files("helpers").joinpath("data/letter_cues_en.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _phrase_re(words) -> re.Pattern[str]:
    # Either apostrophe: "i'm" in the list matches "I’m" in a Word document.
    alts = sorted(
        (re.escape(w).replace(r"\ ", r"\s+").replace("'", "['’]") for w in words),
        key=len,
        reverse=True,
    )
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b", re.I)


@lru_cache(maxsize=1)
def letter_patterns() -> dict[str, re.Pattern[str]]:
    """The letter rules' compiled cue patterns, by name: ``number`` ("question 3", "Q.2"),
    ``ordinal`` ("the second question"), ``named`` ("the timing question"), ``stance``,
    ``continuation``, ``intro`` and ``intro_always`` (from ``letter_cues_en.yaml``).
    Public: the letter decoder and the short-message rule read the same cues."""
    c = _cues()
    numbers = "|".join([r"\d{1,2}", *c["number_words"], r"[ivx]{1,5}"])
    ordinals = "|".join([*c["ordinals"], *c["last_words"]])
    return {
        "number": re.compile(rf"\b(?:question|q)\s*\.?\s*(?:no\.?\s*)?({numbers})\b", re.I),
        "ordinal": re.compile(rf"\b({ordinals})\s+question\b", re.I),
        "named": re.compile(r"\b(?:the|your)\s+((?:[\w'-]+\s+){1,3}?)question\b", re.I),
        "stance": _phrase_re(c["stance"]),
        "continuation": _phrase_re(c["continuation"]),
        "intro": _phrase_re(c["intro"]),
        "intro_always": _phrase_re(c["intro_always"]),
    }


_patterns = letter_patterns  # the old private name, kept for existing importers

_PARA_BREAK_RE = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE_RE = re.compile(r"[^.!?]*(?:[.!?]+[\"'”’)]*(?=\s|$)|$)")
_WORD_RE = re.compile(r"[a-z0-9]+")
_SIGN_OFF_RE = re.compile(
    r"^\W*(yours\s+(sincerely|faithfully|truly)|(kind|best|warm|many)(est)?\s+(regards|wishes|thanks)"
    r"|regards|thanks|thank\s+you|with\s+thanks|best|cheers)\b[^.!?\n]{0,40}$",
    re.I | re.M,
)
_ROMAN = {"i": 1, "v": 5, "x": 10}


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    cues = _cues()
    return _STOPWORDS | frozenset(cues["extra_stopwords"]) | frozenset(cues["number_words"])


def _stems(text: str) -> list[str]:
    """Content-word stems of ``text``, in order."""
    return [s for s in _stem_seq(text) if s]


def _stem_seq(text: str) -> list[str]:
    """Stems of ``text``'s words in order, "" for a stopword (so phrases do not span one)."""
    stop = _stopwords()
    words = _WORD_RE.findall(text.lower().replace("’", "'"))
    return ["" if w in stop else _stem(w) for w in words]


def _pairs(seq: list[str]) -> set[tuple[str, str]]:
    """Two-word phrases of adjacent content words ("bus gate", not "look [at] care")."""
    return {(a, b) for a, b in zip(seq, seq[1:], strict=False) if a and b}


def _roman(s: str) -> int | None:
    total = prev = 0
    for ch in reversed(s.lower()):
        v = _ROMAN.get(ch)
        if v is None:
            return None
        total, prev = (total - v, prev) if v < prev else (total + v, v)
    return total or None


@dataclass(frozen=True)
class _Vocab:
    """Each question's distinctive stems and two-word phrases (in no other question's), weighted.

    Words of the question's short label, aliases and ``keywords`` (what a
    researcher chose to name the question by) weigh more than words found
    only in its full text, which carries filler ("take into account",
    "setting out") that answers to other questions use too.
    """

    stems: tuple[dict[str, float], ...]
    phrases: tuple[dict[tuple[str, str], float], ...]


@lru_cache(maxsize=32)
def _vocab(questions: tuple[Question, ...]) -> _Vocab:
    stems: list[dict[str, float]] = []
    phrases: list[dict[tuple[str, str], float]] = []
    for q in questions:
        labels = [_stem_seq(t) for t in (q.short or "", *q.aliases, *getattr(q, "keywords", ()))]
        full = _stem_seq(q.text)
        st = dict.fromkeys(filter(None, full), _TEXT_WEIGHT)
        ph = dict.fromkeys(_pairs(full), _TEXT_WEIGHT)
        for seq in labels:
            st.update(dict.fromkeys(filter(None, seq), 1.0))
            ph.update(dict.fromkeys(_pairs(seq), _PHRASE_WEIGHT))
        stems.append(st)
        phrases.append(ph)
    s_df = Counter(s for st in stems for s in st)
    p_df = Counter(p for ph in phrases for p in ph)
    return _Vocab(
        tuple({s: w for s, w in st.items() if s_df[s] == 1} for st in stems),
        tuple({p: w for p, w in ph.items() if p_df[p] == 1} for ph in phrases),
    )


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph (text between blank lines), stripped."""
    spans, pos = [], 0
    for m in _PARA_BREAK_RE.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        s, e = strip_span(text, s, e)
        if e > s:
            out.append((s, e))
    return out


def _sentences(para: str, n: int) -> list[str]:
    out = []
    for m in _SENTENCE_RE.finditer(para):
        if m.group().strip():
            out.append(m.group().strip())
            if len(out) == n:
                break
    return out


def _explicit(first: str, questions: tuple[Question, ...], vocab: _Vocab) -> int | None:
    """Index of the question the first sentence names ("question 3", "your second question")."""
    pats, cues = _patterns(), _cues()
    numbered = {q.number: i for i, q in enumerate(questions) if q.number is not None}
    found: set[int] = set()
    for m in pats["number"].finditer(first):
        tok = m.group(1).lower()
        n = int(tok) if tok.isdigit() else cues["number_words"].get(tok) or _roman(tok)
        if n in numbered:
            found.add(numbered[n])
    for m in pats["ordinal"].finditer(first):
        tok = m.group(1).lower()
        n = max(numbered) if tok in cues["last_words"] and numbered else cues["ordinals"].get(tok)
        if n in numbered:
            found.add(numbered[n])
    if not found:
        for m in pats["named"].finditer(first):
            words = set(_stems(m.group(1)))
            hits = {i for i, st in enumerate(vocab.stems) if words & st.keys()}
            if len(hits) == 1:
                found |= hits
    return found.pop() if len(found) == 1 else None


def _topic_scores(
    text: str, questions: tuple[Question, ...], vocab: _Vocab, stance: bool
) -> list[float]:
    seq = _stem_seq(text)
    words, pairs = set(filter(None, seq)), _pairs(seq)
    scores = []
    for i, q in enumerate(questions):
        if q.kind == "profile":
            scores.append(0.0)
            continue
        st, ph = vocab.stems[i], vocab.phrases[i]
        # Words of the full text alone count for little (_TEXT_CAP): a
        # question must be named by its label words, a phrase or a stance.
        hits = [st[w] for w in words & st.keys()] + [ph[p] for p in pairs & ph.keys()]
        s = sum(h for h in hits if h >= 1.0) + min(_TEXT_CAP, sum(h for h in hits if h < 1.0))
        if s and stance and q.kind == "closed":
            s += _STANCE_WEIGHT
        scores.append(float(s))
    return scores


def lead_scores(text: str, questions: tuple[Question, ...]) -> list[float]:
    """Topic evidence of ``text`` (a section's heading and lead) for each question.

    The same evidence a letter's paragraph is judged by: each question's
    distinctive label words and phrases, plus a stance sentence for a closed
    question whose topic is named. Profile questions score 0.
    """
    questions = tuple(questions)
    stance = bool(_patterns()["stance"].search(text))
    return _topic_scores(text, questions, _vocab(questions), stance)


def lead_sentences(text: str, n: int = 2) -> str:
    """The first ``n`` sentences of ``text``, joined."""
    return " ".join(_sentences(text, n))


def _best(scores: list[float], minimum: float) -> int | None:
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    if not order or scores[order[0]] < minimum:
        return None
    runner_up = scores[order[1]] if len(order) > 1 else 0.0
    return order[0] if scores[order[0]] >= MARGIN * runner_up else None


def _assign(
    para: str, questions: tuple[Question, ...], vocab: _Vocab, prev: int | None
) -> tuple[int | None, float, str]:
    """(question index or None, score, reason) for one prose paragraph."""
    pats = _patterns()
    lead = _sentences(para, 2)
    first = lead[0] if lead else para
    i = _explicit(first, questions, vocab)
    if i is not None:
        return i, 1.0, "explicit reference"
    if pats["intro_always"].search(first) or (
        pats["intro"].search(first) and not pats["stance"].search(first)
    ):
        return None, 0.0, ""
    lead_text = " ".join(lead)
    scores = _topic_scores(lead_text, questions, vocab, bool(pats["stance"].search(lead_text)))
    i = _best(scores, MIN_SCORE)
    if i is not None and (prev is None or i >= prev or scores[i] >= STRONG_SCORE):
        return i, scores[i], "topic words"
    if i is None and max(scores, default=0.0) > 0:
        # Topic words in the lead, but not clearly one question's: which ones.
        weak = [str(j) for j, x in enumerate(scores) if x >= MIN_SCORE / 2]
        return None, 0.0, " ".join(["weak", *weak])
    # After the lead only for the next question in order: a topic named in
    # passing ("it also said nothing about X") is weaker evidence.
    scores = _topic_scores(para, questions, vocab, False)
    i = _best(scores, STRONG_SCORE)
    nxt = (
        next((j for j in range(prev + 1, len(questions)) if questions[j].kind != "profile"), None)
        if prev is not None
        else None
    )
    if i is not None and i == nxt:
        return i, scores[i], "topic words after the lead"
    return None, 0.0, ""


def _in_order(labels: list[tuple[int | None, float, str]]) -> bool:
    """Whether the paragraphs assigned by content answer the questions in order.

    Each question's paragraphs must be one run (a prose paragraph assigned to
    no question ends it), and the runs must follow the consultation's order. A letter whose topic words point back and forth
    (a question's phrase echoed in the answers to others) gives no clear
    evidence, and then only explicit references ("as to question 3") count;
    so does a letter whose leads name fewer than two questions (one echo of a
    question's phrase in a letter is not a letter that answers the questions).
    """
    seen: list[int] = []
    gap = False  # a prose paragraph assigned to no question since the last assigned one
    for i, _, reason in labels:
        if reason == "explicit reference":
            continue
        if i is None:
            gap = gap or reason != "short"
            continue
        if seen and seen[-1] == i and not gap:
            continue
        if seen and i <= seen[-1]:
            return False
        seen.append(i)
        gap = False
    return True


def _between_neighbours(
    text: str,
    paras: list[tuple[int, int]],
    labels: list[tuple[int | None, float, str]],
    questions: tuple[Question, ...],
    vocab: _Vocab,
) -> None:
    """Second pass: a prose paragraph whose lead names two questions, judged in order.

    A paragraph whose lead scores, say, 5 for Q1 and 3 for Q3 fails the
    margin on its own; but when the nearest paragraphs assigned by topic
    around it answer Q2 after it, Q3 cannot be its question in a letter that
    answers in order. Only the questions from the previous assigned one to
    the next assigned one (inclusive) are compared, and the best of them
    must still score ``MIN_SCORE`` and ``MARGIN`` times the runner-up among
    them, and be the best of all questions: the order may rule out a
    runner-up, never overrule the content's leader. Needs an assigned neighbour on at least one side; a paragraph the
    first pass judged an introduction stays unassigned. Linear: each prose
    paragraph's lead is scored once more.
    """
    pats = _patterns()
    assigned = [
        (k, i) for k, (i, _, r) in enumerate(labels) if i is not None and r == "topic words"
    ]
    for k, (i, _, reason) in enumerate(labels):
        if i is not None or reason != "prose":
            continue
        before = [q for j, q in assigned if j < k]
        after = [q for j, q in assigned if j > k]
        if not before and not after:
            continue
        lo = before[-1] if before else 0
        hi = after[0] if after else len(questions) - 1
        if lo > hi:
            continue
        para = text[paras[k][0] : paras[k][1]]
        lead = _sentences(para, 2)
        first = lead[0] if lead else para
        if pats["intro_always"].search(first) or (
            pats["intro"].search(first) and not pats["stance"].search(first)
        ):
            continue
        lead_text = " ".join(lead)
        scores = _topic_scores(lead_text, questions, vocab, bool(pats["stance"].search(lead_text)))
        window = [scores[j] if lo <= j <= hi else 0.0 for j in range(len(scores))]
        j = _best(window, MIN_SCORE)
        if j is not None and scores[j] >= max(
            scores
        ):  # the order drops a runner-up, never the leader
            labels[k] = (j, window[j], "topic words, in order")


def split_letter(text: str, questions: tuple[Question, ...]) -> list[Piece]:
    """Pieces covering ``text`` in order, or [] when no paragraph names a question clearly."""
    questions = tuple(questions)
    vocab = _vocab(questions)
    pats = _patterns()
    labels: list[tuple[int | None, float, str]] = []
    paras = _paragraphs(text)
    closing_at = len(paras)
    prev: int | None = None
    for k, (s, e) in enumerate(paras):
        para = text[s:e]
        if _SIGN_OFF_RE.match(para) and k > 0:
            closing_at = k
            break
        if len(para.split()) < _MIN_WORDS:
            labels.append((None, 0.0, "short"))
            continue
        i, score, reason = _assign(para, questions, vocab, prev)
        log.debug("paragraph %d: %s %.1f %s", k, i, score, reason)
        if i is None and labels and labels[-1][0] is not None:
            opening = " ".join(para.split()[:_CONTINUATION_WORDS])
            weak = reason.split()[1:] if reason.startswith("weak") else []
            if pats["continuation"].search(opening) and set(weak) <= {str(labels[-1][0])}:
                i, score, reason = labels[-1][0], labels[-1][1], "continues the paragraph before"
        labels.append((i, score, reason if i is not None else "prose"))
        if i is not None:
            prev = i
    _between_neighbours(text, paras, labels, questions, vocab)
    by_topic = {i for i, _, r in labels if i is not None and r.startswith("topic words")}
    if not _in_order(labels) or len(by_topic) < 2:
        log.debug("content assignments out of order: only explicit references kept")
        labels = [
            (i, sc, r) if r == "explicit reference" else (None, 0.0, "") for i, sc, r in labels
        ]
    if all(i is None for i, _, _ in labels):
        return []
    pieces: list[Piece] = []
    for k, (i, score, reason) in enumerate(labels):
        qid = questions[i].id if i is not None else None
        s = paras[k][0] if k else 0
        if pieces and pieces[-1].question_id == qid:
            last = pieces.pop()
            s, score = last.start, max(score, last.score)
            reason = last.reason if reason in last.reason else f"{last.reason}; {reason}"
        pieces.append(Piece(qid, s, paras[k][1], score, reason))
    if closing_at < len(paras):
        pieces.append(Piece(None, paras[closing_at][0], len(text), closing=True))
    else:
        last = pieces.pop()
        pieces.append(Piece(last.question_id, last.start, len(text), last.score, last.reason))
    return pieces


def inner_answers(
    text: str, start: int, end: int, questions: tuple[Question, ...], headed: set[int]
) -> list[tuple[int, int, str]]:
    """Paragraphs inside one heading's answer that start the answer to another question.

    A respondent who has no heading for a question sometimes answers it in a
    later paragraph of another answer: "Finally, and in relation to the
    Public Sector Equality Duty, ...". Such a paragraph (never the answer's
    first) starts that question's answer when its first sentence names a
    question with no heading in the document: by explicit reference, or by
    its label words and phrases scoring ``2 * STRONG_SCORE`` and twice any
    other question (a passing mention scores far less). Returns (paragraph
    start, question index, reason) in order; the answer then runs to the
    next such paragraph or to the end of ``text[start:end]``.
    """
    questions = tuple(questions)
    vocab = _vocab(questions)
    out: list[tuple[int, int, str]] = []
    taken = set(headed)
    for k, (s, e) in enumerate(_paragraphs(text[start:end])):
        para = text[start + s : start + e]
        if k == 0 or len(para.split()) < _MIN_WORDS:
            continue
        lead = _sentences(para, 1)
        first = lead[0] if lead else para
        i, reason = _explicit(first, questions, vocab), "explicit reference"
        if i is None:
            i, reason = (
                _best(_topic_scores(first, questions, vocab, False), 2 * STRONG_SCORE),
                "topic words",
            )
        if i is not None and i not in taken and questions[i].kind != "profile":
            out.append((start + s, i, reason))
            taken.add(i)
    return out
