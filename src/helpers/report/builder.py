"""The narrative consultation report: data prepared in Python, HTML from Jinja2 templates.

``build_report`` writes the whole report from the processed tables, the
consultation and the codebook; every number and sentence is computed, so the
same call on another consultation gives a correct report with no edits. The
structure follows UK government consultation analyses: contents (read from
the sections' own headings, :mod:`~helpers.report.contents`), summary of key
findings, introduction, method, respondent profile, a section per question
(stance results, main themes with representative quotes), and annexes.

The section modules (:mod:`~helpers.report.sections`,
:mod:`~helpers.report.method`, :mod:`~helpers.report.questions`,
:mod:`~helpers.report.tables`) turn the tables into plain data; the templates
in ``report/templates/`` turn that data into HTML with autoescaping on, so all
respondent text (and everything else taken from input files) is escaped before
it reaches the page: responses are untrusted.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from helpers import analysis
from helpers.analysis import AnalysisInputs
from helpers.core.attributes import RESPONDENT_TYPE
from helpers.core.redact import write_log
from helpers.report import accounting, method, questions, sections, templating
from helpers.report.contents import section_headings
from helpers.report.context import ReportContext, report_copies

log = logging.getLogger(__name__)

REPORT_TEMPLATE = "report.html.j2"


def build_report(
    inputs: AnalysisInputs,
    title: str | None = None,
    hand_coded: str | Path | None = None,
    output_dir: str | Path | None = None,
    report_date: dt.date | None = None,
    max_quotes: int = 2,
    agreement_summary: dict | None = None,
    templates_dir: str | Path | None = None,
    breakdowns: Sequence[str] | None = None,
) -> str:
    """The full report as an HTML fragment (a ``<div class="consultation-report">``).

    ``hand_coded``: path to a hand-coding file; if it exists, agreement is
    computed with ``validate.report_summary`` (or pass ``agreement_summary``
    directly). ``output_dir``: chart PNGs are drawn into ``output_dir/charts``
    (a temporary folder if None), or reused from there when ``write_charts`` drew
    them from the same data (notebook 03); they are embedded as data URIs either way.
    ``templates_dir``: a folder of the team's own templates (and CSS), searched
    before the package's (see docs/reporting.md). ``breakdowns``: the attributes
    each question section breaks its stances and themes down by (default:
    respondent_type alone, the standard report); ids the consultation does not
    declare raise ValueError.

    No personal data is printed: the respondent text the report can print is
    redacted first (``analysis.redact_inputs``: e-mail addresses, phone numbers,
    names… become ``[email]``, ``[phone]``, ``[name]``), what was replaced is
    logged in ``output_dir/redaction_log.csv`` (kind and place, never the value),
    and every printed value passes through the same rules (``templating``).
    """
    if output_dir is None:
        with tempfile.TemporaryDirectory() as tmp:
            return build_report(
                inputs,
                title,
                hand_coded,
                Path(tmp),
                report_date,
                max_quotes,
                agreement_summary,
                templates_dir,
                breakdowns,
            )
    if agreement_summary is None and hand_coded is not None and Path(hand_coded).exists():
        agreement_summary = method.load_agreement(inputs, hand_coded)
    elif hand_coded is not None and not Path(hand_coded).exists():
        log.warning("hand-coded sample %s not found: agreement not reported", hand_coded)

    chosen = tuple(dict.fromkeys(breakdowns or (RESPONDENT_TYPE,)))
    known = analysis.attribute_ids(inputs.consultation)
    unknown = [b for b in chosen if b not in known]
    if unknown:
        raise ValueError(f"breakdowns: unknown attribute id(s) {unknown}; known: {known}")
    # Synthesis is read back when notebook 03 ran it on the same data (synthesis_cache).
    points_digest = analysis.synthesis_cache.fingerprint(inputs)
    points = analysis.synthesis_cache.load(output_dir, points_digest)
    # The answer text the report prints is the campaign representatives' (Annex); it prints
    # no uncoded answer (counts only). Only those rows are redacted; every printed value is
    # redacted again by the templates (templating).
    shown = {
        "answers": analysis.representative_answers(report_copies(inputs), inputs.answers),
        "uncoded": pd.Series(False, index=inputs.uncoded.index),
    }
    # Inputs loaded without every answer's text read those rows' text only (issue 15).
    if hasattr(inputs, "with_answer_text"):
        inputs = inputs.with_answer_text(shown["answers"])
    inputs, redactions = analysis.redact_inputs(inputs, shown)
    write_log(redactions, output_dir, "report")
    # raised/answered once for the whole report (issue 15)
    with analysis.computed_once():
        # The charts notebook 03 drew from the same data are reused (analysis.chart_cache);
        # otherwise drawn here, as PNG only: the report embeds PNGs.
        figs = analysis.write_charts(inputs, output_dir, chosen, formats=("png",), reuse=True)
        ctx = ReportContext(inputs, figs, max_quotes=max_quotes, breakdowns=chosen)
        if points is None:
            points = analysis.synthesise(inputs)[0]
            analysis.synthesis_cache.save(output_dir, points, points_digest)
        ctx.cache["points"] = points
        # Built in document order: figures and tables are numbered as they are prepared.
        data = {
            "title": sections.title_block(ctx, title, report_date or dt.date.today()),
            "inputs": accounting.first_page(ctx.accounting),
            "findings": sections.key_findings(ctx, method.agreement_finding(agreement_summary)),
            "introduction": sections.introduction(ctx),
            "method": method.method_section(ctx, agreement_summary, hand_coded),
            "profile": sections.profile(ctx),
            "questions": questions.question_sections(ctx),
            "overall_figures": sections.overall_figures(ctx),
            "overall_note": sections.cooccurrence_note(ctx),
            "annexes": sections.annexes(ctx),
        }
        # The contents list the sections' own headings: rendered once to read them, then again.
        first = templating.render(REPORT_TEMPLATE, templates_dir, contents=[], **data)
        contents = section_headings(first)
        return templating.render(REPORT_TEMPLATE, templates_dir, contents=contents, **data)
