"""Session 28 (issue 14): the description-margin column (``benchmarks.theme_descmargin``) and its
benchmark (``benchmarks.theme_context``), checked on hand-made vectors whose cosines are
worked out by hand and on a spent set's real codebook (docs/models.md, "Session 28")."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import theme_descmargin as descmargin


def test_description_text_drops_the_not_clause():
    got = descmargin.description_text(
        " Road safety ",
        "Danger to people  on foot.\nNot: speeding cut-through traffic (through_traffic).",
    )
    assert got == "Road safety: Danger to people on foot."
    assert descmargin.description_text("Timing", "") == "Timing"
    assert descmargin.description_text("Timing", "Not: money.") == "Timing"


def test_margins_are_own_cosine_minus_best_other():
    # descriptions at 0, 90 and 53.13 degrees: cosines of s = (1, 0) are 1, 0 and 0.6
    d = np.array([[2.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    s = np.array([[1.0, 0.0], [0.0, 3.0]])  # second sentence: cosines 0, 1, 0.8
    got = descmargin.margins(s, d)
    assert np.allclose(got[0], [1 - 0.6, 0 - 1, 0.6 - 1])
    assert np.allclose(got[1], [0 - 1, 1 - 0.8, 0.8 - 1])
    # two descriptions tied at the top: neither reads more like itself than the other
    tie = descmargin.margins(np.array([[1.0, 1.0]]), np.array([[1.0, 0.0], [0.0, 1.0]]))
    assert np.allclose(tie, [[0.0, 0.0]])


def test_column_reads_evidence_sentences_else_every_sentence():
    m = np.array([0.3, -0.2, 0.1])
    assert descmargin.column(m, [False, True, True]) == pytest.approx(0.1)
    assert descmargin.column(m, [False, False, False]) == pytest.approx(0.3)
    assert descmargin.column(np.zeros(0), []) == descmargin.EMPTY


def test_columns_match_column_pair_by_pair():
    rng = np.random.default_rng(3)
    sent, desc = rng.normal(size=(7, 5)), rng.normal(size=(4, 5))
    first = np.array([0, 2, 3, 7])  # three answers of 2, 1 and 4 sentences
    here = np.zeros((7, 2))
    here[1, 0] = here[4, 0] = here[6, 0] = 1.0  # theme 0 fires in answer 0 and answer 2
    cols = [3, 1]  # the coder's two learned themes are codebook rows 3 and 1
    got = descmargin.columns(sent, desc, first, here, cols)
    m = descmargin.margins(sent, desc)
    for i in range(3):
        for k, c in enumerate(cols):
            part = slice(first[i], first[i + 1])
            want = descmargin.column(m[part, c], here[part, k] > 0)
            assert got[i, k, 0] == pytest.approx(want)
    assert got.shape == (3, 2, 1)


# ---- coding.silent: dictionary codes the training answers turned down -------------------


def _transport_codebook():
    from benchmarks.theme_loo import ROOT
    from helpers.coding import load_codebook
    from helpers.core.consultation import load_consultation

    d = ROOT / "transport-5"  # a spent set
    return load_codebook(d / "codebook.yaml", load_consultation(d / "consultation.yaml"))


def _training():
    import pandas as pd

    return pd.DataFrame(
        [  # "walk" fires for active_travel under bus_gate twice, never coded there
            ("bus_gate", "Our patients walk in from the car park at the back.", ("car_access",)),
            ("bus_gate", "Staff walk over from the station.", ()),
            # under ltn the researcher did code it
            ("ltn", "I walk my son to school every day.", ("active_travel", "school_travel")),
            # "camera" fires once under bus_gate, coded there
            (
                "bus_gate",
                "The camera will fine people who never meant to cross.",
                ("enforcement_fines",),
            ),
        ],
        columns=["question_id", "text", "themes"],
    )


def test_silent_questions_from_a_real_codebooks_patterns():
    from helpers.coding import silent
    from helpers.coding.trained_fit import dictionary_hits

    book = _transport_codebook()
    training = _training()
    hits = dictionary_hits(book, training)
    ids = [t.id for t in book.themes]
    got = silent.silent_questions(ids, training.question_id, training.themes, hits)
    # active_travel fired twice under bus_gate and was never coded there (under ltn it
    # was); every other theme whose patterns fire is coded where it fires
    assert got == {"active_travel": frozenset({"bus_gate"})}
    # two firings are needed with min_fired 3: nothing is silent
    assert silent.silent_questions(ids, training.question_id, training.themes, hits, 3) == {}


def test_vetoes_name_the_answer_question_and_theme():
    import numpy as np

    from helpers.coding import silent

    found = {"active_travel": frozenset({"bus_gate"}), "car_access": frozenset({"trial"})}
    hits = [
        [("active_travel", 0, 10), ("active_travel", 20, 30), ("bus_services", 0, 5)],
        [("active_travel", 0, 4)],  # under ltn: not silent there
        [],
    ]
    got = silent.vetoes(
        found, hits, np.array(["r1", "r2", "r3"]), np.array(["bus_gate", "ltn", "trial"])
    )
    assert got.values.tolist() == [["r1", "bus_gate", "active_travel"]]
    assert list(got.columns) == ["respondent_id", "question_id", "theme_id"]
    assert silent.vetoes({}, [[]], np.array(["r"]), np.array(["q"])).empty


def test_silent_survives_the_fitted_cache(tmp_path):
    import numpy as np

    from helpers.coding import trained
    from helpers.coding.trained_score import Fitted

    fitted = Fitted(
        vocabulary=["walk"], idf=np.ones(1), theme_ids=["active_travel"],
        seen=[frozenset({"ltn"})], coef=np.zeros((1, 3)), intercept=np.zeros(1),
        silent={"active_travel": frozenset({"bus_gate", "trial"})},
    )  # fmt: skip
    trained._save(fitted, tmp_path / "f.npz")
    back = trained._load(tmp_path / "f.npz")
    assert back.silent == {"active_travel": frozenset({"bus_gate", "trial"})}
    fitted.silent = None
    trained._save(fitted, tmp_path / "g.npz")
    assert trained._load(tmp_path / "g.npz").silent is None
