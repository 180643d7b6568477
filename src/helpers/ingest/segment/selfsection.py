"""Which of a document's own-words sections is the respondent's self-description (issue 12,
session 25).

Why: the joint reading (``joint``) never offers a section the profile question: who
writes is read from headings and forms, and a body saying "I live on ..." is a view's
context as often as a self-description. So when the profile answer sits under a heading
in the respondent's own words ("Who's doing the marking", "Who we asked", "Before we
answer your questions: who we are", "Company details", "Age 16 - where I started",
"RIV/01 - Respondent details"), it stayed in the preamble or unstructured, or the meaning
pass put it under another question: 35 right-question misses in 14 of the spent batches
1-27, 18 of them in batches 24-27 (census, docs/segmentation.md "Session 25").

The reader is LEARNED, not a list of headings: a logistic regression over generic
features of a section (``features``: the body-kind word-class rates of ``bodykind``,
whether the heading is a ``self`` or another kind's frame (``intents``), whether the
first sentence says who writes (``passages.describes_self``) or takes a position,
whether the heading or first sentence is a title or introduction (the letter cues),
the section's place in the document, the joint reading's evidence for the profile
question against the best other question, and whether the words alone already place
the section, and since session 28 whether a self frame follows the section's own running
label, ``label_self_frame``). It was fitted on the joint reading's recorded sections of
the spent batches 2-30 (``benchmarks.seg_self_train``; weights and the threshold, 0.5, in
``helpers/data/self_section_model.json``), the threshold chosen leave-one-batch-out.

It is used only where the document has no row under the profile question at all: then
the section most likely to be the self-description, if at least the threshold, is
placed under the profile question. A document that answers the profile question
anywhere is left alone, so a form's "About you" row is never second-guessed.
Deterministic: fixed weights, regular expressions.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from helpers.ingest.segment import bodykind, intents
from helpers.ingest.segment.letters import _patterns, lead_sentences
from helpers.ingest.segment.passages import describes_self, takes_position

MODEL_FILE = "self_section_model.json"
FEATURES = (
    *bodykind.FEATURES,
    "self_frame",
    "other_frame",
    "describes_self",
    "takes_position",
    "place",
    "first",
    "profile_score",
    "profile_margin",
    "profile_best",
    "heading_words",
    "title_heading",
    "intro_sentence",
    "opening",
    "placed_by_words",
    "label_self_frame",
)
_BODY_CHARS = 3000
# A label's end: a spaced dash, a colon, a middle dot, an arrow or a bar ("Badge 1 – Who we
# are", "Stop 1 – Getting on: who we are", "1 · About the club", "0 => who I am").
_LABEL_END = re.compile(r"\s[–—-]+\s|:\s|\s·\s|=>|\s\|\s")


@cache
def model() -> dict:
    """The fitted weights: feature means and scales, coefficients, intercept, threshold."""
    path = resources.files("helpers.data").joinpath(MODEL_FILE)
    return json.loads(path.read_text(encoding="utf-8"))


def label_self_frame(heading: str) -> bool:
    """Whether the heading is a label followed by a ``self`` frame, when the whole heading
    is not one: "On the pass – who we are", "Badge 1 – Who we are", "Prologue: who is
    writing", "關於我們 About us", "1 · About the club".

    Why (session 28): in batches 26-30 respondents head every section with a running label
    of their own (menu courses, badges, bus stops, rounds, exhibits) and put the frame after
    it; ``intents.intent_of`` reads only a heading that is nothing but a frame, so the
    self-description reader saw no frame there and scored 8 such sections of batches 26-30
    under its threshold. The label is read by shape only (what follows its last separator,
    or the heading without its leading numbers, marks or non-Latin words), no words.
    """
    whole = intents.intent_of(heading)
    if whole is not None and whole[0] == "self":
        return False
    parts = _LABEL_END.split(heading)
    tails = [parts[-1]] if len(parts) > 1 else []
    tails += [re.sub(r"^[\W\d_]+", "", heading), re.sub(r"^[^A-Za-z]+", "", heading)]
    for t in tails:
        if t.strip() and t != heading:
            found = intents.intent_of(t)
            if found is not None and found[0] == "self":
                return True
    return False


def features(
    text: str,
    free: list[tuple],
    s: int,
    scores: np.ndarray,
    profile: int,
    placed: list[tuple[int | None, float]],
    margin: float,
) -> np.ndarray:
    """Section ``s``'s features (``FEATURES`` order).

    ``free`` are the joint reading's sections (heading start, body start, end,
    heading, body), ``scores`` its (sections, questions) word evidence, ``profile``
    the profile question's column and ``placed`` the words-only joint solution.
    """
    a, _b, _e, heading, body = free[s]
    found = intents.intent_of(heading) if heading else None
    first = lead_sentences(body, 1)
    pats = _patterns()
    others = [j for j in range(scores.shape[1]) if j != profile]
    ps = float(scores[s, profile])
    po = float(max(scores[s, j] for j in others)) if others else 0.0
    column = scores[:, profile]
    j, m = placed[s]
    extra = [
        float(found is not None and found[0] == "self"),
        float(found is not None and found[0] != "self"),
        float(describes_self(first)),
        float(takes_position(first)),
        s / max(len(free) - 1, 1),
        float(s == 0),
        ps,
        ps - po,
        float(column[s] >= column.max()),
        math.log1p(len(heading.split())) if heading else 0.0,
        float(
            bool(
                heading and (pats["intro_always"].search(heading) or pats["intro"].search(heading))
            )
        ),
        float(bool(pats["intro_always"].search(first))),
        float(not text[:a].strip()),
        float(j is not None and m >= margin),
        float(bool(heading) and label_self_frame(heading)),
    ]
    return np.concatenate([bodykind.features(body[:_BODY_CHARS]), extra])


def probability(x: np.ndarray, m: dict | None = None) -> np.ndarray:
    """The probability that each row of ``x`` (features) is the self-description."""
    m = m or model()
    z = (np.atleast_2d(x) - np.asarray(m["mean"])) / np.asarray(m["scale"])
    z = z @ np.asarray(m["coef"]) + float(m["intercept"])
    return 1.0 / (1.0 + np.exp(-z))


def probabilities(
    text: str,
    free: list[tuple],
    scores: np.ndarray,
    profile: int,
    placed: list[tuple[int | None, float]],
    margin: float,
    m: dict | None = None,
) -> np.ndarray:
    """Each section's probability of being the self-description."""
    x = np.vstack(
        [features(text, free, s, scores, profile, placed, margin) for s in range(len(free))]
    )
    return probability(x, m)


