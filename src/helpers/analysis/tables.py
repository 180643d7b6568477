"""Analysis tables from the processed tables: pure functions returning DataFrames.

Counting rules, applied everywhere so that tables, charts and report agree:

* A respondent *answered* a question when they have an answer segment for it
  with non-blank text (or a tick-box answer), or a stance other than
  ``not_answered`` for a closed question.
* A respondent *raised* a theme in a question when at least one code row for
  that (respondent, question, theme) has ``negated == False``. Negated matches
  ('we do not think housing…') are evidence the coder saw, not a theme raised.
* Percentages of a question are of the respondents who answered that
  question; people who did not answer are reported separately, never hidden
  in the base.
* Individuals are never named: attributions use the organisation's name, or a
  stable 'Respondent N' numbered in respondent-id order.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.core import schemas
from helpers.core.consultation import Consultation, load_consultation
from helpers.core.formatting import format_percent
from helpers.core.schemas import (
    RESPONDENT_TYPE_LABELS,
    RESPONDENT_TYPES,
    STANCE_LABELS,
    STANCES,
    counted_codes,
)

log = logging.getLogger(__name__)

ALL = "all"  # the group value of overall rows in by-type tables
ANSWERED_STANCES = tuple(s for s in STANCES if s != "not_answered")
INDIVIDUAL = "individual"


# --------------------------------------------------------------------------- inputs
@dataclass
class AnalysisInputs:
    """Everything the analysis needs, as loaded from a processed folder."""

    respondents: pd.DataFrame
    answers: pd.DataFrame
    codes: pd.DataFrame
    stances: pd.DataFrame
    uncoded: pd.DataFrame
    consultation: Consultation
    codebook: Any
    processed_dir: Path | None = None
    # Campaign copies (COPIES); empty when none were found or the folder predates them.
    copies: pd.DataFrame = field(default_factory=lambda: schemas.empty(schemas.COPIES))

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, Any]:
        """(respondents, answers, codes, stances, codebook): what most tables start from."""
        return self.respondents, self.answers, self.codes, self.stances, self.codebook


_TABLE_FILES = {
    "respondents": schemas.RESPONDENTS,
    "answers": schemas.ANSWERS,
    "codes": schemas.CODES,
    "stances": schemas.STANCES_TABLE,
    "uncoded": schemas.UNCODED,
    "copies": schemas.COPIES,
}


def read_table(processed_dir: str | Path, name: str, required: bool = True) -> pd.DataFrame:
    """Read ``<name>.parquet`` from the processed folder, conformed to its schema.

    A missing optional table is returned empty (and logged); a missing required
    one raises FileNotFoundError naming the file and the stage that writes it.
    """
    schema = _TABLE_FILES[name]
    path = Path(processed_dir) / f"{name}.parquet"
    if not path.exists():
        if required:
            raise FileNotFoundError(
                f"{path}: not found. Run the ingest (01) and coding (02) stages first "
                "(see docs/CONTRACTS.md for which stage writes it)."
            )
        log.warning("%s: not found; treating %s as empty", path, name)
        return schemas.empty(schema)
    return schemas.conform(pd.read_parquet(path), schema)


def load_inputs(
    processed_dir: str | Path, consultation_path: str | Path, codebook_path: str | Path
) -> AnalysisInputs:
    """Load the processed tables, the consultation and the codebook."""
    from helpers.coding import load_codebook  # imported late: another stage's module

    processed_dir = Path(processed_dir)
    return AnalysisInputs(
        respondents=read_table(processed_dir, "respondents"),
        answers=read_table(processed_dir, "answers"),
        codes=read_table(processed_dir, "codes", required=False),
        stances=read_table(processed_dir, "stances", required=False),
        uncoded=read_table(processed_dir, "uncoded", required=False),
        consultation=load_consultation(consultation_path),
        codebook=load_codebook(codebook_path),
        processed_dir=processed_dir,
        # Written by ingest since campaign-copy detection; absent in older folders.
        copies=read_table(processed_dir, "copies", required=False),
    )


# --------------------------------------------------------------------------- helpers
def theme_frame(codebook: Any) -> pd.DataFrame:
    """The codebook's themes as a frame: id, label, description, parent, questions (in codebook order).

    Accepts a ``codebook.Codebook`` (``.themes`` of objects with id/label/…),
    a list of such objects or dicts, or a DataFrame with those columns.
    """
    if isinstance(codebook, pd.DataFrame):
        df = codebook.copy()
    else:
        rows = []
        for t in getattr(codebook, "themes", codebook):
            get = t.get if isinstance(t, dict) else (lambda k, _t=t: getattr(_t, k, None))
            qs = get("questions")
            rows.append(
                {
                    "id": get("id"),
                    "label": get("label") or get("id"),
                    "description": get("description") or "",
                    "parent": get("parent"),
                    "questions": tuple(qs) if qs else (),
                }
            )
        df = pd.DataFrame(rows, columns=["id", "label", "description", "parent", "questions"])
    for col, default in (("description", ""), ("parent", None), ("questions", ())):
        if col not in df.columns:
            df[col] = [default] * len(df)
    df["label"] = df["label"].fillna(df["id"])
    return df.reset_index(drop=True)


def raised(codes: pd.DataFrame) -> pd.DataFrame:
    """Distinct (respondent_id, question_id, theme_id) with a non-negated code, plus mentions.

    ``mentions`` counts distinct evidence spans (start, end), so one sentence
    matching two patterns of a theme is one mention.
    """
    cols = ["respondent_id", "question_id", "theme_id", "mentions"]
    if codes.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype="int64" if c == "mentions" else "string") for c in cols}
        )
    kept = counted_codes(codes)
    spans = kept.drop_duplicates(["respondent_id", "question_id", "theme_id", "start", "end"])
    out = (
        spans.groupby(["respondent_id", "question_id", "theme_id"], sort=True)
        .size()
        .rename("mentions")
        .reset_index()
    )
    out["mentions"] = out["mentions"].astype("int64")
    return out


def answered(answers: pd.DataFrame, stances: pd.DataFrame | None = None) -> pd.DataFrame:
    """Distinct (respondent_id, question_id) pairs the respondent answered."""
    parts = []
    if not answers.empty:
        text = answers["answer_text"].fillna("").astype(str).str.strip() != ""
        tick = (
            answers["tick_box"].fillna("").astype(str).str.strip() != ""
            if "tick_box" in answers
            else False
        )
        parts.append(answers.loc[text | tick, ["respondent_id", "question_id"]])
    if stances is not None and not stances.empty:
        parts.append(
            stances.loc[stances["stance"] != "not_answered", ["respondent_id", "question_id"]]
        )
    if not parts:
        return pd.DataFrame(
            {"respondent_id": pd.Series(dtype="string"), "question_id": pd.Series(dtype="string")}
        )
    out = pd.concat(parts).drop_duplicates().astype("string")
    return out.sort_values(["respondent_id", "question_id"]).reset_index(drop=True)


def attributions(respondents: pd.DataFrame) -> pd.Series:
    """How each respondent is named in a report, indexed by respondent_id.

    Organisations are named; individuals, and anyone without an organisation
    name, become 'Respondent N' with N stable: their rank in respondent-id order.
    """
    ids = respondents["respondent_id"].astype(str)
    org = respondents["organisation"].astype("string").str.strip()
    anon = (respondents["respondent_type"].astype(str) == INDIVIDUAL) | org.isna() | (org == "")
    anon = anon.fillna(True).astype(bool).to_numpy()
    names = pd.Series(org.to_numpy(dtype=object), index=ids.to_numpy(), dtype=object)
    anon_ids = sorted(ids[anon])
    for i, rid in enumerate(anon_ids, start=1):
        names[rid] = f"Respondent {i}"
    return names.astype("string").rename("attribution")


def _type_order(types: Iterable[str]) -> list[str]:
    present = set(types)
    known = [t for t in RESPONDENT_TYPES if t in present]
    return known + sorted(present - set(known))


def type_label(respondent_type: str) -> str:
    """'charity_voluntary' -> 'Charity or voluntary organisation'."""
    return RESPONDENT_TYPE_LABELS.get(
        respondent_type, str(respondent_type).replace("_", " ").capitalize()
    )


def _pct(k: pd.Series | float, n: pd.Series | float) -> pd.Series | float:
    """Percentage, NaN where the base is zero."""
    if isinstance(n, pd.Series):
        return (100.0 * k / n.where(n > 0)).astype("float64")
    return float("nan") if not n else 100.0 * k / n


# --------------------------------------------------------------------------- profile
def respondent_profile(respondents: pd.DataFrame) -> pd.DataFrame:
    """Responses by respondent type: respondent_type, label, n, percent (of all respondents).

    Types appear in schemas.RESPONDENT_TYPES order; only types present are listed.
    """
    counts = respondents["respondent_type"].astype(str).value_counts()
    order = _type_order(counts.index)
    total = int(counts.sum())
    df = pd.DataFrame(
        {
            "respondent_type": order,
            "label": [type_label(t) for t in order],
            "n": [int(counts[t]) for t in order],
        }
    )
    df["percent"] = [_pct(k, total) for k in df["n"]]
    return df.astype(
        {"respondent_type": "string", "label": "string", "n": "int64", "percent": "float64"}
    )


def questions_answered(
    respondents: pd.DataFrame,
    answers: pd.DataFrame,
    consultation: Consultation,
    stances: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Which questions each respondent answered: one row per respondent, a boolean column per question.

    Columns: respondent_id, attribution, respondent_type, then the consultation's
    question ids in order, then n_answered (of the consultation's questions).
    """
    got = answered(answers, stances)
    qids = consultation.question_ids
    pairs = set(zip(got["respondent_id"], got["question_id"], strict=True))
    names = attributions(respondents)
    rows = []
    for r in respondents.sort_values("respondent_id").itertuples(index=False):
        row = {
            "respondent_id": r.respondent_id,
            "attribution": names[r.respondent_id],
            "respondent_type": r.respondent_type,
        }
        row.update({q: (r.respondent_id, q) in pairs for q in qids})
        rows.append(row)
    df = pd.DataFrame(rows, columns=["respondent_id", "attribution", "respondent_type", *qids])
    df[qids] = df[qids].astype(bool)
    df["n_answered"] = df[qids].sum(axis=1).astype("int64")
    return df


