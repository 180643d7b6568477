"""Stance on closed questions: rules on hand-written answers and on the real responses."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core import schemas
from helpers.core.consultation import load_consultation
from helpers.core.paths import consultation_dir, raw_dir
from helpers.stance import infer_stance, stance_answers, tick_box_stance


def _slice(name: str, first: str, last: str) -> tuple[str, int, int]:
    """A real answer's bounds in the raw file, found by its first and last words."""
    text = (raw_dir() / name).read_text(encoding="utf-8")
    lo = text.index(first)
    hi = text.index(last, lo) + len(last)
    return text, lo, hi


# --- the default data ------------------------------------------------------


@pytest.mark.parametrize(
    "name, first, last, stance, reservations, evidence_start",
    [
        (
            "acrcg.txt",
            "This change is crucial",
            "postal lottery.",
            "strongly_agree",
            False,
            "This change is crucial to increasing support",
        ),
        (
            "acrcg.txt",
            "It is crucial to implement",
            "accessing their care files.",
            "strongly_agree",
            False,
            "It is crucial to implement the new judgement as soon as possible",
        ),
        (
            "become.txt",
            "We agree with Ofsted's proposal",
            "in relation to care leavers.",
            "agree",
            False,
            "We agree with Ofsted's proposal to introduce",
        ),
        (
            "become.txt",
            "In principle, we agree",
            "have been implemented.",
            "agree",
            True,
            "In principle, we agree with Ofsted's proposed timescale",
        ),
    ],
)
def test_default_data_stances(name, first, last, stance, reservations, evidence_start):
    text, lo, hi = _slice(name, first, last)
    r = infer_stance(text, lo, hi)
    assert r.stance == stance
    assert r.reservations is reservations
    assert r.evidence.startswith(evidence_start)
    assert text[r.start : r.end] == r.evidence
    assert lo <= r.start < r.end <= hi
    # The evidence is one sentence, ending at its full stop.
    assert r.evidence.endswith(".") and r.evidence.count(". ") == 0


def test_default_data_methods_and_confidence():
    text, lo, hi = _slice("acrcg.txt", "This change is crucial", "postal lottery.")
    evaluative = infer_stance(text, lo, hi)
    text2, lo2, hi2 = _slice("become.txt", "We agree with Ofsted's proposal", "care leavers.")
    explicit = infer_stance(text2, lo2, hi2)
    assert evaluative.method == "evaluative" and explicit.method == "cue"
    assert explicit.confidence > evaluative.confidence


# --- hand-written rules ----------------------------------------------------


@pytest.mark.parametrize(
    "text, stance, reservations",
    [
        ("We agree with the proposal.", "agree", False),
        ("We support the proposed judgement.", "agree", False),
        ("We are in favour of this change.", "agree", False),
        ("We endorse Ofsted's approach.", "agree", False),
        ("The Association supports the proposal.", "agree", False),
        ("We are broadly supportive.", "agree", True),
        ("We disagree with the proposal.", "disagree", False),
        ("We oppose the introduction of a new judgement.", "disagree", False),
        ("We strongly agree with the proposal.", "strongly_agree", False),
        ("We wholeheartedly support this.", "strongly_agree", False),
        ("We fully support.", "strongly_agree", False),
        ("Strongly support.", "strongly_agree", False),
        ("Yes, we support", "agree", False),
        ("We strongly disagree with the timescale.", "strongly_disagree", False),
        ("We do not agree with the proposal.", "disagree", False),
        ("We cannot support this.", "disagree", False),
        ("We are not in favour of the change.", "disagree", False),
        ("We have no objection to the proposal.", "agree", False),
        ("We would not oppose the proposal.", "agree", False),
        ("In principle we agree with the proposal. However, the timing is tight.", "agree", True),
        ("We broadly agree, but the criteria need more work.", "agree", True),
        ("We agree, subject to adequate funding.", "agree", True),
        ("We agree with the proposal. But local authorities need time.", "agree", True),
        ("We do not fully agree with the proposal.", "agree", True),
        ("We disagree, although we see the intention.", "disagree", True),
        ("We neither agree nor disagree with the proposal.", "neither", False),
        ("We neither support nor oppose the change.", "neither", False),
        ("On whether we agree or disagree: we agree.", "agree", False),
        ("We have no view on the timing.", "neither", False),
        ("We are unsure.", "neither", False),
        ("We have no strong views.", "neither", False),
        ("Our members hold mixed views.", "neither", False),
        ("We are not convinced by the proposal.", "disagree", False),
        ("Yes.", "agree", False),
        ("No - it is too early.", "disagree", False),
    ],
)
def test_explicit_cues(text, stance, reservations):
    r = infer_stance(text)
    assert (r.stance, r.reservations) == (stance, reservations)
    assert r.method == "cue"


