"""Synthesis: the distinct points respondents made under each theme, counted and quoted.

For each (question, theme) and, on closed questions, each side of the question
(respondents who agreed, who disagreed, and the rest), the evidence sentences of
the respondents who raised the theme are embedded, clustered, and each cluster
becomes a *point*: how many respondents made it, out of how many raised the
theme on that side, in the quantifier words of government social research
(:data:`QUANTIFIERS`, always printed with "k of N"), named by its most central
sentence quoted as written. Nothing is generated: every point is an extract,
traceable to its respondent, question and character offsets, and its members
are listed in ``member_evidence``.

Method (docs/reporting.md, "What respondents said"):

* Sentences: the counted (non-negated) evidence spans of the codes table, one
  per (respondent, start, end), personal data redacted first (``core.redact``),
  so the table (written from the local tables) and the report (built from
  redacted ones) cluster the same words and find the same points.
* Vectors: WordLlama's static word vectors (``core.embedding``, offline, tens
  of thousands of sentences a second), falling back to TF-IDF when the model
  package is absent.
* Clusters: agglomerative, average linkage on cosine distance with a fixed
  threshold (:data:`DISTANCE_THRESHOLD`), over sentences sorted by a stable
  key, so the result depends neither on the input order nor on the run. Above
  :data:`MAX_CLUSTERED` sentences a deterministic sample (by a hash of each
  sentence's key) is clustered and every other sentence joins its nearest
  cluster when within the threshold, so counts cover everyone at any size.
* Counts: distinct respondents per cluster (a respondent who says it twice
  counts once). Points made by at least :data:`MIN_RESPONDENTS` respondents are
  kept, at most :data:`MAX_POINTS` per theme and side, most respondents first;
  when no cluster reaches that, the single most typical sentence is kept as the
  one point, "one respondent (1 of N)".
* Representative: the cluster's medoid (highest mean similarity to the other
  members) among sentences of readable length, not already the representative
  of a more frequent theme in the same question, list markers trimmed (the
  offsets move with them, so ``text[start:end]`` is still the quote).

Limits: clusters group sentences that use similar words; two respondents who
make the same argument in different vocabulary can land apart, and a sentence
touching two arguments lands in one. The quote illustrates the point; it is
not a summary of every member.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from helpers.analysis.inputs import AnalysisInputs
from helpers.analysis.redaction import individual_names
from helpers.analysis.sentence_clusters import (
    DISTANCE_THRESHOLD,
    cluster_sentences,
    embed_distinct,
    trim_markers,
    unit_rows,
)
from helpers.core import schemas
from helpers.core.embedding import ModelMissingError
from helpers.core.redact import redact_frame
from helpers.core.schemas import POINTS, counted_codes

log = logging.getLogger(__name__)

__all__ = [
    "QUANTIFIERS",
    "SIDES",
    "cluster_sentences",
    "quantifier",
    "synthesise",
]

# Quantifier words by share of the base, the convention of government social research
# reports ("most", "some", "a few"), always printed with the count ("(8 of 11)").
# Read top-down: the first row whose minimum share the point reaches gives the word;
# "all" needs every member of the base and "one" a single respondent (see quantifier()).
QUANTIFIERS: tuple[tuple[float, str], ...] = (
    (0.90, "almost all"),
    (0.50 + 1e-9, "most"),  # more than half
    (0.30, "many"),
    (0.10, "some"),
    (0.0, "a few"),
)
# Sides of a closed question, by the respondent's stance on it.
SIDES = {
    "strongly_agree": "agree",
    "agree": "agree",
    "strongly_disagree": "disagree",
    "disagree": "disagree",
}
ALL_SIDES = "all"  # the side of every respondent on an open question
NEITHER = "neither"  # neither, don't know, not answered or no stance on a closed question

MIN_BASE = 2  # respondents raising a theme (on a side) before its points are summarised
MIN_RESPONDENTS = 2  # respondents a point needs to be kept (else only the most typical one)
MAX_POINTS = 3  # points per (question, theme, side)
READABLE = (40, 320)  # representative length in characters, preferred
UNPROCESSED_COLUMNS = ["question_id", "theme_id", "side", "respondent_id", "start", "end", "reason"]


def quantifier(k: int, n: int) -> str:
    """The word for ``k`` of ``n`` respondents: all, almost all, most, many, some, a few, one."""
    k, n = int(k), int(n)
    if not 0 < k <= n:
        raise ValueError(f"quantifier: need 0 < k <= n, got k={k}, n={n}")
    if k == n and n > 1:
        return "all"
    if k == 1:
        return "one"
    share = k / n
    return next(word for floor, word in QUANTIFIERS if share >= floor)


def _sentences(inputs: AnalysisInputs) -> pd.DataFrame:
    """The counted evidence sentences, redacted, with the respondent's side of the question."""
    cols = ["respondent_id", "question_id", "theme_id", "start", "end", "quote"]
    # Only the columns read are filtered (issue 15: every column of 2 M codes was copied).
    have = [c for c in (*cols, "negated") if c in inputs.codes.columns]
    codes = counted_codes(inputs.codes[have])
    if codes.empty:
        return pd.DataFrame(columns=[*cols, "text", "side"])
    c = codes[cols].drop_duplicates(["respondent_id", "question_id", "theme_id", "start", "end"])
    c = c.astype({"respondent_id": str, "question_id": str, "theme_id": str})
    # Redacted before clustering (idempotent on quotes ``redact_inputs`` already redacted),
    # so the table (from local inputs) and the report (from redacted ones) find the same points.
    c, _ = redact_frame(c, ["quote"], names=individual_names(inputs.respondents))
    c["text"] = c["quote"].fillna("").astype(str)
    c = c[c["text"].str.strip() != ""]
    closed = {q.id for q in inputs.consultation.questions if q.kind == "closed"}
    c["side"] = _sides(c, inputs.stances, closed)
    return c.sort_values(["question_id", "theme_id", "respondent_id", "start", "end"]).reset_index(
        drop=True
    )


