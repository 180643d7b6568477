"""Near-copies among many texts, in time linear in their number (MinHash LSH + leaders).

``cluster`` takes normalised texts in priority order and gives each a *leader*:
itself, or an earlier text it is a near copy of. It is the engine of
``campaigns.detect_copies``, which decides what the texts are (one question's
answers) and which groups count as campaigns.

How, and why:

1. **Shingles.** Every text is cut into overlapping character 5-grams. One
   shingle kind for every length, so a 150-character template and its
   250-character personalised copy are still compared (word shingles for long
   texts and character shingles for short ones would never meet), and
   5-grams still give a 40-character answer about 36 shingles, enough for a
   one-word edit to leave most of them shared. The cost is linear in the text's
   length.
2. **MinHash LSH.** Each text's MinHash signature (``NUM_PERM``
   permutations) is computed for all texts at once by a compiled kernel
   (:mod:`helpers.ingest.minhash`: datasketch's values, 20-50x sooner); the signature is cut into ``LSH_BANDS`` bands of
   ``LSH_ROWS`` values, and two texts sharing a band's values in any band are
   candidates (Jaccard 0.5 is found with probability 0.87, 0.6 with 0.99, 0.3
   with 0.23). The band index is kept here rather than in datasketch's
   ``MinHashLSH`` for two bounds that make the pass linear in the number of
   texts whatever they say: only *leaders* are indexed (a campaign sent 10,000
   times with small edits is one leader, not 10,000 candidates), and a bucket
   keeps at most ``BUCKET_CAP`` leaders (a full bucket is a stock phrase many
   unrelated answers share; texts are processed most-sent first, so campaign
   texts are in their buckets before those fill). Each text therefore meets at
   most ``LSH_BANDS`` x ``BUCKET_CAP`` candidates, and at most ``MAX_VERIFY`` of
   them (those sharing the most bands, an estimate of the Jaccard similarity)
   are scored. Most texts share no band with any other; they are found at
   once, by comparing every band's values across all texts in numpy
   (:func:`minhash.shares_a_band`), and only the rest go through the leader loop
   (the outcome is the same: a text that shares no band has no candidate and
   is no one's). Those left are scored (twice at most, for a short text sent once that no leader
   matches whole: the added-sentence rule, step 3).
3. **Verification** with rapidfuzz (:func:`copyscore.similarity`): a pair counts when its
   score is at least the threshold, and the shorter text is at least
   ``MIN_LENGTH_RATIO`` of the longer (a copy may add at most as much again).
   From ``LONG_CHARS`` characters the score is the share of the shorter text's
   words found in order in the longer (rapidfuzz's Indel distance over words:
   a longest common subsequence), so a template with a personal paragraph
   added, or a line deleted, scores 100 while two answers built from the same
   stock phrases in a different order do not (``token_set_ratio``, which
   ignores order, grouped those); ``fuzz.ratio`` over characters also counts,
   for many one-letter edits ("I" / "we" throughout). Shorter texts use
   ``fuzz.ratio``, an edit distance over characters: in a sentence, adding or
   dropping words changes what it says ("keep the library open" / "keep the
   library open fewer hours"), so only small edits make a copy, and never an
   edit that turns the position around ("agree" / "disagree":
   :func:`copytext.polarity_words`). A short copy may add *whole sentences* of its own
   before or after the text (:func:`copyscore.sentence_run_score`), checked only when
   no leader matches it whole.
4. **Leaders, not chains.** A text joins the best-scoring leader; if none
   scores enough it becomes a leader. Every member is therefore verified
   against its group's representative (the leader) and groups cannot chain
   A~B~C into one group when A and C differ. The caller orders texts so the
   most-sent text comes first and becomes the representative.

The module is the clustering; the rules live beside it, one concern each:
:mod:`minhash` (signatures and LSH bands), :mod:`copyscore` (a pair of whole
texts), :mod:`passages` (a shared run of sentences, and the LSH over passage
windows that proposes such pairs), :mod:`copytext` (the words, trigrams and
polarity words they read).
"""

