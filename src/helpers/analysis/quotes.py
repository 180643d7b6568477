"""Naming respondents and choosing the quotes that illustrate a theme.

Individuals are never named: attributions use the organisation's name, or a
stable 'Respondent N' numbered in respondent-id order. Quotes are exact evidence
sentences chosen by a deterministic rule, so they can be traced to the source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from helpers.analysis.counting import INDIVIDUAL, theme_codes
from helpers.core.redact import redact_value


def attributions(respondents: pd.DataFrame) -> pd.Series:
    """How each respondent is named in a report, indexed by respondent_id.

    Organisations are named; individuals, and anyone without an organisation
    name, become 'Respondent N' with N stable: their rank in respondent-id order.
    """
    ids = respondents["respondent_id"].astype(str)
    org = respondents["organisation"].astype("string").str.strip()
    anon = (respondents["respondent_type"].astype(str) == INDIVIDUAL) | org.isna() | (org == "")
    anon = anon.fillna(True).astype(bool).to_numpy()
    names = pd.Series(org.to_numpy(dtype=object), index=ids.to_numpy(), dtype=object)
    if not ids.is_unique:  # an error elsewhere; named as before, one id at a time
        for i, rid in enumerate(sorted(ids[anon]), start=1):
            names[rid] = f"Respondent {i}"
        return names.astype("string").rename("attribution")
    # Each anonymous respondent's rank in id order, in one sort (issue 15: a label
    # assignment per respondent took a minute at a million respondents).
    where = np.flatnonzero(anon)
    order = np.argsort(ids.to_numpy(dtype=object)[where], kind="stable")
    rank = np.empty(len(where), dtype=np.int64)
    rank[order] = np.arange(1, len(where) + 1)
    values = names.to_numpy(copy=True)
    values[where] = [f"Respondent {k}" for k in rank.tolist()]
    return pd.Series(values, index=names.index, dtype="string", name="attribution")


# A list marker at the start of an evidence sentence: "-", "–", "•", "*", "·", "1.", "2)",
# "a)", "(iv)", "ii." — left by a bulleted answer; a quote reads as a sentence without it.
LIST_MARKER_RE = re.compile(r"^\s*(?:[-–—•*·▪●◦‣>]+|\(?(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})[.)])\s+")
# Markdown emphasis typed in a web form or a .md file ("**Feedback** – we ..."): a quote
# shows the words, not the asterisks.
EMPHASIS_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")


def clean_quote(text: object) -> str:
    """A quote without a leading list marker ("- ", "• ", "1. ", "a) "), markdown bold
    ("**Feedback**") and surrounding or repeated whitespace; the words themselves are
    unchanged, so it is still traceable."""
    out = EMPHASIS_RE.sub(r"\2", " ".join(str(text).split()))
    while True:
        stripped = LIST_MARKER_RE.sub("", out, count=1)
        if stripped == out:
            return out
        out = stripped


def representative_quotes(
    codes: pd.DataFrame,
    respondents: pd.DataFrame,
    theme_id: str,
    question_id: str | None = None,
    n: int | None = 2,
    min_chars: int = 60,
    max_chars: int = 320,
    target_chars: int = 160,
) -> pd.DataFrame:
    """Up to ``n`` quotes illustrating a theme, chosen by a deterministic rule.

    Candidates are the non-negated evidence sentences for the theme (in the
    question, if given). Each respondent contributes at most one quote until
    every respondent has one, so quotes come from different respondents.
    Within a respondent, and then across respondents, sentences of moderate
    length (``min_chars``..``max_chars``) are preferred, closest to
    ``target_chars`` first; ties break on respondent id and position. Quotes are
    the exact evidence text (never trimmed), so they can be traced to the source,
    with personal data as typed placeholders (``core.redact``: ``[email]``, ``[name]``…).

    Columns: respondent_id, question_id, attribution, quote, start, end.
    """
    c = _ranked(codes, theme_id, question_id, min_chars, max_chars, target_chars)
    if c.empty:
        return pd.DataFrame(columns=QUOTE_COLUMNS)
    if n is not None:
        c = c.head(n)
    c["attribution"] = c["respondent_id"].astype(str).map(attributions(respondents))
    c["quote"] = c["quote"].map(clean_quote).map(redact_value)
    return c[QUOTE_COLUMNS].reset_index(drop=True)


QUOTE_COLUMNS = ["respondent_id", "question_id", "attribution", "quote", "start", "end"]
RANKED_COLUMNS = ["respondent_id", "question_id", "theme_id", "quote", "start", "end"]


def _ranked(
    codes: pd.DataFrame,
    theme_id: str,
    question_id: str | None = None,
    min_chars: int = 60,
    max_chars: int = 320,
    target_chars: int = 160,
) -> pd.DataFrame:
    """The candidate quotes of a theme in the order :func:`representative_quotes` ranks them
    (the rows of the codes table, quote as written: not yet cleaned or redacted)."""
    if codes.empty:
        return codes.iloc[0:0]
    # Only the columns ranked and quoted are taken (issue 15: every column of the codes
    # was copied for each theme and question).
    c = theme_codes(codes, theme_id, question_id, columns=RANKED_COLUMNS)
    c = c[c["quote"].fillna("").astype(str).str.strip() != ""]
    c = c.drop_duplicates(["respondent_id", "start", "end"]).copy()
    if c.empty:
        return c
    length = pd.Series(_clean_lengths(c["quote"]), index=c.index)
    c["out_of_range"] = ~length.between(min_chars, max_chars)
    c["distance"] = (length - target_chars).abs()
    c = c.sort_values(["out_of_range", "distance", "respondent_id", "start"])
    # Rank each respondent's candidates, then take everyone's best before anyone's second.
    c["rank"] = c.groupby("respondent_id").cumcount()
    return c.sort_values(["rank", "out_of_range", "distance", "respondent_id", "start"])


def _clean_lengths(quotes: pd.Series) -> np.ndarray:
    """``len(clean_quote(q))`` of each quote, cleaned once per distinct quote (campaign
    copies and stock sentences recur; issue 15: a regex pass per candidate sentence was
    linear Python work in every theme's quotes)."""
    codes, uniques = pd.factorize(quotes.to_numpy(dtype=object), use_na_sentinel=False)
    lengths = np.fromiter(
        (len(clean_quote(u)) for u in uniques), dtype=np.int64, count=len(uniques)
    )
    return lengths[codes]


def allocate_quotes(
    codes: pd.DataFrame,
    respondents: pd.DataFrame,
    wanted: Sequence[tuple[str, int]],
    question_id: str | None = None,
    used: Iterable[str] = (),
) -> dict[str, pd.DataFrame]:
    """Quotes for several themes of one question, each sentence used for one theme only.

    ``wanted`` is (theme id, number of quotes) in the order themes are written up.
    Each theme takes its most representative candidates (:func:`representative_quotes`)
    that no earlier theme took and that are not in ``used`` (quotes already printed in
    the section, e.g. the stance evidence); a sentence is reused only when the theme
    has no other candidate (then once), so one sentence does not stand for several themes while
    another exists. Returns theme id -> quotes (the columns of ``representative_quotes``).
    """
    taken = {clean_quote(q) for q in used}
    names: pd.Series | None = None
    out: dict[str, pd.DataFrame] = {}
    for theme_id, n in wanted:
        cands = _ranked(codes, theme_id, question_id)
        if n <= 0 or cands.empty:
            out[theme_id] = pd.DataFrame(columns=QUOTE_COLUMNS)
            continue
        # Candidates are cleaned and redacted in rank order until the theme has its quotes
        # (issue 15: redacting every candidate cost a regex pass per sentence of the theme).
        # The same words from several respondents (campaign copies) are one quote; only
        # sentences no other theme took, and if there are none the theme's best one (once),
        # so the theme is still illustrated.
        seen: set[str] = set()
        fresh: list[tuple[int, str]] = []
        best: tuple[int, str] | None = None
        for i, raw in enumerate(cands["quote"].tolist()):
            quote = str(redact_value(clean_quote(raw)))
            if quote in seen:
                continue
            seen.add(quote)
            best = best or (i, quote)
            if quote not in taken:
                fresh.append((i, quote))
                if len(fresh) == n:
                    break
        picked = fresh or [best]
        if names is None:
            names = attributions(respondents)
        chosen = cands.iloc[[i for i, _ in picked]].copy()
        chosen["attribution"] = chosen["respondent_id"].astype(str).map(names)
        chosen["quote"] = pd.Series([q for _, q in picked], index=chosen.index, dtype=object)
        chosen = chosen[QUOTE_COLUMNS].reset_index(drop=True)
        taken.update(chosen["quote"])
        out[theme_id] = chosen
    return out
