"""Short answers that are nothing but talk about answering: a non-answer by what is LEFT.

Session 18 (issue 12 item 4). The phrases of ``helpers/data/non_answers.yaml``
(``helpers.ingest.nonanswers``) recognise a non-answer when all of it is a listed
phrase, and the learned reader (``segment.shortanswer``) only answers that were
close to one; every unseen batch brought wordings neither knew ("see what i put
in the first box", "Nothing springs to mind", "I'd rather not say"): batch 21
found 1 of 5 non-answers. Respondents who say nothing use a small, closed set of
words whatever the consultation: words about answering ("comment", "add",
"say"), pointing to another answer ("above", "first box", "question 2"), knowing
("sure", "idea", "qualified") and declining ("rather", "skip", "applicable").
An answer about anything else needs at least one word outside that set.

So an answer is a non-answer here when, after its normalisation
(``nonanswers.normalise``), a copied question and a sign-off are set aside:

- trailing sign-offs, a form's printed closing and footers are set aside
  (:func:`without_trailer`);
- it has at most ``max_words`` words and no turn ("but", "because", "which"
  …): a turn opens a claim of the respondent's own;
- whole meta phrases are removed ("at this stage", "springs to mind", "want
  to", "the right person"), then numbers, function words and the ``meta``
  words; to an open question, the question's own words too ("No impacts for
  me" to a question about impacts): NOTHING may be left;
- and at least one word is a ``signal``: a negation or doubt ("not",
  "nothing", "unsure"), a pointer ("see", "above", "same") or a decline
  ("skip", "applicable"). To a closed question ("Do you agree …?") only a
  pointer or a decline counts: a bare "No", "Not sure" or "Don't know" there
  is the respondent's position, which the stance stage reads.

A word of substance keeps any answer: "None of the above is acceptable",
"See above: the cost is too high", "Too expensive.", "Leave the road open."
The word lists are data (``residue`` in ``non_answers.yaml``), generic
English, with no stance word and no word that alone is a view ("enough",
"right", "like", "want"). Cost: one normalisation and a pass over at most
``max_words`` words per answer.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from helpers.core.stemming import stem
from helpers.ingest.names import authorship_words, name_run, whole
from helpers.ingest.nonanswers import (
    _sign_off_line,
    normalise,
    without_question_copy,
    without_sign_off,
)
from helpers.ingest.segment.shortanswer import package_words

__all__ = [
    "residue_non_answer",
    "residue_words",
    "without_closing",
    "without_lead_heading",
    "without_trailer",
]


@dataclass(frozen=True)
class _Lists:
    max_words: int
    turns: frozenset[str]
    negation: frozenset[str]
    pointer: frozenset[str]
    decline: frozenset[str]
    phrases: re.Pattern[str]
    meta: frozenset[str]


@functools.cache
def _lists() -> _Lists:
    raw = package_words()[1].get("residue") or {}
    signals = raw.get("signals") or {}

    def words(items) -> frozenset[str]:
        return frozenset(str(w).lower() for w in items or [])

    phrases = "|".join(f"(?:{p})" for p in raw.get("meta_phrases") or ["(?!)"])
    return _Lists(
        max_words=int(raw.get("max_words", 20)),
        turns=words(raw.get("turns")),
        negation=words(signals.get("negation")),
        pointer=words(signals.get("pointer")),
        decline=words(signals.get("decline")),
        phrases=re.compile(rf"(?<![a-z0-9])(?:{phrases})(?![a-z0-9])"),
        meta=words(raw.get("meta")) | words(raw.get("function")),
    )


def residue_words(text: str, question_text: str | None = None) -> list[str] | None:
    """The words of ``text`` left once talk about answering is removed (module docstring), or
    None when the answer is too long or has a turn. With ``question_text`` (an open
    question), the question's own words are removed too."""
    lists = _lists()
    norm = normalise(text)
    words = [w for w in norm.split() if w != "."]
    if not words or len(words) > lists.max_words or any(w in lists.turns for w in words):
        return None
    asked = set()
    if question_text:
        asked = {stem(w) for w in normalise(question_text).split() if len(w) > 3}
    rest = lists.phrases.sub(" ", " ".join(words))
    return [
        w
        for w in rest.split()
        if not (w.isdigit() or w in lists.meta or w in lists.pointer or w in lists.decline)
        and w not in lists.negation
        and stem(w) not in asked
    ]


