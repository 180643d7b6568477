"""What the report says about its inputs: received, read, failed, skipped, empty, non-substantive.

The counts come from ``analysis.input_accounting`` (``ingest_log`` and the
tables). The first page carries one sentence of them and, when any input
failed, a warning box naming each failed file (or survey row) and why, so a
reader cannot miss that the report is incomplete; the Method section repeats
the counts and lists the failed and skipped inputs in full.

File names and reasons come from the input folder, which is untrusted: they
reach the page as plain strings and are escaped by the templates.
"""

from __future__ import annotations

from typing import Any

from helpers.analysis import Accounting
from helpers.report import narrative as nv

MAX_LISTED = 20  # inputs named on the first page; the Method section names them all


def _files(acc: Accounting) -> str | None:
    if not acc.files_received:
        return None
    parts = [f"{nv.number_word(acc.files_read, 'none')} read"]
    parts.append(f"{nv.number_word(len(acc.files_failed), 'none')} failed")
    parts.append(f"{nv.number_word(len(acc.files_skipped), 'none')} skipped")
    return f"{nv.count_noun(acc.files_received, 'file')} received: {nv.join_list(parts)}"


def _rows(acc: Accounting) -> str | None:
    if not acc.rows_received:
        return None
    parts = [f"{nv.number_word(acc.rows_read, 'none')} read"]
    if acc.rows_failed:
        parts.append(f"{nv.number_word(len(acc.rows_failed))} failed")
    if acc.rows_skipped:
        parts.append(f"{nv.number_word(len(acc.rows_skipped))} skipped")
    return f"{nv.count_noun(acc.rows_received, 'survey row')} received: {nv.join_list(parts)}"


def counts_sentence(acc: Accounting) -> str:
    """Files and survey rows received, read, failed and skipped; respondents, empty ones and
    those with only non-answers; non-substantive answers. Zeros are stated too."""
    received = "; ".join(p for p in (_files(acc), _rows(acc)) if p)
    n = acc.respondents
    who = (
        f"{nv.capitalise(nv.count_noun(n, 'respondent'))} in this report: "
        f"{nv.number_word(acc.empty_respondents, 'none')} empty (nothing written or ticked) and "
        f"{nv.number_word(acc.no_substantive_respondents, 'none')} with no substantive answer "
        "to any question."
    )
    k = acc.non_substantive_answers
    said = (
        f"{nv.capitalise(nv.count_noun(k, 'answer'))} said only 'No comment', 'N/A' or similar: "
        f"{nv.verb(k, 'it is', 'they are')} shown as 'no substantive answer' and not counted "
        "as answering."
        if k
        else "No answer was only 'No comment', 'N/A' or similar."
    )
    parts = [f"{nv.capitalise(received)}." if received else "", who, said]
    return " ".join(p for p in parts if p)


def _named(items: list[tuple[str, str]], limit: int | None = None) -> list[dict[str, str]]:
    """(file, reason) pairs for the templates; a reason's leading "file: " is not repeated."""
    shown = items if limit is None else items[:limit]
    return [{"file": f, "reason": r.removeprefix(f"{f}: ")} for f, r in shown]


def first_page(acc: Accounting) -> dict[str, Any]:
    """The inputs sentence and, when any input failed, the warning box's data."""
    failed = acc.failed
    warning = None
    if failed:
        n_files, n_rows = len(acc.files_failed), len(acc.rows_failed)
        what = nv.join_list(
            p
            for p in (
                nv.count_noun(n_files, "file") if n_files else "",
                nv.count_noun(n_rows, "survey row") if n_rows else "",
            )
            if p
        )
        warning = {
            "heading": "Some inputs could not be read",
            "summary": (
                f"{nv.capitalise(what)} could not be read, so {nv.verb(len(failed), 'it is', 'they are')} "
                "not in this report. Fix or replace each one and run the analysis again."
            ),
            "listed": _named(failed, MAX_LISTED),
            "more": (
                f"… and {nv.number_word(len(failed) - MAX_LISTED)} more, listed in the Method section."
                if len(failed) > MAX_LISTED
                else None
            ),
        }
    return {"counts": counts_sentence(acc), "warning": warning}


def method_part(acc: Accounting) -> dict[str, Any]:
    """The Method section's accounting: the counts and every failed and skipped input."""
    metadata = (
        f"The respondent metadata file ({nv.join_list(acc.metadata_files)}) was read for "
        "respondents' details; it is not a response."
        if acc.metadata_files
        else None
    )
    return {
        "counts": counts_sentence(acc),
        "failed": _named(acc.failed),
        "skipped": _named(acc.files_skipped + acc.rows_skipped),
        "metadata": metadata,
    }
