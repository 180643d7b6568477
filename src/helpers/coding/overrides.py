"""A researcher's manual overrides: codes added to or removed from the automatic ones.

Read from ``overrides.csv`` (``respondent_id,question_id,theme_id,action,quote,coder,note``);
every problem is an ``OverrideError`` naming the file and line. Rules in
docs/coding.md ("Manual overrides").
"""

from __future__ import annotations

import csv
import logging
import re
from pathlib import Path

import pandas as pd

from helpers.coding.codebook import Codebook
from helpers.coding.evidence import _code_row
from helpers.coding.patterns import normalise_text
from helpers.core import schemas
from helpers.core.errors import ConfigError
from helpers.core.safecsv import clean_row

log = logging.getLogger(__name__)

OVERRIDE_COLUMNS = ("respondent_id", "question_id", "theme_id", "action", "quote", "coder", "note")
# ``stance`` rows carry the new stance in the theme_id cell (apply_stance_overrides).
ACTIONS = ("add", "remove", "stance")


class OverrideError(ConfigError):
    """The overrides CSV is invalid; the message names the file and line."""


def _find_quote(text: str, quote: str, lo: int, hi: int) -> tuple[int, int] | None:
    """Where ``quote`` occurs in text[lo:hi]: exact, else ignoring case, spacing and quote styles."""
    i = text.find(quote, lo, hi)
    if i >= 0:
        return i, i + len(quote)
    words = normalise_text(quote).split()
    if not words:
        return None
    rx = re.compile(r"\s+".join(re.escape(w) for w in words))
    m = rx.search(normalise_text(text[lo:hi]))
    return (lo + m.start(), lo + m.end()) if m else None


def apply_overrides(
    codes: pd.DataFrame,
    overrides_path: str | Path | None,
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """Apply a researcher's overrides CSV to automatic codes.

    ``add`` appends a manual code (anchored to ``quote`` in the answer, else the
    whole answer with a warning); ``remove`` drops the automatic rows for that
    answer and theme. Unknown respondents, questions (no such answer), themes
    (when ``codebook`` is given) and actions raise OverrideError naming the line.
    An absent or header-only file changes nothing.
    """
    if overrides_path is None or not Path(overrides_path).exists():
        if overrides_path is not None:
            log.info("no overrides file at %s: automatic codes kept as they are", overrides_path)
        return codes
    path = Path(overrides_path)
    texts = dict(zip(respondents["respondent_id"].astype(str), respondents["text"], strict=True))
    spans = {
        (str(a.respondent_id), str(a.question_id)): (int(a.start), int(a.end))
        for a in answers.itertuples(index=False)
    }
    removes: list[tuple[int, tuple[str, str, str]]] = []
    adds: list[dict] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in OVERRIDE_COLUMNS[:4] if c not in header]
            if reader.fieldnames and missing:
                raise OverrideError(
                    f"{path}, line 1: missing column(s) {missing}; expected {list(OVERRIDE_COLUMNS)}"
                )
            for row in reader:
                row = clean_row(row)
                if not any(row.values()):
                    continue
                where = f"{path}, line {reader.line_num}"
                rid, qid, tid = row["respondent_id"], row["question_id"], row["theme_id"]
                action = row["action"].lower()
                if action not in ACTIONS:
                    raise OverrideError(
                        f"{where}: action must be 'add' or 'remove' (or 'stance' to set a "
                        f"stance), got {row['action']!r}"
                    )
                if rid not in texts:
                    raise OverrideError(f"{where}: unknown respondent_id {rid!r}")
                if (rid, qid) not in spans:
                    known = sorted(q for r, q in spans if r == rid)
                    raise OverrideError(
                        f"{where}: respondent {rid!r} has no answer to question {qid!r}; answers: {known}"
                    )
                if action == "stance":
                    if tid not in schemas.STANCES:
                        raise OverrideError(
                            f"{where}: stance {tid!r} is not one of {list(schemas.STANCES)}"
                        )
                    continue  # applied to the stances table by apply_stance_overrides
                if codebook is not None and tid not in codebook:
                    raise OverrideError(
                        f"{where}: unknown theme_id {tid!r}; see the codebook's theme ids"
                    )
                if not tid:
                    raise OverrideError(f"{where}: theme_id is empty")
                if action == "remove":
                    removes.append((reader.line_num, (rid, qid, tid)))
                    continue
                text = texts[rid]
                a_lo, a_hi = spans[(rid, qid)]
                quote = row.get("quote", "")
                found = _find_quote(text, quote, a_lo, a_hi) if quote else None
                if found is None:
                    # Whole answer, without surrounding whitespace.
                    body = text[a_lo:a_hi]
                    s = a_lo + len(body) - len(body.lstrip())
                    e = a_hi - (len(body) - len(body.rstrip()))
                    found = (s, max(e, s))
                    if quote:
                        log.warning(
                            "%s: quote %r not found in the answer; the whole answer is the evidence",
                            where,
                            quote,
                        )
                s, e = found
                row = _code_row(text, qid, tid, s, e, s, e, "manual", False)
                adds.append(
                    {"respondent_id": rid, **row, "method": "manual", "source": "manual_add"}
                )
    except (UnicodeDecodeError, csv.Error) as exc:
        # Not UTF-8 (saved as 'CSV' rather than 'CSV UTF-8'), or not CSV at all.
        raise OverrideError(
            f"{path}: cannot be read as a UTF-8 CSV ({exc}); save it as 'CSV UTF-8'"
        ) from exc

    out = codes
    for line, (rid, qid, tid) in removes:
        mask = (
            (out["respondent_id"] == rid)
            & (out["question_id"] == qid)
            & (out["theme_id"] == tid)
            & (out["source"] == "auto")
        )
        n = int(mask.sum())
        if n:
            log.info(
                "%s, line %d: removed %d automatic %s code(s) from %s %s",
                path,
                line,
                n,
                tid,
                rid,
                qid,
            )
        else:
            log.warning(
                "%s, line %d: no automatic %s code in %s %s to remove", path, line, tid, rid, qid
            )
        out = out.loc[~mask]
    if adds:
        log.info("%s: added %d manual code(s)", path, len(adds))
        out = pd.concat(
            [out, schemas.conform(pd.DataFrame(adds), schemas.CODES)], ignore_index=True
        )
    return schemas.conform(out, schemas.CODES)


