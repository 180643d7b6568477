"""Summaries of the ANSWERS table for the ingest notebook: a quick visual check of segmentation."""

from __future__ import annotations

import pandas as pd

from helpers.core import schemas
from helpers.core.consultation import Consultation


def answer_matrix(answers: pd.DataFrame, consultation: Consultation) -> pd.DataFrame:
    """Respondent x question table of answer lengths in words (0 = not answered).

    Columns are the consultation's questions in order (labelled ``Q1``,
    ``Capacity``...), then ``unstructured`` if any response had no headings.
    Preamble and closing text are not answers and are left out.
    """
    special = {schemas.PREAMBLE, schemas.CLOSING}
    rows = answers[~answers["question_id"].isin(special)]
    words = rows["answer_text"].str.split().str.len().fillna(0).astype("int64")
    table = (
        pd.DataFrame(
            {
                "respondent_id": rows["respondent_id"],
                "question_id": rows["question_id"],
                "words": words,
            }
        )
        .groupby(["respondent_id", "question_id"], sort=False)["words"]
        .sum()
        .unstack(fill_value=0)
    )
    columns = list(consultation.question_ids)
    if schemas.UNSTRUCTURED in table.columns:
        columns.append(schemas.UNSTRUCTURED)
    respondents = list(dict.fromkeys(answers["respondent_id"]))
    table = table.reindex(index=respondents, columns=columns, fill_value=0).astype("int64")
    labels = {
        q.id: (f"Q{q.number}" if q.number is not None else q.label.split(":")[0])
        for q in consultation.questions
    }
    table.columns = [labels.get(c, c) for c in table.columns]
    table.index.name = "respondent_id"
    return table


def warnings_table(answers: pd.DataFrame) -> pd.DataFrame:
    """One row per segmentation warning: respondent, question, heading and the warning."""
    cols = [
        "respondent_id",
        "question_id",
        "heading_text",
        "match_method",
        "match_score",
        "warning",
    ]
    out = answers.loc[answers["warning"].notna(), cols]
    return out.reset_index(drop=True)


def answer_preview(answers: pd.DataFrame, n_words: int = 12) -> pd.DataFrame:
    """Each answer's first ``n_words`` words (with '…' when cut), for a quick visual check."""

    def first_words(text: str) -> str:
        words = text.split()
        return " ".join(words[:n_words]) + (" …" if len(words) > n_words else "")

    out = answers.loc[:, ["respondent_id", "question_id", "match_method", "match_score"]].copy()
    out["n_words"] = answers["answer_text"].str.split().str.len().fillna(0).astype("int64")
    out["first_words"] = answers["answer_text"].map(first_words).astype("string")
    return out.reset_index(drop=True)
