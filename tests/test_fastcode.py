"""The compiled coder (``engine/``) against the pure-Python one (``reference``): same rows, always.

Every test codes the same input with ``engine="python"`` (``Coder._code``, the
reference) and ``engine="compiled"`` and requires identical rows (same dicts,
same order) through ``code_text``, ``code_stream``, ``code_frames``/``code_jobs``
and ``code_answers``; hand-written cases also check a few expected values.
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from helpers.coding import coder as code_mod
from helpers.coding.codebook import load_codebook, parse_codebook
from helpers.coding.coder import Coder
from helpers.coding.engine import fastcode
from helpers.coding.runner import code_answers
from helpers.core import schemas
from helpers.core.consultation import load_consultation
from helpers.core.paths import project_root

pytest.importorskip("numba")

from benchmarks.generate import default_paths, iter_answers  # noqa: E402

ROOT = project_root(Path(__file__).parent)
RAW = ROOT / "data" / "raw" / "ofsted-ilacs-care-leavers-2022"


def _cb(*themes: dict):
    return parse_codebook({"id": "t", "themes": list(themes)})


def _theme(tid: str, patterns, **kw) -> dict:
    return {"id": tid, "label": tid, "patterns": list(patterns), **kw}


@cache
def _default():
    consultation_path, codebook_path = default_paths()
    consultation = load_consultation(consultation_path)
    return consultation, load_codebook(codebook_path, consultation)


_CODERS: dict[int, tuple[object, Coder, Coder]] = {}


@pytest.fixture(autouse=True)
def _fresh_coders():
    """Each test starts with new coders (no vocabulary or scratch carried over)."""
    _CODERS.clear()
    yield
    _CODERS.clear()


def _coders(codebook) -> tuple[Coder, Coder]:
    """One python and one compiled coder per codebook (the compiled vocabulary keeps growing)."""
    got = _CODERS.get(id(codebook))
    if got is None or got[0] is not codebook:
        got = _CODERS[id(codebook)] = (
            codebook,
            Coder(codebook, engine="python"),
            Coder(codebook, engine="compiled"),
        )
        assert (got[1].engine, got[2].engine) == ("python", "compiled")
    return got[1], got[2]


def _frame(rows: list[dict]) -> pd.DataFrame:
    if not rows:
        return schemas.empty(schemas.CODES)
    return schemas.conform(pd.DataFrame(rows), schemas.CODES)


def _frames(frames) -> pd.DataFrame:
    frames = list(frames)
    if not frames:
        return schemas.empty(schemas.CODES)
    return schemas.conform(pd.concat(frames, ignore_index=True), schemas.CODES)


def _check_rows(coder: Coder, text: str, rows: list[dict], lo: int = 0, hi: int | None = None):
    """Offsets and quotes are consistent with ``text``."""
    hi = len(text) if hi is None else hi
    for r in rows:
        assert lo <= r["start"] <= r["match_start"] < r["match_end"] <= r["end"] <= hi
        assert text[r["start"] : r["end"]] == r["quote"]
        assert text[r["match_start"] : r["match_end"]] == r["matched_text"]


def assert_same_stream(codebook, rows, batch_chars=(1 << 20, 5000, 1)) -> list[dict]:
    """Both engines give the same rows for ``(rid, qid, text)`` rows through ``code_stream``
    and ``code_frames`` (several batch sizes); returns the python engine's rows."""
    py, fast = _coders(codebook)
    rows = list(rows)
    want = list(py.code_stream(rows))
    want_frame = _frame(want)
    for bc in batch_chars:
        got = list(fast.code_stream(rows, batch_chars=bc))
        assert got == want, f"code_stream differs (batch_chars={bc})"
        pd.testing.assert_frame_equal(_frames(fast.code_frames(rows, batch_chars=bc)), want_frame)
    pd.testing.assert_frame_equal(_frames(py.code_frames(rows)), want_frame)
    return want


def assert_same_text(codebook, text: str, qid: str, lo: int = 0, hi: int | None = None):
    """Both engines' ``code_text`` agree; returns the python engine's rows."""
    py, fast = _coders(codebook)
    want = py.code_text(text, qid, lo, hi)
    assert fast.code_text(text, qid, lo, hi) == want
    _check_rows(py, text, want, lo, hi)
    return want


# --- 1. the generated corpus -----------------------------------------------------


