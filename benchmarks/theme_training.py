"""Write each development set's ``theme_training.csv``: the other spent sets' gold answers.

``python -m benchmarks.theme_training --consultation transport``

The codebook's ``training_answers`` (``helpers.coding.trained``) names a CSV of coded
answers from earlier rounds. For the development sets of one consultation, every
set folder gets the gold answers (question, gold themes, gold text) of **every spent
set but itself**, so ``make evaluate`` on a spent set scores a coder that never saw
that set's gold (leave-one-set-out), and a held-back set's folder gets all spent
sets (its own gold is never read: ``theme_loo.HELD_BACK`` sets are only written to).
The consultation's other folders with the same codebook get all spent sets too: its
extra sets (``theme_loo.EXTRA``, e.g. the Ofsted survey, which is left out of its own
file like any spent set) and any ``consultations/*`` folder whose codebook is
byte-identical (the default consultation: every copy of a codebook names the same
file, so every copy needs one). Written for issue 14 (session 9; session 10: extra
sets and the consultations/ copy).
"""

from __future__ import annotations

import argparse
import csv
import logging

from benchmarks.theme_loo import EXTRA, HELD_BACK, ROOT, gold_answers, spent_sets

FILE = "theme_training.csv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--consultation", required=True, help="set prefix, e.g. transport")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    prefix = args.consultation
    folders = [p for p in ROOT.iterdir() if p.is_dir()
               and (p.name == prefix or p.name.startswith(prefix + "-") or p.name in EXTRA.get(prefix, []))]  # fmt: skip
    codebook = (ROOT / prefix / "codebook.yaml").read_bytes()
    folders += [p.parent for p in (ROOT.parent.parent / "consultations").glob("*/codebook.yaml")
                if p.read_bytes() == codebook]  # fmt: skip
    for path in folders:  # a codebook naming the file cannot load until it exists
        if not (path / FILE).exists():
            (path / FILE).write_text("source,question_id,themes,text\n", encoding="utf-8")
    names = spent_sets(args.consultation)
    rows = {n: gold_answers(n, dictionary=False) for n in names}
    for path in sorted(folders):
        folder = path.name
        out = path / FILE
        with out.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["source", "question_id", "themes", "text"])
            n = 0
            for name in names:
                if name == folder:
                    continue
                for a in rows[name]:
                    w.writerow([f"{name}/{a['response']}", a["question"],
                                "; ".join(sorted(a["themes"])), a["text"]])  # fmt: skip
                    n += 1
        kind = "held back" if folder in HELD_BACK else "spent"
        print(f"{out}: {n} answers ({kind})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
