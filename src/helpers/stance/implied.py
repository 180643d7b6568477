"""A letter's implied position on a closed question it gives no stance cue for (session 25).

A letter often takes a side without a word of position the rules read ("I suppose a separate
grade can't hurt.", "The children cross calmly now", "Residential filters: RED."): every
reader before this one (the paragraphs' rules, the sentence pass, the gate on paragraphs
naming one question, the letter-addressing reader) found nothing, so the question stayed
``not_answered``. Of the spent item sets' letter items with a gold position read as none,
48 of 108 had no paragraph or sentence the rules read a position in (docs/stance.md,
"Session 24"), so what they need is a reading of the whole letter, not another candidate.

For a letter respondent's closed question still ``not_answered`` after every other reading
(no tick box), this reader decides from the whole letter whether the writer supports,
opposes or does not address the proposal: a multinomial logistic model
(``helpers/data/letter_implied.json``, trained by ``benchmarks/letter_implied.py`` on the
spent item sets' letter items and the spent document sets' unheaded letters, its threshold
chosen leave-one-set-out) over features of the letter against the question's own wording
(:func:`features`):

- how much of the letter is about the question: sentences naming its distinctive words
  (which no other closed question uses), the share of its own wording the letter uses, the
  share of the letter in the closed questions' wording (the consultation's subject);
- the tone of the sentences about it (or of the whole letter when none names it): VADER,
  the learned gate's class probabilities (``stance.gate``, as it reads an answer under the
  question), the rules' reading of the whole letter, sentiment included;
- how close in meaning (WordLlama) its sentences come to the question and the proposal;
- generic English word classes (``WORD_CLASSES``: benefit, harm, cost, fear, gratitude,
  urgency, haste) and negation, counted per sentence;
- the positions the letter took on its other closed questions (their mean direction).

No consultation's vocabulary is in code: every topic word comes from the consultation's
questions. A question takes ``agree`` or ``disagree`` (the moderate point: the letter states
no strength) when that class is the model's most probable and at least its own threshold
(the file's ``threshold``: agree's, disagree's); otherwise it stays ``not_answered``. Session
25: every leave-one-set-out fold switched disagreement off (threshold above 1; its
out-of-fold readings were right 0 times in 7: sarcasm, "couldn't care less when"), so the
shipped file reads implied support only. Method ``unstructured``, confidence the
file's ``confidence`` (the out-of-fold share of such readings that were acceptable, low;
mapped again by ``stance.calibration``). Without the file nothing changes.

Deterministic; linear in the letter's length times its closed questions.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from helpers.core.consultation import Consultation, Question
from helpers.core.stemming import stem

WEIGHTS_FILE = "letter_implied.json"
MIN_CLOSED = 2  # the fewest closed questions a consultation needs for this reader
CLASSES = ("agree", "disagree", "none")
_SENT_RE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*|$)")
_WORD_RE = re.compile(r"[a-z][a-z'-]+")

# Generic English word classes (no consultation's words): what a writer says a proposal
# brings or costs. Matched by Porter stem.
WORD_CLASSES: dict[str, tuple[str, ...]] = {
    "benefit": ("benefit", "help", "helpful", "improve", "improvement", "better", "safer",
                "safe", "protect", "good", "great", "positive", "useful", "valuable",
                "worthwhile", "fair", "progress", "easier", "calmer", "quieter", "cleaner",
                "success", "successful", "lovely", "brilliant", "excellent", "works"),
    "harm": ("harm", "harmful", "damage", "worse", "worsen", "dangerous", "danger", "risk",
             "chaos", "problem", "hurt", "unfair", "disaster", "nightmare", "ruin", "mess",
             "pointless", "useless", "struggle", "suffer", "fail", "failure", "nonsense",
             "ridiculous", "stupid", "absurd", "terrible", "awful"),
    "cost": ("cost", "costly", "expensive", "money", "afford", "budget", "pay", "price",
             "fee", "spend", "waste", "burden", "bureaucracy", "paperwork"),
    "fear": ("worry", "worried", "fear", "afraid", "concern", "concerned", "anxious",
             "scared", "nervous", "doubt", "unsure", "uncertain", "unclear"),
    "gratitude": ("thank", "thanks", "grateful", "appreciate", "glad", "pleased",
                  "delighted", "happy", "relieved"),
    "urgency": ("urgent", "urgently", "overdue", "finally", "immediately", "asap", "long",
                "wait", "waited", "waiting", "high"),
    "haste": ("rushed", "rush", "hurry", "premature", "prematurely", "early", "hasty",
              "ready", "time", "delay", "postpone", "later"),
}  # fmt: skip
_NEGATIONS = frozenset({"not", "no", "never", "nothing", "without", "nor", "neither", "none",
                        "cannot"})  # fmt: skip

FEATURES = (
    "q_first",  # the question is the first closed question
    "named_q",  # log1p of the sentences naming the question's distinctive words
    "named_other",  # log1p of the sentences naming another closed question's only
    "own_cover",  # share of the question's own stems the letter uses
    "own_max",  # log1p of the most own stems one sentence uses
    "subject_share",  # share of the letter's stems in the closed questions' wording
    "words",  # log1p of the letter's words
    "other_pos",  # share of the other closed questions the letter gave a position
    "other_dir",  # mean direction of those positions (-1 .. 1)
    "vader_focus",  # mean VADER compound of the sentences about the question (or all)
    "vader_min",  # the most negative of them
    "vader_max",  # the most positive
    "vader_all",  # mean over the whole letter
    "gate_agree",  # the learned gate's probability of agreement, read on the focus text
    "gate_disagree",  # ... of disagreement
    "rules_score",  # the rules' score of the whole letter (sentiment included), -2 .. 2
    "negation",  # negations per sentence
    *(f"wc_{k}" for k in WORD_CLASSES),  # each class's words per sentence
    "sim_q_max",  # the highest cosine of a sentence with the question's wording (WordLlama)
    "sim_q_mean",  # the mean over the letter's sentences
    "sim_q_margin",  # sim_q_max minus the best other closed question's
    "sim_proposal",  # the highest cosine of a sentence with the consultation's title + description
)


@lru_cache(maxsize=1)
def _class_stems() -> dict[str, frozenset[str]]:
    return {k: frozenset(stem(w, "porter") for w in ws) for k, ws in WORD_CLASSES.items()}


def load_weights() -> dict | None:
    """The shipped model (``features``, ``mean``, ``scale``, ``coef`` (classes × features),
    ``intercept``, ``threshold``, ``confidence``), or None without the file."""
    path = resources.files("helpers.data").joinpath(WEIGHTS_FILE)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def sentences(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each non-blank sentence of ``text``."""
    return [(m.start(), m.end()) for m in _SENT_RE.finditer(text) if m.group().strip()]


