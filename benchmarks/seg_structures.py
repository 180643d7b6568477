"""Structures batch 21 brought, re-rendered from OTHER batches' spent gold (``seg_perturb``).

Batch 21 (the only batch nobody fitted a rule to) used layouts the segmenter
had no mechanism for. To measure a mechanism on layouts it was not tuned on,
``seg_perturb`` renders spent gold of batches 2-21 in these styles too:

- ``transcript``: an interview typed up as speaker turns. The interviewer asks
  each question in its consultation wording (sometimes after "So," or "Next
  one:"), the respondent answers in one turn per paragraph, the interviewer
  sometimes nods in between ("Mm-hm."); an opening exchange and a closing turn
  that answer nothing. Speaker names vary ("Interviewer"/"Respondent",
  first names, initials).
- ``transcript_paraphrase``: the same, the interviewer asking in their own
  words (the question's short label or an alias inside a spoken frame).
- ``decimal``: a letter of numbered paragraphs with no headings, "3.1", "3.2":
  the section number is the question's number; who-we-are paragraphs come
  unnumbered after the salutation.
- ``decimal_offset``: the same, the sections numbered in document order from
  "1.1" (the introduction), so section numbers do not name questions.
- ``own_words``: a heading of the respondent's own over each answer: a topic
  phrase from the question's keywords or short label ("On timing", "Our view
  on ..."), or from the answer's own most frequent content words.
- ``own_words_roman``: those headings numbered I, II, III in document order,
  often upper case ("II — ON TIMING").
- ``webform``: a saved HTML web form, a ``<label>`` (the question's text, its
  short label or a paraphrase) over a ``<textarea>`` holding the answer.

The frames and words here belong to the benchmark, never to ``src/``.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections import Counter

SPEAKERS = (
    ("Interviewer", "Respondent"),
    ("Dami", "K"),
    ("INT", "P1"),
    ("Researcher", "Participant"),
    ("Sam", "Jo"),
)
OPENINGS = (
    "Transcript of a recorded interview, typed up with the interviewee's permission. "
    "The interviewee asked for their answers to be sent in as their response.",
    "Interview notes (verbatim). Recorded by a peer researcher.",
)
NODS = ("Mm-hm.", "Go on.", "Right.", "OK, anything else on that?")
CLOSINGS = ("That's everything, thanks so much.", "Great, that's us done. Cheers.")
ROMAN_UP = "0 I II III IV V VI VII VIII IX X XI XII".split()
_STOP = set(
    """a an and are as at be been but by can could do does for from had has have how i if in
    into is it its just like more most much must my no not of on or our should so some than
    that the their them then there these they this those to too very was we were what when
    where which who will with would you your yes also about any all only really think want""".split()
)


def _lower_first(s: str) -> str:
    """``s`` with its first letter in lower case, unless its first word is an acronym."""
    first = s.split(maxsplit=1)[0] if s.split() else ""
    return s if sum(ch.isupper() for ch in first) > 1 else s[:1].lower() + s[1:]


def _label(q) -> str:
    return q.short or q.text


def _spoken(q, rng) -> str:
    """An interviewer's own-words question about ``q``: a frame around a label or alias."""
    topic = _lower_first(rng.choice([_label(q), *q.aliases]).rstrip("?.:"))
    if q.kind == "profile":
        return rng.choice(
            (
                "First off, can you tell me a bit about yourself?",
                f"Before we start: {topic}?",
                "Who are you answering as?",
            )
        )
    frames = (
        f"What do you think about {topic}?",
        f"And {topic} - thoughts?",
        f"Next one. {topic[:1].upper() + topic[1:]}. What's your view?",
        f"OK, so, {topic}. Where are you on that?",
    )
    if q.keywords:
        frames += (f"What about {rng.choice(q.keywords)}?",)
    return rng.choice(frames)


