"""The ``consult`` command: the pipeline's entry point once the package is installed.

    consult run [options]        same as `python -m helpers.pipeline run` (and `make report`)
    consult prepare [--config]   ingest and code only (library stages, no notebooks/report);
                                 takes the processed folder's lock like a run (75 if held)
    consult latest [--config]    print the folder of the newest complete run
    consult init --from-export FILE [--out consultation.yaml]
                                 draft consultation.yaml (questions, kinds, survey
                                 mapping) from a survey export, for the researcher to
                                 check; never overwrites (docs/survey-exports.md)
    consult discover [--config RUN.yaml] [--out PATH] [--extend]
                                 draft a codebook from the processed answers
                                 (codebook.draft.yaml beside the codebook); --extend:
                                 themes only for what the run's codebook leaves uncoded

Exit codes are the pipeline's: 0 success, 1 failure, 2 bad command line, 3 completed
with input errors (``run``: published, but some inputs could not be read; ``prepare``:
the processed tables are updated without them, each named in ``ingest_log``), 75 locked.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from helpers import ingest, pipeline, stance
from helpers.core.errors import ConsultError, one_line
from helpers.core.logs import flush_warnings, quiet_console, setup_logging

log = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the sub-command; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="consult", description="Analyse responses to a public consultation."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    pipeline.add_run_arguments(sub.add_parser("run", help="run ingest, coding, analysis, report"))
    for name, text in (
        ("prepare", "ingest and code only (refresh the processed data)"),
        ("latest", "print the newest complete run folder"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("--config", help=f"run configuration (default: {pipeline.DEFAULT_CONFIG})")
        p.add_argument("--output-root", help="where run folders are (latest only)")
    p = sub.add_parser("init", help="draft consultation.yaml from a survey export")
    p.add_argument("--from-export", required=True, metavar="FILE", help="a .csv or .xlsx export")
    p.add_argument(
        "--out", default="consultation.yaml", help="where to write it (default: %(default)s)"
    )
    p = sub.add_parser(
        "discover",
        help="draft a codebook (codebook.draft.yaml) from the processed answers",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n  consult prepare --config run.yaml\n"
        "  consult discover --config run.yaml --out codebook.draft.yaml\n"
        "  consult discover --config run.yaml --extend   # themes the codebook misses",
    )
    p.add_argument("--config", help=f"run configuration (default: {pipeline.DEFAULT_CONFIG})")
    p.add_argument("--out", help="where to write the draft (default: beside the codebook)")
    p.add_argument(
        "--extend", action="store_true", help="only the answers' text the codebook leaves uncoded"
    )
    args = parser.parse_args(argv)

    if args.command == "init":
        return _init(args.from_export, args.out)

    if args.command == "run":
        return pipeline.run_from_args(args)
    setup_logging(logging.INFO)
    if args.command == "discover":
        return _discover(args.config, args.out, args.extend)
    if args.command == "prepare":  # each kind of warning once, with its count, at the end
        quiet_console(where="the log and ingest_log")
    try:
        return _prepare_or_latest(args)
    finally:
        flush_warnings()


def _prepare_or_latest(args: argparse.Namespace) -> int:
    """``consult prepare`` and ``consult latest``."""
    try:
        if args.command == "prepare":
            config = pipeline.refresh_processed(args.config)
            sys.stdout.write(f"{config.processed_dir}\n")
            errors = pipeline.processed_input_errors(config.processed_dir)
            return pipeline.errors_exit_code(errors, f"{config.processed_dir}/ingest_log.parquet")
        config = pipeline.load_config(args.config, output_root=args.output_root)
        run = pipeline.latest_run(pipeline.consultation_reports(config))
    except pipeline.LockHeld as exc:  # a run (or another prepare) is writing the same data
        log.warning("%s; exiting with %d", exc, pipeline.EXIT_LOCKED)
        return pipeline.EXIT_LOCKED
    except ConsultError as exc:  # expected: one line, no traceback
        log.error("%s", one_line(exc))
        return pipeline.EXIT_FAILED
    except Exception:  # a bug: keep the traceback
        log.exception("consult %s failed unexpectedly", args.command)
        return pipeline.EXIT_FAILED
    if run is None:
        log.error("no complete run yet in %s", pipeline.consultation_reports(config))
        return pipeline.EXIT_FAILED
    sys.stdout.write(f"{run}\n")
    return pipeline.EXIT_OK


def _init(export: str, out: str) -> int:
    """``consult init --from-export``: write the draft, or say in one line why not."""
    setup_logging(logging.INFO)
    try:
        path = ingest.write_draft(export, out, stance.tick_box_stance)
    except FileExistsError as exc:
        log.error("%s", exc)
        return pipeline.EXIT_FAILED
    except FileNotFoundError:
        log.error("%s: export not found", export)
        return pipeline.EXIT_FAILED
    except ConsultError as exc:
        log.error("%s", one_line(exc))
        return pipeline.EXIT_FAILED
    log.info("drafted %s from %s: check it, then run `consult run`", path, export)
    sys.stdout.write(f"{path}\n")
    return pipeline.EXIT_OK


def _discover(config_path: str | None, out: str | None, extend: bool) -> int:
    """``consult discover``: cluster the processed answers into a draft codebook."""
    try:
        config = pipeline.load_config(config_path)
        result = discover_from_config(config, extend=extend)
        if not result.codebook["themes"]:
            log.error(
                "discover: no theme found: too few answers (a theme needs 3 or more); %s",
                "; ".join(result.skipped),
            )
            return pipeline.EXIT_FAILED
        path = result.write(out or config.codebook.with_name("codebook.draft.yaml"))
    except FileNotFoundError as exc:
        log.error("%s", exc)
        return pipeline.EXIT_FAILED
    except ConsultError as exc:
        log.error("%s", one_line(exc))
        return pipeline.EXIT_FAILED
    for line in result.skipped:
        log.warning("discover: %s", line)
    table = result.themes[["theme_id", "n_answers", "n_respondents", "label"]]
    sys.stderr.write(table.to_string(index=False) + "\n")
    log.info("drafted %s: check every theme before using it", path)
    sys.stdout.write(f"{path}\n")
    return pipeline.EXIT_OK


def discover_from_config(config, extend: bool = False, encode=None):
    """``coding.discover_themes`` on a run's processed tables (``consult prepare`` first)."""
    import pandas as pd

    from helpers import coding
    from helpers.core.consultation import load_consultation

    folder = config.processed_dir
    tables = {}
    for name in ("respondents", "answers", "copies", "stances"):
        path = folder / f"{name}.parquet"
        if not path.is_file() and name in ("respondents", "answers"):
            raise FileNotFoundError(f"{path} not found: run `consult prepare` first")
        tables[name] = pd.read_parquet(path) if path.is_file() else None
    consultation = load_consultation(config.consultation)
    codebook = coding.load_codebook(config.codebook, consultation) if extend else None
    return coding.discover_themes(
        tables["answers"], tables["respondents"], consultation, copies=tables["copies"],
        stances=tables["stances"], codebook=codebook, encode=encode,
    )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
