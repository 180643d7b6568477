"""E-mail (.eml): the message body, or the response attached to it.

Parsed with the standard library (``email.parser.BytesParser`` with
``email.policy.default``); nothing in a message is followed or fetched.

- **Body**: the text/plain part, else the text/html part reduced to its
  visible text (BeautifulSoup, ``html.parser``). Quoted earlier messages,
  the signature and trailing legal disclaimers are removed (``clean_body``).
- **Attachments** are read by the registry's document readers (passed in as
  ``read_attachment``, so this module does not import the registry), which
  apply the same limits as a file in the folder. When the body only points to
  the attachment ("please find attached", or a short covering note) the
  attachment is the response; a substantive body is kept, followed by the
  attachment(s). Several readable attachments are joined in order with a
  blank line. An attachment that is not read is noted, never fatal.
- **Metadata**: only the ``Organization`` header (or a From display name
  that names an organisation) is kept, as the document's organisation. The sender's name and address are personal data and are
  stored nowhere; the sender's address is also removed from the text. The
  Subject is not part of the answer.
- **Covering note**: when the attachment is the response, the body it
  replaces (signature block included, quotes and disclaimers removed) is
  kept apart as ``MailRead.cover_note``, read only for who wrote it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import PurePath

from bs4 import BeautifulSoup
from bs4.element import NavigableString, PageElement, PreformattedString, Tag

from helpers.ingest.names import is_person, organisation_name
from helpers.ingest.readers.base import ReadError
from helpers.ingest.readers.mail_body import FORWARD_RULE, FORWARD_SUBJECT, clean_body
from helpers.ingest.readers.mail_signature import signature_organisation
from helpers.ingest.textnorm import Cue, normalise

__all__ = ["AttachmentReader", "MailRead", "clean_body", "html_to_text", "read_eml", "read_mail"]

# (bytes, attachment file name, name for messages) → (text, cues, notes), or None
# when the file type is not read.
AttachmentReader = Callable[[bytes, str, str], tuple[str, list[Cue], list[str]] | None]

# --- HTML and attachments ------------------------------------------------------------

_SKIP_TAGS = {"script", "style", "head", "title", "blockquote", "template", "noscript"}
_BLOCK_TAGS = {
    "p", "div", "li", "tr", "table", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "pre", "section", "article", "header", "footer",
}  # fmt: skip


def html_to_text(html: str) -> str:
    """The visible text of an HTML body: paragraphs and line breaks kept, markup dropped.

    Scripts, styles and the head are skipped; links keep their text only (no
    address is followed). A quoted reply in Gmail/Outlook HTML
    (``blockquote``, ``gmail_quote``) is skipped with it. The parsed tree is
    walked once, iteratively, without editing it: editing a deeply nested
    tree in BeautifulSoup costs time in proportion to its depth per edit.
    """
    soup = BeautifulSoup(html, "html.parser")
    out: list[str] = []
    stack: list[tuple[PageElement, bool]] = [(soup, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            out.append("\n\n")
        elif isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):  # comments, doctype, CDATA
                out.append(str(node))
        elif isinstance(node, Tag) and not _skipped(node):
            if node.name == "br":
                out.append("\n")
                continue
            if node.name in _BLOCK_TAGS:
                out.append("\n\n")
                stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
    return "".join(out)


def _skipped(tag: Tag) -> bool:
    """True for a tag whose text is not the respondent's visible words."""
    if tag.name in _SKIP_TAGS:
        return True
    classes = tag.get("class") or []
    if "gmail_quote" in classes:
        # Gmail wraps a forwarded message in the same div as a quote: keep a forward.
        # Only the first 50 nodes are looked at, so nested divs cost linear time.
        first = next(
            (
                str(n).strip()
                for n in itertools.islice(tag.descendants, 50)
                if isinstance(n, NavigableString) and str(n).strip()
            ),
            "",
        )
        return not FORWARD_RULE.match(first)
    return tag.get("id") in ("divRplyFwdMsg", "appendonsend")


def _content(part: Message) -> str:
    """A text part's content, decoded; an unknown or wrong charset falls back to UTF-8."""
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except (LookupError, ValueError, TypeError, AttributeError, KeyError):
        pass
    payload = part.get_payload(decode=True)
    return payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""


_POINTER = re.compile(
    r"\b(?:please\s+(?:find|see)\s+(?:\w+\s+){0,3}(?:attached|enclosed)"
    r"|see\s+(?:the\s+)?attached"
    r"|attached\s+(?:is|are|please\s+find)"
    r"|(?:i|we)(?:\s+have)?\s+attached"
    r"|(?:i|we)\s+attach"
    r"|(?:is|are)\s+attached)\b",
    re.IGNORECASE,
)
_SHORT_NOTE_WORDS = 40  # a covering note: "Dear …, our response to the consultation. Regards"
_POINTER_NOTE_WORDS = 120  # a note that says the response is attached


