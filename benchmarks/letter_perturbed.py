"""The letter decoder trained on spent gold re-rendered without headings, leave-one-batch-out.

Issue 12: ``seg_perturb``'s ``no_headings`` style (a respondent's gold answers as
plain paragraphs in question order, with or without a preamble and sign-off)
scores far below every headed style, and real letters are a minority of each
batch, so the letter decoder (``segment.letterseq``) learns from few letters.
Re-rendered spent gold gives letters whose paragraph -> question labels are
known. Here every spent set's gold documents (two or more answers, one place
each) are written again in one perturbation ``style`` of ``seg_perturb``
(``render_blocks`` / ``write_document``), read by the real ingest with the
decoder switched off (its input), cut into units and featurised exactly as
``letter_decoder.build`` does for the real letters (``--cache`` keeps each set's
tables and units).

Leave-one-batch-out: for held-out batch ``k`` the decoder is trained on the
real letters of the other batches (as shipped) and on those plus their
re-rendered letters (``--mix``: the rendered letters' weight), and both decode
batch ``k``'s real letters and batch ``k``'s own re-rendering, under the shipped
setting (mode, keep, cont, back) or ``--keep``; scored with the evaluator's
segmentation scorer (``letter_lobo.SetScorer``).

    PYTHONPATH=src:. python -m benchmarks.letter_perturbed --cache DIR --real-cache DIR

``--style stripped`` (session 20) writes no new layout: each spent headed document (gold
layout ``headed``) as ingest read it (``--real-cache``'s rules-only tables) with its headings
taken out by ``letter_stripped.stripped_text``, everything else as written.

Held-back sets are refused (``letters_eval.tables`` and ``seg_perturb.SPENT``).
Deterministic (seeded rendering, L-BFGS from zeros).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import logging
import pickle
import random
import sys
import tempfile
from pathlib import Path
from unittest import mock

from benchmarks import seg_perturb
from benchmarks.letter_decoder import WEIGHTS, build, featurize, letter_doc, train
from benchmarks.letter_lobo import SetScorer, _without
from benchmarks.letters_eval import ROOT, batch_of, spent_sets
from helpers.core.consultation import load_consultation
from helpers.ingest import assemble
from helpers.ingest.segment import learned, letterseq
from helpers.ingest.segment.meaning import build_model
from helpers.ingest.segment.vectors import TextVectors, run_encoder
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import gold_responses

log = logging.getLogger(__name__)


def records_of(name: str) -> list:
    """A spent set's gold documents that re-render cleanly (``seg_perturb.sample_records``'s
    filter: a document, two or more questions, each answered in one place)."""
    if not seg_perturb.SPENT.match(name):
        raise SystemExit(f"not a spent set: {name}")
    out = []
    for rec in gold_responses(load_gold(ROOT / name), "all", where=f"{name}/gold.yaml"):
        answers = [a for a in rec.answers if a.text.strip()]
        qs = {a.question for a in answers}
        if rec.row is None and len(qs) >= 2 and len(qs) == len(answers):
            out.append(rec)
    return out


def _consultation(name: str) -> str:
    return name.rsplit("-", 1)[0]


def headed_files(name: str) -> set[str]:
    """Files of a spent set whose gold layout is ``headed`` (a document with headings)."""
    gold = load_gold(ROOT / name)
    return {
        str(d["file"]).removeprefix("responses/")
        for d in gold.get("documents") or []
        if str(d.get("layout", "")) == "headed"
    }


def stripped_docs(name: str, real_cache: Path) -> list[tuple]:
    """(record, text) of each headed document of ``name`` with its headings taken out
    (``letter_stripped``), from the set's rules-only tables in ``real_cache``."""
    from benchmarks.letter_stripped import answer_spans, stripped_text
    from benchmarks.letters_eval import tables

    t = tables(name, real_cache)
    by_file = {str(r.source_file): r for r in t["respondents"].itertuples(index=False)}
    answers = t["answers"]
    headed = headed_files(name)
    out = []
    for rec in records_of(name):
        r = by_file.get(rec.file)
        if rec.file not in headed or r is None:
            continue
        text = str(r.text)
        rows = answers[answers["respondent_id"].astype(str) == str(r.respondent_id)]
        heads = [
            (int(h), int(h) + len(str(ht)))
            for h, ht in zip(rows["heading_start"], rows["heading_text"], strict=True)
            if not pd_isna(h) and not pd_isna(ht)
        ]
        new = stripped_text(text, answer_spans(text, rec), heads)
        if new is not None:
            out.append((rec, new))
    return out


