"""A message body's own words: quoted replies, forwarded messages, signatures, disclaimers.

Split from ``readers.mail`` (which reads the message and its attachments): the rules here
work on plain text only, so a body from an ``.eml`` file, a saved HTML e-mail or a
covering note is cleaned the same way. Every rule's rationale is in its docstring; each
works line by line or paragraph by paragraph with bounded patterns, so a hostile body
costs linear time.
"""

from __future__ import annotations

import re

from helpers.ingest.readers.mail_signature import SIGNATURE_DELIMITER

__all__ = ["FORWARD_RULE", "FORWARD_SUBJECT", "clean_body"]

# --- Quoted replies and forwarded messages ----------------------------------------

_ORIGINAL = re.compile(
    r"^\s*(?:-{3,}\s*(?:original message|forwarded message)\s*-{3,}|begin forwarded message:)",
    re.IGNORECASE,
)
_HEADER_FROM = re.compile(r"^\s*\*?from:\*?\s", re.IGNORECASE)
_HEADER_SENT = re.compile(r"^\s*\*?(?:sent|date):\*?\s", re.IGNORECASE)
_SIGNATURE = SIGNATURE_DELIMITER


def _is_reply_intro(line: str, following: str) -> bool:
    """True for "On <date>, <name> wrote:", on one line or wrapped onto the next.

    String tests on lines of at most 300 characters, so a hostile body of
    long lines costs linear time.
    """
    first = line.strip()
    if len(first) > 300 or not first.lower().startswith("on "):
        return False
    if first.lower().endswith(" wrote:"):
        return True
    second = following.strip().lower()
    return len(first) + len(second) <= 300 and (second == "wrote:" or second.endswith(" wrote:"))


def _quote_start(lines: list[str]) -> int | None:
    """Index of the first line of a quoted earlier message, or None.

    Rationale: mail clients introduce the message being replied to in one of
    three ways, and everything after the introduction is the earlier message,
    not the respondent's answer: "On <date>, <name> wrote:" (Gmail, Apple
    Mail, Thunderbird; it may wrap onto a second line), a
    "-----Original Message-----" or "Forwarded message" rule (Outlook, Gmail),
    or an Outlook header block ("From: …" then "Sent: …"/"Date: …" within
    the next three lines).
    """
    for i, line in enumerate(lines):
        if _ORIGINAL.match(line):
            return i
        if _is_reply_intro(line, lines[i + 1] if i + 1 < len(lines) else ""):
            return i
        if _HEADER_FROM.match(line) and any(_HEADER_SENT.match(n) for n in lines[i + 1 : i + 4]):
            return i
    return None


FORWARD_RULE = re.compile(
    r"^\s*(?:-{3,}\s*forwarded message\s*-{3,}|begin forwarded message:)\s*$", re.IGNORECASE
)
_ORIGINAL_RULE = re.compile(r"^\s*-{3,}\s*original message\s*-{3,}\s*$", re.IGNORECASE)
_HEADER_FIELD = re.compile(
    r"^\s*\*?(?:from|sent|date|to|cc|bcc|subject|reply-to)\s*:", re.IGNORECASE
)
FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|fw)\s*:", re.IGNORECASE)


def _forward_parts(lines: list[str], forwarded: bool) -> tuple[list[str], list[str]] | None:
    """``(cover note lines, forwarded message lines)`` when the body forwards a message, or None.

    Rationale: someone who forwards a response ("please count this as her
    response") sends it below a "Forwarded message" rule (Gmail), "Begin
    forwarded message:" (Apple Mail) or, in Outlook, an "Original Message"
    rule or a "From: … Sent: …" header block under a "FW:" subject. Unlike a
    quoted reply, the forwarded text is the response, so it is kept; only its
    header block (From/Sent/Date/To/Cc/Subject lines, which name people) is
    dropped. A reply's "On … wrote:" or ">" quoting that comes first still
    marks a quote: only the earliest introduction decides.
    """
    start = _quote_start(lines)
    if start is None:
        return None
    line, following = lines[start], lines[start + 1] if start + 1 < len(lines) else ""
    if FORWARD_RULE.match(line):
        rule = True
    elif forwarded and not _is_reply_intro(line, following):
        rule = bool(_ORIGINAL_RULE.match(line))  # else an Outlook header block
    else:
        return None
    i = start + 1 if rule else start
    while i < len(lines) and not lines[i].strip():
        i += 1
    while i < len(lines) and _HEADER_FIELD.match(lines[i]):
        i += 1
        # a long To:/Cc: list wraps onto indented continuation lines
        while i < len(lines) and lines[i][:1] in (" ", "\t") and lines[i].strip():
            i += 1
    cover = lines[:start]
    while cover and not cover[-1].strip(" \t_-"):  # Outlook's "_____" rule above the headers
        cover.pop()
    return cover, lines[i:]


# --- Legal disclaimers --------------------------------------------------------------

