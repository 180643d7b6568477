"""Why theme codes are wrong or missed on the gold text, by cause, per batch (issue 14).

``python -m benchmarks.theme_census /tmp/transport.jsonl /tmp/ofsted-docs.jsonl [--show N]``

Reads ``benchmarks.theme_sentence_loo --save`` rows (out-of-fold classifier scores on
every spent set's gold answers) and puts each error of the pre-stacker union rule
(``theme_stacker.UNION``: dictionary codes plus learned codes at the cut) down to one
cause, read from the text's shape alone (no theme or consultation named):

wrong codes the dictionary raised (in this order):
- ``heading/fragment``: a sentence the theme's patterns fire in has 3 words or fewer;
- ``list``: every sentence it fires in names another theme too, or has 2+ commas
  (a theme named in a list of examples);
- ``passing``: it fires in one sentence of 4 or more, and that sentence's own
  sentence-classifier probability is under 0.5 (a mention in passing);
- ``sense``: the rest: the theme's word in one sentence that is about something else
  (a false friend), or a gold a second coder could dispute;
- ``neighbour`` (tag, counted apart): the same answer also misses a gold theme.

wrong codes only the classifiers raised: ``learned``. Missed codes: ``near miss`` (no
pattern fires; a classifier gives 0.3 or more but under the cut), ``wording`` (no
pattern fires and the classifiers give under 0.3: everyday wording or an implied
point). ``--stacked transport`` (session 16) censuses the stacker's decisions for that
consultation instead of the union rule (as its codebooks ship them; the stacker fitted
leave-one-batch-out, ``theme_stacker.fit_on``); a missed code the stacker saw as a
candidate and rejected is then a ``near miss`` too, a right dictionary code it dropped
``vetoed``, a wrong code it kept from the dictionary is censused as the dictionary's. Segmentation (text under the wrong question) is not in the gold text:
``benchmarks.theme_errors`` counts it through the pipeline.
"""

from __future__ import annotations

import argparse
import logging
from collections import Counter

from benchmarks import theme_stacker as ts

WRONG = ("heading/fragment", "list", "passing", "sense", "learned")
MISSED = ("near miss", "wording", "vetoed")
SHORT_WORDS = 3
LIST_COMMAS = 2
PASSING_SENTENCES = 4
NEAR = 0.3


def sentence_words(r: dict, j: int) -> int:
    s, e = r["spans"][j]
    return len(r["text"][s:e].split())


def wrong_cause(r: dict, t: str) -> str:
    """The cause of a wrong code ``t`` of answer row ``r`` (see the module docstring)."""
    if t not in r["dictionary"]:
        return "learned"
    hit = [j for j, h in enumerate(r["sentence_themes"]) if t in h]
    if not hit:  # a code with evidence outside the sentence spans (rare)
        return "sense"
    if min(sentence_words(r, j) for j in hit) <= SHORT_WORDS:
        return "heading/fragment"
    if all(len(r["sentence_themes"][j]) > 1 or r["commas"][j] >= LIST_COMMAS for j in hit):
        return "list"
    sp = r.get("sentp", {}).get(t, [])
    p_hit = max((sp[j] for j in hit if j < len(sp)), default=0.0)
    if len(hit) == 1 and len(r["spans"]) >= PASSING_SENTENCES and p_hit < 0.5:
        return "passing"
    return "sense"


def missed_cause(r: dict, t: str) -> str:
    if t in r["dictionary"]:  # only the stacker drops a dictionary code
        return "vetoed"
    p = max(r["probs"].get(t, 0.0), r["sprobs"].get(t, 0.0))
    return "near miss" if p >= NEAR else "wording"


def census(rows: list[dict], coded: list[set]) -> tuple[Counter, list]:
    """Counts per cause (and ``neighbour``) and the (cause, row, theme) examples."""
    c: Counter = Counter()
    examples = []
    for r, got in zip(rows, coded, strict=True):
        missed = r["gold"] - got
        for t in sorted(got - r["gold"]):
            cause = wrong_cause(r, t)
            c[cause] += 1
            c["neighbour"] += bool(missed)
            examples.append((cause, r, t))
        for t in sorted(missed):
            cause = missed_cause(r, t)
            c[cause] += 1
            examples.append((cause, r, t))
        c["right"] += len(got & r["gold"])
    return c, examples


def stacked_decisions(rows: list[dict], batches: list[int], which: set[str]) -> dict:
    """``id(row) -> codes`` of the stacker, fitted without the row's batch, for the rows
    of the consultations in ``which``."""
    out: dict = {}
    for b in batches if which else []:
        test = [r for r in rows if r["batch"] == b and r["consultation"] in which]
        if not test:
            continue
        held = {r["set"] for r in rows if r["batch"] == b}
        ts.attach_votes(rows, held)
        model = ts.fit_on([r for r in rows if r["batch"] != b], held)
        pri = ts.priors(rows, held)
        coded = ts.decide(test, model, lambda r, pri=pri: pri[r["consultation"]])
        out.update({id(r): got for r, got in zip(test, coded, strict=True)})
    return out


def decisions(part: list[dict], stacked: dict, which: set[str]) -> list[set]:
    """The codes censused for one set's rows: the stacker's (``stacked_decisions``) when
    the set's consultation is in ``which``, else the codebook's union rule.

    Until session 19 the test was ``consultation in stacked`` (a name against the row
    ids ``stacked`` is keyed by), so ``--stacked`` censused the union rule all along."""
    if part and part[0]["consultation"] in which:
        return [stacked[id(r)] for r in part]
    return [ts.rule(r, *ts.UNION[r["consultation"]]) for r in part]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", nargs="+")
    parser.add_argument("--batches", nargs="*", type=int, default=list(range(2, 31)))
    parser.add_argument("--show", type=int, default=0, help="print N examples per cause")
    parser.add_argument("--show-batches", nargs="*", type=int, default=[16, 17, 18])
    parser.add_argument("--stacked", nargs="*", default=[],
                        help="consultations whose shipped rule is the stacker")  # fmt: skip
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    every = ts.load_rows(args.rows)
    rows = [r for r in every if r["batch"] in args.batches]
    stacked = stacked_decisions(every, args.batches, set(args.stacked))
    cols = ("right", *WRONG, "neighbour", *MISSED)
    print("set              " + " ".join(f"{k[:10]:>10s}" for k in cols))
    total = {c: Counter() for c in ts.UNION}
    shown: Counter = Counter()
    for name in sorted(
        {r["set"] for r in rows}, key=lambda n: (ts.consultation_of(n), ts.batch_of(n))
    ):
        part = [r for r in rows if r["set"] == name]
        coded = decisions(part, stacked, set(args.stacked))
        counts, examples = census(part, coded)
        total[part[0]["consultation"]].update(counts)
        print(f"{name:16s} " + " ".join(f"{counts[k]:10d}" for k in cols), flush=True)
        for cause, r, t in examples:
            if args.show and r["batch"] in args.show_batches and shown[cause] < args.show:
                shown[cause] += 1
                print(f"    [{cause}] {t} in {r['set']}/{r['response']}/{r['question']}: "
                      f"{' '.join(r['text'].split())[:300]}")  # fmt: skip
    for c, counts in total.items():
        print(f"{'pooled ' + c:16s} " + " ".join(f"{counts[k]:10d}" for k in cols))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
