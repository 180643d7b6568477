"""Dictionary coding: pattern semantics, negation, evidence, overrides, uncoded, the default corpus."""

from __future__ import annotations

import csv
import logging
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.coding import coder as code_mod
from helpers.coding import runner
from helpers.coding.codebook import load_codebook, parse_codebook
from helpers.coding.coder import Coder, code_stream
from helpers.coding.overrides import OverrideError, apply_overrides
from helpers.coding.patterns import normalise_text
from helpers.coding.runner import PARALLEL_MIN_ANSWERS, code_answers, uncoded
from helpers.coding.sentencefinder import line_sentence_spans
from helpers.core import schemas
from helpers.core.consultation import load_consultation
from helpers.core.paths import project_root
from helpers.core.sentences import enclosing_sentence, sentence_spans

ROOT = project_root(Path(__file__).parent)
FOLDER = ROOT / "consultations" / "ofsted-ilacs-care-leavers-2022"
RAW = ROOT / "data" / "raw" / "ofsted-ilacs-care-leavers-2022"


@pytest.fixture(scope="module", params=["python", "compiled"], autouse=True)
def engine(request):
    """Every test here runs on both engines: they must give the same codes."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(code_mod, "DEFAULT_ENGINE", request.param)
        yield request.param


def _cb(*themes: dict):
    return parse_codebook({"id": "t", "themes": list(themes)})


def _theme(tid: str, patterns, **kw) -> dict:
    return {"id": tid, "label": tid, "patterns": list(patterns), **kw}


def _found(coder: Coder, text: str, qid: str = "q2") -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in coder.code_text(text, qid):
        out.setdefault(row["theme_id"], []).append(row)
    return out


def _matched(pattern: str, text: str) -> list[str]:
    """Matched words of one pattern in ``text`` (one code row per sentence)."""
    coder = Coder(_cb(_theme("x", [pattern])))
    return [r["matched_text"] for r in coder.code_text(text, "q2")]


# --- pattern semantics --------------------------------------------------------


def test_plain_words_match_by_stem_and_case():
    assert _matched("record", "Records matter.") == ["Records"]
    assert _matched("records", "A record was kept.") == ["record"]
    assert _matched("housing", "More HOUSING.") == ["HOUSING"]
    assert _matched("record", "Recordkeeping matters.") == []  # a different stem
    assert _matched("record", "Prerecorded.") == []  # not at a word start
    assert _matched("policy", "Many policies.") == ["policies"]  # stem 'polici' vs 'policy'
    assert _matched("hope", "We are hoping.") == ["hoping"]  # stem 'hope', word 'hoping'


def test_wildcards_match_prefixes_at_word_starts():
    assert _matched("care leav*", "Care leavers and care leaving.") == ["Care leavers"]
    assert _matched("care leav*", "Care leavers.\nAnd care leaving.") == [
        "Care leavers",
        "care leaving",
    ]
    assert _matched("care leav*", "careleavers and care, leavers") == []
    assert _matched("homeless*", "Homelessness rose.") == ["Homelessness"]
    assert _matched("homeless*", "the unhomeless") == []


def test_exact_forms_are_not_stemmed():
    assert _matched("=rights", "Their rights.") == ["rights"]
    assert _matched("=rights", "The right time.") == []
    assert _matched("rights", "The right time.") == ["right"]  # stemmed: same stem


def test_phrases_need_adjacent_words_on_one_line():
    assert _matched("staying put", "Schemes such as Staying  Put.") == ["Staying  Put"]
    assert _matched("staying put", "staying, put") == []
    assert _matched("staying put", "staying\nput") == []
    assert _matched("staying put", "staying longer put") == []
    # The anchor word can be anywhere in the phrase; earlier words are checked backwards.
    assert _matched("the views of", "Listen to the views of young people.") == ["the views of"]
    assert _matched("the views of", "Listen to views of young people.") == []


def test_hyphen_and_apostrophe_variants():
    assert _matched("care experienced", "Care-experienced adults.") == ["Care-experienced"]
    assert _matched("care experienced", "care\u2011experienced adults") == ["care\u2011experienced"]
    assert _matched("care-experienced", "care experienced adults") == ["care experienced"]
    assert _matched("children's services", "Children\u2019s services.") == [
        "Children\u2019s services"
    ]
    assert _matched("children's services", "Children's services.") == ["Children's services"]
    # A possessive apostrophe between phrase words is allowed.
    assert _matched("care leavers rights", "care leavers' rights") == ["care leavers' rights"]


def test_offsets_stay_valid_when_lowercasing_changes_length():
    text = "\u0130stanbul: care leavers need housing."  # 'İ'.lower() is two characters
    assert len(normalise_text(text)) == len(text)
    rows = Coder(_cb(_theme("h", ["housing"]))).code_text(text, "q2")
    assert [(text[r["match_start"] : r["match_end"]], r["quote"]) for r in rows] == [
        ("housing", text)
    ]


def test_exclusions_cancel_overlapping_matches_only():
    coder = Coder(_cb(_theme("housing", ["housing"], exclude=["housing benefit office"])))
    assert coder.code_text("Ask the housing benefit office.", "q2") == []
    rows = coder.code_text("Housing matters; ask the housing benefit office.", "q2")
    assert [(r["match_start"], r["matched_text"]) for r in rows] == [(0, "Housing")]


def test_cooccurrence_needs_all_terms_in_one_sentence():
    coder = Coder(
        _cb(_theme("records", ["subject access request*"], cooccur=[["record*", "access*"]]))
    )
    text = "They want access to their records. Records are kept. Access is hard."
    rows = coder.code_text(text, "q2")
    assert len(rows) == 1
    r = rows[0]
    assert r["quote"] == "They want access to their records."
    assert r["matched_text"] == "access to their records"
    assert r["pattern"] == "record* + access*"
    assert coder.code_text("Records are kept. Access is hard.", "q2") == []


def test_a_counted_cooccurrence_replaces_a_negated_pattern_match():
    coder = Coder(_cb(_theme("records", ["records"], cooccur=[["file*", "access*"]])))
    rows = coder.code_text("We do not think records matter but access to files does.", "q2")
    assert [(r["negated"], r["pattern"], r["matched_text"]) for r in rows] == [
        (False, "file* + access*", "access to files")
    ]
    rows = coder.code_text("We do not think records matter.", "q2")
    assert [(r["negated"], r["pattern"]) for r in rows] == [(True, "records")]


def test_one_row_per_theme_and_sentence_preferring_the_earliest_match():
    coder = Coder(_cb(_theme("h", ["housing", "accommodation"]), _theme("e", ["education"])))
    text = "Accommodation, housing and education. Housing again."
    got = [(r["theme_id"], r["matched_text"], r["quote"]) for r in coder.code_text(text, "q2")]
    assert got == [
        ("h", "Accommodation", "Accommodation, housing and education."),
        ("e", "education", "Accommodation, housing and education."),
        ("h", "Housing", "Housing again."),
    ]


def test_questions_limit_themes_except_for_unstructured_answers():
    coder = Coder(_cb(_theme("timing", ["delay*"], questions=["q3"])))
    assert coder.code_text("Any delay is bad.", "q2") == []
    assert len(coder.code_text("Any delay is bad.", "q3")) == 1
    assert len(coder.code_text("Any delay is bad.", "unstructured")) == 1


# --- negation -----------------------------------------------------------------

NEG_CB = _cb(
    _theme("housing", ["housing"]), _theme("health", ["health"]), _theme("records", ["records"])
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("We do not think housing is the issue.", {"housing": True}),
        ("Housing is crucial.", {"housing": False}),
        ("We don't believe housing matters.", {"housing": True}),
        ("We don\u2019t believe housing matters.", {"housing": True}),
        ("It is never about housing.", {"housing": True}),
        ("Neither housing nor health is the point.", {"housing": True, "health": True}),
        # Exceptions: "not only", "not limited to", unmet needs.
        ("Not only housing but also health.", {"housing": False, "health": False}),
        ("Including but not limited to housing.", {"housing": False}),
        ("Not to mention housing.", {"housing": False}),
        ("We would prefer not to see housing here.", {"housing": True}),
        ("Care leavers do not have access to their records.", {"records": False}),
        ("They are not able to find housing.", {"housing": False}),
        # The clause stops the look-back: but / however / comma / semicolon.
        ("We do not agree, but housing is crucial.", {"housing": False}),
        ("It is not perfect; housing is crucial.", {"housing": False}),
        ("This is not everything however housing is crucial.", {"housing": False}),
        # Outside the window of five words.
        ("We never said that the local authority ought to ignore housing.", {"housing": False}),
        # "no" negates only as "no need", "no reason" ...
        ("There is no housing for them.", {"housing": False}),
        ("There is no need for housing criteria.", {"housing": True}),
        # "no view(s) / opinion(s) on X" declines to discuss X; other "no"s still raise it.
        ("Our board holds no view on health checks at 18.", {"health": True}),
        ("We have no opinions about housing either way.", {"housing": True}),
        ("Members expressed no views regarding records.", {"records": True}),
        ("The views of young people on housing matter.", {"housing": False}),
        ("No, the opinion of care leavers on health counts.", {"health": False}),
        ("There is no housing with a view of the sea.", {"housing": False}),
    ],
)
def test_negation(text, expected):
    got = {r["theme_id"]: r["negated"] for r in Coder(NEG_CB).code_text(text, "q2")}
    assert got == expected


def test_a_counted_match_beats_a_negated_one_in_the_same_sentence():
    rows = Coder(NEG_CB).code_text("We do not mean housing benefit; housing is crucial.", "q2")
    assert [(r["negated"], r["match_start"]) for r in rows] == [(False, 32)]


# --- sentences ----------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "One sentence. Another one? Yes! Last.",
        "See para. 41 of the guidance. Then e.g. this one. Next.",
        "In 2010. We met Dr. Smith and J. Bloggs. Done.",
        'He said "stop." Then left. (Fine.) And [so]. ok.',
        "Wait... then go.  Two spaces. www.site.org.uk is here. 10.5 percent.",
        "ends with space.   ",
        "care-experienced. Care-leavers' rights. UK. NHS. Last",
        "See para. 41. Then more. (see para. 41). Next one.",
        "In 2010. we met. In 2010. We met. In 2010. (So) it goes.",
        'He said "stop". Then. Closing \u201dquote\u201d. Next.',
        "Really? yes. Wow! ok. Fine?? Yes. Done?) Next.",
        "x. y. Z. aa. Bb. etc. And more. Vol. 3 is here. I.e. that.",
    ],
)
def test_line_sentence_spans_equal_punkt(line):
    text = "x\n" + line + "\ny"
    ls, le = 2, 2 + len(line)
    assert line_sentence_spans(text, ls, le) == sentence_spans(text, ls, le)


def test_evidence_is_the_enclosing_sentence_as_punkt_splits_it():
    text = "Intro line\nSee para. 41 on housing. Health is next. And e.g. records here."
    coder = Coder(NEG_CB)
    for r in coder.code_text(text, "q2"):
        assert (r["start"], r["end"]) == enclosing_sentence(text, r["match_start"])
    assert [r["quote"] for r in coder.code_text(text, "q2")] == [
        "See para. 41 on housing.",
        "Health is next.",
        "And e.g. records here.",
    ]


def test_code_text_limits_and_offsets_with_lo_hi():
    text = "Housing first.\nQ2 answer: health and housing matter. Tail housing."
    lo = text.index("health")
    hi = text.index(" Tail")
    rows = Coder(NEG_CB).code_text(text, "q2", lo, hi)
    assert [(r["theme_id"], r["quote"]) for r in rows] == [
        ("health", "health and housing matter."),
        ("housing", "health and housing matter."),
    ]
    for r in rows:
        assert text[r["start"] : r["end"]] == r["quote"]
        assert text[r["match_start"] : r["match_end"]] == r["matched_text"]
        assert lo <= r["start"] and r["end"] <= hi


def test_code_stream_is_lazy_and_labels_rows():
    def rows():
        yield "r1", "q2", "Housing matters."
        yield "r2", "q2", "Health too."
        raise AssertionError("the stream read ahead")

    stream = code_stream(rows(), NEG_CB, batch_chars=1)
    first = next(stream)
    assert (first["respondent_id"], first["theme_id"], first["quote"]) == (
        "r1",
        "housing",
        "Housing matters.",
    )
    second = next(stream)
    assert (second["respondent_id"], second["theme_id"]) == ("r2", "health")


def test_code_stream_reads_at_most_a_batch_ahead():
    read = []

    def rows():
        for k in range(1000):
            read.append(k)
            yield f"r{k}", "q2", "Housing matters. " * 10  # 170 characters

    stream = code_stream(rows(), NEG_CB, batch_chars=1700)
    first = next(stream)
    assert first["respondent_id"] == "r0"
    # The python engine reads row by row; the compiled one a batch (10 rows) at a time.
    assert len(read) == (1 if code_mod.DEFAULT_ENGINE == "python" else 10)
    assert sum(1 for _ in stream) == 10 * 1000 - 1  # ten sentences, one row each


# --- the default corpus, answers found by hand in the raw files ----------------

SPANS = {
    ("acrcg", "capacity"): (
        "The Access to Care Records Campaign Group",
        "information needs of care leavers.",
    ),
    ("acrcg", "q1"): ("This change is crucial", "something of a postal lottery."),
    ("acrcg", "q2"): ("This is an important question", "improved and developed over time."),
    ("acrcg", "q3"): ("It is crucial to implement", "when accessing their care files."),
    ("become", "preamble"): ("**About Become**", "the best it can be."),
    ("become", "q1"): ("We agree with Ofsted's proposal", "in relation to care leavers."),
    ("become", "q2"): (
        "There are a number of important factors",
        "Leaving Care Teams and Personal Advisers.",
    ),
    ("become", "q3"): ("In principle, we agree", "relevant reforms have been implemented."),
    ("become", "q4"): ("The criteria for the new judgement should align", "with the Rees Centre."),
    ("become", "q5"): ("In addition to the focus on protected", "least deprived 10% of areas."),
}


@pytest.fixture(scope="module")
def corpus(engine):
    texts = {rid: (RAW / f"{rid}.txt").read_text(encoding="utf-8") for rid in ("acrcg", "become")}
    rows = []
    for (rid, qid), (first, last) in SPANS.items():
        t = texts[rid]
        start = t.index(first)
        end = t.index(last, start) + len(last)
        rows.append(
            {
                "respondent_id": rid,
                "question_id": qid,
                "start": start,
                "end": end,
                "answer_text": t[start:end],
            }
        )
    answers = pd.DataFrame(rows)
    respondents = pd.DataFrame({"respondent_id": list(texts), "text": list(texts.values())})
    consultation = load_consultation(FOLDER / "consultation.yaml")
    codebook = load_codebook(FOLDER / "codebook.yaml", consultation)
    codes = code_answers(answers, respondents, codebook)
    return texts, answers, respondents, codebook, codes


def _themes(codes: pd.DataFrame, rid: str, qid: str) -> set[str]:
    sel = codes[(codes.respondent_id == rid) & (codes.question_id == qid) & ~codes.negated]
    return set(sel.theme_id)


def test_default_corpus_codes_conform_and_quote_exactly(corpus):
    texts, answers, _, _, codes = corpus
    schemas.validate(codes, schemas.CODES)
    assert len(codes) > 40
    spans = {(a.respondent_id, a.question_id): (a.start, a.end) for a in answers.itertuples()}
    for r in codes.itertuples():
        text = texts[r.respondent_id]
        assert text[r.start : r.end] == r.quote
        assert text[r.match_start : r.match_end] == r.matched_text
        assert r.start <= r.match_start < r.match_end <= r.end
        a_lo, a_hi = spans[(r.respondent_id, r.question_id)]
        assert a_lo <= r.start and r.end <= a_hi
        assert (r.start, r.end) == enclosing_sentence(text, r.match_start, a_lo, a_hi)
        assert "\n" not in r.quote
    assert set(codes.method) == {"dictionary"} and set(codes.source) == {"auto"}
    # By reading: the only negators are "but not limited to", "if not, why not" and
    # "neither of these groups" (six words before "protected"): nothing is negated.
    assert not codes.negated.any()
    # Preamble and the profile question are never coded (ACRCG's capacity answer
    # is all about care records, Become's preamble about care leavers).
    assert not set(codes.question_id) & {"capacity", "preamble"}


def test_become_q2_themes(corpus):
    got = _themes(corpus[4], "become", "q2")
    must = {
        "support",  # "broad range of support", "across a range of areas of life"
        "education",  # "education and learning"
        "employment_training",  # "training and employment"
        "housing",  # "housing", "Staying Put", "affordable accommodation"
        "health",  # "housing, health, emotional and financial support"
        "emotional_wellbeing",
        "financial",
        "rights_local_offer",  # "their rights and entitlements", "local offer"
        "pathway_plans_pas",  # "personal advisers", "pathway plans", "Leaving Care Teams"
        "stability_relationships",  # "stability in their home ... relationships"
        "voice",  # "The views, opinions and experiences of young care leavers"
        "leadership_corporate_parenting",  # "Strategic leadership", "corporate parenting"
        "workforce",  # "Workforce – ... training, development, retention"
    }
    must_not = {
        "records_access",
        "lifelong_support",
        "national_reforms",
        "timing",
        "equality",
        "asylum_refugee",
        "socioeconomic",
        "data_monitoring",  # "take-up of schemes" is not about data
    }
    assert must <= got, must - got
    assert not got & must_not, got & must_not


def test_become_q5_themes(corpus):
    got = _themes(corpus[4], "become", "q5")
    assert got == {"equality", "asylum_refugee", "socioeconomic"}


def test_acrcg_q1_and_q3_themes(corpus):
    codes = corpus[4]
    # Q1: subject access requests, a lifelong perspective, statistical information.
    assert _themes(codes, "acrcg", "q1") == {
        "records_access",
        "lifelong_support",
        "data_monitoring",
    }
    q3 = _themes(codes, "acrcg", "q3")
    assert {"timing", "records_access", "lifelong_support", "national_reforms"} <= q3
    assert not q3 & {"housing", "equality", "voice", "workforce"}
    evidence = codes[
        (codes.respondent_id == "acrcg")
        & (codes.question_id == "q3")
        & (codes.theme_id == "timing")
    ]
    assert list(evidence.matched_text) == ["as soon as possible"]


def test_become_q3_timing_and_reforms(corpus):
    codes = corpus[4]
    got = _themes(codes, "become", "q3")
    assert {"timing", "national_reforms"} <= got
    timing = codes[
        (codes.respondent_id == "become")
        & (codes.question_id == "q3")
        & (codes.theme_id == "timing")
    ]
    # "later" (everyday timing wording): "... the Government's formal response ...,
    # which is expected later this year", in the answer about the start date.
    # ("too late" left the codebook in session 8: on the spent sets it raised timing
    # only where it was wrong, "years too late for people like me".)
    assert set(timing.matched_text) == {"timescale", "later"}


def test_default_corpus_through_ingest(tmp_path):
    from helpers.ingest import stage as ingest

    consultation_path = FOLDER / "consultation.yaml"
    result = ingest.run_ingest(RAW, consultation_path, tmp_path)
    codebook = load_codebook(FOLDER / "codebook.yaml", load_consultation(consultation_path))
    codes = code_answers(result.answers, result.respondents, codebook)
    texts = dict(zip(result.respondents.respondent_id, result.respondents.text, strict=True))
    for r in codes.itertuples():
        assert texts[r.respondent_id][r.start : r.end] == r.quote
    assert _themes(codes, "become", "q5") == {"equality", "asylum_refugee", "socioeconomic"}
    assert _themes(codes, "acrcg", "q1") == {
        "records_access",
        "lifelong_support",
        "data_monitoring",
    }
    assert {"housing", "voice", "workforce", "pathway_plans_pas"} <= _themes(codes, "become", "q2")
    assert not set(codes.question_id) & {"capacity", "preamble", "closing"}


# --- workers (process pool) -----------------------------------------------------


def _generated_frames(min_answers: int):
    """ANSWERS/RESPONDENTS frames from the benchmark generator: each respondent's answers
    joined into one text (blank line between), at least ``min_answers`` answers."""
    from benchmarks.generate import iter_answers

    consultation = load_consultation(FOLDER / "consultation.yaml")
    codebook = load_codebook(FOLDER / "codebook.yaml", consultation)
    texts: dict[str, str] = {}
    rows = []
    for rid, qid, answer in iter_answers(consultation, FOLDER / "codebook.yaml", 7, 10**9):
        if len(rows) >= min_answers and rid not in texts:
            break  # whole respondents only
        prev = texts.get(rid)
        start = 0 if prev is None else len(prev) + 2
        texts[rid] = answer if prev is None else prev + "\n\n" + answer
        rows.append(
            {
                "respondent_id": rid,
                "question_id": qid,
                "start": start,
                "end": start + len(answer),
                "answer_text": answer,
            }
        )
    answers = pd.DataFrame(rows)
    respondents = pd.DataFrame({"respondent_id": list(texts), "text": list(texts.values())})
    return answers, respondents, codebook, consultation


def test_workers_give_exactly_the_in_process_codes():
    answers, respondents, codebook, consultation = _generated_frames(PARALLEL_MIN_ANSWERS + 500)
    assert answers["respondent_id"].nunique() > 100
    one = code_answers(answers, respondents, codebook, consultation, workers=1)
    two = code_answers(answers, respondents, codebook, consultation, workers=2)
    assert len(one) > 1000
    pd.testing.assert_frame_equal(one, two)
    # Answers of one respondent need not be next to each other: order is still kept.
    shuffled = answers.sample(frac=1, random_state=3).reset_index(drop=True)
    pd.testing.assert_frame_equal(
        code_answers(shuffled, respondents, codebook, consultation, workers=1),
        code_answers(shuffled, respondents, codebook, consultation, workers=3),
    )


def test_a_large_run_shows_progress_and_codes_exactly_as_in_one_go(monkeypatch, capsys):
    """Above PROGRESS_MIN_CHARS the answers are coded in slices, a bar step each; the
    frame is the one coded in one go, in process and with workers."""
    answers, respondents, codebook, consultation = _generated_frames(PARALLEL_MIN_ANSWERS + 500)
    whole = code_answers(answers, respondents, codebook, consultation)
    monkeypatch.setattr(runner, "PROGRESS_MIN_CHARS", 10_000)
    monkeypatch.setattr(runner, "PROGRESS_SLICE_CHARS", 50_000)
    monkeypatch.setattr(runner, "tqdm", _recording_tqdm(bars := []))
    sliced = code_answers(answers, respondents, codebook, consultation)
    pd.testing.assert_frame_equal(sliced, whole)
    assert bars[-1]["desc"] == "Coding answers" and bars[-1]["steps"] > 10
    # The codable answers' characters (profile questions are not coded).
    assert 0.9 * (answers["end"] - answers["start"]).sum() < bars[-1]["total"]
    assert bars[-1]["done"] == bars[-1]["total"] and bars[-1]["shown"]
    parallel = code_answers(answers, respondents, codebook, consultation, workers=2)
    pd.testing.assert_frame_equal(parallel, whole)
    assert bars[-1]["unit"] == "chunk" and bars[-1]["done"] == bars[-1]["total"] > 1


def _recording_tqdm(bars: list[dict]):
    """A stand-in for tqdm that records each bar's description, total and updates."""

    class Bar:
        def __init__(self, iterable=None, total=None, desc=None, unit="it", **kw):
            self.info = {"desc": desc, "total": total, "unit": unit, "done": 0, "steps": 0}
            self.info["shown"] = kw.get("disable") is not True
            bars.append(self.info)

        def update(self, n=1):
            self.info["done"] += n
            self.info["steps"] += 1

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    return Bar


