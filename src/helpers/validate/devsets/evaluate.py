"""``evaluate``: run ingest (and stance and coding, when gold has them) on each set; score it.

For each set folder under ``data/evaluation/`` (one with ``consultation.yaml``
and ``gold.yaml``): ``helpers.ingest.run_ingest`` reads ``responses/`` into
a temporary folder; when the gold labels stances, ``helpers.stance`` reads the
closed answers, and when it labels themes, ``helpers.coding`` codes the
answers with the set's codebook; ``scoring.score_set`` compares them with the
gold records of the split. A stance item set (a folder of ``items:`` files,
no gold.yaml) is scored by ``itemeval`` instead. Sets whose gold labels themes
also get the discovery line (``discoveryscore``): how many gold themes a draft
codebook drafted without the set's codebook recovers. The result is a table (``table``), optionally a
JSON file, and with ``--verbose`` every error.

The held-out third of every set is for a final, honest measurement: it is
scored only when asked (``--split heldout`` or ``all``); tune on ``dev``.

A measurement, not a test: the exit code is 0 whenever the sets were scored,
whatever the scores, and 2 when a set is broken (unreadable gold, invalid
consultation, missing responses folder), after scoring the others.
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from helpers import coding, ingest, stance
from helpers.core import schemas
from helpers.core.consultation import load_consultation
from helpers.core.errors import ConfigError
from helpers.validate.devsets.discoveryscore import discovery_report
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import gold_responses
from helpers.validate.devsets.itemeval import evaluate_item_set
from helpers.validate.devsets.items import is_item_set
from helpers.validate.devsets.metrics import Scores
from helpers.validate.devsets.scoring import score_set
from helpers.validate.devsets.sources import DevSetError
from helpers.validate.devsets.stancescore import stance_json
from helpers.validate.devsets.table import format_errors, format_stance, format_table
from helpers.validate.devsets.themescore import format_methods, score_methods

__all__ = ["evaluate_set", "find_sets", "run_evaluation", "scores_json"]

log = logging.getLogger(__name__)


def find_sets(root: str | Path, names: list[str] | None = None) -> list[Path]:
    """Set folders under ``root``, by name: document/survey sets (consultation.yaml and
    gold.yaml) and stance item sets (no gold.yaml, YAML files with ``items:``)."""
    root = Path(root)
    if names:
        return [root / n for n in names]
    if not root.is_dir():
        return []
    return sorted(
        p
        for p in root.iterdir()
        if ((p / "consultation.yaml").is_file() and (p / "gold.yaml").is_file()) or is_item_set(p)
    )


def _has(records, attr: str) -> bool:
    return any(getattr(a, attr) not in (None, ()) for r in records for a in r.answers)


def evaluate_set(set_dir: str | Path, split: str = "dev") -> Scores:
    """Run ingest (and stance/coding when gold has labels for them) on one set and score ``split``."""
    set_dir = Path(set_dir)
    if not (set_dir / "responses").is_dir():
        raise DevSetError(f"{set_dir}: no responses/ folder (build the set first)")
    gold = load_gold(set_dir)
    try:
        consultation = load_consultation(set_dir / "consultation.yaml")
    except (ConfigError, FileNotFoundError) as exc:
        raise DevSetError(f"{set_dir}: {exc}") from exc
    records = gold_responses(gold, split, where=str(set_dir / "gold.yaml"))
    with tempfile.TemporaryDirectory(prefix="devset-") as tmp:
        result = ingest.run_ingest(
            set_dir / "responses", set_dir / "consultation.yaml", Path(tmp) / "out"
        )
    stances = codes = None
    method_scores = []
    notes = []
    if _has(records, "stance"):
        stances = stance.stance_answers(result.answers, result.respondents, consultation)
    if _has(records, "themes"):
        if (set_dir / "codebook.yaml").is_file():
            codebook = coding.load_codebook(set_dir / "codebook.yaml", consultation)
            raw = coding.code_answers(result.answers, result.respondents, codebook, consultation)
            # Semantic codes on their own (not skipping the dictionary's pairs), so each
            # method is scored alone; together they are the pipeline's codes.
            sem = coding.code_semantic(result.answers, result.respondents, codebook, consultation)
            notes.extend(sem.unprocessed)
            if len(sem.codes):
                raw = schemas.conform(pd.concat([raw, sem.codes], ignore_index=True), schemas.CODES)
            # Codes trained on earlier rounds' coded answers (the codebook's
            # training_answers; coding.trained), also scored on their own; with the
            # codebook's training_stacker the dictionary codes it vetoes are dropped.
            decided = coding.trained_decisions(
                result.answers, result.respondents, codebook, consultation, dictionary=raw,
                alone=codebook.training_stacker,
            )  # fmt: skip
            raw = coding.drop_vetoed(raw, decided.vetoed)
            trained = coding.drop_echoes(decided.codes, consultation)
            if len(trained):
                raw = schemas.conform(pd.concat([raw, trained], ignore_index=True), schemas.CODES)
            codes = schemas.counted_codes(raw)
            # With the stacker the learned line holds only the codes it added; the
            # classifiers' own codes are scored on a line of their own (not combined).
            alone = {"classifiers": decided.alone} if codebook.training_stacker else {}
            method_scores = score_methods(records, result.respondents, codes, alone=alone)
        else:
            notes.append("gold has themes but the set has no codebook.yaml: themes not scored")
    scores = score_set(
        set_dir.name,
        split,
        records,
        consultation,
        result.respondents,
        result.answers,
        result.log,
        result.copies,
        stances=stances,
        codes=codes,
        attributes=result.attributes,
    )
    if "substantive" not in result.answers.columns:
        notes.append("answers table has no `substantive` column: non-answers n/a")
    scores.notes.extend(notes)
    scores.method_scores = method_scores
    return scores


def scores_json(scores: Scores) -> dict:
    """A JSON-ready dict of ``scores`` with the rates computed."""
    data = asdict(scores)
    data["type_errors"] = [
        {"gold": g, "system": s, "n": n} for (g, s), n in sorted(scores.type_errors.items())
    ]
    for key in (
        "files",
        "recall",
        "precision",
        "types",
        "rows",
        "empty_rows",
        "stance",
        "attributes",
    ):
        value = getattr(scores, key)
        if value is not None:
            data[key]["rate"] = value.rate
    if scores.stance_scores is not None:
        data["stance_scores"] = stance_json(scores.stance_scores)
    for fmt, counts in scores.recall_by_format.items():
        data["recall_by_format"][fmt]["rate"] = counts.rate
    for key in ("non_answers", "campaigns", "themes"):
        value = getattr(scores, key)
        if value is not None:
            data[key].update(precision=value.precision, recall=value.recall)
    return data


def run_evaluation(
    root: str | Path,
    split: str = "dev",
    sets: list[str] | None = None,
    json_path: str | Path | None = None,
    verbose: bool = False,
) -> int:
    """Score every set (or ``sets``) under ``root``; print the table; 0 if all ran, 2 if a set is broken."""
    folders = find_sets(root, sets)
    if not folders:
        log.error(
            "%s: no development sets (consultation.yaml and gold.yaml, or stance item files)", root
        )
        return 2
    results: list[Scores] = []
    broken = False
    for folder in folders:
        try:
            if is_item_set(folder):
                results.append(evaluate_item_set(folder, split))
            else:
                results.append(evaluate_set(folder, split))
        except (DevSetError, ConfigError, FileNotFoundError) as exc:
            log.error("%s: broken set: %s", folder.name, exc)
            broken = True
    out = sys.stdout
    if results:
        out.write(format_table(results) + "\n")
        stance_text = format_stance(results, verbose)
        if stance_text:
            out.write(stance_text + "\n")
        for s in results:
            if s.method_scores:
                out.write(format_methods(s.name, s.method_scores) + "\n")
        for s in results:
            for note in s.notes:
                out.write(f"note ({s.name}): {note}\n")
        discovery = discovery_report(folders, split)
        if discovery:
            out.write(discovery + "\n")
        if verbose:
            out.write(format_errors(results) + "\n")
        elif any(s.errors for s in results):
            out.write("(--verbose lists every error)\n")
    if json_path is not None:
        Path(json_path).write_text(
            json.dumps([scores_json(s) for s in results], indent=2, default=str), encoding="utf-8"
        )
    return 2 if broken else 0
