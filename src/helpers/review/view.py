"""The ipywidgets face of a ``ReviewSession``: filters, one page of answers, decisions.

Deliberately thin: every button calls one ``ReviewSession`` method and redraws
the page, so what the widget does is what the tests check on the session. Only
the current page's HTML is ever in a widget (``review.page_html``); the
dropdowns hold the filters' distinct values and the page's answers, never the
corpus. The HTML widget is also the display's ``text/html`` fallback, so a
notebook opened without a widget frontend still shows the first page.
"""

from __future__ import annotations

from typing import Any

from helpers.core import schemas

ALL = "(all)"


def _options(values: Any, label: Any = str) -> list[tuple[str, Any]]:
    """Dropdown options headed by "(all)", whose value is "" (read as no filter).

    Not None: an ipywidgets 8 Dropdown takes a None value for "nothing selected",
    so picking "(all)" again in the browser left a blank box (index None).
    """
    return [(ALL, "")] + [(label(v), v) for v in values]


def review_widget(session: Any) -> Any:
    """An ipywidgets VBox reviewing ``session`` (ipywidgets 8)."""
    import ipywidgets as w

    data = session.data
    answers = data.answers
    question = w.Dropdown(
        options=_options(dict.fromkeys(answers["question_id"].astype(str)), data.question_label),
        description="Question",
    )
    theme_ids = list(session.theme_colours())
    theme = w.Dropdown(options=_options(theme_ids, data.theme_label), description="Theme")
    stance = w.Dropdown(
        options=_options(schemas.STANCES, schemas.STANCE_LABELS.get), description="Stance"
    )
    rtype = w.Dropdown(
        options=_options(sorted(data.respondents["respondent_type"].dropna().unique())),
        description="Type",
    )
    attrs = session.attributes
    pairs = []
    if attrs is not None and not attrs.empty:
        pairs = sorted(set(zip(attrs["attribute_id"], attrs["value_id"], strict=True)))
    attribute = w.Dropdown(
        options=_options(pairs, lambda p: f"{p[0]}: {p[1]}"), description="Attribute"
    )
    search = w.Text(description="Search", placeholder="words in the answer")
    apply = w.Button(description="Filter")
    prev, nxt = w.Button(description="◀ Previous"), w.Button(description="Next ▶")
    where = w.Label()
    page = w.HTML()

    target = w.Dropdown(description="Answer")
    code_theme = w.Dropdown(
        options=[(data.theme_label(t), t) for t in theme_ids], description="Code"
    )
    passage = w.Dropdown(description="Passage")
    offsets = w.Text(description="or offsets", placeholder="start:end (overrides Passage)")
    new_stance = w.Dropdown(
        options=[(schemas.STANCE_LABELS[s], s) for s in schemas.STANCES], description="New stance"
    )
    reason = w.Text(description="Reason", placeholder="why (kept in overrides.csv)")
    buttons = {
        name: w.Button(description=name)
        for name in ("Accept", "Remove", "Add", "Set stance", "Undo")
    }
    status = w.Label()

    def draw() -> None:
        page.value = session.page_html()
        rows = session.page()
        where.value = f"page {session.page_number + 1} of {session.n_pages}"
        target.options = [
            (f"{r.respondent_id} · {r.question_id}", (r.respondent_id, r.question_id))
            for r in rows.itertuples(index=False)
        ]
        target.index = 0 if target.options else None  # ipywidgets 8 leaves it unset
        on_target()

    def on_target(*_: Any) -> None:
        if target.value is None:
            passage.options = []
            return
        rid, qid = target.value
        passage.options = [("(whole answer)", None)] + [
            (f"{s}:{e} {t[:70]}", (s, e)) for s, e, t in session.sentences(rid, qid)
        ]
        passage.index = 0

    def on_filter(*_: Any) -> None:
        session.filter(
            question=question.value or None,
            theme=theme.value or None,
            stance=stance.value or None,
            respondent_type=rtype.value or None,
            attribute=attribute.value or None,
            search=search.value or None,
        )
        draw()

    def turn(step: int) -> Any:
        def go(*_: Any) -> None:
            session.page(session.page_number + step)
            draw()

        return go

    def decide(name: str) -> Any:
        def go(*_: Any) -> None:
            try:
                if name == "Undo":
                    row = session.undo()
                    status.value = (
                        "nothing to undo"
                        if row is None
                        else f"undone: {row['action']} {row['theme_id']}"
                    )
                else:
                    if target.value is None:
                        raise ValueError("choose an answer")
                    rid, qid = target.value
                    s, e = passage.value or (None, None)
                    if offsets.value.strip():
                        lo, _, hi = offsets.value.partition(":")
                        s, e = int(lo), int(hi)
                    if name == "Accept":
                        session.accept(rid, qid, code_theme.value, reason.value)
                    elif name == "Remove":
                        session.remove(rid, qid, code_theme.value, reason.value)
                    elif name == "Add":
                        session.add(rid, qid, code_theme.value, reason.value, s, e)
                    else:
                        session.set_stance(rid, qid, new_stance.value, reason.value, s, e)
                    status.value = f"written to {session.overrides_path.name}: {name.lower()}"
                    reason.value = ""
            except (KeyError, ValueError) as exc:
                status.value = f"not written: {exc}"
            keep = target.value
            draw()
            if keep in [v for _, v in target.options]:
                target.value = keep

        return go

    apply.on_click(on_filter)
    prev.on_click(turn(-1))
    nxt.on_click(turn(1))
    target.observe(on_target, names="value")
    for name, b in buttons.items():
        b.on_click(decide(name))
    draw()

    class ReviewWidget(w.VBox):
        def _repr_mimebundle_(self, **kwargs: Any) -> dict:
            bundle = super()._repr_mimebundle_(**kwargs) or {}
            bundle["text/html"] = page.value  # static fallback for frontends without widgets
            return bundle

    box = ReviewWidget(
        [
            w.HBox([question, theme, stance]),
            w.HBox([rtype, attribute, search, apply]),
            w.HBox([prev, nxt, where]),
            page,
            w.HBox([target, passage, offsets]),
            w.HBox([code_theme, new_stance, reason]),
            w.HBox(list(buttons.values()) + [status]),
        ]
    )
    box.page = page  # the one HTML widget: tests check it holds one page only
    return box