def test_workers_zero_means_all_cores_and_few_answers_stay_in_process(corpus):
    _, answers, respondents, codebook, codes = corpus
    for workers in (0, 2):
        pd.testing.assert_frame_equal(
            code_answers(answers, respondents, codebook, workers=workers), codes
        )


@pytest.mark.parametrize("workers", [-1, 1.5, "2", None, True])
def test_invalid_workers_raise(corpus, workers):
    _, answers, respondents, codebook, _ = corpus
    with pytest.raises(ValueError, match="workers must be a whole number"):
        code_answers(answers, respondents, codebook, workers=workers)


def test_a_missing_respondent_is_reported_with_workers():
    answers, respondents, codebook, consultation = _generated_frames(PARALLEL_MIN_ANSWERS)
    with pytest.raises(ValueError, match="not in respondents"):
        code_answers(answers, respondents.iloc[1:], codebook, consultation, workers=2)


# --- uncoded --------------------------------------------------------------------


def _tiny():
    text = "Housing matters.\nNothing to add.\nWe do not think housing is the issue.\nCapacity: charity"
    parts = [
        "Housing matters.",
        "Nothing to add.",
        "We do not think housing is the issue.",
        "charity",
    ]
    qids = ["q2", "q4", "q5", "capacity"]
    rows = []
    for qid, part in zip(qids, parts, strict=True):
        s = text.index(part)
        rows.append(
            {
                "respondent_id": "r1",
                "question_id": qid,
                "start": s,
                "end": s + len(part),
                "answer_text": part,
            }
        )
    answers = pd.DataFrame(rows)
    respondents = pd.DataFrame({"respondent_id": ["r1"], "text": [text]})
    return text, answers, respondents


