"""The `okrsite` command: a thin layer over the content model and its analyses.

A command imports what only it needs when it runs: `okrsite check` runs on every
pull request and should not pay for the page templates, the engine or the editors' tools.
The commands that write content or text for writers are in `cli_writing`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import tempfile
from pathlib import Path

import click

from .. import __version__
from ..content.errors import Loc, Problems, one_line, shown_path
from ..content.schema import SCHEMAS, json_schema
from ..sources.site_config import Options, SiteConfig
from .cli_writing import WRITING
from .options import analyse, as_of_option, config_option, day_of, load_valid, plural, print_problems, site_of, summary


@click.group()
@click.version_option(__version__, prog_name="okrsite")
def main() -> None:
    """OKRs as code: check the content and publish it as a static site."""


for _command in WRITING:
    main.add_command(_command)


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

    site = site_of(config_file)
    changed = _changed(site, changed_since) if changed_since is not None else None
    try:
        given = given_files(site, config_file, files) if files else None
    except FileError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(2) from None
    on = day_of(as_of, site)
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
    print_problems(problems.sorted(), fmt)
    if fmt == "text":
        counts = found.teams, found.documents, len(problems.errors), len(problems.warnings)
        click.echo(summary(site, *counts, on) + (f" in {plural(len(given), 'file')} given" if given is not None else ""), err=True)
    if elsewhere:
        click.echo(f"okrsite check: {plural(elsewhere, 'error')} in other files; okrsite check without files lists them", err=True)
    if problems.errors or elsewhere or (strict and problems.warnings):
        raise SystemExit(1)


def _changed(site: SiteConfig, base: str) -> set[str]:
    """The files changed since `base`, as paths from the site's root; a base git cannot read stops with exit 2."""
    from ..sources.revision import DiffError, changed_files

    try:
        return changed_files(site.root, base)
    except DiffError as exc:
        click.echo(f"okrsite check: --changed-since: {exc}", err=True)
        raise SystemExit(2) from None


@main.command()
@config_option
@as_of_option
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def build(config_file: Path, as_of: dt.date | None, strict: bool) -> None:
    """Check the content, then build the site; on any error the previous site stays as it was."""
    from ..mkdocs.engine import BuildFailed, build_site

    day_of(as_of, site_of(config_file))
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
    help="Accepted for earlier scripts; every reload is already one: MkDocs renders again only the pages that changed, "
    "and the site (nav and search index included) is the same as a full build's.",
)
def serve(config_file: Path, as_of: dt.date | None, dev_addr: str | None, dirty: bool) -> None:
    """Serve the site on localhost, rebuilt when content, templates or docs change."""
    from ..mkdocs.engine import serve_site

    day_of(as_of, site_of(config_file))
    serve_site(config_file, dev_addr, as_of)


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

    site = site_of(config_file)
    analysis = analyse(site, as_of, read_git=True)
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

    site = site_of(config_file)
    org = load_valid(site, as_of)  # the cycle is checked before a build; the build analyses
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
