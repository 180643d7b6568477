"""One ANSWERS frame per run equals one frame per document (issue 15 item 4).

``run_ingest`` keeps each document's rows as ``segment.AnswerRows`` and makes
them one frame at the end (``segment.run_frames``); ``segment_document`` makes
one frame per document. Rows are marked substantive and cast one at a time,
so the two must hold the same rows, values and dtypes, in the same order,
also around a survey file's frame.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from builders import make_doc

from helpers.core import schemas
from helpers.core.consultation import load_consultation
from helpers.ingest.segment import AnswerRows, run_frames, segment_document, segment_rows

ROOT = Path(__file__).resolve().parents[1]
CONSULTATION = ROOT / "consultations" / "ofsted-ilacs-care-leavers-2022" / "consultation.yaml"

# Written for this test: a headed response, a letter, a non-answer, a bilingual non-answer.
TEXTS = [
    "Question 1\nYes, I agree: care leavers deserve their own judgement.\n\n"
    "Question 2\nNo comment.\n\nKind regards\nSam",
    "Dear Sir or Madam,\n\nI was in care until I was eighteen and nobody checked on me "
    "after I left. Inspectors should speak to young people directly.\n\nYours faithfully,\nA. Reader",
    "N/A",
    "Q1\nDim sylw / No comment\n\nQ3\nThe inspection should look at housing for care leavers.",
]


def _consultation():
    return load_consultation(CONSULTATION)


def test_one_frame_for_many_documents_equals_a_frame_each():
    cons = _consultation()
    docs = [make_doc(t, rid=f"r{k}") for k, t in enumerate(TEXTS)]
    each = pd.concat([segment_document(d, cons) for d in docs], ignore_index=True)
    chunks = [segment_rows(d, cons) for d in docs]
    assert all(isinstance(c, AnswerRows) for c in chunks)
    [one] = run_frames(chunks, cons)
    pd.testing.assert_frame_equal(one, each, check_exact=True)
    assert list(one.columns) == schemas.ANSWERS.names
    assert not one["substantive"].all() and one["substantive"].any()  # both kinds occur


def test_survey_frames_keep_their_place():
    cons = _consultation()
    docs = [make_doc(t, rid=f"r{k}") for k, t in enumerate(TEXTS)]
    survey = segment_document(make_doc("Yes.", rid="s1"), cons).assign(match_method="survey")
    chunks = [segment_rows(docs[0], cons), segment_rows(docs[1], cons), survey]
    chunks += [segment_rows(docs[2], cons), AnswerRows(), segment_rows(docs[3], cons)]
    frames = run_frames(chunks, cons)
    assert len(frames) == 3 and frames[1] is survey
    want = [segment_document(d, cons) for d in docs]
    pd.testing.assert_frame_equal(frames[0], pd.concat(want[:2], ignore_index=True))
    pd.testing.assert_frame_equal(frames[2], pd.concat(want[2:], ignore_index=True))


def test_a_document_without_rows_still_gives_a_frame():
    [frame] = run_frames([AnswerRows()], _consultation())
    assert frame.empty and list(frame.columns) == schemas.ANSWERS.names
