"""Right question and precision on letters (gold layout with "letter"), per set and per batch.

Issue 12's letters and e-mails without headings are a minority of each
document set, so the evaluator's whole-set numbers hide what happens to them.
This runs ingest once per spent document set (the whole set: the meaning pass
learns each question's answers from the run's headed documents), keeps the
tables in ``--cache`` (so a second scoring, or ``--verbose``, costs nothing),
and scores them with the evaluator's own scorer (``devsets.scoring.score_set``)
twice: on the documents whose gold ``layout`` contains "letter" (``letter``,
``attachment:letter``, ``letter+attachment:headed``) and on every document.
Split ``all``: every spent set is read whole (batches 2 on are all held-out
documents, spent since). Held-back sets (batch 17 on) are refused.

    PYTHONPATH=src python -m benchmarks.letters_eval --cache /tmp/letters14/base [--set ...] [--verbose]

``--decoder`` re-reads the cached tables' letters with the shipped letter decoder
(``segment.letterseq``) before scoring: the pass ``ingest`` runs last, so this is
what a new ingest run would give, at the cost of the decoder alone.
"""

from __future__ import annotations

import argparse
import logging
import pickle
import re
import sys
import tempfile
from pathlib import Path

from helpers import ingest
from helpers.core.consultation import load_consultation
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import gold_responses
from helpers.validate.devsets.metrics import Counts, Scores
from helpers.validate.devsets.scoring import score_set

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1] / "data" / "evaluation"
HELD_BACK = re.compile(r"-(3[1-9]|[4-9]\d)$")  # batch 31 onwards is never read here
SET_RE = re.compile(r"(ofsted-docs|transport)(?:-(\d+))?")


LAST_SPENT = 30  # the newest spent batch; batch 31 on is held back


def spent_sets() -> list[str]:
    """Every spent document set of the two consultations, by batch then name, named
    explicitly from the batch numbers (session 26: the data folder is never listed, so a
    held-back set cannot be read by accident)."""
    names = ["ofsted-docs", "transport"]
    names += [f"{c}-{b}" for b in range(2, LAST_SPENT + 1) for c in ("ofsted-docs", "transport")]
    names = [n for n in names if not HELD_BACK.search(n) and (ROOT / n / "gold.yaml").is_file()]
    return sorted(names, key=lambda n: (batch_of(n), n))


def batch_of(name: str) -> int:
    """A set's batch: its number, 1 for the first sets."""
    m = SET_RE.fullmatch(name)
    if m is None:
        raise ValueError(f"{name}: not a document set of the two consultations")
    return int(m.group(2) or 1)


def letter_files(gold: dict) -> set[str]:
    """Files (relative to responses/) whose gold layout names a letter."""
    out = set()
    for doc in gold.get("documents") or []:
        if "letter" in str(doc.get("layout", "")):
            out.add(str(doc["file"]).removeprefix("responses/"))
    return out


def tables(name: str, cache: Path) -> dict:
    """Ingest's tables for one set, from ``cache`` or by running ingest (then cached)."""
    if HELD_BACK.search(name):
        raise ValueError(f"{name}: held back, never read")
    path = cache / f"{name}.pkl"
    if path.is_file():
        return pickle.loads(path.read_bytes())
    set_dir = ROOT / name
    with tempfile.TemporaryDirectory(prefix="letters-") as tmp:
        result = ingest.run_ingest(
            set_dir / "responses", set_dir / "consultation.yaml", Path(tmp) / "out"
        )
    out = {
        "respondents": result.respondents,
        "answers": result.answers,
        "log": result.log,
        "copies": result.copies,
    }
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


def with_decoder(name: str, t: dict) -> dict:
    """``t`` with its letters re-read by the shipped letter decoder (``segment.read_letters``,
    the call ``ingest`` makes after the meaning pass), so a change is scored without
    running ingest again."""
    from helpers.ingest.segment import read_letters

    cons = load_consultation(ROOT / name / "consultation.yaml")
    r = t["respondents"]
    texts = dict(zip(r["respondent_id"].astype(str), r["text"].astype(str), strict=True))
    return dict(t, answers=read_letters(t["answers"], texts, cons))


def score(name: str, t: dict, letters_only: bool) -> Scores:
    """The evaluator's scores of one set, split all, on its letters or on every document."""
    set_dir = ROOT / name
    gold = load_gold(set_dir)
    records = gold_responses(gold, "all", where=str(set_dir / "gold.yaml"))
    if letters_only:
        keep = letter_files(gold)
        records = [r for r in records if r.file in keep]
    consultation = load_consultation(set_dir / "consultation.yaml")
    return score_set(
        name,
        "all",
        records,
        consultation,
        t["respondents"],
        t["answers"],
        t["log"],
        t["copies"],
    )


def _add(a: Counts, b: Counts) -> Counts:
    return Counts(a.hit + b.hit, a.n + b.n)


def _fmt(c: Counts) -> str:
    return f"{c.hit}/{c.n} {c.rate:.1%}" if c.n else "-"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", required=True, type=Path, help="folder of ingest tables (pickles)")
    ap.add_argument("--set", action="append", help="one set (repeatable); default every spent set")
    ap.add_argument("--verbose", action="store_true", help="list every letter error")
    ap.add_argument("--decoder", action="store_true", help="re-read letters with the decoder")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    names = args.set or spent_sets()
    out = sys.stdout
    out.write(f"{'set':18} {'letters R':>16} {'letters P':>16} {'all R':>16} {'all P':>16}\n")
    batches: dict[int, list[Counts]] = {}
    total = [Counts(), Counts(), Counts(), Counts()]
    for name in names:
        t = tables(name, args.cache)
        if args.decoder:
            t = with_decoder(name, t)
        let, whole = score(name, t, True), score(name, t, False)
        row = [let.recall, let.precision, whole.recall, whole.precision]
        out.write(f"{name:18} " + " ".join(f"{_fmt(c):>16}" for c in row) + "\n")
        b = batches.setdefault(batch_of(name), [Counts(), Counts(), Counts(), Counts()])
        for i, c in enumerate(row):
            b[i] = _add(b[i], c)
            total[i] = _add(total[i], c)
        if args.verbose:
            for e in let.errors:
                if e.metric in ("recall", "precision"):
                    out.write(f"    {e.response} [{e.question}] {e.metric}: {e.message}\n")
        out.flush()
    out.write("\nper batch\n")
    for k in sorted(batches):
        out.write(
            f"{'batch ' + str(k):18} " + " ".join(f"{_fmt(c):>16}" for c in batches[k]) + "\n"
        )
    out.write(f"{'total':18} " + " ".join(f"{_fmt(c):>16}" for c in total) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
