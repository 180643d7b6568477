"""Personal data out of shared outputs (issue 16, item 1): core.redact on realistic
UK formats, hand-checked, and end to end through tables/*.csv, tables.xlsx and the report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import report_testdata as td
from openpyxl import load_workbook

from helpers import analysis, report
from helpers.core import schemas
from helpers.core.redact import redact, redact_frame, write_log


def red(text: str, **kw) -> str:
    return redact(text, **kw)[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # e-mail
        ("Email me at jane.smith@example.co.uk today.", "Email me at [email] today."),
        ("write to o.neil+consult@mail.gov.uk", "write to [email]"),
        ("Contact: PAT.KHAN@NHS.NET.", "Contact: [email]."),
        # phone: mobile, London, geographic, with spaces, dashes, brackets, +44
        ("Ring 07700 900123 after six.", "Ring [phone] after six."),
        ("Mobile: 07700900123", "Mobile: [phone]"),
        ("Call +44 7700 900123 or +44 (0)7700 900 123.", "Call [phone] or [phone]."),
        ("Office (020) 7946 0018, or 020-7946-0018.", "Office [phone], or [phone]."),
        ("Tel 01632 960961 / 0161 496 0000", "Tel [phone] / [phone]"),
        ("tel:+442079460018", "tel:[phone]"),
        # postcode
        ("I live in KF4 2NW near the school.", "I live in [postcode] near the school."),
        ("Whitehall, SW1A 1AA.", "Whitehall, [postcode]."),
        ("postcode ec1a1bb", "postcode [postcode]"),
        ("M1 1AE and B33 8TH", "[postcode] and [postcode]"),
        # street address
        ("I live at 14 Mill Lane, Kirkcaldy.", "I live at [address], Kirkcaldy."),
        ("Flat 3, Mill House is damp.", "[address] is damp."),
        ("Our house at 22a Station Road floods.", "Our house at [address] floods."),
        ("7 St Mary's Close", "[address]"),
        # national insurance number
        ("NI number AB123456C.", "NI number [ni_number]."),
        ("NI: AB 12 34 56 C", "NI: [ni_number]"),
        ("ni no. jt 43 21 09 a", "ni no. [ni_number]"),
        # date of birth
        ("I was born on 12/03/1975.", "I was born on [date_of_birth]."),
        ("DOB: 3rd March 1975", "DOB: [date_of_birth]"),
        ("Date of birth 1 Jan 1980, retired.", "Date of birth [date_of_birth], retired."),
        ("born March 4, 1962", "born [date_of_birth]"),
        # personal URLs and handles; organisations' sites stay
        ("See https://www.facebook.com/jane.smith.79.", "See [url]."),
        ("linkedin.com/in/x? https://linkedin.com/in/jsmith", "linkedin.com/in/x? [url]"),
        ("Follow @janesmith99 for updates.", "Follow [handle] for updates."),
        (
            "Guidance at https://www.gov.uk/guidance/foster-care.",
            "Guidance at https://www.gov.uk/guidance/foster-care.",
        ),
        ("See www.nspcc.org.uk for details.", "See www.nspcc.org.uk for details."),
        # names: cues, sign-offs, labels
        ("My name is Jane Smith and I foster.", "My name is [name] and I foster."),
        ("Hello, I'm called Tom O'Brien-Hughes.", "Hello, I'm called [name]."),
        ("my name is Dr. A. Patel, a GP.", "my name is [name], a GP."),
        ("Thank you.\n\nKind regards,\nJane Smith", "Thank you.\n\nKind regards,\n[name]"),
        ("Yours sincerely\n\nJ. Smith\nChair", "Yours sincerely\n\n[name]\nChair"),
        ("Best wishes,\nMarcus Fenwick, foster carer", "Best wishes,\n[name], foster carer"),
        ("From: Jane Smith <jane@example.com>", "From: [name] <[email]>"),
        ("Name: Mrs Amina Rahman", "Name: [name]"),
        ("From: Reeves, Alan <alan.reeves@kdfrs.gov.uk>", "From: [name] <[email]>"),
        ("Eleanor Vance, 22 Orchard Road, Kingsford", "[name], [address], Kingsford"),
        ("Yours faithfully,\n\nMargaret Ellison (Mrs)", "Yours faithfully,\n\n[name] (Mrs)"),
        ("Cheers\nLee\n", "Cheers\n[name]\n"),
        ("Riverside Medical Practice, 40 Mill Lane", "Riverside Medical Practice, [address]"),
        ("Wharf Road Pharmacy, 3 Wharf Road", "Wharf Road Pharmacy, [address]"),
    ],
)
def test_redacts_each_kind(text, expected):
    assert red(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Leeds City Council supports the proposal.",
        "Kind regards,\nLeeds City Council",
        "Yours faithfully,\nFoster Carers Network",
        "From: Barnardo's Policy Team",
        "Section 2 of the Children Act 1989 applies.",
        "Part 3 of the Road Traffic Act 1988 and section 17.",
        "Within 18 months, or 24 hours in an emergency.",
        "The fee rose from £1,200 to £1,450 in 2019 and 2020.",
        "In Q3 and Question 12 we said 10,000 people; 0.5% of 250,000.",
        "We met on 12 March 2020 and again on 01/02/2021.",
        "Figure 2: Road safety; Table 4: Park and ride.",
        "The A1 2nd carriageway and the M25.",
        "Call 999 or 111, or the 0800 helpline.",
        "Reference 2023/0145 and case 01234/2022.",
        "Email the team via the online form.",
        "The 2019 Green Paper and the 2020 White Paper.",
        "Our charity (reg. no. 1089464) and company no. 04325234.",
        "NHS England's @ mention policy",
        "=SUM(A1) and @SUM(A1)",
        "I am called upon to care for my grandson.",
        "Many thanks,\nThe Kinship Carers' Forum",
        "> Kind regards,\n> Consultation team",
        "Thanks\nWe look forward to the response.",
    ],
)
def test_leaves_what_is_not_personal(text):
    assert red(text) == text


def test_findings_are_kinds_and_offsets_never_values():
    text = "Mail jane@example.com or 07700 900123.\nKind regards,\nJane Smith"
    out, findings = redact(text)
    assert out == "Mail [email] or [phone].\nKind regards,\n[name]"
    assert findings == [("email", 5, 21), ("phone", 25, 37), ("name", 53, 63)]
    assert [text[s:e] for _, s, e in findings] == ["jane@example.com", "07700 900123", "Jane Smith"]
    assert redact(out) == (out, [])  # placeholders match no rule: idempotent


def test_names_from_metadata():
    text = "As Jane Smith said, jane smith knows. Smithson is a place."
    assert red(text, names=["Jane Smith"]) == "As [name] said, [name] knows. Smithson is a place."
    # an organisation given as a name stays
    assert red("Leeds City Council said so.", names=["Leeds City Council"]).startswith("Leeds")


def test_redact_frame_logs_kind_and_place(tmp_path):
    df = pd.DataFrame(
        {
            "respondent_id": ["r1", "r2", "r3"],
            "question_id": ["q1", "q1", "q2"],
            "answer_text": ["a@b.org and c@d.org", "nothing here", "ring 07700 900123"],
            "n": [1, 2, 3],
        }
    )
    out, log = redact_frame(df, source="tables", table="uncoded")
    assert out["answer_text"].tolist() == ["[email] and [email]", "nothing here", "ring [phone]"]
    assert df["answer_text"][0] == "a@b.org and c@d.org"  # the input is not changed
    assert log.to_dict("records") == [
        {
            "source": "tables",
            "table": "uncoded",
            "kind": "email",
            "respondent_id": "r1",
            "question_id": "q1",
            "count": 2,
        },
        {
            "source": "tables",
            "table": "uncoded",
            "kind": "phone",
            "respondent_id": "r3",
            "question_id": "q2",
            "count": 1,
        },
    ]
    path = write_log(log, tmp_path, "tables")
    write_log(log.iloc[:1], tmp_path, "report")
    write_log(log.iloc[1:], tmp_path, "report")  # a re-run replaces its own rows only
    back = pd.read_csv(path, dtype=str)
    assert back["source"].tolist() == ["tables", "tables", "report"]
    assert "@" not in path.read_text() and "07700" not in path.read_text()


QUOTE = (
    "Placements break down without support, so please email me at jane.smith@example.co.uk "
    "or ring 07700 900123 to talk about it."
)


def test_end_to_end_report_and_tables(tmp_path):
    """An e-mail and a phone number in a coded quote and an uncoded answer reach neither
    report.html nor tables/*.csv nor tables.xlsx; the log names kind and place only."""
    codes = td.codes()
    codes["quote"] = codes["quote"].astype(object)
    codes.loc[codes["respondent_id"] == "r5", "quote"] = QUOTE  # r5's q1 housing quote
    codes = schemas.conform(codes, schemas.CODES)
    uncoded = td.uncoded()
    uncoded["answer_text"] = pd.Series(
        ["No. Write to Flat 3, Mill House, KF4 2NW."], dtype="string"
    )
    inputs = analysis.AnalysisInputs(
        respondents=td.respondents(),
        answers=td.answers(),
        codes=codes,
        stances=td.stances(),
        uncoded=uncoded,
        consultation=td.CONSULTATION,
        codebook=td.CODEBOOK,
    )
    quotes = analysis.representative_quotes(inputs.codes, inputs.respondents, "housing", "q1")
    assert quotes["quote"].tolist() == [
        QUOTE.replace("jane.smith@example.co.uk", "[email]").replace("07700 900123", "[phone]")
    ]

    html = report.build_report(inputs, output_dir=tmp_path, report_date=dt.date(2026, 12, 5))
    assert "jane.smith@example.co.uk" not in html and "07700 900123" not in html
    assert "please email me at [email] or ring [phone]" in html

    analysis.write_tables(analysis.analysis_tables(inputs), tmp_path)
    shared = [p.read_text(encoding="utf-8") for p in (tmp_path / "tables").glob("*.csv")]
    uncoded_csv = (tmp_path / "tables" / "uncoded.csv").read_text(encoding="utf-8")
    assert "Write to [address], [postcode]." in uncoded_csv
    assert not any("Mill House" in t or "KF4" in t or "@example" in t for t in shared)
    cells = [
        str(c.value)
        for ws in load_workbook(tmp_path / "tables.xlsx").worksheets
        for row in ws.iter_rows()
        for c in row
    ]
    assert "No. Write to [address], [postcode]." in cells
    assert not any("Mill House" in c for c in cells)

    log = pd.read_csv(tmp_path / "redaction_log.csv", dtype=str)
    assert set(log["source"]) == {"report", "tables"}
    rows = set(
        zip(log["source"], log["kind"], log["respondent_id"], log["question_id"], strict=True)
    )
    assert ("report", "email", "r5", "q1") in rows
    assert ("report", "phone", "r5", "q1") in rows
    assert ("tables", "address", "r4", "q1") in rows
    assert ("tables", "postcode", "r4", "q1") in rows
    text = (tmp_path / "redaction_log.csv").read_text()
    assert "example" not in text and "07700" not in text and "KF4" not in text


def test_an_individuals_own_name_from_metadata_is_redacted_in_their_quotes():
    """td.respondents() gives r5 (an individual) the name 'Jane Smith' as metadata."""
    codes = td.codes()
    codes["quote"] = codes["quote"].astype(object)
    quote = "As a kinship carer, I, Jane Smith, have waited 18 months for support."
    codes.loc[codes["respondent_id"] == "r5", "quote"] = quote
    inputs = analysis.AnalysisInputs(
        respondents=td.respondents(),
        answers=td.answers(),
        codes=schemas.conform(codes, schemas.CODES),
        stances=td.stances(),
        uncoded=td.uncoded(),
        consultation=td.CONSULTATION,
        codebook=td.CODEBOOK,
    )
    redacted, log = analysis.redact_inputs(inputs)
    got = redacted.codes.loc[redacted.codes["respondent_id"] == "r5", "quote"].tolist()
    assert got == ["As a kinship carer, I, [name], have waited 18 months for support."]
    assert inputs.codes.loc[inputs.codes["respondent_id"] == "r5", "quote"].tolist() == [quote]
    assert ("name", "r5", "q1") in set(
        zip(log["kind"], log["respondent_id"], log["question_id"], strict=True)
    )
    # organisations' names in their own text stay
    assert "Leeds City Council" not in str(analysis.redaction.individual_names(td.respondents()))


def test_the_shared_run_log_carries_no_personal_data(tmp_path):
    """run.log in the run folder is written through a redacting formatter; the
    log record itself (and so a local log) keeps the full line."""
    import logging

    from helpers.pipeline.runfolder import log_to_file

    path = tmp_path / "run.log"
    seen = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record.getMessage())

    keep = Keep()
    logging.getLogger().addHandler(keep)
    try:
        with log_to_file(path):
            logging.getLogger("helpers.test").warning(
                "unmatched heading: %r", "Call Jo on 07700 900123 or jo.bloggs@example.org"
            )
    finally:
        logging.getLogger().removeHandler(keep)
    text = path.read_text(encoding="utf-8")
    assert "[phone]" in text and "[email]" in text
    assert "07700" not in text and "example.org" not in text
    assert "unmatched heading" in text
    assert "07700 900123" in seen[-1]


# Texts written for the prefilter test, not taken from the rules' own examples: personal
# data in unusual places (start, end, after line breaks, in capitals), and plain prose.
_PREFILTER_TEXTS = [
    "reach me on 0131 496 0471 any weekday",
    "MY NAME IS Oliver Grant and I foster",
    "Sincerely,\n\nPriya Natarajan",
    "Sender: Tom Ashworth",
    "our address: 9 Beech Avenue, then left",
    "Apartment 12, Riverside Court has no lift",
    "the d.o.b. was 02-11-1990 on the form",
    "drop a line to carers@fosterhub.org.uk",
    "insta is www.instagram.com/kinship_gran",
    "ref JT432109A was quoted",
    "we moved to LS6 3QW last spring",
    "@carer_voice posted it",
    "Cheers,\nAmira Haddad",
    "Thank you\n   Gareth Jones",
    "Funding should rise over the next two years.",
    "Section 2 of the Children Act 1989 applies; waits of 18 months are too long.",
    "we support option b; the 3rd and 4th proposals less so",
    "From my own experience the panel was fair.",
    "It cost £1,200 in 2024, about 10% more.",
]


def test_the_prefilter_never_hides_a_finding():
    """``redact`` skips the rules for a text its one-pattern prefilter does not match
    (issue 15: most answers are plain prose). Every text in which the rules find
    something must match the prefilter, and the result is the rules' own."""
    from helpers.core.redact import _resolve, _spans, could_hold_personal_data

    fixtures = Path(__file__).parent / "fixtures" / "identical"
    answers = pd.concat(
        pd.read_parquet(p, columns=["answer_text"])
        for p in sorted(fixtures.glob("*/answers.parquet"))
    )["answer_text"].dropna()
    texts = [*_PREFILTER_TEXTS, *answers.astype(str).unique().tolist()]
    found = 0
    for text in texts:
        full = _resolve(_spans(text, ()))
        if full:
            found += 1
            assert could_hold_personal_data(text), text
        assert redact(text)[1] == full, text
    assert found >= 14  # the personal-data texts above, at least
    # Plain prose passes the prefilter untouched, with no rule run.
    assert not could_hold_personal_data(_PREFILTER_TEXTS[14])
    assert not could_hold_personal_data(_PREFILTER_TEXTS[15])


