"""Semantic coding: sentences close in meaning to a theme, coded with the sentence as evidence.

A theme is defined by its label, the positive part of its description (what
follows "Not:" describes what the theme is *not*, so it is a negative), its
confirmed ``examples`` and the quotes of confirmed codes (hand-coded or manual)
when there are any. Every sentence of a codable answer (the dictionary coder's
answers: ``runner._codable``) is embedded (``helpers.core.embedding``, the
``CODING_MODEL`` by default) and compared with the theme's texts; its score is
the best cosine similarity to a positive text. A sentence is coded when the
score reaches the theme's threshold, beats the theme's negatives, the theme is
among the sentence's ``TOP`` closest, and no ``exclude`` phrase of the theme is
in the sentence. Rows: ``method = "semantic"``, the sentence as evidence,
``score`` the similarity, no pattern or match. An (answer, theme) pair the
dictionary already coded is skipped; only themes whose ``methods`` include
"semantic" are used.

``calibrate_thresholds`` picks per-theme thresholds from hand-coded labels.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.coding.codebook import Codebook, Theme, normalise_pattern
from helpers.coding.sentencefinder import line_sentence_spans
from helpers.core import embedding, schemas
from helpers.core.consultation import Consultation

log = logging.getLogger(__name__)

METHOD = "semantic"
# Tuned on the development sets' dev splits (docs/models.md): the similarity a
# sentence needs, and how many of its closest themes it may be coded with.
THRESHOLD = 0.65
TOP = 1
MIN_CHARS = 15  # shorter sentences ("Yes.", "Agree") carry no theme of their own
_NOT_RE = re.compile(r"\bNot:\s*", re.IGNORECASE)


@dataclass
class SemanticResult:
    """The semantic codes (a CODES frame) and what could not be processed, with why."""

    codes: pd.DataFrame
    unprocessed: list[str] = field(default_factory=list)


def theme_texts(theme: Theme, confirmed: list[str] = ()) -> tuple[list[str], list[str]]:
    """A theme's positive texts (label, description before "Not:", examples, confirmed
    quotes) and negative texts (the description after "Not:")."""
    desc = " ".join(theme.description.split())
    parts = _NOT_RE.split(desc, maxsplit=1)
    positive = [theme.label]
    if parts[0].strip():
        positive.append(f"{theme.label}: {parts[0].strip()}")
    positive.extend(e for e in theme.examples if e.strip())
    positive.extend(q for q in confirmed if q.strip())
    negative = [parts[1].strip()] if len(parts) > 1 and parts[1].strip() else []
    return positive, negative


def _exclude_re(theme: Theme) -> re.Pattern | None:
    """A regex for the theme's ``exclude`` phrases (wildcards as prefixes, '=' dropped)."""
    alts = []
    for phrase in theme.exclude:
        words = [w.lstrip("=") for w in normalise_pattern(phrase).split()]
        alts.append(
            r"[\s\-]+".join(
                re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words
            )
        )
    return re.compile(r"\b(?:" + "|".join(alts) + r")", re.IGNORECASE) if alts else None


