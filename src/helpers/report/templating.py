"""The Jinja2 environment that turns the report's prepared data into HTML.

The report's markup and stylesheets live in ``report/templates/`` (``*.html.j2``
and ``*.css``), so a team restyles its report (house style, logo, colours,
wording of the fixed headings) without touching Python. A team keeps its own
versions of any of those files in a folder of its own and passes it as
``templates_dir``: that folder is searched first, the package's templates fill
in whatever it does not override.

Autoescaping is on for every template: each ``{{ value }}`` is HTML-escaped, so
respondent text (answers, quotes, organisation names, the consultation and
codebook wording) can never become markup. Templates receive plain data
(strings, numbers, lists, dicts) and never see respondent text as template
source, so ``{{ 7*7 }}`` in an answer is printed, not evaluated. The only
values marked safe are markup this package produced itself (see ``Markup``
in :mod:`helpers.report.publish` and :func:`stylesheet`).

Every printed value also passes through ``core.redact`` (personal data as
``[email]``, ``[phone]``, ``[name]``…): the last net under the redaction of the
report's inputs (``analysis.redact_inputs``), so no template, a team's own
included, can print an e-mail address or phone number.

Bidirectional controls (U+202E and the like) are removed from every printed
value, and quotes are isolated with the ``isolate`` filter, so a respondent's
words cannot reverse the report around them (:mod:`helpers.report.bidi`).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from helpers.core.errors import ConfigError
from helpers.core.redact import redact
from helpers.report.bidi import isolate_bidi, strip_bidi

TEMPLATE_PACKAGE = "helpers.report"
TEMPLATE_FOLDER = "templates"


def _finalize(value: Any) -> Any:
    """Every printed value: bidi controls removed (:mod:`helpers.report.bidi`), personal data redacted.

    Applied to every ``{{ value }}`` of every template, a team's own included,
    so no respondent string can reverse the report's text around it; the
    package's own markup (``Markup``) passes through untouched.
    """
    if isinstance(value, str) and not isinstance(value, Markup):
        if value.startswith("data:"):  # an embedded chart (base64), not text
            return value
        return redact(strip_bidi(value))[0]
    return value


@functools.lru_cache(maxsize=8)
def _environment(templates_dir: str | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader(TEMPLATE_PACKAGE, TEMPLATE_FOLDER)]
    if templates_dir is not None:
        loaders.insert(0, jinja2.FileSystemLoader(templates_dir))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        # Escaping on for every template whatever its name, a team's own included.
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,  # a misspelt field fails loudly, not as blank text
        trim_blocks=True,  # block tags on their own lines leave no blank lines behind
        lstrip_blocks=True,
        keep_trailing_newline=True,  # each section ends its line, so the HTML reads line by line
    )
    # ``{{ quote|isolate }}``: a respondent's words in <bdi> when their direction could
    # reorder the text around them (right-to-left characters or controls).
    env.filters["isolate"] = isolate_bidi
    return env


def environment(templates_dir: str | Path | None = None) -> jinja2.Environment:
    """The environment for the package's templates, ``templates_dir`` searched first."""
    if templates_dir is not None:
        folder = Path(templates_dir)
        if not folder.is_dir():
            raise ConfigError(f"{folder}: report templates folder not found")
        templates_dir = str(folder.resolve())
    return _environment(templates_dir)


def render(name: str, templates_dir: str | Path | None = None, **context: Any) -> str:
    """Render template ``name`` (e.g. ``"report.html.j2"``) with ``context``."""
    return environment(templates_dir).get_template(name).render(**context)


def source(name: str, templates_dir: str | Path | None = None) -> str:
    """A file from the templates folder as plain text (the stylesheets), not rendered."""
    env = environment(templates_dir)
    text, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    return text


def report_css(page: bool = False, templates_dir: str | Path | None = None) -> str:
    """The report's stylesheet (``report.css``), plus ``page.css`` when ``page`` is true.

    Rules in ``report.css`` are scoped to ``.consultation-report`` so the report
    can be shown in a notebook; ``page.css`` holds the rules for the standalone
    page (body, nbconvert wrappers) and is never injected into a notebook.
    """
    css = source("report.css", templates_dir)
    if page:
        css += "\n" + source("page.css", templates_dir)
    return css


def stylesheet(page: bool = False, templates_dir: str | Path | None = None) -> Markup:
    """The stylesheet ready for a ``<style>`` element.

    Marked safe: it is the package's (or the team's) own CSS file, never
    respondent text, and escaping would corrupt it (quotes in ``content:``).
    """
    return Markup(report_css(page, templates_dir))