@pytest.fixture(scope="module")
def generated() -> dict[int, list[tuple[str, str, str]]]:
    consultation, codebook = _default()
    return {seed: list(iter_answers(consultation, codebook, seed, 300_000)) for seed in (1, 2, 3)}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_corpus_same_rows_stream_and_frames(generated, seed):
    _, codebook = _default()
    rows = generated[seed]
    want = assert_same_stream(codebook, rows, batch_chars=(1 << 20, 5000))
    assert len(want) > 1000
    assert any(r["negated"] for r in want)
    assert len({r["theme_id"] for r in want}) > 15


def test_generated_corpus_through_code_jobs_and_code_answers(generated, monkeypatch):
    consultation, codebook = _default()
    rows = generated[1][:400]
    # One document per respondent; each answer a span of it (offsets are absolute).
    texts: dict[str, str] = {}
    spans = []
    for rid, qid, text in rows:
        doc = texts.get(rid, "")
        if doc:
            doc += "\n\n"
        spans.append((rid, qid, len(doc), len(doc) + len(text)))
        texts[rid] = doc + text
    jobs = [(texts[rid], qid, lo, hi) for rid, qid, lo, hi in spans]
    rids = [rid for rid, _, _, _ in spans]
    py, fast = _coders(codebook)
    want = _frame(
        [
            r
            for (t, q, lo, hi), rid in zip(jobs, rids, strict=True)
            for r in py._code(t, q, lo, hi, rid)
        ]
    )
    assert len(want) > 100
    pd.testing.assert_frame_equal(_frames([fast.code_jobs(jobs, rids)]), want)
    # code_jobs split into many compiled batches.
    monkeypatch.setattr(code_mod, "BATCH_CHARS", 3000)
    pd.testing.assert_frame_equal(_frames([fast.code_jobs(jobs, rids)]), want)
    monkeypatch.undo()
    pd.testing.assert_frame_equal(_frames([py.code_jobs(jobs, rids)]), want)
    answers = pd.DataFrame(spans, columns=["respondent_id", "question_id", "start", "end"])
    answers["answer_text"] = [texts[r][lo:hi] for r, _, lo, hi in spans]
    respondents = pd.DataFrame({"respondent_id": list(texts), "text": list(texts.values())})
    out = {}
    for engine in ("python", "compiled"):
        monkeypatch.setattr(code_mod, "DEFAULT_ENGINE", engine)
        out[engine] = code_answers(answers, respondents, codebook, consultation)
    assert len(out["python"]) > 100
    pd.testing.assert_frame_equal(out["compiled"], out["python"])


# --- 2. the real default corpus ----------------------------------------------------


def _raw_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))}


def test_default_corpus_whole_texts_and_paragraphs():
    consultation, codebook = _default()
    qids = [q.id for q in consultation.questions] + ["unstructured"]
    texts = _raw_texts()
    assert len(texts) >= 2
    rows = []
    n_rows = 0
    for rid, text in texts.items():
        paras = [p for p in text.split("\n\n")]
        for qid in qids:
            n_rows += len(assert_same_text(codebook, text, qid))
            rows.append((rid, qid, text))
            for k, para in enumerate(paras):
                assert_same_text(codebook, para, qid)
                rows.append((f"{rid}-{k}", qid, para))
    assert n_rows > 50
    assert_same_stream(codebook, rows, batch_chars=(1 << 20, 700))


def test_default_corpus_sub_ranges():
    _, codebook = _default()
    rng = random.Random(11)
    for text in _raw_texts().values():
        cuts = [0, len(text), *(rng.randrange(len(text)) for _ in range(40))]
        # Paragraph and line boundaries, and arbitrary (mid-word) offsets.
        cuts += [i for i, c in enumerate(text) if c == "\n"][:40]
        for _ in range(150):
            lo, hi = sorted(rng.sample(cuts, 2))
            assert_same_text(codebook, text, "unstructured", lo, hi)
            assert_same_text(codebook, text, "q2", lo, hi)
        assert assert_same_text(codebook, text, "q2", 5, 3) == []
        assert_same_text(codebook, text, "q2", 10, len(text) + 50)


# --- 3. hand-written edge cases ------------------------------------------------------