def body_points_to_attachment(body: str) -> bool:
    """True when the body is a covering note for an attached response.

    Rationale: a body under 40 words beside a readable attachment is a
    covering note whatever it says; up to 120 words, it is one when it says the
    response is attached ("please find attached", "see attached", "attached is
    our response", "we attach"). A longer body is a response in its own right
    and is kept before the attachment.
    """
    words = len(body.split())
    return words < _SHORT_NOTE_WORDS or (
        words < _POINTER_NOTE_WORDS and bool(_POINTER.search(body))
    )


def _attachments(msg: EmailMessage, body_part: Message | None) -> list[tuple[str, bytes]]:
    """``(file name, bytes)`` of every part with a file name, in order, except the body."""
    out = []
    for part in msg.walk():
        if part is body_part or part.is_multipart():
            continue
        filename = part.get_filename()
        if not filename:
            continue
        payload = part.get_payload(decode=True)
        out.append((PurePath(filename.replace("\\", "/")).name or "attachment", payload or b""))
    return out


def _organisation(msg: EmailMessage, body: str = "") -> str | None:
    """The Organization header's value, without any e-mail address, or None.

    Without that header, the From display name when it names an organisation
    rather than a person ("Northshire County Council <consult@…>": a name
    with an organisation noun, ``names.organisation_name``), else a line of
    the body that the sender's own mail domain spells (``domain_signature``).
    A person's name is personal data and is not kept.
    """
    value = msg.get("Organization") or msg.get("Organisation")
    if value is None:
        pairs = getaddresses([str(msg.get("From") or "")])
        names = [n for n, _ in pairs if n]
        if names and (org := organisation_name(names[0])):
            return org
        address = next((a for _, a in pairs if "@" in a), "")
        return domain_signature(body, address) or signature_organisation(body)
    words = [w for w in str(value).split() if "@" not in w]
    org = " ".join(words).strip(" <>\"',;")
    return org[:200] or None


_SQUASH = re.compile(r"[^a-z0-9]+")
# Between a signature line's parts: "Job title, Organisation", "Name | Organisation".
_SIGNATURE_PARTS = re.compile(r"\s*(?:,|\||\s[-–—]\s|[–—])\s*")


def domain_signature(body: str, address: str) -> str | None:
    """A short line of ``body`` that the sender's mail domain spells, as an organisation, or None.

    A small business or group often has no Organization header and no
    organisation noun in its name, but writes from its own domain and signs
    with its name: "rosie@bridgestreetpantry.co.uk" above "Rosie / The
    Bridge Street Pantry". A line whose letters and digits (without a
    leading "The" and a trailing "Ltd"/"Limited") are the domain's first
    label is that name. Free mail domains ("gmail") spell no sign-off line.
    A line that reads as a person's name of one or two words is never
    taken ("Jane Smith" at janesmith.net is a person's own domain); quoted
    lines ("> …") are an earlier message's.
    """
    domain = address.rpartition("@")[2].lower()
    label = _SQUASH.sub("", domain.split(".")[0]) if domain else ""
    if len(label) < 4:
        return None
    for raw in body.splitlines()[-200:]:
        raw = " ".join(raw.split()).strip(" ,;-–—")
        if not raw or len(raw) > 80 or raw.startswith(">") or "@" in raw:
            continue
        # The whole line, then its parts: "Registered Manager, Harbourlight Fostering Ltd"
        # (session 14, ofsted-docs-16: a job title before the name on one line).
        for line in dict.fromkeys([raw, *(p for p in _SIGNATURE_PARTS.split(raw) if p)]):
            if len(line) > 60:
                continue
            core = re.sub(r"^the\s+|\s+(?:ltd|limited)\.?$", "", line, flags=re.IGNORECASE)
            if _SQUASH.sub("", core.lower()) != label:
                continue
            if core == line and len(core.split()) <= 2 and is_person(core):
                continue  # "Jane Smith": no "The" or "Ltd" to say it is not a person
            return line[:200]
    return None


