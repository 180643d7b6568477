"""The run configuration: run.yaml and command-line values, validated into a :class:`RunConfig`.

Everything is checked before a run starts, so a typo fails in a second with a
message naming the file and the field: unknown and missing fields, files and
folders that do not exist, formats, the run id, and the consultation itself.
Relative paths resolve against the project root.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from helpers.core import paths
from helpers.core.attributes import RESPONDENT_TYPE
from helpers.core.consultation import ConsultationError, load_consultation
from helpers.core.errors import ConfigError, read_yaml
from helpers.core.scheduler import DaskSettings
from helpers.ingest import parse_limits
from helpers.pipeline.errors import RunConfigError

# html: report.html; pdf: report.pdf; explorer: explorer.html (report.explorer), the offline explorer.
FORMATS = ("html", "pdf", "explorer")
DEFAULT_CONFIG = "consultations/ofsted-ilacs-care-leavers-2022/run.yaml"

# Names a run id must not take: the reports folder's ``latest`` pointer and the
# suffixes of failed and partial runs (runfolder.py lays the folder out).
LATEST_LINK = "latest"
FAILED_SUFFIX = ".failed"
PARTIAL_SUFFIX = ".partial"
_RUN_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


@dataclass(frozen=True)
class RunConfig:
    """A validated run configuration (paths absolute)."""

    consultation: Path
    codebook: Path
    input_dir: Path
    processed_dir: Path
    output_root: Path
    overrides: Path | None = None
    metadata_file: str = "manifest.csv"
    # The ingest and coding stage caches (None: disabled, run.yaml ``cache: false``).
    cache_dir: Path | None = None
    cache: bool = True
    title: str | None = None
    formats: tuple[str, ...] = FORMATS
    hand_coded: Path | None = None
    report_templates: Path | None = None
    # Attributes each question section breaks stances and themes down by (report).
    breakdowns: tuple[str, ...] = (RESPONDENT_TYPE,)
    limits: dict[str, Any] | None = None  # per-file limits for ingest (readers.limits)
    # Dask scheduler for coding ({address, partition_rows}; None: in this process).
    dask: dict[str, Any] | None = None
    run_id: str | None = None
    notebooks_dir: Path | None = None
    source: Path | None = None  # the config file the values came from, if any
    consultation_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly parameters (for the manifest)."""
        out = {}
        for k, v in asdict(self).items():
            if isinstance(v, Path):
                v = str(v)
            elif isinstance(v, tuple):
                v = list(v)
            out[k] = v
        return out


# Fields a run.yaml may set, and whether each is a path.
CONFIG_FIELDS: dict[str, bool] = {
    "consultation": True,
    "codebook": True,
    "overrides": True,
    "input_dir": True,
    "metadata_file": False,
    "processed_dir": True,
    "cache_dir": True,
    "cache": False,
    "output_root": True,
    "title": False,
    "formats": False,
    "hand_coded": True,
    "report_templates": True,
    "breakdowns": False,
    "limits": False,
    "dask": False,
    "run_id": False,
    "notebooks_dir": True,
}
_REQUIRED = ("consultation", "codebook", "input_dir")


def _cerr(where: str, msg: str) -> RunConfigError:
    return RunConfigError(f"{where}: {msg}")


def read_config_file(path: str | Path) -> dict[str, Any]:
    """Read a run.yaml into a mapping (unvalidated). Raises ConfigError naming the file."""
    path = paths.resolve(path)
    raw = read_yaml(path, RunConfigError, "run configuration not found")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RunConfigError(f"{path}: must be a YAML mapping of field: value")
    return raw


