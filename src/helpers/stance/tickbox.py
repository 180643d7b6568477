"""Tick boxes: a survey's agree/disagree scale value (label, 1-5 code or -2…+2) as a stance.

"Don't know", "Not sure", "No opinion" are ``dont_know``: a category of its
own, never "neither" (a respondent who neither agrees nor disagrees has a view;
one who does not know has not). A blank tick box is ``not_answered``.
"""

from __future__ import annotations

import re

import pandas as pd

from helpers.stance.result import _SCORE_TO_STANCE

_TICK_WORDS = {
    "strongly agree": "strongly_agree",
    "agree strongly": "strongly_agree",
    "completely agree": "strongly_agree",
    "agree": "agree",
    "tend to agree": "agree",
    "somewhat agree": "agree",
    "slightly agree": "agree",
    "mostly agree": "agree",
    "agree somewhat": "agree",
    "partly agree": "agree",
    "neither agree nor disagree": "neither",
    "neither agree or disagree": "neither",
    "neither": "neither",
    "neutral": "neither",
    "dont know": "dont_know",
    "do not know": "dont_know",
    "i dont know": "dont_know",
    "i do not know": "dont_know",
    "dont know not sure": "dont_know",
    "not sure": "dont_know",
    "unsure": "dont_know",
    "no opinion": "dont_know",
    "no view": "dont_know",
    "undecided": "dont_know",
    "cant say": "dont_know",
    "cannot say": "dont_know",
    "tend to disagree": "disagree",
    "disagree": "disagree",
    "somewhat disagree": "disagree",
    "slightly disagree": "disagree",
    "mostly disagree": "disagree",
    "partly disagree": "disagree",
    "disagree somewhat": "disagree",
    "strongly disagree": "strongly_disagree",
    "disagree strongly": "strongly_disagree",
    "completely disagree": "strongly_disagree",
    "not answered": "not_answered",
    "no answer": "not_answered",
    "no response": "not_answered",
    "n a": "not_answered",
    "na": "not_answered",
    "not applicable": "not_answered",
    "prefer not to say": "not_answered",
}
# Numeric codes in the order the options are listed ("Strongly agree" first),
# as Citizen Space and most UK government survey exports number them.
_TICK_CODES = {1: "strongly_agree", 2: "agree", 3: "neither", 4: "disagree", 5: "strongly_disagree"}
_SIGNED = {
    "+2": "strongly_agree",
    "+1": "agree",
    "0": "neither",
    "-1": "disagree",
    "-2": "strongly_disagree",
}


def tick_box_stance(value: object, agree_first: bool = True) -> str | None:
    """Map a survey tick-box value to a STANCES value, or None if unrecognised.

    Accepts the scale's labels and common variants ("Tend to agree"),
    "Don't know"/"Not sure"/"No opinion" (→ dont_know), blanks and "Not
    answered" (→ not_answered),
    1–5 codes (1 = strongly agree unless ``agree_first=False``) and signed
    scores -2…+2.
    """
    if value is None or (isinstance(value, float) and value != value):
        return "not_answered"
    if value is pd.NA:
        return "not_answered"
    raw = str(value).strip()
    if not raw or raw in ("-", "–", "—"):
        return "not_answered"
    if raw in _SIGNED:
        return _SIGNED[raw]
    try:
        number = float(raw)
    except ValueError:
        number = None
    if number is not None:
        if number.is_integer() and int(number) in _TICK_CODES:
            code = int(number) if agree_first else 6 - int(number)
            return _TICK_CODES[code]
        if number.is_integer() and -2 <= number <= 2:
            return _SCORE_TO_STANCE[int(number)]
        return None
    key = re.sub(r"[’'`]", "", raw.lower())
    key = re.sub(r"[^a-z]+", " ", key).strip()
    key = re.sub(r"^\d+\s+", "", key)  # "1 - Strongly agree"
    return _TICK_WORDS.get(key)
