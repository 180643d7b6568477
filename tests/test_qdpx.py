"""REFI-QDA export (schema-valid, deterministic), import of reviewed projects, hostile archives."""

from __future__ import annotations

import io
import zipfile
from types import SimpleNamespace
from xml.etree import ElementTree as ET

import pandas as pd
import pytest
import xmlschema

from helpers.coding import parse_codebook
from helpers.validate import hand_coding, qdpx
from helpers.validate.qdpx import archive as qdpx_archive

NS = {"q": qdpx.PROJECT_NS}
P = f"{{{qdpx.PROJECT_NS}}}"

# Non-ASCII before the coded words checks code-point (not byte/UTF-16) offsets.
TEXT_R1 = (
    "Q1) Do you agree?\n"
    "We agree — “strongly” 👍. Housing is crucial for care leavers.\n"
    "Q2) What good looks like\n"
    "Support should continue after 25. Records access matters to adults. Café staff help.\n"
)
TEXT_R2 = "Q1) Do you agree?\nWe disagree. Leaders must listen to young people.\n"


def _span(text, words):
    s = text.index(words)
    return s, s + len(words)


def _tables():
    respondents = pd.DataFrame(
        {
            "respondent_id": ["r1", "r2"],
            "organisation": ["Care Org", pd.NA],
            "respondent_type": ["charity_voluntary", "individual"],
            "source_file": ["r1.txt", "r2.txt"],
            "text": [TEXT_R1, TEXT_R2],
        }
    )
    a1 = _span(TEXT_R1, "We agree — “strongly” 👍. Housing is crucial for care leavers.")
    a2 = _span(
        TEXT_R1,
        "Support should continue after 25. Records access matters to adults. Café staff help.",
    )
    b1 = _span(TEXT_R2, "We disagree. Leaders must listen to young people.")
    answers = pd.DataFrame(
        {
            "respondent_id": ["r1", "r1", "r2"],
            "question_id": ["q1", "q2", "q1"],
            "start": [a1[0], a2[0], b1[0]],
            "end": [a1[1], a2[1], b1[1]],
            "answer_text": [TEXT_R1[a1[0] : a1[1]], TEXT_R1[a2[0] : a2[1]], TEXT_R2[b1[0] : b1[1]]],
        }
    )
    rows = []
    for rid, text, q, theme, words, neg in [
        ("r1", TEXT_R1, "q1", "housing", "Housing is crucial for care leavers.", False),
        ("r1", TEXT_R1, "q2", "support", "Support should continue after 25.", False),
        ("r1", TEXT_R1, "q2", "records", "Records access matters to adults.", False),
        ("r2", TEXT_R2, "q1", "leadership", "Leaders must listen to young people.", False),
        ("r2", TEXT_R2, "q1", "housing", "We disagree.", True),  # negated: never exported
    ]:
        s, e = _span(text, words)
        rows.append(
            {
                "respondent_id": rid,
                "question_id": q,
                "theme_id": theme,
                "start": s,
                "end": e,
                "quote": words,
                "negated": neg,
                "method": "dictionary",
                "source": "auto",
            }
        )
    codes = pd.DataFrame(rows)
    codebook = parse_codebook(
        {
            "id": "test-cb",
            "themes": [
                {
                    "id": "support",
                    "label": "Support",
                    "description": "Help for care leavers.",
                    "patterns": ["support"],
                },
                {
                    "id": "housing",
                    "label": "Housing",
                    "description": "Accommodation & homes <b>.",
                    "parent": "support",
                    "patterns": ["housing"],
                },
                {
                    "id": "records",
                    "label": "Access to records",
                    "description": "Files.",
                    "patterns": ["records"],
                },
                {
                    "id": "leadership",
                    "label": "Leadership",
                    "description": "Leaders.",
                    "patterns": ["leadership"],
                },
            ],
        }
    )
    consultation = SimpleNamespace(id="test-consultation", title="A test consultation")
    return respondents, answers, codes, codebook, consultation


