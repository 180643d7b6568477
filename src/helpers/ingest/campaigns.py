"""Campaign copies: the same answer sent by many respondents, found per question.

Organised campaigns ask supporters to send a given text, often with a word
changed or a personal line added. UK government consultation analyses report
these separately ("of the 1,200 answers to question 2, 800 were copies of one
campaign text"), so they are neither counted silently as independent views nor
dropped. ``detect_copies`` finds them; ``ingest.run_ingest`` writes the result as
``copies.parquet`` (schema COPIES) and the report counts them per question.

What is compared, and why:

* **Per question.** A campaign often supplies the answer to one question (or
  to each question separately) while the rest of the response is the
  respondent's own, so the unit is one respondent's answer to one consultation
  question (the answers table's ``answer_text``; segments of the same question
  joined). Profile questions ("In what capacity are you responding?") are
  skipped: identical answers are expected there. Preamble and closing text (greetings, addresses, sign-offs) are not
  compared. A response with no recognisable questions (``unstructured``: a
  letter) is compared whole with the other letters, under question id ``*``
  (:data:`WHOLE_RESPONSE`), and its paragraphs with every question's campaign
  texts: a paragraph that copies question ``q``'s text makes the letter a copy
  under ``q`` (:mod:`helpers.ingest.letter_copies`). Without an answers table
  every response is compared whole.
* **Normalised**: casefolded, every run of punctuation and whitespace one space,
  except a sentence end (. ! ? or a blank line), which is one
  :data:`SENTENCE_BREAK`: line breaks, quote styles or a Word-versus-plain-text
  conversion do not hide a copy, and the added-sentence rule can see whole
  sentences. Exact copies (compared without the breaks) are then one entry (a
  hash), whatever their number.
* **Near copies** (small edits; for answers of ``nearcopies.LONG_CHARS`` or more,
  added or deleted lines; for shorter ones whole sentences of the sender's own
  before or after) are found by MinHash LSH and verified with rapidfuzz, every
  member against the group's representative (no chaining), in time linear in
  the number of answers: see :mod:`helpers.ingest.nearcopies`.
* **Shared passages** (one question's answers, not whole letters): two answers
  that each add their own sentences around a campaign's paragraph (an
  introduction in one, the sender's own case in the other) and edit it a
  little are copies when a run of whole sentences of at least 100 characters
  and 35 % of the longer answer is found in the other (partial ratio at least
  the threshold less 5, no polarity word changed): ``passages.passage_copy``,
  with candidates from LSH over passage windows. Whole letters are left to
  :mod:`helpers.ingest.letter_copies`, which places the paragraph under its
  question. A structured response's preamble is read the same way (an
  unrecognised own-words heading leaves its answer there): a paragraph of it
  that copies a question's campaign text makes the response a member.

* **Reworded under two questions** (:mod:`campaign_pairs`, session 14): two
  respondents whose answers to two or more questions each share far more rare
  wording (and meaning) than unrelated answers of the consultation do are a
  campaign pair under those questions, however short and reworded the copies
  (a small campaign's two sentences, each rewritten by its senders). Only
  answers no rule above grouped are added, as groups of their own.

What counts as a campaign, and why:

* Texts under ``min_chars`` (40) normalised characters are never grouped: "I
  agree", "No comment" or "Yes, see above" coincide without any campaign.
* A group must have at least :func:`min_group_size` members, which falls with
  the shared text's length (``MIN_GROUP_SIZES``): two people do not write the same
  150 characters (about 25 words, two sentences) by chance, so two copies of
  such a passage are a campaign (200 missed two-sentence campaign texts of
  150–200 characters in the development sets); but
  two or three people may well each write "I agree with the proposal and have
  nothing further to add" (about 50 characters), so a text under 100
  characters needs five copies, the size of an organised effort rather than a
  coincidence, and also 1% of the question's answers: in a large consultation a
  stock sentence ("We neither agree nor disagree with the proposal") recurs by
  chance in proportion to the number of answers, where a campaign worth
  reporting is a visible share of them. A long common phrase may still be
  grouped by chance; the annex shows each group's text so a reader can judge.
* Two short answers that differ in a word that turns the position around
  ("agree" / "disagree", "not") are never copies of one text, however small
  the edit (``nearcopies.polarity_words``).

The representative of a group is its most-sent text (ties: the shortest, so the
campaign's own text leads rather than a copy with a line of its sender's added,
and the copies that each add their own line all match it; then the one whose
first sender has the lowest respondent id). A text sent word for word by two or
more respondents is a campaign text in its own right: it joins a group by small
edits only, never by the added-sentence rule (a campaign text that begins with
a stock sentence is not a personal copy of that stock sentence); ``is_first`` marks the first respondent,
by id, who sent it, and ``similarity`` is each member's score against it.
Groups are numbered ``campaign-1``, ``campaign-2``… across all questions: in
question order (by question number; whole-response groups last), then by each
group's lowest respondent id. The numbering does not depend on row order.

The text normalisation is in :mod:`helpers.ingest.campaign_text`, the passes that
join letters, preambles and profile answers to groups in
:mod:`helpers.ingest.campaign_letters` (split off in session 21), one question's
clustering and the group-size rule (``min_group_size``) in
:mod:`helpers.ingest.campaign_cluster` (split off in session 22); all re-exported here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.core import schemas
from helpers.core.arrowmemory import trim_heap
from helpers.ingest import campaign_pairs, campaign_rows, campaign_split, reworded
from helpers.ingest.campaign_cluster import (  # noqa: F401 (re-exported)
    EVIDENCE_MIN_CHARS,
    _cluster_question,
    _large_enough,
    _normalised,
    min_group_size,
)
from helpers.ingest.campaign_letters import (  # noqa: F401 (re-exported)
    PROFILE_PASSAGE_CHARS,
    _add_letters,
    _long_paragraphs,
    _preambles,
)
from helpers.ingest.campaign_sizes import MIN_GROUP_SIZES  # the size rule (its docstring)
from helpers.ingest.campaign_text import (  # noqa: F401 (re-exported)
    _END_MARK,
    _PUNCT_SPACE,
    _PUNCTUATION,
    _SENTENCE_END,
    _SENTENCE_END_FAST,
    SENTENCE_BREAK,
    _normalise_by_sentence,
    flat,
    normalise,
)
from helpers.ingest.copyunits import (  # noqa: F401 (without_option_lines re-exported)
    comparison_units,
    unit_rows,
    without_option_lines,
)

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 90.0
DEFAULT_MIN_CHARS = 40
WHOLE_RESPONSE = schemas.WHOLE_RESPONSE  # question_id of whole-response copies (letters)


@dataclass
class CopyResult:
    """``detect_copies``' table plus how much work it took (for tests and logs)."""

    copies: pd.DataFrame
    n_units: int = 0  # answers compared (after the length filter)
    n_distinct: int = 0  # distinct normalised texts among them
    n_candidates: int = 0  # LSH leader candidates
    n_verified: int = 0  # pairs scored with rapidfuzz