def features(
    text: str,
    q: int,
    questions: Sequence[Question],
    gate_probs: tuple[float, float] = (0.0, 0.0),
    rules_score: float = 0.0,
    others: Sequence[int] = (),
) -> tuple[dict[str, float], list[int]]:
    """(features, the focus sentences' indices) of closed question ``q`` (an index into
    ``questions``, the closed questions) in letter ``text``. ``gate_probs``: the gate's
    (agree, disagree) probabilities on the focus text; ``rules_score``: the rules' score of
    the whole letter; ``others``: the directions (-1, 0, 1) of the positions the letter
    took on the other closed questions."""
    from helpers.stance import vader
    from helpers.stance.unstructured import _distinctive, _own_stems, content_stems

    qs = tuple(questions)
    n = len(qs)
    own = _own_stems(qs)
    words = _distinctive(qs) if n > 1 else [own[0]]
    sents = sentences(text)
    pieces = [text[a:b] for a, b in sents]
    stems = [content_stems(p) for p in pieces]
    named = [bool(s & words[q]) for s in stems]
    named_other = [
        not named[i] and any(s & w for j, w in enumerate(words) if j != q)
        for i, s in enumerate(stems)
    ]
    focus = [i for i, x in enumerate(named) if x] or list(range(len(pieces)))
    comp = [c or 0.0 for c in vader.compounds(pieces)] if pieces else []
    fc = [comp[i] for i in focus] or [0.0]
    letter = set().union(*stems) if stems else set()
    subject = set().union(*own)
    tokens = [[stem(w, "porter") for w in _WORD_RE.findall(p.lower())] for p in pieces]
    raw = [_WORD_RE.findall(p.lower()) for p in pieces]
    ns = max(1, len(pieces))
    classes = _class_stems()
    f = {
        "n_closed": math.log(max(1, n)),
        "q_first": float(q == 0),
        "named_q": math.log1p(sum(named)),
        "named_other": math.log1p(sum(named_other)),
        "own_cover": len(letter & own[q]) / len(own[q]) if own[q] else 0.0,
        "own_max": math.log1p(max((len(s & own[q]) for s in stems), default=0)),
        "subject_share": len(letter & subject) / len(letter) if letter else 0.0,
        "words": math.log1p(sum(len(t) for t in tokens)),
        "other_pos": sum(1 for d in others if d) / (n - 1) if n > 1 else 0.0,
        "other_dir": sum(others) / len(others) if others else 0.0,
        "vader_focus": sum(fc) / len(fc),
        "vader_min": min(fc),
        "vader_max": max(fc),
        "vader_all": sum(comp) / len(comp) if comp else 0.0,
        "gate_agree": float(gate_probs[0]),
        "gate_disagree": float(gate_probs[1]),
        "rules_score": float(rules_score),
        "negation": sum(w in _NEGATIONS or w.endswith("n't") for r in raw for w in r) / ns,
    }
    for k, cs in classes.items():
        f[f"wc_{k}"] = sum(t in cs for ts in tokens for t in ts) / ns
    return f, focus