def _export(tmp_path, name="p.qdpx"):
    r, a, c, cb, con = _tables()
    return qdpx.export_qdpx(tmp_path / name, r, a, c, cb, con)


def _members(path):
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _rezip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, d in members.items():
            zf.writestr(n, d)
    return path


def test_export_is_schema_valid_and_complete(tmp_path):
    path = _export(tmp_path)
    members = _members(path)
    assert "project.qde" in members
    xmlschema.XMLSchema(str(qdpx.schema_path("Project.xsd"))).validate(
        io.BytesIO(members["project.qde"])
    )
    root = ET.fromstring(members["project.qde"])
    # Codes nest by parent: housing sits inside support.
    top = [c.get("name") for c in root.findall("q:CodeBook/q:Codes/q:Code", NS)]
    assert top == ["Support", "Access to records", "Leadership"]
    assert [c.get("name") for c in root.findall("q:CodeBook/q:Codes/q:Code/q:Code", NS)] == [
        "Housing"
    ]
    assert (
        root.find(".//q:Code[@name='Housing']/q:Description", NS).text
        == "[housing] Accommodation & homes <b>."
    )
    sources = root.findall("q:Sources/q:TextSource", NS)
    assert [s.get("name") for s in sources] == ["r1", "r2"]
    for s in sources:
        ptp = s.get("plainTextPath")
        assert ptp.startswith("internal://") and ptp.endswith(".txt")
        text = members["sources/" + ptp[len("internal://") :]].decode("utf-8")
        for sel in s.findall("q:PlainTextSelection", NS):
            quoted = text[int(sel.get("startPosition")) : int(sel.get("endPosition"))]
            assert quoted.endswith(".") and quoted[0].isupper()
    r1 = sources[0]
    sels = {
        TEXT_R1[int(x.get("startPosition")) : int(x.get("endPosition"))]
        for x in r1.findall("q:PlainTextSelection", NS)
    }
    assert sels == {
        "Housing is crucial for care leavers.",
        "Support should continue after 25.",
        "Records access matters to adults.",
    }
    # Only the non-negated code of r2 is exported.
    assert len(sources[1].findall("q:PlainTextSelection", NS)) == 1
    # The coding refers to the Housing code.
    housing_guid = root.find(".//q:Code[@name='Housing']", NS).get("guid")
    sel = [
        x for x in r1.findall("q:PlainTextSelection", NS) if x.get("name").startswith("Housing")
    ][0]
    assert sel.find("q:Coding/q:CodeRef", NS).get("targetGUID") == housing_guid
    # Cases with respondent_type values.
    var = root.find("q:Variables/q:Variable[@name='respondent_type']", NS)
    values = {}
    for case in root.findall("q:Cases/q:Case", NS):
        for vv in case.findall("q:VariableValue", NS):
            if vv.find("q:VariableRef", NS).get("targetGUID") == var.get("guid"):
                values[case.get("name")] = vv.find("q:TextValue", NS).text
    assert values == {"r1": "charity_voluntary", "r2": "individual"}
    assert len(root.findall("q:Users/q:User", NS)) == 1


def test_export_is_deterministic(tmp_path):
    a = _export(tmp_path, "a.qdpx").read_bytes()
    b = _export(tmp_path, "b.qdpx").read_bytes()
    assert a == b


def test_export_qdc_is_schema_valid(tmp_path):
    *_, cb, _ = _tables()
    path = qdpx.export_qdc(tmp_path / "cb.qdc", cb)
    xmlschema.XMLSchema(str(qdpx.schema_path("Codebook.xsd"))).validate(str(path))
    root = ET.parse(path).getroot()
    assert root.tag == f"{{{qdpx.CODEBOOK_NS}}}CodeBook"
    assert len(root.iter(f"{{{qdpx.CODEBOOK_NS}}}Code").__next__().attrib["guid"]) == 36


def test_round_trip_changes_nothing(tmp_path):
    path = _export(tmp_path)
    r, a, c, cb, con = _tables()
    res = qdpx.import_qdpx(path, r, a, c, cb, con)
    assert res.overrides.empty
    assert res.new_themes == []
    assert res.changes.empty


