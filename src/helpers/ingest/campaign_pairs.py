"""Campaign pairs corroborated across questions: two respondents who each reword one campaign.

A small campaign ("Eighteen Is Not An Ending", a residents' group's e-mail) gives
its supporters a short text for each of two or three questions, and each supporter
rewords or abridges it as they send it: "Jan 2023 isn't too soon – every month's
delay means yet another group of young people leaving care with nobody checking" /
"January 2023 is not too soon. Every month of delay means another group of young
people leave care without anyone checking". Each copy is short (70-160
characters) and so reworded that the character and trigram rules of
:mod:`nearcopies` and :mod:`reworded` do not join them (by design: two people may
write one short sentence alike by chance), and the development sets' batches 13
to 16 missed every such pair (seven pairs of seven on the gold texts).

What gives the pair away is that it happens under *two* questions at once, each
far beyond what unrelated answers of the same consultation share:

* **Shared rare wording** (:func:`features`, :func:`overlap`): each answer's
  words and adjacent word pairs that are neither stopwords nor the question's
  own words, each weighted by its rarity among the question's answers (inverse
  document frequency); a pair's score is the weighted Jaccard of the two sets.
  A reworded copy keeps most of the campaign's rare words and some of its
  phrases ("parent stops caring", "every month of delay"); two answers that
  merely agree share the debate's common words, which weigh little.
* **Relative to the consultation's own unrelated pairs** (:func:`null_sample`,
  :func:`standardise`): how much two answers share depends on the consultation
  (how long its answers are, how technical its vocabulary), so the score is
  read as standard deviations above the mean of pairs of answers to the same
  question by different respondents (every pair in a small consultation, a
  fixed-seed sample of ``NULL_PAIRS`` per question in a large one), pooled over
  the questions, the top ``NULL_TRIM`` cut off first so that the campaigns
  themselves do not widen the spread, and leaving out pairs the copy rules
  have grouped already. No similarity threshold is fixed by hand.
* **Meaning** (:mod:`helpers.core.wordvectors`): the two answers' WordLlama
  cosine must also stand ``MIN_MEANING_Z`` deviations above the unrelated
  pairs' (two answers sharing rare words while saying something else are not a
  copy). Read only for the pairs the words corroborate (the null from every pair of
  ``MEANING_ANSWERS`` answers a question), so it costs nothing in a consultation
  without such pairs; skipped when the word vectors are not installed.
* **Corroborated** (:func:`corroborated_pairs`): the respondents must share such
  answers under at least ``MIN_QUESTIONS`` questions, each ``MIN_Z`` deviations
  above the null. One outlying pair of answers may be chance or a shared
  source (two charities quoting the same report); the same two people doing it
  twice is a campaign. On the 32 spent document sets' gold texts (session 14):
  every campaign pair under two questions stands 10.6 deviations or more above
  the null under both, every other pair of respondents at most 4.1 under its
  second-best question, so ``MIN_Z`` = 6 sits between them.

Candidates (bounded work): pairs of answers sharing at least ``MIN_RARE_SHARED``
features that are in at most ``RARE_CAP`` answers of the question (a feature many
answers share is the debate's, and a feature's answers meet each other at most
``RARE_CAP`` times), so the pass is linear in the number of answers.

Modules (split in session 26): the measures (features, rarity, overlap, the null and
deviations above it) are :mod:`campaign_wording`'s; one question's candidates and null,
:mod:`campaign_questions`'; this module pools them, reads meaning and across questions,
and decides (``MIN_QUESTIONS``, ``SINGLE_Z``, ``MIN_Z``, ``MIN_MEANING_Z``).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import combinations

import numpy as np

from helpers.core import wordvectors
from helpers.ingest.campaign_questions import (  # noqa: F401 (question_pairs re-exported)
    QuestionPairs,
    question_pairs,
)
from helpers.ingest.campaign_wording import (  # noqa: F401 (null_sample_once re-exported)
    NULL_PAIRS,
    features,
    null_sample,
    null_sample_once,
    overlap,
    rarity,
    set_weight,
    standardise,
)

log = logging.getLogger(__name__)

# A respondent set -> their answers as (respondent, question, normalised flat text).
AnswersOf = Callable[[set[str]], list[tuple[str, str, str]]]

MIN_QUESTIONS = 2  # questions under which the same two respondents must share rare wording
# One question's pair this far above the null needs no second question (session 17, gold texts
# of every spent set: campaign pairs under one question 21-62, every other pair at most 17.7).
SINGLE_Z = 20.0
# ... read only against a pooled null of this many unrelated pairs: from fewer, the deviations
# swing with whatever else was answered (one 90-character reworded pair stood 11 and 42
# deviations above two toy tables of 66-154 null pairs); the spent batches' sets hold 116-226+.
SINGLE_MIN_NULL = 100
MIN_Z = 6.0  # deviations above the unrelated pairs (dev: campaign pairs >= 10.6, others <= 4.1)
MIN_MEANING_Z = 2.0  # WordLlama cosine deviations above the unrelated pairs (dev pairs: >= 2.8)
VECTOR_BATCH = 16  # texts embedded at a time (bounds WordLlama's padded array)


def _vectors(texts: Sequence[str]) -> np.ndarray | None:
    """WordLlama vectors of ``texts``, or None when the word vectors are not installed.

    In batches of ``VECTOR_BATCH``: WordLlama pads a batch to its longest text, and a
    question's meaning sample of 200 answers in one batch held a padded array of 200 times
    the longest answer's tokens (about 0.6 GB for generated answers of up to 40 paragraphs,
    session 15); a text's vector does not depend on its batch (``wordvectors.encode``)."""
    if not wordvectors.available():
        return None
    return wordvectors.encode(list(texts), batch_size=VECTOR_BATCH)