def test_uncoded_lists_answers_without_a_counted_code():
    _, answers, respondents = _tiny()
    consultation = load_consultation(FOLDER / "consultation.yaml")
    cb = _cb(_theme("housing", ["housing"]))
    codes = code_answers(answers, respondents, cb, consultation)
    assert list(zip(codes.question_id, codes.negated, strict=True)) == [("q2", False), ("q5", True)]
    out = uncoded(answers, codes, cb, consultation)
    schemas.validate(out, schemas.UNCODED)
    # q4 has no code, q5 only a negated one; the profile answer is not codable.
    assert list(out.question_id) == ["q4", "q5"]
    assert list(out.n_chars) == [
        len("Nothing to add."),
        len("We do not think housing is the issue."),
    ]


def test_uncoded_respects_theme_questions():
    _, answers, respondents = _tiny()
    cb = _cb(_theme("housing", ["housing"], questions=["q2"]))
    codes = code_answers(answers, respondents, cb)
    # Only q2 is codable with this codebook, and it is coded.
    assert uncoded(answers, codes, cb).empty


# --- overrides -------------------------------------------------------------------

HEADER = ["respondent_id", "question_id", "theme_id", "action", "quote", "coder", "note"]


def _overrides(tmp_path: Path, rows: list[list[str]]) -> Path:
    path = tmp_path / "overrides.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


