"""The scores of one set, and the segmentation scores of one respondent against gold.

Definitions (docs/evaluation.md has them with examples):

- **answers under the right question (recall)**: a gold answer with a
  substantive, non-empty text counts as found when at least 90% of its
  characters (skeleton characters, see ``locate``) lie in system answer rows
  with the same question id.
- **segmentation precision**: a system answer row with a consultation
  question id (not preamble, closing or unstructured), marked substantive
  (when the answers table says so), and some text besides tick-box option
  lines counts as right when at least 90% of that text lies inside the gold
  answer to the same question. Rows for questions whose gold answer is a
  non-answer are not counted.
- **non-answers**: over gold answers with text, "non-answer" is the positive
  class; the system's call is the ``substantive`` flag of the row holding most
  of the gold answer's text, whatever question that row is under (a misplaced
  answer is a segmentation error, not a non-answer error). Gold answers not
  found in any row are left out. Needs the answers table's ``substantive``
  column; without it the score is n/a.

Each failure is kept as an :class:`Error` with the respondent, the question
and what went wrong, for ``evaluate --verbose``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from helpers.validate.devsets.goldview import GoldResponse
from helpers.validate.devsets.locate import (
    Located,
    Skeleton,
    furniture_ranges,
    locate,
    overlap,
    size,
    subtract,
)

__all__ = [
    "BINS",
    "COVERAGE",
    "Bin",
    "Counts",
    "Error",
    "PR",
    "Scores",
    "StanceScores",
    "score_segmentation",
]

COVERAGE = 0.9  # share of characters that must match
# Calibration bins of stated stance confidence: [lo, hi), the last one closed at 1.0.
BINS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 1.0))


@dataclass
class Counts:
    hit: int = 0
    n: int = 0

    @property
    def rate(self) -> float | None:
        return self.hit / self.n if self.n else None


@dataclass
class PR:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass(frozen=True)
class Error:
    response: str
    question: str | None
    metric: str
    message: str


@dataclass
class Bin:
    lo: float
    hi: float
    n: int = 0
    confidence: float = 0.0  # sum of stated confidence
    hit: int = 0  # acceptable

    @property
    def mean_confidence(self) -> float | None:
        return self.confidence / self.n if self.n else None

    @property
    def accuracy(self) -> float | None:
        return self.hit / self.n if self.n else None


@dataclass
class StanceScores:
    """The stance scores of one set (``stancescore`` defines them); None: not measured."""

    exact: Counts = field(default_factory=Counts)
    acceptable: Counts = field(default_factory=Counts)
    direction: Counts = field(default_factory=Counts)
    tick: Counts = field(default_factory=Counts)
    confusion: Counter = field(default_factory=Counter)  # (gold, system) -> n
    calibration: list[Bin] = field(default_factory=lambda: [Bin(lo, hi) for lo, hi in BINS])
    reservations: PR | None = None
    evidence: Counts | None = None
    by_tag: dict[str, Counts] = field(default_factory=dict)


@dataclass
class Scores:
    """Everything ``evaluate`` prints for one set; None means "not measured here"."""

    name: str
    split: str
    n_responses: int = 0
    files: Counts = field(default_factory=Counts)
    recall: Counts = field(default_factory=Counts)
    precision: Counts = field(default_factory=Counts)
    non_answers: PR | None = None
    types: Counts = field(default_factory=Counts)
    type_errors: Counter = field(default_factory=Counter)
    campaigns: PR | None = None
    rows: Counts | None = None
    empty_rows: Counts | None = None
    stance: Counts | None = None  # exact accuracy (the same as stance_scores.exact)
    stance_scores: StanceScores | None = None
    themes: PR | None = None
    attributes: Counts | None = None
    recall_by_format: dict[str, Counts] = field(default_factory=dict)
    method_scores: list = field(default_factory=list)  # themescore.MethodScore per kind and method
    errors: list[Error] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _snippet(text: str, n: int = 50) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= n else text[: n - 1] + "…")


def _where(
    target: list[tuple[int, int]], by_q: dict[str, list[tuple[int, int]]], skip: str
) -> str | None:
    """The other question whose ranges hold most of ``target``, with its share."""
    total = size(target)
    best = max(
        ((q, overlap(target, r)) for q, r in by_q.items() if q != skip),
        key=lambda x: x[1],
        default=(None, 0),
    )
    if best[0] is None or not best[1] or not total:
        return None
    return f"{best[1] / total:.0%} under {best[0]}"


def _substantive(rows: pd.DataFrame) -> list[bool] | None:
    """The answers table's ``substantive`` flags (missing → True), or None without the column."""
    if "substantive" not in rows.columns:
        return None
    return [True if pd.isna(v) else bool(v) for v in rows["substantive"]]