def profile_section(
    text: str,
    free: list[tuple],
    scores: np.ndarray,
    profile: int,
    placed: list[tuple[int | None, float]],
    margin: float,
    m: dict | None = None,
) -> tuple[int, float] | None:
    """(section, probability) of the document's self-description, or None.

    The most likely section when its probability reaches the model's threshold
    (chosen leave-one-batch-out); the caller applies it only to a document with no
    row under the profile question.
    """
    if not free:
        return None
    m = m or model()
    p = probabilities(text, free, scores, profile, placed, margin, m)
    s = int(np.argmax(p))
    return (s, float(p[s])) if p[s] >= float(m["threshold"]) else None


def for_document(
    rows: pd.DataFrame, text: str, free: list[tuple], scores: np.ndarray, qs, placed, margin: float
) -> tuple[int, int, float] | None:
    """(section, profile question, probability) of the document's self-description, or None.

    Rationale: the joint reading offers no section the profile question, so a
    self-description under the respondent's own heading stayed in the preamble or
    unstructured, or went to another question by meaning. The reader is asked only
    when the document's ``rows`` (before the joint reading) hold nothing under the
    profile question (a form's or a heading's "About you" is never second-guessed),
    and places at most one section, the likeliest, at the threshold chosen
    leave-one-batch-out (docs/segmentation.md "Session 25").
    """
    prof = [j for j, q in enumerate(qs) if q.kind == "profile"]
    if len(prof) != 1 or rows["question_id"].eq(qs[prof[0]].id).any():
        return None
    found = profile_section(text, free, scores, prof[0], placed, margin)
    return None if found is None else (found[0], prof[0], found[1])


def settled(
    rows: pd.DataFrame, text: str, free: list[tuple], scores: np.ndarray, qs, placed, margin: float
) -> list[int]:
    """The sections the earlier steps put under the profile question that the reader
    also takes for a self-description: the joint reading offers them no other question.

    Rationale: the joint reading compares a section's words with the questions'
    only, and a self-description names the respondent's places, members and work,
    which are other questions' words: ofsted-docs-11's "me", ofsted-docs-21's "Who are
    you responding for?", ofsted-docs-23's "CAPACITY" and ofsted-docs-25's
    "Respondent details", each under the profile question by its heading, were moved
    to the first or third question. The two sections the joint reading rightly moved
    off the profile question in batches 2-27 (a view on the scheme's streets placed
    there by meaning, transport-13 and -20) have a held-out probability under 0.01;
    the four above 0.65.
    """
    prof = [j for j, q in enumerate(qs) if q.kind == "profile"]
    if len(prof) != 1 or not free:
        return []
    pid = qs[prof[0]].id
    under = []
    for s, (_a, b, e, _h, _body) in enumerate(free):
        hit = rows[(rows["start"] < e) & (rows["end"] > b)].sort_values("start", kind="stable")
        if len(hit) and hit["question_id"].iloc[0] == pid:
            under.append(s)
    if not under:
        return []
    m = model()
    p = probabilities(text, free, scores, prof[0], placed, margin, m)
    return [s for s in under if p[s] >= float(m["threshold"])]
