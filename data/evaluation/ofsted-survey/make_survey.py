"""Build the ofsted-survey development set: two survey exports and their gold labels.

Writes, next to this script:

- ``responses/survey.csv``: a Citizen Space-style export (200 rows);
- ``responses/survey.xlsx``: a smaller Microsoft Forms-style export (30 rows) with
  that platform's header style;
- ``gold.yaml``: the ``surveys:`` gold section (format: docs/evaluation.md).

Every answer text comes from the hand-written pools in ``pools_q1.py``,
``pools_q2.py`` and ``pools_q345.py``; each substantive text is used at most once
(so identical texts mean a campaign, never chance), and campaign copies are the
four campaign texts below with small seeded edits. The random generator is seeded,
so the same pools give byte-identical files. Run:

    /work/main/.venv/bin/python data/evaluation/ofsted-survey/make_survey.py
"""

from __future__ import annotations

import csv
import io
import logging
import random
import re
import sys
import zipfile
from pathlib import Path

import openpyxl
import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from pools_q1 import Q1, Q1_CONFLICTS  # noqa: E402
from pools_q2 import Q2  # noqa: E402
from pools_q345 import NON_ANSWERS, NON_ANSWERS_ORG, Q3, Q3_CONFLICTS, Q4, Q5  # noqa: E402

log = logging.getLogger("make_survey")
SEED = 20220802
QIDS = ("capacity", "q1", "q2", "q3", "q4", "q5")

# Tick-box labels as each platform prints them; the gold uses the option ids.
TICK_LABELS = {
    "strongly_agree": "Strongly agree",
    "agree": "Agree",
    "neither": "Neither agree nor disagree",
    "disagree": "Disagree",
    "strongly_disagree": "Strongly disagree",
    "dont_know": "Don't know",
}
COMPATIBLE = {
    "strongly_agree": "agree",
    "agree": "strongly_agree",
    "disagree": "strongly_disagree",
    "strongly_disagree": "disagree",
}

# ---------------------------------------------------------------- headers
Q1_TEXT = (
    "To what extent do you agree or disagree with our proposal to introduce a separate "
    "new judgement within ILACS: 'The experiences and progress of care leavers'?"
)
Q2_TEXT = (
    "What are the most important factors for us to take into account when setting out "
    "what good looks like for care leavers? When responding to this question, please also "
    "consider how these factors will affect our evaluation criteria for 'the impact of "
    "leaders on social work practice with children and families'."
)
Q3_TEXT = (
    "To what extent do you agree or disagree that we should introduce the new judgement "
    "from January 2023, after all local authorities have had at least one ILACS judgement "
    "inspection?"
)
Q4_TEXT = "Do you have any additional comments about our proposals?"
Q5_TEXT = (
    "Please provide any representations/evidence of the impact of our proposals for the "
    "purposes of the Public Sector Equality Duty (Equality Act 2010)."
)

CS = {  # Citizen Space: question text as header, numbered; "Why?" sub-columns lettered
    "id": "Response ID",
    "submitted": "Submitted on",
    "capacity": "Please tell us in which capacity you are completing this survey",
    "org": "What is your organisation's name?",
    "region": "Which region of England are you based in?",
    "age": "If you are a care leaver or a young person in care, how old are you?",
    "q1_tick": f"1. {Q1_TEXT}",
    "q1_text": "1a. Please explain your answer",
    "q2_text": f"2. {Q2_TEXT}",
    "q3_tick": f"3. {Q3_TEXT}",
    "q3_text": "3a. Please explain your answer",
    "q4_text": f"4. {Q4_TEXT}",
    "q5_text": f"5. {Q5_TEXT}",
}
MSF = {  # Microsoft Forms: ID/Start time/Completion time/Email/Name, then short titles
    "id": "ID",
    "start": "Start time",
    "submitted": "Completion time",
    "email": "Email",
    "name": "Name",
    "capacity": "In what capacity are you responding?",
    "org": "Organisation name (if applicable)",
    "region": "Region",
    "age": "Age group",
    "q1_tick": "Do you agree or disagree with introducing a separate judgement for care leavers?",
    "q1_text": "Why do you say that? (separate judgement)",
    "q2_text": "What does good look like for care leavers?",
    "q3_tick": "Do you agree or disagree with introducing the new judgement from January 2023?",
    "q3_text": "Why do you say that? (January 2023)",
    "q4_text": "Anything else you would like to tell us about the proposals?",
    "q5_text": "Equality impacts (Public Sector Equality Duty)",
}

