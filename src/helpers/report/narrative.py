"""Number-aware wording for reports: every sentence is generated from counts.

Consultation reports are read by non-specialists and often rest on small
numbers, so counts are written the way a careful analyst would write them:
'both respondents', 'all three respondents', 'a majority (3 of 5)', 'half of
respondents (2 of 4)', 'one respondent', 'no respondent'. Small numbers are
words (one to nine), larger ones digits, following common UK government style.
Lists join with 'and' and no serial comma ('Become, ACRCG and Barnardo's').
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from helpers.core.formatting import format_percent as format_percent  # re-exported for the prose

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_CARDINALS = ("zero",) + _WORDS[1:]


def number_word(n: int, zero: str = "no") -> str:
    """``n`` as a word for 0-9 ('three'), as digits from 10 ('12').

    ``zero`` is the word used for 0 ('no' for 'no respondent', or 'zero').
    """
    n = int(n)
    if n < 0:
        raise ValueError(f"number_word: counts cannot be negative, got {n}")
    if n == 0:
        return zero
    return _WORDS[n] if n < 10 else str(n)


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """The noun form for a count: plural('respondent', 1) -> 'respondent'."""
    if int(n) == 1:
        return singular
    if plural_form is not None:
        return plural_form
    # 'local authority' -> 'local authorities', 'professional body' -> 'professional bodies'.
    if len(singular) > 1 and singular.endswith("y") and singular[-2] not in "aeiou":
        return singular[:-1] + "ies"
    return singular + "s"


def count_noun(n: int, singular: str, plural_form: str | None = None) -> str:
    """'no respondent', 'one respondent', 'two respondents', '12 respondents'."""
    n = int(n)
    noun = singular if n == 0 else plural(n, singular, plural_form)
    return f"{number_word(n)} {noun}"


def verb(subject_count: int, singular: str, plural_form: str) -> str:
    """The verb agreeing with a subject of ``subject_count`` things.

    Zero takes the singular ('no respondent was'), as does one; more take the plural.
    """
    return singular if int(subject_count) <= 1 else plural_form


def join_list(items: Iterable[str], conjunction: str = "and") -> str:
    """'A', 'A and B', 'A, B and C' (no serial comma); '' for an empty list."""
    items = [str(i) for i in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def capitalise(text: str) -> str:
    """Upper-case the first character only ('a majority' -> 'A majority')."""
    return text[:1].upper() + text[1:] if text else text


def share_phrase(k: int, n: int, noun: str = "respondent", plural_form: str | None = None) -> str:
    """Describe k of n people as a noun phrase, for use as a sentence subject.

    >>> share_phrase(2, 2)
    'both respondents'
    >>> share_phrase(3, 5)
    'a majority (3 of 5)'
    """
    k, n = int(k), int(n)
    if k < 0 or n < 0 or k > n:
        raise ValueError(f"share_phrase: need 0 <= k <= n, got k={k}, n={n}")
    nouns = plural(2, noun, plural_form)
    if k == 0:
        return f"no {noun}"
    if k == n:
        if n == 1:
            return f"the only {noun}"
        if n == 2:
            return f"both {nouns}"
        return f"all {number_word(n)} {nouns}"
    if 2 * k == n:
        return f"half of {nouns} ({k} of {n})"
    if 2 * k > n:
        return f"a majority ({k} of {n})"
    if k == 1:
        return f"one {noun}"
    return f"a minority ({k} of {n})"


def share_brief(k: int, n: int, noun: str = "respondent") -> str:
    """A compact k-of-n phrase for brackets: 'both respondents', 'three of five respondents'."""
    k, n = int(k), int(n)
    if k == n or k == 0:
        return share_phrase(k, n, noun)
    return f"{number_word(k)} of {number_word(n)} {plural(n, noun)}"


def share_is_plural(k: int, n: int) -> bool:
    """Whether the phrase from share_phrase(k, n) takes a plural verb.

    'no respondent was', 'one respondent was', 'the only respondent was',
    but 'both respondents were', 'a majority (3 of 5) were'.
    """
    return int(k) >= 2


def share_verb(k: int, n: int, singular: str, plural_form: str) -> str:
    """The verb form agreeing with share_phrase(k, n)."""
    return plural_form if share_is_plural(k, n) else singular


# The five-point scale collapsed into the three groups a summary reports.
_AGREE = ("strongly_agree", "agree")
_DISAGREE = ("strongly_disagree", "disagree")


def stance_sentence(
    counts: Mapping[str, int],
    names: Mapping[str, Iterable[str]] | None = None,
    noun: str = "respondent",
) -> str:
    """One or two sentences summarising a closed question's stance counts.

    ``counts`` maps stance (schemas.STANCES) to number of respondents; the
    base is those who gave a view on the five-point scale, and ``dont_know``
    and ``not_answered`` are reported after it, outside the base.
    ``names`` optionally maps 'agree'/'disagree'/'neither' to the attributions
    of the respondents in that group, which are then named in brackets
    (use only when respondents are few and may be named).

    >>> stance_sentence({"strongly_agree": 1, "agree": 1})
    'Both respondents who answered agreed (one strongly).'
    """
    c = {k: int(v) for k, v in counts.items()}
    sa, a = c.get("strongly_agree", 0), c.get("agree", 0)
    sd, d = c.get("strongly_disagree", 0), c.get("disagree", 0)
    neither, missing = c.get("neither", 0), c.get("not_answered", 0)
    dont_know = c.get("dont_know", 0)
    n = sa + a + sd + d + neither
    if n == 0 and dont_know:
        text = f"No {noun} gave a view"
    elif n == 0:
        if missing == 1:
            return f"The only {noun} did not answer this question."
        if missing > 1:
            return f"None of the {count_noun(missing, noun)} answered this question."
        return f"No {noun} answered this question."
    else:
        groups = [
            ("agree", sa + a, "agreed", sa),
            ("disagree", sd + d, "disagreed", sd),
            ("neither", neither, "neither agreed nor disagreed", 0),
        ]
        # Largest group first; ties keep agree, disagree, neither order.
        groups = sorted((g for g in groups if g[1] > 0), key=lambda g: -g[1])
        clauses = []
        for i, (key, k, verb_text, strong) in enumerate(groups):
            subject = share_phrase(k, n, noun)
            who = "who gave a view" if dont_know else "who answered"
            if i == 0 and k == n and n > 1:
                subject += f" {who}"
            elif i == 0 and k == n:
                subject = f"the only {noun} {who}"
            elif i > 0:
                # Later clauses: plain counts read better than a second 'minority'.
                subject = number_word(k)
            detail = ""
            if strong and strong == k:
                verb_text = f"strongly {verb_text}"
            elif strong:
                detail = f" ({number_word(strong)} strongly)"
            if names and names.get(key):
                who = join_list(names[key])
                # Fold names into an existing bracket rather than nesting brackets.
                if subject.endswith(")"):
                    subject = f"{subject[:-1]}: {who})"
                else:
                    subject = f"{subject} ({who})"
            clauses.append(f"{subject} {verb_text}{detail}")
        if len(clauses) == 1:
            text = capitalise(clauses[0]) + "."
        else:
            text = capitalise("; ".join(clauses[:-1]) + " and " + clauses[-1]) + "."
    if dont_know:
        if n == 0:
            text += f": {count_noun(dont_know, noun)} said they did not know."
        else:
            text += f" {capitalise(count_noun(dont_know, noun))} said they did not know."
    if missing:
        text += f" {capitalise(count_noun(missing, noun))} did not answer this question."
    return text


def theme_sentence(label: str, k: int, n: int, mentions: int | None = None) -> str:
    """How many of those answering a question raised a theme.

    >>> theme_sentence("Housing", 2, 2, 5)
    'Housing was raised by both respondents who answered this question (5 mentions).'
    """
    k, n = int(k), int(n)
    if n == 0:
        return f"{label}: no respondent answered this question."
    if k == 0:
        return f"{label} was not raised by any of the {count_noun(n, 'respondent')} who answered this question."
    if k == n:
        subject = share_phrase(k, n) + " who answered this question"
        if n == 1:
            subject = "the only respondent who answered this question"
    elif k == 1:
        subject = f"one of the {count_noun(n, 'respondent')} who answered this question"
    else:
        subject = share_phrase(k, n) + " of those who answered this question"
    tail = ""
    if mentions is not None and mentions > 0:
        tail = f" ({count_noun(mentions, 'mention')})" if mentions != 1 else " (one mention)"
    return f"{label} was raised by {subject}{tail}."


def ranked_themes_sentence(items: Iterable[tuple[str, int]], n: int, limit: int = 3) -> str:
    """'The themes raised most often were A (both respondents), B (one respondent) and C (…).'

    ``items`` are (label, respondents raising it) in descending order; themes
    raised by no one are skipped.
    """
    shown = [(label, int(k)) for label, k in items if int(k) > 0][:limit]
    if not shown:
        return "No theme in the codebook was identified in the answers to this question."
    parts = [f"{label} ({share_brief(k, n)})" for label, k in shown]
    if len(parts) == 1:
        return f"The only theme identified was {parts[0]}."
    return f"The themes raised most often were {join_list(parts)}."
