"""What every section of the report needs: the tables, counts and numbering, computed once.

:class:`ReportContext` gathers the processed tables and the summaries derived
from them (profile, question counts, stance distribution, themes, who may be
named) so each section module reads them instead of recomputing; it also
numbers figures and tables in document order. Helpers here turn charts and
dates into the plain values the templates print.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from helpers import analysis
from helpers.analysis import AnalysisInputs
from helpers.core import schemas
from helpers.core.attributes import RESPONDENT_TYPE

# Respondent groups this small are named in stance sentences (organisations by
# name, individuals as 'Respondent N'); above it, counts alone read better.
NAME_THRESHOLD = 10
COPIES_ANNEX = "D"  # the campaign-copies annex follows annexes A-C when there are copies


class Counter:
    """Numbers figures and tables in document order."""

    def __init__(self) -> None:
        self.figure = 0
        self.table = 0

    def fig(self, text: str) -> str:
        self.figure += 1
        return f"Figure {self.figure}: {text}"

    def tab(self, text: str) -> str:
        self.table += 1
        return f"Table {self.table}: {text}"


@dataclass
class ReportContext:
    """The inputs of one report and the summaries every section draws on."""

    inputs: AnalysisInputs
    figs: dict[str, Path]
    max_quotes: int = 2
    count: Counter = field(default_factory=Counter)
    # Attributes each question section breaks stances and themes down by (run.yaml
    # ``breakdowns``); respondent_type alone is the standard report.
    breakdowns: tuple[str, ...] = (RESPONDENT_TYPE,)
    cache: dict[str, Any] = field(default_factory=dict)  # summaries a section computes once

    def __post_init__(self) -> None:
        inputs = self.inputs
        self.cons = inputs.consultation
        self.r, self.a, self.c, self.s, self.cb = inputs.frames()
        self.names = analysis.attributions(self.r)
        self.n_resp = len(self.r)
        self.profile = analysis.respondent_profile(self.r)
        self.qcounts = analysis.question_counts(self.r, self.a, self.cons, self.s).set_index(
            "question_id"
        )
        self.dist = analysis.stance_distribution(self.s, self.r, self.cons, by_type=True)
        self.themes = analysis.theme_frame(self.cb).set_index("id")
        self.coded_qs = analysis.coded_questions(inputs)
        self.name_people = self.n_resp <= NAME_THRESHOLD
        self.copies = report_copies(inputs)
        self.accounting = analysis.input_accounting(
            getattr(inputs, "ingest_log", None), self.r, self.a
        )
        # Campaign copies per question (base, copies, groups) and each group's shared text.
        self.campaigns = analysis.campaign_counts(self.a, self.copies, self.s).set_index(
            "question_id"
        )
        self.campaign_groups = analysis.campaign_groups(
            self.copies, self.a, self.r, getattr(inputs, "response_texts", None)
        )

    def qlabel(self, qid: str) -> str:
        """'Q2: Factors' for a consultation question; 'Unstructured' for other text."""
        cons = self.cons
        return cons.question(qid).label if qid in cons.question_ids else qid.capitalize()

    def plain(self, text: str) -> str:
        """``text`` with the codebook's theme ids replaced by their labels.

        Codebook descriptions point to other themes by id ("Not: care leavers' own
        records (records_access)"); a reader knows the labels, never the ids. An id in
        brackets, or any id with an underscore, becomes the label; a one-word id
        outside brackets ("housing") is an ordinary word and stays.
        """
        labels = self.themes["label"].to_dict()
        if not labels or not isinstance(text, str):
            return text
        if "id_pattern" not in self.cache:
            alts = "|".join(re.escape(t) for t in sorted(labels, key=len, reverse=True))
            self.cache["id_pattern"] = re.compile(rf"\((?:{alts})\)|\b(?:{alts})\b")

        def label(m: re.Match[str]) -> str:
            found = m.group(0)
            if found.startswith("("):
                return f"({labels[found[1:-1]]})"
            return str(labels[found]) if "_" in found else found

        return self.cache["id_pattern"].sub(label, text)

    def figure(self, key: str, alt: str, caption: str) -> dict[str, str]:
        """A chart for the figure macro, numbered now (call only when it is shown).

        Its alternative text is the one written with the chart, which states what
        it shows with its numbers (``analysis.read_alt``); ``alt`` stands in only
        for a chart drawn without one.
        """
        png = self.figs[key]
        return figure(png, analysis.read_alt(png) or alt, self.count.fig(caption))


def report_copies(inputs: AnalysisInputs) -> pd.DataFrame:
    """The campaign copies of respondents in this report (COPIES rows; empty if none)."""
    copies = getattr(inputs, "copies", None)
    if copies is None or copies.empty:
        return schemas.empty(schemas.COPIES)
    ids = set(inputs.respondents["respondent_id"].astype(str))
    return copies[copies["respondent_id"].astype(str).isin(ids)].reset_index(drop=True)


def image_data_uri(path: str | Path) -> str:
    """A PNG file as a data: URI, so the HTML needs no other files."""
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f"data:image/png;base64,{data}"


def figure(png: Path, alt: str, caption: str) -> dict[str, str]:
    """A chart as the figure macro prints it: ``src`` (data URI), ``alt``, ``caption``."""
    return {"src": image_data_uri(png), "alt": alt, "caption": caption}


def date_text(d: dt.date | None) -> str:
    """'4 December 2026' ('not recorded' for None)."""
    return f"{d.day} {d:%B %Y}" if d else "not recorded"


def cell_text(value: Any) -> str:
    """A value as table text: None and missing values are blank."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)
