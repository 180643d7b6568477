"""The stable schemas of every table the pipeline writes.

Each stage passes data to the next as a pandas DataFrame whose columns are
declared here. ``validate`` checks a frame against its schema before it is
written, and the README's schema section is generated from (and tested
against) these declarations, so documentation and code cannot drift apart.

Offsets (``start``/``end``) are always Python string indices (Unicode code
points) into ``respondents.text``, the normalised source text of the
respondent, so ``text[start:end]`` is exactly the quoted span.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from helpers.core.errors import SchemaError

# Special question ids used by segmentation besides the consultation's own.
PREAMBLE = "preamble"  # text before the first recognised question
CLOSING = "closing"  # sign-offs, contact details after the last answer
UNSTRUCTURED = "unstructured"  # a document with no recognisable question headings
SPECIAL_QUESTION_IDS = (PREAMBLE, CLOSING, UNSTRUCTURED)
# The reason ``ingest_log`` gives the researcher's respondent metadata file (not a response).
METADATA_REASON = "respondent metadata file"
# COPIES.question_id of a whole response compared as one text (a letter with no questions).
WHOLE_RESPONSE = "*"

RESPONDENT_TYPES = (
    "individual",
    "charity_voluntary",
    "local_authority",
    "professional_body",
    "campaign_group",
    "other",
    "unknown",
)
RESPONDENT_TYPE_LABELS = {
    "individual": "Individual",
    "charity_voluntary": "Charity or voluntary organisation",
    "local_authority": "Local authority",
    "professional_body": "Professional body",
    "campaign_group": "Campaign group",
    "other": "Other organisation",
    "unknown": "Unknown",
}

# The five points of the agree/disagree scale, then the two ways of giving no view:
# ``dont_know`` (the respondent ticked "Don't know", "Not sure", "No opinion") and
# ``not_answered`` (a blank). Neither has a score, and neither is in the base of
# the scale's percentages (``analysis.stance_distribution``): both are counted beside it.
SCALE_STANCES = ("strongly_agree", "agree", "neither", "disagree", "strongly_disagree")
STANCES = (*SCALE_STANCES, "dont_know", "not_answered")
STANCE_LABELS = {
    "strongly_agree": "Strongly agree",
    "agree": "Agree",
    "neither": "Neither agree nor disagree",
    "disagree": "Disagree",
    "strongly_disagree": "Strongly disagree",
    "dont_know": "Don't know",
    "not_answered": "Not answered",
}
STANCE_SCORES = {
    "strongly_agree": 2,
    "agree": 1,
    "neither": 0,
    "disagree": -1,
    "strongly_disagree": -2,
}


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # "string", "Int64", "int64", "float64", "boolean", "datetime"
    description: str
    nullable: bool = False


@dataclass(frozen=True)
class Schema:
    name: str
    description: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _schema(name: str, description: str, *cols: tuple) -> Schema:
    return Schema(name, description, tuple(Column(*c) for c in cols))


RESPONDENTS = _schema(
    "respondents",
    "One row per respondent (one response document, or one row of a survey export).",
    ("respondent_id", "string", "Stable id: file stem slug, or the survey export's id column."),
    ("source_file", "string", "Path of the input file, relative to the input folder."),
    ("source_sha256", "string", "SHA-256 of the input file's bytes."),
    ("source_format", "string", "txt, md, docx, odt, rtf, html, pdf, eml, csv or xlsx."),
    ("source_row", "Int64", "Row number in a survey export (1 = first data row).", True),
    ("encoding", "string", "Encoding used to decode a text file (guess logged).", True),
    ("organisation", "string", "Organisation name, if any.", True),
    ("organisation_source", "string", "metadata, survey, inferred or none."),
    ("respondent_type", "string", "One of RESPONDENT_TYPES."),
    ("respondent_type_source", "string", "metadata, survey, inferred or none."),
    ("text", "string", "Normalised full text; all offsets point into it."),
    ("n_chars", "int64", "len(text)."),
)

ANSWERS = _schema(
    "answers",
    "One row per (respondent, question) answer segment, in document order.",
    ("respondent_id", "string", "Respondent id (respondents.respondent_id)."),
    ("question_id", "string", "Consultation question id, or preamble/closing/unstructured."),
    ("question_number", "Int64", "The question's number in the consultation, if any.", True),
    ("start", "int64", "Start offset of the answer body in respondents.text."),
    ("end", "int64", "End offset (exclusive) of the answer body."),
    ("answer_text", "string", "text[start:end], stripped of surrounding whitespace."),
    ("heading_text", "string", "The heading as the respondent wrote it, if any.", True),
    ("heading_start", "Int64", "Offset of the heading in respondents.text.", True),
    (
        "match_method",
        "string",
        "How the heading was matched: number, text, number+text, order, survey_column, preamble, closing, unstructured; paragraph: a letter's paragraph assigned to the question by its content (no heading); section: a section under the respondent's own heading, assigned by its heading and first sentences together; meaning: text no heading placed, assigned by what its heading or content means (sentence embeddings, learned from the run's own answers); copy: a passage that nearly copies another respondent's answer placed by its heading, filed under that question.",
    ),
    ("match_score", "float64", "Confidence of the heading match, 0-1."),
    (
        "tick_box",
        "string",
        "Closed-question tick box as given: a survey export's value or the option ticked on a form.",
        True,
    ),
    ("warning", "string", "Segmentation warning for a researcher to check.", True),
    (
        "substantive",
        "boolean",
        "False for a blank answer or a non-answer ('No comment', 'N/A', 'Nothing to add'): "
        "kept, but not coded and not counted as answering.",
    ),
    (
        "written",
        "boolean",
        "True when answer_text holds anything but whitespace (a blank survey cell, or a "
        "question a document left out, is False): what the analysis and report need to tell "
        "a blank answer from a written one without reading answer_text. Derived from "
        "answer_text by ``conform`` wherever the table is made.",
    ),
)

INGEST_LOG = _schema(
    "ingest_log",
    "One row per input file: every input is accounted for.",
    ("file", "string", "Path relative to the input folder."),
    ("status", "string", "processed, skipped or failed."),
    ("reason", "string", "Why skipped or failed; notes for processed files.", True),
    ("source_format", "string", "Detected format.", True),
    ("encoding", "string", "Encoding guess for text files.", True),
    ("n_respondents", "int64", "Respondents read from the file."),
    ("n_answers", "int64", "Answer segments produced."),
    ("sha256", "string", "SHA-256 of the file's bytes.", True),
)

CODES = _schema(
    "codes",
    "One row per (respondent, question, theme, evidence span).",
    ("respondent_id", "string", "Respondent id."),
    ("question_id", "string", "Question id of the answer the code is in."),
    ("theme_id", "string", "Codebook theme id."),
    ("start", "int64", "Start of the evidence sentence in respondents.text."),
    ("end", "int64", "End of the evidence sentence."),
    ("quote", "string", "text[start:end]: the evidence sentence."),
    ("match_start", "Int64", "Start of the matched term.", True),
    ("match_end", "Int64", "End of the matched term.", True),
    ("matched_text", "string", "The matched words as written.", True),
    ("pattern", "string", "The codebook pattern that matched (or 'manual').", True),
    (
        "negated",
        "boolean",
        "True when the term is negated ('we do not think housing…'): not counted as raising the theme.",
    ),
    ("method", "string", "dictionary, semantic, learned or manual."),
    (
        "score",
        "float64",
        "Similarity to the theme (semantic) or the classifier's probability (learned); empty for dictionary and manual codes.",
        True,
    ),
    ("source", "string", "auto, manual_add; rows removed by overrides are dropped and logged."),
)

STANCES_TABLE = _schema(
    "stances",
    "One row per (respondent, closed question).",
    ("respondent_id", "string", "Respondent id."),
    ("question_id", "string", "Closed question id."),
    (
        "stance",
        "string",
        "One of STANCES: the five-point scale, dont_know ('Don't know'/'Not sure' ticked) or not_answered.",
    ),
    (
        "score",
        "float64",
        "-2 (strongly disagree) to +2 (strongly agree); null for dont_know and not_answered.",
        True,
    ),
    (
        "reservations",
        "boolean",
        "Agreement (or disagreement) with reservations ('in principle… however').",
    ),
    ("confidence", "float64", "0-1 confidence in the stance."),
    ("evidence", "string", "The sentence that shows the stance.", True),
    ("start", "Int64", "Start of the evidence sentence in respondents.text.", True),
    ("end", "Int64", "End of the evidence sentence.", True),
    (
        "method",
        "string",
        "tick_box, text, tick_box+text, unstructured (read from a letter no heading placed), manual (set in overrides.csv) or none.",
    ),
    ("tick_box", "string", "Tick-box answer as given, if any.", True),
    ("text_stance", "string", "Stance inferred from the text alone, if any.", True),
    ("conflict", "boolean", "Tick-box and text disagree."),
    (
        "reservation",
        "string",
        "The sentence voicing a reservation (a condition, concern or caveat), wherever it is in the answer.",
        True,
    ),
    ("reservation_start", "Int64", "Start of the reservation sentence in respondents.text.", True),
    ("reservation_end", "Int64", "End of the reservation sentence.", True),
)

UNCODED = _schema(
    "uncoded",
    "Answers to coded questions that received no theme: listed, never dropped.",
    ("respondent_id", "string", "Respondent id."),
    ("question_id", "string", "Question id."),
    ("n_chars", "int64", "Length of the answer."),
    ("answer_text", "string", "The answer."),
)

SUGGESTIONS = Schema(
    "suggestions",
    "Distinctive words and bigrams in text no theme covers, per open question (codebook ideas).",
    tuple(
        Column(*c)
        for c in (
            ("question_id", "string", "Open question id."),
            ("term", "string", "The word (most common surface form of its stem) or bigram."),
            ("kind", "string", "word or bigram."),
            (
                "score",
                "float64",
                "word: tf-idf; bigram: likelihood ratio x idf. Compare within a kind.",
            ),
            ("n_respondents", "int64", "Respondents whose uncovered text uses the term."),
            ("n_mentions", "int64", "Times the term occurs in the question's uncovered text."),
            ("example", "string", "The first uncovered sentence using the term."),
            ("example_respondent_id", "string", "Who wrote the example."),
            ("example_start", "int64", "Start of the example in respondents.text."),
            ("example_end", "int64", "End of the example in respondents.text."),
            (
                "answers_read",
                "int64",
                "The question's substantive answers the counts come from: all of them, or a "
                "seeded sample of at most 1,000 (coding.suggest.MAX_ANSWERS).",
            ),
            ("answers", "int64", "The question's substantive answers."),
        )
    ),
)

COPIES = _schema(
    "copies",
    "Answers that copy a shared (campaign) text: one row per respondent and question in a group.",
    ("respondent_id", "string", "Respondent id."),
    (
        "question_id",
        "string",
        "The question whose answer is copied (for a letter with no questions, the question whose "
        "campaign text a paragraph of it copies); * for a whole letter copying another letter.",
    ),
    (
        "copy_group",
        "string",
        "campaign-1, campaign-2… unique across questions: in question order, then lowest respondent id.",
    ),
    (
        "similarity",
        "float64",
        "0-100 against the group's representative (its most-sent text, the shortest on a tie); "
        "100 for exact copies.",
    ),
    (
        "is_first",
        "boolean",
        "True for the first respondent (lowest id) who sent the group's representative text.",
    ),
)

ATTRIBUTES = _schema(
    "attributes",
    "Respondent attributes declared in the consultation's attributes: section (area, age group …): "
    "one row per respondent and attribute.",
    ("respondent_id", "string", "Respondent id."),
    ("attribute_id", "string", "The attribute's id in consultation.yaml."),
    (
        "value_id",
        "string",
        "The declared value the raw value matched; other when none did; unknown when there was none.",
    ),
    ("value_label", "string", "The value's label, as tables show it."),
    ("raw", "string", "The value as the export or manifest gave it (spaces squeezed).", True),
    ("source", "string", "survey (an export column), metadata (manifest.csv) or none."),
)

POINTS = _schema(
    "points",
    "The distinct points respondents made under a theme (clusters of their evidence sentences; "
    "analysis.synthesise): one row per point, each named by a representative sentence.",
    ("question_id", "string", "Question id."),
    ("theme_id", "string", "Codebook theme id."),
    (
        "side",
        "string",
        "all (an open question); on a closed question agree, disagree or neither: the stance of "
        "the respondents whose sentences were clustered (neither: no view, don't know or none).",
    ),
    ("point_id", "string", "question_id/theme_id/side/rank: stable within a run."),
    ("rank", "int64", "1 = the point most respondents made on this theme and side."),
    ("n_respondents", "int64", "Distinct respondents who made the point."),
    ("base", "int64", "Respondents who raised the theme in the question (on this side)."),
    (
        "quantifier",
        "string",
        "all, almost all, most, many, some, a few or one: n_respondents as a share of base "
        "(analysis.synthesis.QUANTIFIERS).",
    ),
    (
        "quote",
        "string",
        "The representative sentence, list marker trimmed: text[start:end] of its respondent, "
        "personal data redacted.",
    ),
    ("respondent_id", "string", "Who wrote the representative sentence."),
    ("start", "int64", "Start of the representative sentence in respondents.text."),
    ("end", "int64", "End of the representative sentence."),
    ("n_sentences", "int64", "Evidence sentences in the point (a respondent may give several)."),
    (
        "member_evidence",
        "string",
        "The point's evidence sentences as respondent_id:start-end, separated by ';' (codes rows).",
    ),
)

SCHEMAS: dict[str, Schema] = {
    s.name: s
    for s in (
        RESPONDENTS,
        ANSWERS,
        INGEST_LOG,
        CODES,
        STANCES_TABLE,
        UNCODED,
        SUGGESTIONS,
        COPIES,
        ATTRIBUTES,
        POINTS,
    )
}


@dataclass
class Document:
    """A decoded, normalised input ready for segmentation.

    ``cues`` are structure hints from the source format: ``(start, end, kind)``
    spans in ``text`` where kind is ``heading`` (a Word heading style),
    ``bold`` (a paragraph that is wholly bold) or ``survey_column``.

    ``cover_note`` is an e-mail's covering note (body and signature block)
    when an attachment is the response: read only to tell who wrote it
    (organisation, respondent type), never segmented, coded or counted.
    """

    respondent_id: str
    text: str
    source_file: str
    source_format: str
    source_sha256: str
    source_row: int | None = None
    encoding: str | None = None
    cues: list[tuple[int, int, str]] = field(default_factory=list)
    organisation: str | None = None
    organisation_source: str = "none"
    respondent_type: str = "unknown"
    respondent_type_source: str = "none"
    # Survey exports arrive pre-segmented: question_id -> (start, end, tick_box).
    survey_answers: dict[str, tuple[int, int, str | None]] | None = None
    # Raw values of the consultation's attributes: attribute id -> (value, source).
    attributes: dict[str, tuple[str, str]] = field(default_factory=dict)
    cover_note: str | None = None


_PANDAS_DTYPES = {
    "string": "string",
    "Int64": "Int64",
    "int64": "int64",
    "float64": "float64",
    "boolean": "boolean",
}


def counted_codes(codes: pd.DataFrame) -> pd.DataFrame:
    """The codes that count as raising a theme: every row except negated mentions.

    The single place that rule lives, so analysis, exports, agreement and
    exploration cannot disagree about it.
    """
    if codes.empty:
        return codes
    return codes[~codes["negated"].fillna(False).astype(bool)]


def not_yet_coded(codes: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``new`` whose (respondent, question, theme) no counted code has.

    Why: the learned and trained coders only add themes the dictionary (or the
    researcher) has not already given an answer, so one answer never counts a
    theme twice; one rule for both.
    """
    live = counted_codes(codes)
    have = set(zip(live["respondent_id"], live["question_id"], live["theme_id"], strict=True))
    keys = zip(new["respondent_id"], new["question_id"], new["theme_id"], strict=True)
    return new[[k not in have for k in keys]]


