"""The explorer's data: counts per cell and a bounded, redacted sample of quotes per cell.

``explorer.html`` (:mod:`helpers.report.explorer`) lets a reader filter by
question, theme, stance and respondent attribute with no server. It must stay
small and fast at 100,000 respondents, so it never carries every answer:

* **counts**: one row per *cell* (question × profile × stance × theme), where a
  *profile* is one combination of attribute values (respondent type and each
  declared attribute) and theme ``-1`` is the row of respondents who answered.
  The counting rules are the analysis tables' (``analysis.answered``,
  ``analysis.raised``): a respondent counts once per question; a theme counts
  when one non-negated code raised it. Someone coded in a question counts as
  answering it. Summing cells gives every filtered count exactly; their number is
  bounded by the categories, not the respondents.
* **quotes**: per cell at most ``per_cell`` quotes (the evidence sentence for a
  theme cell, one per respondent; the opening of the answer for the answered
  row), chosen by a stable hash of the respondent id, so the same data gives the
  same sample; ``per_cell`` shrinks until the whole sample fits ``budget``.
  Only the sample is redacted (``analysis.redact_inputs``) — the full answer
  before it is cut to ``excerpt_chars``, so a cut never splits an e-mail address
  out of a placeholder.

Open attributes pass through ``analysis.breakdown_by``, so a value only one
respondent gave is counted as ``other``, as in the report's tables.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

import numpy as np
import pandas as pd

from helpers import analysis
from helpers.analysis import AnalysisInputs
from helpers.core.attributes import RESPONDENT_TYPE
from helpers.core.redact import redact_value
from helpers.core.schemas import (
    RESPONDENT_TYPES,
    STANCE_LABELS,
    STANCES,
    counted_codes,
    substantive_answers,
)
from helpers.report.bidi import strip_bidi

NO_STANCE = "none"
NO_STANCE_LABEL = "No stance recorded"
ANSWERED = -1  # the theme index of a cell's "answered" row


@dataclasses.dataclass(frozen=True)
class SampleLimits:
    """How many quotes the file carries: at most ``per_cell`` per cell, ``budget`` in all."""

    per_cell: int = 20
    budget: int = 12_000
    excerpt_chars: int = 300


def stable_rank(keys: pd.Series) -> pd.Series:
    """A deterministic pseudo-random order: the first 8 bytes of each key's SHA-1."""
    return keys.astype(str).map(
        lambda k: int.from_bytes(hashlib.sha1(k.encode("utf-8")).digest()[:8], "big")
    )


def per_cell_limit(sizes: pd.Series, limits: SampleLimits) -> int:
    """The largest k ≤ ``per_cell`` whose sample, Σ min(k, size), fits the budget (at least 1)."""
    k = limits.per_cell
    while k > 1 and int(sizes.clip(upper=k).sum()) > limits.budget:
        k -= 1
    return k


def excerpt(text: str, limit: int) -> str:
    """``text`` cut at a word boundary before ``limit`` characters, with an ellipsis if cut."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(",;:") + "…"


def _profiles(inputs: AnalysisInputs) -> tuple[pd.Series, list[dict], list[list[int]]]:
    """Each respondent's profile index, the attributes (values in display order), the profiles."""
    cons = inputs.consultation
    frame = inputs.respondents[["respondent_id", RESPONDENT_TYPE]].copy()
    frame["respondent_id"] = frame["respondent_id"].astype(str)
    frame[RESPONDENT_TYPE] = frame[RESPONDENT_TYPE].fillna("unknown").astype(str)
    attrs, columns = [], []
    for attr_id in analysis.attribute_ids(cons):
        frame = analysis.breakdown_by(frame, inputs.attributes, attr_id, cons)
        labels = analysis.breakdown_labels(inputs.attributes, attr_id, cons)
        present = set(frame[attr_id])
        if labels is None:
            order = sorted(present, key=lambda v: (_type_rank(v), v))
            values = [{"id": v, "label": analysis.type_label(v)} for v in order]
        else:
            order = [v for v in labels if v in present] + sorted(present - set(labels))
            values = [{"id": v, "label": labels.get(v, v)} for v in order]
        index = {v["id"]: i for i, v in enumerate(values)}
        frame[f"_{attr_id}"] = frame[attr_id].map(index).astype("int64")
        columns.append(f"_{attr_id}")
        attrs.append(
            {"id": attr_id, "label": analysis.attribute_label(attr_id, cons), "values": values}
        )
    combos = frame[columns].drop_duplicates().sort_values(columns).reset_index(drop=True)
    combos["_profile"] = range(len(combos))
    frame = frame.merge(combos, on=columns, how="left")
    profile = pd.Series(frame["_profile"].to_numpy(), index=frame["respondent_id"])
    return profile, attrs, combos[columns].to_numpy().tolist()


