"""Checks the held-back stance items and prints counts by kind, stance and tag (for the README).

Run from this folder: python validate.py
"""

import collections
import pathlib
import sys

import yaml

HERE = pathlib.Path(__file__).parent
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
TAGS = set(
    "plain contrast concession hedge comparative negation double_negation idiom short "
    "restated_then_rejected late_reservation conditional sarcasm off_topic question_back dont_know "
    "tick_conflict tick_agrees_but blank_tick multi_paragraph informal_spelling weighed_overall yes_no".split()
)


def check(path: pathlib.Path) -> list[str]:
    d = yaml.safe_load(path.read_text())
    cons = yaml.safe_load((path.parent / d["consultation"]).read_text())
    closed = {q["id"] for q in cons["questions"] if q.get("kind") == "closed"}
    errs, ids = [], set()
    for it in d["items"]:
        i = it["id"]
        errs += [f"{i}: duplicate id"] if i in ids else []
        ids.add(i)
        if it["question"] not in closed:
            errs.append(f"{i}: question {it['question']} not closed")
        if it["split"] != "heldout":
            errs.append(f"{i}: split {it['split']}")
        if it["kind"] not in {"answer", "form", "letter"}:
            errs.append(f"{i}: kind")
        if (
            it["stance"] not in STANCES
            or not set(it["stance_ok"]) <= STANCES
            or it["stance"] in it["stance_ok"]
        ):
            errs.append(f"{i}: stance/stance_ok")
        if it["kind"] != "form" and it["tick"] is not None:
            errs.append(f"{i}: tick on non-form")
        if it["kind"] == "form":
            if it["tick"] is not None and (it["tick"] not in TICKS or it["stance"] != it["tick"]):
                errs.append(f"{i}: gold != tick")
            if (
                it["tick"] is None
                and not (it["text"] or "").strip()
                and it["stance"] != "not_answered"
            ):
                errs.append(f"{i}: blank form with no text must be not_answered")
        ev, text = it["evidence"], it["text"] or ""
        if ev is not None and ev not in text:
            errs.append(f"{i}: evidence not verbatim")
        if it["stance"] == "not_answered" and ev is not None:
            errs.append(f"{i}: evidence on not_answered")
        if ev is None and it["stance"] != "not_answered" and text.strip():
            errs.append(f"{i}: missing evidence")
        if not set(it["tags"]) <= TAGS:
            errs.append(f"{i}: unknown tags {set(it['tags']) - TAGS}")
        if it["kind"] == "letter" and "\n\n" not in text.strip():
            errs.append(f"{i}: letter without paragraphs")
    return errs


def main() -> int:
    bad = 0
    for path in sorted(HERE.glob("*.yaml")):
        items = yaml.safe_load(path.read_text())["items"]
        errs = check(path)
        bad += len(errs)
        print(f"## {path.name}: {len(items)} items, {len(errs)} problems")
        for e in errs:
            print("  ", e)
        for key in ("question", "kind", "stance"):
            c = collections.Counter(it[key] for it in items)
            print(f"- {key}: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
        print("- reservations: " + str(sum(it["reservations"] for it in items)))
        c = collections.Counter(t for it in items for t in it["tags"])
        print("- tags: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
