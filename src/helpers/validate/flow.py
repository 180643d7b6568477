"""The validation flow from nothing: a sample to hand-code first, agreement once it is coded.

A consultation starts with no hand coding. :func:`validate_or_sample` is what
``05_validate`` and ``consult validate`` both call:

1. No hand-coded file (none given, or the path does not exist yet): draw a
   stratified sample (``sampling.draw_sample``, by question and respondent type,
   seeded) and write the workbook to hand-code, ``hand_coding_sample.xlsx`` in
   the output folder. A workbook already there is never overwritten: it may be
   half coded.
2. A hand-coded file that codes no answer yet (a workbook nobody filled in):
   say so, and compute nothing.
3. A hand-coded file: compare it with the automatic codes (``agreement.compare``)
   and the stances when the file has them, and write ``agreement_per_theme.csv``
   and ``disagreements.csv`` (spreadsheet-safe) in the output folder.

Each outcome carries one sentence saying what happened and what to do next.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from helpers.core.safecsv import write_csv
from helpers.core.schemas import SPECIAL_QUESTION_IDS
from helpers.validate.agreement import Agreement, StanceAgreement, compare, compare_stances
from helpers.validate.hand_coding import load_hand_coding, load_hand_stances
from helpers.validate.reliability import agreement_label
from helpers.validate.sampling import draw_sample, export_sample_workbook, read_sample_stances

if TYPE_CHECKING:
    from helpers.coding import Codebook
    from helpers.core.consultation import Consultation

log = logging.getLogger(__name__)

SAMPLE_FILE = "hand_coding_sample.xlsx"
SAMPLED = "sampled"  # a new sample to hand-code was written
WAITING = "waiting"  # a sample (or hand-coded file) exists, but codes nothing yet
AGREEMENT = "agreement"  # hand coding read and compared


@dataclass
class ValidationOutcome:
    """What :func:`validate_or_sample` did: ``state`` is SAMPLED, WAITING or AGREEMENT."""

    state: str
    message: str
    sample: Path | None = None
    hand_coded: Path | None = None
    agreement: Agreement | None = None
    stances: StanceAgreement | None = None
    hand: pd.DataFrame | None = None
    written: list[Path] = field(default_factory=list)


def sample_questions_excluded(consultation: Consultation) -> tuple[str, ...]:
    """Questions not to sample: preamble, closing, unstructured and profile questions."""
    profile = [q.id for q in consultation.questions if q.kind == "profile"]
    return (*SPECIAL_QUESTION_IDS, *profile)


def validate_or_sample(
    tables: Any,
    codebook: Codebook,
    consultation: Consultation,
    hand_coded: str | Path | None,
    output_dir: str | Path,
    n: int = 40,
    seed: int = 0,
    n_boot: int = 1000,
    hand_coded_stances: str | Path | None = None,
) -> ValidationOutcome:
    """Export a sample to hand-code, or report agreement with the hand coding in ``hand_coded``.

    ``tables``: anything with ``answers``, ``respondents``, ``codes`` and
    ``stances`` frames (``analysis.AnalysisInputs``, ``explore.ProcessedData``).
    ``n``, ``seed``: the sample's size and seed. Raises HandCodingError (or
    SampleWorkbookError) for an invalid hand-coded file, naming it.
    """
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    hand_path = Path(hand_coded) if hand_coded else None
    if hand_path is None or not hand_path.is_file():
        return _sample(tables, codebook, consultation, hand_path, out, n, seed)
    hand = load_hand_coding(
        hand_path,
        tables.answers,
        respondents=tables.respondents,
        codes=tables.codes,
        codebook=codebook,
        consultation=consultation,
    )
    n_answers = hand[["respondent_id", "question_id"]].drop_duplicates().shape[0]
    if n_answers == 0:
        return ValidationOutcome(
            WAITING,
            f"{hand_path} codes no answer yet: fill in a 0 or 1 in every theme column of "
            "each row you read, then run again",
            hand_coded=hand_path,
            hand=hand,
        )
    result = compare(tables.codes, tables.answers, hand, codebook, n_boot=n_boot, seed=seed)
    written = [
        write_csv(result.per_theme, out / "agreement_per_theme.csv"),
        write_csv(result.disagreements, out / "disagreements.csv"),
    ]
    stances = _stance_agreement(tables, hand_path, hand_coded_stances)
    if stances is not None:
        written.append(write_csv(stances.pairs, out / "stance_agreement.csv"))
    o = result.overall
    message = (
        f"{o['n_answers']} hand-coded answers from {hand_path.name}: kappa {o['kappa']:.2f} "
        f"({agreement_label(o['kappa'])} agreement), precision {o['precision']:.2f}, "
        f"recall {o['recall']:.2f}; per theme and disagreements in {out}"
    )
    return ValidationOutcome(
        AGREEMENT, message, None, hand_path, result, stances, hand, written
    )  # fmt: skip


def _sample(
    tables: Any,
    codebook: Codebook,
    consultation: Consultation,
    hand_path: Path | None,
    out: Path,
    n: int,
    seed: int,
) -> ValidationOutcome:
    """Write the sample to hand-code, unless one is already there."""
    path = out / SAMPLE_FILE
    missing = f"no hand-coded file ({hand_path} not found)" if hand_path else "no hand-coded file"
    next_step = (
        f"fill it in (a 0 or 1 per theme, a stance on closed questions), then run again with "
        f"it as the hand-coded file (consult validate --hand-coded {path})"
    )
    if path.exists():
        return ValidationOutcome(
            WAITING, f"{missing}; a sample to hand-code is already at {path} (kept): {next_step}",
            sample=path, hand_coded=hand_path,
        )  # fmt: skip
    sample = draw_sample(
        tables.answers,
        tables.respondents,
        n=n,
        seed=seed,
        exclude_questions=sample_questions_excluded(consultation),
    )
    export_sample_workbook(
        sample,
        tables.respondents,
        codebook,
        path,
        closed_questions=[q.id for q in consultation.closed_questions],
    )
    strata = sample["stratum"].nunique() if len(sample) else 0
    return ValidationOutcome(
        SAMPLED,
        f"{missing}: wrote {len(sample)} answers from {strata} strata (question × respondent "
        f"type, seed {seed}) to hand-code in {path}; {next_step}",
        sample=path,
        hand_coded=hand_path,
        written=[path],
    )


def _stance_agreement(
    tables: Any, hand_path: Path, stances_path: str | Path | None
) -> StanceAgreement | None:
    """Stance agreement from the workbook's stance column or ``hand_coded_stances.csv``."""
    if stances_path is None and hand_path.suffix.lower() == ".xlsx":
        hand_stances = read_sample_stances(hand_path)
    else:
        path = Path(stances_path) if stances_path else hand_path.with_name("hand_coded_stances.csv")
        if not path.is_file():
            log.info("no hand-coded stances (%s not found): stance agreement skipped", path.name)
            return None
        hand_stances = load_hand_stances(path)
    if hand_stances.empty:
        return None
    return compare_stances(tables.stances, hand_stances)
