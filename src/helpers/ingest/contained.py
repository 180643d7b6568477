"""Campaign texts found whole inside longer answers, once rewording has made them campaign texts.

Session 23 let a leader that is a campaign text already (sent word for word by several, or
leading near copies) be found WHOLE inside a longer answer whatever its share of it
(``passages.passage_copy``'s ``contained``): a supporter who pastes the campaign's text and
writes more of their own around it. That pass (``nearcopies._passage_pass``) runs before the
reworded and restated passes, so a campaign whose own senders each reworded the text a
little (two supporters' "I back a separate judgement …" / "I back a separate care leavers'
judgement …") was not yet a campaign text when a third supporter's long e-mail, the text
pasted between paragraphs of their own, was compared with it: the pasted text is under
``PASSAGE_SHARE`` of the e-mail and was left alone (``benchmarks/campaign_perturb`` kinds
``email_preamble`` and ``personal_longer``, session 28).

:func:`contained_pass` runs after those passes and gives texts still alone one more look,
at the leaders those passes made campaign texts only: the leader found whole in the text,
every sentence (two or more) in one run with small edits, joins the text to it. Nothing else
changes: the bar (``passage_copy``), the candidates (passage-window LSH) and the rule that a
text sent word for word by several never joins as a personal copy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Protocol

from helpers.ingest.passages import PASSAGE_VERIFY, passage_copy, passage_pairs


class _Clusters(Protocol):
    leader: list[int]
    score: list[float]
    n_verified: int


def contained_pass(
    texts: Sequence[str],
    out: _Clusters,
    threshold: float,
    before: Counter,
    personal: Sequence[bool] | None = None,
) -> None:
    """Join texts still alone to a leader that became a campaign text after the passage pass.

    ``before``: each leader's member count when the passage pass ran; a leader with more
    members now than then (and more than one) is a campaign text the reworded or restated
    passes made. Only texts that lead no group and joined none, sent by one respondent
    (``personal``), may join, and only such a leader found whole in them; candidates are
    the passage windows' LSH pairs (at most ``PASSAGE_VERIFY`` a text), as in the passage pass.
    """
    members = Counter(out.leader)
    grown = {j for j, n in members.items() if n > 1 and n > before.get(j, 1)}
    if not grown:
        return
    alone = [
        i
        for i, lead in enumerate(out.leader)
        if lead == i and members[i] == 1 and (personal is None or personal[i])
    ]
    index = sorted(grown | set(alone))
    pairs = passage_pairs([texts[k] for k in index])
    for li in sorted(pairs):
        i = index[li]
        if i in grown or members[i] > 1 or out.leader[i] != i:
            continue
        shared = pairs[li]
        near = sorted(
            (lj for lj in shared if index[lj] in grown), key=lambda lj: (-shared[lj], lj)
        )[:PASSAGE_VERIFY]
        for j in sorted(index[lj] for lj in near):
            if len(texts[j]) >= len(texts[i]):
                continue
            out.n_verified += 1
            if passage_copy(texts[j], texts[i], threshold, contained=True):
                out.leader[i], out.score[i] = j, threshold
                members[j] += 1
                break
