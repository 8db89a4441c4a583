"""The `okrsite` command: a thin layer over the content model and its analyses.

A command imports what only it needs when it runs: `okrsite check` runs on every
pull request and should not pay for the page templates, the engine or the editors' tools.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import tempfile
from pathlib import Path

import click

from .. import __version__
from ..analysis.computed import Analysis
from ..content.errors import Loc, Problem, Problems, one_line, shown_path
from ..content.folder import load_organisation
from ..content.schema import SCHEMAS, json_schema
from ..sources.clock import DateSettingError, as_of_date, read_day
from ..sources.history import read_history
from ..sources.site_config import Options, SiteConfig, SiteConfigError, read_site_config


def _parse_as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return read_day(value, "--as-of")
    except DateSettingError as exc:
        raise click.BadParameter(str(exc).removeprefix("--as-of: ")) from None


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
    callback=_parse_as_of,
    metavar="YYYY-MM-DD",
    help="Compute figures as of this date (default: SOURCE_DATE_EPOCH, else today).",
)


@click.group()
@click.version_option(__version__, prog_name="okrsite")
def main() -> None:
    """OKRs as code: check the content and publish it as a static site."""


@main.command()
@config_option
@as_of_option
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text", show_default=True)
@click.option(
    "--changed-since",
    metavar="BASE",
    help="Report warnings only in files changed since the branch left BASE (a pull request's files); errors everywhere.",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache (.okrsite/cache/ beside mkdocs.yml).")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def check(
    config_file: Path, as_of: dt.date | None, strict: bool, fmt: str, changed_since: str | None, no_cache: bool, files: tuple[Path, ...]
) -> None:
    """Report every error and warning in the content as path:line:col: level[code]: message.

    With FILES (as pre-commit gives them), report the problems of those files, and the errors of
    the files that refer to them; an error anywhere else still fails the run.
    """
    from .check import FileError, about_files, find_problems, given_files

    site = _site(config_file)
    changed = _changed(site, changed_since) if changed_since is not None else None
    try:
        given = given_files(site, config_file, files) if files else None
    except FileError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(2) from None
    on = _day(as_of, site)
    found = find_problems(site, on, use_cache=not no_cache)
    problems = Problems(found.problems)
    for key in site.unknown_options:
        close = difflib.get_close_matches(key, list(Options.model_fields), n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"expected one of {', '.join(Options.model_fields)}"
        problems.warning(Loc(site.file), "config", f"the okrsite option {key!r} is unknown; {hint}")
    for moved in site.rule_warnings:
        problems.warning(Loc(site.file), "config", f"the okrsite option {moved}")
    if changed is not None:  # a pull request is told of its own files' warnings, and of every error
        problems.items = [p for p in problems.items if p.level == "error" or p.loc.file in changed]
    elsewhere = 0
    if given is not None:
        problems.items, elsewhere = about_files(site, found, given, problems.items)
    _print_problems(problems.sorted(), fmt)
    if fmt == "text":
        counts = found.teams, found.documents, len(problems.errors), len(problems.warnings)
        click.echo(_summary(site, *counts, on) + (f" in {_plural(len(given), 'file')} given" if given is not None else ""), err=True)
    if elsewhere:
        click.echo(f"okrsite check: {_plural(elsewhere, 'error')} in other files; okrsite check without files lists them", err=True)
    if problems.errors or elsewhere or (strict and problems.warnings):
        raise SystemExit(1)


def _site(config_file: Path) -> SiteConfig:
    """The site's okrsite options; a mkdocs.yml that cannot be read stops the command with its reason (exit 2)."""
    try:
        return read_site_config(config_file)
    except SiteConfigError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(2) from None


def _changed(site: SiteConfig, base: str) -> set[str]:
    """The files changed since `base`, as paths from the site's root; a base git cannot read stops with exit 2."""
    from ..sources.revision import DiffError, changed_files

    try:
        return changed_files(site.root, base)
    except DiffError as exc:
        click.echo(f"okrsite check: --changed-since: {exc}", err=True)
        raise SystemExit(2) from None


def _day(as_of: dt.date | None, site: SiteConfig | None = None) -> dt.date:
    """The as-of date: --as-of, else the plugin's as_of, else SOURCE_DATE_EPOCH, else today; a malformed one stops with exit 2."""
    try:
        if as_of is not None:
            return as_of_date(as_of, setting="--as-of")  # SOURCE_DATE_EPOCH is checked too
        return as_of_date(site.as_of if site else None, setting=f"as_of in {site.file if site else 'mkdocs.yml'}")
    except DateSettingError as exc:
        click.echo(f"okrsite: {exc}", err=True)
        raise SystemExit(2) from None


