"""Stance scores: exact, acceptable, direction and tick-box accuracy, confusion and calibration.

One :class:`StanceCase` is a gold stance beside the system's row of the
``stances`` table (no row: ``not_answered``). Document and survey sets make
their cases from gold.yaml (``scoring``), stance item sets from their items
(``itemeval``); both are scored here the same way:

- **exact**: the system stance equals the gold stance;
- **acceptable**: it equals the gold stance or one in ``stance_ok`` (stances a
  careful coder could defend);
- **direction**: its class (agree = strongly_agree/agree; neutral =
  neither/dont_know; disagree = disagree/strongly_disagree; none =
  not_answered) is the class of the gold stance or of a ``stance_ok`` one, so
  exact <= acceptable <= direction always holds;
- **tick-box**: over cases with a gold tick, the system stance equals the tick
  (a ticked box wins);
- **confusion**: counts of (gold, system) stances;
- **calibration**: the rows' stated ``confidence`` in bins (``metrics.BINS``): how many,
  the mean stated confidence, the observed acceptable accuracy; a calibrated
  engine's two numbers are close;
- **reservations** (item sets): precision/recall of the system's
  ``reservations`` flag against gold, the flag being the positive class;
- **evidence** (item sets): among cases with a gold evidence substring and a
  system evidence span, the share whose spans overlap (in skeleton
  characters, ``locate``, so quotes and spacing do not matter);
- **by tag** (item sets): acceptable accuracy per phenomenon tag.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.core import schemas
from helpers.validate.devsets.locate import Skeleton, locate, overlap
from helpers.validate.devsets.metrics import PR, Bin, Counts, Error, Scores, StanceScores

__all__ = [
    "DIRECTION",
    "StanceCase",
    "StanceScores",
    "add_stance_scores",
    "format_calibration",
    "format_confusion",
    "direction",
    "score_stances",
    "stance_json",
    "system_rows",
    "worst_tags",
]

DIRECTION = {
    "strongly_agree": "agree",
    "agree": "agree",
    "neither": "neutral",
    "dont_know": "neutral",
    "disagree": "disagree",
    "strongly_disagree": "disagree",
    "not_answered": "none",
}


def direction(stance: str) -> str:
    """The direction class of a stance (``DIRECTION``); an unknown label is its own class."""
    return DIRECTION.get(stance, stance)


@dataclass(frozen=True)
class StanceCase:
    """One gold stance and what the system said (``row``: its stances-table row, or None)."""

    name: str  # the response or item, for the error listing
    question: str
    gold: str
    row: dict | None
    stance_ok: tuple[str, ...] = ()
    tick: str | None = None
    reservations: bool | None = None  # gold; None: not labelled
    evidence: str | None = None  # gold evidence substring of ``text``
    text: str | None = None  # the text the system's offsets point into
    tags: tuple[str, ...] = ()

    @property
    def system(self) -> str:
        return str(self.row["stance"]) if self.row else "not_answered"


def system_rows(stances: pd.DataFrame) -> dict[tuple[str, str], dict]:
    """The stances table as {(respondent_id, question_id): row as a dict}."""
    rows = stances.to_dict("records")
    return {(str(r["respondent_id"]), str(r["question_id"])): r for r in rows}


def _value(row: dict | None, key: str):
    """A row's value, None when the row or the column is missing or the value is null."""
    if not row or key not in row:
        return None
    value = row[key]
    return (
        None
        if value is None or value is pd.NA or (isinstance(value, float) and value != value)
        else value
    )


def _bin(bins: list[Bin], confidence: float) -> Bin:
    for b in bins:
        if b.lo <= confidence < b.hi:
            return b
    return bins[-1]  # 1.0 (and anything above) closes the last bin


def _evidence_hit(case: StanceCase) -> bool | None:
    """Whether the system's evidence span overlaps the gold evidence; None when either is missing."""
    start, end = _value(case.row, "start"), _value(case.row, "end")
    if not case.evidence or not case.text or start is None or end is None:
        return None
    doc = Skeleton(case.text)
    found = locate(case.evidence, doc)
    if found.range is None:
        return None
    return overlap([found.range], [doc.range_of(int(start), int(end))]) > 0