def _redact_addresses(text: str, msg: EmailMessage) -> tuple[str, bool]:
    """Remove the sender's own address(es) (From, Sender, Reply-To) from ``text``."""
    fields = [str(msg.get(h)) for h in ("From", "Sender", "Reply-To") if msg.get(h) is not None]
    addresses = {addr for _, addr in getaddresses(fields) if "@" in addr}
    changed = False
    for addr in sorted(addresses, key=len, reverse=True):
        pattern = re.compile(r"<?" + re.escape(addr) + r">?", re.IGNORECASE)
        text, n = pattern.subn("[address removed]", text)
        changed = changed or n > 0
    return text, changed


def cover_note(raw: str) -> str:
    """The covering note as written, signature block included, for telling who sent it.

    Rationale: a note that only says "please find attached" is dropped from
    the answer, but its signature is often the one place the sender's
    organisation and what it is are named ("Head of Policy, X Trust",
    "Registered charity no. …"). Quoted earlier messages, ">" lines and
    trailing legal disclaimers are removed as from a body (``clean_body``);
    the "-- " signature delimiter is not a cut here.
    """
    text, _notes = clean_body(raw, keep_signature=True)
    return normalise(text).strip()


@dataclass(frozen=True)
class MailRead:
    """What ``read_mail`` finds in a message.

    ``cover_note`` is the covering note when an attachment is the response
    (else None): metadata for authorship only, never part of ``text``.
    """

    text: str
    cues: list[Cue]
    encoding: str | None
    notes: list[str]
    organisation: str | None
    cover_note: str | None = None


def read_eml(
    data: bytes, name: str, read_attachment: AttachmentReader
) -> tuple[str, list[Cue], str | None, list[str], str | None]:
    """Read an .eml file: ``(text, cues, body charset, notes, organisation or None)``.

    The same as ``read_mail`` without the covering note.
    """
    r = read_mail(data, name, read_attachment)
    return r.text, r.cues, r.encoding, r.notes, r.organisation


def read_mail(data: bytes, name: str, read_attachment: AttachmentReader) -> MailRead:
    """Read an .eml file: its text, cues, body charset, notes, organisation and covering note.

    ``read_attachment`` reads one attachment's bytes with the registry's
    readers (and limits), returning None for a type that is not read; its
    ReadError is noted and the message is read without that attachment.
    Raises ReadError naming the file when the bytes are not an e-mail (no
    headers) — with no text, as the message says.
    """
    msg = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(msg, EmailMessage)
    if not msg.keys():
        raise ReadError(
            f"{name}: no text found in the file: it does not parse as an e-mail "
            "(no message headers); check it is a saved e-mail (.eml)"
        )
    notes: list[str] = []
    body_part = msg.get_body(preferencelist=("plain", "html"))
    body, encoding, raw = "", None, ""
    if body_part is not None:
        raw = _content(body_part)
        encoding = body_part.get_content_charset()
        if body_part.get_content_subtype() == "html":
            raw = html_to_text(raw)
            notes.append("HTML body converted to text")
        body, body_notes = clean_body(
            raw, bool(FORWARD_SUBJECT.match(str(msg.get("Subject") or "")))
        )
        notes += body_notes
        body = normalise(body)
    texts: list[tuple[str, list[Cue]]] = []
    for filename, payload in _attachments(msg, body_part):
        where = f"{name} (attachment {filename})"
        if not payload:
            notes.append(f"attachment {filename} not read: empty")
            continue
        try:
            read = read_attachment(payload, filename, where)
        except ReadError as exc:
            notes.append(f"attachment {filename} not read: {exc}")
            continue
        if read is None:
            notes.append(f"attachment {filename} not read: file type not supported")
            continue
        text, cues, att_notes = read
        if not text.strip():
            notes.append(f"attachment {filename} not read: no text found")
            continue
        texts.append((text, cues))
        notes.append(f"attachment {filename} read")
        notes += [f"attachment {filename}: {n}" for n in att_notes]
    note = None
    if texts and body_points_to_attachment(body):
        if body:
            notes.append("covering note in the body not used: the attachment is the response")
            note = _redact_addresses(cover_note(raw), msg)[0] or None
        body, encoding = "", None  # the body's charset no longer describes the text
    parts = ([(body, [])] if body.strip() else []) + texts
    out, out_cues, redacted = "", [], False
    for text, cues in parts:
        text, changed = _redact_addresses(text, msg)
        if changed:
            redacted, cues = True, []  # offsets moved; cues are hints only
        offset = len(out) + (2 if out else 0)
        out = f"{out}\n\n{text}" if out else text
        out_cues += [(s + offset, e + offset, k) for s, e, k in cues]
    if redacted:
        notes.append("sender's e-mail address removed from the text")
    # The whole body as sent (signature block included) is read for the sender's name.
    return MailRead(out, out_cues, encoding, notes, _organisation(msg, raw), note)