@pytest.mark.parametrize(
    "text, stance",
    [
        ("This change is vital for care leavers.", "strongly_agree"),
        ("It is essential to introduce the judgement now.", "strongly_agree"),
        ("The new judgement would be helpful to young people.", "agree"),
        ("This proposal is a step in the right direction.", "agree"),
        ("The proposed date is premature.", "disagree"),
        ("January 2023 is too soon for most councils.", "disagree"),
        ("A separate judgement is not necessary.", "disagree"),
        ("It is important to wait until the Care Review reports.", "disagree"),
        ("We do not believe a separate judgement is necessary.", "disagree"),
        ("It would be premature to introduce the judgement before the review.", "disagree"),
        ("Ofsted's proposal is welcome.", "agree"),
        ("This makes sense.", "agree"),
        ("It doesn't make sense to us.", "disagree"),
    ],
)
def test_evaluative_sentences(text, stance):
    r = infer_stance(text)
    assert r.stance == stance
    assert r.method == "evaluative"
    # 0.7 for an evaluative sentence, less 0.1 when it is negated.
    negated = " not " in text or "n't" in text
    assert r.confidence == pytest.approx(0.6 if negated else 0.7)


def test_sentiment_only_is_weak():
    r = infer_stance("Care leavers deserve better and this will make a great, positive difference.")
    assert r.method == "sentiment"
    assert r.stance == "agree"  # never strongly: sentiment is one weak signal
    assert r.confidence <= 0.4
    neg = infer_stance("This will be terrible and harmful for everyone involved, a disaster.")
    assert (neg.method, neg.stance) == ("sentiment", "disagree")


def test_no_signal_is_neither_without_evidence():
    r = infer_stance("Local authorities publish their offer online.")
    assert (r.stance, r.method, r.evidence, r.score) == ("neither", "none", None, 0.0)
    assert r.confidence == pytest.approx(0.2)
    assert infer_stance("   ").method == "none"


@pytest.mark.parametrize(
    "text",
    [
        "We welcome the opportunity to respond to this consultation.",
        "Housing is a concern for the young people we support.",
        "Care leavers need support for the transition to adulthood.",
        "We would welcome more guidance on this.",
        "Funding, as opposed to inspection, is what matters.",
        "Our staff ensure that records are kept.",
        "Asked whether we agree or disagree, our members discussed the proposal at length.",
    ],
)
def test_look_alikes_are_not_cues(text):
    r = infer_stance(text)
    assert r.method != "cue"
    assert not [c for c in r.cues if c.kind in ("agree", "disagree")]


def test_conflicting_cues_lower_confidence_and_mark_reservations():
    clean = infer_stance("We agree with the proposal.")
    mixed = infer_stance(
        "We agree with the proposal. We disagree with the timescale. We agree overall."
    )
    assert mixed.stance == "agree" and mixed.reservations
    assert mixed.confidence == pytest.approx(clean.confidence * 2 / 3, abs=0.01)
    tie = infer_stance("We disagree with the timing. We agree with the aim.")
    assert tie.stance == "disagree"  # a tie goes to the first cue


def test_negation_lowers_confidence():
    assert infer_stance("We do not agree.").confidence < infer_stance("We disagree.").confidence


def test_bounds_are_respected_and_offsets_absolute():
    text = "We disagree with everything.\nWe agree with the proposal. It helps.\nWe oppose it."
    lo = text.index("We agree")
    hi = text.index("\nWe oppose")
    r = infer_stance(text, lo, hi)
    assert r.stance == "agree"
    assert (r.start, r.end) == (lo, lo + len("We agree with the proposal."))


