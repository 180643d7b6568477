"""How many gold themes the draft codebook recovers (``make evaluate``, issue 14 item 5).

Discovery (``helpers.coding.discover_themes``) runs on a set's answers of the
split *without* its codebook, as for a consultation nobody has coded yet, and
its draft themes are compared with the gold themes:

- **the answers** are the gold answers themselves (each record's answers
  joined into one text, offsets into it), so the measure is of discovery and
  not of segmentation; a gold ``campaign`` group counts once (its first
  record), as the ``copies`` table makes discovery do;
- **a gold theme on a question** is the set of answers to that question the
  gold labels with it; it can be found only where it has at least
  ``MIN_ANSWERS`` (3) answers, discovery's own floor for a theme, so gold
  themes with fewer answers on every question are left out of the count
  (shown as ``eligible`` of ``total``);
- **recovered**: some draft theme of that question whose answers (answers
  with a sentence assigned to it) match the gold theme's answers with
  F1 ≥ ``RECOVERED_F1`` (0.5). F1 rather than Jaccard because it is the
  measure themefinder reports against experts, and 0.5 means at least half of
  the draft theme is the gold theme and half of the gold theme is in it (a
  draft theme that mixes two gold themes of equal size still recovers each
  at F1 0.67; one that holds a third of a theme does not). A gold theme
  counts once however many questions it is found on: recovered on any.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from helpers.validate.devsets.goldview import GoldResponse

__all__ = ["DiscoveryScore", "discovery_tables", "score_discovery", "format_discovery"]

MIN_ANSWERS = 3
RECOVERED_F1 = 0.5


@dataclass
class DiscoveryScore:
    name: str
    split: str
    total: int = 0  # gold themes labelled in the split
    eligible: int = 0  # with >= MIN_ANSWERS answers on some question
    recovered: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    n_draft: int = 0

    @property
    def rate(self) -> float | None:
        return len(self.recovered) / self.eligible if self.eligible else None


def discovery_tables(records: list[GoldResponse]):
    """(answers, respondents, copies) frames built from the gold records' answers."""
    texts, rows, copies, seen = {}, [], [], set()
    for r in records:
        parts, pos = [], 0
        for a in r.answers:
            body = a.text.strip()
            if not body:
                continue
            if parts:
                pos += 2
            rows.append(
                {"respondent_id": r.name, "question_id": a.question, "start": pos,
                 "end": pos + len(body), "answer_text": body, "substantive": a.substantive}
            )  # fmt: skip
            parts.append(body)
            pos += len(body)
            if a.campaign:
                first = (a.campaign, a.question) not in seen
                seen.add((a.campaign, a.question))
                copies.append(
                    {"respondent_id": r.name, "question_id": a.question,
                     "copy_group": f"{a.campaign}:{a.question}", "is_first": first}
                )  # fmt: skip
        texts[r.name] = "\n\n".join(parts)
    answers = pd.DataFrame(
        rows, columns=["respondent_id", "question_id", "start", "end", "answer_text", "substantive"]
    )
    respondents = pd.DataFrame({"respondent_id": list(texts), "text": list(texts.values())})
    cols = ["respondent_id", "question_id", "copy_group", "is_first"]
    return answers, respondents, pd.DataFrame(copies, columns=cols)


def _f1(a: set, b: set) -> float:
    tp = len(a & b)
    return 2 * tp / (len(a) + len(b)) if tp else 0.0


def score_discovery(name, split, records, consultation, encode=None, seed=0) -> DiscoveryScore:
    """Run discovery on the split's gold answers and count the gold themes it recovers."""
    from helpers import coding

    answers, respondents, copies = discovery_tables(records)
    dropped = {
        (r, q) for r, q, f in zip(copies["respondent_id"], copies["question_id"], copies["is_first"],
                                  strict=True) if not f
    }  # fmt: skip
    gold: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for r in records:
        for a in r.answers:
            if a.text.strip() and a.themes and (r.name, a.question) not in dropped:
                for t in a.themes:
                    gold[t][a.question].add(r.name)
    score = DiscoveryScore(name, split, total=len(gold))
    if answers.empty:
        return score
    result = coding.discover_themes(
        answers, respondents, consultation, copies=copies, encode=encode, seed=seed
    )
    drafted = set(result.themes.loc[result.themes["label"] != "Other", "theme_id"])
    score.n_draft = len(drafted)
    m = result.members[result.members["theme_id"].isin(drafted)]
    draft_sets: dict[str, dict[str, set]] = defaultdict(dict)
    for (q, t), g in m.groupby(["question_id", "theme_id"]):
        draft_sets[q][t] = set(g["respondent_id"])
    for theme, by_q in sorted(gold.items()):
        found = [q for q, s in by_q.items() if len(s) >= MIN_ANSWERS]
        if not found:
            continue
        score.eligible += 1
        best = max(
            (_f1(d, by_q[q]) for q in found for d in draft_sets.get(q, {}).values()), default=0.0
        )
        (score.recovered if best >= RECOVERED_F1 else score.missed).append(theme)
    return score


def format_discovery(scores: list[DiscoveryScore]) -> str:
    """One line per set: recovered / eligible gold themes (of all), draft size."""
    lines = [f"discovery: gold themes the draft codebook recovers (F1 >= {RECOVERED_F1})"]
    for s in scores:
        rate = "n/a" if s.rate is None else f"{100 * s.rate:.0f}%"
        lines.append(
            f"  {s.name:<16} {s.split:<7} {len(s.recovered)}/{s.eligible} ({rate}); "
            f"{s.total} gold themes, {s.n_draft} draft themes"
        )
    return "\n".join(lines)


def discovery_report(folders, split: str = "dev", encode=None) -> str:
    """``format_discovery`` for every document/survey set folder whose gold labels themes."""
    from helpers.core.consultation import load_consultation
    from helpers.core.embedding import ModelMissingError
    from helpers.validate.devsets.gold import load_gold
    from helpers.validate.devsets.goldview import gold_responses

    scores = []
    for folder in folders:
        if not (folder / "gold.yaml").is_file():
            continue
        records = gold_responses(load_gold(folder), split, where=str(folder / "gold.yaml"))
        if not any(a.themes for r in records for a in r.answers):
            continue
        consultation = load_consultation(folder / "consultation.yaml")
        try:
            scores.append(score_discovery(folder.name, split, records, consultation, encode))
        except ModelMissingError as exc:
            return f"discovery: not measured ({exc})"
    return format_discovery(scores) if scores else ""