from __future__ import annotations

import logging
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from helpers.ingest.blockcodes import band_keys_of
from helpers.ingest.contained import contained_pass
from helpers.ingest.copyscore import LONG_CHARS, MIN_LENGTH_RATIO, sentence_run_score, similarity
from helpers.ingest.copytext import SENTENCE_BREAK, polarity_words
from helpers.ingest.minhash import (
    BUCKET_CAP,
    LSH_BANDS,
    LSH_ROWS,
    NUM_PERM,
    SHINGLE,
    band_codes,
    band_keys,
    shares_a_band,
    shingles,
    signatures,
)
from helpers.ingest.passages import PASSAGE_VERIFY, passage_copy, passage_pairs
from helpers.ingest.restated import restated_pairs
from helpers.ingest.reworded import Known, reworded_candidates, reworded_copy

__all__ = [
    "BUCKET_CAP",
    "LONG_CHARS",
    "LSH_BANDS",
    "LSH_ROWS",
    "MAX_VERIFY",
    "MIN_LENGTH_RATIO",
    "NUM_PERM",
    "SENTENCE_BREAK",
    "SHINGLE",
    "Clusters",
    "cluster",
    "match",
    "polarity_words",
    "sentence_run_score",
    "shingles",
    "similarity",
]

log = logging.getLogger(__name__)

MAX_VERIFY = 20  # leaders scored per text at most (most LSH bands in common first)


@dataclass
class Clusters:
    """Result of :func:`cluster`: per text its leader and its score against it."""

    leader: list[int] = field(default_factory=list)  # index of the leader (itself for a leader)
    score: list[float] = field(default_factory=list)  # 0-100 against the leader (100 for one)
    n_candidates: int = 0  # leader candidates LSH returned, summed over texts
    n_verified: int = 0  # pairs scored with rapidfuzz


def _hash(shingle: str) -> int:
    """A shingle's hash: crc32 is fast and, unlike hash(), the same in every process (results
    are reproducible). :func:`minhash.signatures` computes it in bulk; this is its reference."""
    return zlib.crc32(shingle.encode("utf-8"))


def cluster(
    texts: Sequence[str],
    threshold: float,
    personal: Sequence[bool] | None = None,
    passages: bool = False,
    known: Known | None = None,
) -> Clusters:
    """Leader clustering of ``texts`` (distinct, in priority order) with LSH candidates.

    A text's leader is the earlier leader it scores highest against (ties: the
    earliest), if that score is at least ``threshold``; otherwise itself. Whole
    texts first: a text joins a leader by the added-sentence rule
    (:func:`sentence_run_score`) only when no leader matches it whole, and
    only when ``personal`` is true for it (the caller passes "sent by one
    respondent": an added sentence is the sender's own, so a text sent word
    for word by several is a campaign text in its own right, not a personal
    copy of a shorter one). ``personal`` defaults to true for every text.
    ``passages`` then joins texts left alone to a leader they share a passage
    with (:func:`_passage_pass`): for one question's answers, where a shared
    campaign paragraph is the answer; not for whole letters, whose shared
    paragraphs ``letter_copies`` places under their questions.
    """
    out = Clusters()
    if not texts:
        return out
    sigs = signatures(texts, NUM_PERM)
    banded = shares_a_band(band_codes(sigs))
    out.leader, out.score = list(range(len(texts))), [100.0] * len(texts)
    buckets: dict[tuple[int, bytes], list[int]] = {}
    met = np.flatnonzero(banded).tolist()  # the rest are leaders no text meets
    for i, keys in band_keys_of(sigs, met):  # keys a block of texts at a time (session 26)
        text = texts[i]
        shared = Counter(j for k in keys for j in buckets.get(k, ()))
        out.n_candidates += len(shared)
        # Most bands in common first (an estimate of the Jaccard similarity), then earliest.
        cands = sorted(shared, key=lambda j: (-shared[j], j))[:MAX_VERIFY]
        best, best_j = -1.0, i
        for j in sorted(cands):
            out.n_verified += 1
            # Once a leader scores, a later one must beat it: scoring with its score as the
            # cutoff lets rapidfuzz stop early, and gives the same score when it does beat it.
            s = similarity(text, texts[j], max(threshold, best), added=False)
            if s >= threshold and s > best:  # ties keep the earliest leader
                best, best_j = s, j
                if best >= 100.0:
                    break  # no later leader can score more
        if best_j == i and (personal is None or personal[i]) and len(text) < LONG_CHARS * 2:
            # The same candidates, short ones only: at most MAX_VERIFY scored again.
            for j in (j for j in sorted(cands) if len(texts[j]) < LONG_CHARS):
                out.n_verified += 1
                s = similarity(text, texts[j], threshold)
                if s >= threshold and s > best:
                    best, best_j = s, j
                    if best >= 100.0:
                        break
        if best_j == i:
            for k in keys:
                bucket = buckets.setdefault(k, [])
                if len(bucket) < BUCKET_CAP:
                    bucket.append(i)
        out.leader[i] = best_j
        out.score[i] = best if best_j != i else 100.0
    if passages and threshold > 0:
        _passage_pass(texts, out, threshold, personal)
        before = Counter(out.leader)
        _reworded_pass(texts, out, threshold, known)
        _restated_pass(texts, out, threshold, known)
        contained_pass(texts, out, threshold, before, personal)  # session 28
    log.debug(
        "near copies: %d texts (%d sharing an LSH band), %d LSH candidates, %d pairs scored",
        len(texts),
        int(banded.sum()),
        out.n_candidates,
        out.n_verified,
    )
    return out


