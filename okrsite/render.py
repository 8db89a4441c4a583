"""The Jinja environment of generated pages: the site's templates first, the package's last.

A site overrides a page by putting a file of the same name in its templates
folder; the override may extend the original with `{% extends "default:team.md" %}`.
Content always reaches templates as variables, so Jinja never evaluates it, and
autoescaping is on for every template.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader, StrictUndefined
from markupsafe import Markup

from .charts import number
from .score import Status
from .text import md_text, render_inline, render_markdown


def make_environment(site_templates: Path | None = None) -> Environment:
    package = PackageLoader("okrsite", "templates")
    loaders = [FileSystemLoader(str(site_templates))] if site_templates is not None and site_templates.is_dir() else []
    env = Environment(
        loader=ChoiceLoader([*loaders, package, PrefixLoader({"default": package}, delimiter=":")]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md_text, markdown=render_markdown, inline=render_inline, score=score_text, number=number)
    env.filters["status_class"] = status_class
    return env


def score_text(value: float | None) -> str:
    """Scores show with two decimals."""
    return "–" if value is None else f"{value:.2f}"


def status_class(status: Status) -> Markup:
    return Markup("okr-status-" + status.label.replace(" ", "-"))