def test_abbreviation_does_not_end_the_evidence_sentence():
    text = "We agree with the proposal, e.g. for care leavers over 21. Other text."
    r = infer_stance(text)
    assert r.evidence == "We agree with the proposal, e.g. for care leavers over 21."


# --- tick boxes ------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Strongly agree", "strongly_agree"),
        ("agree", "agree"),
        ("Tend to agree", "agree"),
        ("Neither agree nor disagree", "neither"),
        ("Don't know", "dont_know"),
        ("Don’t know", "dont_know"),
        ("Not sure", "dont_know"),
        ("No opinion", "dont_know"),
        ("Tend to disagree", "disagree"),
        ("Disagree", "disagree"),
        ("STRONGLY DISAGREE", "strongly_disagree"),
        ("1", "strongly_agree"),
        ("5", "strongly_disagree"),
        (3, "neither"),
        (2.0, "agree"),
        ("-2", "strongly_disagree"),
        ("+1", "agree"),
        ("1 - Strongly agree", "strongly_agree"),
        ("", "not_answered"),
        ("Not Answered", "not_answered"),
        (None, "not_answered"),
        ("Maybe", None),
        ("7", None),
    ],
)
def test_tick_box_stance(value, expected):
    assert tick_box_stance(value) == expected


def test_tick_box_numeric_codes_can_run_disagree_first():
    assert tick_box_stance("1", agree_first=False) == "strongly_disagree"
    assert tick_box_stance("4", agree_first=False) == "agree"


# --- the stances table -----------------------------------------------------


def _frames():
    texts = {
        "r1": "Q1\nWe agree with the proposal.\nQ2\nWe disagree with nothing here.\nQ3\nWe strongly disagree with the date.",
        "r2": "Q1\nWe oppose this proposal.",
        "r3": "",
    }
    respondents = pd.DataFrame({"respondent_id": list(texts), "text": list(texts.values())})

    def ans(rid, qid, body, tick=None):
        text = texts[rid]
        start = text.index(body) if body else 0
        return {
            "respondent_id": rid,
            "question_id": qid,
            "start": start,
            "end": start + len(body),
            "answer_text": body,
            "tick_box": tick,
        }

    answers = pd.DataFrame(
        [
            ans("r1", "q1", "We agree with the proposal."),
            ans("r1", "q2", "We disagree with nothing here."),  # open question: ignored
            ans("r1", "q3", "We strongly disagree with the date.", tick="Strongly disagree"),
            ans("r2", "q1", "We oppose this proposal.", tick="Agree"),
            ans("r3", "q1", "", tick="Tend to disagree"),
        ]
    )
    return respondents, answers


def test_stance_answers_rows_methods_and_conflicts():
    consultation = load_consultation(consultation_dir() / "consultation.yaml")
    respondents, answers = _frames()
    out = stance_answers(answers, respondents, consultation)
    assert list(out.columns) == schemas.STANCES_TABLE.names
    schemas.validate(out, schemas.STANCES_TABLE)
    got = {(r.respondent_id, r.question_id): r for r in out.itertuples()}
    assert len(out) == 6  # 3 respondents x 2 closed questions (q1, q3)

    r = got[("r1", "q1")]
    assert (r.stance, r.method, r.score, r.conflict) == ("agree", "text", 1.0, False)
    assert r.evidence == "We agree with the proposal."
    assert respondents.text[0][r.start : r.end] == r.evidence

    r = got[("r1", "q3")]
    assert (r.stance, r.method, r.text_stance, r.conflict) == (
        "strongly_disagree",
        "tick_box+text",
        "strongly_disagree",
        False,
    )

    r = got[("r2", "q1")]  # ticked Agree, wrote "We oppose"
    assert (r.stance, r.method, r.text_stance, r.conflict) == (
        "agree",
        "tick_box+text",
        "disagree",
        True,
    )

    r = got[("r2", "q3")]
    assert (r.stance, r.method) == ("not_answered", "none")
    assert pd.isna(r.score) and pd.isna(r.evidence)

    r = got[("r3", "q1")]  # tick box, no text
    assert (r.stance, r.method, r.tick_box, r.conflict) == (
        "disagree",
        "tick_box",
        "Tend to disagree",
        False,
    )


