"""Discovery: a draft codebook drafted from the answers themselves.

``discover_themes`` reads, per open question and for the comments on closed
questions (and the unplaced text of letters, ``unstructured``), the answers'
sentences, clusters them by meaning and names each cluster (``draft``):

1. **Units.** Each substantive answer is split into sentences
   (``core.sentences``); a sentence with fewer than ``MIN_CONTENT_WORDS``
   content words is joined to the next one, so "Yes." or "Housing." does not
   make a cluster of its own. A campaign's copies count once: of each
   ``copies`` group only its first respondent's answer is read. In extend mode
   (``codebook`` given) the sentences a code of that codebook covers are left
   out, so only the uncoded remainder is clustered.
2. **Clusters.** At most ``SAMPLE`` sentences per question (a seeded random
   sample) are embedded (``encode``: unit vectors) and clustered with
   scikit-learn's ``KMeans`` (``random_state=seed``), ``k = ceil(sqrt(n / 2))``
   clamped to [1, ``MAX_K``]: the usual square-root rule, deliberately on the
   high side, because the next step merges. Clusters whose centroids have a
   cosine of at least ``MERGE_COSINE`` are merged (average-linkage
   agglomeration of the centroids), so near-duplicate themes become one.
   Every other sentence is embedded in chunks of ``CHUNK`` and given to the
   nearest merged centroid: memory does not grow with the number of answers
   beyond the answers themselves.
3. **Theme-set rules** (as themefinder's): a cluster is a theme when it
   covers at least ``MIN_SHARE`` of the question's answers and at least
   ``MIN_ANSWERS`` answers; at most ``MAX_THEMES`` themes (the largest) in
   the whole draft; the rest is the question's ``other`` bucket.

Each theme has a label, description and patterns (``draft``), 3–5
representative quotes (the sentences closest to its centroid, one per
respondent, with respondent id and offsets into ``respondents.text``), its
coverage and, on a closed question, how many of its respondents agreed
(``agree``/``strongly_agree``) and disagreed in the ``stances`` table.
Everything is deterministic for a given ``seed``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.coding import draft
from helpers.coding.units import answer_units
from helpers.core.consultation import Consultation

log = logging.getLogger(__name__)

SAMPLE = 4000
CHUNK = 4096
MAX_K = 50
MERGE_COSINE = 0.8
MIN_SHARE = 0.005
MIN_ANSWERS = 3
MAX_THEMES = 50
N_QUOTES = 5
SUPPORT = ("agree", "strongly_agree")
OPPOSE = ("disagree", "strongly_disagree")

THEME_COLUMNS = [
    "theme_id", "question_id", "label", "description", "n_answers", "n_respondents",
    "percent", "supporters", "opponents", "patterns", "quotes",
]  # fmt: skip


@dataclass
class DiscoveryResult:
    """What ``discover_themes`` found.

    ``themes``: one row per theme and one ``other`` row per question
    (``THEME_COLUMNS``; ``quotes`` is a list of dicts with respondent_id, start,
    end, text); ``codebook``: the draft as a mapping ``parse_codebook`` reads;
    ``members``: which answer sentence went to which theme (respondent_id,
    question_id, theme_id, start, end); ``skipped``: what could not be
    processed, one line each; ``notes``: the YAML comments per theme.
    """

    themes: pd.DataFrame
    codebook: dict
    members: pd.DataFrame
    skipped: list[str] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)

    def write(self, path: str | Path) -> Path:
        """Write the draft codebook YAML (coverage and quotes as comments)."""
        return draft.write_draft(path, self.codebook, self.notes)


def _k(n: int) -> int:
    return max(1, min(MAX_K, math.ceil(math.sqrt(n / 2))))


def _cluster(x: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels of the rows of ``x`` and the unit centroids, near-duplicates merged."""
    from sklearn.cluster import AgglomerativeClustering, KMeans
    from threadpoolctl import threadpool_limits

    k = min(_k(len(x)), len(x))
    if k <= 1:
        labels = np.zeros(len(x), dtype=int)
    else:
        # float64: scikit-learn computes float32 distances through a slow chunked upcast;
        # one BLAS thread: the products are small, and threads fight over shared cores
        with threadpool_limits(limits=1):
            km = KMeans(n_clusters=k, n_init=3, random_state=seed).fit(x.astype(np.float64))
        labels = km.labels_
        cent = _centroids(x, labels, k)
        merged = AgglomerativeClustering(
            n_clusters=None,
            metric="cosine",
            linkage="average",
            distance_threshold=1 - MERGE_COSINE,
        ).fit(cent)
        labels = merged.labels_[labels]
    n = int(labels.max()) + 1
    return labels, _centroids(x, labels, n)


