"""Naming discovered themes and writing the draft codebook (``codebook.draft.yaml``).

A cluster of sentences (``discover``) becomes a theme here, without a language
model and deterministically:

- **distinctive phrases** by class-based tf-idf (c-TF-IDF, as BERTopic): for
  each term (a content word grouped by Snowball stem, or two adjacent content
  words), ``tf`` = the share of the cluster's sentences that use it and the
  weight ``log(1 + A / f)``, where ``f`` is the number of the question's
  sentences using it and ``A`` the mean cluster size, so words every cluster
  uses ("support", the question's own words) sink. Stopwords are the package's
  list (``helpers/data/stopwords_en.txt``, as ``suggest``) and words that frame
  a point rather than make it ("agree", "please": ``discovery_stopwords_en.txt``); a term must occur
  in at least two of the cluster's sentences.
- **label**: the top three phrases ("Rent, deposit and flat of my own"), a
  word left out when a chosen phrase contains it;
- **description**: one sentence built from the top phrases and the question;
- **patterns**: the top phrases that the codebook loader accepts
  (``codebook.pattern_problem``), as written by respondents (a plain word
  matches its stem, so ``rents`` finds ``rent``).

``write_draft`` writes the codebook with each theme's coverage, stance split
and traceable quotes (respondent id and offsets) as YAML comments above it,
and the quotes' text as the theme's ``examples``, so ``load_codebook`` reads
the file back as it is.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from helpers.coding.codebook import pattern_problem
from helpers.coding.suggest import _is_content, _tokens, stopwords

MIN_TERM_SENTENCES = 2
N_LABEL_TERMS = 3
N_PATTERNS = 5
N_CANDIDATES = 12


@lru_cache(maxsize=1)
def label_stopwords() -> frozenset[str]:
    """``stopwords()`` plus ``helpers/data/discovery_stopwords_en.txt`` (framing words)."""
    path = resources.files("helpers").joinpath("data/discovery_stopwords_en.txt")
    extra = {
        line.strip().lower()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    return stopwords() | extra


def sentence_terms(text: str, start: int, end: int) -> dict[str, str]:
    """The distinct terms of one sentence: key (stem or stem pair) -> surface form."""
    stop = label_stopwords()
    toks = _tokens(text, start, end)
    out: dict[str, str] = {}
    for w, s in toks:
        if _is_content(w, stop):
            out.setdefault(s, w)
    for (w1, s1), (w2, s2) in zip(toks, toks[1:], strict=False):
        if _is_content(w1, stop) and _is_content(w2, stop) and s1 != s2:
            out.setdefault(f"{s1} {s2}", f"{w1} {w2}")
    return out


def distinctive_terms(
    clusters: dict[int, list[dict[str, str]]], top: int = N_CANDIDATES
) -> dict[int, list[tuple[str, float]]]:
    """Per cluster, its ``top`` terms (surface form, c-TF-IDF score), best first.

    ``clusters`` maps a cluster to the term dicts of its sentences (``sentence_terms``);
    a cluster keyed ``-1`` (the rest) counts in ``f`` but gets no terms.
    """
    f: Counter = Counter()
    surfaces: dict[str, Counter] = defaultdict(Counter)
    per: dict[int, Counter] = {}
    for c, sentences in clusters.items():
        counts: Counter = Counter()
        for terms in sentences:
            for key, surface in terms.items():
                counts[key] += 1
                surfaces[key][surface] += 1
        per[c] = counts
        f.update(counts)
    sizes = [len(s) for c, s in clusters.items() if s]
    mean = sum(sizes) / max(1, len(sizes))
    out: dict[int, list[tuple[str, float]]] = {}
    for c, counts in per.items():
        if c < 0:
            continue
        n = max(1, len(clusters[c]))
        scored = []
        for key, k in counts.items():
            if k < MIN_TERM_SENTENCES:
                continue
            score = (k / n) * math.log(1 + mean / f[key])
            # two-word phrases read better than their words: a small bonus
            score *= 1.2 if " " in key else 1.0
            surface = min(surfaces[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]
            scored.append((round(score, 6), surface, key))
        scored.sort(key=lambda r: (-r[0], r[1]))
        out[c] = [(surface, score) for score, surface, _ in scored[:top]]
    return out


def label_terms(terms: list[tuple[str, float]], n: int = N_LABEL_TERMS) -> list[str]:
    """The ``n`` best phrases, skipping a word a chosen phrase already contains."""
    chosen: list[str] = []
    for surface, _ in terms:
        words = set(surface.split())
        if any(words <= set(c.split()) or set(c.split()) <= words for c in chosen):
            continue
        chosen.append(surface)
        if len(chosen) == n:
            break
    return chosen


def make_label(phrases: list[str]) -> str:
    if not phrases:
        return "Unlabelled"
    text = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]
    return text[0].upper() + text[1:]


def make_description(phrases: list[str], question_label: str) -> str:
    """One sentence: what the theme's answers talk about, and where."""
    if not phrases:
        return f"Other points made in answers to: {question_label}"
    joined = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " or " + phrases[-1]
    return f"Answers to “{question_label}” that raise {joined}."


def make_patterns(terms: list[tuple[str, float]], n: int = N_PATTERNS) -> list[str]:
    """Up to ``n`` of the terms the codebook loader accepts as patterns."""
    out: list[str] = []
    for surface, _ in terms:
        if pattern_problem(surface) is None and surface not in out:
            out.append(surface)
        if len(out) == n:
            break
    return out


def slug(text: str) -> str:
    """An id fragment: ascii lower case letters, digits and ``_``."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def theme_id(question_id: str, phrases: list[str], taken: set[str]) -> str:
    base = "_".join(p for p in (slug(question_id), slug(phrases[0] if phrases else "other")) if p)
    if not base or not base[0].isalpha():
        base = f"t_{base}"
    tid, i = base, 2
    while tid in taken:
        tid, i = f"{base}_{i}", i + 1
    taken.add(tid)
    return tid


# --- the YAML file ------------------------------------------------------------------


def _comment(text: str) -> str:
    return " ".join(str(text).split())


def draft_yaml(codebook: dict, notes: dict[str, list[str]] | None = None) -> str:
    """The draft codebook as YAML text; ``notes[theme_id]`` become comments above a theme."""
    notes = notes or {}
    head = {k: v for k, v in codebook.items() if k != "themes"}
    lines = [
        "# Draft codebook written by `consult discover`: check every theme, rename it,",
        "# merge or split it, and edit its patterns before using it as codebook.yaml.",
        "# Coverage counts each campaign's copies once.",
        yaml.safe_dump(head, sort_keys=False, allow_unicode=True, width=100).rstrip(),
        "themes:",
    ]
    for theme in codebook["themes"]:
        for note in notes.get(theme["id"], []):
            lines.append(f"  # {_comment(note)}")
        body = yaml.safe_dump([theme], sort_keys=False, allow_unicode=True, width=100)
        lines.extend("  " + line for line in body.rstrip().splitlines())
    return "\n".join(lines) + "\n"


def write_draft(
    path: str | Path, codebook: dict, notes: dict[str, list[str]] | None = None
) -> Path:
    """Write ``codebook`` (a mapping the loader accepts) with ``notes`` to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(draft_yaml(codebook, notes), encoding="utf-8")
    return path
