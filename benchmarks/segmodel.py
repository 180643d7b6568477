"""Segmentation's meaning pass scored with another sentence model or other thresholds.

Runs ingest on spent development sets once per configuration and prints
"answers under the right question" (recall) and precision, as ``devsets
evaluate`` does, without stance, themes or discovery (so a configuration takes
seconds per set with WordLlama). A configuration is ``name:model`` followed
by ``,field=value`` overrides of the model's thresholds (the fields of
``segment.vectors.ModelThresholds``: ``pair_base``, ``body_margin``) and
``,module.CONSTANT=value`` overrides of the meaning pass's other constants
(modules ``meaning`` and ``joint`` of ``helpers.ingest.segment``), e.g.::

    python -m benchmarks.segmodel --set ofsted-docs-10 --set transport-10 \\
        --config base:minilm --config wl:wordllama \\
        --config wl2:wordllama,meaning.HEADING_MIN=0.5,pair_base=0.8

Never run it on held-back sets (docs/evaluation.md).
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import tempfile
import time
from pathlib import Path

from helpers.core.consultation import load_consultation
from helpers.ingest.segment import joint, meaning, vectors
from helpers.ingest.stage import run_ingest
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import gold_responses
from helpers.validate.devsets.scoring import score_set

ROOT = Path(__file__).resolve().parents[1] / "data" / "evaluation"


_MODULES = {"meaning": meaning, "joint": joint}
_FIELDS = {f.name for f in dataclasses.fields(vectors.ModelThresholds)}


def _apply(config: str) -> tuple[str, str, dict]:
    """Set the configuration's thresholds; (name, model, what to restore).

    A model's thresholds are replaced in ``vectors.THRESHOLDS`` (read when a
    run builds its question model), other constants set in their module: this
    benchmark runs one configuration at a time, in one thread.
    """
    head, *pairs = config.split(",")
    name, _, model = head.partition(":")
    model = model or "minilm"
    previous = {("vectors", "THRESHOLDS"): dict(vectors.THRESHOLDS)}
    fields = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if key in _FIELDS:
            fields[key] = float(value)
            continue
        mod, _, const = key.partition(".")
        previous.setdefault((mod, const), getattr(_MODULES[mod], const))
        setattr(_MODULES[mod], const, float(value))
    vectors.THRESHOLDS[model] = dataclasses.replace(vectors.thresholds(model), **fields)
    return name, model, previous


def _restore(previous: dict) -> None:
    """Undo ``_apply``."""
    for (mod, const), value in previous.items():
        if mod == "vectors":
            vectors.THRESHOLDS.clear()
            vectors.THRESHOLDS.update(value)
        else:
            setattr(_MODULES[mod], const, value)


def score(set_dir: Path, split: str, model: str) -> tuple[int, int, int, int, float]:
    """(recall hits, recall n, precision hits, precision n, seconds) for one set."""
    records = gold_responses(load_gold(set_dir), split, where=str(set_dir / "gold.yaml"))
    with tempfile.TemporaryDirectory(prefix="segmodel-") as tmp:
        path = Path(tmp) / "consultation.yaml"
        text = (set_dir / "consultation.yaml").read_text(encoding="utf-8")
        path.write_text(f"{text.rstrip()}\nsegmentation_model: {model}\n", encoding="utf-8")
        consultation = load_consultation(path)
        t0 = time.process_time()
        result = run_ingest(set_dir / "responses", path, Path(tmp) / "out")
        seconds = time.process_time() - t0
    s = score_set(
        set_dir.name, split, records, consultation, result.respondents, result.answers,
        result.log, result.copies,
    )  # fmt: skip
    return s.recall.hit, s.recall.n, s.precision.hit, s.precision.n, seconds


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", action="append", required=True, dest="sets")
    ap.add_argument("--split", default="all")
    ap.add_argument("--config", action="append", required=True, dest="configs")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    for config in args.configs:
        name, model, previous = _apply(config)
        tot = [0, 0, 0, 0, 0.0]
        cells = []
        for s in args.sets:
            got = score(ROOT / s, args.split, model)
            tot = [a + b for a, b in zip(tot, got, strict=True)]
            cells.append(f"{s} {got[0]}/{got[1]} p {got[2]}/{got[3]}")
        print(
            f"{name}: right question {tot[0]}/{tot[1]} = {tot[0] / max(tot[1], 1):.3f}, "
            f"precision {tot[2]}/{tot[3]} = {tot[2] / max(tot[3], 1):.3f}, "
            f"ingest cpu {tot[4]:.0f} s | " + "; ".join(cells),
            flush=True,
        )
        _restore(previous)


if __name__ == "__main__":
    main()
