"""The workbook (``tables.xlsx``) written as a stream, a column at a time, not a cell at a time.

``write_tables`` used to hand each table to pandas' ``to_excel`` (openpyxl), which
builds a Python object per cell, holds the whole workbook in memory, and was then
walked again cell by cell to keep text from being read as a formula. The
per-respondent sheets (``respondent_theme_matrix``, ``respondent_themes``,
``uncoded``) grow with respondents: at 10,000 that was most of ``write_tables``
and at a million it would be tens of millions of cell objects (issue 15).

Here a sheet's XML is built from whole columns with pandas' vectorised string
operations, a block of rows at a time, and streamed into the zip: memory holds one
block, whatever the number of rows. The file says what openpyxl wrote for the same
tables: numbers as numbers (``%.16g``, openpyxl's own format), booleans as
booleans, text as inline strings with Excel's control characters as spaces and
cut at a cell's 32,767 characters (the CSV keeps the full text), missing values as
blank cells, and text starting with a formula character (``=``, ``+``, ``-``,
``@``, tab, CR) as text with Excel's quote prefix, never a formula. Columns of
other types (dates, mixed objects) are written value by value with the same rules.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from helpers.core.safecsv import FORMULA_STARTS

__all__ = ["BLOCK_ROWS", "EXCEL_CELL_LIMIT", "excel_text", "write_workbook"]

EXCEL_CELL_LIMIT = 32_767
BLOCK_ROWS = 20_000  # rows built and written at once
TRUNCATED = " […truncated: see the CSV for the rest]"
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Cell styles: 0 plain, 1 text with Excel's quote prefix (still text after an edit).
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_NS}"><fonts count="1"><font><sz val="11"/>'
    '<name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill>'
    '<patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/>'
    '</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0" xfId="0"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" '
    'quotePrefix="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
    'builtinId="0"/></cellStyles></styleSheet>'
)
_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_XML_RE = re.compile("[&<>\r]")


def excel_text(value: object) -> object:
    """Text Excel can hold: control characters XLSX forbids as spaces, within a cell's limit.

    Respondents' words reach the workbook (uncoded answers); a stray control
    character makes the file unreadable, and a cell over 32,767 characters makes
    Excel call the file damaged. The CSV keeps the full text.
    """
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub(" ", value)
    if len(text) > EXCEL_CELL_LIMIT:
        text = text[: EXCEL_CELL_LIMIT - len(TRUNCATED)] + TRUNCATED
    return text


def _text_cells(values: pd.Series, refs: pd.Series) -> pd.Series:
    """``<c>`` elements for a column of str (NA: empty string, no cell).

    The block's cells are joined once and searched for the characters that need a
    step (control characters, ``& < > \\r``, more than a cell's limit in all); a step
    runs only when one is there, XML escapes as literal replacements (``&`` first), not
    a regular expression with a Python callback per match (issue 15: the workbook's
    text cells were a tenth of the analysis stage at 100,000 respondents). Same cells.
    """
    na = values.isna().to_numpy()
    text = values.fillna("").astype(object)
    joined = "".join(text.tolist())
    if ILLEGAL_CHARACTERS_RE.search(joined):
        text = text.str.replace(ILLEGAL_CHARACTERS_RE, " ", regex=True)
    if len(joined) > EXCEL_CELL_LIMIT:
        long = (text.str.len() > EXCEL_CELL_LIMIT).to_numpy()
        if long.any():
            text[long] = [excel_text(t) for t in text[long]]
    quoted = text.str.startswith(FORMULA_STARTS).to_numpy()
    spaced = (text != text.str.strip()).to_numpy()
    body = text
    for char, escaped in _XML_ESCAPES.items():  # "&" first: the others add one
        if char in joined:
            body = body.str.replace(char, escaped, regex=False)
    style = np.where(quoted, ' s="1"', "")
    space = np.where(spaced, ' xml:space="preserve"', "")
    cells = '<c r="' + refs + '"' + style + ' t="inlineStr"><is><t' + space + ">" + body
    cells = cells + "</t></is></c>"
    # Empty text is a blank cell, as openpyxl writes it (an element with no value).
    return cells.where(~(na | (text == "").to_numpy()), "")


def _number_text(value: object) -> str:
    return "%.16g" % value  # noqa: UP031 (openpyxl's format for numbers compat.strings.safe_string)


def _value_cell(value: object, ref: str) -> str:
    """One ``<c>`` element for any value (the path for columns of mixed or other types)."""
    if value is None or (value == "" if isinstance(value, str) else pd.isna(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if np.isinf(value):
            return ""
        return f'<c r="{ref}" t="n"><v>{_number_text(value)}</v></c>'
    text = str(excel_text(value if isinstance(value, str) else str(value)))
    style = ' s="1"' if text.startswith(FORMULA_STARTS) else ""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    body = _XML_RE.sub(lambda m: _XML_ESCAPES[m.group(0)], text)
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{body}</t></is></c>'


def _column_cells(col: pd.Series, refs: pd.Series) -> pd.Series:
    """The ``<c>`` elements of one column of a block (empty strings for blank cells)."""
    dtype = col.dtype
    if pd.api.types.is_bool_dtype(dtype) and not col.isna().any():
        return '<c r="' + refs + '" t="b"><v>' + col.astype("int8").astype(str) + "</v></c>"
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        values = col.to_numpy(dtype="float64", na_value=np.nan)
        blank = ~np.isfinite(values)
        if pd.api.types.is_integer_dtype(dtype) and (np.abs(values[~blank]) < 2**53).all():
            text = col.astype("Int64").astype(str)  # exact, as '%.16g' writes these
        else:
            text = pd.Series([_number_text(v) for v in values], index=col.index)
        cells = '<c r="' + refs + '" t="n"><v>' + text + "</v></c>"
        return cells.where(~blank, "")
    if pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype):
        kind = pd.api.types.infer_dtype(col, skipna=True)
        if kind in ("string", "empty"):
            return _text_cells(col, refs)
    return pd.Series(
        [_value_cell(v, r) for v, r in zip(col.tolist(), refs.tolist(), strict=True)],
        index=col.index,
        dtype=object,
    )


def _header(columns: Iterable[object]) -> str:
    cells = [
        _value_cell(name, f"{get_column_letter(k)}1") for k, name in enumerate(columns, start=1)
    ]
    return '<row r="1">' + "".join(cells) + "</row>"


def _sheet_rows(df: pd.DataFrame) -> Iterable[str]:
    """The sheet's ``<row>`` elements, a block of rows at a time (header first)."""
    yield _header(df.columns)
    letters = [get_column_letter(k) for k in range(1, df.shape[1] + 1)]
    for first in range(0, len(df), BLOCK_ROWS):
        block = df.iloc[first : first + BLOCK_ROWS]
        numbers = pd.Series(np.arange(first + 2, first + 2 + len(block)).astype(str), dtype=object)
        rows = '<row r="' + numbers + '">'
        for k, letter in enumerate(letters):
            col = block.iloc[:, k].reset_index(drop=True)
            rows = rows + _column_cells(col, letter + numbers)
        yield "".join((rows + "</row>").tolist())


def write_workbook(sheets: Iterable[tuple[str, pd.DataFrame]], path: str | Path) -> Path:
    """Write (sheet name, table) pairs as one XLSX workbook at ``path``; returns the path.

    Names must be unique and within Excel's 31 characters; each table must fit a
    sheet (``tables.sheet_parts`` splits longer ones). See the module docstring.
    """
    path = Path(path)
    names: list[str] = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, df in sheets:
            names.append(name)
            with zf.open(f"xl/worksheets/sheet{len(names)}.xml", "w", force_zip64=True) as fh:
                fh.write(f'{_XML}<worksheet xmlns="{_NS}"><sheetData>'.encode())
                for chunk in _sheet_rows(df):
                    fh.write(chunk.encode("utf-8"))
                fh.write(b"</sheetData></worksheet>")
        sheet_list = "".join(
            f'<sheet name="{escape(n, {chr(34): "&quot;"})}" sheetId="{k}" r:id="rId{k}"/>'
            for k, n in enumerate(names, start=1)
        )
        zf.writestr(
            "xl/workbook.xml",
            f'{_XML}<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>{sheet_list}</sheets></workbook>',
        )
        rels = "".join(
            f'<Relationship Id="rId{k}" Type="{_REL}/worksheet" Target="worksheets/sheet{k}.xml"/>'
            for k in range(1, len(names) + 1)
        )
        rels += f'<Relationship Id="rId{len(names) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{_XML}<Relationships xmlns="{_PKG}">{rels}</Relationships>',
        )
        zf.writestr("xl/styles.xml", _STYLES)
        zf.writestr(
            "_rels/.rels",
            f'{_XML}<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{k}.xml" ContentType="{ct}.worksheet+xml"/>'
            for k in range(1, len(names) + 1)
        )
        zf.writestr(
            "[Content_Types].xml",
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>{overrides}'
            "</Types>",
        )
    return path