def probabilities(f: dict[str, float], weights: dict) -> list[float]:
    """The model's class probabilities (``CLASSES`` order) for one feature dict."""
    names = weights["features"]
    x = [(f.get(k, 0.0) - m) / s for k, m, s in zip(names, weights["mean"], weights["scale"],
                                                    strict=True)]  # fmt: skip
    z = [b + sum(c * v for c, v in zip(row, x, strict=True))
         for row, b in zip(weights["coef"], weights["intercept"], strict=True)]  # fmt: skip
    top = max(z)
    e = [math.exp(v - top) for v in z]
    tot = sum(e)
    return [v / tot for v in e]


def decide(p: Sequence[float], threshold: float | Sequence[float]) -> str | None:
    """``agree`` / ``disagree`` when that class is the most probable and at least its
    threshold (one for both, or (agree's, disagree's); above 1: the class is never read),
    else None (the question stays ``not_answered``)."""
    k = max(range(len(p)), key=lambda i: p[i])
    if CLASSES[k] == "none":
        return None
    t = (threshold, threshold) if isinstance(threshold, (int, float)) else tuple(threshold)
    return CLASSES[k] if p[k] >= t[k] else None


def evidence(
    text: str, focus: list[int], stance: str, own: frozenset[str] = frozenset()
) -> tuple[int, int]:
    """The sentence to quote: of the letter's sentences, the one that uses most of the
    question's own wording (``own``: its stems, shared with other questions or not) plus its
    VADER compound signed the way read; the first of equals (without ``own``: the focus
    sentences by their compound). By tone alone a story's sentence was quoted ("I spent my first month
    out of care eating cereal for tea.") where the letter's point names the question ("That's
    why I think Ofsted should judge councils on care leavers separately")."""
    from helpers.stance import vader
    from helpers.stance.unstructured import content_stems

    sents = sentences(text)
    if not sents:
        return 0, len(text)
    chosen = sents if own else [sents[i] for i in focus] or sents
    comp = [c or 0.0 for c in vader.compounds([text[a:b] for a, b in chosen])]
    sign = 1.0 if stance == "agree" else -1.0
    score = [
        len(content_stems(text[a:b]) & own) + sign * c
        for (a, b), c in zip(chosen, comp, strict=True)
    ]
    k = max(range(len(chosen)), key=lambda i: (score[i], -i))
    a, b = chosen[k]
    return a + (len(text[a:b]) - len(text[a:b].lstrip())), b


def implied_letters(answers, unheaded: set[str]) -> set[str]:
    """The respondents read as letters here: no heading-placed row (``unheaded``) and some
    text ingest kept ``unstructured`` or placed by its content. A survey respondent (every
    answer in its column) or one who wrote nothing is never read."""
    from helpers.core import schemas
    from helpers.stance.placement import PLACED_BY_CONTENT

    if answers.empty or not unheaded:
        return set()
    how = answers["match_method"] if "match_method" in answers else None
    loose = answers["question_id"] == schemas.UNSTRUCTURED
    if how is not None:
        loose |= how.isin((*PLACED_BY_CONTENT, "learned"))
    return set(answers.loc[loose, "respondent_id"].astype(str)) & unheaded


def candidate_rows(rows: list[dict], letters: set[str]) -> list[dict]:
    """The stances rows this reader may read: a letter respondent's (``letters``: no
    heading-placed row) closed question still ``not_answered`` after every other reading,
    with no tick box."""
    return [
        r
        for r in rows
        if r["stance"] == "not_answered"
        and not r.get("tick_box")
        and r["method"] in ("none", "text")
        and str(r["respondent_id"]) in letters
    ]


