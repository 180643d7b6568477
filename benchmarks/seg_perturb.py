"""Segmentation under layouts nobody wrote a rule for: spent gold re-rendered, per perturbation.

    python -m benchmarks.seg_perturb [--per-consultation 6] [--types digits,roman] [--errors]
    python -m benchmarks.seg_perturb --real [--sets transport-19]   # spent batches as they are

Rules fitted to the documents we have seen do not transfer to the next batch
(issue 12). This harness takes SPENT gold documents (batches 2-30 of
``ofsted-docs`` and ``transport``; never a held-back set), keeps each
respondent's gold answers (text and question) and writes them again into new
documents whose structure is varied systematically, one perturbation type at a
time:

- heading styles: ``digits`` ("2."), ``q_number`` ("Q2"), ``number_words``
  ("Question two"), ``ordinals`` ("Second question"), ``roman`` ("ii)"),
  ``answer_n`` ("Answer 2"), ``full_text`` (the question's text),
  ``wrapped_text`` (the text hard-wrapped over lines), ``quoted_text``,
  ``short_label`` (the consultation.yaml ``short``), ``alias`` (one of its
  ``aliases``), ``markdown`` ("## 2. label" / "**label**", bold or heading
  styles in Word and HTML), ``number_label`` ("Question 2 - label");
- layouts: ``no_headings`` (answers as paragraphs in question order),
  ``shuffled`` ("Question N" headings, answers out of order), ``same_line``
  ("label: answer" on one line), ``same_line_text`` (the question's text, then
  the answer on the same line).

Every document also gets a format (txt, md, docx via python-docx, html; round
robin) and, for half of them, a preamble and a sign-off. Everything is seeded
(``--seed``), so a run is reproducible. Each perturbation type of each
consultation is read in its own folder by the real ``ingest.run_ingest``
(so copies of one answer in other types' documents cannot help), and scored by
``validate.devsets.scoring.score_set``, the scorer behind ``make evaluate``:
answers under the right question (recall) and segmentation precision, per
type and per format. Campaign, type and non-answer scores are not reported.
"""

from __future__ import annotations

import argparse
import dataclasses
import html
import logging
import random
import re
import sys
import tempfile
import textwrap
import time
from collections import defaultdict
from pathlib import Path
from unittest import mock

from helpers.core.consultation import load_consultation
from helpers.ingest import assemble
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import GoldResponse, gold_responses
from helpers.validate.devsets.metrics import Counts
from helpers.validate.devsets.scoring import score_set

_DETECT_COPIES = assemble.detect_copies
ROOT = Path(__file__).resolve().parents[1] / "data" / "evaluation"
CONSULTATIONS = ("ofsted-docs", "transport")
BATCHES = range(2, 31)  # spent batches only; 31 onwards is held back and never read
SPENT = re.compile(r"^(ofsted-docs|transport)-([2-9]|1[0-9]|2[0-9]|30)$")
FORMATS = ("txt", "md", "docx", "html")

WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()
ORDINALS = (
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth"
).split()
ROMAN = "0 i ii iii iv v vi vii viii ix x xi xii".split()

PREAMBLES = (
    "Dear consultation team,\n\nPlease find our response below.",
    "Response to the consultation\n\nThank you for the chance to comment. Our answers follow.",
    "Hello,\n\nI am writing to give my views on the proposals, as set out below.",
    "Submitted by email on behalf of our group. We have answered the questions we feel able to.",
)
SIGNOFFS = (
    "Yours sincerely,\n\nJ. Smith",
    "Kind regards\nThe committee",
    "Thank you for reading this.\n\nBest wishes,\nSam",
    "Please contact us if you would like to discuss any of these points.",
)


def spent_sets(consultation: str) -> list[str]:
    names = [f"{consultation}-{b}" for b in BATCHES]
    bad = [n for n in names if not SPENT.match(n)]
    if bad:  # a guard: never a held-back batch
        raise SystemExit(f"not a spent set: {bad}")
    return [n for n in names if (ROOT / n / "gold.yaml").is_file()]


