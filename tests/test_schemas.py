"""Schemas: conform casts and rejects; the README documents every table exactly."""

import pandas as pd
import pytest

from helpers.core import schemas
from helpers.core.paths import project_root


def test_readme_documents_every_schema_as_declared():
    readme = (project_root() / "README.md").read_text(encoding="utf-8")
    for schema in schemas.SCHEMAS.values():
        assert schemas.markdown(schema) in readme, f"README's table for {schema.name} is stale"


def test_conform_orders_casts_and_drops_extra_columns():
    df = pd.DataFrame(
        {
            "extra": [1],
            "n_chars": [3.0],
            "answer_text": ["abc"],
            "question_id": ["q1"],
            "respondent_id": ["r1"],
        }
    )
    out = schemas.conform(df, schemas.UNCODED)
    assert list(out.columns) == ["respondent_id", "question_id", "n_chars", "answer_text"]
    assert out["n_chars"].dtype == "int64"
    assert out.loc[0, "n_chars"] == 3


def test_conform_names_missing_columns_and_null_violations():
    with pytest.raises(schemas.SchemaError, match=r"uncoded: missing column\(s\) \['n_chars'\]"):
        schemas.conform(
            pd.DataFrame({"respondent_id": ["r"], "question_id": ["q"], "answer_text": ["a"]}),
            schemas.UNCODED,
        )
    bad = pd.DataFrame(
        {"respondent_id": [None], "question_id": ["q"], "n_chars": [1], "answer_text": ["a"]}
    )
    with pytest.raises(schemas.SchemaError, match="uncoded.respondent_id: nulls"):
        schemas.conform(bad, schemas.UNCODED)


def test_empty_frames_have_schema_columns_and_types():
    df = schemas.empty(schemas.CODES)
    assert list(df.columns) == schemas.CODES.names
    assert df.empty
    assert str(df["negated"].dtype) == "boolean"


def test_counted_codes_drops_negated_mentions_only():
    codes = pd.DataFrame(
        {
            "theme_id": ["housing", "housing", "records"],
            "negated": pd.array([False, True, None], dtype="boolean"),
        }
    )
    # Row 1 is a negated mention; a missing flag (row 2) is not a negation.
    assert schemas.counted_codes(codes)["theme_id"].tolist() == ["housing", "records"]
    assert schemas.counted_codes(schemas.empty(schemas.CODES)).empty
