"""Collect stance training rows: each gold stance beside the rules' stances row and the text read.

Runs the ordinary evaluation of a set (item sets through ``itemeval``, document
and survey sets through ``evaluate_set``) with ``stance.stance_answers`` and the
case scorer wrapped, so every gold case comes back with the row the rules gave
and the text the learned layer would read (``helpers.stance.learned.layer_text``).

    PYTHONPATH=src python -m benchmarks.stance_collect out.jsonl stance-items:all transport:dev ...

One JSON object a line: set, name, question, gold, stance_ok, tick, row fields
(stance, method, confidence, reservations, evidence), layer text, question text.
Used by ``benchmarks/stance_train.py``; the validation and final sets are never
collected for training (the trainer refuses them).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from helpers import stance
from helpers.stance import learned
from helpers.validate.devsets import evaluate, itemeval, scoring

ROOT = Path(__file__).resolve().parents[1] / "data" / "evaluation"
# Held back for the final measure (session 28): never collected. Batch 30 and stance-items-27
# were scored at the start and end of session 27 and are spent now; batch 31 and stance-items-28
# (written blind in session 27) and anything written blind later (batch 32, stance-items-29)
# may not be collected.
FORBIDDEN = {"stance-items-28", "stance-items-29"}


def _forbidden(name: str) -> bool:
    return name in FORBIDDEN or name.endswith(("-31", "-32"))


_calls: list[dict] = []
_cases: list = []


def _wrap_stance(orig):
    def wrapped(answers, respondents, consultation):
        out = orig(answers, respondents, consultation)
        n = len(_calls)
        texts = dict(
            zip(respondents["respondent_id"].astype(str), respondents["text"], strict=True)
        )
        _calls.append({"answers": answers, "texts": texts, "consultation": consultation})
        out = out.copy()
        out["_call"] = n
        return out

    return wrapped


def _wrap_cases(orig):
    def wrapped(cases, scores):
        _cases.extend(cases)
        return orig(cases, scores)

    return wrapped


def _clean(v):
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def collect(name: str, split: str) -> list[dict]:
    if _forbidden(name):
        raise SystemExit(f"{name}: held back for the final measure; never collected")
    _calls.clear()
    _cases.clear()
    folder = ROOT / name
    if (folder / "gold.yaml").is_file():
        evaluate.evaluate_set(folder, split)
    else:
        itemeval.evaluate_item_set(folder, split)
    out = []
    for c in _cases:
        row = c.row
        rec = {
            "set": name,
            "name": c.name,
            "question": c.question,
            "gold": c.gold,
            "stance_ok": list(c.stance_ok),
            "tick": c.tick,
            "row": None,
            "text": None,
            "question_text": None,
        }
        if row is not None:
            call = _calls[int(row["_call"])]
            r = {k: _clean(row.get(k)) for k in (
                "respondent_id", "stance", "method", "confidence", "reservations", "evidence",
                "start", "end", "tick_box", "text_stance", "score",
            )}  # fmt: skip
            rec["row"] = r
            q = next(q for q in call["consultation"].closed_questions if q.id == c.question)
            rec["question_text"] = q.label
            a = call["answers"]
            g = a[(a["respondent_id"].astype(str) == str(r["respondent_id"]))
                  & (a["question_id"] == c.question)]  # fmt: skip
            text = call["texts"].get(str(r["respondent_id"]))
            spans = [(int(s), int(e)) for s, e in zip(g["start"], g["end"], strict=True)]
            rec["text"] = learned.layer_text(text, spans, r["evidence"], r["method"])
        out.append(rec)
    return out


def main(argv: list[str]) -> None:
    # The rules' own rows: the no-position gate and the confidence table are what is trained.
    from helpers.stance import calibration, table

    table.GATE = False
    calibration.CALIBRATE = False  # the readers' own confidence (session 22)
    # Stance only: the theme coders (embeddings, trained codes) are most of a document
    # set's evaluation time and change no stance row.
    has = evaluate._has
    evaluate._has = lambda records, attr: attr != "themes" and has(records, attr)
    stance.stance_answers = _wrap_stance(stance.stance_answers)
    itemeval.add_stance_scores = _wrap_cases(itemeval.add_stance_scores)
    scoring.add_stance_scores = _wrap_cases(scoring.add_stance_scores)
    out_path = Path(argv[0])
    with out_path.open("w", encoding="utf-8") as fh:
        for spec in argv[1:]:
            name, _, split = spec.partition(":")
            recs = collect(name, split or "all")
            print(f"{spec}: {len(recs)} cases", file=sys.stderr)
            for rec in recs:
                fh.write(json.dumps(rec) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
