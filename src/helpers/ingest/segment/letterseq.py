"""A letter's paragraphs decoded as one sequence, with learned emission scores.

Why: a letter or e-mail with no headings is read by hand rules
(``letters.split_letter``, then ``meaning`` and ``ordered``/``aligned``), each
written from one batch's errors; on the letters of the spent batches they
place barely half of the answers under the right question. What a reader
uses is the same everywhere: each paragraph's meaning (its closeness to the
answers the run placed under each question and to the question's wording),
the question's own topic words in the paragraph's first sentences, whether
it takes a position (a closed question needs one), and the letter's flow:
respondents answer mostly in the consultation's order, the paragraph after
an answer often goes on with it, and the opening and the last lines say who
writes and sign off. Here those are combined with weights learned from the
spent development batches, not set by hand:

* **Units**: the letter's blank-line paragraphs, cut again at the rules' row
  bounds (``learned.units_of``), so the rules' own decision is one option.
* **Emission**: a conditional logit (softmax) over each unit's choices, "no
  question" (choice 0: preamble, sign-off, off-topic) or a question, over
  the features in :data:`FEATURES` (:func:`features`). The "no question"
  choice has its own features (first or last paragraph, short, an
  introduction, a greeting, no topic words, the rules left it out), so how
  sure the model must be before placing a paragraph is learned, not a
  threshold.
* **Sequence** (:func:`decode`): Viterbi over (this unit's choice, the last
  question answered): going on with the question of the unit before gains
  ``cont`` (not when the unit opens a new point: "Finally", "One more
  thing"), going back to a question earlier than the last one answered costs
  ``back``. Both are chosen on the training batches, not by hand.

A *letter* is a document whose rows were all made by the letter and meaning
rules (no heading, number, form row or survey column placed anything, and no
section was placed by its own heading): :func:`is_letter`. Other documents
are never touched. The weights would ship in ``helpers/data/letter_decoder.json``
(``benchmarks/letter_decoder.py`` trains them and reports nested
leave-one-batch-out scores); without the file, or with its ``enabled`` false,
the pass changes nothing. Session 14 shipped no file (precision fell on half
the batches); session 16 ships weights trained on spent batches 2-18 with the
setting (``full``, ``keep`` 3, ``cont`` 0, ``back`` 2) that
``benchmarks/letter_lobo.py`` chooses nested leave-one-batch-out with the
evaluator's own scorer and a precision-neutral objective (docs/segmentation.md,
"The letter decoder switched on"). The flow features ``q_prev_rules``,
``q_next_rules``, ``q_in_gap``, ``none_before_first`` and ``none_after_last`` say
where a paragraph sits among the paragraphs the rules placed. Session 17 added
``*_new_point`` / ``*_postscript`` (:func:`opening`); alone they did not pass nested
leave-one-batch-out, and weights that do not name them score as before (:func:`emissions`
reads only the columns the weights name). The weights shipped in session 18 name every
feature, these included: they were refit with the act features below, and the nested
measure of that refit (docs/evaluation.md, "Letters, session 18") had them all. Session 18 added the act features
``q_position_act``, ``q_position_first``, ``q_request_act`` and ``q_experience_act``
(``letteracts``: a paragraph that takes a position, asks for something or tells the
writer's own story, on the question that asks for that kind of answer).
Session 26 added ``mini_*``: the paragraph's cosines with each question's answers and
wording under the consultation's own sentence model (``segmentation_model``, MiniLM by
default) beside the WordLlama ones; nested leave-one-batch-out over batches 2-28 they lost
answers (371 against 376 of 608 for the plain refit), so the shipped weights do not name
them and they are computed only when given (``features(..., mini=)``).
Also ``keep`` (added to the rules' own choice) is chosen on the training
batches; with ``fill_only`` the decoder only places text the rules left out. No consultation's vocabulary is
used: only the questions' wording and the run's answers (``meaning``), and
the generic cue lists of ``data/letter_cues_en.yaml``. Linear in the number
of paragraphs (O(paragraphs × questions²) for the decoder).

Session 27: after the decoder (and ``shortmessage``), ``segment.letteredge`` reads the units
left under no question at the letter's edges with a model of its own (an opening or closing
paragraph that carries an answer), fitted for the shipped weights only.

The features (:data:`FEATURES`, :func:`features`, :func:`opening`) are computed in
``segment.letterfeatures`` (split out in session 26); this module holds the letter
test, the emission scores, the weights and the pass itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from helpers.core import schemas
from helpers.core.consultation import Question
from helpers.ingest.segment import aligned, learned, letteredge, shortmessage
from helpers.ingest.segment.letterfeatures import _IX, FEATURES, _ranks, features
from helpers.ingest.segment.letterflow import decode
from helpers.ingest.segment.meaning import build_model
from helpers.ingest.segment.vectors import TextVectors, run_encoder

__all__ = [
    "FEATURES",
    "LETTER_METHODS",
    "apply_decoder",
    "decode",
    "features",
    "has_letter",
    "is_letter",
    "load_decoder",
    "read_letters",
]

# Rows a letter's reading makes: the letter rules' paragraphs, the meaning pass's
# placements, text left unplaced, and the preamble and sign-off around them.
LETTER_METHODS = frozenset({"paragraph", "unstructured", "meaning", "preamble", "closing"})
WEIGHTS_FILE = "letter_decoder.json"
# The sentence vectors the features are computed with: the package's offline word-vector
# model (WordLlama), whatever the consultation's ``segmentation_model``; the weights were
# trained on its cosines, and it costs little per paragraph at scale.
MODEL = "wordllama"


def is_letter(rows: pd.DataFrame) -> bool:
    """Whether one respondent's rows are a letter's: every row made by the letter and meaning
    rules (:data:`LETTER_METHODS`) and at least one paragraph of text left or placed by them.

    A document with one row placed by a heading, number, table or survey column,
    or a section the meaning pass placed by its own heading (``heading_text``),
    has structure of its own, which the heading rules read; it is left alone.
    """
    methods = set(rows["match_method"].astype(str))
    if "heading_text" in rows.columns and rows["heading_text"].notna().any():
        return False
    return (
        bool(methods)
        and methods <= LETTER_METHODS
        and bool(methods & {"paragraph", "unstructured", "meaning"})
    )


def has_letter(answers: pd.DataFrame) -> bool:
    """Whether any respondent's rows are a letter's (:func:`is_letter`), every respondent
    judged at once: the same tests by whole columns and one ``groupby`` of two booleans,
    not a pandas frame per respondent (issue 15: on a survey export, where no row is a
    letter's, the per-respondent test was a linear run of pandas calls in every ingest)."""
    methods = answers["match_method"].astype(str)
    content = methods.isin(("paragraph", "unstructured", "meaning")).to_numpy(dtype=bool)
    if not content.any():
        return False
    bad = ~methods.isin(LETTER_METHODS).to_numpy(dtype=bool)
    if "heading_text" in answers.columns:
        bad |= answers["heading_text"].notna().to_numpy(dtype=bool)
    flags = pd.DataFrame({"bad": bad, "content": content}, index=answers.index)
    by = flags.groupby(answers["respondent_id"], sort=False)
    return bool((~by["bad"].any() & by["content"].any()).any())


def emissions(feats: np.ndarray, weights: Mapping) -> np.ndarray:
    """Each (unit, choice)'s linear score under ``weights`` (log-probabilities up to a constant).

    The weights name their features; those columns are read, so weights trained before a
    feature was added (kept out of the shipped file unless it passed leave-one-batch-out)
    still score the same. A named feature this module no longer computes is an error."""
    names = list(weights["features"])
    if any(n not in _IX for n in names):
        raise ValueError(f"{WEIGHTS_FILE} was trained on other features: regenerate it")
    if names != list(FEATURES):
        feats = feats[:, :, [_IX[n] for n in names]]
    x = (feats - np.asarray(weights["mean"])) / np.asarray(weights["scale"])
    z = x @ np.asarray(weights["coef"])
    return z - z.max(axis=1, keepdims=True)


def rules_choice(feats: np.ndarray) -> np.ndarray:
    """Each unit's choice by the rules (0 where they placed it under no question)."""
    rules = feats[:, :, _IX["rules"]].copy()
    rules[:, 0] = feats[:, 0, _IX["none_rules_none"]]
    return np.argmax(rules, axis=1)


def with_keep(score: np.ndarray, feats: np.ndarray, keep: float) -> np.ndarray:
    """``score`` with ``keep`` added to the rules' choice of each unit: a change must be
    that much better (the rules are right more often than not)."""
    out = score.copy()
    out[np.arange(len(score)), rules_choice(feats)] += keep
    return out


def fill_only(score: np.ndarray, feats: np.ndarray, units: Sequence[learned.Unit]) -> np.ndarray:
    """``score`` with every unit the rules placed under a question held to that question:
    the decoder then only places text the rules left out (``unstructured``), using the
    placed paragraphs as the letter's order and flow around it."""
    out = score.copy()
    rules = rules_choice(feats)
    for i, u in enumerate(units):
        if rules[i] or u.kind not in ("", schemas.UNSTRUCTURED):
            keep = out[i, rules[i]]
            out[i] = -1e9
            out[i, rules[i]] = keep
    return out


def goes_on(text: str, units: Sequence[learned.Unit]) -> list[bool]:
    """Per unit: may it go on with the question of the unit before? Not when it opens
    a new point ("Finally, ...", "One more thing"): ``new_point`` cues."""
    return [not aligned.opens_new_point(text[u.start : u.end]) for u in units]


@lru_cache(maxsize=1)
def load_decoder() -> dict | None:
    """The shipped weights (``features``, ``mean``, ``scale``, ``coef``, ``keep``, ``cont``,
    ``back``, ``enabled``), or None without the file."""
    path = resources.files("helpers.data").joinpath(WEIGHTS_FILE)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _weight_of(weights: Mapping, name: str) -> float:
    """The coefficient ``weights`` give feature ``name`` (0 when it does not name it)."""
    names = list(weights["features"])
    return float(weights["coef"][names.index(name)]) if name in names else 0.0


def label_letter(
    text: str,
    units: Sequence[learned.Unit],
    questions: tuple[Question, ...],
    cs: np.ndarray,
    vs: np.ndarray,
    weights: Mapping,
    address: np.ndarray | None = None,
    edge: Mapping | None = None,
) -> list[str]:
    """Each unit's label (a question id or ``learned.NONE``) under ``weights``, then the edge
    reader (``letteredge``, session 27: an opening or closing paragraph left out that carries
    an answer) with ``edge`` or the shipped ``letter_edge.json`` (``{}``: off; it runs only
    after the decoder weights it was fitted with).

    Weights that use ``q_addressed`` need its matrix (``address``): it is never silently 0.
    """
    if address is None and _weight_of(weights, "q_addressed"):
        raise ValueError("these decoder weights use q_addressed: pass its matrix (address=)")
    feats = features(text, units, questions, cs, vs, address)
    score = with_keep(emissions(feats, weights), feats, float(weights.get("keep", 0.0)))
    if weights.get("fill_only", False):
        score = fill_only(score, feats, units)
    best = decode(
        score,
        _ranks(questions),
        float(weights["cont"]),
        float(weights["back"]),
        goes_on(text, units),
    )
    labels = [learned.NONE if b == 0 else questions[b - 1].id for b in best]
    labels = shortmessage.opening_answer(text, units, labels, questions, cs)
    edge = letteredge.load_edge() if edge is None else edge
    return letteredge.place_edges(text, units, questions, feats, score, labels, edge, weights)


def apply_decoder(
    answers: pd.DataFrame,
    texts: Mapping[str, str],
    questions: tuple[Question, ...],
    model,
    encode,
    weights: Mapping,
) -> pd.DataFrame:
    """``answers`` with every letter (:func:`is_letter`) re-read by the decoder."""
    numbers = {q.id: q.number for q in questions}
    out: list[pd.DataFrame] = []
    changed = False
    for rid, rows in answers.groupby("respondent_id", sort=False):
        text = texts.get(str(rid), "")
        if not text or not is_letter(rows):
            out.append(rows)
            continue
        units = learned.units_of(text, rows)
        cs, vs = learned.unit_vectors(text, units, model, encode)
        labels = label_letter(text, units, questions, cs, vs, weights)
        if all(lab == u.cur for lab, u in zip(labels, units, strict=True)):
            out.append(rows)
            continue
        changed = True
        rebuilt = learned.rebuild_rows(str(rid), text, units, labels, numbers)
        out.append(_details(rows, rebuilt))
    if not changed:
        return answers
    return schemas.conform(pd.concat(out, ignore_index=True), schemas.ANSWERS)


def _details(rows: pd.DataFrame, rebuilt: list[dict]) -> pd.DataFrame:
    """Rebuilt rows with the heading and warning of the rules' row they start with (same
    question, same start); a row the decoder changed says so."""
    old = {(str(r["question_id"]), int(r["start"])): r for r in rows.to_dict("records")}
    for r in rebuilt:
        match = old.get((r["question_id"], r["start"]))
        if match is not None:
            r.update(
                {k: match.get(k) for k in ("heading_text", "heading_start", "tick_box", "warning")}
            )
        if r["match_method"] == "learned":
            r["warning"] = "assigned by the letter decoder (paragraphs read in order): check"
    return pd.DataFrame(rebuilt)


def read_letters(
    answers: pd.DataFrame, texts: Mapping[str, str], consultation, encode=None, weights=None
) -> pd.DataFrame:
    """The run's letters re-read by the shipped decoder (off without its weights file or
    with ``enabled`` false); the questions' meaning model as ``meaning.build_model`` builds it,
    with :data:`MODEL`'s vectors."""
    weights = weights if weights is not None else load_decoder()
    if answers.empty or not weights or not weights.get("enabled", False):
        return answers
    if not has_letter(answers):
        return answers
    encode = encode or run_encoder(MODEL)
    if encode is None:
        return answers
    vectors = TextVectors(encode)
    model = build_model(answers, consultation, vectors)
    return apply_decoder(answers, texts, tuple(consultation.questions), model, vectors, weights)
