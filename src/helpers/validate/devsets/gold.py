"""``gold.yaml``: the gold labels of a development set, written from its sources and read back.

The builder writes the ``documents:`` section from the sources, so each gold
answer text is exactly the text the renderer put in the file (paragraphs
joined by a blank line, no heading). A ``surveys:`` section (survey exports
are written by hand, not rendered) is kept as it is. Multi-line texts are
written as YAML literal blocks so a reviewer can read the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from helpers.validate.devsets.layout import paragraphs
from helpers.validate.devsets.sources import DevSetError, Source

__all__ = ["GOLD_FILE", "dump_yaml", "gold_documents", "load_gold", "write_gold"]

GOLD_FILE = "gold.yaml"


class _Dumper(yaml.SafeDumper):
    """Literal blocks for multi-line strings; everything else as SafeDumper writes it."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value and not any(line != line.rstrip() for line in value.split("\n")):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def answer_text(text: str) -> str:
    """An answer's text as rendered: its paragraphs, stripped, joined by one blank line."""
    return "\n\n".join(paragraphs(text))


def _layout(s: Source) -> str:
    """The informative layout string: ``headed``, ``attachment:headed``, ``letter+attachment:form``."""
    if s.attachment is None:
        return s.layout
    att = f"attachment:{s.attachment.layout}"
    return f"{s.layout}+{att}" if s.attachment.questions else att


def gold_documents(sources: list[Source]) -> list[dict]:
    """The ``documents:`` entries for ``sources`` (in their order)."""
    out = []
    for s in sources:
        out.append(
            {
                "file": f"responses/{s.filename}",
                "split": s.split,
                "format": s.format,
                "layout": _layout(s),
                "respondent_type": s.respondent_type,
                "organisation": s.organisation,
                "attributes": dict(s.attributes),
                "answers": [
                    {
                        "question": a.question,
                        "heading": a.heading,
                        "text": answer_text(a.text),
                        "substantive": a.substantive,
                        "tick": a.tick,
                        "stance": a.stance,
                        **({"stance_ok": list(a.stance_ok)} if a.stance_ok else {}),
                        "themes": list(a.themes),
                        "campaign": a.campaign,
                    }
                    for a in s.answers
                ],
            }
        )
    return out


def load_gold(set_dir: str | Path) -> dict:
    """The set's gold.yaml as a mapping (``documents`` and ``surveys`` lists present)."""
    path = Path(set_dir) / GOLD_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DevSetError(f"{path}: gold file not found (build the set first)") from exc
    except yaml.YAMLError as exc:
        raise DevSetError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise DevSetError(f"{path}: must be a mapping with documents: and/or surveys:")
    for key in ("documents", "surveys"):
        raw[key] = raw.get(key) or []
        if not isinstance(raw[key], list):
            raise DevSetError(f"{path}: {key}: must be a list")
    return raw


def write_gold(set_dir: str | Path, sources: list[Source]) -> Path:
    """Write gold.yaml from ``sources``, keeping an existing ``surveys:`` section."""
    set_dir = Path(set_dir)
    path = set_dir / GOLD_FILE
    surveys: list = []
    if path.is_file():
        surveys = load_gold(set_dir)["surveys"]
    data: dict[str, Any] = {"set": set_dir.name, "consultation": "consultation.yaml"}
    if (set_dir / "codebook.yaml").is_file():
        data["codebook"] = "codebook.yaml"
    data["documents"] = gold_documents(sources)
    if surveys:
        data["surveys"] = surveys
    header = (
        "# Gold labels, written by `python -m helpers.validate.devsets build` from sources/*.yaml\n"
        "# (documents:). Edit the sources, not this section; surveys: is written by hand and kept.\n"
    )
    path.write_text(header + dump_yaml(data), encoding="utf-8")
    return path