def _redact_frame_reference(frame, columns=None, source="", table="", names=None):
    """``redact_frame`` as it was before issue 15's distinct-value pass (a step per cell)."""
    from helpers.core.redact import LOG_COLUMNS, _text_columns

    out = frame.copy()
    rows = []
    rid = out["respondent_id"].astype(str).tolist() if "respondent_id" in out else None
    qid = out["question_id"].astype(str).tolist() if "question_id" in out else None
    seen = {}
    for col in columns if columns is not None else _text_columns(out):
        if col not in out or col in ("respondent_id", "question_id"):
            continue
        values = out[col].tolist()
        changed = False
        for i, v in enumerate(values):
            if not isinstance(v, str) or not v:
                continue
            known = tuple(names.get(rid[i], ())) if names and rid else ()
            done = seen.get((v, known))
            if done is None:
                done = seen[(v, known)] = redact(v, known)
            red, findings = done
            if findings:
                values[i] = red
                changed = True
                for kind, _s, _e in findings:
                    rows.append((source, table, kind, rid[i] if rid else "", qid[i] if qid else ""))
        if changed:
            out[col] = pd.Series(values, index=out.index, dtype=out[col].dtype)
    log = pd.DataFrame(rows, columns=LOG_COLUMNS[:-1])
    log = log.groupby(LOG_COLUMNS[:-1], sort=True).size().rename("count").reset_index()
    return out, log[LOG_COLUMNS]


