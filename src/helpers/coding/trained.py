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
at least the codebook's ``training_threshold`` (default ``THRESHOLD``) gets a code
with ``method = "learned"``, ``score`` = the probability, and as evidence its
sentence the same classifier scores highest.

A codebook with ``training_sentences: true`` also fits sentence-level classifiers
(``trained_fit``) and averages each answer's probability with its best sentence's;
off by default (chosen per consultation leave-one-batch-out, session 13). A codebook
with ``training_stacker: true`` fits them too, but lets the generic stacker
(``coding.stack``) decide each (answer, theme) the coder learned from both
classifiers' probabilities and the dictionary's hits: it may then also drop a
dictionary code (``Decisions.vetoed``).

Fitting (embedding every training answer, one regression per theme) is the slow
part, so the fitted weights are kept (``fitted_for``): in the process, and in the
coding stage's cache folder as plain arrays (``trained/<key>.npz``), keyed by the
training rows' content, the themes learned, the model and the settings. Scoring is
one matrix product for all answers and themes, and one for their sentences.

``THRESHOLD`` = 0.6 was chosen leave-one-batch-out on the transport development sets
(session 9, ``benchmarks/theme_loo.py``): trained on every other spent batch, added to
the dictionary's codes, micro-F1 on the gold text of batches 5-11 rose 0.711 -> 0.746
(better in 6 of 7 batches). The best cut depends on the consultation (how much its
dictionary already finds): with 12 spent Ofsted document sets (session 10) 0.8 gains
(0.823 -> 0.831 pooled) where 0.6 loses (0.807), so a codebook may set its own.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from helpers.coding import embvote, silent, stack
from helpers.coding.codebook import Codebook
from helpers.coding.echo import drop_echoes
from helpers.coding.runner import RespondentTexts, _codable, code_answers
from helpers.coding.trained_fit import (
    SentenceFit,
    answer_hits,
    dictionary_hits,
    fit_sentences,
)
from helpers.coding.trained_score import (
    BLOCK_ANSWERS,
    TFIDF,
    Decisions,
    Encoder,
    Fitted,
    score_block,
    vectors,
)
from helpers.core import embedding, schemas
from helpers.core.consultation import Consultation

log = logging.getLogger(__name__)

THRESHOLD = 0.6
MIN_POSITIVES = 5
MIN_NEGATIVES = 5
SEED = 0
COLUMNS = ("question_id", "themes", "text")


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


def fit(codebook: Codebook, training: pd.DataFrame, encode: Encoder) -> Fitted | None:
    """One balanced logistic regression per trainable theme (None: no theme to learn).

    With the codebook's ``training_sentences``, also a sentence classifier per theme
    (``trained_fit.fit_sentences``) on the same sentence embeddings.

    Fitted with one BLAS thread. Rationale (session 22): scikit-learn's L-BFGS-B solver
    (scipy >= 1.15, translated to C) calls BLAS on vectors as long as the features
    (27,318 for the shipped codebook's answer classifiers); OpenBLAS splits those between
    as many threads as the machine has cores, and the threads' synchronisation was most of
    the fit (scipy issues 22438, 23191). On the shared 2-core machine the fit took 35.2
    CPU s with OpenBLAS's default threads and 3.9 with one (wall 164 -> 25 s). It also
    makes the coefficients the same on every machine: a dot product split between
    threads adds its terms in another order, so the answer classifiers' weights differed
    by up to 3e-13 with the number of cores (the codes, vetoes and evidence do not
    change; a code's score moves in its 14th decimal).
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return _fit(codebook, training, encode)


def _fit(codebook: Codebook, training: pd.DataFrame, encode: Encoder) -> Fitted | None:
    """``fit``'s work (in one BLAS thread)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    plan = _trainable(codebook, training)
    if not plan:  # nothing to learn: embed nothing
        return None
    tfidf = TfidfVectorizer(**TFIDF)
    texts = training["text"].tolist()
    answer_vec, spans, sentence_vec = vectors(texts, encode)
    words = tfidf.fit_transform(texts).tocsr()
    x = sparse.hstack([sparse.csr_matrix(answer_vec), words]).tocsr()
    models = [
        LogisticRegression(class_weight="balanced", max_iter=2000, random_state=SEED).fit(x[idx], y)
        for _, _, idx, y in plan
    ]
    sentences = codebook.training_sentences or codebook.training_stacker
    hits = dictionary_hits(codebook, training) if sentences else None
    prior = None
    if codebook.training_stacker:
        table, pooled = stack.dictionary_prior([
            (t, t in themes)
            for themes, found in zip(training["themes"], hits, strict=True)
            for t in {h[0] for h in found}
        ])  # fmt: skip
        prior = np.array([table.get(theme.id, pooled) for theme, *_ in plan])
    labels = np.array(
        [[theme.id in themes for theme, *_ in plan] for themes in training["themes"]],
        dtype=bool,
    ).reshape(len(training), len(plan))
    return Fitted(
        vocabulary=tfidf.get_feature_names_out().tolist(),
        idf=np.asarray(tfidf.idf_, dtype=np.float64),
        theme_ids=[theme.id for theme, *_ in plan],
        seen=[frozenset(seen) for _, seen, _, _ in plan],
        coef=np.vstack([m.coef_[0] for m in models]),
        intercept=np.array([m.intercept_[0] for m in models]),
        sentences=fit_sentences(codebook, training, plan, sentence_vec, SEED, hits)
        if sentences
        else None,
        prior=prior,
        # the stacker's neighbour vote reads the training answers' TF-IDF rows and themes
        neighbours=words if codebook.training_stacker else None,
        labels=labels if codebook.training_stacker else None,
        votes=_vote_index(codebook, plan, spans, answer_vec, sentence_vec, labels, hits),
        silent=silent.silent_questions(
            [t.id for t in codebook.themes if "learned" in codebook.methods_for(t.id)],
            training["question_id"].astype(str).tolist(),
            training["themes"].tolist(),
            hits,
        )
        if codebook.training_stacker
        else None,
    )