def _passage_pass(
    texts: Sequence[str],
    out: Clusters,
    threshold: float,
    personal: Sequence[bool] | None = None,
) -> None:
    """Join texts left alone by the whole-text rules to a leader they share a passage with.

    After the leader loop, only texts that lead no group (no member) can
    join, and only a leader: the groups found whole are left as they are, and
    the candidates come from the leaders' passage windows
    (:func:`passages.passage_pairs`), at most ``PASSAGE_VERIFY`` per text (those
    sharing the most window bands), earliest first,
    each verified by :func:`passages.passage_copy`. A text that joins scores
    ``threshold``. Most answers are grouped whole or share no window, so the
    pass costs little beside the loop. A leader that is a campaign text already (sent
    word for word by several: ``personal`` false; or leading near copies) may be found
    whole inside a longer text whatever its share of it (``passage_copy``'s ``contained``).
    """
    members = Counter(out.leader)
    leaders = [i for i, lead in enumerate(out.leader) if lead == i]
    pairs = passage_pairs([texts[i] for i in leaders])
    for li in sorted(pairs):
        i = leaders[li]
        if members[i] > 1 or out.leader[i] != i:
            continue  # a campaign text of its own, or joined already
        shared = pairs[li]
        near = sorted(
            (lj for lj in shared if out.leader[leaders[lj]] == leaders[lj]),
            key=lambda lj: (-shared[lj], lj),
        )[:PASSAGE_VERIFY]
        for j in sorted(leaders[lj] for lj in near):
            out.n_verified += 1
            short, long_ = sorted((texts[i], texts[j]), key=len)
            campaign = members[j] > 1 or (personal is not None and not personal[j])
            if passage_copy(short, long_, threshold, contained=campaign and short is texts[j]):
                out.leader[i], out.score[i] = j, threshold
                members[j] += 1
                break


