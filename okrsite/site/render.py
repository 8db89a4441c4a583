"""The Jinja environment of generated pages: the site's templates first, the package's last.

A site overrides a page by putting a file of the same name in its templates
folder; the override may extend the original with `{% extends "default:team.md" %}`.
Content always reaches templates as variables, so Jinja never evaluates it, and
autoescaping is on for every template.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateSyntaxError,
)
from jinja2.loaders import split_template_path
from markupsafe import Markup

from ..analysis.score import Status
from ..content.errors import shown_path
from ..content.files import special_kind
from ..content.resources import Hosts
from .charts import number
from .text import SafeMarkdown, md_text


class TemplateFailed(Exception):
    """A page template could not be read or rendered; the message names the template file and line."""


class _SiteTemplates(FileSystemLoader):
    """The site's own templates: a FIFO or device named like a template is an error, never opened (it would wait forever)."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        for folder in self.searchpath:
            path = os.path.join(folder, *split_template_path(template))
            try:
                kind = special_kind(os.stat(path).st_mode)
            except OSError:
                continue
            if kind is not None and kind != "a folder":
                raise TemplateFailed(f"{shown_path(path)}: this is {kind}; expected a page template (a file of text)")
        return super().get_source(environment, template)


def render_page(env: Environment, template: str, context: dict[str, Any]) -> str:
    """The template rendered with `context`; any failure (a typo in a site's override, say) as a TemplateFailed at its line."""
    try:
        return env.get_template(template).render(context)
    except TemplateFailed:
        raise
    except TemplateSyntaxError as exc:
        raise TemplateFailed(f"{shown_path(exc.filename or exc.name or template)}:{exc.lineno}: template error: {exc.message}") from None
    except Exception as exc:  # a template runs code: whatever it raises is reported at its line, not as a traceback
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".md", ".html"))]
        where = f"{shown_path(frames[-1].filename)}:{frames[-1].lineno}" if frames else template
        raise TemplateFailed(f"{where}: template error while making a page from {template}: {exc}") from None


def make_environment(site_templates: Path | None = None, hosts: Hosts | None = None) -> Environment:
    package = PackageLoader("okrsite.site", "templates")
    loaders: list[BaseLoader] = [_SiteTemplates(str(site_templates))] if site_templates is not None and site_templates.is_dir() else []
    env = Environment(
        loader=ChoiceLoader([*loaders, package, PrefixLoader({"default": package}, delimiter=":")]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    safe = SafeMarkdown(hosts)
    env.filters.update(md=md_text, markdown=safe.block, inline=safe.inline, score=score_text, number=number)
    env.filters["status_class"] = status_class
    return env


def score_text(value: float | None) -> str:
    """Scores show with two decimals."""
    return "–" if value is None else f"{value:.2f}"


def status_class(status: Status) -> Markup:
    return Markup("okr-status-" + status.label.replace(" ", "-"))
