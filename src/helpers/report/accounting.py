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
    """'3 files received: 2 read, 1 failed and none skipped; …; 17 respondents, of whom …'."""
    received = [p for p in (_files(acc), _rows(acc)) if p]
    text = "; ".join(received)
    who = f"{nv.count_noun(acc.respondents, 'respondent')} in this report"
    extra = []
    if acc.empty_respondents:
        extra.append(
            f"{nv.number_word(acc.empty_respondents)} wrote nothing and ticked nothing (empty)"
        )
    if acc.no_substantive_respondents:
        extra.append(
            f"{nv.number_word(acc.no_substantive_respondents)} gave no substantive answer "
            "to any question"
        )
    if extra:
        who += f", of whom {nv.join_list(extra)}"
    text = f"{text}; {who}" if text else who
    if acc.non_substantive_answers:
        n = acc.non_substantive_answers
        text += (
            f". {nv.capitalise(nv.count_noun(n, 'answer'))} said only 'No comment', 'N/A' or "
            f"similar: {nv.verb(n, 'it is', 'they are')} shown as 'no substantive answer' and "
            "not counted as answering"
        )
    return nv.capitalise(text) + "."


def _named(items: list[tuple[str, str]], limit: int | None = None) -> list[dict[str, str]]:
    shown = items if limit is None else items[:limit]
    return [{"file": f, "reason": r} for f, r in shown]


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
            "items": _named(failed, MAX_LISTED),
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
