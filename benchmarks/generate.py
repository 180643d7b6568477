"""A realistic synthetic consultation corpus of any size, deterministic from a seed.

The generator is general: questions come from any consultation YAML (via
``helpers.core.consultation.load_consultation``) and theme vocabulary from any
codebook YAML's ``patterns`` (and ``exclude`` phrases). Answers mix theme
terms with neutral filler, some negated mentions, closed-question stances
(explicit, intensified, hedged, negated, none), bullets, bold markdown,
links and curly quotes, and range from one sentence to many paragraphs.

Respondent ``k`` is generated from its own ``random.Random(f"{seed}:{k}")``,
so the first N respondents are identical whatever the requested size, and
streaming needs constant memory.

CLI::

    python -m benchmarks.generate --out DIR --respondents N [--seed 1]
"""

from __future__ import annotations

import argparse
import csv
import logging
import random
import re
import string
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from helpers.core.consultation import Consultation, load_consultation
from helpers.core.paths import DEFAULT_CONSULTATION_ID, consultation_dir

from .zipf import (  # noqa: F401 (re-exported: the realistic corpus's options)
    _CAMPAIGN_WEIGHTS,
    DEFAULT_CAMPAIGN_SHARE,
    DEFAULT_ZIPF_WORDS,
    N_CAMPAIGNS,
    Lexicon,
    with_zipf,
)

log = logging.getLogger(__name__)

# A respondent's answers: (question_id, text) in document order.
Answer = tuple[str, str]
Row = tuple[str, str, str]  # (respondent_id, question_id, text)

# -- vocabulary --------------------------------------------------------------

# Suffixes for a prefix pattern ('homeless*') with no completion in the codebook's own words.
_WILDCARD_SUFFIXES = ("", "s", "ing", "ed")
_LEXICON_RE = re.compile(r"[a-z]+(?:'[a-z]+)*")

_SUBJECTS = (
    "the local authority",
    "the inspection framework",
    "the proposed judgement",
    "the new criteria",
    "local services",
    "the evaluation criteria",
    "leaders and managers",
    "the guidance",
    "partner agencies",
    "the inspection team",
    "practitioners",
    "the published report",
)
_VERBS = (
    "should reflect",
    "needs to consider",
    "must take account of",
    "ought to recognise",
    "would benefit from evidence on",
    "should set clear expectations about",
    "will need to look at",
    "could say more about",
)
_OBJECTS = (
    "the experiences of young people",
    "the quality of practice",
    "outcomes over time",
    "the views of those affected",
    "what good looks like",
    "consistency between areas",
    "the resources available",
    "the role of leaders",
    "the transition to adulthood",
    "the wider system",
)
_CLAUSES = (
    "in our experience",
    "as the evidence shows",
    "across the country",
    "for many of the people we work with",
    "at every stage",
    "in practice",
    "over the long term",
    "where this is done well",
)
_FILLER_TEMPLATES = (
    "{S} {V} {O}.",
    "{S} {V} {O}, {C}.",
    "{C_cap}, {s} {V} {O}.",
    "We think that {s} {V} {O}.",
    "It is important that {s} {V} {O} {C}.",
    "We welcome the opportunity to respond to this consultation.",
    "This is consistent with the approach set out in the {year} guidance (see para. {n}).",
    "Around {pct}% of the enquiries we received last year related to this, e.g. {o}.",
    "As we said in our response to the previous consultation, {o} matters.",
    "We would be happy to discuss this further with the team.",
    "Further detail is available in our report, “{Title}” ({year}).",
    "See the [published evidence](#) for more on {o}.",
    "The £{n} million announced in {year} has not been enough to change {o}.",
)
_THEME_TEMPLATES = (
    "{T_cap} should be a central part of the new framework.",
    "We would like to see more attention paid to {t}.",
    "{S} {V} {t}, {C}.",
    "In particular, {t} is a recurring concern for the people we support.",
    "Inspectors should ask how {t} is planned and reviewed.",
    "Evidence on {t} and {t2} should inform the judgement.",
    "Many respondents told us that {t} had made the biggest difference to them.",
    "There is a clear link between {t} and {o}.",
    "**{T_cap}** – {s} {V} {o}.",
)
_NEGATED_TEMPLATES = (
    "This is not a question of {t}.",
    "We do not think {t} is the main issue here.",
    "The proposals make no mention of {t}.",
    "We don't believe {t} should be inspected separately.",
    "Neither {t} nor {o} is covered by the draft criteria.",
)
# Closed-question stance openings, by style; "none" writes no stance sentence.
_STANCE_TEMPLATES: dict[str, tuple[str, ...]] = {
    "explicit": (
        "We agree with the proposal.",
        "Agree.",
        "We disagree with this proposal.",
        "Disagree.",
        "I agree with {prop}.",
        "We neither agree nor disagree with {prop}.",
        "We support {prop}.",
        "We oppose {prop}.",
    ),
    "intensified": (
        "We strongly agree with {prop}.",
        "Strongly agree.",
        "We strongly disagree with {prop}.",
        "Strongly disagree.",
        "We wholeheartedly support {prop}.",
        "We completely disagree with {prop}.",
    ),
    "hedged": (
        "In principle, we agree with {prop}. However, {s} {V} {o}.",
        "We broadly agree with {prop}, although {s} {V} {o}.",
        "We partly agree with {prop}.",
        "We tend to disagree with {prop}, but {s} {V} {o}.",
        "On balance we agree, with some reservations.",
    ),
    "negated": (
        "We do not agree with {prop}.",
        "We cannot support {prop}.",
        "We don't disagree with the intention behind {prop}.",
        "We are not convinced by {prop}.",
        "We would not oppose {prop}.",
    ),
    "none": (),
}
_STANCE_STYLES = ("explicit", "intensified", "hedged", "negated", "none")
_STANCE_WEIGHTS = (40, 15, 20, 10, 15)
_PROPOSITIONS = (
    "the proposal",
    "this proposal",
    "Ofsted's proposal",
    "the proposed change",
    "the proposed timescale",
    "this approach",
)
_CAPACITY = (
    "We are responding on behalf of {org}, a {kind}.",
    "I am responding as an individual with personal experience of the issues raised.",
    "This response is submitted by {org}.",
    "I am a practitioner responding in a personal capacity.",
)
_ORG_WORDS_A = ("Northfield", "Riverside", "Eastgate", "Highmoor", "Kingsway", "Westbrook")
_ORG_WORDS_B = ("Care Leavers", "Families", "Young People's", "Children's Rights", "Advocacy")
_ORG_WORDS_C = ("Forum", "Network", "Trust", "Alliance", "Association", "Council")
_ORG_KINDS = (
    ("charity", "charity_voluntary"),
    ("local authority", "local_authority"),
    ("professional association", "professional_body"),
    ("campaign group", "campaign_group"),
    ("community organisation", "other"),
)
_TITLE_WORDS = ("Next Steps", "Still Waiting", "Hear Our Voice", "A Fair Start", "No Limits")
_BULLETS = ("- ", "• ", "* ")

