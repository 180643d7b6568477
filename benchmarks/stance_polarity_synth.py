"""Synthetic answers whose surface polarity is inverted by what the opinion word applies to.

    PYTHONPATH=src:. python -m benchmarks.stance_polarity_synth [--split=dev|heldout|all]

Session 28 (issue 13). Written BEFORE any polarity reader was scored: each template is an
answer with a known side (+1 agree with the proposal, -1 disagree), in the four shapes of the
class "the surface words' polarity is inverted by what they apply to":

- ``negated``: a negated or inverted verb of opinion ("can't disagree", "no objection",
  "not convinced", "hard to argue against");
- ``opposing``: agreeing or disagreeing with an OPPOSING statement or party ("we agree with
  those who say this is a mistake", "we reject the claim that it is unnecessary");
- ``undoing``: agreeing to an act that undoes the proposal ("I agree with rejecting it",
  "I'd support scrapping it");
- ``alternative``: supporting an alternative or the status quo, or opposing one.

``{P}`` is filled with a generic name for the proposal (never a consultation's words). The
templates are split into a ``dev`` half and a ``heldout`` half BY TEMPLATE (a seeded shuffle
fixed here), so a reader tuned on ``dev`` is scored on sentence shapes it never saw.
"""

from __future__ import annotations

import random
import sys

PROPOSALS = ("the proposal", "this plan", "the change", "the new scheme", "the idea",
             "these changes", "what is proposed", "it")  # fmt: skip
PREFIXES = ("", "Honestly, ", "To be frank, ", "Having read it all, ", "For what it's worth, ")
SUFFIXES = ("", " That's my view.", " Thanks.", " I've thought about it a lot.")

