"""Scoring a stance item set: each item read as the pipeline would read it, then ``stancescore``.

- ``answer`` and ``form`` items become the tables stance reads from ingest:
  one RESPONDENTS row per item (its text) and one ANSWERS row under the item's
  question spanning the whole text, with the form's tick in ``tick_box`` as a
  form shows it ("Strongly agree", "Don't know"; a blank box is no tick) and
  ``substantive`` marked by ingest's own non-answer rule. ``stance_answers``
  then runs once over all items of a file, so thousands of items take a
  second or two.
- ``letter`` items go through the real pipeline: each is written as a .txt
  file into a temporary responses folder, ``ingest.run_ingest`` reads them
  with the file's consultation, and ``stance_answers`` reads the result. A
  letter's stance is whatever the pipeline gives that respondent × question;
  no row is ``not_answered``.

Only the items of the chosen split are read. The result is a :class:`Scores`
whose stance fields are filled (``metrics.StanceScores``), every other
metric n/a, so the set prints as a column like the document sets.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pandas as pd

from helpers import ingest, stance
from helpers.core import schemas
from helpers.validate.devsets.items import ItemFile, StanceItem, load_item_set
from helpers.validate.devsets.metrics import Scores
from helpers.validate.devsets.stancescore import StanceCase, add_stance_scores, system_rows

__all__ = ["evaluate_item_set", "item_tables", "read_items", "read_letters"]


def item_tables(items: list[StanceItem], file: ItemFile) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The respondents and answers tables stance would get from ingest for answer/form items."""
    respondents = pd.DataFrame(
        {
            "respondent_id": pd.Series([i.id for i in items], dtype="string"),
            "text": pd.Series([i.text.strip() for i in items], dtype="string"),
        }
    )
    rows = []
    for i in items:
        text = i.text.strip()
        rows.append(
            {
                "respondent_id": i.id,
                "question_id": i.question,
                "start": 0,
                "end": len(text),
                "answer_text": text,
                "tick_box": schemas.STANCE_LABELS[i.tick] if i.tick else None,
            }
        )
    cols = ["respondent_id", "question_id", "start", "end", "answer_text", "tick_box"]
    answers = ingest.mark_substantive(pd.DataFrame(rows, columns=cols), file.consultation)
    return respondents, answers


def read_items(items: list[StanceItem], file: ItemFile) -> tuple[dict, dict[str, str]]:
    """The stances-table row of each answer/form item ({item id: row}) and the texts read."""
    if not items:
        return {}, {}
    respondents, answers = item_tables(items, file)
    stances = stance.stance_answers(answers, respondents, file.consultation)
    got = system_rows(stances)
    rows = {i.id: got.get((i.id, i.question)) for i in items}
    return rows, {i.id: i.text.strip() for i in items}


def _file_name(n: int, item_id: str) -> str:
    return f"{n:04d}-{re.sub(r'[^A-Za-z0-9_-]+', '-', item_id)[:60]}.txt"


def read_letters(items: list[StanceItem], file: ItemFile) -> tuple[dict, dict[str, str]]:
    """Each letter item through ingest and stance: ({item id: stances row or None}, texts read)."""
    if not items:
        return {}, {}
    with tempfile.TemporaryDirectory(prefix="stance-letters-") as tmp:
        folder = Path(tmp) / "responses"
        folder.mkdir()
        names = {}
        for n, item in enumerate(items):
            names[item.id] = _file_name(n, item.id)
            (folder / names[item.id]).write_text(item.text.strip() + "\n", encoding="utf-8")
        result = ingest.run_ingest(folder, file.consultation_path, Path(tmp) / "out")
    stances = stance.stance_answers(result.answers, result.respondents, file.consultation)
    got = system_rows(stances)
    by_file = {
        str(r.source_file): (str(r.respondent_id), str(r.text))
        for r in result.respondents.itertuples(index=False)
    }
    rows, texts = {}, {}
    for item in items:
        rid, text = by_file.get(names[item.id], (None, None))
        rows[item.id] = got.get((rid, item.question)) if rid else None
        if text is not None:
            texts[item.id] = text
    return rows, texts


def evaluate_item_set(folder: str | Path, split: str = "dev") -> Scores:
    """Score the stance items of ``split`` in every item file of ``folder``."""
    folder = Path(folder)
    files = load_item_set(folder)
    cases: list[StanceCase] = []
    kinds = {"answer": 0, "form": 0, "letter": 0}
    for f in files:
        chosen = [i for i in f.items if split == "all" or i.split == split]
        letters = [i for i in chosen if i.kind == "letter"]
        rows, texts = read_items([i for i in chosen if i.kind != "letter"], f)
        letter_rows, letter_texts = read_letters(letters, f)
        rows.update(letter_rows)
        texts.update(letter_texts)
        for i in chosen:
            kinds[i.kind] += 1
            cases.append(
                StanceCase(
                    f"{f.path.stem}:{i.id}",
                    i.question,
                    i.stance,
                    rows.get(i.id),
                    stance_ok=i.stance_ok,
                    tick=i.tick,
                    reservations=i.reservations,
                    evidence=i.evidence,
                    text=texts.get(i.id),
                    tags=i.tags,
                )
            )
    scores = Scores(folder.name, split, n_responses=len(cases))
    add_stance_scores(cases, scores)
    scores.notes.append(
        "stance item set: " + ", ".join(f"{n} {k}" for k, n in kinds.items()) + " items"
    )
    return scores