def _sides(c: pd.DataFrame, stances: pd.DataFrame, closed: set[str]) -> np.ndarray:
    """Each sentence's side: its respondent's stance on a closed question (``SIDES``, else
    ``NEITHER``), ``ALL_SIDES`` on an open one. A respondent's last stance row on a question
    counts. Looked up by index, not a Python step per sentence (issue 15)."""
    side = np.full(len(c), ALL_SIDES, dtype=object)
    on_closed = c["question_id"].isin(closed).to_numpy(dtype=bool)
    side[on_closed] = NEITHER
    if stances.empty or not on_closed.any():
        return side
    keys = pd.MultiIndex.from_arrays(
        [stances["respondent_id"].astype(str), stances["question_id"].astype(str)]
    )
    last = ~keys.duplicated(keep="last")
    found = pd.Series(stances["stance"].to_numpy(dtype=object)[last]).map(SIDES)
    at = keys[last].get_indexer(
        pd.MultiIndex.from_arrays(
            [c["respondent_id"].to_numpy()[on_closed], c["question_id"].to_numpy()[on_closed]]
        )
    )
    mapped = np.where(at >= 0, found.to_numpy(dtype=object)[np.maximum(at, 0)], None)
    side[on_closed] = [v if isinstance(v, str) else NEITHER for v in mapped]
    return side


def _representative(group: pd.DataFrame, mean_sim: np.ndarray, used: set) -> int:
    """Row position (in ``group``) of the cluster's medoid among readable, unused sentences.

    ``mean_sim``: each member's mean cosine similarity to the members (itself included).
    Best first: readable, not already quoted, starting as a sentence does, most central
    (to 6 places, so float rounding cannot reorder near-ties), then the stable key. The
    criteria narrow the candidates one after another with array operations, so a cluster
    of 100,000 members costs no Python step per member (issue 15); the result is the
    ``min`` over that tuple (:func:`_representative_reference`).
    """
    length = group["clean"].str.len().to_numpy()
    readable = (length >= READABLE[0]) & (length <= READABLE[1])
    keys = group["key"]
    fresh = ~keys.isin(list(used)).to_numpy(dtype=bool) if used else np.ones(len(group), bool)
    tier = (~readable).astype(np.int8) * 2 + (~fresh).astype(np.int8)
    cand = np.flatnonzero(tier == tier.min())
    # Starting as a sentence does: judged once per distinct first character.
    codes, firsts = pd.factorize(group["clean"].iloc[cand].str[:1].to_numpy(dtype=object))
    tidy = np.array([str(t).isupper() or not str(t).isalpha() for t in firsts], bool)[codes]
    if tidy.any():
        cand = cand[tidy]
    sims = np.asarray(mean_sim, dtype=np.float64)[cand]
    # round(x, 6) never decreases as x grows, so the best rounded value is round(max) and
    # every candidate reaching it lies within 1e-6 of the max: Python's round on those only.
    best = round(float(sims.max()), 6)
    near = cand[sims >= sims.max() - 2e-6]
    near = [i for i in near.tolist() if round(float(mean_sim[i]), 6) == best]
    key_list = keys.to_numpy(dtype=object)
    return min(near, key=lambda i: key_list[i])


