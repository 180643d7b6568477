"""Build a development set: render ``sources/*.yaml`` to ``responses/`` and write ``gold.yaml``.

Deterministic: the same sources give byte-identical files (fixed dates, ids
and zip timestamps in every format), so a rebuild shows in ``git diff`` only
where a source changed. A file is rewritten only when its bytes change.
Other files in ``responses/`` (survey exports written by hand) are left alone.
"""

from __future__ import annotations

import logging
from pathlib import Path

from helpers.validate.devsets.gold import write_gold
from helpers.validate.devsets.render import render_source
from helpers.validate.devsets.sources import DevSetError, load_set_sources

__all__ = ["build_set"]

log = logging.getLogger(__name__)


def build_set(set_dir: str | Path) -> list[Path]:
    """Render every source of ``set_dir`` and write its gold.yaml; the files written or kept."""
    set_dir = Path(set_dir)
    if not set_dir.is_dir():
        raise DevSetError(f"{set_dir}: not a folder")
    consultation, sources = load_set_sources(set_dir)
    out_dir = set_dir / "responses"
    out_dir.mkdir(exist_ok=True)
    paths = []
    for source in sources:
        data = render_source(source, consultation)
        path = out_dir / source.filename
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
            log.info("wrote %s (%d bytes)", path, len(data))
        paths.append(path)
    if sources or not (set_dir / "gold.yaml").is_file():
        write_gold(set_dir, sources)
    log.info("%s: %d documents rendered, gold.yaml written", set_dir.name, len(sources))
    return paths
