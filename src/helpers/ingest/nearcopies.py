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
   (:func:`_shares_a_band`), and only the rest go through the leader loop
   (the outcome is the same: a text that shares no band has no candidate and
   is no one's). Those left are scored (twice at most, for a short text sent once that no leader
   matches whole: the added-sentence rule, step 3).
3. **Verification** with rapidfuzz (:func:`similarity`): a pair counts when its
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
   :func:`polarity_words`). A short copy may add *whole sentences* of its own
   before or after the text (:func:`sentence_run_score`), checked only when
   no leader matches it whole.
4. **Leaders, not chains.** A text joins the best-scoring leader; if none
   scores enough it becomes a leader. Every member is therefore verified
   against its group's representative (the leader) and groups cannot chain
   A~B~C into one group when A and C differ. The caller orders texts so the
   most-sent text comes first and becomes the representative.
"""

from __future__ import annotations

import functools
import logging
import math
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from helpers.ingest.minhash import bucket_pairs, signatures

log = logging.getLogger(__name__)

SHINGLE = 5  # characters per shingle
NUM_PERM = 128  # MinHash permutations
LSH_BANDS, LSH_ROWS = 32, 4  # LSH bands x rows (= NUM_PERM)
MAX_VERIFY = 20  # leaders scored per text at most (most LSH bands in common first)
BUCKET_CAP = 10  # leaders kept per LSH bucket: a bucket this full holds a stock phrase
LONG_CHARS = 100  # from this length (about 18 words) a copy may add its own lines (words in order); 200 missed two-sentence campaign texts with a personal line added (dev sets)
MIN_LENGTH_RATIO = 0.5  # shorter / longer normalised length for a near copy
SENTENCE_BREAK = "\n"  # between the sentences of a normalised text (campaigns.normalise)


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


def shingles(text: str) -> set[str]:
    """Overlapping character ``SHINGLE``-grams of ``text`` (the text itself if shorter)."""
    if len(text) <= SHINGLE:
        return {text}
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


@functools.lru_cache(maxsize=1024)
def _flat_words(text: str) -> tuple[str, tuple[str, ...]]:
    """A normalised text with its sentence breaks as spaces, and its words: cached, since
    a group's leader is scored against many texts (and the words' hashes, which the
    word-level distance reads, are then computed once)."""
    flat = text.replace(SENTENCE_BREAK, " ")
    return flat, tuple(flat.split())


def similarity(
    a: str, b: str, threshold: float = 0.0, added: bool = True, passage: bool = False
) -> float:
    """0-100 score of two normalised texts as near copies (0 when their lengths differ too much).

    From ``LONG_CHARS``: the share of the shorter text's words found in the same
    order in the longer (a word-level longest common subsequence), so lines
    added or deleted cost nothing and each changed word costs one word; or, if
    higher, ``fuzz.ratio`` over characters, so many one-word edits that keep
    the text's letters ("I would" / "we would" throughout) still count as small.
    Below: ``fuzz.ratio``, and 0 when the words that differ include one that
    turns the answer's position around (:func:`polarity_words`: "agree" /
    "disagree", "not"); failing that, :func:`sentence_run_score`, when ``a``
    (the copy; ``b`` is the representative) is ``b`` with a sentence of the
    sender's own before or after it. Not the other way: a representative with
    sentences the copy lacks is a longer text the copy is only part of (a stock
    sentence of a campaign text, sent on its own, is not a copy of it).
    ``added=False`` leaves that rule out. ``passage=True`` adds the shared-passage
    rule (:func:`_passage_copy`), for one question's answers (``cluster``).
    """
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < MIN_LENGTH_RATIO * len(long_):
        return _passage_copy(short, long_, threshold) if passage else 0.0
    (fs, ws), (fl, wl) = _flat_words(short), _flat_words(long_)
    if len(short) >= LONG_CHARS:
        # With a threshold, both scores are computed with a cutoff (rapidfuzz stops early
        # when a pair cannot reach it): a score under the threshold is 0 either way, and
        # one at or over it is exact. The word cutoff is one edit looser than the bound.
        cutoff = None
        if threshold > 0:
            cutoff = max(0, math.floor(len(ws) + len(wl) - threshold * max(len(ws), 1) / 50) + 1)
        common = (len(ws) + len(wl) - Indel.distance(ws, wl, score_cutoff=cutoff)) / 2
        chars = fuzz.ratio(fs, fl, processor=None, score_cutoff=threshold)
        score = max(100.0 * common / max(len(ws), 1), chars)
        if score >= threshold:
            return score
        return _passage_copy(short, long_, threshold) if passage else 0.0
    score = 0.0
    if not (set(ws) ^ set(wl)) & polarity_words():
        score = fuzz.ratio(fs, fl, processor=None, score_cutoff=threshold)
    if score or not added or long_ is not a:  # only a copy adds sentences, never the leader
        return score
    return sentence_run_score(short, long_, threshold)


# Shortest shared passage that makes two texts copies: two people do not write the same run of
# whole sentences of about 18 words by chance. Session 9: 150 -> 100; batch 11's and transport-5's
# campaign pairs share two sentences of 100-150 characters, each sender adding their own line;
# no new false pair on batches 5-11 (the passage must still be PASSAGE_SHARE of the longer text,
# and a group of texts under 150 characters still needs three members: campaigns.MIN_GROUP_SIZES).
PASSAGE_CHARS = 100
PASSAGE_SLACK = 5.0  # a passage may differ a little more than a whole text (threshold 90: 85)
PASSAGE_SENTENCE = 0.8  # share of a sentence's words found in the other text (three words changed in fifteen leave 0.8)
PASSAGE_SHARE = 0.35  # of the longer text: a passage that is a small part of a long text is a quotation of it, not a copy (dev pairs: 40-82 %)
PASSAGE_TRIGRAMS = (
    5  # word trigrams two texts sharing a passage have in common at least (dev pairs: 20+)
)
PASSAGE_VERIFY = 3  # leaders tried per text left alone; with the whole-text pass's MAX_VERIFY, pairs scored stay under 2 x MAX_VERIFY per text, usually under MAX_VERIFY
MAX_PASSAGE_TEXT = 4000  # characters: longer texts are not searched for passages (bounds the work)


def _passage(a: str, b: str, bar: float) -> float:
    """Score of the longest run of ``a``'s whole sentences found in ``b`` with small edits, or 0.

    Each sentence of ``a`` is looked for in ``b`` by its words (at least
    ``PASSAGE_SENTENCE`` of them in ``b``, and one word trigram; a sentence of
    two or three words: all its words); a run of consecutive sentences all found and together at least
    ``PASSAGE_CHARS`` long and ``PASSAGE_SHARE`` of the longer text is then looked for as a whole, and must score
    ``bar``, with no word that turns a position around among the words that
    differ between the run and the window of ``b`` it matches.
    """
    sentences = a.split(SENTENCE_BREAK)
    fb = b.replace(SENTENCE_BREAK, " ")
    theirs, their_words = _trigrams(b), set(fb.split())
    found = []
    for sentence in sentences:
        words = sentence.split()
        grams = list(zip(words, words[1:], words[2:], strict=False))
        known = sum(w in their_words for w in words)
        if len(grams) < 3:  # a few words: found when all are in the other text
            found.append(known == len(words))
        else:  # most words there, and some of them in the same order
            found.append(known >= PASSAGE_SENTENCE * len(words) and any(g in theirs for g in grams))
    best = 0.0
    i = 0
    while i < len(sentences):
        if not found[i]:
            i += 1
            continue
        j = i
        while j < len(sentences) and found[j]:
            j += 1
        run = " ".join(sentences[i:j])
        if len(run) >= max(PASSAGE_CHARS, PASSAGE_SHARE * max(len(a), len(b))):
            al = fuzz.partial_ratio_alignment(run, fb, processor=None, score_cutoff=bar)
            if al is not None and al.score >= bar:
                window = fb[al.dest_start : al.dest_end]
                if _polar(run.split()) == _polar(window.split()):
                    best = max(best, al.score)
        i = j
    return best


def _polar(words: list[str]) -> frozenset[str]:
    """The polarity words among ``words``, a contraction ("aren t", "don t", "cannot") as "not".

    "aren't forced" and "are not forced" say the same: compared as polarity
    words, the contraction's pieces would differ from "not".
    """
    polar = polarity_words()
    found: set[str] = set()
    for k, w in enumerate(words):
        if w == "t":
            continue
        if w == "cannot" or (w.endswith("n") and k + 1 < len(words) and words[k + 1] == "t"):
            found.add("not")
        elif w in polar:
            found.add(w)
    return frozenset(found)


def _windows(texts: Sequence[str]) -> tuple[list[str], list[int]]:
    """Passage windows of ``texts``: from each sentence, the run up to ``PASSAGE_CHARS``.

    Returned as the windows and, for each, the index of its text. Texts shorter
    than ``PASSAGE_CHARS`` or longer than ``MAX_PASSAGE_TEXT`` have none.
    Linear in the texts' length (each window is about ``PASSAGE_CHARS`` long,
    one per sentence).
    """
    windows: list[str] = []
    owner: list[int] = []
    for i, text in enumerate(texts):
        if not PASSAGE_CHARS <= len(text) <= MAX_PASSAGE_TEXT:
            continue
        sentences = text.split(SENTENCE_BREAK)
        for k in range(len(sentences)):
            run, m = [], k
            size = 0
            while m < len(sentences) and size < PASSAGE_CHARS:
                run.append(sentences[m])
                size += len(sentences[m]) + 1
                m += 1
            if size < PASSAGE_CHARS:
                break
            windows.append(" ".join(run))
            owner.append(i)
    return windows, owner


def _passage_pairs(texts: Sequence[str]) -> dict[int, Counter]:
    """Texts sharing a passage window's LSH band with an earlier text: index → those earlier texts.

    Whole-text MinHash misses two texts that share a campaign paragraph when
    each adds much of its own (their Jaccard similarity is low); their
    windows over the shared paragraph are near copies, and meet in a band.
    Each band's bucket keeps at most ``BUCKET_CAP`` texts, so a text meets at
    most ``LSH_BANDS`` x ``BUCKET_CAP`` others per window.
    """
    windows, owner = _windows(texts)
    if len(set(owner)) < 2:
        return {}
    met = bucket_pairs(np.asarray(owner), _band_codes(signatures(windows, NUM_PERM)), BUCKET_CAP)
    return {hi: Counter(los) for hi, los in met.items()}


@functools.lru_cache(maxsize=4096)
def _trigrams(text: str) -> frozenset[tuple[str, ...]]:
    """The word trigrams of a normalised text (sentence breaks as spaces)."""
    words = text.replace(SENTENCE_BREAK, " ").split()
    return frozenset(zip(words, words[1:], words[2:], strict=False))


def _passage_copy(short: str, long_: str, threshold: float) -> float:
    """``threshold`` when the two texts share a passage (a campaign text each sender added to), else 0.

    Campaign copies are often the campaign's paragraph with sentences of the
    sender's own before it ("I signed the pledge and I agree with what they
    say:") or after it (a paragraph about their own case), on *both* sides of
    a pair, with small edits in the paragraph ("twelve" / "12", a word
    moved): the whole texts then differ too much for the rules above. Two
    texts are copies when a run of whole sentences of one, at least
    ``PASSAGE_CHARS`` normalised characters (two people do not write the same
    two sentences by chance) and ``PASSAGE_SHARE`` of the longer text (a
    stock paragraph of a long text, sent on its own, is not a copy of it), is found in the other with a partial ratio of
    at least ``threshold - PASSAGE_SLACK``, and no polarity word differs
    between them. The pair then scores ``threshold`` (it counts, at the bar).
    Texts over ``MAX_PASSAGE_TEXT`` characters are not searched.
    """
    if threshold <= 0 or len(short) < PASSAGE_CHARS or len(long_) > MAX_PASSAGE_TEXT:
        return 0.0
    # A passage of PASSAGE_SHARE of the longer text keeps at least half its trigrams
    # through small edits: fewer in common, and there is none (most pairs end here, cheaply).
    long_grams = _trigrams(long_)
    needed = max(PASSAGE_TRIGRAMS, PASSAGE_SHARE * len(long_grams) / 2)
    if len(_trigrams(short) & long_grams) < needed:
        return 0.0
    bar = threshold - PASSAGE_SLACK
    if _passage(short, long_, bar) or _passage(long_, short, bar):
        return threshold
    return 0.0


def sentence_run_score(short: str, long_: str, threshold: float = 0.0) -> float:
    """Score of ``short`` as a copy of a contiguous run of *whole* sentences of ``long_``.

    The rule for short texts sent with the sender's own sentence added ("This is
    my view too. <campaign text>"): ``short`` must match, with small edits
    (``fuzz.ratio`` at least ``threshold``, no polarity word among the words
    that differ), the sentences ``long_[i:j]`` for some run that leaves at least
    one sentence out, and the sentences left out (the added part) must hold no
    polarity word either, so "<campaign text> But I disagree." is not a copy.
    Whole sentences only: a word or clause added inside a sentence changes what
    it says ("keep the library open" / "keep the library open fewer hours").
    The caller's length check (``MIN_LENGTH_RATIO``) keeps the added part at
    most as long as the shared text. Both texts are normalised with
    ``SENTENCE_BREAK`` between sentences; a short text has few sentences, so
    the runs tried are few. Returns the best run's score, or 0.
    """
    sentences = long_.split(SENTENCE_BREAK)
    if len(sentences) < 2:
        return 0.0
    polar = polarity_words()
    words = set(short.split())
    best = 0.0
    for i in range(len(sentences)):
        for j in range(i + 1, len(sentences) + 1):
            if j - i == len(sentences):
                continue
            run = " ".join(sentences[i:j])
            if len(run) < MIN_LENGTH_RATIO * len(short) or len(run) > 2 * len(short):
                continue
            added = {w for s in sentences[:i] + sentences[j:] for w in s.split()}
            if added & polar or (words ^ set(run.split())) & polar:
                continue
            score = fuzz.ratio(short.replace(SENTENCE_BREAK, " "), run, processor=None)
            if score >= threshold and score > best:
                best = score
    return best


@cache
def polarity_words() -> frozenset[str]:
    """Words that turn a short answer's position around (``helpers/data/polarity_words.txt``)."""
    text = resources.files("helpers").joinpath("data", "polarity_words.txt").read_text("utf-8")
    return frozenset(
        w.strip() for w in text.splitlines() if w.strip() and not w.lstrip().startswith("#")
    )