def _wants_votes(codebook: Codebook) -> bool:
    """Whether the coder keeps ``embvote``'s index: a stacked codebook whose packaged
    stacker reads the embedding votes (else nothing is stored or computed)."""
    return bool(codebook.training_stacker) and embvote.wanted(stack.packaged().features)


def _vote_index(
    codebook: Codebook,
    plan: Sequence[tuple],
    spans: Sequence[Sequence[tuple[int, int]]],
    answer_vec: np.ndarray,
    sentence_vec: np.ndarray,
    labels: np.ndarray,
    hits: Sequence[Sequence[tuple[str, int, int]]],
) -> embvote.VoteIndex | None:
    """``embvote.for_training`` when ``_wants_votes`` (else None)."""
    if not _wants_votes(codebook):
        return None
    ids = [theme.id for theme, *_ in plan]
    return embvote.for_training(answer_vec, spans, sentence_vec, labels, hits, ids)


# Fitted classifiers of this process, by key (``_key``): a notebook re-running the
# coding stage, or a test, fits each training file once.
_MEMO: dict[str, Fitted | None] = {}
_MEMO_SIZE = 4


def _key(codebook: Codebook, training: pd.DataFrame, model: str) -> str:
    """What a fit depends on: the training rows, the themes learned, the model, the settings."""
    h = hashlib.sha256()
    for part in (
        model, SEED, MIN_POSITIVES, MIN_NEGATIVES, sorted(TFIDF.items()), _FORMAT,
        [t.id for t in codebook.themes if "learned" in codebook.methods_for(t.id)],
        # sentence classifiers (and the stacker's prior) weigh the dictionary's hits: its
        # patterns are part of the key
        codebook.training_stacker,
        (codebook.training_sentences or codebook.training_stacker)
        and [(t.id, t.patterns, t.exclude, t.cooccur) for t in codebook.themes],
    ):  # fmt: skip
        h.update(repr(part).encode() + b"\x00")
    if _wants_votes(codebook):  # the vote index is kept (session 26); else the same key as before
        h.update(b"embvote\x00")
    for q, text, themes in training[["question_id", "text", "themes"]].itertuples(index=False):
        h.update(f"{q}\x1f{';'.join(themes)}\x1f{text}\x1e".encode())
    return h.hexdigest()[:32]


# bump when ``Fitted``, the features or the fit change: old cache files are then unused
# (4: fitted in one BLAS thread, session 22; 5: ``silent``, session 28)
_FORMAT = 5


