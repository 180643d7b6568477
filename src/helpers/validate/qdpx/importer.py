"""Turning a reviewed REFI-QDA project into overrides, new themes and a change report.

Import reads a project that people reviewed in a QDA package and compares
their codings with ours, answer by answer and theme by theme: what they deleted
becomes a ``remove`` override, what they added an ``add`` override (docs/CONTRACTS.md
format), codes the codebook lacks become new codebook entries, and every
difference is a row of the change report. Importing our own export unchanged
yields no rows. The same reading gives a hand-coding table for agreement
(:func:`hand_coding_from_qdpx`) from a project coded by people.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from helpers.core.safecsv import write_csv
from helpers.core.schemas import SPECIAL_QUESTION_IDS
from helpers.validate.qdpx.project import (
    CHANGE_COLUMNS,
    Project,
    change,
    imported_codings,
    match_source,
    read_project,
    theme_map,
)
from helpers.validate.qdpx.shared import ORIGIN, live_codes

if TYPE_CHECKING:
    from helpers.coding import Codebook

log = logging.getLogger(__name__)

OVERRIDE_COLUMNS = ["respondent_id", "question_id", "theme_id", "action", "quote", "coder", "note"]


@dataclass
class ImportResult:
    """What people changed in a reviewed project.

    ``overrides``: rows for the manual overrides CSV; ``new_themes``: codebook
    entries (dicts ready for YAML) for codes the codebook lacks; ``changes``:
    the change report (action, respondent_id, question_id, theme_id, quote, detail).
    """

    overrides: pd.DataFrame
    new_themes: list[dict] = field(default_factory=list)
    changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHANGE_COLUMNS))

    @property
    def skipped(self) -> pd.DataFrame:
        """The codings that could not be read (change rows with action ``skipped``; why in ``detail``).

        Their codes are left as they are: no override, add or remove, comes from them.
        """
        return self.changes[self.changes["action"] == "skipped"].reset_index(drop=True)

    def write_overrides(self, path: str | Path) -> Path:
        """Write the override rows as a new overrides CSV (review, then merge into overrides.csv).

        Quotes and coder names come from respondents and from the reviewed
        project, so text cells a spreadsheet would run as a formula are quoted
        (``core.safecsv``); ``coding.apply_overrides`` removes the quote again.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_csv(self.overrides, path)

    def new_themes_yaml(self) -> str:
        """The new codebook entries as YAML, to paste under ``themes:`` after adding patterns."""
        import yaml

        return (
            yaml.safe_dump(self.new_themes, sort_keys=False, allow_unicode=True)
            if self.new_themes
            else ""
        )


def import_qdpx(
    path: str | Path,
    respondents: pd.DataFrame,
    answers: pd.DataFrame,
    codes: pd.DataFrame,
    codebook: Codebook,
    consultation: Any = None,
) -> ImportResult:
    """Turn a reviewed REFI-QDA project into override rows, new themes and a change report.

    Codings are matched to respondents by source guid or name and re-anchored
    by their words where offsets drifted. Per answer x theme: exported by us
    but positively absent from the project -> ``remove``; only in the project
    -> ``add`` (one row per selection, quote-anchored); present in both but on
    different words -> ``add`` with the new words (reported as ``moved``).
    Importing our own export unchanged yields no rows.

    A coding that cannot be read (source text outside the archive, unusable
    positions, words not found, unknown code) is reported in
    ``ImportResult.skipped`` with the reason, and never becomes a ``remove``:
    the codes of that respondent and theme (every theme, if the code is
    unknown) are kept. A malformed archive raises ``QdpxError`` only.
    """
    path = Path(path)
    cid = str(getattr(consultation, "id", None) or _consultation_id_from(respondents, codebook))
    project = read_project(path)
    mapping, new_themes = theme_map(project, codebook)
    imported, problems = imported_codings(project, respondents, answers, mapping, cid, path)
    # Only exported codes can have been deleted by the reviewer: non-negated
    # codes (live_codes) of themes in the codebook (the export writes no other).
    ours = live_codes(codes)
    ours = ours[ours["theme_id"].isin(set(codebook.theme_ids))]
    note = f"REFI-QDA import from {path.name}"
    key = ["respondent_id", "question_id", "theme_id"]
    our_spans = (
        {k: set(zip(g["start"], g["end"], strict=True)) for k, g in ours.groupby(key, sort=False)}
        if len(ours)
        else {}
    )
    our_quote = (
        {k: str(g["quote"].iloc[0]) for k, g in ours.groupby(key, sort=False)} if len(ours) else {}
    )
    span_quote = {
        (r, q, t, int(s_), int(e_)): str(qu)
        for r, q, t, s_, e_, qu in ours[[*key, "start", "end", "quote"]].itertuples(index=False)
    }
    imp_groups = {k: g for k, g in imported.groupby(key, sort=False)} if len(imported) else {}
    overrides, changes = [], list(problems)
    # Only respondents whose text is in the project can have codes removed:
    # a source left out (or unreadable) says nothing about its codes.
    covered = {
        match_source(project, sg, respondents, cid)
        for sg, text in project.texts.items()
        if text is not None
    } - {None}
    absent = sorted({k[0] for k in our_spans} - covered)
    if absent:
        log.warning(
            "%s: respondent(s) %s are not in the project; their codes are left as they are",
            path,
            absent,
        )
    # A coding that could not be read may be exactly the one that would have
    # matched ours: its codes are never removed (positively absent only).
    guards = {
        (p["respondent_id"], p["question_id"], p["theme_id"])
        for p in problems
        if p["action"] == "skipped"
    }

    def guarded(r: str, q: str, t: str) -> bool:
        return any(g in guards for g in ((r, q, t), (r, None, t), (r, q, None), (r, None, None)))

    for k in sorted(set(our_spans) | set(imp_groups)):
        r, q, t = k
        if r not in covered:
            continue
        if k not in imp_groups and guarded(*k):
            log.info("%s: %s %s %s kept: a coding of it could not be read", path, r, q, t)
            continue
        if k not in imp_groups:
            overrides.append(_override(r, q, t, "remove", our_quote[k], _reviewer(project), note))
            changes.append(
                change("removed", r, q, t, our_quote[k], "coding deleted in the project")
            )
            continue
        g = imp_groups[k]
        mine = our_spans.get(k, set())
        theirs = set(zip(g["start"], g["end"], strict=True))
        if mine == theirs:
            continue
        is_new = t in {e["id"] for e in new_themes}
        # Unmarked evidence counts only when every coding of the answer was read.
        dropped = set() if guarded(*k) else mine - theirs
        if dropped:
            # Some of our evidence was unmarked: remove the automatic code and
            # re-add exactly the reviewer's selections (overrides remove first, then add).
            ours_q = span_quote.get((*k, *[int(x) for x in min(dropped)]), our_quote[k])
            overrides.append(
                _override(
                    r, q, t, "remove", ours_q, _reviewer(project), f"{note}; evidence changed"
                )
            )
            action = "moved" if theirs - mine else "evidence_removed"
            changes.append(
                change(action, r, q, t, ours_q, "automatic evidence unmarked by the reviewer")
            )
            keep = g
        else:
            action = "added" if not mine else "evidence_added"
            keep = g[[(s_, e_) not in mine for s_, e_ in zip(g["start"], g["end"], strict=True)]]
        for row in keep.itertuples(index=False):
            new_span = (row.start, row.end) not in mine
            detail = "new code" if is_new else ("" if new_span else "kept evidence")
            overrides.append(
                _override(
                    r,
                    q,
                    t,
                    "add",
                    row.quote,
                    row.user,
                    f"{note}; {action}" + (f"; {detail}" if detail else ""),
                )
            )
            if new_span:
                changes.append(change(action, r, q, t, row.quote, detail))
    used = {o["theme_id"] for o in overrides}
    new_themes = [
        e
        for e in new_themes
        if e["id"] in used or any(e["id"] == x.get("parent") for x in new_themes)
    ]
    for e in new_themes:
        detail = f"code {e['label']!r} is not in the codebook"
        changes.append(change("new_theme", None, None, e["id"], None, detail))
    ov = pd.DataFrame(overrides, columns=OVERRIDE_COLUMNS).astype("string")
    ch = pd.DataFrame(changes, columns=CHANGE_COLUMNS).astype("string")
    log.info("%s: %d override row(s), %d new theme(s)", path, len(ov), len(new_themes))
    return ImportResult(overrides=ov, new_themes=new_themes, changes=ch)


