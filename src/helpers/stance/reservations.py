"""Reservations: the sentence of an answer that voices a condition, concern or caveat.

Split from :mod:`helpers.stance.discourse` (session 10, one concern per module): the
``reservation`` phrases of ``data/stance_lexicon.yaml`` ("however", "concern", "only
if", "capacity", "too soon" ...) anywhere in the answer, reported with the first such
sentence that is not the stance sentence opening with its own contrast.
"""

from __future__ import annotations

import numpy as np

from helpers.stance.clauses import _SENTENCE_RE
from helpers.stance.discourse_lexicon import _gates
from helpers.stance.firstpass import _lower
from helpers.stance.reservation_model import Row, batch_scores, load_weights, scores, sentences
from helpers.stance.reservation_split import own_split

__all__ = [
    "add_reservations", "answer_sentences", "learned_reservation", "learned_reservations",
    "reservation", "split_reservation",
]  # fmt: skip


def reservation(text: str, evidence: tuple[int, int] | None) -> tuple[int, int] | None:
    """The sentence voicing a reservation (condition, concern, caveat), or None."""
    return _reservation(_lower(text, 0, len(text)), evidence)


def _reservation(
    text: str, evidence: tuple[int, int] | None, words: set[str] | None = None
) -> tuple[int, int] | None:
    # Sentences start and end between words, so the finder finds what the pattern finds.
    pattern = _gates()["reservation"].finder(text, words)  # (its key words, if it needs them)
    if pattern is None:
        return None
    for m in _SENTENCE_RE.finditer(text):
        s, e = m.start(), m.end()
        if not text[s:e].strip():
            continue
        hit = pattern.search(text, s, e)
        if hit is None:
            continue
        if evidence and (s, e) == evidence and hit.start() - s < 3:
            continue  # the stance sentence itself opening with "but": its contrast, not a caveat
        while s < e and text[s].isspace():
            s += 1
        return s, e
    return None


def answer_sentences(
    segments: list[str], evidence: list[int] | tuple[int, int, int] | None
) -> tuple[list[tuple[int, int, int]], int | None]:
    """The sentences of an answer's segments as (segment, start, end), and the index of
    the one holding the stance evidence (``evidence``: segment, start, end) or None."""
    spans, ev = [], None
    for k, seg in enumerate(segments):
        for s, e in sentences(seg):
            if evidence is not None and ev is None and k == evidence[0] and evidence[1] < e:
                ev = len(spans)
            spans.append((k, s, e))
    return spans, ev


def learned_reservation(
    segments: list[str], evidence: tuple[int, int, int] | None, row: Row
) -> tuple[int, int, int] | None:
    """The sentence (segment, start, end) the learned classifier reads as a reservation.

    Every sentence of the answer is scored (:mod:`helpers.stance.reservation_model`);
    the best one is the reservation if it scores at least the shipped threshold. The
    rules' reading of the row (``row``: flag, stance, method, conflict) is among its features, not the decision. Without the
    shipped weights the rules decide (None here means: keep the rules' answer).
    """
    weights = load_weights()
    spans, ev = answer_sentences(segments, evidence)
    if weights is None or not spans:
        return None
    texts = [segments[k][s:e] for k, s, e in spans]
    p = scores(texts, ev, row, weights)
    best = int(np.argmax(p))
    return spans[best] if p[best] >= float(weights["threshold"]) else None


def learned_reservations(
    answers: list[tuple[list[str], tuple[int, int, int] | None, Row]],
) -> list[tuple[int, int, int] | None]:
    """:func:`learned_reservation` of many answers (segments, evidence, row) at once, the
    same results: their sentences are scored together (:func:`batch_scores`), which saves
    the per-answer set-up of the hashing and TF-IDF (the stance table reads thousands)."""
    weights = load_weights()
    if weights is None:
        return [None] * len(answers)
    read = [answer_sentences(segments, evidence) for segments, evidence, _ in answers]
    ps = batch_scores(
        [([segs[k][s:e] for k, s, e in spans], ev, row)
         for (segs, _, row), (spans, ev) in zip(answers, read, strict=True)],
        weights,
    )  # fmt: skip
    threshold = float(weights["threshold"])
    out: list[tuple[int, int, int] | None] = []
    for (spans, _), p in zip(read, ps, strict=True):
        if not spans:
            out.append(None)
            continue
        best = int(np.argmax(p))
        out.append(spans[best] if p[best] >= threshold else None)
    return out


