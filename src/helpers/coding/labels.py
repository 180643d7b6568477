"""Training labels from the researcher's own decisions, for the learned coder.

Two sources, both written by people (never by the automatic coders):

- **the hand-coded sample** (``hand_coded.csv``, read by
  ``helpers.validate.load_hand_coding`` into a table of respondent_id,
  question_id, theme_id): every (respondent, question) in it is an answer a
  person read in full, so each theme that applies to that question is a
  **positive** when they coded it and a **negative** when they did not (an
  empty theme_id marks an answer read and given no theme: all negatives);
- **manual overrides** (``overrides.csv``): an ``add`` is a positive, a
  ``remove`` a negative (the researcher saw the automatic code and rejected it).
  An override is the later, more deliberate decision, so it wins over the
  sample for the same answer and theme.

Labels are one row per (respondent, question, theme): ``label`` 1 or 0 and
``source`` (``hand_coded``, ``override_add``, ``override_remove``). Answers not in
``answers`` (a stale file) are left out with a warning.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import pandas as pd

from helpers.coding.codebook import Codebook
from helpers.core.safecsv import clean_row, restore

log = logging.getLogger(__name__)

LABEL_COLUMNS = ["respondent_id", "question_id", "theme_id", "label", "source"]


def read_override_decisions(overrides: str | Path | pd.DataFrame | None) -> pd.DataFrame:
    """respondent_id, question_id, theme_id, action (add/remove) of an overrides CSV.

    ``overrides`` may be a path (absent file: no rows) or an already-read table with
    those columns. The file is validated by ``apply_overrides``; rows with another
    action are ignored here.
    """
    cols = ["respondent_id", "question_id", "theme_id", "action"]
    if overrides is None:
        return pd.DataFrame(columns=cols, dtype="string")
    if isinstance(overrides, pd.DataFrame):
        table = overrides[cols].astype("string")
    else:
        path = Path(overrides)
        if not path.is_file():
            return pd.DataFrame(columns=cols, dtype="string")
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = [clean_row(r) for r in csv.DictReader(fh)]
        table = pd.DataFrame(
            [{c: (r.get(c) or "").strip() for c in cols} for r in rows], columns=cols
        ).astype("string")
    table["action"] = table["action"].str.lower()
    return table[table["action"].isin(["add", "remove"])].reset_index(drop=True)


def training_labels(
    answers: pd.DataFrame,
    codebook: Codebook,
    hand_coded: pd.DataFrame | None,
    overrides: str | Path | pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per labelled (respondent, question, theme): label 1/0 and its source.

    Only themes that apply to the answer's question are labelled; hand-coded themes
    the codebook lacks are ignored with a warning. Sorted by respondent, question, theme.
    """
    known = {
        (str(r), str(q))
        for r, q in answers[["respondent_id", "question_id"]].itertuples(index=False)
    }
    labels: dict[tuple[str, str, str], tuple[int, str]] = {}
    if hand_coded is not None and len(hand_coded):
        hand = hand_coded[["respondent_id", "question_id", "theme_id"]]
        coded = {(str(r), str(q), str(t)) for r, q, t in hand.dropna().itertuples(index=False)}
        unknown = sorted({t for _, _, t in coded if t not in codebook})
        if unknown:
            log.warning("hand coding: theme id(s) %s not in the codebook: not learned", unknown)
        units = list(
            dict.fromkeys(
                (str(r), str(q))
                for r, q in hand[["respondent_id", "question_id"]].itertuples(index=False)
            )
        )
        stale = [u for u in units if u not in known]
        if stale:
            log.warning(
                "hand coding: %d answer(s) not in the answers table, not learned from: %s",
                len(stale), stale[:5],
            )  # fmt: skip
        for r, q in units:
            if (r, q) not in known:
                continue
            for theme in codebook.themes_for(q):
                labels[(r, q, theme.id)] = (int((r, q, theme.id) in coded), "hand_coded")
    decisions = read_override_decisions(overrides)
    for r, q, t, action in decisions.itertuples(index=False):
        if (r, q) in known and t in codebook:
            labels[(r, q, t)] = (1, "override_add") if action == "add" else (0, "override_remove")
    rows = [(r, q, t, lab, src) for (r, q, t), (lab, src) in sorted(labels.items())]
    return pd.DataFrame(rows, columns=LABEL_COLUMNS).astype(
        {
            "respondent_id": "string",
            "question_id": "string",
            "theme_id": "string",
            "label": "int64",
            "source": "string",
        }
    )


def read_hand_labels(path: str | Path) -> pd.DataFrame | None:
    """respondent_id, question_id, theme_id of a hand-coding CSV (``#`` comment lines first).

    The coding stage reads only the CSV form; a filled sampling workbook or a REFI-QDA
    project is read by ``helpers.validate.load_hand_coding``, whose table
    ``run_coding`` also takes. Returns None (with an info line) for an absent file or
    another form. An empty theme_id marks an answer coded with no theme.
    """
    path = Path(path)
    if not path.is_file():
        log.info("learned coding: no hand-coded sample at %s", path)
        return None
    if path.suffix.lower() != ".csv":
        log.info(
            "learned coding: %s is not a CSV; pass validate.load_hand_coding(...)'s table "
            "to run_coding to learn from it", path,
        )  # fmt: skip
        return None
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    skip = 0
    while skip < len(lines) and (lines[skip].lstrip().startswith("#") or not lines[skip].strip()):
        skip += 1
    rows = list(csv.DictReader(lines[skip:]))
    cols = ["respondent_id", "question_id", "theme_id"]
    table = pd.DataFrame(
        [{c: restore((r.get(c) or "").strip()) for c in cols} for r in rows], columns=cols
    ).astype("string")
    table["theme_id"] = table["theme_id"].replace("", pd.NA)
    return table