def _representative_reference(group: pd.DataFrame, mean_sim: np.ndarray, used: set) -> int:
    """:func:`_representative` with a Python step per member (kept for its test)."""
    length = group["clean"].str.len().to_numpy()
    readable = (length >= READABLE[0]) & (length <= READABLE[1])
    fresh = np.array([k not in used for k in group["key"]])
    tidy = np.array([t[:1].isupper() or not t[:1].isalpha() for t in group["clean"]])
    keys = group["key"].tolist()
    return min(
        range(len(group)),
        key=lambda i: (
            not readable[i],
            not fresh[i],
            not tidy[i],
            -round(float(mean_sim[i]), 6),
            keys[i],
        ),
    )


def _points_of(
    group: pd.DataFrame, vectors: np.ndarray, used: set, max_points: int, threshold: float
) -> list[dict]:
    """The kept points of one (question, theme, side): dicts of POINTS columns plus members."""
    keys = group["key"].to_numpy()
    labels = cluster_sentences(vectors, list(keys), threshold)
    rids, _ = pd.factorize(group["respondent_id"])
    base = int(rids.max()) + 1 if len(rids) else 0
    inside = labels >= 0
    if not inside.any():
        return []
    # Respondents per cluster in one pass over (cluster, respondent) pairs, not a frame per cluster.
    pairs = np.unique(np.stack([labels[inside], rids[inside]], axis=1), axis=0)
    found, n_resp = np.unique(pairs[:, 0], return_counts=True)
    # Each cluster's first member in row order, for the tie-break by its key.
    labs, at = np.unique(labels[inside], return_index=True)
    first = dict(zip(labs.tolist(), np.flatnonzero(inside)[at].tolist(), strict=True))
    order = sorted(
        zip(n_resp.tolist(), found.tolist(), strict=True), key=lambda t: (-t[0], keys[first[t[1]]])
    )
    shared = [(k, lab) for k, lab in order if k >= MIN_RESPONDENTS][:max_points]
    kept = [(k, np.flatnonzero(labels == lab)) for k, lab in shared]
    if not kept:  # no point shared: the single most typical sentence of the whole group
        kept = [(1, np.arange(len(group)))]
    out = []
    for rank, (n_resp, idx) in enumerate(kept, start=1):
        members = group.iloc[idx]
        at = idx  # the members' row positions in ``group``
        # Mean similarity to the members is similarity to their mean vector: O(m), not O(m²).
        centrality = vectors[idx] @ vectors[idx].mean(axis=0)
        rep = members.iloc[_representative(members, centrality, used)]
        used.add(rep["key"])
        if n_resp == 1 and len(idx) > 1:  # the typical sentence alone is the point
            alone = (members["key"] == rep["key"]).to_numpy(dtype=bool)
            members, at = members[alone], idx[alone]
        out.append(
            {
                "rank": rank,
                "n_respondents": int(members["respondent_id"].nunique()),
                "base": int(base),
                "quote": rep["clean"],
                "respondent_id": rep["respondent_id"],
                "start": int(rep["clean_start"]),
                "end": int(rep["clean_start"]) + len(rep["clean"]),
                "n_sentences": len(members),
                "member_evidence": ";".join(members["key"]),
                "_members": at,
            }
        )
    return out


