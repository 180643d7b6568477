"""The command line: ``build <set-folder>...``, ``evaluate [--split] [--set] [--json] [--verbose]``
and ``describe <item-set>...``.

``build`` exits 0 when every set was built, 2 when a set is broken (the
message names the file and field). ``evaluate`` is a measurement: it exits 0
whenever it ran, whatever the scores, and 2 when a set cannot be read.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from helpers.core.logs import setup_logging
from helpers.validate.devsets.build import build_set
from helpers.validate.devsets.sources import DevSetError

__all__ = ["main"]

log = logging.getLogger(__name__)
DEFAULT_ROOT = Path("data/evaluation")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m helpers.validate.devsets")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="render sources/*.yaml to responses/ and write gold.yaml")
    build.add_argument("sets", nargs="+", type=Path, help="set folder(s), e.g. data/evaluation/x")
    ev = sub.add_parser(
        "evaluate", help="run ingest (and stance) on each set and score it against its gold"
    )
    ev.add_argument("--split", choices=("dev", "heldout", "all"), default="dev")
    ev.add_argument("--set", dest="sets", action="append", help="only this set (repeatable)")
    ev.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="folder of the sets")
    ev.add_argument("--json", type=Path, help="also write the scores as JSON to this file")
    ev.add_argument("--verbose", "-v", action="store_true", help="list every error")
    desc = sub.add_parser(
        "describe", help="counts and writing-convention problems of a stance item set"
    )
    desc.add_argument("sets", nargs="+", type=Path, help="item set folder(s)")
    return parser


def _describe(folders: list[Path]) -> int:
    """Print each item set's counts; exit 1 when a convention is broken, 2 when unreadable."""
    from helpers.validate.devsets.itemstats import describe_item_set

    status = 0
    for folder in folders:
        try:
            text, problems = describe_item_set(folder)
        except DevSetError as exc:
            log.error("%s", exc)
            return 2
        print(f"# {folder}\n\n{text}")
        for problem in problems:
            log.error("%s: %s", folder, problem)
        status = max(status, 1 if problems else 0)
    return status


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # evaluate: ingest's per-file warnings are what the scores measure; shown with --verbose.
    if args.command == "evaluate":
        setup_logging(logging.WARNING if args.verbose else logging.ERROR)
    else:
        setup_logging(logging.INFO)
    if args.command == "build":
        try:
            for set_dir in args.sets:
                build_set(set_dir)
        except DevSetError as exc:
            log.error("%s", exc)
            return 2
        return 0
    if args.command == "describe":
        return _describe(args.sets)
    from helpers.validate.devsets.evaluate import run_evaluation

    return run_evaluation(
        args.root, split=args.split, sets=args.sets, json_path=args.json, verbose=args.verbose
    )
