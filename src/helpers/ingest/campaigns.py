"""Campaign copies: groups of near-identical responses (template letters).

Organised campaigns send many copies of one text, sometimes with a personal
line added. UK government consultation analyses report these separately
("N responses were copies of a campaign text"), so they are neither counted
silently as independent views nor dropped. ``detect_copies`` finds them;
``ingest.run_ingest`` writes the result as ``copies.parquet`` (schema COPIES)
and the report states the counts in its Method section and lists the groups.

How it works, and why:

1. **Normalise** each respondent's text: casefold, and collapse every run of
   punctuation and whitespace to one space, so line breaks, quote styles or a
   Word-versus-plain-text conversion do not hide a copy. When ``answers`` is
   given (ingest passes it) the text compared is the respondent's answer text
   only (question headings left out), so survey rows or letters that repeat
   the consultation's questions are not mistaken for copies of each other.
   Texts shorter than ``min_chars`` (after normalisation) are never grouped:
   short answers ("I agree with the proposal") coincide without any campaign.
2. **Exact copies** are grouped by a hash of the normalised text: O(n), any size.
3. **Near copies** are compared with ``rapidfuzz.fuzz.token_set_ratio``. It
   scores 100 when one text's words are all in the other's, so a template with
   a personal sentence added (or a line deleted, or a name filled in) still
   matches, where ``fuzz.ratio`` drops below 90 once the addition passes about
   a fifth of the letter. Its weakness is the converse: a short text whose
   words all occur in a much longer one also scores 100, so a pair only counts
   when the shorter text is at least ``MIN_LENGTH_RATIO`` (half) the length of
   the longer (a copy may add at most as much again as the template).
   Comparison is against each group's first member ("leader clustering" in
   respondent-id order), so every member's ``similarity`` to the group's first
   member is at least ``threshold`` and groups never chain through
   intermediate texts.
4. **Scaling.** token_set_ratio costs ~0.1 ms per pair of letter-length texts,
   too much to run on all pairs, so candidate pairs are first found with a cheap
   upper bound: texts' words are hashed into ``_BUCKETS`` buckets and one matrix
   product (in chunks of ``_CHUNK`` rows, so memory stays bounded at
   ``_CHUNK`` x n floats) bounds how much of the shorter text's wording the
   longer contains. Pairs under ``MIN_CANDIDATE_OVERLAP`` are skipped (a
   heuristic: a pair with token_set_ratio >= 90 but under half its words in
   common would need nearly every word misspelt). Fuzzy comparison runs for up
   to ``max_fuzzy`` (default 5,000) distinct texts; above that only exact
   copies are grouped and a warning is logged.

Group numbering is deterministic: ``campaign-1``, ``campaign-2``… in order of
each group's first member, respondents sorted by respondent_id.
"""

from __future__ import annotations

import hashlib
import logging
import re
import zlib

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from helpers.core import schemas

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 90.0
DEFAULT_MIN_CHARS = 200
MAX_FUZZY = 5000  # distinct texts compared fuzzily; above this, exact copies only
MIN_LENGTH_RATIO = 0.5  # shorter / longer normalised length for a near copy
MIN_CANDIDATE_OVERLAP = 0.5  # share of the shorter text's wording, bound for candidates
_BUCKETS = 2048
_CHUNK = 512

_PUNCT_SPACE = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Casefold and collapse punctuation and whitespace to single spaces."""
    return _PUNCT_SPACE.sub(" ", str(text).casefold()).strip()


def _texts(respondents: pd.DataFrame, answers: pd.DataFrame | None) -> pd.Series:
    """The text to compare for each respondent, indexed by respondent_id."""
    ids = respondents["respondent_id"].astype(str)
    if answers is None:
        return pd.Series(respondents["text"].fillna("").astype(str).to_numpy(), index=ids)
    a = answers[answers["respondent_id"].astype(str).isin(set(ids))]
    a = a.assign(_rid=a["respondent_id"].astype(str)).sort_values(["_rid", "start"], kind="stable")
    joined = a.groupby("_rid", sort=False)["answer_text"].agg(
        lambda s: "\n".join(s.fillna("").astype(str))
    )
    return joined.reindex(ids.to_numpy()).fillna("")


def _hashed(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Word-bucket matrices: weighted (chars per bucket) and presence (0/1), n x _BUCKETS."""
    weights = np.zeros((len(texts), _BUCKETS), dtype=np.float32)
    for i, t in enumerate(texts):
        for tok in set(t.split()):
            weights[i, zlib.crc32(tok.encode("utf-8")) % _BUCKETS] += len(tok) + 1
    return weights, (weights > 0).astype(np.float32)