def _type_rank(value: str) -> int:
    return RESPONDENT_TYPES.index(value) if value in RESPONDENT_TYPES else len(RESPONDENT_TYPES)


def _cells(inputs: AnalysisInputs, questions: list[str], profile: pd.Series) -> pd.DataFrame:
    """Who answered each question, with their profile and stance index: (rid, q, p, s)."""
    pairs = analysis.answered(inputs.answers, inputs.stances)
    coded = analysis.raised(inputs.codes)[["respondent_id", "question_id"]]
    pairs = pd.concat([pairs, coded.astype("string")]).drop_duplicates()
    pairs = pairs[pairs["question_id"].isin(questions)].astype(str)
    pairs = pairs[pairs["respondent_id"].isin(profile.index)]
    stance = inputs.stances[["respondent_id", "question_id", "stance"]].astype(str)
    stance = stance.drop_duplicates(["respondent_id", "question_id"])
    pairs = pairs.merge(stance, on=["respondent_id", "question_id"], how="left")
    order = [*STANCES, NO_STANCE]
    pairs["s"] = pairs["stance"].fillna(NO_STANCE).map({s: i for i, s in enumerate(order)})
    pairs["s"] = pairs["s"].fillna(len(order) - 1).astype("int64")
    pairs["q"] = pairs["question_id"].map({q: i for i, q in enumerate(questions)}).astype("int64")
    pairs["p"] = pairs["respondent_id"].map(profile).astype("int64")
    return pairs[["respondent_id", "question_id", "q", "p", "s"]].reset_index(drop=True)


