"""Stance item sets: short labelled texts, one gold stance each, for scoring stance alone.

A stance item set is a folder under ``data/evaluation/`` with no gold.yaml
but one or more YAML files holding ``items:`` (format in docs/evaluation.md,
"Stance item sets"). Each file names the consultation its items answer
(``consultation:``, relative to the file); each item is an ``answer`` (the
text under a question's heading), a ``form`` (a ticked box plus optional
text) or a ``letter`` (a whole letter with no headings).

Items are checked when loaded, and an error names the file, the item and the
field: unknown keys, a question that is not a closed question of the
consultation, stances and ticks outside the scale, an ``evidence`` that is
not a substring of the text, duplicate ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from helpers.core import schemas
from helpers.core.consultation import Consultation, load_consultation
from helpers.core.errors import ConfigError
from helpers.validate.devsets.sources import DevSetError

__all__ = ["KINDS", "ItemFile", "StanceItem", "is_item_set", "load_item_file", "load_item_set"]

KINDS = ("answer", "form", "letter")
TICKS = tuple(s for s in schemas.STANCES if s != "not_answered")
_KEYS = {
    "id", "question", "split", "voice", "kind", "tick", "text", "stance", "stance_ok",
    "reservations", "evidence", "tags",
}  # fmt: skip


@dataclass(frozen=True)
class StanceItem:
    id: str
    question: str
    split: str
    kind: str
    text: str
    stance: str
    voice: str | None = None
    tick: str | None = None
    stance_ok: tuple[str, ...] = ()
    reservations: bool | None = None
    evidence: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemFile:
    path: Path
    consultation_path: Path
    consultation: Consultation
    items: tuple[StanceItem, ...]


def _yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DevSetError(f"{path}: not valid YAML: {exc}") from exc


def is_item_set(folder: Path) -> bool:
    """A folder with no gold.yaml and at least one YAML file whose top level has ``items:``."""
    if not folder.is_dir() or (folder / "gold.yaml").is_file():
        return False
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, OSError):
            continue
        if isinstance(data, dict) and "items" in data:
            return True
    return False


def _stance(value: object, where: str, allowed: tuple[str, ...] = schemas.STANCES) -> str:
    if value not in allowed:
        raise DevSetError(f"{where}: {value!r} is not one of {', '.join(allowed)}")
    return str(value)


def _item(raw: object, closed: set[str], where: str) -> StanceItem:
    if not isinstance(raw, dict):
        raise DevSetError(f"{where}: each item must be a mapping")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise DevSetError(f"{where}: unknown key(s) {unknown}")
    for key in ("id", "question", "kind", "stance"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise DevSetError(f"{where}: {key}: required")
    where = f"{where} ({raw['id']})"
    if raw["question"] not in closed:
        raise DevSetError(f"{where}: question: {raw['question']!r} is not a closed question")
    kind = raw["kind"]
    if kind not in KINDS:
        raise DevSetError(f"{where}: kind: {kind!r} is not one of {', '.join(KINDS)}")
    split = raw.get("split", "dev")
    if split not in ("dev", "heldout"):
        raise DevSetError(f"{where}: split: {split!r} is not dev or heldout")
    tick = raw.get("tick")
    if tick is not None:
        if kind != "form":
            raise DevSetError(f"{where}: tick: only a form item has a tick")
        tick = _stance(tick, f"{where}: tick", TICKS)
    text = "" if raw.get("text") is None else str(raw["text"])
    evidence = raw.get("evidence")
    if evidence is not None and (not isinstance(evidence, str) or evidence not in text):
        raise DevSetError(f"{where}: evidence: not a substring of text: {evidence!r}")
    reservations = raw.get("reservations")
    if reservations is not None and not isinstance(reservations, bool):
        raise DevSetError(f"{where}: reservations: must be true or false")
    ok = raw.get("stance_ok") or []
    tags = raw.get("tags") or []
    if not isinstance(ok, list) or not isinstance(tags, list):
        raise DevSetError(f"{where}: stance_ok and tags must be lists")
    return StanceItem(
        id=raw["id"],
        question=raw["question"],
        split=split,
        kind=kind,
        text=text,
        stance=_stance(raw["stance"], f"{where}: stance"),
        voice=raw.get("voice"),
        tick=tick,
        stance_ok=tuple(_stance(s, f"{where}: stance_ok") for s in ok),
        reservations=reservations,
        evidence=evidence,
        tags=tuple(str(t) for t in tags),
    )


def load_item_file(path: str | Path) -> ItemFile:
    """One item file, checked (``DevSetError`` names the file, item and field)."""
    path = Path(path)
    data = _yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise DevSetError(f"{path}: items: required (a list)")
    ref = data.get("consultation")
    if not isinstance(ref, str):
        raise DevSetError(f"{path}: consultation: required (a path relative to this file)")
    cpath = (path.parent / ref).resolve()
    try:
        consultation = load_consultation(cpath)
    except (ConfigError, FileNotFoundError) as exc:
        raise DevSetError(f"{path}: consultation: {exc}") from exc
    closed = {q.id for q in consultation.closed_questions}
    items = tuple(_item(raw, closed, f"{path}: items[{i}]") for i, raw in enumerate(data["items"]))
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise DevSetError(f"{path}: items: duplicate id {item.id!r}")
        seen.add(item.id)
    return ItemFile(path, cpath, consultation, items)


def load_item_set(folder: str | Path) -> list[ItemFile]:
    """Every item file of a stance item set folder, in name order."""
    folder = Path(folder)
    files = []
    for path in sorted(folder.glob("*.yaml")):
        data = _yaml(path)
        if isinstance(data, dict) and "items" in data:
            files.append(load_item_file(path))
    if not files:
        raise DevSetError(f"{folder}: no item files (YAML with items:)")
    return files