def sample_records(consultation: str, n: int, seed: int) -> list[GoldResponse]:
    """``n`` gold documents (not survey rows) with two or more answers, seeded."""
    pool: list[GoldResponse] = []
    for name in spent_sets(consultation):
        gold = load_gold(ROOT / name)
        for rec in gold_responses(gold, "all", where=f"{name}/gold.yaml"):
            answers = [a for a in rec.answers if a.text.strip()]
            if rec.row is not None or len({a.question for a in answers}) < 2:
                continue
            if len({a.question for a in answers}) != len(answers):
                continue  # one question answered in two places: no clean re-rendering
            pool.append(dataclasses.replace(rec, file=f"{name}/{rec.file}"))
    rng = random.Random(f"{seed}:{consultation}")
    return sorted(rng.sample(pool, min(n, len(pool))), key=lambda r: r.file)


# --- headings -----------------------------------------------------------------------------------


def _num(q) -> int | None:
    return q.number if q.number is not None and 0 < q.number < len(WORDS) else None


def _label(q) -> str:
    return q.short or q.text


def heading(style: str, q, pick: float) -> str | None:
    """The heading line(s) for question ``q`` in ``style`` (None: no heading).

    ``pick`` (0-1, drawn once per document) chooses one variant of the style for
    the whole document: a respondent keeps one numbering style.
    """

    def choice(options):
        return options[int(pick * len(options))]

    n = _num(q)
    if style == "no_headings":
        return None
    if n is None and style in {
        "digits",
        "q_number",
        "number_words",
        "ordinals",
        "roman",
        "answer_n",
        "shuffled",
    }:
        return _label(q)  # an unnumbered (profile) question: its label
    if style == "digits":
        return f"{n}."
    if style == "q_number":
        return choice((f"Q{n}", f"Q{n}.", f"Q.{n}", f"Q {n}:"))
    if style == "number_words":
        word = WORDS[n]
        return choice((f"Question {word}", f"Question {word.capitalize()}", f"{word.upper()}"))
    if style == "ordinals":
        word = ORDINALS[n]
        return choice((f"{word.capitalize()} question", f"The {word} question", f"{word}ly"))
    if style == "roman":
        r = ROMAN[n]
        return choice((f"{r})", f"{r}.", f"({r})", f"{r.upper()}."))
    if style == "answer_n":
        return choice((f"Answer {n}", f"Answer to question {n}", f"Response {n}:"))
    if style == "shuffled":
        return f"Question {n}"
    if style == "full_text":
        return q.text
    if style == "wrapped_text":
        width = choice((45, 55, 66))
        return "\n".join(textwrap.wrap(q.text, width))
    if style == "quoted_text":
        quote = choice((('"', '"'), ("\u201c", "\u201d"), ("'", "'")))
        return f"{quote[0]}{q.text}{quote[1]}"
    if style == "short_label":
        return _label(q)
    if style == "alias":
        return choice(q.aliases) if q.aliases else _label(q)
    if style == "markdown":
        return _label(q) if n is None else choice((f"{n}. {_label(q)}", _label(q)))
    if style == "number_label":
        if n is None:
            return _label(q)
        return choice((f"Question {n} - {_label(q)}", f"{n}) {_label(q)}"))
    raise ValueError(style)


HEADING_STYLES = (
    "digits",
    "q_number",
    "number_words",
    "ordinals",
    "roman",
    "answer_n",
    "full_text",
    "wrapped_text",
    "quoted_text",
    "short_label",
    "alias",
    "markdown",
    "number_label",
)
LAYOUTS = ("no_headings", "shuffled", "same_line", "same_line_text")
# Structures batch 21 brought that no rule was written for (session 19, ``seg_structures``):
# interview transcripts, decimal-numbered paragraphs, own-words headings, web-form textareas.
STRUCTURES = (
    "transcript",
    "transcript_paraphrase",
    "decimal",
    "decimal_offset",
    "own_words",
    "own_words_roman",
    "webform",
    # Session 20, batch 22's structures (``seg_structures.SESSION20``), from batches 2-21 only:
    "n_of_m_lead",
    "bracket_labels",
    "sequence_sentences",
    "wording_word",
    # Session 21, batch 23's structures (``seg_structures.SESSION21``), from batches 2-22 only:
    "symbol_labels",
    "ad_numbers",
    # Session 22, batch 24's profile answers (``seg_structures.SESSION22``), from batches 2-23:
    "self_plain",
)
TYPES = HEADING_STYLES + LAYOUTS + STRUCTURES


