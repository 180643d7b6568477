"""The narrative consultation report: HTML built from the data, published as HTML and PDF.

``build_report`` writes the whole report from the processed tables, the
consultation and the codebook; every number and sentence is computed, so the
same call on another consultation gives a correct report with no edits. The
structure follows UK government consultation analyses: summary of key
findings, introduction, method, respondent profile, a section per question
(stance results, main themes with representative quotes), and annexes.

All respondent text (and everything else taken from input files) passes
through ``html.escape`` before it reaches the page: responses are untrusted.

``publish`` turns the executed report notebook into a self-contained
``report.html`` (nbconvert, no code, no prompts, print-friendly CSS) and renders
``report.pdf`` from the same HTML with WeasyPrint (A4, 'Page N of M').
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import html
import logging
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from helpers import analysis, ingest, validate
from helpers.analysis import AnalysisInputs
from helpers.core import schemas
from helpers.core.schemas import STANCE_LABELS
from helpers.report import narrative as nv

log = logging.getLogger(__name__)

# Respondent groups this small are named in stance sentences (organisations by
# name, individuals as 'Respondent N'); above it, counts alone read better.
NAME_THRESHOLD = 10
SMALL_N = 30  # below this, percentages get an explicit caution
MAX_THEMES_DETAILED = 6  # themes per question written up with quotes; the rest are listed
MATRIX_THEME_COLUMNS = 14  # themes per table when respondents are the rows
MATRIX_COLUMNS = 8  # respondents per annex matrix table, so it fits an A4 page
COPIES_ANNEX = "D"  # the campaign-copies annex follows annexes A-C when there are copies
COPIES_OPENING_WORDS = 25  # words of the shared text shown in that annex

FORMAT_NAMES = {
    "txt": ("a plain-text file", "plain-text files"),
    "md": ("a Markdown file", "Markdown files"),
    "docx": ("a Word document", "Word documents"),
    "pdf": ("a PDF document", "PDF documents"),
    "csv": ("a row of a survey export (CSV)", "rows of a survey export (CSV)"),
    "xlsx": ("a row of a survey export (Excel)", "rows of a survey export (Excel)"),
}
MATCH_METHODS = {
    "number": "by question number",
    "text": "by the question's wording",
    "number+text": "by number and wording",
    "order": "by position (no heading found)",
    "survey_column": "from survey export columns",
    "preamble": "as text before the first question",
    "closing": "as closing text after the last answer",
    "unstructured": "as a whole document with no recognisable questions",
}


# --------------------------------------------------------------------------- HTML helpers
def esc(value: Any) -> str:
    """Escape any value for HTML text or attribute content (None -> '')."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def _p(text: str, cls: str | None = None) -> str:
    c = f' class="{cls}"' if cls else ""
    return f"<p{c}>{esc(text)}</p>"


def _ul(items: Iterable[str]) -> str:
    """A bullet list of plain-text items (escaped)."""
    lis = "".join(f"<li>{esc(i)}</li>" for i in items)
    return f"<ul>{lis}</ul>" if lis else ""