def pd_isna(v) -> bool:
    import pandas as pd

    return bool(pd.isna(v))


REAL_CACHE: Path | None = None  # the real sets' rules-only tables (style ``stripped``)


def _as_rendered(rec, file: str, **changes):
    """The gold record of a re-rendered document: its new file, scored whole, no respondent metadata."""
    return dataclasses.replace(
        rec,
        file=file,
        split="all",
        respondent_type=None,
        organisation=None,
        attributes=(),
        **changes,
    )


def perturbed_tables(consultation: str, names: list[str], style: str, cache: Path, seed: int):
    """Ingest's tables (decoder off) and gold records of every set in ``names`` (one
    consultation) re-rendered in ``style`` and read in ONE run (ingest's cost is mostly
    per run; the run's meaning model then learns from every re-rendered letter, as a real
    run learns from all its documents; no gold label enters it). Files are named
    ``<set>--NNN-<style>.<ext>``."""
    path = cache / f"{consultation}.{style}.pkl"
    if path.is_file():
        return pickle.loads(path.read_bytes())
    cons_path = ROOT / names[-1] / "consultation.yaml"
    cons = load_consultation(cons_path)
    gold = []
    with tempfile.TemporaryDirectory(prefix="letpert-") as tmp:
        responses = Path(tmp) / "responses"
        responses.mkdir(parents=True)
        for name in names:
            if style == "stripped":
                for i, (rec, new) in enumerate(stripped_docs(name, REAL_CACHE)):
                    file = f"{name}--{i:03d}-{style}.txt"
                    (responses / file).write_text(new, encoding="utf-8")
                    gold.append(_as_rendered(rec, file))
                continue
            for i, rec in enumerate(records_of(name)):
                rng = random.Random(f"{seed}:{style}:{name}/{rec.file}")
                fmt = seg_perturb.FORMATS[i % len(seg_perturb.FORMATS)]
                blocks, answers = seg_perturb.render_blocks(style, rec, cons, rng)
                file = f"{name}--{i:03d}-{style}.{fmt}"
                seg_perturb.write_document(responses / file, blocks, fmt, rng)
                gold.append(_as_rendered(rec, file, answers=answers))
        with (
            mock.patch.object(assemble, "detect_copies", seg_perturb._no_copies),
            mock.patch.object(letterseq, "load_decoder", lambda: None),
        ):
            from helpers import ingest

            result = ingest.run_ingest(responses, cons_path, Path(tmp) / "out")
    out = {
        "respondents": result.respondents,
        "answers": result.answers,
        "log": result.log,
        "copies": result.copies,
        "records": gold,
    }
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


def set_tables(t: dict, name: str) -> dict:
    """One set's share of a consultation's re-rendered tables."""
    r = t["respondents"]
    mine = r["source_file"].astype(str).str.startswith(f"{name}--")
    ids = set(r.loc[mine, "respondent_id"].astype(str))
    a = t["answers"]
    return {
        "respondents": r[mine],
        "answers": a[a["respondent_id"].astype(str).isin(ids)],
        "records": [x for x in t["records"] if x.file.startswith(f"{name}--")],
    }


