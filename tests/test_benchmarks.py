"""Checks of the benchmark generator and engines (no timing: speed lives in benchmarks/)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

from benchmarks import run
from benchmarks.baselines import (
    NltkBaseline,
    ScanBaseline,
    SpacyBaseline,
    corpus_vocabulary,
    expand_patterns,
    parse_pattern,
)
from benchmarks.generate import (
    HEADING_STYLES,
    codebook_vocabulary,
    iter_answers,
    make_respondent,
    render_document,
    write_corpus,
)
from helpers.core.consultation import load_consultation

CONSULTATION = {
    "id": "test-consultation",
    "title": "A test consultation about libraries",
    "questions": [
        {"id": "capacity", "kind": "profile", "text": "In what capacity are you responding?"},
        {
            "id": "q1",
            "number": 1,
            "kind": "closed",
            "text": "Do you agree with the proposal to open libraries on Sundays?",
        },
        {"id": "q2", "number": 2, "kind": "open", "text": "What should we consider?"},
        {"id": "q4", "number": 4, "kind": "open", "text": "Any other comments?"},
    ],
}
CODEBOOK = {
    "id": "test-codebook",
    "title": "Test codebook",
    "version": 1,
    "themes": [
        {
            "id": "housing",
            "label": "Housing",
            "description": "Housing, accommodation and homelessness.",
            "patterns": ["housing", "accommodation", "staying put", "homeless*", "=neet"],
            "exclude": ["housing benefit office"],
        },
        {
            "id": "records",
            "label": "Records",
            "description": "Access to care records.",
            "patterns": ["care record", "subject access request*"],
        },
        {
            "id": "mental_health",
            "label": "Mental health",
            "description": "Mental health and wellbeing.",
            "questions": ["q2", "q4"],
            "patterns": ["mental health", "well-being"],
        },
    ],
}


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    cpath = tmp_path / "consultation.yaml"
    bpath = tmp_path / "codebook.yaml"
    cpath.write_text(yaml.safe_dump(CONSULTATION), encoding="utf-8")
    bpath.write_text(yaml.safe_dump(CODEBOOK), encoding="utf-8")
    return cpath, bpath


# -- generator ---------------------------------------------------------------


def test_generator_is_deterministic_and_prefix_stable(files):
    cpath, bpath = files
    a = list(iter_answers(cpath, bpath, seed=7, target_bytes=20_000))
    b = list(iter_answers(cpath, bpath, seed=7, target_bytes=20_000))
    c = list(iter_answers(cpath, bpath, seed=8, target_bytes=20_000))
    longer = list(iter_answers(cpath, bpath, seed=7, target_bytes=60_000))
    assert a == b
    assert a != c
    # Respondent k does not depend on the requested size.
    assert longer[: len(a)] == a


def test_generator_stops_just_after_target(files):
    cpath, bpath = files
    rows = list(iter_answers(cpath, bpath, seed=1, target_bytes=50_000))
    total = sum(len(t.encode("utf-8")) for _, _, t in rows)
    assert total >= 50_000
    # It stops after the respondent that crossed the target.
    last = rows[-1][0]
    before_last = sum(len(t.encode("utf-8")) for rid, _, t in rows if rid != last)
    assert before_last < 50_000


def test_generator_uses_the_consultation_questions_and_codebook_terms(files):
    cpath, bpath = files
    rows = list(iter_answers(cpath, bpath, seed=3, target_bytes=300_000))
    assert {q for _, q, _ in rows} == {"capacity", "q1", "q2", "q4"}
    assert all(re.fullmatch(r"r\d{7}", rid) for rid, _, _ in rows)
    text = "\n".join(t for _, _, t in rows).lower()
    for term in ("housing", "accommodation", "staying put", "homelessness", "care record"):
        assert term in text
    assert re.search(r"\bneet\b", text) and "=" not in text
    # mental_health only applies to q2 and q4, so its terms never appear elsewhere.
    for _, qid, t in rows:
        if qid not in ("q2", "q4"):
            assert "mental health" not in t.lower() and "well-being" not in t.lower()
    assert any("mental health" in t.lower() for _, q, t in rows if q in ("q2", "q4"))
    # Negated mentions and the exclusion phrase are mixed in.
    assert re.search(r"we do not think [a-z ]+ is the main issue", text)
    assert "housing benefit office" in text


def test_generator_varies_stance_and_length(files):
    cpath, bpath = files
    rows = list(iter_answers(cpath, bpath, seed=5, target_bytes=400_000))
    closed = [t for _, q, t in rows if q == "q1"]
    joined = "\n".join(closed)
    assert "strongly agree" in joined.lower()  # intensified
    assert "In principle, we agree" in joined or "We broadly agree" in joined  # hedged
    assert "We do not agree" in joined or "We cannot support" in joined  # negated
    stance_words = re.compile(r"agree|disagree|support|oppose|convinced", re.I)
    assert any(not stance_words.search(t.split("\n")[0]) for t in closed)  # no stance
    lengths = sorted(len(t) for _, _, t in rows)
    assert lengths[0] < 200  # a single sentence
    assert lengths[-1] > 5_000  # many paragraphs
    assert any("\n\n" in t for _, _, t in rows)  # paragraphs
    lines = [line for _, _, t in rows for line in t.split("\n")]
    assert any(line.startswith(("- ", "• ", "* ")) for line in lines)  # bullets
    assert any("**" in line for line in lines)  # bold markdown


def test_codebook_vocabulary_reads_yaml_and_objects(files):
    _, bpath = files
    v = codebook_vocabulary(bpath)
    assert v.terms["records"] == ("care record", "subject access request*")
    # Wildcards are completed from the codebook's own prose.
    assert v.completions == {"homeless": ("homelessness",), "request": ()}
    assert v.excludes == ("housing benefit office",)
    assert v.themes_for("q1") == ["housing", "records"]
    assert v.themes_for("q2") == ["housing", "records", "mental_health"]
    assert v.themes_for("unstructured") == ["housing", "records", "mental_health"]
    from helpers.coding.codebook import load_codebook

    assert codebook_vocabulary(load_codebook(bpath)).terms == v.terms
    with pytest.raises(ValueError, match="no theme has any 'patterns'"):
        codebook_vocabulary({"themes": [{"id": "x", "patterns": []}]})


def test_documents_follow_their_heading_style(files):
    cpath, bpath = files
    consultation = load_consultation(cpath)
    vocab = codebook_vocabulary(bpath)
    seen = set()
    for k in range(60):
        r = make_respondent(consultation, vocab, seed=2, k=k)
        doc = render_document(consultation, r)
        seen.add(r.style)
        for _, text in r.answers:
            assert text in doc  # answers are written verbatim
        numbered = [qid for qid, _ in r.answers if qid != "capacity"]
        if r.style == "q_paren" and "q2" in numbered:
            assert "\nQ2) What should we consider?\n" in doc
        if r.style == "question_colon" and "q4" in numbered:
            assert "\nQuestion 4: Any other comments\n" in doc
        if r.style == "bold" and "q1" in numbered:
            assert "**Q1) Do you agree with the proposal to open libraries on Sundays?**" in doc
        if r.style == "letter":
            assert doc.count("\nDear Sir or Madam,\n") == 1
            assert "What should we consider?" not in doc
    assert seen == set(HEADING_STYLES)


def test_write_corpus_and_cli(files, tmp_path):
    cpath, bpath = files
    paths = write_corpus(tmp_path / "a", 12, seed=4, consultation=cpath, codebook=bpath)
    assert [p.name for p in paths] == [f"r{k:07d}.txt" for k in range(12)]
    with open(tmp_path / "a" / "manifest.csv", encoding="utf-8") as fh:
        manifest = list(csv.DictReader(fh))
    assert [m["file"] for m in manifest] == [p.name for p in paths]
    assert {m["respondent_type"] for m in manifest} <= {
        "individual", "charity_voluntary", "local_authority", "professional_body",
        "campaign_group", "other",
    }  # fmt: skip
    from benchmarks.generate import main

    main(["--out", str(tmp_path / "b"), "--respondents", "12", "--seed", "4",
          "--consultation", str(cpath), "--codebook", str(bpath)])  # fmt: skip
    for p in paths:
        assert (tmp_path / "b" / p.name).read_bytes() == p.read_bytes()


# -- engines -----------------------------------------------------------------

# Hand-made answers and the themes a reader would code (negation aside).
TINY = [
    (("r1", "q2", "We need better housing for young people."), {"housing"}),
    (("r2", "q2", "Many are Homeless after leaving care."), {"housing"}),
    (("r3", "q4", "Staying put arrangements help."), {"housing"}),
    (("r4", "q2", "The accommodations were poor."), {"housing"}),  # stem of 'accommodation'
    (("r5", "q2", "Access to care records matters, as do subject access requests."), {"records"}),
    (("r6", "q1", "Mental health support matters."), set()),  # theme not asked in q1
    (("r7", "q4", "Their well-being and mental health suffer."), {"mental_health"}),
    (("r8", "q2", "The weather was fine and the library opened."), set()),
    (("r9", "q2", "Homes, records and health were not discussed."), set()),  # no full phrase
    (("r10", "q2", "Young people who are NEET."), {"housing"}),  # exact form
    (("r11", "q2", "Young people who are neets."), set()),  # not the exact form
]


def test_parse_pattern_and_expansion():
    assert parse_pattern("Subject access Request*") == (
        ("subject", "stem"), ("access", "stem"), ("request", "prefix"),
    )  # fmt: skip
    assert parse_pattern("well-being") == (("well", "stem"), ("being", "stem"))
    assert parse_pattern("=NEET") == (("neet", "exact"),)
    vocab = {"homeless", "homelessness", "home", "care", "records", "record", "recorded", "neets"}
    phrases, dropped = expand_patterns(["homeless*", "care record", "xyz*", "=neet"], vocab)
    assert dropped == ["xyz*"]
    assert set(phrases) == {
        "homeless", "homelessness",
        "care record", "care records", "care recorded",
        "care-record", "care-records", "care-recorded",
        "neet",
    }  # fmt: skip


@pytest.mark.parametrize("engine", ["nltk", "spacy"])
def test_baselines_find_the_obvious_matches(files, engine):
    _, bpath = files
    vocab = codebook_vocabulary(bpath)
    rows = [r for r, _ in TINY]
    if engine == "nltk":
        baseline = NltkBaseline(vocab)
    else:
        baseline = SpacyBaseline(vocab, corpus_vocabulary(t for _, _, t in rows))
    found = list(baseline.code_rows(rows))
    assert found == [expected for _, expected in TINY]


def test_project_coder_and_engine_wrappers_agree(files):
    cpath, bpath = files
    consultation = load_consultation(cpath)
    vocab = codebook_vocabulary(bpath)
    rows = [r for r, _ in TINY]
    expected = {(rid, qid, t) for (rid, qid, _), themes in TINY for t in themes}
    for name in ("project", "project_themes", "nltk", "spacy"):
        engine = run.build_engine(name, consultation, vocab, bpath, rows)
        assert engine.themes(rows) == expected, name
        assert engine.run(rows) == len(expected), name  # one code per answer and theme here
    scan = ScanBaseline()
    assert list(scan.code_rows(rows[:1])) == [frozenset()]
    assert scan.words == 7  # "We need better housing for young people"


def test_run_cli_writes_csv(files, tmp_path):
    cpath, bpath = files
    out = tmp_path / "out"
    run.main(["--mb", "0.05", "--sizes", "", "--engines", "nltk,scan", "--no-pin", "--ingest", "0",
              "--consultation", str(cpath), "--codebook", str(bpath), "--out", str(out)])  # fmt: skip
    with open(out / "throughput.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["engine"] for r in rows] == ["nltk", "scan"]
    assert all(float(r["mb"]) >= 0.05 and int(r["answers"]) > 0 for r in rows)
    assert rows[0]["answers"] == rows[1]["answers"]  # the same text for both


def test_memory_child_streams_and_reports(files):
    cpath, bpath = files
    result = run.child_memory("scan", 0.1, seed=1, consultation_path=cpath, codebook_path=bpath)
    assert result["chars"] >= 100_000
    assert result["peak_rss_mb"] >= result["rss_after_setup_mb"] > 0


def test_ingest_benchmark_recovers_the_generated_answers(tmp_path):
    # The default consultation: the generator's headings must be ones ingest recognises.
    from benchmarks.generate import default_paths

    cpath, bpath = default_paths()
    result = run.ingest_benchmark(
        8, seed=1, consultation_path=cpath, codebook_path=bpath, workdir=tmp_path
    )
    assert result["files"] == 8
    assert result["answers_expected"] > 0
    # Segmentation finds (almost) every answer of documents with headings.
    assert result["answers_recovered"] >= 0.9 * result["answers_expected"]


def test_profile_engine_reports_the_engine_functions(files):
    cpath, bpath = files
    text = run.profile_engine(
        "nltk", load_consultation(cpath), codebook_vocabulary(bpath), bpath, mb=0.02, seed=1
    )
    assert "function calls" in text
    assert "code_text" in text  # NltkBaseline.code_text is where its time goes


def test_generator_streams_in_constant_memory(files):
    import tracemalloc

    cpath, bpath = files
    consultation, vocab = load_consultation(cpath), codebook_vocabulary(bpath)
    tracemalloc.start()
    rows = iter_answers(consultation, vocab, 1, 3_000_000)
    total = sum(len(t.encode("utf-8")) for _, _, t in rows)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert total >= 3_000_000
    assert peak < 500_000  # far less than the 3 MB of text that went through


def test_throughput_table_ratios():
    tallies = [
        run.Tally("project", "", 0.0, bytes=10_000_000, answers=1000, seconds=2.0),
        run.Tally("nltk", "", 0.0, bytes=1_000_000, answers=100, seconds=1.0, partial=True),
        run.Tally("scan", "", 0.0, bytes=10_000_000, answers=1000, seconds=0.25),
    ]
    lines = run.throughput_table(tallies).splitlines()
    project, nltk, scan = (line.split() for line in lines[2:])
    # engine, MB, answers, s, MB/s, answers/s, project x ...
    assert project[:6] == ["project", "10.0", "1000", "2.00", "5.00", "500"]
    assert nltk[4:7] == ["1.00", "100", "5.00"]  # project is 5x faster than 1 MB/s
    assert "partial" in lines[3]
    assert scan[4:7] == ["40.00", "4000", "0.12"]  # 5 / 40 = 0.125


# -- the realistic corpus and the pipeline benchmark (issue 15) ----------------------


def test_zipf_corpus_has_a_large_vocabulary_few_repeats_and_campaign_copies(files):
    import collections

    from benchmarks.generate import N_CAMPAIGNS, make_respondent, with_zipf
    from benchmarks.zipf import FUNCTION_WORDS

    cpath, bpath = files
    consultation = load_consultation(cpath)
    vocab = with_zipf(codebook_vocabulary(bpath), 1, n_words=5_000, campaign_share=0.25)
    assert len(vocab.lexicon.words) == 5_000 == len(set(vocab.lexicon.words))
    again = with_zipf(codebook_vocabulary(bpath), 1, n_words=5_000, campaign_share=0.25)
    assert again.lexicon == vocab.lexicon  # deterministic from the seed
    people = [make_respondent(consultation, vocab, 1, k) for k in range(400)]
    assert people[7] == make_respondent(consultation, again, 1, 7)
    texts = [t for p in people for _, t in p.answers]
    words = collections.Counter(w for t in texts for w in re.findall(r"[a-z]+", t.lower()))
    assert len(words) > 2_000  # the template corpus has a few hundred
    top = [w for w, _ in words.most_common(5)]
    assert set(top) <= set(FUNCTION_WORDS) | {"we", "the"}  # Zipf: function words lead
    # Campaign copies: whole responses sent word for word, about a quarter of respondents.
    by_answers = collections.Counter(p.answers for p in people)
    copies = sum(c for c in by_answers.values() if c > 1)
    assert len([c for c in by_answers.values() if c > 1]) <= N_CAMPAIGNS
    assert 0.15 * len(people) < copies < 0.35 * len(people)


def test_zipf_words_avoid_codebook_patterns(files):
    from benchmarks.zipf import pattern_matcher, zipf_lexicon

    matches = pattern_matcher(["housing", "homeless*", "=neet", "mental health"])
    assert matches("houses") and matches("homelessness") and matches("neet")
    assert not matches("neets") and not matches("garden")
    lexicon = zipf_lexicon(3, 2_000, avoid=matches)
    assert not any(matches(w) for w in lexicon.words)


def test_pipeline_engine_runs_the_entry_points(files):
    cpath, bpath = files
    consultation = load_consultation(cpath)
    vocab = codebook_vocabulary(bpath)
    rows = [r for r, _ in TINY]
    engine = run.build_engine("pipeline", consultation, vocab, bpath, rows)
    expected = {(rid, qid, t) for (rid, qid, _), themes in TINY for t in themes}
    assert engine.themes(rows) == expected
    frames = engine.prepare(rows)
    n_closed = len(consultation.closed_questions)
    respondents = len({rid for rid, _, _ in rows})
    # codes (one per answer and theme) + one stance row per respondent and closed question
    assert engine.run(frames) == len(expected) + respondents * n_closed


def test_pipeline_benchmark_ingests_the_generated_export(tmp_path):
    from benchmarks import pipeline

    records = pipeline.measure([6], seed=1, timeout=300, formats=(), stages=("ingest",))
    stages = [r["stage"] for r in records]
    # Campaign detection, ingest's largest step, is timed inside it (session 15).
    assert stages == ["generate (not a stage)", "ingest: campaigns", "ingest"]
    assert all(r["status"] == "ok" for r in records)
    assert records[2]["seconds"] > 0 and records[2]["peak_mb"] > 0
    assert 0 < records[1]["seconds"] <= records[2]["seconds"]
    cons, _, folder = pipeline.write_consultation(tmp_path, 1, 6)
    from helpers.ingest import run_ingest

    result = run_ingest(folder, cons, tmp_path / "out", metadata_file=None)
    assert len(result.respondents) == 6
    assert result.answers["tick_box"].notna().any()


def test_pipeline_benchmark_reuses_a_kept_ingest(tmp_path):
    from benchmarks import pipeline

    kept = tmp_path / "kept"
    first = pipeline.measure([6], 1, 300, (), ("ingest",), reuse=kept)
    assert [r["stage"] for r in first] == ["generate (not a stage)", "ingest: campaigns", "ingest"]
    assert (kept / "6-seed1" / "processed" / "answers.parquet").exists()
    again = pipeline.measure([6], 1, 300, (), ("ingest",), reuse=kept)
    assert [r["stage"] for r in again] == ["ingest (reused)"]
    assert again[0]["status"] == "ok"


def test_pipeline_benchmark_times_the_reruns_through_the_cache(tmp_path):
    from benchmarks import pipeline

    records = pipeline.measure([60], 1, 600, (), ("ingest", "coding"), rerun=True)
    assert all(r["status"] == "ok" for r in records), records[-1]
    by = {r["stage"]: r["seconds"] for r in records}
    for stage in ("ingest", "coding", "ingest (unchanged re-run)", "coding (unchanged re-run)",
                  "ingest (export grown 1%)", "coding (export grown 1%)"):  # fmt: skip
        assert by[stage] is not None and by[stage] > 0, stage
    # The re-runs' coding steps are not timed over the cold run's.
    assert sum(r["stage"] == "coding: code" for r in records) == 1
    # An unchanged re-run copies tables: faster than computing them.
    assert by["coding (unchanged re-run)"] < by["coding"]


def test_pipeline_table_and_growth_exponent():
    from benchmarks.pipeline import exponent, table

    assert exponent(1_000, 2.0, 10_000, 20.0) == pytest.approx(1.0)
    assert exponent(1_000, 1.0, 10_000, 100.0) == pytest.approx(2.0)
    assert exponent(1_000, None, 10_000, 1.0) is None
    records = [
        {"n": 1000, "stage": "code", "seconds": 2.0, "peak_mb": 300.0, "status": "ok"},
        {"n": 10000, "stage": "code", "seconds": 20.0, "peak_mb": 350.0, "status": "ok"},
    ]
    lines = table(records).splitlines()
    assert lines[2].split() == ["code", "2.00", "300", "20.00", "350", "1.00"]


def test_answer_length_export_joins_answers_and_keeps_the_text(tmp_path):
    """``benchmarks.answer_length``: k respondents' answers joined into one, same words."""
    import csv

    from benchmarks import answer_length, pipeline

    _, _, folder = pipeline.write_consultation(tmp_path, 1, 8)
    source = folder / "export.csv"
    assert answer_length.joined_export(source, tmp_path / "j" / "export.csv", 4, "\n\n") == 2

    def cells(path):
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        text = [i for i, h in enumerate(rows[0]) if h.startswith("Q") and not h.endswith(" tick")]
        return rows[1:], [w for r in rows[1:] for i in text for w in r[i].split()]

    rows, words = cells(source)
    joined, joined_words = cells(tmp_path / "j" / "export.csv")
    assert len(joined) == 2 and sorted(joined_words) == sorted(words)
    assert [r[0] for r in joined] == [rows[0][0], rows[4][0]]
