"""A line that may be a question heading: what segmentation knows about it.

Filled in by ``headings`` (numbering, cue, text scores) and ``shapes``
(heading shape, bare-number families); read by ``assign`` and ``notes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Candidate:
    """A line that may be a question heading."""

    line_start: int
    line_end: int
    start: int  # heading start (offset into the document)
    end: int  # heading end: the answer starts after it
    number: int | None = None
    numbering: str | None = None  # "q" (Q1, Question 1) or "bare" (1., (1))
    family: str | None = None  # "digit", "roman", "word" or "letter" (numbering.Numbering.family)
    total: int | None = None  # "Step 2 of 6": the 6
    cue: str | None = None  # bold, heading or markdown (whole line)
    plain_text: str = ""  # heading words without numbering/markup
    scores: dict[int, float] = field(default_factory=dict)  # question index -> score
    methods: dict[int, str] = field(default_factory=dict)
    conflict: str | None = None
    unknown_number: bool = False  # "Q9)" in a five-question consultation
    rest: int = 0  # where the heading's words start, after numbering and markup
    prose_number: bool = False  # "Q1 is…": a Q number without punctuation, text after
    order_free: bool = False  # a bare number alone on its line that may come in any order
    run_in: bool = False  # a same-line label with evidence: shapes.drop_lone_run_ins
    shape: str | None = None  # heading shape without a question: see shapes.heading_shape

    def best(self) -> tuple[int, float]:
        if not self.scores:
            return -1, 0.0
        j = max(self.scores, key=lambda k: (self.scores[k], -k))
        return j, self.scores[j]