_OWN_NUMBER = re.compile(r"^\s*(?:\(?\d{1,2}[.):]|\(?[ivx]{1,4}[.)]|\(?[a-h][.)])\s+", re.I)


def _unnumbered(text: str) -> str:
    """An answer without the respondent's own leading number, which would clash with ours."""
    return _OWN_NUMBER.sub("", text.strip(), count=1)


@dataclasses.dataclass
class Block:
    """One paragraph of the new document: a heading (``strong``) or body text."""

    text: str
    strong: bool = False
    field: bool = False  # a web form's free-text box (``webform``): rendered as a textarea


def render_blocks(style: str, rec: GoldResponse, cons, rng: random.Random):
    """(blocks, gold answers in document order) of one re-rendered respondent."""
    if style in STRUCTURES:
        from benchmarks.seg_structures import render_structure

        return render_structure(style, rec, cons, rng)
    qs = {q.id: q for q in cons.questions}
    answers = [a for a in rec.answers if a.text.strip() and a.question in qs]
    if style == "shuffled":
        answers = answers[:]
        while len(answers) > 1 and answers == [a for a in rec.answers if a in answers]:
            rng.shuffle(answers)
    elif style == "no_headings":  # answers in question order, nothing to say which is which
        order = {q.id: i for i, q in enumerate(cons.questions)}
        answers = sorted(answers, key=lambda a: order[a.question])
    blocks: list[Block] = []
    pick = rng.random()
    if rng.random() < 0.5:
        blocks += [Block(p) for p in rng.choice(PREAMBLES).split("\n\n")]
    for a in answers:
        q = qs[a.question]
        body = _unnumbered(a.text)
        if style == "same_line":
            blocks.append(Block(f"{_label(q)}: {body}"))
            continue
        if style == "same_line_text":
            blocks.append(Block(f"{q.text} {body}"))
            continue
        head = heading(style, q, pick)
        if head is not None:
            blocks.append(Block(head, strong=True))
        blocks += [Block(p) for p in re.split(r"\n\s*\n", body) if p.strip()]
    signoff = rng.random() < 0.5
    if signoff:
        blocks += [Block(p) for p in rng.choice(SIGNOFFS).split("\n\n")]
    gold = tuple(
        dataclasses.replace(a, campaign=None, heading=None, text=_unnumbered(a.text))
        for a in answers
    )
    return blocks, gold


def write_document(path: Path, blocks: list[Block], fmt: str, rng: random.Random) -> None:
    if fmt == "txt":
        path.write_text("\n\n".join(b.text for b in blocks) + "\n", encoding="utf-8")
    elif fmt == "md":
        mark = rng.choice(("## ", "### ", "**"))
        out = []
        for b in blocks:
            if b.strong and mark == "**":
                out.append("\n".join(f"**{line}**" for line in b.text.split("\n")))
            elif b.strong:
                out.append(mark + " ".join(b.text.split("\n")))
            else:
                out.append(b.text)
        path.write_text("\n\n".join(out) + "\n", encoding="utf-8")
    elif fmt == "docx":
        import docx

        d = docx.Document()
        as_style = rng.random() < 0.5
        for b in blocks:
            if b.strong and as_style:
                d.add_heading(" ".join(b.text.split("\n")), level=2)
            elif b.strong:
                p = d.add_paragraph()
                lines = b.text.split("\n")
                for i, line in enumerate(lines):
                    run = p.add_run(line)
                    run.bold = True
                    if i < len(lines) - 1:
                        run.add_break()
            else:
                d.add_paragraph(b.text)
        d.save(str(path))
    elif fmt == "html" and any(b.field for b in blocks):
        from benchmarks.seg_structures import webform_html

        path.write_text(webform_html(blocks, rng), encoding="utf-8")
    elif fmt == "html":
        tag = rng.choice(("h3", "b"))
        parts = []
        for b in blocks:
            t = html.escape(b.text).replace("\n", "<br>\n")
            if b.strong and tag == "h3":
                parts.append(f"<h3>{t}</h3>")
            elif b.strong:
                parts.append(f"<p><b>{t}</b></p>")
            else:
                parts.append(f"<p>{t}</p>")
        body = "\n".join(parts)
        path.write_text(
            f"<!DOCTYPE html>\n<html><head><title>Response</title></head>\n<body>\n{body}\n"
            "</body></html>\n",
            encoding="utf-8",
        )
    else:
        raise ValueError(fmt)