def _override(r: str, q: str, t: str, action: str, quote: str, coder: str, note: str) -> dict:
    return {
        "respondent_id": r,
        "question_id": q,
        "theme_id": t,
        "action": action,
        "quote": quote,
        "coder": coder,
        "note": note,
    }


def _reviewer(project: Project) -> str:
    others = [n for n in project.users.values() if n and n != ORIGIN]
    return others[0] if others else "qdpx import"


def _consultation_id_from(respondents: pd.DataFrame, codebook: Codebook) -> str:
    return codebook.id


def hand_coding_from_qdpx(
    path: str | Path,
    respondents: pd.DataFrame,
    answers: pd.DataFrame,
    codebook: Codebook,
    consultation: Any = None,
) -> pd.DataFrame:
    """A hand-coding table (``hand_coding.load_hand_coding`` format) from a project coded by people.

    Every answer of every matched source counts as hand-coded; answers with no
    coding get a row with an empty theme. Codes not in the codebook are skipped
    with a warning.
    """
    path = Path(path)
    cid = str(getattr(consultation, "id", None) or _consultation_id_from(respondents, codebook))
    project = read_project(path)
    mapping, new = theme_map(project, codebook)
    if new:
        log.warning(
            "%s: code(s) %s are not in the codebook and are ignored for agreement",
            path,
            [e["label"] for e in new],
        )
    known = set(codebook.theme_ids)
    imported, _ = imported_codings(project, respondents, answers, mapping, cid, path)
    imported = imported[imported["theme_id"].isin(known)]
    matched = {match_source(project, sg, respondents, cid) for sg in project.texts} - {None}
    cons = consultation or codebook.consultation
    profile = [
        q.id for q in getattr(cons, "questions", ()) if getattr(q, "kind", None) == "profile"
    ]
    skip = [*SPECIAL_QUESTION_IDS, *profile]
    units = answers[answers["respondent_id"].isin(matched) & ~answers["question_id"].isin(skip)]
    rows = [
        (r.respondent_id, r.question_id, t, qu)
        for r in imported.itertuples(index=False)
        for t, qu in [(r.theme_id, r.quote)]
    ]
    coded = {(r, q) for r, q, _, _ in rows}
    rows += [
        (r, q, None, None)
        for r, q in units[["respondent_id", "question_id"]].itertuples(index=False)
        if (r, q) not in coded
    ]
    df = pd.DataFrame(rows, columns=["respondent_id", "question_id", "theme_id", "quote"])
    df["coder"] = pd.NA
    df["note"] = f"from {path.name}"
    df = (
        df.astype("string")
        .drop_duplicates(subset=["respondent_id", "question_id", "theme_id"])
        .reset_index(drop=True)
    )
    return df
