"""Check stance-items-4 files and print counts (used to write README.md).

Usage: python check.py   (from this folder)
"""

import collections
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
STANCES = {
    "strongly_agree",
    "agree",
    "neither",
    "disagree",
    "strongly_disagree",
    "dont_know",
    "not_answered",
}
TICKS = STANCES - {"not_answered"}
errors = []
for name in ("ofsted", "transport"):
    path = os.path.join(HERE, f"{name}.yaml")
    doc = yaml.safe_load(open(path))
    cons = yaml.safe_load(open(os.path.join(HERE, doc["consultation"])))
    closed = {q["id"] for q in cons["questions"] if q.get("kind") == "closed"}
    ids = set()
    c = {k: collections.Counter() for k in ("kind", "stance", "question", "tag", "split", "tick")}
    for it in doc["items"]:
        i = it["id"]
        if i in ids:
            errors.append(f"{name} {i}: duplicate id")
        ids.add(i)
        if it["question"] not in closed:
            errors.append(f"{name} {i}: question {it['question']} not closed")
        if it["split"] != "heldout":
            errors.append(f"{name} {i}: split not heldout")
        if it["stance"] not in STANCES:
            errors.append(f"{name} {i}: stance {it['stance']}")
        for s in it.get("stance_ok") or []:
            if s not in STANCES or s == it["stance"]:
                errors.append(f"{name} {i}: stance_ok {s}")
        if it["kind"] not in {"answer", "form", "letter"}:
            errors.append(f"{name} {i}: kind")
        tick = it.get("tick")
        if tick is not None:
            if it["kind"] != "form" or tick not in TICKS:
                errors.append(f"{name} {i}: tick {tick}")
            elif it["stance"] != tick:
                errors.append(f"{name} {i}: tick {tick} but gold {it['stance']}")
        text = it.get("text") or ""
        if (
            it["kind"] == "form"
            and tick is None
            and not text.strip()
            and it["stance"] != "not_answered"
        ):
            errors.append(f"{name} {i}: blank form must be not_answered")
        ev = it.get("evidence")
        if ev is not None and ev not in text:
            errors.append(f"{name} {i}: evidence not verbatim: {ev!r}")
        if ev is None and it["stance"] != "not_answered" and text.strip():
            errors.append(f"{name} {i}: evidence missing")
        if it["stance"] == "not_answered" and ev is not None:
            errors.append(f"{name} {i}: evidence for not_answered")
        if it["kind"] == "letter" and len([p for p in text.split("\n\n") if p.strip()]) < 3:
            errors.append(f"{name} {i}: letter has fewer than 3 paragraphs")
        if not isinstance(it.get("reservations"), bool):
            errors.append(f"{name} {i}: reservations")
        c["kind"][it["kind"]] += 1
        c["stance"][it["stance"]] += 1
        c["question"][it["question"]] += 1
        c["split"][it["split"]] += 1
        c["tick"]["blank" if tick is None else "ticked"] += it["kind"] == "form"
        for t in it["tags"]:
            c["tag"][t] += 1
    n = len(doc["items"])
    print(f"## {name}.yaml — {n} items")
    for k in ("split", "question", "kind", "stance", "tick", "tag"):
        print(
            f"- {k}: "
            + ", ".join(f"{a} {b}" for a, b in sorted(c[k].items(), key=lambda x: (-x[1], x[0])))
        )
    print(f"- reservations true: {sum(bool(it['reservations']) for it in doc['items'])}")
    print()
for e in errors:
    print("ERROR", e, file=sys.stderr)
sys.exit(1 if errors else 0)
