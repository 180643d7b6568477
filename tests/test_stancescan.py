"""Stance's compiled first pass (helpers.stance.scan) against the Python functions it replaces."""

from __future__ import annotations

import random

import pytest

from helpers.core.consultation import load_consultation
from helpers.core.paths import raw_dir
from helpers.stance import (
    caches,
    firstpass,
    infer,
    sentences,
    sentiment,
    table,
    vader,
    vocabulary,
)
from helpers.stance import scan as stancescan

pytest.importorskip("numba")

# Pieces that exercise every rule of the sentence finder and keyword scan:
# abbreviations, initials, runs of stops, closing quotes and brackets, line
# breaks, Unicode spaces and letters, "İ" (kept by the lower-casing), keywords
# inside words and the whole-word evaluative ones.
PIECES = [
    "We agree",
    " we strongly support the proposal",
    " Disagree",
    " no view",
    " on the fence",
    " in agreement",
    " the views of",
    " welcome the opportunity",
    " too soon",
    " tool",
    " ill-judged",
    " it is good",
    " goods",
    " ensure",
    " e.g.",
    " i.e. x",
    " Mr. Smith",
    " Dr. ",
    " J. Bloggs",
    " etc. x",
    " approx. 5",
    ". ",
    "! ",
    "?” ",
    ".) ",
    '." ',
    "...",
    ". . .",
    "!?",
    "\n",
    "\n\n",
    "  ",
    "\t",
    "\u00a0",
    "\u2003",
    " İstanbul",
    " É",
    " A.",
    " 10.5",
    " 2.",
    " x.",
    "-",
    " – ",
    "’",
    "'",
    " UNSURE",
    " \u212aNOW",  # the Kelvin sign lower-cases to "k"
    "\u212aNOW",
    " Neither agree nor disagree",
    "Yes",
    "No -",
    "* yes,",
    "“No.”",
    " > NO;",
    "nobody",
]


def _texts(seed: int, count: int, longest: int = 40) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(PIECES) for _ in range(rng.randint(0, longest))) for _ in range(count)
    ]


def _python_pass(answer: str) -> tuple:
    """What the first pass must find, from stance's Python functions."""
    n = len(answer)
    low = firstpass._lower(answer, 0, n)
    cue = sorted(firstpass._hits(low, vocabulary._CUE_KEYWORDS))
    spans = [sentences._sentence_at(low, p, 0, n) for p in cue]
    ev = sorted(set(firstpass._hits(low, vocabulary._EVAL_KEYWORDS)))
    first = sentences._first_sentences(
        low, 0, min(n, sentiment.MAX_SENTIMENT_CHARS), sentiment.MAX_SENTIMENT_SENTENCES
    )
    return low, cue, spans, ev, first


def _compiled_pass(batch: stancescan.BatchScan, a: int) -> tuple:
    c0, c1 = batch.a_cue[a], batch.a_cue[a + 1]
    spans = list(zip(batch.cue_s[c0:c1], batch.cue_e[c0:c1], strict=True))
    ev = batch.ev[batch.a_ev[a] : batch.a_ev[a + 1]]
    return batch.low[batch.lo[a] : batch.hi[a]], batch.cue[c0:c1], spans, ev, batch.first(a)


def _check(texts: list[str]) -> int:
    batch = stancescan.scan(texts)
    assert batch is not None
    checked = 0
    for a, text in enumerate(texts):
        if not batch.ok[a]:
            assert "\u03a3" in text
            continue
        assert _compiled_pass(batch, a) == _python_pass(text), repr(text)
        # The yes/no flag is a necessary condition for stance's regex.
        low = batch.low[batch.lo[a] : batch.hi[a]]
        assert batch.yesno[a] or not vocabulary._YESNO_RE.match(low), repr(text)
        checked += 1
    return checked


def test_unit_tables_match_str_methods():
    lower, cls = stancescan.unit_tables()
    assert lower.shape == cls.shape == (65536,)
    for c in range(65536):
        ch = chr(c)
        assert lower[c] == (ord(ch.lower()) if len(ch.lower()) == 1 else c), hex(c)
        assert bool(cls[c] & stancescan.ALPHA) == ch.isalpha(), hex(c)
        assert bool(cls[c] & stancescan.WORD) == (ch.isalnum() or ch == "_"), hex(c)
        assert bool(cls[c] & stancescan.SPACE) == ch.isspace(), hex(c)
    # A lower-cased character lower-cases to itself ("İ", kept, is the one exception),
    # so the abbreviation check may skip str.lower.
    for c in range(65536):
        low = chr(lower[c])
        assert low.lower() == low or c == stancescan.DOTLESS_I, hex(c)


def test_fuzzed_answers_match_the_python_functions():
    assert _check(_texts(1, 3000)) > 2900
    openers = [t for t in _texts(2, 3000) if vocabulary._YESNO_RE.match(t.lower())]
    assert len(openers) > 100 and _check(openers) == len(openers)


def test_long_lines_use_the_windowed_search():
    """A keyword more than 600 characters into a line: sentence ends are looked for in a
    window first, and a run of stops may straddle the window's start."""
    texts = []
    for seed in range(300):
        rng = random.Random(seed)
        line = "".join(rng.choice(PIECES[:20] + ["...", "!!!", ". ", " word"]) for _ in range(80))
        line = line.replace("\n", " ")
        cut = rng.randrange(550, 650)
        texts.append(line[:cut] + "..." + line[cut:] + " we agree. And more words here")
        texts.append("x" * rng.randrange(590, 610) + "!!! e.g. we agree" + line)
    assert _check(texts) == len(texts)


