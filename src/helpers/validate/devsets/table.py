"""The scores as text: one column per set, one row per metric, and the error listing.

Each cell shows the count behind the rate (``40/45 88.9%``; precision and
recall as ``P 0.93 R 0.88``), because on sets of a few dozen answers one
error moves a rate by several points, and the count says how much to trust it.
"""

from __future__ import annotations

from itertools import groupby

from helpers.validate.devsets.metrics import PR, Counts, Error, Scores
from helpers.validate.devsets.stancescore import format_calibration, format_confusion, worst_tags

__all__ = ["format_errors", "format_stance", "format_table"]

NA = "n/a"


def _counts(c: Counts | None) -> str:
    if c is None or not c.n:
        return NA
    return f"{c.hit}/{c.n} {100 * c.hit / c.n:.1f}%"


def _pr(pr: PR | None) -> str:
    if pr is None:
        return NA

    def f(x: float | None) -> str:
        return "-" if x is None else f"{x:.2f}"

    return f"P {f(pr.precision)} R {f(pr.recall)} ({pr.tp}/{pr.fp}/{pr.fn})"


def _type_errors(s: Scores) -> str:
    if not s.type_errors:
        return "-"
    return ", ".join(f"{g}→{y} ×{n}" for (g, y), n in s.type_errors.most_common(3))


def _stance(s: Scores, key: str) -> str:
    return _counts(getattr(s.stance_scores, key) if s.stance_scores else None)


ROWS = (
    ("responses (split)", lambda s: f"{s.n_responses} ({s.split})"),
    ("files read", lambda s: _counts(s.files)),
    ("answers under right q (R)", lambda s: _counts(s.recall)),
    ("segmentation precision", lambda s: _counts(s.precision)),
    ("non-answers (tp/fp/fn)", lambda s: _pr(s.non_answers)),
    ("respondent type", lambda s: _counts(s.types)),
    ("  type errors gold→system", _type_errors),
    ("campaign pairs (tp/fp/fn)", lambda s: _pr(s.campaigns)),
    ("survey rows read", lambda s: _counts(s.rows)),
    ("  empty rows kept", lambda s: _counts(s.empty_rows)),
    ("stance exact", lambda s: _stance(s, "exact")),
    ("stance acceptable", lambda s: _stance(s, "acceptable")),
    ("stance direction", lambda s: _stance(s, "direction")),
    ("tick-box", lambda s: _stance(s, "tick")),
    (
        "stance reservations",
        lambda s: _pr(s.stance_scores.reservations if s.stance_scores else None),
    ),
    ("stance evidence hit", lambda s: _stance(s, "evidence")),
    ("themes (tp/fp/fn)", lambda s: _pr(s.themes)),
    ("attributes", lambda s: _counts(s.attributes)),
    ("errors listed", lambda s: str(len(s.errors))),
)


def format_table(results: list[Scores]) -> str:
    """A fixed-width table: metrics down, sets across."""
    header = ["metric"] + [s.name for s in results]
    body = [[label] + [fn(s) for s in results] for label, fn in ROWS]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *body]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_stance(results: list[Scores], verbose: bool = False) -> str:
    """Below the table, per set with stance gold: the confusion matrix and the calibration.

    Item sets (which tag their items) add the tags with the lowest acceptable
    accuracy, and with ``verbose`` every tag.
    """
    out = []
    for s in results:
        st = s.stance_scores
        if st is None or not st.exact.n:
            continue
        out.append(f"\n-- stance: {s.name} ({s.split}), {st.exact.n} answers")
        out.extend(format_confusion(st))
        out.append("confidence (stated vs observed acceptable accuracy):")
        out.extend(f"  {line}" for line in format_calibration(st))
        if st.by_tag:
            out.append(f"worst tags (acceptable): {worst_tags(st)}")
            if verbose:
                for tag, c in sorted(st.by_tag.items()):
                    out.append(f"  {tag:<24} {_counts(c)}")
    return "\n".join(out)


def _order(error: Error) -> tuple:
    """Errors by file, then survey row as a number (``survey.csv#9`` before ``#10``)."""
    file, _, row = error.response.partition("#")
    return (file, int(row) if row.isdigit() else -1, error.response)


def format_errors(results: list[Scores]) -> str:
    """Every error, grouped by set and response: ``  [metric] question: message``."""
    out = []
    for s in results:
        out.append(f"\n== {s.name} ({s.split}): {len(s.errors)} errors")
        by_format = ", ".join(
            f"{f} {_counts(c)}" for f, c in sorted(s.recall_by_format.items()) if c.n
        )
        out.append(f"answers under the right question, by format: {by_format}")
        for response, errs in groupby(
            sorted(s.errors, key=lambda e: e.response), key=lambda e: e.response
        ):
            out.append(f"{response}")
            for e in errs:
                q = f"{e.question}: " if e.question else ""
                out.append(f"  [{e.metric}] {q}{e.message}")
    return "\n".join(out)
