"""The codebook workbench's ipywidgets face, and its trial as escaped HTML.

Thin on purpose: "Try" calls ``Workbench.try_theme`` and shows a bounded list
of matches and false-friend candidates (``LIMIT`` each, with how many there are
in all); the edit buttons call the workbench's edit methods and show the
before/after counts; "Save" writes codebook.yaml. Every HTML piece is rendered
by a Jinja2 template with autoescape, so answers are shown as text.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from helpers import report

LIMIT = 30
WIDTH = 60


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def _lines(wb: Any, rows: pd.DataFrame) -> list[dict[str, Any]]:
    texts = wb.data.respondents.set_index("respondent_id")["text"]
    out = []
    for r in rows.head(LIMIT).itertuples(index=False):
        text = str(texts[r.respondent_id])
        s = int(r.match_start) if pd.notna(r.match_start) else int(r.start)
        e = int(r.match_end) if pd.notna(r.match_end) else int(r.end)
        out.append(
            {
                "where": f"{r.respondent_id} · {r.question_id} [{s}:{e}]",
                "left": report.strip_bidi(text[max(int(r.start), s - WIDTH) : s]),
                "match": report.strip_bidi(text[s:e]),
                "right": report.strip_bidi(text[e : min(int(r.end), e + WIDTH)]),
                "reason": getattr(r, "reason", ""),
                "method": str(r.method),
            }
        )
    return out


def trial_html(wb: Any, trial: Any) -> str:
    """A trial's matches and candidates (at most ``LIMIT`` of each) as HTML."""
    return (
        _env()
        .get_template("trial.html.j2")
        .render(
            summary=trial.summary(),
            matches=_lines(wb, trial.matches),
            candidates=_lines(wb, trial.candidates),
            n_matches=len(trial.matches),
            n_candidates=len(trial.candidates),
        )
    )


def counts_html(counts: pd.DataFrame, changes: list[str], stale: list[str]) -> str:
    """The before/after respondents per theme, the edits made and stale override ids."""
    return (
        _env()
        .get_template("counts.html.j2")
        .render(rows=counts.to_dict("records"), changes=changes, stale=stale)
    )


def _split(value: str) -> list[str]:
    return [p.strip() for p in value.replace("\n", ",").split(",") if p.strip()]


def workbench_widget(wb: Any) -> Any:
    """An ipywidgets VBox over ``wb`` (a ``Workbench``)."""
    import ipywidgets as w

    def theme_options() -> list[tuple[str, str]]:
        return [(f"{t.label} ({t.id})", t.id) for t in wb.codebook().themes]

    questions = list(dict.fromkeys(wb.data.answers["question_id"].astype(str)))
    patterns = w.Textarea(description="Patterns", placeholder="one per line, or a, b, c")
    exclude = w.Textarea(description="Exclude", placeholder="phrases that cancel a match")
    describe = w.Textarea(description="Description", placeholder="what the theme means")
    semantic = w.Checkbox(description="try the description (semantic)", value=False)
    applies = w.SelectMultiple(
        options=[(wb.data.question_label(q), q) for q in questions], description="Questions"
    )
    try_button = w.Button(description="Try")
    trial_out = w.HTML()
    new_id, new_label = w.Text(description="Theme id"), w.Text(description="Label")
    themes = w.SelectMultiple(options=theme_options(), description="Themes")
    buttons = {
        n: w.Button(description=n)
        for n in ("Add as theme", "Split off from", "Rename", "Merge into first", "Save")
    }
    status = w.Label()
    counts_out = w.HTML()

    def theme_spec() -> dict[str, Any]:
        spec: dict[str, Any] = {"patterns": _split(patterns.value)}
        if exclude.value.strip():
            spec["exclude"] = _split(exclude.value)
        if applies.value:
            spec["questions"] = list(applies.value)
        if describe.value.strip():
            spec["description"] = describe.value.strip()
        return spec

    def on_try(*_: Any) -> None:
        try:
            trial = wb.try_theme(theme_spec(), semantic=semantic.value)
            trial_out.value = trial_html(wb, trial)
            status.value = "; ".join(trial.unprocessed)
        except Exception as exc:  # a bad pattern: say why, keep the widget alive
            trial_out.value = ""
            status.value = f"cannot try: {exc}"

    def act(name: str) -> Any:
        def go(*_: Any) -> None:
            chosen = list(themes.value)
            spec = {"id": new_id.value.strip(), "label": new_label.value.strip(), **theme_spec()}
            try:
                if name == "Add as theme":
                    wb.add_theme(spec)
                elif name == "Split off from":
                    wb.split_off(chosen[0], spec)
                elif name == "Rename":
                    wb.rename_theme(chosen[0], spec["id"] or None, spec["label"] or None)
                elif name == "Merge into first":
                    wb.merge_themes(chosen, into=chosen[0], label=spec["label"] or None)
                else:
                    status.value = f"written: {wb.save()}"
                    return
                themes.options = theme_options()
                counts_out.value = counts_html(wb.counts(), wb.changes, wb.stale_overrides())
                status.value = wb.changes[-1]
            except (IndexError, KeyError, ValueError) as exc:
                status.value = f"not changed: {exc or 'choose a theme'}"

        return go

    try_button.on_click(on_try)
    for name, b in buttons.items():
        b.on_click(act(name))
    counts_out.value = counts_html(wb.counts(), wb.changes, wb.stale_overrides())
    box = w.VBox(
        [
            w.HBox([patterns, exclude, applies, try_button]),
            w.HBox([describe, semantic]),
            trial_out,
            w.HBox([new_id, new_label, themes]),
            w.HBox([*buttons.values(), status]),
            counts_out,
        ]
    )
    box.trial, box.counts = trial_out, counts_out
    return box
