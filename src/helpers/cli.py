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
    consult validate [--config RUN.yaml] [--hand-coded FILE] [--out DIR] [-n N]
                                 no hand coding yet: write a stratified sample to
                                 hand-code (hand_coding_sample.xlsx); hand coding given:
                                 agreement with the automatic codes (validate.flow)

``consult --help`` lists them with an example each (``EXAMPLES``; the README's
table of commands says the same).

Exit codes are the pipeline's: 0 success, 1 failure, 2 bad command line, 3 completed
with input errors (``run``: published, but some inputs could not be read; ``prepare``:
the processed tables are updated without them, each named in ``ingest_log``), 75 locked.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any

from helpers import ingest, pipeline, stance
from helpers.core.errors import ConsultError, one_line
from helpers.core.logs import flush_warnings, quiet_console, setup_logging

log = logging.getLogger(__name__)

CONFIG_HELP = f"run configuration (default: {pipeline.DEFAULT_CONFIG})"
# One example per sub-command, shown by `consult --help` and by each `consult X --help`.
EXAMPLES = {
    "run": (
        "ingest, code, analyse and publish a run folder (report, tables, explorer.html)",
        [
            "consult run --config consultations/my-consultation/run.yaml",
            "consult run --formats html,explorer --output-root /tmp/reports",
        ],
    ),
    "prepare": (
        "ingest and code only, to refresh the processed tables",
        ["consult prepare --config consultations/my-consultation/run.yaml"],
    ),
    "latest": (
        "print the newest complete run folder",
        ["consult latest --config consultations/my-consultation/run.yaml  # reports/<id>/<run>"],
    ),
    "init": (
        "draft consultation.yaml from a survey export",
        ["consult init --from-export responses.xlsx --out consultations/new/consultation.yaml"],
    ),
    "discover": (
        "draft a codebook (codebook.draft.yaml) from the processed answers",
        [
            "consult discover --config run.yaml --out codebook.draft.yaml",
            "consult discover --config run.yaml --extend   # themes the codebook misses",
        ],
    ),
    "validate": (
        "a sample to hand-code, then agreement with the hand coding",
        [
            "consult validate --config run.yaml            # no hand coding: writes the sample",
            "consult validate --config run.yaml --hand-coded reports/<id>/validation/"
            "hand_coding_sample.xlsx",
        ],
    ),
}


def _epilog(*names: str) -> str:
    lines = ["examples:" if len(names) == 1 else "commands, with an example each:"]
    for name in names:
        text, examples = EXAMPLES[name]
        if len(names) > 1:
            lines.append(f"  {name:<9} {text}")
        lines.extend(f"    {e}" for e in examples)
    if len(names) > 1:
        lines.append(
            "\n`consult COMMAND --help` for a command's options. Exit codes: 0 success, "
            "1 failure,\n2 bad command line, 3 completed with input errors, 75 locked."
        )
    return "\n".join(lines)


def _sub(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    """A sub-command's parser with its examples as the epilog (layout kept)."""
    return sub.add_parser(
        name,
        help=help_text,
        description=help_text[0].upper() + help_text[1:] + ".",
        epilog=_epilog(name),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the sub-command; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="consult",
        description="Analyse responses to a public consultation.",
        epilog=_epilog(*EXAMPLES),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    pipeline.add_run_arguments(_sub(sub, "run", "run ingest, coding, analysis, report"))
    for name, text in (
        ("prepare", "ingest and code only (refresh the processed data)"),
        ("latest", "print the newest complete run folder"),
    ):
        p = _sub(sub, name, text)
        p.add_argument("--config", help=CONFIG_HELP)
        p.add_argument("--output-root", help="where run folders are (latest only)")
    p = _sub(sub, "init", "draft consultation.yaml from a survey export")
    p.add_argument("--from-export", required=True, metavar="FILE", help="a .csv or .xlsx export")
    p.add_argument(
        "--out", default="consultation.yaml", help="where to write it (default: %(default)s)"
    )
    p = _sub(sub, "discover", "draft a codebook (codebook.draft.yaml) from the processed answers")
    p.add_argument("--config", help=CONFIG_HELP)
    p.add_argument("--out", help="where to write the draft (default: beside the codebook)")
    p.add_argument(
        "--extend", action="store_true", help="only the answers' text the codebook leaves uncoded"
    )
    p = _sub(sub, "validate", "export a sample to hand-code, or report agreement with it")
    p.add_argument("--config", help=CONFIG_HELP)
    p.add_argument(
        "--hand-coded",
        metavar="FILE",
        help="hand coding: CSV, filled sample workbook (.xlsx) or REFI-QDA project (.qdpx); "
        "default: the run.yaml's hand_coded; none or not there yet: a sample is written",
    )
    p.add_argument(
        "--out", help="output folder (default: <output_root>/<consultation id>/validation)"
    )
    p.add_argument("-n", type=int, default=40, help="answers to sample (default: %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="sampling and bootstrap seed (default: 0)")
    p.add_argument(
        "--n-boot", type=int, default=1000, help="bootstrap resamples (default: %(default)s)"
    )
    args = parser.parse_args(argv)

    if args.command == "init":
        return _init(args.from_export, args.out)

    if args.command == "run":
        return pipeline.run_from_args(args)
    setup_logging(logging.INFO)
    if args.command == "discover":
        return _discover(args.config, args.out, args.extend)
    if args.command == "validate":
        return _validate(args)
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


def _validate(args: argparse.Namespace) -> int:
    """``consult validate``: the sample to hand-code, or agreement once it is coded."""
    from helpers import analysis, coding, validate
    from helpers.core import paths
    from helpers.core.consultation import load_consultation

    try:
        config = pipeline.load_config(args.config)
        hand = paths.resolve(args.hand_coded) if args.hand_coded else config.hand_coded
        out = (
            paths.resolve(args.out)
            if args.out
            else config.output_root / config.consultation_id / "validation"
        )
        consultation = load_consultation(config.consultation)
        codebook = coding.load_codebook(config.codebook, consultation)
        tables = analysis.load_inputs(config.processed_dir, config.consultation, config.codebook)
        outcome = validate.validate_or_sample(
            tables, codebook, consultation, hand, out, n=args.n, seed=args.seed,
            n_boot=args.n_boot,
        )  # fmt: skip
    except FileNotFoundError as exc:
        log.error("%s", one_line(exc))
        return pipeline.EXIT_FAILED
    except ConsultError as exc:
        log.error("%s", one_line(exc))
        return pipeline.EXIT_FAILED
    log.info("validate: %s", outcome.message)
    sys.stdout.write(f"{outcome.sample if outcome.state != validate.AGREEMENT else out}\n")
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
