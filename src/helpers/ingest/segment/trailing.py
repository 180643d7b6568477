"""A learned reader for the last lines of an answer row: part of the answer, or not
(issue 12, session 27).

Why: the precision census of session 27 (``benchmarks.seg_prec_census``, every spent
document set of batches 2-29) found the largest class of imprecise rows in headed
documents to be a row that holds its whole answer and then runs on (59 of 159 rows, in 20
of the 28 batches): a sign-off ("Dean Okoro, Programme Manager. 29 September 2022", "I have
the honour to remain, etc.,"), a charity's registration footer, a web address, "Thank you
for listening", footnotes ("Notes [1] ..."), an annex, or the next part's heading left
with no body ("Part 4 – Equality"). The sign-off rules (``answers._closing_start``,
``signature.signature_start``) look only at the last section while the document is first
read; a section the run-level passes (meaning, the joint reading) placed later, or a
sign-off with no valediction, keeps its tail.

The reader is a logistic regression over generic shape features of each of a row's last
three non-empty lines (how long, capitalised, punctuated; an e-mail address, a web
address, a telephone number, a date; a valediction, role or organisation word from
``authorship.yaml``; whether it takes a position or says who writes; what the sign-off
rules say; whether the row is the document's last answer and the text after it only a
closing), fitted on the rows of the spent document sets (``benchmarks.seg_trailing_train``;
a line is positive when it lies in no gold answer, negative when it lies in its row's gold
answer). A row loses its longest run of last lines that the reader gives at least the
threshold (chosen leave-one-batch-out, 0.9), never its first line; the cut text becomes
the closing when no answer follows it, else unstructured. No vocabulary: the cues are
the existing data lists; a new consultation needs no code. Deterministic: fixed weights
(``helpers/data/trailing_model.json``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from helpers.core import schemas
from helpers.ingest.names import authorship_words, whole
from helpers.ingest.segment.answers import _closing_start
from helpers.ingest.segment.passages import describes_self, takes_position
from helpers.ingest.segment.signature import signature_start

MODEL_FILE = "trailing_model.json"
ENABLED = True  # benchmarks switch it off to collect the rows it would read
MAX_LINES = 3  # a row's last lines read (a sign-off, a footer, a heading left behind)
FEATURES = (
    "log_words",
    "words_le_8",
    "words_le_15",
    "capitalised",
    "sentence_end",
    "comma_end",
    "closing_rule",
    "signature_rule",
    "email_or_web",
    "telephone",
    "dated",
    "year",
    "valediction",
    "role_word",
    "organisation_word",
    "takes_position",
    "describes_self",
    "thanks",
    "first_person",
    "last_row",
    "end_of_document",
    "from_end",
    "row_lines",
    "question_mark",
    "digit",
    "colon_end",
)
_NOT_QUESTIONS = (schemas.PREAMBLE, schemas.CLOSING, schemas.UNSTRUCTURED)
_MONTH = re.compile(r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_END = re.compile(r"[.!?][\"'”’)]*$")
_WEB = re.compile(r"https?://|www\.")
_PHONE = re.compile(r"\+?\d[\d ]{7,}\d")
_FIRST = re.compile(r"(?i)\b(I|we|our|my)\b")
_THANKS = re.compile(r"(?i)\bthank")
_WARNING = "the last line(s) of the answer read as a sign-off, footer or heading: cut off"


def lines_of(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """The non-empty lines of ``text[s:e]`` as (start, end) offsets."""
    out = []
    pos = s
    for part in text[s:e].split("\n"):
        a, b = pos, pos + len(part)
        pos = b + 1
        if part.strip():
            out.append((a, b))
    return out


def features(
    text: str,
    row: tuple[int, int],
    line: tuple[int, int],
    from_end: int,
    n_lines: int,
    last_row: bool,
    end_doc: bool,
) -> list[float]:
    """``FEATURES`` of one of a row's last lines (``from_end`` 0 is the last)."""
    s, e = row
    ls, le = line
    t = text[ls:le].strip()
    w = t.split()
    nw = len(w)
    lists = authorship_words()
    sig = signature_start(text, s, e)
    return [
        math.log1p(nw),
        float(nw <= 8),
        float(nw <= 15),
        sum(1 for x in w if x[:1].isupper()) / max(nw, 1),
        float(bool(_END.search(t))),
        float(t.endswith(",")),
        float(from_end > 0 and _closing_start(text, s, le) == ls),
        float(sig is not None and sig <= ls),
        float("@" in t or bool(_WEB.search(t))),
        float(bool(_PHONE.search(t))),
        float(bool(_MONTH.search(t)) and bool(_YEAR.search(t))),
        float(bool(_YEAR.search(t))),
        float(bool(re.match(r"\W*(?:" + lists["valedictions"].pattern + r")\b", t, re.I))),
        float(bool(whole("role_words").search(t))),
        float(bool(lists["organisation_words"].search(t))),
        float(takes_position(t)),
        float(describes_self(t)),
        float(bool(_THANKS.search(t))),
        float(bool(_FIRST.search(t))),
        float(last_row),
        float(end_doc),
        float(from_end),
        float(n_lines),
        float(t.endswith("?")),
        float(bool(re.search(r"\d", t))),
        float(t.endswith(":")),
    ]