def _asked(q, rng) -> str:
    """An interviewer reading the consultation's question out."""
    lead = rng.choice(("", "", "So, ", "Next one: ", "Right. "))
    return lead + (_lower_first(q.text) if lead else q.text)


def _content_topic(body: str) -> str:
    """A respondent's own heading from their answer: its two most frequent content words."""
    words = [w.lower() for w in re.findall(r"[A-Za-z][a-z]{4,}", body)]
    common = [w for w, _ in Counter(w for w in words if w not in _STOP).most_common(2)]
    if not common:
        return "Our view"
    return " and ".join(common).capitalize()


def _own_heading(q, body: str, rng) -> str:
    if q.kind == "profile":
        return rng.choice(("Who we are", "About us", "Who's writing", "Introduction"))
    if rng.random() < 0.5:
        return _content_topic(body)
    topic = rng.choice([*q.keywords, _lower_first(_label(q))] if q.keywords else [_label(q)])
    frame = rng.choice(("On {}", "Our view on {}", "{}", "About {}", "Where we stand: {}"))
    out = frame.format(_lower_first(topic))
    return out[:1].upper() + out[1:]


# Session 20 (batch 22's structures), rendered from gold of batches 2-21 only.
SESSION20 = ("n_of_m_lead", "bracket_labels", "sequence_sentences", "wording_word")
_FUNCTION = set("between during after before within other please these those under where".split())
SEQUENCE = ("First", "Secondly", "Thirdly", "Fourthly", "Fifthly", "Sixthly", "Seventhly")
_SELF_TITLES = ("About us", "About {org}", "Who we are", "About the {org}")
_ORGS = ("Wheelers", "Hartley Trust", "Network", "Forum", "Partnership")


def _distinct_word(q, cons) -> str | None:
    """A word of ``q``'s wording (five letters or more) that no other question's wording uses."""

    def words(x) -> set[str]:
        text = " ".join((x.text, x.short or "", *x.aliases))
        return {w.lower() for w in re.findall(r"[A-Za-z][a-z]{4,}", text)} - _STOP

    others = set().union(*(words(o) for o in cons.questions if o.id != q.id)) | _FUNCTION
    mine = sorted(words(q) - others)
    return mine[0].capitalize() if mine else None


def _session20_heading(style: str, q, cons, i: int, last: bool, rng, total: int) -> str:
    """One heading of a session-20 style (``SESSION20``) for question ``q``, ``i``-th in the document."""
    if style == "n_of_m_lead":
        if q.number is None:
            return rng.choice(_SELF_TITLES).format(org=rng.choice(_ORGS))
        lead = rng.choice(
            ("Consultation question", "Our response to question", "Answer to question")
        )
        return f"{lead} {q.number} of {total}"
    if style == "bracket_labels":
        if q.kind == "profile":
            return rng.choice(("[Who I am]", "[About us]", "[Who we are]"))
        word = rng.choice([*q.keywords, _label(q)]) if q.keywords else _label(q)
        return f"[{word[:1].upper() + word[1:]}]"
    if style == "sequence_sentences":
        word = "Lastly" if last and i >= 2 else SEQUENCE[min(i, len(SEQUENCE) - 1)]
        if q.kind == "profile":
            topic = rng.choice(("who we are", "about us", "a word about me"))
        else:
            topic = "on " + _lower_first(
                rng.choice([*q.keywords, _label(q)] if q.keywords else [_label(q)])
            )
        return f"{word}, {topic}."
    if style == "wording_word":
        if q.kind == "profile":
            return rng.choice(("About us", "Who we are"))
        return _distinct_word(q, cons) or _label(q)
    raise ValueError(style)


# Session 21 (batch 23's structures), rendered from gold of batches 2-22 only: a label after
# a decorative symbol ("→ The trial", "🚌 Bus gate"), and "Ad 3." numbering.
SESSION21 = ("symbol_labels", "ad_numbers")
_MARKS = ("→", "➤", "▶", "■", "★")
_EMOJI = ("📌", "🚌", "⭐", "💡", "🗳️", "📅", "🔹")


