"""Dictionary codes the researcher's own coding has already turned down (issue 14, session 28).

The stacker (``coding.stack``) decides a dictionary code only for a theme the trained
coder learned for the answer's question; every other dictionary code is kept as the
patterns found it. Among those, one kind is plainly wrong most of the time: a theme the
training answers *never* have under this question although its patterns fire in some of
those answers. The researcher read those answers, saw the theme's word there, and did
not code the theme: the word is used about something else under this question (a false
friend, session 27's largest cause of wrong codes).

Session 28's census of wrong codes on gold text (fold trees, batches 2-30,
``benchmarks/theme_silent.py``): dictionary codes outside the stacker were right 4 and
wrong 24 times on Ofsted (13 batches), 5 and 6 on transport. Vetoing the ones whose
(question, theme) the training answers left ``silent`` (patterns fired ``MIN_FIRED``+
times, theme never coded under the question) dropped 15 wrong Ofsted codes and 2 right
ones (11 batches better, 2 worse, 16 level) and 2 wrong transport codes (2 better, 27
level), each batch judged from the other batches' answers only (docs/models.md,
"Session 28"). The rule reads only the codebook's patterns and the training file, never
a theme's or a consultation's words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from helpers.coding.stack import VETOED

# training answers to a question the theme's patterns must fire in, with the theme never
# coded there, before its dictionary codes under that question are dropped (1, 3, 6 and 10
# measured leave-one-batch-out: 1 dropped the most wrong codes for the fewest right ones)
MIN_FIRED = 1


def silent_questions(
    theme_ids: Iterable[str],
    questions: Sequence[str],
    coded: Sequence[Iterable[str]],
    hits: Sequence[Sequence[tuple[str, int, int]]],
    min_fired: int = MIN_FIRED,
) -> dict[str, frozenset[str]]:
    """Per theme of ``theme_ids``: the questions whose training answers its patterns fire
    in at least ``min_fired`` times while none of them is coded with it.

    ``questions[i]`` / ``coded[i]`` / ``hits[i]``: training answer ``i``'s question, gold
    themes and dictionary codes (``trained_fit.dictionary_hits``: ``(theme, start, end)``).
    Themes or questions never silent are left out.
    """
    wanted = set(theme_ids)
    fired: Counter = Counter()
    has: set[tuple[str, str]] = set()
    for q, themes, found in zip(questions, coded, hits, strict=True):
        has.update((str(q), t) for t in themes)
        fired.update((str(q), t) for t in {h[0] for h in found} if t in wanted)
    out: dict[str, set[str]] = {}
    for (q, t), n in sorted(fired.items()):
        if n >= min_fired and (q, t) not in has:
            out.setdefault(t, set()).add(q)
    return {t: frozenset(qs) for t, qs in out.items()}


def vetoes(
    silent: Mapping[str, frozenset[str]],
    hits: Sequence[Sequence[tuple[str, int, int]]],
    rids: np.ndarray,
    qids: np.ndarray,
) -> pd.DataFrame:
    """The (answer, theme) pairs (``stack.VETOED`` columns) whose dictionary codes fall in
    ``silent``: answer ``i`` (``rids[i]``, ``qids[i]``) has a hit of theme ``t`` and
    ``qids[i]`` is one of ``silent[t]``. One row per pair, in answer order."""
    rows = []
    for i, found in enumerate(hits):
        q = str(qids[i])
        for t in sorted({h[0] for h in found}):
            if q in silent.get(t, ()):
                rows.append((str(rids[i]), q, t))
    return pd.DataFrame(
        {c: pd.Series([r[k] for r in rows], dtype=str) for k, c in enumerate(VETOED)}
    )
