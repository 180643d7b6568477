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
                if action not in ("add", "remove"):
                    raise OverrideError(
                        f"{where}: action must be 'add' or 'remove', got {row['action']!r}"
                    )
                if rid not in texts:
                    raise OverrideError(f"{where}: unknown respondent_id {rid!r}")
                if (rid, qid) not in spans:
                    known = sorted(q for r, q in spans if r == rid)
                    raise OverrideError(
                        f"{where}: respondent {rid!r} has no answer to question {qid!r}; answers: {known}"
                    )
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