def test_stance_answers_without_tick_box_column():
    consultation = load_consultation(consultation_dir() / "consultation.yaml")
    respondents, answers = _frames()
    out = stance_answers(answers.drop(columns="tick_box"), respondents, consultation)
    r2 = out[(out.respondent_id == "r2") & (out.question_id == "q1")].iloc[0]
    assert (r2.stance, r2.method) == ("disagree", "text")
    r3 = out[(out.respondent_id == "r3") & (out.question_id == "q1")].iloc[0]
    assert r3.stance == "not_answered"


def test_offsets_survive_characters_whose_lower_case_is_longer():
    text = "İİİ said so. We strongly agree with the proposal."
    r = infer_stance(text)
    assert r.stance == "strongly_agree"
    assert r.evidence == "We strongly agree with the proposal."
    assert text[r.start : r.end] == r.evidence


def test_curly_apostrophes():
    assert infer_stance("We don’t know yet.").stance == "neither"
    assert infer_stance("We can’t support this.").stance == "disagree"


def test_evidence_of_a_very_long_sentence_starts_at_its_beginning():
    long = "Care leavers " + "and their families " * 50 + "tell us that we agree with the proposal."
    text = "First sentence. " + long + " Last one."
    r = infer_stance(text)
    assert r.evidence == long


def test_default_data_through_ingest(tmp_path):
    """The four required stances, from answers as the ingest stage segments them."""
    from helpers.ingest.stage import run_ingest

    consultation_path = consultation_dir() / "consultation.yaml"
    result = run_ingest(raw_dir(), consultation_path, tmp_path)
    out = stance_answers(result.answers, result.respondents, load_consultation(consultation_path))
    got = {(r.respondent_id, r.question_id): r for r in out.itertuples()}
    expected = {
        ("acrcg", "q1"): ("strongly_agree", False, "This change is crucial"),
        # "However, it also expects ..." five sentences on: a reservation found anywhere.
        ("acrcg", "q3"): ("strongly_agree", True, "It is crucial to implement"),
        # Its reservation flag is checked in test_default_data_become_q1_has_no_reservation.
        ("become", "q1"): ("agree", None, "We agree with Ofsted's proposal"),
        ("become", "q3"): ("agree", True, "In principle, we agree"),
    }
    assert set(got) == set(expected)
    texts = dict(zip(result.respondents.respondent_id, result.respondents.text, strict=True))
    for key, (stance, reservations, first_words) in expected.items():
        r = got[key]
        assert (r.stance, r.method) == (stance, "text")
        assert reservations is None or bool(r.reservations) is reservations
        assert r.evidence.startswith(first_words)
        assert texts[key[0]][r.start : r.end] == r.evidence


@pytest.mark.xfail(strict=True, reason="a known false positive of the learned reservation "
                   "finder (session 12): 'should also lead to ...' read as a reservation")  # fmt: skip
def test_default_data_become_q1_has_no_reservation(tmp_path):
    from helpers.ingest.stage import run_ingest

    consultation_path = consultation_dir() / "consultation.yaml"
    result = run_ingest(raw_dir(), consultation_path, tmp_path)
    out = stance_answers(result.answers, result.respondents, load_consultation(consultation_path))
    row = out[(out["respondent_id"] == "become") & (out["question_id"] == "q1")].iloc[0]
    assert not bool(row["reservations"])


def test_stance_summary_counts_by_question():
    from helpers.stance import stance_summary

    consultation = load_consultation(consultation_dir() / "consultation.yaml")
    respondents, answers = _frames()
    out = stance_summary(stance_answers(answers, respondents, consultation), consultation)
    assert list(out.question_id) == ["q1", "q3"]
    q1 = out.set_index("question_id").loc["q1"]
    # r1 agree (text), r2 ticked Agree against "We oppose" (conflict), r3 ticked Tend to disagree.
    assert (q1["Agree"], q1["Disagree"], q1["Not answered"]) == (2, 1, 0)
    assert (q1["from_text"], q1["from_tick_box"], q1["conflicts"]) == (1, 2, 1)
    q3 = out.set_index("question_id").loc["q3"]
    assert (q3["Strongly disagree"], q3["Not answered"]) == (1, 2)