def meaning_null(questions: Sequence[QuestionPairs]) -> np.ndarray | None:
    """Cosines of the pairs of each question's meaning sample in different copy groups,
    pooled (None without the word vectors)."""
    out: list[np.ndarray] = []
    for q in questions:
        vectors = _vectors(q.meaning_texts)
        if vectors is None:
            return None
        g = q.meaning_groups
        pairs = [(a, b) for a, b in combinations(range(len(g)), 2) if g[a] != g[b]]
        if pairs:
            i, j = np.array(pairs).T
            out.append(np.einsum("ij,ij->i", vectors[i], vectors[j]))
    return np.concatenate(out) if out else np.zeros(0)


def cross_question_hits(
    questions: Sequence[QuestionPairs],
    single: dict[tuple[str, str], str],
    answers_of: AnswersOf,
) -> dict[tuple[str, str], list[tuple[str, float, float, str, str]]]:
    """Corroboration ACROSS questions for respondent pairs that share wording under one.

    Session 15 (batch 17): a campaign's petition e-mail and its web form carry the same two
    short texts, but reading put one sender's copy under another question (the petition's
    "no judgement without hearing from us first" under q4, the form's under q1) or joined
    two of them under one heading, so the pair shared wording under one question only and
    was never grouped. For each pair in ``single`` (respondents, the question of their one
    hit), every answer of one to a question other than the other's answer's question is
    compared with it (``answers_of`` gives the two respondents' normalised answers) by the
    same weighted Jaccard, with rarity over the questions' pooled samples and these answers,
    read in deviations above pairs of the samples' answers to *different* questions (which
    share less than answers to one question, so the null is the right one). A cross pair
    ``MIN_Z`` above it corroborates the pair as a second question does; it is never grouped
    itself (the scores and the table pair answers to one question). Work: the pooled samples
    (``MEANING_ANSWERS`` a question) once, and a few answers per pair in ``single``.
    """
    rows = answers_of({r for pair in single for r in pair})
    by_resp: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for rid, qid, text in rows:
        by_resp[rid].append((qid, text))
    known = {q.question_id: q.known for q in questions}
    pool = [(q.question_id, t) for q in questions for t in q.meaning_texts]
    pool_sets = [features(t, known.get(qid, frozenset())) for qid, t in pool]
    row_sets = {(rid, qid): features(t, known.get(qid, frozenset())) for rid, qid, t in rows}
    idf = rarity(pool_sets + list(row_sets.values()))
    null_pairs = [
        (a, b)
        for a, b in null_sample(len(pool), [qid for qid, _ in pool], NULL_PAIRS)
        if pool[a][0] != pool[b][0]
    ]
    # Each set's summed weight once (a sample answer is in many null pairs): the same sums
    # overlap() would take (``set_weight``), so the same floats.
    pool_weight = [set_weight(fs, idf) for fs in pool_sets]
    row_weight = {k: set_weight(fs, idf) for k, fs in row_sets.items()}
    null = np.array(
        [
            overlap(pool_sets[a], pool_sets[b], idf, (pool_weight[a], pool_weight[b]))
            for a, b in null_pairs
        ]
    )
    found: list[tuple[tuple[str, str], str, float, str, str]] = []
    for (a, b), q0 in single.items():
        for qa, ta in by_resp.get(a, []):
            for qb, tb in by_resp.get(b, []):
                if qa == qb or (qa == q0 and qb == q0):
                    continue
                ka, kb = (a, qa), (b, qb)
                ov = overlap(row_sets[ka], row_sets[kb], idf, (row_weight[ka], row_weight[kb]))
                found.append(((a, b), f"{qa}\0{qb}", ov, ta, tb))
    log.info(
        "campaign pairs across questions: %d pairs under one question, %d cross pairs scored",
        len(single),
        len(found),
    )
    if not found or len(null) < 2:
        return {}
    z = standardise(np.array([f[2] for f in found]), null)
    out: dict[tuple[str, str], list[tuple[str, float, float, str, str]]] = defaultdict(list)
    for (pair, key, ov, ta, tb), zk in zip(found, z, strict=True):
        if zk >= MIN_Z:
            out[pair].append((key, float(zk), ov, ta, tb))
    return out


