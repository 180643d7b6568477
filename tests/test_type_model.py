"""The learned respondent-type scorer (ingest.type_model): its features read the type's own
words, so they follow a consultation's types; the texts below are new (not from any set)."""

from __future__ import annotations

import numpy as np

from helpers.core.consultation import (
    RespondentTypeRules,
    TypePatterns,
    default_respondent_types,
)
from helpers.ingest.type_model import (
    FEATURES,
    TypeEvidence,
    _plain_words,
    candidate_types,
    features,
    self_sentences,
    type_descriptions,
)

LETTER = (
    "HOLLOWAY LANE ANGLING SOCIETY\n"
    "Response to the consultation\n"
    "The society has 140 plot holders. We are a volunteer-run group and we meet monthly.\n"
    "The weather was poor this spring and the river flooded twice.\n"
    "Plots by the towpath were under water for a week.\n"
    "Please keep the gate on Mill Street open at weekends.\n"
    "Yours sincerely,\nMaria Olusola\nHonorary Secretary"
)


def test_plain_words_strips_pattern_syntax() -> None:
    assert _plain_words("residents['’]? association") == "residents association"
    assert _plain_words("campaign(?:s|ing)?") == "campaign"
    assert _plain_words("(?:network|forum) of (?:[\\w'’-]+ ){0,4}?(?:officers)") == (
        "network forum of officers"
    )


def test_self_sentences_are_letterhead_sign_off_and_self_description() -> None:
    got = self_sentences(LETTER)
    assert "HOLLOWAY LANE ANGLING SOCIETY" in got
    assert "Honorary Secretary" in got
    assert any(s.startswith("We are a volunteer-run group") for s in got)
    # A sentence about something else is not read for who wrote the response.
    assert not any("flooded" in s for s in got)


def test_features_follow_the_consultations_own_type_words() -> None:
    # A consultation that calls angling societies a type of its own ("community_group" is
    # not a type id the code knows: only its words say what it is). Session 25: an angling
    # society, since the package's own words now call an allotment society a voluntary body.
    rules = RespondentTypeRules(
        types=tuple(
            (
                t,
                TypePatterns(names=("angling society", "anglers"))
                if t == "charity_voluntary"
                else p,
            )
            for t, p in default_respondent_types().types
        )
    )
    ev = TypeEvidence(LETTER, "Holloway Lane Angling Society", rule_type="other")
    types, x = features(ev, rules)
    assert types == candidate_types(rules)
    assert x.shape == (len(types), len(FEATURES))
    row = dict(zip(FEATURES, x[types.index("charity_voluntary")], strict=True))
    assert row["kw_head"] == 1.0 and row["name"] == 1.0
    assert "angling society" in type_descriptions(rules)["charity_voluntary"]
    # Without those words the same letter gives the type no word evidence.
    _, x0 = features(ev, default_respondent_types())
    row0 = dict(
        zip(
            FEATURES,
            x0[candidate_types(default_respondent_types()).index("charity_voluntary")],
            strict=True,
        )
    )
    assert row0["kw_head"] == 0.0
    assert np.isfinite(x).all()
