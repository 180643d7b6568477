"""Reading untrusted REFI-QDA files safely, and checking XML against the shipped schemas.

A ``.qdpx`` comes from someone else's machine: before anything is parsed, member
paths (no absolute paths, no '..'), the member count, the total uncompressed
size and each large member's compression ratio are limited, and members are
read no further than the limit whatever their headers claim. XML is parsed with
DTDs, entity declarations and external references refused.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from importlib import resources
from pathlib import Path
from xml.etree import ElementTree as ET

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from helpers.validate.qdpx.shared import QdpxError

# What zipfile and zlib raise on a damaged member besides BadZipFile: bad deflate data
# (zlib.error), a truncated stream (EOFError), an unsupported compression method
# (NotImplementedError), an encrypted member (RuntimeError), bad header fields
# (ValueError, OSError, struct.error).
_ZIP_ERRORS = (
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
    struct.error,
)

# Limits for untrusted archives.
MAX_MEMBERS = 20_000
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, checked for members over RATIO_MIN_BYTES
RATIO_MIN_BYTES = 1024 * 1024


def schema_path(name: str = "Project.xsd") -> Path:
    """Path of a shipped REFI-QDA schema (Project.xsd or Codebook.xsd)."""
    return Path(str(resources.files("helpers") / "data" / "refi-qda" / name))


def validate_xml(xml: bytes, schema: str = "Project.xsd") -> None:
    """Raise ``xmlschema.XMLSchemaValidationError`` unless ``xml`` is valid against the schema."""
    import xmlschema

    xmlschema.XMLSchema(str(schema_path(schema))).validate(io.BytesIO(xml))


def check_member_name(archive: Path, name: str) -> None:
    """Refuse a member path that would escape the project folder (absolute, drive, '..')."""
    norm = name.replace("\\", "/")
    if norm.startswith("/") or re.match(r"^[A-Za-z]:", norm) or ".." in norm.split("/"):
        raise QdpxError(
            f"{archive}: member {name!r} escapes the project folder (absolute path or '..'); refusing the archive"
        )


def read_archive(path: str | Path) -> dict[str, bytes]:
    """Read an untrusted .qdpx into memory, member name -> bytes, enforcing the safety limits."""
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise QdpxError(f"{path}: archive not found") from exc
    except (zipfile.BadZipFile, *_ZIP_ERRORS) as exc:
        raise QdpxError(
            f"{path}: not a zip archive (a .qdpx is a zip with project.qde and sources/): {exc}"
        ) from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise QdpxError(f"{path}: {len(infos)} members, more than the limit of {MAX_MEMBERS}")
        total = 0
        for info in infos:
            check_member_name(path, info.filename)
            total += info.file_size
            if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise QdpxError(
                    f"{path}: member {info.filename!r} has a compression ratio over {MAX_RATIO} (a zip bomb?)"
                )
        if total > MAX_TOTAL_BYTES:
            raise QdpxError(
                f"{path}: {total} bytes uncompressed, more than the limit of {MAX_TOTAL_BYTES}"
            )
        out: dict[str, bytes] = {}
        read = 0
        for info in infos:
            if info.is_dir():
                continue
            data = _read_member(zf, info, path, MAX_TOTAL_BYTES - read)
            if len(data) > info.file_size or read + len(data) > MAX_TOTAL_BYTES:
                raise QdpxError(
                    f"{path}: member {info.filename!r} is larger than its header says; refusing the archive"
                )
            read += len(data)
            out[info.filename.replace("\\", "/")] = data
    return out


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, room: int) -> bytes:
    """One member's bytes, at most ``room`` + 1 of them, its CRC checked.

    Don't trust the declared sizes: reading stops once the limit is passed. A
    member read to its end has its CRC-32 checked by ``zipfile``; a corrupted,
    truncated, encrypted or oddly compressed member is a QdpxError naming it,
    never a raw ``BadZipFile``/``zlib.error`` (the importer's callers catch
    ``InputError``, and a half-read project must not be imported).
    """
    try:
        with zf.open(info) as fh:
            # One byte past the declared size: zipfile reaches the end and compares the CRC.
            data = fh.read(min(info.file_size, room) + 1)
    except (zipfile.BadZipFile, *_ZIP_ERRORS) as exc:
        raise QdpxError(
            f"{path}: member {info.filename!r} is corrupt or unreadable ({exc}); "
            "re-export the project from the QDA package"
        ) from exc
    return data


def parse_xml(data: bytes, where: str) -> ET.Element:
    """Parse untrusted XML, refusing DTDs, entity declarations and external references."""
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise QdpxError(
            f"{where}: XML with a DTD or entity declarations is refused ({type(exc).__name__})"
        ) from exc
    except ET.ParseError as exc:
        raise QdpxError(f"{where}: not well-formed XML: {exc}") from exc
    except (LookupError, ValueError) as exc:
        # An XML declaration naming an unknown or unsupported encoding.
        raise QdpxError(f"{where}: XML in an unreadable encoding: {exc}") from exc
