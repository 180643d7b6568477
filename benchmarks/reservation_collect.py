"""Collect reservation training rows: each stance item's answer as ``_add_reservations`` sees it.

Runs every named stance item set through ``itemeval`` (the ordinary evaluation path)
with ``helpers.stance.table._add_reservations`` wrapped, so each stances row comes back
with the answer segments the reservation finder reads, the rules' evidence sentence and
the rules' reservation flag, beside the item's gold ``reservations``.

    PYTHONPATH=src python -m benchmarks.reservation_collect out.jsonl stance-items stance-items-2 ...

One JSON object a line: set, item, question, kind, gold (reservations), gold_stance,
stance, method, rule (the rules' flag), segments (list of answer-segment texts),
evidence (segment index, start, end within it, or null). Used by
``benchmarks/reservation_train.py``. Held-back sets are refused.

Session 20: every item is written (``gold_known`` false where the item has no gold
reservations flag; ``reservation_train`` skips those), with its ``confidence``,
acceptable alternatives (``stance_ok``) and ``tags``, so one collection also gives a
set's stance accuracy and its stated-against-observed confidence.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from helpers.stance import table
from helpers.validate.devsets import itemeval
from helpers.validate.devsets.items import load_item_set

ROOT = Path(__file__).resolve().parents[1] / "data" / "evaluation"
FORBIDDEN = {"stance-items-28", "stance-items-29"}


def _forbidden(name: str) -> bool:
    return name in FORBIDDEN or name.endswith(("-31", "-32"))


_seen: list[dict] = []


def _wrap(orig):
    def wrapped(rows, texts, segments):
        for row in rows:
            text = texts.get(row["respondent_id"])
            spans = segments.get((row["respondent_id"], row["question_id"])) or []
            if not isinstance(text, str):
                continue
            if not spans and row["start"] is not None:
                spans = [(int(row["start"]), int(row["end"]))]
            ev = None
            if row["start"] is not None:
                for k, (s, e) in enumerate(spans):
                    if s <= row["start"] < e or (k == len(spans) - 1):
                        ev = [k, int(row["start"]) - s, int(row["end"]) - s]
                        break
            _seen.append(
                {
                    "rid": str(row["respondent_id"]),
                    "question": str(row["question_id"]),
                    "full": text.strip(),
                    "stance": row["stance"],
                    "method": row["method"],
                    "confidence": float(row["confidence"])
                    if row.get("confidence") is not None
                    else None,
                    "rule": bool(row["reservations"]),
                    "conflict": bool(row.get("conflict")),
                    "tick": row.get("tick_box"),
                    "text_stance": row.get("text_stance"),
                    "segments": [text[s:e] for s, e in spans],
                    "evidence": ev,
                }
            )
        return orig(rows, texts, segments)

    return wrapped


def collect(name: str) -> list[dict]:
    if _forbidden(name):
        raise SystemExit(f"{name}: held back; never collected")
    out = []
    for f in load_item_set(ROOT / name):
        _seen.clear()
        letters = [i for i in f.items if i.kind == "letter"]
        others = [i for i in f.items if i.kind != "letter"]
        itemeval.read_items(others, f)
        itemeval.read_letters(letters, f)
        by_key = {}
        for r in _seen:
            by_key.setdefault((r["rid"], r["question"]), r)
            by_key.setdefault(("text", r["full"], r["question"]), r)
        for i in f.items:
            r = by_key.get((i.id, i.question)) or by_key.get(("text", i.text.strip(), i.question))
            rec = {"set": name, "item": i.id, "question": i.question, "kind": i.kind,
                   "gold": bool(i.reservations), "gold_known": i.reservations is not None,
                   "gold_stance": i.stance, "stance_ok": list(i.stance_ok), "tags": list(i.tags)}  # fmt: skip
            if r is None:
                rec.update(
                    stance=None,
                    method=None,
                    confidence=None,
                    rule=False,
                    segments=[],
                    evidence=None,
                    conflict=False,
                    tick=None,
                    text_stance=None,
                    full=i.text.strip(),
                )
            else:
                rec.update(
                    {
                        k: r[k]
                        for k in (
                            "stance",
                            "method",
                            "confidence",
                            "rule",
                            "segments",
                            "evidence",
                            "conflict",
                            "tick",
                            "text_stance",
                        )
                    }
                )
                rec["full"] = r["full"]
            out.append(rec)
    return out


def main(argv: list[str]) -> None:
    table._add_reservations = _wrap(table._add_reservations)
    path, names = Path(argv[0]), argv[1:]
    with path.open("w", encoding="utf-8") as fh:
        for name in names:
            rows = collect(name)
            for r in rows:
                fh.write(json.dumps(r) + "\n")
            print(name, len(rows), sum(r["gold"] for r in rows), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