def build_perturbed(consultation: str, names: list[str], style: str, cache: Path, encode, seed):
    """Each set's re-rendered letters as ``letter_decoder.build`` gives the real ones
    ({set name: set dict}); the meaning model is the whole run's."""
    path = cache / f"{consultation}.{style}.letters.pkl"
    if path.is_file():
        return pickle.loads(path.read_bytes())
    t = perturbed_tables(consultation, names, style, cache, seed)
    cons = load_consultation(ROOT / names[-1] / "consultation.yaml")
    questions = tuple(cons.questions)
    answers = t["answers"]
    by_file = {str(r.source_file): r for r in t["respondents"].itertuples(index=False)}
    vectors = TextVectors(encode)
    model = build_model(answers, cons, vectors)
    ids = [learned.NONE, *(q.id for q in questions)]
    out = {}
    for name in names:
        docs = []
        for rec in set_tables(t, name)["records"]:
            r = by_file.get(rec.file)
            if r is None:
                continue
            if (doc := letter_doc(rec, r, answers, model, vectors, ids)) is not None:
                docs.append(doc)
        out[name] = {"name": f"{name}.{style}", "docs": docs, "ranks": letterseq._ranks(questions)}
    path.write_bytes(pickle.dumps(out))
    return out


class PerturbedScorer(SetScorer):
    """``SetScorer`` on a re-rendered set: its own gold records and tables; every
    document counts as a letter."""

    def __init__(self, s: dict, name: str, t: dict):
        import pandas as pd

        from helpers.validate.devsets.goldrules import dont_know_rule

        cons = load_consultation(ROOT / name / "consultation.yaml")
        self.s = s
        self.questions = tuple(cons.questions)
        self.qids = set(cons.question_ids)
        self.ids = [learned.NONE, *(q.id for q in self.questions)]
        self.numbers = {q.id: q.number for q in self.questions}
        recs = dont_know_rule(list(t["records"]), cons)
        self.letters = {r.file for r in recs}
        self.rec = {r.file: r for r in recs}
        answers = t["answers"]
        self.rows = {str(k): g for k, g in answers.groupby("respondent_id", sort=False)}
        by_file = {str(r.source_file): r for r in t["respondents"].itertuples(index=False)}
        self.base = [0] * 8
        for rec in recs:
            r = by_file.get(rec.file)
            rows = self.rows.get(str(r.respondent_id)) if r is not None else None
            text = str(r.text) if r is not None else ""
            c = self._count(rec, text, rows if rows is not None else pd.DataFrame(answers[:0]))
            for k in range(4):
                self.base[k] += c[k]
                self.base[4 + k] += c[k]
        self.memo: dict[tuple, tuple] = {}