def _locate_all(gold: GoldResponse, doc: Skeleton) -> dict[str, Located]:
    located: dict[str, Located] = {}
    after = 0
    for a in gold.answers:
        if not a.text.strip():
            continue
        loc = locate(a.text, doc, after)
        located[a.question] = loc
        if loc.range is not None:
            after = loc.range[1]
    return located


def score_segmentation(
    gold: GoldResponse,
    text: str,
    rows: pd.DataFrame,
    question_ids: set[str],
    scores: Scores,
) -> None:
    """Add one respondent's recall, precision and non-answer counts (and errors) to ``scores``."""
    doc = Skeleton(text)
    located = _locate_all(gold, doc)
    subst = _substantive(rows)
    sys_by_q: dict[str, list[tuple[int, int]]] = {}
    for r in rows.itertuples(index=False):
        sys_by_q.setdefault(str(r.question_id), []).append(doc.range_of(int(r.start), int(r.end)))
    gold_by_q = {q: [loc.range] for q, loc in located.items() if loc.range is not None}
    name = gold.name
    fmt = scores.recall_by_format.setdefault(gold.file.rsplit(".", 1)[-1].lower(), Counts())

    for a in gold.answers:  # recall
        if not a.substantive or not a.text.strip():
            continue
        scores.recall.n += 1
        fmt.n += 1
        loc = located[a.question]
        if loc.range is None:
            scores.errors.append(
                Error(
                    name,
                    a.question,
                    "recall",
                    f"answer text {_snippet(a.text)} not found in the text read",
                )
            )
            continue
        target = [loc.range]
        cov = overlap(target, sys_by_q.get(a.question, [])) / size(target)
        if cov >= COVERAGE:
            scores.recall.hit += 1
            fmt.hit += 1
            continue
        where = _where(target, sys_by_q, a.question) or "the rest in no answer row"
        head = f"heading {a.heading!r}: " if a.heading else ""
        scores.errors.append(
            Error(name, a.question, "recall", f"{head}{cov:.0%} under {a.question}; {where}")
        )

    gold_non = {a.question for a in gold.answers if not a.substantive}
    for i, r in enumerate(rows.itertuples(index=False)):  # precision
        q = str(r.question_id)
        if q not in question_ids or q in gold_non or (subst is not None and not subst[i]):
            continue
        start, end = int(r.start), int(r.end)
        body = subtract([doc.range_of(start, end)], furniture_ranges(doc, start, end))
        if not size(body):
            continue
        scores.precision.n += 1
        inside = overlap(body, gold_by_q.get(q, [])) / size(body)
        if inside >= COVERAGE:
            scores.precision.hit += 1
            continue
        where = _where(body, gold_by_q, q) or "the rest outside every gold answer"
        if q not in gold_by_q:
            msg = f"system row {_snippet(text[start:end])}: gold has no {q} answer; {where}"
        else:
            msg = f"system row {_snippet(text[start:end])}: {inside:.0%} inside gold {q}; {where}"
        scores.errors.append(Error(name, q, "precision", msg))

    if subst is None:
        return
    if scores.non_answers is None:
        scores.non_answers = PR()
    # Non-answers are judged on the row that holds the gold answer, wherever it was
    # segmented to: a misplaced answer is a segmentation error, counted above, not here.
    sys_ranges = [doc.range_of(int(r.start), int(r.end)) for r in rows.itertuples(index=False)]
    for a in gold.answers:  # non-answers: positive class = non-answer
        loc = located.get(a.question)
        if not a.text.strip() or loc is None or loc.range is None:
            continue
        cover = [overlap([loc.range], [rng]) for rng in sys_ranges]
        if not cover or max(cover) == 0:
            continue
        best = max(range(len(cover)), key=cover.__getitem__)
        sys_non = not subst[best]
        gold_is_non = not a.substantive
        pr = scores.non_answers
        if sys_non and gold_is_non:
            pr.tp += 1
        elif sys_non:
            pr.fp += 1
            scores.errors.append(
                Error(name, a.question, "non-answer", f"{_snippet(a.text)} taken as a non-answer")
            )
        elif gold_is_non:
            pr.fn += 1
            scores.errors.append(
                Error(name, a.question, "non-answer", f"{_snippet(a.text)} kept as substantive")
            )
