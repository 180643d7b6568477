"""Inputs for the explorer tests: the report's toy tables plus an ``area`` attribute, and a
synthetic consultation of any size (100,000 respondents for the size test).

Toy counts, worked out by hand from ``report_testdata`` (see its comments):
q1 answered by r1, r2, r4, r5 (r3 has only a not_answered stance); stances SA r1,
A r2 and r5, D r4; Housing raised in q1 by r5. q2 answered by r1, r2, r3 (r4's
answer is blank); Housing r1 (r3's is negated), Support r1 r2 r3, Access to records
r2, Health nobody. Area: North r1 r2 r5, South r3 r4.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import report_testdata as td

from helpers import analysis
from helpers.core import schemas
from helpers.core.attributes import Attribute, AttributeValue

AREA = Attribute(
    "area",
    "Area",
    columns=("Where do you live?",),
    values=(AttributeValue("north", "North"), AttributeValue("south", "South")),
)
CONSULTATION = dataclasses.replace(td.CONSULTATION, attributes=(AREA,))
AREAS = {"r1": "north", "r2": "north", "r3": "south", "r4": "south", "r5": "north"}


def attributes(areas: dict[str, str] = AREAS) -> pd.DataFrame:
    labels = {v.id: v.label for v in AREA.values}
    rows = pd.DataFrame(
        {
            "respondent_id": list(areas),
            "attribute_id": "area",
            "value_id": list(areas.values()),
            "value_label": [labels[v] for v in areas.values()],
            "raw": [labels[v] for v in areas.values()],
            "source": "survey",
        }
    )
    return schemas.conform(rows, schemas.ATTRIBUTES)


def toy_inputs(**over) -> analysis.AnalysisInputs:
    parts = {
        "respondents": td.respondents(),
        "answers": td.answers(),
        "codes": td.codes(),
        "stances": td.stances(),
        "uncoded": td.uncoded(),
        "consultation": CONSULTATION,
        "codebook": td.CODEBOOK,
        "attributes": attributes(),
    }
    parts.update(over)
    return analysis.AnalysisInputs(**parts)


WORDS = ("housing", "support", "records", "health", "money", "travel", "school", "work")


def synthetic_inputs(n: int, seed: int = 7) -> analysis.AnalysisInputs:
    """``n`` respondents answering q1 (a stance and a sentence) and q2 (one to three themes).

    Built column by column with numpy (no per-row Python), seeded, so the same ``n``
    gives the same tables.
    """
    rng = np.random.default_rng(seed)
    ids = np.array([f"s{i:06d}" for i in range(n)], dtype=object)
    types = np.array(schemas.RESPONDENT_TYPES[:-1], dtype=object)[rng.integers(0, 6, n)]
    resp = pd.DataFrame(
        {
            "respondent_id": ids,
            "source_file": "survey.csv",
            "source_sha256": "0" * 64,
            "source_format": "csv",
            "source_row": np.arange(1, n + 1),
            "encoding": None,
            "organisation": None,
            "organisation_source": "none",
            "respondent_type": types,
            "respondent_type_source": "survey",
            "text": "",
            "n_chars": 0,
        }
    )
    word = np.array(WORDS, dtype=object)[rng.integers(0, len(WORDS), n)]
    num = rng.integers(0, 10_000, n).astype(str)
    text1 = "I think " + word + " matters most, reason number " + num + "."
    text2 = "On " + word + ": the council should act, said respondent " + num + " at length."
    answers = pd.DataFrame(
        {
            "respondent_id": np.concatenate([ids, ids]),
            "question_id": ["q1"] * n + ["q2"] * n,
            "question_number": [1] * n + [2] * n,
            "start": 0,
            "end": 60,
            "answer_text": np.concatenate([text1, text2]),
            "heading_text": None,
            "heading_start": None,
            "match_method": "survey_column",
            "match_score": 1.0,
            "tick_box": None,
            "warning": None,
            "substantive": True,
        }
    )
    stance_ids = np.array(schemas.SCALE_STANCES, dtype=object)[rng.integers(0, 5, n)]
    stances = pd.DataFrame(
        {
            "respondent_id": ids,
            "question_id": "q1",
            "stance": stance_ids,
            "score": [float(schemas.STANCE_SCORES[s]) for s in stance_ids],
            "reservations": False,
            "confidence": 1.0,
            "evidence": None,
            "start": None,
            "end": None,
            "method": "tick_box",
            "tick_box": stance_ids,
            "text_stance": None,
            "conflict": False,
            "reservation": None,
            "reservation_start": None,
            "reservation_end": None,
        }
    )
    themes = [t["id"] for t in td.THEMES]
    parts = []
    for k in range(3):  # each respondent raises theme k with probability 1/(k+1)
        pick = rng.random(n) < 1 / (k + 1)
        theme = np.array(themes, dtype=object)[(rng.integers(0, len(themes), n) + k) % len(themes)]
        parts.append(
            pd.DataFrame(
                {
                    "respondent_id": ids[pick],
                    "question_id": "q2",
                    "theme_id": theme[pick],
                    "start": 10 * k,
                    "end": 10 * k + 60,
                    "quote": text2[pick],
                    "match_start": None,
                    "match_end": None,
                    "matched_text": None,
                    "pattern": None,
                    "negated": False,
                    "method": "dictionary",
                    "score": None,
                    "source": "auto",
                }
            )
        )
    codes = pd.concat(parts, ignore_index=True)
    areas = np.array(["north", "south"], dtype=object)[rng.integers(0, 2, n)]
    attrs = pd.DataFrame(
        {
            "respondent_id": ids,
            "attribute_id": "area",
            "value_id": areas,
            "value_label": np.where(areas == "north", "North", "South"),
            "raw": None,
            "source": "survey",
        }
    )
    return analysis.AnalysisInputs(
        respondents=schemas.conform(resp, schemas.RESPONDENTS),
        answers=schemas.conform(answers, schemas.ANSWERS),
        codes=schemas.conform(codes, schemas.CODES),
        stances=schemas.conform(stances, schemas.STANCES_TABLE),
        uncoded=schemas.empty(schemas.UNCODED),
        consultation=CONSULTATION,
        codebook=td.CODEBOOK,
        attributes=schemas.conform(attrs, schemas.ATTRIBUTES),
    )
