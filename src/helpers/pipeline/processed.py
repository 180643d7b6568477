"""The processed folder, updated completely or not at all, by one writer at a time.

::

    data/processed/
      .<id>.lock                 held by every run and `consult prepare` writing <id>/
      <id>/                      the live tables (and, by default, the parse cache .cache/)
      .<id>.staging-<token>/     a run's tables while its stages write them
      .<id>.old-<token>/         the previous tables, only during a promotion

Why: notebook 01 rewrites ``respondents.parquet`` and 02 then codes it. Written
in place, a run that failed in 02 (a typo in ``overrides.csv``) left new text
beside old codes whose offsets no longer match it, and 00_explore highlighted
the wrong words. So the stages write into a private staging folder beside the
live one (same file system, so renames are atomic), and only when every stage
has succeeded is it promoted: the live folder is renamed aside, the staging
folder renamed into its place, and the old one deleted. A failed run deletes
its staging folder and leaves the live tables untouched, byte for byte.

Entries of the old folder that the run did not write are carried over into the
new one: the parse cache (content-keyed, written atomically, so it is safe to
share with a run that fails), and anything else a person put there. That keeps
what writing in place did: a run replaces the tables it writes, nothing else.

The lock lives beside the processed folder, not in it (the folder is renamed),
and is keyed on its resolved path, so two runs with different output roots on
the same processed data, and ``consult prepare``, exclude each other.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from helpers.pipeline.config import RunConfig
from helpers.pipeline.errors import LockHeld

log = logging.getLogger("helpers.pipeline")  # one name for the run's lines, as under `python -m`

STAGING_INFIX = ".staging-"
ASIDE_INFIX = ".old-"
PROCESSED_LOCK_SUFFIX = ".lock"


def live_dir(config: RunConfig) -> Path:
    """The processed folder, symlinks resolved (a symlinked folder keeps its link)."""
    return config.processed_dir.resolve()


def processed_lock_path(config: RunConfig) -> Path:
    """``<parent>/.<name>.lock``: beside the processed folder, since the folder is renamed."""
    live = live_dir(config)
    return live.parent / f".{live.name}{PROCESSED_LOCK_SUFFIX}"


@contextlib.contextmanager
def hold_at_once(lock_file: Path, holder: str) -> Iterator[None]:
    """Hold the file lock ``lock_file``, or raise LockHeld at once, without waiting.

    The message is ``"<holder> holds <lock_file>"``. The one way the pipeline takes a
    lock (this folder's, and the reports folder's in ``runfolder.hold_lock``): a
    scheduled job that finds it held exits 75 and the next one catches up.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_file))
    try:
        lock.acquire(timeout=0)
    except Timeout as exc:
        raise LockHeld(f"{holder} holds {lock.lock_file}") from exc
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def hold_processed_lock(config: RunConfig) -> Iterator[Path]:
    """Hold the processed folder's lock; yield the (resolved) folder.

    Raises LockHeld at once, without waiting, if a run or ``consult prepare``
    holds it: a scheduled job exits 75 and the next one catches up.
    """
    live = live_dir(config)
    live.parent.mkdir(parents=True, exist_ok=True)
    with hold_at_once(
        processed_lock_path(config), f"another pipeline run or `consult prepare` on {live}"
    ):
        yield live


def _siblings(live: Path, infix: str) -> list[Path]:
    return sorted(live.parent.glob(f".{glob.escape(live.name)}{infix}*"))


def _remove(path: Path) -> None:
    """Delete a folder; if that fails, say so (the next start tries again)."""
    try:
        shutil.rmtree(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        log.warning("could not delete %s (%s); the next run will try again", path, exc)


def _carry_over(old: Path, new: Path) -> bool:
    """Move every entry of ``old`` that ``new`` lacks (the cache, a person's files) into ``new``.

    Renames within one file system: no copying, nothing to run out of space for.
    Returns whether everything moved (if not, ``old`` is kept for the next start).
    """
    ok = True
    try:
        entries = sorted(old.iterdir())
    except OSError as exc:
        log.warning("could not list %s (%s)", old, exc)
        return False
    for entry in entries:
        target = new / entry.name
        if target.exists() or target.is_symlink():
            continue
        try:
            entry.rename(target)
        except OSError as exc:
            log.warning("could not move %s into %s (%s)", entry, new, exc)
            ok = False
    return ok


def promote(live: Path, staging: Path, aside: Path) -> None:
    """Put ``staging`` in the place of ``live``; the old contents go, what it alone had stays.

    Each step is one rename, and a failure before the swap puts the old
    folder back, so ``live`` ends either wholly old or wholly new. For the
    instant between the two renames ``live`` does not exist; a process killed
    there is repaired by :func:`recover_processed` on the next start.
    """
    had_live = live.exists()
    if had_live:
        live.rename(aside)
    try:
        staging.rename(live)
    except BaseException:
        if had_live:
            aside.rename(live)
        raise
    if had_live and _carry_over(aside, live):
        _remove(aside)
    log.info("processed tables promoted into %s", live)


def recover_processed(config: RunConfig) -> None:
    """Finish or undo a promotion a killed process left; delete abandoned staging folders.

    Called with the processed lock held. An aside folder beside a live one means
    the swap happened (carry over and delete the old one); an aside folder with
    no live one means the process died between the renames: the old tables go
    back, since the run that staged the new ones never finished (it is kept as
    ``.failed``). A staging folder is never promoted by recovery: only a run
    that saw every stage succeed may do that.
    """
    live = live_dir(config)
    if not live.parent.is_dir():
        return
    for aside in _siblings(live, ASIDE_INFIX):
        if live.exists():
            log.warning("finishing an interrupted update of %s (removing %s)", live, aside)
            if _carry_over(aside, live):
                _remove(aside)
        else:
            log.warning("an update of %s was interrupted; restoring it from %s", live, aside)
            aside.rename(live)
    for staging in _siblings(live, STAGING_INFIX):
        log.warning("removing %s, left by an interrupted run", staging)
        _remove(staging)


def new_token(prefix: str = "prepare") -> str:
    """A staging name for a run without a run id (``consult prepare``)."""
    return f"{prefix}-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}-{os.getpid()}"


@contextlib.contextmanager
def staged_processed(config: RunConfig, token: str) -> Iterator[Path]:
    """Yield a fresh staging folder for the stages to write; promote it if they all succeed.

    If the body fails (SIGTERM included) the staging folder is deleted and the
    live folder is left untouched. If the promotion itself fails, the live folder
    is the old one and the failure propagates (the run is kept as ``.failed``).
    """
    live = live_dir(config)
    staging = live.parent / f".{live.name}{STAGING_INFIX}{token}"
    aside = live.parent / f".{live.name}{ASIDE_INFIX}{token}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        yield staging
        promote(live, staging, aside)
    finally:
        if staging.exists():  # the body or the promotion failed: nothing was changed
            _remove(staging)