def _edit(path):
    """Remove one coding, add one with a new code, move one, and shift a source's text."""
    members = _members(path)
    root = ET.fromstring(members["project.qde"])
    src1, src2 = root.findall("q:Sources/q:TextSource", NS)
    sels = {
        TEXT_R1[int(x.get("startPosition")) : int(x.get("endPosition"))]: x
        for x in src1.findall("q:PlainTextSelection", NS)
    }
    # 1. remove the records coding
    src1.remove(sels["Records access matters to adults."])
    # 2. move the support coding to another sentence of the same answer
    s, e = _span(TEXT_R1, "Café staff help.")
    sels["Support should continue after 25."].set("startPosition", str(s))
    sels["Support should continue after 25."].set("endPosition", str(e))
    # 3. a new code, used on r1's first sentence
    codes = root.find("q:CodeBook/q:Codes", NS)
    new_guid = "11111111-2222-3333-4444-555555555555"
    new_code = ET.SubElement(
        codes, f"{P}Code", {"guid": new_guid, "name": "Lifelong support", "isCodable": "true"}
    )
    ET.SubElement(new_code, f"{P}Description").text = "Support across the life course."
    s, e = _span(TEXT_R1, "We agree — “strongly” 👍.")
    sel = ET.Element(
        f"{P}PlainTextSelection",
        {
            "guid": "11111111-2222-3333-4444-666666666666",
            "startPosition": str(s),
            "endPosition": str(e),
        },
    )
    coding = ET.SubElement(sel, f"{P}Coding", {"guid": "11111111-2222-3333-4444-777777777777"})
    ET.SubElement(coding, f"{P}CodeRef", {"targetGUID": new_guid})
    idx = list(src1).index(src1.find("q:PlainTextSelection", NS))
    src1.insert(idx, sel)
    # 4. another tool re-saved r2's text with a title line: offsets drift by its length
    ptp = src2.get("plainTextPath")[len("internal://") :]
    prefix = "Response from r2\r\n"
    members["sources/" + ptp] = (prefix + TEXT_R2).encode("utf-8")
    for x in src2.findall("q:PlainTextSelection", NS):
        x.set("startPosition", str(int(x.get("startPosition")) + len(prefix)))
        x.set("endPosition", str(int(x.get("endPosition")) + len(prefix)))
    ET.register_namespace("", qdpx.PROJECT_NS)
    members["project.qde"] = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return _rezip(path.with_name("edited.qdpx"), members)


def test_import_of_edited_project(tmp_path):
    edited = _edit(_export(tmp_path))
    xmlschema.XMLSchema(str(qdpx.schema_path("Project.xsd"))).validate(
        io.BytesIO(_members(edited)["project.qde"])
    )
    r, a, c, cb, con = _tables()
    res = qdpx.import_qdpx(edited, r, a, c, cb, con)
    ov = res.overrides.sort_values(["action", "theme_id"]).reset_index(drop=True)
    assert ov[["respondent_id", "question_id", "theme_id", "action", "quote"]].values.tolist() == [
        ["r1", "q1", "lifelong_support", "add", "We agree — “strongly” 👍."],
        ["r1", "q2", "support", "add", "Café staff help."],
        ["r1", "q2", "records", "remove", "Records access matters to adults."],
        # moved: the automatic evidence is removed and the reviewer's words added
        ["r1", "q2", "support", "remove", "Support should continue after 25."],
    ]
    assert res.new_themes == [
        {
            "id": "lifelong_support",
            "label": "Lifelong support",
            "description": "Support across the life course.",
            "patterns": [],
        }
    ]
    assert "- id: lifelong_support" in res.new_themes_yaml()
    out = res.write_overrides(tmp_path / "review" / "overrides.csv")
    assert pd.read_csv(out).columns.tolist() == qdpx.OVERRIDE_COLUMNS
    actions = dict(
        zip(
            res.changes["theme_id"] + "/" + res.changes["action"], res.changes["quote"], strict=True
        )
    )
    assert actions["support/moved"] == "Café staff help."
    assert actions["records/removed"] == "Records access matters to adults."
    assert "lifelong_support/new_theme" in actions
    # r2's drifted offsets were re-anchored: no change reported for r2.
    assert "r2" not in set(res.changes["respondent_id"].dropna())


