"""The summary of the ``stances`` table: one row per closed question, the counts of each
stance and how they were read (``stance_summary``), and the confidence below which a
stance is listed for reading by hand (``LOW_CONFIDENCE``).

Moved here from ``stance.table`` in session 22 (one concern per module: ``table`` reads
the answers, this module counts its rows); ``stance.table`` re-exports both names.
"""

from __future__ import annotations

import pandas as pd

from helpers.core import schemas
from helpers.core.consultation import Consultation

# Stances below this are listed for reading by hand (``02_code``, ``stance_summary``). Session 22:
# on the calibrated scale (``stance.calibration``), rows right less than 7 times in 10 on unseen
# text. Out of fold on the fresh sets (stance-items-17..21, batches 21-24 as first scored) it lists
# 251 answered rows, 76 of them wrong (30 %); 0.65 on the readers' old scale listed 189, 56 wrong
# (30 %). Not 0.67-0.68: the map's plateaus sit there, so the list's length would jump with a refit.
LOW_CONFIDENCE = 0.7


def stance_summary(stances: pd.DataFrame, consultation: Consultation) -> pd.DataFrame:
    """One row per closed question: how many respondents took each stance, and how it was read.

    Columns: question_id, question, one count column per stance label (in
    scale order, "Not answered" last), with_reservations, from_text,
    from_tick_box (tick box alone or with text), conflicts, low_confidence
    (answered stances with confidence below ``LOW_CONFIDENCE``).
    """
    rows = []
    for q in consultation.closed_questions:
        sub = stances[stances["question_id"] == q.id]
        counts = sub["stance"].value_counts()
        answered = sub["stance"] != "not_answered"
        row = {"question_id": q.id, "question": q.label}
        row.update({schemas.STANCE_LABELS[s]: int(counts.get(s, 0)) for s in schemas.STANCES})
        row.update(
            with_reservations=int(sub["reservations"].fillna(False).astype(bool).sum()),
            from_text=int((sub["method"] == "text").sum()),
            from_tick_box=int(sub["method"].isin(["tick_box", "tick_box+text"]).sum()),
            conflicts=int(sub["conflict"].fillna(False).astype(bool).sum()),
            low_confidence=int((answered & (sub["confidence"] < LOW_CONFIDENCE)).sum()),
        )
        rows.append(row)
    cols = ["question_id", "question", *(schemas.STANCE_LABELS[s] for s in schemas.STANCES)]
    cols += ["with_reservations", "from_text", "from_tick_box", "conflicts", "low_confidence"]
    return pd.DataFrame(rows, columns=cols)
