"""Run the whole analysis (ingest, code, analyse, report) as one auditable, schedulable job.

``python -m helpers.pipeline run`` executes the notebooks ``01_ingest``, ``02_code``,
``03_analyse`` and ``04_report`` in order with papermill. Each run gets its own folder,
``<output_root>/<consultation id>/<run id>/``, holding the executed notebooks (the audit
trail), the report, charts and tables, ``run.log`` and ``manifest.json`` (inputs and
configuration with SHA-256, package versions, parameters, git commit, times, status).

The run is built in a hidden sibling folder and renamed into place only on success;
the stages write the processed tables into a private staging folder that replaces the
live one only when all of them succeed (``processed``); then the ``latest`` pointer (a symlink plus a portable ``LATEST`` text file) is switched
atomically. A failed run is kept as ``<run id>.failed/`` and never becomes ``latest``.

Exit codes (for cron/systemd): 0 success, 1 failure (including an invalid configuration),
2 bad command line, 3 completed with input errors (some files or survey rows could not be
read: the report is published, names them in a warning box, and ``latest`` moves), 75 another run of the same consultation (or any run or
``consult prepare`` on the same processed folder) holds the lock.

Modules: ``config`` (run.yaml into a RunConfig), ``runfolder`` (run ids, the lock,
building a run aside, ``latest``), ``processed`` (staging, promotion, its lock), ``manifest`` (manifest.json), ``steps`` (the
codebook check, the notebooks with papermill, publishing), ``command`` (the command
line), ``errors``. :func:`run` below is the recipe that puts them together.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

from helpers.core.errors import ConfigError, ConsultError, RunError
from helpers.pipeline.command import (
    DEFAULT_LOG_FILE,
    EXIT_FAILED,
    EXIT_INPUT_ERRORS,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_USAGE,
    add_run_arguments,
    errors_exit_code,
    exit_code,
    main,
    run_from_args,
)
from helpers.pipeline.config import (
    DEFAULT_CONFIG,
    FAILED_SUFFIX,
    FORMATS,
    LATEST_LINK,
    PARTIAL_SUFFIX,
    RunConfig,
    build_config,
    load_config,
    read_config_file,
)
from helpers.pipeline.errors import LockHeld, PipelineError, RunConfigError
from helpers.pipeline.manifest import (
    MANIFEST_PACKAGES,
    git_state,
    input_errors,
    input_files,
    package_versions,
    processed_input_errors,
    sha256_file,
)
from helpers.pipeline.processed import (
    hold_processed_lock,
    new_token,
    processed_lock_path,
    recover_processed,
    staged_processed,
)
from helpers.pipeline.runfolder import (
    LATEST_FILE,
    LOCK_FILE,
    PARTIAL_PREFIX,
    build_run,
    consultation_reports,
    hold_lock,
    latest_run,
    lock_path,
    new_run_id,
    point_latest,
    recover_interrupted,
)
from helpers.pipeline.shareable import redact_notebook, redact_notebooks
from helpers.pipeline.steps import (
    NOTEBOOKS,
    check_codebook,
    copy_processed,
    execute_notebooks,
    notebook_parameters,
    publish_explorer,
    publish_report,
    python_kernel,
)

log = logging.getLogger("helpers.pipeline")


def run(config_path: str | Path | None = None, **overrides: Any) -> Path:
    """Run the pipeline; return the finished run folder.

    ``overrides`` are RunConfig fields (e.g. ``output_root=...``, ``run_id=...``) that
    take precedence over the config file. Raises ConfigError (invalid configuration),
    LockHeld (another run holds the lock) or PipelineError (the run failed; its folder
    is kept as ``<run id>.failed``).
    """
    config = load_config(config_path, **overrides)
    with hold_lock(config) as reports_dir:
        recover_interrupted(reports_dir)
        recover_processed(config)
        run_id = new_run_id(reports_dir, config.run_id)
        with build_run(config, reports_dir, run_id) as build:  # sealed, then `latest` moves
            check_codebook(config)
            with staged_processed(config, run_id) as staging:  # promoted if all succeed
                staged = dataclasses.replace(config, processed_dir=staging)
                execute_notebooks(staged, build.path, build.notebooks)
                publish_report(
                    build.path / "04_report.ipynb",
                    build.path,
                    config.formats,
                    config.report_templates,
                )
                if "explorer" in config.formats:
                    publish_explorer(config, staging, build.path)
                redact_notebooks(build.path, build.notebooks)
                copy_processed(staging, build.path / "processed")
        log.info("run %s complete: %s", run_id, build.final)
    failed = input_errors(build.final)
    if failed:  # complete and published; the exit code (3) and report say what is missing
        log.warning(
            "run %s completed with input errors: %s",
            run_id,
            "; ".join(f"{e['file']}: {e['reason']}" for e in failed),
        )
    return build.final


def refresh_processed(config_path: str | Path | None = None, **overrides: Any) -> RunConfig:
    """Ingest and code with the library stages (no notebooks, no report).

    Brings the processed folder of a configuration (default: the Ofsted run.yaml) up to
    date, reusing cached parses and stage tables (unless ``cache: false``); used before testing notebooks that read processed data.
    Like a run, it takes the processed folder's lock (LockHeld if a run holds it) and
    writes into a staging folder promoted only when both stages succeed.
    """
    from helpers import coding, ingest

    config = load_config(config_path, **overrides)
    with hold_processed_lock(config):
        recover_processed(config)
        with staged_processed(config, new_token()) as staging:
            ingest.run_ingest(
                config.input_dir,
                config.consultation,
                staging,
                metadata_file=config.metadata_file,
                cache_dir=config.cache_dir,
                limits=config.limits,
            )
            coding.run_coding(
                staging,
                config.consultation,
                config.codebook,
                config.overrides,
                hand_coded=config.hand_coded,
                dask=config.dask,
                cache_dir=config.cache_dir,
            )
    return config


__all__ = [
    "DEFAULT_CONFIG",
    "DEFAULT_LOG_FILE",
    "EXIT_FAILED",
    "EXIT_INPUT_ERRORS",
    "EXIT_LOCKED",
    "EXIT_OK",
    "EXIT_USAGE",
    "FAILED_SUFFIX",
    "FORMATS",
    "LATEST_FILE",
    "LATEST_LINK",
    "LOCK_FILE",
    "MANIFEST_PACKAGES",
    "NOTEBOOKS",
    "PARTIAL_PREFIX",
    "PARTIAL_SUFFIX",
    "ConfigError",
    "ConsultError",
    "LockHeld",
    "PipelineError",
    "RunConfig",
    "RunConfigError",
    "RunError",
    "add_run_arguments",
    "build_config",
    "consultation_reports",
    "errors_exit_code",
    "exit_code",
    "git_state",
    "input_errors",
    "input_files",
    "latest_run",
    "load_config",
    "lock_path",
    "main",
    "notebook_parameters",
    "package_versions",
    "point_latest",
    "processed_input_errors",
    "processed_lock_path",
    "publish_explorer",
    "python_kernel",
    "read_config_file",
    "recover_processed",
    "redact_notebook",
    "redact_notebooks",
    "refresh_processed",
    "run",
    "run_from_args",
    "sha256_file",
]
