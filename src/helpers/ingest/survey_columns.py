"""A survey export read straight into columns: RESPONDENTS and ANSWERS, a block at a time.

Why (issue 15, item 1; benchmarks/README.md, sessions 12-13): the survey reader made a
``Document`` per row, segmentation a dict per answer, and ingest frames from those dicts,
each a full copy of the answers' text as Python objects, all alive together until the
tables were made: 100,000 respondents (a 645 MB export) passed 10 GB. Here the rows
(``export_rows.CsvRowStream``, parsed one at a time) are turned into column lists for
``BLOCK_ROWS`` rows, the block made into Arrow-backed frames of the schemas' dtypes, and
the lists dropped, so the text is held once per table, in Arrow.

What a survey row gives is the same as on the Document path (``readers.survey`` and
``segment.survey_answer_rows``), value for value, and tested so
(tests/test_survey_columns.py):

- segmentation is trivial: the column is the question, one answer row per mapped
  question in the consultation's order (the order of the synthesised text's spans), the
  span stripped of surrounding whitespace (``strip_span``), method ``survey_column``;
- ``substantive``: the non-answer rule (``nonanswers``, and a non-answer written in two
  languages) on the text as judged beside its tick box (``judged_kind``). Non-answers are
  short and repeat ("No comment", "N/A"), so a short text is judged once per distinct
  text and kind (``_MEMO_CHARS``); a longer one is no non-answer and the rule says so
  in a few steps;
- tick-box values and other cells are normalised once per distinct value
  (``readers.survey.clean_cell``'s memo);
- a row whose text is over ``max_text_chars`` is dropped with a failed row of its own,
  after the reader's own row problems, as ``stage_read._check_text_length`` drops it.

Why blocks of 2,000 rows, not 20,000: a block's Python strings (each row's synthesised
text and its answers' slices, ~45 KB a respondent of the generated export while the block
is built) are freed to the C heap, not to the system, so the process keeps the largest
block's worth: 10,000 rows of the generated export read in one block left the process at
870 MB, in blocks of 2,000 at 561 MB (Arrow held 135 MB either way). Per block, the cost
is a few Arrow conversions, nothing per row.

The respondents frame also carries each declared attribute's raw value and source
(``attr:ID`` and ``attr_source:ID`` columns) for the ATTRIBUTES table.
"""

from __future__ import annotations

import pandas as pd

from helpers.core import schemas
from helpers.core.text import strip_span
from helpers.ingest.nonanswers import judged_kind, load_rule
from helpers.ingest.readers.survey import _Rows
from helpers.ingest.segment.substantive import two_language_non_answer

BLOCK_ROWS = 2_000  # rows turned into frames at a time (module docstring: why not more)
_MEMO_CHARS = 200  # texts this short are judged once per distinct text (non-answers repeat)
_MEMO_SIZE = 200_000
ATTR, ATTR_SOURCE = "attr:", "attr_source:"

_DTYPES = {c.name: schemas._PANDAS_DTYPES[c.dtype] for c in schemas.RESPONDENTS.columns}
_DTYPES.update({c.name: schemas._PANDAS_DTYPES[c.dtype] for c in schemas.ANSWERS.columns})


def _column(values: list, name: str) -> pd.api.extensions.ExtensionArray:
    return pd.array(values, dtype=_DTYPES.get(name, "string"))