def _save(fitted: Fitted | None, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    if fitted is None:
        np.savez(tmp, empty=np.array(True))
    else:
        np.savez_compressed(
            tmp, empty=np.array(False), vocabulary=np.array(fitted.vocabulary, dtype=str),
            idf=fitted.idf, theme_ids=np.array(fitted.theme_ids, dtype=str),
            seen=np.array([json.dumps(sorted(s)) for s in fitted.seen], dtype=str),
            coef=fitted.coef, intercept=fitted.intercept,
            **({} if fitted.sentences is None else {
                "s_vocabulary": np.array(fitted.sentences.vocabulary, dtype=str),
                "s_idf": fitted.sentences.idf, "s_coef": fitted.sentences.coef,
                "s_dict_coef": fitted.sentences.dict_coef,
                "s_intercept": fitted.sentences.intercept,
            }),
            **({} if fitted.prior is None else {"prior": fitted.prior}),
            **({} if fitted.neighbours is None else {
                "n_data": fitted.neighbours.data, "n_indices": fitted.neighbours.indices,
                "n_indptr": fitted.neighbours.indptr,
                "n_shape": np.array(fitted.neighbours.shape), "labels": fitted.labels,
            }),
            **({} if fitted.silent is None else {"silent": np.array(json.dumps(
                {t: sorted(qs) for t, qs in sorted(fitted.silent.items())}))}),
            **({} if fitted.votes is None else {
                "v_sentences": fitted.votes.sentences, "v_evidence": fitted.votes.evidence,
                "v_answers": fitted.votes.answers, "v_labels": fitted.votes.labels,
            }),
        )  # fmt: skip
    tmp.replace(path)
    # keep the newest few: one per training file a project uses is enough
    old = sorted(path.parent.glob("*.npz"), key=lambda f: f.stat().st_mtime, reverse=True)
    for stale in old[_MEMO_SIZE:]:
        stale.unlink(missing_ok=True)


def _load(path: Path) -> Fitted | None:
    with np.load(path, allow_pickle=False) as z:
        if bool(z["empty"]):
            return None
        return Fitted(
            vocabulary=z["vocabulary"].tolist(), idf=z["idf"], theme_ids=z["theme_ids"].tolist(),
            seen=[frozenset(json.loads(s)) for s in z["seen"].tolist()],
            coef=z["coef"], intercept=z["intercept"],
            sentences=None if "s_coef" not in z else SentenceFit(
                vocabulary=z["s_vocabulary"].tolist(), idf=z["s_idf"], coef=z["s_coef"],
                dict_coef=z["s_dict_coef"], intercept=z["s_intercept"],
            ),
            prior=z["prior"] if "prior" in z else None,
            neighbours=None if "n_data" not in z else sparse.csr_matrix(
                (z["n_data"], z["n_indices"], z["n_indptr"]), shape=tuple(z["n_shape"])
            ),
            labels=z["labels"] if "labels" in z else None,
            votes=None if "v_sentences" not in z else embvote.VoteIndex(
                sentences=z["v_sentences"], evidence=z["v_evidence"], answers=z["v_answers"],
                labels=z["v_labels"],
            ),
            silent=None if "silent" not in z else {
                t: frozenset(qs) for t, qs in json.loads(str(z["silent"])).items()
            },
        )  # fmt: skip


def fitted_for(
    codebook: Codebook,
    training: pd.DataFrame,
    encode: Encoder | None = None,
    cache_dir: str | Path | None = None,
) -> Fitted | None:
    """The fitted classifiers, fitted once per training content, codebook and model.

    With the default sentence model they are memoised in this process and, given
    ``cache_dir`` (the coding stage's cache folder), stored there as
    ``trained/<key>.npz``: a re-run with the same training file skips embedding and
    fitting (about 30 s on the development sets). A custom ``encode`` is never cached
    (its identity is not part of the key).
    """
    if encode is not None:
        return fit(codebook, training, encode)
    key = _key(codebook, training, embedding.CODING_MODEL)
    if key in _MEMO:
        return _MEMO[key]
    path = Path(cache_dir) / "trained" / f"{key}.npz" if cache_dir is not None else None
    fitted = None
    if path is not None and path.is_file():
        try:
            fitted = _load(path)
        except (OSError, ValueError, KeyError) as exc:  # a damaged file: fit again
            log.warning("trained coding: cache %s unreadable (%s): fitting again", path, exc)
            path.unlink(missing_ok=True)
    if path is None or not path.is_file():
        fitted = fit(codebook, training, _default_encode)
        if path is not None:
            _save(fitted, path)
    while len(_MEMO) >= _MEMO_SIZE:
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[key] = fitted
    return fitted


def decide_trained(
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    codebook: Codebook,
    consultation: Consultation | None,
    training: pd.DataFrame,
    encode: Encoder | None = None,
    threshold: float = THRESHOLD,
    cache_dir: str | Path | None = None,
    dictionary: pd.DataFrame | None = None,
    block_answers: int = 0,
    alone: bool = False,
) -> Decisions:
    """Codes proposed for ``answers`` by classifiers trained on ``training``.

    Every answer and sentence is scored for every theme in one matrix product; a
    theme is proposed only for questions it was seen on in training and applies to.
    With sentence classifiers (the codebook's ``training_sentences``) an answer's
    probability is the mean of its answer classifier's and its best sentence's
    (``trained_fit.BLEND``), and that sentence is the evidence; ``dictionary`` is
    then the dictionary's codes of these answers (their hits are features), coded
    here when not given. With ``training_stacker`` the stacker (``coding.stack``)
    decides instead of ``threshold``: a code's ``score`` is then the stacked
    probability, and the dictionary codes it rejects are returned as ``vetoed``.
    The answers are scored ``block_answers`` at a time (``BLOCK_ANSWERS`` when 0):
    every feature is per answer or per sentence, so the decisions are the same
    whatever the block size. ``alone``: also the pairs the classifiers raise by
    themselves (``Decisions.alone``, for evaluation; not built otherwise).
    """
    block_answers = block_answers or BLOCK_ANSWERS
    fitted = fitted_for(codebook, training, encode, cache_dir)
    if fitted is None:
        return Decisions.none()
    encode = encode or _default_encode
    codable = _codable(answers, codebook, consultation)
    if not len(codable):
        return Decisions.none()
    rids = codable["respondent_id"].astype(str).to_numpy()
    qids = codable["question_id"].astype(str).to_numpy()
    starts = codable["start"].astype(int).to_numpy()
    ends = codable["end"].astype(int).to_numpy()
    hits = None
    if fitted.sentences is not None:
        if dictionary is None:
            dictionary = code_answers(answers, respondents, codebook, consultation)
        hits = answer_hits(dictionary, rids, qids, starts, ends)
    texts = RespondentTexts(respondents["respondent_id"].astype(str), respondents["text"])
    tfidf = fitted.vectorizer()
    frames, vetoes, owns = [], [], []
    for at in range(0, len(rids), block_answers):
        part = slice(at, at + block_answers)
        frame, vetoed, own = score_block(
            fitted, codebook, tfidf, encode, threshold, texts, rids[part], qids[part],
            starts[part], ends[part], None if hits is None else hits[part], alone,
        )  # fmt: skip
        if frame is not None:
            frames.append(frame)
        if len(vetoed):
            vetoes.append(vetoed)
        if len(own):
            owns.append(own)
    if fitted.silent and hits is not None:  # session 28: codes the training turned down
        vetoes.append(silent.vetoes(fitted.silent, hits, rids, qids))
    vetoed = pd.concat(vetoes, ignore_index=True) if vetoes else Decisions.none().vetoed
    own = pd.concat(owns, ignore_index=True) if owns else Decisions.none().alone
    if not frames:
        return Decisions(schemas.empty(schemas.CODES), vetoed, own)
    out = pd.concat(frames, ignore_index=True).sort_values(
        ["respondent_id", "start"], kind="stable"
    )
    return Decisions(schemas.conform(out.reset_index(drop=True), schemas.CODES), vetoed, own)


def trained_decisions(
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    codebook: Codebook,
    consultation: Consultation | None,
    encode: Encoder | None = None,
    cache_dir: str | Path | None = None,
    dictionary: pd.DataFrame | None = None,
    alone: bool = False,
) -> Decisions:
    """The decisions of the codebook's ``training_answers`` file (none without one).

    Without the embedding model installed (and no ``encode`` given) it logs one
    warning and decides nothing. ``cache_dir``: where fitted classifiers are kept
    between runs (``fitted_for``). ``alone``: also ``Decisions.alone`` (evaluation).
    """
    if codebook.training_answers is None:
        return Decisions.none()
    if encode is None and not embedding.available(embedding.CODING_MODEL):
        log.warning("trained coding: the embedding model is not installed: no codes")
        return Decisions.none()
    training = read_training_answers(codebook.training_answers, codebook)
    cut = THRESHOLD if codebook.training_threshold is None else codebook.training_threshold
    out = decide_trained(
        answers, respondents, codebook, consultation, training, encode, cut, cache_dir,
        dictionary, alone=alone,
    )  # fmt: skip
    log.info("trained coding: %d codes from %d training answers", len(out.codes), len(training))
    return out


def add_trained_codes(
    codes: pd.DataFrame,
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    codebook: Codebook,
    consultation: Consultation | None,
    encode: Encoder | None = None,
    cache_dir: str | Path | None = None,
) -> pd.DataFrame:
    """``codes`` plus the trained codes of answer × themes no counted code has yet.

    The coding stage's one call; ``codes`` unchanged when the codebook names no
    ``training_answers``. Trained codes whose evidence copies the consultation's own
    text are left out (``echo``), as dictionary codes are. With ``training_stacker``
    the dictionary codes the stacker vetoes are dropped first (``stack.drop_vetoed``).
    """
    decided = trained_decisions(
        answers, respondents, codebook, consultation, encode, cache_dir, codes
    )
    codes = stack.drop_vetoed(codes, decided.vetoed)
    new = drop_echoes(decided.codes, consultation)
    if not len(new):
        return codes
    new = schemas.not_yet_coded(codes, new)
    log.info("trained coding: %d codes added", len(new))
    return schemas.conform(pd.concat([codes, new], ignore_index=True), schemas.CODES)