EDGE = _cb(
    _theme(
        "housing",
        ["housing", "homeless*", "accommodation"],
        exclude=["housing benefit office", "sheltered accommodation"],
    ),
    _theme(
        "records",
        ["access to records", "subject access request*"],
        cooccur=[["record*", "access*"], ["file*", "request*", "delay*"]],
    ),
    _theme("leavers", ["care leavers rights", "leaver"]),
    _theme("exact", ["=carer"]),
    _theme("voice", ["the views of", "care experienced", "children's services"]),
    _theme("health", ["health", "mental health"]),
    _theme("timing", ["delay*"], questions=["q3"]),
)

TAIL = "Housing matters. " * 12_000  # ~200 KB

# (id, text, question id, expected [(theme, matched text, negated)] or None: engines only)
EDGE_CASES = [
    ("possessive-straight", "We back care leavers' rights.", "q2",
     [("leavers", "care leavers' rights", False)]),
    ("possessive-curly", "We back care leavers\u2019 rights.", "q2",
     [("leavers", "care leavers\u2019 rights", False)]),
    ("apostrophe-s-curly", "The leaver\u2019s view and children\u2019s services.", "q2",
     [("leavers", "leaver\u2019s", False), ("voice", "children\u2019s services", False)]),
    ("apostrophe-s-straight", "Children's services failed the leaver's family.", "q2",
     [("voice", "Children's services", False), ("leavers", "leaver's", False)]),
    ("hyphen-u2010", "Care\u2010experienced adults.", "q2", [("voice", "Care\u2010experienced", False)]),
    ("hyphen-u2011", "Care\u2011experienced adults.", "q2", [("voice", "Care\u2011experienced", False)]),
    ("hyphen-ascii", "care-experienced adults", "q2", [("voice", "care-experienced", False)]),
    ("nbsp-between-words", "care\u00a0experienced adults", "q2",
     [("voice", "care\u00a0experienced", False)]),
    ("tab-between-words", "care\texperienced adults", "q2", [("voice", "care\texperienced", False)]),
    ("spaces-between-words", "care   experienced", "q2", [("voice", "care   experienced", False)]),
    ("phrase-across-line-break", "They are care\nexperienced adults.", "q2", []),
    ("phrase-across-crlf", "They are care\r\nexperienced adults.", "q2", []),
    ("dotted-capital-i", "\u0130stanbul: care leavers need housing.", "q2",
     [("leavers", "leavers", False), ("housing", "housing", False)]),
    # 'İ' is kept as it is (its lower case is two characters): 'HOUSİNG' is no match.
    ("dotted-capital-i-in-word", "HOUS\u0130NG and \u0130NDEED housing.", "q2",
     [("housing", "housing", False)]),
    ("capital-sigma", "\u03a3 HOUSING \u03a3\u03a3. Housing is key.", "q2",
     [("housing", "HOUSING", False), ("housing", "Housing", False)]),
    ("emoji-before", "\U0001f600 Housing is key.", "q2", [("housing", "Housing", False)]),
    ("emoji-after", "Housing is key \U0001f600. Health too\U0001f600", "q2",
     [("housing", "Housing", False), ("health", "Health", False)]),
    ("abbrev-eg", "Some areas, e.g. housing and health. Next.", "q2",
     [("housing", "housing", False), ("health", "health", False)]),
    ("abbrev-ie-etc", "Basics i.e. housing, etc. More health. Done.", "q2",
     [("housing", "housing", False), ("health", "health", False)]),
    ("abbrev-page", "See p. 5 on housing. Then Vol. 2 on health.", "q2",
     [("housing", "housing", False), ("health", "health", False)]),
    ("numbers", "Rates rose 10.5 percent for housing. No. 3 is health.", "q2",
     [("housing", "housing", False), ("health", "health", False)]),
    ("question-exclaim", "Is housing enough? Health! no.", "q2",
     [("housing", "housing", False), ("health", "Health", False)]),
    ("quote-after-stop", 'He said "housing." Then health.', "q2",
     [("housing", "housing", False), ("health", "health", False)]),
    ("bracket-after-stop", "(Housing.) Health matters.", "q2",
     [("housing", "Housing", False), ("health", "Health", False)]),
    ("markdown-bold", "**Housing.** Next point on health.", "q2",
     [("housing", "Housing", False), ("health", "health", False)]),
    ("bullets", "- housing\n* health\n\u2022 the views of staff", "q2",
     [("housing", "housing", False), ("health", "health", False),
      ("voice", "the views of", False)]),
    ("empty", "", "q2", []),
    ("whitespace-only", " \n\t\u00a0 \n", "q2", []),
    ("negation-not", "We do not think housing is the issue.", "q2", [("housing", "housing", True)]),
    ("negation-never", "It is never about housing.", "q2", [("housing", "housing", True)]),
    ("negation-no-need", "There is no need for housing criteria.", "q2",
     [("housing", "housing", True)]),
    ("negation-no-plain", "There is no housing for them.", "q2", [("housing", "housing", False)]),
    ("negation-nt", "We don't believe housing matters.", "q2", [("housing", "housing", True)]),
    ("negation-nt-curly", "We don\u2019t believe housing matters.", "q2",
     [("housing", "housing", True)]),
    ("negation-cannot", "We cannot see housing here.", "q2", [("housing", "housing", True)]),
    ("negation-not-only", "Not only housing but also health.", "q2",
     [("housing", "housing", False), ("health", "health", False)]),
    ("negation-whether-or-not", "Whether or not housing helps.", "q2",
     [("housing", "housing", False)]),
    ("negation-not-to-mention", "Not to mention housing.", "q2", [("housing", "housing", False)]),
    ("negation-clause-but", "We do not agree, but housing is crucial.", "q2",
     [("housing", "housing", False)]),
    ("negation-clause-however", "This is not everything however housing is crucial.", "q2",
     [("housing", "housing", False)]),
    ("negation-semicolon", "It is not perfect; housing is crucial.", "q2",
     [("housing", "housing", False)]),
    ("negation-outside-window", "We never said that the local authority ought to ignore housing.",
     "q2", [("housing", "housing", False)]),
    ("negation-counted-beats-negated", "We do not mean housing benefit; housing is crucial.", "q2",
     [("housing", "housing", False)]),
    ("exclusion-overlaps", "Ask the housing benefit office.", "q2", []),
    ("exclusion-elsewhere", "Housing matters; ask the housing benefit office.", "q2",
     [("housing", "Housing", False)]),
    ("exclusion-other-theme", "Sheltered accommodation and health.", "q2",
     [("health", "health", False)]),
    ("cooccur-same-sentence", "They want access to their records.", "q2",
     [("records", "access to their records", False)]),
    ("cooccur-terms", "Records are kept but access is hard.", "q2",
     [("records", "Records are kept but access", False)]),
    ("cooccur-split-sentences", "Records are kept. Access is hard.", "q2", []),
    ("cooccur-one-negated", "Records are kept; we do not access them.", "q2",
     [("records", "Records are kept; we do not access", True)]),
    ("cooccur-three-terms", "A file request had a long delay.", "q2",
     [("records", "file request had a long delay", False)]),
    ("cooccur-negated-term-replaced", "Do not access records, and records access is slow.", "q2",
     [("records", "records access", False)]),
    ("cooccur-replaces-negated-pattern",
     "We do not want access to records but a file request had a delay.", "q2",
     [("records", "file request had a delay", False)]),
    ("wildcard", "Homelessness rose and the homeless suffer; unhomeless not.", "q2",
     [("housing", "Homelessness", False)]),
    ("exact-form", "Carers matter. A carer! CARER. Caring.", "q2",
     [("exact", "carer", False), ("exact", "CARER", False)]),
    ("anchor-in-middle", "Listen to the views of young people.", "q2",
     [("voice", "the views of", False)]),
    ("anchor-missing-function-word", "Listen to views of young people.", "q2", []),
    ("phrase-with-function-word", "Better access to records please.", "q2",
     [("records", "access to records", False)]),
    ("mental-health-longest", "Mental health matters.", "q2", [("health", "Mental health", False)]),
    ("question-not-applying", "Any delay is bad.", "q2", []),
    ("question-applying", "Any delay is bad.", "q3", [("timing", "delay", False)]),
    ("unstructured", "Any delay is bad.", "unstructured", [("timing", "delay", False)]),
    ("very-long", "Intro.\n" + TAIL + "Not housing.", "q2", None),
]  # fmt: skip