def _theme_rows(inputs: AnalysisInputs, pairs: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """(rid, qid, q, p, s, t) for each theme raised, themes that apply to the question only."""
    r = analysis.raised(inputs.codes).astype({"respondent_id": str, "question_id": str})
    r["theme_id"] = r["theme_id"].astype(str)
    index = {t: i for i, t in enumerate(themes["id"])}
    applies = {t: set(qs) for t, qs in zip(themes["id"], themes["questions"], strict=True)}
    r = r[r["theme_id"].isin(index)]
    ok = pd.Series(
        [
            not applies[t] or q in applies[t]
            for t, q in zip(r["theme_id"], r["question_id"], strict=True)
        ],
        index=r.index,
        dtype=bool,
    )  # a Series: an empty list would select no columns, not no rows
    r = r[ok].merge(pairs, on=["respondent_id", "question_id"], how="inner")
    r["t"] = r["theme_id"].map(index).astype("int64")
    return r


def _counts(pairs: pd.DataFrame, theme_rows: pd.DataFrame) -> pd.DataFrame:
    answered = pairs.groupby(["q", "p", "s"]).size().rename("n").reset_index()
    answered["t"] = ANSWERED
    raised = theme_rows.groupby(["q", "p", "s", "t"]).size().rename("n").reset_index()
    out = pd.concat([answered, raised], ignore_index=True)
    return out.sort_values(["q", "t", "p", "s"]).reset_index(drop=True)


def _candidates(
    inputs: AnalysisInputs, pairs: pd.DataFrame, theme_rows: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Quote candidates: one evidence sentence per theme raised, one answer per answered pair."""
    codes = counted_codes(inputs.codes)
    codes = codes[codes["quote"].fillna("").astype(str).str.strip() != ""].copy()
    codes = codes.astype({"respondent_id": str, "question_id": str, "theme_id": str})
    # One sentence per respondent and theme: the one closest to 160 characters, then first.
    codes["_d"] = (codes["quote"].astype(str).str.strip().str.len() - 160).abs()
    codes = codes.sort_values(["_d", "start"]).drop_duplicates(
        ["respondent_id", "question_id", "theme_id"]
    )
    keys = ["respondent_id", "question_id", "theme_id"]
    evidence = theme_rows.merge(codes[[*keys, "start", "end", "quote"]], on=keys, how="inner")
    # The answers' row numbers, not their text: only the sampled rows' text is read
    # (:func:`_with_text`; issue 15).
    ans = inputs.answers.assign(_row=np.arange(len(inputs.answers)))
    ans = ans[substantive_answers(inputs.answers)]
    ans = ans.astype({"respondent_id": str, "question_id": str})
    ans = ans.sort_values("start").drop_duplicates(["respondent_id", "question_id"])
    answers = pairs.merge(
        ans[["respondent_id", "question_id", "start", "end", "_row"]],
        on=["respondent_id", "question_id"],
        how="inner",
    )
    answers["t"] = ANSWERED
    return evidence, answers


def _with_text(inputs: AnalysisInputs, answers: pd.DataFrame) -> pd.DataFrame:
    """The sampled ``answers`` with their ``answer_text``, read for those rows only when the
    inputs were loaded without every answer's text."""
    rows = answers["_row"].to_numpy(dtype="int64")
    mask = np.zeros(len(inputs.answers), dtype=bool)
    mask[rows] = True
    if hasattr(inputs, "with_answer_text"):
        inputs = inputs.with_answer_text(mask)
    column = inputs.answers["answer_text"]
    text = pd.array(column.to_numpy()[rows], dtype=column.dtype)
    return answers.drop(columns="_row").assign(answer_text=text)


def _sample(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    frame = frame.copy()
    frame["rank"] = stable_rank(frame["respondent_id"] + "\x1f" + frame["t"].astype(str))
    frame = frame.sort_values(["q", "p", "s", "t", "rank"])
    return frame[frame.groupby(["q", "p", "s", "t"]).cumcount() < k]


def explorer_data(
    inputs: AnalysisInputs, title: str, limits: SampleLimits | None = None
) -> tuple[dict[str, Any], pd.DataFrame]:
    """The explorer's data (plain JSON-ready dict) and the redaction log of its quotes."""
    limits = limits or SampleLimits()
    cons = inputs.consultation
    questions = list(cons.questions)
    qids = [q.id for q in questions]
    themes = analysis.theme_frame(inputs.codebook)
    profile, attrs, profiles = _profiles(inputs)
    pairs = _cells(inputs, qids, profile)
    theme_rows = _theme_rows(inputs, pairs, themes)
    counts = _counts(pairs, theme_rows)

    evidence, answers = _candidates(inputs, pairs, theme_rows)
    sizes = pd.concat(
        [
            evidence.groupby(["q", "p", "s", "t"]).size(),
            answers.groupby(["q", "p", "s", "t"]).size(),
        ]
    )
    k = per_cell_limit(sizes, limits) if len(sizes) else limits.per_cell
    evidence, answers = _sample(evidence, k), _with_text(inputs, _sample(answers, k))
    # Redact only what is shipped, through the report's choke point (names given as metadata too).
    subset = dataclasses.replace(
        inputs,
        codes=evidence.drop(columns=["t", "q", "p", "s", "rank", "mentions"], errors="ignore"),
        answers=answers[["respondent_id", "question_id", "answer_text"]],
        stances=inputs.stances.iloc[0:0],
        uncoded=inputs.uncoded.iloc[0:0],
    )
    redacted, redaction_log = analysis.redact_inputs(subset)
    evidence = evidence.assign(text=redacted.codes["quote"].to_numpy())
    answers = answers.assign(text=redacted.answers["answer_text"].to_numpy())
    quotes = pd.concat([evidence, answers], ignore_index=True).sort_values(["rank", "q", "t"])
    quotes["text"] = [
        excerpt(strip_bidi(str(t)), limits.excerpt_chars) for t in quotes["text"].to_numpy()
    ]
    who = analysis.attributions(inputs.respondents)
    quotes["who"] = [
        str(redact_value(strip_bidi(str(w))))
        for w in quotes["respondent_id"].map(who).fillna("Respondent")
    ]

    stance_order = [*STANCES, NO_STANCE]
    stance_labels = {**STANCE_LABELS, NO_STANCE: NO_STANCE_LABEL}
    data = {
        "title": str(redact_value(strip_bidi(title))),
        "n_respondents": int(len(inputs.respondents)),
        "questions": [{"id": q.id, "label": q.label, "text": q.text} for q in questions],
        "themes": [
            {
                "id": t,
                "label": label,
                "q": [qids.index(q) for q in qs if q in qids],
            }
            for t, label, qs in zip(themes["id"], themes["label"], themes["questions"], strict=True)
        ],
        "stances": [{"id": s, "label": stance_labels[s]} for s in stance_order],
        "attributes": attrs,
        "profiles": profiles,
        "counts": {c: counts[c].astype(int).tolist() for c in ("q", "p", "s", "t", "n")},
        "quotes": {
            **{c: quotes[c].astype(int).tolist() for c in ("q", "p", "s", "t")},
            "text": quotes["text"].tolist(),
            "who": quotes["who"].tolist(),
        },
        "sample": {
            "per_cell": int(k),
            "budget": limits.budget,
            "excerpt_chars": limits.excerpt_chars,
            "n_quotes": int(len(quotes)),
        },
    }
    return data, redaction_log
