"""Hand-made processed tables shared by the analyse, charts and report tests.

Five respondents of mixed types; every expected count in the tests was worked
out by hand from the rows below (see the comments).
"""

from __future__ import annotations

import pandas as pd

from helpers.coding.codebook import Codebook, parse_codebook
from helpers.core import schemas
from helpers.core.consultation import parse_consultation

CONSULTATION = parse_consultation(
    {
        "id": "toy",
        "title": "A toy consultation",
        "organisation": "Test Office",
        "questions": [
            {
                "id": "q1",
                "number": 1,
                "kind": "closed",
                "short": "The proposal",
                "text": "Do you agree?",
            },
            {"id": "q2", "number": 2, "kind": "open", "short": "Factors", "text": "What matters?"},
            {
                "id": "q3",
                "number": 3,
                "kind": "closed",
                "short": "Timing",
                "text": "Start in 2023?",
            },
        ],
    }
)

THEMES = [
    {"id": "housing", "label": "Housing", "description": "Somewhere to live.", "parent": None},
    {"id": "support", "label": "Support", "description": "Help from services.", "parent": None},
    {
        "id": "records",
        "label": "Access to records",
        "description": "Files about care.",
        "parent": "support",
    },
    {
        "id": "health",
        "label": "Health",
        "description": "Physical and mental health.",
        "parent": None,
    },
]


def codebook(themes: list[dict] = THEMES, title: str = "Toy codebook") -> Codebook:
    """``themes`` (THEMES or an edited copy) as a real codebook; each theme's id is its pattern."""
    return parse_codebook(
        {
            "id": "toy",
            "title": title,
            "version": 1,
            "themes": [
                {**{k: v for k, v in t.items() if v is not None}, "patterns": [t["id"]]}
                for t in themes
            ],
        }
    )


CODEBOOK = codebook()


def text_of(n: int, word: str = "word") -> str:
    """A sentence of exactly ``n`` characters, made of ``word``."""
    return (f"{word} " * n)[: n - 1].rstrip().ljust(n - 1, "s") + "."


def respondents() -> pd.DataFrame:
    rows = [
        ("r1", "Become", "charity_voluntary"),
        ("r2", "ACRCG", "campaign_group"),
        ("r3", None, "individual"),
        ("r4", "Leeds City Council", "local_authority"),
        ("r5", "Jane Smith", "individual"),  # an individual's name: must never be shown
    ]
    df = pd.DataFrame(
        {
            "respondent_id": [r[0] for r in rows],
            "source_file": [f"{r[0]}.txt" for r in rows],
            "source_sha256": ["0" * 64] * 5,
            "source_format": ["txt", "txt", "docx", "pdf", "txt"],
            "source_row": [None] * 5,
            "encoding": ["utf-8"] * 5,
            "organisation": [r[1] for r in rows],
            "organisation_source": ["metadata"] * 5,
            "respondent_type": [r[2] for r in rows],
            "respondent_type_source": ["metadata"] * 5,
            "text": ["x" * 400] * 5,
            "n_chars": [400] * 5,
        }
    )
    return schemas.conform(df, schemas.RESPONDENTS)


def answers() -> pd.DataFrame:
    # r4's q2 is blank, so r4 did not answer q2. q2 answered by r1, r2, r3.
    rows = [
        ("r1", "q1", "We agree."),
        ("r1", "q2", "Housing and support."),
        ("r1", "q3", "Yes."),
        ("r2", "q1", "Agree in principle."),
        ("r2", "q2", "Records."),
        ("r3", "q2", "Not housing, but support."),
        ("r4", "q1", "We disagree."),
        ("r4", "q2", "   "),
        ("r5", "q1", "Fine."),
        ("r5", "q3", "No."),
    ]
    df = pd.DataFrame(
        {
            "respondent_id": [r[0] for r in rows],
            "question_id": [r[1] for r in rows],
            "question_number": [int(r[1][1]) for r in rows],
            "start": [0] * len(rows),
            "end": [len(r[2]) for r in rows],
            "answer_text": [r[2] for r in rows],
            "heading_text": [None] * len(rows),
            "heading_start": [None] * len(rows),
            "match_method": ["number"] * len(rows),
            "match_score": [1.0] * len(rows),
            "tick_box": [None] * len(rows),
            "warning": [None] * len(rows),
            # r4's blank q2 is the only row with nothing in it; r5's "No." answers a closed question.
            "substantive": [r[2].strip() != "" for r in rows],
        }
    )
    return schemas.conform(df, schemas.ANSWERS)


