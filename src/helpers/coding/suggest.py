"""Codebook suggestions: distinctive words and phrases that no theme covers yet.

After dictionary coding, some of what respondents wrote sits outside every
theme. :func:`suggest_terms` looks only at that *uncovered* text (an answer
minus the evidence sentences of its non-negated codes) and ranks, for each
open question:

- **words**: regex tokens minus a shipped stopword list, grouped by Snowball
  stem (the most common surface form is shown), scored by tf-idf of the
  question's uncovered text against the other questions' answers, so words
  every question uses ("care", "support") sink;
- **bigrams**: collocations from NLTK's ``BigramCollocationFinder`` (within
  sentences, stopwords never part of a pair), scored by likelihood ratio
  times the same idf.

Words of the question's own wording, and terms the codebook already lists as
patterns, are left out: they are not news to the researcher. Every row cites
an example sentence by offsets into ``respondents.text``, so a suggestion can
be checked against the respondent's words before it becomes a pattern.
Everything is deterministic: ties are broken by the term.
"""

from __future__ import annotations

import logging
import math
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pandas as pd
from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder
from nltk.probability import FreqDist

from helpers.core import schemas
from helpers.core.consultation import Consultation
from helpers.core.sentences import sentence_spans
from helpers.core.stemming import stem as word_stem
from helpers.core.text import stopwords

log = logging.getLogger(__name__)

SUGGESTIONS = schemas.SUGGESTIONS

# Letters only, with internal apostrophes ("ofsted's"); hyphens split words, as
# the coder treats them (helpers.coding.codebook.normalise_pattern).
_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_POSSESSIVE_RE = re.compile(r"'s$")
MIN_WORD_LENGTH = 3
# Suggestions are read from at most this many answers per question (a seeded sample,
# ``sample_answers``): enough for words said by a few in a thousand, and a fixed cost.
MAX_ANSWERS = 1000
SAMPLE_SEED = "suggest-sample-1"  # 16 characters: pandas' hash key


# A token as written -> (normalised word, stem): most tokens repeat, so each is worked out once.
_NORMALISED: dict[str, tuple[str, str]] = {}


def _tokens(text: str, start: int, end: int) -> list[tuple[str, str]]:
    """(normalised word, stem) for each word of ``text[start:end]``."""
    out = []
    for m in _TOKEN_RE.finditer(text, start, end):
        w = _POSSESSIVE_RE.sub("", m.group().lower().replace("’", "'"))
        out.append((w, word_stem(w)))
    return out


def _is_content(word: str, stop: frozenset[str]) -> bool:
    return len(word) >= MIN_WORD_LENGTH and word not in stop


