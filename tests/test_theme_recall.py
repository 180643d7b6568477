"""benchmarks.theme_recall: the classifiers' own pairs and the codebook texts as neighbours.

Toy rows in the shape ``theme_stacker.load_rows`` gives (a library's opening hours and a
park's lighting, written for these tests), not a development set.
"""

from __future__ import annotations

from benchmarks import theme_recall as tr
from benchmarks import theme_stacker as ts


def _row(set_name, text, gold, probs=None, sprobs=None):
    return {
        "set": set_name, "consultation": "transport", "text": text, "gold": set(gold),
        "probs": probs or {"hours": 0.1, "lighting": 0.1}, "sprobs": sprobs or {},
    }  # fmt: skip


def test_the_classifiers_alone_blend_answer_and_best_sentence():
    r = _row("a", "Open later on Sundays.", ["hours"], {"hours": 0.7, "lighting": 0.2},
             {"hours": 0.5, "lighting": 0.9})  # fmt: skip
    assert tr.alone(r, 0.6) == {"hours"}  # hours (0.7 + 0.5) / 2; lighting (0.2 + 0.9) / 2
    assert tr.alone(r, 0.5) == {"hours", "lighting"}


def test_a_codebook_text_votes_for_its_theme_where_no_coded_answer_is_worded_so():
    rows = [
        _row("a", "The library should open on Sunday afternoons.", ["hours"]),
        _row("a", "Keep the weekday hours as they are.", ["hours"]),
        _row("b", "There are no street lamps on the park paths after dark.", []),
    ]
    texts = {"transport": [("lighting", "Lighting: street lamps along the park paths")]}
    ts.attach_votes(rows, held={"b"})
    plain = dict(rows[2]["votes"])
    tr.attach_votes_desc(rows, {"b"}, texts, weight=1.0)
    assert rows[2]["votes"]["lighting"] > 0.5 > plain["lighting"]
    # the pseudo-answer is labelled with its own theme only
    assert rows[2]["votes"]["hours"] < plain["hours"]