def _summary(rows: list[dict]) -> list[tuple[str, str, bool]]:
    return [(r["theme_id"], r["matched_text"], r["negated"]) for r in rows]


@pytest.mark.parametrize(
    "text, qid, expected", [c[1:] for c in EDGE_CASES], ids=[c[0] for c in EDGE_CASES]
)
def test_edge_cases(text, qid, expected):
    rows = assert_same_text(EDGE, text, qid)
    if expected is not None:
        assert _summary(rows) == expected
    # The same answer inside a batch of others, and split into sub-ranges.
    assert_same_stream(EDGE, [("a", "q2", "Housing."), ("r", qid, text), ("z", qid, text)], (1,))
    if len(text) < 1000:
        for lo in range(0, len(text), 3):
            assert_same_text(EDGE, text, qid, lo, lo + 17)


def test_edge_hand_checked_values():
    """Some outputs in full: quotes, offsets, counted and negated rows."""
    text = "Care leavers need housing. We do not want more delay. Housing matters!"
    rows = assert_same_text(EDGE, text, "q3")
    assert [(r["theme_id"], r["quote"], r["negated"]) for r in rows] == [
        ("leavers", "Care leavers need housing.", False),
        ("housing", "Care leavers need housing.", False),
        ("timing", "We do not want more delay.", True),
        ("housing", "Housing matters!", False),
    ]
    assert rows[1]["match_start"] == text.index("housing")
    assert rows[3]["start"] == text.index("Housing matters!")