def answer_sentences(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The sentences of ``text[lo:hi]``, line by line, as the dictionary coder cuts them."""
    spans = []
    ls = lo
    while ls < hi:
        le = text.find("\n", ls, hi)
        le = hi if le == -1 else le
        if le > ls:
            spans.extend(s for s in line_sentence_spans(text, ls, le) if s[1] - s[0] >= MIN_CHARS)
        ls = le + 1
    return spans


def code_semantic(
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    codebook: Codebook,
    consultation: Consultation | None = None,
    dictionary_codes: pd.DataFrame | None = None,
    confirmed: pd.DataFrame | None = None,
    thresholds: dict[str, float] | None = None,
    threshold: float = THRESHOLD,
    model: str = embedding.CODING_MODEL,
    top: int = TOP,
) -> SemanticResult:
    """Semantic codes for the codable answers (see the module docstring).

    ``dictionary_codes``: (answer, theme) pairs already coded are skipped.
    ``confirmed``: rows with ``theme_id`` and ``quote`` (hand-coded or manual codes)
    that join a theme's definition. ``thresholds``: per-theme thresholds (e.g. from
    ``calibrate_thresholds``), else ``threshold``.
    """
    from helpers.coding.runner import _codable  # the dictionary coder's answers

    themes = [t for t in codebook.themes if METHOD in codebook.methods_for(t.id)]
    if not themes:
        return SemanticResult(schemas.empty(schemas.CODES))
    if not embedding.available(model):
        why = f"embedding model {model!r} not installed: semantic coding skipped (run `make env`)"
        log.warning(why)
        return SemanticResult(schemas.empty(schemas.CODES), [why])
    quotes: dict[str, list[str]] = {}
    if confirmed is not None and len(confirmed):
        for tid, quote in zip(confirmed["theme_id"], confirmed["quote"], strict=True):
            if isinstance(quote, str) and quote.strip():
                quotes.setdefault(str(tid), []).append(quote)
    # Theme vectors: positives and negatives stacked, each row owned by a theme.
    texts, owner, negative = [], [], []
    for k, t in enumerate(themes):
        pos, neg = theme_texts(t, quotes.get(t.id, []))
        texts += pos + neg
        owner += [k] * (len(pos) + len(neg))
        negative += [False] * len(pos) + [True] * len(neg)
    tvec = embedding.encode(texts, model=model)
    owner_a, negative_a = np.array(owner), np.array(negative)
    cuts = np.array([(thresholds or {}).get(t.id, threshold) for t in themes], dtype=np.float32)
    excl = [_exclude_re(t) for t in themes]

    done = set()
    if dictionary_codes is not None and len(dictionary_codes):
        done = set(
            zip(
                dictionary_codes["respondent_id"].astype(str),
                dictionary_codes["question_id"].astype(str),
                dictionary_codes["theme_id"].astype(str),
                strict=True,
            )
        )
    texts_by_rid = dict(
        zip(respondents["respondent_id"].astype(str), respondents["text"], strict=True)
    )
    unprocessed: list[str] = []
    sent: list[tuple[str, str, int, int]] = []
    for a in _codable(answers, codebook, consultation).itertuples(index=False):
        rid, qid = str(a.respondent_id), str(a.question_id)
        text = texts_by_rid.get(rid)
        if text is None:
            unprocessed.append(f"{rid}/{qid}: respondent not in respondents")
            continue
        sent += [(rid, qid, s, e) for s, e in answer_sentences(text, int(a.start), int(a.end))]
    rows = []
    batch = 20_000  # sentences per encode: memory stays flat in the number of answers
    for b in range(0, len(sent), batch):
        part = sent[b : b + batch]
        svec = embedding.encode([texts_by_rid[r][s:e] for r, _, s, e in part], model=model)
        sims = svec @ tvec.T  # (sentences, theme texts)
        pos = np.full((len(part), len(themes)), -1.0, dtype=np.float32)
        neg = np.full((len(part), len(themes)), -1.0, dtype=np.float32)
        for k in range(len(themes)):
            cols = owner_a == k
            pos[:, k] = sims[:, cols & ~negative_a].max(1)
            if (cols & negative_a).any():
                neg[:, k] = sims[:, cols & negative_a].max(1)
        rank = np.argsort(-pos, axis=1)[:, :top]
        for i, k in zip(*np.nonzero((pos >= cuts) & (pos > neg)), strict=True):
            if k not in rank[i]:
                continue
            rid, qid, s, e = part[i]
            theme = themes[k]
            if not theme.applies_to(qid) or (rid, qid, theme.id) in done:
                continue
            text = texts_by_rid[rid]
            if excl[k] is not None and excl[k].search(text, s, e):
                continue
            rows.append(
                {
                    "respondent_id": rid, "question_id": qid, "theme_id": theme.id,
                    "start": s, "end": e, "quote": text[s:e], "negated": False,
                    "method": METHOD, "score": float(pos[i, k]), "source": "auto",
                }
            )  # fmt: skip
    if not rows:
        return SemanticResult(schemas.empty(schemas.CODES), unprocessed)
    # One row per (answer, theme): its closest sentence.
    frame = pd.DataFrame(rows).sort_values("score", ascending=False, kind="stable")
    frame = frame.drop_duplicates(["respondent_id", "question_id", "theme_id"])
    frame = frame.sort_values(["respondent_id", "start", "theme_id"], kind="stable")
    log.info("semantic coding (%s): %d codes in %d sentences", model, len(frame), len(sent))
    return SemanticResult(schemas.conform(frame.reset_index(drop=True), schemas.CODES), unprocessed)


def add_semantic(codes: pd.DataFrame, answers, respondents, codebook, consultation=None, **kw):
    """``codes`` (the dictionary's) with the semantic codes appended, and what was not processed."""
    result = code_semantic(answers, respondents, codebook, consultation, codes, **kw)
    if not len(result.codes):
        return codes, result.unprocessed
    if not len(codes):
        return result.codes, result.unprocessed
    both = pd.concat([codes, result.codes], ignore_index=True)
    return schemas.conform(both, schemas.CODES), result.unprocessed


def calibrate_thresholds(
    scores: pd.DataFrame,
    hand: pd.DataFrame,
    default: float = THRESHOLD,
    min_positive: int = 3,
) -> dict[str, float]:
    """Per-theme thresholds that maximise F1 on hand-coded answers.

    ``scores``: respondent_id, question_id, theme_id, score (the best sentence's
    similarity per answer and theme, e.g. ``code_semantic(..., threshold=-1)``).
    ``hand``: respondent_id, question_id, theme_id (an empty theme_id: an answer
    coded with no theme). Only hand-coded answers count; a theme with fewer than
    ``min_positive`` hand-coded answers keeps ``default``.
    """
    key = ["respondent_id", "question_id"]
    hand = hand.astype({c: str for c in key})
    sample = set(map(tuple, hand[key].to_numpy()))
    labels = {tuple(r) for r in hand[key + ["theme_id"]].astype(str).to_numpy()}
    out: dict[str, float] = {}
    for tid, rows in scores.astype({c: str for c in key}).groupby("theme_id"):
        best: dict[tuple[str, str], float] = {}
        for r, q, s in zip(rows["respondent_id"], rows["question_id"], rows["score"], strict=True):
            if (r, q) in sample:
                best[(r, q)] = max(best.get((r, q), -1.0), float(s))
        positives = {(r, q) for r, q, t in labels if t == tid}
        if len(positives) < min_positive:
            continue
        f1_best, cut_best = -1.0, default
        for cut in sorted(set(best.values())):
            coded = {a for a, s in best.items() if s >= cut}
            tp = len(coded & positives)
            f1 = 2 * tp / (len(coded) + len(positives)) if coded or positives else 0.0
            if f1 > f1_best:
                f1_best, cut_best = f1, cut
        out[str(tid)] = cut_best
    return out