def _reworded_pass(
    texts: Sequence[str], out: Clusters, threshold: float, known: Known | None
) -> None:
    """Join texts still alone to a leader they are a reworded copy of (:mod:`reworded`).

    As :func:`_passage_pass`: only texts that lead no group and joined none
    may join, and only a leader, so every member is still verified against its
    representative. Candidates are the earlier leaders sharing at least
    ``reworded.MIN_SHARED`` distinctive trigrams (an inverted index whose
    stock trigrams are left out, so linear in the texts); the one sharing
    most joins (ties: the earliest). A text that joins scores ``threshold``.
    """
    members = Counter(out.leader)
    leaders = [i for i, lead in enumerate(out.leader) if lead == i]
    pairs, sizes = reworded_candidates(texts, known, leaders)
    for i in sorted(pairs):
        if members[i] > 1 or out.leader[i] != i:
            continue  # a campaign text of its own, or joined already
        shared = pairs[i]
        for j in sorted(shared, key=lambda j: (-shared[j], j))[:PASSAGE_VERIFY]:
            if out.leader[j] != j:
                continue
            out.n_verified += 1
            if reworded_copy(texts[i], texts[j], shared[j], sizes[i], sizes[j]):
                out.leader[i], out.score[i] = j, threshold
                members[j] += 1
                break


def _restated_pass(
    texts: Sequence[str], out: Clusters, threshold: float, known: Known | None
) -> None:
    """Join short texts still alone to a leader they restate in other words (:mod:`restated`).

    As :func:`_reworded_pass`: only texts that lead no group and joined none may join, and
    only an earlier leader. A text that joins scores ``threshold``.
    """
    members = Counter(out.leader)
    alone = [i for i, lead in enumerate(out.leader) if lead == i and members[i] == 1]
    leaders = [i for i, lead in enumerate(out.leader) if lead == i]
    question_words = known[0] if known is not None else frozenset()
    for i, j in sorted(restated_pairs(texts, alone, leaders, question_words).items()):
        if out.leader[j] == j and members[i] == 1 and out.leader[i] == i:
            out.leader[i], out.score[i] = j, threshold
            members[j] += 1


def match(
    queries: Sequence[str],
    targets: Sequence[str],
    threshold: float,
    passages: bool = False,
    known: Sequence[Known | None] | None = None,
    skip: Sequence[frozenset[int]] | None = None,
) -> Clusters:
    """For each query, the target it is a near copy of (``-1`` if none), by the same LSH.

    ``targets`` (representatives of groups already formed) are indexed once, with
    the same bands and ``BUCKET_CAP``; each query meets at most ``LSH_BANDS`` x
    ``BUCKET_CAP`` of them and scores at most ``MAX_VERIFY`` with
    :func:`similarity` (the query as the copy, so it may add sentences of its
    own to a short target); with ``passages``, queries left without one then
    meet targets they share a passage with (:func:`_match_passages`: campaign
    letters, ``letter_copies``; segmentation's ``copied`` keeps the whole-text
    rules, so a letter's own paragraph is not moved under another
    respondent's question by a shared sentence or two). The pass is linear in
    queries plus targets.
    ``leader`` holds the best target's index (ties: the earliest) and ``score``
    its score; queries never become targets. With ``passages``, queries still
    without one then meet targets they are a reworded copy of
    (:func:`_match_reworded`; ``known``: each target's question words).
    ``skip[i]``: targets query ``i`` may not match (a respondent's own answers,
    which a paragraph of theirs always copies).
    """
    none: frozenset[int] = frozenset()
    skip = skip if skip is not None else [none] * len(queries)
    out = Clusters()
    if not queries or not targets:
        out.leader, out.score = [-1] * len(queries), [0.0] * len(queries)
        return out
    tsigs, qsigs = signatures(targets, NUM_PERM), signatures(queries, NUM_PERM)
    tcodes, qcodes = band_codes(tsigs), band_codes(qsigs)
    hit = shares_a_band(qcodes, tcodes)
    out.leader, out.score = [-1] * len(queries), [0.0] * len(queries)
    buckets: dict[tuple[int, bytes], list[int]] = {}
    # Only targets sharing a band with some query are indexed: a bucket a query looks in
    # holds only such targets, in the same order, so it fills as it would with all of them.
    indexed = np.flatnonzero(shares_a_band(tcodes, qcodes)).tolist()
    for j, keys in zip(indexed, band_keys(tsigs[indexed]), strict=True):
        for k in keys:
            bucket = buckets.setdefault(k, [])
            if len(bucket) < BUCKET_CAP:
                bucket.append(j)
    asked = np.flatnonzero(hit).tolist()  # the rest share no band with any target
    for i, keys in zip(asked, band_keys(qsigs[asked]), strict=True):
        text = queries[i]
        shared = Counter(j for k in keys for j in buckets.get(k, ()))
        out.n_candidates += len(shared)
        best, best_j = 0.0, -1
        for j in sorted(sorted(shared, key=lambda j: (-shared[j], j))[:MAX_VERIFY]):
            if j in skip[i]:
                continue
            out.n_verified += 1
            s = similarity(text, targets[j], threshold)
            if s >= threshold and s > best:
                best, best_j = s, j
                if best >= 100.0:
                    break  # no later target can score more
        out.leader[i] = best_j
        out.score[i] = best
    if passages:
        _match_passages(queries, targets, out, threshold, skip)
        _match_reworded(queries, targets, out, threshold, known, skip)
    return out