def _centroids(x: np.ndarray, labels: np.ndarray, n: int) -> np.ndarray:
    cent = np.zeros((n, x.shape[1]), dtype=np.float32)
    np.add.at(cent, labels, x)
    return cent / np.maximum(np.linalg.norm(cent, axis=1, keepdims=True), 1e-12)


def _codebook_themes(codebook) -> list[dict]:
    """An existing codebook's themes as mappings (extend mode keeps them first)."""
    out = []
    for t in getattr(codebook, "themes", []) or []:
        d = {"id": t.id, "label": t.label, "description": t.description or None}
        d.update(parent=t.parent, questions=list(t.questions) if t.questions else None)
        d.update(patterns=list(t.patterns), exclude=list(t.exclude) or None)
        d.update(cooccur=[list(g) for g in t.cooccur] or None, examples=list(t.examples) or None)
        d["methods"] = list(t.methods) if t.methods else None
        out.append({k: v for k, v in d.items() if v not in (None, "", [])})
    return out


def _default_encoder() -> Callable:
    """The fast word-vector model when installed (``embedding.CODING_MODEL``), else MiniLM.

    Rationale: on the development sets both recover the same share of gold
    themes (ofsted-docs 12/15 either way; transport 11/13 with WordLlama,
    12/13 with MiniLM), and only the word-vector model embeds 100,000 answers'
    sentences in the time the benchmark allows.
    """
    from helpers.core import embedding

    model = (
        embedding.CODING_MODEL if embedding.available(embedding.CODING_MODEL) else embedding.MINILM
    )
    return lambda texts: embedding.encode(texts, model=model)


