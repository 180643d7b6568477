"""Shared writer for the held-back stance items (renders compact item lists to YAML)."""
import yaml

S = {"A": "agree", "SA": "strongly_agree", "D": "disagree", "SD": "strongly_disagree",
     "N": "neither", "DK": "dont_know", "NA": "not_answered", None: None}


class _Lit(str):
    pass


def _lit(dumper, data):
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")


yaml.add_representer(_Lit, _lit)


def render(path, consultation, prefix, rows):
    items = []
    for n, r in enumerate(rows, 1):
        kind, q, voice, tick, st, text, ev, tags = r[:8]
        extra = r[8] if len(r) > 8 else {}
        text = text.strip() + "\n" if text.strip() else ""
        items.append({
            "id": f"{prefix}-{n:03d}", "question": q, "split": "heldout", "voice": voice,
            "kind": kind, "tick": S[tick] if kind == "form" else None,
            "text": _Lit(text) if text else "",
            "stance": S[st], "stance_ok": [S.get(x, x) for x in extra.get("ok", [])],
            "reservations": bool(extra.get("res", False)),
            "evidence": ev or None, "tags": tags.split(),
        })
    with open(path, "w") as f:
        yaml.dump({"consultation": consultation, "items": items}, f, sort_keys=False,
                  allow_unicode=True, width=100)