# ---------------------------------------------------------------- respondents
IND_CAPACITIES = [  # (label, weight, age group applies, voice: "i" + role letter of the pools)
    ("As a care leaver", 34, True, "ic"),
    ("As a young person currently in care", 8, True, "ic"),
    ("As a foster carer", 18, False, "if"),
    ("As a parent or family member", 8, False, "ip"),
    ("As a social worker or personal adviser", 14, False, "iw"),
    ("As another professional (for example teacher, health worker)", 6, False, "iw"),
    ("As a member of the public", 10, False, "i"),
]
ORG_CAPACITY = {
    "local_authority": "On behalf of a local authority",
    "charity_voluntary": "On behalf of a charity or voluntary organisation",
    "professional_body": "On behalf of a professional body or membership organisation",
    "campaign_group": "On behalf of a campaign group",
    "other": "On behalf of another organisation",
}
ORGS = {
    "local_authority": [
        "Middlebrook Borough Council",
        "Northshire County Council",
        "Carrow City Council",
        "London Borough of Fenwick",
        "Ravensby Metropolitan Borough Council",
        "Westmarch Council",
        "Dunholme County Council",
        "Saltby Borough Council",
        "Orton Vale District and Children's Services",
        "Kingsmere Council",
        "Greyhaven City Council",
        "Brookfield Metropolitan Borough Council",
        "East Lyndon County Council",
        "Tollbridge Council",
        "Hallam Cross City Council",
        "Royal Borough of Wexham",
        "Ashby Moor Council",
        "Pellham County Council",
    ],
    "charity_voluntary": [
        "Safe Harbour Youth Trust",
        "Care Leavers Together",
        "The Forward Foundation",
        "Kinship Futures",
        "Open Hands Youth Project",
        "The Staying Close Partnership",
        "New Leaf Mentoring",
        "Lighthouse Young People's Charity",
        "Roots and Wings",
        "First Step Housing Charity",
        "Youth Advocacy North",
        "The Anchor Project",
        "Bright Futures for Care Leavers",
        "Pathways Youth Charity",
        "Fostering Voices",
        "Ember Young Refugees Network",
        "The Willow Trust",
        "Hope Street Youth",
        "Grandparents Raising Grandchildren Network",
    ],
    "professional_body": [
        "Association of Virtual School Heads (fictional)",
        "Institute of Leaving Care Managers",
        "Society of Fostering Social Workers",
        "Federation of Supported Housing Providers",
        "Royal College of Youth Practitioners",
        "Association of Children's Guardians",
        "National Association of Independent Visitors",
    ],
    "campaign_group": [
        "Care Experience Lifelong campaign",
        "Homes for Care Leavers Campaign",
        "Staying Put Fair Pay campaign",
    ],
    "other": [
        "Northgate College",
        "Hilltop Academy Trust",
        "Marlow & Finch Solicitors",
        "Westvale Clinical Commissioning Group",
        "Greenway Housing Association",
        "St Anne's Parish Youth Group",
        "Office of the Police and Crime Commissioner for Dunholme",
        "Carrow University Students' Union",
    ],
}
REGIONS = [
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
]
AGES = ["16-17", "18-21", "18-21", "22-25", "22-25", "Over 25", "Prefer not to say"]
IND_ORG_FIELD = ["", "", "", "", "", "", "", "N/A", "none", "n/a", "Individual", "-"]

# ---------------------------------------------------------------- campaigns
CAMPAIGNS = {
    # id: (question, themes, base text)
    "c1": (
        "q2",
        ["lifelong_support", "records_access"],
        "Care experience does not end at 25. Ofsted should judge councils on whether "
        "care-experienced adults of any age can get advice, support and help to access "
        "their care records when they need it, not only young people up to 25.",
    ),
    "c2": ("q1", [], "I agree because care leavers deserve to be seen, not forgotten at 18."),
    "c3": (
        "q4",
        ["housing", "financial"],
        "Ofsted must look at Staying Put. Foster carers who keep young people on after 18 "
        "should be paid properly, and every council should offer Staying Put to every "
        "young person who wants it.",
    ),
    "c4": (
        "q5",
        ["equality"],
        "Disabled care leavers are too often passed straight to adult social care and lose "
        "their leaving care support. The new judgement must check that they get the same "
        "offer as everyone else.",
    ),
}
CAMPAIGN_SIZES = {"c1": 12, "c2": 8, "c3": 10, "c4": 6}
PREFIXES = [
    "This is my view too. ",
    "Please take note: ",
    "I support this campaign. ",
    "Speaking from experience, ",
    "Please read this. ",
    "I agree with the campaign. ",
]
SUFFIXES = [
    " Thank you.",
    " Please listen to us.",
    " This really matters.",
    " Thanks",
    " I hope you take this seriously.",
]
SWAPS = [
    ("councils", "local authorities"),
    ("Ofsted should", "You should"),
    ("young people", "young adults"),
    ("Ofsted must", "You must"),
    ("care leavers", "young people leaving care"),
    ("every council", "all councils"),
]