def _session21_heading(style: str, q, rng, mark: str | None) -> str:
    """One heading of a session-21 style (``SESSION21``) for question ``q``."""
    if q.kind == "profile" or q.number is None:
        title = rng.choice(("Who we are", "About us", "Who I am"))
    elif style == "ad_numbers":
        return f"Ad {q.number}."
    else:
        title = rng.choice([*q.keywords, _label(q)]) if q.keywords else _label(q)
        title = title[:1].upper() + title[1:]
    if style == "ad_numbers":
        return title
    return f"{mark or rng.choice(_EMOJI)} {title}"


# Session 22 (batch 24's profile answers), rendered from gold of batches 2-23 only: the
# profile answer under a plain own-words line ("About me", "Quem somos / Who we are",
# "Who?") in a document whose other answers are question-numbered.
SESSION22 = ("self_plain",)
_SELF_LINES = (
    "About me",
    "About myself",
    "Who we are",
    "Who I am",
    "Who?",
    "Amdanom ni / About us",
    "Qui sommes-nous / Who we are",
)


def _session22_heading(q, rng) -> str:
    """One heading of the session-22 style: a self line for the profile question, else "Qn"."""
    if q.kind == "profile":
        return rng.choice(_SELF_LINES)
    return rng.choice(("Q{}", "Question {}", "Q.{}", "Q{}:")).format(q.number)