def discover_themes(
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    consultation: Consultation,
    copies: pd.DataFrame | None = None,
    stances: pd.DataFrame | None = None,
    codebook=None,
    encode: Callable | None = None,
    seed: int = 0,
) -> DiscoveryResult:
    """Draft themes from ``answers`` (see the module docstring); ``codebook``: extend it."""
    if encode is None:
        encode = _default_encoder()
    units = answer_units(answers, respondents, consultation, copies, codebook)
    texts = units.texts
    stance_of: dict[tuple[str, str], str] = {}
    if stances is not None and not stances.empty:
        stance_of = {
            (str(r), str(q)): str(s)
            for r, q, s in zip(
                stances["respondent_id"], stances["question_id"], stances["stance"], strict=True
            )
        }
    closed = {q.id for q in consultation.closed_questions}
    candidates, members, other_rows = [], [], []
    rng = np.random.default_rng(seed)
    for qid, q_units in units.by_question.items():
        n_answers = units.n_answers[qid]
        rid, start, end = q_units
        n = len(rid)
        if n < MIN_ANSWERS:
            units.skipped.append(f"{qid}: {n} sentence(s) to cluster: too few for a theme")
            continue
        sample = np.sort(rng.choice(n, SAMPLE, replace=False)) if n > SAMPLE else np.arange(n)
        x = np.asarray(encode([texts[rid[i]][start[i] : end[i]] for i in sample]), np.float32)
        labels_s, cent = _cluster(x, seed)
        labels = np.full(n, -1, dtype=int)
        labels[sample] = labels_s
        rest = np.setdiff1d(np.arange(n), sample)
        for c0 in range(0, len(rest), CHUNK):
            idx = rest[c0 : c0 + CHUNK]
            v = np.asarray(encode([texts[rid[i]][start[i] : end[i]] for i in idx]), np.float32)
            labels[idx] = (v @ cent.T).argmax(1)
        answers_of = [set() for _ in range(len(cent))]
        for i, c in enumerate(labels):
            answers_of[c].add(rid[i])
        need = max(MIN_ANSWERS, math.ceil(MIN_SHARE * n_answers))
        sims = (x * cent[labels_s]).sum(1)
        for c in range(len(cent)):
            if len(answers_of[c]) >= need:
                in_c = np.flatnonzero(labels_s == c)
                candidates.append((qid, c, answers_of[c], in_c[np.argsort(-sims[in_c])], sample))
        members.append((qid, labels, rid, start, end))
        other_rows.append((qid, n_answers))

    candidates.sort(key=lambda t: (-len(t[2]), t[0], t[1]))
    kept = candidates[:MAX_THEMES]
    if len(candidates) > MAX_THEMES:
        units.skipped.append(f"{len(candidates) - MAX_THEMES} smaller themes left in other")
    kept_keys = {(t[0], t[1]) for t in kept}

    # Labels: c-TF-IDF over each question's sampled sentences.
    taken = {t["id"] for t in _codebook_themes(codebook)}
    names: dict[tuple[str, int], str] = {}
    rows, cb_themes, notes = [], _codebook_themes(codebook), {}
    labels_by_q = {m[0]: m for m in members}
    for qid in [m[0] for m in members]:
        _, labels, rid, start, end = labels_by_q[qid]
        mine = [t for t in kept if t[0] == qid]
        if not mine:
            continue
        sample = mine[0][4]
        groups: dict[int, list] = {}
        for i in sample:
            c = int(labels[i]) if (qid, int(labels[i])) in kept_keys else -1
            groups.setdefault(c, []).append(draft.sentence_terms(texts[rid[i]], start[i], end[i]))
        terms = draft.distinctive_terms(groups)
        question = consultation.question(qid) if qid in consultation.question_ids else None
        q_label = question.label if question is not None else qid
        for _, c, ans, order, _s in mine:
            phrases = draft.label_terms(terms.get(c, []))
            tid = draft.theme_id(qid, phrases, taken)
            names[(qid, c)] = tid
            quotes, seen = [], set()
            for j in order:
                i = sample[j]
                if rid[i] in seen:
                    continue
                seen.add(rid[i])
                quote = " ".join(texts[rid[i]][start[i] : end[i]].split())
                quotes.append(
                    {
                        "respondent_id": rid[i],
                        "start": int(start[i]),
                        "end": int(end[i]),
                        "text": quote,
                    }  # fmt: skip
                )
                if len(quotes) == N_QUOTES:
                    break
            sup = opp = None
            if qid in closed:
                st = [stance_of.get((r, qid)) for r in ans]
                sup, opp = sum(s in SUPPORT for s in st), sum(s in OPPOSE for s in st)
            n_ans = units.n_answers[qid]
            patterns = draft.make_patterns(terms.get(c, []))
            row = {
                "theme_id": tid, "question_id": qid, "label": draft.make_label(phrases),
                "description": draft.make_description(phrases, q_label),
                "n_answers": len(ans),
                "n_respondents": sum(units.weight.get((r, qid), 1) for r in ans),
                "percent": round(100 * len(ans) / max(1, n_ans), 1),
                "supporters": sup, "opponents": opp, "patterns": patterns, "quotes": quotes,
            }  # fmt: skip
            rows.append(row)
            if not patterns:
                units.skipped.append(f"{tid}: no pattern the loader accepts; not in the draft")
                continue
            cb_themes.append(
                {
                    "id": tid,
                    "label": row["label"],
                    "description": row["description"],
                    "questions": [qid],
                    "patterns": patterns,
                    "examples": [q["text"] for q in quotes],
                }  # fmt: skip
            )
            note = f"coverage: {len(ans)} answers ({row['percent']}% of {n_ans}) to {qid}"
            if sup is not None:
                note += f"; {sup} supporters, {opp} opponents"
            notes[tid] = [note] + [
                f"quote {q['respondent_id']} [{q['start']}:{q['end']}]: {q['text'][:160]}"
                for q in quotes
            ]

    member_rows = {"respondent_id": [], "question_id": [], "theme_id": [], "start": [], "end": []}
    for qid, labels, rid, start, end in members:
        tids = [names.get((qid, int(c)), f"{draft.slug(qid)}_other") for c in labels]
        member_rows["respondent_id"].extend(rid)
        member_rows["question_id"].extend([qid] * len(rid))
        member_rows["theme_id"].extend(tids)
        member_rows["start"].extend(int(s) for s in start)
        member_rows["end"].extend(int(e) for e in end)
    member_df = pd.DataFrame(member_rows)
    other_text = []
    for qid, n_ans in other_rows:
        tid = f"{draft.slug(qid)}_other"
        ans = set(member_df.loc[member_df["theme_id"] == tid, "respondent_id"])
        rows.append(
            {
                "theme_id": tid,
                "question_id": qid,
                "label": "Other",
                "description": f"Answers to {qid} in no theme.",
                "n_answers": len(ans),
                "n_respondents": sum(units.weight.get((r, qid), 1) for r in ans),
                "percent": round(100 * len(ans) / max(1, n_ans), 1),
                "supporters": None,
                "opponents": None,
                "patterns": [],
                "quotes": [],
            }  # fmt: skip
        )
        other_text.append(f"{qid}: {len(ans)} of {n_ans} answers")
    themes = pd.DataFrame(rows, columns=THEME_COLUMNS)
    themes = themes.astype({"supporters": "Int64", "opponents": "Int64"})  # null: open question
    cid = getattr(consultation, "id", None) or "consultation"
    book = {
        "id": f"{draft.slug(str(cid)) or 'consultation'}-draft",
        "title": f"Draft codebook ({cid})",
        "version": 1,
        "description": "Drafted by consult discover. Other (sentences in no theme): "
        + ("; ".join(other_text) or "none"),
        "themes": cb_themes,
    }
    log.info("discovery: %d themes over %d questions", len(kept), len(members))
    return DiscoveryResult(themes, book, member_df, units.skipped, notes)