@pytest.mark.parametrize(
    "text, quotes",
    [
        ('He said "housing." Then health.', ['He said "housing."', "Then health."]),
        ("(Housing.) Health matters.", ["(Housing.)", "Health matters."]),
        ("**Housing.** Next point on health.", ["**Housing.", "** Next point on health."]),
        ("See p. 5 on housing. Then Vol. 2 on health.", ["See p. 5 on housing.",
                                                        "Then Vol. 2 on health."]),
        ("Some areas, e.g. housing and health. Next.", ["Some areas, e.g. housing and health."]),
        ("Rates rose 10.5 percent for housing. No. 3 is health.",
         ["Rates rose 10.5 percent for housing.", "No. 3 is health."]),
        ("Is housing enough? Health! no.", ["Is housing enough?", "Health!"]),
        ("\U0001f600 Housing is key \U0001f600. Health\U0001f600", ["\U0001f600 Housing is key \U0001f600.",
                                                            "Health\U0001f600"]),
        ("- housing\n* health", ["- housing", "* health"]),
    ],
    ids=["quote", "bracket", "markdown", "page-vol", "eg", "numbers", "q-excl", "emoji", "bullets"],
)  # fmt: skip
def test_edge_quotes(text, quotes):
    rows = assert_same_text(EDGE, text, "q2")
    assert sorted({r["quote"] for r in rows}, key=text.index) == quotes


def test_cooccurrence_label_and_span():
    text = "We do not want access to records but a file request had a delay."
    (row,) = assert_same_text(EDGE, text, "q2")
    assert row["pattern"] == "file* + request* + delay*"
    assert (row["match_start"], row["match_end"]) == (text.index("file"), len(text) - 1)
    assert not row["negated"]
    (row,) = assert_same_text(EDGE, "We do not want access to records.", "q2")
    assert (row["pattern"], row["negated"]) == ("access to records", True)


def test_very_long_answer_matches_throughout():
    rows = assert_same_text(EDGE, "Intro.\n" + TAIL + "Not housing.", "q2")
    assert len(rows) == 12_001
    assert rows[-1]["negated"] and not rows[0]["negated"]


def test_emoji_and_sigma_answers_go_to_fallback_with_equal_results():
    texts = [
        "Housing is key.",
        "\U0001f600 Housing is key.",
        "Housing \U0001f600.",
        "\u03a3 housing.",
        "e.g. housing.  Next",
        "",
    ]
    qids = ["q2"] * len(texts)
    _, fast = _coders(EDGE)
    batch = fast._batch.code_batch(texts, qids)
    assert {1, 2, 3} <= set(batch.fallback)
    assert 0 not in batch.fallback and 5 not in batch.fallback
    rows = [(str(k), q, t) for k, (q, t) in enumerate(zip(qids, texts, strict=True))]
    want = assert_same_stream(EDGE, rows)
    assert [r["respondent_id"] for r in want if r["theme_id"] == "housing"][:4] == [
        "0",
        "1",
        "2",
        "3",
    ]


