"""A learned second reader of short answers to open questions: non-answers the phrases miss.

The phrases of ``helpers/data/non_answers.yaml`` (``helpers.ingest.nonanswers``) judge
an answer by whether ALL of it is non-answer phrases, so each new way of saying
nothing ("Nothing to add beyond the covering e-mail.", "None from me, see the
campaign page.", "Skip") is missed until someone writes its phrase. Eight
sessions of phrases fitted to spent batches caught 300 of 313 spent gold
non-answers but only 2 of 6 in the next unseen batch (session 15, batch 17).

This reader scores the SHAPE of a short answer, not its words of one
consultation. A logistic regression (weights in ``helpers/data/nonanswer_model.json``,
trained by ``benchmarks/nonanswer_model.py`` on the gold answers of spent
development sets and validated leave-one-batch-out) over general features:

- length (words), and the share that are English function words;
- how much of the answer the package's own non-answer phrases cover as
  pieces (``_coverage``: "nothing to add" covers three of the seven words of
  "Nothing to add beyond the covering e-mail"), and whether a core phrase
  is among the pieces;
- content words the question does not use, and that are no pointer or
  negation word (a short answer with a topic of its own says something);
  the share of its content words that are the question's own;
- pointers to elsewhere ("above", "covering", "earlier": ``short_answer.pointers``
  in ``non_answers.yaml``), negation and "nothing" words (``short_answer.negations``),
  a first-person pronoun, a question mark, a leading paragraph number.

It is applied only to answers of at most ``max_words`` words to questions
whose own kind is open, that the phrases kept: to a closed question a bare
"Yes", "fine by me" or "No strong view" is the respondent's position, and a
reader of shape cannot tell it from a non-answer (the leave-one-batch-out
run of session 15 raised 10 such false positives when closed questions were
included). Cost: one normalisation and a dynamic programme over at most
``max_words`` words per short open answer.
"""

from __future__ import annotations

import functools
import json
import math
import re
from importlib import resources

import yaml

from helpers.ingest.nonanswers import (
    load_rule,
    normalise,
    without_question_copy,
    without_sign_off,
)

MODEL_FILE = "nonanswer_model.json"  # in helpers/data/
FEATURES = (
    "log_words",
    "inverse_words",
    "function_share",
    "question_share",
    "log_novel",
    "coverage",
    "core",
    "pointer",
    "negation",
    "first_person",
    "question_mark",
    "numbered",
)
_FIRST_PERSON = re.compile(r"\b(?:i|we|me|us|our|my|ive|weve|ill|well|id|wed|im)\b")


@functools.cache
def package_words() -> tuple[frozenset[str], dict]:
    """English function words (``stopwords_en.txt``) and the parsed ``non_answers.yaml``: the
    package data both non-answer readers (this one and ``substantive``) draw their lists from."""
    data = resources.files("helpers").joinpath("data")
    stop = frozenset(
        w.strip().lower()
        for w in data.joinpath("stopwords_en.txt").read_text(encoding="utf-8").splitlines()
        if w.strip() and not w.lstrip().startswith("#")
    )
    raw = yaml.safe_load(data.joinpath("non_answers.yaml").read_text(encoding="utf-8"))
    return stop, raw


@functools.cache
def _words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """English function words, pointer words and negation words (package data)."""
    stop, raw = package_words()
    short = raw.get("short_answer") or {}
    pointers = frozenset(str(w).lower() for w in short.get("pointers") or [])
    negations = frozenset(str(w).lower() for w in short.get("negations") or [])
    return stop, pointers, negations


@functools.cache
def load_model() -> dict | None:
    """The packaged weights, or None when the file is absent (the reader is then off)."""
    source = resources.files("helpers").joinpath("data", MODEL_FILE)
    if not source.is_file():
        return None
    model = json.loads(source.read_text(encoding="utf-8"))
    if tuple(model.get("features") or ()) != FEATURES:
        raise ValueError(f"{MODEL_FILE}: features {model.get('features')} != {FEATURES}")
    return model


