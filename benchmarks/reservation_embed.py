"""A stronger sentence representation for the reservation finder, measured leave-one-set-out (session 26).

    PYTHONPATH=src python -m benchmarks.reservation_embed rows.jsonl out.pkl --extra=A,VR,C,PR
        [--set=NAME ...] [--groups=N]
    PYTHONPATH=src python -m benchmarks.reservation_loso rows.jsonl --compare out_A.pkl out_VR.pkl

Candidate blocks beside the finder's own features (:mod:`helpers.stance.reservation_model`: hashed
word and character n-grams, the lexicon's word classes, the sentence's place and its distance from the
stance sentence, the row's stance and method):

- ``V``: the sentence's WordLlama vector (``helpers.core.wordvectors``: 256 averaged token vectors,
  unit length, offline from the package), appended as 256 dense columns. The n-grams know only the
  training answers' exact words; the vector gives every sentence coordinates in one space of meaning, so
  "my only worry is staffing" and "I am anxious about caseloads" can share weight.
- ``R``: the stance sentence's relation to the sentence, beyond before / after / how far: a contrast word
  ("but", "however", "although", …, or a contrast / concession opener of the lexicon) in the sentences
  from just after the earlier of the two up to the later one (``contrast_between``); the stance sentence
  itself holding one (``ev_contrast``); the cosine of the sentence's WordLlama vector with the stance
  sentence's (``sim_ev``, 0 without a stance sentence).
- ``C``: ``R``'s two contrast columns alone (no vector).
- ``P``: prototypes learned inside each training fold — the WordLlama vectors of the sentences the
  finder fitted on the fold (with the candidate's other columns, not the prototypes) scores best in each gold-positive answer, clustered into
  :data:`N_PROTOTYPES` centres (k-means, seeded), and the same for the best sentence of gold-negative
  answers; each sentence's highest cosine to a positive and to a negative centre, and their difference,
  are three columns, refitted with the finder. Computed per fold (the prototypes must not see the set
  left out).

Each set is scored by a fit on the other sets (``reservation_loso.fit``: the shipped features, IDF,
multiple-instance rounds, C and seed); ``reservation_loso --compare`` chooses each set's threshold on the
other sets' out-of-set scores. Held-back sets are refused.

Measured over stance-items … -25 (docs/stance.md, "Session 26"): VR, C and PR each win F1 on at most 14 of
25 sets, pooled by .001–.002 through a lower chosen threshold, and rank worse without one (pooled AUC
.889 against .885–.888); none is in the package.
"""

from __future__ import annotations

import os
import pickle
import sys

import numpy as np

from benchmarks import reservation_loso as lo
from benchmarks import reservation_train as rt
from benchmarks.reservation_collect import _forbidden
from helpers.stance import reservation_model as rm
from helpers.stance.discourse_lexicon import _lexicon
from helpers.stance.reservation_split import plain

__all__ = ["N_PROTOTYPES", "embed_rows", "relation", "run"]

N_PROTOTYPES = 8
# The vector's weight beside the n-grams (unit length, as each L2-normalised n-gram block); 1 beat 3 and
# 8 on one trial fold (stance-items-5 left out of sets 3-5), so 1 was fixed before the runs.
SCALE = float(os.environ.get("RES_VEC_SCALE", "1"))


def embed_rows(rows: list[dict]) -> None:
    """Each answered row's sentence vectors (``u["_vec"]``, ``(n, 256)``), one encode call for all."""
    from helpers.core import wordvectors

    todo = [u for u in rows if u["answered"] and u["sents"]]
    texts = [plain(t) for u in todo for t in u["sents"]]
    vec = wordvectors.encode(texts)
    at = 0
    for u in todo:
        n = len(u["sents"])
        u["_vec"] = vec[at : at + n].astype(np.float64)
        at += n


def _has_contrast(low: str) -> bool:
    lex = _lexicon()
    return bool(
        rm._CONTRAST_ANY.search(low)
        or lex["contrast_openers^"].search(low)
        or lex["concession_openers^"].search(low)
    )


def relation(lows: list[str], ev: int | None, vec: np.ndarray) -> np.ndarray:
    """``contrast_between``, ``ev_contrast``, ``sim_ev`` for each sentence (see the module doc)."""
    n = len(lows)
    out = np.zeros((n, 3))
    if ev is None or ev >= n:
        return out
    con = [_has_contrast(low) for low in lows]
    for k in range(n):
        if k != ev:
            lo_, hi = min(k, ev), max(k, ev)
            out[k, 0] = float(any(con[lo_ + 1 : hi + 1]))
        out[k, 1] = float(con[ev])
        out[k, 2] = float(vec[k] @ vec[ev])
    return out


def _add_block(rows: list[dict], block) -> None:
    for u in rows:
        if u.get("_raw") is None:
            continue
        raw, dense = u["_raw"]
        u["_raw"] = (raw, np.hstack([dense, block(u)]))


