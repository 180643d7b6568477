"""Second readings of the stances rows the rules made: the gate and the learned layer.

Split from :mod:`helpers.stance.table` (session 21, no change of behaviour):
:func:`gate_rows` gives a row the rules read from text and found no position in a
second reading by ``stance.gate`` (on by default, ``stance.table.GATE``);
:func:`learned_layer` re-reads the rows whose stance came from text alone with
``stance.learned`` (off by default, ``stance.table.LEARNED_LAYER``). Both update the
rows in place; ``stance.table`` decides whether each runs.
"""

from __future__ import annotations

from helpers.core import schemas
from helpers.core.consultation import Consultation
from helpers.stance.declines import says_nothing
from helpers.stance.discourse import reservation
from helpers.stance.topic import topic_vocabulary


def gate_rows(
    rows: list[dict], texts: dict, segments: dict, consultation: Consultation, max_chars: int
) -> None:
    """Rows the rules read from text and found no position in get a second reading
    (``stance.gate``): an answer that argues for or against the proposal without a word
    of position ("If she can't get through, I won't be able to go") becomes ``agree`` or
    ``disagree`` at a low confidence, quoting its most telling sentence. Answers longer than ``max_chars`` are not read
    (``stance.table.GATE_MAX_CHARS``)."""
    from helpers.stance import gate

    chosen = [r for r in rows if r["method"] == "text" and r["stance"] == "not_answered"
              and segments.get((r["respondent_id"], r["question_id"]))]  # fmt: skip
    if not chosen:
        return
    vocab = {q.id: topic_vocabulary(consultation, q.id) for q in consultation.closed_questions}
    # Every segment of a split answer is read, joined by line breaks (a sentence never
    # crosses one, so the evidence maps back into one segment).
    spans = [segments[(r["respondent_id"], r["question_id"])] for r in chosen]
    # Courtesies ("We would be happy to discuss this further") are not read: they would
    # lean the model towards agreement while taking no position.
    said = [gate.without_courtesies("\n".join(texts[r["respondent_id"]][s:e] for s, e in sp))
            for r, sp in zip(chosen, spans, strict=True)]  # fmt: skip
    # A view declined or a pointer elsewhere ("See the X response.") is no position (s. 21).
    keep = [k for k, t in enumerate(said)
            if any(c.isalpha() for c in t) and len(t) <= max_chars
            and not says_nothing(t)]  # fmt: skip
    chosen, spans, said = ([x[k] for k in keep] for x in (chosen, spans, said))
    read = gate.read(said, [vocab[r["question_id"]] for r in chosen])
    for row, sp, text, got in zip(chosen, spans, said, read, strict=True):
        if got is None:
            continue
        stance, confidence = got
        a, b = gate.evidence(text, stance)
        at = 0
        for s, e in sp:  # the segment holding the evidence, and its offset in ``text``
            if a < at + (e - s) or (s, e) == sp[-1]:
                break
            at += e - s + 1
        # Reservations anywhere in the answer, as for the rules' readings ("ye sounds gd,
        # as long as they ask us"): a condition or concern beside the position read.
        row.update(stance=stance, text_stance=stance, confidence=confidence,
                   score=float(schemas.STANCE_SCORES[stance]),
                   reservations=reservation(text, (a, b)) is not None,
                   evidence=text[a:b], start=s + a - at, end=s + b - at)  # fmt: skip


def learned_layer(
    rows: list[dict], texts: dict, segments: dict, consultation: Consultation
) -> None:
    """Re-read each row whose stance came from text alone with the learned layer (never a
    ticked box, nor a row with no text read); a row the rules left without an evidence
    sentence gets the start of its answer."""
    from helpers.stance import learned

    labels = {q.id: q.label for q in consultation.closed_questions}
    chosen, said = [], []
    for row in rows:
        key = (row["respondent_id"], row["question_id"])
        if row["method"] not in ("text", "unstructured"):
            continue
        spans = segments.get(key, [])
        if row["method"] == "text" and not spans:
            continue
        chosen.append(row)
        said.append(learned.layer_text(texts.get(key[0]), spans, row["evidence"], row["method"]))
    if not chosen:
        return
    questions = [labels[r["question_id"]] for r in chosen]
    for row, (stance, conf) in zip(chosen, learned.predict(chosen, said, questions), strict=True):
        if stance == row["stance"]:
            row["confidence"] = round(conf, 3)
            continue
        score = schemas.STANCE_SCORES.get(stance)
        row.update(stance=stance, text_stance=stance, confidence=round(conf, 3),
                   score=None if score is None else float(score))  # fmt: skip
        if stance == "not_answered":
            row.update(reservations=False, evidence=None, start=None, end=None)
        elif row["start"] is None:
            s, e = segments[(row["respondent_id"], row["question_id"])][0]
            full = texts[row["respondent_id"]]
            e = min(e, s + 300)
            row.update(evidence=full[s:e], start=s, end=e)