@pytest.fixture()
def tiny_coded():
    text, answers, respondents = _tiny()
    cb = _cb(_theme("housing", ["housing"]), _theme("other", ["nothing at all"]))
    codes = code_answers(answers, respondents, cb)
    return text, answers, respondents, cb, codes


def test_overrides_add_and_remove(tmp_path, tiny_coded, caplog):
    text, answers, respondents, cb, codes = tiny_coded
    path = _overrides(
        tmp_path,
        [
            ["r1", "q2", "housing", "remove", "", "AB", "generic mention"],
            ["r1", "q4", "other", "add", "nothing to  ADD", "AB", ""],
            ["r1", "q5", "other", "add", "words not in the answer", "AB", ""],
        ],
    )
    with caplog.at_level(logging.INFO, logger="helpers.coding.overrides"):
        out = apply_overrides(codes, path, answers, respondents, cb)
    schemas.validate(out, schemas.CODES)
    assert "line 2: removed 1 automatic housing code(s)" in caplog.text
    assert "line 4: quote 'words not in the answer' not found" in caplog.text
    assert not ((out.question_id == "q2") & (out.theme_id == "housing")).any()
    manual = out[out.source == "manual_add"].reset_index(drop=True)
    assert list(manual.method) == ["manual", "manual"]
    # Anchored to the quote, found ignoring case and spacing:
    assert manual.loc[0, "quote"] == "Nothing to add"
    assert text[manual.loc[0, "start"] : manual.loc[0, "end"]] == "Nothing to add"
    # Not found: the whole answer.
    assert manual.loc[1, "quote"] == "We do not think housing is the issue."
    # The negated automatic row for q5 is untouched.
    assert ((out.question_id == "q5") & (out.source == "auto") & out.negated).sum() == 1