def weighted(sets: list[dict], mix: float) -> list[dict]:
    """``sets`` with each re-rendered set's letters repeated ``mix`` times (an integer weight;
    below 1, a seeded share of them)."""
    out = []
    for s in sets:
        if "." not in s["name"] or mix == 1:
            out.append(s)
            continue
        reps, frac = int(mix), mix - int(mix)
        docs = [d for _ in range(reps) for d in s["docs"]]
        rng = random.Random(s["name"])
        docs += [d for d in s["docs"] if rng.random() < frac]
        out.append(dict(s, docs=docs))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", required=True, type=Path, help="re-rendered sets' tables")
    ap.add_argument("--real-cache", required=True, type=Path, help="real sets' rules-only tables")
    ap.add_argument("--style", default="no_headings")
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--min-batch", type=int, default=2)
    ap.add_argument("--consultations", default="transport,ofsted-docs")
    ap.add_argument("--batches", type=int, nargs="*", help="held-out batches scored (default all)")
    ap.add_argument("--mix", type=float, nargs="*", default=[1.0])
    ap.add_argument("--keep", type=float, nargs="*", help="instead of the shipped keep")
    ap.add_argument("--drop", default="")
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument(
        "--write",
        type=float,
        help="write letter_decoder.json trained on every batch's real letters and their "
        "re-renderings at this weight (the shipped setting, or the first --keep, kept)",
    )
    ap.add_argument("--memo", type=Path, help="memoise embeddings here (seg_table.memoise)")
    args = ap.parse_args(argv)
    globals()["REAL_CACHE"] = args.real_cache
    save = None
    if args.memo:
        from benchmarks.seg_table import memoise

        save = memoise(args.memo)
    logging.basicConfig(level=logging.ERROR, format="%(message)s")
    shipped = letterseq.load_decoder() or {}
    settings = [
        (
            "fill" if shipped.get("fill_only") else "full",
            keep,
            shipped.get("cont", 0.0),
            shipped.get("back", 2.0),
        )
        for keep in (args.keep or [shipped.get("keep", 2.0)])
    ]
    drop = [letterseq.FEATURES.index(x) for x in args.drop.split(",") if x]
    encode = run_encoder(letterseq.MODEL)
    cons_names = args.consultations.split(",")
    names = [
        n for n in spent_sets() if batch_of(n) >= args.min_batch and _consultation(n) in cons_names
    ]
    pert = {}
    for c in cons_names:
        mine = [n for n in names if _consultation(n) == c]
        for n, s in build_perturbed(c, mine, args.style, args.cache, encode, args.seed).items():
            pert[n] = featurize_as(s, n)
        print(f"built {c}: {sum(len(pert[n]['docs']) for n in mine)} letters", flush=True)
        if save is not None:
            save()
    if args.build_only:
        return 0
    real = {n: featurize(build(n, args.real_cache, encode)) for n in names}
    for s in [*real.values(), *pert.values()]:
        for d in s["docs"]:
            d["features"][:, :, drop] = 0.0
    real_sc = {n: SetScorer(real[n], args.real_cache) for n in names}
    pt = {c: perturbed_tables(c, [], args.style, args.cache, args.seed) for c in cons_names}
    pert_sc = {n: PerturbedScorer(pert[n], n, set_tables(pt[_consultation(n)], n)) for n in names}
    batches = sorted({batch_of(n) for n in names})
    if args.write is not None:
        w = _without(
            train(weighted([*(real[n] for n in names), *(pert[n] for n in names)], args.write)),
            drop,
        )
        mode, keep, cont, back = settings[0]
        w.update(keep=keep, cont=cont, back=back, fill_only=mode == "fill", enabled=True)
        WEIGHTS.write_text(json.dumps(w, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS}: {settings[0]}, re-renderings weighted {args.write:g}")
        return 0
    print(f"settings {settings}; columns: letters R, letters P (real), R, P ({args.style})")
    for b in args.batches or batches:
        rest = [n for n in names if batch_of(n) != b]
        models = {"real": train([real[n] for n in rest])}
        for m in args.mix:
            both = [real[n] for n in rest] + [pert[n] for n in rest]
            models[f"mix{m:g}"] = train(weighted(both, m))
        for (key, w), setting in itertools.product(models.items(), settings):
            rows = [[0] * 4, [0] * 4]
            for n in (n for n in names if batch_of(n) == b):
                for k, sc in enumerate((real_sc[n], pert_sc[n])):
                    a = sc.after(w, setting)[:4]
                    rows[k] = [p + q for p, q in zip(rows[k], a, strict=True)]
            print(f"batch {b:<3} {key:8} k{setting[1]:<4g} {_fmt_row(rows)}", flush=True)
        rules = [[0] * 4, [0] * 4]
        for n in (n for n in names if batch_of(n) == b):
            rules[0] = [p + q for p, q in zip(rules[0], real_sc[n].base[:4], strict=True)]
            rules[1] = [p + q for p, q in zip(rules[1], pert_sc[n].base[:4], strict=True)]
        print(f"batch {b:<3} {'rules':14} {_fmt_row(rules)}", flush=True)
    return 0


def featurize_as(s: dict, name: str) -> dict:
    """``letter_decoder.featurize`` for a re-rendered set (named ``name.style``)."""
    return featurize(dict(s, name=name)) | {"name": s["name"]}


def _fmt_row(rows: list[list[int]]) -> str:
    cells = []
    for r in rows:
        for k in (0, 2):
            cells.append(f"{r[k]}/{r[k + 1]}" if r[k + 1] else "-")
    return " ".join(f"{c:>9}" for c in cells)


if __name__ == "__main__":
    sys.exit(main())