def _campaign_variant(rng: random.Random, base: str, seen: set[str]) -> str:
    """A small edit of a campaign text: a prefix, a suffix, a word swap or case change."""
    for _ in range(100):
        text = base
        edits = rng.sample(
            ["prefix", "suffix", "swap", "lower", "nostop", "none"], k=rng.choice([1, 1, 2])
        )
        for edit in edits:
            if edit == "prefix":
                first = text[0].lower() if rng.random() < 0.5 else text[0]
                text = rng.choice(PREFIXES) + first + text[1:]
            elif edit == "suffix":
                text = text + rng.choice(SUFFIXES)
            elif edit == "swap":
                old, new = rng.choice([s for s in SWAPS if s[0] in text] or [("", "")])
                text = text.replace(old, new, 1) if old else text
            elif edit == "lower":
                text = text.lower()
            elif edit == "nostop":
                text = text.rstrip(".")
        if text not in seen or len(seen) == 0:
            seen.add(text)
            return text
    seen.add(base)
    return base


# ---------------------------------------------------------------- helpers
class Pool:
    """Shuffled pool of hand-written entries; each entry is handed out once."""

    def __init__(self, rng: random.Random, entries: list[tuple]) -> None:
        self.entries = list(entries)
        rng.shuffle(self.entries)
        self.used = 0

    def take(self, voice: str) -> tuple | None:
        """The next entry a respondent of this voice could have written ("i" + role)."""
        accepted = {"a", voice[0], voice[1:]} if len(voice) > 1 else {"a", voice}
        for i, entry in enumerate(self.entries):
            if entry[0] in accepted:
                self.used += 1
                return self.entries.pop(i)
        return None


def _themes(spec: str | list[str]) -> list[str]:
    return list(spec) if isinstance(spec, list) else spec.split()


def _answer(
    text: str = "",
    substantive: bool | None = None,
    tick: str | None = None,
    stance: str = "not_answered",
    themes: list[str] | None = None,
    campaign: str | None = None,
    stance_ok: list[str] | None = None,
) -> dict:
    """One gold answer. ``substantive`` is about the text: a tick alone is not text."""
    if substantive is None:
        substantive = bool(text.strip())
    out = {
        "text": text,
        "substantive": substantive,
        "tick": tick,
        "stance": stance,
        "themes": (themes or []) if substantive else [],
        "campaign": campaign,
    }
    if stance_ok:
        out["stance_ok"] = stance_ok
    return out


def _tick_only(rng: random.Random, weights: dict[str, float]) -> str | None:
    options = list(weights)
    pick = rng.choices(options, [weights[o] for o in options])[0]
    return None if pick == "blank" else pick


Q1_WEIGHTS = {
    "strongly_agree": 30,
    "agree": 30,
    "neither": 8,
    "disagree": 9,
    "strongly_disagree": 5,
    "dont_know": 8,
    "blank": 10,
}
Q3_WEIGHTS = {
    "strongly_agree": 15,
    "agree": 30,
    "neither": 14,
    "disagree": 14,
    "strongly_disagree": 4,
    "dont_know": 12,
    "blank": 11,
}


def _closed(
    rng: random.Random,
    pool: Pool,
    voice: str,
    p_text: float,
    weights: dict[str, float],
    conflict: tuple | None,
) -> dict:
    """Tick plus optional explanation for a closed question (or a tick/text conflict)."""
    if conflict:
        # Issue 13's order of trust: the ticked box is the stance; the text's honest
        # reading, which a careful coder could also defend, is acceptable (as in the
        # stance-items sets' tick_conflict items). Until session 10 the text's reading
        # was the gold stance.
        _, tick, stance, themes, text = conflict
        return _answer(text, True, tick, tick, _themes(themes), stance_ok=[stance])
    if rng.random() < p_text:
        entry = pool.take(voice)
        if entry:
            _, stance, themes, text = entry
            tick = stance
            if rng.random() < 0.15 and stance in COMPATIBLE:
                tick = COMPATIBLE[stance]  # "agree" text ticked "strongly agree": no conflict
            if rng.random() < 0.04:
                tick = None  # explained but left the tick box blank
            return _answer(text, True, tick, tick or stance, _themes(themes))
    tick = _tick_only(rng, weights)
    stance = tick if tick in TICK_LABELS else "not_answered"
    if rng.random() < 0.05:
        return _answer(rng.choice(NON_ANSWERS), False, tick, stance)
    return _answer("", False, tick, stance)