# Answer length, as a number of paragraphs: (weight, low, high); 0 = one sentence.
_LENGTHS = ((25, 0, 0), (35, 1, 1), (28, 2, 5), (10, 6, 15), (2, 16, 40))

_WORD_SLOTS: dict[str, tuple[str, ...]] = {
    "V": _VERBS,
    "Title": _TITLE_WORDS,
    "prop": _PROPOSITIONS,
}
_NUMBER_SLOTS = {"year": (2004, 2022), "n": (2, 60), "pct": (3, 45)}


@cache
def _template_fields(template: str) -> tuple[str, ...]:
    return tuple(f for _, f, _, _ in string.Formatter().parse(template) if f)


# Document heading styles used by ``write_corpus``.
HEADING_STYLES = ("q_paren", "question_colon", "bare_text", "bold", "letter")


@dataclass(frozen=True)
class Vocabulary:
    """Theme terms for the generator, read from a codebook.

    ``terms`` maps theme id to its patterns; ``questions`` maps theme id to the
    question ids it applies to (absent = every question); ``completions`` maps
    a wildcard prefix ('homeless') to whole words that start with it, taken
    from the codebook's own labels and descriptions ('homelessness').
    """

    terms: dict[str, tuple[str, ...]]
    excludes: tuple[str, ...] = ()
    questions: dict[str, frozenset[str]] = field(default_factory=dict)
    completions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Realistic text (``with_zipf``): filler drawn from a Zipf-ranked lexicon, and this
    # share of respondents sending one of ``N_CAMPAIGNS`` campaign responses unchanged.
    lexicon: Lexicon | None = None
    campaign_share: float = 0.0

    def themes_for(self, question_id: str) -> list[str]:
        # As helpers.coding.codebook.Theme.applies_to: unstructured documents get every theme.
        return [
            t
            for t in self.terms
            if t not in self.questions
            or question_id in self.questions[t]
            or question_id == "unstructured"
        ]


