"""The generic theme stacker (coding.stack, codebook ``training_stacker``).

Features and priors are checked against values worked out by hand; the pipeline path
uses the parks consultation of ``test_trained`` with hand-built stackers whose
decisions are known in advance (one that rejects every dictionary candidate, one that
keeps them), so the tests do not depend on the packaged weights' values.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from builders import make_docx
from test_trained import CODEBOOK, _encode, folder  # noqa: F401

from helpers.coding import stack, trained
from helpers.coding.codebook import CodebookError, load_codebook
from helpers.coding.runner import code_answers
from helpers.core import schemas
from helpers.core.consultation import load_consultation

ON = CODEBOOK.replace("themes:", "training_stacker: true\nthemes:")


def test_candidate_features_by_hand():
    # theme "a" fires in sentences 0 (with b and c: a list) and 1 (alone, no comma)
    f = stack.candidate_features(
        "a", True, 0.9, 0.5, [{"a", "b", "c"}, {"a"}, set()], [3, 0, 1], 0.7, 2
    )
    low = math.log(stack.EPS / (1 - stack.EPS))  # no vote given: 0, clipped at EPS
    assert f == pytest.approx(
        [1.0, math.log(9.0), 0.0, 2 / 3, 0.0, 0.0, math.log(4.0), 0.7, 2.0, low]
    )
    # only the list sentence: 2 other themes and 3 commas; no dictionary: no prior;
    # outranked by more themes than MAX_OUTRANKED: capped
    f = stack.candidate_features("b", False, 0.0, 1.0, [{"a", "b", "c"}, {"a"}], [3, 0], 0.7, 7)
    assert f[0] == 0.0 and f[1] == pytest.approx(math.log(stack.EPS / (1 - stack.EPS)))
    assert f[2] == pytest.approx(-f[1]) and f[3:6] == [0.5, 2.0, 3.0] and f[7] == 0.0
    assert f[8] == stack.MAX_OUTRANKED
    # a neighbour vote of 0.8 is its log-odds
    f = stack.candidate_features("b", False, 0.5, 0.5, [{"b"}], [0], 0.7, 0, 0.8)
    assert f[9] == pytest.approx(math.log(4.0))


def test_neighbour_votes_by_hand():
    # three training answers: the first two have theme 0, the last has theme 1; an answer
    # close to the first (0.9) and the third (0.3) with k = 2 nearest:
    # theme 0: (0.9 * 1 + 0.3 * 0 + 1 * 2/3) / (1.2 + 1); theme 1: (0.3 + 1/3) / 2.2
    labels = np.array([[1, 0], [1, 0], [0, 1]], dtype=bool)
    sim = np.array([[0.9, 0.1, 0.3], [-0.5, -0.2, -0.1]])
    v = stack.neighbour_votes(sim, labels, k=2, alpha=1.0)
    assert v[0] == pytest.approx([(0.9 + 2 / 3) / 2.2, (0.3 + 1 / 3) / 2.2])
    # an answer like none of them (negative similarities count 0): the base rates
    assert v[1] == pytest.approx([2 / 3, 1 / 3])
    # no training answers: every vote is 0; no answers: an empty table
    assert stack.neighbour_votes(np.zeros((1, 0)), np.zeros((0, 2))).tolist() == [[0.0, 0.0]]
    assert stack.neighbour_votes(np.zeros((0, 3)), labels).shape == (0, 2)


def test_neighbour_votes_ties_go_to_the_earlier_training_answer():
    labels = np.array([[1], [0]], dtype=bool)
    v = stack.neighbour_votes(np.array([[0.5, 0.5]]), labels, k=1, alpha=0.0)
    assert v.tolist() == [[1.0]]


def test_decide_reads_the_neighbour_vote():
    # two candidates alike in every other feature; a stacker reading only the vote codes
    # the one whose neighbours were coded with it
    themes, commas = stack.sentence_table([[(0, 10)]], [[]], ["Plain text"])
    n = len(stack.FEATURES)
    coef = np.zeros(n)
    coef[stack.FEATURES.index("neighbours")] = 1.0
    model = stack.Stacker(stack.FEATURES, np.zeros(n), np.ones(n), coef, 0.0, 0.5)
    allowed = np.array([[True, True]])
    p = np.array([[0.4, 0.4]])
    decided, prob = stack.decide(
        model, ["a", "b"], [0.5, 0.5], allowed, p, p, themes, commas, np.array([[0.8, 0.1]])
    )
    assert decided.tolist() == [[True, True]]
    assert prob[0, 0] > 0.5 > prob[0, 1]


def test_outranked_counts_the_answers_other_allowed_themes_scored_higher():
    # an answer of the kind the census found ("Most of our patients walk in, so the
    # closure of Station Road to cars is what hurts us"): the classifiers see access by
    # car (0.8 answer, 0.6 sentence) above walking (0.3 / 0.5), and buses (0.9) is not
    # allowed for this question; a second answer scores walking highest
    p_answer = np.array([[0.8, 0.3, 0.9], [0.2, 0.7, 0.0]])
    p_sentence = np.array([[0.6, 0.5, 0.0], [0.1, 0.4, 0.0]])
    allowed = np.array([[True, True, False], [True, True, False]])
    assert stack.outranked(p_answer, p_sentence, allowed).tolist() == [[0, 1, 2], [1, 0, 2]]


def test_candidates_are_dictionary_codes_or_a_classifier_at_the_floor():
    assert stack.is_candidate(True, 0.0, 0.0)
    assert stack.is_candidate(False, 0.1, stack.CANDIDATE)
    assert not stack.is_candidate(False, 0.19, 0.05)


def test_dictionary_prior_is_shrunk_to_the_pooled_precision():
    pairs = [("a", True)] * 3 + [("a", False), ("b", False)]
    table, pooled = stack.dictionary_prior(pairs)
    assert pooled == pytest.approx(0.6)
    assert table["a"] == pytest.approx((3 + 5 * 0.6) / (4 + 5))
    assert table["b"] == pytest.approx((0 + 5 * 0.6) / (1 + 5))
    assert stack.dictionary_prior([]) == ({}, 0.5)


def _stacker(dictionary_weight: float) -> stack.Stacker:
    """A stacker on raw features: ``dictionary_weight`` on the dictionary, 1 on the answer logit."""
    n = len(stack.FEATURES)
    coef = np.zeros(n)
    coef[0], coef[1] = dictionary_weight, 1.0
    return stack.Stacker(stack.FEATURES, np.zeros(n), np.ones(n), coef, 0.0, 0.5)


def test_weights_round_trip_and_foreign_features_are_refused(tmp_path):
    model = _stacker(-3.0)
    path = tmp_path / "s.json"
    path.write_text(model.to_json(), encoding="utf-8")
    back = stack.load_stacker(path)
    x = np.zeros((2, len(stack.FEATURES)))
    x[:, 1] = 2.0
    x[0, 0] = 1.0
    assert back.probabilities(x) == pytest.approx([1 / (1 + math.e), 1 / (1 + math.e**-2)])
    path.write_text(model.to_json().replace('"prior"', '"theme_is_housing"'), encoding="utf-8")
    with pytest.raises(ValueError, match="features"):
        stack.load_stacker(path)


def test_the_packaged_weights_load_and_name_no_theme():
    # since session 22 the packaged stacker is boosted trees (coding.stack_trees); a tree
    # splits only on the FEATURES columns, none of which names a theme
    model = stack.load_stacker()
    assert model.features == stack.FEATURES and 0 < model.cut < 1
    assert set(model.feature[~model.leaf].tolist()) <= set(range(len(stack.FEATURES)))


def test_fit_learns_the_direction_and_chooses_its_cut():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, len(stack.FEATURES)))
    # label noise 0.2: about 6 % of labels disagree with the sign of column 1, so a
    # fitted model that learned it reaches well over 0.9 (0.3 left it at the edge)
    y = (x[:, 1] + 0.2 * rng.normal(size=400) > 0).astype(int)
    model = stack.fit_stacker(x, y)
    assert model.coef[1] > 2 * np.abs(np.delete(model.coef, 1)).max()
    assert model.cut in stack.CUTS
    got = model.probabilities(x) >= model.cut
    assert (got == y.astype(bool)).mean() > 0.9


def test_drop_vetoed_removes_only_counted_dictionary_rows():
    base = {"start": 0, "end": 5, "quote": "x", "source": "auto"}
    codes = schemas.conform(
        pd.DataFrame(
            [
                {
                    **base,
                    "respondent_id": "r1",
                    "question_id": "q",
                    "theme_id": "a",
                    "method": "dictionary",
                    "negated": False,
                },
                {
                    **base,
                    "respondent_id": "r1",
                    "question_id": "q",
                    "theme_id": "a",
                    "method": "dictionary",
                    "negated": True,
                },
                {
                    **base,
                    "respondent_id": "r1",
                    "question_id": "q",
                    "theme_id": "a",
                    "method": "manual",
                    "negated": False,
                },
                {
                    **base,
                    "respondent_id": "r1",
                    "question_id": "q",
                    "theme_id": "b",
                    "method": "dictionary",
                    "negated": False,
                },
                {
                    **base,
                    "respondent_id": "r2",
                    "question_id": "q",
                    "theme_id": "a",
                    "method": "dictionary",
                    "negated": False,
                },
            ]
        ),  # fmt: skip
        schemas.CODES,
    )
    vetoed = pd.DataFrame({"respondent_id": ["r1"], "question_id": ["q"], "theme_id": ["a"]})
    left = stack.drop_vetoed(codes, vetoed)
    got = list(zip(left.respondent_id, left.theme_id, left.method, left.negated, strict=True))
    assert got == [
        ("r1", "a", "dictionary", True),
        ("r1", "a", "manual", False),
        ("r1", "b", "dictionary", False),
        ("r2", "a", "dictionary", False),
    ]
    assert stack.drop_vetoed(codes, stack.no_vetoes()) is codes


def test_the_switch_is_off_unless_the_codebook_says_and_must_be_a_boolean(folder):  # noqa: F811
    consultation = load_consultation(folder / "consultation.yaml")
    for text, want in ((CODEBOOK, False), (ON, True)):
        (folder / "codebook.yaml").write_text(text, encoding="utf-8")
        assert load_codebook(folder / "codebook.yaml", consultation).training_stacker is want
    bad = CODEBOOK.replace("themes:", "training_stacker: 'yes'\nthemes:")
    (folder / "codebook.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(CodebookError, match="training_stacker"):
        load_codebook(folder / "codebook.yaml", consultation)


def _documents(folder):  # noqa: F811
    from helpers.ingest import stage as ingest

    responses = folder / "responses"
    responses.mkdir()
    make_docx(
        responses / "walker.docx",
        [("Question 1", "heading2"), "The path is unsafe. Dogs run loose there."],
    )
    make_docx(
        responses / "resident.docx",
        [
            ("Question 1", "heading2"),
            "Opening until nine sounds lovely. But without lighting I'd be scared on my own "
            "in the dark there.",
        ],
    )
    return ingest.run_ingest(responses, folder / "consultation.yaml", folder / "out")


def _stacked_codes(folder, monkeypatch, dictionary_weight):  # noqa: F811
    (folder / "codebook.yaml").write_text(ON, encoding="utf-8")
    consultation = load_consultation(folder / "consultation.yaml")
    codebook = load_codebook(folder / "codebook.yaml", consultation)
    monkeypatch.setattr(stack, "packaged", lambda: _stacker(dictionary_weight))
    result = _documents(folder)
    args = (result.answers, result.respondents, codebook, consultation)
    codes = code_answers(*args)
    who = result.respondents.set_index("source_file").respondent_id
    return codes, trained.add_trained_codes(codes, *args, encode=_encode), who


def test_the_stacker_can_veto_a_dictionary_code(folder, monkeypatch):  # noqa: F811
    before, after, who = _stacked_codes(folder, monkeypatch, -20.0)
    walker = who["walker.docx"]
    assert {(r.respondent_id, r.theme_id) for r in before.itertuples()} == {
        (walker, "safety"),
        (walker, "dogs"),
    }
    # safety is learned: its dictionary code is the stacker's to decide, and it says no;
    # dogs is not learned (too few labels): the dictionary's code stands
    kept = after[after.respondent_id == walker]
    assert list(kept.theme_id) == ["dogs"] and list(kept.method) == ["dictionary"]


def test_kept_dictionary_codes_keep_their_pattern_and_learned_ones_cite_a_sentence(
    folder,  # noqa: F811
    monkeypatch,
):
    _, after, who = _stacked_codes(folder, monkeypatch, 20.0)
    walker = after[(after.respondent_id == who["walker.docx"]) & (after.theme_id == "safety")]
    assert list(walker.method) == ["dictionary"] and list(walker.pattern) == ["unsafe"]
    assert list(walker.quote) == ["The path is unsafe."]
    learned = after[after.method == "learned"]
    assert list(zip(learned.respondent_id, learned.theme_id, strict=True)) == [
        (who["resident.docx"], "safety")
    ]
    row = learned.iloc[0]
    assert "scared" in row.quote and 0.5 <= row.score <= 1.0


def test_sentence_table_and_decisions_by_hand():
    text = "Buses, bikes, cars. Walk more."
    spans = [[(0, 19), (20, 30)]]
    hits = [[("bus", 0, 19), ("cycle", 0, 19), ("walk", 20, 30)]]
    themes, commas = stack.sentence_table(spans, hits, [text])
    assert themes == [[{"bus", "cycle"}, {"walk"}]] and commas == [[2, 0]]
    # learned themes: bus (dictionary fired), rail (no hit, classifiers at 0.9 / 0.1),
    # tram (no hit, both classifiers under the floor: not a candidate)
    ids = ["bus", "rail", "tram"]
    allowed = np.array([[True, True, True]])
    pa = np.array([[0.1, 0.9, 0.1]])
    ps = np.array([[0.1, 0.1, 0.1]])
    decided, prob = stack.decide(
        _stacker(-20.0), ids, [0.5] * 3, allowed, pa, ps, *[themes, commas]
    )
    assert decided.tolist() == [[True, True, False]]
    assert prob[0, 0] < 1e-6 and prob[0, 1] == pytest.approx(0.9) and prob[0, 2] == 0.0


def test_decide_reads_the_rank_among_the_answers_themes():
    # "Buses, bikes, cars. Walk more.": bus and walk both fire; the classifiers score
    # walk above bus, so a stacker that only reads the rank keeps walk and drops bus
    text = "Buses, bikes, cars. Walk more."
    themes, commas = stack.sentence_table(
        [[(0, 19), (20, 30)]], [[("bus", 0, 19), ("walk", 20, 30)]], [text]
    )
    n = len(stack.FEATURES)
    coef = np.zeros(n)
    coef[stack.FEATURES.index("outranked")] = -10.0
    model = stack.Stacker(stack.FEATURES, np.zeros(n), np.ones(n), coef, 5.0, 0.5)
    allowed = np.array([[True, True]])
    decided, prob = stack.decide(
        model, ["bus", "walk"], [0.5, 0.5], allowed, np.array([[0.3, 0.6]]),
        np.array([[0.2, 0.7]]), themes, commas,
    )  # fmt: skip
    assert decided.tolist() == [[True, True]]
    assert prob[0, 0] < 0.5 < prob[0, 1]


def test_stacker_fit_keeps_the_training_rows_for_the_vote_and_caches_them(folder, tmp_path):  # noqa: F811
    (folder / "codebook.yaml").write_text(ON, encoding="utf-8")
    consultation = load_consultation(folder / "consultation.yaml")
    codebook = load_codebook(folder / "codebook.yaml", consultation)
    training = trained.read_training_answers(codebook.training_answers, codebook)
    fitted = trained.fit(codebook, training, _encode)
    assert fitted.neighbours.shape[0] == len(training) == fitted.labels.shape[0]
    assert fitted.labels.shape[1] == len(fitted.theme_ids)
    want = [fitted.theme_ids[0] in themes for themes in training["themes"]]
    assert fitted.labels[:, 0].tolist() == want
    path = tmp_path / "f.npz"
    trained._save(fitted, path)
    back = trained._load(path)
    assert (back.neighbours != fitted.neighbours).nnz == 0
    assert back.labels.tolist() == fitted.labels.tolist()
    # each training answer is its own nearest neighbour
    sim = (fitted.neighbours @ fitted.neighbours.T).toarray()
    assert np.allclose(np.diag(sim), 1.0)
    # without the stacker nothing is kept
    plain = trained.fit(dataclasses.replace(codebook, training_stacker=False), training, _encode)
    assert plain.neighbours is None and plain.labels is None