def _open(
    rng: random.Random,
    pool: Pool,
    voice: str,
    p_text: float,
    p_non: float,
    org_non: bool = False,
    join_two: float = 0.0,
) -> dict:
    r = rng.random()
    if r < p_text:
        entry = pool.take(voice)
        if entry:
            themes, text = _themes(entry[1]), entry[2]
            if rng.random() < join_two:
                second = pool.take(voice)
                if second:
                    text = f"{text}\n\n{second[2]}"
                    themes = themes + [t for t in _themes(second[1]) if t not in themes]
            return _answer(text, True, themes=themes)
    elif r < p_text + p_non:
        if org_non and voice == "o":
            return _answer(rng.choice(NON_ANSWERS_ORG), False)
        return _answer(rng.choice(NON_ANSWERS), False)
    return _answer("")


# ---------------------------------------------------------------- respondents
def _respondents(rng: random.Random, counts: dict[str, int]) -> list[dict]:
    people = []
    labels = [c[0] for c in IND_CAPACITIES]
    weights = [c[1] for c in IND_CAPACITIES]
    for _ in range(counts.get("individual", 0)):
        label = rng.choices(labels, weights)[0]
        young, voice = {c[0]: (c[2], c[3]) for c in IND_CAPACITIES}[label]
        attrs = {}
        if rng.random() < 0.85:
            attrs["area"] = rng.choice(REGIONS)
        if young and rng.random() < 0.9:
            attrs["age_group"] = rng.choice(AGES[:6] if "care leaver" in label else AGES[:1])
        people.append(
            {
                "type": "individual",
                "voice": voice,
                "capacity": label,
                "org_field": rng.choice(IND_ORG_FIELD),
                "organisation": None,
                "attributes": attrs,
            }
        )
    for rtype in (
        "local_authority",
        "charity_voluntary",
        "professional_body",
        "campaign_group",
        "other",
    ):
        names = list(ORGS[rtype])
        rng.shuffle(names)
        for _ in range(counts.get(rtype, 0)):
            name = names.pop()
            capacity = ORG_CAPACITY[rtype]
            if rtype == "local_authority" and rng.random() < 0.15:
                capacity = ""  # left blank, but the name says what it is
            people.append(
                {
                    "type": rtype,
                    "voice": "o",
                    "capacity": capacity,
                    "org_field": name,
                    "organisation": name,
                    "attributes": {"area": rng.choice(REGIONS)} if rng.random() < 0.7 else {},
                }
            )
    for _ in range(counts.get("unknown", 0)):
        people.append(
            {
                "type": "unknown",
                "voice": "i",
                "capacity": "",
                "org_field": "",
                "organisation": None,
                "attributes": {},
            }
        )
    rng.shuffle(people)
    return people


def _fill(
    rng: random.Random,
    people: list[dict],
    pools: dict,
    conflict_rows: dict[int, tuple],
    q3_conflict_rows: dict[int, tuple],
    campaign_rows: dict[int, list[str]],
) -> None:
    seen: dict[str, set[str]] = {c: set() for c in CAMPAIGNS}
    for i, p in enumerate(people):
        v = p["voice"]
        ind = v[0] == "i"
        answers = {"capacity": _answer(p["capacity"], bool(p["capacity"]))}
        answers["q1"] = _closed(
            rng, pools["q1"], v, 0.5 if ind else 0.8, Q1_WEIGHTS, conflict_rows.get(i)
        )
        answers["q2"] = _open(
            rng, pools["q2"], v, 0.55 if ind else 0.85, 0.05, join_two=0.0 if ind else 0.25
        )
        answers["q3"] = _closed(
            rng, pools["q3"], v, 0.22 if ind else 0.5, Q3_WEIGHTS, q3_conflict_rows.get(i)
        )
        answers["q4"] = _open(rng, pools["q4"], v, 0.16 if ind else 0.35, 0.18, org_non=True)
        answers["q5"] = _open(
            rng, pools["q5"], v, 0.06 if ind else 0.3, 0.15 if ind else 0.45, org_non=True
        )
        for cid in campaign_rows.get(i, []):
            qid, themes, base = CAMPAIGNS[cid]
            text = _campaign_variant(rng, base, seen[cid])
            if qid == "q1":
                tick = rng.choice(["agree", "agree", "strongly_agree"])
                answers["q1"] = _answer(text, True, tick, tick, themes, cid)
            else:
                answers[qid] = _answer(text, True, themes=list(themes), campaign=cid)
        p["answers"] = answers


