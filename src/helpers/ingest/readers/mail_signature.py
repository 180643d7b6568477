"""An e-mail's "-- " signature block as evidence of who sent it (session 21).

Kept apart from ``mail`` (already past 500 lines): ``mail._organisation`` asks
:func:`signature_organisation` when the message has no Organization header, the From
name is a person's and no line spells the sender's domain.
"""

from __future__ import annotations

import re

from helpers.core.consultation import default_respondent_types
from helpers.ingest.authorship import voice
from helpers.ingest.names import org_noun, type_noun, whole
from helpers.ingest.signoff import _sign_off_names

__all__ = ["SIGNATURE_DELIMITER", "signature_organisation"]

# The signature delimiter line ("-- ", RFC 3676; "--" when a mailer trims the space). One
# pattern for the reader, which cuts the signature off the body at it (``mail``), and for
# :func:`signature_organisation`, which reads the block after it (session 22: the two had
# their own patterns, the reader's without a tab; no spent message has a "--<tab>" line).
SIGNATURE_DELIMITER = re.compile(r"^-- ?$")


def signature_organisation(body: str) -> str | None:
    """The organisation a "-- " signature block names, for a message written as "we", or None.

    Session 21 (batch 23, unseen): "We support the separate judgement. … -- / Sunil Mistry /
    Headteacher, Virtual School for Children in Care / Harlow Vale County Council" then a
    legal disclaimer: a council officer's message with no Organization header, a person's
    From name and no domain line (``domain_signature``), so nothing named the council. The
    lines after the last signature delimiter ("-- ", RFC 3676), up to six and up to the first
    line of more than twelve words (a disclaimer), are read as a letter's sign-off
    (``signoff._sign_off_names``: a name with an organisation noun, or one after a job
    title); a name with a respondent type's word is preferred. As for a letter's sign-off
    (``authorship.find_authorship``), a message written as "I" (at least two "I/my" and
    more than "we/our") names the signer's employer, not the author, and gives None; so does
    a message stating a personal capacity or role ("my views as a foster carer": a carer
    signing with her fostering service's name, ofsted-docs).
    """
    lines = body.splitlines()
    cut = max((i for i, ln in enumerate(lines) if SIGNATURE_DELIMITER.match(ln)), default=None)
    if cut is None:
        return None
    message = "\n".join(lines[:cut])
    singular, plural = voice(message)
    if singular >= 2 and singular > plural:
        return None
    if any(whole(key).search(message) for key in ("personal_capacity", "personal_role")):
        return None  # "my views as a foster carer": a person signing with their service's name
    block: list[str] = []
    for line in lines[cut + 1 :]:
        if not line.strip():
            continue
        if len(line.split()) > 12 or len(block) == 6:
            break
        block.append(line.strip())
    rules = default_respondent_types()
    orgs, _person = _sign_off_names(block, org_noun(rules))
    typed = [o for o in orgs if type_noun(rules).search(o)]
    return (typed or orgs or [None])[0]