def test_many_answers_in_one_batch():
    rng = random.Random(3)
    pieces = [t for _, t, _, _ in EDGE_CASES if len(t) < 1000]
    rows = [
        (f"r{k}", rng.choice(["q2", "q3", "unstructured"]), rng.choice(pieces)) for k in range(3000)
    ]
    want = assert_same_stream(EDGE, rows, (1 << 20, 999))
    assert len(want) > 2000


def test_question_with_no_applicable_theme():
    cb = _cb(_theme("timing", ["delay*"], questions=["q3"]))
    assert assert_same_text(cb, "Any delay is bad.", "q2") == []
    assert assert_same_stream(cb, [("r", "q2", "Any delay.")] * 3) == []
    assert len(assert_same_text(cb, "Any delay is bad.", "q3")) == 1
    _, fast = _coders(cb)
    batch = fast._batch.code_batch(["Any delay.", "Any delay."], ["q2", "q3"])
    assert batch.answer.tolist() == [1] and batch.fallback == []


# --- 4. random fuzz -------------------------------------------------------------------

_WORDS = (
    "housing homeless homelessness accommodation sheltered benefit office records record "
    "access accessed request requests file files delay delays delayed care Care CARE caring "
    "leaver leavers leaver's leavers' experienced children children's services the views of "
    "to their health mental not never no need reason don't doesn't cannot only whether or "
    "mention but however isn't wont yet if have e.g. i.e. etc. p. Vol. No. Dr. 10.5 3 2010 "
    "\u0130 \u0130ndeed \u03a3 \U0001f600 A We It"
).split()
_SEPS = [" ", " ", " ", " ", ". ", ", ", "; ", ": ", "! ", "? ", "'", "\u2019", "-", "\u2013",
         "\u2014", "\u2010", " (", ") ", '"', "*", "**", "\n", "\n\n", "\t", "\u00a0", ".", ".)",
         '."', "  "]  # fmt: skip


def _fuzz_texts(n: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(0, 30)):
            parts.append(rng.choice(_WORDS))
            parts.append(rng.choice(_SEPS))
        out.append(("".join(parts), rng.choice(["q2", "q3", "unstructured"])))
    return out


FUZZ = _fuzz_texts(500)


def test_fuzz_code_text_each():
    coded = 0
    for text, qid in FUZZ:
        coded += bool(assert_same_text(EDGE, text, qid))
    assert coded > 300


def test_fuzz_in_batches():
    rows = [(f"r{k}", qid, text) for k, (text, qid) in enumerate(FUZZ)]
    assert_same_stream(EDGE, rows, (1 << 20, 2000, 1))


def test_fuzz_default_codebook():
    _, codebook = _default()
    rows = [(f"r{k}", qid, text) for k, (text, qid) in enumerate(_fuzz_texts(500, seed=8))]
    assert_same_stream(codebook, rows, (1 << 20, 3000))


_PATTERN_WORDS = (
    "care leaver leavers leaving housing house homes the of to views access records record "
    "file request delay 16 25 know support young people person's children's staying put "
    "mental health only need the a an and in on for with x is"
).split()


def _random_codebook(rng: random.Random):
    def word() -> str:
        w = rng.choice(_PATTERN_WORDS)
        r = rng.random()
        if r < 0.15 and w.isalpha() and len(w) > 2:
            return w[: rng.randint(2, len(w))] + "*"
        if r < 0.25 and w.isalpha():
            return "=" + w
        return w

    def phrase() -> str:
        return " ".join(word() for _ in range(rng.choice([1, 1, 2, 3])))

    themes = []
    for t in range(rng.randint(1, 6)):
        kw: dict = {}
        if rng.random() < 0.4:
            kw["exclude"] = [phrase() for _ in range(rng.randint(1, 2))]
        if rng.random() < 0.5:
            kw["cooccur"] = [[word() for _ in range(rng.randint(2, 4))] for _ in range(2)]
        if rng.random() < 0.3:
            kw["questions"] = ["q3"]
        themes.append(_theme(f"t{t}", [phrase() for _ in range(rng.randint(1, 5))], **kw))
    return _cb(*themes)