def _place(free: list[int], people: list[dict], conflicts: list[tuple]) -> dict[int, tuple]:
    """Give each tick/text conflict to a respondent of the matching voice (once each)."""
    placed: dict[int, tuple] = {}
    for entry in conflicts:
        row = next(i for i in free if people[i]["voice"][0] == entry[0] or entry[0] == "a")
        free.remove(row)
        placed[row] = entry
    return placed


def _cs_id(rng: random.Random) -> str:
    chars = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    prefix = "BHLF" if rng.random() < 0.08 else "ANON"
    return f"{prefix}-{''.join(rng.choices(chars, k=4))}-{''.join(rng.choices(chars, k=4))}-{rng.choice(chars)}"


def _cells(p: dict, h: dict) -> dict[str, str]:
    a = p["answers"]
    tick = lambda t: TICK_LABELS.get(t, "") if t else ""  # noqa: E731
    return {
        h["capacity"]: p["capacity"],
        h["org"]: p["org_field"],
        h["region"]: p["attributes"].get("area", ""),
        h["age"]: p["attributes"].get("age_group", ""),
        h["q1_tick"]: tick(a["q1"]["tick"]),
        h["q1_text"]: a["q1"]["text"],
        h["q2_text"]: a["q2"]["text"],
        h["q3_tick"]: tick(a["q3"]["tick"]),
        h["q3_text"]: a["q3"]["text"],
        h["q4_text"]: a["q4"]["text"],
        h["q5_text"]: a["q5"]["text"],
    }


def _empty_gold() -> dict:
    return {
        "type": "unknown",
        "organisation": None,
        "attributes": {},
        "answers": {q: _answer("") for q in QIDS},
    }


def _gold_row(n: int, p: dict) -> dict:
    return {
        "row": n,
        "split": "heldout" if n % 3 == 0 else "dev",
        "respondent_type": p["type"],
        "organisation": p["organisation"],
        "attributes": p["attributes"],
        "answers": p["answers"],
    }


