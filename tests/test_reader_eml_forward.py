"""Forwarded e-mails: the forwarded message is the response; a reply's quote is not.

Messages are built with the standard library's ``email`` package in the
plain-text and HTML styles of Gmail, Outlook and Apple Mail, and read with
``read_eml``; the negatives are replies whose quoted earlier message must
still be dropped.
"""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from helpers.ingest.readers.mail import read_eml

ANSWER = (
    "The new crossing outside the library has made the walk to school much safer.\n\n"
    "Please keep the lower speed limit on Elm Grove."
)


def _eml(subject: str, body: str, html: bool = False) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Ward Office <ward.office@example.net>"
    msg["To"] = "survey@example.gov.uk"
    msg["Subject"] = subject
    msg.set_content(body, subtype="html" if html else "plain")
    return bytes(msg)


def _read(subject: str, body: str, html: bool = False) -> tuple[str, list[str]]:
    text, _, _, notes, _ = read_eml(_eml(subject, body, html), "m.eml", lambda *a: None)
    return text, notes


COVER = "Passing this on at the resident's request.\n\n"
GMAIL = (
    COVER + "---------- Forwarded message ---------\n"
    "From: Priya Lal <priya@example.com>\n"
    "Date: Tue, 3 Mar 2026 at 19:02\n"
    "Subject: my comments\n"
    "To: <ward.office@example.net>\n\n" + ANSWER + "\n"
)
OUTLOOK = (
    COVER + "________________________________\n"
    "From: Priya Lal <priya@example.com>\n"
    "Sent: 03 March 2026 19:02\n"
    "To: Ward Office <ward.office@example.net>,\n"
    "    Another Person <another@example.net>\n"
    "Subject: my comments\n\n" + ANSWER + "\n"
)
OUTLOOK_RULE = (
    COVER + "-----Original Message-----\n"
    "From: Priya Lal\nSent: Tuesday, March 3, 2026 7:02 PM\nTo: Ward Office\n"
    "Subject: my comments\n\n" + ANSWER + "\n"
)
APPLE = (
    COVER + "Begin forwarded message:\n\n"
    "From: Priya Lal <priya@example.com>\n"
    "Subject: my comments\n"
    "Date: 3 March 2026 at 19:02:11 GMT\n"
    "To: ward.office@example.net\n\n" + ANSWER + "\n"
)


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Fwd: my comments", GMAIL),
        ("FW: my comments", OUTLOOK),
        ("FW: my comments", OUTLOOK_RULE),
        ("Fwd: my comments", APPLE),
        # The Gmail and Apple rules say "forwarded" whatever the subject says.
        ("Comments from a resident", GMAIL),
        ("Comments from a resident", APPLE),
    ],
)
def test_forwarded_message_is_kept_without_its_headers(subject: str, body: str) -> None:
    text, notes = _read(subject, body)
    assert text == "Passing this on at the resident's request.\n\n" + ANSWER
    assert "priya" not in text.lower() and "subject:" not in text.lower()
    assert "forwarded message kept" in notes


def test_gmail_html_forward_is_kept() -> None:
    html = (
        "<div dir='ltr'>Passing this on.<br><br>"
        "<div class='gmail_quote'><div dir='ltr' class='gmail_attr'>"
        "---------- Forwarded message ---------<br>From: Priya Lal &lt;priya@example.com&gt;"
        "<br>Date: Tue, 3 Mar 2026<br>Subject: my comments<br>To: ward.office@example.net"
        "<br></div><br><br><div dir='ltr'>Please keep the lower speed limit on Elm Grove."
        "</div></div></div>"
    )
    text, _ = _read("Fwd: my comments", html, html=True)
    assert "Please keep the lower speed limit on Elm Grove." in text
    assert "Passing this on." in text and "priya" not in text.lower()


def test_forwarded_message_loses_its_own_quote_and_signature() -> None:
    body = (
        "---------- Forwarded message ---------\nFrom: Priya Lal\nDate: today\n\n"
        "I agree with the closure.\n\n-- \nPriya\n\n"
        "On Mon, 2 Mar 2026, Council <c@example.gov.uk> wrote:\n> Tell us what you think."
    )
    text, _ = _read("Fwd: closure", body)
    assert text == "I agree with the closure."


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        # Outlook reply: the header block under the reply is the earlier message.
        (
            "RE: my comments",
            "We object to the closure.\n\nFrom: Survey Team\nSent: 2 March 2026\n"
            "To: Ward Office\nSubject: my comments\n\nPlease reply by Friday.",
        ),
        # A Gmail reply: "On … wrote:" then ">" lines.
        (
            "Re: my comments",
            "We object to the closure.\n\nOn Mon, 2 Mar 2026 at 09:00, Survey Team "
            "<s@example.gov.uk> wrote:\n> Please reply by Friday.\n> Thanks",
        ),
        # A reply whose quote comes before any forward rule further down stays a reply.
        (
            "Re: Fwd: my comments",
            "We object to the closure.\n\nOn 2 Mar 2026, Survey Team wrote:\n"
            "> ---------- Forwarded message ---------\n> Please reply by Friday.",
        ),
    ],
)
def test_reply_still_drops_the_quoted_message(subject: str, body: str) -> None:
    text, notes = _read(subject, body)
    assert text == "We object to the closure."
    assert "forwarded message kept" not in notes