def _bands(sig: np.ndarray) -> list[tuple[int, bytes]]:
    """The LSH bucket keys of one MinHash signature: (band number, that band's values)."""
    return [(b, sig[b * LSH_ROWS : (b + 1) * LSH_ROWS].tobytes()) for b in range(LSH_BANDS)]


def _band_codes(sigs: np.ndarray) -> np.ndarray:
    """``(n, LSH_BANDS)`` uint64: one number per band of each signature, equal for equal bands.

    Unequal bands may share a number (a 64-bit mix of the band's four values);
    it is used only to rule texts *out* (a band whose number no other text has
    is a bucket no other text shares), so a collision costs time, never a result.
    """
    v = sigs.reshape(len(sigs), LSH_BANDS, LSH_ROWS).astype(np.uint64)
    lo = v[:, :, 0] | (v[:, :, 1] << np.uint64(32))
    hi = v[:, :, 2] | (v[:, :, 3] << np.uint64(32))
    return lo * np.uint64(0x9E3779B97F4A7C15) ^ hi * np.uint64(0xC2B2AE3D27D4EB4F)


def _shares_a_band(codes: np.ndarray, others: np.ndarray | None = None) -> np.ndarray:
    """Per row of ``codes``: whether some band's number is also that band's in another row
    (or, given ``others``, in a row of ``others``)."""
    out = np.zeros(len(codes), dtype=bool)
    for b in range(codes.shape[1]):
        if others is None:
            _, inverse, counts = np.unique(codes[:, b], return_inverse=True, return_counts=True)
            out |= counts[inverse] > 1
        else:
            out |= np.isin(codes[:, b], others[:, b])
    return out