@pytest.mark.parametrize(
    "text, starts",
    [
        ("We agree; Disagree, x-SUPPORT the view", [3, 10, 22, 34]),
        ("review, ensure, knowledge base", [16]),  # "know" starts a word; the rest don't
        ("éagree “agree ²agree Éagree", [8, 15]),  # a letter outside ascii is part of the word
        ("\u212aNOW İ agree", [0, 7]),  # the Kelvin sign lower-cases to "k"; "İ" is kept
        ("ΟΔΟΣ agree", [5]),  # capital sigma: str.lower reads its context
        ("we 😀 agree", [5]),  # astral characters
        ("", []),
    ],
)
def test_lowered_answer_and_cue_keyword_starts(text, starts):
    from helpers.stance import firstpass, infer, vocabulary

    found = infer._first_pass(text, len(text))
    low, got = found.low, found.starts
    assert low == firstpass._lower(text, 0, len(text))
    assert got == starts
    assert sorted(firstpass._hits(low, vocabulary._CUE_KEYWORDS)) == starts


@pytest.mark.parametrize(
    "sentence",
    [
        "Care leavers deserve better and this will make a great, positive difference.",
        "This will be terrible and harmful for everyone involved, a disaster.",
        "It is not good, but it is never so bad without doubt.",
        "The plan is kind of good and sort of helpful, at least not awful!!",
        "We are NOT happy with this GREAT change :) 😀",
        "No problem, no worries; it isn't bad at all??",
        "The team will set out the criteria for care leavers!!",
        "Kind of very much the plan ??",
        "",
    ],
)
def test_vader_scores_match_upstream(sentence):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from helpers.stance.sentiment import _vader

    upstream = SentimentIntensityAnalyzer().polarity_scores(sentence)
    assert _vader().polarity_scores(sentence) == upstream
    assert repr(_vader().compound(sentence)) == repr(upstream["compound"])


def test_cue_running_past_its_line_is_read_whole():
    # The cue regex crosses the line break; its negator is read from the whole cue,
    # although the evidence sentence stops at the line (the memoised reading too).
    r = infer_stance("We are against the\nnot proposal.")
    (cue,) = r.cues
    assert (cue.text, cue.negated, cue.direction) == ("against the\nnot proposal", True, 1)
    assert r.evidence == "We are against the"


# --- many answers at once ----------------------------------------------------


def test_infer_stances_equals_infer_stance_on_each():
    """The batch entry point (one compiled lower-casing and keyword scan for all the
    answers) reads every answer as ``infer_stance`` does, including the answers it
    hands back: blank, short (cached), astral characters, capital sigma, 'İ'."""
    from benchmarks.generate import default_paths, iter_answers
    from helpers.stance import caches, infer

    cpath, bpath = default_paths()
    consultation = load_consultation(cpath)
    texts = [t for _, _, t in iter_answers(consultation, bpath, 4, 150_000)]
    for name in ("acrcg.txt", "become.txt"):
        whole = (raw_dir() / name).read_text(encoding="utf-8")
        texts += [whole, *whole.split("\n\n")]
    long_agree = "We strongly agree with the proposal, but in principle only. " * 5
    texts += [
        "",
        "   \n",
        "Agree.",
        "We do not agree with this proposal.",
        long_agree,
        long_agree.replace("We", "WE ΣΑΣ"),  # capital sigma: lower-cased by context
        long_agree + " İstanbul İ",  # lower case longer than the character
        long_agree + " 😀",  # beyond the BMP: the batch goes one answer at a time
    ]
    want = [infer_stance(t) for t in texts]
    caches._answer_cache.clear()
    assert infer.infer_stances(texts) == want
    without_astral = texts[:-1]
    assert infer.infer_stances(without_astral) == want[:-1]
    assert [r.stance for r in want[-5:-1]] == [
        "disagree",
        "strongly_agree",
        "strongly_agree",
        "strongly_agree",
    ]
    assert want[-4].reservations  # "in principle only"