_DISCLAIMER_PHRASES = [
    # "This e-mail (and any attachments) is/are confidential / intended solely …"
    re.compile(
        r"\bthis (?:e-?mail|message|communication)\b.{0,80}?\b(?:is|are|may be)\b.{0,40}?"
        r"\b(?:confidential|privileged|intended (?:solely|only))",
        re.IGNORECASE | re.DOTALL,
    ),
    # "If you have received this e-mail in error …" / "If you are not the intended recipient …"
    re.compile(
        r"\bif you (?:have )?received this (?:e-?mail|message|communication)\b.{0,30}?\bin error"
        r"|\bif you are not the (?:intended )?(?:recipient|addressee)",
        re.IGNORECASE | re.DOTALL,
    ),
    # "… intended solely for the use of the addressee / individual or entity …"
    re.compile(
        r"\bintended (?:solely |only )?for the (?:use of the )?"
        r"(?:addressee|intended recipient|individual|named recipient)",
        re.IGNORECASE,
    ),
    # "… checked/scanned for viruses …", "… no liability for any virus …"
    re.compile(
        r"\b(?:scanned|checked|swept|free)\b.{0,40}?\bviru(?:s|ses)\b"
        r"|\bviru(?:s|ses)\b.{0,60}?\b(?:liability|responsibility|scanned|checked|free)\b",
        re.IGNORECASE | re.DOTALL,
    ),
    # "Views expressed … are those of the author and do not necessarily represent …"
    re.compile(
        r"\bviews (?:or opinions )?expressed\b.{0,120}?\bnot necessarily\b",
        re.IGNORECASE | re.DOTALL,
    ),
]
_DISCLAIMER_HEADING = re.compile(
    r"^\W*(?:confidentiality|legal|e-?mail)?\s*(?:notice|disclaimer|statement)\W*$",
    re.IGNORECASE,
)
_MAX_DISCLAIMER_CHARS = 2000


def _is_disclaimer(paragraph: str) -> bool:
    """True for a confidentiality-notice paragraph (or its "Disclaimer:" heading).

    Rationale: organisations' mail servers append a notice that is not part
    of the response and would otherwise be coded ("confidential", "virus").
    A paragraph counts when it uses one of a few phrases such notices share
    (confidential/intended solely for the addressee, received in error, not the
    intended recipient, scanned for viruses, views expressed are not
    necessarily …), not one exact sentence; and it must be under 2,000
    characters, since a notice is short while a response that discusses
    confidentiality at length is not a notice.
    """
    if len(paragraph) > _MAX_DISCLAIMER_CHARS:
        return False
    if _DISCLAIMER_HEADING.match(paragraph.strip()):
        return True
    return any(p.search(paragraph) for p in _DISCLAIMER_PHRASES)


def _drop_trailing_disclaimers(text: str) -> tuple[str, int]:
    """Remove disclaimer paragraphs from the end of ``text``: ``(text, paragraphs removed)``.

    Rationale: notices are appended after the message, so only the trailing
    run of disclaimer paragraphs is removed; a sentence about confidentiality
    in the middle of an answer is the respondent's own words and stays.
    """
    paragraphs = re.split(r"\n[ \t]*\n", text.strip())
    removed = 0
    while paragraphs and _is_disclaimer(paragraphs[-1]):
        paragraphs.pop()
        removed += 1
    return "\n\n".join(paragraphs), removed


def clean_body(
    text: str, forwarded: bool = False, keep_signature: bool = False
) -> tuple[str, list[str]]:
    """The respondent's own words in a message body: ``(text, notes)``.

    In order: keep a forwarded message (``_forward_parts``: the sender's
    cover note, then the forwarded text without its header block, each
    cleaned by these rules); cut at a quoted earlier message
    (``_quote_start``); drop lines quoted with ">" (a reply's interleaved
    quoting); cut at the signature delimiter "-- " (RFC 3676; clients that
    strip the trailing space leave "--", also accepted); drop trailing legal
    disclaimers (``_drop_trailing_disclaimers``). Sign-offs without a
    delimiter ("Kind regards, …") are left to segmentation. ``forwarded``
    (the Subject starts "FW:"/"Fwd:") says an Outlook header block or
    "Original Message" rule introduces a forwarded message, not a quote.
    ``keep_signature`` drops only the "-- " delimiter line and keeps the block
    below it (a covering note is read for who sent it, ``cover_note``).
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    parts = _forward_parts(lines, forwarded)
    if parts is not None:
        cover, inner = parts
        cover_text, notes = clean_body("\n".join(cover), keep_signature=keep_signature)
        inner_text, inner_notes = clean_body("\n".join(inner), keep_signature=keep_signature)
        notes += ["forwarded message kept"] + [f"forwarded message: {n}" for n in inner_notes]
        return "\n\n".join(t for t in (cover_text.strip(), inner_text.strip()) if t), notes
    notes: list[str] = []
    cut = _quote_start(lines)
    if cut is not None:
        lines = lines[:cut]
        notes.append("quoted earlier message removed")
    kept = [line for line in lines if not line.lstrip().startswith(">")]
    if len(kept) < len(lines):
        notes.append(f"{len(lines) - len(kept)} quoted line(s) removed")
    lines = kept
    sig = next((i for i, line in enumerate(lines) if _SIGNATURE.match(line)), None)
    if keep_signature:
        lines = [line for line in lines if not _SIGNATURE.match(line)]
    elif sig is not None:
        lines = lines[:sig]
        notes.append("signature removed")
    body, removed = _drop_trailing_disclaimers("\n".join(lines))
    if removed:
        notes.append("legal disclaimer removed")
    return body, notes