def test_fuzz_random_codebooks():
    """Random codebooks (phrases, wildcards, exact forms, exclusions, groups) on random text."""
    rng = random.Random(5)
    words = _PATTERN_WORDS + _WORDS
    n_rows = 0
    for _ in range(12):
        cb = _random_codebook(rng)
        items = []
        for k in range(40):
            parts = []
            for _ in range(rng.randint(0, 25)):
                parts += [rng.choice(words), rng.choice(_SEPS)]
            items.append((f"r{k}", rng.choice(["q2", "q3", "unstructured"]), "".join(parts)))
        for _, qid, text in items:
            n_rows += len(assert_same_text(cb, text, qid))
        assert_same_stream(cb, items, (1 << 20, 500))
    assert n_rows > 200


def test_cooccurrence_group_sizes_at_and_over_the_kernel_limit():
    terms = ["housing", "health", "records", "access", "file", "request", "delay", "care"]
    text = "Housing, health, records, access, file, request, delay and care. Housing only."
    cb = _cb(_theme("all", ["nothing here"], cooccur=[terms]))
    (row,) = assert_same_text(cb, text, "q2")
    assert row["pattern"] == " + ".join(terms) and row["quote"] == text.split(" Housing")[0]
    big = _cb(_theme("all", ["nothing here"], cooccur=[[*terms, "support"]]))
    assert "co-occurrence group" in fastcode.unsupported(Coder(big, engine="python"))
    assert Coder(big).engine == "python"
    assert Coder(big).code_text(text + " support", "q2") == Coder(big, engine="python").code_text(
        text + " support", "q2"
    )


# --- 5. the engine argument -------------------------------------------------------------


def test_unknown_engine_raises_naming_the_choices():
    with pytest.raises(ValueError, match="auto, compiled, python") as err:
        Coder(EDGE, engine="fast")
    assert "'fast'" in str(err.value)


@pytest.mark.parametrize(
    "patterns, reason",
    [
        (["o'clock"], "not a letter or digit"),
        (["not"], "negator word"),
        (["never*", "housing"], "negator word"),
    ],
    ids=["apostrophe-in-anchor", "negator-pattern", "negator-wildcard"],
)
def test_unsupported_codebooks(patterns, reason):
    cb = _cb(_theme("x", patterns))
    with pytest.raises(ValueError, match=reason):
        Coder(cb, engine="compiled")
    auto = Coder(cb, engine="auto")
    assert auto.engine == "python" and auto._batch is None
    assert reason in fastcode.unsupported(auto)
    text = "At ten o'clock we did not sleep; never again. Housing? Not now."
    rows = auto.code_text(text, "q2")
    assert rows == Coder(cb, engine="python").code_text(text, "q2")
    assert rows, "the python fallback still codes"


def test_auto_picks_compiled_for_a_supported_codebook():
    assert Coder(EDGE, engine="auto").engine == "compiled"
    assert Coder(EDGE).engine == "compiled"
    assert fastcode.unsupported(Coder(EDGE, engine="python")) is None


# --- 6. vocabulary growth and reset -------------------------------------------------------


def test_vocabulary_restarts_and_results_stay_equal(monkeypatch, generated):
    monkeypatch.setattr(fastcode, "VOCAB_MAX", 50)
    py = Coder(EDGE, engine="python")
    fast = Coder(EDGE, engine="compiled")
    batch = fast._batch
    resets = 0
    orig = batch._reset_vocab

    def counting():
        nonlocal resets
        resets += 1
        orig()

    monkeypatch.setattr(batch, "_reset_vocab", counting)
    rows = [(f"r{k}", qid, text) for k, (text, qid) in enumerate(FUZZ)]
    rows += [(rid, qid, text) for rid, qid, text in generated[2][:200]]
    want = list(py.code_stream(rows))
    assert list(fast.code_stream(rows, batch_chars=1500)) == want
    assert resets >= 3
    assert batch._n_vocab <= 50 + 2000  # restarted, not grown without bound


# --- scratch space ----------------------------------------------------------------------


def test_scratch_stays_small_when_answers_alternate_ascii_and_unicode():
    cb = _cb(_theme("h", ["housing"]))
    py, fast = Coder(cb, engine="python"), Coder(cb, engine="compiled")
    for k in range(300):
        text = "housing" if k % 2 else "housing \u00e9"
        assert fast.code_text(text, "q2") == py.code_text(text, "q2")
    # One scratch array per name and character width, none grown past what was needed.
    assert max(a.shape[0] for a in fast._batch._scratch.values()) <= 1024  # rows: 1024 at least