class ColumnRows(_Rows):
    """``readers.survey._Rows`` keeping each row as columns instead of a Document.

    Made by ``read_survey(..., rows_class=partial(ColumnRows, max_text_chars=N))``; puts
    itself on ``result.tables``. ``respondents()`` and ``answers()`` give the frames once
    every row is read.
    """

    def __init__(self, *args, max_text_chars: int) -> None:
        super().__init__(*args)
        self.max_text_chars = max_text_chars
        self.result.tables = self
        self.too_long: list[tuple[str, str]] = []  # row problems after the reader's own
        qs = self.consultation.questions
        self.kinds = {q.id: q.kind for q in qs}
        self.rule = load_rule()
        self.judged: dict[tuple[str, str], bool] = {}  # (short text, kind) → substantive
        self.attribute_ids = [a.id for a in self.consultation.attributes]
        self._resp: list[pd.DataFrame] = []
        self._ans: list[pd.DataFrame] = []
        self._new_block()

    def _new_block(self) -> None:
        self.r: dict[str, list] = {
            k: []
            for k in (
                "respondent_id",
                "source_row",
                "text",
                "organisation",
                "respondent_type",
                "respondent_type_source",
            )
        }
        for aid in self.attribute_ids:
            self.r[ATTR + aid] = []
        self.a: dict[str, list] = {
            k: []
            for k in (
                "respondent_id",
                "question_id",
                "question_number",
                "start",
                "end",
                "answer_text",
                "tick_box",
                "substantive",
            )
        }

    def keep(self, row: list[str], n: int, rid: str) -> None:
        text, _cues, answers, org, rtype, rtype_source, attributes = self.values(row)
        if len(text) > self.max_text_chars:
            fix = "split the response or raise limits.max_text_chars in run.yaml"
            self.too_long.append(
                (
                    "failed",
                    f"row {n} (id '{rid}'): text is {len(text):,} characters, over the limit "
                    f"of {self.max_text_chars:,} (limits.max_text_chars); row dropped; {fix}",
                )
            )
            return
        r, a = self.r, self.a
        r["respondent_id"].append(rid)
        r["source_row"].append(n)
        r["text"].append(text)
        r["organisation"].append(org)
        r["respondent_type"].append(rtype)
        r["respondent_type_source"].append(rtype_source)
        for aid in self.attribute_ids:
            got = attributes.get(aid)
            r[ATTR + aid].append(got[0] if got else None)
        for (qid, number, _heading, _tick, _text), (s, e, tick) in zip(
            self.plan, answers.values(), strict=True
        ):
            s, e = strip_span(text, s, e)
            answer = text[s:e]
            a["respondent_id"].append(rid)
            a["question_id"].append(qid)
            a["question_number"].append(number)
            a["start"].append(s)
            a["end"].append(e)
            a["answer_text"].append(answer)
            a["tick_box"].append(tick)
            a["substantive"].append(self.substantive(answer, judged_kind(self.kinds[qid], tick)))
        if len(r["respondent_id"]) >= BLOCK_ROWS:
            self._flush()

    def substantive(self, text: str, kind: str) -> bool:
        """``survey_answer_rows``' rule, once per distinct short text and kind."""
        if len(text) > _MEMO_CHARS:
            return not self.rule.is_non_answer(text, kind)  # too long for two languages
        key = (text, kind)
        got = self.judged.get(key)
        if got is None:
            got = not (self.rule.is_non_answer(text, kind) or two_language_non_answer(text, kind))
            if len(self.judged) < _MEMO_SIZE:
                self.judged[key] = got
        return got

    def done(self) -> None:
        self._flush()
        self.result.row_problems.extend(self.too_long)
        self.too_long = []

    def _flush(self) -> None:
        r, a = self.r, self.a
        n = len(r["respondent_id"])
        if not n:
            return
        resp = {
            "respondent_id": _column(r["respondent_id"], "respondent_id"),
            "source_file": _column([self.name] * n, "source_file"),
            "source_sha256": _column([self.file_sha] * n, "source_sha256"),
            "source_format": _column([self.fmt] * n, "source_format"),
            "source_row": _column(r["source_row"], "source_row"),
            "encoding": _column([self.enc] * n, "encoding"),
            "organisation": _column(r["organisation"], "organisation"),
            "organisation_source": _column(
                ["survey" if o else "none" for o in r["organisation"]], "organisation_source"
            ),
            "respondent_type": _column(r["respondent_type"], "respondent_type"),
            "respondent_type_source": _column(
                r["respondent_type_source"], "respondent_type_source"
            ),
            "text": _column(r["text"], "text"),
            "n_chars": _column([len(t) for t in r["text"]], "n_chars"),
        }
        for aid in self.attribute_ids:
            raw = r[ATTR + aid]
            resp[ATTR + aid] = _column(raw, ATTR + aid)
            resp[ATTR_SOURCE + aid] = _column(
                ["survey" if v else None for v in raw], ATTR_SOURCE + aid
            )
        self._resp.append(pd.DataFrame(resp))
        m = len(a["respondent_id"])
        ans = {name: _column(a[name], name) for name in ("respondent_id", "question_id")}
        ans["question_number"] = _column(a["question_number"], "question_number")
        ans["start"] = _column(a["start"], "start")
        ans["end"] = _column(a["end"], "end")
        ans["answer_text"] = _column(a["answer_text"], "answer_text")
        ans["heading_text"] = _column([None] * m, "heading_text")
        ans["heading_start"] = _column([None] * m, "heading_start")
        ans["match_method"] = _column(["survey_column"] * m, "match_method")
        ans["match_score"] = _column([1.0] * m, "match_score")
        ans["tick_box"] = _column(a["tick_box"], "tick_box")
        ans["warning"] = _column([None] * m, "warning")
        ans["substantive"] = _column(a["substantive"], "substantive")
        self._ans.append(schemas.conform(pd.DataFrame(ans), schemas.ANSWERS))
        self._new_block()

    def respondents(self) -> pd.DataFrame:
        """Every kept row's RESPONDENTS columns (and its attributes' raw values)."""
        if not self._resp:
            self._flush()
        if not self._resp:
            names = schemas.RESPONDENTS.names + [
                p + aid for aid in self.attribute_ids for p in (ATTR, ATTR_SOURCE)
            ]
            return pd.DataFrame({c: _column([], c) for c in names})
        return pd.concat(self._resp, ignore_index=True)

    def answers(self) -> pd.DataFrame:
        """Every kept row's ANSWERS rows, in row order then question order."""
        if not self._ans:
            return schemas.empty(schemas.ANSWERS)
        return pd.concat(self._ans, ignore_index=True)

    @property
    def encoding(self) -> str | None:
        """The file's encoding as the log gives it: None when no respondent was kept."""
        return self.enc if (self._resp or self.r["respondent_id"]) else None