def candidates(rows: pd.DataFrame, text: str) -> list[tuple[object, int, int, list[float]]]:
    """(row index, line from the end (1 = last), line start, features) of one document.

    ``rows`` are the document's answer rows; a survey row is never read (its columns
    say what it answers) and a row of one line keeps it.
    """
    if not len(rows) or rows["match_method"].eq("survey_column").any():
        return []
    rows = rows.sort_values("start", kind="stable")
    named = rows[~rows["question_id"].isin(_NOT_QUESTIONS)]
    if not len(named):
        return []
    last = int(named["start"].max())
    after = rows.loc[rows["start"] > last, "question_id"]
    out = []
    for idx, r in named.iterrows():
        s, e = int(r["start"]), int(r["end"])
        lines = lines_of(text, s, e) if e > s else []
        if len(lines) < 2:
            continue
        last_row = s == last
        end_doc = last_row and (
            not text[e:].strip() or all(str(q) == schemas.CLOSING for q in after)
        )
        for k in range(1, min(MAX_LINES, len(lines) - 1) + 1):
            line = lines[-k]
            f = features(text, (s, e), line, k - 1, len(lines), last_row, end_doc)
            if answer_content(text[line[0] : line[1]], f):
                break  # this line and every line above it stay in the answer
            out.append((idx, k, line[0], f))
    return out


_LIST_ITEM = re.compile(r"^\s*(?:[☒☑✓✔✗✘☐□■]|[-–—•*·▪◦]\s|\(?\d{1,2}[.)]\s)")
# The sign-off and footer cues among FEATURES: a line with none of them that is a sentence
# of its own is the respondent's words, whatever its position.
_CUES = (
    "closing_rule",
    "signature_rule",
    "email_or_web",
    "telephone",
    "dated",
    "valediction",
    "role_word",
    "organisation_word",
    "thanks",
    "describes_self",
)
_CUE_AT = [FEATURES.index(c) for c in _CUES]


def answer_content(line: str, f: list[float]) -> bool:
    """True for a last line the reader may never cut, whatever its probability.

    Why (session 27, found by the form tests after the merge): the reader's training rows
    have few answers that end in a list or a table, and none in a tick list, and at the end
    of a document it gave a respondent's closing sentence ("That is fifteen minutes lost
    each way.") and table cells 0.9 or more. Two guards: a list or tick item (a tick box,
    a bullet, "2." ...) is the answer's content, not a sign-off; a full sentence of five
    words or more with none of the sign-off and footer cues (``_CUES``: a valediction, a
    role or organisation word, contact details, a date, thanks, what the sign-off rules
    say, a self-description) is the respondent's own words. Sign-offs, footers, addresses
    and headings left behind carry a cue, are not sentences, or are short.
    """
    if _LIST_ITEM.match(line):
        return True
    words = len(line.split())
    sentence = bool(_END.search(line.strip()))
    return sentence and words >= 5 and not any(f[i] for i in _CUE_AT)


