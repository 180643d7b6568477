"""Campaign copies at scale: a generated answers table with known campaigns, timed and scored.

    python -m benchmarks.campaigns [--sizes 10000,100000] [--share 0.3] [--seed 1]

The independent answers are the benchmark corpus's own (``benchmarks.generate``:
theme terms, stock phrases and filler from the default codebook, so unrelated
answers share many words, as real ones do). A ``share`` of the answers is
replaced by copies of campaign texts: per question, ``TEMPLATES`` texts (half of
them one sentence of 40 to 100 characters, half a paragraph of several
sentences), each sent as is, with a small edit (a typo, a dropped or a changed
word) or, for a paragraph, with a personal sentence added. Campaign sizes
follow a power law, so some are large and some have only a few copies.

For each size the table is given to ``helpers.ingest.find_copies``; the run
prints the time, the answers compared, the LSH candidates and pairs scored
(per answer: flat across sizes means linear) and the pairwise precision and
recall of the (respondent, question) answers grouped together against the
known campaigns. Campaigns smaller than the minimum group size for their text
cannot be found by design; they are counted in the truth all the same.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterable

import pandas as pd

from benchmarks.generate import codebook_vocabulary, default_paths, make_respondent
from helpers import ingest
from helpers.core.consultation import load_consultation

log = logging.getLogger(__name__)

TEMPLATES = 6  # campaign texts per question
PERSONAL = (
    "I have lived here for twenty years and use these services every week.",
    "My own children went through this and I saw what happens when support is missing.",
    "As a retired teacher I have seen many of these changes before.",
    "Please read this carefully, it matters a great deal to our family.",
)


def _sentence(text: str, rng: random.Random, low: int = 40, high: int = 100) -> str:
    """A one-sentence campaign text of ``low``-``high`` characters cut from ``text``."""
    words = text.split()
    start = rng.randrange(max(1, len(words) - 20))
    out: list[str] = []
    for w in words[start:]:
        if len(" ".join([*out, w])) > high:
            break
        out.append(w)
    sentence = " ".join(out).rstrip(".,;:") + "."
    return sentence if len(sentence) >= low else text[:high]


def _edit(text: str, rng: random.Random, long: bool) -> str:
    """A copy of ``text`` with one small edit (or, for a long text, a personal line added)."""
    words = text.split()
    kind = rng.choice(("typo", "drop", "swap", "personal") if long else ("typo", "drop", "swap"))
    if kind == "personal":
        return text + " " + rng.choice(PERSONAL)
    i = rng.randrange(len(words))
    w = words[i]
    if kind == "typo" and len(w) > 3:
        j = rng.randrange(len(w) - 1)
        words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif kind == "drop" and len(words) > 6:
        del words[i]
    else:
        words[i] = rng.choice(("really", "very", "also", "truly"))
    return " ".join(words)


def generate(n: int, seed: int = 1, share: float = 0.3) -> tuple[pd.DataFrame, dict]:
    """``n`` answers (ANSWERS-like frame) and the truth: (respondent, question) -> campaign."""
    cpath, bpath = default_paths()
    cons = load_consultation(cpath)
    vocab = codebook_vocabulary(bpath)
    rng = random.Random(f"campaigns:{seed}")
    numbers = {q.id: q.number for q in cons.questions}
    rows: list[tuple[str, str, str]] = []
    for k in itertools.count():
        for qid, text in make_respondent(cons, vocab, seed, k).answers:
            rows.append((f"r{k:07d}", qid, text))
        if len(rows) >= n:
            break
    rows = rows[:n]
    # Campaign texts per question, cut from long answers of respondents beyond the corpus.
    pool: list[str] = []
    for k in itertools.count(10**7):
        pool += [t for _, t in make_respondent(cons, vocab, seed + 1, k).answers if len(t) >= 200]
        if len(pool) >= TEMPLATES * len(cons.questions):
            break
    templates = {
        q.id: [
            _sentence(t, rng) if i % 2 == 0 else t
            for i, t in enumerate(pool[j * TEMPLATES : (j + 1) * TEMPLATES])
        ]
        for j, q in enumerate(cons.questions)
    }
    weights = [1.0 / (i + 1) for i in range(TEMPLATES)]  # campaign sizes: a power law
    truth: dict[tuple[str, str], str | None] = {}
    out = []
    for rid, qid, text in rows:
        campaign = None
        if rng.random() < share:
            t = rng.choices(range(TEMPLATES), weights)[0]
            template = templates[qid][t]
            campaign = f"{qid}:{t}"
            text = template if rng.random() < 0.5 else _edit(template, rng, len(template) >= 200)
        truth[(rid, qid)] = campaign
        out.append((rid, qid, numbers.get(qid), text))
    frame = pd.DataFrame(out, columns=["respondent_id", "question_id", "question_number", "text"])
    frame = frame.rename(columns={"text": "answer_text"}).assign(start=0)
    return frame, truth


def _pairs(groups: Iterable[Iterable[tuple[str, str]]]) -> set[frozenset]:
    return {frozenset(p) for g in groups for p in itertools.combinations(sorted(g), 2)}


def pair_scores(copies: pd.DataFrame, truth: dict, skip: set[str]) -> tuple[float, float]:
    """Pairwise precision and recall of the answers grouped together, against ``truth``.

    Campaign copies of ``skip`` questions (not searched: profile questions) are left out.
    """
    found = defaultdict(list)
    for r in copies.itertuples(index=False):
        found[r.copy_group].append((r.respondent_id, r.question_id))
    real = defaultdict(list)
    for key, campaign in truth.items():
        if campaign is not None and key[1] not in skip:
            real[campaign].append(key)
    got, want = _pairs(found.values()), _pairs(real.values())
    precision = len(got & want) / len(got) if got else 1.0
    recall = len(got & want) / len(want) if want else 1.0
    return precision, recall


def run(sizes: Iterable[int], seed: int = 1, share: float = 0.3) -> list[dict]:
    """Generate, detect and score each size; returns one result dict per size."""
    results = []
    for n in sizes:
        answers, truth = generate(n, seed, share)
        respondents = pd.DataFrame({"respondent_id": sorted(answers["respondent_id"].unique())})
        t0 = time.perf_counter()
        questions = load_consultation(default_paths()[0]).questions
        profile = {q.id for q in questions if q.kind == "profile"}
        texts = {q.id: q.text for q in questions}  # as ingest passes them
        found = ingest.find_copies(
            respondents, answers=answers, skip_questions=profile, question_texts=texts
        )
        seconds = time.perf_counter() - t0
        precision, recall = pair_scores(found.copies, truth, profile)
        results.append(
            {
                "answers": n,
                "seconds": round(seconds, 2),
                "compared": found.n_units,
                "distinct": found.n_distinct,
                "candidates_per_answer": round(found.n_candidates / max(found.n_units, 1), 3),
                "scored_per_answer": round(found.n_verified / max(found.n_units, 1), 3),
                "groups": int(found.copies["copy_group"].nunique()),
                "copies": len(found.copies),
                "campaign_answers": sum(c is not None for c in truth.values()),
                "pair_precision": round(precision, 4),
                "pair_recall": round(recall, 4),
                "campaign_sizes": dict(Counter(c for c in truth.values() if c).most_common(3)),
            }
        )
        log.info("%s", results[-1])
    return results


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Campaign-copy detection at scale.")
    ap.add_argument("--sizes", default="10000,100000", help="answers per run, comma-separated")
    ap.add_argument("--share", type=float, default=0.3, help="share of answers that are copies")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    results = run([int(s) for s in args.sizes.split(",")], args.seed, args.share)
    keys = [k for k in results[0] if k != "campaign_sizes"]
    print(" | ".join(keys))
    for r in results:
        print(" | ".join(str(r[k]) for k in keys))


if __name__ == "__main__":
    main()
