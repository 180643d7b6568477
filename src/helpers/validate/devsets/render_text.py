"""Text-based formats drawn from blocks: plain text, Markdown, RTF and HTML.

Each function turns the blocks of ``layout.blocks_for`` into the bytes of one
file. The markup is written by hand, as the simplest writer of each format
would: the point is real files of each kind, not typographic polish.

- txt: a heading is a line of its own; a form has no table, so it is refused
  upstream (``sources.FORM_FORMATS``).
- md: ``style`` heading (default, ``## …``), bold (``**…**``) or plain.
- rtf: ``\\par`` paragraphs, ``\\b`` headings (``style`` bold, the default) or
  plain; forms are ``\\trowd … \\cell … \\row`` tables; non-ASCII as ``\\uN?``.
- html: a saved web form: ``style`` heading (``h3``), bold (``<p><b>``) or
  plain / textarea (``<label>`` then the answer in ``<p>`` or a ``textarea``);
  a form layout is a table with radio buttons (the ticked one ``checked``).
"""

from __future__ import annotations

import html

from helpers.validate.devsets.layout import Block, FormRow, option_lines

__all__ = ["render_html", "render_md", "render_rtf", "render_txt"]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def render_txt(blocks: list[Block], style: str | None = None, tick_style: str = "box") -> bytes:
    parts: list[str] = []
    for b in blocks:
        if b.kind == "form":  # not reached for txt (no tables); a readable fallback
            for row in b.rows:
                parts.append(row.label)
                if row.options:
                    parts.append("\n".join(option_lines(row, tick_style)))
                parts.extend(row.paragraphs)
        else:
            parts.append(b.text)
    return ("\n\n".join(parts) + "\n").encode("utf-8")


def render_md(blocks: list[Block], style: str | None = None, tick_style: str = "box") -> bytes:
    style = style or "heading"
    parts: list[str] = []
    for b in blocks:
        if b.kind == "heading":
            parts.append(
                f"## {b.text}"
                if style == "heading"
                else f"**{b.text}**"
                if style == "bold"
                else b.text
            )
        elif b.kind == "form":
            parts.append(render_txt([b], tick_style=tick_style).decode().strip())
        else:
            parts.append(b.text)
    return ("\n\n".join(parts) + "\n").encode("utf-8")


# --- RTF -------------------------------------------------------------------------


def _rtf_escape(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\line ")
        elif code < 128:
            out.append(ch)
        else:
            for unit in _utf16_units(ch):
                out.append(f"\\u{unit if unit < 32768 else unit - 65536}?")
    return "".join(out)


def _utf16_units(ch: str) -> list[int]:
    data = ch.encode("utf-16-le")
    return [int.from_bytes(data[i : i + 2], "little") for i in range(0, len(data), 2)]


def _rtf_para(text: str, bold: bool = False) -> str:
    body = _rtf_escape(text)
    return (
        f"\\pard\\plain\\f0\\fs22 {{\\b {body}}}\\par\n"
        if bold
        else f"\\pard\\plain\\f0\\fs22 {body}\\par\n"
    )


def _rtf_row(cells: list[list[str]]) -> str:
    widths = "".join(f"\\cellx{4500 * (i + 1)}" for i in range(len(cells)))
    body = "".join(
        "\\pard\\intbl\\plain\\f0\\fs22 " + "\\par ".join(_rtf_escape(p) for p in cell) + "\\cell\n"
        for cell in cells
    )
    return f"\\trowd\\trgaph108{widths}\n{body}\\row\n"


def render_rtf(blocks: list[Block], style: str | None = None, tick_style: str = "box") -> bytes:
    bold = (style or "bold") != "plain"
    out = ["{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}\n"]
    for b in blocks:
        if b.kind == "heading":
            out.append(_rtf_para(b.text, bold=bold))
        elif b.kind == "para":
            out.append(_rtf_para(b.text))
        else:
            for row in b.rows:
                answer = option_lines(row, tick_style) + list(row.paragraphs)
                out.append(_rtf_row([[row.label], answer or [""]]))
            out.append("\\pard\\par\n")
    out.append("}\n")
    return "".join(out).encode("ascii")


# --- HTML ------------------------------------------------------------------------


def _esc(text: str) -> str:
    return html.escape(text, quote=True).replace("\n", "<br>\n")


def _html_row(row: FormRow, n: int, tick_style: str) -> str:
    name = f"q{n}-{row.question}"
    cells = []
    for i, (option, label, ticked) in enumerate(row.options):
        cid = f"{name}-{i}"
        checked = " checked" if ticked else ""
        cells.append(
            f'<div><input type="radio" id="{cid}" name="{name}" value="{option}"{checked}> '
            f'<label for="{cid}">{_esc(label)}</label></div>'
        )
    if row.paragraphs or not row.options:
        text = html.escape("\n\n".join(row.paragraphs))
        cells.append(f'<textarea name="{name}-text" rows="8" cols="60">{text}</textarea>')
    answer = "\n".join(cells)
    return f"<tr><td><label>{_esc(row.label)}</label></td>\n<td>{answer}</td></tr>\n"


def render_html(blocks: list[Block], style: str | None = None, tick_style: str = "box") -> bytes:
    style = style or "heading"
    out = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Consultation response</title>\n</head>\n<body>\n<form>\n"
    ]
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "heading":
            if style == "heading":
                out.append(f"<h3>{_esc(b.text)}</h3>\n")
            elif style == "bold":
                out.append(f"<p><b>{_esc(b.text)}</b></p>\n")
            else:
                out.append(f"<p><label>{_esc(b.text)}</label></p>\n")
        elif b.kind == "para" and style == "textarea" and b.answer is not None:
            group = [b.text]
            while (
                i + 1 < len(blocks)
                and blocks[i + 1].kind == "para"
                and blocks[i + 1].answer == b.answer
            ):
                i += 1
                group.append(blocks[i].text)
            text = html.escape("\n\n".join(group))
            out.append(f'<p><textarea rows="6" cols="60">{text}</textarea></p>\n')
        elif b.kind == "para":
            out.append(f"<p>{_esc(b.text)}</p>\n")
        else:
            out.append('<table class="form">\n')
            out.extend(_html_row(row, n, tick_style) for n, row in enumerate(b.rows, 1))
            out.append("</table>\n")
        i += 1
    out.append("</form>\n</body>\n</html>\n")
    return "".join(out).encode("utf-8")