def _kmeans(x: np.ndarray, k: int, seed: int = 0, iters: int = 30) -> np.ndarray:
    """Spherical k-means: ``k`` unit centres of the unit rows ``x`` (seeded, deterministic)."""
    rng = np.random.default_rng(seed)
    k = min(k, len(x))
    c = x[rng.choice(len(x), k, replace=False)]
    for _ in range(iters):
        lab = np.argmax(x @ c.T, axis=1)
        new = np.array([x[lab == j].sum(0) if np.any(lab == j) else c[j] for j in range(k)])
        new /= np.maximum(np.linalg.norm(new, axis=1, keepdims=True), 1e-12)
        if np.allclose(new, c):
            break
        c = new
    return c


def _prototype_block(units: list[dict], fitted) -> tuple[np.ndarray, np.ndarray]:
    """Positive and negative centres from the training fold ``units`` scored by ``fitted``."""
    ps = lo.score(units, fitted)
    pos, neg = [], []
    for u, p in zip(units, ps, strict=True):
        if p is None or not len(p):
            continue
        (pos if u["gold"] else neg).append(u["_vec"][int(np.argmax(p))])
    return _kmeans(np.array(pos), N_PROTOTYPES), _kmeans(np.array(neg), N_PROTOTYPES)


def _proto_cols(u: dict, cent: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    a = (u["_vec"] @ cent[0].T).max(1)
    b = (u["_vec"] @ cent[1].T).max(1)
    return np.column_stack([a, b, a - b])


def _prepared(rows: list[dict], extra: str) -> list[dict]:
    """A copy of ``rows`` with the finder's features and the candidate ``extra``'s columns."""
    rows = [dict(r) for r in rows]
    lo.prepare(rows)
    if any(c in extra for c in "VRP"):
        embed_rows(rows)
    if "V" in extra:
        _add_block(rows, lambda u: SCALE * u["_vec"])
    if "R" in extra:
        _add_block(
            rows, lambda u: relation([plain(t).lower() for t in u["sents"]], u["ev"], u["_vec"])
        )
    if "C" in extra:  # the two contrast columns of ``R`` alone (no vector)
        _add_block(
            rows,
            lambda u: relation(
                [plain(t).lower() for t in u["sents"]], u["ev"], np.zeros((len(u["sents"]), 1))
            )[:, :2],
        )
    return rows


def _fold(rows: list[dict], extra: str, group: list[str]) -> list:
    train = [r for r in rows if r["set"] not in group and r.get("_raw") is not None]
    test = [r for r in rows if r["set"] in group]
    fitted = lo.fit(train)
    if "P" in extra:
        cent = _prototype_block(train, fitted)
        base = {id(u): u["_raw"] for u in rows if u.get("_raw") is not None}
        _add_block(rows, lambda u: _proto_cols(u, cent))
        fitted = lo.fit(train)
        ps = lo.score(test, fitted)
        for u in rows:
            if id(u) in base:
                u["_raw"] = base[id(u)]
    else:
        ps = lo.score(test, fitted)
    return [(r["set"], r["item"], r["question"], p) for r, p in zip(test, ps, strict=True)]


def run(rows: list[dict], extras: list[str], only: list[str], out: str, groups: int = 0) -> dict:
    """Leave-one-set-out with each candidate of ``extras`` (``A``: the finder as it is), fold by
    fold in turn (so an interrupted run still pairs them); each candidate's out-of-set scores
    pickled as ``reservation_loso`` writes them, to ``out`` with the candidate's name before
    ``.pkl``. ``groups`` > 0: the sets of ``only`` are left out that many at a time (every
    ``groups``-th set in a group), not one by one; each still scored by a fit that never saw it,
    on fewer training sets (the shared machine could not run 25 folds of two candidates in a
    session)."""
    ready = {x: _prepared(rows, x) for x in extras}
    oof: dict = {x: {} for x in extras}
    folds = [only[k::groups] for k in range(groups)] if groups else [[n] for n in only]
    for group in folds:
        for x in extras:
            for s, i, q, p in _fold(ready[x], x, group):
                oof[x].setdefault(s, []).append((i, q, p))
            print("fitted", x, "without", *group, file=sys.stderr, flush=True)
            with open(out.replace(".pkl", f"_{x}.pkl"), "wb") as fh:
                pickle.dump(oof[x], fh)
    return oof


def main(argv: list[str]) -> None:
    paths = [a for a in argv if not a.startswith("--") and a.endswith(".jsonl")]
    out = next(a for a in argv if a.endswith(".pkl"))
    rows = [r for p in paths for r in rt.load(p)]
    names = sorted({r["set"] for r in rows}, key=rt._order)
    if any(_forbidden(n) for n in names):
        raise SystemExit("a held-back set is in the collection; never read")
    extra = next((a.split("=", 1)[1] for a in argv if a.startswith("--extra=")), "A")
    only = [a.split("=", 1)[1] for a in argv if a.startswith("--set=")] or names
    groups = int(next((a.split("=", 1)[1] for a in argv if a.startswith("--groups=")), "0"))
    run(rows, extra.split(","), only, out, groups)


if __name__ == "__main__":
    main(sys.argv[1:])
