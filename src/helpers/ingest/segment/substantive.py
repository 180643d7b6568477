"""Non-answers written in two languages: "Dim sylw / No comment", "No comment / Aucun commentaire".

Bilingual forms (Welsh and English, or any second language) invite an answer
written twice, one language each side of a slash or on two lines. The
package's non-answer rule (``helpers.ingest.nonanswers``, English phrases in
``helpers/data/non_answers.yaml``) reads the whole answer, so the unknown
half keeps "Dim sylw / No comment" substantive. Here such an answer is a
non-answer when:

- it is short (at most ``_MAX_WORDS`` words) and splits into exactly two
  halves at a slash or a line break;
- one half is a non-answer by the package's rule for any question, or, to
  an open question, by the open-question rule in two words or more ("Don't
  know", "Not sure"; session 10, transport-12's "No sé. / Don't know."): a
  bare "No" does not count, since "No / Parking problems" is a reply and a
  reason;
- the other half is about as long (at most two words more) and reads as a
  second language, not English: none of its words is one of the English
  words that point elsewhere (``second_language.english_words`` in
  ``non_answers.yaml``), and none is an English function word
  (``helpers/data/stopwords_en.txt``) unless the half has a letter English
  does not write (an accent: "No sé", "Não sei", where "no" is both
  languages' word).

No language's vocabulary is needed: the rule asks only that the other half is
not English. Everything here is linear in the answer's length.
"""

from __future__ import annotations

import functools
import re

import pandas as pd

from helpers.core.consultation import Consultation
from helpers.ingest.nonanswers import judged_kind, load_rule, mark_substantive, restates_tick
from helpers.ingest.segment.residue import (
    residue_non_answer,
    without_closing,
    without_lead_heading,
    without_trailer,
)
from helpers.ingest.segment.shortanswer import package_words, short_non_answer

_MAX_WORDS = 12  # both halves together: a non-answer is a short remark
# A slash, not the one of "N/A"; or a line break; or (session 13, transport-15 "Non saprei –
# I would not know.") a dash with a space either side.
_SPLIT_RE = re.compile(r"(?<!\b[nN])[ \t]*/[ \t]*(?![aA]\b)|[ \t]*\n+[ \t]*|[ \t]+[–—-][ \t]+")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@functools.cache
def _english_words() -> tuple[frozenset[str], frozenset[str]]:
    """English function words, and the English words that point elsewhere: a half holding one
    is English (a function word only when the half has no accented letter)."""
    stop, raw = package_words()
    extra = (raw.get("second_language") or {}).get("english_words") or []
    return stop, frozenset(str(w).lower() for w in extra)


def _english_half(half: str, words: list[str], kind: str) -> bool:
    """Whether ``half`` is a non-answer in English for a question of ``kind`` (module docstring).

    Any question's phrases count whole; the open-question ones ("Don't know")
    only in two words or more, so a bare "No" or "Yes" over a line of the
    respondent's own is never one remark written twice.
    """
    rule = load_rule()
    if rule.is_non_answer(half, "closed"):
        return True
    return kind == "open" and len(words) >= 2 and rule.is_non_answer(half, "open")


def _second_language(words: list[str]) -> bool:
    """Whether a half's ``words`` read as a language other than English (module docstring)."""
    stop, pointing = _english_words()
    folded = [w.lower().replace("’", "'") for w in words]
    if any(w in pointing for w in folded):
        return False
    accented = any(not ch.isascii() for w in words for ch in w)
    return accented or not any(w in stop for w in folded)


def two_language_non_answer(text: str | None, kind: str = "open") -> bool:
    """Whether ``text`` is one non-answer written in English and in a second language.

    ``kind`` is the question's kind: to an open question the English half may
    be an open-question non-answer of two words or more ("Don't know").
    """
    if not isinstance(text, str) or len(text) > 200:
        return False
    halves = [h.strip(" \t.") for h in _SPLIT_RE.split(text.strip())]
    if len(halves) != 2 or not all(halves):
        return False
    words = [_WORD_RE.findall(h) for h in halves]
    if not all(words) or len(words[0]) + len(words[1]) > _MAX_WORDS:
        return False
    for k in (0, 1):
        this, other = words[k], words[1 - k]
        if len(other) > len(this) + 2 or not _english_half(halves[k], this, kind):
            continue
        if _second_language(other):
            return True
    return False


