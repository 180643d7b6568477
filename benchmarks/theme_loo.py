"""Learned theme coding trained on other batches' gold, scored leave-one-batch-out.

``python -m benchmarks.theme_loo --consultation ofsted-docs --target 5 6 7 8 9 10 11``

For one consultation, every spent development set (``<prefix>``, ``<prefix>-2`` …;
held-back sets are never listed, see ``HELD_BACK``) is read as gold answers: the
gold text of each answer, its question and its gold themes. For each target batch a
per-theme classifier (``helpers.coding.learned`` features: sentence embedding + TF-IDF,
balanced logistic regression) is trained on the gold answers of **every other**
spent set and scores the target's answers; its codes are unioned with the
dictionary codes (the set's codebook, negated codes left out, as
``benchmarks.theme_gold``) and scored by micro precision, recall and F1 of (answer,
theme). The target batch's gold is never seen by its own classifier. Written for
issue 14 (session 9) to decide whether a coder learned from the spent sets' gold
generalises to a batch it never saw.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
from collections import Counter
from pathlib import Path

import numpy as np

from helpers import coding
from helpers.coding import Coder
from helpers.coding.runner import _skip_questions
from helpers.core.consultation import load_consultation
from helpers.core.sentences import sentence_spans
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import gold_responses

ROOT = Path(__file__).resolve().parent.parent / "data" / "evaluation"
HELD_BACK = {"ofsted-docs-31", "transport-31", "ofsted-docs-32", "transport-32"}
CACHE = Path("/tmp/theme_loo_cache")
EXTRA = {"ofsted-docs": ["ofsted-survey"], "transport": []}


def spent_sets(prefix: str) -> list[str]:
    """The spent sets of one consultation, oldest first (held-back ones never listed)."""
    names = [prefix] + [f"{prefix}-{i}" for i in range(2, 31)] + EXTRA.get(prefix, [])
    return [n for n in names if n not in HELD_BACK and (ROOT / n / "gold.yaml").exists()]


def gold_answers(name: str, dictionary: bool = True) -> list[dict]:
    """One dict per gold answer with themes: set, response, question, text, themes, dictionary."""
    set_dir = ROOT / name
    consultation = load_consultation(set_dir / "consultation.yaml")
    codebook = coding.load_codebook(set_dir / "codebook.yaml", consultation)
    coder = Coder(codebook) if dictionary else None
    skip = _skip_questions(codebook, consultation)
    out = []
    for rec in gold_responses(load_gold(set_dir), "all", where=str(set_dir / "gold.yaml")):
        for a in rec.answers:
            if a.themes is None or not a.text.strip() or a.question in skip:
                continue
            rows = coder.code_text(a.text, a.question) if coder else []
            rows = [r for r in rows if not r["negated"]]
            out.append({
                "set": name, "response": rec.name, "question": a.question, "text": a.text,
                "themes": set(a.themes), "dictionary": {r["theme_id"] for r in rows},
                "survey": rec.row is not None,
            })  # fmt: skip
    return out


def embed(texts: list[str], model: str) -> np.ndarray:
    """Answer vectors (normalised mean of sentence vectors), cached on disk by content."""
    from helpers.core.embedding import encode

    key = hashlib.sha1((model + "\x00".join(texts)).encode()).hexdigest()[:16]
    path = CACHE / f"{key}.npy"
    if path.exists():
        return np.load(path)
    sents, owner = [], []
    for i, t in enumerate(texts):
        spans = sentence_spans(t, 0, len(t)) or [(0, len(t))]
        for s, e in spans:
            sents.append(t[s:e])
            owner.append(i)
    vec = np.asarray(encode(sents, model=model), dtype=np.float64)
    out = np.zeros((len(texts), vec.shape[1]))
    np.add.at(out, np.asarray(owner), vec)
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    CACHE.mkdir(exist_ok=True)
    np.save(path, out)
    return out


def _prf(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f} R {r:.3f} F1 {f:.3f} (tp {tp} fp {fp} fn {fn})"


def main(argv: list[str] | None = None) -> int:
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--consultation", required=True, help="set prefix, e.g. ofsted-docs")
    parser.add_argument("--target", nargs="+", type=int, default=[5, 6, 7, 8, 9, 10, 11])
    parser.add_argument("--thresholds", nargs="+", type=float, default=[0.5, 0.6, 0.7, 0.8])
    parser.add_argument("--model", default="wordllama")
    parser.add_argument("--features", default="both", choices=["both", "embed", "tfidf"])
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--min-positives", type=int, default=5)
    parser.add_argument("--per-theme", action="store_true")
    parser.add_argument(
        "--dict-features", type=float, default=0.0,
        help="also give the classifiers the dictionary's codes (one column per theme, this weight)",
    )  # fmt: skip
    parser.add_argument(
        "--veto", nargs="*", type=float, default=[],
        help="also score: dictionary codes kept only where the learned probability >= V",
    )  # fmt: skip
    parser.add_argument(
        "--save", help="write each target answer's gold, dictionary codes and learned "
        "probabilities as JSON lines (for per-theme thresholds without refitting)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    saved = []

    names = spent_sets(args.consultation)
    data = [a for n in names for a in gold_answers(n)]
    texts = [a["text"] for a in data]
    emb = embed(texts, args.model)
    sets = np.array([a["set"] for a in data])
    themes = sorted({t for a in data for t in a["themes"]})
    totals = {th: Counter() for th in ["dict", *args.thresholds, *(f"v{v}" for v in args.veto)]}
    per_theme: Counter = Counter()
    for b in args.target:
        target = args.consultation if b == 1 else f"{args.consultation}-{b}"
        if target not in names:
            continue
        test = np.nonzero(sets == target)[0]
        train = np.nonzero(sets != target)[0]
        tfidf = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), strip_accents="unicode")
        tf_train = tfidf.fit_transform([texts[i] for i in train])
        tf_test = tfidf.transform([texts[i] for i in test])
        parts_train, parts_test = [], []
        if args.features in ("both", "embed"):
            parts_train.append(sparse.csr_matrix(emb[train]))
            parts_test.append(sparse.csr_matrix(emb[test]))
        if args.features in ("both", "tfidf"):
            parts_train.append(tf_train)
            parts_test.append(tf_test)
        if args.dict_features:
            col = {t: k for k, t in enumerate(themes)}
            dmat = np.zeros((len(data), len(themes)))
            for i, a in enumerate(data):
                for t in a["dictionary"]:
                    if t in col:
                        dmat[i, col[t]] = args.dict_features
            parts_train.append(sparse.csr_matrix(dmat[train]))
            parts_test.append(sparse.csr_matrix(dmat[test]))
        x_train = sparse.hstack(parts_train).tocsr()
        x_test = sparse.hstack(parts_test).tocsr()
        probs: dict[str, np.ndarray] = {}
        for theme in themes:
            # a theme is learned from answers to questions it was coded on somewhere
            qs = {data[i]["question"] for i in train if theme in data[i]["themes"]}
            rows = [i for i, j in enumerate(train) if data[j]["question"] in qs]
            y = np.array([theme in data[train[i]]["themes"] for i in rows], dtype=int)
            if y.sum() < args.min_positives or (1 - y).sum() < 5:
                continue
            model = LogisticRegression(
                C=args.C, class_weight="balanced", max_iter=2000, random_state=0
            ).fit(x_train[rows], y)
            p = model.predict_proba(x_test)[:, 1]
            p[[data[j]["question"] not in qs for j in test]] = 0.0
            probs[theme] = p
        counts = {th: Counter() for th in totals}
        for k, j in enumerate(test):
            gold, dic = data[j]["themes"], data[j]["dictionary"]
            if args.save:
                saved.append({
                    "set": target, "question": data[j]["question"], "gold": sorted(gold),
                    "dictionary": sorted(dic), "response": data[j]["response"],
                    "text": data[j]["text"],
                    "probs": {t: round(float(p[k]), 4) for t, p in probs.items() if p[k] > 0.0},
                })  # fmt: skip
            for th in totals:
                sysset = set(dic)
                if isinstance(th, str) and th.startswith("v"):
                    v = float(th[1:])
                    sysset = {t for t in dic if t not in probs or probs[t][k] >= v}
                elif th != "dict":
                    sysset |= {t for t, p in probs.items() if p[k] >= th}
                counts[th]["tp"] += len(gold & sysset)
                counts[th]["fp"] += len(sysset - gold)
                counts[th]["fn"] += len(gold - sysset)
                if th == args.thresholds[0] and args.per_theme:
                    for t in gold | sysset:
                        kind = "tp" if t in gold and t in sysset else "fp" if t in sysset else "fn"
                        per_theme[(t, kind)] += 1
        for th in totals:
            totals[th].update(counts[th])
            c = counts[th]
            print(f"{target:16s} {th!s:5s} {_prf(c['tp'], c['fp'], c['fn'])}")
    if args.save:
        Path(args.save).write_text("".join(json.dumps(r) + "\n" for r in saved), encoding="utf-8")
    for th, c in totals.items():
        print(f"{'pooled':16s} {th!s:5s} {_prf(c['tp'], c['fp'], c['fn'])}")
    if args.per_theme:
        for t in themes:
            c = {k: per_theme[(t, k)] for k in ("tp", "fp", "fn")}
            print(f"  {t:32s} {_prf(c['tp'], c['fp'], c['fn'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
