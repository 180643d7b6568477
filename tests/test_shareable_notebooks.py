"""Executed notebooks made shareable (helpers.pipeline.shareable): outputs redacted in place."""

from __future__ import annotations

import nbformat
import pandas as pd
from nbformat.v4 import new_code_cell, new_notebook, new_output

from helpers.pipeline import redact_notebook, redact_notebooks

PNG = "data:image/png;base64,iVBORw0KGgo07700900123AAAAN"  # digits like a phone number


def _notebook(path):
    cell = new_code_cell("preview(answers)")
    cell.outputs = [
        new_output("stream", name="stdout", text="Contact: jo.bloggs@example.org\nok\n"),
        new_output(
            "display_data",
            data={
                "text/plain": ["r1  Call me on 07700 900123\n", "r2  nothing personal\n"],
                "text/html": (
                    "<style>@page { size: A4 } .q { background: #f3f7fb; }</style>"
                    f'<p>Write to <b>jo.bloggs@example.org</b></p><img alt="chart" src="{PNG}">'
                ),
            },
        ),
        new_output("error", ename="ValueError", evalue="bad row: SW1A 1AA", traceback=["x"]),
    ]
    nbformat.write(new_notebook(cells=[cell, new_code_cell("1 + 1")]), path)


def test_outputs_are_redacted_and_markup_kept(tmp_path):
    path = tmp_path / "01_ingest.ipynb"
    _notebook(path)
    kinds = redact_notebook(path)
    # Hand-counted: the e-mail twice (stream and HTML), the phone once, the postcode once.
    assert kinds == {"email": 2, "phone": 1, "postcode": 1}
    out = nbformat.read(path, as_version=4).cells[0].outputs
    assert out[0]["text"] == "Contact: [email]\nok\n"
    assert out[1]["data"]["text/plain"] == "r1  Call me on [phone]\nr2  nothing personal\n"
    html = out[1]["data"]["text/html"]
    assert "<b>[email]</b>" in html and f'src="{PNG}"' in html  # the image data untouched
    assert "@page { size: A4 }" in html and "#f3f7fb" in html  # the style sheet untouched
    assert out[2]["evalue"] == "bad row: [postcode]"
    assert redact_notebook(path) == {}  # twice changes nothing


def test_the_run_folder_log_names_kind_and_notebook_never_the_value(tmp_path):
    _notebook(tmp_path / "01_ingest.ipynb")
    table = redact_notebooks(tmp_path, ["01_ingest.ipynb", "02_code.ipynb"])  # 02: not there
    log = pd.read_csv(tmp_path / "redaction_log.csv", dtype=str, keep_default_na=False)
    assert log[["source", "table", "kind", "count"]].values.tolist() == [
        ["notebooks", "01_ingest.ipynb", "email", "2"],
        ["notebooks", "01_ingest.ipynb", "phone", "1"],
        ["notebooks", "01_ingest.ipynb", "postcode", "1"],
    ]
    assert len(table) == 3
    assert "example.org" not in (tmp_path / "redaction_log.csv").read_text()