def _theme_fields(theme: Any) -> tuple[str, list[str], list[str], list[str] | None, str]:
    """(id, patterns, exclude, questions, prose) from a codebook theme, as a dict or an object."""
    if isinstance(theme, Mapping):
        get = theme.get
    else:

        def get(name: str, default: Any = None) -> Any:
            return getattr(theme, name, default)

    qs = get("questions", None)
    return (
        str(get("id")),
        [str(p) for p in (get("patterns", None) or [])],
        [str(p) for p in (get("exclude", None) or [])],
        [str(q) for q in qs] if qs else None,
        f"{get('label', '') or ''} {get('description', '') or ''}",
    )


def codebook_vocabulary(codebook: Any) -> Vocabulary:
    """The theme vocabulary of ``codebook``.

    ``codebook`` is a path to a codebook YAML, its parsed mapping, or any object
    with ``themes`` whose items have ``id``, ``patterns`` and optionally
    ``exclude`` and ``questions`` (such as ``helpers.coding.codebook.Codebook``).
    Raises ValueError naming the file when no theme has patterns.
    """
    if isinstance(codebook, Vocabulary):
        return codebook
    where = "<codebook>"
    if isinstance(codebook, str | Path):
        where = str(codebook)
        codebook = yaml.safe_load(Path(codebook).read_text(encoding="utf-8"))
    themes = codebook.get("themes") if isinstance(codebook, Mapping) else codebook.themes
    terms: dict[str, tuple[str, ...]] = {}
    excludes: list[str] = []
    questions: dict[str, frozenset[str]] = {}
    lexicon: set[str] = set()
    for theme in themes or []:
        tid, patterns, exclude, qs, prose = _theme_fields(theme)
        if patterns:
            terms[tid] = tuple(patterns)
        excludes.extend(exclude)
        if qs:
            questions[tid] = frozenset(qs)
        lexicon.update(_LEXICON_RE.findall(prose.lower()))
    if not terms:
        raise ValueError(f"{where}: no theme has any 'patterns'; add patterns to the themes")
    completions: dict[str, tuple[str, ...]] = {}
    for patterns in terms.values():
        for p in patterns:
            for w in p.lower().split():
                if w.endswith("*"):
                    prefix = w.strip("*=")
                    completions[prefix] = tuple(sorted(x for x in lexicon if x.startswith(prefix)))
    return Vocabulary(
        terms=terms, excludes=tuple(excludes), questions=questions, completions=completions
    )


def _as_consultation(consultation: Consultation | str | Path) -> Consultation:
    if isinstance(consultation, Consultation):
        return consultation
    return load_consultation(consultation)


def default_paths() -> tuple[Path, Path]:
    """The default consultation and codebook YAML paths."""
    folder = consultation_dir(DEFAULT_CONSULTATION_ID)
    return folder / "consultation.yaml", folder / "codebook.yaml"


# -- rendering ---------------------------------------------------------------


