"""Explore processed responses in JupyterLab: filter, read with highlights, search, drill down.

Everything here reads the processed tables (see docs/CONTRACTS.md) and returns plain
DataFrames or HTML strings, so it works the same in a notebook, a script or a test:

- ``load_processed(processed_dir, consultation, codebook)`` -> ``ProcessedData``
- ``filter_answers(data, question=, theme=, stance=, respondent_type=)``
- ``answer_html(data, respondent_id, question_id)``: the answer with coded spans in
  ``<mark title="theme">``; respondent text is always HTML-escaped.
- ``kwic(data, keyword)``: keyword in context with exact offsets into ``respondents.text``.
- ``quotes_for(data, question, theme=|stance=)``: the quotes behind one chart bar.
- ``quote_browser(data)``: dropdowns -> quotes (ipywidgets), with an HTML fallback.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from helpers import report
from helpers.core import paths, schemas
from helpers.core.consultation import Consultation, load_consultation

log = logging.getLogger(__name__)

_TABLES = {
    "respondents": schemas.RESPONDENTS,
    "answers": schemas.ANSWERS,
    "codes": schemas.CODES,
    "stances": schemas.STANCES_TABLE,
}


@dataclass
class ProcessedData:
    """The processed tables of one consultation, with labels for questions and themes."""

    respondents: pd.DataFrame
    answers: pd.DataFrame
    codes: pd.DataFrame
    stances: pd.DataFrame
    consultation: Consultation | None = None
    theme_labels: dict[str, str] | None = None

    def question_label(self, question_id: str) -> str:
        if self.consultation is not None:
            try:
                return self.consultation.question(question_id).label
            except KeyError:
                pass
        return str(question_id)

    def theme_label(self, theme_id: str) -> str:
        return (self.theme_labels or {}).get(theme_id, str(theme_id))

    def text_of(self, respondent_id: str) -> str:
        """The normalised full text of a respondent (what all offsets point into)."""
        hit = self.respondents.loc[self.respondents["respondent_id"] == respondent_id, "text"]
        if hit.empty:
            raise KeyError(f"no respondent with id {respondent_id!r}")
        return str(hit.iloc[0])


def load_processed(
    processed_dir: str | Path,
    consultation: str | Path | None = None,
    codebook: str | Path | None = None,
) -> ProcessedData:
    """Load the processed tables from ``processed_dir`` (relative paths: project root).

    ``codes`` and ``stances`` may be absent (ingest only): they load as empty tables.
    Raises FileNotFoundError naming the folder if respondents/answers are missing.
    """
    folder = paths.resolve(processed_dir)
    frames: dict[str, pd.DataFrame] = {}
    for name, schema in _TABLES.items():
        path = folder / f"{name}.parquet"
        if path.is_file():
            frames[name] = schemas.conform(pd.read_parquet(path), schema)
        elif name in ("respondents", "answers"):
            raise FileNotFoundError(
                f"{path} not found: run ingest first (make report, or notebook 01_ingest)"
            )
        else:
            log.warning("%s not found: %s will be empty (run coding first)", path, name)
            frames[name] = schemas.empty(schema)
    cons = load_consultation(paths.resolve(consultation)) if consultation else None
    labels = None
    if codebook:
        from helpers.coding import load_codebook

        cb = load_codebook(paths.resolve(codebook), cons)
        labels = {t.id: t.label for t in cb.themes}
    return ProcessedData(consultation=cons, theme_labels=labels, **frames)


def _who(respondents: pd.DataFrame) -> pd.DataFrame:
    """respondent_id -> display name (organisation, else the id) and respondent type."""
    r = respondents[["respondent_id", "organisation", "respondent_type"]].copy()
    r["respondent"] = r["organisation"].fillna(r["respondent_id"])
    return r[["respondent_id", "respondent", "respondent_type"]]


def answers_table(data: ProcessedData) -> pd.DataFrame:
    """One row per answer with who answered, its stance (closed questions) and themes."""
    a = data.answers.merge(_who(data.respondents), on="respondent_id", how="left")
    st = data.stances[["respondent_id", "question_id", "stance", "reservations"]]
    a = a.merge(st, on=["respondent_id", "question_id"], how="left")
    raised = schemas.counted_codes(data.codes)
    themes = (
        raised.groupby(["respondent_id", "question_id"])["theme_id"]
        .agg(lambda s: ", ".join(sorted(set(s))))
        .rename("themes")
        .reset_index()
    )
    a = a.merge(themes, on=["respondent_id", "question_id"], how="left")
    a["themes"] = a["themes"].fillna("")
    cols = [
        "respondent_id",
        "respondent",
        "respondent_type",
        "question_id",
        "stance",
        "reservations",
        "themes",
        "answer_text",
        "start",
        "end",
    ]
    return a[cols]


def filter_answers(
    data: ProcessedData,
    question: str | None = None,
    theme: str | None = None,
    stance: str | None = None,
    respondent_type: str | None = None,
) -> pd.DataFrame:
    """Answers matching every filter given (None = no filter on that field).

    ``theme`` keeps answers in which the theme is raised (negated mentions do not count).
    """
    a = answers_table(data)
    if question is not None:
        a = a[a["question_id"] == question]
    if stance is not None:
        if stance not in schemas.STANCES:
            raise ValueError(f"stance {stance!r} is not one of {list(schemas.STANCES)}")
        a = a[a["stance"] == stance]
    if respondent_type is not None:
        a = a[a["respondent_type"] == respondent_type]
    if theme is not None:
        a = a[a["themes"].map(lambda s: theme in s.split(", "))]
    return a.reset_index(drop=True)


# --------------------------------------------------------------------------- highlighting


def highlight(
    text: str,
    spans: Iterable[tuple[int, int, str]],
    start: int = 0,
    end: int | None = None,
) -> str:
    """``text[start:end]`` as HTML with each ``(s, e, label)`` span in ``<mark title=label>``.

    All text and labels are escaped and lose their bidirectional controls (U+202E
    and the like: see ``report.strip_bidi``), so an answer cannot reverse the text
    around it. Overlapping spans are cut at every boundary, so
    marks never nest or cross: a piece covered by several spans gets one ``<mark>``
    whose title lists every label and whose class is ``overlap``.
    """
    end = len(text) if end is None else end
    clipped = [(max(s, start), min(e, end), lab) for s, e, lab in spans]
    clipped = [(s, e, lab) for s, e, lab in clipped if s < e]
    cuts = sorted({start, end, *(s for s, _, _ in clipped), *(e for _, e, _ in clipped)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = html.escape(report.strip_bidi(text[a:b]))
        labels = list(dict.fromkeys(lab for s, e, lab in clipped if s <= a and b <= e))
        if not labels:
            out.append(piece)
            continue
        title = html.escape("; ".join(labels), quote=True)
        cls = ' class="overlap"' if len(labels) > 1 else ""
        out.append(f'<mark title="{title}"{cls}>{piece}</mark>')
    return "".join(out)


_AUTO = ' dir="auto"'


def _text_html(text: str) -> str:
    """Respondent text as HTML: escaped, bidi controls removed, in ``<bdi>`` if its direction matters.

    Left-to-right text comes out exactly as ``html.escape`` gives it.
    """
    body = html.escape(report.strip_bidi(text))
    return f"<bdi>{body}</bdi>" if report.bidi_sensitive(text) else body


def answer_html(
    data: ProcessedData,
    respondent_id: str,
    question_id: str,
    use: str = "sentence",
    include_negated: bool = False,
) -> str:
    """One answer as HTML with its coded spans highlighted (theme label as the title).

    ``use="sentence"`` marks each code's evidence sentence, ``use="match"`` only the
    matched words. Negated mentions are left unmarked unless ``include_negated``.
    """
    if use not in ("sentence", "match"):
        raise ValueError("use must be 'sentence' or 'match'")
    ans = data.answers[
        (data.answers["respondent_id"] == respondent_id)
        & (data.answers["question_id"] == question_id)
    ]
    if ans.empty:
        raise KeyError(f"no answer by {respondent_id!r} to question {question_id!r}")
    text = data.text_of(respondent_id)
    codes = data.codes[
        (data.codes["respondent_id"] == respondent_id) & (data.codes["question_id"] == question_id)
    ]
    spans = []
    for c in codes.itertuples(index=False):
        negated = bool(c.negated) if pd.notna(c.negated) else False
        if negated and not include_negated:
            continue
        s, e = (c.start, c.end) if use == "sentence" else (c.match_start, c.match_end)
        if pd.isna(s) or pd.isna(e):
            s, e = c.start, c.end
        label = data.theme_label(c.theme_id) + (" (negated)" if negated else "")
        spans.append((int(s), int(e), label))
    who = _who(data.respondents).set_index("respondent_id").loc[respondent_id, "respondent"]
    parts = [f"<h4>{_text_html(str(who))} — {html.escape(data.question_label(question_id))}</h4>"]
    for row in ans.itertuples(index=False):
        body = highlight(text, spans, int(row.start), int(row.end))
        # An answer in a right-to-left script (or with controls) takes its own direction.
        rtl = report.bidi_sensitive(text[int(row.start) : int(row.end)])
        parts.append(f'<div style="white-space: pre-wrap"{_AUTO if rtl else ""}>{body}</div>')
    return "\n".join(parts)


# --------------------------------------------------------------------------- search


def kwic(
    data: ProcessedData,
    keyword: str,
    width: int = 60,
    regex: bool = False,
    case_sensitive: bool = False,
    whole_word: bool = False,
    question: str | None = None,
) -> pd.DataFrame:
    """Keyword in context across all answers.

    ``keyword`` is matched literally (escaped) unless ``regex=True``. Returns one row per
    match: respondent_id, respondent, question_id, left, match, right, start, end, where
    ``start``/``end`` index ``respondents.text`` (so ``text[start:end] == match``) and
    the context stays inside the answer.
    """
    if not keyword:
        raise ValueError("keyword must be a non-empty string")
    pattern = keyword if regex else re.escape(keyword)
    if whole_word:
        pattern = rf"\b(?:{pattern})\b"
    rx = re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)
    texts = dict(zip(data.respondents["respondent_id"], data.respondents["text"], strict=False))
    who = _who(data.respondents).set_index("respondent_id")["respondent"].to_dict()
    answers = data.answers
    if question is not None:
        answers = answers[answers["question_id"] == question]
    rows = []
    for a in answers.itertuples(index=False):
        text = texts.get(a.respondent_id)
        if text is None:
            continue
        lo, hi = int(a.start), int(a.end)
        for m in rx.finditer(text, lo, hi):
            s, e = m.span()
            if s == e:  # an empty regex match is not a hit
                continue
            rows.append(
                {
                    "respondent_id": a.respondent_id,
                    "respondent": who.get(a.respondent_id, a.respondent_id),
                    "question_id": a.question_id,
                    "left": text[max(lo, s - width) : s],
                    "match": text[s:e],
                    "right": text[e : min(hi, e + width)],
                    "start": s,
                    "end": e,
                }
            )
    cols = ["respondent_id", "respondent", "question_id", "left", "match", "right", "start", "end"]
    out = pd.DataFrame(rows, columns=cols)
    return out.astype({"start": "int64", "end": "int64"})


# --------------------------------------------------------------------------- chart drill-down


def quotes_for(
    data: ProcessedData,
    question: str,
    theme: str | None = None,
    stance: str | None = None,
) -> pd.DataFrame:
    """The quotes behind one chart bar: (question, theme) or (question, stance).

    For a theme: every non-negated evidence sentence of that theme in answers to the
    question. For a stance: each respondent with that stance and the sentence that
    shows it. Columns: respondent_id, respondent, respondent_type, question_id, bar,
    quote, start, end (offsets into respondents.text).
    """
    if (theme is None) == (stance is None):
        raise ValueError("give exactly one of theme= or stance=")
    who = _who(data.respondents)
    if theme is not None:
        c = schemas.counted_codes(data.codes)
        c = c[(c["question_id"] == question) & (c["theme_id"] == theme)]
        c = c.drop_duplicates(["respondent_id", "start", "end"])
        out = c.assign(bar=theme)[["respondent_id", "question_id", "bar", "quote", "start", "end"]]
    else:
        if stance not in schemas.STANCES:
            raise ValueError(f"stance {stance!r} is not one of {list(schemas.STANCES)}")
        s = data.stances
        s = s[(s["question_id"] == question) & (s["stance"] == stance)]
        out = s.assign(bar=stance).rename(columns={"evidence": "quote"})[
            ["respondent_id", "question_id", "bar", "quote", "start", "end"]
        ]
    out = out.merge(who, on="respondent_id", how="left")
    cols = ["respondent_id", "respondent", "respondent_type", "question_id", "bar"]
    out = out[[*cols, "quote", "start", "end"]]
    return out.sort_values(["respondent_id", "start"], na_position="last").reset_index(drop=True)


def quotes_html(quotes: pd.DataFrame) -> str:
    """Quotes as an escaped HTML list: respondent, then the quote in a blockquote."""
    if quotes.empty:
        return "<p><em>No quotes behind this bar.</em></p>"
    items = []
    for q in quotes.itertuples(index=False):
        quote = "" if pd.isna(q.quote) else str(q.quote)
        where = "" if pd.isna(q.start) else f" <small>[{int(q.start)}:{int(q.end)}]</small>"
        items.append(
            f"<li><strong>{_text_html(str(q.respondent))}</strong>{where}"
            f"<blockquote>{_text_html(quote)}</blockquote></li>"
        )
    return f"<p>{quotes['respondent_id'].nunique()} respondent(s)</p><ul>{''.join(items)}</ul>"


def bars(data: ProcessedData, question: str) -> list[tuple[str, dict[str, str]]]:
    """The chart bars of ``question``: (label, quotes_for keyword) pairs present in the data."""
    out: list[tuple[str, dict[str, str]]] = []
    st = data.stances[data.stances["question_id"] == question]
    for s in schemas.STANCES:
        if (st["stance"] == s).any():
            out.append((f"Stance: {schemas.STANCE_LABELS[s]}", {"stance": s}))
    codes = schemas.counted_codes(data.codes)
    codes = codes[codes["question_id"] == question]
    for t in sorted(set(codes["theme_id"])):
        out.append((f"Theme: {data.theme_label(t)}", {"theme": t}))
    return out


def quote_browser(data: ProcessedData, interactive: bool | None = None) -> Any:
    """Dropdowns (question -> bar) showing the quotes behind the bar.

    Returns an ipywidgets box whose display also carries an HTML rendering of the
    current selection, so a page without a widget frontend (nbval, nbconvert, GitHub)
    still shows quotes. Without ipywidgets (or ``interactive=False``) returns that HTML.
    """
    questions = [q for q in dict.fromkeys(data.answers["question_id"]) if bars(data, q)]
    if not questions:
        return _HTML("<p><em>No coded answers or stances yet.</em></p>")
    first = questions[0]

    def render(question: str, kwargs: dict[str, str]) -> str:
        head = f"<h4>{html.escape(data.question_label(question))}</h4>"
        return head + quotes_html(quotes_for(data, question, **kwargs))

    if interactive is False:
        return _HTML(render(first, bars(data, first)[0][1]))
    try:
        import ipywidgets as w
    except ImportError:
        return _HTML(render(first, bars(data, first)[0][1]))

    qdrop = w.Dropdown(
        options=[(data.question_label(q), q) for q in questions], description="Question"
    )
    bdrop = w.Dropdown(options=bars(data, first), description="Bar")
    out = w.HTML()

    def refresh(*_: Any) -> None:
        if bdrop.value is not None:
            out.value = render(qdrop.value, bdrop.value)

    def on_question(change: dict) -> None:
        bdrop.options = bars(data, change["new"])
        refresh()

    qdrop.observe(on_question, names="value")
    bdrop.observe(refresh, names="value")
    refresh()

    class QuoteBrowser(w.VBox):
        def _repr_mimebundle_(self, **kwargs: Any) -> dict:
            bundle = super()._repr_mimebundle_(**kwargs) or {}
            bundle["text/html"] = out.value  # static fallback for frontends without widgets
            return bundle

    return QuoteBrowser([w.HBox([qdrop, bdrop]), out])


class _HTML:
    """Minimal rich-display HTML (IPython may not be importable outside a notebook)."""

    def __init__(self, value: str):
        self.value = value

    def _repr_html_(self) -> str:
        return self.value

    def __str__(self) -> str:
        return self.value