def find_copies(
    respondents: pd.DataFrame,
    threshold: float = DEFAULT_THRESHOLD,
    min_chars: int = DEFAULT_MIN_CHARS,
    answers: pd.DataFrame | None = None,
    min_sizes: tuple[tuple[int, int, float], ...] = MIN_GROUP_SIZES,
    skip_questions: Iterable[str] = (),
    question_texts: Mapping[str, str] | None = None,
) -> CopyResult:
    """:func:`detect_copies` with the counts of texts, candidates and scored pairs.

    Memory (issue 15): a question's texts are normalised and clustered in turn and dropped
    once it is clustered, so one question's normalised text is held at a time; without
    letters, preambles or long profile answers (a survey export) nothing joins a group
    later, so only the rows of groups large enough are kept from each question.
    """
    known = {q: reworded.known_words(normalise(t)) for q, t in (question_texts or {}).items()}
    result = CopyResult(schemas.empty(schemas.COPIES))
    if respondents.empty:
        return result
    skip_questions = tuple(skip_questions)
    # The units' texts are taken a question at a time (session 28: ``copyunits.unit_rows``).
    units, text_of = unit_rows(respondents, answers, skip_questions)
    whole = np.flatnonzero((units["question_id"] == WHOLE_RESPONSE).to_numpy())
    raw = units.iloc[whole][["respondent_id"]].assign(text=text_of(whole))
    raw = pd.concat([raw, _preambles(answers, respondents)], ignore_index=True)
    profile_raw = _preambles(answers, respondents, skip_questions, preamble=False)
    split = campaign_split.any_documents(answers, skip_questions)
    # The letter passes read every leader's text; without letters only their lengths are
    # needed, and a question's singletons can be dropped as soon as it is clustered.
    letters = bool(len(raw) or len(profile_raw) or split)
    clustered: dict[str, pd.DataFrame] = {}
    lead_texts: dict[str, pd.Series] = {}
    lead_chars: dict[str, pd.Series] = {}
    distinct_evidence: dict[str, pd.Series] = {}
    first_row: dict[str, int] = {}
    pair_questions: list[campaign_pairs.QuestionPairs] = []
    ranks: dict[str, float] = {}
    for qid, at in _question_rows(units):
        # One question's normalised texts at a time (issue 15: a dict of every distinct
        # text of every question, and the column mapped through it, were two more copies
        # of all the answers at 100,000 respondents).
        u = _normalised(units.iloc[at].assign(text=text_of(at)), min_chars)
        if u.empty:
            continue
        qid = str(qid)
        result.n_units += len(u)
        first_row[qid] = int(u.index[0])  # the question's order among the kept units
        u, found, distinct, evidence = _cluster_question(u, qid, threshold, known.get(qid))
        evidence = pd.Series(evidence, index=distinct.index)
        result.n_distinct += len(distinct)
        result.n_candidates += found.n_candidates
        result.n_verified += found.n_verified
        keys = distinct.index.to_numpy()
        leader = dict(zip(keys, keys[found.leader], strict=True))
        score = dict(zip(keys, found.score, strict=True))
        u = u.drop(columns="text")
        u = u.assign(leader=u["key"].map(leader), similarity=u["key"].map(score))
        u = u.assign(is_rep=u["key"] == u["leader"])
        if qid != WHOLE_RESPONSE:  # answers reworded under two questions (campaign_pairs)
            ranks[qid] = float(u["rank"].iloc[0])
            pair_questions.append(
                campaign_pairs.question_pairs(
                    qid,
                    u["respondent_id"].astype(str).tolist(),
                    # One flat string per distinct text, shared by its senders (session 26:
                    # a string per answer was another copy of the question's text).
                    _flat_by_unit(distinct, u["key"]),
                    u["leader"].tolist(),
                    known[qid][0] if qid in known else frozenset(),
                )
            )
        if letters:
            clustered[qid] = u
            lead_texts[qid] = distinct["text"]
            lead_chars[qid] = distinct["chars"]
            distinct_evidence[qid] = evidence
        else:  # nothing joins a group later: keep only the rows of groups large enough
            kept = _large_enough(u, distinct["chars"], evidence, min_sizes)
            if len(kept):
                clustered[qid] = kept
        del u, found, distinct, evidence
        trim_heap()  # the question's strings and arrays handed back (session 28)
    del units, text_of
    # Questions in the order of their first kept unit, as one groupby of them all gave.
    clustered = {q: clustered[q] for q in sorted(clustered, key=first_row.__getitem__)}
    if letters and len(raw) and len(clustered) > (WHOLE_RESPONSE in clustered):
        with reworded.remembered():  # leaders' trigrams read once for both passes
            _add_letters(clustered, lead_texts, raw, threshold, min_chars, result, known)
    if letters and len(profile_raw) and len(clustered) > (WHOLE_RESPONSE in clustered):
        # Only groups formed already: a profile paragraph joins a campaign, never starts one.
        with reworded.remembered():
            _add_letters(
                clustered,
                lead_texts,
                profile_raw,
                threshold,
                min_chars,
                result,
                known,
                groups_only=True,
            )
    if split and len(clustered) > (WHOLE_RESPONSE in clustered):
        campaign_split.add_split(
            clustered,
            lead_texts,
            answers,
            respondents,
            skip_questions,
            threshold,
            min_chars,
            result,
            known,
        )
    groups: list[pd.DataFrame] = []
    for qid, u in clustered.items():
        if letters:
            u = _large_enough(u, lead_chars[qid], distinct_evidence[qid], min_sizes)
        if len(u):
            groups.append(u.assign(question_id=qid))
    groups += campaign_rows.group_rows(
        pair_questions, groups, ranks, _answers_of(respondents, answers, skip_questions)
    )
    if not groups:
        return result
    df = pd.concat(groups, ignore_index=True)
    df["lowest"] = df.groupby(["question_id", "leader"])["respondent_id"].transform("min")
    first_rep = df[df["is_rep"]].groupby(["question_id", "leader"])["respondent_id"].min()
    df["is_first"] = df["is_rep"] & df["respondent_id"].eq(
        [first_rep[(q, k)] for q, k in zip(df["question_id"], df["leader"], strict=True)]
    )
    df = df.sort_values(["rank", "question_id", "lowest", "respondent_id"], kind="stable")
    group_keys = list(zip(df["question_id"], df["lowest"], strict=True))
    numbers = {g: n for n, g in enumerate(dict.fromkeys(group_keys), start=1)}
    df["copy_group"] = [f"campaign-{numbers[g]}" for g in group_keys]
    result.copies = schemas.conform(df.reset_index(drop=True), schemas.COPIES)
    return result