def build(style: str, records: list[GoldResponse], cons, out: Path, seed: int):
    """Write one perturbation type's documents into ``out``; their gold records."""
    out.mkdir(parents=True, exist_ok=True)
    gold = []
    for i, rec in enumerate(records):
        rng = random.Random(f"{seed}:{style}:{rec.file}")
        fmt = "html" if style == "webform" else FORMATS[i % len(FORMATS)]
        blocks, answers = render_blocks(style, rec, cons, rng)
        name = f"{i:03d}-{style}.{fmt}"
        write_document(out / name, blocks, fmt, rng)
        gold.append(
            dataclasses.replace(
                rec,
                file=name,
                split="all",
                respondent_type=None,
                organisation=None,
                attributes=(),
                answers=answers,
            )
        )
    return gold


def _no_copies(resp_df, answers, **kwargs):
    """Campaign copies are found after segmentation and not scored here: skipped (half the time)."""
    return _DETECT_COPIES(resp_df.iloc[0:0], answers=answers.iloc[0:0], **kwargs)


def run_type(style: str, consultation: str, records, seed: int, keep: Path | None):
    """Score of one perturbation type on one consultation's sample."""
    from benchmarks.seg_structures import SESSION20, SESSION21, SESSION22
    from helpers import ingest

    cons_path = ROOT / spent_sets(consultation)[-1] / "consultation.yaml"
    cons = load_consultation(cons_path)
    with tempfile.TemporaryDirectory(prefix="perturb-") as tmp:
        if style in SESSION20:  # batch 22's structures: never rendered from batch 22's gold
            records = [r for r in records if not r.file.startswith(f"{consultation}-22/")]
        if style in SESSION21:  # batch 23's structures: never rendered from batch 23's gold
            records = [r for r in records if not r.file.startswith(f"{consultation}-23/")]
        if style in SESSION22:  # batch 24's profile answers: never rendered from batch 24's gold
            records = [r for r in records if not r.file.startswith(f"{consultation}-24/")]
        base = keep / consultation / style if keep else Path(tmp)
        responses = base / "responses"
        gold = build(style, records, cons, responses, seed)
        with mock.patch.object(assemble, "detect_copies", _no_copies):
            result = ingest.run_ingest(responses, cons_path, Path(tmp) / "out")
    return score_set(
        f"{consultation}:{style}",
        "all",
        gold,
        cons,
        result.respondents,
        result.answers,
        result.log,
        result.copies,
    )


def run_real(name: str):
    """Score of one spent set as it is (split heldout, as ``make evaluate`` scores batches)."""
    from helpers import ingest

    if not SPENT.match(name):
        raise SystemExit(f"not a spent set: {name}")
    d = ROOT / name
    cons = load_consultation(d / "consultation.yaml")
    records = gold_responses(load_gold(d), "heldout", where=f"{name}/gold.yaml")
    with tempfile.TemporaryDirectory(prefix="perturb-") as tmp:
        with mock.patch.object(assemble, "detect_copies", _no_copies):
            result = ingest.run_ingest(d / "responses", d / "consultation.yaml", Path(tmp) / "o")
    return score_set(
        name,
        "heldout",
        records,
        cons,
        result.respondents,
        result.answers,
        result.log,
        result.copies,
    )


