"""Segmentation: split one response document into answers, one per consultation question.

Respondents rarely use the consultation's own layout. They number questions
(``Q1)``, ``Question two``, ``First question``, ``(iv)``, ``Our response to
question 3``, ``3.``), repeat the question in full, in part, by its short
label or in their own words, make headings bold, add headings of their own,
or write a letter with no headings at all. Segmentation works in five steps
(see docs/segmentation.md):

1. **Candidates.** Every non-blank line is a possible heading. A line's
   numbering, its structure cues (bold or Word heading, from the reader, or
   literal markdown ``**``/``#``) and its text are read; where the answer
   starts on the same line as the question, the heading is cut at the point
   whose prefix best matches a question's wording.
2. **Scores.** Each candidate is scored 0-1 against every question from the
   number it carries and the similarity of its text to the question's text,
   short label and aliases (near-verbatim character similarity, plus stemmed
   content-word overlap with those and the question's keywords, through a
   small table of generic synonyms, for paraphrases).
3. **Assignment.** Dynamic programming picks the best chain of headings whose
   questions follow the consultation's order; the order is a prior, not a
   rule, so a strong heading outside the chain is still kept, with a warning
   (out of order, or the question answered twice). Heading-shaped lines
   that name no question are placed by position.
4. **Rows.** Text before the first heading is the ``preamble``; a sign-off or
   contact block after the last answer is ``closing``; a document with no
   headings (a letter) is read paragraph by paragraph, and paragraphs that
   clearly answer a question are assigned to it by content (``letters``),
   the rest kept ``unstructured``. A document whose heading-shaped lines
   are all in the respondent's own words ("Timing", "What worries me") is
   read as sections, each judged by its heading together with its first
   sentences (``sections``); a weak heading (placed by position, or only a
   paraphrase) is judged the same way. Nothing is ever dropped.
5. **Notes.** A heading-shaped line that got no question is reported in its
   row's warning (``unmatched heading: "..."``) and once per file in the
   log, so the researcher can add an alias; a paragraph opening with a
   reference to another question ("On question 3, we…") is noted.

Modules, one per step: ``headings`` (steps 1 and 2, with ``numbering``,
``shapes``, ``similarity``, ``formlabels`` (a form's option labels and
repeated field labels) and the ``candidate`` record), ``assign`` (step
3), ``answers`` (step 4 and ``segment_document``, with ``ticks``: a closed
answer's tick-box lines read into ``tick_box``, and ``signature``: a bare
name-and-role block ending the last answer), ``letters`` (step 4 for a
document with no headings), ``sections`` (step 4 for headings all in the
respondent's own words, and weak headings re-judged in step 3), ``notes`` (step 5);
``twofold`` (one own-words heading over two questions, split in step 4),
``substantive`` (non-answers, also one written in two languages);
``transcript`` (an interview's speaker turns: the interviewer's questions head
the answers) and ``decimal`` (a letter of "2.1", "2.2" paragraphs grouped by
section), structures that are not heading lines, cut into ``parts`` and placed
in one assignment per document (session 19);
``thresholds`` holds the tuning constants; ``tables`` the notebook summaries
of the result (``answer_matrix``, ``warnings_table``, ``answer_preview``).
After every document is segmented, ``resolve_unstructured`` (``meaning``,
``passages``) reads text no heading placed by meaning, learned from the run's
own answers (with ``ordered``: a letter's title or subject line opened into
its paragraphs, and paragraphs between two placed ones aligned to the
questions between theirs, in order), and ``joint`` reads each document with
no question-numbered heading as a whole (a bare number is weighed as evidence): its own-words sections (heading and body) assigned to questions in one
assignment, each question at most once, with a margin; ``letterseq`` then reads each letter (a
document only the letter and meaning rules placed) as one sequence of paragraphs, with emission
weights learned from the spent development batches.
"""

from helpers.ingest.segment.answers import (
    AnswerRows,
    answers_frame,
    run_frames,
    segment_document,
    segment_rows,
    survey_answer_rows,
)
from helpers.ingest.segment.copied import place_copies
from helpers.ingest.segment.learned import rerank
from helpers.ingest.segment.letterseq import read_letters
from helpers.ingest.segment.meaning import resolve_unstructured
from helpers.ingest.segment.similarity import text_similarity
from helpers.ingest.segment.tables import answer_matrix, answer_preview, warnings_table

__all__ = [
    "AnswerRows",
    "answer_matrix",
    "answers_frame",
    "answer_preview",
    "resolve_unstructured",
    "place_copies",
    "read_letters",
    "rerank",
    "run_frames",
    "segment_document",
    "segment_rows",
    "survey_answer_rows",
    "text_similarity",
    "warnings_table",
]
