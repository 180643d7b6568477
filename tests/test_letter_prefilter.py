"""The letter tests by whole columns (issue 15) against the per-respondent loops they replace.

``letterseq.has_letter`` must say what ``any(is_letter(g) for g in groups)`` says, and
``ordered.whole_letters`` (which now leaves out respondents with a row that is not a
letter piece before its loop) must return what the plain loop over every respondent
returns, keys and order included. Random frames of methods, headings, question ids,
missing values and interleaved respondents; a survey-like frame with no letter rows.
"""

from __future__ import annotations

import random

import pandas as pd

from helpers.ingest.segment import letterseq, ordered

METHODS = ["paragraph", "unstructured", "meaning", "preamble", "closing", "text",
           "survey_column", "number", None]  # fmt: skip


def _frame(rng: random.Random, n_rows: int, n_resp: int, headings: bool = True) -> pd.DataFrame:
    rows = []
    for _ in range(n_rows):
        rows.append(
            {
                "respondent_id": rng.choice([f"r{k}" for k in range(n_resp)]),
                "question_id": rng.choice(["q1", "q2", "closing", "unstructured"]),
                "match_method": rng.choice(METHODS),
                "heading_text": rng.choice([None] * 6 + ["A heading"]),
                "start": rng.randrange(0, 500),
                "end": rng.randrange(500, 900),
            }
        )
    df = pd.DataFrame(rows)
    df["respondent_id"] = df["respondent_id"].astype("string")
    df["match_method"] = df["match_method"].astype("string")
    df["heading_text"] = df["heading_text"].astype("string")
    if not headings:
        df = df.drop(columns=["heading_text"])
    return df.sample(frac=1.0, random_state=rng.randrange(1000)).reset_index(drop=True)


def _any_letter_reference(answers: pd.DataFrame) -> bool:
    return any(letterseq.is_letter(g) for _, g in answers.groupby("respondent_id", sort=False))


def _whole_letters_reference(answers):
    out = {}
    body = answers[answers["question_id"] != "closing"]
    for _, g in body.groupby("respondent_id", sort=False):
        methods = set(g["match_method"])
        if not methods <= ordered.LETTER_METHODS or len(methods) < 2:
            continue
        g = g.sort_values("start")
        spans = {
            (int(s), int(e)): str(q) if m == "paragraph" else None
            for s, e, q, m in zip(
                g["start"], g["end"], g["question_id"], g["match_method"], strict=True
            )
        }
        out[g.index[0]] = (list(g.index), spans)
    return out


def test_has_letter_equals_the_per_respondent_test():
    rng = random.Random(7)
    seen = set()
    for trial in range(300):
        df = _frame(rng, rng.randrange(1, 40), rng.randrange(1, 12), headings=trial % 3 != 0)
        want = _any_letter_reference(df)
        seen.add(want)
        assert letterseq.has_letter(df) == want, df
    assert seen == {True, False}


def test_has_letter_on_a_survey_and_on_one_letter():
    survey = pd.DataFrame(
        {
            "respondent_id": ["a", "a", "b"],
            "match_method": ["survey_column"] * 3,
            "heading_text": [None, None, None],
        }  # fmt: skip
    )
    assert not letterseq.has_letter(survey)
    letter = pd.DataFrame(
        {
            "respondent_id": ["c", "c"],
            "match_method": ["preamble", "unstructured"],
            "heading_text": [None, None],
        }  # fmt: skip
    )
    assert letterseq.has_letter(pd.concat([survey, letter], ignore_index=True))
    assert not letterseq.has_letter(letter.assign(heading_text=["x", None]))


def test_whole_letters_equals_the_loop_over_every_respondent():
    rng = random.Random(11)
    found = 0
    for _ in range(300):
        df = _frame(rng, rng.randrange(1, 40), rng.randrange(1, 8))
        # Mostly letter pieces, so that some respondents pass.
        df["match_method"] = [
            m if rng.random() < 0.15 else rng.choice(["paragraph", "unstructured"])
            for m in df["match_method"]
        ]
        if rng.random() < 0.3:  # rows without an id (groupby leaves them out)
            df.loc[df.sample(frac=0.2, random_state=rng.randrange(99)).index, "respondent_id"] = (
                None
            )
        want = _whole_letters_reference(df)
        got = ordered.whole_letters(df)
        assert list(got) == list(want)
        assert got == want
        found += len(want)
    assert found > 50
