"""Zip-based formats (.docx, .xlsx, .odt): refuse a decompression bomb before a library opens it.

Word and Excel files are zip archives of XML. python-docx and openpyxl
inflate the parts they read into memory, so a 1 MB file whose parts inflate
to 1 GB would take gigabytes. ``check_zip`` reads only the archive's
directory and refuses the file when

- its members would inflate to more than ``max_unzipped_mb`` in total, or
- they would inflate to more than ``max_zip_ratio`` times the file's size
  (text and XML compress 5–20×; hundreds of times is a bomb), once the total
  is over ``RATIO_GRACE_BYTES``: a small file cannot do harm whatever its
  ratio, and tiny Office files of repeated XML can compress very well, or
- it has more than ``MAX_MEMBERS`` members (each costs memory to list; a
  real document has tens, a workbook with many images a few thousand).

The declared sizes are enough: Python's ``zipfile``, which both libraries
read through, stops a member at its declared size (and then fails its CRC
check), so a member that lies about its size cannot inflate further. The
file's own length is the compressed size, not the sizes the archive
declares, which could lie too. A file that is not a valid zip archive is
left to the reader, whose message says what the file should be.
"""

from __future__ import annotations

import io
import struct
import zipfile

from helpers.ingest.readers.base import ReadError
from helpers.ingest.readers.limits import Limits

__all__ = ["MAX_MEMBERS", "RATIO_GRACE_BYTES", "ZIP_FORMATS", "check_zip"]

MB = 1 << 20
ZIP_FORMATS = frozenset({"docx", "xlsx", "odt"})
RATIO_GRACE_BYTES = 10 * MB
MAX_MEMBERS = 10_000

_EOCD = b"PK\x05\x06"  # end of central directory record (22 bytes + a comment)


def _declared_members(data: bytes) -> int | None:
    """Member count from the end-of-directory record, read before ``zipfile`` lists them all."""
    at = data.rfind(_EOCD, max(0, len(data) - 22 - 0xFFFF))
    if at < 0 or at + 22 > len(data):
        return None
    (total,) = struct.unpack_from("<H", data, at + 10)
    return None if total == 0xFFFF else total  # 0xFFFF: a Zip64 count, read by zipfile


def _too_many(name: str, n: int) -> ReadError:
    return ReadError(
        f"{name}: the archive has {n:,} parts, over the {MAX_MEMBERS:,} a Word or Excel file "
        "can have; the file is damaged or not a real document"
    )


def check_zip(data: bytes, name: str, limits: Limits) -> None:
    """Raise ReadError if the zip archive ``data`` would inflate beyond ``limits``."""
    declared = _declared_members(data)
    if declared is not None and declared > MAX_MEMBERS:
        raise _too_many(name, declared)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return  # not a valid archive: the reader says so
    if len(members) > MAX_MEMBERS:
        raise _too_many(name, len(members))
    total = sum(m.file_size for m in members)
    if total > limits.max_unzipped_bytes:
        raise ReadError(
            f"{name}: its parts decompress to {total / MB:,.1f} MB, over the limit of "
            f"{limits.max_unzipped_mb:g} MB (max_unzipped_mb in run.yaml's limits:); "
            "this looks like a decompression bomb: check the file, or raise the limit"
        )
    ratio = total / max(len(data), 1)
    if total > RATIO_GRACE_BYTES and ratio > limits.max_zip_ratio:
        raise ReadError(
            f"{name}: its {len(data) / MB:,.2f} MB decompress to {total / MB:,.1f} MB, "
            f"{ratio:,.0f} times its size, over the limit of {limits.max_zip_ratio:g} times "
            "(max_zip_ratio in run.yaml's limits:); this looks like a decompression bomb: "
            "check the file, or raise the limit"
        )