def main_real(consultations: list[str], only: list[str]) -> int:
    """Right question and precision of every spent batch as it is (the regression guard);
    ``only``: these sets alone."""
    print(f"{'set':16} {'right q':>12} {'precision':>12} {'s':>4}")
    tot = {"r": Counts(), "p": Counts()}
    for c in consultations:
        for name in spent_sets(c):
            if only and name not in only:
                continue
            t0 = time.time()
            s = run_real(name)
            for k, src in (("r", s.recall), ("p", s.precision)):
                tot[k].hit += src.hit
                tot[k].n += src.n
            print(
                f"{name:16} {s.recall.hit:>5}/{s.recall.n:<3} {_pct(s.recall)}"
                f" {s.precision.hit:>3}/{s.precision.n:<3} {_pct(s.precision)}"
                f" {time.time() - t0:4.0f}",
                flush=True,
            )
    r, p = tot["r"], tot["p"]
    print(f"{'TOTAL':16} {r.hit:>5}/{r.n:<3} {_pct(r)} {p.hit:>3}/{p.n:<3} {_pct(p)}")
    return 0


def _pct(c: Counts) -> str:
    return "   -  " if not c.n else f"{100 * c.hit / c.n:5.1f}%"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-consultation", type=int, default=6, help="respondents sampled")
    ap.add_argument("--types", default="", help="comma-separated types (default: all)")
    ap.add_argument("--consultations", default=",".join(CONSULTATIONS))
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--errors", action="store_true", help="list recall/precision errors")
    ap.add_argument("--keep", default="", help="write the documents under this folder")
    ap.add_argument(
        "--real", action="store_true", help="score the spent batches as they are instead"
    )
    ap.add_argument("--sets", default="", help="with --real: only these spent sets")
    args = ap.parse_args(argv)
    logging.disable(logging.WARNING)  # ingest's per-file notes would drown the table
    if args.real:
        only = [n for n in args.sets.split(",") if n]
        return main_real([c for c in args.consultations.split(",") if c], only)
    types = [t for t in args.types.split(",") if t] or list(TYPES)
    unknown = [t for t in types if t not in TYPES]
    if unknown:
        sys.exit(f"unknown types {unknown}; known: {', '.join(TYPES)}")
    consultations = [c for c in args.consultations.split(",") if c]
    samples = {c: sample_records(c, args.per_consultation, args.seed) for c in consultations}
    keep = Path(args.keep) if args.keep else None
    total_r, total_p = Counts(), Counts()
    by_format: dict[str, Counts] = defaultdict(Counts)
    cols = "".join(f" {c[:9]:>9} {'prec':>6}" for c in consultations)
    print(f"{'type':16}{cols} {'right q':>8} {'prec':>6} {'s':>4}")
    t_all = time.time()
    for style in types:
        t0 = time.time()
        cells, rec_n, prec_n = [], Counts(), Counts()
        for c in consultations:
            s = run_type(style, c, samples[c], args.seed, keep)
            cells.append(f" {_pct(s.recall):>9} {_pct(s.precision):>6}")
            for target, src in ((rec_n, s.recall), (prec_n, s.precision)):
                target.hit += src.hit
                target.n += src.n
            for fmt, cnt in s.recall_by_format.items():
                by_format[fmt].hit += cnt.hit
                by_format[fmt].n += cnt.n
            if args.errors:
                for e in s.errors:
                    if e.metric in ("recall", "precision"):
                        print(f"    {c[:9]} {e.response} {e.question} {e.metric}: {e.message}")
        for target, src in ((total_r, rec_n), (total_p, prec_n)):
            target.hit += src.hit
            target.n += src.n
        print(
            f"{style:16}{''.join(cells)} {_pct(rec_n):>8} {_pct(prec_n):>6}"
            f" {time.time() - t0:4.0f}",
            flush=True,
        )
    fmts = "  ".join(f"{f} {_pct(c)}" for f, c in sorted(by_format.items()))
    print(f"{'ALL':16}{' ' * len(cols)} {_pct(total_r):>8} {_pct(total_p):>6}")
    print(f"right question by format: {fmts}  ({time.time() - t_all:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