# (shape, side, template)
TEMPLATES: tuple[tuple[str, int, str], ...] = (
    ("negated", 1, "I can't disagree with {P}."),
    ("negated", 1, "I cannot really disagree with {P}."),
    ("negated", 1, "It's hard to argue against {P}."),
    ("negated", 1, "Hard to argue with {P}, to be honest."),
    ("negated", 1, "I have no objection to {P}."),
    ("negated", 1, "No objections from me to {P}."),
    ("negated", 1, "We have no objection whatsoever to {P}."),
    ("negated", -1, "I'm not convinced by {P}."),
    ("negated", -1, "We are not convinced that {P} is needed."),
    ("negated", 1, "I'm not against {P}."),
    ("negated", 1, "I am not opposed to {P}."),
    ("negated", 1, "I wouldn't oppose {P}."),
    ("negated", 1, "I can't see any reason to object to {P}."),
    ("negated", -1, "I can't support {P}."),
    ("negated", -1, "We cannot support {P} as it stands."),
    ("negated", 1, "I don't think {P} is a bad idea."),
    ("negated", -1, "I don't think {P} is a good idea."),
    ("negated", 1, "I couldn't agree more with {P}."),
    ("negated", 1, "Nobody sensible could object to {P}."),
    ("negated", 1, "I see no problem with {P}."),
    ("negated", -1, "I find it hard to support {P}."),
    ("negated", 1, "There is nothing in {P} to object to."),
    ("negated", -1, "I really can't get behind {P}."),
    ("negated", 1, "I wouldn't stand in the way of {P}."),
    ("opposing", -1, "I agree with those who say {P} is a mistake."),
    ("opposing", -1, "We agree with the critics of {P}."),
    ("opposing", -1, "I side with the objectors on {P}."),
    ("opposing", -1, "I agree with everyone who has objected to {P}."),
    ("opposing", 1, "We reject the claim that {P} is unnecessary."),
    ("opposing", 1, "I disagree with people who say {P} is a bad idea."),
    ("opposing", 1, "I disagree with the objectors."),
    ("opposing", 1, "I oppose the opposition to {P}."),
    ("opposing", 1, "I don't agree with the people complaining about {P}."),
    ("opposing", 1, "I reject the idea that {P} will fail."),
    ("opposing", -1, "I support the residents who are fighting {P}."),
    ("opposing", -1, "I back the campaign against {P}."),
    ("opposing", -1, "Count me in with the opponents of {P}."),
    ("opposing", 1, "I agree with the supporters of {P}."),
    ("opposing", -1, "We share the concerns of those opposing {P}."),
    ("opposing", 1, "Those who call {P} a waste of money are wrong."),
    ("opposing", -1, "I disagree with the claim that {P} is needed."),
    ("opposing", -1, "I agree that {P} is unnecessary."),
    ("opposing", -1, "I agree it is a mistake."),
    ("opposing", 1, "I reject any suggestion that {P} should be dropped."),
    ("opposing", 1, "The objectors have got this completely wrong."),
    ("opposing", -1, "I agree with the petition against {P}."),
    ("undoing", -1, "I agree with rejecting {P}."),
    ("undoing", -1, "We agree that {P} should be rejected."),
    ("undoing", -1, "I'd support scrapping {P}."),
    ("undoing", -1, "I support withdrawing {P}."),
    ("undoing", -1, "I'm in favour of abandoning {P}."),
    ("undoing", -1, "I'd welcome {P} being dropped."),
    ("undoing", -1, "I would vote to reject {P}."),
    ("undoing", -1, "I'm all for stopping {P}."),
    ("undoing", 1, "I am against scrapping {P}."),
    ("undoing", 1, "I oppose dropping {P}."),
    ("undoing", 1, "I'd object to any attempt to water down {P}."),
    ("undoing", -1, "I agree it should be scrapped."),
    ("alternative", -1, "I support keeping things as they are."),
    ("alternative", -1, "I'd support a delay instead."),
    ("alternative", -1, "I favour the current arrangements."),
    ("alternative", -1, "I'd back doing nothing at all."),
    ("alternative", -1, "I'm in favour of leaving it as it is."),
    ("alternative", -1, "I would support a pilot first, instead of {P}."),
    ("alternative", 1, "I oppose keeping things as they are."),
    ("alternative", 1, "I'm against any further delay to {P}."),
    ("alternative", 1, "I object to any delay."),
    ("alternative", -1, "I prefer the existing system."),
    ("alternative", 1, "I don't support the status quo."),
    ("alternative", -1, "I agree with keeping the current system."),
)

SEED = 28


def split_templates() -> dict[str, list[tuple[str, int, str]]]:
    """The templates halved by a seeded shuffle within each shape (``dev`` / ``heldout``)."""
    out: dict[str, list[tuple[str, int, str]]] = {"dev": [], "heldout": []}
    rng = random.Random(SEED)
    for shape in ("negated", "opposing", "undoing", "alternative"):
        group = [t for t in TEMPLATES if t[0] == shape]
        rng.shuffle(group)
        half = len(group) // 2
        out["dev"] += group[:half]
        out["heldout"] += group[half:]
    return out


def answers(split: str = "all", per_template: int = 3) -> list[tuple[str, int, str, str]]:
    """(text, side, shape, template) rendered ``per_template`` times each, deterministic."""
    rng = random.Random(SEED + 1)
    parts = split_templates()
    chosen = TEMPLATES if split == "all" else tuple(parts[split])
    out = []
    for shape, side, template in chosen:
        seen = set()
        for _ in range(per_template * 4):
            prefix, body = rng.choice(PREFIXES), template.replace("{P}", rng.choice(PROPOSALS))
            if prefix and not body.startswith(("I ", "I'")):
                body = body[0].lower() + body[1:]
            text = prefix + body
            text = text[0].upper() + text[1:] + rng.choice(SUFFIXES)
            if text not in seen:
                seen.add(text)
                out.append((text, side, shape, template))
            if len(seen) >= per_template:
                break
    return out


if __name__ == "__main__":
    split = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--split=")), "all")
    for text, side, shape, _ in answers(split):
        print(f"{side:+d} {shape:12s} {text}")
