"""One page of answers as HTML: coded passages in their theme's colour, method named.

Python prepares plain data (pieces of text and the codes covering each) and a
Jinja2 template with autoescape renders it (``templates/page.html.j2``), so a
respondent's ``<script>`` is shown as text. Bidirectional controls are removed
(``report.strip_bidi``) so an answer cannot reverse the text around it.

Colours come from the one palette (``core.palette``), in codebook order; with
more themes than colours they repeat, and the theme's label (hover, legend)
tells them apart.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from helpers import report
from helpers.core import schemas
from helpers.core.palette import PALETTE

# The palette's categorical colours (grey and black are kept for text and neutral).
THEME_COLOURS = tuple(
    PALETTE[c]
    for c in (
        "blue",
        "orange",
        "bluish_green",
        "reddish_purple",
        "sky_blue",
        "vermillion",
        "yellow",
    )
)


def theme_colours(theme_ids: list[str]) -> dict[str, str]:
    """Theme id -> colour, cycling through ``THEME_COLOURS`` in the order given."""
    return {t: THEME_COLOURS[i % len(THEME_COLOURS)] for i, t in enumerate(theme_ids)}


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("page.html.j2")


def segments(
    text: str, lo: int, hi: int, spans: list[tuple[int, int, dict[str, Any]]]
) -> list[dict[str, Any]]:
    """``text[lo:hi]`` cut at every span boundary: each piece with the marks covering it.

    Marks never nest or cross: a piece covered by several codes carries all of
    them (its title lists each; its colour is the first's).
    """
    clipped = [(max(s, lo), min(e, hi), m) for s, e, m in spans]
    clipped = [(s, e, m) for s, e, m in clipped if s < e]
    cuts = sorted({lo, hi, *(s for s, _, _ in clipped), *(e for _, e, _ in clipped)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        marks = [m for s, e, m in clipped if s <= a and b <= e]
        piece: dict[str, Any] = {"text": report.strip_bidi(text[a:b]), "marks": marks}
        if marks:
            piece["title"] = "; ".join(dict.fromkeys(m["title"] for m in marks))
            piece["colour"] = marks[0]["colour"]
            piece["negated"] = all(m["negated"] for m in marks)
        out.append(piece)
    return out


def _themes(codes: pd.DataFrame, label: Any, colours: dict[str, str]) -> list[dict[str, Any]]:
    """One entry per coded passage: theme, colour, the methods that found it, negation."""
    out = []
    if codes.empty:
        return out
    neg = codes["negated"].fillna(False).astype(bool)
    for (tid, s, e, ng), grp in codes.assign(neg=neg).groupby(
        ["theme_id", "start", "end", "neg"], sort=True
    ):
        methods = ", ".join(sorted(set(grp["method"].astype(str))))
        title = f"{label(tid)} ({methods}{', negated' if ng else ''})"
        out.append(
            {
                "theme_id": tid,
                "label": label(tid),
                "methods": methods,
                "negated": bool(ng),
                "colour": colours.get(tid, PALETTE["grey"]),
                "start": int(s),
                "end": int(e),
                "title": title,
            }
        )
    return out


def legend(themes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per theme of an answer: its passages counted, methods united, negated apart."""
    out: dict[str, dict[str, Any]] = {}
    for t in themes:
        e = out.setdefault(
            t["theme_id"],
            {"label": t["label"], "colour": t["colour"], "methods": set(), "n": 0, "negated": 0},
        )
        e["methods"].update(t["methods"].split(", "))
        e["negated" if t["negated"] else "n"] += 1
    return [{**e, "methods": ", ".join(sorted(e["methods"]))} for e in out.values()]


def page_html(session: Any, rows: pd.DataFrame, codes: pd.DataFrame, stances: pd.DataFrame) -> str:
    """The page ``rows`` (answers) as HTML; ``codes`` and ``stances`` (indexed by key) are the page's own."""
    data = session.data
    colours = session.theme_colours()
    by_key = dict(tuple(codes.groupby("key"))) if not codes.empty else {}
    names = session._names
    methods = stances["method"].to_dict()
    stances = stances["stance"].to_dict()
    answers = []
    for r in rows.itertuples(index=False):
        text = str(session._texts[r.respondent_id])
        lo, hi = int(r.start), int(r.end)
        themes = _themes(by_key.get(r.key, codes.iloc[:0]), data.theme_label, colours)
        spans = [(t["start"], t["end"], t) for t in themes]
        who = names.get(r.respondent_id)
        stance = stances.get(r.key)
        answers.append(
            {
                "who": report.strip_bidi(str(who if pd.notna(who) else r.respondent_id)),
                "respondent_id": r.respondent_id,
                "question_id": r.question_id,
                "question": data.question_label(r.question_id),
                "start": lo,
                "end": hi,
                "stance": schemas.STANCE_LABELS.get(stance, stance) if stance else None,
                "stance_method": str(methods.get(r.key, "")) if stance else "",
                "themes": legend(themes),
                "segments": segments(text, lo, hi, spans),
                "rtl": report.bidi_sensitive(text[lo:hi]),
            }
        )
    first = session.page_number * session.page_size
    return _template().render(
        answers=answers,
        total=len(session.current),
        first=first + 1 if answers else 0,
        last=first + len(answers),
        page=session.page_number + 1,
        pages=session.n_pages,
    )