def row_features(
    rows: list[dict], chosen: list[dict], texts: dict, consultation: Consultation
) -> list[tuple[dict[str, float], list[int]]]:
    """:func:`features` of each chosen row, with the gate's and the rules' readings."""
    from helpers.stance import gate
    from helpers.stance.discourse import refine
    from helpers.stance.infer import infer_stances
    from helpers.stance.topic import topic_vocabulary

    closed = tuple(consultation.closed_questions)
    ids = [q.id for q in closed]
    dirs: dict[tuple[str, str], int] = {}
    for r in rows:
        s = r["score"]
        if r["stance"] != "not_answered" and isinstance(s, (int, float)) and s == s:
            dirs[(str(r["respondent_id"]), r["question_id"])] = (s > 0) - (s < 0)
    letters = sorted({str(r["respondent_id"]) for r in chosen})
    whole = {
        rid: refine(texts[rid], res).score or 0.0
        for rid, res in zip(letters, infer_stances([texts[rid] for rid in letters]), strict=True)
    }
    out, focus_texts, vocab = [], [], []
    for r in chosen:
        rid, q = str(r["respondent_id"]), ids.index(r["question_id"])
        f, focus = features(texts[rid], q, closed)
        sents = sentences(texts[rid])
        focus_texts.append(gate.without_courtesies(" ".join(texts[rid][a:b] for a, b in
                                                            (sents[i] for i in focus))))  # fmt: skip
        vocab.append(topic_vocabulary(consultation, r["question_id"]))
        others = [dirs.get((rid, o), 0) for o in ids if o != r["question_id"]]
        f.update(
            rules_score=float(whole[rid]),
            other_pos=sum(1 for d in others if d) / len(others) if others else 0.0,
            other_dir=sum(others) / len(others) if others else 0.0,
        )
        out.append((f, focus))
    _similarities(chosen, out, texts, consultation)
    w = gate.load_weights()
    if w is not None and focus_texts:
        p = gate.probabilities(gate.features(focus_texts, vocab, gate.layout_of(w)), w)
        for (f, _), pr in zip(out, p, strict=True):
            f["gate_agree"], f["gate_disagree"] = float(pr[0]), float(pr[1])
    return out


def _similarities(
    chosen: list[dict],
    out: list[tuple[dict[str, float], list[int]]],
    texts: dict,
    consultation: Consultation,
) -> None:
    """The ``sim_*`` features of each chosen row, in place: how close in meaning the letter's
    sentences come to the question's own wording and to the proposal (the consultation's
    title and description), by WordLlama's sentence vectors (``core.wordvectors``). A letter
    about something else ("the library's opening hours") uses the consultation's words less
    and its meaning even less. Left at 0 without the vectors."""
    from helpers.core import wordvectors

    for f, _ in out:
        f.update(sim_q_max=0.0, sim_q_mean=0.0, sim_q_margin=0.0, sim_proposal=0.0)
    if not chosen or not wordvectors.available():
        return
    closed = tuple(consultation.closed_questions)
    ids = [q.id for q in closed]
    wording = [" ".join([q.text, q.short or "", *q.aliases]) for q in closed]
    wording.append(f"{consultation.title}. {consultation.description or ''}")
    qv = wordvectors.encode(wording)
    letters = sorted({str(r["respondent_id"]) for r in chosen})
    sims = {}
    for rid in letters:
        pieces = [texts[rid][a:b].strip() for a, b in sentences(texts[rid])] or [texts[rid]]
        sims[rid] = wordvectors.encode(pieces) @ qv.T  # (sentences, questions + proposal)
    for r, (f, _) in zip(chosen, out, strict=True):
        m, q = sims[str(r["respondent_id"])], ids.index(r["question_id"])
        best = m[:, : len(ids)].max(axis=0)
        f["sim_q_max"] = float(best[q])
        f["sim_q_mean"] = float(m[:, q].mean())
        f["sim_q_margin"] = float(best[q] - max((best[j] for j in range(len(ids)) if j != q),
                                                 default=0.0))  # fmt: skip
        f["sim_proposal"] = float(m[:, len(ids)].max())


def implied_rows(
    rows: list[dict], texts: dict, letters: set[str], consultation: Consultation
) -> None:
    """Each letter row still ``not_answered`` (``candidate_rows``) takes the position the
    model reads from the whole letter, in place; off without the weights."""
    weights = load_weights()
    # Learned from consultations with two or three closed questions: with one, every feature
    # that compares the question with the others is out of the model's range (an off-topic
    # complaint read as disagreement in a one-question consultation), so it is not read.
    if weights is None or len(consultation.closed_questions) < MIN_CLOSED:
        return
    chosen = [r for r in candidate_rows(rows, letters)
              if isinstance(texts.get(str(r["respondent_id"])), str)
              and texts[str(r["respondent_id"])].strip()]  # fmt: skip
    if not chosen:
        return
    from helpers.stance.unstructured import _own_stems

    own = _own_stems(tuple(consultation.closed_questions))
    ids = [q.id for q in consultation.closed_questions]
    t = weights["threshold"]
    for r, (f, focus) in zip(chosen, row_features(rows, chosen, texts, consultation), strict=True):
        stance = decide(probabilities(f, weights), t)
        if stance is None:
            continue
        text = texts[str(r["respondent_id"])]
        a, b = evidence(text, focus, stance, frozenset(own[ids.index(r["question_id"])]))
        r.update(stance=stance, text_stance=stance, score=float(1 if stance == "agree" else -1),
                 confidence=float(weights["confidence"]), evidence=text[a:b], start=a, end=b,
                 method="unstructured")  # fmt: skip
