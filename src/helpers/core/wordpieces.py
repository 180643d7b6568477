"""WordLlama's token ids of many texts, each distinct word tokenized once.

WordLlama's tokenizer (Llama 2's, converted to a Hugging Face ``tokenizers`` file) has no
pre-tokenizer: a text becomes one string (``"▁"`` prepended, every space replaced by
``"▁"``) and byte-pair merging runs over the whole of it, so the library caches nothing
between texts and every sentence is merged from its characters (about 37 µs a sentence on
this machine; at 10,000 generated survey respondents about 22 of the trained coder's 58 CPU
s, session 25).

``token_ids`` gives the same ids by merging each *word* once: the string is cut before
every ``"▁"`` that follows another character (a word keeps the run of ``"▁"`` before it),
each distinct word is merged by the tokenizer's own model (``Model.tokenize``) and kept,
and a text's ids are its words' ids in order.

Why the ids are the same (checked when the tokenizer is loaded, ``_word_safe``): a merge
joins two adjacent tokens into a token of the vocabulary, and no token of this vocabulary
holds a ``"▁"`` after another character, so no merge ever joins tokens across such a cut:
each word's tokens evolve by themselves, and byte-pair merging of the whole string ends
with every word merged as it would be alone. Unknown characters become byte tokens
(``byte_fallback``), one character at a time, so nothing fuses across a cut either. A text
holding one of the tokenizer's added tokens (``<s>``, ``</s>``, ``<unk>``), which the
library splits out before normalising, is left to the library, as is every text when the
tokenizer is not of this shape (another model). ``tests/test_scale_session25.py`` compares
with the library on the spent development sets' sentences and on generated strings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from itertools import chain

MARK = "\u2581"  # "▁", sentencepiece's word mark
_WORD = re.compile(MARK + "+[^" + MARK + "]*")
# distinct words kept between calls (emptied past this many)
CACHE_WORDS = 200_000


class WordPieces:
    """``token_ids`` for one ``tokenizers.Tokenizer`` (no padding, no special tokens)."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer
        spec = json.loads(tokenizer.to_str())
        self.by_words = _word_safe(spec)
        self.added = [a["content"] for a in spec.get("added_tokens") or []]
        self.words = _Words(tokenizer.model)

    def token_ids(self, strings: Sequence[str]) -> list[list[int]]:
        """Each string's token ids, as ``encode_batch(strings, add_special_tokens=False)``
        gives them."""
        if not self.by_words:
            return self._library(list(strings))
        out: list[list[int] | None] = []
        left: list[int] = []
        if len(self.words) > CACHE_WORDS:
            self.words.clear()
        ids_of, findall, added = self.words.__getitem__, _WORD.findall, self.added
        for i, s in enumerate(strings):
            if not s or any(a in s for a in added):
                out.append(None)
                left.append(i)
                continue
            out.append(list(chain.from_iterable(map(ids_of, findall(MARK + s.replace(" ", MARK))))))
        if left:
            for i, ids in zip(left, self._library([strings[i] for i in left]), strict=True):
                out[i] = ids
        return out  # type: ignore[return-value]

    def _library(self, strings: list[str]) -> list[list[int]]:
        tok = self.tokenizer
        batch = getattr(tok, "encode_batch_fast", tok.encode_batch)
        return [e.ids for e in batch(strings, is_pretokenized=False, add_special_tokens=False)]


class _Words(dict):
    """Each word's ids, merged by the model when first asked for."""

    def __init__(self, model) -> None:
        super().__init__()
        self.model = model

    def __missing__(self, word: str) -> list[int]:
        ids = self[word] = [t.id for t in self.model.tokenize(word)]
        return ids


def _word_safe(spec: dict) -> bool:
    """Whether merging word by word gives the library's ids for this tokenizer (module
    docstring): no pre-tokenizer, the normaliser ``Prepend("▁")`` then ``Replace(" ", "▁")``,
    a BPE model without dropout, suffixes or prefixes, and no vocabulary token with a
    ``"▁"`` after another character."""
    model = spec.get("model") or {}
    norm = spec.get("normalizer") or {}
    steps = norm.get("normalizers") if norm.get("type") == "Sequence" else None
    expected = [
        {"type": "Prepend", "prepend": MARK},
        {"type": "Replace", "pattern": {"String": " "}, "content": MARK},
    ]
    return (
        spec.get("pre_tokenizer") is None
        and steps == expected
        and model.get("type") == "BPE"
        and model.get("dropout") is None
        and not model.get("continuing_subword_prefix")
        and not model.get("end_of_word_suffix")
        and not any(re.search("[^" + MARK + "]" + MARK, t) for t in model.get("vocab") or {})
    )
