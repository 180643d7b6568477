"""The shipped word lists are read as words.

YAML 1.1 (PyYAML) reads a bare ``yes``, ``no``, ``on`` or ``off`` as a boolean, so a
word list written ``[not, no, never]`` silently held ``False`` and the negator
pattern matched the word "false" instead of "no". Every list in the package's data
files must hold strings (or numbers where a list is numeric), never booleans.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parents[1] / "src" / "helpers" / "data"
FILES = sorted(p for p in DATA.rglob("*.yaml"))


def _booleans_in_lists(node: object, path: str = "") -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _booleans_in_lists(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            if isinstance(item, bool):
                found.append(f"{path}[{i}] = {item}")
            else:
                found += _booleans_in_lists(item, f"{path}[{i}]")
    return found


def test_there_are_data_files_to_check():
    assert len(FILES) >= 5


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_word_lists_hold_no_booleans(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert _booleans_in_lists(data) == [], f"{path.name}: quote yes/no/on/off"


def test_the_check_catches_an_unquoted_no():
    assert _booleans_in_lists(yaml.safe_load("negators: [not, no, never]")) == [
        "/negators[1] = False"
    ]
