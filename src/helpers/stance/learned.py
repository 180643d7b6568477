"""An optional learned layer over the rules' stance: a logistic regression on the answer's embedding.

Off by default (``table.LEARNED_LAYER``). When on, every stances row read from
text alone (method ``text`` or ``unstructured``; never a ticked box) is re-read
by a multinomial logistic regression whose features are the rules' own output
(stance one-hot, confidence, method, reservation flag) and the MiniLM
embedding of the text it read (``helpers.core.embedding``). The weights are a
small ``.npz`` of plain arrays in ``helpers/data/`` (no pickle), trained offline
by ``benchmarks/stance_train.py`` on the stance development data; the
confidence is the model's probability for the stance it gives (calibrated by a
temperature fitted in cross-validation). Results and the measurement that
decided whether to use it are in ``docs/stance.md`` ("A learned layer").
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

from helpers.core import schemas

__all__ = ["METHODS", "features", "layer_text", "load_weights", "predict"]

WEIGHTS = "stance_layer.npz"
METHODS = ("text", "unstructured")  # the rows the layer may re-read
_STANCES = schemas.STANCES
MAX_CHARS = 2000  # the model reads 256 word pieces; more text only costs time


def layer_text(text: str | None, spans: list[tuple[int, int]], evidence: str | None,
               method: str | None) -> str:  # fmt: skip
    """The text the layer reads for one row: the answer's segments, or a letter's evidence."""
    if method == "unstructured" or not spans or not isinstance(text, str):
        return evidence or ""
    return " ".join(text[s:e].strip() for s, e in spans)[:MAX_CHARS]


def rule_features(stance: str, method: str, confidence: float, reservations: bool) -> np.ndarray:
    """The rules' output as numbers: stance one-hot, method one-hot, confidence, reservations."""
    f = np.zeros(len(_STANCES) + len(METHODS) + 2, dtype=np.float32)
    if stance in _STANCES:
        f[_STANCES.index(stance)] = 1.0
    if method in METHODS:
        f[len(_STANCES) + METHODS.index(method)] = 1.0
    f[-2] = float(confidence or 0.0)
    f[-1] = 1.0 if reservations else 0.0
    return f


def features(rules: np.ndarray, vectors: np.ndarray, questions: np.ndarray) -> np.ndarray:
    """The model's input: rule features, the text's unit embedding, its elementwise product
    with the question's embedding and their cosine (is the answer about the proposal?)."""
    v = vectors.astype(np.float32)
    q = questions.astype(np.float32)
    cos = (v * q).sum(axis=1, keepdims=True)
    return np.hstack([rules.astype(np.float32), v, v * q, cos])


def read_npz(name: str) -> dict[str, np.ndarray] | None:
    """Plain arrays shipped as ``helpers/data/<name>`` (no pickle), or None if absent."""
    ref = resources.files("helpers.data").joinpath(name)
    if not ref.is_file():
        return None
    with ref.open("rb") as fh, np.load(fh, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


@lru_cache(maxsize=1)
def load_weights() -> dict[str, np.ndarray] | None:
    """The shipped weights (coef, intercept, classes, temperature), or None if absent."""
    return read_npz(WEIGHTS)


def probabilities(x: np.ndarray, weights: dict[str, np.ndarray]) -> np.ndarray:
    """Class probabilities (rows) for inputs ``x``, with the fitted temperature."""
    x = (x - weights["mean"]) / weights["scale"]
    z = (x @ weights["coef"].T + weights["intercept"]) / float(weights["temperature"])
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


def predict(rows: list[dict], texts: list[str], questions: list[str]) -> list[tuple[str, float]]:
    """(stance, confidence) for each stances row beside the text it was read from and
    its question's wording: the rules' stance unless the model's most probable one beats
    it by the shipped ``margin``; the confidence is the model's probability for it."""
    weights = load_weights()
    if weights is None or not rows:
        return [(r["stance"], r["confidence"]) for r in rows]
    from helpers.core.embedding import encode

    rules = np.stack([
        rule_features(r["stance"], r["method"], r["confidence"], r["reservations"]) for r in rows
    ])  # fmt: skip
    asked = sorted(set(questions))
    qv = dict(zip(asked, encode(asked), strict=True))
    qvectors = np.stack([qv[q] for q in questions])
    p = probabilities(features(rules, encode(texts), qvectors), weights)
    classes = [str(c) for c in weights["classes"]]
    margin = float(weights["margin"])
    out = []
    for row, pr in zip(rows, p, strict=True):
        b = int(pr.argmax())
        rule = classes.index(row["stance"]) if row["stance"] in classes else None
        p_rule = 0.0 if rule is None else float(pr[rule])
        # The rules' stance stands unless the model is clearly surer of another.
        if rule is not None and pr[b] - p_rule <= margin:
            b = rule
        out.append((classes[b], float(pr[b])))
    return out
