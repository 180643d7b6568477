"""Codes learned from coded answers of earlier rounds (the codebook's ``training_answers``).

``learned`` trains on the hand-coded sample of *this* consultation's respondents. A
researcher often has more: the coded answers of an earlier round of the same
consultation, or a colleague's coding of a pilot. A codebook may name such a file:

```yaml
training_answers: theme_training.csv   # relative to the codebook file
```

a CSV with the columns ``question_id``, ``themes`` (theme ids joined by ``;``, empty
when the answer was read and given no theme), ``text`` (the answer) and optionally
``source`` (where it came from, not used for training). Every row is a fully read
answer, so for each theme it is a positive when the theme is listed and a negative
when not.

A theme is trained when its methods include ``learned`` and it has at least
``MIN_POSITIVES`` positive and ``MIN_NEGATIVES`` negative rows among the training
answers to the questions it was ever coded on (a theme is learned for the questions
it was seen on, not for questions whose answers never raise it). Features: the
answer's sentence embedding (``embedding.CODING_MODEL``; the normalised mean of its
sentences) beside TF-IDF of words and word pairs fitted on the training texts only,
so the codes of one consultation never depend on which other answers are coded with
them. One balanced ``LogisticRegression`` per theme (fixed seed). An answer scoring
at least ``THRESHOLD`` gets a code with ``method = "learned"``, ``score`` = the
probability, and as evidence its sentence the same classifier scores highest.

``THRESHOLD`` = 0.6 was chosen leave-one-batch-out on the transport development sets
(session 9, ``benchmarks/theme_loo.py``): trained on every other spent batch, added to
the dictionary's codes, micro-F1 on the gold text of batches 5-11 rose 0.711 -> 0.746
(better in 6 of 7 batches); on ofsted-docs no threshold gained more than 0.01, so
that codebook names no training file.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from helpers.coding.codebook import Codebook
from helpers.coding.echo import drop_echoes
from helpers.coding.runner import _codable
from helpers.core import embedding, schemas
from helpers.core.consultation import Consultation
from helpers.core.sentences import sentence_spans

log = logging.getLogger(__name__)

THRESHOLD = 0.6
MIN_POSITIVES = 5
MIN_NEGATIVES = 5
SEED = 0
COLUMNS = ("question_id", "themes", "text")

Encoder = Callable[[Sequence[str]], np.ndarray]


class TrainingAnswersError(ValueError):
    """A training-answers CSV that cannot be read: names the file and the line."""


def read_training_answers(path: str | Path, codebook: Codebook | None = None) -> pd.DataFrame:
    """The training answers as a frame: ``question_id``, ``text``, ``themes`` (a tuple).

    Raises ``TrainingAnswersError`` for missing columns and, given ``codebook``, theme
    ids it does not define (naming the CSV line).
    """
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise TrainingAnswersError(f"{path}: missing column(s) {missing}")
        rows = []
        for line, row in enumerate(reader, start=2):
            themes = tuple(t.strip() for t in (row["themes"] or "").split(";") if t.strip())
            if codebook is not None:
                unknown = [t for t in themes if t not in codebook]
                if unknown:
                    raise TrainingAnswersError(f"{path} line {line}: unknown theme(s) {unknown}")
            text = row["text"] or ""
            if text.strip():
                rows.append(
                    {"question_id": row["question_id"].strip(), "text": text, "themes": themes}
                )
    return pd.DataFrame(rows, columns=["question_id", "text", "themes"])


def _vectors(texts: Sequence[str], encode: Encoder) -> tuple[np.ndarray, list, np.ndarray]:
    """Answer vectors (normalised mean of their sentences'), sentence spans, sentence vectors."""
    spans = [sentence_spans(t, 0, len(t)) or [(0, len(t))] for t in texts]
    flat = [t[s:e] for t, sp in zip(texts, spans, strict=True) for s, e in sp]
    vec = np.asarray(encode(flat), dtype=np.float64) if flat else np.zeros((0, 1))
    out = np.zeros((len(texts), vec.shape[1]))
    owner = np.repeat(np.arange(len(texts)), [len(sp) for sp in spans])
    if len(owner):
        np.add.at(out, owner, vec)
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    return out, spans, vec


def _default_encode(texts: Sequence[str]) -> np.ndarray:
    return embedding.encode(texts, model=embedding.CODING_MODEL)


def _trainable(codebook: Codebook, training: pd.DataFrame) -> list[tuple]:
    """``(theme, questions seen, training rows, labels)`` for every theme with enough labels."""
    train_q = training["question_id"].astype(str).to_numpy()
    train_themes = training["themes"].tolist()
    plan = []
    for theme in codebook.themes:
        if "learned" not in codebook.methods_for(theme.id):
            continue
        seen = {q for q, ts in zip(train_q, train_themes, strict=True) if theme.id in ts}
        idx = np.nonzero(np.isin(train_q, list(seen)))[0]
        y = np.array([theme.id in train_themes[i] for i in idx], dtype=int)
        if y.sum() >= MIN_POSITIVES and len(y) - y.sum() >= MIN_NEGATIVES:
            plan.append((theme, seen, idx, y))
    return plan


def code_trained(
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    codebook: Codebook,
    consultation: Consultation | None,
    training: pd.DataFrame,
    encode: Encoder | None = None,
    threshold: float = THRESHOLD,
) -> pd.DataFrame:
    """Codes proposed for ``answers`` by classifiers trained on ``training`` (a CODES frame)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    encode = encode or _default_encode
    plan = _trainable(codebook, training)
    if not plan:  # nothing to learn: embed nothing
        return schemas.empty(schemas.CODES)
    tfidf = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), strip_accents="unicode")
    train_texts = training["text"].tolist()
    train_x = sparse.hstack([
        sparse.csr_matrix(_vectors(train_texts, encode)[0]), tfidf.fit_transform(train_texts)
    ]).tocsr()  # fmt: skip
    codable = _codable(answers, codebook, consultation)
    texts = dict(zip(respondents["respondent_id"].astype(str), respondents["text"], strict=True))
    keys = list(zip(codable["respondent_id"].astype(str), codable["question_id"].astype(str),
                    codable["start"].astype(int), codable["end"].astype(int), strict=True))  # fmt: skip
    answer_texts = [texts[r][s:e] for r, _, s, e in keys]
    answer_vec, spans, sent_vec = _vectors(answer_texts, encode)
    answer_x = sparse.hstack([sparse.csr_matrix(answer_vec), tfidf.transform(answer_texts)]).tocsr()
    sent_texts = [t[s:e] for t, sp in zip(answer_texts, spans, strict=True) for s, e in sp]
    sent_x = (
        sparse.hstack([sparse.csr_matrix(sent_vec), tfidf.transform(sent_texts)]).tocsr()
        if sent_texts else None
    )  # fmt: skip
    first = np.concatenate([[0], np.cumsum([len(sp) for sp in spans])]).astype(int)
    rows = []
    for theme, seen, idx, y in plan:
        model = LogisticRegression(class_weight="balanced", max_iter=2000, random_state=SEED).fit(
            train_x[idx], y
        )
        cand = [i for i, k in enumerate(keys) if k[1] in seen and theme.applies_to(k[1])]
        if not cand:
            continue
        probs = model.predict_proba(answer_x[cand])[:, 1]
        for i, p in zip(cand, probs, strict=True):
            if p < threshold:
                continue
            lo, hi = first[i], first[i + 1]
            best = int(np.argmax(model.predict_proba(sent_x[lo:hi])[:, 1]))
            rid, qid, start, _ = keys[i]
            s, e = spans[i][best]
            rows.append({
                "respondent_id": rid, "question_id": qid, "theme_id": theme.id,
                "start": start + s, "end": start + e, "quote": texts[rid][start + s : start + e],
                "negated": False, "method": "learned", "score": float(p), "source": "auto",
            })  # fmt: skip
    if not rows:
        return schemas.empty(schemas.CODES)
    out = pd.DataFrame(rows).sort_values(["respondent_id", "start"], kind="stable")
    return schemas.conform(out.reset_index(drop=True), schemas.CODES)


def trained_codes(
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    codebook: Codebook,
    consultation: Consultation | None,
    encode: Encoder | None = None,
) -> pd.DataFrame:
    """The codes of the codebook's ``training_answers`` file (empty without one).

    Without the embedding model installed (and no ``encode`` given) it logs one
    warning and returns no codes.
    """
    if codebook.training_answers is None:
        return schemas.empty(schemas.CODES)
    if encode is None and not embedding.available(embedding.CODING_MODEL):
        log.warning("trained coding: the embedding model is not installed: no codes")
        return schemas.empty(schemas.CODES)
    training = read_training_answers(codebook.training_answers, codebook)
    codes = code_trained(answers, respondents, codebook, consultation, training, encode)
    log.info("trained coding: %d codes from %d training answers", len(codes), len(training))
    return codes


def add_trained_codes(
    codes: pd.DataFrame,
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    codebook: Codebook,
    consultation: Consultation | None,
    encode: Encoder | None = None,
) -> pd.DataFrame:
    """``codes`` plus the trained codes of answer × themes no counted code has yet.

    The coding stage's one call; ``codes`` unchanged when the codebook names no
    ``training_answers``. Trained codes whose evidence copies the consultation's own
    text are left out (``echo``), as dictionary codes are.
    """
    new = drop_echoes(
        trained_codes(answers, respondents, codebook, consultation, encode), consultation
    )
    if not len(new):
        return codes
    new = schemas.not_yet_coded(codes, new)
    log.info("trained coding: %d codes added", len(new))
    return schemas.conform(pd.concat([codes, new], ignore_index=True), schemas.CODES)