def _candidates(texts: list[str]) -> list[np.ndarray]:
    """For each text i, the earlier texts j < i that may be near copies of it."""
    n = len(texts)
    weights, present = _hashed(texts)
    total = weights.sum(axis=1)  # weight of each text's word set
    lengths = np.array([len(t) for t in texts], dtype=np.float64)
    out: list[np.ndarray] = []
    for a in range(0, n, _CHUNK):
        b = min(a + _CHUNK, n)
        # Upper bound on the weight of the words text i shares with text j (collisions only add).
        shared = np.minimum(weights[a:b] @ present[:b].T, present[a:b] @ weights[:b].T)
        shorter = np.minimum(total[a:b, None], total[None, :b])
        overlap = shared / np.maximum(shorter, 1.0)
        lo = np.minimum(lengths[a:b, None], lengths[None, :b])
        hi = np.maximum(lengths[a:b, None], lengths[None, :b])
        ok = (overlap >= MIN_CANDIDATE_OVERLAP) & (lo >= MIN_LENGTH_RATIO * hi)
        for k in range(b - a):
            i = a + k
            out.append(np.flatnonzero(ok[k, :i]))
    return out


def _leaders(texts: list[str], threshold: float) -> tuple[list[int], list[float]]:
    """Leader clustering in order: each text joins the best-matching earlier leader.

    Returns, per text, the index of its leader (itself for a leader) and its
    similarity to that leader (100 for a leader).
    """
    leader_of: list[int] = []
    score: list[float] = []
    for i, cands in enumerate(_candidates(texts)):
        best, best_j = -1.0, i
        for j in cands:
            if leader_of[j] != j:
                continue
            s = fuzz.token_set_ratio(texts[i], texts[j], processor=None, score_cutoff=threshold)
            if s >= threshold and s > best:  # ties keep the earliest leader
                best, best_j = s, int(j)
        leader_of.append(best_j)
        score.append(best if best_j != i else 100.0)
    return leader_of, score


def detect_copies(
    respondents: pd.DataFrame,
    threshold: float = DEFAULT_THRESHOLD,
    min_chars: int = DEFAULT_MIN_CHARS,
    answers: pd.DataFrame | None = None,
    max_fuzzy: int = MAX_FUZZY,
) -> pd.DataFrame:
    """Respondents whose texts are copies of one another (schema COPIES).

    One row per respondent in a group of two or more: ``respondent_id``,
    ``copy_group`` ('campaign-1'…), ``similarity`` (0-100, token_set_ratio of
    the normalised text against the group's first member; 100 for the first
    member and its exact copies) and ``is_first``. ``threshold`` is the
    minimum similarity; texts under ``min_chars`` normalised characters are
    left out. ``answers`` (optional, ANSWERS rows) restricts the compared text
    to the respondents' answers, leaving out question headings. See the
    module docstring for the method and its limits.
    """
    if respondents.empty:
        return schemas.empty(schemas.COPIES)
    texts = _texts(respondents, answers).map(normalise)
    texts = texts[texts.str.len() >= min_chars]
    texts = texts.iloc[np.argsort(texts.index.to_numpy(dtype=str), kind="stable")]
    ids = list(texts.index)

    # Exact copies: one entry per distinct normalised text, in order of first appearance.
    distinct: dict[str, int] = {}
    member_text: list[int] = []
    reps: list[str] = []
    for t in texts:
        key = hashlib.sha256(t.encode("utf-8")).hexdigest()
        if key not in distinct:
            distinct[key] = len(reps)
            reps.append(t)
        member_text.append(distinct[key])

    if len(reps) > max_fuzzy:
        log.warning(
            "campaign copies: %d distinct texts is more than %d; only exact copies are grouped",
            len(reps),
            max_fuzzy,
        )
        leader_of, score = list(range(len(reps))), [100.0] * len(reps)
    else:
        leader_of, score = _leaders(reps, threshold)

    df = pd.DataFrame(
        {
            "respondent_id": ids,
            "order": range(len(ids)),
            "leader": [leader_of[k] for k in member_text],
            "similarity": [score[k] for k in member_text],
        }
    )
    sizes = df["leader"].map(df["leader"].value_counts())
    df = df[sizes >= 2]
    first = df.groupby("leader")["order"].transform("min")
    df = df.assign(first=first, is_first=df["order"] == first)
    df = df.sort_values(["first", "order"])
    group_no = {f: n for n, f in enumerate(dict.fromkeys(df["first"]), start=1)}
    df["copy_group"] = [f"campaign-{group_no[f]}" for f in df["first"]]
    return schemas.conform(df, schemas.COPIES)