def _analyse(site: SiteConfig, as_of: dt.date | None, read_git: bool = False) -> Analysis:
    """The valid content's analysis; on any content error, print every error and exit 1."""
    org, problems = load_organisation(site.root, site.content, for_good=True)
    if problems.errors:
        _print_problems([p for p in problems.sorted() if p.level == "error"], "text")
        click.echo(_summary(site, len(org.teams), len(org.documents()), len(problems.errors), 0, _day(as_of, site)), err=True)
        raise SystemExit(1)
    git = read_history(site.root, site.content) if read_git else None
    return Analysis.of(org, _day(as_of, site), site.rules, git)


def _summary(site: SiteConfig, teams: int, docs: int, errors: int, warnings: int, on: dt.date) -> str:
    found = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}" if errors or warnings else "no problems"
    return f"{one_line(site.content)}/: {_plural(teams, 'team')}, {_plural(docs, 'document')}, {found} as of {on}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"


def _workflow_escape(text: str, property: bool = False) -> str:
    """GitHub's workflow-command escaping; properties also escape ':' and ','."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property else text


def _print_problems(found: list[Problem], fmt: str) -> None:
    if fmt == "json":
        rows = [
            {"file": p.loc.file, "line": p.loc.line, "col": p.loc.col, "level": p.level, "code": p.code, "message": p.message}
            for p in found
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    for p in found:
        if fmt == "github":
            message = _workflow_escape(one_line(p.message))
            file, code = _workflow_escape(one_line(p.loc.file), True), _workflow_escape(one_line(p.code), True)
            click.echo(f"::{p.level} file={file},line={p.loc.line},col={p.loc.col},title={code}::{message}")
        else:
            click.echo(str(p))


@main.command()
@config_option
@as_of_option
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def build(config_file: Path, as_of: dt.date | None, strict: bool) -> None:
    """Check the content, then build the site; on any error the previous site stays as it was."""
    from ..mkdocs.engine import BuildFailed, build_site

    _day(as_of, _site(config_file))
    try:
        site_dir = build_site(config_file, as_of, strict)
    except BuildFailed as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(1) from None
    click.echo(f"built {site_dir}", err=True)


@main.command()
@config_option
@as_of_option
@click.option("-a", "--dev-addr", metavar="IP:PORT", help="Where to serve (default: MkDocs' dev_addr, 127.0.0.1:8000).")
@click.option(
    "--dirty",
    is_flag=True,
    help="Faster reloads: MkDocs renders again only the pages whose content changed. "
    "Until a full rebuild, the search index may list a changed page twice, and unchanged pages keep the nav they had.",
)
def serve(config_file: Path, as_of: dt.date | None, dev_addr: str | None, dirty: bool) -> None:
    """Serve the site on localhost, rebuilt when content, templates or docs change."""
    from ..mkdocs.engine import serve_site

    _day(as_of, _site(config_file))
    serve_site(config_file, dev_addr, as_of, dirty)


@main.command()
@config_option
@as_of_option
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
def generate(config_file: Path, as_of: dt.date | None, out: Path) -> None:
    """Write the generated pages as a plain Markdown docs tree into OUT (with assets and okrsite-nav.yml)."""
    from ..site.builder import SiteBuilder, SiteOptions
    from ..site.edit_links import EditLinks
    from ..site.output import OutputError, building, check_output, protected_folders
    from ..site.render import TemplateFailed
    from .generate import write_docs_tree

    site = _site(config_file)
    analysis = _analyse(site, as_of, read_git=True)
    edit_links = EditLinks(site.repo_url, site.edit_uri, site.edit_uri_template, site.docs_dir)
    options = SiteOptions(site.root / site.templates, site.use_directory_urls, edit_links, site.site_url, site.site_name, site.hosts)
    docs = site.docs_dir if (site.root / site.docs_dir).is_dir() else None
    try:
        check_output(out, protected_folders(site.root, site.content, site.templates, docs))
        with building(out, say=lambda message: click.echo(message, err=True)) as work:
            pages = write_docs_tree(SiteBuilder(analysis, options), work)
    except (OutputError, TemplateFailed) as exc:
        click.echo(f"okrsite generate: {exc}", err=True)
        raise SystemExit(1) from None
    click.echo(f"wrote {pages} pages into {out}", err=True)


@main.command()
@as_of_option
@click.option("--name", default="Our company", show_default=True, help="The organisation's name, for the site and the first team.")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
def init(as_of: dt.date | None, name: str, folder: Path) -> None:
    """Start a new OKR repository in FOLDER: mkdocs.yml, content/ with a cycle and a team, schemas and CI."""
    from .init import InitError, init_site

    try:
        written = init_site(folder, name, _day(as_of))
    except InitError as exc:
        click.echo(f"okrsite init: {exc}", err=True)
        raise SystemExit(1) from None
    for path in written:
        click.echo(str(path))
    click.echo(f"a new OKR site in {folder}: edit content/, then run okrsite build", err=True)


@main.command("new-cycle")
@config_option
@as_of_option
@click.argument("cycle")
def new_cycle(config_file: Path, as_of: dt.date | None, cycle: str) -> None:
    """Draft every team's document for CYCLE (listed in cycles.yml) from its previous one; never overwrites."""
    from .new_cycle import NewCycleError, draft_cycle

    site = _site(config_file)
    try:
        drafted = draft_cycle(site.root, site.content, cycle, _day(as_of, site), site.rules.scoring)
    except NewCycleError as exc:
        click.echo(f"okrsite new-cycle: {exc}", err=True)
        raise SystemExit(1) from None
    for draft in drafted:
        kept = ", ".join(draft.carried) or "nothing"
        left = f"; left out (landed): {', '.join(draft.dropped)}" if draft.dropped else ""
        click.echo(f"{draft.path.relative_to(site.root)}: carried {kept}{left}")
    click.echo(f"drafted {len(drafted)} documents for {cycle}: review them, then run okrsite check", err=True)