def apply_stance_overrides(
    stances: pd.DataFrame,
    overrides_path: str | Path | None,
    answers: pd.DataFrame | None = None,
    respondents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Apply the ``stance`` rows of an overrides CSV to the stances table.

    A ``stance`` row sets the stance of one (respondent, closed question) to the
    value in its theme_id cell (the last row for an answer wins): ``score`` from
    ``schemas.STANCE_SCORES``, ``confidence`` 1, ``method`` ``manual``, no
    reservations; its ``quote``, found in that answer (``answers`` and
    ``respondents`` given), becomes the
    evidence (else the automatic evidence stays). The file is validated by
    ``apply_overrides``; an answer with no stance row (not a closed question)
    raises OverrideError naming the line.
    """
    if overrides_path is None or not Path(overrides_path).is_file():
        return stances
    path = Path(overrides_path)
    texts = {}
    if respondents is not None:
        texts = dict(
            zip(respondents["respondent_id"].astype(str), respondents["text"], strict=True)
        )
    spans = {}
    if answers is not None:
        spans = {
            (str(a.respondent_id), str(a.question_id)): (int(a.start), int(a.end))
            for a in answers.itertuples(index=False)
        }
    out = stances.copy()
    keys = list(zip(out["respondent_id"].astype(str), out["question_id"].astype(str), strict=True))
    index = {k: i for i, k in zip(out.index, keys, strict=True)}
    n = 0
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            row = clean_row(row)
            if row.get("action", "").lower() != "stance":
                continue
            key = (row["respondent_id"], row["question_id"])
            stance = row["theme_id"]
            if stance not in schemas.STANCES:
                raise OverrideError(f"{path}, line {reader.line_num}: unknown stance {stance!r}")
            if key not in index:
                raise OverrideError(
                    f"{path}, line {reader.line_num}: no stance for {key[0]!r} {key[1]!r} "
                    "(stances are set on closed questions only)"
                )
            i = index[key]
            score = schemas.STANCE_SCORES.get(stance)
            out.loc[i, ["stance", "method"]] = [stance, "manual"]
            out.loc[i, "score"] = float(score) if score is not None else float("nan")
            out.loc[i, "confidence"] = 1.0
            out.loc[i, "reservations"] = False
            text = texts.get(key[0])
            quote = row.get("quote", "")
            lo, hi = spans.get(key, (0, len(text or "")))
            found = _find_quote(text, quote, lo, hi) if text and quote else None
            if found:
                out.loc[i, ["evidence", "start", "end"]] = [text[found[0] : found[1]], *found]
            n += 1
    if n:
        log.info("%s: %d stance(s) set by hand", path, n)
    return schemas.conform(out, schemas.STANCES_TABLE)
