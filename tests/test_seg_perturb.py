"""The perturbation harness (``benchmarks/seg_perturb.py``): spent sets only, seeded, every style."""

from __future__ import annotations

import pytest

from benchmarks import seg_perturb as sp
from helpers.core.consultation import load_consultation


def test_only_spent_batches_are_read():
    for c in sp.CONSULTATIONS:
        names = sp.spent_sets(c)
        assert names and all(sp.SPENT.match(n) for n in names)
        assert not any(n.endswith(("-31", "-32")) for n in names)
    assert not sp.SPENT.match("transport-31")


@pytest.fixture(scope="module")
def sample():
    cons = load_consultation(sp.ROOT / "transport-20" / "consultation.yaml")
    return cons, sp.sample_records("transport", 4, seed=18)


def test_sample_is_seeded(sample):
    _, recs = sample
    assert [r.file for r in recs] == [r.file for r in sp.sample_records("transport", 4, seed=18)]


@pytest.mark.parametrize("style", sp.TYPES)
def test_every_style_renders_every_format_with_its_gold(sample, style, tmp_path):
    cons, recs = sample
    gold = sp.build(style, recs, cons, tmp_path, seed=18)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == sorted(g.file for g in gold)
    formats = {"html"} if style == "webform" else set(sp.FORMATS)  # a saved web page
    assert {f.rsplit(".", 1)[1] for f in files} == formats
    again = sp.build(style, recs, cons, tmp_path / "again", seed=18)
    assert [g.answers for g in gold] == [g.answers for g in again]
    for g in gold:  # every answer's text is written into its document
        text = (tmp_path / g.file).read_bytes()
        if g.file.endswith((".txt", ".md")):
            for a in g.answers:
                assert a.text.split("\n")[0][:40].encode() in text


def test_heading_styles(sample):
    cons, _ = sample
    q = next(q for q in cons.questions if q.number == 3)
    assert sp.heading("digits", q, 0.0) == "3."
    assert sp.heading("number_words", q, 0.0) == "Question three"
    assert sp.heading("ordinals", q, 0.0) == "Third question"
    assert sp.heading("roman", q, 0.0) == "iii)"
    assert sp.heading("no_headings", q, 0.5) is None
    assert sp.heading("wrapped_text", q, 0.0).replace("\n", " ") == q.text


def test_structure_styles_write_their_shape(sample, tmp_path):
    """Batch-21 structures (``seg_structures``): speaker turns, "N.M" paragraphs, textareas."""
    cons, recs = sample
    for style, mark in (("transcript", ": "), ("decimal_offset", "1.1 "), ("webform", "<textarea")):
        gold = sp.build(style, recs, cons, tmp_path / style, seed=18)
        texts = [(tmp_path / style / g.file).read_bytes() for g in gold]
        assert all(mark.encode() in t for t in texts if not t.startswith(b"PK"))
