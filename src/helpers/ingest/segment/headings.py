"""Steps 1 and 2 of segmentation: find the lines that may be question headings, and score them.

Every non-blank line (split also before a ``Q3)`` run into the previous
paragraph) is a candidate; its numbering, its structure cues and its text
are read, and it is scored 0-1 against every question from the number it
carries and the similarity of its text (``similarity``). Where the answer
starts on the same line, the heading is cut where its prefix best matches a
question. See docs/segmentation.md.
"""

from __future__ import annotations

import bisect
import re

from helpers.core.consultation import Question
from helpers.core.text import strip_span
from helpers.ingest.segment import intents
from helpers.ingest.segment.candidate import Candidate
from helpers.ingest.segment.choice import is_choice
from helpers.ingest.segment.formlabels import closed_by_options, drop_repeated_labels
from helpers.ingest.segment.linenumbers import (
    cued_bare_number,
    lone_number_word,
    trailing_reference,
)
from helpers.ingest.segment.numbering import heading_words, read_numbering
from helpers.ingest.segment.sequence import SEQUENCE_CUE, mark_sequence_headings
from helpers.ingest.segment.shapes import (
    bare_families,
    demote_lists_inside_one_answer,
    drop_lone_run_ins,
    heading_shape,
    run_in_endings,
)
from helpers.ingest.segment.similarity import (
    label_stems,
    norm,
    ratio_at_least,
    stems,
    text_similarities,
    unframed_similarities,
    variants,
)
from helpers.ingest.segment.symbols import symbol_lead
from helpers.ingest.segment.thresholds import (
    BARE_NUMBER_SCORE,
    LABEL_WORD,
    LIST_NUMBER_SCORE,
    NUMBER_SCORE,
    PROSE_NUMBER_SCORE,
    TEXT_MIN,
    VERBATIM,
)
from helpers.ingest.segment.wrapped import join_wrapped

# Markdown emphasis/headings, and ">" quoting in e-mail replies.
# A bullet ("• ", "- ") before a heading's number is skipped too.
_MARKUP_LEAD_RE = re.compile(r"(?:#{1,6}\s+|>\s*|\*\*|__|\*[ \t]*|_|[•●▪‣◦·][ \t]*|[-–][ \t]+)+")
# A plain-text heading typed between runs of the same punctuation: "--- timing ---",
# "=== Our views ===", "** The trial **" (a line wholly wrapped, same run both sides).
_DECORATED_RE = re.compile(r"([-=~*#_+]{3,})[ \t]*(?=\S)(.+?)[ \t]*\1[ \t]*")
_CUT_AFTER = "?:.;)"
# A label of one to four words before a colon at the start of a heading line.
_LEAD_LABEL_RE = re.compile(r"\s*((?:[^\s:?]+[ \t]+){0,3}[^\s:?]+)[ \t]*:[ \t]+\S")
# A bare number ("IV.", "3)") is the respondent's own list numbering as often as a
# question's: when the line's label names another question at least this clearly
# and nothing of the number's question, the label wins.
BARE_CONFLICT = 0.60


def _decorated(line: str) -> bool:
    """Whether ``line`` is words typed between two equal runs of punctuation.

    Rationale: a respondent typing a plain-text reply marks their headings
    the only way plain text allows, "--- the new judgement thing ---" or
    "=== Timing ===", and the reader gives such a line no cue; read as an
    ordinary line it needed a near-verbatim match. The same run of three or
    more on both sides and a letter inside it are required, so a rule
    ("----------"), a signature dash ("-- Sam") or an answer typed between
    dashes ("-- nothing further --") is not a heading.
    """
    m = _DECORATED_RE.fullmatch(line)
    return m is not None and any(ch.isalpha() for ch in m.group(2))


_SEPARATOR_RE = re.compile(r"[ \t]+[-–—:][ \t]+")


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, without surrounding whitespace."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = strip_span(text, m.start(), m.end())
        if e > s:
            spans.append((s, e))
    return spans


