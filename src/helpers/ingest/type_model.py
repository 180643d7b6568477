"""A learned respondent-type scorer over (document, type) pairs, on top of the word rules.

Why: the word rules (``respondent_types.infer_respondent_type``) were written
batch by batch from each batch's errors, and each new batch brought layouts
and wordings they had not seen (sessions 7-12). This scorer weighs the same
evidence, and evidence the rules do not use, with weights learned from every
spent development set and checked leave-one-batch-out
(``benchmarks/type_training.py``; docs/evaluation.md).

Status (session 22): shipped as the rules' fallback. Session 13 measured it and kept it
unwired (with the rules' answer as a feature it copies the rules). Session 22 dropped that
feature, added general ones (a business owner's words, what the sign-off says the signer
is, a household, a signer's role, the count of "I", no pronoun at all, a very short text)
and chose leave-one-batch-out over batches 1-24 how to use it: only where the rules say
``unknown`` (:func:`predict`). Ingest calls :func:`retype` after the capacity answer;
``helpers/data/type_model.json`` holds the weights (``benchmarks/type_training.py --write``).

Type-agnostic by construction: a feature says how well one document fits one
type through that type's own label and words (its ``names``, ``phrases`` and
``answers`` in consultation.yaml and the package's defaults), never through a
type id, so the same weights score a consultation with other types or other
words. Only the generic types every consultation has (``individual``,
``other``, ``unknown``) get features of their own (the voice, a named
organisation, an office reference). The document's type is the best-scoring
pair; no consultation's vocabulary is in this module.

Features of a pair (document, type) (``FEATURES``):

- the organisation's name shows the type (``type_of_name``); a capacity answer says it;
  a business owner's words map to it (``business_answer``); what the sign-off or opening
  line says the writer is ("Jo (care leaver)") maps to it (``described_type``);
- the type's words in the letterhead (opening 400 characters), in the
  sign-off (last 600), in the respondent's self-description sentences
  (``self_description_cues`` in ``helpers/data/authorship.yaml``: "we are",
  "as a", "on behalf of", "registered", "our members" …), and how often in
  the opening 5,000 characters; the type's ``phrases``;
- the meaning of the self-description sentences, the letterhead and the
  sign-off against the type's label and words (WordLlama cosine): the best
  cosine, its margin over the best other type, and whether it is the best;
- for ``individual``: the first-person voice ("I" against "we", and how many "I"), a
  named organisation, the personal cues of ``authorship.find_authorship`` (together, and
  a household, a person's sign-off, a personal role apart); for ``other``: a named
  organisation, an office reference; for ``unknown``: no first-person pronoun at all, a
  text under 80 words; for the listed organisation types: a named organisation, a "we"
  voice, a sign-off naming an office ("Secretary").
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

import numpy as np

from helpers.core.consultation import RespondentTypeRules
from helpers.core.schemas import RESPONDENT_TYPE_LABELS
from helpers.ingest.authorship import find_authorship, voice
from helpers.ingest.names import authorship_lists, authorship_words
from helpers.ingest.respondent_types import (
    capacity_clauses,
    capacity_type,
    described_type,
    map_respondent_type,
    type_of_name,
)

GENERIC = ("individual", "other", "unknown")
MODEL_FILE = "type_model.json"  # in helpers/data/
FALLBACK_MARGIN = 1.0  # see ``predict``

FEATURES = (
    "name",
    "capacity",
    "kw_head",
    "kw_sign",
    "kw_self",
    "kw_body",
    "phrase",
    "emb_sim",
    "emb_margin",
    "emb_top",
    "ind",
    "ind_singular",
    "ind_plural",
    "ind_org",
    "ind_personal",
    "other",
    "other_org",
    "other_office",
    "unknown",
    "listed_org",
    "listed_plural",
    "business",
    "said",
    "ind_household",
    "ind_signed",
    "ind_role",
    "ind_count",
    "unknown_nopronoun",
    "unknown_short",
    "listed_signer_role",
)


@dataclass(frozen=True)
class TypeEvidence:
    """What the scorer reads of one document (all from the document and the rules' answer)."""

    text: str
    organisation: str | None
    rule_type: str
    capacity_type: str | None = None  # the type a capacity answer or heading gives
    cover_note: str | None = None


def candidate_types(rules: RespondentTypeRules) -> list[str]:
    """The consultation's types, then the generic ones it does not list."""
    listed = [t for t, _ in rules.types]
    return listed + [t for t in GENERIC if t not in listed]


def _plain_words(pattern: str) -> str:
    """A regular expression's words as text ("residents[''’]? association" → "residents
    association"), for the meaning features."""
    # Optional parts go ("campaign(?:s|ing)?" → "campaign"), alternatives stay.
    text = re.sub(r"\([^()]*\)(?:\?|\*|\{0,\d*\}\??)", " ", pattern)
    text = re.sub(r"\(\?[:!=<-]+", " ", text)
    text = re.sub(r"\[[^\]]*\]|\{[^}]*\}|\\[a-zA-Z]", " ", text)
    text = re.sub(r"[()?*+|^$\\]", " ", text)
    return " ".join(w for w in text.split() if re.fullmatch(r"[A-Za-z][\w'’-]*", w))


@functools.lru_cache(maxsize=32)
def type_descriptions(rules: RespondentTypeRules) -> dict[str, str]:
    """Each candidate type's label and words, as one text to compare by meaning."""
    patterns = dict(rules.types)
    out = {}
    for t in candidate_types(rules):
        p = patterns.get(t)
        words = [] if p is None else [_plain_words(w) for w in (*p.names, *p.answers, *p.phrases)]
        label = RESPONDENT_TYPE_LABELS.get(t, t.replace("_", " "))
        out[t] = ", ".join([label, *[w for w in words if w]])
    return out


@functools.lru_cache(maxsize=32)
def _type_patterns(rules: RespondentTypeRules) -> dict[str, tuple[re.Pattern | None, ...]]:
    """(names, phrases, answers) of each type as one case-blind whole-word pattern each."""

    def join(words: tuple[str, ...]) -> re.Pattern | None:
        if not words:
            return None
        return re.compile(r"\b(?:" + "|".join(f"(?:{w})" for w in words) + r")", re.IGNORECASE)

    patterns = dict(rules.types)
    out = {}
    for t in candidate_types(rules):
        p = patterns.get(t)
        out[t] = (
            (None, None, None) if p is None else (join(p.names), join(p.phrases), join(p.answers))
        )
    return out


def self_sentences(text: str, cover_note: str | None = None) -> list[str]:
    """The sentences in which a response says who wrote it: the first two lines (letterhead,
    title), the last four (sign-off), and sentences with a self-description cue."""
    cue = re.compile(r"\b(?:" + authorship_words()["self_description_cues"].pattern + r")\b", re.I)
    out: list[str] = []
    for part in (text, cover_note or ""):
        lines = [ln.strip() for ln in part.split("\n") if ln.strip()]
        out += lines[:2] + lines[-4:]
        body = part[:4000] + "\n" + part[-1500:] if len(part) > 5500 else part
        for sent in re.split(r"(?<=[.!?])\s+|\n+", body):
            if cue.search(sent) and 3 <= len(sent.split()) <= 60:
                out.append(sent.strip())
    seen: set[str] = set()
    return [s[:400] for s in out if not (s in seen or seen.add(s))][:40]


def _encode(texts: list[str]) -> np.ndarray:
    from helpers.core.embedding import encode

    return encode(texts, model="wordllama")


@functools.lru_cache(maxsize=32)
def _type_vectors(rules: RespondentTypeRules) -> np.ndarray:
    return _encode(list(type_descriptions(rules).values()))


def features(ev: TypeEvidence, rules: RespondentTypeRules) -> tuple[list[str], np.ndarray]:
    """The candidate types and a ``(len(types), len(FEATURES))`` matrix of their features."""
    types = candidate_types(rules)
    pats = _type_patterns(rules)
    text = ev.text
    head, sign, body = text[:400], text[-600:], text[:5000]
    sents = self_sentences(text, ev.cover_note)
    selftext = "\n".join(sents)
    who = find_authorship(text, rules)
    singular, plural = voice(text[:5000])
    total = singular + plural + 1
    has_org = float(bool(ev.organisation))
    personal = float(who.personal) + float(who.personal_role) + float(who.household)
    personal += float(who.signed_by_person)
    by_name = type_of_name(ev.organisation, rules)
    owner = None
    if who.business:
        owner = next(
            (
                t
                for w in authorship_lists()["business_answer"]
                if (t := map_respondent_type(w, rules))
            ),
            "other",
        )
    said = next(
        (d for s in (who.signed_as, who.named_as) if s and (d := described_type(s, rules))), None
    )
    words = len(text.split())
    if sents:
        sims = _encode(sents) @ _type_vectors(rules).T  # (sentences, types)
        best = sims.max(axis=0)
    else:
        best = np.zeros(len(types))
    rows = []
    for i, t in enumerate(types):
        names, phrases, answers = pats[t]

        def hit(p: re.Pattern | None, s: str) -> float:
            return float(p is not None and p.search(s) is not None)

        others = np.delete(best, i)
        listed = t not in GENERIC
        row = {
            "name": float(by_name == t),
            "capacity": float(ev.capacity_type == t),
            "kw_head": hit(names, head),
            "kw_sign": hit(names, sign),
            "kw_self": max(hit(names, selftext), hit(answers, selftext.lower())),
            "kw_body": float(np.log1p(len(names.findall(body)))) if names is not None else 0.0,
            "phrase": hit(phrases, body),
            "emb_sim": float(best[i]),
            "emb_margin": float(best[i] - (others.max() if len(others) else 0.0)),
            "emb_top": float(len(others) > 0 and best[i] >= others.max()),
            "ind": float(t == "individual"),
            "ind_singular": float(t == "individual") * singular / total,
            "ind_plural": float(t == "individual") * plural / total,
            "ind_org": float(t == "individual") * has_org,
            "ind_personal": float(t == "individual") * personal,
            "other": float(t == "other"),
            "other_org": float(t == "other") * has_org,
            "other_office": float(t == "other") * float(who.office_reference),
            "unknown": float(t == "unknown"),
            "listed_org": float(listed) * has_org,
            "listed_plural": float(listed) * plural / total,
            "business": float(owner == t),
            "said": float(said == t),
            "ind_household": float(t == "individual") * float(who.household),
            "ind_signed": float(t == "individual") * float(who.signed_by_person),
            "ind_role": float(t == "individual") * float(who.personal_role),
            "ind_count": float(t == "individual") * float(np.log1p(singular)),
            "unknown_nopronoun": float(t == "unknown") * float(singular + plural == 0),
            "unknown_short": float(t == "unknown") * float(words < 80),
            "listed_signer_role": float(listed) * float(who.signer_role),
        }
        rows.append([row[f] for f in FEATURES])
    return types, np.asarray(rows, dtype=np.float64)


@dataclass(frozen=True)
class TypeModel:
    """A linear scorer of (document, type) pairs: standardised features · weights + bias."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    # How far the best type must score above ``unknown`` to replace the rules' "unknown".
    margin: float = FALLBACK_MARGIN

    def scores(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.weights + self.bias

    def to_json(self) -> str:
        return json.dumps(
            {
                "features": list(FEATURES),
                "mean": [round(float(v), 6) for v in self.mean],
                "scale": [round(float(v), 6) for v in self.scale],
                "weights": [round(float(v), 6) for v in self.weights],
                "bias": round(float(self.bias), 6),
                "margin": self.margin,
            },
            indent=1,
        )


@functools.cache
def shipped_model() -> TypeModel | None:
    """The model in ``helpers/data/type_model.json``, or None when it is absent or stale."""
    source = resources.files("helpers").joinpath("data", MODEL_FILE)
    if not source.is_file():
        return None
    raw = json.loads(source.read_text("utf-8"))
    if tuple(raw["features"]) != FEATURES:
        return None
    return TypeModel(
        np.asarray(raw["mean"]),
        np.asarray(raw["scale"]),
        np.asarray(raw["weights"]),
        raw["bias"],
        raw.get("margin", FALLBACK_MARGIN),
    )


def model_type(ev: TypeEvidence, rules: RespondentTypeRules, model: TypeModel) -> tuple[str, float]:
    """The model's best type for the document and how far it scores above ``unknown``."""
    types, x = features(ev, rules)
    scores = model.scores(x)
    best = int(np.argmax(scores))
    return types[best], float(scores[best] - scores[types.index("unknown")])


def predict(ev: TypeEvidence, rules: RespondentTypeRules, model: TypeModel | None = None) -> str:
    """The rules' type, or the model's where the rules found nothing (session 22).

    The rules say ``unknown`` when no rule fires; the model then answers if its best type
    scores at least ``model.margin`` above ``unknown``. Chosen leave-one-batch-out over
    batches 1-24 (``benchmarks/type_training --fallback``): the model alone typed 623/678
    against the rules' 652 (in-sample on 1-23), the model replacing only the rules' "unknown"
    657/678 (gains in batches 4, 16, 19, 20 and 23, no document lost); replacing "other" too,
    or any answer the model is confident against, lost more than it gained.
    """
    model = model if model is not None else shipped_model()
    if model is None or ev.rule_type != "unknown":
        return ev.rule_type
    best, over_unknown = model_type(ev, rules, model)
    return best if over_unknown > model.margin else ev.rule_type


def capacity_evidence(
    text: str, profile_answers: list[str], rules: RespondentTypeRules
) -> str | None:
    """The type a capacity heading in the text, or an answer to the profile question, gives."""
    found = capacity_type(text[:5000], rules)
    for answer in profile_answers:
        for clause in capacity_clauses(str(answer)):
            found = found or map_respondent_type(clause, rules)
    return found


def retype(doc, answers, consultation) -> None:
    """Re-decide an inferred document type with the shipped scorer (``predict``).

    Runs after the rules (``respondents.attach_metadata``,
    ``capacity_types.type_from_capacity_answer``) and only where they found no
    type (``unknown``); their answer is not a feature (with it the model copied
    the rules). A manifest's or a survey column's type is kept; so is every type
    when no model is shipped. ``answers`` are the document's ANSWERS rows
    (a frame or a list of dicts), read for its answer to the profile question.
    """
    if doc.source_row is not None or doc.respondent_type_source in ("metadata", "survey"):
        return
    if doc.respondent_type != "unknown":
        return  # the model answers only where the rules found nothing (``predict``)
    model = shipped_model()
    if model is None:
        return
    profile = {q.id for q in consultation.questions if q.kind == "profile"}
    texts: list[str] = []
    if profile and answers is not None and len(answers):
        if hasattr(answers, "loc"):
            texts = [
                str(t) for t in answers.loc[answers["question_id"].isin(profile), "answer_text"]
            ]
        else:
            texts = [str(r["answer_text"]) for r in answers if r["question_id"] in profile]
    rules = consultation.respondent_types
    ev = TypeEvidence(
        text=doc.text,
        organisation=doc.organisation,
        rule_type=doc.respondent_type,
        capacity_type=capacity_evidence(doc.text, texts, rules),
        cover_note=doc.cover_note,
    )
    rtype = predict(ev, rules, model)
    if rtype != doc.respondent_type:
        doc.respondent_type = rtype
        doc.respondent_type_source = "none" if rtype == "unknown" else "inferred"