def _flat_by_unit(distinct: pd.DataFrame, keys: pd.Series) -> list[str]:
    """Each unit's distinct text (``distinct``, by key) as :func:`flat` gives it, the units of
    one text sharing one string.

    Session 28: ``distinct["text"].map(flat).reindex(keys).tolist()`` gave the same strings,
    but through an Arrow column taken per unit, so every unit got a string of its own (a
    copy of the question's text at a time)."""
    at = distinct.index.get_indexer(keys)
    if len(at) and at.min() < 0:  # a key with no distinct text (never: made from the units)
        return distinct["text"].map(flat).reindex(keys).tolist()
    flats = np.empty(len(distinct), dtype=object)
    flats[:] = [flat(t) for t in distinct["text"].tolist()]
    return flats[at].tolist()


def _question_rows(units: pd.DataFrame) -> Iterator[tuple[object, np.ndarray]]:
    """(question id, its units' positions) in order of first appearance, as
    ``units.groupby("question_id", sort=False)`` gives its groups (a question's rows in
    table order).

    Session 28 (issue 15): iterating the groupby took a sorted copy of the whole units table
    (every answer's text, 186 MB at 30,000 generated survey respondents) for the length of
    the loop; positions cost 8 bytes a unit, and each question's rows are taken in turn.
    """
    codes, questions = pd.factorize(units["question_id"])
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(questions) + 1))
    for k, qid in enumerate(questions):
        yield qid, order[bounds[k] : bounds[k + 1]]