def test_real_and_generated_answers_match_the_python_functions():
    from benchmarks.generate import default_paths, iter_answers

    cpath, bpath = default_paths()
    texts = [t for _, _, t in iter_answers(load_consultation(cpath), bpath, 5, 400_000)]
    for name in ("acrcg.txt", "become.txt"):
        whole = (raw_dir() / name).read_text(encoding="utf-8")
        texts += [whole, *whole.split("\n\n")]
    assert _check(texts) == len(texts)


def test_answers_beyond_the_bmp_or_with_sigma_are_left_out_and_the_rest_scanned():
    texts = ["We agree", "😀 we agree", "ΟΔΟΣ agree", "No view. We support it.", "é 𝒜"]
    batch = stancescan.scan(texts)
    assert batch.ok == [True, False, False, True, False]
    for a in (0, 3):
        assert _compiled_pass(batch, a) == _python_pass(texts[a])
    assert infer.infer_stances(texts) == [infer.infer_stance(t) for t in texts]


def test_scratch_reuse_gives_the_same_results_as_fresh_arrays():
    big, small = _texts(7, 400), _texts(8, 50)
    first = [_compiled_pass(stancescan.scan(big), a) for a in range(len(big))]
    stancescan.scan(small)  # a smaller batch in between
    again = stancescan.scan(big)
    assert [_compiled_pass(again, a) for a in range(len(big))] == first


def test_sentence_at_matches_python_on_every_position():
    rng = random.Random(3)
    for text in _texts(4, 300, longest=12):
        low = firstpass._lower(text, 0, len(text))
        if "\u03a3" in text:
            continue
        for pos in range(len(low)):
            lo = rng.randrange(pos + 1)
            hi = rng.randrange(pos, len(low) + 1)
            want = sentences._sentence_at(low, pos, lo, hi)
            assert stancescan.sentence_at(low, pos, lo, hi) == want, (low, pos, lo, hi)


def test_stances_are_the_same_without_the_compiled_pass(monkeypatch):
    """The whole reading, compiled first pass and compiled VADER against the Python
    functions and upstream VADER alone."""
    texts = _texts(11, 1500) + [
        "This change is crucial to care leavers.",
        "It is a good idea, we think.",
        "Thank you. This will help young people enormously!",
        "The proposed date is premature.",
    ]
    compiled = [infer.infer_stance(t) for t in texts]
    batched = infer.infer_stances(texts)
    caches.clear_caches()
    monkeypatch.setattr(infer, "_scanner", lambda: None)
    monkeypatch.setattr(vader, "compound", lambda s: None)
    python = [infer.infer_stance(t) for t in texts]
    assert compiled == python
    assert batched == python
    assert {r.method for r in python} >= {"cue", "evaluative", "sentiment", "none"}


def test_cue_regex_at_a_keyword_matches_the_whole_regex():
    """``_at_keyword`` keeps only the alternatives that can start with the keyword:
    at every cue keyword of fuzzed text it gives the same match as ``_AT_RE``."""
    words = vocabulary.keywords()
    checked = 0
    texts = _texts(21, 2000)
    batch = stancescan.scan(texts)
    for a in range(len(texts)):
        if not batch.ok[a]:
            continue
        low = batch.low[batch.lo[a] : batch.hi[a]]
        c0, c1 = batch.a_cue[a], batch.a_cue[a + 1]
        for p, kw in zip(batch.cue[c0:c1], batch.cue_kw[c0:c1], strict=True):
            assert low.startswith(words[kw], p)
            want = vocabulary._AT_RE.match(low, p)
            got = vocabulary._at_keyword(words[kw]).match(low, p)
            assert (got and (got.span(), got.lastgroup)) == (want and (want.span(), want.lastgroup))
            checked += 1
    assert checked > 5000


def test_stance_answers_in_small_batches_with_progress_match_one_batch(monkeypatch):
    """``stance_answers`` reads in batches with a progress bar for large inputs; the
    stances do not depend on the batch size."""
    import pandas as pd

    from benchmarks.generate import default_paths, iter_answers

    cpath, bpath = default_paths()
    consultation = load_consultation(cpath)
    texts: dict[str, str] = {}
    rows = []
    for rid, qid, answer in iter_answers(consultation, bpath, 9, 600_000):
        prev = texts.get(rid)
        start = 0 if prev is None else len(prev) + 2
        texts[rid] = answer if prev is None else prev + "\n\n" + answer
        rows.append({"respondent_id": rid, "question_id": qid, "start": start,
                     "end": start + len(answer)})  # fmt: skip
    answers = pd.DataFrame(rows)
    respondents = pd.DataFrame({"respondent_id": list(texts), "text": list(texts.values())})
    whole = table.stance_answers(answers, respondents, consultation)
    shown = []

    class Bar:
        def __init__(self, total=None, desc=None, disable=None, **kw):
            self.done, self.total = 0, total
            shown.append((desc, disable, self))

        def update(self, n):
            self.done += n

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(table, "STANCE_BATCH_CHARS", 20_000)
    monkeypatch.setattr(table, "PROGRESS_MIN_CHARS", 10_000)
    monkeypatch.setattr(table, "tqdm", Bar)
    pd.testing.assert_frame_equal(table.stance_answers(answers, respondents, consultation), whole)
    ((desc, disable, bar),) = shown
    assert desc == "Reading stances" and disable is None and bar.done == bar.total > 100_000
    assert (whole["method"] == "text").sum() > 100
