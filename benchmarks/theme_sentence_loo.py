"""Answer-level vs sentence-level learned theme coding, scored leave-one-set-out.

``python -m benchmarks.theme_sentence_loo --consultation transport``

Every spent set of one consultation (``theme_loo.spent_sets``; held-back sets are
never listed) is a fold: classifiers are trained on the gold answers of every other
spent set and score the held-out set's gold answers. Two learned coders are scored
side by side, each unioned with the set's dictionary codes (as the coding stage
does) and, for the sentence coder, also alone (the dictionary then only a feature):

- ``answer``: the shipped coder (``coding.trained``): one row per answer, the
  normalised mean of its sentence embeddings beside TF-IDF of the answer.
- ``sentence``: one row per sentence: its embedding and TF-IDF, and two columns
  for the theme's dictionary hits (in this sentence; elsewhere in the answer). The
  gold says which themes an *answer* has, not which sentence carries it, so the
  labels are found as in multiple-instance learning: every sentence of an answer
  without the theme is a negative (a dismissal or a list of examples that the
  dictionary catches in an answer the gold did not code is thus learnable negative
  evidence); in a first fit each sentence of an answer with the theme is a positive
  weighted 1/n; in the second fit only the sentence the first fit scores highest is
  a positive. An answer gets the theme when its best sentence passes the threshold.

Also scored: ``only`` (the sentence coder decides; the dictionary's codes of themes it
learned count only through its features) and ``mean`` (dictionary plus the average of
the two coders' probabilities). Prints micro P/R/F1 per set and pooled for every
threshold (``--no-answer`` skips the slower answer coder); ``--save`` writes each
answer's gold, dictionary codes and both coders' probabilities (JSON lines) for
``benchmarks.theme_nested``-style threshold choices. Written for issue 14 (session 12).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
from collections import Counter
from pathlib import Path

import numpy as np

from benchmarks.theme_loo import CACHE, ROOT, spent_sets
from helpers import coding
from helpers.coding import Coder
from helpers.coding.runner import _skip_questions
from helpers.core.consultation import load_consultation
from helpers.core.sentences import sentence_spans
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import gold_responses


def answers_with_spans(name: str) -> list[dict]:
    """Gold answers of one set with their sentence spans and dictionary codes per sentence."""
    set_dir = ROOT / name
    consultation = load_consultation(set_dir / "consultation.yaml")
    codebook = coding.load_codebook(set_dir / "codebook.yaml", consultation)
    coder = Coder(codebook)
    skip = _skip_questions(codebook, consultation)
    out = []
    for rec in gold_responses(load_gold(set_dir), "all", where=str(set_dir / "gold.yaml")):
        for a in rec.answers:
            if a.themes is None or not a.text.strip() or a.question in skip:
                continue
            spans = sentence_spans(a.text, 0, len(a.text)) or [(0, len(a.text))]
            rows = [r for r in coder.code_text(a.text, a.question) if not r["negated"]]
            hits = [set() for _ in spans]
            for r in rows:
                for k, (s, e) in enumerate(spans):
                    if r["start"] < e and r["end"] > s:
                        hits[k].add(r["theme_id"])
            out.append({
                "set": name, "response": rec.name, "question": a.question, "text": a.text,
                "themes": set(a.themes), "dictionary": {r["theme_id"] for r in rows},
                "spans": spans, "hits": hits,
            })  # fmt: skip
    return out


DESC_SET = "__codebook__"


def codebook_rows(name: str) -> list[dict]:
    """The codebook's theme texts as pseudo-answers (``--desc-rows``): each positive text of
    ``semantic.theme_texts`` (label, description before "Not:", examples) one single-sentence
    answer with its theme as gold, in no set (it trains every fold, is never scored) and on
    no question (it trains the theme's classifiers whatever question they are for). Its
    dictionary hits are the patterns' codes on any of the consultation's questions."""
    from helpers.coding.semantic import theme_texts

    set_dir = ROOT / name
    consultation = load_consultation(set_dir / "consultation.yaml")
    codebook = coding.load_codebook(set_dir / "codebook.yaml", consultation)
    coder = Coder(codebook)
    questions = [q.id for q in consultation.questions]
    out = []
    for theme in codebook.themes:
        for text in dict.fromkeys(theme_texts(theme)[0]):
            found = {r["theme_id"] for q in questions for r in coder.code_text(text, q)
                     if not r["negated"]}  # fmt: skip
            out.append({
                "set": DESC_SET, "response": theme.id, "question": DESC_SET, "text": text,
                "themes": {theme.id}, "dictionary": found, "spans": [(0, len(text))],
                "hits": [found],
            })  # fmt: skip
    return out


def embed_sentences(texts: list[str], model: str) -> np.ndarray:
    """Sentence vectors, cached on disk by content."""
    from helpers.core.embedding import encode

    key = hashlib.sha1((model + "S\x00" + "\x00".join(texts)).encode()).hexdigest()[:16]
    path = CACHE / f"s{key}.npy"
    if path.exists():
        return np.load(path)
    vec = np.asarray(encode(texts, model=model), dtype=np.float64)
    CACHE.mkdir(exist_ok=True)
    np.save(path, vec)
    return vec


def _batch(name: str) -> int:
    """1 for a consultation's first set, N for ``<prefix>-N``, 0 for any other (the survey)."""
    tail = name.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else (0 if "survey" in name else 1)


def _prf(c: Counter) -> tuple[float, float, float]:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


SOLVER = "lbfgs"


def _fit(x, y, w, C):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(
        C=C, class_weight="balanced", max_iter=3000, random_state=0, solver=SOLVER
    ).fit(x, y, sample_weight=w)


def main(argv: list[str] | None = None) -> int:  # noqa: C901, PLR0915
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--consultation", required=True)
    parser.add_argument("--sets", nargs="*", help="only these target sets")
    parser.add_argument("--thresholds", nargs="+", type=float, default=[0.5, 0.6, 0.7, 0.8, 0.9])
    parser.add_argument("--model", default="wordllama")
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--dict-weight", type=float, default=1.0)
    parser.add_argument("--context", type=float, default=0.0,
                        help="also the answer's mean embedding, times this weight")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--min-positives", type=int, default=5)
    parser.add_argument("--min-df", type=int, default=1)
    parser.add_argument("--solver", default="lbfgs")
    parser.add_argument("--no-answer", action="store_true", help="skip the answer-level coder")
    parser.add_argument("--save")
    parser.add_argument(
        "--desc-rows", type=float, default=0.0,
        help="also train on the codebook's theme texts as positive answers, with this weight",
    )  # fmt: skip
    parser.add_argument("--desc-rare", type=int, default=0,
                        help="with --desc-rows: only for themes with fewer coded training "
                        "answers than this (session 24)")  # fmt: skip
    parser.add_argument(
        "--groups", type=int, default=0,
        help="leave out K groups of batches (batch N in group N mod K) instead of one set at a "
        "time: K fits instead of one per set; the saved rows are still out-of-fold",
    )  # fmt: skip
    parser.add_argument("--only-groups", nargs="*", type=int,
                        help="with --groups: only these groups (a long run split over processes)")  # fmt: skip
    args = parser.parse_args(argv)
    global SOLVER
    SOLVER = args.solver
    logging.basicConfig(level=logging.ERROR)

    names = spent_sets(args.consultation)
    data = [a for n in names for a in answers_with_spans(n)]
    if args.desc_rows:
        data += codebook_rows(names[-1])
    desc = np.array([a["set"] == DESC_SET for a in data])
    owner = np.repeat(np.arange(len(data)), [len(a["spans"]) for a in data])
    sent_texts = [a["text"][s:e] for a in data for s, e in a["spans"]]
    first = np.concatenate([[0], np.cumsum([len(a["spans"]) for a in data])]).astype(int)
    svec = embed_sentences(sent_texts, args.model)
    avec = np.zeros((len(data), svec.shape[1]))
    np.add.at(avec, owner, svec)
    avec /= np.maximum(np.linalg.norm(avec, axis=1, keepdims=True), 1e-12)
    sets = np.array([a["set"] for a in data])
    sset = sets[owner]
    themes = sorted({t for a in data for t in a["themes"]})
    texts = [a["text"] for a in data]
    sent_q = np.array([data[i]["question"] for i in owner])
    modes = ("sent", "only") if args.no_answer else ("ans", "sent", "only", "mean")
    kinds = ["dict"] + [f"{m}{t}" for m in modes for t in args.thresholds]
    totals = {k: Counter() for k in kinds}
    per_set = {}
    saved = []
    if args.save:
        Path(args.save).write_text("", encoding="utf-8")
    targets = [[n] for n in (args.sets or names)]
    if args.groups:
        targets = [[n for n in names if _batch(n) % args.groups == g] for g in range(args.groups)
                   if args.only_groups is None or g in args.only_groups]  # fmt: skip
    for group in targets:
        target = group[0] if len(group) == 1 else "+".join(group)
        test = np.nonzero(np.isin(sets, group))[0]
        train = np.nonzero(~np.isin(sets, group))[0]
        strain = np.nonzero(~np.isin(sset, group))[0]
        stest = np.nonzero(np.isin(sset, group))[0]
        where = np.full(len(data), -1)
        where[test] = np.arange(len(test))
        # answer level: the shipped coder's features
        tf_a = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), strip_accents="unicode")
        xa_train = sparse.hstack([sparse.csr_matrix(avec[train]),
                                  tf_a.fit_transform([texts[i] for i in train])]).tocsr()  # fmt: skip
        xa_test = sparse.hstack([sparse.csr_matrix(avec[test]),
                                 tf_a.transform([texts[i] for i in test])]).tocsr()  # fmt: skip
        # sentence level
        tf_s = TfidfVectorizer(
            sublinear_tf=True, ngram_range=(1, 2), strip_accents="unicode", min_df=args.min_df
        )
        parts_tr = [sparse.csr_matrix(svec[strain]),
                    tf_s.fit_transform([sent_texts[i] for i in strain])]  # fmt: skip
        parts_te = [sparse.csr_matrix(svec[stest]), tf_s.transform([sent_texts[i] for i in stest])]
        if args.context:
            parts_tr.append(sparse.csr_matrix(args.context * avec[owner[strain]]))
            parts_te.append(sparse.csr_matrix(args.context * avec[owner[stest]]))
        xs_train = sparse.hstack(parts_tr).tocsr()
        xs_test = sparse.hstack(parts_te).tocsr()
        pa: dict[str, np.ndarray] = {}
        ps: dict[str, np.ndarray] = {}
        psent: dict[str, np.ndarray] = {}  # every test sentence's probability, per theme
        for theme in themes:
            qs = {data[i]["question"] for i in train if theme in data[i]["themes"]}
            # --desc-rare N: the codebook's texts train only themes with fewer than N coded
            # training answers (session 24: a rarely coded theme has the fewest phrasings)
            use_desc = (
                not args.desc_rare
                or sum(theme in data[i]["themes"] for i in train if not desc[i]) < args.desc_rare
            )
            rows = [k for k, i in enumerate(train) if data[i]["question"] in qs
                    or (use_desc and desc[i] and theme in data[i]["themes"])]  # fmt: skip
            y = np.array([theme in data[train[k]]["themes"] for k in rows], dtype=int)
            if (y & ~desc[train[rows]]).sum() < args.min_positives or (1 - y).sum() < 5:
                continue
            aw = np.where(desc[train[rows]], args.desc_rows, 1.0) if args.desc_rows else None
            if not args.no_answer:
                m = _fit(xa_train[rows], y, aw, args.C)
                p = m.predict_proba(xa_test)[:, 1]
                p[[data[j]["question"] not in qs for j in test]] = 0.0
                pa[theme] = p

            def dcols(idx, theme=theme):
                here = np.array([theme in data[owner[i]]["hits"][i - first[owner[i]]] for i in idx])
                anyw = np.array([theme in data[owner[i]]["dictionary"] for i in idx])
                return args.dict_weight * np.column_stack([here, anyw & ~here]).astype(float)

            srows = np.array([k for k, i in enumerate(strain) if sent_q[i] in qs
                              or (use_desc and desc[owner[i]]
                                  and theme in data[owner[i]]["themes"])])  # fmt: skip
            sidx = strain[srows]
            xt = sparse.hstack([xs_train[srows], sparse.csr_matrix(dcols(sidx))]).tocsr()
            bag_pos = np.array([theme in data[owner[i]]["themes"] for i in sidx])
            nsent = np.array([len(data[owner[i]]["spans"]) for i in sidx], dtype=float)
            dw = np.where(desc[owner[sidx]], args.desc_rows, 1.0)
            w = np.where(bag_pos, 1.0 / nsent, 1.0) * dw
            model = _fit(xt, bag_pos.astype(int), w, args.C)
            for _ in range(args.rounds - 1):
                score = model.decision_function(xt)
                keep = ~bag_pos
                own = owner[sidx]
                best = {}
                for k in np.nonzero(bag_pos)[0]:
                    if own[k] not in best or score[k] > score[best[own[k]]]:
                        best[own[k]] = k
                keep[list(best.values())] = True
                kw = dw[keep] if args.desc_rows else None
                model = _fit(xt[keep], bag_pos[keep].astype(int), kw, args.C)
            xq = sparse.hstack([xs_test, sparse.csr_matrix(dcols(stest))]).tocsr()
            sp = model.predict_proba(xq)[:, 1]
            amax = np.zeros(len(test))
            local = where[owner[stest]]
            np.maximum.at(amax, local, sp)
            amax[[data[j]["question"] not in qs for j in test]] = 0.0
            ps[theme] = amax
            psent[theme] = sp
        counts = {k: Counter() for k in kinds}
        # test sentence rows of test answer k: stest is in answer order (owner sorted)
        sfirst = np.searchsorted(where[owner[stest]], np.arange(len(test) + 1))
        for k, j in enumerate(test):
            gold, dic = data[j]["themes"], data[j]["dictionary"]
            if args.save:
                saved.append({
                    "set": data[j]["set"], "question": data[j]["question"], "gold": sorted(gold),
                    "dictionary": sorted(dic), "response": data[j]["response"],
                    "probs": {t: round(float(p[k]), 4) for t, p in pa.items() if p[k] > 0},
                    "sprobs": {t: round(float(p[k]), 4) for t, p in ps.items() if p[k] > 0},
                    # each sentence's probability (the hit sentence's score, session 15)
                    "sentp": {
                        t: [round(float(v), 4) for v in psent[t][sfirst[k] : sfirst[k + 1]]]
                        for t, p in ps.items() if p[k] > 0
                    },
                })  # fmt: skip
            for kind in kinds:
                if kind == "dict":
                    sysset = set(dic)
                else:
                    thr = float(kind[-3:])
                    mode = kind[:-3]
                    if mode == "ans":
                        sysset = set(dic) | {t for t, p in pa.items() if p[k] >= thr}
                    elif mode == "mean":  # the average of the two coders' probabilities
                        sysset = set(dic) | {
                            t for t in set(pa) | set(ps)
                            if ((pa[t][k] if t in pa else 0.0) + (ps[t][k] if t in ps else 0.0)) / 2
                            >= thr
                        }  # fmt: skip
                    elif mode == "sent":
                        sysset = set(dic) | {t for t, p in ps.items() if p[k] >= thr}
                    else:  # learned alone, dictionary only a feature (themes never learned keep it)
                        sysset = {t for t in dic if t not in ps}
                        sysset |= {t for t, p in ps.items() if p[k] >= thr}
                counts[kind]["tp"] += len(gold & sysset)
                counts[kind]["fp"] += len(sysset - gold)
                counts[kind]["fn"] += len(gold - sysset)
        per_set[target] = counts
        if args.save:  # after every fold, so a long run's finished folds are kept
            with Path(args.save).open("a", encoding="utf-8") as fh:
                fh.write("".join(json.dumps(r) + "\n" for r in saved))
            saved = []
        for kind in kinds:
            totals[kind].update(counts[kind])
        line = " ".join(f"{k}={_prf(counts[k])[2]:.3f}" for k in kinds)
        print(f"{target:16s} {line}", flush=True)
    for kind in kinds:
        p, r, f = _prf(totals[kind])
        base = "dict" if args.no_answer or kind == "dict" else "ans" + kind[-3:]
        wins = sum(_prf(c[kind])[2] > _prf(c[base])[2] for c in per_set.values())
        print(f"pooled {kind:8s} P {p:.3f} R {r:.3f} F1 {f:.3f}  (sets better than {base}: {wins})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
