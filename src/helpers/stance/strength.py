"""Strong phrases that weigh as strong but do not make a stance strong (session 23, issue 13).

The discourse reader counts a strong phrase twice when it weighs the answer's clauses, and a
stance is strong when strong evidence carries the winning side (``discourse._refine``). Some
phrases of ``agree_strong`` decide a direction firmly without saying *how much* the writer
agrees: "Yes, do it." is agreement; whether it is strong agreement the phrase does not say.

Rationale (measured, ``docs/stance.md`` "Session 23"): every spent item set (stance-items …
stance-items-22) read by the rules, each item read strongly counted by the strong phrases in
it: would a mild reading be right where the strong one was wrong (a gain), or the reverse (a
loss)? "do it" stands alone: 27 gains against 4 losses over 18 sets, better in 13 ("But for the
kids coming after me, yes, do it.", "Do it properly and we're with you.", "Do it in January if it
means more of us get asked."); every other phrase has at most 2 gains and mostly losses
("absolutely not" 0 / 17, "long overdue" 0 / 15). Chosen leave-one-set-out (a phrase kept
as not strong when, on the other sets, its gains outnumber its losses and it gains in at least
three sets), "do it" is the only phrase chosen in every fold. The list is
``firm_not_strong`` in ``data/stance_lexicon.yaml`` (generic English).

The phrase keeps its weight, so the direction of an answer is read as before; only the
strength it gives is dropped. An emphatic adverb just before it ("absolutely do it") still
makes it strong, as it does any phrase (``emphasis.adverb_before``).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from helpers.stance.emphasis import adverb_before

__all__ = ["firm_only"]


@lru_cache(maxsize=1)
def _firm() -> frozenset[str]:
    path = resources.files("helpers").joinpath("data", "stance_lexicon.yaml")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return frozenset(str(w).lower() for w in raw.get("firm_not_strong", []))


def firm_only(text: str, start: int, end: int) -> bool:
    """Whether the phrase at ``text[start:end]`` (the lower-cased answer) weighs as strong
    but gives no strength: it is in ``firm_not_strong`` and no emphatic adverb precedes it."""
    phrase = text[start:end].lower().replace("’", "'")
    return phrase in _firm() and not adverb_before(text, start)