def _segments(text: str) -> list[tuple[int, int]]:
    """Lines, further split before numbered question headings found mid-line."""
    out = []
    for ls, le in line_spans(text):
        start = ls
        # A "Q3)" / "Question two:" heading run into the previous paragraph, as
        # when PDF lines are joined: it must follow the end of a sentence.
        for m in heading_words().inline_re.finditer(text, ls, le):
            out.append((start, m.start()))
            start = m.end()
        out.append((start, le))
    return out


def _first_covering(cues: list[tuple[int, int, str]], pos: int) -> tuple[int, int, str] | None:
    """The first bold or heading cue, in list order, with start <= pos < end."""
    for cue in cues:
        if cue[2] in ("bold", "heading") and cue[0] <= pos < cue[1]:
            return cue
    return None


class _CueIndex:
    """``_first_covering`` by bisection, for a document of thousands of cued lines.

    Readers give cues sorted by start (``textnorm``'s ``tidy_cues``). Then the
    first cue in list order covering ``pos`` is the first whose end, as a
    running maximum, passes ``pos``, provided it starts at or before ``pos``.
    Unsorted cues are scanned in order, as ``_first_covering`` does.
    """

    def __init__(self, cues: list[tuple[int, int, str]]) -> None:
        self.cues = [c for c in cues if c[2] in ("bold", "heading")]
        self.starts = [c[0] for c in self.cues]
        self.sorted = all(a <= b for a, b in zip(self.starts, self.starts[1:], strict=False))
        self.max_end: list[int] = []
        for c in self.cues:
            self.max_end.append(max(c[1], self.max_end[-1]) if self.max_end else c[1])

    def covering(self, pos: int) -> tuple[int, int, str] | None:
        if not self.sorted:
            return _first_covering(self.cues, pos)
        j = bisect.bisect_right(self.max_end, pos)  # first cue whose running end > pos
        if j < len(self.cues) and self.starts[j] <= pos:
            return self.cues[j]
        return None


def _cue_for_line(
    text: str, ls: int, le: int, cues: list[tuple[int, int, str]] | _CueIndex
) -> tuple[str | None, int]:
    """The cue kind covering the line, and where a cue that covers only its start ends.

    Returns (kind, cue_end): kind is set when a cue covers the whole line
    (ignoring closing punctuation); cue_end > ls when a cue covers a prefix
    ("**About Become** - ...").
    """
    cue = cues.covering(ls) if isinstance(cues, _CueIndex) else _first_covering(cues, ls)
    if cue is not None:
        _, ce, kind = cue
        if ce >= le or not text[ce:le].strip(" \t:.?*_"):
            return kind, le
        return None, ce
    # Literal markdown (text passed without conversion), and plain-text decoration.
    line = text[ls:le]
    if line.startswith("#") or _decorated(line):
        return "markdown", le
    if line.startswith(("**", "__")):
        close = line.find(line[:2], 2)
        if close == -1 or not line[close + 2 :].strip(" \t:.?"):
            return "markdown", le
        return None, ls + close + 2
    return None, ls


def _skip_markup(text: str, pos: int, end: int) -> int:
    m = _MARKUP_LEAD_RE.match(text, pos, end)
    return m.end() if m else pos