def _residue(text: object, kind: str, tick: object, question_text: str | None) -> bool:
    """``residue.residue_non_answer`` of a text judged as its tick makes it (``judged_kind``):
    beside a ticked box it answers "Please explain", an open question; a restated tick
    ("Yes." beside "Agree") is the answer in words and stays."""
    judged = judged_kind(kind, tick)
    if judged != kind and restates_tick(text, tick):
        return False
    return residue_non_answer(text, judged, question_text if judged == kind else None)


def mark(answers: pd.DataFrame, consultation: Consultation, learned: bool = True) -> pd.DataFrame:
    """``mark_substantive``, then answers that are one non-answer in two languages, then (with
    ``learned``) short answers to open questions the learned reader takes for non-answers
    (``segment.shortanswer``; ``learned=False`` gives the phrases alone, as its training reads),
    then short answers that are nothing but talk about answering (``segment.residue``).

    Session 24: an answer signed off in another language or in two ("Grazie," over the
    writer's name; ``residue.without_closing``) is judged again, by every rule, without that
    closing; it is a non-answer when either reading is. The text is not changed.

    Session 26: the same for every trailing paragraph ``residue.without_trailer`` sets aside
    (sign-offs, a form's note, an organisation's footer, a line of tags or links), so the
    phrases and the learned reader judge "Nothing further from us." over the body's footer, as
    the residue rule already did; batches 14, 15 and 28 each lost a non-answer to one.

    Session 27: and without a heading line the segmenter left at the row's head
    (``residue.without_lead_heading``: "Watch this space" over "Nothing further at this
    stage.")."""
    out = _mark(answers, consultation, learned)
    if out.empty:
        return out
    closed = [_set_aside(t) if isinstance(t, str) else t for t in out["answer_text"].tolist()]
    changed = [c is not t for c, t in zip(closed, out["answer_text"].tolist(), strict=True)]
    if any(changed):
        texts = [c for c, k in zip(closed, changed, strict=True) if k]
        judged = _mark(answers[changed].assign(answer_text=texts), consultation, learned)
        rows = out.index[changed]
        kept = out.loc[rows, "substantive"].astype(bool).to_numpy()
        out.loc[rows, "substantive"] = kept & judged["substantive"].astype(bool).to_numpy()
    return out


def _set_aside(text: str) -> str:
    """``text`` without a leading heading line (``without_lead_heading``, session 27), its
    trailing closing (``without_closing``) and then whatever else trails it
    (``without_trailer``); ``text`` itself when none finds anything."""
    closed = without_closing(without_lead_heading(text))
    trimmed = without_trailer(closed)
    return text if trimmed.strip() == text.strip() else trimmed


def _mark(answers: pd.DataFrame, consultation: Consultation, learned: bool) -> pd.DataFrame:
    """``mark`` on the texts as they are (its docstring)."""
    out = mark_substantive(answers, consultation)
    if out.empty:
        return out
    kinds = {q.id: q.kind for q in consultation.questions}
    texts = {q.id: q.text for q in consultation.questions}
    ticks = out["tick_box"].tolist() if "tick_box" in out.columns else [None] * len(out)
    fix = [
        bool(s)
        and (
            two_language_non_answer(t, kinds.get(str(q), "open"))
            or (learned and kinds.get(str(q)) == "open" and short_non_answer(t, texts.get(str(q))))
            or _residue(t, kinds.get(str(q), "open"), tick, texts.get(str(q)))
        )
        for s, t, q, tick in zip(
            out["substantive"], out["answer_text"], out["question_id"], ticks, strict=True
        )
    ]
    if any(fix):
        out.loc[fix, "substantive"] = False
    return out