def test_redact_frame_distinct_values_equal_the_per_cell_pass():
    """Each distinct value redacted once, behind the vectorised pre-test, gives the same
    frame and log as redacting every cell (the fixture answers, repeated, with personal
    data, known names for some respondents, blanks, NA and a non-text column)."""
    fixtures = Path(__file__).parent / "fixtures" / "identical"
    answers = pd.concat(
        pd.read_parquet(p, columns=["respondent_id", "question_id", "answer_text"])
        for p in sorted(fixtures.glob("*/answers.parquet"))
    ).reset_index(drop=True)
    extra = pd.DataFrame(
        {
            "respondent_id": ["r1", "r2", "r1", "r3", "r4", "r4"],
            "question_id": ["q1", "q1", "q2", "q1", "q2", "q3"],
            "answer_text": [*_PREFILTER_TEXTS[:3], "", None, "Ask Hana Sato, she knows"],
        }
    )
    frame = pd.concat([answers, answers.head(300), extra], ignore_index=True)
    frame["answer_text"] = frame["answer_text"].astype("string")
    frame["label"] = np.where(np.arange(len(frame)) % 3 == 0, "call 0161 496 0000", "plain")
    frame["n"] = np.arange(len(frame))
    ids = frame["respondent_id"].astype(str).unique()
    names = {ids[0]: ["Hana Sato"], ids[5]: ["Priya Natarajan"], "r4": ["Hana Sato"]}
    before = frame.copy(deep=True)
    for kw in ({}, {"names": names}, {"columns": ["answer_text"], "names": names}):
        got, got_log = redact_frame(frame, source="tables", table="t", **kw)
        want, want_log = _redact_frame_reference(frame, source="tables", table="t", **kw)
        pd.testing.assert_frame_equal(got, want)
        pd.testing.assert_frame_equal(got_log, want_log)
        assert len(want_log) > 3
        # The copy is shallow (issue 15): the caller's frame is left as it was.
        pd.testing.assert_frame_equal(frame, before)