def _match_reworded(
    queries: Sequence[str],
    targets: Sequence[str],
    out: Clusters,
    threshold: float,
    known: Sequence[Known | None] | None,
    skip: Sequence[frozenset[int]],
) -> None:
    """Give queries still without a target one they are a reworded copy of (:mod:`reworded`).

    A letter's paragraph that rewords a campaign text sent under a question's
    heading. Targets' trigrams leave out their own question's words
    (``known``); the queries' only stopword trigrams (a letter answers no one
    question). Candidates come from one inverted index over targets then
    queries (linear, stock trigrams left out); the target sharing most is
    verified with :func:`reworded_copy`, and a query that joins scores ``threshold``.
    """
    left = [i for i, lead in enumerate(out.leader) if lead < 0]
    if not left or not targets:
        return
    n = len(targets)
    texts = [*targets, *(queries[i] for i in left)]
    knowns = [*(known or [None] * n), *([None] * len(left))]
    pairs, sizes = reworded_candidates(texts, knowns)
    for k, i in enumerate(left):
        shared = pairs.get(n + k)
        if not shared:
            continue
        for j in sorted(
            (j for j in shared if j < n and j not in skip[i]), key=lambda j: (-shared[j], j)
        )[:PASSAGE_VERIFY]:
            out.n_verified += 1
            if reworded_copy(queries[i], targets[j], shared[j], sizes[n + k], sizes[j]):
                out.leader[i], out.score[i] = j, threshold
                break


def _match_passages(
    queries: Sequence[str],
    targets: Sequence[str],
    out: Clusters,
    threshold: float,
    skip: Sequence[frozenset[int]],
) -> None:
    """Give queries ``match`` left without a target one they share a passage with.

    A letter's paragraph and a campaign text sent under a question's heading
    may each add a line of their own around the campaign's sentences: too
    little in common for whole-text MinHash, but their passage windows meet
    in a band (:func:`passages.passage_pairs`, over the targets then the queries).
    At most ``PASSAGE_VERIFY`` targets per query (those sharing the most
    bands) are verified with :func:`passages.passage_copy`; a query that joins
    scores ``threshold``. Linear in queries plus targets, as ``match`` is.
    """
    left = [i for i, lead in enumerate(out.leader) if lead < 0]
    if not left:
        return
    n = len(targets)
    pairs = passage_pairs([*targets, *(queries[i] for i in left)])
    for k, i in enumerate(left):
        shared = pairs.get(n + k)
        if not shared:
            continue
        near = sorted(
            (j for j in shared if j < n and j not in skip[i]), key=lambda j: (-shared[j], j)
        )
        for j in sorted(near[:PASSAGE_VERIFY]):
            out.n_verified += 1
            short, long_ = sorted((queries[i], targets[j]), key=len)
            if passage_copy(short, long_, threshold):
                out.leader[i], out.score[i] = j, threshold
                break