def test_hand_coding_from_project(tmp_path):
    edited = _edit(_export(tmp_path))
    r, a, c, cb, con = _tables()
    hand = hand_coding.load_hand_coding(edited, a, respondents=r, codes=c, codebook=cb)
    got = sorted(
        (x.respondent_id, x.question_id, None if pd.isna(x.theme_id) else x.theme_id)
        for x in hand.itertuples()
    )
    # The new code is not in the codebook, so it does not count for agreement.
    assert got == [("r1", "q1", "housing"), ("r1", "q2", "support"), ("r2", "q1", "leadership")]


def test_unmarking_one_of_two_evidence_sentences(tmp_path):
    r, a, c, cb, con = _tables()
    s, e = _span(TEXT_R1, "Café staff help.")
    extra = {**c.iloc[1].to_dict(), "start": s, "end": e, "quote": "Café staff help."}
    c = pd.concat([c, pd.DataFrame([extra])], ignore_index=True)
    path = qdpx.export_qdpx(tmp_path / "two.qdpx", r, a, c, cb, con)
    members = _members(path)
    root = ET.fromstring(members["project.qde"])
    src1 = root.findall("q:Sources/q:TextSource", NS)[0]
    for sel in src1.findall("q:PlainTextSelection", NS):
        if int(sel.get("startPosition")) == s:
            src1.remove(sel)
    ET.register_namespace("", qdpx.PROJECT_NS)
    members["project.qde"] = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    res = qdpx.import_qdpx(_rezip(tmp_path / "one.qdpx", members), r, a, c, cb, con)
    # The theme stays, on the evidence the reviewer kept.
    assert res.overrides[["theme_id", "action", "quote"]].values.tolist() == [
        ["support", "remove", "Café staff help."],
        ["support", "add", "Support should continue after 25."],
    ]
    assert res.changes[["action", "quote"]].values.tolist() == [
        ["evidence_removed", "Café staff help."]
    ]


def test_external_source_is_not_read_and_keeps_its_codes(tmp_path):
    path = _export(tmp_path)
    members = _members(path)
    root = ET.fromstring(members["project.qde"])
    src2 = root.findall("q:Sources/q:TextSource", NS)[1]
    src2.set("plainTextPath", "file:///etc/passwd")
    ET.register_namespace("", qdpx.PROJECT_NS)
    members["project.qde"] = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    edited = _rezip(tmp_path / "external.qdpx", members)
    res = qdpx.import_qdpx(edited, *_tables())
    assert res.overrides.empty  # r2's leadership code is not removed
    assert res.changes[["action", "respondent_id"]].values.tolist() == [["skipped", "r2"]]


# --------------------------------------------------------------------------- hostile archives


def _zip_with(tmp_path, entries, name="bad.qdpx"):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, d in entries.items():
            zf.writestr(n, d)
    return path


def _args():
    r, a, c, cb, con = _tables()
    return r, a, c, cb, con


@pytest.mark.parametrize(
    "member",
    ["../evil.txt", "/etc/evil.txt", "sources/../../evil.txt", "C:/evil.txt", "..\\evil.txt"],
)
def test_path_escape_refused(tmp_path, member):
    path = _zip_with(tmp_path, {"project.qde": b"<Project/>", member: b"x"})
    with pytest.raises(qdpx.QdpxError, match=r"bad\.qdpx.*escapes"):
        qdpx.import_qdpx(path, *_args())


def test_entity_expansion_refused(tmp_path):
    xml = b'<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n<Project xmlns="urn:QDA-XML:project:1.0" name="&b;"/>'
    path = _zip_with(tmp_path, {"project.qde": xml})
    with pytest.raises(qdpx.QdpxError, match=r"bad\.qdpx:project\.qde: XML with a DTD"):
        qdpx.import_qdpx(path, *_args())