# A trailing paragraph that is not the respondent's answer: the form's own closing to the
# respondent ("Thank you for completing this form. Please return it to …"), or a footer
# ("This document has been produced by …", "Registered charity no. …", "Tel: …").
_TRAILER = re.compile(
    r"^\W*(?:thank you for (?:completing|filling|taking (?:part|the time)|your (?:response|time))"
    r"|this (?:document|e-?mail|message|letter|form) (?:has been|was|is)\b"
    r"|registered (?:charity|company|office|in)\b|(?:tel|telephone|phone|e-?mail|web(?:site)?|contact(?: details)?)\s*:)"
    # a name and a telephone number ("Brian Coleclough, 01632 960 447")
    r"|^[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,4},?\s+(?:tel:?\s*)?\+?\d[\d ()-]{6,}$"
    # Session 19 (batch 21): who filled the form in, and when ("Form completed by the forum
    # secretary on 30 September 2022", "Response agreed by the trustees").
    r"|^\W*(?:(?:(?:this|the|our) )?(?:form|response|submission|reply|answers?|return)\s+"
    r"(?:was |were |has been |have been )?)?(?:completed|submitted|prepared|compiled|approved|"
    r"agreed|signed|filled in|written|sent|typed|dictated)\s+(?:by|on|with|using|via)\b"
    # Session 26: an organisation's footer after its name and address ("Lantern Yard Theatre,
    # Harbour Street, Saltmere. Registered charity no. …"): the registration anywhere in it.
    r"|\bregistered (?:charity|company|society)(?: (?:no|number|in)\b)?",
    re.IGNORECASE,
)
# Session 26: a paragraph of nothing but tags, links and addresses ("#KeepItOpen",
# "www.example.org", "-- end --"): the campaign's or the sender's furniture, not an answer.
_TAGS_ONLY = re.compile(
    r"^[\W_]*(?:(?:#[\w-]+|https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+|end)[\W_]*)+$",
    re.IGNORECASE,
)
# Session 19 (batch 21: "Nothing further." over "Steering group of the National Network of
# Personal Advisers"): a one-line sign-off naming the writers as a part or officer of a named
# body, with lower-case words the name-shaped sign-off (``nonanswers.without_sign_off``) does
# not allow. The head is a role or an organisation noun ("Steering group", "Chair",
# "Secretary"), so "Talk to the Older People's Forum" (a verb) is not one; the rest, after
# "of/for/at/to", is only a capitalised name; no sentence punctuation.
_PART_OF_BODY = re.compile(
    r"^(?:on behalf of\s+)?(?P<head>[A-Z][\w'’-]*(?: [\w'’-]+){0,2}),?\s+"
    r"(?:on behalf )?(?:of|for|at|to)\s+(?P<name>(?:the )?[A-Z][^\n.!?:;]{3,100})$"
)
_TRAILER_WORDS = 60
# Longer texts are never read: a short answer and a few trailing paragraphs fit well inside, and
# a long answer costs no normalisation here.
_MAX_CHARS = 3000


def _body_sign_off(paragraph: str) -> bool:
    """Whether ``paragraph`` is one line signing for a body (``_PART_OF_BODY``)."""
    m = _PART_OF_BODY.match(paragraph.strip())
    if m is None or "\n" in paragraph.strip():
        return False
    name = m.group("name").removeprefix("the ")
    if name_run(name) != name.strip():
        return False
    head = m.group("head")
    return bool(whole("role_words").search(head) or whole("organisation_words").search(head))


# Session 24: a closing formula in any language, or in two ("Grazie,", "Obrigada / thank you,",
# "Diolch,"): one to three words of letters per alternative, alternatives joined by a slash,
# the line ending with a comma. Only read directly above name-shaped lines.
_CLOSING = re.compile(r"^[^\W\d_]+(?: [^\W\d_]+){0,2}(?: ?/ ?[^\W\d_]+(?: [^\W\d_]+){0,2})*,$")
# "Gracias / Thank you – Rosario y Lucía Quintero": a closing and the name on one line, after a
# spaced dash; one of the closing's alternatives must be a listed valediction or thanks.
_CLOSING_DASH = re.compile(r"^(?P<closing>[^\W\d_][^\n–—]{0,40}?)\s+[–—-]\s+(?P<name>[^\n]{2,60})$")


def _valediction(words: str) -> bool:
    pattern = authorship_words()["valedictions"].pattern
    return (
        re.fullmatch(rf"(?:{pattern})|thanks?(?: you)?|many thanks", words.strip(), re.I)
        is not None
    )


def _closing_block(parts: list[str]) -> int:
    """How many trailing paragraphs of ``parts`` are a closing and the writer's name (0: none).

    Session 24: the non-answers missed through ingest on batches 12 and 15 were signed in
    another language or in two ("Non saprei – I would not know." over "Grazie," and "Lucia
    Benedetti"; "Ver acima / see above." over "Obrigada / thank you,\nLuana"; "No sé. Don't
    know." over "Gracias / Thank you – Rosario y Lucía Quintero"): the English sign-off rules
    (``nonanswers.without_sign_off``, the valedictions) read none of them. The shape is
    language-free: a short line ending with a comma directly above name-shaped lines
    (``nonanswers._sign_off_line``), in one paragraph or two; or a valediction, a spaced dash
    and a name on one line."""
    last = [ln.strip() for ln in parts[-1].splitlines() if ln.strip()]
    if not last or len(last) > 3:
        return 0
    if len(last) == 1 and (m := _CLOSING_DASH.match(last[0])):
        alternatives = re.split(r"\s*/\s*", m.group("closing"))
        if any(_valediction(a) for a in alternatives) and _sign_off_line(m.group("name")):
            return 1
    if len(last) >= 2 and _CLOSING.match(last[0]) and all(map(_sign_off_line, last[1:])):
        return 1
    if len(parts) >= 3 and all(map(_sign_off_line, last)):
        above = [ln.strip() for ln in parts[-2].splitlines() if ln.strip()]
        if len(above) == 1 and _CLOSING.match(above[0]):
            return 2
    return 0


