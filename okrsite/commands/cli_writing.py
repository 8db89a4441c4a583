"""The commands that write for writers: a new repository, new cycles' drafts, a PR's OKR diff, the digest, an import, check-ins."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from ..analysis.computed import Analysis
from .options import analyse, as_of_option, config_option, day_of, parse_day, print_problems, site_of


@click.command()
@as_of_option
@click.option("--name", default="Our company", show_default=True, help="The organisation's name, for the site and the first team.")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
def init(as_of: dt.date | None, name: str, folder: Path) -> None:
    """Start a new OKR repository in FOLDER: mkdocs.yml, content/ with a cycle and a team, schemas and CI."""
    from .init import InitError, init_site

    try:
        written = init_site(folder, name, day_of(as_of))
    except InitError as exc:
        click.echo(f"okrsite init: {exc}", err=True)
        raise SystemExit(1) from None
    for path in written:
        click.echo(str(path))
    click.echo(f"a new OKR site in {folder}: edit content/, then run okrsite build", err=True)


@click.command("new-cycle")
@config_option
@as_of_option
@click.argument("cycle")
def new_cycle(config_file: Path, as_of: dt.date | None, cycle: str) -> None:
    """Draft every team's document for CYCLE (listed in cycles.yml) from its previous one; never overwrites."""
    from .new_cycle import NewCycleError, draft_cycle

    site = site_of(config_file)
    try:
        drafted = draft_cycle(site.root, site.content, cycle, day_of(as_of, site), site.rules.scoring)
    except NewCycleError as exc:
        click.echo(f"okrsite new-cycle: {exc}", err=True)
        raise SystemExit(1) from None
    for draft in drafted:
        kept = ", ".join(draft.carried) or "nothing"
        left = f"; left out (landed): {', '.join(draft.dropped)}" if draft.dropped else ""
        click.echo(f"{draft.path.relative_to(site.root)}: carried {kept}{left}")
    click.echo(f"drafted {len(drafted)} documents for {cycle}: review them, then run okrsite check", err=True)


@click.command()
@config_option
@as_of_option
@click.argument("base", required=False)
def diff(config_file: Path, as_of: dt.date | None, base: str | None) -> None:
    """Markdown for a PR comment: the OKR changes between git revision BASE (default origin/main, else main) and the working tree."""
    from ..sources.revision import DiffError, default_base, organisation_at
    from .diff import diff_markdown

    site = site_of(config_file)
    after = analyse(site, as_of)
    try:
        base = base or default_base(site.root)
        before, problems = organisation_at(site.root, site.content, base)
    except DiffError as exc:
        click.echo(f"okrsite diff: {exc}", err=True)
        raise SystemExit(1) from None
    before_analysis = Analysis.of(before, after.on, after.rules)
    click.echo(diff_markdown(before_analysis, after, base=base, base_errors=len(problems.errors)))


@click.command()
@config_option
@as_of_option
@click.option("--owner", metavar="NAME", help="Only this person's digest (names match as on the people pages).")
@click.option(
    "--since",
    callback=parse_day,
    metavar="YYYY-MM-DD",
    help="The last digest's date: what moved after it, and the signals new since (default: 7 days before the as-of date).",
)
@click.option("--format", "fmt", type=click.Choice(["markdown", "text", "json"]), default="markdown", show_default=True)
def digest(config_file: Path, as_of: dt.date | None, owner: str | None, since: dt.date | None, fmt: str) -> None:
    """The weekly digest, per owner: key results due a check-in, what moved since the last digest, new health signals."""
    from .digest import DigestError, write_digest

    site = site_of(config_file)
    try:
        text, note = write_digest(site, analyse(site, as_of), since, owner, fmt)
    except DigestError as exc:
        click.echo(f"okrsite digest: {exc}", err=True)
        raise SystemExit(2) from None
    if note:
        click.echo(f"okrsite digest: {note}", err=True)
    click.echo(text)


@click.command("import")
@config_option
@as_of_option
@click.option("--map", "maps", multiple=True, metavar="COLUMN=FIELD", help="Read COLUMN into FIELD, e.g. 'Objective Name=objective_title'.")
@click.option("--dry-run", is_flag=True, help="Print the files it would write (a diff for cycles.yml), and write nothing.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_(config_file: Path, as_of: dt.date | None, maps: tuple[str, ...], dry_run: bool, file: Path) -> None:
    """Write the OKRs of a CSV export (a row per key result) as documents, one per team and cycle; okrsite's /okrs.csv round-trips.

    Columns named as a field are read into it. Never overwrites a document; checked as okrsite check does, nothing written on any error.
    """
    from .import_table import read_maps
    from .importer import ImportFailed, import_file

    try:
        mapped = read_maps(maps)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--map'") from None
    site = site_of(config_file)
    try:
        click.echo(import_file(site.root, site.content, file, mapped, day_of(as_of, site), dry_run, say=lambda s: click.echo(s, err=True)))
    except ImportFailed as exc:
        print_problems(exc.problems.sorted(), "text")
        click.echo(f"{len(exc.problems.errors)} error{'s' * (len(exc.problems.errors) != 1)}; nothing written", err=True)
        raise SystemExit(1) from None


@click.command()
@config_option
@as_of_option
@click.option("--done/--not-done", default=None, help="A milestone's check-in, instead of VALUE: reached or not.")
@click.option("--confidence", type=click.IntRange(1, 10), help="How sure the team is to land the target, 1-10.")
@click.option("--note", metavar="TEXT", help="Markdown: what moved, or what stands in the way.")
@click.option("--date", callback=parse_day, metavar="YYYY-MM-DD", help="The check-in's day (default: the as-of date).")
@click.option("--replace", is_flag=True, help="Replace the check-in made on that day, if any.")
@click.option("--from", "rows", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE", help="Many check-ins, all or nothing.")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), help="The format of --from FILE (default: by its ending).")
@click.argument("team", required=False)
@click.argument("key_result", metavar="[KR]", required=False)
@click.argument("value", required=False)
def checkin(config_file: Path, as_of: dt.date | None, date: dt.date | None, **given: Any) -> None:
    """Add a check-in to KR (objective/kr, or its id alone when unique) in TEAM's document of the cycle of the day.

    VALUE is the number (a milestone: --done or --not-done); the day is --date, else the as-of date. Only the check-in's lines
    change, after the whole content is judged with them. --from: CSV or JSON lines (team, objective, key_result, date, value...).
    """
    from .checkin_run import run_checkin

    site = site_of(config_file)
    on = day_of(as_of, site)
    raise SystemExit(run_checkin(site, on, date or on, **given))


WRITING = [init, new_cycle, diff, digest, import_, checkin]
