"""Review: a researcher's workbench in JupyterLab over the processed tables.

In:  the processed tables (``respondents``, ``answers``, ``codes``, ``stances``,
     ``attributes``), ``codebook.yaml`` and ``overrides.csv``.
Out: decisions appended to ``overrides.csv`` (the format the coding stage reads),
     and an edited ``codebook.yaml`` with the change in each theme's count.

Not a pipeline stage: nothing here runs in ``make report``; it reads what the
stages wrote and writes only the two files a researcher owns.

Modules:

- ``session``: ``ReviewSession``, filter and page through answers and accept,
  remove or add a code or set a stance, with undo (plain Python, testable);
  ``render``: one page of answers as escaped HTML, coloured per theme;
  ``view``: the thin ipywidgets face (``ReviewSession.widget()``);
- ``workbench``: ``Workbench``, try a pattern or theme on the corpus (matches
  and false-friend candidates) and add, rename, merge or split themes;
  ``codebook_yaml``: codebook.yaml edited in place, comments kept;
  ``workbench_view``: its widget.
"""

from helpers.review.session import ReviewSession
from helpers.review.workbench import Trial, Workbench

__all__ = ["ReviewSession", "Trial", "Workbench"]