def substantive_answers(answers: pd.DataFrame) -> pd.Series:
    """Which ANSWERS rows say something: ``substantive`` where the column exists.

    The single place that rule lives (like ``counted_codes``), so coding,
    stance and analysis cannot disagree about what counts as answering. A
    frame made before the column existed (a notebook's own rows) falls back
    to "the text is not blank"; rows given only as offsets (no text column)
    all count, as they did before non-answers were marked.
    """
    if "substantive" in answers.columns:
        return answers["substantive"].fillna(False).astype(bool)
    if "answer_text" not in answers.columns:
        return pd.Series(True, index=answers.index)
    return answers["answer_text"].fillna("").astype(str).str.strip() != ""


def empty(schema: Schema) -> pd.DataFrame:
    """An empty frame with the schema's columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=_PANDAS_DTYPES[c.dtype]) for c in schema.columns})


def conform(df: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    """Return ``df`` with exactly the schema's columns, in order, cast to its dtypes.

    A missing nullable column is added empty (a frame made by code, or a table
    written, before the column existed); a missing required one is an error.
    Raises SchemaError naming the missing columns or the non-nullable column with nulls.
    """
    derived = schema.name == "answers" and "answer_text" in df.columns  # ``written``
    missing = [
        c.name
        for c in schema.columns
        if c.name not in df.columns and not c.nullable and not (derived and c.name == "written")
    ]
    if missing:
        raise SchemaError(f"{schema.name}: missing column(s) {missing}")
    out = df.reindex(columns=schema.names).copy()
    if derived:
        out["written"] = written(df["answer_text"])
    for col in schema.columns:
        try:
            out[col.name] = out[col.name].astype(_PANDAS_DTYPES[col.dtype])
        except (TypeError, ValueError) as exc:
            raise SchemaError(
                f"{schema.name}.{col.name}: cannot cast to {col.dtype}: {exc}"
            ) from exc
        if not col.nullable and out[col.name].isna().any():
            raise SchemaError(f"{schema.name}.{col.name}: nulls in a non-nullable column")
    return out.reset_index(drop=True)


def written(answer_text: pd.Series) -> pd.Series:
    """ANSWERS.written: whether each answer holds anything but whitespace (False for a null).

    Derived, never given: ``conform`` sets it from ``answer_text`` every time an ANSWERS
    frame is made, so a row whose text was cut or moved (segmentation, placing by
    meaning) cannot keep a stale value. Whitespace is Unicode's, as Python's ``str.isspace``
    (Arrow's ``utf8_is_space``, which agrees with it character for character), read on the
    Arrow strings in place: no stripped copy of every answer is made.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.chunked_array(answer_text.astype("string").array.__arrow_array__())
    blank = pc.or_kleene(pc.utf8_is_space(text), pc.equal(pc.utf8_length(text), 0))
    flags = pc.invert(blank.fill_null(True)).to_numpy(zero_copy_only=False)
    return pd.Series(pd.array(flags, dtype="boolean"), index=answer_text.index)


def validate(df: pd.DataFrame, schema: Schema) -> None:
    """Raise SchemaError unless ``df`` conforms to ``schema`` (same columns, castable, nulls only where allowed)."""
    conform(df, schema)


def markdown(schema: Schema) -> str:
    """The schema as a Markdown table (used in the README)."""
    lines = [
        f"**`{schema.name}`**: {schema.description}",
        "",
        "| column | type | null | description |",
        "|---|---|---|---|",
    ]
    for c in schema.columns:
        lines.append(
            f"| `{c.name}` | {c.dtype} | {'yes' if c.nullable else 'no'} | {c.description} |"
        )
    return "\n".join(lines)
