"""Sentiment, stance's last resort: VADER's compound score over an answer's first sentences.

Used only when no explicit cue and no evaluative sentence is found, and then
only as a weak signal (see :mod:`helpers.stance.infer`). Scores come from the
compiled :mod:`helpers.stance.vader` (the same floats as upstream) or, where it
declines a sentence, from upstream vaderSentiment made cheaper (:func:`_vader`).
"""

from __future__ import annotations

from functools import lru_cache

from helpers.stance import vader
from helpers.stance.caches import _CACHE_MAX, _compound_cache
from helpers.stance.sentences import _first_sentences
from helpers.stance.vocabulary import _COURTESY_SENTENCE_RE

SENTIMENT_THRESHOLD = 0.4  # mean VADER compound needed to call a direction
MAX_SENTIMENT_SENTENCES = 2
MAX_SENTIMENT_CHARS = 3000


@lru_cache(maxsize=1)
def _vader():
    """VADER's analyser, with the same scores as upstream (vaderSentiment 3.3.2).

    Three steps of upstream's are made cheaper without changing a score:
    ``polarity_scores`` first rebuilds the text character by character to spell
    out emoji, and a sentence with no emoji comes out unchanged, so for those that
    pass is skipped; a word outside the lexicon scores 0 without the per-word
    ``sentiment_valence`` call; and the negation and idiom checks, run for each
    sentiment word, each lower-case the whole sentence again, so that list is made
    once per sentence (their bodies below are upstream's, reading it). ``compound``
    gives the one score stance uses, skipping the scoring of a sentence with no
    lexicon word (its compound is 0.0). Checked against upstream on every
    sentence of the benchmark corpora.
    """
    from vaderSentiment import vaderSentiment as vs

    negate = frozenset(vs.NEGATE)

    def negated(word: str) -> bool:
        """Upstream ``negated([word])``."""
        word = str(word).lower()
        return word in negate or "n't" in word

    class _Analyzer(vs.SentimentIntensityAnalyzer):
        def __init__(self) -> None:
            super().__init__()
            self._emoji_chars = frozenset(self.emojis)
            self._lowered_memo: tuple[list, list[str]] = ([], [])

        def _lowered(self, words: list) -> list[str]:
            """``[str(w).lower() for w in words]``, once per token list (safe across threads)."""
            memo = self._lowered_memo
            if memo[0] is not words:
                memo = self._lowered_memo = (words, [str(w).lower() for w in words])
            return memo[1]

        def _negation_check(self, valence, words_and_emoticons, start_i, i):
            low = self._lowered(words_and_emoticons)
            if start_i == 0:
                if negated(low[i - (start_i + 1)]):
                    valence = valence * vs.N_SCALAR
            if start_i == 1:
                if low[i - 2] == "never" and (low[i - 1] == "so" or low[i - 1] == "this"):
                    valence = valence * 1.25
                elif low[i - 2] == "without" and low[i - 1] == "doubt":
                    valence = valence
                elif negated(low[i - (start_i + 1)]):
                    valence = valence * vs.N_SCALAR
            if start_i == 2:
                if (
                    low[i - 3] == "never"
                    and (low[i - 2] == "so" or low[i - 2] == "this")
                    or (low[i - 1] == "so" or low[i - 1] == "this")
                ):
                    valence = valence * 1.25
                elif low[i - 3] == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt"):
                    valence = valence
                elif negated(low[i - (start_i + 1)]):
                    valence = valence * vs.N_SCALAR
            return valence

        def _special_idioms_check(self, valence, words_and_emoticons, i):
            low = self._lowered(words_and_emoticons)
            onezero = f"{low[i - 1]} {low[i]}"
            twoonezero = f"{low[i - 2]} {low[i - 1]} {low[i]}"
            twoone = f"{low[i - 2]} {low[i - 1]}"
            threetwoone = f"{low[i - 3]} {low[i - 2]} {low[i - 1]}"
            threetwo = f"{low[i - 3]} {low[i - 2]}"
            for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
                if seq in vs.SPECIAL_CASES:
                    valence = vs.SPECIAL_CASES[seq]
                    break
            if len(low) - 1 > i:
                zeroone = f"{low[i]} {low[i + 1]}"
                if zeroone in vs.SPECIAL_CASES:
                    valence = vs.SPECIAL_CASES[zeroone]
            if len(low) - 1 > i + 1:
                zeroonetwo = f"{low[i]} {low[i + 1]} {low[i + 2]}"
                if zeroonetwo in vs.SPECIAL_CASES:
                    valence = vs.SPECIAL_CASES[zeroonetwo]
            # check for booster/dampener bi-grams such as 'sort of' or 'kind of'
            for n_gram in (threetwoone, threetwo, twoone):
                if n_gram in vs.BOOSTER_DICT:
                    valence = valence + vs.BOOSTER_DICT[n_gram]
            return valence

        def polarity_scores(self, text: str) -> dict:
            if not (text.isascii() or self._emoji_chars.isdisjoint(text)):
                return super().polarity_scores(text)
            text, words_and_emoticons, sentiments, _ = self._valences(text)
            sentiments = self._but_check(words_and_emoticons, sentiments)
            return self.score_valence(sentiments, text)

        def compound(self, text: str) -> float:
            """``polarity_scores(text)["compound"]``, 0.0 at once for a sentence
            with no word in the lexicon: all its valences are 0, which "but"
            leaves 0, and upstream's compound of a zero sum is 0.0."""
            if not (text.isascii() or self._emoji_chars.isdisjoint(text)):
                return super().polarity_scores(text)["compound"]
            text, words_and_emoticons, sentiments, scored = self._valences(text)
            if not scored:
                return 0.0
            sentiments = self._but_check(words_and_emoticons, sentiments)
            return self.score_valence(sentiments, text)["compound"]

        def _valences(self, text: str) -> tuple[str, list, list, bool]:
            """(stripped text, tokens, valences, whether any token is in the lexicon).

            Upstream's polarity_scores up to the "but" check, for a text without
            emoji, except that a word outside the lexicon gets its 0 here (as
            sentiment_valence gives it).
            """
            text = text.strip()
            sentitext = vs.SentiText(text)
            sentiments: list = []
            words_and_emoticons = sentitext.words_and_emoticons
            low = self._lowered(words_and_emoticons)
            lexicon = self.lexicon
            last = len(words_and_emoticons) - 1
            scored = False
            for i, item in enumerate(words_and_emoticons):
                valence = 0
                item_lower = low[i]
                if item_lower in vs.BOOSTER_DICT:
                    sentiments.append(valence)
                    continue
                if i < last and item_lower == "kind" and low[i + 1] == "of":
                    sentiments.append(valence)
                    continue
                if item_lower not in lexicon:
                    sentiments.append(valence)
                    continue
                scored = True
                sentiments = self.sentiment_valence(valence, sentitext, item, i, sentiments)
            return text, words_and_emoticons, sentiments, scored

    return _Analyzer()