def without_closing(text: str) -> str:
    """``text`` without a trailing closing and name (:func:`_closing_block`), when something is
    left before them; ``text`` itself (the same object) when it has none."""
    if len(text) > _MAX_CHARS:
        return text
    parts = re.split(r"\n[ \t]*\n", text.strip())
    n = _closing_block(parts) if len(parts) >= 2 else 0
    return "\n\n".join(parts[:-n]) if n and len(parts) > n else text


# Session 27: a heading line the segmenter kept inside the row ("Exhibit E – further
# submissions", "Watch this space", "Part 4 – Equality", "Re: anything else"): one line of at
# most ``_HEADING_WORDS`` words, not ending as a sentence or a list item does.
_HEADING_WORDS = 10
_HEADING_END = re.compile(r"[.!,;]\s*$")
# A line that is itself an answer, however short ("Yes", "Strongly agree", "Not really"): never
# set aside as a heading.
_POSITION_LINE = re.compile(
    r"\b(?:yes|no|not|agree[ds]?|disagree[ds]?|support(?:s|ed)?|oppose[ds]?|object|neither|"
    r"strongly|partly|tend|maybe|possibly|unsure|sure)\b",
    re.IGNORECASE,
)


def _heading_line(paragraph: str) -> bool:
    """Whether ``paragraph`` reads as a heading rather than a sentence (``_HEADING_WORDS``)."""
    line = paragraph.strip()
    if not line or "\n" in line or len(line) > 90 or _HEADING_END.search(line):
        return False
    words = re.findall(r"[^\W_]+", line)
    if not words or len(words) > _HEADING_WORDS or _POSITION_LINE.search(line):
        return False
    return any(ch.isalpha() for ch in line) or line.strip("#*-–—. ").isdigit()


def without_lead_heading(text: str) -> str:
    """``text`` without its first paragraph when that is a heading line (:func:`_heading_line`)
    and something follows it; ``text`` itself (the same object) otherwise.

    Session 27 (batch 29, unseen, and the census of batches 2-29): a non-answer under a heading
    the segmenter did not take for a question's ("Exhibit E – further submissions" over
    "Nothing further.", "Watch this space" over "Nothing further at this stage.") stays in a row
    that begins with the heading, and every rule read the heading's words as the respondent's
    own. Used only to judge whether the rest says nothing; the answer's text is unchanged. A
    line that is itself a position ("Yes", "Strongly agree", "Not sure") is never set aside.
    """
    if len(text) > _MAX_CHARS:
        return text
    parts = re.split(r"\n[ \t]*\n", text.strip())
    if len(parts) < 2 or not _heading_line(parts[0]):
        return text
    return "\n\n".join(parts[1:])


def without_trailer(text: str) -> str:
    """``text`` without trailing sign-offs (``nonanswers.without_sign_off``), form closings
    and footers (``_TRAILER``; each at most ``_TRAILER_WORDS`` words), in any order, as long
    as something is left. Session 18 (batch 20): "Not applicable" then the form's printed
    "Thank you for completing this form …"; "Nothing further at this stage." then the
    writer's name and role, then the council's footer with its address and web site. Used
    only to judge whether the rest says nothing; the answer's text is unchanged."""
    for _ in range(4):
        signed = without_sign_off(text)
        if signed is not text:
            text = signed
            continue
        parts = re.split(r"\n[ \t]*\n", text.strip())
        last = parts[-1]
        if len(parts) < 2 or len(last.split()) > _TRAILER_WORDS:
            break
        closing = _closing_block(parts)
        if closing and len(parts) > closing:
            text = "\n\n".join(parts[:-closing])
            continue
        if not (_TRAILER.search(last) or _body_sign_off(last) or _TAGS_ONLY.match(last.strip())):
            break
        if set(normalise(last).split()) & _lists().turns:
            break  # "Completed by my daughter because …": a clause of the respondent's own
        text = "\n\n".join(parts[:-1])
    return text


def residue_non_answer(text: object, kind: str = "open", question_text: str | None = None) -> bool:
    """Whether ``text`` is only talk about answering, to a question of ``kind`` (module
    docstring). ``question_text`` is read for an open question only."""
    if not isinstance(text, str) or not text.strip() or len(text) > _MAX_CHARS:
        return False
    rest = without_trailer(without_question_copy(text, question_text))
    lists = _lists()
    words = set(normalise(rest).split())
    signals = lists.pointer | lists.decline
    if kind == "open":
        signals = signals | lists.negation
    if not words & signals:
        return False
    left = residue_words(rest, question_text if kind == "open" else None)
    return left is not None and not left