def stances() -> pd.DataFrame:
    # q1: SA r1, A r2 (with reservations), not answered r3, D r4, A r5.
    # q3: A r1, not answered r2 and r3, SD r5; r4 has no row (counts as not answered).
    rows = [
        ("r1", "q1", "strongly_agree", False),
        ("r2", "q1", "agree", True),
        ("r3", "q1", "not_answered", False),
        ("r4", "q1", "disagree", False),
        ("r5", "q1", "agree", False),
        ("r1", "q3", "agree", False),
        ("r2", "q3", "not_answered", False),
        ("r3", "q3", "not_answered", False),
        ("r5", "q3", "strongly_disagree", False),
    ]
    df = pd.DataFrame(
        {
            "respondent_id": [r[0] for r in rows],
            "question_id": [r[1] for r in rows],
            "stance": [r[2] for r in rows],
            "score": [schemas.STANCE_SCORES.get(r[2]) for r in rows],
            "reservations": [r[3] for r in rows],
            "confidence": [0.9] * len(rows),
            "evidence": [None if r[2] == "not_answered" else "We agree." for r in rows],
            "start": [None] * len(rows),
            "end": [None] * len(rows),
            "method": ["text"] * len(rows),
            "tick_box": [None] * len(rows),
            "text_stance": [None] * len(rows),
            "conflict": [False] * len(rows),
            "reservation": [None] * len(rows),
            "reservation_start": [None] * len(rows),
            "reservation_end": [None] * len(rows),
        }
    )
    return schemas.conform(df, schemas.STANCES_TABLE)


# (respondent, question, theme, start, end, quote length, negated)
CODE_ROWS = [
    ("r1", "q2", "housing", 10, 50, 40, False),
    ("r1", "q2", "housing", 10, 50, 40, False),  # same span, second pattern: one mention
    ("r1", "q2", "housing", 60, 260, 200, False),
    ("r1", "q2", "support", 60, 160, 100, False),
    ("r2", "q2", "records", 5, 40, 35, False),
    ("r2", "q2", "support", 45, 75, 30, False),
    ("r3", "q2", "housing", 0, 20, 20, True),  # negated: r3 did not raise housing
    ("r3", "q2", "support", 0, 150, 150, False),
    ("r5", "q1", "housing", 0, 80, 80, False),
]


def codes(rows: list[tuple] | None = None) -> pd.DataFrame:
    rows = CODE_ROWS if rows is None else rows
    df = pd.DataFrame(
        {
            "respondent_id": [r[0] for r in rows],
            "question_id": [r[1] for r in rows],
            "theme_id": [r[2] for r in rows],
            "start": [r[3] for r in rows],
            "end": [r[4] for r in rows],
            "quote": [text_of(r[5], r[2]) for r in rows],
            "match_start": [r[3] for r in rows],
            "match_end": [r[3] + 3 for r in rows],
            "matched_text": [r[2] for r in rows],
            "pattern": [r[2] for r in rows],
            "negated": [r[6] for r in rows],
            "method": ["dictionary"] * len(rows),
            "source": ["auto"] * len(rows),
        }
    )
    return schemas.conform(df, schemas.CODES)


def uncoded() -> pd.DataFrame:
    return schemas.conform(
        pd.DataFrame(
            {
                "respondent_id": ["r4"],
                "question_id": ["q1"],
                "n_chars": [12],
                "answer_text": ["We disagree."],
            }
        ),
        schemas.UNCODED,
    )


def inputs():
    """The toy consultation's tables as one ``AnalysisInputs`` (what ``load_inputs`` returns)."""
    from helpers import analysis

    return analysis.AnalysisInputs(
        respondents=respondents(),
        answers=answers(),
        codes=codes(),
        stances=stances(),
        uncoded=uncoded(),
        consultation=CONSULTATION,
        codebook=CODEBOOK,
    )
