"""How alike a heading is to a question: verbatim (characters) and paraphrase (word stems).

Used to score candidate headings (``headings``) and to extend a heading over
the wrapped second half of its question (``assign``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import yaml
from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from helpers.core.consultation import Question
from helpers.core.stemming import stem
from helpers.ingest.segment import intents
from helpers.ingest.segment.numbering import heading_words

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
_SHORT_WORDING = 30  # characters: a short label or alias, compared more strictly


@cache
def _synonyms() -> dict[str, str]:
    """Stem -> its group's first stem, from ``helpers/data/heading_synonyms.yaml``."""
    raw = yaml.safe_load(
        resources.files("helpers").joinpath("data", "heading_synonyms.yaml").read_text("utf-8")
    )
    out: dict[str, str] = {}
    for group in raw or []:
        first = stem(str(group[0]).lower())
        for w in group:
            out.setdefault(stem(str(w).lower()), first)
    return out


def _stem(word: str) -> str:
    """The word's Snowball stem, or its synonym group's first stem."""
    s = stem(word)
    return _synonyms().get(s, s)


def norm(s: str) -> str:
    """Lower-case words and digits only, for character-level comparison."""
    s = s.lower().replace("’", "'").replace("‘", "'")
    return " ".join(re.findall(r"[a-z0-9]+", s))


def stems(s: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in re.findall(r"[a-z0-9]+", s.lower()) if w not in _STOPWORDS)


@dataclass(frozen=True)
class Variant:
    norm: str
    stems: frozenset[str]


@lru_cache(maxsize=256)
def variants(q: Question) -> tuple[Variant, ...]:
    """The wordings a heading may repeat: the question's text, short label and aliases."""
    short = (q.short,) if q.short else ()
    return tuple(Variant(norm(t), stems(t)) for t in (q.text, *short, *q.aliases))


@lru_cache(maxsize=256)
def keyword_stems(q: Question) -> tuple[frozenset[str], ...]:
    """The stems of each of the question's ``keywords`` (key terms, never wordings)."""
    return tuple(k for k in (stems(w) for w in q.keywords) if k)


@lru_cache(maxsize=256)
def label_stems(q: Question) -> frozenset[str]:
    """The stems of the question's short label and keywords: words a one-word label may use."""
    return frozenset().union(stems(q.short or ""), *keyword_stems(q))


@lru_cache(maxsize=256)
def all_stems(q: Question) -> frozenset[str]:
    """Every stem of the question's text, short label, aliases and keywords."""
    return frozenset().union(*(v.stems for v in variants(q)), *keyword_stems(q))


def ratio_at_least(a: str, b: str, cutoff: float) -> float:
    """``fuzz.ratio(a, b, score_cutoff=cutoff)``: the ratio, or 0 when it is below ``cutoff``.

    The ratio is at most ``200 * min(len) / (len(a) + len(b))``; when that is
    below the cutoff the strings are not read at all, so comparing a
    megabyte-long line with a question costs nothing (rapidfuzz would still
    copy the line).
    """
    total = len(a) + len(b)
    if total and 200 * min(len(a), len(b)) / total < cutoff - 1e-6:
        return 0.0
    return fuzz.ratio(a, b, score_cutoff=cutoff)


def partial_at_least(needle: str, hay: str, cutoff: float) -> float:
    """``fuzz.partial_ratio(needle, hay)`` when it is at least ``cutoff``, else 0.

    Why: the best-matching window of a long question was the largest cost
    of reading a document (``similarity_from``: 0.1-1 ms a pair for lines
    over 64 characters, and nearly every line of a document is compared with
    every wording of every question), yet hardly one pair in 400 reaches
    the cutoff. Every window ``w`` of ``hay`` scores
    ``200 * LCS(needle, w) / (len(needle) + len(w))`` with
    ``LCS(needle, w) <= min(len(w), L)``, ``L = LCS(needle, hay)``, so the
    ratio is at most ``200 * L / (len(needle) + L)``; when that bound is
    below ``cutoff`` (about half the pairs, nearly all the long ones) the
    windows are not searched. ``L`` costs about a microsecond (bit-parallel).
    """
    total = len(needle) + len(hay)
    if not total:
        return fuzz.partial_ratio(needle, hay)
    lcs = LCSseq.similarity(needle, hay)
    short = min(len(needle), len(hay))
    if short and 200 * lcs / (short + lcs) < cutoff - 1e-6:
        return 0.0
    return fuzz.partial_ratio(needle, hay, score_cutoff=cutoff)


def text_similarity(heading: str, question: Question) -> tuple[float, float]:
    """(verbatim, paraphrase) similarity of ``heading`` to the question's text or aliases.

    *verbatim* is character similarity: the whole question repeated, or a
    substantial piece of it (a piece scores a little less than the whole).
    *paraphrase* is the share of the heading's content-word stems found in the
    question, boosted when the heading covers much of the question.
    """
    return similarity_from(norm(heading), stems(heading), question)


