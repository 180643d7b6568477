"""The conditional logit both segmentation benchmarks train (one trainer, two feature sets).

``seg_training`` (the paragraph-question re-ranker, ``segment.learned``) and
``letter_decoder`` (the letter decoder's emissions, ``segment.letterseq``) both
score each unit's choices with one weight vector: a softmax over the unit's
choices, fitted on the gold choice against the unit's other choices. Each set
is a dict whose ``docs`` hold ``features`` (units x choices x features) and
``gold`` (each unit's gold choice index); documents with no unit are skipped.

Features are standardised over every (unit, choice) pair (a constant feature
keeps scale 1); the penalty is L2 ``1 / c``; L-BFGS from zeros over sets and
documents in the order given, so the same sets give the same weights.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def train_softmax(sets: list[dict], c: float, features: Sequence[str]) -> dict:
    """The weights' dict (``features``, ``mean``, ``scale``, ``coef``, rounded to 6 places)."""
    from scipy.optimize import minimize

    fs = [np.asarray(d["features"]) for s in sets for d in s["docs"] if len(d["features"])]
    gs = [np.asarray(d["gold"]) for s in sets for d in s["docs"] if len(d["features"])]
    flat = np.vstack([f.reshape(-1, f.shape[-1]) for f in fs])
    mean, scale = flat.mean(axis=0), flat.std(axis=0)
    scale[scale == 0] = 1.0
    # Units stacked by their number of choices: one array each, not a loop over documents.
    by_k: dict[int, tuple[list, list]] = {}
    for f, g in zip(fs, gs, strict=True):
        a, b = by_k.setdefault(f.shape[1], ([], []))
        a.append(f)
        b.append(g)
    groups = [((np.concatenate(a) - mean) / scale, np.concatenate(b)) for a, b in by_k.values()]
    n_units = sum(len(g) for _, g in groups)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.5 * float(w @ w) / c, w / c
        for f, gold in groups:
            z = f @ w
            z = z - z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            rows = np.arange(len(gold))
            total -= float(np.log(p[rows, gold] + 1e-12).sum())
            p[rows, gold] -= 1.0
            grad = grad + np.einsum("uc,ucf->f", p, f)
        return total / n_units, grad / n_units

    res = minimize(
        loss, np.zeros(flat.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 500}
    )
    return {
        "features": list(features),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": res.x.round(6).tolist(),
    }
