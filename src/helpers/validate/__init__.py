"""Validate: automatic codes and a hand-coded sample in, agreement and exports out.

In:  the processed ``codes``/``stances`` tables, a hand-coded sample (CSV, the sample
     workbook, or a REFI-QDA project) and the codebook.
Out: agreement statistics (Cohen's kappa, Krippendorff's alpha, precision and
     recall per theme), a stratified sample to hand-code, REFI-QDA exports
     (``.qdpx``, ``.qdc``) and imports (as overrides), a Framework Method matrix.

Modules: ``flow`` (:func:`validate_or_sample`: a sample to hand-code when there is no
hand coding yet, agreement once there is; ``05_validate`` and ``consult validate``),
``sampling`` (the sample to hand-code), ``hand_coding`` (reading it
back), ``reliability`` (kappa, alpha, precision/recall, bootstrap), ``agreement``
(automatic vs hand coding), ``qdpx/`` (REFI-QDA export and import),
``framework`` (the Framework Method matrix). ``devsets/`` builds the
development sets in ``data/evaluation/`` and scores the stages against their
gold labels (``python -m helpers.validate.devsets``, ``make evaluate``,
docs/evaluation.md); it is a command, not part of this face.
"""

from helpers.validate.agreement import (
    compare,
    compare_stances,
    plot_agreement,
    report_summary,
)
from helpers.validate.flow import (
    AGREEMENT,
    SAMPLE_FILE,
    SAMPLED,
    WAITING,
    ValidationOutcome,
    validate_or_sample,
)
from helpers.validate.framework import export_framework_matrix
from helpers.validate.hand_coding import (
    HandCodingError,
    hand_coding_provenance,
    load_hand_coding,
    load_hand_stances,
)
from helpers.validate.qdpx import QdpxError, export_qdc, export_qdpx, import_qdpx
from helpers.validate.reliability import agreement_label
from helpers.validate.sampling import (
    SampleWorkbookError,
    draw_sample,
    export_sample_workbook,
    read_sample_stances,
    read_sample_workbook,
)

__all__ = [
    "AGREEMENT",
    "SAMPLED",
    "SAMPLE_FILE",
    "WAITING",
    "ValidationOutcome",
    "HandCodingError",
    "QdpxError",
    "SampleWorkbookError",
    "agreement_label",
    "compare",
    "compare_stances",
    "draw_sample",
    "export_sample_workbook",
    "export_framework_matrix",
    "export_qdc",
    "export_qdpx",
    "hand_coding_provenance",
    "import_qdpx",
    "load_hand_coding",
    "load_hand_stances",
    "plot_agreement",
    "read_sample_stances",
    "read_sample_workbook",
    "report_summary",
    "validate_or_sample",
]