def _coverage(norm: str) -> tuple[float, bool]:
    """Share of the words the open-question phrases cover as pieces, and whether one is a core.

    A dynamic programme over word positions: at each word either skip it or
    take a phrase unit (core or filler) ending at a later word; the most
    words covered wins (ties prefer a path through a core).
    """
    units = load_rule().any_question
    words = norm.split()
    starts = _word_starts(words)
    n = len(words)
    real = sum(w != "." for w in words)
    best: list[tuple[int, bool] | None] = [None] * (n + 1)
    best[0] = (0, False)
    for i in range(n):
        if best[i] is None:
            continue
        covered, core = best[i]
        best[i + 1] = max(best[i + 1] or (-1, False), (covered, core))
        for j in range(i, n):
            end = starts[j] + len(words[j])
            is_core = units.core.fullmatch(norm, starts[i], end) is not None
            if not is_core and units.filler.fullmatch(norm, starts[i], end) is None:
                continue
            gain = sum(w != "." for w in words[i : j + 1])
            cand = (covered + gain, core or is_core)
            best[j + 1] = max(best[j + 1] or (-1, False), cand)
    covered, core = best[n] or (0, False)
    return (covered / real if real else 1.0), core


def _word_starts(words: list[str]) -> list[int]:
    """Each word's offset in ``" ".join(words)`` (the normalised text is single-spaced)."""
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    return starts


def _longest_core(norm: str) -> int:
    """The most words of one core phrase (any question's) found inside ``norm``: "nothing to
    add" is three; a bare "nothing" or "none", which may be the subject of a view, is one."""
    units = load_rule().any_question
    words = norm.split()
    starts = _word_starts(words)
    best = 0
    for i in range(len(words)):
        for j in range(i + best, len(words)):
            if units.core.fullmatch(norm, starts[i], starts[j] + len(words[j])):
                best = max(best, sum(w != "." for w in words[i : j + 1]))
    return best


def _head(word: str) -> str:
    """The word's first five letters, the crude stem the model's question-word features were
    trained with: not ``helpers.core.stemming``, which would change what the model was fitted on."""
    return word[:5]


def features(text: str, question_text: str | None) -> list[float] | None:
    """The feature vector of ``text`` (module docstring), or None when it is not scored: longer
    than ``max_words`` words, or with no sign of a non-answer at all (no phrase piece, pointer
    or negation word). Without that gate the model, which has seen few short answers with
    a view, took any one-word answer to an open question ("Carers.", "Parking") for one."""
    model = load_model()
    max_words = int(model["max_words"]) if model else 30
    rest = without_sign_off(without_question_copy(text, question_text))
    norm = normalise(rest)
    words = [w for w in norm.split() if w != "."]
    n = len(words)
    if n == 0 or n > max_words:
        return None
    stop, pointers, negations = _words()
    asked = {
        _head(w) for w in normalise(question_text or "").split() if w not in stop and len(w) > 2
    }
    content = [w for w in words if w not in stop and len(w) > 2 and not w.isdigit()]
    own = sum(_head(w) in asked for w in content)
    novel = [w for w in content if _head(w) not in asked and w not in pointers | negations]
    coverage, core = _coverage(norm)
    pointer = any(w in pointers for w in words)
    negation = any(w in negations for w in words)
    if not (pointer or _longest_core(norm) >= 2):
        return None  # no sign of a non-answer at all: "Carers.", "Parking" are answers
    return [
        math.log1p(n),
        1.0 / (1 + n),
        sum(w in stop for w in words) / n,
        own / len(content) if content else 0.0,
        math.log1p(len(novel)),
        coverage,
        float(core),
        float(pointer),
        float(negation),
        float(_FIRST_PERSON.search(norm) is not None),
        float(rest.strip().endswith("?")),
        float(re.match(r"\s*\d", rest) is not None),
    ]


def probability(text: str, question_text: str | None, model: dict | None = None) -> float:
    """The model's probability that ``text`` says nothing about the question (0 if unscored)."""
    model = model if model is not None else load_model()
    if model is None or not isinstance(text, str):
        return 0.0
    x = features(text, question_text)
    if x is None:
        return 0.0
    z = float(model["intercept"])
    for v, mu, sd, w in zip(x, model["mean"], model["scale"], model["coef"], strict=True):
        z += w * (v - mu) / sd
    return 1.0 / (1.0 + math.exp(-z))


def short_non_answer(text: str, question_text: str | None) -> bool:
    """Whether the learned reader takes an open question's short ``text`` for a non-answer."""
    model = load_model()
    return model is not None and probability(text, question_text, model) >= model["threshold"]