def test_the_vectorised_pretest_covers_the_prefilter():
    """``could_hold_personal_data_many`` is never False where the prefilter is True: on
    the fixture answers, the texts above, every Unicode digit and odd spellings."""
    import re
    import sys

    from helpers.core.redact import could_hold_personal_data, could_hold_personal_data_many

    fixtures = Path(__file__).parent / "fixtures" / "identical"
    answers = pd.concat(
        pd.read_parquet(p, columns=["answer_text"])
        for p in sorted(fixtures.glob("*/answers.parquet"))
    )["answer_text"].dropna()
    digits = [chr(c) for c in range(sys.maxunicode + 1) if re.match(r"\d", chr(c))]
    odd = [f"flat {d}{d} 3AB" for d in digits[::7]] + [
        "WWW.Example",
        "my\u00a0NAME is Jo",
        "CALLED Sam",
        "Yours,\r\nJo",
        "plain words only",
    ]
    texts = [*_PREFILTER_TEXTS, *answers.astype(str).unique().tolist(), *odd]
    maybe = could_hold_personal_data_many(texts)
    for text, m in zip(texts, maybe, strict=True):
        if could_hold_personal_data(text):
            assert m, text
    assert could_hold_personal_data_many(digits).all()
    assert not could_hold_personal_data_many(["plain words only", "We agree."]).any()
    assert len(could_hold_personal_data_many([])) == 0