def _make_candidate(
    text: str, ls: int, le: int, cues: list[tuple[int, int, str]] | _CueIndex
) -> Candidate:
    """Read a line's cue and numbering (scores come later)."""
    cue, cue_end = _cue_for_line(text, ls, le, cues)
    c = Candidate(line_start=ls, line_end=le, start=ls, end=cue_end, cue=cue)
    rest = _skip_markup(text, ls, le)
    words_at = symbol_lead(text, rest, le)  # "→ Timing", "🙋 Who we are" (``symbols``)
    if words_at > rest:
        rest = _skip_markup(text, words_at, le)
    n = read_numbering(text, rest, le)
    if n is not None and n.kind == "bare":
        # "2. Response to Question 1": a section number, then the question's.
        inner = read_numbering(text, _skip_markup(text, n.end, le), le)
        if inner is not None and inner.kind == "q" and not inner.prose:
            n = inner
    if n is None and cue is not None:
        n = cued_bare_number(text, rest, le) or trailing_reference(text, rest, le)
    if n is None:
        n = lone_number_word(text, rest, le)
    if n is not None:
        c.number, c.numbering, c.family, c.total = n.number, n.kind, n.family, n.total
        # "Q1)" or "Question 1" alone is heading-shaped; "Q1 is where we…" is prose.
        c.prose_number = n.prose and _skip_markup(text, n.end, le) < le
        rest = _skip_markup(text, n.end, le)
        c.end = max(rest, cue_end)
    c.rest, c.plain_text = rest, text[rest:le]
    return c


def _cut_points(text: str, rest: int, le: int, min_end: int) -> list[int]:
    """Where a heading written on the same line as its answer might end."""
    limit = min(le, rest + 600)  # no question is longer than this
    points = {le}
    for i in range(rest, limit):
        ch = text[i]
        if ch in _CUT_AFTER or (ch in "-–—" and i > rest and text[i - 1] == " "):
            j = i + 1
            while j < le and text[j] in "*_'\"’”":  # closing markup or quote
                j += 1
            if j >= le or text[j].isspace():
                points.add(j)
    return sorted(p for p in points if p >= min_end and p > rest)


def numbered_questions(questions: tuple[Question, ...]) -> dict[int, int]:
    """Question number -> index. "Q0" names the one unnumbered question before Q1.

    Rationale: a form that numbers its questions from 1 often asks an unnumbered
    profile question first ("Capacity in which responding"); a respondent who
    numbers every answer calls that one 0 ("Response to Q0:").
    """
    out = {q.number: j for j, q in enumerate(questions) if q.number is not None}
    if 1 in out and 0 not in out:
        before = [j for j in range(out[1]) if questions[j].number is None]
        if len(before) == 1:
            out[0] = before[0]
    return out


def number_by_place(number: int, total: int | None, questions: tuple[Question, ...]) -> int:
    """The question number meant by "Step ``number`` of ``total``".

    A web form's steps or a response form's items count every question, the
    unnumbered ones too ("Step 1 of 6 – About you" before "Q1"): when ``total``
    is the consultation's number of questions and differs from the count of
    numbered ones, step N is the N-th question, whatever its own number.
    """
    numbered = numbered_questions(questions)
    by_number = len([k for k in numbered if k > 0])
    if total != len(questions) or total == by_number or not 0 < number <= len(questions):
        return number
    return next((k for k, j in numbered.items() if j == number - 1), number)


