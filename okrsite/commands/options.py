"""What every command shares: its options, the site's mkdocs.yml and as-of date, the content loaded and analysed, problems printed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from ..analysis.computed import Analysis
from ..content.errors import Problem, one_line
from ..content.folder import load_organisation
from ..content.model import Organisation
from ..sources.clock import DateSettingError, as_of_date, read_day
from ..sources.history import read_history
from ..sources.site_config import SiteConfig, SiteConfigError, read_site_config


def parse_day(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    option = param.opts[-1]
    try:
        return read_day(value, option)
    except DateSettingError as exc:
        raise click.BadParameter(str(exc).removeprefix(f"{option}: ")) from None


config_option = click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"),
    show_default=True,
    help="The site's mkdocs.yml; paths start from its folder.",
)
as_of_option = click.option(
    "--as-of",
    callback=parse_day,
    metavar="YYYY-MM-DD",
    help="Compute figures as of this date (default: SOURCE_DATE_EPOCH, else today).",
)


def site_of(config_file: Path) -> SiteConfig:
    """The site's okrsite options; a mkdocs.yml that cannot be read stops the command with its reason (exit 2)."""
    try:
        return read_site_config(config_file)
    except SiteConfigError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(2) from None


def day_of(as_of: dt.date | None, site: SiteConfig | None = None) -> dt.date:
    """The as-of date: --as-of, else the plugin's as_of, else SOURCE_DATE_EPOCH, else today; a malformed one stops with exit 2."""
    try:
        if as_of is not None:
            return as_of_date(as_of, setting="--as-of")  # SOURCE_DATE_EPOCH is checked too
        return as_of_date(site.as_of if site else None, setting=f"as_of in {site.file if site else 'mkdocs.yml'}")
    except DateSettingError as exc:
        click.echo(f"okrsite: {exc}", err=True)
        raise SystemExit(2) from None


def load_valid(site: SiteConfig, as_of: dt.date | None) -> Organisation:
    """The valid content; on any content error, print every error and exit 1."""
    org, problems = load_organisation(site.root, site.content, for_good=True)
    if problems.errors:
        print_problems([p for p in problems.sorted() if p.level == "error"], "text")
        click.echo(summary(site, len(org.teams), len(org.documents()), len(problems.errors), 0, day_of(as_of, site)), err=True)
        raise SystemExit(1)
    return org


def analyse(site: SiteConfig, as_of: dt.date | None, read_git: bool = False) -> Analysis:
    """The valid content's analysis; on any content error, print every error and exit 1."""
    org = load_valid(site, as_of)
    git = read_history(site.root, site.content) if read_git else None
    return Analysis.of(org, day_of(as_of, site), site.rules, git)


def summary(site: SiteConfig, teams: int, docs: int, errors: int, warnings: int, on: dt.date) -> str:
    found = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}" if errors or warnings else "no problems"
    return f"{one_line(site.content)}/: {plural(teams, 'team')}, {plural(docs, 'document')}, {found} as of {on}"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"


def _workflow_escape(text: str, property: bool = False) -> str:
    """GitHub's workflow-command escaping; properties also escape ':' and ','."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property else text


def print_problems(found: list[Problem], fmt: str) -> None:
    if fmt == "json":
        rows = [
            {"file": p.loc.file, "line": p.loc.line, "col": p.loc.col, "level": p.level, "code": p.code, "message": p.message}
            for p in found
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    if found:  # one write, not one flushed write a line: thousands of warnings print in a blink
        click.echo("\n".join(_github_line(p) if fmt == "github" else str(p) for p in found))


def _github_line(p: Problem) -> str:
    message = _workflow_escape(one_line(p.message))
    file, code = _workflow_escape(one_line(p.loc.file), True), _workflow_escape(one_line(p.code), True)
    return f"::{p.level} file={file},line={p.loc.line},col={p.loc.col},title={code}::{message}"