class _Writer:
    """Renders sentences for one respondent from its own random stream."""

    def __init__(self, rng: random.Random, vocab: Vocabulary) -> None:
        self.rng = rng
        self.random = rng.random
        self.vocab = vocab

    def pick(self, seq: Sequence[str]) -> str:
        # Cheaper than rng.choice, and generation speed bounds the memory benchmark.
        return seq[int(self.random() * len(seq))]

    def term(self, theme: str) -> str:
        words = []
        for w in self.pick(self.vocab.terms[theme]).split():
            if w.endswith("*"):
                prefix = w.rstrip("*")
                options = self.vocab.completions.get(prefix.lower())
                w = self.pick(options) if options else prefix + self.pick(_WILDCARD_SUFFIXES)
            words.append(w.lstrip("="))  # '=neet': an exact form
        return " ".join(words)

    def fill(self, template: str, themes: list[str]) -> str:
        """``template`` with its slots filled; only the slots it uses are drawn."""
        pick = self.pick
        vals: dict[str, str] = {}
        for name in _template_fields(template):
            if name in vals:
                continue
            if name in ("t", "T_cap"):
                t = self.term(pick(themes))
                vals["t"], vals["T_cap"] = t, t[0].upper() + t[1:]
            elif name == "t2":
                vals["t2"] = self.term(pick(themes))
            elif name in ("s", "S", "C", "C_cap", "o", "O") and self.vocab.lexicon is not None:
                words = self.vocab.lexicon.phrase(self.random, 2, 6)
                cap = words[0].upper() + words[1:]
                if name in ("s", "S"):
                    vals["s"], vals["S"] = words, cap
                elif name in ("C", "C_cap"):
                    vals["C"], vals["C_cap"] = words, cap
                else:
                    vals[name] = words
            elif name in ("s", "S"):
                subject = pick(_SUBJECTS)
                vals["s"], vals["S"] = subject, subject[0].upper() + subject[1:]
            elif name in ("C", "C_cap"):
                clause = pick(_CLAUSES)
                vals["C"], vals["C_cap"] = clause, clause[0].upper() + clause[1:]
            elif name in ("o", "O"):
                vals[name] = pick(_OBJECTS)
            elif name in _NUMBER_SLOTS:
                low, high = _NUMBER_SLOTS[name]
                vals[name] = str(low + int(self.random() * (high - low + 1)))
            else:
                vals[name] = pick(_WORD_SLOTS[name])
        return template.format_map(vals)

    def sentence(self, themes: list[str]) -> str:
        r = self.random()
        if themes and r < 0.3:
            template = self.pick(_THEME_TEMPLATES)
        elif themes and r < 0.36:
            template = self.pick(_NEGATED_TEMPLATES)
        elif self.vocab.excludes and r < 0.37:
            return f"We have raised this with the {self.pick(self.vocab.excludes)} before."
        elif self.vocab.lexicon is not None and r < 0.85:  # plain prose, rarely repeated
            words = self.vocab.lexicon.phrase(self.random, 6, 28)
            return words[0].upper() + words[1:] + "."
        else:
            template = self.pick(_FILLER_TEMPLATES)
        return self.fill(template, themes)

    def paragraph(self, themes: list[str]) -> str:
        rng = self.rng
        n = rng.randint(2, 6)
        if rng.random() < 0.2:  # a bulleted list with a lead-in sentence
            bullet = rng.choice(_BULLETS)
            items = [bullet + self.sentence(themes) for _ in range(n)]
            return self.sentence(themes) + "\n\n" + "\n".join(items)
        return " ".join(self.sentence(themes) for _ in range(n))

    def stance(self) -> str | None:
        rng = self.rng
        style = rng.choices(_STANCE_STYLES, _STANCE_WEIGHTS)[0]
        templates = _STANCE_TEMPLATES[style]
        if not templates:
            return None
        return self.fill(rng.choice(templates), [])

    def answer(self, question_id: str, kind: str) -> str:
        rng = self.rng
        if kind == "profile":
            a, b, c = (rng.choice(x) for x in (_ORG_WORDS_A, _ORG_WORDS_B, _ORG_WORDS_C))
            kind_word = rng.choice(_ORG_KINDS)[0]
            return rng.choice(_CAPACITY).format(org=f"{a} {b} {c}", kind=kind_word)
        themes = self.vocab.themes_for(question_id)
        parts: list[str] = []
        if kind == "closed":
            stance = self.stance()
            if stance:
                parts.append(stance)
        weights = [w for w, _, _ in _LENGTHS]
        _, lo, hi = rng.choices(_LENGTHS, weights)[0]
        n_paragraphs = rng.randint(lo, hi)
        if n_paragraphs == 0:
            if not parts:
                parts.append(self.sentence(themes))
        else:
            parts.extend(self.paragraph(themes) for _ in range(n_paragraphs))
        return "\n\n".join(parts)


@dataclass(frozen=True)
class Respondent:
    """One synthetic respondent: id, organisation, type, heading style and answers."""

    respondent_id: str
    organisation: str | None
    respondent_type: str
    style: str
    answers: tuple[Answer, ...]


def make_respondent(consultation: Consultation, vocab: Vocabulary, seed: int, k: int) -> Respondent:
    """Respondent number ``k`` (0-based) of the corpus for ``seed``; independent of size."""
    # String seeds hash with SHA-512, so this is stable across runs and PYTHONHASHSEED.
    rng = random.Random(f"{seed}:{k}")
    answers: list[Answer] = []
    # A campaign copy: the campaign's own answers, word for word (the campaign's
    # respondent is made from its own seeded stream, so every copy is the same).
    campaign = None
    if vocab.campaign_share and rng.random() < vocab.campaign_share:
        campaign = rng.choices(range(N_CAMPAIGNS), _CAMPAIGN_WEIGHTS)[0]
    writer = _Writer(random.Random(f"{seed}:campaign:{campaign}") if campaign is not None
                     else rng, vocab)  # fmt: skip
    for q in consultation.questions:
        p_answer = 0.5 if q.kind == "profile" else 0.85
        if writer.rng.random() < p_answer:
            answers.append((q.id, writer.answer(q.id, q.kind)))
    if not answers:  # every respondent says something
        q = consultation.questions[-1]
        answers.append((q.id, writer.answer(q.id, q.kind)))
    if rng.random() < 0.3:
        organisation, rtype = None, "individual"
    else:
        a, b, c = (rng.choice(x) for x in (_ORG_WORDS_A, _ORG_WORDS_B, _ORG_WORDS_C))
        organisation, rtype = f"{a} {b} {c}", rng.choice(_ORG_KINDS)[1]
    style = rng.choice(HEADING_STYLES)
    return Respondent(f"r{k:07d}", organisation, rtype, style, tuple(answers))