def question_counts(
    respondents: pd.DataFrame,
    answers: pd.DataFrame,
    consultation: Consultation,
    stances: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per question: question_id, label, kind, n_answered, n_not_answered, percent_answered."""
    qa = questions_answered(respondents, answers, consultation, stances)
    total = len(qa)
    rows = []
    for q in consultation.questions:
        k = int(qa[q.id].sum()) if total else 0
        rows.append(
            {
                "question_id": q.id,
                "label": q.label,
                "kind": q.kind,
                "n_answered": k,
                "n_not_answered": total - k,
                "percent_answered": _pct(k, total),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- stances
def _complete_stances(
    stances: pd.DataFrame, respondents: pd.DataFrame, question_ids: list[str]
) -> pd.DataFrame:
    """One stance per (respondent, closed question): absent rows count as not_answered."""
    base = pd.MultiIndex.from_product(
        [respondents["respondent_id"].astype(str), question_ids],
        names=["respondent_id", "question_id"],
    ).to_frame(index=False)
    st = stances[["respondent_id", "question_id", "stance", "reservations"]].copy()
    st = st.astype({"respondent_id": str, "question_id": str})
    out = base.merge(st.drop_duplicates(["respondent_id", "question_id"]), how="left")
    out["stance"] = out["stance"].fillna("not_answered").astype(str)
    out["reservations"] = out["reservations"].fillna(False).astype(bool)
    types = respondents.set_index(respondents["respondent_id"].astype(str))[
        "respondent_type"
    ].astype(str)
    out["respondent_type"] = out["respondent_id"].map(types)
    return out


def stance_distribution(
    stances: pd.DataFrame,
    respondents: pd.DataFrame,
    consultation: Consultation | None = None,
    by_type: bool = False,
) -> pd.DataFrame:
    """Stance counts per closed question, overall (and by respondent type).

    Long format, one row per (question_id, respondent_type, stance) with
    stance in schemas.STANCES order (including ``not_answered``):
    ``n``; ``percent`` of those in the group who answered (NaN for the
    not_answered row, which is outside the base); ``n_answered``;
    ``n_not_answered``. ``respondent_type`` is 'all' for overall rows.
    Questions are the consultation's closed questions (or those in ``stances``).
    """
    if consultation is not None:
        qids = [q.id for q in consultation.closed_questions]
    else:
        qids = list(dict.fromkeys(stances["question_id"].astype(str)))
    full = _complete_stances(stances, respondents, qids)
    groups: list[tuple[str, pd.DataFrame]] = [(ALL, full)]
    if by_type:
        groups += [
            (t, full[full["respondent_type"] == t]) for t in _type_order(full["respondent_type"])
        ]
    rows = []
    for qid in qids:
        for group, df in groups:
            sub = df[df["question_id"] == qid]
            counts = sub["stance"].value_counts()
            missing = int(counts.get("not_answered", 0))
            n = len(sub) - missing
            for s in STANCES:
                k = int(counts.get(s, 0))
                rows.append(
                    {
                        "question_id": qid,
                        "respondent_type": group,
                        "stance": s,
                        "stance_label": STANCE_LABELS[s],
                        "n": k,
                        "percent": float("nan") if s == "not_answered" else _pct(k, n),
                        "n_answered": n,
                        "n_not_answered": missing,
                    }
                )
    cols = [
        "question_id",
        "respondent_type",
        "stance",
        "stance_label",
        "n",
        "percent",
        "n_answered",
        "n_not_answered",
    ]
    return pd.DataFrame(rows, columns=cols).astype(
        {"n": "int64", "n_answered": "int64", "n_not_answered": "int64", "percent": "float64"}
    )


def stance_table(distribution: pd.DataFrame, question_id: str) -> pd.DataFrame:
    """A readable wide table for one question from stance_distribution().

    Rows: groups (overall first, labelled 'All respondents'); columns: each
    answered stance as 'count (percent)', then 'n' (answered) and 'No answer'.
    """
    sub = distribution[distribution["question_id"] == question_id]
    rows = []
    for group, g in sub.groupby("respondent_type", sort=False):
        row = {"Group": "All respondents" if group == ALL else type_label(group)}
        for r in g.itertuples(index=False):
            if r.stance == "not_answered":
                continue
            # Same rounding as the narrative (half up), so table and text never disagree.
            row[r.stance_label] = (
                f"{r.n} ({format_percent(r.n, r.n_answered)})" if r.n_answered else "0"
            )
        row["n"] = int(g["n_answered"].iloc[0])
        row["No answer"] = int(g["n_not_answered"].iloc[0])
        rows.append(row)
    return pd.DataFrame(rows)


def stance_details(
    stances: pd.DataFrame, respondents: pd.DataFrame, question_id: str
) -> pd.DataFrame:
    """Per respondent for one closed question: attribution, stance, reservations, conflict, evidence.

    Sorted by stance scale order then attribution; used for naming stance groups
    and listing tick-box/text conflicts for a researcher to check.
    """
    names = attributions(respondents)
    sub = stances[stances["question_id"] == question_id].copy()
    sub["attribution"] = sub["respondent_id"].astype(str).map(names)
    sub["order"] = sub["stance"].map({s: i for i, s in enumerate(STANCES)})
    sub = sub.sort_values(["order", "attribution"]).drop(columns="order")
    cols = [
        "respondent_id",
        "attribution",
        "stance",
        "reservations",
        "conflict",
        "confidence",
        "evidence",
    ]
    return sub[[c for c in cols if c in sub.columns]].reset_index(drop=True)


# --------------------------------------------------------------------------- themes
def _applies(theme_questions: tuple, question_id: str) -> bool:
    # Works on theme_frame's ``questions`` column (frames and dicts have no Theme.applies_to).
    # Unlike Theme.applies_to, 'unstructured' is not treated as every question here.
    return not theme_questions or question_id in theme_questions


def theme_frequencies(
    codes: pd.DataFrame,
    answers: pd.DataFrame,
    codebook: Any,
    question_id: str | None = None,
    stances: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """How many respondents raised each theme, most frequent first.

    With ``question_id``: of respondents who answered that question (themes
    whose ``questions`` list excludes it are left out). Without: across all
    questions, of all respondents with any answer. Columns: theme_id, label,
    parent, n_respondents, percent, mentions, base (respondents in the
    denominator). Ties keep codebook order, so output is deterministic.
    """
    themes = theme_frame(codebook)
    r = raised(codes)
    got = answered(answers, stances)
    if question_id is not None:
        r = r[r["question_id"] == question_id]
        base = got.loc[got["question_id"] == question_id, "respondent_id"].nunique()
        themes = themes[[_applies(q, question_id) for q in themes["questions"]]]
    else:
        base = got["respondent_id"].nunique()
    # Someone coded in a question counts as answering it even if segmentation disagrees.
    base = max(base, r["respondent_id"].nunique())
    per = r.groupby("theme_id").agg(
        n_respondents=("respondent_id", "nunique"), mentions=("mentions", "sum")
    )
    df = themes[["id", "label", "parent"]].rename(columns={"id": "theme_id"}).copy()
    df["order"] = range(len(df))
    df["n_respondents"] = df["theme_id"].map(per["n_respondents"]).fillna(0).astype("int64")
    df["mentions"] = df["theme_id"].map(per["mentions"]).fillna(0).astype("int64")
    df["base"] = int(base)
    df["percent"] = [_pct(k, base) for k in df["n_respondents"]]
    unknown = sorted(set(per.index) - set(themes["id"]))
    if unknown:
        log.warning("codes name theme(s) not in the codebook, left out of the table: %s", unknown)
    df = df.sort_values(["n_respondents", "mentions", "order"], ascending=[False, False, True])
    cols = ["theme_id", "label", "parent", "n_respondents", "percent", "mentions", "base"]
    return df[cols].reset_index(drop=True)


def theme_by_type(
    codes: pd.DataFrame,
    respondents: pd.DataFrame,
    codebook: Any,
    question_id: str | None = None,
    answers: pd.DataFrame | None = None,
    percent: bool = False,
) -> pd.DataFrame:
    """Theme × respondent type: respondents of each type raising each theme.

    Index: theme_id (codebook order); columns: respondent types present (in
    schemas order), values are counts, or with ``percent=True`` the percentage
    of that type's respondents (who answered ``question_id`` when ``answers``
    is given). ``df.attrs['base']`` holds the base per type.
    """
    themes = theme_frame(codebook)
    r = raised(codes)
    if question_id is not None:
        r = r[r["question_id"] == question_id]
        themes = themes[[_applies(q, question_id) for q in themes["questions"]]]
    types = respondents.set_index(respondents["respondent_id"].astype(str))[
        "respondent_type"
    ].astype(str)
    order = _type_order(types)
    r = r.assign(respondent_type=r["respondent_id"].astype(str).map(types))
    counts = (
        r.groupby(["theme_id", "respondent_type"])["respondent_id"].nunique().unstack(fill_value=0)
        if not r.empty
        else pd.DataFrame()
    )
    counts = (
        counts.reindex(index=list(themes["id"]), columns=order, fill_value=0)
        .fillna(0)
        .astype("int64")
    )
    counts.index.name = "theme_id"
    counts.columns.name = "respondent_type"
    if question_id is not None and answers is not None:
        ids = answered(answers).query("question_id == @question_id")["respondent_id"]
        ids = set(ids) | set(r["respondent_id"])
        base = types[types.index.isin(ids)].value_counts()
    else:
        base = types.value_counts()
    base = base.reindex(order, fill_value=0).astype("int64")
    if percent:
        counts = (100.0 * counts / base.where(base > 0)).astype("float64")
    counts.attrs["base"] = base.to_dict()
    return counts


def cooccurrence(
    codes: pd.DataFrame, codebook: Any, question_id: str | None = None
) -> pd.DataFrame:
    """Theme × theme: respondents in whom both themes occur in the same question.

    The diagonal is the number of respondents raising the theme at all (in the
    question, or in any question). Index and columns are codebook theme ids.
    """
    themes = list(theme_frame(codebook)["id"])
    r = raised(codes)
    if question_id is not None:
        r = r[r["question_id"] == question_id]
    r = r[r["theme_id"].isin(themes)]
    pairs: dict[tuple[str, str], set[str]] = {}
    for (rid, _qid), g in r.groupby(["respondent_id", "question_id"]):
        ts = sorted(set(g["theme_id"]))
        for a in ts:
            for b in ts:
                pairs.setdefault((a, b), set()).add(rid)
    m = pd.DataFrame(0, index=themes, columns=themes, dtype="int64")
    for (a, b), who in pairs.items():
        m.loc[a, b] = len(who)
    m.index.name = "theme_id"
    return m


def respondent_theme_matrix(
    codes: pd.DataFrame,
    respondents: pd.DataFrame,
    codebook: Any,
    question_id: str | None = None,
) -> pd.DataFrame:
    """Respondent × theme: 1 when the respondent raised the theme (in the question, or anywhere).

    Index: respondent_id (sorted); first columns attribution and respondent_type,
    then one int column per codebook theme in codebook order.
    """
    themes = list(theme_frame(codebook)["id"])
    r = raised(codes)
    if question_id is not None:
        r = r[r["question_id"] == question_id]
    ids = sorted(respondents["respondent_id"].astype(str))
    m = pd.DataFrame(0, index=pd.Index(ids, name="respondent_id"), columns=themes, dtype="int64")
    for rid, tid in zip(r["respondent_id"].astype(str), r["theme_id"].astype(str), strict=True):
        if tid in m.columns and rid in m.index:
            m.loc[rid, tid] = 1
    meta = respondents.set_index(respondents["respondent_id"].astype(str))
    m.insert(0, "respondent_type", meta["respondent_type"].reindex(ids).astype("string"))
    m.insert(0, "attribution", attributions(respondents).reindex(ids))
    return m


# --------------------------------------------------------------------------- quotes
def representative_quotes(
    codes: pd.DataFrame,
    respondents: pd.DataFrame,
    theme_id: str,
    question_id: str | None = None,
    n: int = 2,
    min_chars: int = 60,
    max_chars: int = 320,
    target_chars: int = 160,
) -> pd.DataFrame:
    """Up to ``n`` quotes illustrating a theme, chosen by a deterministic rule.

    Candidates are the non-negated evidence sentences for the theme (in the
    question, if given). Each respondent contributes at most one quote until
    every respondent has one, so quotes come from different respondents.
    Within a respondent, and then across respondents, sentences of moderate
    length (``min_chars``..``max_chars``) are preferred, closest to
    ``target_chars`` first; ties break on respondent id and position. Quotes are
    the exact evidence text (never trimmed), so they can be traced to the source.

    Columns: respondent_id, question_id, attribution, quote, start, end.
    """
    cols = ["respondent_id", "question_id", "attribution", "quote", "start", "end"]
    if codes.empty:
        return pd.DataFrame(columns=cols)
    c = counted_codes(codes)
    c = c[c["theme_id"] == theme_id]
    if question_id is not None:
        c = c[c["question_id"] == question_id]
    c = c[c["quote"].fillna("").astype(str).str.strip() != ""]
    c = c.drop_duplicates(["respondent_id", "start", "end"]).copy()
    if c.empty:
        return pd.DataFrame(columns=cols)
    length = c["quote"].astype(str).str.strip().str.len()
    c["out_of_range"] = ~length.between(min_chars, max_chars)
    c["distance"] = (length - target_chars).abs()
    c = c.sort_values(["out_of_range", "distance", "respondent_id", "start"])
    # Rank each respondent's candidates, then take everyone's best before anyone's second.
    c["rank"] = c.groupby("respondent_id").cumcount()
    c = c.sort_values(["rank", "out_of_range", "distance", "respondent_id", "start"]).head(n)
    c["attribution"] = c["respondent_id"].astype(str).map(attributions(respondents))
    c["quote"] = c["quote"].astype(str).str.strip()
    return c[cols].reset_index(drop=True)


# --------------------------------------------------------------------------- bundles
def theme_labels(codebook: Any) -> dict[str, str]:
    """theme id -> label."""
    t = theme_frame(codebook)
    return dict(zip(t["id"], t["label"], strict=True))


def coded_questions(inputs: AnalysisInputs) -> list[str]:
    """Questions whose answers are reported with themes: open questions, then any
    other question (closed, unstructured…) in which some theme was coded."""
    qids = [q.id for q in inputs.consultation.open_questions]
    in_codes = set(raised(inputs.codes)["question_id"])
    extra = [q.id for q in inputs.consultation.questions if q.id in in_codes and q.id not in qids]
    specials = sorted(in_codes - set(inputs.consultation.question_ids))
    return [q for q in inputs.consultation.question_ids if q in set(qids) | set(extra)] + specials


def analysis_tables(inputs: AnalysisInputs) -> dict[str, pd.DataFrame]:
    """Every analysis table, keyed by a short name (used for CSV file and sheet names)."""
    r, a, c, s, cb = inputs.frames()
    cons = inputs.consultation
    labels = theme_labels(cb)
    tables: dict[str, pd.DataFrame] = {
        "respondent_profile": respondent_profile(r),
        "question_counts": question_counts(r, a, cons, s),
        "questions_answered": questions_answered(r, a, cons, s),
        "stance_distribution": stance_distribution(s, r, cons, by_type=True),
        "theme_frequencies": theme_frequencies(c, a, cb, stances=s).assign(question_id=ALL),
    }
    per_q = [
        theme_frequencies(c, a, cb, q, s).assign(question_id=q) for q in coded_questions(inputs)
    ]
    if per_q:
        tables["theme_frequencies"] = pd.concat(
            [tables["theme_frequencies"], *per_q], ignore_index=True
        )
    by_type = theme_by_type(c, r, cb)
    by_type.insert(0, "label", by_type.index.map(labels))
    tables["theme_by_type"] = by_type.reset_index()
    co = cooccurrence(c, cb)
    tables["cooccurrence"] = (
        co.rename(index=labels, columns=labels).rename_axis("theme").reset_index()
    )
    tables["respondent_theme_matrix"] = respondent_theme_matrix(c, r, cb).reset_index()
    tables["uncoded"] = inputs.uncoded.assign(
        attribution=inputs.uncoded["respondent_id"].astype(str).map(attributions(r))
    )
    return tables


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | Path) -> list[Path]:
    """Write each table as ``tables/<name>.csv`` and all of them to ``tables.xlsx`` (a sheet each).

    Returns the paths written. Sheet names are cut to Excel's 31-character limit.
    """
    out_dir = Path(out_dir)
    tdir = out_dir / "tables"
    tdir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in tables.items():
        path = tdir / f"{name}.csv"
        df.to_csv(path, index=False, encoding="utf-8")
        written.append(path)
    xlsx = out_dir / "tables.xlsx"
    with pd.ExcelWriter(xlsx, engine="openpyxl") as xw:
        for name, df in tables.items():
            # Excel has no nullable dtypes: write plain objects so NA cells are blank.
            df.astype(object).where(df.notna(), None).to_excel(
                xw, sheet_name=name[:31], index=False
            )
            # openpyxl reads any string starting with '=' as a formula; no table holds a
            # formula, and respondents' words (uncoded answers, names) must stay text.
            for row in xw.sheets[name[:31]].iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        cell.data_type = "s"
    written.append(xlsx)
    log.info("wrote %d tables to %s and %s", len(tables), tdir, xlsx)
    return written
