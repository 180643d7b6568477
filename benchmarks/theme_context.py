"""The ``context`` stacker columns on the saved out-of-fold rows (issue 14, session 28).

``theme_gbm --extras context`` (or ``contextw``, ``contextd``) reads them: each
candidate's best ``benchmarks.theme_descmargin`` margin, its evidence's cosine to the theme's
description minus the largest to another theme's (WordLlama vectors, as the trained coder
computes them). ``context``: the evidence is each sentence the theme's patterns fire in
(every sentence for a classifier-only candidate); ``contextw``: the words within
``WINDOW`` of each pattern match, inside its sentence (sentences for classifier-only
candidates); ``contextd``: ``context`` for dictionary candidates, 0 for the rest. The
columns depend on the set's codebook and the answer only, so they are attached once for
every row (no fold can leak into them). Spent sets only: the rows never hold a held-back
set, and each codebook is read by the set name the row carries.
"""

from __future__ import annotations

import re

import numpy as np

from benchmarks import theme_descmargin as descmargin
from benchmarks.theme_loo import ROOT
from benchmarks.theme_sentence_loo import embed_sentences
from helpers import coding
from helpers.coding import Coder
from helpers.core.consultation import load_consultation

NAMES = ("context", "contextw", "contextd")
WINDOW = 5  # words either side of a pattern match (``contextw``)
_WORD = re.compile(r"\S+")


def load_book(name: str):
    set_dir = ROOT / name
    return coding.load_codebook(
        set_dir / "codebook.yaml", load_consultation(set_dir / "consultation.yaml")
    )


def descriptions(book) -> tuple[list[str], np.ndarray]:
    """A codebook's theme ids (file order) and their description vectors."""
    ids = [t.id for t in book.themes]
    texts = [descmargin.description_text(t.label, t.description) for t in book.themes]
    return ids, embed_sentences(texts, "wordllama")


def window(text: str, s: int, e: int, ms: int, me: int, width: int = WINDOW) -> str:
    """The words of ``text[s:e]`` within ``width`` words of the match ``[ms, me)``."""
    words = [(m.start() + s, m.end() + s) for m in _WORD.finditer(text[s:e])]
    if not words:
        return text[s:e]
    first = next((k for k, (a, b) in enumerate(words) if b > ms), len(words) - 1)
    last = max((k for k, (a, b) in enumerate(words) if a < me), default=first)
    lo, hi = max(first - width, 0), min(last + width, len(words) - 1)
    return text[words[lo][0] : words[hi][1]]


def attach_context(rows: list[dict]) -> None:
    """``r["context"]`` / ``r["contextw"]`` / ``r["contextd"]``: theme -> column, for every
    learned theme of every row."""
    if rows and "context" in rows[0]:
        return
    books = {name: load_book(name) for name in dict.fromkeys(r["set"] for r in rows)}
    desc = {name: descriptions(b) for name, b in books.items()}
    coders = {name: Coder(b) for name, b in books.items()}
    texts = [r["text"][s:e] for r in rows for s, e in r["spans"]]
    vec = embed_sentences(texts, "wordllama")
    wins, owners = [], []
    for n, r in enumerate(rows):
        for h in coders[r["set"]].code_text(r["text"], r["question"]):
            if h["negated"] or h["theme_id"] not in r["probs"]:
                continue
            wins.append(window(r["text"], h["start"], h["end"], h["match_start"], h["match_end"]))
            owners.append((n, h["theme_id"]))
    wvec = embed_sentences(wins, "wordllama") if wins else np.zeros((0, 1))
    by_row: dict[int, list[tuple[str, int]]] = {}
    for j, (n, t) in enumerate(owners):
        by_row.setdefault(n, []).append((t, j))
    k = 0
    for n, r in enumerate(rows):
        ids, dvec = desc[r["set"]]
        col = {t: j for j, t in enumerate(ids)}
        m = descmargin.margins(vec[k : k + len(r["spans"])], dvec)
        k += len(r["spans"])
        mine = by_row.get(n, [])
        wm = descmargin.margins(wvec[[j for _, j in mine]], dvec) if mine else None
        r["context"], r["contextw"], r["contextd"] = {}, {}, {}
        for t in r["probs"]:
            if t not in col:
                r["context"][t] = r["contextw"][t] = r["contextd"][t] = descmargin.EMPTY
                continue
            ev = [t in ts for ts in r["sentence_themes"]]
            r["context"][t] = descmargin.column(m[:, col[t]], ev)
            r["contextd"][t] = r["context"][t] if t in r["dictionary"] else descmargin.EMPTY
            here = [q for q, (tt, _) in enumerate(mine) if tt == t]
            r["contextw"][t] = float(wm[here, col[t]].max()) if here else r["context"][t]
