"""Reservations: the sentence of an answer that voices a condition, concern or caveat.

Split from :mod:`helpers.stance.discourse` (session 10, one concern per module): the
``reservation`` phrases of ``data/stance_lexicon.yaml`` ("however", "concern", "only
if", "capacity", "too soon" ...) anywhere in the answer, reported with the first such
sentence that is not the stance sentence opening with its own contrast.
"""

from __future__ import annotations

from helpers.stance.clauses import _SENTENCE_RE
from helpers.stance.discourse_lexicon import _gates, _present
from helpers.stance.firstpass import _lower

__all__ = ["reservation"]


def reservation(text: str, evidence: tuple[int, int] | None) -> tuple[int, int] | None:
    """The sentence voicing a reservation (condition, concern, caveat), or None."""
    return _reservation(_lower(text, 0, len(text)), evidence)


def _reservation(
    text: str, evidence: tuple[int, int] | None, words: set[str] | None = None
) -> tuple[int, int] | None:
    # Sentences start and end between words, so the finder finds what the pattern finds.
    pattern = _gates()["reservation"].finder(text, _present(text) if words is None else words)
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