LEARNED = True  # decide the flag with the learned classifier (False: the phrase rule alone)
# Session 21: the writer's own split ("70/30 in favour") is a reservation the finder missed.
SPLITS = True


def split_reservation(
    segments: list[str], evidence: tuple[int, int, int] | None
) -> tuple[int, int, int] | None:
    """The sentence (segment, start, end) stating the writer's own split of a position
    (:func:`helpers.stance.reservation_split.own_split`: "I'm about 70/30 in favour",
    "Put me down as 90% yes") that is the stance sentence (any sentence when the row has
    none), or None. Beside the learned finder, which reads no number."""
    spans, ev = answer_sentences(segments, evidence)
    if ev is not None:
        # Only the sentence the position was read from: a segment may run on into another
        # question's answer ("… The trial: I'm 90% for it" under the bus gate's heading).
        spans = [spans[ev]]
    k = own_split([segments[j][s:e] for j, s, e in spans])
    return None if k is None else spans[k]


def add_reservations(rows: list[dict], texts: dict, segments: dict) -> None:
    """Each answered row's reservation flag and the sentence voicing it (quote + offsets).

    The learned classifier (:func:`learned_reservation`) reads every sentence of the
    question's answer (a letter's, ``unstructured``, is its evidence sentence's
    segment) and decides; the rules' flag is one of its features. Without shipped
    weights, or with ``LEARNED`` off, the rules' flag stands and the sentence is the
    first reservation phrase's that is not the evidence sentence opening with its own
    contrast (:func:`reservation`).
    """
    use_model = LEARNED and load_weights() is not None
    jobs: list[tuple[dict, list[tuple[int, int]], tuple]] = []
    for row in rows:
        text = texts.get(row["respondent_id"])
        if not isinstance(text, str):
            continue
        spans = segments.get((row["respondent_id"], row["question_id"]))
        if not spans and row["start"] is not None:
            spans = [(int(row["start"]), int(row["end"]))]
        if not spans:
            continue
        evidence = (row["start"], row["end"]) if row["start"] is not None else None
        if use_model and row["stance"] != "not_answered":
            ev = None
            if evidence is not None:
                # The segment holding the evidence (else the last, as the trainer saw it).
                ev = next(((k, evidence[0] - s, evidence[1] - s) for k, (s, e) in enumerate(spans)
                           if s <= evidence[0] < e or k == len(spans) - 1), None)  # fmt: skip
            said = (bool(row["reservations"]), row["stance"], row["method"], bool(row["conflict"]))
            jobs.append((row, spans, ([text[s:e] for s, e in spans], ev, said)))
            continue
        if not row["reservations"]:
            continue
        for s, e in spans:
            local = None if evidence is None else (evidence[0] - s, evidence[1] - s)
            found = reservation(text[s:e], local)
            if found is not None:
                a, b = s + found[0], s + found[1]
                row.update(reservation=text[a:b], reservation_start=a, reservation_end=b)
                break
    # The model's rows all at once (one hashing/TF-IDF pass), as learned_reservation each.
    for (row, spans, answer), got in zip(
        jobs, learned_reservations([j[2] for j in jobs]), strict=True
    ):
        if got is None and SPLITS:
            got = split_reservation(answer[0], answer[1])
        row["reservations"] = got is not None
        if got is not None:
            text = texts[row["respondent_id"]]
            a, b = spans[got[0]][0] + got[1], spans[got[0]][0] + got[2]
            row.update(reservation=text[a:b], reservation_start=a, reservation_end=b)