def _score_candidate(
    text: str,
    c: Candidate,
    questions: tuple[Question, ...],
    styled_doc: bool,
    bare_headings: bool,
    above: dict[int, float] | None = None,
) -> None:
    """Fill c.scores/c.methods and settle where the heading ends.

    ``above``: the scores of the nearest candidate above with any (the heading over
    this line, if it is in an answer)."""
    above = above or {}
    le, rest = c.line_end, c.rest
    bracketed = _bracket_label(text, rest, le)  # "[Start date]": a label, whatever the cut
    numbered = numbered_questions(questions)
    # Best cut: the prefix of the line most like some question's text.
    best_cut, best_t, best_sims = c.end, 0.0, [(0.0, 0.0)] * len(questions)
    best_ev, old_cut, old_t = False, c.end, 0.0
    if c.cue in ("bold", "heading", "markdown", SEQUENCE_CUE):
        cuts = [le]
    else:
        cuts = _cut_points(text, rest, le, c.end)
    # A form's tag after the label ("Start date (required)") is not the question's
    # words: compared without it, and never left to open the answer.
    tag = heading_words().form_tag_re.search(text, rest, le)
    tag_at = tag.start() if tag and tag.start() > rest else le
    if tag_at < le:
        cuts = [p for p in cuts if (p < tag_at and text[p:tag_at].strip()) or p == le]
    for p in cuts:
        if tag_at < p < le:
            continue  # inside the tag: the heading runs to the line's end
        piece = text[rest : min(p, tag_at)]
        sims = text_similarities(piece, questions)
        if c.number is not None and intents.deferred(piece):
            # "1. About the Guild": the number is the document's own or a question's
            # (``shapes``, ``joint``); a self-description frame does not outvote it.
            sims = unframed_similarities(piece, questions)
        if piece.rstrip(" *_'\"’”").endswith((".", "!")) and c.cue is None:
            # A sentence ("We support the bus lane.") is an answer unless it
            # repeats a question's wording: its shared words are no evidence.
            sims = [(v, 0.0) for v, _ in sims]
        elif (
            piece.rstrip(" *_'\"’”").endswith(run_in_endings(text, le))
            or (c.cue is not None and not piece.rstrip(" *_'\"’”").endswith("?"))
            or bracketed
        ):
            sims = _label_word(piece, questions, sims)
        if c.cue is not None and (lab := _LEAD_LABEL_RE.match(piece)):
            # "Changes: loading bays on the outside": a styled heading that states
            # the respondent's conclusion after a label; the label names the question.
            label = lab.group(1) + ":"
            lsims = _label_word(label, questions, text_similarities(label, questions))
            sims = [
                (max(v, lv), max(pa, lp)) for (v, pa), (lv, lp) in zip(sims, lsims, strict=True)
            ]
        # A cut whose piece is evidence for some question (a run-in label
        # "On the proposal itself:") beats one that is not, however long the
        # latter's raw character overlap with a question; among equals, prefer
        # the cut with the best whole-question character match.
        # (old_cut: the cut by characters alone, as before session 11.)
        ev = max((max(s) for s in sims), default=0) >= TEXT_MIN
        npiece = norm(piece)  # once: the piece may be a whole megabyte-long line
        # Only a ratio above the best so far can change a choice, so lower ones are
        # cut off (to 0): a megabyte-long line is then rejected from its length alone.
        cutoff = max(0.0, min(old_t, best_t if ev == best_ev else 0.0) * 100 - 1e-9)
        t = max(
            (ratio_at_least(npiece, v.norm, cutoff) / 100 for q in questions for v in variants(q)),
            default=0,
        )
        t = max(t, max((max(s) for s in sims), default=0) * 0.5)
        if t > old_t:
            old_cut, old_t = p, t
        if (t > best_t and ev >= best_ev) or (ev and not best_ev):
            best_cut, best_t, best_sims, best_ev = p, t, sims, ev
    run_in = text[rest:best_cut].rstrip(" *_'\"’”").endswith(run_in_endings(text, le))
    c.run_in = best_cut != old_cut and run_in and c.cue is None and c.numbering is None
    heading_like = (
        c.cue is not None
        or (c.numbering == "q" and not c.prose_number)
        or (best_cut == le and bracketed)
    )
    if len(stems(text[rest:best_cut])) < 3 and len(best_sims) > 1:
        # One or two words ("Care leavers") must point at one question only.
        paras = sorted((p for _, p in best_sims), reverse=True)
        if paras[0] - paras[1] < 0.15:
            best_sims = [(v, 0.0) for v, _ in best_sims]
    if best_cut < le and text[best_cut:le].strip(" \t:–—-"):
        # "On behalf of an organisation: the Youth Justice Service …" under a heading
        # naming that question: the respondent's choice among the question's
        # alternatives, then its answer (``choice``), not a second heading.
        piece = text[rest:best_cut].strip(" \t*_:–—-")
        best_sims = [
            (0.0, 0.0) if above.get(j, 0.0) > 0 and is_choice(piece, q) else s
            for j, (q, s) in enumerate(zip(questions, best_sims, strict=True))
        ]
    # A plain "About me" / "Who we are" line in a document of question-numbered
    # headings (session 22): the profile question is the one a form seldom numbers,
    # so the respondent titles it in its own words; its frame counts like a heading's.
    self_line = styled_doc and not heading_like and intents.firm_self(text[rest:best_cut])
    text_scores: list[float] = []
    for verbatim, para in best_sims:
        if styled_doc and not heading_like and c.numbering is None and not self_line:
            s = verbatim if verbatim >= VERBATIM else 0.0
        else:
            piece = text[rest:best_cut].rstrip(" *_'\"’”")
            label = piece.endswith(("?", *run_in_endings(text, le)))  # a run-in label counts fully
            shape = 1.0 if (heading_like or label) else 0.9
            if piece.endswith(".") and not heading_like:
                shape = 0.6
            s = max(verbatim if verbatim >= 0.85 else verbatim * shape, para * shape * 0.95)
        text_scores.append(s if s >= TEXT_MIN else 0.0)
    if max(text_scores, default=0) > 0:
        c.end = max(c.end, best_cut)
        # '"Question?" - answer': the separator belongs to neither.
        sep = _SEPARATOR_RE.match(text, c.end, le)
        if sep and sep.end() < le:
            c.end = sep.end()
    # Number evidence.
    num_j = numbered.get(c.number) if c.number is not None else None
    if c.numbering == "q":
        num_score = PROSE_NUMBER_SCORE if c.prose_number else NUMBER_SCORE
    elif c.numbering == "bare":
        standalone = c.end >= le or c.cue is not None
        num_score = BARE_NUMBER_SCORE if (standalone or bare_headings) else LIST_NUMBER_SCORE
    else:
        num_score = 0.0
    best_text_j = max(range(len(questions)), key=lambda j: text_scores[j]) if questions else -1
    # How clearly the line must name another question to discredit its number.
    conflict_min = BARE_CONFLICT if c.numbering == "bare" else 0.85
    discredited = (
        num_j is not None
        and best_text_j != num_j
        and text_scores[num_j] == 0
        and text_scores[best_text_j] >= conflict_min
    )
    for j, _q in enumerate(questions):
        t = text_scores[j]
        if num_j == j:
            if t > 0:
                c.scores[j], c.methods[j] = min(1.0, num_score + (1 - num_score) * t), "number+text"
            else:
                score = num_score
                # The line's text names another question: trust the number less.
                if discredited:
                    score -= 0.3
                    c.conflict = (
                        f"heading number {c.number} but its text matches "
                        f"{questions[best_text_j].label}"
                    )
                c.scores[j], c.methods[j] = score, "number"
        elif t > 0:
            # Text alone; a conflicting number (Q2 with Q3's text) weakens it a little.
            penalty = (
                0.1 if num_j is not None and not (discredited and c.numbering == "bare") else 0.0
            )
            c.scores[j], c.methods[j] = max(0.0, t - penalty), "text"
    if c.number is not None and num_j is None and c.numbering == "q":
        c.unknown_number = True