def test_fast_constructors_build_the_same_frozen_instances():
    import dataclasses

    from helpers.stance import result as st

    args = ("agree", "We agree", 3, 11, 1, True, False, True, False, 0, 20)
    fast, slow = st._cue(*args), st.Cue(*args)
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    assert vars(fast) == vars(slow) and st._cue("yesno", "Yes", 0, 3, 1) == st.Cue(
        "yesno", "Yes", 0, 3, 1
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.start = 0
    rargs = ("agree", 1.0, False, 0.9, "We agree.", 0, 9, "cue", (slow,))
    fr, sr = st._stance_result(*rargs), st.StanceResult(*rargs)
    assert fr == sr and hash(fr) == hash(sr) and repr(fr) == repr(sr) and vars(fr) == vars(sr)
    assert dataclasses.astuple(fr) == dataclasses.astuple(sr) and fr.direction == 1


def test_pronoun_opens_clause_matches_its_regex():
    import random

    from helpers.stance import cues, vocabulary

    def by_regex(text, lo, q):
        prev = vocabulary._PREV_WORD_RE.search(text, max(lo, q - 30), q)
        return prev is None or prev.group(1).lower() in vocabulary._CLAUSE_OPENERS

    rng = random.Random(0)
    toks = ["we", "and", "So", "people", "(and", "so-", "’so", "a_b", "1so", "café", "-", "_", "i"]
    seps = [" ", "  ", "\n", "\u00a0", "", ".", ","]
    for _ in range(300):
        t = "".join(rng.choice(toks) + rng.choice(seps) for _ in range(rng.randint(1, 12)))
        for q in range(len(t) + 1):
            for lo in (0, rng.randrange(q + 1)):
                assert cues._pronoun_opens_clause(t, lo, q) == by_regex(t, lo, q), (t, lo, q)


def test_no_before_matches_its_regex_behind_the_word_tests():
    import random

    from helpers.stance import cues, vocabulary

    def by_word(text, before, p):  # the pre-test on the split-off last word, then the regex
        last, _, stripped = cues._word_before(text, before, p)
        if not last:
            return False
        if last == "the":
            if not stripped[:-3].rstrip().endswith("on"):
                return False
        elif not last.endswith(vocabulary._NO_LAST):
            return False
        return bool(vocabulary._NO_BEFORE_RE.search(text, before, p))

    rng = random.Random(1)
    toks = [
        "no",
        "on",
        "the",
        "bathe",
        "strong",
        "not",
        "don't",
        "do",
        "mixed",
        "xno",
        "-no",
        "view",
    ]
    seps = [" ", "  ", "\n", "\u00a0", "", ".", ","]
    for _ in range(300):
        t = "".join(rng.choice(toks) + rng.choice(seps) for _ in range(rng.randint(1, 10)))
        for p in range(len(t) + 1):
            for before in (0, rng.randrange(p + 1), max(0, p - 72)):
                assert cues._no_before(t, before, p) == by_word(t, before, p), (t, before, p)
                assert by_word(t, before, p) == bool(vocabulary._NO_BEFORE_RE.search(t, before, p))


def test_sentence_span_memo_on_lines_gives_the_direct_span():
    import random

    from helpers.stance import sentences as st

    def direct(text, pos, lo, hi):
        ls = max(lo, text.rfind("\n", lo, pos) + 1)
        le = text.find("\n", pos, hi)
        return st._sentence_in(text, pos, ls, hi if le == -1 else le)

    rng = random.Random(2)
    parts = [
        "We agree",
        " e.g.",
        " Mr. Smith",
        ". ",
        "! ",
        "?” ",
        "\n",
        "\n\n",
        "  ",
        "etc. x",
        "...",
    ]
    for _ in range(300):
        t = "".join(rng.choice(parts) for _ in range(rng.randint(1, 16)))
        for pos in range(len(t)):
            lo = rng.randrange(pos + 1)
            hi = rng.randrange(pos, len(t) + 1)
            assert st._sentence_at(t, pos, lo, hi) == direct(t, pos, lo, hi), (t, pos, lo, hi)


def test_clear_caches_empties_the_memos_and_changes_no_result():
    from helpers.stance import caches

    text = "We agree with the proposal. However, the timing is tight."
    first = infer_stance(text)
    assert caches._cue_cache  # the cue reading was memoised
    caches.clear_caches()
    assert not caches._cue_cache and not caches._answer_cache
    assert infer_stance(text) == first
    assert (first.stance, first.reservations) == ("agree", True)