def build_config(
    values: dict[str, Any], where: str = "<run configuration>", source: Path | None = None
) -> RunConfig:
    """Validate ``values`` (from run.yaml and/or the command line) into a RunConfig.

    Relative paths resolve against the project root. Errors name ``where`` and the field.
    """
    unknown = sorted(set(values) - set(CONFIG_FIELDS))
    if unknown:
        raise _cerr(where, f"unknown field(s) {unknown}; allowed: {sorted(CONFIG_FIELDS)}")
    for key in _REQUIRED:
        if values.get(key) in (None, ""):
            raise _cerr(where, f"missing required field '{key}'")
    resolved: dict[str, Any] = {}
    for key, is_path in CONFIG_FIELDS.items():
        v = values.get(key)
        if v is None or v == "":
            continue
        if is_path:
            if not isinstance(v, str | os.PathLike):
                raise _cerr(where, f"field '{key}' must be a path, got {v!r}")
            resolved[key] = paths.resolve(v)
        else:
            resolved[key] = v

    for key in ("consultation", "codebook", "overrides", "hand_coded"):
        p = resolved.get(key)
        if p is not None and not p.is_file():
            raise _cerr(where, f"field '{key}': file not found: {p}")
    if not resolved["input_dir"].is_dir():
        raise _cerr(where, f"field 'input_dir': folder not found: {resolved['input_dir']}")
    for key in ("notebooks_dir", "report_templates"):
        if key in resolved and not resolved[key].is_dir():
            raise _cerr(where, f"field '{key}': folder not found: {resolved[key]}")

    formats = resolved.get("formats", list(FORMATS))
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",") if f.strip()]
    if not isinstance(formats, list | tuple) or not formats:
        raise _cerr(where, f"field 'formats' must be a list drawn from {list(FORMATS)}")
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise _cerr(where, f"field 'formats': unknown format(s) {bad}; allowed: {list(FORMATS)}")
    for key in ("title", "metadata_file", "run_id"):
        v = resolved.get(key)
        if v is not None and not (isinstance(v, str) and v.strip()):
            raise _cerr(where, f"field '{key}' must be a non-empty string, got {v!r}")
    run_id = resolved.get("run_id")
    if run_id is not None and (
        not _RUN_ID_RE.match(run_id)
        or run_id == LATEST_LINK
        or run_id.endswith((FAILED_SUFFIX, PARTIAL_SUFFIX))
    ):
        raise _cerr(
            where,
            f"field 'run_id' {run_id!r} must use letters, digits, '.', '_' or '-', "
            f"must not be '{LATEST_LINK}' or end in '{FAILED_SUFFIX}'",
        )

    cache = resolved.get("cache", True)
    if not isinstance(cache, bool):
        raise _cerr(where, f"field 'cache' must be true or false, got {cache!r}")

    limits = resolved.get("limits")
    if limits is not None:
        try:
            limits = parse_limits(limits, "field 'limits'").as_dict()
        except ConfigError as exc:
            raise _cerr(where, str(exc)) from exc

    try:
        dask = DaskSettings.parse(resolved.get("dask"), "field 'dask'")
    except ConfigError as exc:
        raise _cerr(where, str(exc)) from exc

    try:
        consultation = load_consultation(resolved["consultation"])
    except ConsultationError as exc:
        raise _cerr(where, f"field 'consultation': {exc}") from exc
    breakdowns = _breakdowns(resolved.get("breakdowns"), consultation, where)
    cid = consultation.id
    processed = resolved.get("processed_dir") or paths.resolve(f"data/processed/{cid}")
    return RunConfig(
        consultation=resolved["consultation"],
        codebook=resolved["codebook"],
        input_dir=resolved["input_dir"],
        processed_dir=processed,
        output_root=resolved.get("output_root") or paths.resolve("reports"),
        overrides=resolved.get("overrides"),
        metadata_file=resolved.get("metadata_file", "manifest.csv"),
        cache_dir=(resolved.get("cache_dir") or processed / ".cache") if cache else None,
        cache=cache,
        title=resolved.get("title") or consultation.title,
        formats=tuple(dict.fromkeys(formats)),
        hand_coded=resolved.get("hand_coded"),
        report_templates=resolved.get("report_templates"),
        breakdowns=breakdowns,
        limits=limits,
        dask=dask.as_dict() if dask is not None else None,
        run_id=run_id,
        notebooks_dir=resolved.get("notebooks_dir"),
        source=source,
        consultation_id=cid,
    )


def _breakdowns(value: Any, consultation: Any, where: str) -> tuple[str, ...]:
    """The ``breakdowns`` field: attribute ids (a list, or comma-separated on the command
    line), each ``respondent_type`` or an attribute the consultation declares."""
    if value is None:
        return (RESPONDENT_TYPE,)
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if (
        not isinstance(value, list | tuple)
        or not value
        or not all(isinstance(v, str) for v in value)
    ):
        raise _cerr(where, f"field 'breakdowns' must be a list of attribute ids, got {value!r}")
    known = [RESPONDENT_TYPE, *(a.id for a in consultation.attributes)]
    unknown = [v for v in value if v not in known]
    if unknown:
        raise _cerr(
            where,
            f"field 'breakdowns': unknown attribute id(s) {unknown}; the consultation "
            f"declares {known}",
        )
    return tuple(dict.fromkeys(value))


def load_config(config_path: str | Path | None = None, **overrides: Any) -> RunConfig:
    """Load ``config_path`` (default: the Ofsted run.yaml) and apply ``overrides``.

    Override values of None are ignored, so command-line options left unset keep the
    file's values.
    """
    values: dict[str, Any] = {}
    source = None
    if config_path is not None or not overrides.get("consultation"):
        source = paths.resolve(config_path or DEFAULT_CONFIG)
        values.update(read_config_file(source))
    values.update({k: v for k, v in overrides.items() if v is not None})
    where = str(source) if source else "<command line>"
    return build_config(values, where=where, source=source)
