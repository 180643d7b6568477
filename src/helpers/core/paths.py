"""Where things live. Relative paths in parameters resolve against the project root,
so notebooks behave the same whether run by papermill, nbval or JupyterLab."""

from __future__ import annotations

from pathlib import Path

DEFAULT_CONSULTATION_ID = "ofsted-ilacs-care-leavers-2022"


def project_root(start: Path | None = None) -> Path:
    """The nearest folder upward from ``start`` (default: cwd) holding pyproject.toml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").exists() and (folder / "src" / "helpers").exists():
            return folder
    # Installed without a checkout: fall back to cwd.
    return here


def resolve(path: str | Path, root: Path | None = None) -> Path:
    """Absolute path: ``path`` as given if absolute, else relative to the project root."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else (root or project_root()) / p


def consultation_dir(consultation_id: str = DEFAULT_CONSULTATION_ID) -> Path:
    return project_root() / "consultations" / consultation_id


def raw_dir(consultation_id: str = DEFAULT_CONSULTATION_ID) -> Path:
    return project_root() / "data" / "raw" / consultation_id


def processed_dir(consultation_id: str = DEFAULT_CONSULTATION_ID) -> Path:
    return project_root() / "data" / "processed" / consultation_id