@main.command()
@config_option
@as_of_option
@click.argument("base", required=False)
def diff(config_file: Path, as_of: dt.date | None, base: str | None) -> None:
    """Markdown for a PR comment: the OKR changes between git revision BASE (default origin/main, else main) and the working tree."""
    from ..sources.revision import DiffError, default_base, organisation_at
    from .diff import diff_markdown

    site = _site(config_file)
    after = _analyse(site, as_of)
    try:
        base = base or default_base(site.root)
        before, problems = organisation_at(site.root, site.content, base)
    except DiffError as exc:
        click.echo(f"okrsite diff: {exc}", err=True)
        raise SystemExit(1) from None
    before_analysis = Analysis.of(before, after.on, after.rules)
    click.echo(diff_markdown(before_analysis, after, base=base, base_errors=len(problems.errors)))


@main.command()
@click.option("--teams", type=click.IntRange(min=1), required=True, help="How many teams.")
@click.option("--cycles", type=click.IntRange(min=1), required=True, help="How many quarterly cycles.")
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed gives the same organisation.")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
def demo(teams: int, cycles: int, seed: int, out: Path) -> None:
    """Write a synthetic organisation (mkdocs.yml and content/) into OUT, for trials and benchmarks."""
    from .demo import write_demo

    try:
        write_demo(out, teams, cycles, seed)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"wrote {teams} teams over {cycles} cycles into {out}; build it with: cd {out} && okrsite build", err=True)


@main.command()
@click.argument("kind", type=click.Choice(sorted(SCHEMAS)), default="document")
def schema(kind: str) -> None:
    """Print the JSON Schema of a team document, team.yml or cycles.yml, for editor completion."""
    click.echo(json.dumps(json_schema(kind), indent=2))


@main.command()
@config_option
@as_of_option
@click.option(
    "--pdf",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Print the review to FILE as PDF with a headless Chromium or Chrome, from a build in a temporary folder (site/ is left alone).",
)
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.option(
    "--browser",
    metavar="PATH",
    help="The Chromium or Chrome to print with (default: $OKRSITE_BROWSER, else the first of chromium, chromium-browser, "
    "google-chrome or google-chrome-stable on PATH).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=120,
    show_default=True,
    metavar="SECONDS",
    help="Seconds the browser may take to print.",
)
@click.argument("cycle")
def review(
    config_file: Path, as_of: dt.date | None, pdf: Path | None, force: bool, browser: str | None, timeout: float, cycle: str
) -> None:
    """The printable review of CYCLE: the company at a glance, then every team's objectives, scores, lessons and changes, a page each.

    Without --pdf, build the site as `okrsite build` does and print the review page's file, to open in a browser and print.
    """
    from ..mkdocs.engine import BuildFailed, build_site
    from ..site.urls import review_uri
    from .review import ReviewError, check_target, find_browser, print_pdf

    site = _site(config_file)
    org = _analyse(site, as_of).org
    try:
        if cycle not in org.cycles:
            close = difflib.get_close_matches(cycle, list(org.cycles), n=3)
            known = f"expected one of {', '.join(org.cycles)}" if org.cycles else "it lists no cycle yet"
            hint = f"did you mean {' or '.join(map(repr, close))}?" if close else known
            raise ReviewError(f"{one_line(cycle)!r} is not a cycle of {one_line(site.content)}/cycles.yml; {hint}")
        page = review_uri(cycle).removesuffix(".md") + ".html"
        if pdf is None:
            click.echo(build_site(config_file, as_of) / page)
            return
        check_target(pdf, force)
        chosen = find_browser(browser)
        with tempfile.TemporaryDirectory(prefix="okrsite-review-", ignore_cleanup_errors=True) as work:
            print_pdf(build_site(config_file, as_of, site_dir=Path(work) / "site"), page, chosen, pdf, timeout, force)
    except ReviewError as exc:
        click.echo(f"okrsite review: {exc}", err=True)
        raise SystemExit(exc.exit_code) from None
    except BuildFailed as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(1) from None
    click.echo(f"wrote the review of {one_line(org.cycles[cycle].title)} to {shown_path(pdf)}", err=True)
