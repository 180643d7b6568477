"""The command line: ``python -m helpers.pipeline run [options]`` (and ``consult run``).

Exit codes, for cron and systemd: 0 success (the run folder is the one line on
stdout), 1 failure (an expected one in one line, a bug with its traceback),
2 bad command line, 3 completed with input errors (the run published its
report and moved ``latest``, but some input files or survey rows could not be
read: each is named in the report's warning box, ``manifest.json``'s
``input_errors`` and the log), 75 another run of the same consultation holds
the lock, 128 + signal number when stopped by a signal (143 for SIGTERM).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from helpers.core import paths
from helpers.core.errors import ConsultError, one_line
from helpers.core.logs import flush_warnings, quiet_console, setup_logging
from helpers.pipeline.config import CONFIG_FIELDS, DEFAULT_CONFIG, RunConfig
from helpers.pipeline.errors import LockHeld
from helpers.pipeline.manifest import input_errors

log = logging.getLogger("helpers.pipeline")  # one name for the run's lines, as under `python -m`

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INPUT_ERRORS = 3  # completed with input errors: published, `latest` moved
EXIT_LOCKED = 75  # EX_TEMPFAIL: try again later

DEFAULT_LOG_FILE = "logs/pipeline.log"


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``run`` options (shared with the ``consult`` command)."""
    parser.add_argument("--config", help=f"run configuration YAML (default: {DEFAULT_CONFIG})")
    parser.add_argument("--consultation", help="consultation definition YAML")
    parser.add_argument("--codebook", help="codebook YAML")
    parser.add_argument("--overrides", help="manual overrides CSV")
    parser.add_argument("--input", dest="input_dir", help="folder of responses")
    parser.add_argument("--metadata-file", help="metadata CSV inside the input folder")
    parser.add_argument("--processed", dest="processed_dir", help="processed data folder")
    parser.add_argument(
        "--cache",
        dest="cache_dir",
        help="cache of parses and of the ingest and coding stages (default: processed/.cache)",
    )
    parser.add_argument(
        "--no-cache",
        dest="cache",
        action="store_const",
        const=False,
        help="read and code everything afresh, neither using nor writing the cache "
        "(run.yaml: cache: false)",
    )
    parser.add_argument("--output-root", help="where run folders go (default: reports)")
    parser.add_argument("--title", help="report title (default: the consultation's title)")
    parser.add_argument(
        "--formats", help="comma-separated from html,pdf,explorer (default: all three)"
    )
    parser.add_argument("--hand-coded", help="hand-coded sample CSV for the agreement section")
    parser.add_argument(
        "--report-templates", help="folder of your own report templates/CSS, searched first"
    )
    parser.add_argument(
        "--breakdowns",
        help="comma-separated attribute ids each question section breaks down by "
        "(default: respondent_type)",
    )
    parser.add_argument(
        "--scheduler",
        dest="dask",
        help="Dask scheduler address (tcp://host:8786, or local:N for N local worker "
        "processes) to run coding on; default: this process (docs/scale.md)",
    )
    parser.add_argument("--run-id", help="name of the run folder (default: UTC timestamp)")
    parser.add_argument("--notebooks-dir", help=argparse.SUPPRESS)
    parser.add_argument(
        "--log-file", default=DEFAULT_LOG_FILE, help=f"log file (default: {DEFAULT_LOG_FILE})"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="log warnings only to stderr")
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="log every notebook cell and its output to stderr too (default: progress and "
        "warnings, each kind of warning once with its count; run.log has every line)",
    )


def run_from_args(args: argparse.Namespace) -> int:
    """Run with parsed arguments and return the exit code; never raises for run errors."""
    from helpers.pipeline import run  # the recipe, in the package that imports this module

    setup_logging(logging.WARNING if args.quiet else logging.INFO, paths.resolve(args.log_file))
    if args.quiet:  # keep INFO in the log files, warnings on the terminal
        logging.getLogger().setLevel(logging.INFO)
        for h in logging.getLogger().handlers:
            if isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler):
                h.setLevel(logging.WARNING)
    quiet_console(verbose=getattr(args, "verbose", False))
    try:
        return _run(args, run)
    finally:
        flush_warnings()  # warnings held since the last stage, each kind once


def _run(args: argparse.Namespace, run: Any) -> int:
    keys = [f.name for f in fields(RunConfig) if f.name in CONFIG_FIELDS]
    overrides = {k: getattr(args, k, None) for k in keys}
    try:
        run_dir = run(args.config, **overrides)
    except LockHeld as exc:
        log.warning("%s; exiting with %d", exc, EXIT_LOCKED)
        return EXIT_LOCKED
    except ConsultError as exc:  # expected: one line, no traceback
        log.error("%s", one_line(exc))
        return EXIT_FAILED
    except Exception:
        log.exception("pipeline failed unexpectedly")
        return EXIT_FAILED
    sys.stdout.write(f"{run_dir}\n")  # the one line of stdout: where the run is, for scripts
    return exit_code(run_dir)


def exit_code(run_dir: Any) -> int:
    """EXIT_OK, or EXIT_INPUT_ERRORS when some inputs of the finished run failed (each logged)."""
    return errors_exit_code(input_errors(run_dir), "the report's warning box and manifest.json")


def errors_exit_code(errors: list[dict[str, str]], where: str) -> int:
    """EXIT_OK for no failed inputs; else each logged and EXIT_INPUT_ERRORS.

    ``where`` says where the failed inputs are named besides the log (for
    ``run``, the report and its manifest; for ``consult prepare``, ingest_log).
    """
    if not errors:
        return EXIT_OK
    for e in errors:
        log.warning("input not read: %s: %s", e["file"], e["reason"])
    log.warning(
        "completed with input errors: %d input(s) could not be read (named in %s); exiting with %d",
        len(errors),
        where,
        EXIT_INPUT_ERRORS,
    )
    return EXIT_INPUT_ERRORS


def _terminate(signum: int, frame: Any) -> None:
    # cron/systemd stop with SIGTERM: unwind so the partial run is kept as .failed.
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m helpers.pipeline run [options]``; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.pipeline",
        description="Run ingest, coding, analysis and the report as one auditable run.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    add_run_arguments(sub.add_parser("run", help="run the whole pipeline"))
    args = parser.parse_args(argv)
    with contextlib.suppress(ValueError):  # not in the main thread
        signal.signal(signal.SIGTERM, _terminate)
    return run_from_args(args)
