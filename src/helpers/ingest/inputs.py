"""The input folder, read as untrusted: which entries are files to read, and their bytes.

Respondents' files arrive by e-mail, download and shared drive, so nothing in
the input folder is trusted (rationale in docs/ingest.md, "Untrusted input"):

- ``walk_inputs`` lists every entry under the folder with ``lstat``
  (``os.scandir``, ``follow_symlinks=False``): a symbolic link is never
  followed (a link to ``/etc/passwd`` would put a system file in the report),
  a FIFO, socket or device is never opened (a FIFO blocks the run for ever),
  and a regular file must resolve to a path inside the folder. Each entry not
  read carries the reason it is skipped, for the log.
- ``read_input`` opens a file without following a link and without blocking,
  checks on the open descriptor that it is a regular file, and checks its
  size against ``limits.max_file_mb`` *before* reading its bytes, which
  guards the moment between listing and reading.
- ``check_format`` refuses an extension no reader reads before the file is
  opened (or the parse cache consulted), whatever bytes it holds.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from helpers.ingest.readers import CONVERT_HINTS, SUPPORTED, ReadError, SkipFile
from helpers.ingest.readers.limits import DEFAULT_LIMITS, Limits

__all__ = [
    "SYMLINK_REASON",
    "Entry",
    "check_format",
    "check_size",
    "file_kind",
    "is_regular_inside",
    "read_input",
    "walk_inputs",
]

MB = 1 << 20
SYMLINK_REASON = "symbolic link: not followed"


# --- One file ------------------------------------------------------------------------


def check_format(path: Path) -> str:
    """The format ``path``'s extension is read as; SkipFile (with what to do) if none.

    Checked before the file is opened or the cache consulted, so a file type no
    reader reads is refused whatever bytes it holds.
    """
    suffix = path.suffix.lower()
    fmt = SUPPORTED.get(suffix)
    if fmt is None:
        raise SkipFile(CONVERT_HINTS.get(suffix, f"unsupported file type '{suffix or '(none)'}'"))
    return fmt


def check_size(name: str, size: int, limits: Limits = DEFAULT_LIMITS) -> None:
    """ReadError naming the file, its size and the limit if ``size`` is over ``max_file_mb``.

    Called with the size from ``lstat`` before the file is opened, and again
    with the open descriptor's size, so an oversize file is never read into memory.
    """
    if size > limits.max_file_bytes:
        raise ReadError(
            f"{name}: file is {size / MB:,.1f} MB, over the limit of {limits.max_file_mb:g} MB "
            "per input file; if it is a genuine response, raise limits.max_file_mb in run.yaml"
        )


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words, for the log ("FIFO", "socket", …)."""
    kinds = (
        (stat.S_ISLNK, "symbolic link"),
        (stat.S_ISDIR, "folder"),
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
    )
    return next((word for test, word in kinds if test(mode)), "unknown file type")


def read_input(path: Path, name: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of the regular file at ``path``, read without following links or blocking.

    The folder walk already skips links and special files; this guards the
    moment between listing and reading, when an entry could be replaced:
    ``O_NOFOLLOW`` refuses a link, ``O_NONBLOCK`` keeps a FIFO from blocking the
    open, and ``fstat`` on the open descriptor checks it is a regular file of
    allowed size. At most one byte past the limit is read, so a file that
    grows meanwhile is still refused. Raises SkipFile (not a regular file)
    or ReadError (cannot be opened, or too large).
    """
    with open_input(path, name, limits) as handle:
        data = handle.read(limits.max_file_bytes + 1)
    check_size(name, len(data), limits)
    return data


@contextlib.contextmanager
def open_input(path: Path, name: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[BinaryIO]:
    """The regular file at ``path`` open for reading, with ``read_input``'s checks (no link
    followed, no blocking, a regular file within ``max_file_mb``); a reader that streams
    the file (``readers.file_text``) counts what it reads against the limit itself."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP or os.path.islink(path):
            raise SkipFile(SYMLINK_REASON) from None
        raise ReadError(f"{name}: could not be opened ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(handle.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise SkipFile(f"not a regular file ({file_kind(st.st_mode)})")
        check_size(name, st.st_size, limits)
        yield handle


# --- The folder ----------------------------------------------------------------------


@dataclass
class Entry:
    """One entry found in the input folder: a regular file to read, or why it is not read."""

    path: Path
    name: str  # path relative to the input folder, with '/'
    size: int = 0
    skip: tuple[str, str] | None = None  # (status, reason) if it is not to be read

    @property
    def fmt(self) -> str | None:
        return SUPPORTED.get(self.path.suffix.lower())


def walk_inputs(input_dir: Path, exclude: list[Path]) -> list[Entry]:
    """Every entry under ``input_dir`` in sorted order, without following any link.

    Folders are descended into (except this run's output and cache folders,
    when they are inside the input folder); every other entry is returned:
    regular files to read, and links, FIFOs, sockets and devices with the
    reason they are skipped. ``lstat`` (``follow_symlinks=False``) is used
    throughout, so a link is never followed and a FIFO never opened, and a
    regular file must resolve to a path inside the input folder.
    """
    root = input_dir.resolve()
    excluded = {x for x in exclude if x != root and x.is_relative_to(root)}
    out: list[Entry] = []
    folders = [input_dir]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as it:
                items = list(it)
        except OSError as exc:
            name = folder.relative_to(input_dir).as_posix()
            reason = f"{name}: folder could not be read ({exc.strerror})"
            out.append(Entry(folder, name, skip=("failed", reason)))
            continue
        for item in items:
            path = Path(item.path)
            name = path.relative_to(input_dir).as_posix()
            try:
                st = item.stat(follow_symlinks=False)
            except OSError as exc:
                reason = f"{name}: could not be examined ({exc.strerror})"
                out.append(Entry(path, name, skip=("failed", reason)))
                continue
            if stat.S_ISLNK(st.st_mode):
                out.append(Entry(path, name, skip=("skipped", SYMLINK_REASON)))
            elif stat.S_ISDIR(st.st_mode):
                if path.resolve() not in excluded:
                    folders.append(path)
            elif not stat.S_ISREG(st.st_mode):
                reason = f"not a regular file ({file_kind(st.st_mode)})"
                out.append(Entry(path, name, skip=("skipped", reason)))
            elif not path.resolve().is_relative_to(root):
                out.append(Entry(path, name, skip=("skipped", "outside the input folder")))
            else:
                out.append(Entry(path, name, size=st.st_size))
    return sorted(out, key=lambda e: e.name)


def is_regular_inside(path: Path, root: Path) -> bool:
    """Whether ``path`` is a regular file (not a link) whose real path is inside ``root``."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and path.resolve().is_relative_to(root.resolve())
