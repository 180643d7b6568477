"""codebook.yaml edited in place: add, rename, merge and split themes, comments kept.

A codebook is a document researchers annotate (why a pattern is there, what a
theme must not catch), so it is edited with ruamel.yaml's round-trip mode: the
file is read into a tree that remembers comments, block/flow styles and key
order, only the themes an edit touches change, and the file is written back.
Comments attached to a theme that is removed (merged away, split) go with it.

Every function edits the tree in place and returns nothing; ``plain`` turns the
tree into ordinary dicts and lists for ``coding.parse_codebook``, which the
workbench calls after every edit so an invalid codebook is never written.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from helpers.coding import THEME_KEYS

# A new theme's keys are written in the codebook's own order (docs/CONTRACTS.md).
KEY_ORDER = THEME_KEYS


def _yaml() -> YAML:
    y = YAML()  # round-trip
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 88
    return y


def load(path: str | Path) -> CommentedMap:
    """The codebook file as a round-trip tree."""
    return _yaml().load(Path(path).read_text(encoding="utf-8"))


def dumps(doc: CommentedMap) -> str:
    buf = io.StringIO()
    _yaml().dump(doc, buf)
    return buf.getvalue()


def save(doc: CommentedMap, path: str | Path) -> Path:
    """Write the tree to ``path`` (UTF-8)."""
    path = Path(path)
    path.write_text(dumps(doc), encoding="utf-8")
    return path


def plain(node: Any) -> Any:
    """The tree as ordinary dicts, lists and scalars (what PyYAML would have read)."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def _seq(values: list[Any]) -> CommentedSeq:
    out = CommentedSeq(values)
    return out


def theme_node(theme: dict[str, Any]) -> CommentedMap:
    """A new theme mapping, keys in ``KEY_ORDER`` (unknown keys after, for the parser to refuse)."""
    node = CommentedMap()
    for key in [*KEY_ORDER, *(k for k in theme if k not in KEY_ORDER)]:
        if key in theme and theme[key] not in (None, [], ""):
            value = theme[key]
            node[key] = _seq(list(value)) if isinstance(value, list | tuple) else value
    return node


def themes(doc: CommentedMap) -> CommentedSeq:
    return doc["themes"]


def index_of(doc: CommentedMap, theme_id: str) -> int:
    for i, t in enumerate(themes(doc)):
        if t.get("id") == theme_id:
            return i
    raise KeyError(f"no theme {theme_id!r} in the codebook")


def add_theme(doc: CommentedMap, theme: dict[str, Any], after: str | None = None) -> None:
    """Append ``theme`` (or insert it after theme ``after``)."""
    if any(t.get("id") == theme.get("id") for t in themes(doc)):
        raise ValueError(f"theme {theme.get('id')!r} already exists")
    node = theme_node(theme)
    if after is None:
        themes(doc).append(node)
    else:
        themes(doc).insert(index_of(doc, after) + 1, node)


def _reparent(doc: CommentedMap, old: str, new: str | None) -> None:
    for t in themes(doc):
        if t.get("parent") == old:
            if new is None:
                del t["parent"]
            else:
                t["parent"] = new


def rename_theme(
    doc: CommentedMap, theme_id: str, new_id: str | None = None, label: str | None = None
) -> None:
    """Change a theme's id (children follow) and/or its label."""
    node = themes(doc)[index_of(doc, theme_id)]
    if new_id and new_id != theme_id:
        if any(t.get("id") == new_id for t in themes(doc)):
            raise ValueError(f"theme {new_id!r} already exists")
        node["id"] = new_id
        _reparent(doc, theme_id, new_id)
    if label:
        node["label"] = label


def _union(nodes: list[CommentedMap], key: str) -> list[Any]:
    out: list[Any] = []
    for n in nodes:
        for v in n.get(key) or []:
            if plain(v) not in [plain(o) for o in out]:
                out.append(v)
    return out


def merge_themes(
    doc: CommentedMap, theme_ids: list[str], into: str, label: str | None = None
) -> None:
    """Merge ``theme_ids`` into ``into`` (one of them): patterns, excludes, co-occurrences,
    examples and questions are united; the others are removed and their children
    move to ``into``. A theme coded in every question makes the merged one so too.
    """
    if into not in theme_ids:
        raise ValueError(f"{into!r} must be one of the themes merged {theme_ids}")
    if len(set(theme_ids)) < 2:
        raise ValueError("merge needs at least two themes")
    nodes = [themes(doc)[index_of(doc, t)] for t in theme_ids]
    keep = nodes[theme_ids.index(into)]
    for key in ("patterns", "exclude", "cooccur", "examples"):
        values = _union(nodes, key)
        if key in keep:  # append to the kept list, so its comments stay
            have = [plain(v) for v in keep[key]]
            keep[key].extend(v for v in values if plain(v) not in have)
        elif values:
            keep[key] = _seq(values)
    if any("questions" not in n for n in nodes):
        keep.pop("questions", None)
    else:
        keep["questions"] = _seq(_union(nodes, "questions"))
    if label:
        keep["label"] = label
    for t in theme_ids:
        if t != into:
            del themes(doc)[index_of(doc, t)]
            _reparent(doc, t, into)
    if keep.get("parent") in theme_ids:
        del keep["parent"]


def split_theme(doc: CommentedMap, theme_id: str, parts: list[dict[str, Any]]) -> None:
    """Replace ``theme_id`` by ``parts`` (each a theme mapping with its own id and patterns).

    Each part takes the original's parent, questions and exclude unless it gives
    its own; children of the original move to the first part. The original's id
    may be reused by one part.
    """
    if len(parts) < 2:
        raise ValueError("split needs at least two parts")
    i = index_of(doc, theme_id)
    old = themes(doc)[i]
    ids = [p.get("id") for p in parts]
    clash = [p for p in ids if p != theme_id and any(t.get("id") == p for t in themes(doc))]
    if clash or len(set(ids)) != len(ids):
        raise ValueError(f"part ids must be new and distinct: {ids}")
    del themes(doc)[i]
    for k, part in enumerate(parts):
        inherited = {
            key: plain(old[key]) for key in ("parent", "questions", "exclude") if key in old
        }
        themes(doc).insert(i + k, theme_node({**inherited, **part}))
    _reparent(doc, theme_id, ids[0])