@pytest.mark.parametrize(
    "row, message",
    [
        (["r9", "q2", "housing", "add", "", "", ""], r"line 2: unknown respondent_id 'r9'"),
        (
            ["r1", "q3", "housing", "add", "", "", ""],
            r"line 2: respondent 'r1' has no answer to question 'q3'",
        ),
        (["r1", "q2", "hosing", "add", "", "", ""], r"line 2: unknown theme_id 'hosing'"),
        (
            ["r1", "q2", "housing", "delete", "", "", ""],
            r"line 2: action must be 'add' or 'remove'",
        ),
    ],
)
def test_override_errors_name_the_line(tmp_path, tiny_coded, row, message):
    _, answers, respondents, cb, codes = tiny_coded
    path = _overrides(tmp_path, [row])
    with pytest.raises(OverrideError, match=re.escape(str(path)) + ", " + message):
        apply_overrides(codes, path, answers, respondents, cb)


def test_absent_or_header_only_overrides_change_nothing(tmp_path, tiny_coded):
    _, answers, respondents, cb, codes = tiny_coded
    assert apply_overrides(codes, tmp_path / "none.csv", answers, respondents, cb) is codes
    assert apply_overrides(codes, None, answers, respondents, cb) is codes
    out = apply_overrides(codes, _overrides(tmp_path, []), answers, respondents, cb)
    pd.testing.assert_frame_equal(out, codes)
    # The shipped overrides file is header-only.
    shipped = FOLDER / "overrides.csv"
    assert shipped.read_text(encoding="utf-8").strip() == ",".join(HEADER)


