"""REFI-QDA exchange: projects (.qdpx) and codebooks (.qdc) for NVivo, ATLAS.ti, MAXQDA, QualCoder.

Export writes a REFI-QDA 1.5 project (namespace ``urn:QDA-XML:project:1.0``):
``project.qde`` plus a flat ``sources/`` folder of UTF-8 text files, one per
respondent, every non-negated code a selection on the respondent's text. GUIDs
are stable, so re-exporting the same data gives byte-identical files.

Import reads a project that people reviewed in a QDA package and turns their
edits into manual override rows (docs/CONTRACTS.md format), new codebook
entries and a change report. Archives are untrusted: member paths, sizes,
compression ratios and member counts are limited, and DTDs/entities refused.

Modules: ``export`` (writing), ``importer`` (overrides and hand coding from a
reviewed project), ``project`` (reading a project back onto our data),
``archive`` (safe reading and schema validation; the limits such as
``archive.MAX_MEMBERS`` live there), ``shared`` (namespaces, GUIDs).
"""

from helpers.validate.qdpx.archive import parse_xml, read_archive, schema_path, validate_xml
from helpers.validate.qdpx.export import (
    build_codebook_xml,
    build_project_xml,
    export_qdc,
    export_qdpx,
)
from helpers.validate.qdpx.importer import (
    OVERRIDE_COLUMNS,
    ImportResult,
    hand_coding_from_qdpx,
    import_qdpx,
)
from helpers.validate.qdpx.project import CHANGE_COLUMNS
from helpers.validate.qdpx.shared import CODEBOOK_NS, ORIGIN, PROJECT_NS, QdpxError, guid

__all__ = [
    "CHANGE_COLUMNS",
    "CODEBOOK_NS",
    "ORIGIN",
    "OVERRIDE_COLUMNS",
    "PROJECT_NS",
    "ImportResult",
    "QdpxError",
    "build_codebook_xml",
    "build_project_xml",
    "export_qdc",
    "export_qdpx",
    "guid",
    "hand_coding_from_qdpx",
    "import_qdpx",
    "parse_xml",
    "read_archive",
    "schema_path",
    "validate_xml",
]