@cache
def model() -> dict:
    """The fitted weights: feature means and scales, coefficients, intercept, threshold."""
    path = resources.files("helpers.data").joinpath(MODEL_FILE)
    return json.loads(path.read_text(encoding="utf-8"))


def probabilities(x: np.ndarray, m: dict | None = None) -> np.ndarray:
    """The probability that each line of ``x`` (rows of ``FEATURES``) is not the answer."""
    m = m or model()
    z = (x - np.asarray(m["mean"])) / np.asarray(m["scale"])
    return 1.0 / (1.0 + np.exp(-(z @ np.asarray(m["coef"]) + float(m["intercept"]))))


def cuts(cands, probs, threshold: float) -> dict[object, int]:
    """Row index -> where its tail starts: the longest run of last lines at ``threshold``."""
    by: dict[object, dict[int, tuple[float, int]]] = {}
    for (idx, k, start, _f), p in zip(cands, probs, strict=True):
        by.setdefault(idx, {})[k] = (float(p), start)
    out: dict[object, int] = {}
    for idx, ks in by.items():
        for k in sorted(ks):
            p, start = ks[k]
            if p < threshold:
                break
            out[idx] = start
    return out


def cut_document(rows: pd.DataFrame, text: str, m: dict | None = None) -> pd.DataFrame | None:
    """One document's rows with the tails the reader finds cut off, or None if unchanged."""
    m = m or model()
    cands = candidates(rows, text)
    if not cands:
        return None
    found = cuts(cands, probabilities(np.array([c[3] for c in cands]), m), m["threshold"])
    if not found:
        return None
    named = rows.loc[~rows["question_id"].isin(_NOT_QUESTIONS), "start"]
    last = int(named.max())
    out = []
    for idx, r in rows.iterrows():
        rec = r.to_dict()
        if idx not in found:
            out.append(rec)
            continue
        at, end = found[idx], int(r["end"])
        head_end = text[:at].rstrip()
        out.append(dict(rec, end=len(head_end), answer_text=text[int(r["start"]) : len(head_end)]))
        kind = schemas.CLOSING if int(r["start"]) == last else schemas.UNSTRUCTURED
        out.append(
            dict(
                rec,
                question_id=kind,
                question_number=None,
                start=at,
                end=end,
                answer_text=text[at:end],
                heading_text=None,
                heading_start=None,
                match_method=kind,
                match_score=1.0 if kind == schemas.CLOSING else 0.0,
                tick_box=None,
                warning=_WARNING,
            )
        )
    frame = pd.DataFrame(out, columns=rows.columns)
    return frame.sort_values(["start", "end"], kind="stable")


def cut_trailing(answers: pd.DataFrame, texts: Mapping[str, str]) -> pd.DataFrame:
    """Every document's rows with their answers' trailing sign-offs and footers cut off.

    Survey respondents are left out before grouping (their columns place their answers),
    so a large export costs one vectorised filter; the rows keep their order.
    """
    if not ENABLED or not len(answers):
        return answers
    survey = answers["match_method"].eq("survey_column")
    skip = set(answers.loc[survey, "respondent_id"])
    docs = answers[~answers["respondent_id"].isin(skip)] if skip else answers
    new: dict[object, pd.DataFrame] = {}
    for rid, rows in docs.groupby("respondent_id", sort=False):
        got = cut_document(rows, texts.get(str(rid), "") or "")
        if got is not None:
            new[rid] = got
    if not new:
        return answers
    order = np.arange(len(answers), dtype=float)
    first = pd.Series(order).groupby(answers["respondent_id"].to_numpy(), sort=False).min()
    keep = ~answers["respondent_id"].isin(list(new)).to_numpy()
    # positional values: assigning a Series to an empty frame would take the Series' index
    parts = [answers[keep].assign(_order=order[keep])]
    for rid, frame in new.items():  # a document's rows stay where its first row was
        parts.append(frame.assign(_order=first[rid] + np.arange(len(frame)) / (len(frame) + 1)))
    out = pd.concat(parts, ignore_index=True).sort_values("_order", kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)