def _answers_of(
    respondents: pd.DataFrame, answers: pd.DataFrame | None, skip_questions: tuple[str, ...]
) -> campaign_pairs.AnswersOf:
    """A look-up of a few respondents' question answers, normalised as the pairs read them
    (``campaign_pairs.cross_question_hits``): read again from ``answers`` only for the
    respondents asked for, so nothing is held for the whole consultation."""

    def lookup(ids: set[str]) -> list[tuple[str, str, str]]:
        if answers is None or not ids:
            return []
        r = respondents[respondents["respondent_id"].astype(str).isin(ids)]
        a = answers[answers["respondent_id"].astype(str).isin(ids)]
        u = comparison_units(r, a, skip_questions)
        u = u[u["question_id"] != WHOLE_RESPONSE]
        return [
            (str(rid), str(q), flat(normalise(t)))
            for rid, q, t in zip(u["respondent_id"], u["question_id"], u["text"], strict=True)
        ]

    return lookup


def detect_copies(
    respondents: pd.DataFrame,
    threshold: float = DEFAULT_THRESHOLD,
    min_chars: int = DEFAULT_MIN_CHARS,
    answers: pd.DataFrame | None = None,
    min_sizes: tuple[tuple[int, int, float], ...] = MIN_GROUP_SIZES,
    skip_questions: Iterable[str] = (),
    question_texts: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Answers that are copies of a shared (campaign) text, per question (schema COPIES).

    One row per respondent and question in a group: ``respondent_id``,
    ``question_id`` (``*`` for whole responses), ``copy_group``
    ('campaign-1'…, unique across questions), ``similarity`` (0-100 against the
    group's representative; 100 for it and its exact copies) and ``is_first``.
    ``threshold`` is the minimum similarity; answers under ``min_chars``
    normalised characters are left out; ``min_sizes`` sets the smallest group
    by text length. ``answers`` (ANSWERS rows, as ingest passes) makes the
    comparison per question; without it whole responses are compared.
    ``skip_questions`` are not compared (ingest passes the profile questions,
    whose identical answers are expected). ``question_texts`` (question id →
    its text) are never counted as an answer's own wording (a quoted question
    does not make two answers copies: :mod:`reworded`). See the
    module docstring for the method and its limits.
    """
    result = find_copies(
        respondents, threshold, min_chars, answers, min_sizes, skip_questions, question_texts
    )
    log.info(
        "campaign copies: %d answers compared (%d distinct), %d candidates, %d pairs scored; "
        "%d copies in %d groups",
        result.n_units,
        result.n_distinct,
        result.n_candidates,
        result.n_verified,
        len(result.copies),
        result.copies["copy_group"].nunique(),
    )
    return result.copies
