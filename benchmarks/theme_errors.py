"""Why theme codes are wrong or missing on development sets: segmentation, wrong sense, no pattern.

``python -m benchmarks.theme_errors --split heldout --set ofsted-docs-9 --set transport-9``

A diagnostic beside ``make evaluate`` (it does not change the metric): each set is
read and coded as ``evaluate`` does (``ingest.run_ingest``, then
``coding.code_answers`` with the set's codebook, negated codes left out), and every
(answer, theme) error of the themes metric is put down to one cause by coding the
*gold* answer text on its own under its gold question:

- ``wrong: segmentation`` - the gold text does not fire the theme, so the code came
  from text ingest put under this question (``...(theme in respondent's gold)``:
  gold has the theme under another question of the same respondent);
- ``wrong: on the gold text`` - the dictionary fires on the answer itself: a theme
  word in another sense, a passing mention, or gold a second coder could dispute
  (only reading tells these apart);
- ``missed: segmentation`` - the gold text fires the theme but the answer ingest
  cut does not (``...coded under another question``: the respondent has the code
  elsewhere);
- ``missed: negated only`` - its only match on the gold text is negated;
- ``missed: no pattern`` - nothing fires on the gold text (the theme is implied, or
  said in words the codebook lacks).

It also scores themes **per respondent** (a respondent's gold themes over all their
answers against every theme the system coded for them), which shows how much of
the per-question score is lost to answers placed under the wrong question.
Written for issue 14 (session 7); docs/models.md has the figures.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from helpers import coding, ingest
from helpers.coding import Coder
from helpers.core import schemas
from helpers.core.consultation import load_consultation
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import gold_responses
from helpers.validate.devsets.scoring import _key

ROOT = Path(__file__).resolve().parent.parent / "data" / "evaluation"


def theme_error_causes(set_dir: str | Path, split: str = "heldout") -> Counter:
    """Counts for one set: ``right``, each cause above, and per-respondent ``resp_tp``,
    ``resp_fp``, ``resp_fn``."""
    set_dir = Path(set_dir)
    consultation = load_consultation(set_dir / "consultation.yaml")
    codebook = coding.load_codebook(set_dir / "codebook.yaml", consultation)
    records = gold_responses(load_gold(set_dir), split, where=str(set_dir / "gold.yaml"))
    with tempfile.TemporaryDirectory(prefix="theme-errors-") as tmp:
        result = ingest.run_ingest(
            set_dir / "responses", set_dir / "consultation.yaml", Path(tmp) / "out"
        )
    codes = schemas.counted_codes(
        coding.code_answers(result.answers, result.respondents, codebook, consultation)
    )
    rid_of = {}
    for r in result.respondents.itertuples(index=False):
        rid_of.setdefault(_key(r.source_file, r.source_row), str(r.respondent_id))
    got: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_rid: dict[str, set[str]] = defaultdict(set)
    for rid, qid, tid in zip(
        codes["respondent_id"].astype(str), codes["question_id"].astype(str),
        codes["theme_id"].astype(str), strict=True,
    ):  # fmt: skip
        got[(rid, qid)].add(tid)
        by_rid[rid].add(tid)
    coder = Coder(codebook)
    out: Counter = Counter()
    for rec in records:
        rid = rid_of.get(_key(rec.file, rec.row), "")
        answers = [a for a in rec.answers if a.themes is not None and a.text.strip()]
        if not answers:
            continue
        resp_gold = set().union(*(set(a.themes) for a in answers))
        for a in answers:
            gold, system = set(a.themes), got.get((rid, a.question), set())
            alone = coder.code_text(a.text, a.question)
            fires = {r["theme_id"] for r in alone if not r["negated"]}
            negated = {r["theme_id"] for r in alone if r["negated"]} - fires
            out["right"] += len(gold & system)
            for t in system - gold:
                if t in fires:
                    out["wrong: on the gold text"] += 1
                elif t in resp_gold:
                    out["wrong: segmentation (theme in respondent's gold)"] += 1
                else:
                    out["wrong: segmentation"] += 1
            for t in gold - system:
                if t in fires:
                    out["missed: segmentation"] += 1
                elif t in by_rid.get(rid, ()):
                    out["missed: segmentation (coded under another question)"] += 1
                elif t in negated:
                    out["missed: negated only"] += 1
                else:
                    out["missed: no pattern"] += 1
        resp_system = by_rid.get(rid, set())
        out["resp_tp"] += len(resp_gold & resp_system)
        out["resp_fp"] += len(resp_system - resp_gold)
        out["resp_fn"] += len(resp_gold - resp_system)
    return out


def _prf(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return f"{p:.3f} / {r:.3f} / {2 * p * r / (p + r) if p + r else 0.0:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=str(ROOT))
    parser.add_argument("--split", default="heldout", choices=["dev", "heldout", "all"])
    parser.add_argument("--set", action="append", required=True, dest="sets")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    total: Counter = Counter()
    for name in args.sets:
        c = theme_error_causes(Path(args.root) / name, args.split)
        total.update(c)
        wrong = sum(v for k, v in c.items() if k.startswith("wrong"))
        missed = sum(v for k, v in c.items() if k.startswith("missed"))
        print(
            f"{name}: per question {_prf(c['right'], wrong, missed)}; "
            f"per respondent {_prf(c['resp_tp'], c['resp_fp'], c['resp_fn'])}"
        )
    print("pooled causes:")
    for k, v in sorted(total.items()):
        if not k.startswith("resp_"):
            print(f"  {v:6d}  {k}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