def corroborated_pairs(
    questions: Sequence[QuestionPairs],
    answers_of: AnswersOf | None = None,
    grouped: frozenset[tuple[str, str]] | set[tuple[str, str]] = frozenset(),
) -> list[tuple[str, str, str, float, float]]:
    """(question_id, respondent a, respondent b, deviations, overlap) of the answers two
    respondents share beyond the null under at least ``MIN_QUESTIONS`` questions (module
    docstring); a < b. Meaning is read only for the pairs the words corroborate (in most
    consultations none), so the word vectors cost nothing otherwise. With ``answers_of``
    (a respondent set -> their (respondent, question, normalised text) answers), a pair
    that shares wording under one question may be corroborated across two others
    (:func:`cross_question_hits`); such a cross hit counts, but only one-question pairs
    are returned. A pair whose one question's answers are a copy group's already
    (``grouped``: (question, respondent)) is not looked at across questions: nothing
    would be added under that question."""
    null_ov = np.concatenate([q.null_overlap for q in questions] or [np.zeros(0)])
    hits: dict[tuple[str, str], list[tuple[str, float, float, str, str]]] = defaultdict(list)
    judged: dict[tuple[str, str], set[str]] = defaultdict(set)  # questions of ``same_group``
    for q in questions:
        if not q.candidates:
            continue
        z = standardise(np.array([c[2] for c in q.candidates]), null_ov)
        for k, (a, b, ov, ta, tb) in enumerate(q.candidates):
            if z[k] >= MIN_Z:
                (lo, tlo), (hi, thi) = sorted(((a, ta), (b, tb)))
                hits[(lo, hi)].append((q.question_id, float(z[k]), ov, tlo, thi))
                if (lo, hi) in q.same_group:
                    judged[(lo, hi)].add(q.question_id)
    if answers_of is not None:
        single = {
            k: v[0][0]
            for k, v in hits.items()
            if len({h[0] for h in v}) == 1
            and (v[0][0], k[0]) not in grouped
            and (v[0][0], k[1]) not in grouped
        }
        if single:
            for pair, cross in cross_question_hits(questions, single, answers_of).items():
                hits[pair].extend(cross)
    single_ok = sum(q.null_count for q in questions) >= SINGLE_MIN_NULL
    hits = {k: v for k, v in hits.items() if _enough(v, single_ok, judged.get(k, set()))}
    null_cos = meaning_null(questions) if hits else None
    if null_cos is not None and len(null_cos):
        kept = {}
        # Every pair's texts embedded in one call (a text's vector does not depend on the
        # others embedded with it: ``wordvectors.encode``), not one call per pair.
        texts = [t for found in hits.values() for h in found for t in h[3:]]
        every = _vectors(texts)
        at = 0
        for pair, found in hits.items():
            vectors = every[at : at + 2 * len(found)]
            at += 2 * len(found)
            cos = np.einsum("ij,ij->i", vectors[0::2], vectors[1::2])
            zc = standardise(cos, null_cos)
            same = [h for h, m in zip(found, zc, strict=True) if m >= MIN_MEANING_Z]
            if _enough(same, single_ok, judged.get(pair, set())):
                kept[pair] = same
        hits = kept
    out = [
        (h[0], a, b, h[1], h[2])
        for (a, b), found in hits.items()
        for h in found
        if "\0" not in h[0]  # a cross-question hit corroborates; it is not grouped
    ]
    log.info(
        "campaign pairs across questions: %d answer pairs of %d respondent pairs",
        len(out),
        len(hits),
    )
    return sorted(out)


def _enough(
    found: Sequence[tuple[str, float, float, str, str]],
    single_ok: bool = True,
    judged: set[str] | frozenset[str] = frozenset(),
) -> bool:
    """Whether one respondent pair's hits make a campaign pair: answers shared beyond the null
    under ``MIN_QUESTIONS`` questions, or under one question ``SINGLE_Z`` deviations above it.

    Session 17: a small campaign's card gave its supporters a text per question, and each
    supporter sent the text for one question only, so a pair of copies stood under one
    question (transport-19's "Eighteen months is too long for small businesses. Six months,
    then think again.", 75 characters, ``MIN_GROUP_SIZES`` asks five copies of it; the
    survey's seven rewordings of one sentence). On the gold texts of every spent set such
    pairs stand 21-62 deviations above the unrelated pairs, and no other pair of answers
    to one question more than 17.7 (ofsted-survey), so ``SINGLE_Z`` = 20 sits between; the
    meaning check still applies. Leave-one-batch-out, a bar set just above the largest
    unrelated pair of the other batches (17.2 or 17.7) finds the same campaign pairs and one
    false pair (batch 1's 17.7, when the bar is 17.2), which 20 leaves out.
    ``single_ok``: the pooled null holds ``SINGLE_MIN_NULL`` pairs or more. ``judged``: the
    questions under which the two answers are one copy group's already, whose size rule
    (``campaigns.min_group_size``: five copies of a text under 100 characters, and 1 % of
    the question's answers) decided; a hit there never stands alone, or two people sending
    one stock sentence word for word would be a campaign by rarity alone."""
    questions = {h[0] for h in found}
    if len(questions) >= MIN_QUESTIONS:
        return True
    return single_ok and any(
        "\0" not in h[0] and h[0] not in judged and h[1] >= SINGLE_Z for h in found
    )
