"""Baseline engines the project's coder is compared with.

Every engine codes the same ``(respondent_id, question_id, text)`` rows with
the same codebook patterns and yields, per answer, the set of theme ids it
found. Baselines implement only what they are compared on: pattern lookup,
with theme ``questions`` restrictions applied. They ignore ``exclude``,
``cooccur`` and negation, which the project's coder handles (so they do
strictly less work).

Pattern syntax (``helpers.coding.codebook``): words separated by spaces, case
ignored; a plain word matches any word with the same Snowball stem; a word
ending in ``*`` matches any word starting with it; ``=word`` matches only that
exact form; hyphens count as spaces and curly apostrophes as straight ones.

- ``NltkBaseline``: an NLTK pipeline with its ordinary optimisation. Regex word
  tokenise, SnowballStemmer on every token through a cache (``functools.lru_cache``:
  a word is stemmed once), then look up stems and stemmed phrases.
- ``SpacyBaseline``: spaCy ``PhraseMatcher(attr="LOWER")`` on ``spacy.blank("en")``.
  It has neither stems nor wildcards, so each pattern word is expanded into
  the corpus words (``corpus_vocabulary``) with the same stem, or starting
  with the prefix; see ``expand_patterns``.
- ``ScanBaseline``: the ceiling. Casefold plus one regex word count: any
  coder must at least read every character once.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from collections.abc import Iterable, Iterator

from .generate import Row, Vocabulary

log = logging.getLogger(__name__)

# Words as the codebook sees them: letters/digits with internal apostrophes
# ("don't"); hyphens split words ("well-being" = "well being").
WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_HYPHENS = str.maketrans({"-": " ", "\u2010": " ", "\u2011": " "})
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})

# A pattern as words: (text, kind) with kind "stem", "prefix" or "exact".
PatternWords = tuple[tuple[str, str], ...]


def parse_pattern(pattern: str) -> PatternWords:
    """``'=NEET access request*'`` -> ``(('neet', 'exact'), ('access', 'stem'), ('request', 'prefix'))``.

    Raises ValueError naming the pattern if it has no words.
    """
    words = []
    for raw in pattern.casefold().translate(_HYPHENS).translate(_APOSTROPHES).split():
        kind = "prefix" if raw.endswith("*") else "exact" if raw.startswith("=") else "stem"
        word = raw.strip("*=")
        if word:
            words.append((word, kind))
    if not words:
        raise ValueError(f"pattern {pattern!r}: no words to match")
    return tuple(words)


def _allowed(vocab: Vocabulary, question_id: str, cache: dict[str, frozenset[str]]) -> frozenset:
    allowed = cache.get(question_id)
    if allowed is None:
        allowed = cache[question_id] = frozenset(vocab.themes_for(question_id))
    return allowed


class NltkBaseline:
    """Regex tokenise, Snowball-stem every token, look up stemmed patterns."""

    name = "nltk"
    description = "regex tokens + SnowballStemmer (lru_cache) on every token + stem/phrase lookup"

    def __init__(self, vocab: Vocabulary) -> None:
        from nltk.stem.snowball import SnowballStemmer

        self.vocab = vocab
        # Unbounded: one entry per distinct word (tens of thousands), as anyone would cache it.
        self.stem = functools.lru_cache(maxsize=None)(SnowballStemmer("english").stem)
        # Each pattern word becomes (kind, stem/prefix/form); phrases are indexed
        # by their first word so only candidate phrases are checked.
        self.by_stem: dict[str, list[tuple[tuple[tuple[str, str], ...], str]]] = {}
        self.by_prefix: list[tuple[str, tuple[tuple[str, str], ...], str]] = []
        for theme, patterns in vocab.terms.items():
            for p in patterns:
                words = tuple(
                    (kind, self.stem(w) if kind == "stem" else w) for w, kind in parse_pattern(p)
                )
                kind, first = words[0]
                if kind == "prefix":
                    self.by_prefix.append((first, words, theme))
                else:  # an exact form is found via its stem, then checked
                    key = first if kind == "stem" else self.stem(first)
                    self.by_stem.setdefault(key, []).append((words, theme))
        self.prefixes = tuple(p for p, _, _ in self.by_prefix)
        self._allowed: dict[str, frozenset[str]] = {}

    @staticmethod
    def _word_matches(word: tuple[str, str], token: str, stem: str) -> bool:
        kind, value = word
        if kind == "stem":
            return stem == value
        return token.startswith(value) if kind == "prefix" else token == value

    def _phrase_at(self, words, tokens: list[str], stems: list[str], i: int) -> bool:
        if i + len(words) > len(tokens):
            return False
        return all(self._word_matches(w, tokens[i + j], stems[i + j]) for j, w in enumerate(words))

    def code_text(self, text: str, question_id: str) -> frozenset[str]:
        """Theme ids whose patterns occur in ``text``."""
        tokens = WORD_RE.findall(text.lower().translate(_APOSTROPHES))
        stems = [self.stem(t) for t in tokens]
        found: set[str] = set()
        for i, (tok, stem) in enumerate(zip(tokens, stems, strict=True)):
            for words, theme in self.by_stem.get(stem, ()):
                if self._phrase_at(words, tokens, stems, i):
                    found.add(theme)
            if self.prefixes and tok.startswith(self.prefixes):
                for prefix, words, theme in self.by_prefix:
                    if tok.startswith(prefix) and self._phrase_at(words, tokens, stems, i):
                        found.add(theme)
        return frozenset(found & _allowed(self.vocab, question_id, self._allowed))

    def code_rows(self, rows: Iterable[Row]) -> Iterator[frozenset[str]]:
        """Theme sets, one per row."""
        for _, qid, text in rows:
            yield self.code_text(text, qid)


def corpus_vocabulary(texts: Iterable[str]) -> set[str]:
    """The distinct lower-cased words of ``texts`` (to expand prefix patterns against)."""
    words: set[str] = set()
    for t in texts:
        words.update(WORD_RE.findall(t.lower().translate(_APOSTROPHES)))
    return words


def expand_patterns(
    patterns: Iterable[str], vocabulary: Iterable[str], max_per_pattern: int = 200
) -> tuple[list[str], list[str]]:
    """Expand each pattern into the plain phrases of ``vocabulary`` words it matches.

    A plain word expands to itself and every vocabulary word with the same
    Snowball stem (``record`` -> ``records``, ``recorded``); a prefix word
    (``homeless*``) to the vocabulary words starting with it; an exact word
    (``=neet``) only to itself. Returns
    ``(phrases, dropped)``: phrases for a PhraseMatcher, and the patterns
    with a prefix that matched no vocabulary word (they can match nothing in
    this corpus). At most ``max_per_pattern`` phrases per pattern, so several
    wildcards in one pattern cannot blow up combinatorially.
    """
    from nltk.stem.snowball import SnowballStemmer

    stem = SnowballStemmer("english").stem
    vocab = sorted(set(vocabulary))
    by_stem: dict[str, list[str]] = {}
    for v in vocab:
        by_stem.setdefault(stem(v), []).append(v)
    phrases: list[str] = []
    dropped: list[str] = []
    for p in patterns:
        options = []
        for word, kind in parse_pattern(p):
            if kind == "prefix":
                options.append([v for v in vocab if v.startswith(word)])
            elif kind == "exact":
                options.append([word])
            else:
                options.append(sorted({word, *by_stem.get(stem(word), ())}))
        if not all(options):
            dropped.append(p)
            continue
        for combo in itertools.islice(itertools.product(*options), max_per_pattern):
            phrases.append(" ".join(combo))
            if len(combo) > 1:  # spaCy keeps '-' as a token: 'well-being' is 3 tokens
                phrases.append("-".join(combo))
    return phrases, dropped


class SpacyBaseline:
    """spaCy PhraseMatcher (attr LOWER) on a blank English tokenizer."""

    name = "spacy"
    description = "spacy.blank('en') tokenizer + PhraseMatcher(attr='LOWER'), wildcards expanded"

    def __init__(self, vocab: Vocabulary, vocabulary: Iterable[str], batch_size: int = 256) -> None:
        import spacy
        from spacy.matcher import PhraseMatcher

        self.vocab = vocab
        self.nlp = spacy.blank("en")
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.batch_size = batch_size
        words = set(vocabulary)
        self.dropped: list[str] = []
        for theme, patterns in vocab.terms.items():
            phrases, dropped = expand_patterns(patterns, words)
            self.dropped.extend(dropped)
            if phrases:
                self.matcher.add(theme, [self.nlp.make_doc(p) for p in phrases])
        if self.dropped:
            log.info("spaCy baseline: %d prefix pattern(s) match no corpus word", len(self.dropped))
        self._allowed: dict[str, frozenset[str]] = {}

    def code_rows(self, rows: Iterable[Row]) -> Iterator[frozenset[str]]:
        """Theme sets, one per row (tokenised in batches, as spaCy is meant to be used)."""
        strings = self.nlp.vocab.strings
        tokenizer = self.nlp.tokenizer
        it = iter(rows)
        while batch := list(itertools.islice(it, self.batch_size)):  # itertools.batched is 3.12+
            docs = tokenizer.pipe((t for _, _, t in batch), batch_size=self.batch_size)
            for (_, qid, _), doc in zip(batch, docs, strict=True):
                found = {strings[m_id] for m_id, _, _ in self.matcher(doc)}
                yield frozenset(found & _allowed(self.vocab, qid, self._allowed))


class ScanBaseline:
    """The ceiling: casefold every text and count its words with one regex."""

    name = "scan"
    description = "casefold + one regex word count (reads every character once)"

    def __init__(self) -> None:
        self.words = 0

    def code_rows(self, rows: Iterable[Row]) -> Iterator[frozenset[str]]:
        """Empty theme sets, one per row; counts words in ``self.words``."""
        findall = WORD_RE.findall
        empty: frozenset[str] = frozenset()
        for _, _, text in rows:
            self.words += len(findall(text.casefold()))
            yield empty


class ReadBaseline:
    """The absolute floor: casefold every text and take its length (no tokenising at all)."""

    name = "read"
    description = "casefold only (the cost of touching every character)"

    def __init__(self) -> None:
        self.chars = 0

    def code_rows(self, rows: Iterable[Row]) -> Iterator[frozenset[str]]:
        """Empty theme sets, one per row; counts characters in ``self.chars``."""
        empty: frozenset[str] = frozenset()
        for _, _, text in rows:
            self.chars += len(text.casefold())
            yield empty
