"""A closed question's answer rows, grouped by respondent for ``stance.table`` to read.

Split from :mod:`helpers.stance.table` (session 21, no change of behaviour):
:func:`closed_groups` reads the answers' columns once and gathers, for each
(respondent, closed question), the spans of its substantive rows, the first tick box
given, the texts of its rows and whether every row was placed by its content
(:class:`Closed`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from helpers.core import schemas
from helpers.stance.placement import PLACED_BY_CONTENT


@dataclass
class Closed:
    """One (respondent, closed question)'s answer rows, as ``stance_answers`` reads them:
    the spans of its substantive rows, the first tick box given, the texts of its rows."""

    spans: list[tuple[int, int]] = field(default_factory=list)
    tick: str | None = None
    said: list[str] = field(default_factory=list)
    # Every substantive row placed by its content (no heading): method unstructured, the
    # reading's confidence kept (the letters' x0.7 made these under-confident).
    by_content: bool = True


def closed_groups(sub: pd.DataFrame, has_tick: bool, structured: set[str]) -> dict[tuple, Closed]:
    """``sub``'s rows grouped by (respondent_id, question_id), in first-seen order, read
    from the columns as Python lists in one pass (a pandas ``groupby`` that makes a frame
    per group costs more than reading a short answer); keys with a missing id left out."""
    n = len(sub)
    said = schemas.substantive_answers(sub).tolist()
    rids = sub["respondent_id"].tolist()
    qids = sub["question_id"].tolist()
    starts = sub["start"].tolist() if n else []
    ends = sub["end"].tolist() if n else []
    ticks = sub["tick_box"].tolist() if has_tick else [None] * n
    texts = sub["answer_text"].tolist() if "answer_text" in sub.columns else [None] * n
    how = sub["match_method"].tolist() if "match_method" in sub.columns else [None] * n
    out: dict[tuple, Closed] = {}
    for k in range(n):
        rid, qid = rids[k], qids[k]
        if pd.isna(rid) or pd.isna(qid):
            continue
        g = out.get((rid, qid))
        if g is None:
            g = out[(rid, qid)] = Closed()
        if said[k]:
            g.spans.append((int(starts[k]), int(ends[k])))
            moved = how[k] == "learned" and str(rid) not in structured  # a letter's, by content
            g.by_content = g.by_content and (how[k] in PLACED_BY_CONTENT or moved)
        t = ticks[k]
        if g.tick is None and isinstance(t, str) and t.strip():
            g.tick = t
        if isinstance(texts[k], str):
            g.said.append(texts[k])
    return out
