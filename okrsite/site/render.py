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
from types import CodeType
from typing import Any

from jinja2 import (
    BaseLoader,
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateSyntaxError,
)
from jinja2.bccache import Bucket
from jinja2.loaders import split_template_path
from markupsafe import Markup

from ..analysis.score import Phase, Status, Summary
from ..content.errors import shown_path
from ..content.files import special_kind
from ..content.resources import Hosts
from .charts import measured, number
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


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory for the life of the process, so that the next build does not compile them again.

    Compiling is most of a small build's time (Material's templates and okrsite's own), and `serve`
    and the tests build many times in one process. A template's code is used again only for the same
    name, file and source (a digest of it), in an environment whose options compile it alike.
    """

    def __init__(self) -> None:
        self._compiled: dict[str, tuple[str, CodeType]] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        key = self.get_cache_key(f"{_compiles_as(environment, name)}|{name}", filename)
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self._compiled.get(bucket.key, ("", None))
        if code is not None and checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._compiled[bucket.key] = (bucket.checksum, bucket.code)


def _compiles_as(env: Environment, name: str) -> str:
    """What of an environment shapes a template's compiled code: its syntax, layout, extensions, escaping, filters and tests."""
    return repr(
        (
            *(env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string),
            *(env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix),
            *(env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline, env.optimized, env.is_async),
            env.autoescape(name) if callable(env.autoescape) else env.autoescape,
            *(sorted(env.extensions), sorted(env.filters), sorted(env.tests), getattr(env.finalize, "__qualname__", env.finalize)),
        )
    )


COMPILED = CompiledTemplates()
"""The one cache of the process: okrsite's page templates, and the theme's (the MkDocs adapter hands it to the theme's environment)."""


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
        bytecode_cache=COMPILED,
    )
    safe = SafeMarkdown(hosts)
    env.filters.update(md=md_text, markdown=safe.block, inline=safe.inline, score=score_text, number=number, measured=measured)
    env.filters["landed"] = landed_text
    env.filters["status_class"] = status_class
    return env


def score_text(value: float | None) -> str:
    """Scores show with two decimals."""
    return "–" if value is None else f"{value:.2f}"


def status_class(status: Status) -> Markup:
    return Markup("okr-status-" + status.label.replace(" ", "-"))


def landed_text(summary: Summary, phase: Phase) -> str:
    """Committed KRs landed, "2 of 3", once the cycle has ended; while it runs, those on track, as none has landed yet."""
    if not summary.committed or phase == "not started":
        return "–"
    if phase == "running":
        return f"{summary.on_track} of {summary.committed} on track"
    return f"{summary.landed} of {summary.committed}"