def iter_answers(
    consultation: Consultation | str | Path,
    codebook: Any,
    seed: int,
    target_bytes: int,
) -> Iterator[Row]:
    """Stream ``(respondent_id, question_id, text)`` until ``target_bytes`` of UTF-8 text.

    Whole respondents are produced, so the total slightly exceeds ``target_bytes``.
    Memory is constant: nothing is kept between respondents.
    """
    consultation = _as_consultation(consultation)
    vocab = codebook_vocabulary(codebook)
    produced = 0
    k = 0
    while produced < target_bytes:
        r = make_respondent(consultation, vocab, seed, k)
        for qid, text in r.answers:
            # Most text is ASCII; only encode when it is not, to keep generation cheap.
            produced += len(text) if text.isascii() else len(text.encode("utf-8"))
            yield r.respondent_id, qid, text
        k += 1


# -- documents ---------------------------------------------------------------

_PUNCT_END = re.compile(r"[?.:!]$")


def _heading(style: str, number: int | None, text: str) -> str:
    if number is None:  # an unnumbered question (e.g. profile) is headed by its text
        return f"**{text}**" if style == "bold" else text
    if style == "q_paren":
        return f"Q{number}) {text}"
    if style == "question_colon":
        return f"Question {number}: {_PUNCT_END.sub('', text)}"
    if style == "bold":
        return f"**Q{number}) {text}**"
    return text  # bare_text


def render_document(consultation: Consultation, respondent: Respondent) -> str:
    """The respondent's answers as one response document in its heading style."""
    questions = {q.id: q for q in consultation.questions}
    title = f"Response to the consultation: {consultation.title}"
    org = respondent.organisation or "an individual respondent"
    parts = [f"**{title}**" if respondent.style == "bold" else title]
    if respondent.style == "letter":
        parts.append("Dear Sir or Madam,")
        parts.append(f"I am writing on behalf of {org} in response to your consultation.")
        parts.extend(text for _, text in respondent.answers)
        parts.append("Yours faithfully,\n\nA. Respondent")
    else:
        if respondent.organisation:
            parts.append(f"About {respondent.organisation}: we work with people across England.")
        for qid, text in respondent.answers:
            q = questions[qid]
            parts.append(_heading(respondent.style, q.number, q.text))
            parts.append(text)
    return "\n\n".join(parts) + "\n"


def write_corpus(
    folder: str | Path,
    n_respondents: int,
    seed: int,
    consultation: Consultation | str | Path | None = None,
    codebook: Any = None,
) -> list[Path]:
    """Write ``n_respondents`` response ``.txt`` files and a ``manifest.csv`` into ``folder``.

    Defaults to the project's default consultation and codebook. Returns the
    paths of the response files, in respondent order.
    """
    default_consultation, default_codebook = default_paths()
    consultation = _as_consultation(consultation or default_consultation)
    vocab = codebook_vocabulary(codebook if codebook is not None else default_codebook)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    with open(folder / "manifest.csv", "w", newline="", encoding="utf-8") as fh:
        manifest = csv.writer(fh)
        manifest.writerow(["file", "organisation", "respondent_type", "notes"])
        for k in range(n_respondents):
            r = make_respondent(consultation, vocab, seed, k)
            path = folder / f"{r.respondent_id}.txt"
            path.write_text(render_document(consultation, r), encoding="utf-8")
            manifest.writerow(
                [path.name, r.organisation or "", r.respondent_type, f"synthetic, {r.style}"]
            )
            paths.append(path)
    log.info("wrote %d synthetic responses to %s", n_respondents, folder)
    return paths


def main(argv: list[str] | None = None) -> None:
    """Command line: write a synthetic corpus of response files."""
    default_consultation, default_codebook = default_paths()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, type=Path, help="folder for the .txt files")
    ap.add_argument("--respondents", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--consultation", type=Path, default=default_consultation)
    ap.add_argument("--codebook", type=Path, default=default_codebook)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    write_corpus(args.out, args.respondents, args.seed, args.consultation, args.codebook)


if __name__ == "__main__":
    main()
