"""Agreement statistics against published worked examples and hand-computed cases."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pandas as pd
import pytest

from helpers.coding import parse_codebook
from helpers.validate import agreement as ag
from helpers.validate import hand_coding as hc
from helpers.validate import reliability as rel

NAN = np.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
# four observers, twelve units, missing values.
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_2011_worked_example(level, published):
    value = rel.krippendorff_alpha(K2011, level)
    assert round(value, 3) == published
    assert value == pytest.approx(
        krippendorff.alpha(reliability_data=K2011, level_of_measurement=level)
    )


def test_cohen_kappa_two_by_two_worked_example():
    # 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> po 0.70, pe 0.50, kappa 0.40.
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert rel.cohen_kappa(a, b) == pytest.approx(0.40)
    s = rel.binary_stats(20, 10, 5, 15)  # human = a, auto = b
    assert float(s["percent_agreement"]) == pytest.approx(0.70)
    assert float(s["kappa"]) == pytest.approx(0.40)


def test_kappa_undefined_when_no_variation():
    assert math.isnan(rel.cohen_kappa([1, 1, 1], [1, 1, 1]))


def test_binary_alpha_matches_general_formula():
    rng = np.random.default_rng(3)
    h = rng.integers(0, 2, 40)
    a = np.where(rng.random(40) < 0.8, h, 1 - h)
    s = rel.binary_stats(
        ((h == 1) & (a == 1)).sum(),
        ((h == 0) & (a == 1)).sum(),
        ((h == 1) & (a == 0)).sum(),
        ((h == 0) & (a == 0)).sum(),
    )
    assert float(s["alpha"]) == pytest.approx(rel.krippendorff_alpha([h, a], "nominal"))
    assert float(s["kappa"]) == pytest.approx(rel.cohen_kappa(h, a))


def test_precision_recall_by_hand():
    human = [1, 1, 1, 0, 0, 0, 1]
    auto = [1, 0, 1, 1, 0, 0, 0]
    # tp = 2, fp = 1, fn = 2
    p, r = rel.precision_recall(human, auto)
    assert p == pytest.approx(2 / 3)
    assert r == pytest.approx(2 / 4)


def test_weighted_kappa_by_hand():
    # Worked by hand: observed weighted disagreement 1/16, expected 23/48 -> 1 - 3/23.
    assert rel.weighted_kappa([1, 2, -1], [1, 1, -1], [-2, -1, 0, 1, 2]) == pytest.approx(20 / 23)


# --------------------------------------------------------------------------- comparison


def _codebook():
    return parse_codebook(
        {
            "id": "test-cb",
            "themes": [
                {"id": "housing", "label": "Housing", "description": "d", "patterns": ["housing"]},
                {
                    "id": "support",
                    "label": "Support",
                    "description": "d",
                    "questions": ["q2"],
                    "patterns": ["support"],
                },
            ],
        }
    )


def _answers():
    return pd.DataFrame(
        {
            "respondent_id": ["r1", "r1", "r2", "r2"],
            "question_id": ["q1", "q2", "q1", "q2"],
            "answer_text": [
                "We agree about homes.",
                "Support matters.  A lot.",
                "Housing first.",
                "More support.",
            ],
        }
    )


def _code(r, q, t, quote, negated=False, start=0):
    return {
        "respondent_id": r,
        "question_id": q,
        "theme_id": t,
        "start": start,
        "end": start + len(quote),
        "quote": quote,
        "negated": negated,
    }


def _codes():
    return pd.DataFrame(
        [
            _code("r1", "q1", "housing", "We agree about homes."),
            _code("r1", "q2", "support", "Support matters."),
            _code("r1", "q2", "housing", "We do not discuss housing.", negated=True),
            _code("r2", "q1", "housing", "Housing first."),
            _code("r2", "q2", "support", "More support."),
        ]
    )


def _hand():
    return pd.DataFrame(
        {
            "respondent_id": ["r1", "r1", "r1", "r2", "r2"],
            "question_id": ["q1", "q2", "q2", "q1", "q2"],
            "theme_id": ["housing", "housing", "support", pd.NA, "support"],
        }
    ).astype("string")


def test_compare_hand_checked_values():
    res = ag.compare(_codes(), _answers(), _hand(), _codebook(), n_boot=200, seed=1)
    # support applies to q2 only: 4 housing decisions + 2 support decisions.
    assert len(res.decisions) == 6
    housing = res.per_theme.set_index("theme_id").loc["housing"]
    # housing: tp 1 (r1 q1), fn 1 (r1 q2: auto code is negated), fp 1 (r2 q1), tn 1 (r2 q2)
    assert (housing["tp"], housing["fp"], housing["fn"], housing["tn"]) == (1, 1, 1, 1)
    assert housing["percent_agreement"] == pytest.approx(0.5)
    assert housing["kappa"] == pytest.approx(0.0)
    assert housing["alpha"] == pytest.approx(0.125)  # 1 - 7 * 2 / (4 * 4)
    assert housing["precision"] == pytest.approx(0.5)
    assert housing["recall"] == pytest.approx(0.5)
    support = res.per_theme.set_index("theme_id").loc["support"]
    assert support["percent_agreement"] == 1.0
    assert math.isnan(support["kappa"])  # both coders always said yes
    o = res.overall
    # pooled: tp 3, fp 1, fn 1, tn 1 -> po 4/6, pe 20/36, kappa 0.25
    assert o["percent_agreement"] == pytest.approx(4 / 6)
    assert o["kappa"] == pytest.approx(0.25)
    assert o["alpha"] == pytest.approx(1 - 11 * 2 / (4 * 8))
    assert o["precision"] == pytest.approx(0.75)
    assert o["recall"] == pytest.approx(0.75)
    assert o["n_answers"] == 4
    dis = res.disagreements.set_index(["respondent_id", "question_id", "theme_id"])
    assert dis.loc[("r1", "q2", "housing"), "kind"] == "human only"
    assert dis.loc[("r1", "q2", "housing"), "quote"] == "Support matters. A lot."  # answer opening
    assert dis.loc[("r2", "q1", "housing"), "kind"] == "auto only"
    assert dis.loc[("r2", "q1", "housing"), "quote"] == "Housing first."
    assert len(dis) == 2


def test_bootstrap_is_seeded_and_bounded():
    a = ag.compare(_codes(), _answers(), _hand(), _codebook(), n_boot=300, seed=7).overall
    b = ag.compare(_codes(), _answers(), _hand(), _codebook(), n_boot=300, seed=7).overall
    assert (a["kappa_lo"], a["kappa_hi"]) == (b["kappa_lo"], b["kappa_hi"])
    assert -1 <= a["kappa_lo"] <= a["kappa_hi"] <= 1
    assert a["kappa_lo"] < a["kappa_hi"]


def test_perfect_agreement_has_degenerate_interval():
    codes = _codes()
    codes = codes[~((codes["question_id"] == "q1") & (codes["respondent_id"] == "r2"))]
    hand = _hand()
    hand = hand[
        ~(
            (hand["respondent_id"] == "r1")
            & (hand["question_id"] == "q2")
            & (hand["theme_id"] == "housing")
        )
    ]
    s = ag.report_summary(codes, _answers(), hand, _codebook(), n_boot=100)
    assert s["kappa"] == pytest.approx(1.0)
    assert s["kappa_ci"] == pytest.approx((1.0, 1.0))
    assert set(s) == {
        "n_answers",
        "n_themes",
        "percent_agreement",
        "kappa",
        "kappa_ci",
        "alpha",
        "alpha_ci",
        "precision",
        "recall",
        "per_theme",
    }
    assert list(s["per_theme"].columns) == [
        "theme_id",
        "prevalence_human",
        "prevalence_auto",
        "percent_agreement",
        "kappa",
        "alpha",
        "precision",
        "recall",
    ]


def test_unknown_theme_is_an_error():
    hand = _hand()
    hand.loc[0, "theme_id"] = "housng"
    with pytest.raises(hc.HandCodingError, match="housng"):
        ag.compare(_codes(), _answers(), hand, _codebook())


# --------------------------------------------------------------------------- loading


def test_load_hand_coding_csv(tmp_path):
    p = tmp_path / "hand.csv"
    p.write_text(
        "# coded by A. Coder, 2026-11-24\n"
        "respondent_id,question_id,theme_id,note\n"
        "r1,q1,housing,\n"
        "r1,q1,housing,duplicate\n"
        "r2,q1,,no theme\n",
        encoding="utf-8",
    )
    df = hc.load_hand_coding(p)
    assert hc.hand_coding_provenance(p) == "coded by A. Coder, 2026-11-24"
    assert df[["respondent_id", "question_id"]].values.tolist() == [["r1", "q1"], ["r2", "q1"]]
    assert df["theme_id"].iloc[0] == "housing"
    assert pd.isna(df["theme_id"].iloc[1])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("respondent_id,question_id\nr1,q1\n", "missing column"),
        ("respondent_id,question_id,theme_id\nr1,q1,Housing!\n", "line 2: theme_id 'Housing!'"),
        ("respondent_id,question_id,theme_id\nr1,q1,a\n,q1,b\n", "line 3: empty respondent_id"),
        ("respondent_id,question_id,theme_id\nr1,q1\n", "line 2: 2 fields"),
    ],
)
def test_load_hand_coding_errors_name_the_line(tmp_path, body, message):
    p = tmp_path / "bad.csv"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(hc.HandCodingError, match=message):
        hc.load_hand_coding(p)


def test_stance_comparison_by_hand(tmp_path):
    p = tmp_path / "stances.csv"
    p.write_text(
        "respondent_id,question_id,stance\nr1,q1,agree\nr2,q1,strongly_agree\nr3,q1,disagree\nr4,q1,neither\n",
        encoding="utf-8",
    )
    hand = hc.load_hand_stances(p)
    auto = pd.DataFrame(
        {
            "respondent_id": ["r1", "r2", "r3", "r4"],
            "question_id": ["q1"] * 4,
            "stance": ["agree", "agree", "disagree", "not_answered"],
        }
    )
    res = ag.compare_stances(auto, hand)
    assert res.summary["n_pairs"] == 4
    assert res.summary["n_scored"] == 3
    assert res.summary["exact_agreement"] == pytest.approx(0.5)
    assert res.summary["weighted_kappa"] == pytest.approx(20 / 23)
    expected = krippendorff.alpha(
        reliability_data=[[1, 2, -1, 0], [1, 1, -1, NAN]], level_of_measurement="ordinal"
    )
    assert res.summary["alpha_ordinal"] == pytest.approx(expected)


def test_bad_stance_names_line(tmp_path):
    p = tmp_path / "stances.csv"
    p.write_text("respondent_id,question_id,stance\nr1,q1,agree\nr2,q1,yes\n", encoding="utf-8")
    with pytest.raises(hc.HandCodingError, match="line 3: stance 'yes'"):
        hc.load_hand_stances(p)


def test_agreement_label():
    assert rel.agreement_label(0.0) == "slight"
    assert rel.agreement_label(-0.1) == "poor"
    assert rel.agreement_label(0.85) == "almost perfect"


def test_plot_agreement_marks_undefined_themes():
    import matplotlib

    matplotlib.use("Agg")
    res = ag.compare(_codes(), _answers(), _hand(), _codebook(), n_boot=50)
    fig = ag.plot_agreement(res.per_theme)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Housing", "Support (undefined)"]


def test_default_hand_coding_matches_codebook_and_consultation():
    """The shipped hand coding uses only real theme ids, questions and respondents."""
    from helpers.coding import load_codebook
    from helpers.core import paths
    from helpers.core.consultation import load_consultation

    folder = paths.consultation_dir()
    cons = load_consultation(folder / "consultation.yaml")
    cb = load_codebook(folder / "codebook.yaml", cons)
    hand = hc.load_hand_coding(folder / "hand_coded.csv")
    stems = {p.stem for p in paths.raw_dir().glob("*.txt")}
    assert set(hand["respondent_id"]) == stems == {"acrcg", "become"}
    assert set(hand["theme_id"].dropna()) <= set(cb.theme_ids)
    open_or_closed = {q.id for q in cons.questions if q.kind != "profile"}
    assert set(hand["question_id"]) <= open_or_closed
    # ACRCG answered Q1-Q3, Become Q1-Q5 (read from the two responses).
    units = hand[["respondent_id", "question_id"]].drop_duplicates()
    assert len(units) == 8
    for r, q, t in (
        hand[["respondent_id", "question_id", "theme_id"]].dropna().itertuples(index=False)
    ):
        assert cb.theme(t).applies_to(q), (r, q, t)
    stances = hc.load_hand_stances(folder / "hand_coded_stances.csv")
    assert set(stances["question_id"]) <= {q.id for q in cons.closed_questions}


def test_no_automatic_codes_gives_zero_kappa_and_recall():
    s = ag.report_summary(pd.DataFrame(), _answers(), _hand(), _codebook(), n_boot=20)
    # auto never says yes: po = pe = share of human "no", so kappa is exactly 0
    assert s["kappa"] == 0.0
    assert s["recall"] == 0.0
    assert math.isnan(s["precision"])