def cluster(
    texts: Sequence[str],
    threshold: float,
    personal: Sequence[bool] | None = None,
    passages: bool = False,
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
    banded = _shares_a_band(_band_codes(sigs))
    out.leader, out.score = list(range(len(texts))), [100.0] * len(texts)
    buckets: dict[tuple[int, bytes], list[int]] = {}
    for i in np.flatnonzero(banded).tolist():  # the rest are leaders no text meets
        text = texts[i]
        keys = _bands(sigs[i])
        shared = Counter(j for k in keys for j in buckets.get(k, ()))
        out.n_candidates += len(shared)
        # Most bands in common first (an estimate of the Jaccard similarity), then earliest.
        cands = sorted(shared, key=lambda j: (-shared[j], j))[:MAX_VERIFY]
        best, best_j = -1.0, i
        for j in sorted(cands):
            out.n_verified += 1
            s = similarity(text, texts[j], threshold, added=False)
            if s >= threshold and s > best:  # ties keep the earliest leader
                best, best_j = s, j
        if best_j == i and (personal is None or personal[i]) and len(text) < LONG_CHARS * 2:
            # The same candidates, short ones only: at most MAX_VERIFY scored again.
            for j in (j for j in sorted(cands) if len(texts[j]) < LONG_CHARS):
                out.n_verified += 1
                s = similarity(text, texts[j], threshold)
                if s >= threshold and s > best:
                    best, best_j = s, j
        if best_j == i:
            for k in keys:
                bucket = buckets.setdefault(k, [])
                if len(bucket) < BUCKET_CAP:
                    bucket.append(i)
        out.leader[i] = best_j
        out.score[i] = best if best_j != i else 100.0
    if passages and threshold > 0:
        _passage_pass(texts, out, threshold)
    log.debug(
        "near copies: %d texts (%d sharing an LSH band), %d LSH candidates, %d pairs scored",
        len(texts),
        int(banded.sum()),
        out.n_candidates,
        out.n_verified,
    )
    return out


def _passage_pass(texts: Sequence[str], out: Clusters, threshold: float) -> None:
    """Join texts left alone by the whole-text rules to a leader they share a passage with.

    After the leader loop, only texts that lead no group (no member) can
    join, and only a leader: the groups found whole are left as they are, and
    the candidates come from the leaders' passage windows
    (:func:`_passage_pairs`), at most ``PASSAGE_VERIFY`` per text (those
    sharing the most window bands), earliest first,
    each verified by :func:`_passage_copy`. A text that joins scores
    ``threshold``. Most answers are grouped whole or share no window, so the
    pass costs little beside the loop.
    """
    members = Counter(out.leader)
    leaders = [i for i, lead in enumerate(out.leader) if lead == i]
    pairs = _passage_pairs([texts[i] for i in leaders])
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
            if _passage_copy(short, long_, threshold):
                out.leader[i], out.score[i] = j, threshold
                members[j] += 1
                break


def match(
    queries: Sequence[str], targets: Sequence[str], threshold: float, passages: bool = False
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
    its score; queries never become targets.
    """
    out = Clusters()
    if not queries or not targets:
        out.leader, out.score = [-1] * len(queries), [0.0] * len(queries)
        return out
    tsigs, qsigs = signatures(targets, NUM_PERM), signatures(queries, NUM_PERM)
    tcodes, qcodes = _band_codes(tsigs), _band_codes(qsigs)
    hit = _shares_a_band(qcodes, tcodes)
    out.leader, out.score = [-1] * len(queries), [0.0] * len(queries)
    buckets: dict[tuple[int, bytes], list[int]] = {}
    # Only targets sharing a band with some query are indexed: a bucket a query looks in
    # holds only such targets, in the same order, so it fills as it would with all of them.
    for j in np.flatnonzero(_shares_a_band(tcodes, qcodes)).tolist():
        for k in _bands(tsigs[j]):
            bucket = buckets.setdefault(k, [])
            if len(bucket) < BUCKET_CAP:
                bucket.append(j)
    for i in np.flatnonzero(hit).tolist():  # the rest share no band with any target
        text = queries[i]
        shared = Counter(j for k in _bands(qsigs[i]) for j in buckets.get(k, ()))
        out.n_candidates += len(shared)
        best, best_j = 0.0, -1
        for j in sorted(sorted(shared, key=lambda j: (-shared[j], j))[:MAX_VERIFY]):
            out.n_verified += 1
            s = similarity(text, targets[j], threshold)
            if s >= threshold and s > best:
                best, best_j = s, j
        out.leader[i] = best_j
        out.score[i] = best
    if passages:
        _match_passages(queries, targets, out, threshold)
    return out


def _match_passages(
    queries: Sequence[str], targets: Sequence[str], out: Clusters, threshold: float
) -> None:
    """Give queries ``match`` left without a target one they share a passage with.

    A letter's paragraph and a campaign text sent under a question's heading
    may each add a line of their own around the campaign's sentences: too
    little in common for whole-text MinHash, but their passage windows meet
    in a band (:func:`_passage_pairs`, over the targets then the queries).
    At most ``PASSAGE_VERIFY`` targets per query (those sharing the most
    bands) are verified with :func:`_passage_copy`; a query that joins
    scores ``threshold``. Linear in queries plus targets, as ``match`` is.
    """
    left = [i for i, lead in enumerate(out.leader) if lead < 0]
    if not left:
        return
    n = len(targets)
    pairs = _passage_pairs([*targets, *(queries[i] for i in left)])
    for k, i in enumerate(left):
        shared = pairs.get(n + k)
        if not shared:
            continue
        near = sorted((j for j in shared if j < n), key=lambda j: (-shared[j], j))
        for j in sorted(near[:PASSAGE_VERIFY]):
            out.n_verified += 1
            short, long_ = sorted((queries[i], targets[j]), key=len)
            if _passage_copy(short, long_, threshold):
                out.leader[i], out.score[i] = j, threshold
                break