def text_similarities(heading: str, questions: Iterable[Question]) -> list[tuple[float, float]]:
    """``text_similarity`` of ``heading`` to each question, normalising the heading once.

    A candidate line can be a whole one-paragraph answer of megabytes:
    normalised and stemmed once, not once per question, it costs one pass.
    """
    questions = tuple(questions)
    if len(heading) <= _MEMO_CHARS:
        return list(_similarities(heading, questions))
    return _forms_similarities(heading, questions)


_MEMO_CHARS = 300  # lines up to this long are remembered (headings repeat across documents)


@lru_cache(maxsize=65536)
def _similarities(heading: str, questions: tuple[Question, ...]) -> tuple[tuple[float, float], ...]:
    """``text_similarities`` remembered per run of the process.

    Why: a run scores every candidate line of every document against every
    question, and the same lines recur (campaign copies, "Question 3", a
    form's labels, the same own-words headings); the fuzzy ratios were the
    largest cost of reading a document once the meaning pass was cheap
    (benchmarks/README.md). Only short lines are kept, so memory stays small.
    """
    return tuple(_forms_similarities(heading, questions))


_CAPS_RE = re.compile(r"\b[A-Z]{2,6}\b")
_WORD_RE = re.compile(r"[A-Za-z0-9]+|[^A-Za-z0-9\s-]")


@lru_cache(maxsize=256)
def acronyms(q: Question) -> dict[str, frozenset[str]]:
    """Initials of the question's runs of content words -> the stems of those words.

    Why: respondents head an answer with the scheme's initials ("LTN" for the
    low-traffic neighbourhood, "ETO" for an experimental traffic order, "PSED"
    for the Public Sector Equality Duty). A run is 2-6 consecutive words of the
    question's text, short label, aliases or keywords with no stop word or
    punctuation inside (a hyphen splits words: "low-traffic" gives L and T).
    """
    out: dict[str, set[str]] = {}
    for t in (q.text, q.short or "", *q.aliases, *q.keywords):
        run: list[str] = []
        for tok in [*_WORD_RE.findall(t), "."]:
            w = tok.lower()
            if w.isalnum() and w[0].isalpha() and w not in _STOPWORDS:
                run.append(w)
                continue
            for i in range(len(run)):
                for n in range(2, min(6, len(run) - i) + 1):
                    key = "".join(x[0] for x in run[i : i + n])
                    out.setdefault(key, set()).update(_stem(x) for x in run[i : i + n])
            run = []
    return {k: frozenset(v) for k, v in out.items()}


_LOWER_ACRONYM_RE = re.compile(r"[a-z]{2,6}")


def lower_acronym(form: str) -> str | None:
    """The form itself when it is one lower-case token of 2-6 letters ("ltn"), else None.

    Why (issue 12): a respondent typing in lower case heads an answer with the
    scheme's initials in lower case ("ltn", "eto"); ``acronyms`` reads only
    capitals, since lower-case words inside a line ("bus", "at") are words. A
    heading that is nothing but one such token is read as an acronym too; it
    counts only when its letters are the initials of a run of one question's
    words that is not the token's own word (``_forms_similarities``).
    """
    token = form.strip(" \t*#>-•:.")
    if not _LOWER_ACRONYM_RE.fullmatch(token) or token in _STOPWORDS:
        return None
    return token


_HASHTAG_RE = re.compile(r"#([A-Za-z][A-Za-z0-9]{4,39}|[0-9]{1,3}[A-Za-z]{3,30})")


@lru_cache(maxsize=256)
def _question_words(questions: tuple[Question, ...]) -> frozenset[str]:
    """Every lower-case word (and number) of the questions' text, labels, aliases and keywords."""
    words: set[str] = set()
    for q in questions:
        for t in (q.text, q.short or "", *q.aliases, *q.keywords):
            words.update(re.findall(r"[a-z]+|[0-9]+", t.lower()))
    return frozenset(words)


@lru_cache(maxsize=4096)
def _split_run(token: str, vocab: frozenset[str]) -> tuple[str, ...] | None:
    """The fewest vocabulary words (each also with a plural "s") that spell ``token``, or None."""
    n = len(token)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 1, n + 1):
            piece = token[i:j]
            ok = piece in vocab or (piece.endswith("s") and piece[:-1] in vocab)
            ok = ok and (len(piece) > 1 or piece in ("a", "i"))
            if ok and (best[j] is None or len(best[j]) > len(best[i]) + 1):
                best[j] = (*best[i], piece)
    return best[n]