def synthesise(
    inputs: AnalysisInputs,
    model: str = "wordllama",
    max_points: int = MAX_POINTS,
    min_base: int = MIN_BASE,
    threshold: float = DISTANCE_THRESHOLD,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The points made under each (question, theme, side): a POINTS table, and what no point covers.

    The second frame lists every evidence sentence no kept point holds
    (``UNPROCESSED_COLUMNS``; ``reason``: ``base below min_base``, ``not among
    the main points``), so nothing is silently dropped. Themes are taken in
    order of respondents within each question and side, so a sentence quoted
    for a more frequent theme is not the quote of a less frequent one when
    another exists. ``quote`` is redacted (``core.redact``); its offsets point into
    the local ``respondents.text``.

    Computed with one BLAS thread. Rationale (session 22, as ``coding.trained.fit``):
    each group's products (its cosine distances, centroid similarities and centralities)
    are a few hundred rows by WordLlama's dimensions, too small for OpenBLAS's threads to
    pay for their synchronisation on shared cores: at 1,000 generated respondents the
    analysis tables took 3.7-4.5 CPU s with OpenBLAS's default threads and 2.0-2.4 with
    one, the tables equal (``DataFrame.equals``).
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return _synthesise(inputs, model, max_points, min_base, threshold)


def _synthesise(
    inputs: AnalysisInputs, model: str, max_points: int, min_base: int, threshold: float
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``synthesise``'s work (in one BLAS thread)."""
    sent = _sentences(inputs)
    if sent.empty:
        return schemas.empty(POINTS), pd.DataFrame(columns=UNPROCESSED_COLUMNS)
    sent["key"] = (
        sent["respondent_id"] + ":" + sent["start"].astype(str) + "-" + sent["end"].astype(str)
    )
    clean, clean_start = trim_markers(sent["text"], sent["start"].to_numpy(dtype=np.int64))
    # The sentence text is read from ``clean`` from here on: the redacted quote and its
    # copy are dropped, so 2 M sentences are held once, not three times (issue 15).
    sent = sent.drop(columns=["quote", "text"])
    sent["clean"] = pd.array(clean, dtype=sent["respondent_id"].dtype)
    sent["clean_start"] = clean_start
    del clean, clean_start
    rows, left = [], []
    # Every (question, side, theme) group's row positions in one pass (``sent`` is sorted,
    # so each group's rows stay in order), not a filter of the question's rows per theme.
    by_group = sent.groupby(["question_id", "side", "theme_id"], sort=True)
    positions = by_group.indices
    sizes = by_group["respondent_id"].nunique()
    themes: dict[tuple[str, str], list[str]] = {}
    for qid, side, theme_id in sizes.index:
        themes.setdefault((qid, side), []).append(theme_id)
    # ``sent`` is sorted by question first, so a question's sentences are one block:
    # they are embedded a question at a time (a WordLlama vector is the text's own, so
    # the vectors are the same), and only one question's vectors are held (issue 15).
    # Other models (and TF-IDF, whose weights depend on every text) embed all at once.
    embedded: tuple[str, int, np.ndarray, np.ndarray] | None = None
    whole = None if model == "wordllama" else embed_distinct(sent["clean"].tolist(), model)
    for (qid, side), theme_ids in sorted(themes.items()):
        if whole is None and (embedded is None or embedded[0] != qid):
            embedded = None  # the last question's vectors go before the next are made
            block = np.flatnonzero((sent["question_id"] == qid).to_numpy(dtype=bool))
            first, last = int(block[0]), int(block[-1]) + 1
            texts = sent["clean"].iloc[first:last].tolist()
            try:
                embedded = (qid, first, *embed_distinct(texts, model, fallback=False))
            except ModelMissingError:
                whole = embed_distinct(sent["clean"].tolist(), model)
        if whole is not None:
            embedded = (qid, 0, *whole)
        _, first, raw, which = embedded
        used: set[str] = set()
        for theme_id in sorted(theme_ids, key=lambda t: (-sizes[(qid, side, t)], t)):
            at = positions[(qid, side, theme_id)]
            if sizes[(qid, side, theme_id)] < min_base:
                left.append((at, "base below min_base"))
                continue
            group = sent.iloc[at]
            vectors = unit_rows(raw, which[at - first])
            points = _points_of(group, vectors, used, max_points, threshold)
            # Keys are unique within a group (one sentence per respondent and span), so
            # the members' positions say which sentences a point covers.
            covered = np.zeros(len(group), dtype=bool)
            for p in points:
                covered[p.pop("_members")] = True
                p.update(question_id=qid, theme_id=theme_id, side=side)
                p["quantifier"] = quantifier(p["n_respondents"], p["base"])
                p["point_id"] = f"{qid}/{theme_id}/{side}/{p['rank']}"
                rows.append(p)
            left.append((at[~covered], "not among the main points"))
    points = schemas.conform(pd.DataFrame(rows), POINTS) if rows else schemas.empty(POINTS)
    unprocessed = _unprocessed(sent, [(at, why) for at, why in left if len(at)])
    log.info(
        "synthesis: %d points from %d evidence sentences (%d in no point)",
        len(points),
        len(sent),
        len(unprocessed),
    )
    return points, unprocessed


def _unprocessed(sent: pd.DataFrame, left: list[tuple[np.ndarray, str]]) -> pd.DataFrame:
    """The UNPROCESSED_COLUMNS rows of ``sent`` at each position array, with its reason."""
    if not left:
        return pd.DataFrame(columns=UNPROCESSED_COLUMNS)
    at = np.concatenate([a for a, _ in left])
    reasons = np.concatenate([np.full(len(a), why, dtype=object) for a, why in left])
    out = sent.iloc[at][UNPROCESSED_COLUMNS[:-1]].reset_index(drop=True)
    out["reason"] = reasons
    return out
