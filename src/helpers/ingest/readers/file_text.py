"""A text file read from disk in chunks: its encoding, its sha256, and its characters.

Why (issue 15, item 4): a survey export was read whole (``read_input``), hashed, decoded
whole (``readers.text.decode``) and only then cut into lines, so the export's bytes and
its decoded text were both held (1.3 GB for a 645 MB export) while the first respondent
was read. ``FileText`` reads the file twice, a chunk at a time, and never holds more:

1. the bytes once, for the sha256 and the encoding. The encoding is decided as
   ``detect_encoding`` decides it on the whole file (a byte-order mark; UTF-16 without one
   from the first 4,000 bytes; strict UTF-8 over every byte, else Windows-1252 if every
   byte is one of its characters, else Latin-1), so the same file decodes the same way;
2. ``chunks()``: the characters, through an incremental decoder (``errors="replace"``, as
   ``decode``), as many times as the caller asks (the delimiter is tried on the first
   records, then the rows are parsed).

A NUL character fails the file as ``decode`` fails it (binary data, not text).
"""

from __future__ import annotations

import codecs
import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import BinaryIO

from helpers.ingest.readers.base import ReadError
from helpers.ingest.readers.text import _BOMS, detect_encoding

log = logging.getLogger(__name__)

CHUNK_BYTES = 1 << 20
_NOT_CP1252 = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")  # bytes Windows-1252 lacks
_ONE_BYTE_NUL = ("utf-8", "utf-8-sig", "cp1252", "latin-1")  # NUL char iff NUL byte

Opener = Callable[[Path, str], AbstractContextManager[BinaryIO]]


def _binary(name: str) -> ReadError:
    return ReadError(f"{name}: contains binary data (NUL bytes), not text; check the file type")


class FileText:
    """The decoded text of the file at ``path``, in chunks (module docstring).

    ``open_file(path, name)`` opens it for reading with the input folder's checks
    (``inputs.open_input``); ``max_bytes`` bounds what is read (the file may grow
    between the checks and the read). ``sha256``, ``size`` and ``encoding`` are known
    once constructed; ``max_chars`` bounds the characters (for the csv field limit).
    """

    def __init__(self, path: Path, name: str, open_file: Opener, max_bytes: int) -> None:
        self.path, self.name, self._open, self._max = path, name, open_file, max_bytes
        digest = hashlib.sha256()
        head = b""
        size = 0
        utf8 = codecs.getincrementaldecoder("utf-8")("strict")
        utf8_ok, cp1252_ok, nul = True, True, False
        with self._open(path, name) as handle:
            while chunk := handle.read(CHUNK_BYTES):
                size += len(chunk)
                self._check_size(size)
                digest.update(chunk)
                if len(head) < 4000:
                    head += chunk[: 4000 - len(head)]
                if utf8_ok:
                    try:
                        utf8.decode(chunk)
                    except UnicodeDecodeError:
                        utf8_ok = False
                cp1252_ok = cp1252_ok and not any(b in chunk for b in _NOT_CP1252)
                nul = nul or b"\x00" in chunk
        if utf8_ok:
            try:
                utf8.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8_ok = False
        self.sha256, self.size = digest.hexdigest(), size
        if any(head.startswith(bom) for bom, _ in _BOMS) or _looks_utf16(head):
            self.encoding, self.how = detect_encoding(head)
        elif utf8_ok:
            self.encoding, self.how = "utf-8", "valid UTF-8"
        elif cp1252_ok:
            self.encoding, self.how = "cp1252", "not valid UTF-8; decodes as Windows-1252"
        else:
            self.encoding, self.how = (
                "latin-1",
                "neither UTF-8 nor Windows-1252; fell back to Latin-1",
            )
        if nul and self.encoding in _ONE_BYTE_NUL:
            raise _binary(name)
        if self.encoding not in ("utf-8", "utf-8-sig"):
            log.info("%s: encoding %s (%s)", name, self.encoding, self.how)
        self.max_chars = size + 1  # no encoding read here gives more characters than bytes

    def _check_size(self, size: int) -> None:
        if size > self._max:
            raise ReadError(
                f"{self.name}: file is {size / 1e6:,.1f} MB or more, over the limit of "
                f"{self._max / 1e6:g} MB per input file; if it is a genuine response, raise "
                "limits.max_file_mb in run.yaml"
            )

    def chunks(self) -> Iterator[str]:
        """The file's characters, a chunk at a time, from the start."""
        decoder = codecs.getincrementaldecoder(self.encoding)("replace")
        check_nul = self.encoding not in _ONE_BYTE_NUL
        size = 0
        with self._open(self.path, self.name) as handle:
            while chunk := handle.read(CHUNK_BYTES):
                size += len(chunk)
                self._check_size(size)
                text = decoder.decode(chunk)
                if check_nul and "\x00" in text:
                    raise _binary(self.name)
                if text:
                    yield text
            text = decoder.decode(b"", final=True)
            if check_nul and "\x00" in text:
                raise _binary(self.name)
            if text:
                yield text


def _looks_utf16(head: bytes) -> bool:
    """``detect_encoding``'s test for UTF-16 without a byte-order mark (on the first bytes)."""
    if len(head) < 4 or head.count(0) * 3 < len(head):
        return False
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return odd > 2 * even or even > 2 * odd
