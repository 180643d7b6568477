"""The nil-return words are data (``nil_return`` in helpers/data/non_answers.yaml), not code."""

from __future__ import annotations

from importlib import resources

import yaml

from helpers.coding import nilreturn


def _section() -> dict:
    text = resources.files("helpers").joinpath("data", "non_answers.yaml").read_text("utf-8")
    return yaml.safe_load(text)["nil_return"]


def test_words_come_from_the_data_file() -> None:
    data = _section()
    phrase, contrast = nilreturn.compile_nil_return(data)
    assert phrase.match("We have no objections to raise about parking") is None
    data = {**data, "nouns": [*data["nouns"], "objections"]}
    phrase, _ = nilreturn.compile_nil_return(data)
    m = phrase.search("We have no objections to raise about parking")
    assert m is not None and m.group(0) == "no objections to raise"
    assert contrast.search("no comments on parking, but the buses matter") is not None


def test_multi_word_entries_match_across_line_breaks() -> None:
    phrase, _ = nilreturn.compile_nil_return(_section())
    assert phrase.search("We have no further comments in relation\nto housing.") is not None
    assert phrase.search("There is no evidence that housing has improved.") is None
