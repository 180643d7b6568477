"""Every theme miss of the shipped coder on gold text, put down to the method that lost it.

``python -m benchmarks.theme_pipeline_census ofsted-docs-22 transport-22 [--show]``

Unlike ``theme_census`` (which reads ``theme_sentence_loo``'s out-of-fold rows), this codes
each spent set's gold answers exactly as the coding stage does: the set's codebook, its
dictionary, its own ``theme_training.csv`` (the gold of every *other* spent set) and the
packaged stacker. Each answer is coded on its own text under its gold question (segmentation
taken out), and each missed gold (answer, theme) gets one cause:

- ``stacker refusal``: the dictionary did not fire, a classifier (answer or best sentence)
  reached ``stack.CANDIDATE``, the stacked probability stayed under the cut;
- ``stacker veto``: the dictionary fired and the stacker dropped the code;
- ``no method near``: the dictionary did not fire and both classifiers stayed under
  ``stack.CANDIDATE``;
- ``not learned``: no classifier for the theme on this question (the dictionary decides).

A miss of ``devsets evaluate --verbose`` that is *not* a miss here is segmentation's (the
text the pipeline put under the question differs). The stacker's inputs are read by wrapping
``stack.stacked`` for the run (the coding stage does not keep them). Prints per set micro
P / R / F1 and the causes; ``--show`` every miss with its probabilities and text. Held-back
sets are refused (``theme_loo.HELD_BACK``). Written for issue 14 (session 20).
"""

from __future__ import annotations

import argparse
import logging
from collections import Counter
from contextlib import contextmanager

import pandas as pd

from benchmarks.theme_loo import HELD_BACK, ROOT
from helpers import coding
from helpers.coding import stack, trained
from helpers.coding.runner import code_answers
from helpers.core.consultation import load_consultation
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import gold_responses


def cause(inputs: dict | None, in_dictionary: bool, cut: float) -> str:
    """The method that lost a missed gold pair (module docstring), from the stacker's inputs
    for it (``allowed``, ``pa``, ``ps``, ``prob``; None: the stacker never saw it)."""
    if inputs is None or not inputs["allowed"]:
        return "not learned"
    if in_dictionary:
        return "stacker veto" if inputs["prob"] < cut else "kept (lost elsewhere)"
    if max(inputs["pa"], inputs["ps"]) >= stack.CANDIDATE:
        return "stacker refusal"
    return "no method near"


@contextmanager
def watching_stacker(seen: dict):
    """Record the stacker's inputs and probability per (respondent, question, theme)."""
    original = stack.stacked

    def spy(theme_ids, prior, allowed, p_answer, best_sentence, *args, **kw):
        out = original(theme_ids, prior, allowed, p_answer, best_sentence, *args, **kw)
        rids, qids = args[3], args[4]  # after spans, hits, texts
        for i, (rid, qid) in enumerate(zip(rids, qids, strict=True)):
            for k, t in enumerate(theme_ids):
                seen[(rid, qid, t)] = {
                    "allowed": bool(allowed[i, k]), "pa": float(p_answer[i, k]),
                    "ps": float(best_sentence[i, k]), "prob": float(out[2][i, k]),
                }  # fmt: skip
        return out

    stack.stacked = spy
    try:
        yield seen
    finally:
        stack.stacked = original


def gold_frames(name: str) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Answers and respondents frames of a set's gold answers (one text per respondent, the
    answers in it back to back), and each answer's gold themes and text."""
    resp, ans, gold = [], [], {}
    d = ROOT / name
    for rec in gold_responses(load_gold(d), "all", where=str(d / "gold.yaml")):
        text = ""
        for a in rec.answers:
            if a.themes is None or not a.text.strip():
                continue
            start = len(text)
            text += a.text + "\n\n"
            ans.append({"respondent_id": rec.name, "question_id": a.question, "start": start,
                        "end": start + len(a.text), "substantive": True, "answer_text": a.text})  # fmt: skip
            gold[(rec.name, a.question)] = (set(a.themes), a.text)
        resp.append({"respondent_id": rec.name, "text": text})
    return pd.DataFrame(ans), pd.DataFrame(resp), gold


def census(name: str, show: bool = False) -> tuple[Counter, Counter]:
    """(tp / fp / fn, causes of the misses) of one set's gold text."""
    if name in HELD_BACK:
        raise SystemExit(f"{name} is held back")
    d = ROOT / name
    cons = load_consultation(d / "consultation.yaml")
    cb = coding.load_codebook(d / "codebook.yaml", cons)
    answers, respondents, gold = gold_frames(name)
    codes = code_answers(answers, respondents, cb, cons)
    codes = codes[~codes["negated"].astype(bool)]
    seen: dict = {}
    with watching_stacker(seen):
        final = trained.add_trained_codes(codes, answers, respondents, cb, cons)
    dic, got = {}, {}
    for r in codes.itertuples():
        dic.setdefault((r.respondent_id, r.question_id), set()).add(r.theme_id)
    for r in final.itertuples():
        got.setdefault((r.respondent_id, r.question_id), set()).add(r.theme_id)
    cut = stack.packaged().cut
    counts, causes = Counter(), Counter()
    for key, (themes, text) in gold.items():
        coded = got.get(key, set())
        counts.update(tp=len(themes & coded), fp=len(coded - themes), fn=len(themes - coded))
        for t in sorted(themes - coded):
            why = cause(seen.get((*key, t)), t in dic.get(key, set()), cut)
            causes[why] += 1
            if show:
                f = seen.get((*key, t)) or {}
                probs = " ".join(f"{k} {v:.2f}" for k, v in f.items() if k != "allowed")
                print(f"  {key[0]} {key[1]} {t}: {why} ({probs})\n      {text[:240]!r}")
    return counts, causes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sets", nargs="+")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    for name in args.sets:
        c, causes = census(name, args.show)
        tp, fp, fn = c["tp"], c["fp"], c["fn"]
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        print(f"{name}: gold text tp {tp} fp {fp} fn {fn}, P {tp / max(tp + fp, 1):.3f} "
              f"R {tp / max(tp + fn, 1):.3f} F1 {f1:.3f}; misses {dict(causes)}", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