# --- the coding stage -------------------------------------------------------------


def test_run_coding_writes_all_tables(tmp_path):
    from helpers.coding.stage import run_coding
    from helpers.ingest.stage import run_ingest

    consultation_path = FOLDER / "consultation.yaml"
    run_ingest(RAW, consultation_path, tmp_path)
    overrides = _overrides(
        tmp_path, [["become", "q1", "voice", "add", "clearer statement", "AB", ""]]
    )
    result = run_coding(tmp_path, consultation_path, FOLDER / "codebook.yaml", overrides)
    for name in ("codes", "stances", "uncoded", "suggestions"):
        assert (tmp_path / f"{name}.parquet").exists()
    codes = pd.read_parquet(tmp_path / "codes.parquet")
    schemas.validate(codes, schemas.CODES)
    added = codes[codes.source == "manual_add"]
    assert list(added.quote) == ["clearer statement"]
    assert len(result.codes) == len(codes)


@pytest.mark.parametrize(
    ("text", "voice"),
    [
        # "a say" in its everyday sense (session 11): none of these is a dev-set sentence
        ("Care leavers should have had a say in the new framework.", True),
        ("My sister never got a real say over which college she went to.", True),
        ("Give young people a proper say in their move-on plans.", True),
        ("Unless they get a genuine say, nothing changes.", True),
        # negatives: "say" as a verb or "a saying" is not a say in decisions
        ("As a saying goes, home is where the heart is.", False),
        ("I would say the flat was fine.", False),
        ("That is a sayonara to Friday inspections.", False),
    ],
)
def test_default_codebook_voice_a_say(text, voice):
    cons = load_consultation(FOLDER / "consultation.yaml")
    coder = Coder(load_codebook(FOLDER / "codebook.yaml", consultation=cons))
    got = {r["theme_id"] for r in coder.code_text(text, "q2") if not r["negated"]}
    assert ("voice" in got) is voice
