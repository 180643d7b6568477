"""Segmentation's tuning constants, in one place; the reasons are in docs/segmentation.md.

Scores run 0-1. A candidate heading earns a score against each question from
its numbering and its text (``headings``); the assignment (``assign``) keeps
the chain of headings whose scores beat ``ACCEPT``.
"""

ACCEPT = 0.55  # a heading's score must beat this to join the chain...
NEXT_BONUS = 0.10  # ...less this bonus when it is the next question in order
SKIP_PENALTY = 0.03  # per question skipped between two chained headings
STRONG = 0.80  # outside the chain, a heading this strong is kept with a warning
PARAPHRASE_OUT = (
    0.70  # outside the chain, a heading-shaped clear paraphrase of an unanswered question
)
VERBATIM = 0.90  # plain-line text similarity needed when the document has styled headings
LABEL_WORD = 0.70  # a one-word label ("Parking:") that is a word of one question's label/keywords
TEXT_MIN = 0.50  # text similarity below this is no evidence at all
NUMBER_SCORE = 0.80  # "Q3)" / "Question 3:" alone
BARE_NUMBER_SCORE = 0.60  # "3." when it looks like a heading
LIST_NUMBER_SCORE = 0.35  # "3. Some point" that looks like a list item
PROSE_NUMBER_SCORE = 0.50  # "Q3 was about…": no punctuation after the number
ORDER_SCORE = 0.40  # a question-shaped heading placed by position only