def score_stances(cases: list[StanceCase]) -> tuple[StanceScores, list[tuple[StanceCase, str]]]:
    """Every stance score over ``cases``, and the wrong ones with a message each."""
    out = StanceScores()
    wrong: list[tuple[StanceCase, str]] = []
    for c in cases:
        system = c.system
        ok = {c.gold, *c.stance_ok}
        exact, acceptable = system == c.gold, system in ok
        out.exact.n += 1
        out.exact.hit += exact
        out.acceptable.n += 1
        out.acceptable.hit += acceptable
        out.direction.n += 1
        out.direction.hit += direction(system) in {direction(s) for s in ok}
        out.confusion[(c.gold, system)] += 1
        if c.tick:
            out.tick.n += 1
            out.tick.hit += system == c.tick
        confidence = _value(c.row, "confidence")
        if confidence is not None:
            b = _bin(out.calibration, float(confidence))
            b.n += 1
            b.confidence += float(confidence)
            b.hit += acceptable
        for tag in c.tags:
            counts = out.by_tag.setdefault(tag, Counts())
            counts.n += 1
            counts.hit += acceptable
        if c.reservations is not None:
            out.reservations = out.reservations or PR()
            said = bool(_value(c.row, "reservations") or False)
            out.reservations.tp += said and c.reservations
            out.reservations.fp += said and not c.reservations
            out.reservations.fn += c.reservations and not said
            if said != c.reservations:
                wrong.append((c, f"reservations: gold {c.reservations}, system {said}"))
        hit = _evidence_hit(c)
        if hit is not None:
            out.evidence = out.evidence or Counts()
            out.evidence.n += 1
            out.evidence.hit += hit
            if not hit:
                quote = _value(c.row, "evidence")
                wrong.append((c, f"evidence: gold {c.evidence!r}, system {quote!r}"))
        if not exact:
            kind = "acceptable" if acceptable else "wrong"
            conf = "" if confidence is None else f", confidence {float(confidence):.2f}"
            wrong.append((c, f"gold {c.gold}, system {system} ({kind}{conf})"))
    return out, wrong


def add_stance_scores(cases: list[StanceCase], scores: Scores) -> None:
    """Score ``cases`` into ``scores`` (``stance`` = exact, ``stance_scores``) with their errors."""
    result, wrong = score_stances(cases)
    scores.stance = result.exact
    scores.stance_scores = result
    for case, message in wrong:
        scores.errors.append(Error(case.name, case.question, "stance", message))


def stance_json(s: StanceScores) -> dict:
    """``s`` as JSON-ready data: rates computed, the confusion as a list of gold/system/n."""

    def counts(c: Counts | None) -> dict | None:
        return None if c is None else {"hit": c.hit, "n": c.n, "rate": c.rate}

    data: dict = {k: counts(getattr(s, k)) for k in ("exact", "acceptable", "direction", "tick")}
    data["evidence"] = counts(s.evidence)
    data["confusion"] = [
        {"gold": g, "system": y, "n": n} for (g, y), n in sorted(s.confusion.items())
    ]
    data["calibration"] = [
        {"lo": b.lo, "hi": b.hi, "n": b.n, "mean_confidence": b.mean_confidence,
         "accuracy": b.accuracy}
        for b in s.calibration
    ]  # fmt: skip
    r = s.reservations
    data["reservations"] = (
        None
        if r is None
        else {"tp": r.tp, "fp": r.fp, "fn": r.fn, "precision": r.precision, "recall": r.recall}
    )
    data["by_tag"] = {t: counts(c) for t, c in sorted(s.by_tag.items())}
    return data


ABBREV = {
    "strongly_agree": "SA",
    "agree": "A",
    "neither": "N",
    "disagree": "D",
    "strongly_disagree": "SD",
    "dont_know": "DK",
    "not_answered": "NA",
}


def format_confusion(s: StanceScores) -> list[str]:
    """The confusion matrix: gold rows × system columns, the seven stances abbreviated."""
    labels = list(schemas.STANCES)
    extra = sorted({x for pair in s.confusion for x in pair} - set(labels))
    labels += extra
    head = "gold\\sys " + " ".join(f"{ABBREV.get(x, x):>4}" for x in labels)
    lines = [head]
    for g in labels:
        counts = [s.confusion.get((g, y), 0) for y in labels]
        if not any(counts):
            continue
        cells = " ".join(f"{n:>4}" if n else "   ." for n in counts)
        lines.append(f"{ABBREV.get(g, g):<8} {cells}")
    return lines


def format_calibration(s: StanceScores) -> list[str]:
    """One line per confidence bin: n, mean stated confidence, observed acceptable accuracy."""
    lines = []
    for b in s.calibration:
        close = "]" if b.hi >= 1.0 else ")"
        if not b.n:
            lines.append(f"[{b.lo:.2f},{b.hi:.2f}{close}  n 0")
            continue
        lines.append(
            f"[{b.lo:.2f},{b.hi:.2f}{close}  n {b.n}  stated {b.mean_confidence:.2f}"
            f"  observed {b.accuracy:.2f}"
        )
    return lines


def worst_tags(s: StanceScores, n: int = 5) -> str:
    """The ``n`` tags with the lowest acceptable accuracy: ``contrast 3/5, idiom 4/6``."""
    tags = sorted(s.by_tag.items(), key=lambda kv: (kv[1].rate, -kv[1].n, kv[0]))
    return ", ".join(f"{t} {c.hit}/{c.n}" for t, c in tags[:n] if c.hit < c.n) or "-"
