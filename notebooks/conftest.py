"""Make sure the default processed data exists before nbval runs any notebook.

nbval runs notebooks alphabetically, so 00_explore (and 02-05) would otherwise run
before anything has ingested and coded the default data. The library stages
(``ingest.run_ingest`` and ``code.run_coding``, via ``pipeline.refresh_processed``)
bring ``data/processed/<id>/`` up to date once per session; unchanged inputs are
neither read nor coded again (the stage cache), so this costs little when the data is
already there.
"""

from __future__ import annotations

import logging

import pytest

log = logging.getLogger(__name__)
_state: dict[str, object] = {}


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before the first notebook cell of the session, refresh the default processed data."""
    if not str(getattr(item, "path", "")).endswith(".ipynb"):
        return
    if "done" not in _state:
        from helpers.pipeline import refresh_processed

        try:
            config = refresh_processed()
            _state["done"] = config.processed_dir
            log.info("processed data ready in %s", config.processed_dir)
        except Exception as exc:  # report once, clearly, instead of in every cell
            _state["done"] = exc
    if isinstance(_state["done"], Exception):
        pytest.fail(f"could not prepare the default processed data: {_state['done']}")
