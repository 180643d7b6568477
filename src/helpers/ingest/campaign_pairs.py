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
"""

from __future__ import annotations

import logging
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd

from helpers.core import wordvectors
from helpers.core.text import stopwords
from helpers.ingest import pair_features
from helpers.ingest.campaign_sizes import STOCK_SHARE  # the size rule's share (_same_group)
from helpers.ingest.copytext import SENTENCE_BREAK

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
NULL_TRIM = 0.99  # the unrelated pairs' top 1 % (campaigns among them) are left out of the null
NULL_PAIRS = 10_000  # pairs of a question's answers sampled for the null (all when fewer)
MEANING_ANSWERS = 200  # answers of a question whose pairs are the meaning null (all when fewer)
RARE_CAP = 20  # answers of a question a feature may be in and still find candidates
MIN_RARE_SHARED = 3  # rare features a candidate pair shares
VECTOR_BATCH = 16  # texts embedded at a time (bounds WordLlama's padded array)

Feature = str | tuple[str, str]


def features(text: str, known: frozenset[str] = frozenset()) -> frozenset[Feature]:
    """The words and adjacent word pairs of normalised ``text`` that say something of its own.

    A word counts when it is neither a stopword nor one of the question's words
    (``known``); an adjacent pair of words (within a sentence) when either word
    counts. Two answers quoting the question share nothing by it.
    """
    common = stopwords() | known
    out: set[Feature] = set()
    for sentence in text.split(SENTENCE_BREAK):
        words = sentence.split()
        out.update(w for w in words if w not in common and len(w) > 1)
        out.update(
            (a, b)
            for a, b in zip(words, words[1:], strict=False)
            if a not in common or b not in common
        )
    return frozenset(out)


def rarity(
    feature_sets: Sequence[frozenset[Feature]], groups: Sequence[object] | None = None
) -> dict[Feature, float]:
    """Each feature's inverse document frequency among one question's answers.

    ``groups`` (each answer's copy-group key): a copy group counts once, over the number
    of groups. Session 23: counted by answers, a campaign's words grew less rare with
    every copy the copy rules had grouped, so one more word-for-word copy of a campaign
    text pushed its reworded copy under ``MIN_Z`` (the perturbed gold of batches 14-25,
    ``benchmarks/campaign_perturb``); a campaign sent a thousand times is one source of
    its words, as a text sent once is."""
    if groups is not None:
        union: dict[object, set[Feature]] = defaultdict(set)
        for fs, g in zip(feature_sets, groups, strict=True):
            union[g].update(fs)
        feature_sets = [frozenset(u) for u in union.values()]
    n = len(feature_sets)
    df = Counter(f for fs in feature_sets for f in fs)
    return {f: math.log((n + 1) / (c + 0.5)) for f, c in df.items()}


def set_weight(fs: frozenset[Feature], idf: dict[Feature, float]) -> float:
    """A feature set's summed rarity, the same in every run (``math.fsum``: see :func:`overlap`)."""
    return math.fsum(map(idf.get, fs))


def overlap(
    a: frozenset[Feature],
    b: frozenset[Feature],
    idf: dict[Feature, float],
    weights: tuple[float, float] | None = None,
) -> float:
    """Weighted Jaccard of two feature sets: rare features shared over rare features in either.

    ``weights``: the two sets' summed weights, when the caller has them (a question's
    answers are each in many pairs, so they are summed once per answer). Sums are
    ``math.fsum``: a set's order follows the string hash, which changes from run to run, and a
    plain sum's last bit with it; a pair exactly at the null's floor then came and went."""
    shared = math.fsum(idf[f] for f in a & b)
    wa, wb = weights if weights is not None else (set_weight(a, idf), set_weight(b, idf))
    total = wa + wb - shared
    return shared / total if total > 0 else 0.0


@dataclass
class QuestionPairs:
    """One question's candidate pairs (respondents, overlap, texts) and its null samples."""

    question_id: str
    candidates: list[tuple[str, str, float, str, str]] = field(default_factory=list)
    null_overlap: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # Unrelated pairs of answers the null was drawn from, before one pair per two copy groups
    # was kept (``SINGLE_MIN_NULL`` counts these: how many answers the null rests on).
    null_count: int = 0
    # ``MEANING_ANSWERS`` answers' texts and copy-group keys, for the meaning null.
    meaning_texts: list[str] = field(default_factory=list)
    meaning_groups: list[object] = field(default_factory=list)
    known: frozenset[str] = frozenset()  # the question's own words (not features)
    # Candidate respondent pairs (sorted) whose answers the copy rules put in one group, in a
    # question large enough that two copies are under ``STOCK_SHARE`` of its answers: the size
    # rules turned that text down (``campaigns.min_group_size``), so a pair of them never
    # stands alone under ``SINGLE_Z`` (five people's identical stock sentence among 1,000).
    same_group: set[tuple[str, str]] = field(default_factory=set)


def null_sample(n: int, groups: Sequence[object], limit: int = NULL_PAIRS) -> list[tuple[int, int]]:
    """Pairs of a question's ``n`` answers read as unrelated: all of them when there are at
    most ``limit``, else ``limit`` drawn with a fixed seed (the result does not change from run
    to run); pairs in one copy group already (``groups``: each answer's group key) left out."""
    total = n * (n - 1) // 2
    if total <= limit:
        pairs: Iterable[tuple[int, int]] = combinations(range(n), 2)
    else:
        rng = np.random.default_rng(0)
        i = rng.integers(0, n, size=limit)
        j = rng.integers(0, n, size=limit)
        pairs = ((int(a), int(b)) for a, b in zip(i, j, strict=True) if a != b)
    return [(a, b) for a, b in pairs if groups[a] != groups[b]]


def _once(null: Sequence[tuple[int, int]], groups: Sequence[object]) -> np.ndarray:
    """Which of the ``null`` pairs is the first of its two copy groups (:func:`null_sample_once`
    as a mask): the null :func:`question_pairs` keeps (floor, deviations)."""
    first = set(null_sample_once(null, groups))
    return np.array([p in first for p in null], dtype=bool)


def null_sample_once(
    null: Sequence[tuple[int, int]], groups: Sequence[object]
) -> list[tuple[int, int]]:
    """``null`` with one pair per two copy groups (the first drawn).

    Session 23: a campaign text the copy rules grouped is one source, however many sent it; with every copy in the null, a
    reworded copy's pairs with each of the group's copies were that many "unrelated" pairs
    as alike as the campaign pair itself, so one more word-for-word copy lifted the null's
    top percentile (``question_pairs``' floor) to the campaign pair and it was dropped
    (``benchmarks/campaign_perturb``, kind ``exact``, batches 14-25). ``question_pairs``
    keeps these pairs' overlaps as the null (floor and deviations: :func:`_once`), and
    counts every pair for ``SINGLE_MIN_NULL`` (``QuestionPairs.null_count``): counted once,
    transport-22's and -24's nulls fell from 121 to 99 pairs and their single-question
    pairs were lost through ingest (5/0/0 -> 3/0/2).
    """
    seen: set[frozenset] = set()
    kept = []
    for a, b in null:
        key = frozenset((groups[a], groups[b]))
        if key not in seen:
            seen.add(key)
            kept.append((a, b))
    return kept


def _candidates(feature_sets: Sequence[frozenset[Feature]]) -> list[tuple[int, int]]:
    """Pairs sharing at least ``MIN_RARE_SHARED`` features found in at most ``RARE_CAP`` answers."""
    postings: dict[Feature, list[int]] = defaultdict(list)
    for k, fs in enumerate(feature_sets):
        for f in fs:
            postings[f].append(k)
    met: Counter = Counter()
    for ks in postings.values():
        if 1 < len(ks) <= RARE_CAP:
            met.update(combinations(ks, 2))
    return sorted(p for p, c in met.items() if c >= MIN_RARE_SHARED)


def _vectors(texts: Sequence[str]) -> np.ndarray | None:
    """WordLlama vectors of ``texts``, or None when the word vectors are not installed.

    In batches of ``VECTOR_BATCH``: WordLlama pads a batch to its longest text, and a
    question's meaning sample of 200 answers in one batch held a padded array of 200 times
    the longest answer's tokens (about 0.6 GB for generated answers of up to 40 paragraphs,
    session 15); a text's vector does not depend on its batch (``wordvectors.encode``)."""
    if not wordvectors.available():
        return None
    return wordvectors.encode(list(texts), batch_size=VECTOR_BATCH)


def question_pairs(
    question_id: str,
    respondents: Sequence[str],
    texts: Sequence[str],
    groups: Sequence[object],
    known: frozenset[str] = frozenset(),
) -> QuestionPairs:
    """Candidate pairs and the unrelated-pair sample of one question's normalised answers.

    ``respondents`` and ``texts`` are one answer per respondent; ``groups`` is each
    answer's copy-group key from the copy rules (its own text's key when alone).
    Candidates at or under the 99th percentile of the question's own null are
    dropped (an answer pair no more alike than the question's unrelated pairs is
    no outlier under any null). ``MEANING_ANSWERS`` answers drawn with a fixed
    seed (all of them in a small consultation) are kept for the meaning null,
    which :func:`corroborated_pairs` reads only when some pair needs it.
    """
    out = QuestionPairs(str(question_id), known=known)
    if len(texts) < 2:
        return out
    null = null_sample(len(texts), groups)
    once = _once(null, groups)
    coded = pair_features.features(texts, known, stopwords(), SENTENCE_BREAK, groups)
    if coded is not None:  # integer-coded features (issue 15): the sets' numbers, in numpy
        if null:
            i, j = np.array(null, dtype=np.int64).T
            out.null_overlap = pair_features.overlaps(coded, i, j)[once]
        out.null_count = len(null)
        floor = float(np.quantile(out.null_overlap, NULL_TRIM)) if len(null) else 0.0
        a, b = pair_features.candidates(coded, RARE_CAP, MIN_RARE_SHARED)
        who = pd.factorize(pd.Series(list(respondents), dtype=object))[0]
        two = who[a] != who[b]  # two respondents, not one respondent's two answers
        a, b = a[two], b[two]
        ov = pair_features.overlaps(coded, a, b)
        above = ov > floor
        out.candidates = [
            (respondents[x], respondents[y], v, texts[x], texts[y])
            for x, y, v in zip(
                a[above].tolist(), b[above].tolist(), ov[above].tolist(), strict=True
            )
        ]
        out.same_group = _same_group(
            respondents, groups, zip(a[above].tolist(), b[above].tolist(), strict=True)
        )
    else:  # more distinct words than the codes hold: the sets
        _set_pairs(out, respondents, texts, known, null, groups)
    some = np.sort(np.random.default_rng(0).permutation(len(texts))[:MEANING_ANSWERS]).tolist()
    out.meaning_texts = [texts[k] for k in some]
    out.meaning_groups = [groups[k] for k in some]
    return out


def _set_pairs(
    out: QuestionPairs,
    respondents: Sequence[str],
    texts: Sequence[str],
    known: frozenset[str],
    null: list[tuple[int, int]],
    groups: Sequence[object] = (),
) -> None:
    """``question_pairs``' null overlaps and candidates from feature sets (the reference)."""
    fsets = [features(t, known) for t in texts]
    idf = rarity(fsets, groups if len(groups) else None)
    weight = [set_weight(fs, idf) for fs in fsets]

    def score(a: int, b: int) -> float:
        return overlap(fsets[a], fsets[b], idf, (weight[a], weight[b]))

    once = _once(null, groups) if len(groups) else np.ones(len(null), dtype=bool)
    out.null_overlap = np.array([score(a, b) for a, b in null]).reshape(-1)[once]
    out.null_count = len(null)
    floor = float(np.quantile(out.null_overlap, NULL_TRIM)) if len(null) else 0.0
    found = [
        (a, b, ov)
        for a, b in _candidates(fsets)
        if respondents[a] != respondents[b] and (ov := score(a, b)) > floor
    ]
    out.candidates = [
        (respondents[a], respondents[b], ov, texts[a], texts[b]) for a, b, ov in found
    ]
    out.same_group = _same_group(respondents, groups, ((a, b) for a, b, _ in found))


def _same_group(
    respondents: Sequence[str], groups: Sequence[object], pairs: Iterable[tuple[int, int]]
) -> set[tuple[str, str]]:
    """The respondent pairs (sorted) among ``pairs`` of answer indices whose answers the copy
    rules put in one group, in a question large enough that two copies are under
    ``STOCK_SHARE`` of its answers (a stock sentence recurs there); empty otherwise."""
    if not len(groups) or math.ceil(STOCK_SHARE * len(respondents)) <= 2:
        return set()
    return {
        tuple(sorted((respondents[a], respondents[b]))) for a, b in pairs if groups[a] == groups[b]
    }


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


def standardise(values: np.ndarray, null: np.ndarray) -> np.ndarray:
    """``values`` in standard deviations above the mean of ``null`` with its top
    ``1 - NULL_TRIM`` left out (NaN when the null has no spread)."""
    null = null[~np.isnan(null)]
    if len(null) < 2:
        return np.full(len(values), np.nan)
    core = null[null <= np.quantile(null, NULL_TRIM)]
    sd = float(core.std())
    if sd <= 0:
        return np.full(len(values), np.nan)
    return (np.asarray(values, dtype=float) - float(core.mean())) / sd


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