def compound(sentence: str) -> float:
    """VADER's compound score of ``sentence``: compiled (:mod:`helpers.stance.vader`, the same
    float) unless it declines the sentence, then upstream's. Memoised."""
    score = _compound_cache.get(sentence)
    if score is None:
        if len(_compound_cache) > _CACHE_MAX:
            _compound_cache.clear()
        score = vader.compound(sentence)
        if score is None:
            score = _vader().compound(sentence)
        _compound_cache[sentence] = score
    return score


def _sentiment(
    text: str, orig: str, lo: int, hi: int, first: list[tuple[int, int]] | None = None
) -> tuple[float, tuple[int, int] | None]:
    """Mean VADER compound over the first few sentences, and the most polar sentence.

    ``text`` is the lower-cased answer used to find sentences (``first``, when
    the first pass found them); VADER reads ``orig`` (same offsets), since
    capitals carry emphasis for it.
    """
    spans = first
    if spans is None:
        hi_bounded = min(hi, lo + MAX_SENTIMENT_CHARS)
        spans = _first_sentences(text, lo, hi_bounded, MAX_SENTIMENT_SENTENCES)
    if not spans:
        return 0.0, None
    spans = [(s, e) for s, e in spans if not _COURTESY_SENTENCE_RE.search(text, s, e)]
    if not spans:
        return 0.0, None
    scores = [compound(orig[s:e]) for s, e in spans]
    best = max(range(len(spans)), key=lambda i: (abs(scores[i]), -i))
    return sum(scores) / len(scores), spans[best]