def test_external_dtd_refused(tmp_path):
    xml = b'<?xml version="1.0"?>\n<!DOCTYPE Project SYSTEM "http://example.invalid/x.dtd">\n<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>'
    path = _zip_with(tmp_path, {"project.qde": xml})
    with pytest.raises(qdpx.QdpxError, match="DTD"):
        qdpx.import_qdpx(path, *_args())


def test_compression_bomb_refused(tmp_path):
    path = _zip_with(
        tmp_path, {"project.qde": b"<Project/>", "sources/big.txt": b"\0" * (4 * 1024 * 1024)}
    )
    with pytest.raises(qdpx.QdpxError, match="compression ratio"):
        qdpx.import_qdpx(path, *_args())


def test_total_size_and_member_count_limits(tmp_path, monkeypatch):
    path = _zip_with(
        tmp_path,
        {"project.qde": b"<Project/>", **{f"sources/{i}.txt": b"abc" * 100 for i in range(5)}},
    )
    monkeypatch.setattr(qdpx_archive, "MAX_MEMBERS", 3)
    with pytest.raises(qdpx.QdpxError, match="6 members"):
        qdpx.read_archive(path)
    monkeypatch.setattr(qdpx_archive, "MAX_MEMBERS", 100)
    monkeypatch.setattr(qdpx_archive, "MAX_TOTAL_BYTES", 1000)
    with pytest.raises(qdpx.QdpxError, match="uncompressed"):
        qdpx.read_archive(path)


def test_not_a_zip_and_missing_project(tmp_path):
    p = tmp_path / "x.qdpx"
    p.write_bytes(b"hello")
    with pytest.raises(qdpx.QdpxError, match="not a zip"):
        qdpx.import_qdpx(p, *_args())
    q = _zip_with(tmp_path, {"sources/a.txt": b"x"}, name="empty.qdpx")
    with pytest.raises(qdpx.QdpxError, match="no project.qde"):
        qdpx.import_qdpx(q, *_args())


def test_default_corpus_round_trip(tmp_path):
    """The two real responses: schema-valid export, quotes at their offsets, no-op re-import."""
    from helpers import coding as code
    from helpers import ingest
    from helpers.coding import load_codebook
    from helpers.core import paths
    from helpers.core.consultation import load_consultation

    folder = paths.consultation_dir()
    cons = load_consultation(folder / "consultation.yaml")
    cb = load_codebook(folder / "codebook.yaml", cons)
    res = ingest.run_ingest(paths.raw_dir(), folder / "consultation.yaml", tmp_path / "processed")
    codes = code.code_answers(res.answers, res.respondents, cb)
    path = qdpx.export_qdpx(tmp_path / "p.qdpx", res.respondents, res.answers, codes, cb, cons)
    members = _members(path)
    qdpx.validate_xml(members["project.qde"])
    root = ET.fromstring(members["project.qde"])
    live = codes[~codes["negated"]]
    n_sel = len(root.findall(".//q:PlainTextSelection", NS))
    assert n_sel == len(
        live.drop_duplicates(["respondent_id", "question_id", "theme_id", "start", "end"])
    )
    become = next(
        s for s in root.findall("q:Sources/q:TextSource", NS) if s.get("name") == "become"
    )
    text = members["sources/" + become.get("plainTextPath")[len("internal://") :]].decode("utf-8")
    quotes = {
        text[int(x.get("startPosition")) : int(x.get("endPosition"))]
        for x in become.findall("q:PlainTextSelection", NS)
    }
    # Become's Q5 sentence on refugee or asylum-seeking young people (hand-coded asylum_refugee too).
    assert any(
        q.startswith(
            "Although neither of these groups are categorised as protected characteristics"
        )
        for q in quotes
    )
    again = qdpx.import_qdpx(path, res.respondents, res.answers, codes, cb, cons)
    assert again.overrides.empty and again.changes.empty