@dataclass
class _Term:
    surfaces: Counter = field(default_factory=Counter)
    respondents: set = field(default_factory=set)
    mentions: int = 0
    example: tuple[str, int, int, str] | None = None  # respondent id, start, end, sentence

    def add(self, surface: str, rid: str, span: tuple[int, int], text: str) -> None:
        self.surfaces[surface] += 1
        self.respondents.add(rid)
        self.mentions += 1
        if self.example is None:
            self.example = (rid, span[0], span[1], text[span[0] : span[1]])

    @property
    def term(self) -> str:
        # Most common surface form; ties to the alphabetically first.
        return min(self.surfaces.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _uncovered(start: int, end: int, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``[start, end)`` minus the covered spans."""
    pieces, pos = [], start
    for s, e in sorted(covered):
        if e <= pos or s >= end:
            continue
        if s > pos:
            pieces.append((pos, s))
        pos = max(pos, e)
    if pos < end:
        pieces.append((pos, end))
    return pieces


def _codebook_exclusions(codebook) -> tuple[set[str], set[str], set[tuple[str, str]]]:
    """Stems of one-word patterns, wildcard prefixes, and stem pairs of two-word patterns."""
    words: set[str] = set()
    prefixes: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for theme in getattr(codebook, "themes", None) or []:
        for pattern in getattr(theme, "patterns", ()):
            parts = [p for p in re.split(r"[\s\-‐‑–—]+", pattern.lower().replace("’", "'")) if p]
            if len(parts) == 1:
                if parts[0].endswith("*"):
                    prefixes.add(parts[0].rstrip("*"))
                else:
                    words.add(word_stem(parts[0]))
            elif len(parts) == 2:
                pairs.add(tuple(word_stem(p.rstrip("*")) for p in parts))
    return words, prefixes, pairs


def _empty() -> pd.DataFrame:
    return schemas.empty(SUGGESTIONS)


def sample_answers(answers: pd.DataFrame, max_answers: int | None = MAX_ANSWERS) -> pd.DataFrame:
    """At most ``max_answers`` answers per question: a seeded sample, in the table's order.

    Each respondent gets a fixed pseudo-random key (a seeded hash of the id,
    ``SAMPLE_SEED``); per question the answers of the ``max_answers`` smallest
    keys are kept. The same respondents are therefore read on every question,
    the sample does not depend on row order, and a respondent already sampled
    stays sampled when an export grows unless enough smaller keys arrive.
    Questions with no more answers than that are read whole.
    """
    if max_answers is None or answers.empty:
        return answers
    size = answers.groupby("question_id", sort=False)["question_id"].transform("size")
    if int(size.max()) <= max_answers:
        return answers
    key = pd.util.hash_pandas_object(
        answers["respondent_id"].astype(str), index=False, hash_key=SAMPLE_SEED
    )
    rank = key.groupby(answers["question_id"].to_numpy(), sort=False).rank(method="first")
    return answers[(rank <= max_answers).to_numpy()]


def _span_tokens(
    text: str, toks: list[tuple[int, int, str, str]], starts: list[int], s: int, e: int
) -> list[tuple[str, str]]:
    """(word, stem) of ``text[s:e]``, read from the answer's tokens (``_tokens`` on the span
    where a token crosses its ends, so the result is what tokenising the span gives)."""
    i, j = bisect_left(starts, s), bisect_left(starts, e)
    crosses = (i > 0 and toks[i - 1][1] > s) or (j > 0 and toks[j - 1][1] > e)
    if crosses:
        return _tokens(text, s, e)
    return [(w, st) for _, _, w, st in toks[i:j]]


def _positioned(text: str, start: int, end: int) -> list[tuple[int, int, str, str]]:
    """(start, end, normalised word, stem) for each word of ``text[start:end]``."""
    out = []
    seen = _NORMALISED
    for m in _TOKEN_RE.finditer(text, start, end):
        raw = m.group()
        ws = seen.get(raw)
        if ws is None:
            if len(seen) >= 200_000:  # bounded, like the stem cache
                seen.clear()
            w = _POSSESSIVE_RE.sub("", raw.lower().replace("’", "'"))
            ws = seen[raw] = (w, word_stem(w))
        out.append((*m.span(), *ws))
    return out


def suggest_terms(
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    codes: pd.DataFrame,
    consultation: Consultation,
    codebook=None,
    top_n: int = 20,
    min_mentions: int = 2,
    max_answers: int | None = MAX_ANSWERS,
) -> pd.DataFrame:
    """Distinctive uncovered words and bigrams per open question (the SUGGESTIONS schema).

    Columns: ``question_id``; ``term`` (a word, shown in its most common
    surface form, or a two-word phrase); ``kind`` (``word`` or ``bigram``);
    ``score`` (words: tf-idf = mentions in the question's uncovered text x
    idf, where idf = ln((1 + N) / (1 + df)) + 1 over the N questions with
    answers and df the questions whose answers use the stem; bigrams: NLTK
    likelihood ratio x the same idf for the pair); ``n_respondents``;
    ``n_mentions``; ``example`` (the first uncovered sentence using the term,
    in answer order) with ``example_respondent_id``, ``example_start`` and
    ``example_end`` (offsets into ``respondents.text``); ``answers_read`` and
    ``answers`` (the question's substantive answers the counts come from, and
    all of them).

    Suggestions are ideas for the codebook, not findings, so they are counted
    on at most ``max_answers`` answers per question (:func:`sample_answers`,
    seeded; ``None`` reads every answer): the time they take stops growing
    with the number of respondents, and every count says its base.

    Terms need at least ``min_mentions`` mentions; at most ``top_n`` words
    and ``top_n`` bigrams per question. Rows are ordered by question
    (consultation order), kind (words first), score descending, then term.
    """
    open_ids = [q.id for q in consultation.open_questions]
    if answers.empty or respondents.empty or not open_ids:
        return _empty()
    answers = answers[schemas.substantive_answers(answers)]  # "No comment" suggests nothing
    totals = answers["question_id"].astype(str).value_counts()
    answers = sample_answers(answers, max_answers)
    read = answers["question_id"].astype(str).value_counts()
    stop = stopwords()
    stop_stems = {word_stem(w) for w in stop}
    wanted = (
        respondents["respondent_id"].astype(str).isin(set(answers["respondent_id"].astype(str)))
    )
    texts = {
        str(rid): text
        for rid, text in zip(
            respondents.loc[wanted, "respondent_id"], respondents.loc[wanted, "text"], strict=True
        )
        if isinstance(text, str)  # a respondent without text has no answers to suggest from
    }
    covered: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    if not codes.empty:
        keep = ~codes["negated"].fillna(False).astype(bool)
        if max_answers is not None:  # only the sampled answers' codes are read
            pair = codes["respondent_id"].astype(str) + "\x1f" + codes["question_id"].astype(str)
            sampled = (
                answers["respondent_id"].astype(str) + "\x1f" + answers["question_id"].astype(str)
            )
            keep &= pair.isin(set(sampled))
        kept = codes.loc[keep, ["respondent_id", "question_id", "start", "end"]]
        for rid, qid, s, e in zip(*(kept[c] for c in kept.columns), strict=True):
            covered[(str(rid), str(qid))].append((int(s), int(e)))
    cb_words, cb_prefixes, cb_pairs = _codebook_exclusions(codebook)
    prefixes = tuple(cb_prefixes)

    # Each answer is tokenised once: its words give the document frequencies over the
    # consultation's questions (full answer text), and its uncovered sentences are read
    # from the same tokens below.
    qids, open_set = set(consultation.question_ids), set(open_ids)
    doc_words: dict[str, set[str]] = defaultdict(set)
    doc_pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    by_question: dict[str, list] = defaultdict(list)
    cols = [answers[c] for c in ("question_id", "respondent_id", "start", "end")]
    for qid, rid, start, end in zip(*cols, strict=True):
        qid, rid = str(qid), str(rid)
        if qid not in qids or rid not in texts:
            if qid in open_set:
                by_question[qid].append((rid, None, int(start), int(end)))
            continue
        toks = _positioned(texts[rid], int(start), int(end))
        stems = [t[3] for t in toks]
        doc_words[qid].update(stems)
        doc_pairs[qid].update(zip(stems, stems[1:], strict=False))
        if qid in open_set:
            by_question[qid].append((rid, toks, int(start), int(end)))
    n_docs = len(doc_words)

    def idf_word(stem: str) -> float:
        df = sum(stem in d for d in doc_words.values())
        return math.log((1 + n_docs) / (1 + df)) + 1

    def idf_pair(pair: tuple[str, str]) -> float:
        df = sum(pair in d for d in doc_pairs.values())
        return math.log((1 + n_docs) / (1 + df)) + 1

    def counted(stem: str) -> bool:  # the finder's word filter (below), applied early
        return stem not in stop_stems and len(stem) >= MIN_WORD_LENGTH

    rows: list[dict] = []
    for qid in open_ids:
        q = consultation.question(qid)
        q_stems = {s for _, s in _tokens(q.text, 0, len(q.text))}
        words: dict[str, _Term] = defaultdict(_Term)
        pairs: dict[tuple[str, str], _Term] = defaultdict(_Term)
        word_fd: Counter = Counter()
        pair_fd: Counter = Counter()
        for rid, toks, start, end in by_question.get(qid, ()):
            text = texts.get(rid)
            if text is None:
                raise ValueError(
                    f"answers: respondent {rid!r} (question {qid}) is not in respondents "
                    "(or has no text); re-run ingest so the two tables match"
                )
            starts = [t[0] for t in toks]
            for ps, pe in _uncovered(start, end, covered.get((rid, qid), [])):
                for span in sentence_spans(text, ps, pe):
                    sent = _span_tokens(text, toks, starts, *span)
                    word_fd.update(s for _, s in sent)
                    for w, s in sent:
                        if _is_content(w, stop):
                            words[s].add(w, rid, span, text)
                    for (w1, s1), (w2, s2) in zip(sent, sent[1:], strict=False):
                        pair_fd[(s1, s2)] += 1
                        if counted(s1) and counted(s2):
                            pairs[(s1, s2)].add(f"{w1} {w2}", rid, span, text)

        word_rows = []
        for stem, t in words.items():
            if t.mentions < min_mentions or stem in q_stems or stem in cb_words:
                continue
            term = t.term  # a min over the surface forms: worked out once, not per prefix
            if term.startswith(prefixes):
                continue
            word_rows.append((round(t.mentions * idf_word(stem), 6), term, t))
        word_rows.sort(key=lambda r: (-r[0], r[1]))
        extra = {"answers_read": int(read.get(qid, 0)), "answers": int(totals.get(qid, 0))}
        rows.extend(_row(qid, "word", *r, extra) for r in word_rows[:top_n])

        # NLTK's finder on the counts made above (as from_documents counts them).
        finder = BigramCollocationFinder(FreqDist(word_fd), FreqDist(pair_fd))
        finder.apply_word_filter(lambda s: not counted(s))
        finder.apply_freq_filter(min_mentions)
        bigram_rows = []
        for pair, llr in finder.score_ngrams(BigramAssocMeasures.likelihood_ratio):
            t = pairs[pair]
            if pair in cb_pairs or (pair[0] in q_stems and pair[1] in q_stems):
                continue
            # Stopword stems can hide stopword surfaces ("us" -> "us"): re-check the words.
            if not all(_is_content(w, stop) for w in t.term.split()):
                continue
            bigram_rows.append((round(llr * idf_pair(pair), 6), t.term, t))
        bigram_rows.sort(key=lambda r: (-r[0], r[1]))
        rows.extend(_row(qid, "bigram", *r, extra) for r in bigram_rows[:top_n])

    if not rows:
        return _empty()
    sampled = {q: (int(read[q]), int(totals[q])) for q in read.index if read[q] < totals[q]}
    log.info(
        "suggestions: %d terms across %d open questions%s",
        len(rows),
        len(open_ids),
        "".join(f"; {q} from a sample of {k:,} of {n:,} answers" for q, (k, n) in sampled.items()),
    )
    return schemas.conform(pd.DataFrame(rows), SUGGESTIONS)


def _row(qid: str, kind: str, score: float, term: str, t: _Term, extra: dict) -> dict:
    rid, s, e, sentence = t.example
    return {
        "question_id": qid,
        "term": term,
        "kind": kind,
        "score": score,
        "n_respondents": len(t.respondents),
        "n_mentions": t.mentions,
        "example": sentence,
        "example_respondent_id": rid,
        "example_start": s,
        "example_end": e,
        **extra,
    }


# --- Reviewing the codebook's reach (tables for notebook 02) ---------------


def coverage(
    answers: pd.DataFrame, codes: pd.DataFrame, uncoded: pd.DataFrame, consultation: Consultation
) -> pd.DataFrame:
    """Per question with answers (consultation order, profile questions left out).

    Columns: question_id, question, answers (respondents with text),
    coded (answers with a non-negated code), uncoded (rows of the UNCODED table:
    answers the codebook applies to that got no theme), percent_coded.
    ``coded + uncoded`` is less than ``answers`` where the codebook does not
    apply to a question (e.g. closed questions read only for stance).
    """
    has_text = answers["answer_text"].fillna("").astype(str).str.strip() != ""
    pairs = answers.loc[has_text, ["respondent_id", "question_id"]].drop_duplicates()
    n_answers = pairs.groupby("question_id").size()
    kept = schemas.counted_codes(codes)
    n_coded = kept.drop_duplicates(["respondent_id", "question_id"]).groupby("question_id").size()
    n_uncoded = (
        uncoded.drop_duplicates(["respondent_id", "question_id"]).groupby("question_id").size()
    )
    rows = []
    for q in consultation.questions:
        if q.kind == "profile" or q.id not in n_answers.index:
            continue
        n, c = int(n_answers[q.id]), int(n_coded.get(q.id, 0))
        rows.append(
            {
                "question_id": q.id,
                "question": q.label,
                "answers": n,
                "coded": c,
                "uncoded": int(n_uncoded.get(q.id, 0)),
                "percent_coded": round(100 * c / n, 1),
            }
        )
    cols = ["question_id", "question", "answers", "coded", "uncoded", "percent_coded"]
    return pd.DataFrame(rows, columns=cols)


def theme_counts(codes: pd.DataFrame, codebook) -> pd.DataFrame:
    """Per codebook theme (codebook order): respondents and mentions, negated ones apart.

    A mention is a distinct evidence sentence. Negated mentions ("we do not
    think housing is the issue") do not count as raising the theme and are
    shown separately so a coder can check them. Columns: theme_id, label,
    respondents, mentions, negated_respondents, negated_mentions.
    """
    themes = [(t.id, t.label) for t in getattr(codebook, "themes", [])]
    spans = codes.drop_duplicates(["respondent_id", "question_id", "theme_id", "start", "end"])
    neg = spans["negated"].fillna(False).astype(bool) if not spans.empty else pd.Series(dtype=bool)
    rows = []
    for tid, label in themes:
        mine = spans["theme_id"] == tid
        pos, ng = spans[mine & ~neg], spans[mine & neg]
        rows.append(
            {
                "theme_id": tid,
                "label": label,
                "respondents": pos["respondent_id"].nunique(),
                "mentions": len(pos),
                "negated_respondents": ng["respondent_id"].nunique(),
                "negated_mentions": len(ng),
            }
        )
    cols = [
        "theme_id",
        "label",
        "respondents",
        "mentions",
        "negated_respondents",
        "negated_mentions",
    ]
    return pd.DataFrame(rows, columns=cols)
