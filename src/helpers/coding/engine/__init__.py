"""The compiled dictionary-coding engine (numba), beside the pure-Python reference.

In:  a :class:`~helpers.coding.coder.Coder`'s tables (``helpers.coding.tables``)
     and a batch of answers.
Out: the same code rows the reference (``helpers.coding.reference``) produces,
     faster; differential tests check they agree. The engine reads the
     reference's tables and hands it what it cannot reproduce; the reference
     never imports the engine (only ``helpers.coding.coder`` does, to choose it).

The reference spends ~1 µs of Python per candidate word, and real text has
~21 candidates per KB, so pure Python tops out near 10 MB/s. Here a batch of
answers is one array of code points and compiled passes do the work:

1. ``tokenize``: normalise every character through a table (lower case,
   hyphens as spaces, straight apostrophes: ``patterns.normalise_text``), cut
   the tokens ``patterns._TOKEN_RE`` would find, hash each (64-bit FNV-1a) and
   look it up in the vocabulary's hash table, and note where the line breaks
   and stops are. Tokens not yet known are returned to Python, which stems them
   once and adds them (the vocabulary is Zipfian, so after the first MB almost
   every token is known); ``relookup`` then fills in their ids.
2. ``match``: per answer, the anchor candidates of every token (precomputed per
   vocabulary entry), phrases verified outwards word by word with the gap
   rules of ``phrases._next_word``/``phrases._prev_word``, exclusions, negator
   hints, the sentence of each match (``sentencefinder._SentenceFinder``'s
   clear-cut pieces), negation (``negation.negated``), the best match per
   (theme, sentence) and the co-occurrence groups, written as rows ordered as
   the Python coder orders them.
3. ``utf8_spans``: the quotes and matched words of those rows, UTF-8 encoded
   into one buffer for Arrow string columns.

Anything this path does not reproduce exactly marks the answer for the Python
coder instead (``FALLBACK``): a match in a piece that needs Punkt, a character
outside the Basic Multilingual Plane, a capital sigma (``str.lower`` treats it
by context), or scratch space exhausted. Tests compare both paths row for row.

Modules: ``chars`` (character tables, hashes, hash-table lookups: what every
kernel shares), ``tokenize`` (pass 1), ``match`` (pass 2, with ``pieces``: a
line's sentence pieces, and ``negation``: hints and look-back), ``columns``
(Arrow string columns, ``utf8_spans``), ``fastcode`` (``BatchCoder``: the
tables as arrays, the vocabulary, a batch through the passes) and ``rows``
(a batch's rows as dicts or a CODES frame, with the reference's rows for the
answers handed back).

Numba caches each compiled function beside its module, and checks only that
module's source when deciding whether the cache is stale: after editing a
kernel that others call from other modules (``chars``, ``pieces``,
``negation``), delete ``src/helpers/coding/engine/__pycache__/*.nb[ic]``.
"""