def html_table(
    df: pd.DataFrame,
    caption: str | None = None,
    cls: str = "data",
    numeric: Sequence[str] = (),
    widths: Sequence[int] | None = None,
) -> str:
    """A plain HTML table with every header and cell escaped.

    ``numeric`` columns are right-aligned. The caption (if any) is escaped too.
    ``widths`` (percentages, one per column) fix the column widths, so long
    text wraps inside its column instead of squeezing its neighbours.
    """
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in df.columns)
    rows = []
    for rec in df.itertuples(index=False):
        cells = []
        for col, v in zip(df.columns, rec, strict=True):
            align = ' class="num"' if col in numeric else ""
            cells.append(f"<td{align}>{esc(v)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    cols = ""
    if widths:
        cols = (
            "<colgroup>"
            + "".join(f'<col style="width: {int(w)}%">' for w in widths)
            + "</colgroup>"
        )
        cls += " fixed"
    return f'<table class="{cls}">{cap}{cols}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def image_data_uri(path: str | Path) -> str:
    """A PNG file as a data: URI, so the HTML needs no other files."""
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f"data:image/png;base64,{data}"


def _figure(png: Path, alt: str, caption: str) -> str:
    return (
        f'<figure><img src="{image_data_uri(png)}" alt="{esc(alt)}">'
        f"<figcaption>{esc(caption)}</figcaption></figure>"
    )


def _date(d: dt.date | None) -> str:
    return f"{d.day} {d:%B %Y}" if d else "not recorded"


def report_css(page: bool = False) -> str:
    """The report's stylesheet, shipped as package data.

    Rules are scoped to ``.consultation-report`` so the report can be shown in a
    notebook; ``page=True`` adds the rules for the standalone page (body, nbconvert wrappers).
    """
    folder = resources.files("helpers").joinpath("data/report")
    css = folder.joinpath("report.css").read_text(encoding="utf-8")
    if page:
        css += "\n" + folder.joinpath("page.css").read_text(encoding="utf-8")
    return css


# --------------------------------------------------------------------------- sections
class _Counter:
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


def _type_breakdown(profile: pd.DataFrame) -> str:
    """'one from a charity or voluntary organisation and one from a campaign group'."""
    parts = []
    for r in profile.itertuples(index=False):
        label = r.label.lower() if r.respondent_type != "unknown" else "respondents of unknown type"
        if r.respondent_type == "individual":
            label = "individuals" if r.n != 1 else "an individual"
            parts.append(f"{nv.number_word(r.n)} from {label}" if r.n != 1 else f"one from {label}")
            continue
        if r.respondent_type == "other":
            parts.append(
                "one from another organisation"
                if r.n == 1
                else f"{nv.number_word(r.n)} from other organisations"
            )
            continue
        if r.respondent_type == "unknown":
            parts.append(f"{nv.number_word(r.n)} from {label}")
            continue
        article = "an" if label[:1] in "aeiou" else "a"
        noun = f"{article} {label}" if r.n == 1 else nv.plural(2, label)
        parts.append(f"{nv.number_word(r.n)} from {noun}")
    return nv.join_list(parts)


def _stance_names(details: pd.DataFrame) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {"agree": [], "disagree": [], "neither": []}
    for r in details.itertuples(index=False):
        key = {
            "strongly_agree": "agree",
            "agree": "agree",
            "strongly_disagree": "disagree",
            "disagree": "disagree",
            "neither": "neither",
        }.get(r.stance)
        if key:
            groups[key].append(str(r.attribution))
    return groups


def _stance_counts(dist: pd.DataFrame, qid: str) -> dict[str, int]:
    sub = dist[(dist["question_id"] == qid) & (dist["respondent_type"] == analysis.ALL)]
    return dict(zip(sub["stance"], sub["n"].astype(int), strict=True))


def _n_reservations(stances: pd.DataFrame, qid: str) -> int:
    """Respondents whose stance on ``qid`` came with reservations ('in principle… however')."""
    if stances.empty:
        return 0
    sub = stances[stances["question_id"] == qid]
    return int(sub["reservations"].fillna(False).astype(bool).sum())


def _agreement_html(summary: dict | None, hand_coded: str | Path | None) -> str:
    if summary is None:
        return _p(
            "No hand-coded sample exists for this consultation, so agreement between the "
            "automatic coding and human coders has not been measured. Treat theme counts as "
            "indicative until a sample has been double-coded (see notebook 05_validate)."
        )

    def num(x: Any, digits: int = 2) -> str:
        return "not computable" if x is None or pd.isna(x) else f"{float(x):.{digits}f}"

    def ci(pair: Any) -> str:
        if not pair or any(v is None or pd.isna(v) for v in pair):
            return ""
        return f" (95% interval {float(pair[0]):.2f} to {float(pair[1]):.2f})"

    pa = summary.get("percent_agreement")
    pa_text = (
        "not computable"
        if pa is None or pd.isna(pa)
        else f"{float(pa) * (100 if pa <= 1 else 1):.0f}%"
    )
    text = (
        f"The automatic coding was compared with hand coding of {nv.count_noun(summary['n_answers'], 'answer')} "
        f"across {nv.count_noun(summary['n_themes'], 'theme')} (file: {Path(str(hand_coded)).name}). "
        f"Percent agreement was {pa_text}; Cohen's kappa was {num(summary.get('kappa'))}"
        f"{ci(summary.get('kappa_ci'))} and Krippendorff's alpha was {num(summary.get('alpha'))}"
        f"{ci(summary.get('alpha_ci'))}. Precision was {num(summary.get('precision'))} and recall "
        f"{num(summary.get('recall'))} (the automatic coder's codes judged against the hand coding)."
    )
    out = _p(text)
    provenance = validate.hand_coding_provenance(hand_coded) if hand_coded else ""
    out += _p(
        f"Who coded the sample, as recorded in the file: {provenance}"
        if provenance
        else "The hand-coding file does not record who coded it; check its provenance before "
        "quoting these figures."
    )
    if summary["n_answers"] < SMALL_N:
        out += _p(
            f"The sample is small ({nv.count_noun(summary['n_answers'], 'answer')}), so these figures "
            "are uncertain; the intervals show how uncertain."
        )
    return out


def build_report(
    inputs: AnalysisInputs,
    title: str | None = None,
    hand_coded: str | Path | None = None,
    output_dir: str | Path | None = None,
    report_date: dt.date | None = None,
    max_quotes: int = 2,
    agreement_summary: dict | None = None,
) -> str:
    """The full report as an HTML fragment (a ``<div class="consultation-report">``).

    ``hand_coded``: path to a hand-coding file; if it exists, agreement is
    computed with ``validate.report_summary`` (or pass ``agreement_summary``
    directly). ``output_dir``: chart PNGs are drawn into ``output_dir/charts``
    (a temporary folder if None); they are embedded as data URIs either way.
    """
    import tempfile

    if output_dir is None:
        with tempfile.TemporaryDirectory() as tmp:
            return build_report(
                inputs, title, hand_coded, Path(tmp), report_date, max_quotes, agreement_summary
            )
    if agreement_summary is None and hand_coded is not None and Path(hand_coded).exists():
        # A REFI-QDA project needs the tables to map its selections back to answers.
        hand = validate.load_hand_coding(
            hand_coded,
            inputs.answers,
            respondents=inputs.respondents,
            codes=inputs.codes,
            codebook=inputs.codebook,
            consultation=inputs.consultation,
        )
        agreement_summary = validate.report_summary(
            inputs.codes, inputs.answers, hand, inputs.codebook
        )
    elif hand_coded is not None and not Path(hand_coded).exists():
        log.warning("hand-coded sample %s not found: agreement not reported", hand_coded)

    cons = inputs.consultation
    r, a, c, s, cb = inputs.frames()
    figs = analysis.write_charts(inputs, output_dir)
    count = _Counter()
    names = analysis.attributions(r)
    n_resp = len(r)
    profile = analysis.respondent_profile(r)
    qcounts = analysis.question_counts(r, a, cons, s).set_index("question_id")
    dist = analysis.stance_distribution(s, r, cons, by_type=True)
    themes = analysis.theme_frame(cb).set_index("id")
    coded_qs = analysis.coded_questions(inputs)
    name_people = n_resp <= NAME_THRESHOLD
    title = title or cons.title
    today = report_date or dt.date.today()

    def qlabel(qid: str) -> str:
        return cons.question(qid).label if qid in cons.question_ids else qid.capitalize()

    parts: list[str] = ['<div class="consultation-report">']
    parts.append(f'<header class="title-block"><h1>{esc(title)}</h1>')
    sub = "Analysis of consultation responses"
    if cons.organisation:
        sub += f" · {cons.organisation}"
    parts.append(_p(sub, "subtitle"))
    parts.append(_p(f"Report produced {_date(today)}", "date"))
    parts.append("</header>")

    # ---- summary of key findings
    key: list[str] = []
    key.append(
        f"{nv.capitalise(nv.count_noun(n_resp, 'response'))} "
        f"{nv.verb(n_resp, 'was', 'were')} received"
        + (f": {_type_breakdown(profile)}." if n_resp else ".")
    )
    for qid in [q.id for q in cons.questions] + [q for q in coded_qs if q not in cons.question_ids]:
        found = []
        if qid in cons.question_ids and cons.question(qid).kind == "closed":
            found.append(nv.stance_sentence(_stance_counts(dist, qid)))
            n_res = _n_reservations(s, qid)
            if n_res:
                found.append(
                    f"{nv.capitalise(nv.count_noun(n_res, 'respondent'))} expressed reservations."
                )
        if qid in coded_qs:
            freq = analysis.theme_frequencies(c, a, cb, qid, s)
            base = int(freq["base"].iloc[0]) if len(freq) else 0
            if base:
                pairs = zip(freq["label"], freq["n_respondents"], strict=True)
                found.append(nv.ranked_themes_sentence(pairs, base))
        if found:
            key.append(f"{qlabel(qid)} — {' '.join(found)}")
    overall = analysis.theme_frequencies(c, a, cb, stances=s)
    if len(overall) and overall["n_respondents"].max() > 0:
        top = overall.iloc[0]
        key.append(
            f"Across all questions, the theme raised by most respondents was {top['label']} "
            f"({nv.share_brief(int(top['n_respondents']), int(top['base']))})."
        )
    key.append(
        "Agreement with the hand-coded sample: "
        + (
            f"Cohen's kappa {agreement_summary['kappa']:.2f} on {nv.count_noun(agreement_summary['n_answers'], 'answer')}."
            if agreement_summary is not None
            and agreement_summary.get("kappa") is not None
            and not pd.isna(agreement_summary.get("kappa"))
            else "not measured (no hand-coded sample)."
            if agreement_summary is None
            else "kappa could not be computed on the hand-coded sample."
        )
    )
    parts.append('<section class="summary"><h2>Summary of key findings</h2>')
    parts.append(_ul(key))
    parts.append("</section>")

    # ---- introduction
    parts.append("<section><h2>Introduction</h2>")
    intro = f"This report summarises the responses to the consultation '{cons.title}'"
    intro += f", run by {cons.organisation}." if cons.organisation else "."
    parts.append(_p(intro))
    if cons.description:
        parts.append(_p(cons.description))
    parts.append(
        _p(
            f"The consultation opened on {_date(cons.opened)} and closed on {_date(cons.closed)}."
            if cons.opened or cons.closed
            else "The consultation's opening and closing dates are not recorded."
        )
    )
    if cons.url:
        # Only web addresses become links: a javascript: or file: URL in a config stays text.
        if cons.url.lower().startswith(("https://", "http://")):
            parts.append(f'<p>Consultation page: <a href="{esc(cons.url)}">{esc(cons.url)}</a></p>')
        else:
            parts.append(_p(f"Consultation page: {cons.url}"))
    qrows = pd.DataFrame(
        [
            {
                "No.": (f"Q{q.number}" if q.number is not None else q.id),
                "Wording": q.text,
                "Type": {
                    "closed": "Agree/disagree scale with comments",
                    "open": "Open text",
                    "profile": "About the respondent",
                }[q.kind],
                "Answered": int(qcounts.loc[q.id, "n_answered"]),
            }
            for q in cons.questions
        ]
    )
    parts.append(_p(f"The consultation asked {nv.count_noun(len(cons.questions), 'question')}:"))
    parts.append(
        html_table(
            qrows,
            count.tab("The consultation's questions and how many respondents answered each"),
            cls="data questions",
            numeric=["Answered"],
            widths=[11, 57, 20, 12],
        )
    )
    parts.append("</section>")

    # ---- method
    parts.append("<section><h2>Method</h2>")
    parts.append(_method_html(inputs, n_resp))
    parts.append("<h3>Agreement with hand coding</h3>")
    parts.append(_agreement_html(agreement_summary, hand_coded))
    parts.append("</section>")

    # ---- respondent profile
    parts.append("<section><h2>Respondent profile</h2>")
    if n_resp:
        parts.append(
            _p(
                f"{nv.capitalise(nv.count_noun(n_resp, 'response'))} {nv.verb(n_resp, 'was', 'were')} received: {_type_breakdown(profile)}."
            )
        )
        copies = _copies(inputs)
        if len(copies):
            n_copies, n_groups = len(copies), copies["copy_group"].nunique()
            parts.append(
                _p(
                    f"Of these, {nv.count_noun(n_copies, 'response')} {nv.verb(n_copies, 'was', 'were')} "
                    f"near-identical copies of {nv.count_noun(n_groups, 'shared text')} (campaign "
                    f"copies, Annex {COPIES_ANNEX}); each is counted as a separate response."
                )
            )
        ptab = pd.DataFrame(
            {
                "Respondent type": profile["label"],
                "Number": profile["n"],
                "Percentage": [nv.format_percent(k, n_resp) for k in profile["n"]],
            }
        )
        parts.append(
            html_table(
                ptab, count.tab("Responses by respondent type"), numeric=["Number", "Percentage"]
            )
        )
        qa = analysis.questions_answered(r, a, cons, s)
        if n_resp <= 40:
            show = pd.DataFrame(
                {
                    "Respondent": qa["attribution"],
                    "Type": qa["respondent_type"].map(analysis.type_label),
                }
            )
            for q in cons.questions:
                show[f"Q{q.number}" if q.number is not None else q.id] = qa[q.id].map(
                    {True: "✓", False: "–"}
                )
            parts.append(
                html_table(
                    show,
                    count.tab("Questions each respondent answered (✓ answered, – not answered)"),
                    cls="data compact",
                )
            )
    else:
        parts.append(_p("No response was received."))
    parts.append("</section>")

    # ---- per question
    for q in cons.questions:
        if q.kind == "profile" and q.id not in coded_qs:
            continue
        parts.append(f'<section class="question"><h2>{esc(q.label)}</h2>')
        parts.append(f'<p class="question-text">{esc(q.text)}</p>')
        n_ans = int(qcounts.loc[q.id, "n_answered"])
        n_not = int(qcounts.loc[q.id, "n_not_answered"])
        parts.append(
            _p(
                f"{nv.capitalise(nv.count_noun(n_ans, 'respondent'))} answered this question"
                + (f"; {nv.number_word(n_not)} did not." if n_not else ".")
            )
        )
        if q.kind == "closed":
            parts.append(_closed_html(inputs, q.id, dist, names, name_people, figs, count))
        if q.id in coded_qs:
            parts.append(
                _themes_html(
                    inputs, q.id, themes, figs, count, max_quotes, heading=q.kind == "closed"
                )
            )
        parts.append("</section>")
    for qid in coded_qs:
        if qid not in cons.question_ids:
            parts.append(f'<section class="question"><h2>{esc(qlabel(qid))}</h2>')
            parts.append(_p("Text not attributed to any consultation question."))
            parts.append(_themes_html(inputs, qid, themes, figs, count, max_quotes, heading=False))
            parts.append("</section>")

    # ---- themes across questions
    parts.append("<section><h2>Themes across all questions</h2>")
    if "themes_overall" in figs:
        parts.append(
            _figure(
                figs["themes_overall"],
                "Bar chart of themes across all questions",
                count.fig("Respondents raising each theme in any answer"),
            )
        )
    if "themes_by_type" in figs and r["respondent_type"].nunique() > 1:
        parts.append(
            _figure(
                figs["themes_by_type"],
                "Heatmap of themes by respondent type",
                count.fig("Themes by respondent type"),
            )
        )
    if "cooccurrence" in figs and len(themes) > 1:
        parts.append(
            _figure(
                figs["cooccurrence"],
                "Heatmap of themes raised together",
                count.fig("Themes raised together in the same answer"),
            )
        )
    parts.append("</section>")

    # ---- annexes
    parts.append('<section class="annex"><h2>Annex A: the codebook</h2>')
    title_cb = getattr(cb, "title", None)
    version = getattr(cb, "version", None)
    if title_cb:
        parts.append(
            _p(
                f"Codebook: {title_cb}"
                + (f" (version {version})" if version else "")
                + f"; {nv.count_noun(len(themes), 'theme')}."
            )
        )
    cbt = pd.DataFrame(
        {
            "Theme": [f"{row.label} ({tid})" for tid, row in themes.iterrows()],
            "Parent": [
                themes["label"].get(p, p) if isinstance(p, str) and p else ""
                for p in themes["parent"]
            ],
            "Description": themes["description"],
            "Applies to": [", ".join(qs) if qs else "all" for qs in themes["questions"]],
            "Patterns": [", ".join(_patterns(cb, tid)) for tid in themes.index],
        }
    )
    parts.append(
        html_table(
            cbt,
            count.tab("Themes, what they cover, and the word patterns that find them"),
            cls="data codebook",
            widths=[19, 12, 39, 9, 21],
        )
    )
    parts.append("</section>")
    parts.append('<section class="annex"><h2>Annex B: themes raised by each respondent</h2>')
    parts.append(_matrix_html(inputs, themes, count))
    parts.append("</section>")
    parts.append('<section class="annex"><h2>Annex C: answers with no theme</h2>')
    unc = inputs.uncoded
    if unc.empty:
        parts.append(_p("Every answer to a coded question received at least one theme."))
    else:
        parts.append(
            _p(
                f"{nv.capitalise(nv.count_noun(len(unc), 'answer'))} received no theme; each is listed here "
                "so none is lost and it can be read in full."
            )
        )
        ut = pd.DataFrame(
            {
                "Respondent": unc["respondent_id"].astype(str).map(names),
                "Question": [qlabel(q) for q in unc["question_id"]],
                "Length (characters)": unc["n_chars"],
            }
        )
        parts.append(
            html_table(ut, count.tab("Answers with no theme"), numeric=["Length (characters)"])
        )
    parts.append("</section>")
    copies = _copies(inputs)
    if len(copies):
        parts.append(f'<section class="annex"><h2>Annex {COPIES_ANNEX}: campaign copies</h2>')
        parts.append(_copies_annex(copies, r, names, count))
        parts.append("</section>")
    parts.append("</div>")
    return "\n".join(parts)


def _copies(inputs: AnalysisInputs) -> pd.DataFrame:
    """The campaign copies of respondents in this report (COPIES rows; empty if none)."""
    copies = getattr(inputs, "copies", None)
    if copies is None or copies.empty:
        return schemas.empty(schemas.COPIES)
    ids = set(inputs.respondents["respondent_id"].astype(str))
    return copies[copies["respondent_id"].astype(str).isin(ids)].reset_index(drop=True)


def _copies_sentence(copies: pd.DataFrame) -> str:
    """The Method section's sentence on campaign copies, computed from COPIES rows."""
    similarity = f"similarity ≥ {ingest.DEFAULT_THRESHOLD:g}"
    if copies.empty:
        return (
            "No responses were identified as copies of a shared (campaign) text "
            f"(near-identical text, {similarity})."
        )
    n, m = len(copies), copies["copy_group"].nunique()
    return (
        f"{nv.capitalise(nv.count_noun(n, 'response'))} fell into "
        f"{nv.count_noun(m, 'group')} of near-identical text (campaign copies); they are counted "
        f"as separate responses in this report and listed in Annex {COPIES_ANNEX}. Responses "
        "were compared ignoring case, punctuation and word order, and a copy may add its own "
        f"lines to the shared text ({similarity} out of 100 with the group's first response; "
        f"texts under {ingest.DEFAULT_MIN_CHARS} characters were not compared)."
    )


def _copies_annex(
    copies: pd.DataFrame, respondents: pd.DataFrame, names: pd.Series, count: _Counter
) -> str:
    """A table of the copy groups: size, first respondent (anonymised) and opening words."""
    texts = dict(
        zip(
            respondents["respondent_id"].astype(str),
            respondents["text"].fillna("").astype(str),
            strict=True,
        )
    )
    rows = []
    for group, members in copies.groupby("copy_group", sort=False):
        first = members[members["is_first"].fillna(False).astype(bool)]
        rid = str((first if len(first) else members)["respondent_id"].iloc[0])
        words = texts.get(rid, "").split()
        opening = " ".join(words[:COPIES_OPENING_WORDS]) + (
            "…" if len(words) > COPIES_OPENING_WORDS else ""
        )
        rows.append(
            {
                "Group": group,
                "Responses": len(members),
                "First respondent": names.get(rid, rid),
                "Opening words of the shared text": opening,
            }
        )
    table = pd.DataFrame(rows)
    return _p(
        "Groups of responses with near-identical text, in the order their first response was "
        "received (by respondent id). Individuals are not named."
    ) + html_table(
        table,
        count.tab("Campaign copies: groups of near-identical responses"),
        numeric=["Responses"],
        widths=[14, 12, 22, 52],
    )


def _patterns(cb: Any, theme_id: str) -> list[str]:
    for t in getattr(cb, "themes", []) or []:
        tid = t.get("id") if isinstance(t, dict) else getattr(t, "id", None)
        if tid == theme_id:
            pats = t.get("patterns") if isinstance(t, dict) else getattr(t, "patterns", ())
            return list(pats or [])
    return []


def _method_html(inputs: AnalysisInputs, n_resp: int) -> str:
    r, a, c, s = inputs.respondents, inputs.answers, inputs.codes, inputs.stances
    out = ["<h3>How responses were received</h3>"]
    fmts = r["source_format"].astype(str).value_counts()
    if len(fmts) == 1 and n_resp > 1:
        f = fmts.index[0]
        fmt_text = (
            f"{'both' if n_resp == 2 else 'all'} as {FORMAT_NAMES.get(f, ('', f'{f} files'))[1]}"
        )
    else:
        fmt_text = nv.join_list(
            f"{nv.number_word(k)} as {FORMAT_NAMES.get(f, (f'a {f} file', f'{f} files'))[0 if k == 1 else 1]}"
            for f, k in sorted(fmts.items(), key=lambda kv: (-kv[1], kv[0]))
        )
    if n_resp:
        out.append(
            _p(
                f"{nv.capitalise(nv.count_noun(n_resp, 'response'))} {nv.verb(n_resp, 'was', 'were')} received: {fmt_text}."
            )
        )
        src = r["respondent_type_source"].astype(str).value_counts()
        how = {
            "metadata": "recorded in the metadata file",
            "survey": "taken from the survey export",
            "inferred": "inferred from the text",
        }
        if len(src) == 1 and n_resp > 1:
            everyone = (
                "both responses" if n_resp == 2 else f"all {nv.number_word(n_resp)} responses"
            )
            src_parts = [f"{how.get(src.index[0], 'not recorded')} for {everyone}"]
        else:
            src_parts = [
                f"{how.get(t, 'not recorded')} for {nv.count_noun(k, 'response') if i == 0 else nv.number_word(k)}"
                for i, (t, k) in enumerate(src.items())
            ]
        out.append(_p(f"The respondent type was {nv.join_list(src_parts)}."))
        out.append(_p(_copies_sentence(_copies(inputs))))
    out.append("<h3>How responses were split into answers</h3>")
    body = a[~a["question_id"].isin(["preamble", "closing"])]
    mm = body["match_method"].astype(str).value_counts()
    mm_text = nv.join_list(f"{nv.number_word(k)} {MATCH_METHODS.get(m, m)}" for m, k in mm.items())
    warn = int(a["warning"].notna().sum())
    out.append(
        _p(
            f"Each response was divided into answers to the consultation's questions by finding the question "
            f"headings the respondent used. {nv.capitalise(nv.count_noun(len(body), 'answer'))} "
            f"{nv.verb(len(body), 'was', 'were')} found"
            + (f": {mm_text}." if len(body) else ".")
            + (
                f" {nv.capitalise(nv.count_noun(warn, 'answer'))} carried a segmentation warning for the analyst to check."
                if warn
                else " No segmentation warning was raised."
            )
        )
    )
    out.append("<h3>How answers were coded</h3>")
    themes = analysis.theme_frame(inputs.codebook)
    manual = int((c["source"] == "manual_add").sum()) if not c.empty else 0
    negated = int(c["negated"].fillna(False).astype(bool).sum()) if not c.empty else 0
    out.append(
        _p(
            f"Answers were coded against a codebook of {nv.count_noun(len(themes), 'theme')} (Annex A). Each theme "
            "has a plain-language description and a list of word patterns; a pattern matches a word and its "
            "inflections (by stemming), so 'record' also finds 'records'. Every code keeps the sentence it was "
            "found in, so each count in this report can be traced to the respondent's exact words. A match in a "
            "negated phrase ('we do not think…') is recorded but not counted as raising the theme"
            + (
                f" ({nv.count_noun(negated, 'such match', 'such matches')} in this consultation)."
                if negated
                else "."
            )
            + (f" The analyst added {nv.count_noun(manual, 'code')} by hand." if manual else "")
        )
    )
    if inputs.consultation.closed_questions:
        conflicts = int(s["conflict"].fillna(False).astype(bool).sum()) if not s.empty else 0
        reserv = int(s["reservations"].fillna(False).astype(bool).sum()) if not s.empty else 0
        out.append(
            _p(
                "For agree/disagree questions, each respondent's position was taken from the tick-box answer "
                "where there was one, and otherwise read from the wording of the answer ('we agree', 'we do not "
                "support'). Agreement expressed with reservations ('in principle… however') is noted."
                + (
                    f" {nv.capitalise(nv.count_noun(reserv, 'answer'))} expressed reservations."
                    if reserv
                    else ""
                )
                + (
                    f" In {nv.count_noun(conflicts, 'answer')} the tick-box and the text disagreed; these are listed for checking."
                    if conflicts
                    else ""
                )
            )
        )
    out.append("<h3>What automatic coding can and cannot tell us</h3>")
    out.append(
        _ul(
            [
                "It applies the same rules to every response, so counts are consistent and can be re-run.",
                "It finds what respondents wrote using the codebook's words; it can miss a point made in other "
                "words, and can count a word used in a different sense. Quotes are shown so readers can judge.",
                "It counts how many respondents raised a theme, not how strongly they felt or how well they argued.",
                "Consultation responses come from those who chose to respond; they are not a representative "
                "sample and the numbers here should not be read as the views of the wider population.",
            ]
        )
    )
    if n_resp < SMALL_N:
        out.append(
            _p(
                f"This consultation received {nv.count_noun(n_resp, 'response')}. With so few, a single "
                "respondent changes a percentage by a large amount, so counts are given alongside every "
                "percentage and differences between groups should not be over-interpreted.",
                "caveat",
            )
        )
    return "".join(out)


def _closed_html(
    inputs: AnalysisInputs,
    qid: str,
    dist: pd.DataFrame,
    names: pd.Series,
    name_people: bool,
    figs: dict[str, Path],
    count: _Counter,
) -> str:
    out = ["<h3>Level of agreement</h3>"]
    details = analysis.stance_details(inputs.stances, inputs.respondents, qid)
    groups = _stance_names(details) if name_people else None
    out.append(_p(nv.stance_sentence(_stance_counts(dist, qid), names=groups)))
    if not details.empty:
        res = details[
            details["reservations"].fillna(False).astype(bool)
            & (details["stance"] != "not_answered")
        ]
        if len(res):
            who = (
                nv.join_list(res["attribution"])
                if name_people
                else nv.count_noun(len(res), "respondent")
            )
            out.append(
                _p(
                    f"{who} expressed reservations alongside {nv.verb(len(res), 'its', 'their')} position."
                )
            )
        conf = details[details["conflict"].fillna(False).astype(bool)]
        if len(conf):
            out.append(
                _p(
                    f"For {nv.count_noun(len(conf), 'respondent')} the tick-box answer and the written answer "
                    "disagreed; the tick-box answer is counted.",
                    "caveat",
                )
            )
    multi = (dist["respondent_type"] != analysis.ALL).any() and inputs.respondents[
        "respondent_type"
    ].nunique() > 1
    shown = dist if multi else dist[dist["respondent_type"] == analysis.ALL]
    table = analysis.stance_table(shown, qid)
    out.append(
        html_table(
            table,
            count.tab(
                "Responses by level of agreement: count (percentage of those who answered); "
                "n = number who answered"
            ),
            cls="data compact",
            numeric=[c for c in table.columns if c != "Group"],
        )
    )
    key = f"{qid}_stance"
    if key in figs:
        out.append(
            _figure(
                figs[key],
                f"Stacked bar chart of agreement for {qid}",
                count.fig("Level of agreement among those who answered"),
            )
        )
    ev = (
        details[details["stance"] != "not_answered"].dropna(subset=["evidence"])
        if "evidence" in details
        else details.iloc[0:0]
    )
    if name_people and len(ev):
        out.append("<h4>How respondents put it</h4>")
        for r in ev.head(4).itertuples(index=False):
            out.append(
                f'<blockquote class="quote"><p>“{esc(r.evidence)}”</p>'
                f"<footer>— {esc(r.attribution)} ({esc(STANCE_LABELS.get(r.stance, r.stance).lower())})</footer></blockquote>"
            )
    return "".join(out)


def _themes_html(
    inputs: AnalysisInputs,
    qid: str,
    themes: pd.DataFrame,
    figs: dict[str, Path],
    count: _Counter,
    max_quotes: int,
    heading: bool,
) -> str:
    c, a, s, r = inputs.codes, inputs.answers, inputs.stances, inputs.respondents
    freq = analysis.theme_frequencies(c, a, inputs.codebook, qid, s)
    base = int(freq["base"].iloc[0]) if len(freq) else 0
    out = ["<h3>Themes in the comments</h3>" if heading else "<h3>Main themes</h3>"]
    out.append(
        _p(
            nv.ranked_themes_sentence(
                zip(freq["label"], freq["n_respondents"], strict=True), base, limit=5
            )
        )
    )
    key = f"{qid}_themes"
    raised = freq[freq["n_respondents"] > 0]
    if key in figs and len(raised):
        out.append(
            _figure(
                figs[key],
                f"Bar chart of themes for {qid}",
                count.fig(f"Respondents raising each theme (n = {base} who answered)"),
            )
        )
    # The most frequent themes get a write-up with quotes; the rest one sentence, so a long
    # codebook does not bury the main points (all counts are in the chart and the tables).
    detailed, rest = raised.head(MAX_THEMES_DETAILED), raised.iloc[MAX_THEMES_DETAILED:]
    for rank, t in enumerate(detailed.itertuples(index=False)):
        out.append(f'<div class="theme"><h4>{esc(t.label)}</h4>')
        out.append(_p(nv.theme_sentence(t.label, t.n_respondents, base, t.mentions)))
        desc = themes["description"].get(t.theme_id, "")
        if isinstance(desc, str) and desc.strip():
            out.append(_p(f"What this theme covers: {desc.strip()}", "theme-description"))
        n_quotes = max_quotes if rank < 3 else min(1, max_quotes)
        quotes = analysis.representative_quotes(c, r, t.theme_id, qid, n=n_quotes)
        for qrow in quotes.itertuples(index=False):
            out.append(
                f'<blockquote class="quote"><p>“{esc(qrow.quote)}”</p>'
                f"<footer>— {esc(qrow.attribution)}</footer></blockquote>"
            )
        out.append("</div>")
    if len(rest):
        others = nv.join_list(
            f"{t.label} ({nv.share_brief(t.n_respondents, base)})"
            for t in rest.itertuples(index=False)
        )
        out.append(_p(f"Other themes raised: {others}.", "other-themes"))
    uncoded = inputs.uncoded[inputs.uncoded["question_id"] == qid]
    if len(uncoded):
        out.append(
            _p(
                f"{nv.capitalise(nv.count_noun(len(uncoded), 'answer'))} to this question received no theme (Annex C)."
            )
        )
    return "".join(out)


def _matrix_html(inputs: AnalysisInputs, themes: pd.DataFrame, count: _Counter) -> str:
    """Who raised which theme, in tables narrow enough for A4.

    Up to ``3 * MATRIX_COLUMNS`` respondents: themes are rows and respondents
    columns (in chunks). Beyond that, respondents are rows and themes numbered
    columns (T1, T2… with a key), chunked by ``MATRIX_THEME_COLUMNS`` themes.
    """
    m = analysis.respondent_theme_matrix(inputs.codes, inputs.respondents, inputs.codebook)
    if m.empty:
        return _p("No response was received.")
    tids = list(themes.index)
    out = [
        _p(
            "✓ = the respondent raised the theme in at least one answer (negated mentions excluded)."
        )
    ]
    ids = list(m.index)
    if len(ids) <= 3 * MATRIX_COLUMNS:
        for i in range(0, len(ids), MATRIX_COLUMNS):
            chunk = ids[i : i + MATRIX_COLUMNS]
            df = pd.DataFrame({"Theme": [themes.loc[t, "label"] for t in tids]})
            for rid in chunk:
                df[str(m.loc[rid, "attribution"])] = ["✓" if m.loc[rid, t] else "" for t in tids]
            df["Total"] = [int(m[t].sum()) for t in tids]
            label = "Themes raised by each respondent"
            if len(ids) > MATRIX_COLUMNS:
                label += f" (respondents {i + 1}–{i + len(chunk)} of {len(ids)}; Total is all respondents)"
            out.append(html_table(df, count.tab(label), cls="data matrix", numeric=["Total"]))
        return "".join(out)
    for j in range(0, len(tids), MATRIX_THEME_COLUMNS):
        chunk = tids[j : j + MATRIX_THEME_COLUMNS]
        key = "; ".join(f"T{j + k + 1} = {themes.loc[t, 'label']}" for k, t in enumerate(chunk))
        df = pd.DataFrame({"Respondent": m["attribution"].astype(str).to_numpy()})
        for k, t in enumerate(chunk):
            df[f"T{j + k + 1}"] = ["✓" if v else "" for v in m[t]]
        out.append(
            html_table(
                df, count.tab(f"Themes raised by each respondent ({key})"), cls="data matrix"
            )
        )
    return "".join(out)


# --------------------------------------------------------------------------- pages and publishing
def render_html(body: str, title: str) -> str:
    """A complete, self-contained HTML document around a report fragment, with the report CSS."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en-GB"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{report_css(page=True)}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def write_pdf(html_text: str, pdf_path: str | Path, base_url: str | Path | None = None) -> Path:
    """Render HTML to an A4 PDF with WeasyPrint (page rules come from the report CSS)."""
    from weasyprint import HTML

    # WeasyPrint logs every unsupported CSS property at WARNING; they are harmless here.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf_path = Path(pdf_path)
    HTML(string=html_text, base_url=str(base_url or pdf_path.parent)).write_pdf(pdf_path)
    log.info("wrote %s", pdf_path)
    return pdf_path


def _report_outputs_only(nb: Any) -> Any:
    """A copy of the notebook keeping only rich HTML/image outputs of code cells.

    Logs, warnings and plain-text reprs are working output for the analyst, not
    the report, so they are dropped before export.
    """
    nb = copy.deepcopy(nb)
    keep_mimes = ("text/html", "image/png", "image/svg+xml")
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            if out.get("output_type") in ("display_data", "execute_result"):
                data = out.get("data", {})
                if any(m in data for m in keep_mimes):
                    out["data"] = {m: v for m, v in data.items() if m in keep_mimes}
                    kept.append(out)
        cell["outputs"] = kept
    return nb


def notebook_title(nb: Any) -> str:
    """The first <h1> text in the notebook's HTML outputs, else 'Consultation report'."""
    import re

    for cell in nb.cells:
        for out in cell.get("outputs", []):
            h = out.get("data", {}).get("text/html")
            if h:
                text = "".join(h) if isinstance(h, list) else h
                m = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
                if m:
                    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()
    return "Consultation report"


def notebook_to_html(executed_notebook: str | Path) -> str:
    """Convert an executed report notebook to one self-contained HTML page (no code, no prompts)."""
    import nbformat
    from nbconvert import HTMLExporter

    path = Path(executed_notebook)
    try:
        nb = nbformat.read(path, as_version=4)
    except FileNotFoundError as exc:
        raise FileNotFoundError(
            f"{path}: executed report notebook not found (run 04_report first)"
        ) from exc
    nb = _report_outputs_only(nb)
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_markdown=True,
        exclude_raw=True,
    )
    body, _ = exporter.from_notebook_node(nb)
    return render_html(body, notebook_title(nb))


def publish(executed_notebook: Path, out_dir: Path) -> tuple[Path, Path]:
    """Write ``report.html`` and ``report.pdf`` in ``out_dir`` from the executed 04 notebook."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    page = notebook_to_html(executed_notebook)
    html_path = out_dir / "report.html"
    html_path.write_text(page, encoding="utf-8")
    log.info("wrote %s", html_path)
    pdf_path = write_pdf(page, out_dir / "report.pdf", base_url=out_dir)
    return html_path, pdf_path


def show_report(html_fragment: str) -> Any:
    """An IPython HTML object for the notebook: the fragment plus its stylesheet."""
    from IPython.display import HTML

    return HTML(f"<style>{report_css()}</style>{html_fragment}")
