"""Session 24 (issue 12): the kind of answer a section's body gives (``bodykind``) is
evidence in the joint reading (``joint``).

Question kinds are read from real consultation YAMLs (two spent development sets and
the library consultation of ``builders``); the bodies are written for these tests only.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from builders import ingest_library, library_questions, rows_of

from helpers.core import embedding
from helpers.core.consultation import load_consultation
from helpers.ingest.segment import bodykind, joint

SETS = Path(__file__).resolve().parents[1] / "data" / "evaluation"

EFFECTS = (
    "My son has done his homework at the branch every weekday evening since he was eight. "
    "If it shuts at five he will lose two hours a day there, and I cannot collect him before "
    "six, so he would be at home on his own. It would cost us a laptop we cannot afford."
)
VIEW = "We strongly disagree with closing the branches at five. It is the wrong decision."
ASIDE = (
    "We would also note that the leaflet was hard to find, and more generally the council "
    "should publish its usage figures before deciding anything further."
)
REQUESTS = (
    "Move the filter twenty metres west so that residents can reach the main road.\n"
    "Exempt blue badge holders from the camera.\n"
    "Publish the bus journey times every quarter."
)
GROUPS = (
    "Older and disabled residents who cannot walk far, carers and parents with young "
    "children, and people whose first language is not English would find this hardest."
)


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    return library_questions(tmp_path_factory.mktemp("library-q24"))


def test_question_kinds_come_from_the_consultation_yaml(library):
    transport = load_consultation(SETS / "transport-20" / "consultation.yaml").questions
    ofsted = load_consultation(SETS / "ofsted-docs-20" / "consultation.yaml").questions
    # capacity, ltn, bus_gate, trial (closed), impacts, changes, equality
    assert bodykind.question_kinds(transport) == [
        None, "position", "position", "position", "experience", "request", "equality"
    ]  # fmt: skip
    # capacity, q1 (closed), q2 "most important factors", q3 (closed), q4 "additional
    # comments" (the request and experience kinds only fall back to it), q5 equality
    assert bodykind.question_kinds(ofsted) == [
        None, "position", "priority", "position", "catch_all", "equality"
    ]  # fmt: skip
    assert bodykind.question_kinds(library) == [
        None, "position", "position", "experience", "catch_all"
    ]  # fmt: skip


def test_the_body_says_what_kind_of_answer_it_gives():
    kinds = ["catch_all", "equality", "experience", "position", "request"]
    p = bodykind.probabilities([EFFECTS, VIEW, ASIDE, REQUESTS, GROUPS], kinds)
    assert p.shape == (5, 5)
    assert np.allclose(p.sum(axis=1), 1.0)
    got = [kinds[i] for i in p.argmax(axis=1)]
    assert got == ["experience", "position", "catch_all", "request", "equality"]


def test_kinds_the_consultation_does_not_ask_are_left_out():
    p = bodykind.probabilities([REQUESTS], ["position", "catch_all"])
    assert p.sum() == pytest.approx(1.0)
    assert bodykind.probabilities([REQUESTS], ["unknown kind"]).sum() == 0.0


def test_evidence_promotes_only_and_is_zero_without_weight(library):
    assert not bodykind.kind_evidence([EFFECTS], library, 0.0).any()
    ev = bodykind.kind_evidence([EFFECTS, VIEW, ASIDE], library, 0.4)
    assert ev.shape == (3, len(library))
    assert not ev[:, 0].any()  # the profile question has no kind
    ids = [q.id for q in library]
    assert [ids[j] for j in ev.argmax(axis=1)] == ["effects", "hours", "other"]
    # one kind per question: the two closed questions get the same evidence
    assert ev[1, ids.index("hours")] == ev[1, ids.index("sundays")]
    assert np.all(ev <= 0.4 * (1 - 1 / 3) + 1e-9)
    assert np.all(ev >= 0.0)  # a kind below an even share holds no question back
    assert ev[0, ids.index("effects")] > 0 and ev[0, ids.index("other")] == 0.0
    assert bodykind.kind_evidence([], library, 0.4).shape == (0, len(library))


def test_features_count_word_classes_per_hundred_words():
    f = dict(zip(bodykind.FEATURES, bodykind.features(REQUESTS), strict=True))
    assert f["imperative"] == pytest.approx(1.0)  # all three lines open with a verb
    assert f["first_singular"] == 0.0
    f = dict(zip(bodykind.FEATURES, bodykind.features(VIEW), strict=True))
    assert f["stance"] == pytest.approx(100 * 2 / 14)  # "strongly disagree", "wrong decision"


# Own-words headings; the last section tells how the change would affect the family,
# under a heading that names neither a question nor a frame, and its body shares more
# words with the closed weekday-hours question (already answered above) than with
# "how would these changes affect you".
PARENTS = """\
Eastfield Parents' Group

We are a group of parents whose children use the Eastfield branch.

Weekday evenings
We strongly disagree with closing the branches at five. It is the wrong decision for a town where most parents work until six.

Sundays at the central library
We welcome Sunday opening and support it fully, as long as the branches are not cut to pay for it.

Homework club
My children do their homework at the branch after school every day. If it shuts at five they would lose the evening there, I cannot collect them before six, and they would be at home on their own. It would cost us a laptop we cannot afford.

Signed, the committee
"""


def test_the_kind_evidence_never_unsettles_a_placement_the_words_settled():
    words = [(0, 0.30), (1, 0.05), (None, 0.0), (2, 0.40)]
    kinds = [(0, 0.05), (2, 0.20), (1, 0.15), (1, 0.05)]
    got = joint.keep_settled(words, kinds)
    assert got == [(0, 0.30), (2, 0.20), (1, 0.15), (2, 0.40)]
    # the kind's reading may move a settled section only when it is itself decisive
    assert joint.keep_settled([(2, 0.40)], [(1, 0.25)]) == [(1, 0.25)]


def _placed(tmp_path: Path) -> dict[str, str]:
    answers, _ = ingest_library(tmp_path, {"parents": PARENTS})
    rows = rows_of(answers, "parents")
    return dict(zip(rows["heading_text"].fillna(""), rows["question_id"], strict=True))


def test_an_account_of_effects_goes_to_the_effects_question(tmp_path: Path):
    if not embedding.available():
        pytest.skip("sentence-embedding model not installed")
    got = _placed(tmp_path)
    assert got["Homework club"] == "effects", got
    assert got["Weekday evenings"] == "hours"
    assert got["Sundays at the central library"] == "sundays"


def test_without_the_body_kind_the_section_stays_in_the_answer_before(tmp_path: Path, monkeypatch):
    if not embedding.available():
        pytest.skip("sentence-embedding model not installed")
    monkeypatch.setattr(joint, "KIND_W", 0.0)
    assert "Homework club" not in _placed(tmp_path)