def render_structure(style: str, rec, cons, rng):
    """(blocks, gold answers in document order) of one respondent in a batch-21 structure."""
    from benchmarks.seg_perturb import PREAMBLES, SIGNOFFS, Block, _unnumbered

    qs = {q.id: q for q in cons.questions}
    answers = [a for a in rec.answers if a.text.strip() and a.question in qs]
    if style.startswith("decimal"):  # numbered sections follow the questions
        order = {q.id: i for i, q in enumerate(cons.questions)}
        answers = sorted(answers, key=lambda a: order[a.question])
    blocks: list[Block] = []
    gold_text: dict[str, str] = {}
    if style.startswith("transcript"):
        interviewer, respondent = rng.choice(SPEAKERS)
        blocks.append(Block(rng.choice(OPENINGS)))
        if rng.random() < 0.5:
            blocks.append(Block(f"{interviewer}: Thanks for doing this. Ready when you are."))
            blocks.append(Block(f"{respondent}: Yeah, go on."))
        for a in answers:
            q = qs[a.question]
            ask = _asked(q, rng) if style == "transcript" else _spoken(q, rng)
            blocks.append(Block(f"{interviewer}: {ask}"))
            turns = []
            for k, p in enumerate(re.split(r"\n\s*\n", _unnumbered(a.text))):
                if not p.strip():
                    continue
                if k and rng.random() < 0.3:
                    turns.append(f"{interviewer}: {rng.choice(NODS)}")
                turns.append(f"{respondent}: {' '.join(p.split())}")
            blocks += [Block(t) for t in turns]
            gold_text[a.question] = "\n\n".join(turns)
        blocks.append(Block(f"{interviewer}: {rng.choice(CLOSINGS)}"))
    elif style.startswith("decimal"):
        offset = style == "decimal_offset"
        blocks.append(Block(rng.choice(("Dear Sir or Madam,", "Dear consultation team,"))))
        section = 1
        if offset:
            blocks.append(Block("1.1 This letter sets out our response to the consultation."))
            section = 2
        profile = [a for a in answers if qs[a.question].number is None]
        numbered = [a for a in answers if qs[a.question].number is not None]
        for a in profile + numbered:
            q = qs[a.question]
            paras = [p for p in re.split(r"\n\s*\n", _unnumbered(a.text)) if p.strip()]
            if q.number is None and not offset:
                out = paras
            else:
                n = section if offset else q.number
                out = [f"{n}.{k + 1} {p.strip()}" for k, p in enumerate(paras)]
                section += 1
            blocks += [Block(p) for p in out]
            gold_text[a.question] = "\n\n".join(out)
        if offset and rng.random() < 0.5:
            blocks.append(Block(f"{section}.1 We would be glad to discuss any of these points."))
        blocks.append(Block(rng.choice(("Yours faithfully,\n\nThe committee", "Yours sincerely,"))))
    elif style in SESSION20 or style in SESSION21 or style in SESSION22:
        if rng.random() < 0.5:
            blocks += [Block(p) for p in rng.choice(PREAMBLES).split("\n\n")]
        total = len([q for q in cons.questions if q.number is not None])
        mark = rng.choice((*_MARKS, None))  # one symbol for the document, or emoji per heading
        for i, a in enumerate(answers):
            q = qs[a.question]
            body = _unnumbered(a.text)
            if style in SESSION22:
                head = _session22_heading(q, rng)
            elif style in SESSION21:
                head = _session21_heading(style, q, rng, mark)
            else:
                head = _session20_heading(style, q, cons, i, i + 1 == len(answers), rng, total)
            strong = style in ("n_of_m_lead", "wording_word", *SESSION21) and rng.random() < 0.7
            blocks.append(Block(head, strong=strong))
            blocks += [Block(p) for p in re.split(r"\n\s*\n", body) if p.strip()]
            gold_text[a.question] = body.strip()
        if rng.random() < 0.5:
            blocks += [Block(p) for p in rng.choice(SIGNOFFS).split("\n\n")]
    else:  # own_words, own_words_roman, webform: a label over each answer
        if rng.random() < 0.5:
            blocks += [Block(p) for p in rng.choice(PREAMBLES).split("\n\n")]
        roman = style == "own_words_roman"
        upper = rng.random() < 0.5
        for i, a in enumerate(answers):
            q = qs[a.question]
            body = _unnumbered(a.text)
            if style == "webform":
                head = rng.choice((q.text, _label(q), _own_heading(q, body, rng), _spoken(q, rng)))
                blocks.append(Block(head))
                blocks.append(Block(body.strip(), field=True))
            else:
                head = _own_heading(q, body, rng)
                if roman:
                    dash = rng.choice(("\u2014", "-", ".", ":"))
                    head = f"{ROMAN_UP[i + 1]} {dash} {head.upper() if upper else head}"
                blocks.append(Block(head, strong=rng.random() < 0.7))
                blocks += [Block(p) for p in re.split(r"\n\s*\n", body) if p.strip()]
            gold_text[a.question] = body.strip()
        if rng.random() < 0.5:
            blocks += [Block(p) for p in rng.choice(SIGNOFFS).split("\n\n")]
    gold = tuple(
        dataclasses.replace(a, campaign=None, heading=None, text=gold_text[a.question])
        for a in answers
    )
    return blocks, gold


def webform_html(blocks, rng) -> str:
    """A saved web form: labels over textareas, in paragraphs or a two-column table."""
    table = rng.random() < 0.5
    parts = []
    for b in blocks:
        t = html.escape(b.text)
        if b.field:
            box = f'<textarea rows="6" cols="60">{t}</textarea>'
            parts.append(f"<td>{box}</td></tr>" if table else f"<p>{box}</p>")
        elif table and _before_field(blocks, b):
            parts.append(f"<tr><td><label>{t}</label></td>")
        elif _before_field(blocks, b):
            parts.append(f"<p><label>{t}</label></p>")
        else:
            parts.append(f"<p>{t}</p>")
    body = "\n".join(parts)
    if table:
        body = re.sub(r"(<tr>.*</tr>)", r'<table class="form">\n\1\n</table>', body, flags=re.S)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>Consultation response</title></head>\n<body>\n<form>\n{body}\n</form>\n"
        "</body></html>\n"
    )


def _before_field(blocks, b) -> bool:
    i = next(k for k, x in enumerate(blocks) if x is b)
    return i + 1 < len(blocks) and blocks[i + 1].field
