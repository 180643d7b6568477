"""Non-answers written in two languages: "Dim sylw / No comment", "No comment / Aucun commentaire".

Bilingual forms (Welsh and English, or any second language) invite an answer
written twice, one language each side of a slash or on two lines. The
package's non-answer rule (``helpers.ingest.nonanswers``, English phrases in
``helpers/data/non_answers.yaml``) reads the whole answer, so the unknown
half keeps "Dim sylw / No comment" substantive. Here such an answer is a
non-answer when:

- it is short (at most ``_MAX_WORDS`` words) and splits into exactly two
  halves at a slash or a line break;
- one half is a non-answer by the package's rule for any question (a bare
  "No" does not count: "No / Parking problems" is a reply and a reason);
- the other half is about as long (at most two words more) and reads as a
  second language, not English: none of its words is an English function
  word (``helpers/data/stopwords_en.txt``) or one of the English words that
  point elsewhere (``second_language.english_words`` in ``non_answers.yaml``:
  "No comment / see covering letter" stays substantive, since the view is in
  the letter).

No language's vocabulary is needed: the rule asks only that the other half is
not English. Everything here is linear in the answer's length.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import pandas as pd
import yaml

from helpers.core.consultation import Consultation
from helpers.ingest.nonanswers import load_rule, mark_substantive

_MAX_WORDS = 12  # both halves together: a non-answer is a short remark
# A slash, not the one of "N/A"; or a line break.
_SPLIT_RE = re.compile(r"(?<!\b[nN])[ \t]*/[ \t]*(?![aA]\b)|[ \t]*\n+[ \t]*")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@functools.cache
def _english_words() -> frozenset[str]:
    """English function words and pointing words: a half holding one is English."""
    data = resources.files("helpers").joinpath("data")
    stop = {
        w.strip().lower()
        for w in data.joinpath("stopwords_en.txt").read_text(encoding="utf-8").splitlines()
        if w.strip() and not w.lstrip().startswith("#")
    }
    raw = yaml.safe_load(data.joinpath("non_answers.yaml").read_text(encoding="utf-8"))
    extra = (raw.get("second_language") or {}).get("english_words") or []
    return frozenset(stop | {str(w).lower() for w in extra})


def two_language_non_answer(text: str | None, kind: str = "open") -> bool:
    """Whether ``text`` is one non-answer written in English and in a second language.

    ``kind`` is kept for symmetry with the package's rule; the English half is
    judged as for a closed question (no bare "No" or "Don't know"), whatever the kind.
    """
    if not isinstance(text, str) or len(text) > 200:
        return False
    halves = [h.strip(" \t.") for h in _SPLIT_RE.split(text.strip())]
    if len(halves) != 2 or not all(halves):
        return False
    words = [_WORD_RE.findall(h) for h in halves]
    if not all(words) or len(words[0]) + len(words[1]) > _MAX_WORDS:
        return False
    rule = load_rule()
    english = _english_words()
    for k in (0, 1):
        this, other = words[k], words[1 - k]
        # The English half must be a non-answer to any question: a bare "No" over
        # "Parking problems" is a closed answer and a reason, not one remark twice.
        if not rule.is_non_answer(halves[k], "closed") or len(other) > len(this) + 2:
            continue
        if not any(w.lower().replace("’", "'") in english for w in other):
            return True
    return False


def mark(answers: pd.DataFrame, consultation: Consultation) -> pd.DataFrame:
    """``mark_substantive``, then answers that are one non-answer in two languages."""
    out = mark_substantive(answers, consultation)
    if out.empty:
        return out
    kinds = {q.id: q.kind for q in consultation.questions}
    fix = [
        bool(s) and two_language_non_answer(t, kinds.get(str(q), "open"))
        for s, t, q in zip(out["substantive"], out["answer_text"], out["question_id"], strict=True)
    ]
    if any(fix):
        out.loc[fix, "substantive"] = False
    return out