def build() -> None:
    rng = random.Random(SEED)
    # Every seventh hand-written text is kept for the smaller XLSX export.
    source = {"q1": Q1, "q2": Q2, "q3": Q3, "q4": Q4, "q5": Q5}
    pools = {q: Pool(rng, [e for i, e in enumerate(s) if i % 7 != 3]) for q, s in source.items()}
    xl_pools = {q: Pool(rng, [e for i, e in enumerate(s) if i % 7 == 3]) for q, s in source.items()}

    # --- Citizen Space CSV: 200 rows, 20 of them empty
    csv_people = _respondents(
        rng,
        {
            "individual": 128,
            "local_authority": 16,
            "charity_voluntary": 16,
            "professional_body": 6,
            "campaign_group": 3,
            "other": 7,
            "unknown": 4,
        },
    )
    ind = [i for i, p in enumerate(csv_people) if p["type"] == "individual"]
    campaign_rows: dict[int, list[str]] = {}
    for cid, size in CAMPAIGN_SIZES.items():
        for i in rng.sample(ind, size):
            campaign_rows.setdefault(i, []).append(cid)
    free = [i for i in range(len(csv_people)) if i not in campaign_rows]
    rng.shuffle(free)
    conflict_rows = _place(free, csv_people, Q1_CONFLICTS)
    q3_conflict_rows = _place(free, csv_people, Q3_CONFLICTS)
    _fill(rng, csv_people, pools, conflict_rows, q3_conflict_rows, campaign_rows)
    rows: list[dict | None] = list(csv_people)
    for pos in sorted(rng.sample(range(200), 20)):
        rows.insert(pos, None)
    rows = rows[:200] + [r for r in rows[200:] if r is not None]
    assert len(rows) == 200 and sum(r is None for r in rows) == 20, len(rows)

    out = HERE / "responses"
    out.mkdir(exist_ok=True)
    header = [
        CS["id"],
        CS["submitted"],
        CS["capacity"],
        CS["org"],
        CS["region"],
        CS["age"],
        CS["q1_tick"],
        CS["q1_text"],
        CS["q2_text"],
        CS["q3_tick"],
        CS["q3_text"],
        CS["q4_text"],
        CS["q5_text"],
    ]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    gold_csv = []
    ids: set[str] = set()
    for n, p in enumerate(rows, start=1):
        rid = _cs_id(rng)
        while rid in ids:
            rid = _cs_id(rng)
        ids.add(rid)
        if p is None:
            writer.writerow([rid] + [""] * (len(header) - 1))
            gold_csv.append(_gold_row(n, _empty_gold()))
            continue
        day, hour, minute = rng.randint(6, 31), rng.randint(7, 23), rng.randint(0, 59)
        month = "07" if day > 5 else "08"
        cells = _cells(p, CS)
        cells[CS["id"]] = rid
        cells[CS["submitted"]] = (
            f"2022-{month}-{day:02d} {hour:02d}:{minute:02d}:{rng.randint(0, 59):02d}"
        )
        writer.writerow([cells[c] for c in header])
        gold_csv.append(_gold_row(n, p))
    (out / "survey.csv").write_text(buf.getvalue(), encoding="utf-8-sig", newline="")

    # --- Microsoft Forms XLSX: 30 rows, 3 of them empty
    xl_people = _respondents(
        rng,
        {
            "individual": 20,
            "local_authority": 2,
            "charity_voluntary": 3,
            "professional_body": 1,
            "other": 1,
        },
    )
    _fill(rng, xl_people, xl_pools, {}, {}, {})
    xrows: list[dict | None] = list(xl_people)
    for pos in sorted(rng.sample(range(30), 3)):
        xrows.insert(pos, None)
    xrows = xrows[:30]
    assert len(xrows) == 30
    xheader = [
        MSF["id"],
        MSF["start"],
        MSF["submitted"],
        MSF["email"],
        MSF["name"],
        MSF["capacity"],
        MSF["org"],
        MSF["region"],
        MSF["age"],
        MSF["q1_tick"],
        MSF["q1_text"],
        MSF["q2_text"],
        MSF["q3_tick"],
        MSF["q3_text"],
        MSF["q4_text"],
        MSF["q5_text"],
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Form1"
    ws.append(xheader)
    gold_xl = []
    for n, p in enumerate(xrows, start=1):
        if p is None:
            ws.append([n] + [None] * (len(xheader) - 1))
            gold_xl.append(_gold_row(n, _empty_gold()))
            continue
        day, hour, minute = rng.randint(6, 31), rng.randint(8, 22), rng.randint(0, 58)
        cells = _cells(p, MSF)
        cells.update(
            {
                MSF["id"]: n,
                MSF["start"]: f"7/{day}/22 {hour}:{minute:02d}:05",
                MSF["submitted"]: f"7/{day}/22 {hour}:{minute + 1:02d}:47",
                MSF["email"]: "anonymous",
                MSF["name"]: "",
            }
        )
        ws.append([cells[c] if cells[c] != "" else None for c in xheader])
        gold_xl.append(_gold_row(n, p))
    fixed = __import__("datetime").datetime(2022, 8, 3, 9, 0, 0)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "Microsoft Forms"
    raw = io.BytesIO()
    wb.save(raw)
    _write_fixed_zip(raw.getvalue(), out / "survey.xlsx")

    for label, group in (("csv", pools), ("xlsx", xl_pools)):
        for name, pool in group.items():
            log.info(
                "%s %s: %d hand-written texts used, %d unused",
                label,
                name,
                pool.used,
                len(pool.entries),
            )
    gold = {
        "set": "ofsted-survey",
        "consultation": "consultation.yaml",
        "codebook": "codebook.yaml",
        "surveys": [
            {"file": "responses/survey.csv", "rows": gold_csv},
            {"file": "responses/survey.xlsx", "rows": gold_xl},
        ],
    }
    text = yaml.safe_dump(gold, sort_keys=False, allow_unicode=True, width=100000)
    (HERE / "gold.yaml").write_text(
        "# Generated by make_survey.py; do not edit by hand (edit the pools and re-run).\n" + text,
        encoding="utf-8",
    )


def _write_fixed_zip(data: bytes, path: Path) -> None:
    """Rewrite an .xlsx with fixed member timestamps so rebuilds are byte-identical."""
    src = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2022, 8, 3, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" on save
                body = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2022-08-03T09:00:00Z", body
                )
            dst.writestr(fixed, body)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    build()