def hashtag_words(heading: str, questions: tuple[Question, ...]) -> str | None:
    """A hashtag heading's run-together words spelt out with the questions' own words.

    Why (issue 12, session 17): a young respondent heads each answer with a hashtag
    ("#lowtraffic", "#whatgoodlookslike", "#18months"); as one token it shares no word
    with any question, so the answers were placed by position only. When the whole
    heading is one hashtag and its letters split into two or more words of the
    consultation's questions (fewest words; a plural "s" allowed; CamelCase splits
    first), the spelt-out words ("low traffic") are one more form of the heading. A tag
    that does not split into the questions' words is left as it is: nothing is guessed.
    """
    m = _HASHTAG_RE.fullmatch(heading.strip(" \t*>-•:.!?"))
    if m is None:
        return None
    tag = m.group(1)
    parts = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+", tag)
    vocab = _question_words(questions)
    words: list[str] = []
    for part in parts:
        split = _split_run(part.lower(), vocab)
        if split is None:
            return None
        words.extend(split)
    return " ".join(words) if len(words) >= 2 else None


def _forms_similarities(heading: str, questions: tuple[Question, ...]) -> list[tuple[float, float]]:
    """``_lead_similarities``, with a frame-only heading ("Anything else", "Our view")
    read as naming its kind of question (``intents.adjust``)."""
    scores = _lead_similarities(heading, questions)
    return intents.adjust(
        heading,
        questions,
        scores,
        lambda rest: _lead_similarities(rest, questions),
        lambda: any(stems(heading) & all_stems(q) for q in questions),
    )


def unframed_similarities(heading: str, questions: Iterable[Question]) -> list[tuple[float, float]]:
    """``text_similarities`` without the frame reading of ``intents`` (the words only)."""
    return _lead_similarities(heading, tuple(questions))


def _lead_similarities(heading: str, questions: tuple[Question, ...]) -> list[tuple[float, float]]:
    """Similarities of the heading, best over its forms: as written, and without a lead.

    A lead ("Re LTN", "Regarding the trial", "Concerning: timing") is the
    respondent saying what follows is about something, not a word of it: the
    heading is also compared without it (``reference_leads`` in
    ``heading_words.yaml``). A capitalised acronym ("LTN") whose letters are
    the initials of a run of one question's words counts as those words for
    that question (``acronyms``), and so does a heading that is only such
    initials in lower case (``lower_acronym``).
    """
    forms = [heading]
    joined = hashtag_words(heading, questions)
    if joined is not None:
        forms.append(joined)
    lead = heading_words().reference_re.match(heading.lstrip(" \t*#>-•:"))
    if lead is not None:
        rest = heading.lstrip(" \t*#>-•:")[lead.end() :].lstrip(" \t:–—-")
        if re.search(r"[A-Za-z]", rest):
            forms.append(rest)
    caps = {t for f in forms for t in _CAPS_RE.findall(f)}
    caps.update(t.upper() for f in forms if (t := lower_acronym(f)))
    prepared = [(norm(f), stems(f)) for f in forms]
    if not caps:
        # No acronym to expand: each form is scored against the whole set in one pass.
        best = [(0.0, 0.0)] * len(questions)
        for h, hs in prepared:
            scores = similarities_from(h, hs, questions)
            best = [(max(b[0], v), max(b[1], p)) for b, (v, p) in zip(best, scores, strict=True)]
        return best
    out = []
    for q in questions:
        expand = {}
        if caps:
            table, own = acronyms(q), all_stems(q)
            expand = {
                _stem(t.lower()): table[t.lower()]
                for t in caps
                if t.lower() in table and _stem(t.lower()) not in own
            }
        best_v = best_p = 0.0
        for h, hs in prepared:
            if expand and hs & expand.keys():
                hs = frozenset().union(hs - expand.keys(), *(expand[k] for k in hs & expand.keys()))
            v, p = similarity_from(h, hs, q)
            best_v, best_p = max(best_v, v), max(best_p, p)
        out.append((best_v, best_p))
    return out


@dataclass(frozen=True)
class _Wording:
    norm: str
    stems: frozenset[str]
    short: bool  # under ``_SHORT_WORDING`` characters: compared more strictly
    cutoff: float  # the whole-string ratio below which it counts nothing (80 if short, else 60)
    pool: frozenset[str]  # its stems and its question's key terms'


@dataclass(frozen=True)
class _Scored:
    """What ``similarity_from`` reads of one question, worked out once per question set."""

    wordings: tuple[_Wording, ...]
    keys: tuple[frozenset[str], ...]
    key_pool: frozenset[str]


