"""Generate the transport set's web-survey export and its gold labels.

Writes ``responses/survey.csv`` (a SmartSurvey-style export of the invented
Riverside LTN consultation) and the ``surveys:`` section of ``gold.yaml``,
keeping everything before that section (the ``documents:`` the dev-set builder
writes) byte for byte. Run it after the builder::

    cd data/evaluation/transport && python make_survey.py

Deterministic: a fixed seed and fixed timestamps, so the same script gives
byte-identical files.

Why it is built this way
------------------------
Every free-text answer below was written by hand, with its gold themes (ids
from codebook.yaml) and, for comments on closed questions, the stance an honest
reader gives it. Each hand-written text is used in at most one row: two
respondents writing the same 100 characters would be a campaign, so reusing a
text would make the gold wrong. Campaign rows (two groups) are generated from a
template with small edits, and keep the template's themes. Rows that tick a box
but write nothing are common in real exports and are most of the rows here.

Gold conventions (also in README.md):

- ``tick``: the ticked option as a stance id, ``dont_know`` for "Don't know",
  null when blank.
- ``stance`` on closed questions: the tick when there is one (also when the
  comment contradicts it: those rows are listed in README.md as conflicts);
  the comment's honest reading when the tick is blank; ``dont_know`` for a
  "Don't know" tick; ``not_answered`` when tick and comment are both blank.
  On open questions: null when there is text, ``not_answered`` when blank.
- ``substantive``: false for blank cells and non-answers ("No comment", "N/A",
  "-", "Don't know" in a text box ...).
- ``split``: row % 3 == 0 is heldout.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SEED = 20261019
N_ROWS = 150
N_EMPTY = 15
DONT_KNOW = "dont_know"  # gold tick and stance for a "Don't know" tick

ID_COL = "Response ID"
CAP_COL = "1. In what capacity are you responding to this consultation?"
ORG_COL = "Organisation name (if responding on behalf of an organisation)"
PC_COL = "Postcode (first half only, e.g. KF4)"
TICK_COLS = {
    "ltn": "2. To what extent do you agree or disagree with the proposed low-traffic neighbourhood in Riverside?",
    "bus_gate": "3. To what extent do you agree or disagree with the proposed bus gate on Bridge Street?",
    "trial": "4. To what extent do you agree or disagree with introducing the scheme as an 18-month trial?",
}
TEXT_COLS = {
    "ltn": "2a. Please explain your answer",
    "bus_gate": "3a. Please explain your answer",
    "trial": "4a. Please explain your answer",
    "impacts": "5. How would the proposals affect you, your household or your business?",
    "changes": "6. What changes, if any, would you suggest to the proposals?",
    "equality": "7. Do you think the proposals would have a particular impact on people with protected characteristics? Please explain.",
}
HEADER = [
    ID_COL,
    "Started",
    "Ended",
    "Status",
    CAP_COL,
    ORG_COL,
    PC_COL,
    TICK_COLS["ltn"],
    TEXT_COLS["ltn"],
    TICK_COLS["bus_gate"],
    TEXT_COLS["bus_gate"],
    TICK_COLS["trial"],
    TEXT_COLS["trial"],
    TEXT_COLS["impacts"],
    TEXT_COLS["changes"],
    TEXT_COLS["equality"],
]
CLOSED = ("ltn", "bus_gate", "trial")
OPEN = ("impacts", "changes", "equality")
QUESTIONS = CLOSED + OPEN

LABELS = {
    "strongly_agree": "Strongly agree",
    "agree": "Agree",
    "neither": "Neither agree nor disagree",
    "disagree": "Disagree",
    "strongly_disagree": "Strongly disagree",
    DONT_KNOW: "Don't know",
}
SIGN = {"strongly_agree": 1, "agree": 1, "neither": 0, "disagree": -1, "strongly_disagree": -1}

CAPACITY = {
    "resident": ("I live in the Riverside area", "individual"),
    "business": ("I run or work for a business in the area", "other"),
    "visitor": ("I visit the area (for work, school, shopping or leisure)", "individual"),
    "organisation": ("I am responding on behalf of an organisation", None),
}
AREAS = {
    "KF1": "City Centre",
    "KF2": "Northgate",
    "KF3": "Westgate",
    "KF4": "Riverside",
    "KF5": "Eastbrook",
}

# --- Hand-written comments on the closed questions: (text, stance, themes) ----
LTN = [
    (
        "About time. I've lived on Orchard Road for twelve years and the morning traffic has got steadily worse since the sat navs started sending people this way.",
        "strongly_agree",
        ["through_traffic"],
    ),
    (
        "My kids could actually walk to school on their own. At the moment I wouldn't let them cross Canal Street.",
        "strongly_agree",
        ["school_travel", "road_safety", "active_travel"],
    ),
    (
        "We lived with something similar in Walthamford before we moved here and after six months nobody wanted the cars back.",
        "agree",
        [],
    ),
    (
        "Quieter, cleaner streets - what's not to like? The noise from Wharf Road at rush hour is unbearable.",
        "strongly_agree",
        ["air_quality_noise", "through_traffic"],
    ),
    (
        "I cycle to work along Mill Lane and get close-passed most mornings by drivers in a hurry.",
        "agree",
        ["active_travel", "road_safety"],
    ),
    (
        "In favour, but only if ambulances and fire engines can still get through quickly.",
        "agree",
        ["emergency_access"],
    ),
    (
        "Generally supportive. Worried the traffic will all end up on Station Road, which is where I live.",
        "agree",
        ["displacement"],
    ),
    (
        "I can see both sides. The streets are busy but I'm not convinced planters are the answer.",
        "neither",
        [],
    ),
    (
        "Not sure. I'd want to see the traffic figures before deciding.",
        "neither",
        ["consultation_process"],
    ),
    (
        "Closing roads doesn't reduce traffic, it just moves it somewhere else. Station Road is already at a standstill every morning.",
        "disagree",
        ["displacement"],
    ),
    (
        "This will make it harder for my elderly parents' carers to reach them, and they are paid by the visit, not by the hour.",
        "disagree",
        ["car_access", "disability_access"],
    ),
    (
        "Ridiculous. It's a residential area, of course people drive in it. We're not all able to cycle.",
        "strongly_disagree",
        ["active_travel"],
    ),
    (
        "Another anti-car scheme dressed up as safety. The only people who will do well out of it are the camera companies.",
        "strongly_disagree",
        ["enforcement_fines", "road_safety"],
    ),
    (
        "I'm a plumber and I need to get my van to jobs in Riverside. Every detour is time I can't charge for.",
        "disagree",
        ["car_access", "business_impact"],
    ),
    (
        "Strongly against. Nobody I've spoken to on my road wants this and it feels like it has already been decided.",
        "strongly_disagree",
        ["consultation_process"],
    ),
    (
        "The planters will just fill up with litter and get knocked over. Waste of money.",
        "disagree",
        [],
    ),
    ("yes please!!", "strongly_agree", []),
]
BUS = [
    (
        "The 12 bus is always late because it's stuck in the Bridge Street queue. This would fix that.",
        "strongly_agree",
        ["bus_services"],
    ),
    (
        "I don't drive and rely on the bus to get to work in the city centre. Anything that makes it more reliable gets my vote.",
        "agree",
        ["bus_services"],
    ),
    (
        "Bridge Street is horrible to walk along at the moment - narrow pavements and lorries inches away. A bus gate would transform it.",
        "strongly_agree",
        ["active_travel", "road_safety"],
    ),
    (
        "Supportive, as long as the cameras are clearly signed so people aren't caught out.",
        "agree",
        ["enforcement_fines"],
    ),
    ("Don't mind either way as I don't use Bridge Street much.", "neither", []),
    (
        "Happy with a bus gate in the peak hours, but 7am to 7pm is too long.",
        "neither",
        ["exemptions"],
    ),
    (
        "This cuts Riverside off from the hospital. Unacceptable.",
        "strongly_disagree",
        ["car_access"],
    ),
    (
        "Bridge Street is a main road, not a rat run. Closing it will cause gridlock across the whole east side of the city.",
        "strongly_disagree",
        ["displacement", "through_traffic"],
    ),
    (
        "The cameras are there to make money, pure and simple. Look at what happened with the Westgate bus lane.",
        "strongly_disagree",
        ["enforcement_fines"],
    ),
    (
        "I have a blue badge and would no longer be able to use the most direct route to my GP.",
        "disagree",
        ["disability_access", "car_access"],
    ),
    (
        "It will finish off the shops on Bridge Street. My hairdresser is already talking about moving.",
        "disagree",
        ["business_impact"],
    ),
    (
        "Why are taxis allowed through but not residents? One rule for them.",
        "disagree",
        ["exemptions"],
    ),
]
TRIAL = [
    ("Sensible - try it and see, and change what doesn't work.", "agree", []),
    (
        "Yes, as long as the results are published and we're told in advance what will count as success.",
        "agree",
        ["consultation_process"],
    ),
    (
        "A trial is fine but 18 months is a long time to put up with it if it isn't working.",
        "agree",
        [],
    ),
    (
        "Depends whether the council will really listen during the trial.",
        "neither",
        ["consultation_process"],
    ),
    (
        "'Trial' is just a way of avoiding a proper consultation. Once the planters are in they'll never come out.",
        "strongly_disagree",
        ["consultation_process"],
    ),
    ("Far too long. Six months would be plenty to see the effect.", "disagree", []),
    (
        "They did a 'trial' in Northgate and ignored every objection. Don't trust it.",
        "strongly_disagree",
        ["consultation_process"],
    ),
]
# Comments that contradict the tick they come with: (question, text, text stance, tick, themes).
CONFLICTS = [
    ("ltn", "Absolutely not. Leave our roads alone.", "strongly_disagree", "strongly_agree", []),
    (
        "ltn",
        "Great idea, should have happened years ago - the rat running on Canal Street is dangerous.",
        "strongly_agree",
        "strongly_disagree",
        ["through_traffic", "road_safety"],
    ),
    (
        "bus_gate",
        "I strongly disagree with this. Bridge Street must stay open to cars.",
        "strongly_disagree",
        "agree",
        ["car_access"],
    ),
    (
        "bus_gate",
        "Good idea, buses need priority over private cars on that road.",
        "agree",
        "disagree",
        ["bus_services"],
    ),
    (
        "trial",
        "No. Consult properly first, then decide. Don't experiment on us.",
        "strongly_disagree",
        "strongly_agree",
        ["consultation_process"],
    ),
]

# --- Hand-written answers to the open questions: (text, lean, themes, capacity) ----
# lean: +1 written by a supporter, -1 by an opponent, 0 either; capacity forces
# the row's capacity (a business owner's answer comes from a business row).
IMPACTS = [
    (
        "I'd walk my daughter to nursery instead of driving - it's only ten minutes but the road is too dangerous now.",
        1,
        ["school_travel", "active_travel", "road_safety"],
        None,
    ),
    (
        "My commute to the business park would go from 15 minutes to probably 30 at peak times.",
        -1,
        ["car_access", "displacement"],
        None,
    ),
    (
        "Positive. Less noise and fumes outside my house on Canal Street, where my bedroom faces the road.",
        1,
        ["air_quality_noise"],
        None,
    ),
    (
        "I'm a carer for my dad on Wharf Road. I visit twice a day by car and the detour will add up over a week.",
        -1,
        ["car_access", "disability_access"],
        None,
    ),
    (
        "As a landlord with three properties in Riverside I worry tenants will be put off.",
        -1,
        ["business_impact"],
        "business",
    ),
    (
        "Would make my cycle commute far safer and I'd probably persuade my partner to start cycling too.",
        1,
        ["active_travel", "road_safety"],
        None,
    ),
    (
        "We run a childminding business from home; parents drop off by car from 7.30am. Some will go elsewhere.",
        -1,
        ["business_impact", "school_travel", "car_access"],
        "business",
    ),
    ("Not much - I walk everywhere.", 0, ["active_travel"], None),
    (
        "The buses would be quicker, which would make getting to college easier.",
        1,
        ["bus_services"],
        None,
    ),
    (
        "I'd be fined within a week, I know I would - I drive that way on autopilot.",
        -1,
        ["enforcement_fines"],
        None,
    ),
    (
        "Our house would be on the wrong side of a filter from my wife's mother, who we look after.",
        -1,
        ["car_access"],
        None,
    ),
    (
        "Station Road is already so polluted I keep the windows shut. This would make it worse.",
        -1,
        ["air_quality_noise", "displacement"],
        None,
    ),
    (
        "Deliveries to our restaurant come from three suppliers and two have already said they'll add a surcharge.",
        -1,
        ["business_impact"],
        "business",
    ),
    (
        "It would make it much harder for an ambulance to reach my husband, who has frequent seizures.",
        -1,
        ["emergency_access", "disability_access"],
        None,
    ),
    ("I'd finally be able to open the front windows in summer.", 1, ["air_quality_noise"], None),
    ("The street would be nicer for the kids to play out in.", 1, ["school_travel"], None),
]
CHANGES = [
    (
        "Exemptions for residents' cars, using the number plate cameras.",
        -1,
        ["exemptions", "enforcement_fines"],
        None,
    ),
    ("Make the bus gate operate only 7-9.30am and 4-6.30pm.", 0, ["exemptions"], None),
    (
        "Plant trees and add benches where the planters go, so it feels like a place rather than a barrier.",
        1,
        [],
        None,
    ),
    (
        "Move the Canal Street filter so residents of the flats can still drive out to Station Road.",
        0,
        ["exemptions", "car_access"],
        None,
    ),
    ("Put a proper segregated cycle lane on Bridge Street.", 1, ["active_travel"], None),
    ("Do nothing until the Station Road junction has been redesigned.", -1, ["displacement"], None),
    (
        "A 20mph limit and speed bumps would sort out the speeding without closing anything.",
        -1,
        ["road_safety"],
        None,
    ),
    (
        "Give a grace period with warning letters instead of fines for the first few months.",
        0,
        ["enforcement_fines"],
        None,
    ),
    ("Let blue badge holders through.", 0, ["exemptions", "disability_access"], None),
    (
        "Better bus services first, then restrict cars - not the other way round.",
        -1,
        ["bus_services"],
        None,
    ),
    ("Extend the scheme to Ferry Lane and Elm Grove.", 1, [], None),
    (
        "Ask residents street by street and only close the streets where most people want it.",
        -1,
        ["consultation_process"],
        None,
    ),
    ("A more frequent 12 bus in the evenings.", 1, ["bus_services"], None),
    (
        "A school street on Canal Street at drop-off and pick-up times.",
        1,
        ["school_travel", "exemptions"],
        None,
    ),
    ("Loading bays outside the filters for shops and trades.", -1, ["business_impact"], "business"),
]
EQUALITY = [
    (
        "Disabled people who rely on cars will be hit hardest.",
        -1,
        ["disability_access", "car_access"],
        None,
    ),
    (
        "Older residents who can't walk far and don't have anyone to drive them.",
        -1,
        ["disability_access"],
        None,
    ),
    (
        "Pregnant women and parents with buggies would find quieter pavements easier.",
        1,
        ["active_travel"],
        None,
    ),
    ("Yes - children, who would be safer.", 1, ["school_travel", "road_safety"], None),
    ("People on low incomes who rely on buses would benefit.", 1, ["bus_services"], None),
    (
        "Wheelchair users need the planters placed so that the pavement and dropped kerbs stay clear.",
        0,
        ["disability_access", "active_travel"],
        None,
    ),
    (
        "Families driving in from across the city for Friday prayers at the mosque on Station Road.",
        -1,
        ["car_access"],
        None,
    ),
    (
        "Blind and partially sighted pedestrians would feel safer with fewer cars about.",
        1,
        ["disability_access", "road_safety"],
        None,
    ),
]
OPEN_POOLS = {"impacts": IMPACTS, "changes": CHANGES, "equality": EQUALITY}
CLOSED_POOLS = {"ltn": LTN, "bus_gate": BUS, "trial": TRIAL}
NON_ANSWERS = [
    "No comment",
    "N/A",
    "n/a",
    "None",
    "Nothing to add",
    "No further comments",
    "-",
    "nothing",
    "Not applicable",
    "Don't know",
    "No",
]

# --- Organisations: each writes its own answers ---------------------------------
# (organisation as written, gold type, postcode, ticks, texts {question: (text, themes)})
ORGS = [
    (
        "Kingsford Clean Air Campaign",
        "campaign_group",
        "",
        {"ltn": "strongly_agree", "bus_gate": "strongly_agree", "trial": "agree"},
        {
            "ltn": (
                "Nitrogen dioxide on Station Road has exceeded the legal annual limit in four of the last five years. Taking through traffic out of the side streets and prioritising buses are the measures most likely to bring it down.",
                ["air_quality_noise", "through_traffic", "bus_services"],
            ),
            "changes": (
                "Install continuous air quality monitors on Station Road, Victoria Road and Canal Street before the trial starts, and publish the readings monthly.",
                ["air_quality_noise", "displacement", "consultation_process"],
            ),
        },
    ),
    (
        "Riverside Allotment Society",
        "charity_voluntary",
        "KF4",
        {"ltn": "agree", "bus_gate": "neither", "trial": "agree"},
        {
            "impacts": (
                "Plot holders bring tools, compost and manure in by car and trailer. We need the filter at Wharf Road to leave our gate reachable from Station Road.",
                ["car_access"],
            )
        },
    ),
    (
        "Kingsford Chamber of Commerce",
        "professional_body",
        "KF1",
        {"ltn": "neither", "bus_gate": "disagree", "trial": "disagree"},
        {
            "bus_gate": (
                "Our members on Bridge Street report that passing trade is a large share of their takings. A full-day bus gate puts that at risk; a peak-hours gate would be a fairer balance.",
                ["business_impact", "exemptions"],
            ),
            "changes": (
                "Measure footfall before and during the trial and commit to changing the hours if trade falls.",
                ["business_impact", "consultation_process", "exemptions"],
            ),
        },
    ),
    (
        "Friends of Riverside Park",
        "charity_voluntary",
        "KF4",
        {"ltn": "strongly_agree", "bus_gate": "", "trial": "agree"},
        {
            "impacts": (
                "Families would be able to walk to the park along Orchard Road without crossing a stream of traffic.",
                ["active_travel", "road_safety", "school_travel"],
            )
        },
    ),
    (
        "Riverside Medical Practice",
        "other",
        "KF4",
        {"ltn": "neither", "bus_gate": "disagree", "trial": "neither"},
        {
            "equality": (
                "Many of our patients are frail, elderly or disabled and arrive by car, taxi or patient transport. Home visits by our GPs and district nurses must not be slowed by the filters.",
                ["disability_access", "car_access", "exemptions"],
            ),
            "changes": (
                "Exempt patient transport and clinicians' vehicles on home visits.",
                ["exemptions"],
            ),
        },
    ),
    (
        "Eastbrook Community Forum",
        "charity_voluntary",
        "KF5",
        {"ltn": "disagree", "bus_gate": "strongly_disagree", "trial": "disagree"},
        {
            "impacts": (
                "Eastbrook will take the traffic that Riverside loses. Victoria Road already has a primary school and a care home on it.",
                ["displacement", "school_travel", "disability_access"],
            ),
            "equality": (
                "Older people in the Eastbrook care homes and children at Victoria Road Primary will breathe the extra fumes.",
                ["air_quality_noise", "disability_access", "school_travel"],
            ),
        },
    ),
]

# --- Campaign templates (small edits per copy) -------------------------------------
C1 = {  # "Keep Bridge Street Open" (also in the document set: sources/campaign-keep-bridge-open-*)
    "bus_gate": (
        "I strongly disagree with the bus gate on Bridge Street. Bridge Street is the only direct route across the river for people living east of Riverside, and closing it to cars for twelve hours a day will push thousands of vehicles onto Station Road and Victoria Road, which are already jammed at peak times. The independent shops on Bridge Street depend on passing trade and many will not survive.",
        ["displacement", "business_impact", "car_access"],
    ),
    "impacts": (
        "The bus gate would make my everyday journeys longer and more expensive, and I would be less likely to shop on Bridge Street. I am also worried about being fined by cameras on a road I have used all my life.",
        ["car_access", "business_impact", "enforcement_fines"],
    ),
    "changes": (
        "Scrap the bus gate. Keep Bridge Street open to all traffic, and if the council wants to help buses, improve the timing of the lights at the Station Road junction instead.",
        ["car_access", "bus_services"],
    ),
}
C2 = {  # "Riverside Streets for People" supporters' wording
    "ltn": (
        "I fully support the low-traffic neighbourhood. For too long Riverside's residential streets have been used as a cut-through by drivers avoiding the main roads. Filtering them will make it safer for children to walk and cycle to school, cut air pollution and bring the community back onto the streets.",
        ["through_traffic", "school_travel", "active_travel", "road_safety", "air_quality_noise"],
    ),
    "changes": (
        "Please make the scheme permanent after the trial, add more cycle parking and trees, and extend the filters to Ferry Lane so that the rat-running does not simply move there.",
        ["active_travel", "through_traffic"],
    ),
}
# Small edits a copier makes: (pattern, replacement), applied at random.
EDITS = [
    (r"^I strongly disagree", "I STRONGLY disagree"),
    (r"^I fully support", "I really do support"),
    (r"twelve hours", "12 hours"),
    (r"independent", "independant"),
    (r", and closing", " and closing"),
    (r" and many will not survive\.", "."),
    (r"all my life\.", "my whole life."),
    (r"Please make", "Make"),
    (r" and trees", ""),
    (r"bring the community back onto the streets", "bring the community back together"),
    (r"traffic, and if the council", "traffic. If the council"),
]
ADDITIONS = {  # a personal sentence a copier adds (adds no theme beyond those listed)
    "bus_gate": [("I have lived in Eastbrook for 30 years.", [])],
    "impacts": [
        ("My mum is in the care home on Victoria Road.", ["disability_access"]),
        ("I work shifts at the bakery.", []),
    ],
    "ltn": [
        ("I live on Canal Street with two young children.", []),
        ("Our street has been transformed by the temporary closure.", []),
    ],
    "changes": [("Thank you for doing this.", [])],
}


def _copy(
    rng: random.Random, question: str, template: tuple[str, list[str]]
) -> tuple[str, list[str]]:
    """One campaign copy: the template with 0-2 small edits and maybe a personal sentence."""
    text, themes = template
    themes = list(themes)
    for pattern, repl in rng.sample(EDITS, k=len(EDITS)):
        if re.search(pattern, text) and rng.random() < 0.25:
            text = re.sub(pattern, repl, text, count=1)
    if question in ADDITIONS and rng.random() < 0.3:
        extra, more = rng.choice(ADDITIONS[question])
        text = f"{extra} {text}" if rng.random() < 0.5 else f"{text} {extra}"
        themes += [t for t in more if t not in themes]
    return text, themes


def _blank_answer() -> dict:
    return {
        "text": "",
        "substantive": False,
        "tick": None,
        "stance": "not_answered",
        "themes": [],
        "campaign": None,
    }


def _new_row() -> dict:
    return {
        "capacity": "",
        "org": "",
        "postcode": "",
        "type": None,
        "status": "Completed",
        "answers": {q: _blank_answer() for q in QUESTIONS},
        "sign": {},
    }


def _set_text(row: dict, q: str, text: str, themes: list[str], campaign: str | None = None) -> None:
    a = row["answers"][q]
    a.update(text=text, substantive=True, themes=list(themes), campaign=campaign)


def _strength(rng: random.Random, sign: int) -> str:
    if sign > 0:
        return rng.choice(["strongly_agree", "agree", "strongly_agree"])
    if sign < 0:
        return rng.choice(["strongly_disagree", "disagree", "strongly_disagree"])
    return "neither"


def build(rng: random.Random) -> list[dict]:
    """All rows, in file order, with their gold answers."""
    rows: list[dict] = []
    # Organic respondents: an archetype gives the sign of each closed answer.
    archetypes = ["support"] * 38 + ["oppose"] * 42 + ["mixed"] * 17 + ["neutral"] * 10
    signs = {
        "support": (1, 1, 1),
        "oppose": (-1, -1, -1),
        "mixed": (1, -1, 0),
        "neutral": (0, 0, 0),
    }
    for arch in archetypes:
        row = _new_row()
        row["sign"] = dict(zip(CLOSED, signs[arch], strict=True))
        row["lean"] = signs[arch][0] if arch != "mixed" else 0
        rows.append(row)
    rng.shuffle(rows)
    # Hand-written closed comments: each to one row whose sign for that question matches.
    for q, pool in CLOSED_POOLS.items():
        for text, stance, themes in pool:
            want = SIGN[stance]
            free = [r for r in rows if r["sign"][q] == want and not r["answers"][q]["text"]]
            row = rng.choice(free)
            _set_text(row, q, text, themes)
            row["answers"][q]["tick"] = stance if rng.random() > 0.15 else None  # some tick nothing
            row["answers"][q]["text_stance"] = stance
    for q, text, text_stance, tick, themes in CONFLICTS:
        free = [
            r for r in rows if r["sign"][q] == SIGN[text_stance] and not r["answers"][q]["text"]
        ]
        row = rng.choice(free)
        _set_text(row, q, text, themes)
        row["answers"][q]["tick"] = tick
        row["answers"][q]["text_stance"] = text_stance
        row["conflict"] = q
    # Hand-written open answers: each to one row of a compatible lean.
    for q, pool in OPEN_POOLS.items():
        for text, lean, themes, capacity in pool:
            free = [
                r
                for r in rows
                if not r["answers"][q]["text"] and (lean == 0 or r["lean"] in (lean, 0))
            ]
            row = rng.choice(free)
            _set_text(row, q, text, themes)
            if capacity:
                row["capacity"] = capacity
    # Ticks for closed questions without a comment; capacity, postcode.
    for row in rows:
        for q in CLOSED:
            a = row["answers"][q]
            if a["text"]:
                continue
            roll = rng.random()
            if roll < 0.06:
                a["tick"] = DONT_KNOW
            elif roll < 0.14:
                a["tick"] = None
            else:
                a["tick"] = _strength(rng, row["sign"][q])
        if not row["capacity"]:
            roll = rng.random()
            row["capacity"] = (
                "resident"
                if roll < 0.68
                else "visitor"
                if roll < 0.84
                else "business"
                if roll < 0.92
                else ""
            )
        roll = rng.random()
        if row["capacity"] == "resident":
            row["postcode"] = rng.choice(["KF4", "KF4", "kf4", "KF4 2", "KF4 1AB", "KF4", ""])
        elif roll < 0.8:
            row["postcode"] = rng.choice(["KF5", "KF2", "KF1", "KF3", "KF4", "kf5 3", ""])
    # Non-answers in some empty text boxes.
    for row in rng.sample(rows, k=24):
        q = rng.choice(QUESTIONS)
        a = row["answers"][q]
        if not a["text"]:
            a.update(text=rng.choice(NON_ANSWERS), substantive=False)
    # Some respondents gave up part way (Partial): later answers blank.
    for row in rng.sample([r for r in rows if "conflict" not in r], k=6):
        row["status"] = "Partial"
        for q in QUESTIONS[2:]:
            row["answers"][q] = _blank_answer()
    # Organisations.
    for org, gold_type, postcode, ticks, texts in ORGS:
        row = _new_row()
        row.update(capacity="organisation", org=org, postcode=postcode, type=gold_type)
        for q in CLOSED:
            row["answers"][q]["tick"] = ticks.get(q) or None
        for q, (text, themes) in texts.items():
            _set_text(row, q, text, themes)
        rows.insert(rng.randrange(len(rows)), row)
    # Campaign c1: a burst after the campaign's newsletter, then stragglers.
    c1_rows = []
    for i in range(12):
        row = _new_row()
        row.update(
            capacity=rng.choice(["resident", "visitor", "visitor", "resident", ""]),
            postcode=rng.choice(["KF5", "KF5", "KF4", "KF2", ""]),
        )
        row["answers"]["ltn"]["tick"] = rng.choice(
            ["disagree", "neither", "strongly_disagree", None]
        )
        row["answers"]["bus_gate"]["tick"] = "strongly_disagree" if i != 5 else "strongly_agree"
        if i == 5:
            row["conflict"] = "bus_gate"
        row["answers"]["trial"]["tick"] = rng.choice(["disagree", "strongly_disagree", DONT_KNOW])
        for q in ("bus_gate", "impacts", "changes"):
            if i in (3, 9) and q == "changes":
                continue  # two copiers skip a box
            text, themes = _copy(rng, q, C1[q])
            _set_text(row, q, text, themes, campaign="c1")
        c1_rows.append(row)
    start = rng.randrange(20, 60)
    for k, row in enumerate(c1_rows):
        at = start + k if k < 8 else rng.randrange(len(rows))
        rows.insert(at, row)
    # Campaign c2.
    for i in range(10):
        row = _new_row()
        row.update(
            capacity=rng.choice(["resident", "resident", "visitor"]),
            postcode=rng.choice(["KF4", "KF4", "KF1", ""]),
        )
        row["answers"]["ltn"]["tick"] = "strongly_agree" if i != 7 else "agree"
        row["answers"]["bus_gate"]["tick"] = rng.choice(["agree", "strongly_agree", None])
        row["answers"]["trial"]["tick"] = rng.choice(["agree", "strongly_agree"])
        for q in ("ltn", "changes"):
            text, themes = _copy(rng, q, C2[q])
            _set_text(row, q, text, themes, campaign="c2")
        rows.insert(rng.randrange(len(rows)), row)
    # Empty rows (opened the survey, submitted nothing).
    for _ in range(N_EMPTY):
        row = _new_row()
        row["status"] = "Partial"
        rows.insert(rng.randrange(len(rows)), row)
    assert len(rows) == N_ROWS, len(rows)
    return rows


def _gold_answer(q: str, a: dict) -> dict:
    """Gold for one answer cell (conventions in the module docstring)."""
    tick = a["tick"] if q in CLOSED else None
    if q in CLOSED:
        if tick:
            stance = tick
        elif a["text"] and a["substantive"]:
            stance = a.get("text_stance", "not_answered")
        else:
            stance = "not_answered"
    else:
        stance = None if a["text"] else "not_answered"
    return {
        "text": a["text"],
        "substantive": bool(a["substantive"]),
        "tick": tick,
        "stance": stance,
        "themes": list(a["themes"]) if a["substantive"] else [],
        "campaign": a["campaign"],
    }


def _respondent_type(row: dict) -> str:
    if row["type"]:
        return row["type"]
    if row["capacity"] in CAPACITY and CAPACITY[row["capacity"]][1]:
        return CAPACITY[row["capacity"]][1]
    return "unknown"


def _attributes(row: dict) -> dict:
    pc = row["postcode"].strip().upper()
    if not pc:
        return {}
    district = pc.split()[0]
    return {"area": AREAS.get(district, "Outside Kingsford"), "postcode_district": district}


def write(rows: list[dict]) -> list[dict]:
    """Write responses/survey.csv and return the gold rows."""
    rng = random.Random(SEED + 1)
    t = dt.datetime(2026, 9, 7, 9, 0, 0)
    gold_rows = []
    (HERE / "responses").mkdir(exist_ok=True)
    with open(HERE / "responses" / "survey.csv", "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(HEADER)
        for n, row in enumerate(rows, start=1):
            t += dt.timedelta(minutes=rng.randrange(20, 600))
            ended = t + dt.timedelta(seconds=rng.randrange(60, 1500))
            a = row["answers"]
            cap = CAPACITY[row["capacity"]][0] if row["capacity"] else ""
            w.writerow(
                [
                    str(184320500 + n * 7 + rng.randrange(7)),
                    t.strftime("%d/%m/%Y %H:%M:%S"),
                    ended.strftime("%d/%m/%Y %H:%M:%S"),
                    row["status"],
                    cap,
                    row["org"],
                    row["postcode"],
                    LABELS.get(a["ltn"]["tick"] or "", ""),
                    a["ltn"]["text"],
                    LABELS.get(a["bus_gate"]["tick"] or "", ""),
                    a["bus_gate"]["text"],
                    LABELS.get(a["trial"]["tick"] or "", ""),
                    a["trial"]["text"],
                    a["impacts"]["text"],
                    a["changes"]["text"],
                    a["equality"]["text"],
                ]
            )
            gold_rows.append(
                {
                    "row": n,
                    "split": "heldout" if n % 3 == 0 else "dev",
                    "respondent_type": _respondent_type(row),
                    "organisation": row["org"] or None,
                    "attributes": _attributes(row),
                    "answers": {q: _gold_answer(q, a[q]) for q in QUESTIONS},
                }
            )
    return gold_rows


def write_gold(gold_rows: list[dict]) -> None:
    """Replace the ``surveys:`` section of gold.yaml, keeping everything before it."""
    path = HERE / "gold.yaml"
    head = (
        "set: transport\nconsultation: consultation.yaml\ncodebook: codebook.yaml\ndocuments: []\n"
    )
    if path.exists():
        text = path.read_text(encoding="utf-8")
        m = re.search(r"^surveys:", text, flags=re.M)
        head = text[: m.start()] if m else text
        if not head.endswith("\n"):
            head += "\n"
    body = yaml.safe_dump(
        {"surveys": [{"file": "responses/survey.csv", "rows": gold_rows}]},
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    path.write_text(head + body, encoding="utf-8")


def main() -> None:
    rows = build(random.Random(SEED))
    gold_rows = write(rows)
    write_gold(gold_rows)
    texts = {
        a["text"]
        for g in gold_rows
        for a in g["answers"].values()
        if a["substantive"] and not a["campaign"]
    }
    conflicts = [
        (g["row"], q)
        for g, r in zip(gold_rows, rows, strict=True)
        for q in [r.get("conflict")]
        if q
    ]
    empty = [
        g["row"]
        for g in gold_rows
        if not any(a["text"] or a["tick"] for a in g["answers"].values())
    ]
    print(f"rows {len(gold_rows)}; empty {len(empty)}; distinct hand-written texts {len(texts)}")
    print(f"conflicts (row, question): {conflicts}")
    print(f"empty rows: {empty}")


if __name__ == "__main__":
    main()
