"""Scoring one set: the system's tables joined to the gold records, every metric counted.

Gold records and system respondents are joined by ``source_file`` (the file
name inside ``responses/``) and, for survey rows, ``source_row``. The
metrics beyond segmentation (``metrics`` has those):

- **files read**: gold files of the split whose ingest_log status is processed.
- **respondent type**: accuracy over gold records that name a type; a record
  whose file gave no respondent counts as wrong. Errors are listed as a
  confusion count (gold → system).
- **campaigns**: pairwise precision and recall over the split's answers with
  text, an answer being (respondent, question). Gold pairs: two answers with
  the same ``campaign`` id. System pairs: two answers to the same question by
  members of one ``copies`` group (per question when the copies table has a
  ``question_id`` column, else the respondent-level group applies to every
  question both answered).
- **survey rows read** (and empty rows kept): gold survey rows that became a
  respondent.
- **stance**: exact, acceptable, direction and tick-box accuracy, the
  confusion matrix and the calibration of stated confidence (``stancescore``)
  over gold answers with a stance, on closed questions, against the
  ``stances`` table (no row → not_answered).
- **themes**: micro precision/recall of (respondent, question, theme) over gold
  answers with text, against the counted codes (negated mentions excluded).
- **attributes**: accuracy over (gold record, attribute the consultation
  declares): the gold value, grouped by the consultation's own ``values:``
  (``Attribute.classify``; no gold value is ``unknown``), against the
  system's ``value_id`` in the attributes table. A record not read is wrong.
  Documents count only for attributes read from the manifest (a survey
  column cannot give a letter's area, though its gold may know it).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import pandas as pd

from helpers.core.consultation import Consultation
from helpers.validate.devsets.goldrules import dont_know_rule
from helpers.validate.devsets.goldview import GoldResponse
from helpers.validate.devsets.metrics import PR, Counts, Error, Scores, score_segmentation
from helpers.validate.devsets.stancescore import StanceCase, add_stance_scores, system_rows

__all__ = ["score_set"]

MAX_PAIR_ERRORS = 20
Item = tuple[str, str]  # (gold record name, question id)


def _key(file: object, row: object) -> tuple[str, int | None]:
    return str(file), (None if row is None or pd.isna(row) else int(row))


def _pairs(groups: dict[object, set[Item]]) -> set[tuple[Item, Item]]:
    return {p for members in groups.values() for p in combinations(sorted(members), 2)}


def _campaigns(
    records: list[GoldResponse], rid_name: dict[str, str], copies: pd.DataFrame, scores: Scores
) -> None:
    items = {(r.name, a.question) for r in records for a in r.answers if a.text.strip()}
    gold_groups: dict[object, set[Item]] = defaultdict(set)
    for r in records:
        for a in r.answers:
            if a.campaign and (r.name, a.question) in items:
                gold_groups[(a.campaign, a.question)].add((r.name, a.question))
    sys_groups: dict[object, set[Item]] = defaultdict(set)
    per_question = "question_id" in copies.columns
    for c in copies.itertuples(index=False):
        name = rid_name.get(str(c.respondent_id))
        if name is None:
            continue
        if per_question:
            if (name, str(c.question_id)) in items:
                sys_groups[c.copy_group].add((name, str(c.question_id)))
        else:
            for n, q in items:
                if n == name:
                    sys_groups[(c.copy_group, q)].add((n, q))
    gold, system = _pairs(gold_groups), _pairs(sys_groups)
    if not gold and not system:
        return
    scores.campaigns = PR(tp=len(gold & system), fp=len(system - gold), fn=len(gold - system))
    for label, pairs in (
        ("grouped, not one campaign", system - gold),
        ("one campaign, not grouped", gold - system),
    ):
        for (a, q), (b, _) in sorted(pairs)[:MAX_PAIR_ERRORS]:
            scores.errors.append(Error(f"{a} + {b}", q, "campaign", label))
        if len(pairs) > MAX_PAIR_ERRORS:
            scores.errors.append(
                Error("…", None, "campaign", f"{len(pairs) - MAX_PAIR_ERRORS} more: {label}")
            )


def _stance(
    records, rid_of, texts: dict[str, str], stances: pd.DataFrame, closed: set[str], scores: Scores
) -> None:
    got = system_rows(stances)
    cases = []
    for r in records:
        rid = rid_of.get(r.name, "")
        for a in r.answers:
            if a.stance is None or a.question not in closed:
                continue
            cases.append(
                StanceCase(
                    r.name,
                    a.question,
                    a.stance,
                    got.get((rid, a.question)),
                    stance_ok=a.stance_ok,
                    tick=a.tick,
                    text=texts.get(rid),
                )
            )
    add_stance_scores(cases, scores)


def _themes(records, rid_of, codes: pd.DataFrame, scores: Scores) -> None:
    got: dict[tuple[str, str], set[str]] = defaultdict(set)
    for c in codes.itertuples():
        got[(str(c.respondent_id), str(c.question_id))].add(str(c.theme_id))
    pr = PR()
    for r in records:
        for a in r.answers:
            if a.themes is None or not a.text.strip():
                continue
            gold, system = set(a.themes), got.get((rid_of.get(r.name, ""), a.question), set())
            pr.tp += len(gold & system)
            pr.fp += len(system - gold)
            pr.fn += len(gold - system)
            if gold != system:
                msg = f"missed {sorted(gold - system)}, extra {sorted(system - gold)}"
                scores.errors.append(Error(r.name, a.question, "themes", msg))
    scores.themes = pr


def _attributes(records, rid_of, table: pd.DataFrame, cons: Consultation, scores: Scores) -> None:
    if not cons.attributes:
        return
    got = {
        (str(a.respondent_id), str(a.attribute_id)): str(a.value_id)
        for a in table.itertuples(index=False)
    }
    counts = Counts()
    for r in records:
        gold_values = dict(r.attributes)
        for attr in cons.attributes:
            if r.row is None and not attr.manifest:
                continue  # a survey column cannot give a document's value
            counts.n += 1
            want = attr.classify(gold_values.get(attr.id))[0]
            rid = rid_of.get(r.name)
            system = got.get((rid, attr.id), "unknown") if rid else "(not read)"
            if system == want:
                counts.hit += 1
            else:
                msg = f"{attr.id}: gold {want}, system {system}"
                scores.errors.append(Error(r.name, None, "attributes", msg))
    scores.attributes = counts


def score_set(
    name: str,
    split: str,
    records: list[GoldResponse],
    consultation: Consultation,
    respondents: pd.DataFrame,
    answers: pd.DataFrame,
    log: pd.DataFrame,
    copies: pd.DataFrame,
    stances: pd.DataFrame | None = None,
    codes: pd.DataFrame | None = None,
    attributes: pd.DataFrame | None = None,
) -> Scores:
    """Every metric of one set's ``split`` (see the module docstring and ``metrics``)."""
    records = dont_know_rule(records, consultation)  # one reading of "Don't know" (goldrules)
    scores = Scores(name, split, n_responses=len(records))
    by_key = {}
    for r in respondents.itertuples(index=False):
        by_key.setdefault(_key(r.source_file, r.source_row), r)
    answers_by_rid = {str(k): g for k, g in answers.groupby("respondent_id", sort=False)}
    empty_answers = answers.iloc[0:0]
    question_ids = set(consultation.question_ids)

    files = sorted({r.file for r in records})
    # A survey export has one log row for the file and one per skipped row: read if any is processed.
    status: dict[str, list[str]] = defaultdict(list)
    for f, st, why in zip(
        log["file"], log["status"], log.get("reason", [None] * len(log)), strict=True
    ):
        status[str(f)].append(str(st) + (f": {why}" if isinstance(why, str) and why else ""))
    read = [f for f in files if any(st.startswith("processed") for st in status.get(f, []))]
    scores.files = Counts(len(read), len(files))
    for f in files:
        if f not in read:
            why = "; ".join(status.get(f, [])) or "not in the ingest log"
            scores.errors.append(Error(f, None, "files", why))

    rid_of: dict[str, str] = {}
    texts: dict[str, str] = {}
    for rec in records:
        sys = by_key.get(_key(rec.file, rec.row))
        if rec.row is not None:
            scores.rows = scores.rows or Counts()
            scores.rows.n += 1
            scores.rows.hit += sys is not None
            if not any(a.text.strip() for a in rec.answers):
                scores.empty_rows = scores.empty_rows or Counts()
                scores.empty_rows.n += 1
                scores.empty_rows.hit += sys is not None
        if sys is None:
            scores.errors.append(
                Error(rec.name, None, "read", "no respondent read from this file/row")
            )
        else:
            rid_of[rec.name] = str(sys.respondent_id)
            texts[str(sys.respondent_id)] = str(sys.text)
        if rec.respondent_type is not None:
            scores.types.n += 1
            got = str(sys.respondent_type) if sys is not None else "(not read)"
            if got == rec.respondent_type:
                scores.types.hit += 1
            else:
                scores.type_errors[(rec.respondent_type, got)] += 1
                scores.errors.append(
                    Error(rec.name, None, "type", f"gold {rec.respondent_type}, system {got}")
                )
        text = str(sys.text) if sys is not None else ""
        rows = answers_by_rid.get(rid_of.get(rec.name, ""), empty_answers)
        score_segmentation(rec, text, rows, question_ids, scores)

    _campaigns(records, {v: k for k, v in rid_of.items()}, copies, scores)
    if stances is not None:
        _stance(
            records, rid_of, texts, stances, {q.id for q in consultation.closed_questions}, scores
        )
    if codes is not None:
        _themes(records, rid_of, codes, scores)
    if attributes is not None:
        _attributes(records, rid_of, attributes, consultation, scores)
    return scores
