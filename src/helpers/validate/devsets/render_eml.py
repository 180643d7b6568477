"""E-mail ``.eml`` drawn from a source with the standard library's ``email`` package.

The message has fixed headers (From, To, Subject, Date, Message-ID, and the
MIME boundary), so the same source gives the same bytes. Two shapes:

- the answers in the body: the source's blocks as plain text (``headed`` or
  ``letter`` layout), preamble first;
- the answers attached (``attachment: {format, layout}``): a short covering
  note ("Please find attached …", or ``email.body``) and the response file
  rendered in the attachment's format;
- both (``attachment: {questions: [...]}``): the preamble, the other answers
  and the closing in the body, only the listed answers in the attached file.

Then, as real mail has them, optional extras the reader must strip: a
signature after the ``-- `` line, an organisation's legal disclaimer, and a
quoted earlier message ("On <date>, <name> wrote:" and ``> `` lines).
"""

from __future__ import annotations

from collections.abc import Callable
from email import policy
from email.message import EmailMessage

from helpers.validate.devsets.layout import Block
from helpers.validate.devsets.render_text import render_txt
from helpers.validate.devsets.sources import Email, Source

__all__ = ["DEFAULT_COVER", "MIME_TYPES", "attachment_name", "render_eml"]

DEFAULT_COVER = "Please find attached our response to the consultation."
MIME_TYPES = {
    "txt": ("text", "plain"),
    "md": ("text", "markdown"),
    "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "odt": ("application", "vnd.oasis.opendocument.text"),
    "rtf": ("application", "rtf"),
    "html": ("text", "html"),
    "pdf": ("application", "pdf"),
}
QUOTE_INTRO = "On Mon, 26 Sep 2022 at 10:00, Consultation team <consultation@example.gov.uk> wrote:"


def attachment_name(source: Source) -> str:
    att = source.attachment
    assert att is not None
    return att.filename or f"{source.id}-response.{att.format}"


def _extras(email: Email) -> list[str]:
    parts = []
    if email.signature:
        parts.append("-- \n" + email.signature.strip())
    if email.disclaimer:
        parts.append(email.disclaimer.strip())
    if email.quoted:
        quoted = "\n".join(("> " + line).rstrip() for line in email.quoted.strip().split("\n"))
        parts.append(QUOTE_INTRO + "\n" + quoted)
    return parts


def render_eml(
    source: Source,
    blocks: list[Block],
    render_attachment: Callable[[], bytes] | None = None,
) -> bytes:
    """The message bytes; ``render_attachment`` gives the attached file when the source has one."""
    email = source.email or Email()
    msg = EmailMessage(policy=policy.default)
    msg["From"] = email.sender
    msg["To"] = email.to
    msg["Subject"] = email.subject
    msg["Date"] = email.date
    msg["Message-ID"] = f"<{source.id}@devset.example.org>"
    if email.organization:
        msg["Organization"] = email.organization
    if source.attachment is not None and not source.attachment.questions:
        body = [(email.body or DEFAULT_COVER).strip()]
    else:
        body = [render_txt(blocks).decode("utf-8").strip()]
    text = "\n\n".join(body + _extras(email)) + "\n"
    msg.set_content(text, charset="utf-8", cte="quoted-printable" if not text.isascii() else "7bit")
    if source.attachment is not None and render_attachment is not None:
        maintype, subtype = MIME_TYPES[source.attachment.format]
        data = render_attachment()
        if maintype == "text":
            msg.add_attachment(
                data.decode("utf-8"),
                subtype=subtype,
                filename=attachment_name(source),
                cte="base64",
            )
        else:
            msg.add_attachment(data, maintype, subtype, filename=attachment_name(source))
        msg.set_boundary(f"==devset-{source.id}==")
    return msg.as_bytes(policy=policy.default.clone(linesep="\n"))