@lru_cache(maxsize=256)
def _scored(questions: tuple[Question, ...]) -> tuple[_Scored, ...]:
    out = []
    for q in questions:
        keys = keyword_stems(q)
        pool = frozenset().union(*keys) if keys else frozenset()
        wordings = tuple(
            _Wording(v.norm, v.stems, short, 80.0 if short else 60.0, v.stems | pool)
            for v in variants(q)
            for short in [len(v.norm) < _SHORT_WORDING]
        )
        out.append(_Scored(wordings, keys, pool))
    return tuple(out)


def similarities_from(
    h: str, hs: frozenset[str], questions: tuple[Question, ...]
) -> list[tuple[float, float]]:
    """``[similarity_from(h, hs, q) for q in questions]``, the same numbers, in one pass.

    Why: every candidate line (and every cut of it) of every document is
    scored against every question; the question set's wordings, stems and
    key terms are looked up once per set (``_scored``), not once per pair,
    and a short wording's ratio is computed once, at its own cutoff.
    ``tests/test_similarity_batch.py`` checks it against ``similarity_from``.
    """
    if not h:
        return [(0.0, 0.0)] * len(questions)
    out: list[tuple[float, float]] = []
    n_h, n_hs = len(h), len(hs)
    for sq in _scored(questions):
        verbatim = para = 0.0
        keys = sq.keys
        key_hit = any(k <= hs for k in keys)
        for w in sq.wordings:
            n_v = len(w.norm)
            # ``ratio_at_least`` inlined (a line is compared with every wording): a ratio
            # below the cutoff, or one the lengths alone keep below it, counts nothing.
            full = 0.0
            if n_v and 200 * min(n_h, n_v) / (n_h + n_v) >= w.cutoff - 1e-6:
                ratio = fuzz.ratio(h, w.norm, score_cutoff=w.cutoff)
                if ratio:
                    if w.short:
                        full = max(0.0, (ratio / 100 - 0.8) / 0.2)
                    else:
                        full = max(0.0, (ratio / 100 - 0.6) / 0.4)
            piece = 0.0
            if n_h >= 20 and n_h <= n_v:
                share = n_h / n_v
                partial = partial_at_least(h, w.norm, 70) / 100
                piece = max(0.0, (partial - 0.7) / 0.3) * (0.85 + 0.15 * share)
            verbatim = max(verbatim, full, piece)
            if hs and w.stems:
                precision = len(hs & w.pool) / n_hs
                recall = max(len(hs & w.stems) / len(w.stems), 0.5 if key_hit else 0.0)
                p = precision * (0.5 + 0.5 * min(1.0, 2 * recall))
                if n_hs < 3:
                    p *= (0.7 if key_hit else 0.0) if n_hs == 1 else 0.85
                para = max(para, p)
        out.append((verbatim, para))
    return out


def similarity_from(h: str, hs: frozenset[str], question: Question) -> tuple[float, float]:
    """``text_similarity`` from the heading's ``norm`` and ``stems``."""
    if not h:
        return 0.0, 0.0
    verbatim = para = 0.0
    keys = keyword_stems(question)
    key_pool = frozenset().union(*keys) if keys else frozenset()
    # A heading containing a whole key term counts as covering the question.
    key_hit = any(k <= hs for k in keys)
    for v in variants(question):
        # Whole-string ratio: two different questions still share ~0.65 of
        # their characters, so only the top of the range is evidence.
        # Cut off at 60: a lower ratio gives 0 either way, and a heading far
        # longer than the question is then rejected from the lengths alone.
        full = max(0.0, (ratio_at_least(h, v.norm, 60) / 100 - 0.6) / 0.4)
        if len(v.norm) < _SHORT_WORDING:
            # A short wording ("Other comments") shares most of its characters
            # with any short line ("No further comments"): only a near-exact
            # repeat counts.
            full = max(0.0, (ratio_at_least(h, v.norm, 80) / 100 - 0.8) / 0.2)
        piece = 0.0
        if len(h) >= 20 and len(h) <= len(v.norm):
            # A piece of the question: weight by how much of it is repeated.
            share = len(h) / len(v.norm)
            # partial_ratio is generous (a sentence reusing the question's words
            # scores ~0.9), so only near-exact pieces count.
            partial = partial_at_least(h, v.norm, 70) / 100
            piece = max(0.0, (partial - 0.7) / 0.3) * (0.85 + 0.15 * share)
        verbatim = max(verbatim, full, piece)
        if hs and v.stems:
            precision = len(hs & (v.stems | key_pool)) / len(hs)
            recall = max(len(hs & v.stems) / len(v.stems), 0.5 if key_hit else 0.0)
            p = precision * (0.5 + 0.5 * min(1.0, 2 * recall))
            if len(hs) < 3:  # one content word says nothing (but a key term), two say little
                p *= (0.7 if key_hit else 0.0) if len(hs) == 1 else 0.85
            para = max(para, p)
    return verbatim, para
