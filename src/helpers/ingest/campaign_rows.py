"""Copy-group rows from corroborated answer pairs (:mod:`campaign_pairs` finds the pairs).

The pairs :func:`campaign_pairs.corroborated_pairs` confirms become rows of
``campaigns.find_copies``' clustered units: new groups of respondents none of whom the copy
rules grouped (:func:`new_groups`), and single respondents who join a group their partner's
answer is in already (:func:`_joined_members`). Split from :mod:`campaign_pairs` so each
module keeps to one concern: finding pairs there, turning them into groups here.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence

import pandas as pd

from helpers.ingest.campaign_pairs import AnswersOf, QuestionPairs, corroborated_pairs


def new_groups(
    pairs: Iterable[tuple[str, str, str, float, float]],
    grouped: set[tuple[str, str]],
) -> list[tuple[str, dict[str, float]]]:
    """The groups the corroborated ``pairs`` add: per question, each connected set of
    respondents none of whom the copy rules grouped under it (``grouped``: (question,
    respondent)), with each member's best overlap (0-100). A pair under a question where
    either is grouped already still corroborated the other question (it is counted in
    :func:`corroborated_pairs`) but adds nothing here: that answer is someone's copy already.
    """
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def root(x: tuple[str, str]) -> tuple[str, str]:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    best: dict[tuple[str, str], float] = {}
    for qid, a, b, _, ov in pairs:
        if (qid, a) in grouped or (qid, b) in grouped:
            continue
        ra, rb = root((qid, a)), root((qid, b))
        parent[max(ra, rb)] = min(ra, rb)
        for r in (a, b):
            best[(qid, r)] = max(best.get((qid, r), 0.0), round(100 * ov, 1))
    members: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for qid, r in sorted(best):
        members[root((qid, r))][r] = best[(qid, r)]
    return [(key[0], group) for key, group in sorted(members.items())]


def group_rows(
    questions: Sequence[QuestionPairs],
    groups: list[pd.DataFrame],
    ranks: dict[str, float],
    answers_of: AnswersOf | None = None,
) -> list[pd.DataFrame]:
    """The copy groups corroborated pairs add, as rows of ``campaigns.find_copies``' clustered
    units (respondent_id, question_id, rank, key, leader, similarity, is_rep), for answers no
    copy rule grouped (``groups``: its groups so far); ``ranks``: each question's order. The
    lowest respondent id is a group's representative; ``answers_of`` as for
    :func:`corroborated_pairs`."""
    grouped = {
        (q, r)
        for g in groups
        for q, r in zip(g["question_id"], g["respondent_id"].astype(str), strict=True)
    }
    pairs = corroborated_pairs(questions, answers_of, grouped)
    if not pairs:
        return []
    out = _joined_members(pairs, groups, ranks)
    for qid, members in new_groups(pairs, grouped):
        ids = sorted(members)
        key = hashlib.sha256(f"pair\0{qid}\0{ids[0]}".encode()).digest()
        out.append(
            pd.DataFrame(
                {
                    "respondent_id": ids,
                    "question_id": qid,
                    "rank": ranks[qid],
                    "key": [
                        key if r == ids[0] else hashlib.sha256(r.encode()).digest() for r in ids
                    ],
                    "leader": key,
                    "similarity": [100.0 if r == ids[0] else members[r] for r in ids],
                    "is_rep": [r == ids[0] for r in ids],
                }
            )
        )
    return out


def _joined_members(
    pairs: Sequence[tuple[str, str, str, float, float]],
    groups: list[pd.DataFrame],
    ranks: dict[str, float],
) -> list[pd.DataFrame]:
    """Rows that make the ungrouped half of a corroborated pair a member of the group the other
    half's answer is in already (same question and leader key, so ``find_copies`` numbers it
    with that group).

    Session 17 (ofsted-survey): six supporters sent a campaign sentence nearly word for word
    and were grouped by the copy rules; a seventh reworded it ("young people leaving care"
    for "care leavers") and stood 25-51 deviations above the unrelated pairs with each of
    them, but :func:`new_groups` adds only pairs of which neither is grouped. A respondent
    whose answer is corroborated as a copy of a grouped answer is one more sender of that
    group's text. Each respondent joins at most one group per question (its best overlap).
    """
    leader: dict[tuple[str, str], object] = {}
    for g in groups:
        for q, r, k in zip(
            g["question_id"], g["respondent_id"].astype(str), g["leader"], strict=True
        ):
            leader.setdefault((str(q), r), k)
    best: dict[tuple[str, str], tuple[float, object]] = {}
    for qid, a, b, _, ov in pairs:
        for new, old in ((a, b), (b, a)):
            if (qid, new) in leader or (qid, old) not in leader:
                continue
            if (qid, new) not in best or ov > best[(qid, new)][0]:
                best[(qid, new)] = (ov, leader[(qid, old)])
    if not best:
        return []
    keys = sorted(best)
    return [
        pd.DataFrame(
            {
                "respondent_id": [r for _, r in keys],
                "question_id": [q for q, _ in keys],
                "rank": [ranks[q] for q, _ in keys],
                "key": [hashlib.sha256(r.encode()).digest() for _, r in keys],
                "leader": [best[k][1] for k in keys],
                "similarity": [round(100 * best[k][0], 1) for k in keys],
                "is_rep": False,
            }
        )
    ]