_BRACKET_LABEL_RE = re.compile(r"[ \t]*\[[ \t]*[^\W\d_][^\[\]\n.!?;]{0,60}\][ \t]*")
_BRACKET_LABEL_WORDS = 8


def _bracket_label(text: str, rest: int, le: int) -> bool:
    """Whether the line is a short label in square brackets: "[Good]", "[Start date]".

    Why (session 20, ofsted-docs-22): a respondent typing into a plain document
    marks each answer with a bracketed tag, as a form's field name; the brackets
    make it a label (a heading, like a bold line or one ending in ":"), so a
    one-word tag naming one question's short label or key term counts
    (``_label_word``) and its words count as a heading's, not a plain line's. A
    bracketed sentence ("[Name redacted.]") or a number ("[1]", read as bare
    numbering) is no label.
    """
    m = _BRACKET_LABEL_RE.fullmatch(text, rest, le)
    return m is not None and len(text[rest:le].split()) <= _BRACKET_LABEL_WORDS


def _label_word(
    piece: str, questions: tuple[Question, ...], sims: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """A one-word label ("Parking:", a bold "Timing") naming one question's label or key term.

    One content word is otherwise no evidence (``similarity``); written as a
    label (before a colon, or a bold line that is not a question) it counts
    (``LABEL_WORD``) when it is a word of exactly one question's short label
    or keywords. A question with one content word ("Any other thoughts?")
    is still no evidence: it is placed by position if at all.
    """
    ps = stems(piece)
    lead = heading_words().reference_re.match(piece.lstrip())
    if len(ps) == 2 and lead is not None:  # "Re the trial –": the lead is not a word of it
        ps = stems(piece.lstrip()[lead.end() :])
    if len(ps) != 1:
        return sims
    hits = [j for j, q in enumerate(questions) if ps <= label_stems(q)]
    if len(hits) != 1:
        return sims
    out = list(sims)
    v, para = out[hits[0]]
    out[hits[0]] = (v, max(para, LABEL_WORD))
    return out


def find_candidates(
    text: str, cues: list[tuple[int, int, str]], questions: tuple[Question, ...]
) -> list[Candidate]:
    index = _CueIndex(cues)
    raw = [_make_candidate(text, ls, le, index) for ls, le in _segments(text)]
    raw = join_wrapped(text, raw, questions, lambda ls, le: _make_candidate(text, ls, le, index))
    for c in raw:
        if c.total is not None and c.number is not None:
            c.number = number_by_place(c.number, c.total, questions)
    mark_sequence_headings(text, raw)  # "First, who we are." / "Secondly, on …"
    # Document style: styled headings (Q-numbers, or cue lines that name a
    # question) mean plain lines must repeat a question near-verbatim.
    styled = 0
    for c in raw:
        if c.numbering == "q" and not c.prose_number:
            styled += 1
        elif c.cue is not None:
            if any(max(sim) >= 0.6 for sim in text_similarities(c.plain_text, questions)):
                styled += 1
    styled_doc = styled >= 2
    families = bare_families(raw, questions, text)
    above: dict[int, float] = {}
    for c in raw:
        _score_candidate(text, c, questions, styled_doc, c.family in families, above)
        above = c.scores or above
    demote_lists_inside_one_answer(raw, families)
    drop_lone_run_ins(raw, text)
    drop_repeated_labels(text, raw)
    for i, c in enumerate(raw):
        nxt = raw[i + 1] if i + 1 < len(raw) else None
        c.shape = heading_shape(text, c, nxt)
    closed_by_options(text, raw, questions)
    return [c for c in _merge_number_lines(text, raw, questions) if c.scores or c.shape]


def _merge_number_lines(
    text: str, raw: list[Candidate], questions: tuple[Question, ...]
) -> list[Candidate]:
    """Join a number alone on its line ("Question 1") to the question text on the next line.

    A heading joined from wrapped lines (``wrapped``) is a whole question already:
    the line after it is the answer, even when it opens with a label naming the
    question ("People with young children: mostly good").
    """
    numbered = numbered_questions(questions)
    out: list[Candidate] = []
    skip = False
    for i, c in enumerate(raw):
        if skip:
            skip = False
            continue
        j = numbered.get(c.number) if c.number is not None else None
        nxt = raw[i + 1] if i + 1 < len(raw) else None
        if (
            j is not None
            and c.end >= c.line_end
            and "\n" not in text[c.line_start : c.line_end]
            and nxt is not None
            and nxt.number is None
            and nxt.methods.get(j) == "text"
        ):
            base = c.scores[j]
            nxt.start, nxt.number, nxt.numbering = c.start, c.number, c.numbering
            nxt.scores[j] = min(1.0, base + (1 - base) * nxt.scores[j])
            nxt.methods[j] = "number+text"
            out.append(nxt)
            skip = True
        else:
            out.append(c)
    return out
